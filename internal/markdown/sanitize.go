package markdown

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A brief's body may hold raw HTML, and so may what its template functions
// print into it. Unless the site opts out (Settings.UnsafeHTML), each raw
// HTML node goes through an allow-list (bluemonday) on its own, and the
// HTML the converter makes itself is left as it is: a page without raw HTML
// renders byte for byte as it would unsanitized, and only the raw nodes
// cost anything. A raw node is a whole tag, or whole lines of an HTML block,
// and the allow-list holds no element that changes how the HTML after it is
// read (no script, style, textarea, title, svg or math), so sanitizing the
// nodes apart is as safe as sanitizing the page at once. What it keeps:
//
//   - text markup: p, br, hr, h1-h6, blockquote, pre, code, em, strong, b,
//     i, u, s, del, ins, sup, sub, small, mark, abbr, kbd, samp, var, dfn,
//     cite, q, time, data, span, div, wbr, ruby, rt, rp;
//   - lists, description lists, tables (with colspan, rowspan, scope),
//     details and summary, figure and figcaption;
//   - a with an http, https, mailto or tel URL, or a relative one (a path or
//     a #fragment); links to other hosts get rel="nofollow noopener";
//   - img with a src of those schemes or none, a srcset of http(s) or
//     relative URLs (no data: URL), alt, width, height, loading and
//     decoding;
//   - on any of them: title, lang, dir, and id and class of plain words.
//
// Everything else goes: script, style and their content, event handler
// attributes (onerror=), inline style=, iframe, object, embed, form and its
// controls, meta, base, link, svg and math, comments, and every URL with
// another scheme (javascript:, vbscript:, data:), however it is spelled:
// entities, case, tabs and newlines inside it. Markdown links and images
// to such URLs lose their link and show their text (rawFilter).

// linkSchemes are the URL schemes links and images may use, in Markdown and
// in raw HTML; a URL without a scheme (a path, ?query or #fragment) is
// always allowed.
var linkSchemes = []string{"http", "https", "mailto", "tel"}

var (
	plainWords = regexp.MustCompile(`^[\p{L}\p{N}_ -]+$`)
	plainID    = regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)
	digits     = regexp.MustCompile(`^[0-9]{1,4}$`)
	langTag    = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)
	// srcsetList is a srcset whose URLs have no scheme other than
	// http(s): each candidate is a URL and an optional 2x or 640w.
	srcsetList = regexp.MustCompile(`^\s*` + srcsetCandidate + `(\s*,\s*` + srcsetCandidate + `)*\s*$`)
)

const srcsetCandidate = `(https?://[^\s,]+|[^\s,:/\x00-\x1f]*/[^\s,]*|[^\s,:/\x00-\x1f]+)(\s+[0-9]+(\.[0-9]+)?[wx])?`

// newPolicy returns the allow-list raw HTML is sanitized with.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes(linkSchemes...)
	p.RequireNoFollowOnFullyQualifiedLinks(true)

	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
		"em", "strong", "b", "i", "u", "s", "del", "ins", "sup", "sub", "small", "mark", "abbr", "kbd",
		"samp", "var", "dfn", "cite", "q", "time", "span", "div", "wbr", "ruby", "rt", "rp",
		"ul", "ol", "li", "dl", "dt", "dd",
		"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
		"details", "summary", "figure", "figcaption")
	p.AllowAttrs("title").Globally()
	p.AllowAttrs("lang").Matching(langTag).Globally()
	p.AllowAttrs("dir").Matching(regexp.MustCompile(`^(ltr|rtl|auto)$`)).Globally()
	p.AllowAttrs("id").Matching(plainID).Globally()
	p.AllowAttrs("class").Matching(plainWords).Globally()

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src").OnElements("img")
	p.AllowAttrs("srcset").Matching(srcsetList).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(digits).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^(async|sync|auto)$`)).OnElements("img")

	// The <data> elements of computed figures, and <time>.
	p.AllowAttrs("value").OnElements("data")
	p.AllowAttrs("datetime").OnElements("time", "del", "ins")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")

	p.AllowAttrs("start").Matching(regexp.MustCompile(`^-?[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("reversed").OnElements("ol")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^[1aAiI]$`)).OnElements("ol")
	p.AllowAttrs("value").Matching(regexp.MustCompile(`^-?[0-9]{1,9}$`)).OnElements("li")
	p.AllowAttrs("colspan", "rowspan").Matching(digits).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("span").Matching(digits).OnElements("col", "colgroup")
	p.AllowAttrs("open").OnElements("details")
	return p
}

// relNoFollow is the rel attribute the policy adds to links to other
// hosts; bluemonday adds noopener only along with target="_blank", so
// sanitize adds it. The policy lets no rel through from the input, and
// quotes in attribute values and text come out as &#34;, so this text can
// only be that attribute.
var (
	relNoFollow         = []byte(` rel="nofollow"`)
	relNoFollowNoOpener = []byte(` rel="nofollow noopener"`)
)

// sanitizer cleans raw HTML with the policy.
type sanitizer struct {
	policy *bluemonday.Policy
}

func (s *sanitizer) clean(raw []byte) []byte {
	out := s.policy.SanitizeBytes(raw)
	if bytes.Contains(out, relNoFollow) {
		out = bytes.ReplaceAll(out, relNoFollow, relNoFollowNoOpener)
	}
	return out
}

// cleanKey is the node attribute under which rawFilter leaves what a raw
// HTML node renders as.
var cleanKey = []byte("briefs-clean-html")

func (s *sanitizer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, s.renderRawHTML)
	reg.Register(ast.KindHTMLBlock, s.renderHTMLBlock)
}

// renderRawHTML writes an inline tag as rawFilter cleaned it. A node it
// did not see, which no transformer makes today, is sanitized here.
func (s *sanitizer) renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		s.write(w, node, func() []byte { return rawHTML(node.(*ast.RawHTML), src) })
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock writes an HTML block as rawFilter cleaned it.
func (s *sanitizer) renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		s.write(w, node, func() []byte { return htmlBlock(node.(*ast.HTMLBlock), src) })
	}
	return ast.WalkContinue, nil
}

func (s *sanitizer) write(w util.BufWriter, node ast.Node, raw func() []byte) {
	if v, ok := node.Attribute(cleanKey); ok {
		_, _ = w.Write(v.([]byte))
		return
	}
	r := raw()
	if dataTagLen(r) == len(r) {
		_, _ = w.Write(r)
		return
	}
	_, _ = w.Write(s.clean(r))
}

// rawHTML is the source of an inline tag.
func rawHTML(n *ast.RawHTML, src []byte) []byte {
	segs := n.Segments
	if segs.Len() == 1 {
		seg := segs.At(0)
		return seg.Value(src)
	}
	var raw []byte
	for i := range segs.Len() {
		seg := segs.At(i)
		raw = append(raw, seg.Value(src)...)
	}
	return raw
}

// htmlBlock is the source of an HTML block: its lines and its closing line.
func htmlBlock(n *ast.HTMLBlock, src []byte) []byte {
	var raw []byte
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		raw = append(raw, seg.Value(src)...)
	}
	if n.HasClosure() {
		closure := n.ClosureLine
		raw = append(raw, closure.Value(src)...)
	}
	return raw
}

// safeHTML is the goldmark extension that sanitizes raw HTML and drops
// links to URLs of other schemes.
type safeHTML struct{}

func (safeHTML) Extend(m goldmark.Markdown) {
	s := &sanitizer{policy: newPolicy()}
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(rawFilter{s}, 450)))
	// Ahead of goldmark's own renderer (1000) for the same kinds.
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(s, 100)))
}

// rawFilter cleans the raw HTML of a document, and replaces each link,
// image and autolink whose destination has a scheme other than
// linkSchemes by what it shows: a link by its text, an image by its alt
// text, an autolink by its URL as text.
//
// An inline tag is cleaned on its own, but with what came before in mind:
// the end tag of an element whose start tag went (<a href="javascript:…">)
// goes too, and the text between an inline <script> or <style> (or
// another element whose content the policy drops) and its end tag in the
// same paragraph goes with them.
type rawFilter struct{ s *sanitizer }

func (f rawFilter) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var bad, hidden []ast.Node
	dropped := map[string]int{} // start tags that went, by element, whose end tags are to come
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !allowedURL(decodeURL(n.Destination)) {
				bad = append(bad, n)
			}
		case *ast.Image:
			if !allowedURL(decodeURL(n.Destination)) {
				bad = append(bad, n)
			}
		case *ast.AutoLink:
			if !allowedURL(n.URL(src)) {
				bad = append(bad, n)
			}
		case *ast.HTMLBlock:
			n.SetAttribute(cleanKey, f.s.clean(htmlBlock(n, src)))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			raw := rawHTML(n, src)
			if dataTagLen(raw) == len(raw) {
				return ast.WalkSkipChildren, nil
			}
			clean := f.s.clean(raw)
			name, end := tagName(raw)
			switch {
			case name == "":
			case end && dropped[name] > 0:
				dropped[name]--
				clean = nil
			case !end && len(clean) == 0 && !voidElements[name]:
				dropped[name]++
				if skipContent[name] {
					hidden = append(hidden, contentUntil(n, name, src)...)
				}
			}
			n.SetAttribute(cleanKey, clean)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range hidden {
		if p := n.Parent(); p != nil {
			p.RemoveChild(p, n)
		}
	}
	for _, n := range bad {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if a, ok := n.(*ast.AutoLink); ok {
			s := ast.NewString(a.Label(src))
			s.SetRaw(true)
			parent.ReplaceChild(parent, n, s)
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// contentUntil returns the siblings after the inline start tag n up to its
// end tag </name>, or nothing if the end tag is not among them.
func contentUntil(n ast.Node, name string, src []byte) []ast.Node {
	var between []ast.Node
	for c := n.NextSibling(); c != nil; c = c.NextSibling() {
		if r, ok := c.(*ast.RawHTML); ok {
			if got, end := tagName(rawHTML(r, src)); end && got == name {
				return between
			}
		}
		between = append(between, c)
	}
	return nil
}

// tagName returns the lower-case element name of a start or end tag, and
// whether it is an end tag; "" for a comment and the like.
func tagName(tag []byte) (name string, end bool) {
	if len(tag) < 2 || tag[0] != '<' {
		return "", false
	}
	i := 1
	if tag[1] == '/' {
		end = true
		i++
	}
	j := i
	for j < len(tag) && (isAlnum(tag[j]) || (j > i && tag[j] == '-')) {
		j++
	}
	if j == i || !isAlpha(tag[i]) {
		return "", false
	}
	return string(bytes.ToLower(tag[i:j])), end
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || '0' <= c && c <= '9' }

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// skipContent are the elements whose content the policy drops with them
// (bluemonday's list, and textarea).
var skipContent = map[string]bool{"script": true, "style": true, "iframe": true, "object": true, "noscript": true,
	"noembed": true, "noframes": true, "nostyle": true, "frame": true, "frameset": true, "title": true, "textarea": true}

// decodeURL is a Markdown link destination as goldmark writes it, with its
// backslash escapes and character references decoded.
func decodeURL(dest []byte) []byte {
	if bytes.IndexByte(dest, '\\') < 0 && bytes.IndexByte(dest, '&') < 0 {
		return dest
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest)))
}

// allowedURL reports whether a link destination has no scheme or one of
// linkSchemes. The scheme is read as a browser reads it: ASCII case does
// not matter, and tabs, newlines, other control characters and spaces are
// ignored.
func allowedURL(dest []byte) bool {
	var buf [8]byte
	n := 0 // bytes of the scheme so far; only the first len(buf) are kept
	for _, c := range dest {
		switch {
		case c <= ' ' || c == 0x7f:
			continue
		case c == ':':
			scheme := string(buf[:min(n, len(buf))])
			for _, s := range linkSchemes {
				if n == len(s) && scheme == s {
					return true
				}
			}
			return false
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z':
		case n > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			// Not a scheme's character (a scheme is a letter, then
			// letters, digits, + - .): a path, ?query or #fragment.
			return true
		}
		if n < len(buf) {
			buf[n] = c
		}
		n++
	}
	return true
}
