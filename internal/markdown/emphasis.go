package markdown

import (
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// cjkEmphasis replaces goldmark's emphasis parser with one whose flanking
// rules treat an East Asian character beside a delimiter like whitespace, as
// the "CJK-friendly" amendment to CommonMark does. Under the plain rules
// "**风险：**若" stays literal, because the closing ** sits between
// punctuation and a letter; Chinese prose has no spaces to fix that with.
type cjkEmphasis struct{}

func (cjkEmphasis) Extend(m goldmark.Markdown) {
	// Ahead of the default emphasis parser (500) for the same triggers.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(emphasisParser{}, 499)))
}

type emphasisParser struct{}

func (emphasisParser) Trigger() []byte { return []byte{'*', '_'} }

func (emphasisParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	node := scanDelimiter(line, before)
	if node == nil {
		return nil
	}
	node.Segment = segment.WithStop(segment.Start + node.OriginalLength)
	block.Advance(node.OriginalLength)
	pc.PushDelimiter(node)
	return node
}

// scanDelimiter is parser.ScanDelimiter with the CJK amendment.
func scanDelimiter(line []byte, before rune) *parser.Delimiter {
	c := line[0]
	j := 0
	for j < len(line) && line[j] == c {
		j++
	}
	after := ' '
	if j < len(line) {
		after = util.ToRune(line, j)
	}
	beforePunct, beforeSpace, beforeCJK := util.IsPunctRune(before), util.IsSpaceRune(before), isCJK(before)
	afterPunct, afterSpace, afterCJK := util.IsPunctRune(after), util.IsSpaceRune(after), isCJK(after)

	// East Asian punctuation beside a run counts as a letter would, so
	// that "标普500**（SPX）**上涨" opens after a digit.
	left := !afterSpace && (!afterPunct || afterCJK || beforeSpace || beforePunct || beforeCJK)
	right := !beforeSpace && (!beforePunct || beforeCJK || afterSpace || afterPunct || afterCJK)
	canOpen, canClose := left, right
	if c == '_' {
		canOpen = left && (!right || beforePunct || beforeCJK)
		canClose = right && (!left || afterPunct || afterCJK)
	}
	return parser.NewDelimiter(canOpen, canClose, j, c, emphasisDelimiters{})
}

// isCJK reports whether r is a Han, kana or Hangul character or East Asian
// punctuation.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

type emphasisDelimiters struct{}

func (emphasisDelimiters) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (emphasisDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisDelimiters) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }
