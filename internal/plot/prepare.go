package plot

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"briefs/internal/market"
)

// Unit says how the values of a chart read on its axis.
type Unit int

const (
	Level    Unit = iota // prices: 2,689
	Index                // rebased to 100
	Fraction             // returns, drawdowns, volatility: -12%
)

// Series is one line of a chart.
type Series struct {
	Name   string
	Dates  []time.Time
	Values []float64
	Dashed bool
	Last   string // the last value, as labelled at the right edge

	Column string // its column in the chart's CSV: "SPY", "SPY sma20"
	How    string // how its values are computed, for the CSV
}

// Bar is one bar of a bar chart.
type Bar struct {
	Label     string
	Value     float64
	Symbol    string
	Highlight bool

	From, To    time.Time // the window the return is over, for the CSV
	First, Last float64   // the closes on those dates
}

// Chart is a spec computed over the data: everything a drawing needs, and
// nothing else, so that its Key identifies the image.
type Chart struct {
	Type   string
	Lang   string
	Title  string
	Unit   Unit
	Series []Series
	Bars   []Bar
	Alt    string // text alternative, from the data
	Source string // the line at the foot of the image: as-of date, data note

	// Annotations of time charts (annotate.go).
	Levels []RefLevel
	Marks  []Mark
	Bands  []Band
	Labels string // last | name | both | none
	Height float64

	Candles   *Candles // candlestick
	Points    []Point  // scatter
	Quadrants bool
	Heat      *Heat // heatmap

	inputs  []Series // what the chart is computed from, for the CSV
	leftOut []string // members of a group left out: their data starts too late
	data    *table   // the CSV to download (data.go)
	barSyms []string // the symbols of Bars, for their last date
}

// Text formats for one language.
type Text struct {
	Lang    string
	Number  func(x float64, decimals int) string
	Percent func(x float64, decimals int) string // signed: +8.81%
	// Name is the display name of a symbol or group.
	Name func(key string) string
	// Date formats a calendar date: 2026年2月9日, February 9, 2026.
	Date func(time.Time) string
	// Note is the data's note in this language (such as "Sample data"),
	// printed after the as-of date; "" for none.
	Note string
}

func (t Text) zh() bool { return t.Lang == "zh" }

// Prepare computes spec over the view: the series or bars, the title and the
// alt text. Errors name what is wrong with the data.
func Prepare(s *Spec, v *market.View, u *market.Universe, t Text) (*Chart, error) {
	c := &Chart{Type: s.Type, Lang: t.Lang, Title: s.Title.In(t.Lang), Unit: unitOf(s.Type), Labels: s.Labels, Height: s.height()}
	if c.Labels == "" {
		c.Labels = "last"
	}
	var err error
	switch s.Type {
	case "line", "area":
		err = c.line(s, v, t)
	case "rebased":
		err = c.rebased(s, v, t)
	case "ratio":
		err = c.ratio(s, v, t)
	case "drawdown":
		err = c.drawdown(s, v, t)
	case "volatility":
		err = c.volatility(s, v, t)
	case "candlestick":
		err = c.candlestick(s, v, t)
	case "bar", "table":
		err = c.bars(s, v, u, t)
	case "scatter":
		err = c.scatter(s, v, u, t)
	case "heatmap":
		err = c.heatmap(s, v, u, t)
	case "multiples":
		err = c.multiples(s, v, u, t)
	default:
		err = fmt.Errorf("unknown chart type %q", s.Type)
	}
	if err != nil {
		return nil, s.blame(err)
	}
	if err := c.check(); err != nil {
		return nil, s.blame(err)
	}
	if c.Title == "" {
		c.Title = c.defaultTitle(s, t)
	}
	for i := range c.Series {
		c.Series[i].Last = valueLabel(c.Unit, c.Series[i].Values[len(c.Series[i].Values)-1], t)
	}
	if from, to, ok := c.span(); ok {
		if err := c.notes(s, v, t, from, to); err != nil {
			return nil, s.blame(err)
		}
	}
	asOf, err := c.asOf(s, v)
	if err != nil {
		return nil, s.blame(err)
	}
	c.Source = sourceLine(asOf, t)
	c.data = c.table(s, t, asOf)
	return c, nil
}

// HasImage reports whether c is drawn: a table's numbers are only offered
// as a CSV, for the table the brief builds from the same ranking.
func (c *Chart) HasImage() bool { return c.Type != "table" }

// span is the first and last date a time chart draws.
func (c *Chart) span() (from, to time.Time, ok bool) {
	for _, s := range c.Series {
		if len(s.Dates) == 0 {
			continue
		}
		if !ok || s.Dates[0].Before(from) {
			from = s.Dates[0]
		}
		if last := s.Dates[len(s.Dates)-1]; !ok || last.After(to) {
			to = last
		}
		ok = true
	}
	return from, to, ok
}

// valueLabel formats a last value as the chart labels it: a level with
// two decimals (none from 10,000 up), an index with one, a fraction as a
// percentage with one.
func valueLabel(u Unit, x float64, t Text) string {
	switch u {
	case Index:
		return t.Number(x, 1)
	case Fraction:
		return t.Number(x*100, 1) + "%"
	}
	if math.Abs(x) >= 10000 {
		return t.Number(x, 0)
	}
	return t.Number(x, 2)
}

// asOf is the last date the chart's data holds: the latest of its series,
// or of its bars' symbols.
func (c *Chart) asOf(s *Spec, v *market.View) (time.Time, error) {
	var last time.Time
	for _, sr := range c.Series {
		if d := sr.Dates[len(sr.Dates)-1]; d.After(last) {
			last = d
		}
	}
	for _, sym := range c.barSyms {
		d, err := v.AsOfDate(sym)
		if err != nil {
			return last, err
		}
		if d.After(last) {
			last = d
		}
	}
	return last, nil
}

// sourceLine is the line at the foot of a chart: 数据截至2026年2月9日 ·
// 示例数据, Data as of February 9, 2026 · Sample data.
func sourceLine(asOf time.Time, t Text) string {
	date := asOf.Format(time.DateOnly)
	if t.Date != nil {
		date = t.Date(asOf)
	}
	s := "Data as of " + date
	if t.zh() {
		s = "数据截至" + date
	}
	if t.Note != "" {
		s += " · " + t.Note
	}
	return s
}

// window returns sym's closes over the period with before earlier rows.
func window(v *market.View, sym, period string, before int) ([]time.Time, []float64, int, error) {
	d, c, start, err := v.Window(sym, period, before)
	if err != nil {
		return nil, nil, 0, err
	}
	if len(d)-start < 2 {
		return nil, nil, 0, fmt.Errorf("%s: the %s window has %d observation(s); a chart needs at least 2", sym, period, len(d)-start)
	}
	return d, c, start, nil
}

func (c *Chart) line(s *Spec, v *market.View, t Text) error {
	sym := s.Symbols[0]
	dates, closes, start, err := window(v, sym, s.Period, need(s))
	if err != nil {
		return err
	}
	if err := checkOverlays(s, sym, dates, start); err != nil {
		return err
	}
	c.Series = append(c.Series, Series{Name: t.Name(sym), Dates: dates[start:], Values: closes[start:],
		Column: sym, How: pick(t, sym+"的收盘价", "close of "+sym)})
	c.overlays(s, sym, dates, closes, start, t)
	first, last := closes[start], closes[len(closes)-1]
	c.Alt = changeSentence(t, t.Name(sym), last/first-1, s.Period) + endingAt(t, t.Number(last, 2))
	return nil
}

// overlays adds the moving averages of s to c: closes from dates[start]
// on, the rows before it feeding the averages (checked by need).
func (c *Chart) overlays(s *Spec, sym string, dates []time.Time, closes []float64, start int, t Text) {
	for _, o := range s.Overlays {
		kind, n := overlay(o)
		vals := make([]float64, 0, len(dates)-start)
		switch kind {
		case "sma":
			sum := 0.0
			for i := start - n + 1; i < start; i++ {
				sum += closes[i]
			}
			for i := start; i < len(closes); i++ {
				sum += closes[i]
				vals = append(vals, sum/float64(n))
				sum -= closes[i-n+1]
			}
		case "ema":
			e := mean(closes[:n])
			alpha := 2 / float64(n+1)
			for i := n; i <= start; i++ {
				e = alpha*closes[i] + (1-alpha)*e
			}
			vals = append(vals, e)
			for i := start + 1; i < len(closes); i++ {
				e = alpha*closes[i] + (1-alpha)*e
				vals = append(vals, e)
			}
		}
		how := pick(t, fmt.Sprintf("%s最近%d个收盘价的简单平均", sym, n), fmt.Sprintf("mean of the last %d closes of %s", n, sym))
		if kind == "ema" {
			how = pick(t, fmt.Sprintf("%s收盘价的%d日指数平均（alpha = 2/(%d+1)，以文件最早%d个收盘价的均值起算）", sym, n, n, n),
				fmt.Sprintf("exponential average of the closes of %s, alpha 2/(%d+1), seeded with the mean of the file's first %d closes", sym, n, n))
		}
		c.Series = append(c.Series, Series{Name: overlayName(kind, n, t), Dates: dates[start:], Values: vals, Dashed: true,
			Column: sym + " " + o, How: how})
	}
}

// need is how many closes before the window the overlays of s need.
func need(s *Spec) int {
	n := 0
	for _, o := range s.Overlays {
		if kind, k := overlay(o); kind == "sma" {
			n = max(n, k-1)
		} else {
			n = math.MaxInt32 // an EMA starts from the first row, as the ema function does
		}
	}
	return n
}

// checkOverlays reports an overlay of s that needs more closes before the
// rebasedSeries is sym's closes from start on, rebased to 100 there.
func rebasedSeries(t Text, sym string, dates []time.Time, closes []float64, start int) Series {
	base := closes[start]
	vals := make([]float64, len(closes)-start)
	for i := range vals {
		vals[i] = closes[start+i] / base * 100
	}
	return Series{Name: t.Name(sym), Dates: dates[start:], Values: vals, Column: sym,
		How: pick(t, fmt.Sprintf("%s的收盘价 / %s的收盘价 %s x 100", sym, dates[start].Format(time.DateOnly), fnum(base)),
			fmt.Sprintf("close of %s / its close of %s, %s, x 100", sym, dates[start].Format(time.DateOnly), fnum(base)))}
}

// window than there are.
func checkOverlays(s *Spec, sym string, dates []time.Time, start int) error {
	for _, o := range s.Overlays {
		if _, n := overlay(o); start < n-1 {
			return &keyError{"overlays", fmt.Errorf("%s: %s needs %d closes before the window's first day %s; the data has %d", sym, o, n-1, dates[start].Format(time.DateOnly), start)}
		}
	}
	return nil
}

func overlayName(kind string, n int, t Text) string {
	if t.zh() {
		if kind == "ema" {
			return fmt.Sprintf("%d日指数均线", n)
		}
		return fmt.Sprintf("%d日均线", n)
	}
	return fmt.Sprintf("%d-day %s", n, strings.ToUpper(kind))
}

func (c *Chart) rebased(s *Spec, v *market.View, t Text) error {
	var parts []string
	for _, sym := range s.Symbols {
		dates, closes, start, err := window(v, sym, s.Period, 0)
		if err != nil {
			return err
		}
		ser := rebasedSeries(t, sym, dates, closes, start)
		c.Series = append(c.Series, ser)
		parts = append(parts, changeSentence(t, t.Name(sym), ser.Values[len(ser.Values)-1]/100-1, s.Period))
	}
	c.Alt = strings.Join(parts, sep(t))
	return nil
}

// ratio draws A / B on their common dates, rebased to 100 at the start of
// the window: the relative strength of A against B. Above 100, A has
// done better since the start.
func (c *Chart) ratio(s *Spec, v *market.View, t Text) error {
	a, b := s.Symbols[0], s.Symbols[1]
	dates, ca, cb, start, err := v.Pair(a, b, s.Period)
	if err != nil {
		return err
	}
	if len(dates)-start < 2 {
		return fmt.Errorf("%s/%s: the %s window has %d common date(s); a chart needs at least 2", a, b, s.Period, len(dates)-start)
	}
	base := ca[start] / cb[start]
	vals := make([]float64, len(dates)-start)
	for i := range vals {
		vals[i] = ca[start+i] / cb[start+i] / base * 100
	}
	d0 := dates[start].Format(time.DateOnly)
	c.Series = append(c.Series, Series{Name: t.Name(a) + " / " + t.Name(b), Dates: dates[start:], Values: vals, Column: a + "/" + b,
		How: pick(t, fmt.Sprintf("(%s收盘价 / %s收盘价) / 两者%s收盘价之比 x 100，只用两者都有收盘价的日期", a, b, d0),
			fmt.Sprintf("(close of %s / close of %s) / the same ratio on %s x 100, on the dates both have a close", a, b, d0))})
	c.inputs = []Series{
		{Column: a, Dates: dates[start:], Values: ca[start:], How: pick(t, a+"的收盘价", "close of "+a)},
		{Column: b, Dates: dates[start:], Values: cb[start:], How: pick(t, b+"的收盘价", "close of "+b)},
	}
	last := len(dates) - 1
	ra, rb := ca[last]/ca[start]-1, cb[last]/cb[start]-1
	rel := vals[len(vals)-1]/100 - 1
	if t.zh() {
		dir := "上升"
		if rel < 0 {
			dir = "下降"
		}
		c.Alt = fmt.Sprintf("%s相对%s的强弱%s%s%s（%s%s，%s%s）", t.Name(a), t.Name(b), periodWords(s.Period, t), dir, pct(t, math.Abs(rel)),
			t.Name(a), t.Percent(ra, 1), t.Name(b), t.Percent(rb, 1))
	} else {
		dir := "gained"
		if rel < 0 {
			dir = "lost"
		}
		c.Alt = fmt.Sprintf("%s %s %s against %s over %s (%s %s, %s %s)", t.Name(a), dir, pct(t, math.Abs(rel)), t.Name(b), over(s.Period, t),
			t.Name(a), t.Percent(ra, 1), t.Name(b), t.Percent(rb, 1))
	}
	return nil
}

func (c *Chart) drawdown(s *Spec, v *market.View, t Text) error {
	var parts []string
	for _, sym := range s.Symbols {
		dates, closes, start, err := window(v, sym, s.Period, 0)
		if err != nil {
			return err
		}
		peak := closes[start]
		worst := 0.0
		vals := make([]float64, len(closes)-start)
		for i := range vals {
			x := closes[start+i]
			peak = max(peak, x)
			vals[i] = x/peak - 1
			worst = min(worst, vals[i])
		}
		c.Series = append(c.Series, Series{Name: t.Name(sym), Dates: dates[start:], Values: vals, Column: sym,
			How: pick(t, fmt.Sprintf("%s的收盘价 / 自%s以来的最高收盘价 - 1", sym, dates[start].Format(time.DateOnly)),
				fmt.Sprintf("close of %s / its highest close since %s - 1", sym, dates[start].Format(time.DateOnly)))})
		if t.zh() {
			parts = append(parts, fmt.Sprintf("%s%s最大回撤%s，期末较高点低%s", t.Name(sym), periodWords(s.Period, t), pct(t, -worst), pct(t, -vals[len(vals)-1])))
		} else {
			parts = append(parts, fmt.Sprintf("%s's maximum drawdown over %s was %s, and it ends %s below its peak", t.Name(sym), over(s.Period, t), pct(t, -worst), pct(t, -vals[len(vals)-1])))
		}
	}
	c.Alt = strings.Join(parts, sep(t))
	return nil
}

func (c *Chart) volatility(s *Spec, v *market.View, t Text) error {
	n := s.Window
	var parts []string
	for _, sym := range s.Symbols {
		dates, closes, start, err := window(v, sym, s.Period, n)
		if err != nil {
			return err
		}
		if start < n {
			return &keyError{"window", fmt.Errorf("%s: a %d-day volatility needs %d closes before the window's first day %s; the data has %d", sym, n, n, dates[start].Format(time.DateOnly), start)}
		}
		vals := make([]float64, len(closes)-start)
		rets := make([]float64, n)
		for i := range vals {
			end := start + i
			for k := 0; k < n; k++ {
				rets[k] = math.Log(closes[end-n+1+k] / closes[end-n+k])
			}
			vals[i] = stdev(rets) * math.Sqrt(252)
		}
		c.Series = append(c.Series, Series{Name: t.Name(sym), Dates: dates[start:], Values: vals, Column: sym,
			How: pick(t, fmt.Sprintf("%s截至当日最近%d个日对数收益率的样本标准差 x sqrt(252)", sym, n),
				fmt.Sprintf("sample standard deviation of the last %d daily log returns of %s up to the day x sqrt(252)", n, sym))})
		lo, hi := slices.Min(vals), slices.Max(vals)
		last := vals[len(vals)-1]
		if t.zh() {
			parts = append(parts, fmt.Sprintf("%s的%d日已实现波动率最新为%s，%s区间为%s至%s", t.Name(sym), n, pct(t, last), periodWords(s.Period, t), pct(t, lo), pct(t, hi)))
		} else {
			parts = append(parts, fmt.Sprintf("%s's %d-day realized volatility ends at %s, in a range of %s to %s over %s", t.Name(sym), n, pct(t, last), pct(t, lo), pct(t, hi), over(s.Period, t)))
		}
	}
	c.Alt = strings.Join(parts, sep(t))
	return nil
}

func (c *Chart) bars(s *Spec, v *market.View, u *market.Universe, t Text) error {
	var rows []market.Row
	if s.Group != "" {
		r, err := v.Rank(s.Group, s.Period)
		if err != nil {
			return err
		}
		rows = r
	}
	for _, sym := range s.Symbols {
		r, err := v.Ret(sym, s.Period)
		if err != nil {
			return err
		}
		rows = append(rows, market.Row{Symbol: sym, Result: r})
	}
	slices.SortStableFunc(rows, func(a, b market.Row) int { return cmp.Compare(b.Value, a.Value) })
	key := "group"
	if s.Group == "" {
		key = "symbols"
	}
	if s.Type == "bar" && len(rows) > MaxBars {
		return &keyError{key, fmt.Errorf("bar chart: %d bars; at most %d stay readable: chart a smaller group (a [groups] table of tickers.toml) or list the symbols", len(rows), MaxBars)}
	}
	if len(rows) > MaxTable {
		return &keyError{key, fmt.Errorf("%s chart: %d rows; at most %d", s.Type, len(rows), MaxTable)}
	}
	for _, r := range rows {
		d, cl, start, err := v.Window(r.Symbol, s.Period, 0)
		if err != nil {
			return err
		}
		last := len(d) - 1
		c.Bars = append(c.Bars, Bar{Label: t.Name(r.Symbol), Value: r.Value, Symbol: r.Symbol, Highlight: slices.Contains(s.Highlight, r.Symbol),
			From: d[start], To: d[last], First: cl[start], Last: cl[last]})
		c.barSyms = append(c.barSyms, r.Symbol)
	}
	for i, h := range s.Highlight {
		if !slices.Contains(c.barSyms, h) {
			return s.failItem("highlight", i, "bar chart: highlight %s is not among the bars: %s", h, strings.Join(c.barSyms, ", "))
		}
	}
	if s.Group != "" {
		g, err := u.Group(s.Group)
		if err != nil {
			return err
		}
		for _, m := range g.Members {
			if !slices.Contains(c.barSyms, m) {
				c.leftOut = append(c.leftOut, m)
			}
		}
	}
	if len(c.Bars) == 0 {
		return fmt.Errorf("%s chart: nothing to draw: the group has no members", s.Type)
	}
	first, last := c.Bars[0], c.Bars[len(c.Bars)-1]
	what := t.Name(s.Group)
	if s.Group == "" {
		what = strings.Join(s.Symbols, ", ")
	}
	if t.zh() {
		c.Alt = fmt.Sprintf("%s%s收益率排名：%s最高（%s），%s最低（%s）", what, periodWords(s.Period, t), first.Label, t.Percent(first.Value, 2), last.Label, t.Percent(last.Value, 2))
	} else {
		c.Alt = fmt.Sprintf("%s ranked by return over %s: %s highest at %s, %s lowest at %s", what, over(s.Period, t), first.Label, t.Percent(first.Value, 2), last.Label, t.Percent(last.Value, 2))
	}
	return nil
}

// check refuses what cannot be drawn: non-finite values, empty series.
func (c *Chart) check() error {
	for _, s := range c.Series {
		if len(s.Values) < 2 || len(s.Values) != len(s.Dates) {
			return fmt.Errorf("%s: %d values for %d dates: nothing to draw", s.Name, len(s.Values), len(s.Dates))
		}
		for i, x := range s.Values {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s: value %v on %s cannot be drawn", s.Name, x, s.Dates[i].Format(time.DateOnly))
			}
		}
	}
	for _, b := range c.Bars {
		if math.IsNaN(b.Value) || math.IsInf(b.Value, 0) {
			return fmt.Errorf("%s: value %v cannot be drawn", b.Label, b.Value)
		}
	}
	for _, p := range c.Points {
		if math.IsNaN(p.X+p.Y) || math.IsInf(p.X+p.Y, 0) {
			return fmt.Errorf("%s: a volatility of %v and a return of %v cannot be drawn", p.Symbol, p.X, p.Y)
		}
	}
	if h := c.Heat; h != nil {
		for i, r := range h.Values {
			for _, x := range r {
				if math.IsInf(x, 0) {
					return fmt.Errorf("%s: a return of %v cannot be drawn", h.Symbols[i], x)
				}
			}
		}
	}
	if k := c.Candles; k != nil {
		for i := range k.Dates {
			if x := k.Open[i] + k.High[i] + k.Low[i] + k.Close[i]; math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("no open, high, low or close on %s", k.Dates[i].Format(time.DateOnly))
			}
		}
	}
	if c.Bars == nil && c.Points == nil && c.Heat == nil && len(c.Series) == 0 {
		return errors.New("nothing to draw")
	}
	return nil
}

func (c *Chart) defaultTitle(s *Spec, t Text) string {
	var names []string
	if s.Group != "" {
		names = append(names, t.Name(s.Group))
	}
	for _, sym := range s.Symbols {
		names = append(names, t.Name(sym))
	}
	joined := strings.Join(names, " / ")
	if s.Type == "heatmap" {
		return joined + pick(t, "各期收益率", ": returns by period")
	}
	period := periodWords(s.Period, t)
	if t.zh() {
		what := map[string]string{
			"line": "", "area": "", "rebased": "（起点=100）", "bar": "收益率排名", "table": "收益率排名",
			"drawdown": "自高点回撤", "volatility": fmt.Sprintf("%d日已实现波动率", s.Window),
			"ratio": "相对强弱（起点=100）", "candlestick": "日K线", "scatter": "收益率与波动率",
			"multiples": "走势（起点=100）",
		}[s.Type]
		return joined + what + "（" + period + "）"
	}
	what := map[string]string{
		"line": "", "area": "", "rebased": "Rebased to 100: ", "bar": "Ranked by return: ", "table": "Ranked by return: ",
		"drawdown": "Drawdown from peak: ", "volatility": fmt.Sprintf("%d-day realized volatility: ", s.Window),
		"ratio": "Relative strength, start = 100: ", "candlestick": "Daily candles: ", "scatter": "Return vs volatility: ",
		"multiples": "Rebased to 100: ",
	}[s.Type]
	return what + joined + " (" + period + ")"
}

// Key identifies the image: a hash of everything drawn.
func (c *Chart) Key() string {
	n := 0
	for _, s := range c.Series {
		n += len(s.Values)
	}
	buf := make([]byte, 0, 256+16*n+16*len(c.Bars))
	str := func(s string) {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	num := func(x float64) { buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x)) }
	str("chart/v5") // the drawing: bumped when the same chart is drawn differently
	str(c.Type)
	str(c.Lang)
	str(c.Title)
	str(c.Source)
	num(float64(c.Unit))
	for _, s := range c.Series {
		str(s.Name)
		num(float64(len(s.Values)))
		if s.Dashed {
			str("dashed")
		}
		str(s.Last)
		for i, d := range s.Dates {
			num(float64(d.Unix()))
			num(s.Values[i])
		}
	}
	for _, b := range c.Bars {
		str(b.Label)
		num(b.Value)
		if b.Highlight {
			str("highlight")
		}
	}
	str(c.Labels)
	num(c.Height)
	if c.Quadrants {
		str("quadrants")
	}
	// The rest of what is drawn, and the CSV's words.
	date := func(d time.Time) { num(float64(d.Unix())) }
	for _, b := range c.Bars {
		str(b.Symbol)
		date(b.From)
		date(b.To)
		num(b.First)
		num(b.Last)
	}
	if k := c.Candles; k != nil {
		str("candles")
		for i, d := range k.Dates {
			date(d)
			num(k.Open[i])
			num(k.High[i])
			num(k.Low[i])
			num(k.Close[i])
			if k.Volume != nil {
				num(k.Volume[i])
			}
		}
	}
	for _, p := range c.Points {
		str(p.Symbol)
		str(p.Name)
		num(p.X)
		num(p.Y)
		date(p.From)
		date(p.To)
		num(float64(p.Sessions))
		if p.Highlight {
			str("highlight")
		}
	}
	if h := c.Heat; h != nil {
		str("heat")
		for i, sym := range h.Symbols {
			str(sym)
			str(h.Names[i])
			for _, x := range h.Values[i] {
				num(x)
			}
		}
		for _, head := range h.Heads {
			str(head)
		}
	}
	for _, s := range c.inputs {
		str(s.Column)
		num(float64(len(s.Values)))
		for i, d := range s.Dates {
			date(d)
			num(s.Values[i])
		}
	}
	for _, l := range c.Levels {
		num(l.Value)
		str(l.Label)
	}
	for _, m := range c.Marks {
		date(m.Date)
		str(m.Label)
	}
	for _, b := range c.Bands {
		date(b.From)
		date(b.To)
		str(b.Label)
	}
	for _, s := range c.leftOut {
		str(s)
	}
	if c.data != nil {
		for _, s := range c.data.comments {
			str(s)
		}
		for _, s := range c.data.header {
			str(s)
		}
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])[:20]
}

func changeSentence(t Text, name string, r float64, period string) string {
	if t.zh() {
		dir := "上涨"
		if r < 0 {
			dir = "下跌"
		}
		return fmt.Sprintf("%s%s%s%s", name, periodWords(period, t), dir, pct(t, math.Abs(r)))
	}
	dir := "rose"
	if r < 0 {
		dir = "fell"
	}
	return fmt.Sprintf("%s %s %s over %s", name, dir, pct(t, math.Abs(r)), over(period, t))
}

func endingAt(t Text, level string) string {
	if t.zh() {
		return "，收于" + level
	}
	return ", ending at " + level
}

func sep(t Text) string {
	if t.zh() {
		return "；"
	}
	return "; "
}

// pct prints an unsigned percentage with one decimal.
func pct(t Text, x float64) string { return t.Number(x*100, 1) + "%" }

// periodWords says a period in words: 3M -> "3 months", "近3个月".
func periodWords(p string, t Text) string {
	switch p {
	case "YTD":
		return pick(t, "年初至今", "year to date")
	case "QTD":
		return pick(t, "本季度以来", "quarter to date")
	case "MTD":
		return pick(t, "本月以来", "month to date")
	}
	n, unit := 0, byte(0)
	if len(p) >= 2 {
		fmt.Sscanf(p[:len(p)-1], "%d", &n)
		unit = p[len(p)-1]
	}
	zh := map[byte]string{'D': "个交易日", 'W': "周", 'M': "个月", 'Y': "年"}
	en := map[byte]string{'D': "trading day", 'W': "week", 'M': "month", 'Y': "year"}
	if t.zh() {
		return fmt.Sprintf("近%d%s", n, zh[unit])
	}
	w := en[unit]
	if n != 1 {
		w += "s"
	}
	return fmt.Sprintf("%d %s", n, w)
}

// over is periodWords after "over" in English: "the year to date".
func over(p string, t Text) string {
	w := periodWords(p, t)
	if strings.HasSuffix(p, "TD") {
		return "the " + w
	}
	return w
}

func pick(t Text, zh, en string) string {
	if t.zh() {
		return zh
	}
	return en
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func stdev(xs []float64) float64 {
	m := mean(xs)
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)-1))
}
