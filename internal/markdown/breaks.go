package markdown

import (
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// cjkBreaks joins the lines of a paragraph without a space where both sides
// of the line break are East Asian characters or punctuation, as Chinese
// is written: "上涨\n下跌" is "上涨下跌". Everywhere else the break stays a
// space, so English words, or a Chinese word beside a Latin one, are never
// glued: "post.\nIt" and "the\n[docs](…)" keep their space.
type cjkBreaks struct{}

func (cjkBreaks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(cjkBreaks{}, 600)))
}

func (cjkBreaks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	if utf8.Valid(src) && !hasCJK(src) {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok || !t.SoftLineBreak() {
			return ast.WalkContinue, nil
		}
		before, _ := utf8.DecodeLastRune(t.Value(src))
		if isCJK(before) && isCJK(firstRune(nextInline(t), src)) {
			t.SetSoftLineBreak(false)
		}
		return ast.WalkContinue, nil
	})
}

// hasCJK reports whether src holds a byte that starts a three-byte UTF-8
// sequence, as every CJK character does: a quick test that skips English.
func hasCJK(src []byte) bool {
	for _, b := range src {
		if b >= 0xE0 && b < 0xF0 {
			return true
		}
	}
	return false
}

// nextInline returns the inline node after n in reading order: its next
// sibling, or its parent's, up to the block that holds it.
func nextInline(n ast.Node) ast.Node {
	for n != nil && n.Type() == ast.TypeInline {
		if s := n.NextSibling(); s != nil {
			return s
		}
		n = n.Parent()
	}
	return nil
}

// firstRune returns the first character n shows, or -1.
func firstRune(n ast.Node, src []byte) rune {
	for n != nil {
		switch t := n.(type) {
		case *ast.Text:
			if v := t.Value(src); len(v) > 0 {
				r, _ := utf8.DecodeRune(v)
				return r
			}
		case *ast.String:
			if len(t.Value) > 0 {
				r, _ := utf8.DecodeRune(t.Value)
				return r
			}
		}
		if c := n.FirstChild(); c != nil {
			n = c
			continue
		}
		return -1
	}
	return -1
}
