package plot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"briefs/internal/market"
)

// multiples draws one small chart per member, each rebased to 100 at the
// start of the period, on a shared time axis and a shared scale.
func (c *Chart) multiples(s *Spec, v *market.View, u *market.Universe, t Text) error {
	syms, err := members(s, u, MaxPanels, "panels")
	if err != nil {
		return err
	}
	var out []string
	for _, sym := range syms {
		dates, closes, start, err := window(v, sym, s.Period, 0)
		if leaveOut(s, sym, err) {
			out = append(out, sym)
			continue
		}
		if err != nil {
			return err
		}
		c.Series = append(c.Series, rebasedSeries(t, sym, dates, closes, start))
	}
	if len(c.Series) == 0 {
		return &keyError{"period", fmt.Errorf("multiples chart: no member has data for %s as of %s: %s", s.Period, v.AsOf.Format(time.DateOnly), strings.Join(out, ", "))}
	}
	c.leftOut = out
	last := func(s Series) float64 { return s.Values[len(s.Values)-1] }
	best := slices.MaxFunc(c.Series, func(a, b Series) int { return cmp.Compare(last(a), last(b)) })
	worst := slices.MinFunc(c.Series, func(a, b Series) int { return cmp.Compare(last(a), last(b)) })
	up := 0
	for _, s := range c.Series {
		if last(s) > 100 {
			up++
		}
	}
	if t.zh() {
		c.Alt = fmt.Sprintf("%d个标的%s的走势（起点=100）：%d个上涨；%s最好（%s），%s最差（%s）", len(c.Series), periodWords(s.Period, t), up,
			best.Name, t.Percent(last(best)/100-1, 1), worst.Name, t.Percent(last(worst)/100-1, 1))
	} else {
		c.Alt = fmt.Sprintf("%d symbols over %s, each rebased to 100: %d rose; %s did best (%s), %s worst (%s)", len(c.Series), over(s.Period, t), up,
			best.Name, t.Percent(last(best)/100-1, 1), worst.Name, t.Percent(last(worst)/100-1, 1))
	}
	return nil
}

// panels returns the columns of small multiples in layout l, and their
// height in CSS px.
func panels(l Layout) (cols int, height float64) {
	if l == Phone {
		return 2, 100
	}
	return 4, 104
}

// drawMultiples draws the small multiples, row by row.
func (cv *canvas) drawMultiples(c *Chart, d design, l Layout, w float64) {
	cols, ph := panels(l)
	lh := d.label * emDPI / 72
	sh := d.small * emDPI / 72
	lo, hi := 100.0, 100.0
	for _, s := range c.Series {
		lo, hi = min(lo, slices.Min(s.Values)), max(hi, slices.Max(s.Values))
	}
	ticks := niceTicks(lo, hi, 2)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	labelW := 0.0
	for _, t := range ticks {
		labelW = max(labelW, cv.width(axisLabel(Index, t, ticks), d.small))
	}
	from, to, _ := c.span()
	gap := 14.0
	left0 := d.pad + labelW + 4
	pw := (w - left0 - d.pad - gap*float64(cols-1)) / float64(cols)
	rows := (len(c.Series) + cols - 1) / cols
	for i, s := range c.Series {
		r, k := i/cols, i%cols
		x0 := left0 + float64(k)*(pw+gap)
		y0 := d.pad + float64(r)*ph
		f := frame{left: x0, right: x0 + pw, top: y0 + lh + 8, bottom: y0 + ph - sh - 10, lo: lo, hi: hi, from: from, to: to}
		// The title: the name, and the change over the period in the
		// language's colour for up or down.
		ch := s.Values[len(s.Values)-1]/100 - 1
		chText := signedPct1(ch)
		chW := cv.width(chText, d.label)
		name := clipText(cv, s.Name, d.label, pw-chW-6)
		cv.text(name, d.label, roleInk, x0, y0+lh)
		role := roleUp
		if ch < 0 {
			role = roleDown
		}
		cv.text(chText, d.label, role, x0+pw-chW, y0+lh)
		for _, t := range ticks {
			y := f.yOf(t)
			tr := roleGrid
			if t == 100 {
				tr = roleAxis
			}
			cv.line(f.left, y, f.right, y, 1, tr, nil)
			if k == 0 {
				tl := axisLabel(Index, t, ticks)
				cv.text(tl, d.small, roleSoft, f.left-4-cv.width(tl, d.small), y+sh/3)
			}
		}
		for _, m := range c.Marks {
			x := f.xOf(m.Date)
			cv.line(x, f.top, x, f.bottom, 1, roleAxis, []float64{3, 3})
			if i == 0 {
				cv.text(m.Label, d.small, roleSoft, min(x+3, f.right-cv.width(m.Label, d.small)), f.top+sh)
			}
		}
		gc := cv.gc
		gc.SetStrokeColor(roleColor(roleSeries))
		gc.SetLineWidth(1.6 * cv.s)
		gc.SetLineDash(nil, 0)
		for j, v := range s.Values {
			x, y := float64(cv.px(f.xOf(s.Dates[j]))), float64(cv.px(f.yOf(v)))
			if j == 0 {
				gc.MoveTo(x, y)
			} else {
				gc.LineTo(x, y)
			}
		}
		gc.Stroke()
		// Dates under the last row of each column.
		if r == rows-1 || i+cols >= len(c.Series) {
			cv.line(f.left, f.bottom, f.right, f.bottom, 1, roleAxis, nil)
			for _, t := range cv.dateTicks(from, to, c.Lang, design{label: d.small}, f.left, f.right, f.xOf) {
				x := f.xOf(t.at)
				tw := cv.width(t.label, d.small)
				cv.text(t.label, d.small, roleSoft, min(max(x-tw/2, f.left), f.right-tw), f.bottom+4+sh)
			}
		}
		for _, b := range c.Bands {
			x1, x2 := f.xOf(b.From), f.xOf(b.To)
			if x2-x1 < 2 {
				x1, x2 = x1-1, x2+1
			}
			if i == 0 && b.Label != "" {
				cv.text(b.Label, d.small, roleSoft, min(x1+2, f.right-cv.width(b.Label, d.small)), f.bottom-3)
			}
			cv.behind(x1, f.top, x2, f.bottom, roleBand)
		}
	}
}
