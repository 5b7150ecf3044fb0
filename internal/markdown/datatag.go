package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// dataTagParser reads the <data value="…" title="…"> and </data> tags the
// metric functions print as the raw HTML they are, what goldmark's own raw
// HTML parser makes of them, without its regular expression: a brief with
// ten figures has twenty such tags, and that expression was a tenth of
// the time of rebuilding such briefs. Anything else starting with < is
// left to the parsers after it (autolinks, raw HTML).
type dataTagParser struct{}

func (dataTagParser) Trigger() []byte { return []byte{'<'} }

func (dataTagParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	n := dataTagLen(line)
	if n == 0 {
		return nil
	}
	node := ast.NewRawHTML()
	node.Segments.Append(seg.WithStop(seg.Start + n))
	block.Advance(n)
	return node
}

// dataTagLen is the length of the tag line starts with, if it is </data> or
// <data value="V" title="T"> with V and T free of quotes and angle
// brackets (as the metric functions escape them); else 0.
func dataTagLen(line []byte) int {
	const end, open, title = "</data>", `<data value="`, `" title="`
	if bytes.HasPrefix(line, []byte(end)) {
		return len(end)
	}
	if !bytes.HasPrefix(line, []byte(open)) {
		return 0
	}
	i := len(open)
	i += plainLen(line[i:])
	if !bytes.HasPrefix(line[i:], []byte(title)) {
		return 0
	}
	i += len(title)
	i += plainLen(line[i:])
	if !bytes.HasPrefix(line[i:], []byte(`">`)) {
		return 0
	}
	return i + 2
}

// plainLen is how many bytes of s come before a quote, an angle bracket or
// a line end.
func plainLen(s []byte) int {
	for i, c := range s {
		switch c {
		case '"', '<', '>', '\n', '\r':
			return i
		}
	}
	return len(s)
}
