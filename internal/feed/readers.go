package feed

import (
	"html"
	"io"
	"slices"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/text/width"
)

// figureSpace is as wide as a digit: it pads figures on the left so that
// they line up on the right in readers that show a table as text.
const figureSpace = "\u2007"

// ForReaders adapts a brief's HTML to feed readers, which drop classes
// and styles and may show a table as plain text:
//   - a table cell aligned by a class (align-right, from Markdown) gets
//     the align attribute too, which readers keep;
//   - the figures of right-aligned columns are padded on the left with
//     figure spaces to the width of the widest, so that they line up on
//     the right where a reader ignores align (newsboat pads every cell on
//     the right);
//   - a citation link ([0]) is set as a superscript, so that it does not
//     run into the link numbers text readers add ([0][1]).
//
// Anything it cannot read is left as it is.
func ForReaders(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var out []string // the output, in pieces
	pad := map[int]int{}
	type cell struct {
		piece, col int
		right      bool
		text       textWidth
	}
	var (
		cells   []cell // of the table being read
		inTable int    // depth of tables
		col     int    // the column of the next cell
		open    = -1   // index in cells of the cell being read, -1 if none
		inCite  bool
	)
	endTable := func() {
		widest := map[int]int{}
		for _, c := range cells {
			widest[c.col] = max(widest[c.col], c.text.n)
		}
		for _, c := range cells {
			if c.right && c.text.n < widest[c.col] {
				pad[c.piece] = widest[c.col] - c.text.n
			}
		}
		cells = cells[:0]
	}
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			if z.Err() != io.EOF {
				return s
			}
			break
		}
		raw := string(z.Raw())
		switch tt {
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "table":
				inTable++
				if inTable == 1 {
					cells, open = cells[:0], -1
				}
			case "tr":
				col = 0
			case "td", "th":
				if inTable != 1 {
					break
				}
				tok := xhtml.Token{Type: tt, Data: string(name)}
				tok.Attr = attrs(z)
				align := attrValue(tok.Attr, "align")
				if align == "" {
					for _, c := range strings.Fields(attrValue(tok.Attr, "class")) {
						if a, ok := strings.CutPrefix(c, "align-"); ok && (a == "left" || a == "right" || a == "center") {
							align = a
							tok.Attr = append(tok.Attr, xhtml.Attribute{Key: "align", Val: a})
							raw = tok.String()
						}
					}
				}
				out = append(out, raw)
				cells = append(cells, cell{piece: len(out), col: col, right: align == "right"})
				open = len(cells) - 1
				col++
				continue
			case "a":
				tok := xhtml.Token{Type: tt, Data: "a", Attr: attrs(z)}
				if slices.Contains(strings.Fields(attrValue(tok.Attr, "class")), "cite") {
					raw, inCite = "<sup>"+raw, true
				}
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "td", "th":
				open = -1
			case "table":
				if inTable == 1 {
					endTable()
				}
				inTable = max(0, inTable-1)
			case "a":
				if inCite {
					raw, inCite = raw+"</sup>", false
				}
			}
		case xhtml.TextToken:
			if open >= 0 {
				cells[open].text.add(html.UnescapeString(raw))
			}
		}
		out = append(out, raw)
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	for i, piece := range out {
		if n := pad[i]; n > 0 {
			b.WriteString(strings.Repeat(figureSpace, n))
		}
		b.WriteString(piece)
	}
	return b.String()
}

// attrs reads the attributes of the tag the tokenizer is at.
func attrs(z *xhtml.Tokenizer) []xhtml.Attribute {
	var out []xhtml.Attribute
	for {
		k, v, more := z.TagAttr()
		if len(k) > 0 {
			out = append(out, xhtml.Attribute{Key: string(k), Val: string(v)})
		}
		if !more {
			return out
		}
	}
}

func attrValue(as []xhtml.Attribute, key string) string {
	for _, a := range as {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textWidth measures text in a terminal's columns, as it is added piece
// by piece: runs of white space count as one column, but not at the start
// or the end; Chinese letters take two columns.
type textWidth struct {
	n       int
	started bool
	space   bool // white space seen since the last letter
}

func (w *textWidth) add(s string) {
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			w.space = true
			continue
		}
		if w.space && w.started {
			w.n++
		}
		w.space, w.started = false, true
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w.n += 2
		default:
			w.n++
		}
	}
}
