package update

import (
	"testing"
	"time"
)

func TestDetectDate(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	dates := []time.Time{day("2026-11-06"), day("2026-11-20")}
	tests := []struct {
		cells []string
		want  dateFormat
		ok    bool
	}{
		{[]string{"2026-11-06", "2026-11-20"}, dateFormat{layout: "2006-01-02"}, true},
		{[]string{"11/06/2026", "11/20/2026"}, dateFormat{layout: "01/02/2006"}, true},
		{[]string{"11/6/2026", "11/20/2026"}, dateFormat{layout: "1/2/2006"}, true},
		{[]string{"20261106", "20261120"}, dateFormat{layout: "20060102"}, true},
		{[]string{"Nov 6, 2026", "Nov 20, 2026"}, dateFormat{layout: "Jan 2, 2006"}, true},
		{[]string{"2026-11-06 00:00:00-05:00", "2026-11-20 00:00:00-05:00"}, dateFormat{layout: "2006-01-02", suffix: " 00:00:00-05:00"}, true},
		{[]string{"2026-11-06", "11/20/2026"}, dateFormat{}, false}, // mixed
	}
	for _, tt := range tests {
		got, ok := detectDate(tt.cells, dates)
		if got != tt.want || ok != tt.ok {
			t.Errorf("detectDate(%q) = %+v, %v; want %+v, %v", tt.cells, got, ok, tt.want, tt.ok)
		}
		if ok {
			for i, c := range tt.cells {
				if f := got.format(dates[i]); f != c {
					t.Errorf("%+v writes %s as %q, want %q", got, dates[i].Format(time.DateOnly), f, c)
				}
			}
		}
	}
}

func TestClosed(t *testing.T) {
	ny := newYork(t)
	tests := []struct {
		now       time.Time
		today, to string
	}{
		{time.Date(2026, 11, 24, 16, 59, 59, 0, ny), "2026-11-24", "2026-11-23"},
		{time.Date(2026, 11, 24, 17, 0, 0, 0, ny), "2026-11-24", "2026-11-24"},
		{time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC), "2026-11-23", "2026-11-23"}, // 21:00 the day before in New York
	}
	for _, tt := range tests {
		today, to := closed(tt.now, ny)
		if today.Format(time.DateOnly) != tt.today || to.Format(time.DateOnly) != tt.to {
			t.Errorf("closed(%s) = %s, %s; want %s, %s", tt.now, today.Format(time.DateOnly), to.Format(time.DateOnly), tt.today, tt.to)
		}
	}
}
