package plot

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// csvSpecs are a chart of every type, for the check against pandas.
var csvSpecs = map[string]string{
	"line":        "type: line\nsymbols: [IDX]\nperiod: 3M\noverlays: [sma20, ema50]\n",
	"area":        "type: area\nsymbols: [XLK]\nperiod: 6M\n",
	"rebased":     "type: rebased\nsymbols: [XLK, XLE, XLC]\nperiod: 3M\n",
	"ratio":       "type: ratio\nsymbols: [XLE, IDX]\nperiod: YTD\n",
	"drawdown":    "type: drawdown\nsymbols: [IDX, XLF]\nperiod: 1Y\n",
	"volatility":  "type: volatility\nsymbols: [IDX, XLU]\nperiod: 6M\nwindow: 30\n",
	"bar":         "type: bar\ngroup: sectors\nperiod: 1M\n",
	"candlestick": "type: candlestick\nsymbols: [IDX]\nperiod: 2M\noverlays: [sma10]\n",
	"scatter":     "type: scatter\ngroup: sectors\nperiod: 6M\n",
	"heatmap":     "type: heatmap\ngroup: sectors\nperiods: [5D, 1M, QTD, YTD, 1Y]\n",
	"multiples":   "type: multiples\ngroup: sectors\nperiod: 1Y\n",
	"table":       "type: table\ngroup: sectors\nperiod: 1Y\n",
}

// TestCSVAgainstPandas checks the numbers of every chart type, through
// the CSV a reader downloads, against pandas computing them from the
// price files (testdata/charts.py), as of a trading day, a weekend and a
// holiday-free quarter end.
func TestCSVAgainstPandas(t *testing.T) {
	python := "/usr/bin/python3"
	if exec.Command(python, "-c", "import pandas").Run() != nil {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
			t.Fatal("pandas is required (apt-get install python3-pandas)")
		}
		t.Skip("pandas not installed (apt-get install python3-pandas)")
	}
	dir := writeMarket(t)
	u := loadMarket(t, dir)
	type entry struct {
		Name     string   `json:"name"`
		Type     string   `json:"type"`
		Symbols  []string `json:"symbols"`
		Group    string   `json:"group"`
		Period   string   `json:"period"`
		Periods  []string `json:"periods"`
		Overlays []string `json:"overlays"`
		Window   int      `json:"window"`
		AsOf     string   `json:"asof"`
		CSV      string   `json:"csv"`
	}
	var manifest []entry
	types := map[string]bool{}
	for _, asof := range []string{"2026-02-09", "2026-02-14", "2025-12-31"} {
		for name, src := range csvSpecs {
			s, err := ParseSpec([]byte(src))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			c, err := Prepare(s, u.At(day(asof)), u, text(u, "en"))
			if err != nil {
				t.Fatalf("%s as of %s: %v", name, asof, err)
			}
			data := c.CSV()
			checkCSV(t, name, data)
			file := filepath.Join(dir, name+"-"+asof+".csv")
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			manifest = append(manifest, entry{name + " as of " + asof, s.Type, s.Symbols, s.Group, s.Period, s.Periods, s.Overlays, s.Window, asof, file})
			types[s.Type] = true
		}
	}
	if len(types) != len(Types) {
		t.Errorf("%d types checked, want all %d", len(types), len(Types))
	}
	mfile := filepath.Join(dir, "charts.json")
	data, _ := json.Marshal(manifest)
	if err := os.WriteFile(mfile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/charts.py", dir, mfile)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	var res struct {
		Checked  int      `json:"checked"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
	if res.Checked < 5000 {
		t.Errorf("only %d numbers checked", res.Checked)
	}
	t.Logf("%d numbers of %d charts agree with pandas", res.Checked, len(manifest))
}

// checkCSV checks the shape of a chart's CSV: comment lines first, each
// "# ", then a header and rows of as many fields, every number finite.
func checkCSV(t *testing.T, name string, data []byte) {
	t.Helper()
	lines := bytes.Split(data, []byte("\n"))
	i := 0
	for ; i < len(lines) && bytes.HasPrefix(lines[i], []byte("# ")); i++ {
	}
	if i < 5 {
		t.Errorf("%s: %d comment lines, want the title, the as-of date, the chart, the symbols and the columns", name, i)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.Join(lines[i:], []byte("\n")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s: %d rows", name, len(rows))
	}
	for _, r := range rows[1:] {
		for _, f := range r {
			if f == "NaN" || strings.Contains(f, "Inf") {
				t.Errorf("%s: cell %q", name, f)
			}
		}
	}
}

// BenchmarkTypes draws a chart of each type (the charts of the pandas
// check, as of 2026-02-09) in the desktop layout at 2x, light and dark
// PNGs per op, and reports images per second, and per second of CPU
// time (on a machine that others share, the wall clock says little).
func BenchmarkTypes(b *testing.B) {
	u := loadMarket(b, writeMarket(b))
	font := cjk(b)
	for _, name := range slices.Sorted(maps.Keys(csvSpecs)) {
		s, err := ParseSpec([]byte(csvSpecs[name]))
		if err != nil {
			b.Fatal(err)
		}
		c, err := Prepare(s, u.At(day("2026-02-09")), u, text(u, "zh"))
		if err != nil {
			b.Fatal(err)
		}
		if !c.HasImage() {
			continue
		}
		b.Run(name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if _, _, err := Render(c, font, Desktop, 2); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "images/s")
			if cpu := cpuTime() - cpu; cpu > 0 {
				b.ReportMetric(2*float64(b.N)/cpu.Seconds(), "images/cpu-s")
			}
		})
	}
}
