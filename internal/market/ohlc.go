package market

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"briefs/internal/diag"
)

// A price file may hold a day's open, high, low and volume beside its
// close (Yahoo, CBOE, investing.com). The loader reads them into the
// Series with the close; a row that breaks
//
//	High >= max(Open, Close) >= min(Open, Close) >= Low > 0
//
// is kept as a Fault. The close of such a row is still a close (it passed
// the close's own checks), so line charts and every metric of closes use
// it; a candlestick, `open`, `atr` or a volume that reaches the row is an
// error naming its file and line. Real files have such rows (the CBOE's
// VIX history has an open above the high in 1992); failing the whole load
// for them would refuse every chart of the symbol.

// MaxVolume bounds a plausible daily volume: shares, contracts or coins.
const MaxVolume = 1e15

// ohlcTolerance is the relative slack of the High >= ... >= Low checks:
// adjusted prices computed in floating point put the high of a day that
// closed at its high a few units of the last place below the close.
const ohlcTolerance = 1e-9

// Fault is a row whose open, high, low or volume cannot be used.
type Fault struct {
	Row    int  // index into the series' rows
	Volume bool // only the volume is bad; the OHLC is fine
	Err    *diag.Error
}

// isVolumeColumn reports whether a header names a volume column: Volume,
// Vol, Vol. or a name ending in .Volume, _Volume or " Volume".
func isVolumeColumn(h string) bool {
	l := strings.ToLower(h)
	switch l {
	case "volume", "vol", "vol.":
		return true
	}
	for _, suffix := range []string{".volume", "_volume", " volume"} {
		if strings.HasSuffix(l, suffix) {
			return true
		}
	}
	return false
}

// parseVolume parses a volume cell: a count of 0 or more, with thousands
// separators or a K, M or B suffix (investing.com writes 1.23M). A gap
// (empty, "null", ".", "-") gives NaN and true.
func parseVolume(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "-" {
		return math.NaN(), true
	}
	mult := 1.0
	if n := len(s); n > 1 {
		switch s[n-1] {
		case 'K', 'k':
			mult, s = 1e3, s[:n-1]
		case 'M', 'm':
			mult, s = 1e6, s[:n-1]
		case 'B', 'b':
			mult, s = 1e9, s[:n-1]
		}
	}
	v, ok := parseNumber(s)
	if !ok {
		return 0, false
	}
	v *= mult
	if v < 0 || v > MaxVolume {
		return 0, false
	}
	return v, true
}

// siblings returns the open, high, low and volume columns that go with
// the close column c: for a close named Close or Price, the columns named
// Open, High, Low and Volume (or Vol, Vol.); for one named AAPL.Close, the
// columns AAPL.Open and so on. Open, high and low come all three or not
// at all. An adjusted close (Adj Close) has none: the open, high and low
// of a file are not adjusted.
func (t *Table) siblings(c *Column) (open, high, low, vol *Column) {
	l := strings.ToLower(c.Name)
	prefix := ""
	switch {
	case l == "close" || l == "price":
	case strings.HasSuffix(l, "close") && len(l) > len("close") && !strings.HasPrefix(l, "adj"):
		prefix = c.Name[:len(c.Name)-len("close")]
	default:
		return nil, nil, nil, nil
	}
	find := func(names ...string) *Column {
		for _, n := range names {
			if col := t.Column(prefix + n); col != nil && col != c {
				return col
			}
		}
		return nil
	}
	open, high, low = find("Open"), find("High"), find("Low")
	if open == nil || high == nil || low == nil || open.Volume || high.Volume || low.Volume {
		open, high, low = nil, nil, nil
	}
	names := []string{"Volume"}
	if prefix == "" {
		names = append(names, "Vol", "Vol.")
	}
	if v := find(names...); v != nil && v.Volume {
		vol = v
	}
	return open, high, low, vol
}

// addOHLC adds to s the open, high, low and volume of the rows of t that
// s holds (rows[i] is the row of t of s's row i), checking each.
func (t *Table) addOHLC(s *Series, c *Column, rows []int) {
	open, high, low, vol := t.siblings(c)
	if open != nil {
		s.Opens = make([]float64, len(rows))
		s.Highs = make([]float64, len(rows))
		s.Lows = make([]float64, len(rows))
		for i, r := range rows {
			o, h, l, cl := open.Values[r], high.Values[r], low.Values[r], c.Values[r]
			if err := t.checkOHLC(r, [4]*Column{open, high, low, c}, [4]float64{o, h, l, cl}); err != nil {
				s.Faults = append(s.Faults, Fault{Row: i, Err: err})
				o, h, l = math.NaN(), math.NaN(), math.NaN()
			}
			s.Opens[i], s.Highs[i], s.Lows[i] = o, h, l
		}
	}
	if vol != nil {
		s.Volumes = make([]float64, len(rows))
		for i, r := range rows {
			v := vol.Values[r]
			if math.IsNaN(v) && vol.isBad(r) {
				s.Faults = append(s.Faults, Fault{Row: i, Volume: true,
					Err: diag.Errorf(t.File, t.Lines[r], 0, "%s: expected a volume: a count of 0 or more, such as 1234567 or 1.2M", vol.Name)})
			}
			s.Volumes[i] = v
		}
		sort.SliceStable(s.Faults, func(a, b int) bool { return s.Faults[a].Row < s.Faults[b].Row })
	}
}

// isBad reports whether the cell of row r is bad (not a gap).
func (c *Column) isBad(r int) bool {
	return r/64 < len(c.badRow) && c.badRow[r/64]&(1<<(r%64)) != 0
}

// checkOHLC checks row r's open, high, low and close (cols and vals in that
// order), and says what is wrong, at the row's line.
func (t *Table) checkOHLC(r int, cols [4]*Column, vals [4]float64) *diag.Error {
	line := t.Lines[r]
	for k, v := range vals[:3] {
		if math.IsNaN(v) {
			what := "is empty"
			if cols[k].isBad(r) {
				what = "is not a positive price"
			}
			return diag.Errorf(t.File, line, 0, "%s %s on a row with %s %s: expected %s, %s and %s on every row with a close",
				cols[k].Name, what, cols[3].Name, fnum(vals[3]), cols[0].Name, cols[1].Name, cols[2].Name)
		}
	}
	o, h, l, c := vals[0], vals[1], vals[2], vals[3]
	below := func(a, b float64) bool { return a < b*(1-ohlcTolerance) } // a < b, beyond rounding
	rule := fmt.Sprintf("expected %[2]s >= max(%[1]s, %[4]s) >= min(%[1]s, %[4]s) >= %[3]s > 0", cols[0].Name, cols[1].Name, cols[2].Name, cols[3].Name)
	switch {
	case below(h, o):
		return diag.Errorf(t.File, line, 0, "%s %s is below %s %s: %s", cols[1].Name, fnum(h), cols[0].Name, fnum(o), rule)
	case below(h, c):
		return diag.Errorf(t.File, line, 0, "%s %s is below %s %s: %s", cols[1].Name, fnum(h), cols[3].Name, fnum(c), rule)
	case below(o, l):
		return diag.Errorf(t.File, line, 0, "%s %s is above %s %s: %s", cols[2].Name, fnum(l), cols[0].Name, fnum(o), rule)
	case below(c, l):
		return diag.Errorf(t.File, line, 0, "%s %s is above %s %s: %s", cols[2].Name, fnum(l), cols[3].Name, fnum(c), rule)
	}
	return nil
}

// fnum prints a number of a file as briefly as it round-trips.
func fnum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// HasOHLC reports whether the series has an open, high and low per row.
func (s *Series) HasOHLC() bool { return s.Opens != nil }

// fault returns the first fault of s in rows lo..hi, of the OHLC (and of
// the volume too if volume), or nil.
func (s *Series) fault(lo, hi int, volume bool) *diag.Error {
	i := sort.Search(len(s.Faults), func(i int) bool { return s.Faults[i].Row >= lo })
	for ; i < len(s.Faults) && s.Faults[i].Row <= hi; i++ {
		if f := s.Faults[i]; !f.Volume || volume {
			return f.Err
		}
	}
	return nil
}

// ohlcError says that sym's file has no open, high and low, for what.
func ohlcError(o obs, what string) error {
	return &noOHLCError{fmt.Sprintf("%s: %s has no Open, High and Low columns beside its close: %s needs them (a line chart needs only the close)", o.sym(), o.s.File, what)}
}

type noOHLCError struct{ msg string }

func (e *noOHLCError) Error() string { return e.msg }

// NoOHLC reports whether err says that a symbol's file has no open, high
// and low: a fault of the chart's symbol, not of its data.
func NoOHLC(err error) bool {
	var e *noOHLCError
	return errors.As(err, &e)
}

// rowFault wraps the fault of a row in what needed it: the fault is at its
// file and line.
type rowFault struct {
	what string
	err  *diag.Error
}

func (e *rowFault) Error() string { return e.what + ": " + e.err.Error() }
func (e *rowFault) Unwrap() error { return e.err }

// Open is the open of sym's last session on or before the as-of date.
func (v *View) Open(sym string) (Result, error) {
	o, err := v.series(sym)
	if err != nil {
		return Result{}, err
	}
	return o.open(o.last())
}

// OpenOn is the open of sym's last session on or before date.
func (v *View) OpenOn(sym, date string) (Result, error) {
	o, err := v.seriesOn(sym, date)
	if err != nil {
		return Result{}, err
	}
	return o.open(o.last())
}

func (o obs) open(i int) (Result, error) {
	if !o.s.HasOHLC() {
		return Result{}, ohlcError(o, "open")
	}
	if f := o.s.fault(i, i, false); f != nil {
		return Result{}, &rowFault{"open " + o.sym(), f}
	}
	return Result{o.s.Opens[i], fmt.Sprintf("%s open %s %s", o.sym(), o.day(i), num(o.s.Opens[i]))}, nil
}

// Volume is the volume of sym's last session on or before the as-of date.
func (v *View) Volume(sym string) (Result, error) {
	o, err := v.series(sym)
	if err != nil {
		return Result{}, err
	}
	return o.volume(o.last())
}

// VolumeOn is the volume of sym's last session on or before date.
func (v *View) VolumeOn(sym, date string) (Result, error) {
	o, err := v.seriesOn(sym, date)
	if err != nil {
		return Result{}, err
	}
	return o.volume(o.last())
}

func (o obs) volume(i int) (Result, error) {
	if o.s.Volumes == nil {
		return Result{}, fmt.Errorf("%s: %s has no volume column (Volume or Vol.)", o.sym(), o.s.File)
	}
	if f := o.s.fault(i, i, true); f != nil {
		return Result{}, &rowFault{"volume " + o.sym(), f}
	}
	x := o.s.Volumes[i]
	if math.IsNaN(x) {
		return Result{}, fmt.Errorf("%s: no volume on %s in %s (the cell is empty)", o.sym(), o.day(i), o.s.File)
	}
	return Result{x, fmt.Sprintf("%s volume %s %s", o.sym(), o.day(i), strconv.FormatFloat(x, 'f', -1, 64))}, nil
}

// seriesOn returns the rows of sym on or before date, which must not be
// after the as-of date.
func (v *View) seriesOn(sym, date string) (obs, error) {
	d, err := v.notAfter(date)
	if err != nil {
		return obs{}, err
	}
	s, err := v.u.Symbol(sym)
	if err != nil {
		return obs{}, err
	}
	return v.cut(s.Series, d)
}

// ATR is the average true range of sym over its last n sessions: the
// mean of n true ranges, each max(High, previous Close) - min(Low,
// previous Close), in the price's units. It is the simple mean, not
// Wilder's smoothing, whose value depends on where the file starts.
func (v *View) ATR(sym string, n int) (Result, error) {
	if n < 1 {
		return Result{}, fmt.Errorf("atr %s %d: N must be at least 1", sym, n)
	}
	o, i, err := v.lastN(sym, n+1, "atr")
	if err != nil {
		return Result{}, fmt.Errorf("%w (%d true ranges need %d sessions: each needs the close before it)", err, n, n+1)
	}
	if !o.s.HasOHLC() {
		return Result{}, ohlcError(o, "atr")
	}
	if f := o.s.fault(i+1, o.last(), false); f != nil {
		return Result{}, &rowFault{fmt.Sprintf("atr %s %d", sym, n), f}
	}
	sum := 0.0
	for k := i + 1; k <= o.last(); k++ {
		sum += trueRange(o.s.Highs[k], o.s.Lows[k], o.close(k-1))
	}
	return Result{sum / float64(n), fmt.Sprintf("%s mean true range of %d sessions %s .. %s (max(high, prior close) - min(low, prior close))", sym, n, o.day(i+1), o.day(o.last()))}, nil
}

// trueRange is a session's range, stretched to the close before it.
func trueRange(high, low, prevClose float64) float64 {
	return max(high, prevClose) - min(low, prevClose)
}

// OHLC is a window of sessions with their open, high, low, close and
// volume (Volume nil when the file has none; NaN on a row without).
type OHLC struct {
	Dates                          []time.Time
	Open, High, Low, Close, Volume []float64
}

// OHLC returns sym's sessions in the window of period as of the view, as
// Window does, with their open, high, low and volume. A file without
// open, high and low, or a faulty row in the window, is an error; so is a
// faulty volume when the file has volumes.
func (v *View) OHLC(sym, period string) (OHLC, error) {
	o, i, err := v.window(sym, period)
	if err != nil {
		return OHLC{}, err
	}
	if !o.s.HasOHLC() {
		return OHLC{}, ohlcError(o, "a candlestick")
	}
	if f := o.s.fault(i, o.last(), true); f != nil {
		return OHLC{}, &rowFault{sym + " " + period, f}
	}
	hi := o.n
	out := OHLC{Dates: o.s.Dates[i:hi:hi], Open: o.s.Opens[i:hi:hi], High: o.s.Highs[i:hi:hi], Low: o.s.Lows[i:hi:hi], Close: o.s.Closes[i:hi:hi]}
	if o.s.Volumes != nil {
		out.Volume = o.s.Volumes[i:hi:hi]
	}
	return out, nil
}
