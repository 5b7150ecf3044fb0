package markdown

import (
	"bytes"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkResolver rewrites relative link and image destinations ("chart.png",
// "../other/") to root-relative URLs against the page URL, so the same HTML
// works on the page, in lists and, prefixed with the site origin, in feeds.
type linkResolver struct{}

func (linkResolver) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := stateOf(pc)
	if st == nil || st.opt.PageURL == "" {
		return
	}
	base := st.opt.PageURL
	// An inline link or image has "](" and a reference one a definition
	// with "]:": without either there is nothing to resolve.
	if src := reader.Source(); !bytes.Contains(src, []byte("](")) && !bytes.Contains(src, []byte("]:")) {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = resolve(base, n.Destination)
		case *ast.Image:
			n.Destination = resolve(base, n.Destination)
		}
		return ast.WalkContinue, nil
	})
}

// hasScheme reports whether d starts with a URL scheme and its colon: a
// letter, then letters, digits, +, - or ., then ":".
func hasScheme(d string) bool {
	for i := 0; i < len(d); i++ {
		c := d[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// resolve returns dest made root-relative against the directory URL base.
// dest is the destination as written: its backslash escapes and character
// references are read first, as goldmark reads them when it renders.
func resolve(base string, dest []byte) []byte {
	d := string(util.ResolveNumericReferences(util.ResolveEntityNames(util.UnescapePunctuations(dest))))
	if d == "" || strings.HasPrefix(d, "/") || strings.HasPrefix(d, "#") || strings.HasPrefix(d, "?") {
		return dest
	}
	if strings.HasPrefix(d, "//") || hasScheme(d) {
		return dest
	}
	// The path is joined as written, its escapes kept; goldmark escapes
	// what a URL may not hold when it renders the link.
	p, rest := d, ""
	if i := strings.IndexAny(d, "?#"); i >= 0 {
		p, rest = d[:i], d[i:]
	}
	joined := path.Join(base, p)
	if (strings.HasSuffix(p, "/") || p == "" || p == "." || p == "..") && !strings.HasSuffix(joined, "/") {
		joined += "/"
	}
	return []byte(joined + rest)
}
