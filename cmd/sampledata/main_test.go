package main

import (
	"bytes"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"briefs/internal/market"

	"github.com/pelletier/go-toml/v2"
)

// generated data, made once for the tests that only read it.
var (
	genOnce sync.Once
	genDir  string
	genErr  error
)

// sample generates the default data into a directory shared by the tests.
func sample(t *testing.T) string {
	t.Helper()
	genOnce.Do(func() {
		genDir, genErr = os.MkdirTemp("", "sampledata")
		if genErr == nil {
			genErr = run([]string{"-out", genDir}, os.Stderr)
		}
	})
	if genErr != nil {
		t.Fatal(genErr)
	}
	return genDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if genDir != "" {
		os.RemoveAll(genDir)
	}
	os.Exit(code)
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameTree(t *testing.T, got, want map[string][]byte, what string) {
	t.Helper()
	for name, data := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: %s is missing", what, name)
		case !bytes.Equal(g, data):
			t.Errorf("%s: %s differs", what, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected file %s", what, name)
		}
	}
}

func TestDeterministic(t *testing.T) {
	other := t.TempDir()
	done := make(chan error)
	go func() { done <- run([]string{"-out", other}, os.Stderr) }() // beside the first run
	first := sample(t)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, first), readTree(t, other)
	if want := 3 + len(symbolsOut); len(a) != want { // tickers.toml, the wide file, SPY_TA and the others
		t.Errorf("%d files, want %d", len(a), want)
	}
	sameTree(t, b, a, "second run")
}

// TestCheckedIn keeps content/data what the generator writes: regenerate it
// with make sample-data rather than editing it.
func TestCheckedIn(t *testing.T) {
	dir := filepath.Join("..", "..", "content", "data")
	if _, err := os.Stat(filepath.Join(dir, "tickers.toml")); err != nil {
		t.Fatalf("content/data: %v (run make sample-data)", err)
	}
	sameTree(t, readTree(t, dir), readTree(t, sample(t)), "content/data (run make sample-data)")
}

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	prices := filepath.Join(dir, "prices")
	if err := os.MkdirAll(prices, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(prices, "OLD.csv")
	notes := filepath.Join(prices, "notes.txt")
	for _, p := range []string{stale, notes} {
		if err := os.WriteFile(p, []byte("Date,Close\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := write(dir, []outFile{{"tickers.toml", tickersTOML()}, {"prices/SPX.csv", []byte("Date,Close\n")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale %s not removed: %v", stale, err)
	}
	if _, err := os.Stat(notes); err != nil {
		t.Errorf("%s, not a CSV, removed: %v", notes, err)
	}

	foreign := t.TempDir()
	toml := filepath.Join(foreign, "tickers.toml")
	if err := os.WriteFile(toml, []byte("# Real prices\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := write(foreign, []outFile{{"tickers.toml", tickersTOML()}})
	if err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("writing over a foreign tickers.toml: err = %v, want a refusal", err)
	}
	if data, _ := os.ReadFile(toml); string(data) != "# Real prices\n" {
		t.Errorf("foreign tickers.toml changed to %q", data)
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-out", t.TempDir(), "-end", "2026-13-01"},
		{"-out", t.TempDir(), "-start", "yesterday"},
		{"-out", t.TempDir(), "-start", "2024-01-02"},
		{"-out", t.TempDir(), "extra"},
		{"-nope"},
	} {
		var stderr bytes.Buffer
		if err := run(args, &stderr); err == nil {
			t.Errorf("run %q: no error", args)
		}
	}
}

func TestCalendar(t *testing.T) {
	for y, want := range map[int]string{2015: "2015-04-05", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2038: "2038-04-25"} {
		if got := easter(y).Format(time.DateOnly); got != want {
			t.Errorf("easter(%d) = %s, want %s", y, got, want)
		}
	}
	cal := newCalendar(day(2015, 1, 1), day(2026, 12, 31))
	open := map[string]bool{}
	for _, d := range cal.tdays {
		open[d.Format(time.DateOnly)] = true
	}
	for _, d := range []string{
		"2015-01-01", "2015-04-03", "2016-12-26", "2017-01-02", "2018-12-05", "2020-07-03", "2021-12-24",
		"2022-01-17", "2022-02-21", "2022-05-30", "2022-06-20", "2023-06-19", "2024-11-28", "2025-01-09",
		"2025-12-25", "2026-04-03", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26",
	} {
		if open[d] {
			t.Errorf("%s is a trading day; want closed", d)
		}
	}
	for _, d := range []string{
		"2021-12-31", // New Year's Day 2022 was a Saturday: not observed
		"2021-06-18", // no Juneteenth before 2022
		"2015-01-02", "2020-11-27", "2024-12-24", "2026-04-06", "2026-11-20",
	} {
		if !open[d] {
			t.Errorf("%s is closed; want a trading day", d)
		}
	}
	// About 252 trading days a year.
	for y := 2015; y <= 2026; y++ {
		n := 0
		for _, d := range cal.tdays {
			if d.Year() == y {
				n++
			}
		}
		if n < 249 || n > 253 {
			t.Errorf("%d has %d trading days", y, n)
		}
	}
}

// load reads the generated data with the project's loader.
func load(t *testing.T) *market.Universe {
	t.Helper()
	u, err := market.Load(os.DirFS(sample(t)), "content/data/")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestLoads(t *testing.T) {
	u := load(t)
	var keys []string
	for _, s := range append(slices.Clone(symbolsOut), spyTA) {
		keys = append(keys, s.key)
		sym := u.Symbols[s.key]
		if sym == nil {
			t.Errorf("symbol %s not loaded", s.key)
			continue
		}
		if sym.Kind != s.kind || sym.Name["zh"] != s.zh || sym.Name["en"] != s.en {
			t.Errorf("symbol %s: kind %q name %v", s.key, sym.Kind, sym.Name)
		}
		if n := len(sym.Series.Closes); n < 1000 {
			t.Errorf("symbol %s: %d rows", s.key, n)
		}
	}
	for _, g := range groupsOut {
		lg := u.Groups[g.key]
		if lg == nil {
			t.Errorf("group %s not loaded", g.key)
			continue
		}
		if g.file == "" && !slices.Equal(lg.Members, g.members) {
			t.Errorf("group %s: members %v, want %v", g.key, lg.Members, g.members)
		}
	}
	wide := u.Groups["sp500_2024"]
	if wide == nil || len(wide.Members) != wideN {
		t.Fatalf("sp500_2024: %v, want %d members", wide, wideN)
	}
	for _, m := range wide.Members {
		s := u.Symbols[m].Series
		if first, last := s.Dates[0], s.Dates[len(s.Dates)-1]; !first.Equal(wideStart) || !last.Equal(wideEnd) || len(s.Dates) < 245 {
			t.Errorf("%s: %d rows %s to %s", m, len(s.Dates), first.Format(time.DateOnly), last.Format(time.DateOnly))
		}
	}
	if got, want := len(u.Symbols), len(keys)+wideN; got != want {
		t.Errorf("%d symbols, want %d", got, want)
	}
}

// TestSameKeysAsRealData compares tickers.toml with the real data's, when
// it is there: the same symbols, names and kinds, the same groups. Only the
// real tickers.toml is read, never its prices.
func TestSameKeysAsRealData(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "data", "market", "tickers.toml"))
	if err != nil {
		t.Skip("no real data to compare with:", err)
	}
	type entry struct {
		Name    map[string]string `toml:"name"`
		Kind    string            `toml:"kind"`
		Members []string          `toml:"members"`
		File    string            `toml:"file"`
	}
	type tickers struct {
		Symbols map[string]entry `toml:"symbols"`
		Groups  map[string]entry `toml:"groups"`
	}
	var real, ours tickers
	if err := toml.Unmarshal(data, &real); err != nil {
		t.Fatal(err)
	}
	if err := toml.Unmarshal(tickersTOML(), &ours); err != nil {
		t.Fatal(err)
	}
	same := func(what string, a, b map[string]entry) {
		t.Helper()
		if !slices.Equal(slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b))) {
			t.Errorf("%s: %v, real %v", what, slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b)))
		}
		for key, r := range b {
			o := a[key]
			if !maps.Equal(o.Name, r.Name) || o.Kind != r.Kind || !slices.Equal(o.Members, r.Members) || (o.File == "") != (r.File == "") {
				t.Errorf("%s %s: %+v, real %+v", what, key, o, r)
			}
		}
	}
	same("symbols", ours.Symbols, real.Symbols)
	same("groups", ours.Groups, real.Groups)
}

// rawRows reads a generated CSV as rows of fields, header first, a leading
// byte order mark and quotes removed.
func rawRows(t *testing.T, name string) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sample(t), "prices", name))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		fields := strings.Split(line, ",")
		for i, f := range fields {
			fields[i] = strings.Trim(f, `"`)
		}
		rows = append(rows, fields)
	}
	return rows
}

func TestShapes(t *testing.T) {
	headers := map[string]string{
		"SPX.csv":        "Date,Open,High,Low,Close,Adj Close,Volume",
		"BTC.csv":        "Date,Open,High,Low,Close,Adj Close,Volume",
		"RTY.csv":        "date,open,high,low,close,volume",
		"IWM.csv":        "Date,Close,High,Low,Open,Volume",
		"XLK.csv":        "Date,Close",
		"SP500FRED.csv":  "observation_date,SP500",
		"VIX.csv":        "DATE,OPEN,HIGH,LOW,CLOSE",
		"S5TH.csv":       "Date,Price,Open,High,Low,Vol.,Change %",
		"SPY_TA.csv":     ",date,open,high,low,close,volume",
		"sp500_2024.csv": "Date,S001,S002",
	}
	for name, want := range headers {
		if got := strings.Join(rawRows(t, name)[0], ","); !strings.HasPrefix(got, want) {
			t.Errorf("%s: header %s, want %s", name, got, want)
		}
	}
	data, err := os.ReadFile(filepath.Join(sample(t), "prices", "S5TH.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\uFEFF\"Date\",\"Price\"")) || !bytes.Contains(data, []byte("\n\"11/20/2026\",\"")) {
		t.Errorf("S5TH.csv: not investing.com's shape: %.60q", data)
	}
	s5 := rawRows(t, "S5TH.csv")
	if s5[1][0] != "11/20/2026" || s5[len(s5)-1][0] != "01/02/2015" {
		t.Errorf("S5TH.csv: rows %s to %s, want newest first", s5[1][0], s5[len(s5)-1][0])
	}

	// OHLC consistency, positive prices and volumes.
	cols := map[string][4]int{ // open, high, low, close
		"SPX.csv": {1, 2, 3, 4}, "NDX.csv": {1, 2, 3, 4}, "SPY.csv": {1, 2, 3, 4}, "QQQ.csv": {1, 2, 3, 4},
		"BTC.csv": {1, 2, 3, 4}, "NVDA.csv": {1, 2, 3, 4}, "RTY.csv": {1, 2, 3, 4}, "COMP.csv": {1, 2, 3, 4},
		"AAPL.csv": {1, 2, 3, 4}, "IWM.csv": {4, 2, 3, 1}, "VIX.csv": {1, 2, 3, 4}, "S5TH.csv": {2, 3, 4, 1},
		"SPY_TA.csv": {2, 3, 4, 5},
	}
	for name, c := range cols {
		for i, row := range rawRows(t, name)[1:] {
			var v [4]float64
			for j, col := range c {
				f, err := strconv.ParseFloat(row[col], 64)
				if err != nil || f <= 0 {
					t.Fatalf("%s line %d: %q: not a positive number", name, i+2, row[col])
				}
				v[j] = f
			}
			o, h, l, cl := v[0], v[1], v[2], v[3]
			if l > min(o, cl) || h < max(o, cl) {
				t.Fatalf("%s line %d: open %v high %v low %v close %v", name, i+2, o, h, l, cl)
			}
		}
	}
	for _, row := range rawRows(t, "SPX.csv")[1:] {
		if row[4] != row[5] {
			t.Fatalf("SPX %s: Adj Close %s differs from Close %s", row[0], row[5], row[4])
		}
	}
	for i, row := range rawRows(t, "SPY.csv")[1:] {
		if adj, c := parse(t, row[5]), parse(t, row[4]); adj > c || adj < 0.7*c {
			t.Fatalf("SPY line %d: Adj Close %v, Close %v", i+2, adj, c)
		}
	}

	// FRED: every weekday, empty on holidays only.
	spx := map[string]string{}
	for _, row := range rawRows(t, "SPX.csv")[1:] {
		spx[row[0]] = row[4]
	}
	empty := 0
	for _, row := range rawRows(t, "SP500FRED.csv")[1:] {
		d, err := time.Parse(time.DateOnly, row[0])
		if err != nil || d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			t.Fatalf("SP500FRED: date %s", row[0])
		}
		if row[1] != spx[row[0]] {
			t.Fatalf("SP500FRED %s: %q, SPX %q", row[0], row[1], spx[row[0]])
		}
		if row[1] == "" {
			empty++
		}
	}
	if empty < 9*12 || empty > 10*12+3 {
		t.Errorf("SP500FRED: %d empty weekdays, want the holidays", empty)
	}
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// rets returns the log returns of s between consecutive dates of on (a
// trading calendar), where s has both dates.
func rets(s *market.Series, on []time.Time) map[time.Time]float64 {
	at := map[time.Time]float64{}
	for i, d := range s.Dates {
		at[d] = s.Closes[i]
	}
	r := map[time.Time]float64{}
	for i := 1; i < len(on); i++ {
		a, okA := at[on[i-1]]
		b, okB := at[on[i]]
		if okA && okB {
			r[on[i]] = math.Log(b / a)
		}
	}
	return r
}

// annualVol is the annualized standard deviation of s's daily log returns.
func annualVol(s *market.Series, perYear float64) float64 {
	var x []float64
	for i := 1; i < len(s.Closes); i++ {
		x = append(x, math.Log(s.Closes[i]/s.Closes[i-1]))
	}
	return stddev(x) * math.Sqrt(perYear)
}

func stddev(x []float64) float64 {
	var m, v float64
	for _, a := range x {
		m += a
	}
	m /= float64(len(x))
	for _, a := range x {
		v += (a - m) * (a - m)
	}
	return math.Sqrt(v / float64(len(x)-1))
}

func corr(a, b map[time.Time]float64) float64 {
	var x, y []float64
	for d, v := range a {
		if w, ok := b[d]; ok {
			x = append(x, v)
			y = append(y, w)
		}
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestRealism(t *testing.T) {
	u := load(t)
	series := func(key string) *market.Series { return u.Symbols[key].Series }
	spx := series("SPX")
	days := spx.Dates
	r := func(key string) map[time.Time]float64 { return rets(series(key), days) }
	rSPX := r("SPX")

	vol := map[string]float64{}
	for key := range u.Symbols {
		per := 252.0
		if key == "BTC" {
			per = 365
		}
		vol[key] = annualVol(series(key), per)
	}
	t.Logf("annualized vol: SPX %.3f NDX %.3f RTY %.3f GLD %.3f SLV %.3f BTC %.3f", vol["SPX"], vol["NDX"], vol["RTY"], vol["GLD"], vol["SLV"], vol["BTC"])
	if v := vol["SPX"]; v < 0.12 || v > 0.22 {
		t.Errorf("SPX vol %.3f, want 0.12 to 0.22", v)
	}
	if vol["RTY"] <= vol["SPX"] {
		t.Errorf("RTY vol %.3f not above SPX's %.3f", vol["RTY"], vol["SPX"])
	}
	for _, m := range []string{"AAPL", "MSFT", "GOOGL", "AMZN", "META"} {
		if vol[m] >= vol["NVDA"] {
			t.Errorf("%s vol %.3f not below NVDA's %.3f", m, vol[m], vol["NVDA"])
		}
	}
	if v := vol["BTC"]; v < 0.5 || v > 0.8 {
		t.Errorf("BTC vol %.3f, want 0.5 to 0.8", v)
	}
	if vol["SLV"] <= vol["GLD"] {
		t.Errorf("SLV vol %.3f not above GLD's %.3f", vol["SLV"], vol["GLD"])
	}

	check := func(a, b string, lo, hi float64) {
		t.Helper()
		c := corr(r(a), r(b))
		t.Logf("corr(%s, %s) = %.3f", a, b, c)
		if c < lo || c > hi {
			t.Errorf("corr(%s, %s) = %.3f, want %.2f to %.2f", a, b, c, lo, hi)
		}
	}
	for _, s := range groupsOut[0].members {
		lo := 0.5
		if s == "XLE" {
			lo = 0.3
		}
		check(s, "SPX", lo, 0.97)
	}
	check("IWM", "RTY", 0.95, 1)
	check("SPY", "SPX", 0.99, 1)
	check("QQQ", "NDX", 0.99, 1)
	check("COMP", "NDX", 0.9, 1)
	check("RTY", "SPX", 0.7, 0.97)
	check("GLD", "SPX", -0.3, 0.3)
	check("SLV", "GLD", 0.6, 0.95)
	check("BTC", "SPX", -0.1, 0.4)
	for _, m := range groupsOut[1].members {
		check(m, "NDX", 0.3, 0.9)
	}

	// VIX rises when the market falls, and stays in its range.
	vix := series("VIX")
	dv := map[time.Time]float64{}
	for i := 1; i < len(vix.Dates); i++ {
		dv[vix.Dates[i]] = vix.Closes[i] - vix.Closes[i-1]
	}
	c := corr(dv, rSPX)
	t.Logf("corr(VIX change, SPX) = %.3f, VIX %.2f to %.2f", c, slices.Min(vix.Closes), slices.Max(vix.Closes))
	if c > -0.5 {
		t.Errorf("corr(VIX daily change, SPX return) = %.3f, want below -0.5", c)
	}
	if lo, hi := slices.Min(vix.Closes), slices.Max(vix.Closes); lo < 9 || hi > 80.5 {
		t.Errorf("VIX %.2f to %.2f, want 9 to 80", lo, hi)
	}
	if !slices.EqualFunc(vix.Dates, days, time.Time.Equal) {
		t.Errorf("VIX dates differ from SPX's")
	}

	// Breadth: a percentage, moving with the market, smooth.
	b := series("S5TH")
	var jumps []float64
	for i := 1; i < len(b.Closes); i++ {
		jumps = append(jumps, b.Closes[i]-b.Closes[i-1])
	}
	c = corr(rets(b, days), rSPX)
	t.Logf("S5TH %.2f to %.2f, daily change sd %.2f, corr with SPX %.3f", slices.Min(b.Closes), slices.Max(b.Closes), stddev(jumps), c)
	if lo, hi := slices.Min(b.Closes), slices.Max(b.Closes); lo <= 0 || hi > 100 || hi-lo < 50 {
		t.Errorf("S5TH %.2f to %.2f, want a wide range in (0, 100]", lo, hi)
	}
	if sd := stddev(jumps); sd > 6 {
		t.Errorf("S5TH daily change sd %.2f: not smooth", sd)
	}
	if c < 0.3 {
		t.Errorf("corr(S5TH, SPX) = %.3f, want the breadth to move with the market", c)
	}

	// Calendars.
	hasSaturday := func(s *market.Series) bool {
		return slices.ContainsFunc(s.Dates, func(d time.Time) bool { return d.Weekday() == time.Saturday })
	}
	if !hasSaturday(series("BTC")) {
		t.Errorf("BTC has no Saturday rows")
	}
	for key, s := range u.Symbols {
		if key != "BTC" && hasSaturday(s.Series) {
			t.Errorf("%s has Saturday rows", key)
		}
	}
	for _, d := range []time.Time{day(2025, 12, 25), day(2026, 4, 3)} {
		if slices.ContainsFunc(days, d.Equal) {
			t.Errorf("SPX has a row on %s", d.Format(time.DateOnly))
		}
	}
	if first, last := days[0], days[len(days)-1]; !first.Equal(day(2015, 1, 2)) || !last.Equal(day(2026, 11, 20)) {
		t.Errorf("SPX from %s to %s", first.Format(time.DateOnly), last.Format(time.DateOnly))
	}
	for _, key := range []string{"SP500FRED", "SPY", "SPY_TA", "QQQ", "IWM", "RTY", "NDX", "COMP", "GLD", "VIX", "S5TH"} {
		if !slices.EqualFunc(series(key).Dates, days, time.Time.Equal) {
			t.Errorf("%s dates differ from SPX's", key)
		}
	}
	if !slices.Equal(series("SP500FRED").Closes, spx.Closes) {
		t.Errorf("SP500FRED differs from SPX")
	}
	if !slices.Equal(series("SPY_TA").Closes, series("SPY").Closes) {
		t.Errorf("SPY_TA differs from SPY")
	}
	for _, k := range [][2]string{{"SPY", "SPX"}, {"IWM", "RTY"}, {"QQQ", "NDX"}} {
		etf, idx := series(k[0]).Closes, series(k[1]).Closes
		if q := etf[0] / idx[0] / (etf[len(etf)-1] / idx[len(idx)-1]); q < 0.97 || q > 1.03 {
			t.Errorf("%s drifts from %s: ratio changes by %.3f", k[0], k[1], q)
		}
	}

	// Plausible levels: growth over the years, nothing absurd.
	for key, s := range u.Symbols {
		lo, hi := slices.Min(s.Series.Closes), slices.Max(s.Series.Closes)
		if s.Kind != "breadth" && (lo < 0.5 || hi > 1e6 || hi/lo > 2000) {
			t.Errorf("%s: %.4f to %.2f", key, lo, hi)
		}
	}
	for _, key := range []string{"SPX", "NDX", "RTY", "COMP", "GLD", "SLV", "BTC", "NVDA", "VIX"} {
		c := series(key).Closes
		t.Logf("%-5s first %10.2f last %10.2f min %10.2f max %10.2f", key, c[0], c[len(c)-1], slices.Min(c), slices.Max(c))
	}
	for _, key := range []string{"SPX", "NDX", "RTY", "GLD", "BTC"} {
		s := series(key)
		growth := s.Closes[len(s.Closes)-1] / s.Closes[0]
		if growth < 1.2 || growth > 1000 {
			t.Errorf("%s grows %.2fx", key, growth)
		}
		line := key + " yearly:"
		yearEnd := map[int]float64{}
		for i, d := range s.Dates {
			yearEnd[d.Year()] = s.Closes[i]
		}
		prev := s.Closes[0]
		for y := 2015; y <= 2026; y++ {
			line += " " + strconv.Itoa(y%100) + ":" + strconv.FormatFloat(100*(yearEnd[y]/prev-1), 'f', 0, 64) + "%"
			prev = yearEnd[y]
		}
		t.Log(line)
	}
}
