package build

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// ohlcData is marketData with RTY as a Yahoo file of open, high, low,
// close and volume over January and February 2026.
func ohlcData() fstest.MapFS {
	fsys := marketData()
	var b strings.Builder
	b.WriteString("Date,Open,High,Low,Close,Adj Close,Volume\n")
	p := 2600.0
	for d := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC); !d.After(time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		o := p
		p += float64(d.Day()%7) - 3
		fmt.Fprintf(&b, "%s,%.2f,%.2f,%.2f,%.2f,%.2f,%d\n", d.Format(time.DateOnly), o, max(o, p)+4, min(o, p)-4, p, p, 1000000+d.Day())
	}
	fsys["rty.csv"] = &fstest.MapFile{Data: []byte(b.String())}
	return fsys
}

// Every chart's figure links the numbers it draws, a CSV beside its
// images, labelled in the page's language.
func TestChartData(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "site")
	for _, lang := range []string{"zh", "en"} {
		f := fsys["briefs/rotation/index."+lang+".md"]
		f.Data = bytes.Replace(f.Data, []byte("\n## "), []byte("\n```chart\ntype: candlestick\nsymbols: [RTY]\nperiod: 1M\nmarks: [2026-01-20]\n```\n\n```chart\ntype: ratio\nsymbols: [RTY, SPX]\nperiod: 2D\n```\n\n```chart\ntype: table\ngroup: all\nperiod: 2D\n```\n\n## "), 1)
	}
	cfg := config(fsys)
	cfg.Data, cfg.DataName = ohlcData(), "data/"
	res := mustRun(t, cfg)
	for lang, label := range map[string][2]string{"zh": {"数据", "数据（CSV）："}, "en": {"Data", "Data (CSV): "}} {
		doc := parse(t, res, lang+"/briefs/rotation/index.html")
		links := find(doc, "a", "class", "chart-data")
		if len(links) != 3 || len(find(doc, "p", "class", "chart-data")) != 1 {
			t.Fatalf("%s: %d data links, want 3, one of them a table's, alone", lang, len(links))
		}
		for _, a := range links {
			href, _ := attr(a, "href")
			aria, _ := attr(a, "aria-label")
			data := res.Files[strings.TrimPrefix(href, "/")]
			if text(a) != label[0] || !strings.HasPrefix(aria, label[1]) || !strings.HasSuffix(href, ".csv") {
				t.Errorf("%s: link %q %q to %s", lang, text(a), aria, href)
			}
			if !bytes.HasPrefix(data, []byte("# ")) || !bytes.Contains(data, []byte("\ndate,")) && !bytes.Contains(data, []byte("\nsymbol,name,return,")) {
				t.Errorf("%s: %s holds %.200q", lang, href, data)
			}
		}
	}
}

// The new chart types' mistakes are errors at their line in the brief;
// none hangs the build.
func TestNewChartErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ spec, want string }{
		{"type: candlestick\nsymbols: [SPX]\nperiod: 2D", `:18:1: chart: SPX: data/spx.csv has no Open, High and Low columns beside its close: a candlestick needs them (a line chart needs only the close)`},
		{"type: candelstick\nsymbols: [RTY]\nperiod: 2D", `:17:1: chart: unknown type "candelstick" (did you mean "candlestick"?)`},
		{"type: heatmap\ngroup: all\nperiods: [1D, 2D]\nheight: 300", `:20:1: heatmap chart: height: is for`},
		{"type: line\nsymbols: [RTY]\nperiod: 2D\nmarks:\n  - 2026-01-02", `:21:1: chart: marks: 2026-01-02 is outside the chart's dates 2026-02-05 .. 2026-02-09`},
		{"type: ratio\nsymbols: [RTY]\nperiod: 2D", `:18:1: ratio chart: expected two symbols, [A, B], for A relative to B; got 1`},
	} {
		fsys := fixture(t, "site")
		en := fsys["briefs/rotation/index.en.md"]
		en.Data = bytes.Replace(en.Data, []byte("## Analysis\n"), []byte("## Analysis\n\n```chart\n"+c.spec+"\n```\n"), 1)
		cfg := config(fsys)
		cfg.Data, cfg.DataName = ohlcData(), "data/"
		done := make(chan error, 1)
		go func() {
			_, err := Run(context.Background(), cfg)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "content/briefs/rotation/index.en.md"+c.want) {
				t.Errorf("spec %q:\n got %v\nwant ...%s", c.spec, err, c.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("spec %q: no answer after 20s", c.spec)
		}
	}
}

// open, volume and atr print the session's open and volume and the mean
// true range, with their provenance.
func TestOHLCFunctions(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "site")
	en := fsys["briefs/rotation/index.en.md"]
	en.Data = bytes.Replace(en.Data, []byte("## Analysis\n"), []byte("## Analysis\n\nO {{ open \"RTY\" }} V {{ volume \"RTY\" \"2026-02-06\" }} A {{ atr \"RTY\" 3 }}\n"), 1)
	cfg := config(fsys)
	cfg.Data, cfg.DataName = ohlcData(), "data/"
	res := mustRun(t, cfg)
	doc := parse(t, res, "en/briefs/rotation/index.html")
	var got []string
	for _, d := range find(doc, "data") {
		title, _ := attr(d, "title")
		if strings.Contains(title, " open ") || strings.Contains(title, " volume ") || strings.Contains(title, "true range") {
			got = append(got, text(d)+" | "+title)
		}
	}
	// As ohlcData writes them: Feb 9 opens at Feb 6's close, 2,600.00;
	// Feb 6 trades 1,000,006; the true ranges of Feb 5, 6 and 9 are 10, 11
	// and 9.
	equal(t, "figures", got, []string{
		"2,600.00 | RTY open 2026-02-09 2600.00",
		"1,000,006 | RTY volume 2026-02-06 1000006",
		"10.00 | RTY mean true range of 3 sessions 2026-02-05 .. 2026-02-09 (max(high, prior close) - min(low, prior close))",
	})
}
