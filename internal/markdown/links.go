package markdown

import (
	"bytes"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
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

// resolve returns dest made root-relative against the directory URL base.
func resolve(base string, dest []byte) []byte {
	d := string(dest)
	if d == "" || strings.HasPrefix(d, "/") || strings.HasPrefix(d, "#") || strings.HasPrefix(d, "?") {
		return dest
	}
	u, err := url.Parse(d)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return dest
	}
	p := path.Join(base, u.Path)
	if strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u.Path = p
	return []byte(u.String())
}
