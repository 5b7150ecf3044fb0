package plot

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"briefs/internal/market"
)

// TestBadSpecs: every mistake in a chart block, or data a chart cannot
// draw, is an error at the block's line that says what was expected;
// none hangs or panics. Each case runs under a watchdog.
func TestBadSpecs(t *testing.T) {
	u := loadMarket(t, writeMarket(t))
	var big []string
	for i := range 50 {
		big = append(big, fmt.Sprintf("B%02d", i))
	}
	u.Groups["big"] = &market.Group{Key: "big", Name: map[string]string{"en": "Big"}, Members: big}
	u.Groups["late"] = &market.Group{Key: "late", Name: map[string]string{"en": "Late"}, Members: []string{"XLC"}}
	for _, c := range []struct {
		spec string
		line int // of the error in the block; 0: not checked
		want string
	}{
		{"type: candlestik\nsymbols: [IDX]\nperiod: 1M", 1, `unknown type "candlestik" (did you mean "candlestick"?)`},
		{"type: pie\nsymbols: [IDX]\nperiod: 1M", 1, `unknown type "pie": expected one of line, rebased, bar, drawdown, volatility, ratio, area, candlestick, scatter, heatmap, multiples`},
		{"type: bar\ngroup: sectors\nperiod: 1M\nhiglight: [XLE]", 4, `unknown key "higlight" (did you mean "highlight"?)`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nlines: [{at: 20, lable: x}]", 4, `unknown key "lable" in lines (did you mean "label"?)`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nmarks: [{dat: 2026-01-05}]", 4, `unknown key "dat" in marks (did you mean "date"?)`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nbands: [{form: 2026-01-05, to: 2026-01-09}]", 4, `unknown key "form" in bands (did you mean "from"?)`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nhighlight: [IDX]", 4, `line chart: highlight: is for bar, scatter charts`},
		{"type: bar\ngroup: sectors\nperiod: 1M\nheight: 400", 4, `bar chart: height: is for line, rebased, drawdown, volatility, ratio, area, candlestick, scatter charts; a bar chart's height follows from its rows`},
		{"type: heatmap\ngroup: sectors\nperiod: 1M", 3, `heatmap chart: period: is one column; list the columns as periods: [1W, 1M, 3M, YTD]`},
		{"type: heatmap\ngroup: sectors", 1, `heatmap chart: missing periods: such as [1W, 1M, 3M, YTD]`},
		{"type: heatmap\ngroup: sectors\nperiods: [1D, 2D, 3D, 4D, 5D, 6D, 7D, 8D, 9D]", 3, `heatmap chart: 9 periods; at most 8 columns stay readable`},
		{"type: heatmap\ngroup: sectors\nperiods:\n  - 1M\n  - 3Q", 5, `period "3Q": expected N followed by D, W, M or Y`},
		{"type: heatmap\ngroup: big\nperiods: [1M]", 2, `heatmap chart: 50 members; at most 30 rows stay readable`},
		{"type: multiples\ngroup: big\nperiod: 1M", 2, `multiples chart: 50 members; at most 16 panels stay readable`},
		{"type: scatter\ngroup: big\nperiod: 1M", 2, `scatter chart: 50 members; at most 40 points stay readable`},
		{"type: multiples\nsymbols: [" + strings.Join(big[:17], ", ") + "]\nperiod: 1M", 2, `multiples chart: 17 symbols; at most 16 panels stay readable`},
		{"type: multiples\ngroup: late\nperiod: 1Y", 3, `multiples chart: no member has data for 1Y as of 2026-02-09: XLC`},
		{"type: candlestick\nsymbols: [XLK]\nperiod: 1M", 2, `XLK: data/prices/XLK.csv has no Open, High and Low columns beside its close: a candlestick needs them (a line chart needs only the close)`},
		{"type: candlestick\nsymbols: [IDX]\nperiod: 2Y", 3, `IDX: 522 sessions over 2Y; at most 260 candles stay readable: shorten period: or draw a line chart`},
		{"type: candlestick\nsymbols: [IDX, XLK]\nperiod: 1M", 2, `candlestick chart: expected one symbol; got 2`},
		{"type: ratio\nsymbols: [XLE]\nperiod: 1M", 2, `ratio chart: expected two symbols, [A, B], for A relative to B; got 1`},
		{"type: ratio\nsymbols: [XLE, XLC]\nperiod: 1Y", 3, `XLE/XLC: 1Y before 2026-02-09 needs a common close on or before 2025-02-09; the common data starts 2025-09-02`},
		{"type: line\nsymbols: [IDX]\nperiod: 10Y", 3, `IDX: 10Y before 2026-02-09 needs a close on or before 2016-02-09; the data starts 2024-01-02`},
		{"type: area\nsymbols: [IDX]\nperiod: 1M\noverlays: [sma20]", 4, `area chart: overlays: is for line, candlestick charts`},
		{"type: line\nsymbols: [IDX, IDX]\nperiod: 1M", 2, `chart: symbol IDX is listed twice`},
		{"type: volatility\nsymbols: [IDX]\nperiod: 1M\nlines: [20]", 4, `volatility chart: lines: 20: this chart's values are percentages: write 20%`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nlines:\n  - 5000\n  - \"20%\"", 6, `line chart: lines: 20%: this chart's values are not percentages: write a number such as 20`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nlines: [lots]", 4, `line chart: lines: "lots": expected a number such as 20 or -10%`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nmarks: [2026-13-01]", 4, `chart: marks: date "2026-13-01": expected YYYY-MM-DD`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nmarks:\n  - {date: 2025-06-02, label: x}", 5, `chart: marks: 2025-06-02 is outside the chart's dates 2026-01-09 .. 2026-02-09: widen period: or drop it`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nmarks: [2026-02-20]", 4, `chart: marks: 2026-02-20 is after the as-of date 2026-02-09: a brief cannot see later data`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nbands: [{from: 2026-02-01, to: 2026-01-20}]", 4, `chart: bands: to: 2026-01-20 is before from: 2026-02-01`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nbands: [{symbol: VOLA}]", 4, `chart: bands: symbol VOLA: expected one of above: or below: a level`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nbands: [{symbol: VOLA, above: 20, from: 2026-01-20}]", 4, `chart: bands: give from: and to:, or symbol: with above: or below:, not both`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nbands: [{symbol: VOLX, above: 20}]", 4, `chart: bands: unknown symbol "VOLX" (did you mean "VOLA"?)`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nbands: [{from: 2026-01-20, to: 2026-03-01}]", 4, `chart: bands: to: 2026-03-01 is after the as-of date 2026-02-09`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nbands: [20]", 4, `bands: expected {from: DATE, to: DATE} or {symbol: VIX, above: 25}`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nheight: 2000", 4, `chart: height 2000: expected 240 to 720`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\naspect: wide", 4, `chart: aspect "wide": expected WIDTH:HEIGHT such as 16:9 or 2:1`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\naspect: \"1:4\"", 4, `chart: aspect 1:4: expected a ratio from 1:1 to 3:1`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nheight: 300\naspect: \"2:1\"", 5, `chart: height: and aspect: both set the height; give one of them`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nlabels: lst", 4, `chart: labels: "lst": expected one of last, name, both, none (did you mean "last"?)`},
		{"type: scatter\nsymbols: [XLE, XLK]\nperiod: 1M\nhighlight: [XLF]", 4, `scatter chart: highlight XLF is not one of the symbols`},
		{"type: bar\ngroup: sectors\nperiod: 1M\nhighlight: [IDX]", 4, `bar chart: highlight IDX is not among the bars: XLI, XLB`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\ntitle: [a, b]", 4, `expected a string or a mapping such as { zh: ..., en: ... }`},
		{"type: line\nsymbols: [IDX]\nperiod: 1M\nlines: [" + strings.Repeat("1, ", 12) + "1]", 4, `chart: 13 lines; at most 12 stay readable`},
	} {
		done := make(chan error, 1)
		go func() {
			s, err := ParseSpec([]byte(c.spec))
			if err == nil {
				_, err = Prepare(s, u.At(day("2026-02-09")), u, text(u, "en"))
			}
			done <- err
		}()
		select {
		case err := <-done:
			var se interface{ Line() int }
			switch {
			case err == nil:
				t.Errorf("spec %q: no error, want %q", c.spec, c.want)
			case !strings.Contains(err.Error(), c.want):
				t.Errorf("spec %q:\n got %v\nwant ...%s", c.spec, err, c.want)
			case c.line > 0 && (!errors.As(err, &se) || se.Line() != c.line):
				t.Errorf("spec %q: %v: at line %v, want %d", c.spec, err, se, c.line)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("spec %q: no answer after 20s", c.spec)
		}
	}
}

// A candlestick over a row whose high is below its open fails at the
// file's line; a window after it draws.
func TestCandlestickFaultyRow(t *testing.T) {
	fsys := fstest.MapFS{
		"tickers.toml": {Data: []byte("[symbols.K]\nfile = \"k.csv\"\nname = { en = \"K\" }\nkind = \"index\"\n")},
		"k.csv": {Data: []byte("DATE,OPEN,HIGH,LOW,CLOSE\n" +
			"2026-01-05,10,11,9,10.5\n2026-01-06,19.24,18.57,17.61,17.70\n2026-01-07,10,11,9,10.5\n" +
			"2026-01-08,10,11,9,10.5\n2026-01-09,10,11,9,10.5\n")},
	}
	u, err := market.Load(fsys, "data/")
	if err != nil {
		t.Fatal(err)
	}
	v := u.At(day("2026-01-09"))
	prep := func(period string) error {
		s, err := ParseSpec([]byte("type: candlestick\nsymbols: [K]\nperiod: " + period))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Prepare(s, v, u, text(u, "en"))
		return err
	}
	if err := prep("4D"); err == nil || !strings.Contains(err.Error(), "data/k.csv:3: HIGH 18.57 is below OPEN 19.24: expected HIGH >= max(OPEN, CLOSE) >= min(OPEN, CLOSE) >= LOW > 0") {
		t.Errorf("over the faulty row: %v", err)
	}
	if err := prep("2D"); err != nil {
		t.Errorf("after it: %v", err)
	}
}
