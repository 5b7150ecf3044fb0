package plot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"briefs/internal/market"
)

// Heat is a heatmap: members down, periods across, each cell the
// member's return over the period (NaN where its data starts too late).
type Heat struct {
	Symbols, Names []string
	Periods        []string // as given: 1W, 1M, YTD
	Heads          []string // the columns' headings in the chart's language
	Values         [][]float64
}

// heatmap computes the return of every member over every period, rows
// sorted by the first period, highest first.
func (c *Chart) heatmap(s *Spec, v *market.View, u *market.Universe, t Text) error {
	syms, err := members(s, u, MaxRows, "rows")
	if err != nil {
		return err
	}
	h := &Heat{Periods: s.Periods}
	for _, p := range s.Periods {
		h.Heads = append(h.Heads, periodHead(p, t))
	}
	type row struct {
		sym  string
		vals []float64
	}
	var rows []row
	var out []string
	for _, sym := range syms {
		r := row{sym: sym, vals: make([]float64, len(s.Periods))}
		some := false
		for j, p := range s.Periods {
			res, err := v.Ret(sym, p)
			switch {
			case leaveOut(s, sym, err):
				r.vals[j] = math.NaN()
				continue
			case err != nil:
				return err
			}
			r.vals[j] = res.Value
			some = true
		}
		if !some {
			out = append(out, sym)
			continue
		}
		rows = append(rows, r)
		c.barSyms = append(c.barSyms, sym)
	}
	if len(rows) == 0 {
		return &keyError{"periods", fmt.Errorf("heatmap chart: no member has data for %s as of %s: %s", strings.Join(s.Periods, ", "), v.AsOf.Format(time.DateOnly), strings.Join(out, ", "))}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		x, y := a.vals[0], b.vals[0]
		switch {
		case math.IsNaN(x) && math.IsNaN(y):
			return 0
		case math.IsNaN(x):
			return 1
		case math.IsNaN(y):
			return -1
		}
		return cmp.Compare(y, x)
	})
	for _, r := range rows {
		h.Symbols = append(h.Symbols, r.sym)
		h.Names = append(h.Names, t.Name(r.sym))
		h.Values = append(h.Values, r.vals)
	}
	c.Heat = h
	c.leftOut = out
	// Alt: the best and worst of each period.
	var parts []string
	for j, p := range s.Periods {
		best, worst := -1, -1
		for i, r := range h.Values {
			if math.IsNaN(r[j]) {
				continue
			}
			if best < 0 || r[j] > h.Values[best][j] {
				best = i
			}
			if worst < 0 || r[j] < h.Values[worst][j] {
				worst = i
			}
		}
		if best < 0 {
			continue
		}
		if t.zh() {
			parts = append(parts, fmt.Sprintf("%s%s最好（%s），%s最差（%s）", periodWords(p, t), h.Names[best], t.Percent(h.Values[best][j], 1), h.Names[worst], t.Percent(h.Values[worst][j], 1)))
		} else {
			parts = append(parts, fmt.Sprintf("over %s %s did best (%s) and %s worst (%s)", over(p, t), h.Names[best], t.Percent(h.Values[best][j], 1), h.Names[worst], t.Percent(h.Values[worst][j], 1)))
		}
	}
	if t.zh() {
		c.Alt = fmt.Sprintf("%d个标的各期收益率：", len(rows)) + strings.Join(parts, "；")
	} else {
		c.Alt = fmt.Sprintf("Returns of %d symbols by period: ", len(rows)) + strings.Join(parts, "; ")
	}
	return nil
}

// periodHead is the heading of a period's column: 1W, 3M, YTD; 1周,
// 3个月, 年初至今.
func periodHead(p string, t Text) string {
	if !t.zh() {
		return p
	}
	switch p {
	case "YTD", "QTD", "MTD":
		return periodWords(p, t)
	}
	return strings.TrimPrefix(periodWords(p, t), "近")
}

// heatRow is the height of a heatmap row, in CSS px.
func heatRow(l Layout) float64 {
	if l == Phone {
		return 26
	}
	return 24
}

// drawHeat draws a heatmap above bottom: a row per member, a column per
// period, each cell coloured on a diverging scale (the language's up
// colour for gains, its down colour for losses, as strong as the cell is
// far from zero against the largest move of its column) and labelled.
func (cv *canvas) drawHeat(c *Chart, d design, w, bottom float64, rowH float64) {
	h := c.Heat
	lh := d.label * emDPI / 72
	nameW := 0.0
	for _, n := range h.Names {
		nameW = max(nameW, cv.width(n, d.label))
	}
	nameW = min(nameW, w*0.38)
	left := d.pad + nameW + 10
	right := w - d.pad
	top := d.pad + lh + 6
	colW := (right - left) / float64(len(h.Periods))
	for j, head := range h.Heads {
		x := left + colW*float64(j) + colW/2
		cv.text(head, d.label, roleSoft, x-cv.width(head, d.label)/2, top-6)
	}
	scale := make([]float64, len(h.Periods))
	for j := range h.Periods {
		for _, r := range h.Values {
			if !math.IsNaN(r[j]) {
				scale[j] = max(scale[j], math.Abs(r[j]))
			}
		}
	}
	for i, r := range h.Values {
		y := top + rowH*float64(i)
		name := clipText(cv, h.Names[i], d.label, nameW)
		cv.text(name, d.label, roleInk, left-10-cv.width(name, d.label), y+rowH/2+lh/3)
		for j, x := range r {
			x0 := left + colW*float64(j)
			if math.IsNaN(x) {
				cv.text("–", d.label, roleSoft, x0+colW/2-cv.width("–", d.label)/2, y+rowH/2+lh/3)
				continue
			}
			level := heatLevel(x, scale[j])
			role := roleUp
			if x < 0 {
				role = roleDown
			}
			if level > 0 {
				cv.tintRect(x0+1, y+1, x0+colW-1, y+rowH-1, role, level)
			}
			label := signedPct1(x)
			ink := roleInk
			if level >= 11 {
				ink = roleBg // light on a strong colour, dark in the dark scheme
			}
			cv.text(label, d.label, ink, x0+colW/2-cv.width(label, d.label)/2, y+rowH/2+lh/3)
		}
	}
}

// heatLevel is the tint of a cell of value x in a column whose largest
// move is scale: 0 for no move, else 2 (so that its sign shows) to 13 (so
// that a label stays readable on it).
func heatLevel(x, scale float64) uint8 {
	if x == 0 || scale == 0 {
		return 0
	}
	return uint8(2 + math.Round(11*math.Abs(x)/scale))
}

func signedPct1(x float64) string {
	s := fmt.Sprintf("%.1f%%", x*100)
	if x > 0 && s != "0.0%" {
		s = "+" + s
	}
	if s == "-0.0%" {
		s = "0.0%"
	}
	return s
}

// clipText shortens s with an ellipsis to fit width at size.
func clipText(cv *canvas, s string, size, width float64) string {
	if cv.width(s, size) <= width {
		return s
	}
	// The font's ellipsis is a CJK one, centred: Latin text takes dots.
	ell := "…"
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x2E80 }) {
		ell = "..."
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		if t := strings.TrimRight(string(r[:n]), " ") + ell; cv.width(t, size) <= width {
			return t
		}
	}
	return ell
}
