package market

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"briefs/internal/diag"
)

// realDir holds the real prices of ../shared, when present.
const realDir = "../../../shared/data/market"

const (
	yahooCSV = "Date,Open,High,Low,Close,Adj Close,Volume\n" +
		"2024-01-02,10,11,9,10.5,9.5,1000\n" +
		"2024-01-03,10.5,12,10,11.25,10.25,1000\n"
	fredCSV = "observation_date,SP500\n" +
		"2024-01-02,4742.83\n" +
		"2024-01-03,\n" +
		"2024-01-04,4688.68\n"
	wideCSV = "Date,AAA,BBB,CCC,EMPTY\n" +
		"2024-01-02,1,20,300,\n" +
		"2024-01-03,2,,310,\n"
)

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// countFS counts the opens of each file.
type countFS struct {
	fs.FS
	mu    sync.Mutex
	opens map[string]int
}

func (c *countFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opens[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

func TestLoad(t *testing.T) {
	fsys := &countFS{opens: map[string]int{}, FS: mapFS(map[string]string{
		"tickers.toml": `
note = { zh = "示例数据", en = "Sample data" }

[symbols.RTY]
file = "prices/RTY.csv"
name = { zh = "罗素2000指数", en = "Russell 2000" }
kind = "index"

[symbols.SPX]
file = "fred.csv"
name = { en = "S&P 500" }
kind = "index"

[symbols.BBB]
file = "wide.csv"
column = "BBB"
name = { zh = "乙", en = "Bee" }
kind = "etf"

[symbols.CCC2]
file = "wide.csv"
column = "ccc"
name = { en = "C again" }
kind = "stock"

[groups.wide]
name = { zh = "宽表", en = "Wide" }
file = "wide.csv"
kind = "crypto"

[groups.mixed]
name = { en = "Mixed" }
members = [
  "SPX",
  "AAA",
  "RTY",
]
`,
		"prices/RTY.csv": yahooCSV,
		"fred.csv":       fredCSV,
		"wide.csv":       wideCSV,
	})}
	u, err := Load(fsys, "data/")
	if err != nil {
		t.Fatal(err)
	}
	if u.Note["zh"] != "示例数据" || u.Note["en"] != "Sample data" {
		t.Errorf("note: %v", u.Note)
	}
	var got strings.Builder
	for _, key := range slices.Sorted(maps.Keys(u.Symbols)) {
		s := u.Symbols[key]
		fmt.Fprintf(&got, "%s %s %s %s %s: %s", key, s.Kind, s.Name["en"], s.Series.Symbol, s.Series.File,
			strings.ReplaceAll(rows(s.Series), "\n", " "))
		got.WriteString("\n")
	}
	for _, key := range slices.Sorted(maps.Keys(u.Groups)) {
		g := u.Groups[key]
		fmt.Fprintf(&got, "group %s %s: %s\n", g.Key, g.Name["en"], strings.Join(g.Members, " "))
	}
	want := `AAA crypto AAA AAA data/wide.csv: 2024-01-02=1 2024-01-03=2 
BBB etf Bee BBB data/wide.csv: 2024-01-02=20 
CCC crypto CCC CCC data/wide.csv: 2024-01-02=300 2024-01-03=310 
CCC2 stock C again CCC2 data/wide.csv: 2024-01-02=300 2024-01-03=310 
RTY index Russell 2000 RTY data/prices/RTY.csv: 2024-01-02=10.5 2024-01-03=11.25 
SPX index S&P 500 SPX data/fred.csv: 2024-01-02=4742.83 2024-01-04=4688.68 
group mixed Mixed: SPX AAA RTY
group wide Wide: AAA BBB CCC
`
	if got.String() != want {
		t.Errorf("Load:\ngot\n%s\nwant\n%s", got.String(), want)
	}
	if u.Symbols["AAA"].Name["zh"] != "AAA" {
		t.Errorf("wide member AAA: Name = %v, want the key in each of the group's languages", u.Symbols["AAA"].Name)
	}
	for name, n := range fsys.opens {
		if n != 1 {
			t.Errorf("%s opened %d times, want once", name, n)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	const rty = "[symbols.RTY]\nfile = \"RTY.csv\"\nname = { en = \"Russell 2000\" }\nkind = \"index\"\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name:  "no tickers.toml",
			files: map[string]string{"RTY.csv": yahooCSV},
			want:  "data/tickers.toml: cannot read: open tickers.toml: file does not exist",
		},
		{
			name:  "invalid TOML",
			files: map[string]string{"tickers.toml": "[symbols.RTY]\nfile = RTY.csv\n"},
			want:  "data/tickers.toml:2:8: invalid TOML: toml: unexpected character U+0052 'R' at start of value",
		},
		{
			name:  "unknown key",
			files: map[string]string{"tickers.toml": rty + "colum = \"Close\"\n", "RTY.csv": yahooCSV},
			want:  "data/tickers.toml:5:1: unknown key \"symbols.RTY.colum\"",
		},
		{
			name:  "wrong type",
			files: map[string]string{"tickers.toml": "[groups.g]\nname = { en = \"G\" }\nmembers = \"RTY\"\n"},
			want:  "data/tickers.toml:3:11: invalid TOML: toml: cannot decode TOML string into struct field market.groupEntry.Members of type []string",
		},
		{
			name:  "empty",
			files: map[string]string{"tickers.toml": "# nothing yet\n"},
			want:  "data/tickers.toml: no [symbols.<KEY>] or [groups.<KEY>] tables: expected at least one",
		},
		{
			name: "bad kind, missing kind, name and file",
			files: map[string]string{
				"tickers.toml": "[symbols.A]\nfile = \"RTY.csv\"\nname = { en = \"A\" }\nkind = \"stocks\"\n\n" +
					"[symbols.B]\nfile = \"RTY.csv\"\nname = { en = \"B\", zh = \" \" }\n\n" +
					"[symbols.C]\nkind = \"etf\"\n",
				"RTY.csv": yahooCSV,
			},
			want: "data/tickers.toml:4: symbols.A: kind \"stocks\": expected one of index, etf, stock, crypto, volatility, breadth (did you mean \"stock\"?)\n" +
				"data/tickers.toml:6: symbols.B has no kind: expected one of index, etf, stock, crypto, volatility, breadth\n" +
				"data/tickers.toml:8: symbols.B: name.zh is empty\n" +
				"data/tickers.toml:10: symbols.C has no name: expected name = { zh = \"...\", en = \"...\" }\n" +
				"data/tickers.toml:10: symbols.C has no file: expected file = \"path/to/prices.csv\", relative to tickers.toml",
		},
		{
			name: "missing file, with a suggestion, reported for each symbol",
			files: map[string]string{
				"tickers.toml": "[symbols.RTY]\nfile = \"prices/RUT.csv\"\nname = { en = \"R\" }\nkind = \"index\"\n\n" +
					"[symbols.RTY2]\nfile = \"prices/RUT.csv\"\nname = { en = \"R\" }\nkind = \"index\"\n",
				"prices/^RUT.csv": yahooCSV,
			},
			want: "data/tickers.toml:2: symbols.RTY: file \"prices/RUT.csv\" does not exist (did you mean \"prices/^RUT.csv\"?)\n" +
				"data/tickers.toml:7: symbols.RTY2: file \"prices/RUT.csv\" does not exist (did you mean \"prices/^RUT.csv\"?)",
		},
		{
			name: "path outside the data directory",
			files: map[string]string{
				"tickers.toml": "[symbols.RTY]\nfile = \"../RTY.csv\"\nname = { en = \"R\" }\nkind = \"index\"\n",
			},
			want: "data/tickers.toml:2: symbols.RTY: file \"../RTY.csv\": expected a slash-separated path inside the data directory",
		},
		{
			name: "bad CSV, reported once for two symbols",
			files: map[string]string{
				"tickers.toml": rty + "\n[symbols.RTY2]\nfile = \"RTY.csv\"\nname = { en = \"R\" }\nkind = \"index\"\n",
				"RTY.csv":      "Date,Close\n2024-01-02,1\n2024-01-02,2\n",
			},
			want: "data/RTY.csv:3: duplicate date 2024-01-02: already on line 2",
		},
		{
			name: "bad values, reported once for two symbols",
			files: map[string]string{
				"tickers.toml": rty + "\n[symbols.RTY2]\nfile = \"RTY.csv\"\nname = { en = \"R\" }\nkind = \"index\"\n",
				"RTY.csv":      "Date,Close\n2024-01-02,1\n2024-01-03,-2\n",
			},
			want: "data/RTY.csv:3:12: Close -2: expected a positive price",
		},
		{
			name: "column not in the file",
			files: map[string]string{
				"tickers.toml": rty + "column = \"BBBB\"\n",
				"RTY.csv":      wideCSV,
			},
			want: "data/tickers.toml:5: symbols.RTY: column \"BBBB\" is not in data/RTY.csv: expected one of AAA, BBB, CCC, EMPTY (did you mean \"BBB\"?)",
		},
		{
			name: "no column to choose",
			files: map[string]string{
				"tickers.toml": rty,
				"RTY.csv":      wideCSV,
			},
			want: "data/tickers.toml:1: symbols.RTY: data/RTY.csv: no Close or Price column among AAA, BBB, CCC, EMPTY: expected column = one of them in tickers.toml",
		},
		{
			name: "bad groups",
			files: map[string]string{
				"tickers.toml": rty +
					"\n[groups.a]\nname = { en = \"A\" }\nmembers = [\"RTY\", \"RYT\",\n  \"RTY\"]\n" +
					"\n[groups.b]\nname = { en = \"B\" }\nmembers = []\n" +
					"\n[groups.c]\nname = { en = \"C\" }\nmembers = [\"RTY\"]\nfile = \"RTY.csv\"\n" +
					"\n[groups.d]\nname = { en = \"D\" }\nmembers = [\"RTY\"]\nkind = \"etf\"\n",
				"RTY.csv": yahooCSV,
			},
			want: "data/tickers.toml:8:19: groups.a: member \"RYT\" is not a symbol: expected a [symbols.RYT] table or a column of a group's file (did you mean \"RTY\"?)\n" +
				"data/tickers.toml:9:3: groups.a: member RTY is listed twice\n" +
				"data/tickers.toml:13: groups.b has no members: expected members = [\"SYMBOL\", ...] or file = \"wide.csv\"\n" +
				"data/tickers.toml:18: groups.c has both members and file: expected one of them\n" +
				"data/tickers.toml:23: groups.d: kind is only for a group read from a wide file",
		},
		{
			name: "wide files",
			files: map[string]string{
				"tickers.toml": "[groups.w1]\nname = { en = \"W1\" }\nfile = \"w1.csv\"\n" +
					"\n[groups.w2]\nname = { en = \"W2\" }\nfile = \"w2.csv\"\n" +
					"\n[groups.m]\nname = { en = \"M\" }\nmembers = [\"EMPTY\"]\n",
				"w1.csv": wideCSV,
				"w2.csv": "Date,AAA,DDD\n2024-01-02,1,x\n",
			},
			want: "data/tickers.toml:7: groups.w2: symbol AAA is a column of both data/w2.csv and the file of groups.w1: expected a [symbols.AAA] table saying which to use\n" +
				"data/tickers.toml:11:12: groups.m: member EMPTY has no values in data/w1.csv: expected at least one price\n" +
				"data/w2.csv:2:14: DDD \"x\": expected a number",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Load(mapFS(tt.files), "data/")
			if err == nil {
				t.Fatalf("Load(%v): got a universe of %d symbols, want error\n%s", tt.files, len(u.Symbols), tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Load(%v):\ngot\n%s\nwant\n%s", tt.files, got, tt.want)
			}
			for _, e := range diag.Flatten(err) {
				if d := (*diag.Error)(nil); !errors.As(e, &d) {
					t.Errorf("error %q is not a *diag.Error", e)
				}
			}
		})
	}
}

// TestLoadReal loads the real prices in ../shared with their tickers.toml:
// every file it lists must load, and known closes must come out.
func TestLoadReal(t *testing.T) {
	if _, err := os.Stat(realDir + "/tickers.toml"); err != nil {
		t.Skipf("real market data absent (%v): skipping; it is in ../shared/data/market of the workspace", err)
	}
	u, err := Load(os.DirFS(realDir), "shared/data/market/")
	if err != nil {
		t.Fatalf("Load(%s):\n%v", realDir, err)
	}
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	closeOn := func(sym, date string) (float64, int) {
		t.Helper()
		s := u.Symbols[sym]
		if s == nil {
			t.Fatalf("no symbol %s", sym)
		}
		i, ok := slices.BinarySearchFunc(s.Series.Dates, day(date), time.Time.Compare)
		if !ok {
			t.Fatalf("%s has no row on %s", sym, date)
		}
		return s.Series.Closes[i], i
	}
	round2 := func(v float64) float64 { return math.Round(v*100) / 100 }

	for _, c := range []struct {
		sym, date string
		want      float64
	}{
		{"RTY", "2026-02-09", 2689.05},
		{"VIX", "2026-02-10", 17.79},
		{"SP500FRED", "2026-02-10", 6941.81},
		{"S5TH", "2026-07-14", 65.00},
	} {
		if got, _ := closeOn(c.sym, c.date); round2(got) != c.want {
			t.Errorf("%s close on %s = %v, want %v", c.sym, c.date, got, c.want)
		}
	}
	// One-day changes and an average, as the reference brief quotes them.
	for _, c := range []struct {
		sym  string
		want float64 // percent
	}{{"GLD", 2.54}, {"SLV", 8.33}} {
		v, i := closeOn(c.sym, "2026-02-09")
		if got := round2((v/u.Symbols[c.sym].Series.Closes[i-1] - 1) * 100); got != c.want {
			t.Errorf("%s change on 2026-02-09 = %v%%, want %v%%", c.sym, got, c.want)
		}
	}
	_, i := closeOn("RTY", "2026-02-09")
	sum := 0.0
	for _, v := range u.Symbols["RTY"].Series.Closes[i-19 : i+1] {
		sum += v
	}
	if got := round2(sum / 20); got != 2655.15 {
		t.Errorf("RTY 20-day average on 2026-02-09 = %v, want 2655.15", got)
	}

	// Quirks: S5TH is newest first; FRED has holiday gaps; the wide file has
	// columns without a single value (ABBV, GEV, SOLV), which are left out.
	for _, key := range slices.Sorted(maps.Keys(u.Symbols)) {
		d := u.Symbols[key].Series.Dates
		for j := 1; j < len(d); j++ {
			if !d[j-1].Before(d[j]) {
				t.Fatalf("%s: dates not ascending at %v", key, d[j])
			}
		}
	}
	if s := u.Symbols["SP500FRED"].Series; slices.ContainsFunc(s.Dates, func(d time.Time) bool { return d.Equal(day("2016-02-15")) }) {
		t.Errorf("SP500FRED has a row on 2016-02-15 (Presidents' Day, empty in the file)")
	}
	g := u.Groups["sp500_2024"]
	if g == nil || len(g.Members) != 500 || slices.Contains(g.Members, "ABBV") || !slices.Contains(g.Members, "VLTO") {
		t.Errorf("group sp500_2024: want the 500 columns with values, VLTO in and ABBV out; got %d", len(g.Members))
	}
	// Sector funds listed later (XLRE 2015-10-08, XLC 2018-06-19) are left
	// out of ranks and breadth before they have the history; a date after
	// the as-of date is not named.
	rows, err := u.At(day("2017-06-30")).Rank("sectors", "YTD")
	if err != nil {
		t.Fatalf("rank sectors YTD as of 2017-06-30: %v", err)
	}
	if len(rows) != 10 || slices.ContainsFunc(rows, func(r Row) bool { return r.Symbol == "XLC" }) || !strings.HasSuffix(rows[0].Desc, ": XLC (no data by 2017-06-30)") {
		t.Errorf("rank sectors YTD as of 2017-06-30: %d rows, first %+v", len(rows), rows[0])
	}
	b, err := u.At(day("2015-12-01")).Breadth("sectors", 50)
	if err != nil {
		t.Fatalf("breadth sectors 50 as of 2015-12-01: %v", err)
	}
	if !strings.Contains(b.Desc, " of 9 members") || !strings.HasSuffix(b.Desc, ": XLC (no data by 2015-12-01), XLRE (data from 2015-10-08)") {
		t.Errorf("breadth sectors 50 as of 2015-12-01: %q", b.Desc)
	}
	if got := u.Symbols["AAPL"].Series.File; got != "shared/data/market/guydekowski-market-lab/AAPL.csv" {
		t.Errorf("AAPL comes from %s, want the [symbols.AAPL] file rather than the wide file's column", got)
	}
}

// TestParseRealFiles parses every CSV in ../shared: the price files must
// parse, and the three that are not daily price series must fail clearly.
func TestParseRealFiles(t *testing.T) {
	fsys := os.DirFS(realDir)
	files, err := fs.Glob(fsys, "*/*.csv")
	if err != nil || len(files) == 0 {
		t.Skipf("real market data absent in %s: skipping", realDir)
	}
	notPrices := map[string]string{
		"datasets-s-and-p-500-companies/constituents.csv":  "no date column",
		"tidytuesday-2023-02-07/big_tech_companies.csv":    "no date column",
		"tidytuesday-2023-02-07/big_tech_stock_prices.csv": "duplicate date", // long format: one row per stock and day
	}
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseCSV(name, data)
		switch want, bad := notPrices[name]; {
		case bad && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("ParseCSV(%s) = %v, want an error saying %q", name, err, want)
		case !bad && err != nil:
			t.Errorf("ParseCSV(%s): %v", name, err)
		}
	}
}
