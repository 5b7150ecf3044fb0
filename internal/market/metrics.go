package market

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Result is a computed figure and how it was computed: the symbol, dates and
// input values, for the reader who wants to check it.
type Result struct {
	Value float64
	Desc  string
}

// parseDay reads a YYYY-MM-DD argument.
func parseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: expected YYYY-MM-DD", s)
	}
	return t, nil
}

// Close is the last close of sym on or before the as-of date.
func (v *View) Close(sym string) (Result, error) {
	o, err := v.series(sym)
	if err != nil {
		return Result{}, err
	}
	i := o.last()
	return Result{o.close(i), fmt.Sprintf("%s close %s %s", sym, o.day(i), num(o.close(i)))}, nil
}

// CloseOn is the last close of sym on or before date, which must not be
// after the as-of date.
func (v *View) CloseOn(sym, date string) (Result, error) {
	d, err := v.notAfter(date)
	if err != nil {
		return Result{}, err
	}
	s, err := v.u.Symbol(sym)
	if err != nil {
		return Result{}, err
	}
	o, err := v.cut(s.Series, d)
	if err != nil {
		return Result{}, err
	}
	i := o.last()
	return Result{o.close(i), fmt.Sprintf("%s close %s %s", sym, o.day(i), num(o.close(i)))}, nil
}

// notAfter parses date and refuses one after the as-of date.
func (v *View) notAfter(date string) (time.Time, error) {
	d, err := parseDay(date)
	if err != nil {
		return d, err
	}
	if d.After(v.AsOf) {
		return d, fmt.Errorf("date %s is after the as-of date %s: a brief cannot see later data", date, day(v.AsOf))
	}
	return d, nil
}

// Ret is the simple return of sym over period: close(end)/close(start) - 1.
func (v *View) Ret(sym, period string) (Result, error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return Result{}, err
	}
	return o.ret(i, o.last()), nil
}

// Change is the move of sym's close over period, in the close's own units
// (points for an index): close(end) - close(start).
func (v *View) Change(sym, period string) (Result, error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return Result{}, err
	}
	j := o.last()
	return Result{o.close(j) - o.close(i), o.ret(i, j).Desc}, nil
}

// AnnRet is sym's return over period as a yearly rate, compounded over the
// calendar days of the window: (close(end) / close(start))^(365.25/days) - 1.
func (v *View) AnnRet(sym, period string) (Result, error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return Result{}, err
	}
	j := o.last()
	days := o.date(j).Sub(o.date(i)).Hours() / 24
	if days < 1 {
		return Result{}, fmt.Errorf("annret %s %s: the window is a single day, which has no yearly rate", sym, period)
	}
	r := o.ret(i, j)
	return Result{math.Pow(o.close(j)/o.close(i), 365.25/days) - 1, fmt.Sprintf("%s, %.0f days, annualized", r.Desc, days)}, nil
}

// RetBetween is the simple return of sym from the close on or before d1 to
// the close on or before d2.
func (v *View) RetBetween(sym, d1, d2 string) (Result, error) {
	t1, err1 := parseDay(d1)
	t2, err2 := parseDay(d2)
	if err1 == nil && err2 == nil && !t1.Before(t2) {
		return Result{}, fmt.Errorf("ret %s %s %s: the start date must be before the end date", sym, d1, d2)
	}
	a, err := v.CloseOn(sym, d1)
	if err != nil {
		return Result{}, err
	}
	b, err := v.CloseOn(sym, d2)
	if err != nil {
		return Result{}, err
	}
	return Result{b.Value/a.Value - 1, a.Desc + " -> " + strings.TrimPrefix(b.Desc, sym+" close ")}, nil
}

func (o obs) ret(i, j int) Result {
	return Result{o.close(j)/o.close(i) - 1,
		fmt.Sprintf("%s close %s %s -> %s %s", o.sym(), o.day(i), num(o.close(i)), o.day(j), num(o.close(j)))}
}

// lastN returns the last n visible rows of sym, or an error naming how many
// there are.
func (v *View) lastN(sym string, n int, what string) (obs, int, error) {
	if n < 1 {
		return obs{}, 0, fmt.Errorf("%s %s %d: N must be at least 1", what, sym, n)
	}
	o, err := v.series(sym)
	if err != nil {
		return obs{}, 0, err
	}
	if o.n < n {
		return obs{}, 0, &historyError{o.sym(), o.date(0), fmt.Sprintf("%s %s %d: needs %d closes up to %s, the data has %d (from %s)",
			what, sym, n, n, o.day(o.last()), o.n, o.day(0))}
	}
	return o, o.n - n, nil
}

// SMA is the mean of the last n closes ending at the as-of date.
func (v *View) SMA(sym string, n int) (Result, error) {
	o, i, err := v.lastN(sym, n, "sma")
	if err != nil {
		return Result{}, err
	}
	m := mean(o.closes(i, o.last()))
	return Result{m, fmt.Sprintf("%s mean of %d closes %s .. %s", sym, n, o.day(i), o.day(o.last()))}, nil
}

// EMA is the exponential moving average with alpha 2/(n+1) over every close
// up to the as-of date, seeded with the mean of the series' first n closes.
func (v *View) EMA(sym string, n int) (Result, error) {
	o, _, err := v.lastN(sym, n, "ema")
	if err != nil {
		return Result{}, err
	}
	alpha := 2 / float64(n+1)
	e := mean(o.closes(0, n-1))
	for i := n; i < o.n; i++ {
		e = alpha*o.close(i) + (1-alpha)*e
	}
	return Result{e, fmt.Sprintf("%s EMA(%d) of closes %s .. %s, seeded with the mean of the first %d", sym, n, o.day(0), o.day(o.last()), n)}, nil
}

// Vol is annualized realized volatility: the sample standard deviation of
// the last n daily log returns times sqrt(252).
func (v *View) Vol(sym string, n int) (Result, error) {
	if n < 2 {
		return Result{}, fmt.Errorf("vol %s %d: needs at least 2 returns", sym, n)
	}
	o, i, err := v.lastN(sym, n+1, "vol")
	var h *historyError
	if errors.As(err, &h) {
		return Result{}, fmt.Errorf("%w (%d returns need %d closes)", err, n, n+1)
	} else if err != nil {
		return Result{}, err
	}
	rets := make([]float64, 0, n)
	for k := i + 1; k <= o.last(); k++ {
		rets = append(rets, math.Log(o.close(k)/o.close(k-1)))
	}
	sd := stdev(rets)
	return Result{sd * math.Sqrt(252), fmt.Sprintf("%s stdev of %d daily log returns %s .. %s x sqrt(252)", sym, n, o.day(i), o.day(o.last()))}, nil
}

// Drawdown is the largest fall from a running peak inside the window (<= 0).
func (v *View) Drawdown(sym, period string) (Result, error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return Result{}, err
	}
	peak, pi := o.close(i), i
	worst, wp, wt := 0.0, i, i
	for k := i; k <= o.last(); k++ {
		if c := o.close(k); c > peak {
			peak, pi = c, k
		} else if dd := c/peak - 1; dd < worst {
			worst, wp, wt = dd, pi, k
		}
	}
	return Result{worst, fmt.Sprintf("%s peak %s %s -> trough %s %s, in %s .. %s", sym, o.day(wp), num(o.close(wp)), o.day(wt), num(o.close(wt)), o.day(i), o.day(o.last()))}, nil
}

// High is the highest close inside the window.
func (v *View) High(sym, period string) (Result, error) { return v.extreme(sym, period, 1) }

// Low is the lowest close inside the window.
func (v *View) Low(sym, period string) (Result, error) { return v.extreme(sym, period, -1) }

func (v *View) extreme(sym, period string, sign float64) (Result, error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return Result{}, err
	}
	best := i
	for k := i; k <= o.last(); k++ {
		if sign*o.close(k) > sign*o.close(best) {
			best = k
		}
	}
	what := "high"
	if sign < 0 {
		what = "low"
	}
	return Result{o.close(best), fmt.Sprintf("%s %s close %s %s, in %s .. %s", sym, what, o.day(best), num(o.close(best)), o.day(i), o.day(o.last()))}, nil
}

// PctRank is the share of closes in the window that are <= the as-of close.
func (v *View) PctRank(sym, period string) (Result, error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return Result{}, err
	}
	last := o.close(o.last())
	k := 0
	for _, c := range o.closes(i, o.last()) {
		if c <= last {
			k++
		}
	}
	n := o.last() - i + 1
	return Result{float64(k) / float64(n), fmt.Sprintf("%s close %s %s is >= %d of %d closes %s .. %s", sym, o.day(o.last()), num(last), k, n, o.day(i), o.day(o.last()))}, nil
}

// Spread is ret(a, period) - ret(b, period).
func (v *View) Spread(a, b, period string) (Result, error) {
	ra, err := v.Ret(a, period)
	if err != nil {
		return Result{}, err
	}
	rb, err := v.Ret(b, period)
	if err != nil {
		return Result{}, err
	}
	return Result{ra.Value - rb.Value, fmt.Sprintf("%s %s minus %s %s: %s; %s", a, pctText(ra.Value), b, pctText(rb.Value), ra.Desc, rb.Desc)}, nil
}

// common returns the daily simple returns of a and b over their last n
// common dates (n returns need n+1 dates on which both have a close).
func (v *View) common(a, b string, n int, what string) (ra, rb []float64, from, to string, err error) {
	if n < 2 {
		return nil, nil, "", "", fmt.Errorf("%s %s %s %d: needs at least 2 returns", what, a, b, n)
	}
	oa, err := v.series(a)
	if err != nil {
		return nil, nil, "", "", err
	}
	ob, err := v.series(b)
	if err != nil {
		return nil, nil, "", "", err
	}
	// Walk both backwards, collecting dates both have.
	var ia, ib []int
	i, j := oa.last(), ob.last()
	for i >= 0 && j >= 0 && len(ia) < n+1 {
		switch da, db := oa.date(i), ob.date(j); {
		case da.Equal(db):
			ia, ib = append(ia, i), append(ib, j)
			i, j = i-1, j-1
		case da.After(db):
			i--
		default:
			j--
		}
	}
	if len(ia) < n+1 {
		return nil, nil, "", "", fmt.Errorf("%s %s %s %d: needs %d common dates up to %s, the data has %d", what, a, b, n, n+1, day(v.AsOf), len(ia))
	}
	slices.Reverse(ia)
	slices.Reverse(ib)
	for k := 1; k <= n; k++ {
		ra = append(ra, oa.close(ia[k])/oa.close(ia[k-1])-1)
		rb = append(rb, ob.close(ib[k])/ob.close(ib[k-1])-1)
	}
	return ra, rb, oa.day(ia[0]), oa.day(ia[n]), nil
}

// Corr is the Pearson correlation of the daily simple returns of a and b
// over their last n common dates.
func (v *View) Corr(a, b string, n int) (Result, error) {
	ra, rb, from, to, err := v.common(a, b, n, "corr")
	if err != nil {
		return Result{}, err
	}
	c := covariance(ra, rb) / (stdev(ra) * stdev(rb))
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return Result{}, fmt.Errorf("corr %s %s %d: a series is flat over %s .. %s", a, b, n, from, to)
	}
	return Result{c, fmt.Sprintf("correlation of %d daily returns of %s and %s, %s .. %s", n, a, b, from, to)}, nil
}

// Beta is the beta of a against b: cov(a, b) / var(b) of daily simple
// returns over their last n common dates.
func (v *View) Beta(a, b string, n int) (Result, error) {
	ra, rb, from, to, err := v.common(a, b, n, "beta")
	if err != nil {
		return Result{}, err
	}
	vb := covariance(rb, rb)
	if vb == 0 {
		return Result{}, fmt.Errorf("beta %s %s %d: %s is flat over %s .. %s", a, b, n, b, from, to)
	}
	return Result{covariance(ra, rb) / vb, fmt.Sprintf("beta of %s on %s, %d daily returns %s .. %s", a, b, n, from, to)}, nil
}

// Row is one member of a ranking.
type Row struct {
	Symbol string
	Name   map[string]string
	Result
}

// Rank returns the members of group g sorted by their return over period,
// highest first (ties by symbol).
func (v *View) Rank(g, period string) ([]Row, error) {
	grp, err := v.u.Group(g)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(grp.Members))
	var out []string // members left out
	for _, m := range grp.Members {
		r, err := v.Ret(m, period)
		if name, ok := v.leftOut(m, err); ok {
			out = append(out, name)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("rank %s: %w", g, err)
		}
		rows = append(rows, Row{Symbol: m, Name: v.u.Symbols[m].Name, Result: r})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("rank %s %s: no member has data for the period as of %s: %s", g, period, day(v.AsOf), strings.Join(out, ", "))
	}
	if len(out) > 0 {
		note := fmt.Sprintf("; %s ranks %d of its %d members, leaving out those not listed for the whole period: %s",
			g, len(rows), len(grp.Members), strings.Join(out, ", "))
		for i := range rows {
			rows[i].Desc += note
		}
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		switch {
		case a.Value > b.Value:
			return -1
		case a.Value < b.Value:
			return 1
		}
		return strings.Compare(a.Symbol, b.Symbol)
	})
	return rows, nil
}

// leftOut reports whether err leaves member m out of a group figure (its
// data starts too late), and names it: with the date its data starts if
// that is on or before the as-of date, and without it otherwise, since a
// brief must not show what came later.
func (v *View) leftOut(m string, err error) (string, bool) {
	var h *historyError
	if !errors.As(err, &h) {
		return "", false
	}
	if h.first.After(v.AsOf) {
		return fmt.Sprintf("%s (no data by %s)", m, day(v.AsOf)), true
	}
	return fmt.Sprintf("%s (data from %s)", m, day(h.first)), true
}

// Breadth is the share of group g's members whose close is above their
// n-day simple moving average. Members without n closes yet (listed
// later) are left out, and named in the description.
func (v *View) Breadth(g string, n int) (Result, error) {
	grp, err := v.u.Group(g)
	if err != nil {
		return Result{}, err
	}
	if len(grp.Members) == 0 {
		return Result{}, fmt.Errorf("breadth %s: the group has no members", g)
	}
	above, counted := 0, 0
	var out []string
	for _, m := range grp.Members {
		c, err := v.Close(m)
		var s Result
		if err == nil {
			s, err = v.SMA(m, n)
		}
		if name, ok := v.leftOut(m, err); ok {
			out = append(out, name)
			continue
		}
		if err != nil {
			return Result{}, fmt.Errorf("breadth %s: %w", g, err)
		}
		counted++
		if c.Value > s.Value {
			above++
		}
	}
	if counted == 0 {
		return Result{}, fmt.Errorf("breadth %s %d: no member has %d closes up to %s: %s", g, n, n, day(v.AsOf), strings.Join(out, ", "))
	}
	desc := fmt.Sprintf("%d of %d members of %s close above their %d-day average as of %s", above, counted, g, n, day(v.AsOf))
	if len(out) > 0 {
		desc += fmt.Sprintf(", leaving out those without %d closes yet: %s", n, strings.Join(out, ", "))
	}
	return Result{float64(above) / float64(counted), desc}, nil
}

// AsOfDate is the date of the latest observation of sym on or before the
// view's as-of date: the date a brief's figures actually describe.
func (v *View) AsOfDate(sym string) (time.Time, error) {
	o, err := v.series(sym)
	if err != nil {
		return time.Time{}, err
	}
	return o.date(o.last()), nil
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// covariance is the sample covariance (n-1 denominator).
func covariance(a, b []float64) float64 {
	ma, mb := mean(a), mean(b)
	s := 0.0
	for i := range a {
		s += (a[i] - ma) * (b[i] - mb)
	}
	return s / float64(len(a)-1)
}

// stdev is the sample standard deviation.
func stdev(xs []float64) float64 { return math.Sqrt(covariance(xs, xs)) }

// num prints a price for a description: 2 to 4 decimals, as it needs.
func num(x float64) string {
	s := strings.TrimRight(strconv.FormatFloat(x, 'f', 4, 64), "0")
	for len(s)-strings.IndexByte(s, '.')-1 < 2 {
		s += "0"
	}
	return s
}

func pctText(x float64) string { return fmt.Sprintf("%+.2f%%", x*100) }
