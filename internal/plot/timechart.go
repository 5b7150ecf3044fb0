package plot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// frame is the plot area of a time chart and its scales.
type frame struct {
	left, right, top, bottom float64
	lo, hi                   float64
	from, to                 time.Time
	// sessions, when set, place dates by session rather than by calendar
	// time, as candlesticks are drawn: no gaps for weekends.
	sessions []time.Time
}

func (f *frame) yOf(v float64) float64 { return f.bottom - (v-f.lo)/(f.hi-f.lo)*(f.bottom-f.top) }

func (f *frame) xOf(t time.Time) float64 {
	if n := len(f.sessions); n > 0 {
		i := sort.Search(n, func(i int) bool { return !f.sessions[i].Before(t) })
		return f.left + (float64(min(i, n-1))+0.5)*f.slot()
	}
	span := float64(f.to.Sub(f.from))
	if span <= 0 {
		span = 1
	}
	return f.left + float64(t.Sub(f.from))/span*(f.right-f.left)
}

// slot is the width of one session.
func (f *frame) slot() float64 {
	if n := len(f.sessions); n > 0 {
		return (f.right - f.left) / float64(n)
	}
	return 0
}

// hidden reports whether series i is not drawn as a line: the closes of
// a candlestick chart, which its candles draw.
func (c *Chart) hidden(i int) bool { return c.Candles != nil && i == 0 }

// series draws a time chart above bottom, the x axis: its lines (or
// candles with their volumes), its annotations, and what ends each line
// at the right edge.
func (cv *canvas) series(c *Chart, d design, w, bottom float64) {
	top := d.pad
	lh := d.label * emDPI / 72 // a line of labels, about
	ends, direct := cv.ends(c, d, w)
	endW := 0.0
	for _, e := range ends {
		endW = max(endW, cv.width(e, d.label))
	}
	// A legend, when there is more than one line and no names at their ends.
	var legend []int
	if !direct && len(c.Series) > 1 {
		for i := range c.Series {
			if !c.hidden(i) {
				legend = append(legend, i)
			}
		}
	}
	if len(legend) > 0 {
		x := d.pad
		y := top + lh
		for _, i := range legend {
			s := c.Series[i]
			nameW := cv.width(s.Name, d.label)
			if x > d.pad && x+24+nameW > w-d.pad {
				x = d.pad
				y += lh + 6
			}
			var dash []float64
			if s.Dashed {
				dash = []float64{5, 3}
			}
			cv.line(x, y-lh/3, x+18, y-lh/3, 2.5, roleSeries+uint8(i%8), dash)
			cv.text(s.Name, d.label, roleSoft, x+24, y)
			x += 24 + nameW + 16
		}
		top = y + 4
	}
	top += lh/2 + 4
	f := frame{top: top, bottom: bottom}
	volTop := bottom
	if c.Candles.hasVolume() {
		volTop = bottom - (bottom-top)*0.2
		f.bottom = volTop - lh - 6
	}
	f.lo, f.hi = math.Inf(1), math.Inf(-1)
	f.from, f.to, _ = c.span()
	for _, s := range c.Series {
		for _, v := range s.Values {
			f.lo, f.hi = min(f.lo, v), max(f.hi, v)
		}
	}
	if k := c.Candles; k != nil {
		f.lo, f.hi = min(f.lo, slices.Min(k.Low)), max(f.hi, slices.Max(k.High))
		f.sessions = k.Dates
	}
	for _, l := range c.Levels {
		f.lo, f.hi = min(f.lo, l.Value), max(f.hi, l.Value)
	}
	if c.Type == "drawdown" {
		f.hi = max(f.hi, 0)
	}
	ticks := niceTicks(f.lo, f.hi, d.yTicks)
	f.lo, f.hi = ticks[0], ticks[len(ticks)-1]
	labels := make([]string, len(ticks))
	labelW := 0.0
	for i, t := range ticks {
		labels[i] = axisLabel(c.Unit, t, ticks)
		labelW = max(labelW, cv.width(labels[i], d.label))
	}
	if c.Candles.hasVolume() {
		labelW = max(labelW, cv.width(volLabel(c.Candles.maxVolume(), c.Lang), d.small))
	}
	f.left, f.right = d.pad+labelW+6, w-d.pad
	if endW > 0 {
		f.right -= endW + 14
	}
	// The labels of bands and marks stand in a strip above the plot,
	// clear of its lines; the marks' lines reach up to them.
	session := max(f.slot(), 2)
	notes, rows := cv.placeNotes(c, d, &f, session)
	markTop := f.top
	f.top += float64(rows) * noteHeight(d)
	for i, t := range ticks {
		y := f.yOf(t)
		role := roleGrid
		if t == 0 && c.Unit == Fraction || t == 100 && c.Unit == Index {
			role = roleAxis
		}
		cv.line(f.left, y, f.right, y, 1, role, nil)
		cv.text(labels[i], d.label, roleSoft, f.left-6-cv.width(labels[i], d.label), y+lh/3)
	}
	for _, t := range cv.dateTicks(f.from, f.to, c.Lang, d, f.left, f.right, f.xOf) {
		x := f.xOf(t.at)
		cv.line(x, bottom, x, bottom+4, 1, roleAxis, nil)
		lw := cv.width(t.label, d.label)
		cv.text(t.label, d.label, roleSoft, min(max(x-lw/2, f.left-lw/2), w-d.pad-lw), bottom+6+lh)
	}
	cv.line(f.left, bottom, f.right, bottom, 1, roleAxis, nil)

	if c.Type == "area" {
		cv.area(c.Series[0], roleSeries, &f)
	}
	// Annotations under the lines, which cross them; the labels of
	// marks and bands over them.
	cv.drawLevels(c, d, &f)
	cv.drawMarks(c, markTop, bottom, f.xOf)
	if c.Candles != nil {
		cv.candles(c, d, &f, volTop, bottom)
	}
	// Overlays first, so that the main line is drawn on top.
	for i := len(c.Series) - 1; i >= 0; i-- {
		if c.hidden(i) {
			continue
		}
		s := c.Series[i]
		gc := cv.gc
		gc.SetStrokeColor(roleColor(roleSeries + uint8(i%8)))
		width := 2.0
		var dash []float64
		if s.Dashed {
			width = 1.6
			dash = cv.scaled([]float64{6, 4})
		}
		gc.SetLineWidth(width * cv.s)
		gc.SetLineDash(dash, 0)
		for k, v := range s.Values {
			x, y := float64(cv.px(f.xOf(s.Dates[k]))), float64(cv.px(f.yOf(v)))
			if k == 0 {
				gc.MoveTo(x, y)
			} else {
				gc.LineTo(x, y)
			}
		}
		gc.Stroke()
	}
	cv.drawNotes(notes, d, f.top)
	// What ends each line, moved apart where they would overlap.
	if endW > 0 {
		ys := make([]float64, len(c.Series))
		for i, s := range c.Series {
			ys[i] = f.yOf(s.Values[len(s.Values)-1])
		}
		for i, y := range spread(ys, lh+3, f.top, f.bottom) {
			role := roleSeries + uint8(i%8)
			if c.hidden(i) {
				role = roleInk
			}
			cv.rect(f.right+4, y-4, f.right+10, y+2, role)
			cv.text(ends[i], d.label, roleInk, f.right+14, y+lh/3)
		}
	}
	// Bands last: they shade only what is still background.
	cv.shadeBands(c, f.top, bottom, f.xOf, session)
}

// ends returns what ends each line at the right edge, by the chart's
// labels: the last value, the name (direct labels, instead of a legend),
// both, or nothing; and whether the names are there. Names too long to
// stand at the edge give way to a legend and the last values.
func (cv *canvas) ends(c *Chart, d design, w float64) ([]string, bool) {
	ends := make([]string, len(c.Series))
	direct := c.Labels == "name" || c.Labels == "both"
	widest := 0.0
	for i, s := range c.Series {
		switch c.Labels {
		case "name":
			ends[i] = s.Name
		case "both":
			ends[i] = s.Name + " " + s.Last
		case "none":
		default:
			ends[i] = s.Last
		}
		widest = max(widest, cv.width(ends[i], d.label))
	}
	if direct && widest > w*0.32 {
		for i, s := range c.Series {
			ends[i] = s.Last
		}
		return ends, false
	}
	return ends, direct
}

// areaTint is the level of the fill of an area chart; inside a band,
// areaTint+2.
const areaTint = 3

// area fills the area under s, down to the bottom of the frame, with a
// tint of role.
func (cv *canvas) area(s Series, role uint8, f *frame) {
	gc := cv.gc
	gc.SetFillColor(tintColor(role, areaTint))
	y0 := float64(cv.px(f.bottom))
	gc.MoveTo(float64(cv.px(f.xOf(s.Dates[0]))), y0)
	for k, v := range s.Values {
		gc.LineTo(float64(cv.px(f.xOf(s.Dates[k]))), float64(cv.px(f.yOf(v))))
	}
	gc.LineTo(float64(cv.px(f.xOf(s.Dates[len(s.Dates)-1]))), y0)
	gc.Close()
	gc.Fill()
}

// candles draws the candles of c in f and, between volTop and bottom,
// the volume of each session, in the language's colours for up and down.
func (cv *canvas) candles(c *Chart, d design, f *frame, volTop, bottom float64) {
	k := c.Candles
	slot := f.slot()
	body := min(max(slot*0.64, 1/cv.s), 14)
	snap := func(x float64) float64 { return (math.Floor(x*cv.s) + 0.5) / cv.s } // a pixel's centre
	if k.hasVolume() {
		vmax := k.maxVolume()
		cv.line(f.left, volTop, f.right, volTop, 1, roleGrid, nil)
		label := pick(Text{Lang: c.Lang}, "成交量", "Volume")
		cv.text(label, d.small, roleSoft, f.left+2, volTop-4)
		top := volLabel(vmax, c.Lang)
		cv.text(top, d.small, roleSoft, f.left-6-cv.width(top, d.small), volTop+d.small*emDPI/72)
		for i, v := range k.Volume {
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			x := f.xOf(k.Dates[i])
			role := roleUp
			if k.Close[i] < k.Open[i] {
				role = roleDown
			}
			cv.tintRect(x-body/2, bottom-v/vmax*(bottom-volTop-2), x+body/2, bottom, role, 7)
		}
	}
	for i, t := range k.Dates {
		x := snap(f.xOf(t))
		o, h, l, cl := k.Open[i], k.High[i], k.Low[i], k.Close[i]
		role := roleUp
		if cl < o {
			role = roleDown
		}
		cv.line(x, f.yOf(h), x, f.yOf(l), 1, role, nil)
		y0, y1 := f.yOf(max(o, cl)), f.yOf(min(o, cl))
		y1 = max(y1, y0+1/cv.s)
		cv.rect(x-body/2, y0, x+body/2, y1, role)
	}
}

// volLabel prints a volume briefly: 1.2K, 34M, 1.5B; 3400万, 1.2亿.
func volLabel(v float64, lang string) string {
	short := func(x float64, unit string) string {
		if x >= 100 {
			return fmt.Sprintf("%.0f%s", x, unit)
		}
		return fmt.Sprintf("%.3g%s", x, unit)
	}
	if lang == "zh" {
		switch {
		case v >= 1e8:
			return short(v/1e8, "亿")
		case v >= 1e4:
			return short(v/1e4, "万")
		}
		return short(v, "")
	}
	switch {
	case v >= 1e9:
		return short(v/1e9, "B")
	case v >= 1e6:
		return short(v/1e6, "M")
	case v >= 1e3:
		return short(v/1e3, "K")
	}
	return short(v, "")
}

// spread moves the centres ys of labels apart so that they are gap or more
// from each other, within lo..hi where they fit, keeping their order.
func spread(ys []float64, gap, lo, hi float64) []float64 {
	idx := make([]int, len(ys))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ys[a], ys[b]) })
	out := slices.Clone(ys)
	for k := 1; k < len(idx); k++ { // down from the top
		out[idx[k]] = max(out[idx[k]], out[idx[k-1]]+gap)
	}
	if n := len(idx); n > 0 && out[idx[n-1]] > hi { // back up from the bottom
		out[idx[n-1]] = hi
		for k := n - 2; k >= 0; k-- {
			out[idx[k]] = min(out[idx[k]], out[idx[k+1]]-gap)
		}
	}
	if len(idx) > 0 && out[idx[0]] < lo {
		for k := range idx {
			out[idx[k]] = max(out[idx[k]], lo+gap*float64(k))
		}
	}
	return out
}

type dateTick struct {
	at    time.Time
	label string
}

var enMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// dateTicks returns calendar-aligned ticks inside from..to (weeks, months,
// quarters or years, by the span), every one, every second or fewer, so
// that their labels, centred under xOf, keep apart within left..right.
func (cv *canvas) dateTicks(from, to time.Time, lang string, d design, left, right float64, xOf func(time.Time) float64) []dateTick {
	dates, kind := tickDates(from, to)
	for k := 1; ; k++ {
		ticks := labelTicks(dates, k, kind, lang)
		ok, prev := true, math.Inf(-1)
		for _, t := range ticks {
			half := cv.width(t.label, d.label) / 2
			x := xOf(t.at)
			if x-half < prev+12 {
				ok = false
				break
			}
			prev = x + half
		}
		if ok || len(ticks) <= 2 {
			return ticks
		}
	}
}

// tickKind is what the ticks of a span are.
type tickKind int

const (
	weekTicks tickKind = iota
	monthTicks
	yearTicks
)

// tickDates returns the calendar-aligned dates inside from..to.
func tickDates(from, to time.Time) ([]time.Time, tickKind) {
	days := to.Sub(from).Hours() / 24
	var out []time.Time
	switch {
	case days <= 50:
		// Mondays.
		d := from
		for d.Weekday() != time.Monday {
			d = d.AddDate(0, 0, 1)
		}
		for ; !d.After(to); d = d.AddDate(0, 0, 7) {
			out = append(out, d)
		}
		return out, weekTicks
	case days <= 1000:
		step := 1
		switch {
		case days > 500:
			step = 3
		case days > 240:
			step = 2
		}
		d := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		if d.Before(from) {
			d = d.AddDate(0, 1, 0)
		}
		for (int(d.Month())-1)%step != 0 {
			d = d.AddDate(0, 1, 0)
		}
		for ; !d.After(to); d = d.AddDate(0, step, 0) {
			out = append(out, d)
		}
		return out, monthTicks
	}
	step := max(1, int(days/365/8)+1)
	for y := from.Year() + 1; ; y += step {
		d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if d.After(to) {
			break
		}
		out = append(out, d)
	}
	return out, yearTicks
}

// labelTicks labels every k-th date. A month label names the year where
// it changes.
func labelTicks(dates []time.Time, k int, kind tickKind, lang string) []dateTick {
	zh := lang == "zh"
	var out []dateTick
	lastYear := 0
	for i := 0; i < len(dates); i += k {
		d := dates[i]
		var l string
		switch kind {
		case weekTicks:
			l = fmt.Sprintf("%s %d", enMonths[d.Month()-1], d.Day())
			if zh {
				l = fmt.Sprintf("%d月%d日", d.Month(), d.Day())
			}
		case monthTicks:
			l = enMonths[d.Month()-1]
			if zh {
				l = fmt.Sprintf("%d月", d.Month())
			}
			if d.Year() != lastYear {
				if zh {
					l = fmt.Sprintf("%d年%d月", d.Year(), d.Month())
				} else {
					l += fmt.Sprintf(" %d", d.Year())
				}
				lastYear = d.Year()
			}
		default:
			l = fmt.Sprint(d.Year())
			if zh {
				l += "年"
			}
		}
		out = append(out, dateTick{d, l})
	}
	return out
}
