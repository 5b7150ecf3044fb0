package market

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Pair returns the closes of a and b on the dates both have, as of the
// view, in the window of period counted on those common dates (as Window
// counts it on one symbol's dates): what a ratio a/b is drawn from. The
// slices are new; start is the index at which the window starts.
func (v *View) Pair(a, b, period string) (dates []time.Time, ca, cb []float64, start int, err error) {
	p, err := ParsePeriod(period)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	oa, err := v.series(a)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	ob, err := v.series(b)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	for i, j := 0, 0; i < oa.n && j < ob.n; {
		switch da, db := oa.date(i), ob.date(j); {
		case da.Equal(db):
			dates = append(dates, da)
			ca, cb = append(ca, oa.close(i)), append(cb, ob.close(j))
			i, j = i+1, j+1
		case da.Before(db):
			i++
		default:
			j++
		}
	}
	if len(dates) == 0 {
		return nil, nil, nil, 0, fmt.Errorf("%s and %s have no date in common up to %s", a, b, day(v.AsOf))
	}
	both := &Series{Symbol: a + "/" + b, File: oa.s.File, Dates: dates, Closes: ca}
	o := obs{s: both, n: len(dates)}
	if p.Unit == 'D' {
		if len(dates)-1 < p.N {
			return nil, nil, nil, 0, &historyError{o.sym(), dates[0], fmt.Sprintf("%s: %s needs %d common dates before %s, the data has %d (from %s)",
				o.sym(), p, p.N, o.day(o.last()), o.last(), o.day(0))}
		}
		return dates, ca, cb, len(dates) - 1 - p.N, nil
	}
	target := p.StartDate(v.AsOf)
	i := sort.Search(len(dates), func(i int) bool { return dates[i].After(target) }) - 1
	if i < 0 {
		return nil, nil, nil, 0, &historyError{o.sym(), dates[0], fmt.Sprintf("%s: %s before %s needs a common close on or before %s; the common data starts %s",
			o.sym(), p, day(v.AsOf), day(target), o.day(0))}
	}
	return dates, ca, cb, i, nil
}

// TooShort reports whether err says that a series starts too late for
// what was asked: figures over a group leave such members out, as rank
// does, and name them.
func TooShort(err error) bool {
	var h *historyError
	return errors.As(err, &h)
}
