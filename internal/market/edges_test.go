package market

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// tiny is a hand-checkable series: 100 on Mon 2026-01-05, 110, 99, 121, then
// Friday 2026-01-09 at 121 (flat).
func tiny() *Universe {
	s := &Series{Symbol: "T", File: "t.csv"}
	for i, c := range []float64{100, 110, 99, 121, 121} {
		s.Dates = append(s.Dates, d("2026-01-05").AddDate(0, 0, i))
		s.Closes = append(s.Closes, c)
	}
	flat := &Series{Symbol: "F", File: "f.csv", Dates: s.Dates, Closes: []float64{50, 50, 50, 50, 50}}
	return &Universe{
		Symbols: map[string]*Symbol{"T": {Key: "T", Series: s}, "RTY": {Key: "RTY", Series: s}, "F": {Key: "F", Series: flat}},
		Groups:  map[string]*Group{"sectors": {Key: "sectors", Members: []string{"T"}}},
	}
}

func TestByHand(t *testing.T) {
	v := tiny().At(d("2026-01-10")) // a Saturday: the last row is Friday's
	tests := []struct {
		name string
		f    func() (Result, error)
		want float64
		desc string
	}{
		{"close on a weekend is Friday's", func() (Result, error) { return v.Close("T") }, 121, "T close 2026-01-09 121.00"},
		{"1D flat", func() (Result, error) { return v.Ret("T", "1D") }, 0, "T close 2026-01-08 121.00 -> 2026-01-09 121.00"},
		{"2D", func() (Result, error) { return v.Ret("T", "2D") }, 121.0/99 - 1, ""},
		{"4D from the first row", func() (Result, error) { return v.Ret("T", "4D") }, 0.21, "T close 2026-01-05 100.00 -> 2026-01-09 121.00"},
		{"ret between", func() (Result, error) { return v.RetBetween("T", "2026-01-06", "2026-01-07") }, 99.0/110 - 1, "T close 2026-01-06 110.00 -> 2026-01-07 99.00"},
		{"sma 3", func() (Result, error) { return v.SMA("T", 3) }, (99.0 + 121 + 121) / 3, ""},
		{"ema 2", func() (Result, error) { return v.EMA("T", 2) }, 0, ""}, // filled below
		{"drawdown", func() (Result, error) { return v.Drawdown("T", "4D") }, -0.1, "T peak 2026-01-06 110.00 -> trough 2026-01-07 99.00, in 2026-01-05 .. 2026-01-09"},
		{"high", func() (Result, error) { return v.High("T", "4D") }, 121, ""},
		{"low", func() (Result, error) { return v.Low("T", "4D") }, 99, ""},
		{"pctrank", func() (Result, error) { return v.PctRank("T", "4D") }, 1, "T close 2026-01-09 121.00 is >= 5 of 5 closes 2026-01-05 .. 2026-01-09"},
		{"pctrank 2D", func() (Result, error) { return v.PctRank("T", "2D") }, 1, ""},
		{"breadth 3", func() (Result, error) { return v.Breadth("sectors", 3) }, 1, "1 of 1 members of sectors close above their 3-day average as of 2026-01-10"},
	}
	// EMA(2) by hand: alpha 2/3, seed (100+110)/2 = 105; then 99 -> 101, 121 -> 114.333.., 121 -> 118.777..
	e := 105.0
	for _, c := range []float64{99, 121, 121} {
		e = 2.0/3*c + 1.0/3*e
	}
	tests[6].want = e
	for _, tt := range tests {
		got, err := tt.f()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !close(got.Value, tt.want) {
			t.Errorf("%s = %.12g, want %.12g", tt.name, got.Value, tt.want)
		}
		if tt.desc != "" && got.Desc != tt.desc {
			t.Errorf("%s: desc %q, want %q", tt.name, got.Desc, tt.desc)
		}
	}
}

func TestMetricErrors(t *testing.T) {
	u := tiny()
	tests := []struct {
		name string
		f    func() error
		want string
	}{
		{"as-of before the first row", func() error { _, err := u.At(d("2026-01-02")).Close("T"); return err },
			"T: no data on or before 2026-01-02 (its first row is 2026-01-05)"},
		{"stale series", func() error { _, err := u.At(d("2026-02-01")).Close("T"); return err },
			"T: last row 2026-01-09 is 23 days before 2026-02-01 (stale data? update t.csv)"},
		{"too little history, D", func() error { _, err := u.At(d("2026-01-09")).Ret("T", "5D"); return err },
			"T: 5D needs 5 observations before 2026-01-09, the data has 4 (from 2026-01-05)"},
		{"too little history, M", func() error { _, err := u.At(d("2026-01-09")).Ret("T", "1M"); return err },
			"T: 1M before 2026-01-09 needs a close on or before 2025-12-09; the data starts 2026-01-05"},
		{"sma too long", func() error { _, err := u.At(d("2026-01-09")).SMA("T", 20); return err },
			"sma T 20: needs 20 closes up to 2026-01-09, the data has 5 (from 2026-01-05)"},
		{"vol needs n+1", func() error { _, err := u.At(d("2026-01-09")).Vol("T", 5); return err },
			"vol T 6: needs 6 closes up to 2026-01-09, the data has 5 (from 2026-01-05) (5 returns need 6 closes)"},
		{"unknown symbol", func() error { _, err := u.At(d("2026-01-09")).Close("RTX"); return err },
			`unknown symbol "RTX" (did you mean "RTY"?)`},
		{"unknown group", func() error { _, err := u.At(d("2026-01-09")).Rank("sector", "1D"); return err },
			`unknown group "sector" (did you mean "sectors"?)`},
		{"bad period", func() error { _, err := u.At(d("2026-01-09")).Ret("T", "3X"); return err },
			`period "3X": expected N followed by D, W, M or Y`},
		{"zero period", func() error { _, err := u.At(d("2026-01-09")).Ret("T", "0D"); return err }, `period "0D"`},
		{"date after as-of", func() error { _, err := u.At(d("2026-01-07")).CloseOn("T", "2026-01-08"); return err },
			"date 2026-01-08 is after the as-of date 2026-01-07: a brief cannot see later data"},
		{"ret between reversed", func() error { _, err := u.At(d("2026-01-09")).RetBetween("T", "2026-01-08", "2026-01-06"); return err },
			"the start date must be before the end date"},
		{"bad date", func() error { _, err := u.At(d("2026-01-09")).CloseOn("T", "9 Jan"); return err }, `date "9 Jan": expected YYYY-MM-DD`},
		{"flat corr", func() error { _, err := u.At(d("2026-01-09")).Corr("F", "T", 3); return err }, "corr F T 3: a series is flat over 2026-01-06 .. 2026-01-09"},
		{"flat beta", func() error { _, err := u.At(d("2026-01-09")).Beta("T", "F", 3); return err }, "beta T F 3: F is flat"},
	}
	for _, tt := range tests {
		err := tt.f()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestPointInTime: appending rows after the as-of date changes no figure.
func TestPointInTime(t *testing.T) {
	u := fixture()
	asof := d("2026-02-13")
	before := figures(t, u.At(asof))
	for _, s := range u.Symbols {
		for i := 0; i < 30; i++ {
			last := s.Series.Dates[len(s.Series.Dates)-1]
			s.Series.Dates = append(s.Series.Dates, last.AddDate(0, 0, 1))
			s.Series.Closes = append(s.Series.Closes, s.Series.Closes[len(s.Series.Closes)-1]*1.5)
		}
	}
	after := figures(t, u.At(asof))
	if before != after {
		t.Errorf("figures changed after appending later rows:\n%s\n%s", before, after)
	}
}

func figures(t *testing.T, v *View) string {
	var b strings.Builder
	for _, sym := range []string{"A", "B", "C"} {
		for _, f := range []func() (Result, error){
			func() (Result, error) { return v.Close(sym) },
			func() (Result, error) { return v.Ret(sym, "3M") },
			func() (Result, error) { return v.SMA(sym, 20) },
			func() (Result, error) { return v.EMA(sym, 20) },
			func() (Result, error) { return v.Vol(sym, 20) },
			func() (Result, error) { return v.Drawdown(sym, "YTD") },
			func() (Result, error) { return v.PctRank(sym, "1Y") },
			func() (Result, error) { return v.Corr(sym, "A", 20) },
		} {
			r, err := f()
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %.17g\n", r.Desc, r.Value)
		}
	}
	return b.String()
}

// TestSession: the last trading session on or before a date, by hand.
// Stocks trade Mon 2026-01-05 .. Fri 01-09 and Mon 01-12; a crypto series
// trades every day; a stale series ended in December.
func TestSession(t *testing.T) {
	series := func(sym string, days ...string) *Series {
		s := &Series{Symbol: sym, File: sym + ".csv"}
		for _, x := range days {
			s.Dates = append(s.Dates, d(x))
			s.Closes = append(s.Closes, 1)
		}
		return s
	}
	week := []string{"2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-12"}
	var daily []string
	for i := range 10 {
		daily = append(daily, d("2026-01-05").AddDate(0, 0, i).Format("2006-01-02"))
	}
	u := &Universe{Symbols: map[string]*Symbol{
		"A":   {Key: "A", Kind: "stock", Series: series("A", week...)},
		"B":   {Key: "B", Kind: "etf", Series: series("B", week...)},
		"BTC": {Key: "BTC", Kind: "crypto", Series: series("BTC", daily...)},
		"VIX": {Key: "VIX", Kind: "volatility", Series: series("VIX", daily...)},
		"OLD": {Key: "OLD", Kind: "index", Series: series("OLD", "2025-12-01")},
		"C":   {Key: "C", Kind: "index", Series: series("C", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08")},
	}}
	for _, c := range []struct{ date, want string }{
		{"2026-01-09", "2026-01-09"}, // a trading day
		{"2026-01-10", "2026-01-09"}, // Saturday: Friday
		{"2026-01-11", "2026-01-09"}, // Sunday: Friday (BTC's Sunday row does not count)
		{"2026-01-12", "2026-01-12"},
		{"2026-01-07", "2026-01-07"},
		{"2026-01-04", "2026-01-04"}, // before any row: the date itself
	} {
		if got := u.Session(d(c.date)).Format("2006-01-02"); got != c.want {
			t.Errorf("Session(%s) = %s, want %s", c.date, got, c.want)
		}
	}
}

func TestWindow(t *testing.T) {
	u := tiny() // T: 100, 110, 99, 121, 121 on 2026-01-05 .. 01-09
	v := u.At(d("2026-01-08"))
	dates, closes, start, err := v.Window("T", "1D", 0)
	if err != nil || start != 0 || fmt.Sprint(closes) != "[99 121]" || !dates[0].Equal(d("2026-01-07")) {
		t.Errorf("1D: %v %v %d %v", dates, closes, start, err)
	}
	_, closes, start, err = v.Window("T", "1D", 5)
	if err != nil || start != 2 || fmt.Sprint(closes) != "[100 110 99 121]" {
		t.Errorf("1D with 5 before: %v %d %v", closes, start, err)
	}
	if _, _, _, err := v.Window("T", "5D", 0); err == nil {
		t.Error("5D as of the 4th row: no error")
	}
	if _, _, _, err := v.Window("X", "1D", 0); err == nil {
		t.Error("unknown symbol: no error")
	}
}

// A group member whose data starts too late for the window (listed later)
// is left out of rank and breadth, and named; if no member is left, or a
// member's data is stale, it is an error.
func TestGroupsLeaveOutLaterMembers(t *testing.T) {
	u := tiny()
	late := &Series{Symbol: "L", File: "l.csv", Dates: []time.Time{d("2026-01-08"), d("2026-01-09")}, Closes: []float64{10, 20}}
	u.Symbols["L"] = &Symbol{Key: "L", Series: late}
	u.Groups["mixed"] = &Group{Key: "mixed", Members: []string{"L", "T"}}
	u.Groups["lateonly"] = &Group{Key: "lateonly", Members: []string{"L"}}
	v := u.At(d("2026-01-09"))

	rows, err := v.Rank("mixed", "2D") // L has one row before 2026-01-09
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Symbol != "T" || !close(rows[0].Value, 121.0/99-1) {
		t.Fatalf("rank: %+v", rows)
	}
	if want := "; mixed ranks 1 of its 2 members, leaving out those not listed for the whole period: L (data from 2026-01-08)"; !strings.HasSuffix(rows[0].Desc, want) {
		t.Errorf("rank desc %q, want it to end with %q", rows[0].Desc, want)
	}
	// Over 1D both count: L rose 100%, ahead of T.
	if rows, err := v.Rank("mixed", "1D"); err != nil || len(rows) != 2 || rows[0].Symbol != "L" || strings.Contains(rows[0].Desc, "leaving out") {
		t.Errorf("rank 1D: %+v, %v", rows, err)
	}

	b, err := v.Breadth("mixed", 3) // L has 2 closes; T's 121 is above (99+121+121)/3
	if err != nil {
		t.Fatal(err)
	}
	if want := "1 of 1 members of mixed close above their 3-day average as of 2026-01-09, leaving out those without 3 closes yet: L (data from 2026-01-08)"; b.Value != 1 || b.Desc != want {
		t.Errorf("breadth = %v %q, want 1 %q", b.Value, b.Desc, want)
	}
	// Before L's first row, L is not a member yet: T's 99 is below
	// (110+99)/2, so 0 of 1.
	// Nor is the date it will start named: a brief sees nothing later.
	if b, err := u.At(d("2026-01-07")).Breadth("mixed", 2); err != nil || b.Value != 0 || !strings.HasSuffix(b.Desc, "0 of 1 members of mixed close above their 2-day average as of 2026-01-07, leaving out those without 2 closes yet: L (no data by 2026-01-07)") {
		t.Errorf("breadth before L: %v %q %v", b.Value, b.Desc, err)
	}
	if rows, err := u.At(d("2026-01-07")).Rank("mixed", "1D"); err != nil || len(rows) != 1 || !strings.HasSuffix(rows[0].Desc, ": L (no data by 2026-01-07)") {
		t.Errorf("rank before L: %+v %v", rows, err)
	}

	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"rank, no member", func() error { _, err := v.Rank("lateonly", "2D"); return err }(),
			"rank lateonly 2D: no member has data for the period as of 2026-01-09: L (data from 2026-01-08)"},
		{"breadth, no member", func() error { _, err := v.Breadth("lateonly", 3); return err }(),
			"breadth lateonly 3: no member has 3 closes up to 2026-01-09: L (data from 2026-01-08)"},
		{"stale member", func() error { _, err := u.At(d("2026-02-01")).Rank("mixed", "1D"); return err }(),
			"stale data?"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
}
