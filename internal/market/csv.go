package market

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"briefs/internal/diag"
)

// Table is one parsed price file: a date per row, rows in ascending date
// order, and every other named column read as numbers.
//
// Cells are checked as they are read, but a column's bad cells (text, a
// percentage, a zero volume) are only an error when the column is used as a
// price: see Column.Err and Table.Series.
type Table struct {
	File       string      // the name used in messages
	DateColumn string      // the header of the date column, as written
	Dates      []time.Time // UTC midnight, strictly ascending
	Lines      []int       // the source line of each row
	Columns    []Column    // in header order; the date column and unnamed columns are left out
}

// maxErrors bounds the errors reported for one file, and for one column.
const maxErrors = 10

// Column is one value column of a Table.
type Column struct {
	Name   string
	Values []float64 // one per row; NaN marks a gap
	// Volume marks a volume column (Volume, Vol., AAPL.Volume): its cells
	// are counts, 0 or more, and may end in K, M or B (1.2M).
	Volume bool

	bad    []*diag.Error // the first few cells that are not a positive number
	nbad   int           // how many there are in all
	badRow []uint64      // a bit per row: set where the cell is bad, not empty
}

// badCell records that field i of the current record of r, s, is not a
// price: not a number if !number, else not positive.
func (c *Column) badCell(r *csv.Reader, file string, line, i int, s string, number bool) {
	c.nbad++
	row := len(c.Values)
	for len(c.badRow) <= row/64 {
		c.badRow = append(c.badRow, 0)
	}
	c.badRow[row/64] |= 1 << (row % 64)
	if len(c.bad) == maxErrors {
		return
	}
	_, col := r.FieldPos(i)
	s = strings.TrimSpace(s)
	switch v, _ := parseNumber(s); {
	case c.Volume:
		c.bad = append(c.bad, diag.Errorf(file, line, col, "%s %s: expected a volume: a count of 0 or more, such as 1234567 or 1.2M", c.Name, diag.Quote(s)))
	case !number:
		c.bad = append(c.bad, diag.Errorf(file, line, col, "%s %s: expected a number", c.Name, diag.Quote(s)))
	case v <= 0:
		c.bad = append(c.bad, diag.Errorf(file, line, col, "%s %s: expected a positive price", c.Name, diag.Clip(s, 40)))
	default:
		c.bad = append(c.bad, diag.Errorf(file, line, col, "%s %s: expected a price between %g and %g; a value this far out is a fault of the file", c.Name, diag.Clip(s, 40), MinPrice, MaxPrice))
	}
}

// MaxColumns is the most columns a price file may have: a wide file holds
// one per symbol, and a universe of thousands belongs in several files.
const MaxColumns = 10_000

// The range of a plausible price: beyond it, a value is a fault of the file
// (a lost decimal point, a number in the wrong column), and metrics computed
// from it would overflow or lose their digits.
const (
	MinPrice = 1e-8
	MaxPrice = 1e12
)

// Err reports the cells of c that are not usable as prices (unparsable, not
// finite, or not positive), or nil if there are none.
func (c *Column) Err() error {
	errs := make([]error, len(c.bad), len(c.bad)+1)
	for i, e := range c.bad {
		errs[i] = e
	}
	if c.nbad > len(c.bad) {
		// At the position of the last one shown, so it sorts after it.
		last := c.bad[len(c.bad)-1]
		errs = append(errs, diag.Errorf(last.File, last.Line, last.Col,
			"and %d more bad values in column %s after this line", c.nbad-len(c.bad), c.Name))
	}
	return diag.Join(errs)
}

// ParseCSV parses a daily price file. name is the file name used in errors.
//
// It reads the shapes price files come in: any column order; headers in any
// case; a UTF-8 byte order mark; quoted fields; CRLF line ends; a leading
// unnamed index column (pandas); a date column named Date, observation_date
// (FRED), datetime or timestamp, anywhere in the row, or else a leading
// unnamed column of dates; dates as 2006-01-02 (a time of day and zone
// after it are ignored: the calendar date as written is kept), 01/02/2006
// (US order), 2006/01/02, 20060102 or "Jan 2, 2006"; rows in any order (newest
// first is common). Empty, "null" and "." cells are gaps; numbers may use
// thousands separators ("4,769.83").
//
// A file without a date column, a row whose field count differs from the
// header, an unparsable date and a duplicate date are errors at their line.
func ParseCSV(name string, data []byte) (*Table, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	first := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		first = data[:i]
	}
	if n := bytes.Count(first, []byte(",")) + 1; n > MaxColumns {
		return nil, diag.Errorf(name, 1, 0, "header of %d columns; a price file may have at most %d: is it the right file?", n, MaxColumns)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // ragged rows are reported below, with a clearer message
	r.ReuseRecord = true

	header, err := r.Read()
	if err == io.EOF {
		return nil, diag.Errorf(name, 1, 0, "empty file: expected a header row such as Date,Close")
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	header = slices.Clone(header)
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}

	t := &Table{File: name}
	dateCol := -1
	for i, h := range header {
		if isDateColumn(h) {
			dateCol = i
			break
		}
	}
	valueCol := make([]int, len(header)) // header index -> Columns index, or -1
	seen := map[string]int{}
	var errs []error
	for i, h := range header {
		valueCol[i] = -1
		if i == dateCol || unnamed(h) {
			continue
		}
		if j, dup := seen[h]; dup {
			errs = append(errs, diag.Errorf(name, 1, 0, "column %s appears twice (fields %d and %d): expected unique column names", diag.Quote(h), j+1, i+1))
			continue
		}
		seen[h] = i
		valueCol[i] = len(t.Columns)
		t.Columns = append(t.Columns, Column{Name: h, Volume: isVolumeColumn(h)})
	}
	if dateCol < 0 && len(header) > 0 && unnamed(header[0]) {
		// A pandas frame written with an unnamed date index: accept the
		// leading unnamed column if it holds dates.
		if rec, err := r.Read(); err == nil && len(rec) > 0 {
			if _, ok := parseDate(strings.TrimSpace(rec[0])); ok {
				dateCol = 0
			}
		}
		r = csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		if _, err := r.Read(); err != nil {
			return nil, csvError(name, err)
		}
	}
	if dateCol < 0 {
		return nil, diag.Errorf(name, 1, 0, "no date column in header (%s): expected one named Date or observation_date",
			diag.Clip(strings.Join(header, ", "), diag.MaxQuote))
	}
	t.DateColumn = header[dateCol]
	if t.DateColumn == "" {
		t.DateColumn = "date"
	}

	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvError(name, err))
			break
		}
		line, _ := r.FieldPos(0)
		if len(errs) >= maxErrors {
			errs = append(errs, diag.Errorf(name, line, 0, "too many errors: stopped reading"))
			break
		}
		if blank(rec) {
			continue
		}
		if len(rec) != len(header) {
			errs = append(errs, diag.Errorf(name, line, 0, "row has %d fields: expected %d, one per header column", len(rec), len(header)))
			continue
		}
		ds := strings.TrimSpace(rec[dateCol])
		date, ok := parseDate(ds)
		if !ok {
			_, col := r.FieldPos(dateCol)
			errs = append(errs, diag.Errorf(name, line, col, "%s %s: expected a date such as 2006-01-02 or 01/02/2006", diag.Clip(t.DateColumn, 40), diag.Quote(ds)))
			continue
		}
		t.Dates = append(t.Dates, date)
		t.Lines = append(t.Lines, line)
		for i, s := range rec {
			ci := valueCol[i]
			if ci < 0 {
				continue
			}
			c := &t.Columns[ci]
			if c.Volume {
				v, ok := parseVolume(s)
				if !ok {
					c.badCell(r, name, line, i, s, ok)
					v = math.NaN()
				}
				c.Values = append(c.Values, v)
				continue
			}
			v, ok := parseNumber(s)
			if !ok || v <= 0 || v < MinPrice || v > MaxPrice {
				c.badCell(r, name, line, i, s, ok)
				v = math.NaN()
			}
			c.Values = append(c.Values, v)
		}
	}
	t.sort()
	for i := 1; i < len(t.Dates); i++ {
		if t.Dates[i].Equal(t.Dates[i-1]) {
			if len(errs) >= maxErrors {
				errs = append(errs, diag.Errorf(name, t.Lines[i], 0, "too many errors: stopped checking dates"))
				break
			}
			first, again := min(t.Lines[i-1], t.Lines[i]), max(t.Lines[i-1], t.Lines[i])
			errs = append(errs, diag.Errorf(name, again, 0, "duplicate date %s: already on line %d",
				t.Dates[i].Format(time.DateOnly), first))
		}
	}
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}
	return t, nil
}

// sort orders the rows by date, keeping the source order of equal dates.
func (t *Table) sort() {
	ascending := func(i, j int) bool { return !t.Dates[j].Before(t.Dates[i]) }
	n := len(t.Dates)
	inOrder, reversed := true, true
	for i := 1; i < n; i++ {
		inOrder = inOrder && ascending(i-1, i)
		reversed = reversed && t.Dates[i].Before(t.Dates[i-1])
	}
	if inOrder {
		return
	}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	if reversed {
		slices.Reverse(perm)
	} else {
		slices.SortStableFunc(perm, func(a, b int) int { return t.Dates[a].Compare(t.Dates[b]) })
	}
	t.Dates = permute(t.Dates, perm)
	t.Lines = permute(t.Lines, perm)
	for i := range t.Columns {
		c := &t.Columns[i]
		c.Values = permute(c.Values, perm)
		if c.badRow != nil {
			old := c.badRow
			c.badRow = make([]uint64, (n+63)/64)
			for to, from := range perm {
				if from/64 < len(old) && old[from/64]&(1<<(from%64)) != 0 {
					c.badRow[to/64] |= 1 << (to % 64)
				}
			}
		}
	}
}

func permute[T any](s []T, perm []int) []T {
	out := make([]T, len(perm))
	for i, p := range perm {
		out[i] = s[p]
	}
	return out
}

// Column returns the column with the given name, matched exactly or else
// case-insensitively; nil if there is none.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// ColumnNames lists the value columns in header order.
func (t *Table) ColumnNames() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Select picks the column that holds the prices: the one named column if
// column is not empty, else the one named close (in any case: "Close" and
// not "Adj Close"), else price, else the only value column.
func (t *Table) Select(column string) (*Column, error) {
	if column != "" {
		if c := t.Column(column); c != nil {
			return c, nil
		}
		msg := fmt.Sprintf("no column %s: expected one of %s", diag.Quote(column), diag.Clip(strings.Join(t.ColumnNames(), ", "), diag.MaxQuote))
		if near := diag.Nearest(column, t.ColumnNames()); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		return nil, diag.Errorf(t.File, 1, 0, "%s", msg)
	}
	for _, name := range []string{"close", "price"} {
		for i := range t.Columns {
			if strings.EqualFold(t.Columns[i].Name, name) {
				return &t.Columns[i], nil
			}
		}
	}
	if len(t.Columns) == 1 && !t.Columns[0].Volume {
		return &t.Columns[0], nil
	}
	if len(t.Columns) == 0 {
		return nil, diag.Errorf(t.File, 1, 0, "no value column: expected a column such as Close next to %s", t.DateColumn)
	}
	return nil, diag.Errorf(t.File, 1, 0, "no Close or Price column among %s: expected column = one of them in tickers.toml",
		diag.Clip(strings.Join(t.ColumnNames(), ", "), diag.MaxQuote))
}

// Series returns the prices in column (chosen as by Select) as symbol's
// series, gaps dropped. A bad cell in that column, or a column without a
// single price, is an error.
func (t *Table) Series(symbol, column string) (*Series, error) {
	c, err := t.Select(column)
	if err != nil {
		return nil, err
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return t.series(symbol, c)
}

// series returns the prices in c, gaps dropped, with the open, high, low
// and volume of each row where the file has them beside c (see
// Table.siblings).
func (t *Table) series(symbol string, c *Column) (*Series, error) {
	s := &Series{Symbol: symbol, File: t.File}
	var rows []int
	for i, v := range c.Values {
		if !math.IsNaN(v) {
			s.Dates = append(s.Dates, t.Dates[i])
			s.Closes = append(s.Closes, v)
			rows = append(rows, i)
		}
	}
	if len(s.Closes) == 0 {
		return nil, diag.Errorf(t.File, 1, 0, "column %s has no values: expected at least one price", c.Name)
	}
	t.addOHLC(s, c, rows)
	return s, nil
}

// isDateColumn reports whether a header names the date column.
func isDateColumn(h string) bool {
	switch strings.ToLower(h) {
	case "date", "observation_date", "datetime", "timestamp":
		return true
	}
	return false
}

// unnamed reports whether a header names no column: a pandas index.
func unnamed(h string) bool {
	return h == "" || strings.HasPrefix(h, "Unnamed:")
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &diag.Error{File: name, Line: pe.Line, Col: pe.Column, Msg: "invalid CSV: " + pe.Err.Error(), Err: err}
	}
	return &diag.Error{File: name, Msg: "invalid CSV: " + err.Error(), Err: err}
}

// parseNumber parses a cell. A gap (empty, "null" or ".") gives NaN and
// true; text that is not a finite number gives false.
func parseNumber(s string) (float64, bool) {
	// Go's own syntax is not a price file's: 1_000, 0x1p3.
	if strings.ContainsAny(s, "_xXpP") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		s = strings.TrimSpace(s)
		if s == "" || s == "." || strings.EqualFold(s, "null") {
			return math.NaN(), true
		}
		if v, err = strconv.ParseFloat(s, 64); err != nil {
			t, ok := stripThousands(s)
			if !ok {
				return 0, false
			}
			if v, err = strconv.ParseFloat(t, 64); err != nil {
				return 0, false
			}
		}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// stripThousands removes the separators from "12,345.6", and reports
// whether s was a number written with them.
func stripThousands(s string) (string, bool) {
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "+-")
	groups := strings.Split(intPart, ",")
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", false
	}
	for i, g := range groups {
		if (i > 0 && len(g) != 3) || !digits(g) {
			return "", false
		}
	}
	if !digits(frac) {
		return "", false
	}
	return strings.ReplaceAll(s, ",", ""), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDate parses a date cell to UTC midnight of the calendar date written,
// in the years of market data (1800 to 2200): 0001-01-01 is a fault.
func parseDate(s string) (time.Time, bool) {
	t, ok := parseAnyDate(s)
	if !ok || t.Year() < 1800 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

func parseAnyDate(s string) (time.Time, bool) {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		if rest := s[10:]; rest != "" && !timeOfDay(rest) {
			return time.Time{}, false
		}
		return civil(s[0:4], s[5:7], s[8:10])
	}
	if len(s) == 8 && digits(s) {
		return civil(s[0:4], s[4:6], s[6:8])
	}
	for _, layout := range []string{"1/2/2006", "2006/1/2", "Jan 2, 2006", "2 Jan 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// timeOfDay reports whether rest, what follows a date, is a time of day.
func timeOfDay(rest string) bool {
	if rest[0] != ' ' && rest[0] != 'T' {
		return false
	}
	for _, layout := range []string{"15:04:05Z07:00", "15:04:05 Z07:00", "15:04:05Z0700", "15:04:05 -0700", "15:04:05 MST", "15:04:05", "15:04"} {
		if _, err := time.Parse(layout, rest[1:]); err == nil {
			return true
		}
	}
	return false
}

func civil(ys, ms, ds string) (time.Time, bool) {
	if !digits(ys) || !digits(ms) || !digits(ds) {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}
