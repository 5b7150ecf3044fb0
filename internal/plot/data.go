package plot

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Every chart comes with the numbers it draws as a CSV file, for the
// reader to check or redraw it: comment lines (# ...) saying what the
// chart is, its as-of date, its symbols and how each column is computed,
// then a header row and the rows. Numbers are written as the chart holds
// them, in the shortest form that reads back to the same float64;
// returns, drawdowns and volatilities are fractions (-0.052 is -5.2%).

// table is a chart's CSV: its comments and header, made by Prepare (the
// chart's Key covers them), and its rows, formatted only when the file is
// written (a build whose charts are all cached writes none).
type table struct {
	comments []string
	header   []string
	rows     func() [][]string
}

// CSV returns the numbers c draws as a CSV file, made anew on every
// call: a build writes it once, and does not keep it.
func (c *Chart) CSV() []byte { return c.data.encode() }

// encode writes t as a CSV file.
func (t *table) encode() []byte {
	var b bytes.Buffer
	if t == nil {
		return nil
	}
	for _, line := range t.comments {
		b.WriteString("# ")
		b.WriteString(strings.ReplaceAll(line, "\n", " "))
		b.WriteByte('\n')
	}
	w := csv.NewWriter(&b)
	_ = w.Write(t.header) // a bytes.Buffer does not fail
	_ = w.WriteAll(t.rows())
	return b.Bytes()
}

// DataPath is the site path of the CSV of the chart whose Key is key.
func DataPath(key string) string { return "/charts/" + key + ".csv" }

// DataLink is the HTML of the link, under a chart's figure, to its CSV at
// href: "Data" / "数据".
func DataLink(c *Chart, href string) string {
	label := pickLang(c.Lang == "zh", "数据", "Data")
	aria := label + pickLang(c.Lang == "zh", "（CSV）：", " (CSV): ") + c.Title
	return `<a class="chart-data" href="` + html.EscapeString(href) + `" download aria-label="` + html.EscapeString(aria) + `">` + label + `</a>`
}

// fnum writes a number as briefly as it reads back the same.
func fnum(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func iso(d time.Time) string { return d.Format(time.DateOnly) }

// table builds the CSV of c, prepared from s, as of asOf.
func (c *Chart) table(s *Spec, t Text, asOf time.Time) *table {
	tb := &table{}
	note := func(zh, en string, args ...any) {
		tb.comments = append(tb.comments, fmt.Sprintf(pick(t, zh, en), args...))
	}
	tb.comments = append(tb.comments, c.Title, c.Source)
	what := s.Period
	if s.Type == "heatmap" {
		what = strings.Join(s.Periods, ", ")
	}
	if from, to, ok := c.span(); ok {
		note("图表：%s，%s（%s 至 %s）", "Chart: %s, %s (%s to %s)", s.Type, what, iso(from), iso(to))
	} else {
		note("图表：%s，%s，截至%s", "Chart: %s, %s, as of %s", s.Type, what, iso(asOf))
	}
	var syms []string
	add := func(sym string) {
		if sym != "" && !slices.Contains(syms, sym) {
			syms = append(syms, sym)
		}
	}
	switch s.Type {
	case "bar", "table":
		for _, b := range c.Bars {
			add(b.Symbol)
		}
	case "scatter":
		for _, p := range c.Points {
			add(p.Symbol)
		}
	case "heatmap":
		for _, sym := range c.Heat.Symbols {
			add(sym)
		}
	case "multiples":
		for _, sr := range c.Series {
			add(sr.Column)
		}
	default:
		for _, sym := range s.Symbols {
			add(sym)
		}
	}
	for _, b := range s.Bands {
		add(b.Symbol)
	}
	var names []string
	for _, sym := range syms {
		names = append(names, sym+" = "+t.Name(sym))
	}
	note("标的：%s", "Symbols: %s", strings.Join(names, "; "))
	if s.Group != "" {
		note("组：%s（%s）", "Group: %s (%s)", s.Group, t.Name(s.Group))
	}
	if len(c.leftOut) > 0 {
		note("未计入（数据起始太晚）：%s", "Left out (their data starts too late): %s", strings.Join(c.leftOut, ", "))
	}
	if c.Unit == Fraction {
		note("收益率、回撤和波动率以小数表示：-0.052即-5.2%%", "Returns, drawdowns and volatilities are fractions: -0.052 is -5.2%%")
	}
	note("列：", "Columns:")
	col := func(name, how string) { tb.comments = append(tb.comments, "  "+name+": "+how) }
	switch {
	case c.Heat != nil:
		c.heatTable(tb, col, t)
	case c.Points != nil:
		c.pointTable(tb, col, t, s)
	case c.Bars != nil:
		c.barTable(tb, col, t, s)
	default:
		c.timeTable(tb, col, t)
	}
	for _, l := range c.Levels {
		note("水平线：%s（%s）", "Line: %s (%s)", fnum(l.Value), l.Label)
	}
	for _, m := range c.Marks {
		note("标记：%s（%s）", "Mark: %s (%s)", iso(m.Date), m.Label)
	}
	for _, b := range c.Bands {
		note("阴影：%s 至 %s%s", "Band: %s to %s%s", iso(b.From), iso(b.To), labelSuffix(b.Label))
	}
	for _, b := range s.Bands {
		if b.Symbol != "" {
			cmp, lvl := ">", b.Above
			if b.Below != "" {
				cmp, lvl = "<", b.Below
			}
			note("阴影为%s收盘价%s %s的交易日", "Bands shade the sessions on which %s closed %s %s", b.Symbol, cmp, lvl)
		}
	}
	return tb
}

func labelSuffix(l string) string {
	if l == "" {
		return ""
	}
	return " (" + l + ")"
}

// timeTable writes a time chart's rows: a date, then a column per line
// (and the inputs it is computed from), empty where a line has no value
// on the date; a candlestick's open, high, low, close and volume.
func (c *Chart) timeTable(tb *table, col func(name, how string), t Text) {
	col("date", pick(t, "交易日（YYYY-MM-DD）", "the session's date (YYYY-MM-DD)"))
	cols := slices.Concat(c.Series, c.inputs)
	if k := c.Candles; k != nil {
		sym := c.Series[0].Column
		names := []string{"open", "high", "low", "close"}
		zh := []string{"开盘价", "最高价", "最低价", "收盘价"}
		vals := [][]float64{k.Open, k.High, k.Low, k.Close}
		if k.Volume != nil {
			names, zh, vals = append(names, "volume"), append(zh, "成交量"), append(vals, k.Volume)
		}
		cols = cols[1:]
		var pre []Series
		for i, n := range names {
			pre = append(pre, Series{Column: n, Dates: k.Dates, Values: vals[i], How: pick(t, sym+"的"+zh[i], n+" of "+sym)})
		}
		cols = append(pre, cols...)
	}
	tb.header = append(tb.header, "date")
	for _, s := range cols {
		tb.header = append(tb.header, s.Column)
		col(s.Column, s.How)
	}
	tb.rows = func() [][]string {
		var dates []time.Time
		for _, s := range cols {
			dates = append(dates, s.Dates...)
		}
		slices.SortFunc(dates, time.Time.Compare)
		dates = slices.CompactFunc(dates, time.Time.Equal)
		rows := make([][]string, 0, len(dates))
		at := make([]int, len(cols)) // the next row of each column
		for _, d := range dates {
			row := make([]string, 1, 1+len(cols))
			row[0] = iso(d)
			for i, s := range cols {
				cell := ""
				if at[i] < len(s.Dates) && s.Dates[at[i]].Equal(d) {
					cell = fnum(s.Values[at[i]])
					at[i]++
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
		}
		return rows
	}
}

// barTable writes a bar chart's rows, in the order drawn: the symbol, its
// name, the return drawn, and the closes it is computed from.
func (c *Chart) barTable(tb *table, col func(name, how string), t Text, s *Spec) {
	tb.header = []string{"symbol", "name", "return", "start_date", "start_close", "end_date", "end_close"}
	col("return", pick(t, "end_close / start_close - 1（"+periodWords(s.Period, t)+"）", "end_close / start_close - 1, over "+over(s.Period, t)))
	col("start_date, start_close", pick(t, "区间起点：该日期或之前的最后一个收盘价", "the window's start: the last close on or before the period's start"))
	col("end_date, end_close", pick(t, "截至日或之前的最后一个收盘价", "the last close on or before the as-of date"))
	tb.rows = func() (rows [][]string) {
		for _, b := range c.Bars {
			rows = append(rows, []string{b.Symbol, b.Label, fnum(b.Value), iso(b.From), fnum(b.First), iso(b.To), fnum(b.Last)})
		}
		return rows
	}
}

// pointTable writes a scatter chart's rows.
func (c *Chart) pointTable(tb *table, col func(name, how string), t Text, s *Spec) {
	tb.header = []string{"symbol", "name", "volatility", "return", "start_date", "end_date", "sessions"}
	col("volatility", pick(t, "区间内日对数收益率的样本标准差 x sqrt(252)", "sample standard deviation of the daily log returns in the window x sqrt(252)"))
	col("return", pick(t, "区间终点收盘价 / 起点收盘价 - 1", "the window's last close / its first close - 1"))
	col("start_date, end_date, sessions", pick(t, "区间及其中的交易日数", "the window and the sessions in it"))
	tb.rows = func() (rows [][]string) {
		for _, p := range c.Points {
			rows = append(rows, []string{p.Symbol, p.Name, fnum(p.X), fnum(p.Y), iso(p.From), iso(p.To), strconv.Itoa(p.Sessions)})
		}
		return rows
	}
	if c.Quadrants {
		xs, ys := make([]float64, len(c.Points)), make([]float64, len(c.Points))
		for i, p := range c.Points {
			xs[i], ys[i] = p.X, p.Y
		}
		col("quadrants", pick(t, fmt.Sprintf("虚线为波动率中位数 %s 与收益率中位数 %s", fnum(median(xs)), fnum(median(ys))),
			fmt.Sprintf("the dashed lines are the median volatility %s and the median return %s", fnum(median(xs)), fnum(median(ys)))))
	}
}

// heatTable writes a heatmap's rows, in the order drawn.
func (c *Chart) heatTable(tb *table, col func(name, how string), t Text) {
	h := c.Heat
	tb.header = append([]string{"symbol", "name"}, h.Periods...)
	for _, p := range h.Periods {
		col(p, pick(t, "收益率，"+periodWords(p, t)+"：截至日收盘价 / 区间起点收盘价 - 1；空白为数据起始太晚", "return over "+over(p, t)+": the as-of close / the window's first close - 1; empty where the data starts too late"))
	}
	tb.rows = func() (rows [][]string) {
		for i, sym := range h.Symbols {
			row := []string{sym, h.Names[i]}
			for _, x := range h.Values[i] {
				row = append(row, fnum(x))
			}
			rows = append(rows, row)
		}
		return rows
	}
}
