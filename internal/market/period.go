package market

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is a look-back window, parsed from the grammar of DESIGN section 4:
//
//	ND   N observations back ("1D" is the previous observation)
//	NW   N calendar weeks back
//	NM   N calendar months back (a day missing from the target month clamps
//	     to its last day: 3M before May 31 is Feb 28 or 29)
//	NY   N calendar years back (Feb 29 clamps to Feb 28)
//	YTD  from the last close on or before Dec 31 of the prior year
//	QTD  from the last close on or before the end of the prior quarter
//	MTD  from the last close on or before the end of the prior month
//
// Calendar periods are counted back from the date of the as-of observation,
// and start at the last close on or before the date they reach.
type Period struct {
	N    int
	Unit byte // 'D', 'W', 'M', 'Y', or 0 for YTD/QTD/MTD
	To   string
	text string
}

func (p Period) String() string { return p.text }

// ParsePeriod parses a period such as "3M" or "YTD".
func ParsePeriod(s string) (Period, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch u {
	case "YTD", "QTD", "MTD":
		return Period{To: u, text: u}, nil
	}
	if len(u) >= 2 {
		n, err := strconv.Atoi(u[:len(u)-1])
		unit := u[len(u)-1]
		if err == nil && n > 0 && strings.IndexByte("DWMY", unit) >= 0 {
			return Period{N: n, Unit: unit, text: u}, nil
		}
	}
	return Period{}, fmt.Errorf("period %q: expected N followed by D, W, M or Y (such as 1D, 20D, 1W, 3M, 1Y), or YTD, QTD, MTD", s)
}

// StartDate returns the calendar date a calendar period reaches back to from
// end. For observation periods (D) it is not defined and returns end.
func (p Period) StartDate(end time.Time) time.Time {
	y, m, d := end.Date()
	switch {
	case p.Unit == 'W':
		return end.AddDate(0, 0, -7*p.N)
	case p.Unit == 'M':
		return clampDate(y, int(m)-p.N, d)
	case p.Unit == 'Y':
		return clampDate(y-p.N, int(m), d)
	case p.To == "YTD":
		return time.Date(y-1, 12, 31, 0, 0, 0, 0, time.UTC)
	case p.To == "QTD":
		q := (int(m) - 1) / 3 // 0..3
		return time.Date(y, time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	case p.To == "MTD":
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	}
	return end
}

// clampDate returns year y, month m (which may be out of 1..12 and is
// normalized), day d clamped to the month's length.
func clampDate(y, m, d int) time.Time {
	first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}
