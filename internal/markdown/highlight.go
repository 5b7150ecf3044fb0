package markdown

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Code is a fenced code block highlighted by Chroma: its HTML is made
// while parsing, so that a bad attribute is reported with its place.
type Code struct {
	ast.BaseBlock
	HTML   string
	offset int // of its info string in the source, for errors
}

// KindCode is the ast.NodeKind of Code.
var KindCode = ast.NewNodeKind("Code")

// Kind implements ast.Node.
func (n *Code) Kind() ast.NodeKind { return KindCode }

// Dump implements ast.Node.
func (n *Code) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// MaxHighlighted is the size of the largest code block that is
// highlighted; a larger one is shown plain (highlighting makes several
// times its size of HTML).
const MaxHighlighted = 64 << 10

// highlighter is the goldmark extension that highlights fenced code blocks
// at build time with Chroma, as Hugo does and with Hugo's markup: tokens
// are marked with Chroma's classes (the stylesheet colors them, in the
// light and the dark scheme; the site's Content-Security-Policy allows no
// inline style), and the attributes after the language are Hugo's:
//
//	```go {linenos=true hl_lines=[2,"4-5"] linenostart=10}
//
// linenos is true, false, "table" (the default when true: numbers in a
// column of their own, left out when copying) or "inline"; hl_lines marks
// lines of the block (1 is its first line, whatever linenostart is);
// anchorlinenos=true links each line number to itself (ids
// "hl-<block>-<line>", or lineanchors="prefix" gives "prefix-<line>");
// class, id, title, lang, dir and data-* go on the block's box. Hugo's
// style, noclasses, tabwidth, guesssyntax and hl_inline are accepted and
// have no effect: the site's stylesheet decides the colors.
//
// A block in a language Chroma does not know, or in none, is left as it
// is (<pre><code class="language-x">), unless it has attributes: then it
// is highlighted as plain text, so its line numbers and marked lines show.
type highlighter struct {
	lexers *sync.Map // language name -> chroma.Lexer, or nil when unknown
}

func (h highlighter) Extend(m goldmark.Markdown) {
	// After chart blocks (400) are taken out.
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(h, 450)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(codeRenderer{}, 500)))
}

// lexer returns the lexer for a language name, or nil.
func (h highlighter) lexer(name string) chroma.Lexer {
	if name == "" {
		return nil
	}
	if l, ok := h.lexers.Load(name); ok {
		lx, _ := l.(chroma.Lexer)
		return lx
	}
	l := lexers.Get(name)
	if l != nil {
		l = chroma.Coalesce(l)
	}
	h.lexers.Store(name, l)
	return l
}

func (h highlighter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("```")) && !bytes.Contains(src, []byte("~~~")) {
		return
	}
	var blocks []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fb, ok := n.(*ast.FencedCodeBlock); ok && entering {
			blocks = append(blocks, fb)
		}
		return blocksOnly(n), nil
	})
	st := stateOf(pc)
	for ordinal, fb := range blocks {
		if fb.Info == nil {
			continue
		}
		info := fb.Info.Segment.Value(src)
		lang, attrs, _ := bytes.Cut(info, []byte("{"))
		lang = bytes.TrimSpace(lang)
		if i := bytes.IndexAny(lang, " \t"); i >= 0 {
			lang = lang[:i]
		}
		lexer := h.lexer(string(lang))
		if lexer == nil && attrs == nil {
			continue
		}
		o := codeOptions{inTable: true, start: 1, anchorPrefix: fmt.Sprintf("hl-%d-", ordinal)}
		if attrs != nil {
			if msg := o.parse(append([]byte("{"), attrs...)); msg != "" {
				if st != nil {
					st.errs = append(st.errs, problem{offset: fb.Info.Segment.Start, msg: msg})
				}
				continue
			}
		}
		var code bytes.Buffer
		lines := fb.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			code.Write(seg.Value(src))
		}
		if code.Len() > MaxHighlighted {
			lexer = nil
		}
		if lexer == nil {
			lexer = lexers.Fallback
		}
		out, err := highlight(code.String(), string(lang), lexer, o)
		if err != nil {
			continue // left to goldmark's plain rendering
		}
		node := &Code{HTML: out, offset: fb.Info.Segment.Start}
		for _, a := range o.attrs {
			node.SetAttribute(a.Name, a.Value)
		}
		fb.Parent().ReplaceChild(fb.Parent(), fb, node)
	}
}

// codeOptions are what a code block's attributes ask for.
type codeOptions struct {
	lineNos, inTable, anchors bool
	start                     int
	marked                    [][2]int // lines of the block, 1-based
	anchorPrefix              string
	attrs                     []parser.Attribute // for the box: class, id...
}

// parse reads the attributes of a code block, "{linenos=true ...}", and
// returns what is wrong with them, or "".
func (o *codeOptions) parse(attrs []byte) string {
	const syntax = `write them as {linenos=true hl_lines=[2,"4-5"]}`
	list, ok := parser.ParseAttributes(text.NewReader(attrs))
	if !ok {
		return fmt.Sprintf("the attributes of this code block, %s, cannot be read: %s", quote(attrs), syntax)
	}
	for _, a := range list {
		name := strings.ToLower(string(a.Name))
		switch name {
		case "linenos":
			switch v := str(a.Value); v {
			case "true", "table":
				o.lineNos, o.inTable = true, true
			case "inline":
				o.lineNos, o.inTable = true, false
			case "false":
				o.lineNos = false
			default:
				return fmt.Sprintf("linenos=%s: expected true, false, table or inline", v)
			}
		case "linenumbersintable":
			b, ok := a.Value.(bool)
			if !ok {
				return "linenumbersintable: expected true or false"
			}
			o.inTable = b
		case "linenostart":
			f, ok := a.Value.(float64)
			if !ok || f < 0 || f > 1e9 || f != float64(int(f)) {
				return fmt.Sprintf("linenostart=%s: expected a line number, such as linenostart=10", str(a.Value))
			}
			o.start = int(f)
		case "hl_lines":
			if msg := o.parseMarked(a.Value); msg != "" {
				return msg
			}
		case "anchorlinenos":
			b, ok := a.Value.(bool)
			if !ok {
				return "anchorlinenos: expected true or false"
			}
			o.anchors = b
		case "lineanchors":
			v := str(a.Value)
			if !plainID.MatchString(v) {
				return fmt.Sprintf("lineanchors=%s: expected a prefix of letters, digits, - and _", quote([]byte(v)))
			}
			o.anchorPrefix = v + "-"
		case "style", "noclasses", "tabwidth", "guesssyntax", "hl_inline":
			// Hugo's; the site's stylesheet decides the colors.
		case "class", "id", "title", "lang", "dir":
			if _, ok := a.Value.([]byte); !ok {
				return fmt.Sprintf("code block attribute %s has a value that is not a string: quote it (%s=\"...\")", name, name)
			}
			o.attrs = append(o.attrs, parser.Attribute{Name: []byte(name), Value: a.Value})
		default:
			if !strings.HasPrefix(name, "data-") {
				return fmt.Sprintf("code block attribute %q is not supported: expected linenos, hl_lines, linenostart, anchorlinenos, lineanchors, class, id, title, lang, dir or data-*", name)
			}
			o.attrs = append(o.attrs, parser.Attribute{Name: []byte(name), Value: []byte(str(a.Value))})
		}
	}
	return ""
}

// parseMarked reads hl_lines: [2, 5, "7-9"] or "2 5 7-9".
func (o *codeOptions) parseMarked(v any) string {
	const want = `hl_lines: expected line numbers and ranges of the block, such as hl_lines=[2,"4-6"] or hl_lines="2 4-6"`
	var items []string
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			items = append(items, str(e))
		}
	case []byte:
		items = strings.Fields(string(v))
	case float64:
		items = []string{str(v)}
	default:
		return want
	}
	for _, item := range items {
		from, to, isRange := strings.Cut(item, "-")
		a, err1 := strconv.Atoi(from)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(to)
		}
		if err1 != nil || err2 != nil || a < 1 || b < a {
			return fmt.Sprintf("%s (got %s)", want, quote([]byte(item)))
		}
		o.marked = append(o.marked, [2]int{a, b})
	}
	return ""
}

// str is an attribute value as written.
func str(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// quote quotes at most 200 bytes of s for a message.
func quote(s []byte) string {
	if len(s) > 200 {
		return strconv.Quote(string(s[:200])) + "…"
	}
	return strconv.Quote(string(s))
}

// highlight renders code as Hugo does, with classes:
//
//	<div class="highlight"><pre tabindex="0" class="chroma"><code class="language-go" data-lang="go"><span class="line"><span class="cl">...
func highlight(code, lang string, lexer chroma.Lexer, o codeOptions) (string, error) {
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		return "", err
	}
	marked := make([][2]int, len(o.marked))
	for i, r := range o.marked {
		marked[i] = [2]int{r[0] + o.start - 1, r[1] + o.start - 1}
	}
	f := chromahtml.New(
		chromahtml.WithClasses(true),
		chromahtml.WithLineNumbers(o.lineNos),
		chromahtml.LineNumbersInTable(o.inTable),
		chromahtml.BaseLineNumber(o.start),
		chromahtml.HighlightLines(marked),
		chromahtml.WithLinkableLineNumbers(o.anchors, o.anchorPrefix),
		chromahtml.WithPreWrapper(preWrapper{lang: lang}),
	)
	var b strings.Builder
	b.WriteString(`<div class="highlight`)
	for _, a := range o.attrs {
		if string(a.Name) == "class" {
			b.WriteString(" " + html.EscapeString(str(a.Value)))
		}
	}
	b.WriteString(`"`)
	for _, a := range o.attrs {
		if string(a.Name) != "class" {
			fmt.Fprintf(&b, ` %s="%s"`, a.Name, html.EscapeString(str(a.Value)))
		}
	}
	b.WriteString(">")
	if err := f.Format(&b, styles.Fallback, it); err != nil {
		return "", err
	}
	b.WriteString("</div>")
	return b.String(), nil
}

// preWrapper writes Hugo's <pre> and <code>: focusable, as a box that may
// scroll sideways must be, and naming the language.
type preWrapper struct{ lang string }

func (p preWrapper) Start(code bool, styleAttr string) string {
	s := `<pre tabindex="0"` + styleAttr + `><code`
	if code && p.lang != "" {
		l := html.EscapeString(p.lang)
		s += ` class="language-` + l + `" data-lang="` + l + `"`
	}
	return s + ">"
}

func (p preWrapper) End(bool) string { return "</code></pre>" }

type codeRenderer struct{}

func (codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCode, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(n.(*Code).HTML)
			_ = w.WriteByte('\n')
		}
		return ast.WalkSkipChildren, nil
	})
}
