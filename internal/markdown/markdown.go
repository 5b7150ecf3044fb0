// Package markdown converts a brief's Markdown to HTML with one goldmark
// instance configured once: GitHub tables, strikethrough, autolinks and task
// lists, footnotes, definition lists, GitHub's alerts as callouts, CJK line
// breaking, heading ids that keep Chinese text (or are given: {#id}),
// English typography on English pages, code highlighted with Chroma's
// classes, citations [0]..[n] linked to the brief's sources, the summary
// ended by <!--more-->, bundle-relative links resolved against the page
// URL, and raw HTML sanitized by an allow-list (sanitize.go) unless the
// site opts out. Everything is done on the AST, never on the HTML.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"briefs/internal/diag"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// reservedIDs are element ids the page layouts use around a brief's body;
// headings never take them (nor source-N, the citation targets).
var reservedIDs = []string{"main", "tickers-title", "sources-title", "figures-title", "related-title"}

// Converter renders Markdown. It is safe for concurrent use.
type Converter struct {
	md goldmark.Markdown
}

// Settings are a site's choices of how its briefs are converted.
type Settings struct {
	// UnsafeHTML passes raw HTML, and links and images to any URL, through
	// as written (site.toml's unsafeHTML), for a site whose every brief is
	// trusted. Otherwise raw HTML is sanitized and links to URLs other
	// than http, https, mailto, tel and relative ones show as their text.
	UnsafeHTML bool
}

// New returns a Converter.
func New(s Settings) *Converter {
	exts := []goldmark.Extender{
		// GFM, with table cell alignment as a class rather than a
		// style attribute: the site's Content-Security-Policy allows
		// no inline style.
		extension.Linkify,
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
		extension.Strikethrough,
		extension.TaskList,
		extension.NewFootnote(),
		extension.DefinitionList,
		alerts{},
		highlighter{lexers: new(sync.Map)},
		cjkBreaks{},
		citations{},
		cjkEmphasis{},
		charts{},
		tables{},
	}
	if !s.UnsafeHTML {
		// In place of goldmark's own safe mode, which drops raw HTML
		// whole and checks each link's URL at rendering, lowercasing
		// copies of it: safeHTML cleans both, once, on the AST.
		exts = append(exts, safeHTML{})
	}
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			// "## Title {#id .class}", as Hugo reads it.
			parser.WithAttribute(),
			// Before autolinks (300) and raw HTML (400), which also start at <.
			parser.WithInlineParsers(util.Prioritized(dataTagParser{}, 250),
				// After every other inline parser, as goldmark's own.
				util.Prioritized(newTypographer(), 9999)),
			parser.WithASTTransformers(util.Prioritized(linkResolver{}, 500), util.Prioritized(cellAlignment{}, 500), util.Prioritized(headingAttrs{}, 500)),
		),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	return &Converter{md: md}
}

// Options are the per-document inputs of a conversion.
type Options struct {
	File    string   // source file name, for errors
	Lang    string   // the page's language: "en" or "en-…" gets English typography
	Line    int      // file line of the first line of src, for errors
	PageURL string   // root-relative URL of the page ("/zh/briefs/x/"), for relative links
	Sources []string // citation titles; [i] links to #source-i
	// Chart renders a ```chart block; without it a chart block is an error.
	Chart ChartFunc
	// TableLabel names the scrolling box of each table for screen
	// readers, followed by the table's number: "表格" gives "表格 1".
	// "Table" when empty.
	TableLabel string
	// AlertTitles are the titles of the alerts ("> [!NOTE]") by kind
	// ("note": "备注"); the English ones when missing.
	AlertTitles map[string]string
}

// Doc is a converted document.
type Doc struct {
	HTML string
	// Summary is the plain text before the summary divider <!--more-->
	// when the body has one (Divided), else of the first paragraph.
	Summary string
	Divided bool
}

// Convert renders src. Problems found while parsing (a citation without a
// source) are returned together, positioned in the file.
func (c *Converter) Convert(src []byte, opt Options) (*Doc, error) {
	st := &state{opt: opt}
	ids := newIDs()
	for _, id := range reservedIDs {
		ids.Put([]byte(id))
	}
	for i := range opt.Sources {
		ids.Put([]byte(fmt.Sprintf("source-%d", i)))
	}
	if line, cols := wideTable(src); cols > MaxColumns {
		return nil, diag.Errorf(opt.File, opt.Line+line-1, 1, "a table of %d columns; at most %d are readable (and every row is filled out to them): split the table", cols, MaxColumns)
	}
	pc := parser.NewContext(parser.WithIDs(ids))
	pc.Set(stateKey, st)
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	if len(st.errs) > 0 {
		errs := make([]error, len(st.errs))
		for i, e := range st.errs {
			line, col := position(src, e.offset)
			errs[i] = diag.Errorf(opt.File, opt.Line+line-1, col, "%s", e.msg)
		}
		return nil, diag.Join(errs)
	}
	summary, divided := cutSummary(doc, src)
	if !divided {
		summary = firstParagraph(doc, src)
	}
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	if err := c.md.Renderer().Render(&capWriter{buf: buf, max: MaxHTML}, src, doc); err != nil {
		if errors.Is(err, errHTMLTooLarge) {
			return nil, diag.Errorf(opt.File, opt.Line, 0, "the body makes more than %d MiB of HTML (a link reference or a table repeated many times?): split the brief", MaxHTML>>20)
		}
		return nil, fmt.Errorf("%s: render markdown: %w", opt.File, err)
	}
	return &Doc{HTML: buf.String(), Summary: summary, Divided: divided}, nil
}

// Limits of what a body's Markdown may make: short Markdown can make a
// lot of HTML (a long link reference used thousands of times; table rows
// filled out to the header's columns).
const (
	MaxHTML    = 8 << 20 // bytes of HTML per body
	MaxColumns = 64      // columns of a table
)

var errHTMLTooLarge = errors.New("too much HTML")

// capWriter stops taking bytes once buf would pass max; goldmark's buffered
// writer then drops the rest at once.
type capWriter struct {
	buf *bytes.Buffer
	max int
}

func (w *capWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.max {
		return 0, errHTMLTooLarge
	}
	return w.buf.Write(p)
}

// wideTable returns the line (1-based) and the number of columns of the
// widest table delimiter row of src ("|---|:--:|"), or 0, 0.
func wideTable(src []byte) (line, cols int) {
	if !bytes.Contains(src, []byte("|")) || !bytes.Contains(src, []byte("-")) {
		return 0, 0
	}
	n := 0
	for rest := src; len(rest) > 0; {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		n++
		if bytes.Count(l, []byte("|")) <= MaxColumns-1 {
			continue
		}
		c, ok := 0, true
		for i := 0; i < len(l) && ok; i++ {
			switch l[i] {
			case '-':
				if i == 0 || l[i-1] != '-' {
					c++
				}
			case '|', ':', ' ', '\t', '\r':
			default:
				ok = false
			}
		}
		if ok && c > cols {
			line, cols = n, c
		}
	}
	return line, cols
}

// buffers are reused for rendering: the HTML is copied out as a string of
// its own size, not kept in a buffer grown by doubling.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// cellAlignment marks aligned table cells with a class, "align-right",
// "align-center" or "align-left", which the stylesheet aligns.
type cellAlignment struct{}

func (cellAlignment) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if cell, ok := n.(*east.TableCell); ok {
			if entering && cell.Alignment != east.AlignNone {
				cell.SetAttributeString("class", []byte("align-"+cell.Alignment.String()))
			}
			return ast.WalkSkipChildren, nil
		}
		return blocksOnly(n), nil
	})
}

// blocksOnly is the walk status that visits blocks but not the inline
// content of paragraphs, headings and the like, for transformers that look
// for blocks.
func blocksOnly(n ast.Node) ast.WalkStatus {
	if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}

// state carries per-document options and problems through the parser context.
type state struct {
	opt  Options
	errs []problem
}

type problem struct {
	offset int
	msg    string
}

var stateKey = parser.NewContextKey()

func stateOf(pc parser.Context) *state {
	st, _ := pc.Get(stateKey).(*state)
	return st
}

// position returns the 1-based line and column (in runes) of offset in src.
func position(src []byte, offset int) (line, col int) {
	offset = min(offset, len(src))
	before := src[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = len([]rune(string(before[start:]))) + 1
	return line, col
}
