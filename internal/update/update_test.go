package update

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/market"
)

// fixture is a market data folder and a provider serving CSV files.
type fixture struct {
	t   *testing.T
	dir string
	srv *httptest.Server

	mu       sync.Mutex
	handlers map[string]http.HandlerFunc // by the provider's symbol
	requests []*http.Request
}

// newFixture writes files (paths in the data folder) and a tickers.toml
// naming every prices/<SYMBOL>.csv among them, plus the symbols extra,
// and starts a provider that serves /<symbol>.csv.
func newFixture(t *testing.T, files map[string]string, extra ...string) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), handlers: map[string]http.HandlerFunc{}}
	var symbols []string
	for name, data := range files {
		p := filepath.Join(f.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if sym, ok := strings.CutPrefix(name, "prices/"); ok {
			symbols = append(symbols, strings.TrimSuffix(sym, ".csv"))
		}
	}
	if _, ok := files["tickers.toml"]; !ok {
		var b strings.Builder
		for _, s := range slices.Sorted(slices.Values(append(symbols, extra...))) {
			fmt.Fprintf(&b, "[symbols.%s]\nfile = \"prices/%s.csv\"\nname = { en = %q }\nkind = \"etf\"\n\n", s, s, s)
		}
		if err := os.WriteFile(filepath.Join(f.dir, "tickers.toml"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sym := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".csv")
		f.mu.Lock()
		f.requests = append(f.requests, r)
		h := f.handlers[sym]
		f.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// serve answers symbol's downloads with body.
func (f *fixture) serve(symbol, body string) {
	f.handle(symbol, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		fmt.Fprint(w, body)
	})
}

func (f *fixture) handle(symbol string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[symbol] = h
}

// hits counts the downloads of a provider's symbol.
func (f *fixture) hits(symbol string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.URL.Path == "/"+symbol+".csv" {
			n++
		}
	}
	return n
}

func (f *fixture) config() *content.Update {
	tmpl, err := content.ParseURLTemplate(f.srv.URL + "/{symbol}.csv?from={from}&to={to}")
	if err != nil {
		f.t.Fatal(err)
	}
	return &content.Update{URL: tmpl, Timeout: 5 * time.Second, Tolerance: 0.001, Overlap: 10, Retries: 2}
}

// newYork is where sessions close.
func newYork(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// options updates f's folder on Tuesday 2026-11-24 after the close: the
// last closed session is that day.
func (f *fixture) options(cfg *content.Update) Options {
	tz := newYork(f.t)
	return Options{
		Config: cfg, Data: os.DirFS(f.dir), DataName: "data/", Dir: f.dir,
		Now: time.Date(2026, 11, 24, 18, 30, 0, 0, tz), TimeZone: tz,
		UserAgent: "briefs/test", Backoff: func(int) time.Duration { return 0 },
	}
}

// run runs an update and returns its result, its progress lines and its
// error.
func (f *fixture) run(o Options) (*Result, []string, error) {
	var lines []string
	o.Progress = func(l string) { lines = append(lines, l) }
	res, err := Run(context.Background(), o)
	return res, lines, err
}

func (f *fixture) read(name string) string {
	f.t.Helper()
	data, err := os.ReadFile(filepath.Join(f.dir, filepath.FromSlash(name)))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(data)
}

// state is every file of the folder with its bytes and modification time.
func (f *fixture) state() map[string]string {
	f.t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(f.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(f.dir, p)
		out[filepath.ToSlash(rel)] = fmt.Sprintf("%s %o %q", info.ModTime().Format(time.RFC3339Nano), info.Mode().Perm(), data)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// age sets every file's modification time to a day ago, so that a
// rewrite would show.
func (f *fixture) age() {
	f.t.Helper()
	old := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
	for name := range f.state() {
		if err := os.Chtimes(filepath.Join(f.dir, name), old, old); err != nil {
			f.t.Fatal(err)
		}
	}
}

func unchanged(t *testing.T, before, after map[string]string) {
	t.Helper()
	for name, s := range after {
		if before[name] != s {
			t.Errorf("%s changed:\n was %s\n now %s", name, before[name], s)
		}
	}
	if len(before) != len(after) {
		t.Errorf("%d files, was %d", len(after), len(before))
	}
}

// load checks the folder loads as a build reads it.
func (f *fixture) load() *market.Universe {
	f.t.Helper()
	u, err := market.Load(os.DirFS(f.dir), "data/")
	if err != nil {
		f.t.Fatalf("market.Load after the update: %v", err)
	}
	return u
}

func hasLine(lines []string, want string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, want) })
}

// TestAppend adds the new rows of files of several shapes, each in its own
// format, and checks the bytes.
func TestAppend(t *testing.T) {
	tests := []struct {
		symbol, stored, download, want, line string
	}{
		{
			// Oldest first: appended.
			"XLK",
			"Date,Close\n2026-11-18,201.35\n2026-11-19,202.10\n2026-11-20,203.00\n",
			"Date,Close\n2026-11-18,201.35\n2026-11-19,202.1\n2026-11-20,203.00\n2026-11-23,204.5\n2026-11-24,205.25\n",
			"Date,Close\n2026-11-18,201.35\n2026-11-19,202.10\n2026-11-20,203.00\n2026-11-23,204.5\n2026-11-24,205.25\n",
			"XLK    +2 rows   2026-11-23 … 2026-11-24",
		},
		{
			// investing.com: BOM, every field quoted, US dates, newest first;
			// downloaded in another column order, oldest first, ISO dates.
			"S5TH",
			"\uFEFF\"Date\",\"Price\",\"Open\",\"High\",\"Low\",\"Vol.\",\"Change %\"\n" +
				"\"11/20/2026\",\"64.41\",\"62.51\",\"64.63\",\"62.04\",\"\",\"+2.21%\"\n" +
				"\"11/19/2026\",\"63.02\",\"63.50\",\"63.90\",\"62.80\",\"\",\"-0.75%\"\n" +
				"\"01/02/2015\",\"79.32\",\"77.78\",\"79.51\",\"77.37\",\"\",\"+2.05%\"\n",
			"Date,Open,High,Low,Price,Vol.,Change %\n" +
				"2026-11-19,63.50,63.90,62.80,63.02,,-0.75%\n" +
				"2026-11-20,62.51,64.63,62.04,64.41,,+2.21%\n" +
				"2026-11-23,64.00,65.10,63.90,65.00,,+0.92%\n" +
				"2026-12-01,65.00,65.50,64.00,64.50,,-0.77%\n",
			"\uFEFF\"Date\",\"Price\",\"Open\",\"High\",\"Low\",\"Vol.\",\"Change %\"\n" +
				"\"11/23/2026\",\"65.00\",\"64.00\",\"65.10\",\"63.90\",\"\",\"+0.92%\"\n" +
				"\"11/20/2026\",\"64.41\",\"62.51\",\"64.63\",\"62.04\",\"\",\"+2.21%\"\n" +
				"\"11/19/2026\",\"63.02\",\"63.50\",\"63.90\",\"62.80\",\"\",\"-0.75%\"\n" +
				"\"01/02/2015\",\"79.32\",\"77.78\",\"79.51\",\"77.37\",\"\",\"+2.05%\"\n",
			"", // checked below: a row after today
		},
		{
			// Yahoo with CRLF line ends; downloaded lower-case, in another order.
			"SPY",
			"Date,Open,High,Low,Close,Adj Close,Volume\r\n" +
				"2026-11-19,610.00,612.00,609.00,611.50,611.50,1000\r\n" +
				"2026-11-20,611.50,1620.79,611.53,1619.11,619.11,2000\r\n",
			"date,close,adj close,open,high,low,volume\n" +
				"2026-11-20,1619.11,619.11,611.50,1620.79,611.53,2000\n" +
				"2026-11-23,\"1,620.5\",620.5,619.00,621.00,618.00,3000\n",
			"Date,Open,High,Low,Close,Adj Close,Volume\r\n" +
				"2026-11-19,610.00,612.00,609.00,611.50,611.50,1000\r\n" +
				"2026-11-20,611.50,1620.79,611.53,1619.11,619.11,2000\r\n" +
				"2026-11-23,619.00,621.00,618.00,\"1,620.5\",620.5,3000\r\n",
			"SPY    +1 row    2026-11-23",
		},
		{
			// A pandas index column, and no line end after the last row.
			"SPYTA",
			",date,open,high,low,close,volume\n0,2026-11-19,610.0,612.0,609.0,611.5,1000.0\n1,2026-11-20,611.5,620.8,611.5,619.1,2000.0",
			"Date,Open,High,Low,Close,Volume\n2026-11-20,611.5,620.8,611.5,619.1,2000.0\n2026-11-23,619.0,621.0,618.0,620.5,3000.0\n2026-11-24,620.5,622.0,619.0,621.0,2500.0\n",
			",date,open,high,low,close,volume\n0,2026-11-19,610.0,612.0,609.0,611.5,1000.0\n1,2026-11-20,611.5,620.8,611.5,619.1,2000.0\n" +
				"2,2026-11-23,619.0,621.0,618.0,620.5,3000.0\n3,2026-11-24,620.5,622.0,619.0,621.0,2500.0\n",
			"SPYTA  +2 rows",
		},
		{
			// FRED: another date column name, gaps; US dates without zeros.
			"FRED",
			"observation_date,SP500\n11/2/2026,6000.1\n11/20/2026,6263.09\n",
			"DATE,SP500\n2026-11-20,6263.09\n2026-11-23,\n2026-11-24,6270.5\n",
			"observation_date,SP500\n11/2/2026,6000.1\n11/20/2026,6263.09\n11/23/2026,\n11/24/2026,6270.5\n",
			"FRED   +2 rows",
		},
	}
	files := map[string]string{}
	for _, tt := range tests {
		files["prices/"+tt.symbol+".csv"] = tt.stored
	}
	f := newFixture(t, files)
	for _, tt := range tests {
		f.serve(tt.symbol, tt.download)
	}
	res, lines, err := f.run(f.options(f.config()))
	// S5TH's download has a row after today: refused, and nothing written.
	if err == nil || !strings.Contains(err.Error(), "S5TH download (") ||
		!strings.Contains(err.Error(), ":5: row dated 2026-12-01, after today (2026-11-24): expected no row for a session that has not happened") {
		t.Fatalf("a row after today: got %v", err)
	}
	for _, tt := range tests {
		if got := f.read("prices/" + tt.symbol + ".csv"); got != tt.stored {
			t.Errorf("%s written although S5TH failed:\n%s", tt.symbol, got)
		}
	}
	if res.Failed != 1 || !hasLine(lines, "S5TH   error: row dated 2026-12-01") {
		t.Errorf("result %+v, lines:\n%s", res, strings.Join(lines, "\n"))
	}

	// Without that row, every file is updated.
	for _, tt := range tests {
		if tt.symbol == "S5TH" {
			f.serve(tt.symbol, strings.TrimSuffix(tt.download, "2026-12-01,65.00,65.50,64.00,64.50,,-0.77%\n"))
		}
	}
	res, lines, err = f.run(f.options(f.config()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if got := f.read("prices/" + tt.symbol + ".csv"); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.symbol, got, tt.want)
		}
		if tt.line != "" && !hasLine(lines, tt.line) {
			t.Errorf("no line %q in\n%s", tt.line, strings.Join(lines, "\n"))
		}
	}
	if len(res.Updated) != len(tests) || res.Rows != 8 || len(res.UpToDate) != 0 {
		t.Errorf("result %+v", res)
	}
	u := f.load()
	if s := u.Symbols["S5TH"].Series; s.Closes[len(s.Closes)-1] != 65 {
		t.Errorf("S5TH ends %v", s.Closes[len(s.Closes)-1])
	}
	if s := u.Symbols["SPY"].Series; s.Closes[len(s.Closes)-1] != 1620.5 {
		t.Errorf("SPY ends %v", s.Closes[len(s.Closes)-1])
	}
}

// TestUpToDate leaves files without new rows untouched, and a second run
// changes nothing.
func TestUpToDate(t *testing.T) {
	f := newFixture(t, map[string]string{
		"prices/XLE.csv": "Date,Close\n2026-11-20,100.00\n2026-11-23,101.00\n2026-11-24,102.00\n", // has the last session: not downloaded
		"prices/XLF.csv": "Date,Close\n2026-11-19,50.00\n2026-11-20,50.95\n",
		"prices/XLU.csv": "Date,Close\n2026-11-19,70.00\n2026-11-20,70.50\n",
	})
	f.serve("XLF", "Date,Close\n2026-11-19,50.00\n2026-11-20,50.95\n") // nothing new yet
	f.serve("XLU", "Date,Close\n2026-11-20,70.50\n2026-11-23,71.00\n")
	f.age()
	before := f.state()

	o := f.options(f.config())
	o.DryRun = true
	res, lines, err := f.run(o)
	if err != nil {
		t.Fatal(err)
	}
	unchanged(t, before, f.state())
	if len(res.Updated) != 1 || len(res.UpToDate) != 2 || !hasLine(lines, "XLU    +1 row    2026-11-23") {
		t.Errorf("dry run: %+v\n%s", res, strings.Join(lines, "\n"))
	}

	res, lines, err = f.run(f.options(f.config()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Updated) != 1 || res.Rows != 1 || len(res.UpToDate) != 2 {
		t.Errorf("result %+v", res)
	}
	want := []string{"XLE    up to date (2026-11-24)", "XLF    up to date (2026-11-20)", "XLU    +1 row    2026-11-23"}
	for _, w := range want {
		if !slices.Contains(lines, w) {
			t.Errorf("no line %q in\n%s", w, strings.Join(lines, "\n"))
		}
	}
	if f.hits("XLE") != 0 {
		t.Error("XLE downloaded although it has the last session")
	}
	after := f.state()
	for _, name := range []string{"prices/XLE.csv", "prices/XLF.csv", "tickers.toml"} {
		if before[name] != after[name] {
			t.Errorf("%s rewritten:\n was %s\n now %s", name, before[name], after[name])
		}
	}
	if before["prices/XLU.csv"] == after["prices/XLU.csv"] || !strings.HasSuffix(after["prices/XLU.csv"], `644 "Date,Close\n2026-11-19,70.00\n2026-11-20,70.50\n2026-11-23,71.00\n"`) {
		t.Errorf("XLU: %s", after["prices/XLU.csv"])
	}

	// Again: nothing to do.
	res, _, err = f.run(f.options(f.config()))
	if err != nil {
		t.Fatal(err)
	}
	unchanged(t, after, f.state())
	if len(res.Updated) != 0 || len(res.UpToDate) != 3 {
		t.Errorf("second run: %+v", res)
	}
	if entries, _ := os.ReadDir(filepath.Join(f.dir, "prices")); len(entries) != 3 {
		t.Errorf("temporary files left: %v", entries)
	}
	f.load()
}

// TestRefused checks downloads that must not be written: every file is
// left as it was, and the error names the symbol, the file or download and
// what was expected.
func TestRefused(t *testing.T) {
	const xlb = "Date,Close\n2026-11-19,100.00\n2026-11-20,101.00\n"
	tests := []struct {
		name    string
		handler http.HandlerFunc
		cfg     func(*content.Update)
		want    []string // in the error
		hits    int      // downloads, if not 0
	}{
		{
			name:    "schema changed",
			handler: serveCSV("Date,Open,Close\n2026-11-20,100.5,101.00\n2026-11-23,101,102\n"),
			want:    []string{"XLB download (http://", "/XLB.csv?from=2026-11-10&to=2026-11-24):1: schema changed: data/prices/XLB.csv has columns Date,Close, the download Date,Open,Close: expected the same columns, in any order"},
		},
		{
			name:    "overlap disagrees",
			handler: serveCSV("Date,Close\n2026-11-19,100.00\n2026-11-20,99.00\n2026-11-23,102\n"),
			want:    []string{"data/prices/XLB.csv:3: XLB: download disagrees with the stored prices on 2026-11-20: stored 101.00, downloaded 99.00 (-2.0%, beyond update.tolerance 0.001); a split or a revised history? re-download the file by hand"},
		},
		{
			name:    "overlap disagrees twice",
			handler: serveCSV("Date,Close\n2026-11-19,50.00\n2026-11-20,50.50\n2026-11-23,51\n"),
			want:    []string{"on 2026-11-19: stored 100.00, downloaded 50.00 (-50.0%", ", and on 1 more date up to 2026-11-20; a split"},
		},
		{
			name:    "no overlap",
			handler: serveCSV("Date,Close\n2026-11-23,102\n"),
			want:    []string{"XLB download (http://", "): no row on the dates of the 2 stored rows from 2026-11-10 to 2026-11-20: expected them again, to check the download against data/prices/XLB.csv"},
		},
		{
			name:    "HTTP 500",
			handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "upstream down", 500) },
			want:    []string{"): HTTP 500 Internal Server Error: expected 200 OK (the server said \"upstream down\") (3 attempts)"},
			hits:    3,
		},
		{
			name:    "HTTP 404 is not retried",
			handler: http.NotFound,
			want:    []string{"): HTTP 404 Not Found: expected 200 OK"},
			hits:    1,
		},
		{
			name: "timeout",
			handler: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			cfg:  func(c *content.Update) { c.Timeout = 50 * time.Millisecond; c.Retries = 1 },
			want: []string{"): no response within 50ms (update.timeout) (2 attempts)"},
			hits: 2,
		},
		{
			name: "Content-Length larger than the body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "1000")
				fmt.Fprint(w, "Date,Close\n2026-11-19,100.00\n2026-11-20,101.00\n2026-11-23,10")
			},
			want: []string{"): the download stopped after 60 of 1000 bytes: the connection closed early (a truncated body) (3 attempts)"},
			hits: 3,
		},
		{
			name:    "a row cut short",
			handler: serveCSV("Date,Close\n2026-11-19,100.00\n2026-11-20,101.00\n2026-11-23\n"),
			want:    []string{"):4: row has 1 fields: expected 2, one per header column"},
		},
		{
			name:    "not a price",
			handler: serveCSV("Date,Close\n2026-11-19,100.00\n2026-11-20,101.00\n2026-11-23,0\n2026-11-24,n/a\n"),
			want:    []string{"):4:12: Close 0: expected a positive price", `):5:12: Close "n/a": expected a number`},
		},
		{
			name:    "duplicate date",
			handler: serveCSV("Date,Close\n2026-11-19,100.00\n2026-11-20,101.00\n2026-11-23,102\n2026-11-23,102\n"),
			want:    []string{"):5: duplicate date 2026-11-23: already on line 4"},
		},
		{
			name:    "not a CSV",
			handler: serveCSV("<html>No data</html>\n"),
			want:    []string{"):1: no date column in header (<html>No data</html>)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{
				"prices/XLB.csv": xlb,
				"prices/XLV.csv": "Date,Close\n2026-11-20,120.00\n",
			})
			f.handle("XLB", tt.handler)
			f.serve("XLV", "Date,Close\n2026-11-20,120.00\n2026-11-23,121.00\n")
			f.age()
			before := f.state()
			cfg := f.config()
			if tt.cfg != nil {
				tt.cfg(cfg)
			}
			start := time.Now()
			res, lines, err := f.run(f.options(cfg))
			if err == nil {
				t.Fatalf("no error; lines:\n%s", strings.Join(lines, "\n"))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant %q", err, w)
				}
			}
			unchanged(t, before, f.state())
			if res == nil || res.Failed != 1 || len(res.Updated) != 1 || !hasLine(lines, "XLB    error: ") || !hasLine(lines, "XLV    +1 row") {
				t.Errorf("result %+v, lines:\n%s", res, strings.Join(lines, "\n"))
			}
			if tt.hits != 0 && f.hits("XLB") != tt.hits {
				t.Errorf("%d downloads, want %d", f.hits("XLB"), tt.hits)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func serveCSV(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }
}

// TestRetry succeeds once a server error passes, and waits the backoff.
func TestRetry(t *testing.T) {
	f := newFixture(t, map[string]string{"prices/XLP.csv": "Date,Close\n2026-11-20,80.00\n"})
	var mu sync.Mutex
	calls := 0
	f.handle("XLP", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "Date,Close\n2026-11-20,80.00\n2026-11-23,80.50\n")
	})
	o := f.options(f.config())
	var waits []int
	o.Backoff = func(n int) time.Duration { waits = append(waits, n); return time.Millisecond }
	if _, _, err := f.run(o); err != nil {
		t.Fatal(err)
	}
	if got := f.read("prices/XLP.csv"); got != "Date,Close\n2026-11-20,80.00\n2026-11-23,80.50\n" {
		t.Errorf("XLP: %q", got)
	}
	if !slices.Equal(waits, []int{1, 2}) {
		t.Errorf("backoffs %v, want [1 2]", waits)
	}
	f.mu.Lock()
	ua := f.requests[0].Header.Get("User-Agent")
	f.mu.Unlock()
	if ua != "briefs/test" {
		t.Errorf("User-Agent %q", ua)
	}
}

// TestLate leaves out the rows of a session that has not closed.
func TestLate(t *testing.T) {
	f := newFixture(t, map[string]string{"prices/GLD.csv": "Date,Close\n2026-11-20,240.00\n"})
	f.serve("GLD", "Date,Close\n2026-11-20,240.00\n2026-11-23,241.00\n2026-11-24,242.00\n")
	o := f.options(f.config())
	o.Now = time.Date(2026, 11, 24, 16, 59, 0, 0, o.TimeZone) // before the close
	_, lines, err := f.run(o)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.read("prices/GLD.csv"); got != "Date,Close\n2026-11-20,240.00\n2026-11-23,241.00\n" {
		t.Errorf("GLD: %q", got)
	}
	want := "GLD    +1 row    2026-11-23; 1 row after 2026-11-23 left out: the session has not closed"
	if !slices.Contains(lines, want) {
		t.Errorf("lines:\n%s\nwant %q", strings.Join(lines, "\n"), want)
	}
	if q := f.requests[0].URL.Query(); q.Get("from") != "2026-11-10" || q.Get("to") != "2026-11-23" {
		t.Errorf("asked for %s", f.requests[0].URL)
	}

	// After the close, the row is added.
	o.Now = time.Date(2026, 11, 24, 17, 0, 0, 0, o.TimeZone)
	if _, _, err := f.run(o); err != nil {
		t.Fatal(err)
	}
	if got := f.read("prices/GLD.csv"); !strings.HasSuffix(got, "2026-11-24,242.00\n") {
		t.Errorf("GLD: %q", got)
	}
}

// TestSelect picks the symbols: files of their own, not skipped, with the
// provider's symbols in the URL; a new symbol's file is created.
func TestSelect(t *testing.T) {
	f := newFixture(t, map[string]string{
		"tickers.toml": `[symbols.SPX]
file = "prices/SPX.csv"
name = { en = "S&P 500" }
kind = "index"

[symbols.S5TH]
file = "prices/S5TH.csv"
name = { en = "Breadth" }
kind = "breadth"

[symbols.NEW]
file = "prices/new/NEW.csv"
name = { en = "New" }
kind = "stock"

[symbols.AAPL]
file = "prices/wide.csv"
column = "AAPL"
name = { en = "Apple" }
kind = "stock"

[groups.stocks]
file = "prices/stocks.csv"
name = { en = "Stocks" }
`,
		"prices/SPX.csv":    "Date,Close\n2026-11-20,6263.09\n",
		"prices/S5TH.csv":   "Date,Price\n2026-11-20,64.41\n",
		"prices/wide.csv":   "Date,AAPL,MSFT\n2026-11-20,238.31,494.89\n",
		"prices/stocks.csv": "Date,S001,S002\n2026-11-20,18.86,129.53\n",
	})
	f.serve("^spx", "Date,Close\n2026-11-20,6263.09\n2026-11-23,6270.00\n")
	f.serve("NEW", "\uFEFFDate,Close,Volume\n11/24/2026,12.50,100\n11/23/2026,12.00,200\n11/20/2026,11.50,300\n")
	cfg := f.config()
	cfg.Skip = []string{"S5TH", "BREADTH"}
	cfg.Symbols = map[string]string{"SPX": "^spx"}
	res, lines, err := f.run(f.options(cfg))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"note: [update] skip lists BREADTH, which is not a symbol of data/tickers.toml",
		"note: skipped data/prices/wide.csv, a wide file (symbols.AAPL): update it by hand",
		"note: skipped data/prices/stocks.csv, a wide file (groups.stocks): update it by hand",
		"SPX    +1 row    2026-11-23",
		"NEW    +3 rows   2026-11-20 … 2026-11-24 (new file data/prices/new/NEW.csv)",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if f.hits("S5TH") != 0 || f.hits("SPX") != 0 || f.hits("^spx") != 1 {
		t.Errorf("downloads: S5TH %d, SPX %d, ^spx %d", f.hits("S5TH"), f.hits("SPX"), f.hits("^spx"))
	}
	if q := f.requests[0].URL.RawQuery; !strings.Contains(q, "from=1970-01-01&to=2026-11-24") && !strings.Contains(f.requests[1].URL.RawQuery, "from=1970-01-01&to=2026-11-24") {
		t.Errorf("a new file is asked for from 1970: %v %v", f.requests[0].URL, f.requests[1].URL)
	}
	if got := f.read("prices/new/NEW.csv"); got != "Date,Close,Volume\n2026-11-20,11.50,300\n2026-11-23,12.00,200\n2026-11-24,12.50,100\n" {
		t.Errorf("NEW.csv: %q", got)
	}
	if len(res.Created) != 1 || len(res.Updated) != 2 {
		t.Errorf("result %+v", res)
	}
	f.load()

	// Symbols named on the command line, skipped or not; never a wide one.
	o := f.options(cfg)
	o.Symbols = []string{"SPX", "S5TH"}
	f.serve("S5TH", "Date,Price\n2026-11-20,64.41\n2026-11-23,65.00\n")
	if _, _, err := f.run(o); err != nil {
		t.Fatal(err)
	}
	if got := f.read("prices/S5TH.csv"); got != "Date,Price\n2026-11-20,64.41\n2026-11-23,65.00\n" {
		t.Errorf("S5TH: %q", got)
	}
	for _, tt := range []struct{ symbol, want string }{
		{"SPY", `unknown symbol "SPY": expected a symbol of data/tickers.toml (did you mean SPX?)`},
		{"AAPL", "AAPL: data/prices/wide.csv is a wide file (symbols.AAPL): only a file that holds one symbol is updated; update it by hand"},
		{"stocks", "stocks is the group of the wide file data/prices/stocks.csv, not a symbol"},
	} {
		o.Symbols = []string{tt.symbol}
		if _, _, err := f.run(o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.symbol, err, tt.want)
		}
	}
}

// TestOverlapTolerance accepts small revisions of the stored prices, which
// are kept as they are.
func TestOverlapTolerance(t *testing.T) {
	const stored = "Date,Close\n2026-11-18,201.35\n2026-11-19,202.10\n2026-11-20,203.00\n"
	f := newFixture(t, map[string]string{"prices/XLK.csv": stored})
	f.serve("XLK", "Date,Close\n2026-11-18,201.40\n2026-11-19,202.10\n2026-11-20,202.85\n2026-11-23,204.00\n")
	cfg := f.config()
	cfg.Tolerance = 0.001 // 201.40 is 0.025% off, 202.85 0.074%
	if _, _, err := f.run(f.options(cfg)); err != nil {
		t.Fatal(err)
	}
	if got := f.read("prices/XLK.csv"); got != stored+"2026-11-23,204.00\n" {
		t.Errorf("XLK: %q", got)
	}
	f.serve("XLK", "Date,Close\n2026-11-20,202.85\n2026-11-23,204.00\n2026-11-24,205.00\n")
	cfg.Tolerance = 0.0005
	_, _, err := f.run(f.options(cfg))
	if err == nil || !strings.Contains(err.Error(), "data/prices/XLK.csv:4: XLK: download disagrees with the stored prices on 2026-11-20: stored 203.00, downloaded 202.85 (-0.074%, beyond update.tolerance 0.0005)") {
		t.Errorf("got %v", err)
	}
}

// TestCancel stops the downloads at once and writes nothing.
func TestCancel(t *testing.T) {
	f := newFixture(t, map[string]string{"prices/XLY.csv": "Date,Close\n2026-11-20,190.00\n"})
	ctx, cancel := context.WithCancel(context.Background())
	f.handle("XLY", func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	before := f.state()
	start := time.Now()
	_, err := Run(ctx, f.options(f.config()))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted: nothing written") {
		t.Errorf("got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	unchanged(t, before, f.state())
}

// TestNamed makes every error name its symbol.
func TestNamed(t *testing.T) {
	j := &job{symbol: "XLK"}
	err := j.named(diag.Join([]error{
		diag.Errorf("data/prices/XLK.csv", 3, 0, "bad"),
		diag.Errorf("XLK download (http://x)", 2, 0, "worse"),
		errors.New("plain"),
	}))
	var got []string
	for _, e := range diag.Flatten(err) {
		got = append(got, e.Error())
	}
	want := []string{"XLK download (http://x):2: worse", "data/prices/XLK.csv:3: XLK: bad", "XLK: plain"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
