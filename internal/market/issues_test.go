package market

import (
	"slices"
	"testing"
	"time"
)

// calendar makes a universe of two ETFs trading on weekdays from first to
// last, except holidays, and a crypto series trading every day.
func calendar(first, last string, holidays ...string) *Universe {
	u := &Universe{Symbols: map[string]*Symbol{}}
	for _, k := range []string{"A", "B", "C"} {
		s := &Series{Symbol: k}
		for t := d(first); !t.After(d(last)); t = t.AddDate(0, 0, 1) {
			wd := t.Weekday()
			if k != "C" && (wd == time.Saturday || wd == time.Sunday || slices.Contains(holidays, t.Format(time.DateOnly))) {
				continue
			}
			s.Dates = append(s.Dates, t)
			s.Closes = append(s.Closes, 100)
		}
		kind := "etf"
		if k == "C" {
			kind = "crypto"
		}
		u.Symbols[k] = &Symbol{Key: k, Kind: kind, Series: s}
	}
	return u
}

func TestIssues(t *testing.T) {
	type want struct{ key, first, last string }
	for _, tt := range []struct {
		name, every, from string
		u                 *Universe
		want              []want
	}{
		{
			// Good Friday 2026-04-03 is a holiday: that week ends on
			// Thursday. The last week has data to Wednesday only: no issue.
			name: "weeks", every: "week", from: "2026-03-25",
			u: calendar("2026-03-02", "2026-04-15", "2026-04-03"),
			want: []want{
				{"2026-w13", "2026-03-23", "2026-03-27"},
				{"2026-w14", "2026-03-30", "2026-04-02"},
				{"2026-w15", "2026-04-06", "2026-04-10"},
			},
		},
		{
			name: "week complete on its Friday", every: "week", from: "2026-04-06",
			u:    calendar("2026-03-02", "2026-04-17"),
			want: []want{{"2026-w15", "2026-04-06", "2026-04-10"}, {"2026-w16", "2026-04-13", "2026-04-17"}},
		},
		{
			// ISO years: 2025-12-29 is in week 1 of 2026.
			name: "ISO year", every: "week", from: "2025-12-22",
			u:    calendar("2025-12-01", "2026-01-09", "2025-12-25", "2026-01-01"),
			want: []want{{"2025-w52", "2025-12-22", "2025-12-26"}, {"2026-w01", "2025-12-29", "2026-01-02"}, {"2026-w02", "2026-01-05", "2026-01-09"}},
		},
		{
			// May 2026 ends on a Sunday: its last weekday is Friday the 29th.
			name: "months", every: "month", from: "2026-03-15",
			u:    calendar("2026-02-02", "2026-05-29"),
			want: []want{{"2026-03", "2026-03-02", "2026-03-31"}, {"2026-04", "2026-04-01", "2026-04-30"}, {"2026-05", "2026-05-01", "2026-05-29"}},
		},
		{
			name: "month not over", every: "month", from: "2026-03-01",
			u:    calendar("2026-02-02", "2026-04-29"),
			want: []want{{"2026-03", "2026-03-02", "2026-03-31"}},
		},
		{
			// Weekends and holidays are no sessions, though crypto trades.
			name: "days", every: "day", from: "2026-04-02",
			u:    calendar("2026-03-30", "2026-04-07", "2026-04-03"),
			want: []want{{"2026-04-02", "2026-04-02", "2026-04-02"}, {"2026-04-06", "2026-04-06", "2026-04-06"}, {"2026-04-07", "2026-04-07", "2026-04-07"}},
		},
		{
			name: "from after the data", every: "week", from: "2027-01-01",
			u: calendar("2026-03-02", "2026-04-17"),
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.u.Issues(tt.every, d(tt.from))
			if err != nil {
				t.Fatal(err)
			}
			var g []want
			for _, is := range got {
				g = append(g, want{is.Key, is.First.Format(time.DateOnly), is.Last.Format(time.DateOnly)})
			}
			if !slices.Equal(g, tt.want) {
				t.Errorf("Issues(%s, %s)\n got %v\nwant %v", tt.every, tt.from, g, tt.want)
			}
		})
	}
	if _, err := calendar("2026-03-02", "2026-03-06").Issues("quarter", d("2026-01-01")); err == nil {
		t.Error("every: quarter is accepted")
	}
}
