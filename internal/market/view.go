package market

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"briefs/internal/diag"
)

// StaleAfter is how far the last row of a series may lie before the as-of
// date before metrics refuse it: long enough for holiday weekends, short
// enough to catch a file that stopped being updated.
const StaleAfter = 10 * 24 * time.Hour

// View is the universe as of one date. Nothing computed through a View sees
// a row after AsOf.
type View struct {
	u    *Universe
	AsOf time.Time
}

// At returns the view of u as of the calendar date asof.
func (u *Universe) At(asof time.Time) *View {
	y, m, d := asof.Date()
	return &View{u: u, AsOf: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// UnknownSymbolError is returned for a symbol tickers.toml does not define.
type UnknownSymbolError struct {
	Symbol  string
	Nearest string // a close known symbol, or ""
	Group   bool
}

func (e *UnknownSymbolError) Error() string {
	what := "symbol"
	if e.Group {
		what = "group"
	}
	msg := fmt.Sprintf("unknown %s %q", what, e.Symbol)
	if e.Nearest != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Nearest)
	}
	return msg
}

// Symbol returns the symbol key, or an *UnknownSymbolError.
func (u *Universe) Symbol(key string) (*Symbol, error) { return lookup(u.Symbols, key, false) }

// Group returns the group key, or an *UnknownSymbolError.
func (u *Universe) Group(key string) (*Group, error) { return lookup(u.Groups, key, true) }

func lookup[V any](m map[string]V, key string, group bool) (V, error) {
	if v, ok := m[key]; ok {
		return v, nil
	}
	var zero V
	return zero, &UnknownSymbolError{Symbol: key, Nearest: diag.Nearest(key, slices.Sorted(maps.Keys(m))), Group: group}
}

// obs is a series cut at the view's as-of date: rows [0, n) are visible.
type obs struct {
	s *Series
	n int
}

func (o obs) last() int                   { return o.n - 1 }
func (o obs) date(i int) time.Time        { return o.s.Dates[i] }
func (o obs) close(i int) float64         { return o.s.Closes[i] }
func (o obs) day(i int) string            { return o.s.Dates[i].Format(time.DateOnly) }
func (o obs) sym() string                 { return o.s.Symbol }
func (o obs) closes(lo, hi int) []float64 { return o.s.Closes[lo : hi+1] }

// series returns the rows of sym visible as of the view, checking that there
// is at least one and that the last is not stale.
func (v *View) series(sym string) (obs, error) {
	s, err := v.u.Symbol(sym)
	if err != nil {
		return obs{}, err
	}
	return v.cut(s.Series, v.AsOf)
}

// cut returns the rows of s on or before date, checked for staleness
// against that date.
func (v *View) cut(s *Series, date time.Time) (obs, error) {
	n := sort.Search(len(s.Dates), func(i int) bool { return s.Dates[i].After(date) })
	if n == 0 {
		if len(s.Dates) == 0 {
			return obs{}, fmt.Errorf("%s has no data", s.Symbol)
		}
		return obs{}, &historyError{s.Symbol, s.Dates[0], fmt.Sprintf("%s: no data on or before %s (its first row is %s)", s.Symbol, day(date), day(s.Dates[0]))}
	}
	if gap := date.Sub(s.Dates[n-1]); gap > StaleAfter {
		return obs{}, &StaleError{Symbol: s.Symbol, Last: s.Dates[n-1], Date: date, File: s.File}
	}
	return obs{s: s, n: n}, nil
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// StaleError says that a symbol's last row on or before a date is too old
// to stand for that date (see StaleAfter): its file was not updated.
type StaleError struct {
	Symbol     string
	Last, Date time.Time
	File       string
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("%s: last row %s is %d days before %s (stale data? update %s)",
		e.Symbol, day(e.Last), int(e.Date.Sub(e.Last).Hours()/24), day(e.Date), e.File)
}

// Unavailable reports whether err says that the data for a date is not
// there: a symbol whose file ends too early (stale) or starts too late.
// Such an error is the data's, not the brief's. The cause names the symbol
// and its last or first row, and no other date, so that the causes of
// several dates compare equal.
func Unavailable(err error) (cause string, ok bool) {
	var s *StaleError
	var h *historyError
	switch {
	case errors.As(err, &s):
		return fmt.Sprintf("%s: its last row is %s (stale data? update %s)", s.Symbol, day(s.Last), s.File), true
	case errors.As(err, &h):
		return fmt.Sprintf("%s: its data starts %s, too late for the period", h.sym, day(h.first)), true
	}
	return "", false
}

// A historyError says that a series starts too late for what was asked:
// after the date, or with fewer rows before it than a window needs. Group
// metrics leave such members out, as not listed yet; for a single symbol
// it is an error like any other.
type historyError struct {
	sym   string
	first time.Time // the series' first row
	msg   string
}

func (e *historyError) Error() string { return e.msg }

// start returns the index of the first observation of period p in o,
// ending at o's last row. Calendar periods count back from the as-of date
// itself, not from that row (DESIGN.md section 4): as of a Saturday, MTD
// starts at the close of the month before, whatever day the last row is.
func (o obs) start(p Period, asof time.Time) (int, error) {
	end := o.last()
	if p.Unit == 'D' {
		i := end - p.N
		if i < 0 {
			return 0, &historyError{o.sym(), o.date(0), fmt.Sprintf("%s: %s needs %d observations before %s, the data has %d (from %s)",
				o.sym(), p, p.N, o.day(end), end, o.day(0))}
		}
		return i, nil
	}
	target := p.StartDate(asof)
	i := sort.Search(o.n, func(i int) bool { return o.s.Dates[i].After(target) }) - 1
	if i < 0 {
		return 0, &historyError{o.sym(), o.date(0), fmt.Sprintf("%s: %s before %s needs a close on or before %s; the data starts %s",
			o.sym(), p, day(asof), day(target), o.day(0))}
	}
	return i, nil
}

// window parses period and returns the start and end indexes of sym's
// window as of the view.
func (v *View) window(sym, period string) (obs, int, error) {
	p, err := ParsePeriod(period)
	if err != nil {
		return obs{}, 0, err
	}
	o, err := v.series(sym)
	if err != nil {
		return obs{}, 0, err
	}
	i, err := o.start(p, v.AsOf)
	return o, i, err
}

// Session returns the last trading session on or before d: the date on
// which most exchange-traded series (indexes, ETFs, stocks) that are not
// stale as of d have their last row. Crypto trades every day and is left
// out. Without such series, Session returns d.
func (u *Universe) Session(d time.Time) time.Time {
	y, m, dd := d.Date()
	d = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	votes := map[time.Time]int{}
	for _, s := range u.Symbols {
		if !ExchangeTraded(s.Kind) {
			continue
		}
		ds := s.Series.Dates
		n := sort.Search(len(ds), func(i int) bool { return ds[i].After(d) })
		if n == 0 || d.Sub(ds[n-1]) > StaleAfter {
			continue
		}
		votes[ds[n-1]]++
	}
	best, most := d, 0
	for t, c := range votes {
		if c > most || c == most && t.After(best) {
			best, most = t, c
		}
	}
	return best
}

// Window returns sym's observations in the window of period as of the view,
// preceded by up to before earlier observations (what a moving average over
// the window needs), and the index at which the window itself starts. The
// slices share the series' storage: callers must not modify them.
func (v *View) Window(sym, period string, before int) (dates []time.Time, closes []float64, start int, err error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return nil, nil, 0, err
	}
	lo := max(i-max(before, 0), 0)
	hi := o.n
	return o.s.Dates[lo:hi:hi], o.s.Closes[lo:hi:hi], i - lo, nil
}
