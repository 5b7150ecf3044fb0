package market

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Issue is one period of a periodic brief: its key, which is also its URL
// segment ("2026-02-10", "2026-w07", "2026-02"), and its trading sessions.
type Issue struct {
	Key         string
	Year        int // the ISO year for weeks
	Number      int // the ISO week, or the month, or the day of the month
	First, Last time.Time
}

// Issues returns the periods of kind every (day, week or month) from the
// one holding from to the last complete one in the data, oldest first.
// Each issue is as of its Last session. A period is complete once the
// data reaches its last weekday (or goes past it), so a week with data up
// to Wednesday has no issue until Friday's rows (or the next week's)
// arrive; its issue then never changes, whatever rows come after.
//
// Sessions are the dates on which most exchange-traded series have a row
// (see Session), so a holiday is no session and a stray row of one series
// is not one either.
func (u *Universe) Issues(every string, from time.Time) ([]Issue, error) {
	key, ok := periodKeys[every]
	if !ok {
		return nil, fmt.Errorf("every %q: expected day, week or month", every)
	}
	y, m, d := from.Date()
	from = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	sessions := u.sessions()
	if len(sessions) == 0 {
		return nil, nil
	}
	last := sessions[len(sessions)-1]
	start, _ := key(from)
	var out []Issue
	for _, t := range sessions {
		k, _ := key(t)
		if k < start {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Key == k {
			out[n-1].Last = t
			continue
		}
		is := Issue{Key: k, First: t, Last: t}
		switch every {
		case "day":
			is.Year, is.Number = t.Year(), t.Day()
		case "week":
			is.Year, is.Number = t.ISOWeek()
		case "month":
			is.Year, is.Number = t.Year(), int(t.Month())
		}
		out = append(out, is)
	}
	// The last period is complete only if the data reaches its last weekday.
	if n := len(out); n > 0 {
		if _, end := key(out[n-1].Last); last.Before(end) {
			out = out[:n-1]
		}
	}
	return out, nil
}

// sessionState is the part of a Universe that sessions computes once.
type sessionState struct {
	sessionsOnce sync.Once
	sessionDates []time.Time
}

// sessions returns the trading sessions of the data, oldest first: the
// dates of exchange-traded rows that are their own Session. They are
// computed once per Universe, which serve keeps while the data is
// unchanged.
func (u *Universe) sessions() []time.Time {
	u.sessionsOnce.Do(func() {
		seen := map[time.Time]bool{}
		var dates []time.Time
		for _, s := range u.Symbols {
			if !ExchangeTraded(s.Kind) {
				continue
			}
			for _, t := range s.Series.Dates {
				if !seen[t] {
					seen[t] = true
					dates = append(dates, t)
				}
			}
		}
		slices.SortFunc(dates, func(a, b time.Time) int { return a.Compare(b) })
		for _, t := range dates {
			if u.Session(t).Equal(t) {
				u.sessionDates = append(u.sessionDates, t)
			}
		}
	})
	return u.sessionDates
}

// periodKeys map a date to the key of its period and the period's last
// weekday.
var periodKeys = map[string]func(t time.Time) (string, time.Time){
	"day": func(t time.Time) (string, time.Time) { return t.Format(time.DateOnly), t },
	"week": func(t time.Time) (string, time.Time) {
		y, w := t.ISOWeek()
		wd := (int(t.Weekday()) + 6) % 7 // Monday 0
		return fmt.Sprintf("%04d-w%02d", y, w), t.AddDate(0, 0, 4-wd)
	},
	"month": func(t time.Time) (string, time.Time) {
		end := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		for end.Weekday() == time.Saturday || end.Weekday() == time.Sunday {
			end = end.AddDate(0, 0, -1)
		}
		return t.Format("2006-01"), end
	},
}
