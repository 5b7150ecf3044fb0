package update

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"briefs/internal/diag"
	"briefs/internal/market"
)

// The prices a row may have: no instrument is quoted outside them, and the
// ratio of two of them stays far from overflowing, so that a change
// computed from them is a number.
const (
	minPrice = 1e-8
	maxPrice = 1e12
)

// smallestNormal is the smallest positive float64 with full precision: a
// number below it (5e-324) is no price, volume or rate.
const smallestNormal = 0x1p-1022

// maxErrors bounds the implausible values reported for one download.
const maxErrors = 10

// moveLimit is the largest one-day move accepted for a symbol; see
// content.DefaultMaxMove.
type moveLimit struct {
	max  float64 // 0: no limit
	kind string  // the symbol's kind, naming the setting in messages
}

func (l moveLimit) key() string { return "update.max_move." + l.kind }

// plausible checks the new rows of a download, fresh (indexes into dl, in
// date order): every number in them finite and of ordinary size, every
// price from minPrice to maxPrice, and no close further than the limit
// from the one before it (the last stored close, for the first new row).
func (s *storedFile) plausible(dlName string, dl *market.Table, raw *rawCSV, price *market.Column, fresh []int, limit moveLimit) error {
	var errs []error
	report := func(line int, format string, args ...any) {
		if len(errs) < maxErrors {
			errs = append(errs, diag.Errorf(dlName, line, 0, format, args...))
		}
	}
	// The close before the first new row.
	prev, prevDate, prevText := math.NaN(), time.Time{}, ""
	for i := s.rows() - 1; i >= 0; i-- {
		if v := s.price.Values[i]; !math.IsNaN(v) {
			prev, prevDate, prevText = v, s.table.Dates[i], s.csv.cell(s.table.Lines[i], s.price.Name)
			break
		}
	}
	priceIdx := raw.field(price.Name)
	for _, k := range fresh {
		line, date := dl.Lines[k], dl.Dates[k].Format(time.DateOnly)
		for i, cell := range raw.rows[line].fields {
			cell = strings.TrimSpace(cell)
			if i == raw.dateIdx || i == priceIdx || unnamed(raw.header[i]) {
				continue // the price is checked below
			}
			v, err := strconv.ParseFloat(cell, 64)
			if errors.Is(err, strconv.ErrRange) || (err == nil && (math.IsInf(v, 0) || math.IsNaN(v) || (v != 0 && math.Abs(v) < smallestNormal))) {
				report(line, "%s %s on %s: expected a finite number of ordinary size; a provider's error? check the download",
					strings.TrimSpace(raw.header[i]), quote(cell), date)
			}
		}
		v := price.Values[k]
		if math.IsNaN(v) {
			continue // a gap
		}
		text := raw.cell(line, price.Name)
		switch {
		case v < minPrice || v > maxPrice:
			report(line, "%s %s on %s: expected a price from %g to %g; a provider's error? check the download", price.Name, quote(text), date, minPrice, maxPrice)
			continue
		case !math.IsNaN(prev) && limit.max > 0 && math.Max(v, prev)/math.Min(v, prev)-1 > limit.max:
			report(line, "%s %s on %s is %s from %s on %s: beyond %s = %g (a rise of more than %s or a fall of more than %s): a value cut short or wrong, or a split? check the download; if the move is real, raise %s in site.toml",
				price.Name, quote(text), date, percent(v/prev-1), clip(prevText), prevDate.Format(time.DateOnly),
				limit.key(), limit.max, percent(limit.max), percent(1/(1+limit.max)-1), limit.key())
			continue // the next row is measured from the last plausible close
		}
		prev, prevDate, prevText = v, dl.Dates[k], text
	}
	return diag.Join(errs)
}
