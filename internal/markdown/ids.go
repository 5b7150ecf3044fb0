package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
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

// headingAttrs checks the attributes written after a heading, as in
// "## Outlook {#outlook .wide}": an id of its own must not be one the page
// already uses (the layout's, a citation's, another heading's), and only
// attributes that mean something on a heading and that the site's
// Content-Security-Policy lets work are taken (id, class, lang, dir, title,
// data-*; not style or event handlers).
type headingAttrs struct{}

var headingAttrNames = map[string]bool{"id": true, "class": true, "lang": true, "dir": true, "title": true}

func (headingAttrs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("{")) {
		return
	}
	st := stateOf(pc)
	if st == nil {
		return
	}
	used := map[string]bool{}
	for _, id := range reservedIDs {
		used[id] = true
	}
	for i := range st.opt.Sources {
		used[fmt.Sprintf("source-%d", i)] = true
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*Code); ok && entering {
			// Checked by the highlighter but for its id.
			if v, ok := c.AttributeString("id"); ok {
				if id := v.([]byte); used[string(id)] {
					st.errs = append(st.errs, problem{c.offset, fmt.Sprintf("code block id %q is already used on this page (by a heading, a source or the layout): give the block another {id=...}", id)})
				} else {
					used[string(id)] = true
				}
			}
			return ast.WalkSkipChildren, nil
		}
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return blocksOnly(n), nil
		}
		offset := 0
		if h.Lines().Len() > 0 {
			offset = h.Lines().At(0).Start
		}
		for _, a := range h.Attributes() {
			name := string(a.Name)
			if !headingAttrNames[name] && !strings.HasPrefix(name, "data-") {
				st.errs = append(st.errs, problem{offset, fmt.Sprintf("heading attribute %q is not supported: a heading takes {#id}, {.class}, lang, dir, title and data-* (inline styles are blocked by the site's Content-Security-Policy; use a class)", name)})
				continue
			}
			if _, ok := a.Value.([]byte); !ok {
				st.errs = append(st.errs, problem{offset, fmt.Sprintf("heading attribute %s has a value that is not a string: quote it (%s=\"...\")", name, name)})
			}
		}
		if v, ok := h.AttributeString("id"); ok {
			if id, ok := v.([]byte); ok {
				if used[string(id)] {
					st.errs = append(st.errs, problem{offset, fmt.Sprintf("heading id %q is already used on this page (by an earlier heading, a source or the layout): give this heading another {#id}", id)})
				}
				used[string(id)] = true
			}
		}
		return ast.WalkSkipChildren, nil
	})
}
