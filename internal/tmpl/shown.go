package tmpl

import (
	"html"
	"strings"
)

// Shown is a figure as a page shows it: its text, and how it was computed.
type Shown struct {
	Text  string // "+1.23%"
	Title string // "RTY close 2026-02-12 -> 2026-02-13"
}

// ShownFigures lists the figures of a brief's HTML, the <data value="…"
// title="…">text</data> elements a Figure prints as, each distinct text
// and title once, in order.
func ShownFigures(s string) []Shown {
	const open, title, end = `<data value="`, `" title="`, `</data>`
	var out []Shown
	seen := map[Shown]bool{}
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		t := strings.Index(s, title)
		gt := strings.IndexByte(s, '>')
		if t < 0 || gt < 0 || t > gt {
			continue
		}
		tt := s[t+len(title) : gt]
		if !strings.HasSuffix(tt, `"`) {
			continue
		}
		rest := s[gt+1:]
		e := strings.Index(rest, end)
		if e < 0 {
			return out
		}
		f := Shown{Text: html.UnescapeString(stripTags(rest[:e])), Title: html.UnescapeString(strings.TrimSuffix(tt, `"`))}
		s = rest[e+len(end):]
		if f.Title == "" || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
}

// stripTags drops the tags of a short piece of HTML, keeping its text.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
