package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// summaryDivider ends a body's summary, as in Hugo: the text before it is
// the brief's summary, and the divider itself is left out of the page.
var summaryDivider = []byte("<!--more-->")

// cutSummary finds the summary divider in doc: an HTML block, or an inline
// tag, that is exactly <!--more-->. It removes the divider from doc and
// returns the plain text before it; ok is false when doc has none.
func cutSummary(doc ast.Node, src []byte) (summary string, ok bool) {
	if !bytes.Contains(src, summaryDivider) {
		return "", false
	}
	var divider ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock:
			if bytes.Equal(bytes.TrimSpace(htmlBlock(n, src)), summaryDivider) {
				divider = n
				return ast.WalkStop, nil
			}
		case *ast.RawHTML:
			if bytes.Equal(rawHTML(n, src), summaryDivider) {
				divider = n
				return ast.WalkStop, nil
			}
		}
		return ast.WalkContinue, nil
	})
	if divider == nil {
		return "", false
	}
	var b strings.Builder
	textBefore(&b, doc, divider, src)
	divider.Parent().RemoveChild(divider.Parent(), divider)
	return tidy(b.String()), true
}

// textBefore writes the plain text of n's content that comes before stop
// (all of it when stop is nil), blocks apart by a space, leaving out markup
// and citation marks, and reports whether it reached stop.
func textBefore(b *strings.Builder, n, stop ast.Node, src []byte) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c == stop {
			return true
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.RawHTML, *Citation:
			// markup and citation marks are not prose
		default:
			if textBefore(b, c, stop, src) {
				return true
			}
		}
		if c.Type() == ast.TypeBlock {
			b.WriteByte(' ')
		}
	}
	return false
}

// tidy collapses the white space of a summary, and takes out the space a
// citation left before punctuation: "rose 2.75% [0]." reads "rose 2.75%.".
func tidy(s string) string {
	return spaceBeforePunct.ReplaceAllString(strings.Join(strings.Fields(s), " "), "$1")
}

// firstParagraph returns the plain text of the first top-level paragraph.
func firstParagraph(doc ast.Node, src []byte) string {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == ast.KindParagraph {
			var b strings.Builder
			textBefore(&b, n, nil, src)
			return tidy(b.String())
		}
	}
	return ""
}

var spaceBeforePunct = regexp.MustCompile(` ([.,;:!?)])`)
