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

// Point is one member of a scatter chart: its volatility and return over
// the period.
type Point struct {
	Symbol    string
	Name      string
	X, Y      float64 // annualized volatility, return
	Highlight bool

	From, To time.Time // the window, for the CSV
	Sessions int       // observations in it
}

// members returns the symbols a chart of a group or of symbols draws:
// the group's members, then the symbols listed that are not among them.
// More than limit of them is an error naming what stays readable.
func members(s *Spec, u *market.Universe, limit int, what string) ([]string, error) {
	var out []string
	if s.Group != "" {
		g, err := u.Group(s.Group)
		if err != nil {
			return nil, err
		}
		out = append(out, g.Members...)
	}
	for _, sym := range s.Symbols {
		if !slices.Contains(out, sym) {
			out = append(out, sym)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s chart: nothing to draw: the group has no members", s.Type)
	}
	if len(out) > limit {
		key := "group"
		if s.Group == "" {
			key = "symbols"
		}
		return nil, &keyError{key, fmt.Errorf("%s chart: %d members; at most %d %s stay readable: chart a smaller group (a [groups] table of tickers.toml) or list the symbols", s.Type, len(out), limit, what)}
	}
	return out, nil
}

// leaveOut reports whether the error of member sym leaves it out of a
// chart of s rather than failing it: a member of the group (not listed
// by name) whose data starts too late, as rank leaves it out.
func leaveOut(s *Spec, sym string, err error) bool {
	return s.Group != "" && !slices.Contains(s.Symbols, sym) && market.TooShort(err)
}

// scatter places each member by its annualized volatility over the
// period (x: the sample standard deviation of its daily log returns in
// the window x sqrt(252)) and its return over the period (y).
func (c *Chart) scatter(s *Spec, v *market.View, u *market.Universe, t Text) error {
	syms, err := members(s, u, MaxPoints, "points")
	if err != nil {
		return err
	}
	var out []string
	for _, sym := range syms {
		dates, closes, start, err := v.Window(sym, s.Period, 0)
		if err == nil && len(dates)-start < 3 {
			err = fmt.Errorf("%s: the %s window has %d observation(s); a volatility needs at least 3", sym, s.Period, len(dates)-start)
		}
		if leaveOut(s, sym, err) {
			out = append(out, sym)
			continue
		}
		if err != nil {
			return err
		}
		rets := make([]float64, 0, len(closes)-start-1)
		for i := start + 1; i < len(closes); i++ {
			rets = append(rets, math.Log(closes[i]/closes[i-1]))
		}
		c.Points = append(c.Points, Point{Symbol: sym, Name: t.Name(sym), X: stdev(rets) * math.Sqrt(252),
			Y: closes[len(closes)-1]/closes[start] - 1, Highlight: slices.Contains(s.Highlight, sym),
			From: dates[start], To: dates[len(dates)-1], Sessions: len(dates) - start})
		c.barSyms = append(c.barSyms, sym)
	}
	if len(c.Points) == 0 {
		return &keyError{"period", fmt.Errorf("scatter chart: no member has data for %s as of %s: %s", s.Period, v.AsOf.Format(time.DateOnly), strings.Join(out, ", "))}
	}
	for i, h := range s.Highlight {
		if !slices.ContainsFunc(c.Points, func(p Point) bool { return p.Symbol == h }) {
			return s.failItem("highlight", i, "scatter chart: highlight %s is not among the points", h)
		}
	}
	c.Quadrants = s.Quadrants
	c.leftOut = out
	best := slices.MaxFunc(c.Points, func(a, b Point) int { return cmp.Compare(a.Y, b.Y) })
	calm := slices.MinFunc(c.Points, func(a, b Point) int { return cmp.Compare(a.X, b.X) })
	wild := slices.MaxFunc(c.Points, func(a, b Point) int { return cmp.Compare(a.X, b.X) })
	if t.zh() {
		c.Alt = fmt.Sprintf("%d个标的%s的收益率与年化波动率：%s收益最高（%s，波动率%s）；%s波动最低（%s），%s波动最高（%s）", len(c.Points), periodWords(s.Period, t),
			best.Name, t.Percent(best.Y, 1), pct(t, best.X), calm.Name, pct(t, calm.X), wild.Name, pct(t, wild.X))
	} else {
		c.Alt = fmt.Sprintf("Return against annualized volatility over %s for %d symbols: %s returned most (%s, volatility %s); %s was calmest (%s), %s most volatile (%s)", over(s.Period, t), len(c.Points),
			best.Name, t.Percent(best.Y, 1), pct(t, best.X), calm.Name, pct(t, calm.X), wild.Name, pct(t, wild.X))
	}
	return nil
}

// median of xs, which it leaves as they are.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// drawScatter draws a scatter chart above bottom: volatility across,
// return up, each point labelled with its symbol.
func (cv *canvas) drawScatter(c *Chart, d design, w, bottom float64) {
	lh := d.label * emDPI / 72
	top := d.pad + lh/2 + 4
	xs := make([]float64, len(c.Points))
	ys := make([]float64, len(c.Points))
	for i, p := range c.Points {
		xs[i], ys[i] = p.X, p.Y
	}
	xt := niceTicks(slices.Min(xs), slices.Max(xs), d.yTicks)
	yt := niceTicks(min(slices.Min(ys), 0), max(slices.Max(ys), 0), d.yTicks)
	xlo, xhi, ylo, yhi := xt[0], xt[len(xt)-1], yt[0], yt[len(yt)-1]
	labelW := 0.0
	for _, t := range yt {
		labelW = max(labelW, cv.width(axisLabel(Fraction, t, yt), d.label))
	}
	left, right := d.pad+labelW+6, w-d.pad-8
	plotBottom := bottom - lh - 6 // the x axis title below the tick labels, where other charts have theirs
	xOf := func(x float64) float64 { return left + (x-xlo)/(xhi-xlo)*(right-left) }
	yOf := func(y float64) float64 { return plotBottom - (y-ylo)/(yhi-ylo)*(plotBottom-top) }
	for _, t := range yt {
		role := roleGrid
		if t == 0 {
			role = roleAxis
		}
		y := yOf(t)
		cv.line(left, y, right, y, 1, role, nil)
		l := axisLabel(Fraction, t, yt)
		cv.text(l, d.label, roleSoft, left-6-cv.width(l, d.label), y+lh/3)
	}
	for _, t := range xt {
		x := xOf(t)
		cv.line(x, top, x, plotBottom, 1, roleGrid, nil)
		l := axisLabel(Fraction, t, xt)
		cv.text(l, d.label, roleSoft, x-cv.width(l, d.label)/2, plotBottom+6+lh)
	}
	zh := c.Lang == "zh"
	xTitle := pickLang(zh, "年化波动率 →", "Annualized volatility →")
	cv.text(xTitle, d.small, roleSoft, right-cv.width(xTitle, d.small), bottom+6+lh)
	yTitle := pickLang(zh, "↑ 收益率", "↑ Return")
	cv.text(yTitle, d.small, roleSoft, left+4, top+d.small*emDPI/72)
	if c.Quadrants {
		mx, my := xOf(median(xs)), yOf(median(ys))
		cv.line(mx, top, mx, plotBottom, 1.2, roleSoft, []float64{5, 3})
		cv.line(left, my, right, my, 1.2, roleSoft, []float64{5, 3})
		m := pickLang(zh, "中位数", "median")
		cv.text(m, d.small, roleSoft, mx+4, plotBottom-4)
		cv.text(m, d.small, roleSoft, right-cv.width(m, d.small), my-4)
	}
	highlight := slices.ContainsFunc(c.Points, func(p Point) bool { return p.Highlight })
	r := 4.0
	type box struct{ x0, y0, x1, y1 float64 }
	var taken []box
	for _, p := range c.Points {
		taken = append(taken, box{xOf(p.X) - r, yOf(p.Y) - r, xOf(p.X) + r, yOf(p.Y) + r})
	}
	// Muted points first, so that highlighted ones are drawn on top.
	order := make([]int, len(c.Points))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(boolInt(c.Points[a].Highlight), boolInt(c.Points[b].Highlight))
	})
	for _, i := range order {
		p := c.Points[i]
		x, y := xOf(p.X), yOf(p.Y)
		role, text := roleSeries, roleInk
		if highlight && !p.Highlight {
			role, text = roleAxis, roleSoft
		} else if highlight {
			role = roleSeries + 5
		}
		cv.dot(x, y, r, role)
		// The label beside the point: right, left, above, below or at a
		// corner, whichever first keeps clear of the points and labels so
		// far, or else overlaps them least.
		lw := cv.width(p.Symbol, d.small)
		th := d.small * emDPI / 72
		var at box
		best := math.Inf(1)
		for _, b := range []box{
			{x + r + 3, y - th/2, x + r + 3 + lw, y + th/2},
			{x - r - 3 - lw, y - th/2, x - r - 3, y + th/2},
			{x - lw/2, y - r - 2 - th, x + lw/2, y - r - 2},
			{x - lw/2, y + r + 2, x + lw/2, y + r + 2 + th},
			{x + r, y - r - th, x + r + lw, y - r},
			{x + r, y + r, x + r + lw, y + r + th},
			{x - r - lw, y - r - th, x - r, y - r},
			{x - r - lw, y + r, x - r, y + r + th},
		} {
			if b.x0 < left || b.x1 > right || b.y0 < top || b.y1 > plotBottom {
				continue
			}
			overlap := 0.0
			for k, o := range taken {
				if k != i {
					overlap += max(0, min(b.x1, o.x1)-max(b.x0, o.x0)) * max(0, min(b.y1, o.y1)-max(b.y0, o.y0))
				}
			}
			if overlap < best {
				at, best = b, overlap
			}
			if overlap == 0 {
				break
			}
		}
		if math.IsInf(best, 1) { // no room inside the plot: to the right
			at = box{x + r + 3, y - th/2, x + r + 3 + lw, y + th/2}
		}
		taken = append(taken, at)
		cv.label(p.Symbol, d.small, text, at.x0, at.y1-1)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pickLang(zh bool, a, b string) string {
	if zh {
		return a
	}
	return b
}

// dot fills a circle of radius r around x, y with role.
func (cv *canvas) dot(x, y, r float64, role uint8) {
	gc := cv.gc
	gc.SetFillColor(roleColor(role))
	gc.ArcTo(x*cv.s, y*cv.s, r*cv.s, r*cv.s, 0, 2*math.Pi)
	gc.Close()
	gc.Fill()
}
