package tmpl

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"briefs/internal/locale"
)

// Kind says what a Figure measures, which decides how it prints by default.
type Kind int

const (
	Level  Kind = iota // a price or index level: 2,689.05
	Change             // a signed fraction: +8.81%
	Share              // an unsigned fraction: 64%
	Points             // a difference of two returns: +10.12 pp
	Ratio              // a plain number: 0.87
	Move               // a signed change of a level, in points: +1.20 pts
)

// Figure is a computed metric: its value, how it was computed, and how it
// prints. Printed as is, it renders as a <data> element whose title holds
// the provenance.
type Figure struct {
	Value float64
	Desc  string
	Kind  Kind
	// Dec is the number of decimals it prints with by default.
	Dec int
	// Unsigned is set by abs: a change printed without its sign, for
	// wording such as "fell 2.54%".
	Unsigned bool

	loc *locale.Locale
}

// String formats f by its kind, wrapped in its provenance.
func (f Figure) String() string {
	switch f.Kind {
	case Change, Share:
		return f.pct(f.Dec)
	case Points:
		return f.pp(f.Dec)
	case Move:
		return f.move(f.Dec)
	}
	return f.data(f.loc.Number(f.Value, f.Dec))
}

// Format makes printf print the number: {{ printf "%.1f" (close "RTY") }}.
// %v and %s print the figure as it shows in a brief.
func (f Figure) Format(st fmt.State, verb rune) {
	switch verb {
	case 'v', 's':
		if f.loc == nil {
			fmt.Fprint(st, f.Value)
			return
		}
		fmt.Fprint(st, f.String())
	default:
		fmt.Fprintf(st, fmt.FormatString(st, verb), f.Value)
	}
}

func (f Figure) data(text string) string {
	return `<data value="` + strconv.FormatFloat(f.Value, 'g', 10, 64) + `" title="` + html.EscapeString(Describe(f.Desc, f.loc.Lang)) + `">` + text + `</data>`
}

// signed reports whether f prints with a sign: changes do, unless abs
// took it away.
func (f Figure) signed() bool {
	return (f.Kind == Change || f.Kind == Points || f.Kind == Move) && !f.Unsigned
}

// move prints a change in points: +1.20 pts, +1.20点.
func (f Figure) move(dec int) string {
	s := f.withSign(f.loc.Number(f.Value, dec))
	if f.loc.Lang == "zh" {
		return f.data(s + "点")
	}
	return f.data(s + " pts")
}

func (f Figure) pct(dec int) string {
	if f.signed() {
		return f.data(f.loc.Percent(f.Value, dec))
	}
	return f.data(f.loc.Number(f.Value*100, dec) + "%")
}

// withSign prefixes a number f prints with "+" when f is signed, positive
// and not 0 as printed.
func (f Figure) withSign(s string) string {
	if f.signed() && !strings.HasPrefix(s, "-") && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

func (f Figure) pp(dec int) string {
	s := f.withSign(f.loc.Number(f.Value*100, dec))
	if f.loc.Lang == "zh" {
		return f.data(s + "个百分点")
	}
	return f.data(s + " pp")
}
