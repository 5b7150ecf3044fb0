package plot

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"briefs/internal/market"

	"go.yaml.in/yaml/v3"
)

// Annotations of time charts, as financial publications draw them:
//
//	lines: [20, {at: 30, label: {zh: 恐慌线, en: Stress}}]   # levels, in the chart's units
//	marks: [{date: 2026-01-28, label: FOMC}]                  # dated vertical lines
//	bands: [{from: 2026-01-05, to: 2026-01-16, label: Earnings},
//	        {symbol: VIX, above: 25, label: VIX > 25}]        # shaded date ranges
//	labels: name     # last (default) | name | both | none: what ends each line
//
// A level on a chart of fractions (drawdown, volatility) is a percentage
// (-10%); on the others a number (a price, or an index where the start is
// 100). A band is given by its dates, or as the sessions on which a
// symbol's close is above or below a level.

// LevelSpec is one item of lines:.
type LevelSpec struct {
	At    string
	Label Localized
}

type levelFields struct {
	At    string    `yaml:"at"`
	Label Localized `yaml:"label"`
}

// UnmarshalYAML accepts a number (20, -10%) or {at:, label:}.
func (l *LevelSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		l.At = n.Value
		return nil
	}
	var f levelFields
	if err := decodeStrict(n, &f, "plot.levelFields", "at", "label"); err != nil {
		return err
	}
	if f.At == "" {
		return lineError(n, "lines: expected at: a level, such as {at: 20, label: ...}")
	}
	*l = LevelSpec(f)
	return nil
}

// MarkSpec is one item of marks:.
type MarkSpec struct {
	Date  string
	Label Localized
}

type markFields struct {
	Date  string    `yaml:"date"`
	Label Localized `yaml:"label"`
}

// UnmarshalYAML accepts a date or {date:, label:}.
func (m *MarkSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		m.Date = n.Value
		return nil
	}
	var f markFields
	if err := decodeStrict(n, &f, "plot.markFields", "date", "label"); err != nil {
		return err
	}
	if f.Date == "" {
		return lineError(n, "marks: expected date: such as {date: 2026-01-28, label: FOMC}")
	}
	*m = MarkSpec(f)
	return nil
}

// BandSpec is one item of bands:.
type BandSpec struct {
	From, To     string
	Symbol       string
	Above, Below string
	Label        Localized
}

type bandFields struct {
	From   string    `yaml:"from"`
	To     string    `yaml:"to"`
	Symbol string    `yaml:"symbol"`
	Above  string    `yaml:"above"`
	Below  string    `yaml:"below"`
	Label  Localized `yaml:"label"`
}

// UnmarshalYAML accepts {from:, to:, label:} or {symbol:, above: | below:,
// label:}.
func (b *BandSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return lineError(n, "bands: expected {from: DATE, to: DATE} or {symbol: VIX, above: 25}")
	}
	var f bandFields
	if err := decodeStrict(n, &f, "plot.bandFields", "from", "to", "symbol", "above", "below", "label"); err != nil {
		return err
	}
	*b = BandSpec(f)
	return nil
}

// decodeStrict decodes the mapping n into v, refusing keys but those
// listed (a node's Decode does not check them) with the error the
// decoder gives for an unknown field of the type named typ.
func decodeStrict(n *yaml.Node, v any, typ string, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return lineError(n, fmt.Sprintf("expected a value or a mapping of %s", strings.Join(keys, ", ")))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(keys, k.Value) {
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: field %s not found in type %s", k.Line, k.Value, typ)}}
		}
	}
	return n.Decode(v)
}

func lineError(n *yaml.Node, msg string) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %s", n.Line, msg)}}
}

// unitOf is the unit of a type's values.
func unitOf(typ string) Unit {
	switch typ {
	case "rebased", "ratio", "multiples":
		return Index
	case "drawdown", "volatility", "bar", "scatter", "heatmap", "table":
		return Fraction
	}
	return Level
}

// parseLevel reads a level in unit u: a percentage on a chart of
// fractions, a plain number on the others.
func parseLevel(s string, u Unit) (float64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	x, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	switch {
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e12:
		return 0, fmt.Errorf("%q: expected a number such as 20 or -10%%", s)
	case u == Fraction && !pct:
		return 0, fmt.Errorf("%s: this chart's values are percentages: write %s%%", s, t)
	case u != Fraction && pct:
		return 0, fmt.Errorf("%s: this chart's values are not percentages: write a number such as %s", s, strings.TrimSuffix(t, "%"))
	}
	if pct {
		x /= 100
	}
	return x, nil
}

func parseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return d, fmt.Errorf("date %q: expected YYYY-MM-DD", s)
	}
	return d, nil
}

// checkNotes checks lines:, marks: and bands: as far as the spec alone
// can; their dates are checked against the data by Prepare.
func (s *Spec) checkNotes() error {
	for _, key := range []string{"lines", "marks", "bands"} {
		n := map[string]int{"lines": len(s.Lines), "marks": len(s.Marks), "bands": len(s.Bands)}[key]
		if n > MaxNotes {
			return s.fail(key, "chart: %d %s; at most %d stay readable", n, key, MaxNotes)
		}
	}
	u := unitOf(s.Type)
	for i, l := range s.Lines {
		if _, err := parseLevel(l.At, u); err != nil {
			return s.failItem("lines", i, "%s chart: lines: %v", s.Type, err)
		}
	}
	for i, m := range s.Marks {
		if _, err := parseDate(m.Date); err != nil {
			return s.failItem("marks", i, "chart: marks: %v", err)
		}
	}
	for i, b := range s.Bands {
		byDate := b.From != "" || b.To != ""
		bySymbol := b.Symbol != "" || b.Above != "" || b.Below != ""
		switch {
		case byDate && bySymbol:
			return s.failItem("bands", i, "chart: bands: give from: and to:, or symbol: with above: or below:, not both")
		case byDate:
			from, err := parseDate(b.From)
			if err != nil {
				return s.failItem("bands", i, "chart: bands: from: %v", err)
			}
			to, err := parseDate(b.To)
			if err != nil {
				return s.failItem("bands", i, "chart: bands: to: %v", err)
			}
			if to.Before(from) {
				return s.failItem("bands", i, "chart: bands: to: %s is before from: %s", b.To, b.From)
			}
		case b.Symbol == "":
			return s.failItem("bands", i, "chart: bands: expected {from: DATE, to: DATE} or {symbol: VIX, above: 25}")
		case (b.Above == "") == (b.Below == ""):
			return s.failItem("bands", i, "chart: bands: symbol %s: expected one of above: or below: a level", b.Symbol)
		default:
			if _, err := parseLevel(b.Above+b.Below, Level); err != nil {
				return s.failItem("bands", i, "chart: bands: %v", err)
			}
		}
	}
	return nil
}

// RefLevel is a horizontal line at a value, with its label.
type RefLevel struct {
	Value float64
	Label string
}

// Mark is a vertical line on a date, with its label.
type Mark struct {
	Date  time.Time
	Label string
}

// Band is a shaded range of dates, with its label.
type Band struct {
	From, To time.Time
	Label    string
}

// notes prepares the annotations of s for a chart over from..to (the
// first and last dates drawn) as of the view.
func (c *Chart) notes(s *Spec, v *market.View, t Text, from, to time.Time) error {
	for _, l := range s.Lines {
		x, _ := parseLevel(l.At, c.Unit)
		label := l.Label.In(t.Lang)
		if label == "" {
			// The level as written, with its decimals: 20%, 7,800, 100.
			at := strings.TrimSuffix(strings.TrimSpace(l.At), "%")
			dec := 0
			if i := strings.IndexByte(at, '.'); i >= 0 {
				dec = len(at) - i - 1
			}
			if c.Unit == Fraction {
				label = t.Number(x*100, dec) + "%"
			} else {
				label = t.Number(x, dec)
			}
		}
		c.Levels = append(c.Levels, RefLevel{x, label})
	}
	inside := func(key string, i int, d time.Time) error {
		switch {
		case d.After(v.AsOf):
			return s.failItem(key, i, "chart: %s: %s is after the as-of date %s: a brief cannot see later data", key, d.Format(time.DateOnly), v.AsOf.Format(time.DateOnly))
		case d.Before(from) || d.After(to):
			return s.failItem(key, i, "chart: %s: %s is outside the chart's dates %s .. %s: widen period: or drop it", key, d.Format(time.DateOnly), from.Format(time.DateOnly), to.Format(time.DateOnly))
		}
		return nil
	}
	for i, m := range s.Marks {
		d, _ := parseDate(m.Date)
		if err := inside("marks", i, d); err != nil {
			return err
		}
		label := m.Label.In(t.Lang)
		if label == "" {
			label = shortDate(d, t.Lang)
		}
		c.Marks = append(c.Marks, Mark{d, label})
	}
	for i, b := range s.Bands {
		if b.Symbol == "" {
			f, _ := parseDate(b.From)
			e, _ := parseDate(b.To)
			if e.After(v.AsOf) {
				return s.failItem("bands", i, "chart: bands: to: %s is after the as-of date %s: a brief cannot see later data", b.To, v.AsOf.Format(time.DateOnly))
			}
			if e.Before(from) || f.After(to) {
				return s.failItem("bands", i, "chart: bands: %s .. %s is outside the chart's dates %s .. %s", b.From, b.To, from.Format(time.DateOnly), to.Format(time.DateOnly))
			}
			c.Bands = append(c.Bands, Band{maxTime(f, from), minTime(e, to), b.Label.In(t.Lang)})
			continue
		}
		bands, input, err := thresholdBands(s, v, t, i, from, to)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(c.inputs, func(s Series) bool { return s.Column == input.Column }) && !slices.ContainsFunc(c.Series, func(s Series) bool { return s.Column == input.Column }) {
			c.inputs = append(c.inputs, input)
		}
		label := b.Label.In(t.Lang)
		for k := range bands {
			if k == 0 {
				bands[k].Label = label
			}
		}
		c.Bands = append(c.Bands, bands...)
	}
	if len(c.Bands) > 4*MaxNotes {
		return s.fail("bands", "chart: bands: %d shaded ranges; at most %d stay readable: raise the level or shorten period:", len(c.Bands), 4*MaxNotes)
	}
	return nil
}

// thresholdBands are the runs of sessions from..to on which band i's
// symbol closes above (or below) its level: each run from its first
// session to its last; and the symbol's closes from..to, for the CSV.
func thresholdBands(s *Spec, v *market.View, t Text, i int, from, to time.Time) ([]Band, Series, error) {
	b := s.Bands[i]
	level, _ := parseLevel(b.Above+b.Below, Level)
	dates, closes, _, err := v.Window(b.Symbol, s.Period, 0)
	if err != nil {
		return nil, Series{}, &SpecError{At: s.itemLine("bands", i), Msg: "chart: bands: " + err.Error(), Err: err}
	}
	lo := sort.Search(len(dates), func(k int) bool { return !dates[k].Before(from) })
	hi := sort.Search(len(dates), func(k int) bool { return dates[k].After(to) })
	input := Series{Column: b.Symbol, Dates: dates[lo:hi], Values: closes[lo:hi], How: pick(t, b.Symbol+"的收盘价（阴影依据）", "close of "+b.Symbol+" (what the bands shade by)")}
	var out []Band
	in := false
	for k, d := range dates[lo:hi] {
		k += lo
		on := closes[k] > level
		if b.Below != "" {
			on = closes[k] < level
		}
		switch {
		case on && !in:
			out = append(out, Band{From: d, To: d})
		case on:
			out[len(out)-1].To = d
		}
		in = on
	}
	return out, input, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// shortDate labels a date on a chart: Jan 28, 1月28日.
func shortDate(d time.Time, lang string) string {
	if lang == "zh" {
		return fmt.Sprintf("%d月%d日", d.Month(), d.Day())
	}
	return fmt.Sprintf("%s %d", enMonths[d.Month()-1], d.Day())
}

// label draws text as text does, on a box of background so that it
// stays readable over the lines it crosses.
func (cv *canvas) label(s string, size float64, role uint8, x, y float64) {
	h := size * emDPI / 72
	cv.tintRect(x-2, y-h+1, x+cv.width(s, size)+2, y+3, roleBg, 0) // background: index 0
	cv.text(s, size, role, x, y)
}

// drawLevels draws the horizontal lines, dashed, with their labels above
// them at the end of the plot where the first line is further from the
// level: drawn before the lines, which cross them.
func (cv *canvas) drawLevels(c *Chart, d design, f *frame) {
	for _, l := range c.Levels {
		y := f.yOf(l.Value)
		cv.line(f.left, y, f.right, y, 1.2, roleSoft, []float64{5, 3})
		x := f.left + 4
		if s := c.Series; len(s) > 0 {
			first, last := s[0].Values[0], s[0].Values[len(s[0].Values)-1]
			if math.Abs(last-l.Value) > math.Abs(first-l.Value) {
				x = f.right - 4 - cv.width(l.Label, d.small)
			}
		}
		cv.text(l.Label, d.small, roleSoft, x, y-4)
	}
}

// A labelSpan is where a label at the top of a time chart is: across,
// and on which line down from the top.
type labelSpan struct{ x0, x1, row float64 }

// place returns the first line down from the top on which a label from
// x0 to x1 keeps clear of those placed, and adds it to them.
func place(placed *[]labelSpan, x0, x1 float64) float64 {
	row := 0.0
	for again := true; again; {
		again = false
		for _, p := range *placed {
			if p.row == row && x0 < p.x1+6 && x1 > p.x0-6 {
				row++
				again = true
			}
		}
	}
	*placed = append(*placed, labelSpan{x0, x1, row})
	return row
}

// bandEdges returns where band b starts and ends across: a single
// session is as wide as one.
func bandEdges(b Band, xOf func(time.Time) float64, session float64) (x0, x1 float64) {
	return xOf(b.From) - session/2, xOf(b.To) + session/2
}

// shadeBands shades the bands from top to bottom, behind what is drawn:
// background takes the band's shade, and the tint under an area a
// stronger tint.
func (cv *canvas) shadeBands(c *Chart, top, bottom float64, xOf func(time.Time) float64, session float64) {
	for _, b := range c.Bands {
		x0, x1 := bandEdges(b, xOf, session)
		cv.behind(x0, top, x1, bottom, roleBand)
	}
}

// drawMarks draws the dated vertical lines, dashed: under the lines of
// the chart.
func (cv *canvas) drawMarks(c *Chart, top, bottom float64, xOf func(time.Time) float64) {
	for _, m := range c.Marks {
		x := xOf(m.Date)
		cv.line(x, top, x, bottom, 1.2, roleAxis, []float64{3, 3})
	}
}

// A note is the label of a band or a mark, placed in the strip above
// the plot: at x, on row (0 the lowest, next to the plot).
type note struct {
	text   string
	x, row float64
}

// placeNotes places the labels of the bands (at their start) and of the
// marks (right of the line, or left of it near the right edge), each on
// the lowest row of the strip above the plot where it keeps clear of
// those placed before it; and returns the number of rows.
func (cv *canvas) placeNotes(c *Chart, d design, f *frame, session float64) ([]note, int) {
	var placed []labelSpan
	var out []note
	rows := 0
	add := func(text string, x0 float64) {
		w := cv.width(text, d.small)
		x0 = max(min(x0, f.right-w), f.left)
		row := place(&placed, x0, x0+w)
		out = append(out, note{text, x0, row})
		rows = max(rows, int(row)+1)
	}
	for _, b := range c.Bands {
		if b.Label != "" {
			x0, _ := bandEdges(b, f.xOf, session)
			add(b.Label, x0+2)
		}
	}
	for _, m := range c.Marks {
		x := f.xOf(m.Date)
		x0 := x + 4
		if w := cv.width(m.Label, d.small); x0+w > f.right {
			x0 = x - 4 - w
		}
		add(m.Label, x0)
	}
	return out, rows
}

// noteHeight is the height of a row of notes.
func noteHeight(d design) float64 { return d.small*emDPI/72 + 4 }

// drawNotes writes the notes in the strip that ends at top, the plot's.
func (cv *canvas) drawNotes(notes []note, d design, top float64) {
	for _, n := range notes {
		cv.text(n.text, d.small, roleSoft, n.x, top-4-n.row*noteHeight(d))
	}
}
