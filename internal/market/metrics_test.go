package market

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture builds a universe of three symbols from 2024-06-03 to 2026-03-31:
// A trades on weekdays except US holidays, B trades on weekdays with other
// gaps (days A has that B lacks, and the reverse), C trades every day
// (crypto). Prices follow a deterministic random walk.
func fixture() *Universe {
	u := &Universe{Symbols: map[string]*Symbol{}, Groups: map[string]*Group{}}
	holidays := map[string]bool{"2024-07-04": true, "2024-12-25": true, "2025-01-01": true, "2025-01-20": true,
		"2025-04-18": true, "2025-07-04": true, "2025-12-25": true, "2026-01-01": true, "2026-01-19": true, "2026-02-16": true}
	bGaps := map[string]bool{"2025-03-03": true, "2025-11-04": true, "2025-11-05": true, "2026-02-02": true, "2026-02-09": true}
	seed := uint64(42)
	rnd := func() float64 { // uniform in [-1, 1)
		seed = seed*6364136223846793005 + 1442695040888963407
		return float64(seed>>11)/float64(1<<52) - 1
	}
	mk := func(sym string, start float64) *Series {
		u.Symbols[sym] = &Symbol{Key: sym, Name: map[string]string{"en": sym + " name", "zh": sym + "名"}, Kind: "index",
			Series: &Series{Symbol: sym, File: sym + ".csv"}}
		_ = start
		return u.Symbols[sym].Series
	}
	a, b, c := mk("A", 100), mk("B", 50), mk("C", 30000)
	pa, pb, pc := 100.0, 50.0, 30000.0
	for t := d("2024-06-03"); !t.After(d("2026-03-31")); t = t.AddDate(0, 0, 1) {
		s := t.Format(time.DateOnly)
		shock := rnd()
		pc *= 1 + 0.03*rnd()
		c.Dates, c.Closes = append(c.Dates, t), append(c.Closes, pc)
		if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday || holidays[s] {
			continue
		}
		pa *= 1 + 0.0004 + 0.012*shock
		pb *= 1 + 0.0002 + 0.008*shock + 0.01*rnd()
		a.Dates, a.Closes = append(a.Dates, t), append(a.Closes, pa)
		if !bGaps[s] {
			b.Dates, b.Closes = append(b.Dates, t), append(b.Closes, pb)
		}
	}
	u.Groups["G"] = &Group{Key: "G", Name: map[string]string{"en": "Group"}, Members: []string{"A", "B", "C"}}
	addOHLC(a)
	return u
}

// addOHLC gives s an open, high, low and volume on every row, from a
// random stream of its own (the closes stay as they are): the open near
// the close before, the high and low beyond both.
func addOHLC(s *Series) {
	seed := uint64(7)
	rnd := func() float64 { // uniform in [0, 1)
		seed = seed*6364136223846793005 + 1442695040888963407
		return float64(seed>>11) / float64(1<<53)
	}
	n := len(s.Closes)
	s.Opens, s.Highs, s.Lows, s.Volumes = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, c := range s.Closes {
		o := c * (1 + 0.01*(rnd()-0.5))
		if i > 0 {
			o = s.Closes[i-1] * (1 + 0.006*(rnd()-0.5))
		}
		s.Opens[i] = o
		s.Highs[i] = max(o, c) * (1 + 0.01*rnd())
		s.Lows[i] = min(o, c) * (1 - 0.01*rnd())
		s.Volumes[i] = math.Round(1e6 * (1 + 3*rnd()))
	}
}

// TestMetricsAgainstPandas computes every metric and period rule with the
// Go code and, independently, with pandas (testdata/metrics.py), on as-of
// dates that fall on trading days, weekends, holidays and B's gaps.
func TestMetricsAgainstPandas(t *testing.T) {
	python := "/usr/bin/python3"
	if exec.Command(python, "-c", "import pandas").Run() != nil {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
			t.Fatal("pandas is required (apt-get install python3-pandas)")
		}
		t.Skip("pandas not installed (apt-get install python3-pandas)")
	}
	u := fixture()
	dir := t.TempDir()
	writeWide(t, u, filepath.Join(dir, "fixture.csv"))
	writeOHLC(t, u.Symbols["A"].Series, filepath.Join(dir, "ohlc.csv"))

	type query struct {
		M    string   `json:"m"`
		Args []string `json:"args"`
		AsOf string   `json:"asof"`
	}
	var qs []query
	asofs := []string{
		"2026-02-09", // a Monday, a gap of B
		"2026-02-14", // a Saturday
		"2026-02-16", // Presidents' Day: A and B closed
		"2025-12-31", // year end
		"2026-03-31", // quarter end, last row
		"2025-05-31", // a Saturday at month end: 3M reaches Feb 28
		"2025-11-05", // B's gap
		"2025-03-01", // a Saturday at a month's start: MTD is the day of Feb 28's close, 0
		"2024-07-04", // a holiday: 1W starts at the close of 2024-06-27, not 06-26
	}
	for _, asof := range asofs {
		for _, sym := range []string{"A", "B", "C"} {
			qs = append(qs, query{"close", []string{sym}, asof})
			for _, p := range []string{"1D", "5D", "1W", "2W", "1M", "3M", "6M", "1Y", "YTD", "QTD", "MTD"} {
				qs = append(qs, query{"ret", []string{sym, p}, asof}, query{"drawdown", []string{sym, p}, asof},
					query{"high", []string{sym, p}, asof}, query{"low", []string{sym, p}, asof}, query{"pctrank", []string{sym, p}, asof},
					query{"change", []string{sym, p}, asof}, query{"annret", []string{sym, p}, asof})
			}
			for _, n := range []string{"1", "5", "20", "50", "200"} {
				qs = append(qs, query{"sma", []string{sym, n}, asof}, query{"ema", []string{sym, n}, asof})
			}
			for _, n := range []string{"2", "20", "60"} {
				qs = append(qs, query{"vol", []string{sym, n}, asof})
			}
		}
		qs = append(qs, query{"open", []string{"A"}, asof}, query{"volume", []string{"A"}, asof},
			query{"openOn", []string{"A", "2025-03-01"}, asof}, query{"volumeOn", []string{"A", "2025-11-05"}, asof})
		for _, n := range []string{"1", "5", "14", "20", "400"} {
			qs = append(qs, query{"atr", []string{"A", n}, asof})
		}
		qs = append(qs,
			query{"closeOn", []string{"B", "2025-03-03"}, asof}, // a gap of B
			query{"retBetween", []string{"A", "2025-01-01", "2025-05-30"}, asof},
			query{"spread", []string{"A", "B", "3M"}, asof},
			query{"spread", []string{"C", "A", "YTD"}, asof},
			query{"corr", []string{"A", "B", "20"}, asof}, query{"corr", []string{"A", "C", "60"}, asof},
			query{"beta", []string{"B", "A", "60"}, asof}, query{"beta", []string{"C", "A", "20"}, asof},
			query{"breadth", []string{"G", "20"}, asof}, query{"breadth", []string{"G", "50"}, asof},
			query{"rank", []string{"G", "1M"}, asof}, query{"rank", []string{"G", "YTD"}, asof},
		)
	}
	qfile := filepath.Join(dir, "queries.json")
	data, _ := json.Marshal(qs)
	if err := os.WriteFile(qfile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/metrics.py", filepath.Join(dir, "fixture.csv"), qfile, filepath.Join(dir, "ohlc.csv"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pandas: %v\n%s", err, stderr.String())
	}
	var want []json.RawMessage
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(qs) {
		t.Fatalf("pandas answered %d queries of %d", len(want), len(qs))
	}
	checked := 0
	for i, q := range qs {
		v := u.At(d(q.AsOf))
		n := func(k int) int { x, _ := strconv.Atoi(q.Args[k]); return x }
		var got Result
		var err error
		switch q.M {
		case "close":
			got, err = v.Close(q.Args[0])
		case "closeOn":
			got, err = v.CloseOn(q.Args[0], q.Args[1])
		case "ret":
			got, err = v.Ret(q.Args[0], q.Args[1])
		case "retBetween":
			got, err = v.RetBetween(q.Args[0], q.Args[1], q.Args[2])
		case "sma":
			got, err = v.SMA(q.Args[0], n(1))
		case "ema":
			got, err = v.EMA(q.Args[0], n(1))
		case "vol":
			got, err = v.Vol(q.Args[0], n(1))
		case "open":
			got, err = v.Open(q.Args[0])
		case "openOn":
			got, err = v.OpenOn(q.Args[0], q.Args[1])
		case "volume":
			got, err = v.Volume(q.Args[0])
		case "volumeOn":
			got, err = v.VolumeOn(q.Args[0], q.Args[1])
		case "atr":
			got, err = v.ATR(q.Args[0], n(1))
		case "change":
			got, err = v.Change(q.Args[0], q.Args[1])
		case "annret":
			got, err = v.AnnRet(q.Args[0], q.Args[1])
		case "drawdown":
			got, err = v.Drawdown(q.Args[0], q.Args[1])
		case "high":
			got, err = v.High(q.Args[0], q.Args[1])
		case "low":
			got, err = v.Low(q.Args[0], q.Args[1])
		case "pctrank":
			got, err = v.PctRank(q.Args[0], q.Args[1])
		case "spread":
			got, err = v.Spread(q.Args[0], q.Args[1], q.Args[2])
		case "corr":
			got, err = v.Corr(q.Args[0], q.Args[1], n(2))
		case "beta":
			got, err = v.Beta(q.Args[0], q.Args[1], n(2))
		case "breadth":
			got, err = v.Breadth(q.Args[0], n(1))
		case "rank":
			rows, err := v.Rank(q.Args[0], q.Args[1])
			if string(want[i]) == "null" && err != nil {
				checked++
				continue
			}
			if err != nil {
				t.Errorf("%v: %v", q, err)
				continue
			}
			var w [][2]any
			if err := json.Unmarshal(want[i], &w); err != nil {
				t.Fatal(err)
			}
			for k, row := range rows {
				if row.Symbol != w[k][0] || !close(row.Value, w[k][1].(float64)) {
					t.Errorf("%v as of %s: row %d = %s %v, pandas %v", q.M, q.AsOf, k, row.Symbol, row.Value, w[k])
				}
			}
			checked++
			continue
		}
		if string(want[i]) == "null" {
			if err == nil {
				t.Errorf("%s %v as of %s = %v; pandas has no answer (window before the data), want an error", q.M, q.Args, q.AsOf, got.Value)
			}
			checked++
			continue
		}
		if err != nil {
			t.Errorf("%s %v as of %s: %v", q.M, q.Args, q.AsOf, err)
			continue
		}
		var w float64
		if err := json.Unmarshal(want[i], &w); err != nil {
			t.Fatalf("%s %v: pandas gave %s", q.M, q.Args, want[i])
		}
		if !close(got.Value, w) {
			t.Errorf("%s %v as of %s = %.12g, pandas %.12g (%s)", q.M, q.Args, q.AsOf, got.Value, w, got.Desc)
		}
		checked++
	}
	if checked < 1000 {
		t.Errorf("only %d figures checked", checked)
	}
	t.Logf("%d figures agree with pandas", checked)
}

func close(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func writeWide(t *testing.T, u *Universe, path string) {
	t.Helper()
	syms := []string{"A", "B", "C"}
	rows := map[time.Time][]string{}
	var dates []time.Time
	for k, sym := range syms {
		s := u.Symbols[sym].Series
		for i, dt := range s.Dates {
			if rows[dt] == nil {
				rows[dt] = make([]string, len(syms))
				dates = append(dates, dt)
			}
			rows[dt][k] = strconv.FormatFloat(s.Closes[i], 'g', 17, 64)
		}
	}
	sortDates(dates)
	var b strings.Builder
	b.WriteString("date," + strings.Join(syms, ",") + "\n")
	for _, dt := range dates {
		fmt.Fprintf(&b, "%s,%s\n", dt.Format(time.DateOnly), strings.Join(rows[dt], ","))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeOHLC writes s as a Yahoo-style file for pandas: every number as
// the Go code holds it.
func writeOHLC(t *testing.T, s *Series, path string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("date,open,high,low,close,volume\n")
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 17, 64) }
	for i, dt := range s.Dates {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s\n", dt.Format(time.DateOnly), g(s.Opens[i]), g(s.Highs[i]), g(s.Lows[i]), g(s.Closes[i]), g(s.Volumes[i]))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortDates(ds []time.Time) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Before(ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// BenchmarkMetrics measures one brief's worth of figures: ten metric calls
// of the kinds a brief makes, on ~450 rows per symbol.
func BenchmarkMetrics(b *testing.B) {
	v := fixture().At(d("2026-02-13"))
	b.ReportAllocs()
	for b.Loop() {
		_, _ = v.Close("A")
		_, _ = v.Ret("A", "3M")
		_, _ = v.Ret("B", "YTD")
		_, _ = v.SMA("A", 20)
		_, _ = v.SMA("A", 50)
		_, _ = v.EMA("A", 20)
		_, _ = v.Vol("C", 20)
		_, _ = v.Drawdown("A", "1Y")
		_, _ = v.Corr("A", "B", 60)
		_, _ = v.Rank("G", "1M")
	}
}

// Calendar periods count back from the as-of date, not from the last row
// before it (DESIGN.md section 4); pandas agrees above, and these are the
// two cases the design names.
func TestPeriodsFromTheAsOfDate(t *testing.T) {
	u := fixture()
	// A Saturday at a month's start: MTD starts at Feb 28's close, which
	// is also the last close, so it is 0.
	r, err := u.At(d("2025-03-01")).Ret("A", "MTD")
	if err != nil || r.Value != 0 || !strings.Contains(r.Desc, "2025-02-28") {
		t.Errorf("MTD as of Saturday 2025-03-01 = %v, %v (%s); want 0 from 2025-02-28", r.Value, err, r.Desc)
	}
	// A holiday: 1W starts at the last close on or before 2024-06-27.
	r, err = u.At(d("2024-07-04")).Ret("A", "1W")
	if err != nil || !strings.HasPrefix(r.Desc, "A close 2024-06-27 ") || !strings.Contains(r.Desc, "-> 2024-07-03 ") {
		t.Errorf("1W as of the 2024-07-04 holiday: %v (%s); want 2024-06-27 -> 2024-07-03", err, r.Desc)
	}
}
