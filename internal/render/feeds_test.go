package render

import (
	"testing"
	"time"
	_ "time/tzdata" // America/New_York on any machine

	"briefs/internal/content"
	"briefs/internal/layout"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four five six", 14, "one two three…"},
		{"第一句话很长很长，第二句话也很长很长。", 12, "第一句话很长很长…"},
		{"第一句话很长。第二句话也很长很长。", 12, "第一句话很长。"},
		{"The index rose. Financials led the gains by far", 24, "The index rose."},
		{"Rose 2.75 percent in the week, led by financials", 30, "Rose 2.75 percent in the week…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestPublished: a feed item is stamped at its as-of session's close in
// the site's time zone, never before the start of its publication date.
func TestPublished(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	r := &renderer{cfg: &content.Config{TimeZone: ny}}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		date, asof string
		want       string
	}{
		{"2026-02-13", "2026-02-13", "2026-02-13T16:00:00-05:00"}, // a weekly issue: the Friday close
		{"2026-02-10", "2026-02-09", "2026-02-10T00:00:00-05:00"}, // the morning after the close
		{"2026-07-02", "2026-07-02", "2026-07-02T16:00:00-04:00"}, // daylight saving time
		{"2026-02-10", "", "2026-02-10T00:00:00-05:00"},           // no market data
	}
	for _, tt := range tests {
		v := &brief{BriefView: layout.BriefView{Date: day(tt.date)}}
		if tt.asof != "" {
			v.AsOf = day(tt.asof)
		}
		if got := r.published(v).Format(time.RFC3339); got != tt.want {
			t.Errorf("published(date %s, asof %q) = %s, want %s", tt.date, tt.asof, got, tt.want)
		}
	}
}
