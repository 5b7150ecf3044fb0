package market

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

// ohlcRows renders a series' rows as "date o/h/l/c v" lines.
func ohlcRows(s *Series) string {
	var b strings.Builder
	for i, d := range s.Dates {
		fmt.Fprintf(&b, "%s", d.Format(time.DateOnly))
		if s.HasOHLC() {
			fmt.Fprintf(&b, " %g/%g/%g", s.Opens[i], s.Highs[i], s.Lows[i])
		}
		fmt.Fprintf(&b, " %g", s.Closes[i])
		if s.Volumes != nil {
			fmt.Fprintf(&b, " v%g", s.Volumes[i])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestParseOHLC(t *testing.T) {
	tests := []struct {
		name, data, column, want string
	}{
		{
			name: "yahoo: OHLC beside Close, not Adj Close",
			data: "Date,Open,High,Low,Close,Adj Close,Volume\n" +
				"2024-01-02,10,11,9,10.5,9.5,1000\n" +
				"2024-01-03,10.5,12,10,11.25,10.25,0\n",
			want: "2024-01-02 10/11/9 10.5 v1000\n2024-01-03 10.5/12/10 11.25 v0\n",
		},
		{
			name: "any order, lower case, newest first",
			data: "date,close,low,volume,high,open\n" +
				"2024-01-03,11.25,10,2000,12,10.5\n" +
				"2024-01-02,10.5,9,1000,11,10\n",
			want: "2024-01-02 10/11/9 10.5 v1000\n2024-01-03 10.5/12/10 11.25 v2000\n",
		},
		{
			name: "investing.com: Price, Vol. with suffixes, an empty volume",
			data: "\uFEFF\"Date\",\"Price\",\"Open\",\"High\",\"Low\",\"Vol.\",\"Change %\"\n" +
				"\"01/04/2024\",\"4,700.50\",\"4,690.00\",\"4,710.25\",\"4,680.00\",\"\",\"+0.10%\"\n" +
				"\"01/03/2024\",\"4,695.00\",\"4,700.00\",\"4,720.00\",\"4,690.00\",\"1.25M\",\"-0.20%\"\n" +
				"\"01/02/2024\",\"4,704.40\",\"4,710.00\",\"4,720.00\",\"4,700.00\",\"350.5K\",\"+0.30%\"\n",
			want: "2024-01-02 4710/4720/4700 4704.4 v350500\n2024-01-03 4700/4720/4690 4695 v1.25e+06\n2024-01-04 4690/4710.25/4680 4700.5 vNaN\n",
		},
		{
			name:   "plotly: a prefixed close takes the columns of its prefix",
			column: "AAPL.Close",
			data: "Date,AAPL.Open,AAPL.High,AAPL.Low,AAPL.Close,AAPL.Volume,mavg\n" +
				"2024-01-02,10,11,9,10.5,1000,10\n",
			want: "2024-01-02 10/11/9 10.5 v1000\n",
		},
		{
			name:   "an adjusted close has no OHLC",
			column: "Adj Close",
			data: "Date,Open,High,Low,Close,Adj Close,Volume\n" +
				"2024-01-02,10,11,9,10.5,9.5,1000\n",
			want: "2024-01-02 9.5\n",
		},
		{
			name: "CBOE: OHLC without volume",
			data: "DATE,OPEN,HIGH,LOW,CLOSE\n1990-01-02,17.24,17.24,17.24,17.24\n",
			want: "1990-01-02 17.24/17.24/17.24 17.24\n",
		},
		{
			name: "high and low without open: closes only, with the volume",
			data: "Date,Close,High,Low,Volume\n2024-01-02,10.5,11,9,5\n",
			want: "2024-01-02 10.5 v5\n",
		},
		{
			name:   "a wide file's columns have none",
			data:   "Date,AAA,Open,High,Low\n2024-01-02,1,2,3,1\n",
			column: "AAA",
			want:   "2024-01-02 1\n",
		},
		{
			name: "the high a rounding error below the close is no fault",
			data: "date,open,high,low,close\n2004-10-04,7.469026355818922,7.491569205789478,7.423942089080811,7.42394208908081\n",
			want: "2004-10-04 7.469026355818922/7.491569205789478/7.423942089080811 7.42394208908081\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ParseCSV("p.csv", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			s, err := tab.Series("X", tt.column)
			if err != nil {
				t.Fatal(err)
			}
			if got := ohlcRows(s); got != tt.want {
				t.Errorf("got\n%swant\n%s", got, tt.want)
			}
			if len(s.Faults) > 0 {
				t.Errorf("faults: %v", s.Faults[0].Err)
			}
		})
	}
}

// A row that breaks High >= max(Open, Close) >= min(Open, Close) >= Low > 0
// is a fault at its line: the close still loads, and whatever reads the
// row's OHLC fails there.
func TestOHLCFaults(t *testing.T) {
	tests := []struct {
		name, row, want string
	}{
		{"high below open", "2024-01-03,19.24,18.57,17.61,17.70,5", "p.csv:3: High 18.57 is below Open 19.24: expected High >= max(Open, Close) >= min(Open, Close) >= Low > 0"},
		{"high below close", "2024-01-03,10,10.5,9,11,5", "p.csv:3: High 10.5 is below Close 11: expected"},
		{"low above open", "2024-01-03,10,12,10.5,11,5", "p.csv:3: Low 10.5 is above Open 10: expected"},
		{"low above close", "2024-01-03,11,12,10.5,10,5", "p.csv:3: Low 10.5 is above Close 10: expected"},
		{"empty open", "2024-01-03,,12,10,11,5", "p.csv:3: Open is empty on a row with Close 11: expected Open, High and Low on every row with a close"},
		{"zero low", "2024-01-03,10,12,0,11,5", "p.csv:3: Low is not a positive price on a row with Close 11: expected Open, High and Low"},
		{"text in high", "2024-01-03,10,n/a,9,11,5", "p.csv:3: High is not a positive price on a row with Close 11"},
		{"negative volume", "2024-01-03,10,12,9,11,-5", "p.csv:3: Volume: expected a volume: a count of 0 or more"},
		{"text volume", "2024-01-03,10,12,9,11,lots", "p.csv:3: Volume: expected a volume"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := "Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,7\n" + tt.row + "\n2024-01-04,10,11,9,10.5,7\n2024-01-05,10,11,9,10.5,7\n"
			tab, err := ParseCSV("p.csv", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			s, err := tab.Series("X", "")
			if err != nil {
				t.Fatalf("the close must load: %v", err)
			}
			if len(s.Dates) != 4 || len(s.Faults) != 1 || s.Faults[0].Row != 1 {
				t.Fatalf("%d rows, faults %+v: want 4 rows and a fault at row 1", len(s.Dates), s.Faults)
			}
			if got := s.Faults[0].Err.Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("fault %q, want it to start %q", got, tt.want)
			}
			u := &Universe{Symbols: map[string]*Symbol{"X": {Key: "X", Kind: "stock", Series: s}}}
			v := u.At(d("2024-01-05"))
			// Reading the faulty row fails at its line; other rows and
			// closes do not.
			_, errOHLC := v.OHLC("X", "3D")
			_, errVol := v.VolumeOn("X", "2024-01-03")
			_, errOpen := v.OpenOn("X", "2024-01-03")
			_, errATR := v.ATR("X", 3)
			if s.Faults[0].Volume {
				if errVol == nil || !strings.Contains(errVol.Error(), tt.want) || errOpen != nil || errATR != nil {
					t.Errorf("volume fault: volume %v, open %v, atr %v", errVol, errOpen, errATR)
				}
			} else {
				for what, err := range map[string]error{"open": errOpen, "atr": errATR} {
					if err == nil || !strings.Contains(err.Error(), tt.want) {
						t.Errorf("%s: %v, want the fault %q", what, err, tt.want)
					}
				}
			}
			if errOHLC == nil || !strings.Contains(errOHLC.Error(), tt.want) {
				t.Errorf("OHLC over the row: %v, want the fault", errOHLC)
			}
			if _, err := v.OHLC("X", "1D"); err != nil { // rows 2 and 3
				t.Errorf("OHLC after the row: %v", err)
			}
			if _, err := v.ATR("X", 2); err != nil { // the close of row 1 and the OHLC of rows 2 and 3
				t.Errorf("ATR after the row: %v", err)
			}
			if _, err := v.Ret("X", "3D"); err != nil {
				t.Errorf("closes are not affected: %v", err)
			}
		})
	}
}

func TestOHLCErrors(t *testing.T) {
	tab, err := ParseCSV("f.csv", []byte("observation_date,SP500\n2024-01-02,1\n2024-01-03,2\n2024-01-04,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := tab.Series("F", "")
	if err != nil {
		t.Fatal(err)
	}
	u := &Universe{Symbols: map[string]*Symbol{"F": {Key: "F", Kind: "index", Series: s}}}
	v := u.At(d("2024-01-04"))
	check := func(what string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", what, err, want)
		}
	}
	_, err = v.OHLC("F", "1D")
	check("OHLC", err, "F: f.csv has no Open, High and Low columns beside its close: a candlestick needs them (a line chart needs only the close)")
	_, err = v.Open("F")
	check("open", err, "F: f.csv has no Open, High and Low columns")
	_, err = v.Volume("F")
	check("volume", err, "F: f.csv has no volume column (Volume or Vol.)")
	_, err = v.ATR("F", 0)
	check("atr 0", err, "atr F 0: N must be at least 1")
	_, err = v.ATR("F", 5)
	check("atr 5", err, "atr F 6: needs 6 closes up to 2024-01-04, the data has 3 (from 2024-01-02) (5 true ranges need 6 sessions: each needs the close before it)")
	_, err = v.OpenOn("F", "2024-02-01")
	check("open after", err, "is after the as-of date")
}

// The real files with OHLC load it; their faults are the CBOE's VIX rows
// and a few sector funds' rows, and no rounding error is one.
func TestRealOHLC(t *testing.T) {
	if _, err := os.Stat(realDir + "/tickers.toml"); err != nil {
		t.Skipf("real market data absent (%v)", err)
	}
	u, err := Load(os.DirFS(realDir), "shared/data/market/")
	if err != nil {
		t.Fatal(err)
	}
	faults := map[string]int{}
	for k, s := range u.Symbols {
		for _, f := range s.Series.Faults {
			if !f.Volume {
				faults[k]++
			}
		}
	}
	if !u.Symbols["SPY"].Series.HasOHLC() || u.Symbols["SPY"].Series.Volumes == nil || u.Symbols["SP500FRED"].Series.HasOHLC() {
		t.Errorf("SPY has OHLC and volume, SP500FRED none")
	}
	for sym, want := range map[string]int{"VIX": 47, "XLB": 1, "XLC": 1, "SPY": 0, "XLK": 0} {
		if faults[sym] != want {
			t.Errorf("%s: %d faulty rows, want %d", sym, faults[sym], want)
		}
	}
	spy := u.At(d("2026-02-09"))
	if r, err := spy.Open("SPY"); err != nil || math.IsNaN(r.Value) {
		t.Errorf("SPY open: %v %v", r, err)
	}
}
