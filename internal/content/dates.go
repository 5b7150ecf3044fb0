package content

import (
	"fmt"
	"strings"
	"time"

	"briefs/internal/diag"

	"go.yaml.in/yaml/v3"
)

// dateLayouts are the ways of writing a date and time that front matter
// accepts after YYYY-MM-DD: those of Hugo's date parsing that name the day
// unambiguously. Layouts without an offset are read as written.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC822Z,
	time.RFC822,
	"02 Jan 2006",
	"2 January 2006",
	"January 2, 2006",
	"Jan 2, 2006",
}

// parseDate reads s as a date, or a date and time. day is the calendar date
// as written (in the offset given, if any), at midnight UTC; at is the
// instant, zero when s gives no time of day.
func parseDate(s string) (day, at time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, time.Time{}, true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			y, m, d := t.Date()
			day = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 && !strings.ContainsAny(s, ":") {
				return day, time.Time{}, true // "02 Jan 2006": a day, no time
			}
			return day, t, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// dateValue parses a date of the front matter: YYYY-MM-DD, or a date and
// time with or without an offset (Hugo corpora), of which the calendar date
// as written is kept. at, if not nil, receives the instant when a time is
// given.
func dateValue(v *yaml.Node, at reporter, key string) time.Time {
	d, _ := dateTimeValue(v, at, key)
	return d
}

func dateTimeValue(v *yaml.Node, at reporter, key string) (time.Time, time.Time) {
	if v.Kind != yaml.ScalarNode {
		at(v, "%s: expected a date YYYY-MM-DD", key)
		return time.Time{}, time.Time{}
	}
	s := strings.TrimSpace(v.Value)
	if day, t, ok := parseDate(s); ok {
		return day, t
	}
	if why := impossibleDate(s); why != "" {
		at(v, "%s %s: %s", key, s, why)
		return time.Time{}, time.Time{}
	}
	at(v, "%s %s: expected a date YYYY-MM-DD, or a date and time such as 2026-02-10T09:30:00+08:00", key, diag.Quote(s))
	return time.Time{}, time.Time{}
}

// impossibleDate says why s, written as YYYY-MM-DD, is no day of the
// calendar ("November 2026 has 30 days"), or "" if it is not so written or
// is a day.
func impossibleDate(s string) string {
	var y, m, d int
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return ""
	}
	if n, err := fmt.Sscanf(s[:10], "%4d-%2d-%2d", &y, &m, &d); n != 3 || err != nil {
		return ""
	}
	if m < 1 || m > 12 {
		return fmt.Sprintf("there is no month %d: expected YYYY-MM-DD with a month 01..12", m)
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > days {
		return fmt.Sprintf("that day does not exist: %s %d has %d days", time.Month(m), y, days)
	}
	return ""
}
