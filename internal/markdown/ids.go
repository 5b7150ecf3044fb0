package markdown

import (
	"bytes"
	"regexp"
	"strconv"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// ids generates heading ids that keep letters and digits of every script,
// so "市场波动率格局" gets id="市场波动率格局" rather than goldmark's
// default "heading". Repeats get -1, -2 suffixes.
type ids struct {
	used map[string]bool
}

var _ parser.IDs = (*ids)(nil)

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// tag matches an HTML tag in a heading's source, such as the <data>
// elements of computed figures: the id comes from the text alone.
var tag = regexp.MustCompile(`</?[A-Za-z][^>]*>`)

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	value = tag.ReplaceAll(value, nil)
	var b bytes.Buffer
	dash := false
	for _, r := range string(bytes.ToLower(bytes.TrimSpace(value))) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '-' || unicode.IsSpace(r):
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		if kind == ast.KindHeading {
			id = "heading"
		} else {
			id = "id"
		}
	}
	if !s.used[id] {
		s.used[id] = true
		return []byte(id)
	}
	for i := 1; ; i++ {
		cand := id + "-" + strconv.Itoa(i)
		if !s.used[cand] {
			s.used[cand] = true
			return []byte(cand)
		}
	}
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }
