package markdown

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// typographer is goldmark's typographer, as Hugo applies it, on English
// pages only (Options.Lang "en" or "en-…"): straight quotes become curly
// ones, -- an en dash, --- an em dash, ... an ellipsis, << and >> angle
// quotes. Chinese text has its own punctuation, typed as it is meant, and
// is left alone; so is code, which the typographer never sees (code spans
// and blocks are not inline text), and URLs.
//
// The characters themselves are written, not HTML entities, so that a
// summary made from the text reads the same. One rule is added to
// goldmark's: an apostrophe before two digits, as in '24 or FY'24, is an
// apostrophe (’24), not an opening quote or left straight (Hugo gives
// ‘24 and FY'24); after a digit, as in 5'10", it is left as it is.
type typographer struct {
	p parser.InlineParser
}

var _ parser.CloseBlocker = typographer{}

func newTypographer() typographer {
	return typographer{extension.NewTypographerParser(extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation]string{
		extension.LeftSingleQuote:  "‘",
		extension.RightSingleQuote: "’",
		extension.LeftDoubleQuote:  "“",
		extension.RightDoubleQuote: "”",
		extension.EnDash:           "–",
		extension.EmDash:           "—",
		extension.Ellipsis:         "…",
		extension.LeftAngleQuote:   "«",
		extension.RightAngleQuote:  "»",
		extension.Apostrophe:       "’",
	}))}
}

// english reports whether lang is English.
func english(lang string) bool { return lang == "en" || strings.HasPrefix(lang, "en-") }

func (t typographer) Trigger() []byte { return t.p.Trigger() }

func (t typographer) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if st := stateOf(pc); st == nil || !english(st.opt.Lang) {
		return nil
	}
	if line, _ := block.PeekLine(); len(line) >= 3 && line[0] == '\'' && isDigit(line[1]) && isDigit(line[2]) && (len(line) == 3 || !isDigit(line[3])) &&
		!unicode.IsDigit(block.PrecendingCharacter()) {
		block.Advance(1)
		s := ast.NewString([]byte("’"))
		s.SetCode(true)
		return s
	}
	return t.p.Parse(parent, block, pc)
}

// CloseBlock forgets the quotes left open in a block. goldmark's parser
// has the method to do it, with a signature goldmark never calls.
func (t typographer) CloseBlock(parent ast.Node, _ text.Reader, pc parser.Context) {
	if c, ok := t.p.(openQuotes); ok {
		c.CloseBlock(parent, pc)
	}
}

type openQuotes interface {
	CloseBlock(ast.Node, parser.Context)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
