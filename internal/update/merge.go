package update

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strings"
	"time"

	"briefs/internal/diag"
	"briefs/internal/market"
)

var bom = []byte("\uFEFF")

// storedFile is a price file as stored, parsed by the loader's rules, with
// the text of its rows to copy their format.
type storedFile struct {
	name   string
	exists bool
	data   []byte
	table  *market.Table  // nil if the file does not exist
	price  *market.Column // the column the loader reads
	csv    *rawCSV
}

// readStored reads a price file; a missing file is a new one.
func readStored(fsys fs.FS, file, name string) (*storedFile, error) {
	s := &storedFile{name: name}
	data, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, &diag.Error{File: name, Msg: fmt.Sprintf("cannot read: %v", err), Err: err}
	}
	s.exists, s.data = true, data
	if s.table, err = market.ParseCSV(name, data); err != nil {
		return nil, err
	}
	if s.price, err = s.table.Select(""); err != nil {
		return nil, err
	}
	if err := s.price.Err(); err != nil {
		return nil, err
	}
	if s.csv, err = readRaw(data, s.table); err != nil {
		return nil, &diag.Error{File: name, Msg: err.Error(), Err: err}
	}
	return s, nil
}

func (s *storedFile) rows() int {
	if s.table == nil {
		return 0
	}
	return len(s.table.Dates)
}

// last is the date of the last stored row; rows() > 0.
func (s *storedFile) last() time.Time { return s.table.Dates[len(s.table.Dates)-1] }

// merged is a checked download: the file with its new rows.
type merged struct {
	out         []byte // nil: no new rows
	added       int
	first, last time.Time // of the new rows
	late        int       // rows after to, left out
	cut         *cutRow   // a last line left out that would have been a new row; nil if none
}

// checks are what a download is checked against.
type checks struct {
	from      time.Time // the first date asked for
	to        time.Time // the last closed session: later rows are left out
	today     time.Time // where the market is: no row may be later
	tolerance float64   // where the download overlaps the stored rows
	move      moveLimit
}

// merge checks a download (named dlName in errors) against the stored file
// and returns the file with the download's new rows: those after the last
// stored row, up to c.to.
func (s *storedFile) merge(dlName string, d *download, c checks) (*merged, error) {
	from, to, today := c.from, c.to, c.today
	body, cut := s.wholeRows(d)
	dl, err := market.ParseCSV(dlName, body)
	if err != nil {
		return nil, err
	}
	raw, err := readRaw(body, dl)
	if err != nil {
		return nil, &diag.Error{File: dlName, Msg: err.Error(), Err: err}
	}

	// The columns, and the price column.
	var price *market.Column
	if s.table != nil {
		if !sameColumns(s.table.ColumnNames(), dl.ColumnNames()) {
			return nil, diag.Errorf(dlName, 1, 0, "schema changed: %s has columns %s, the download %s: expected the same columns, in any order (a new provider or symbol? update the file by hand)",
				s.name, clip(strings.Join(s.csv.header, ",")), clip(strings.Join(raw.header, ",")))
		}
		price = dl.Column(s.price.Name)
	} else if price, err = dl.Select(""); err != nil {
		return nil, err
	}
	if err := price.Err(); err != nil {
		return nil, err
	}
	var errs []error
	for i, d := range dl.Dates {
		if d.After(today) && len(errs) < 10 {
			errs = append(errs, diag.Errorf(dlName, dl.Lines[i], 0, "row dated %s, after today (%s): expected no row for a session that has not happened",
				d.Format(time.DateOnly), today.Format(time.DateOnly)))
		}
	}
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}

	// The overlap: the download must agree with the stored prices.
	var last time.Time // zero without stored rows: every row is new
	if s.rows() > 0 {
		last = s.last()
		if err := s.compare(dlName, dl, raw, price, from, c.tolerance); err != nil {
			return nil, err
		}
	}

	// The new rows.
	m := &merged{}
	if cut != nil && (cut.date.IsZero() || (cut.date.After(last) && !cut.date.After(to))) {
		m.cut = cut // else it would not have been added: left out quietly
	}
	var fresh []int // indexes into dl
	for i, d := range dl.Dates {
		switch {
		case !d.After(last):
		case d.After(to):
			m.late++
		default:
			fresh = append(fresh, i)
		}
	}
	if len(fresh) == 0 {
		return m, nil
	}
	if err := s.plausible(dlName, dl, raw, price, fresh, c.move); err != nil {
		return nil, err
	}
	m.added = len(fresh)
	m.first, m.last = dl.Dates[fresh[0]], dl.Dates[fresh[len(fresh)-1]]
	if s.exists {
		m.out, err = s.appendRows(dl, raw, fresh)
	} else {
		m.out = newFile(dl, raw, fresh)
	}
	if err != nil {
		return nil, err
	}
	if err := s.verify(m.out, m.last); err != nil {
		return nil, err
	}
	return m, nil
}

// compare checks the download's prices against the stored ones on the dates
// both have, up to the last stored row, and that the download has some of
// the stored rows from from on.
func (s *storedFile) compare(dlName string, dl *market.Table, raw *rawCSV, price *market.Column, from time.Time, tolerance float64) error {
	sd, dd := s.table.Dates, dl.Dates
	window, shared := 0, 0 // stored rows from from on; of which in the download
	for _, d := range sd {
		if !d.Before(from) {
			window++
		}
	}
	type diff struct{ i, k int }
	var bad []diff
	for i, k := 0, 0; i < len(sd) && k < len(dd); {
		switch c := sd[i].Compare(dd[k]); {
		case c < 0:
			i++
		case c > 0:
			k++
		default:
			if !sd[i].Before(from) {
				shared++
			}
			sv, dv := s.price.Values[i], price.Values[k]
			if !math.IsNaN(sv) && !math.IsNaN(dv) && math.Abs(dv-sv)/sv > tolerance {
				bad = append(bad, diff{i, k})
			}
			i++
			k++
		}
	}
	if len(bad) > 0 {
		i, k := bad[0].i, bad[0].k
		sv, dv := s.price.Values[i], price.Values[k]
		more := ""
		if len(bad) > 1 {
			more = fmt.Sprintf(", and on %d more %s up to %s", len(bad)-1, plural(len(bad)-1, "date"), sd[bad[len(bad)-1].i].Format(time.DateOnly))
		}
		return diag.Errorf(s.name, s.table.Lines[i], 0,
			"download disagrees with the stored prices on %s: stored %s, downloaded %s (%s, beyond update.tolerance %g)%s; a split or a revised history? re-download the file by hand",
			sd[i].Format(time.DateOnly), clip(s.csv.cell(s.table.Lines[i], s.price.Name)), clip(raw.cell(dl.Lines[k], price.Name)),
			percent((dv-sv)/sv), tolerance, more)
	}
	if window > 0 && shared == 0 {
		return diag.Errorf(dlName, 0, 0, "no row on the dates of the %d stored %s from %s to %s: expected them again, to check the download against %s (a wrong symbol, or a provider that ignores {from}?)",
			window, plural(window, "row"), from.Format(time.DateOnly), s.last().Format(time.DateOnly), s.name)
	}
	return nil
}

func percent(r float64) string {
	p := r * 100
	if math.Abs(p) < 0.1 {
		return fmt.Sprintf("%+.3f%%", p)
	}
	return fmt.Sprintf("%+.1f%%", p)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// sameColumns compares column names as sets, in any case.
func sameColumns(a, b []string) bool {
	norm := func(names []string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = strings.ToLower(n)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(norm(a), norm(b))
}

// verify reads the new file as the loader will.
func (s *storedFile) verify(out []byte, last time.Time) error {
	t, err := market.ParseCSV(s.name, out)
	if err == nil {
		var c *market.Column
		if c, err = t.Select(""); err == nil {
			err = c.Err()
		}
	}
	if err == nil && !t.Dates[len(t.Dates)-1].Equal(last) {
		err = fmt.Errorf("its last row is %s, expected %s", t.Dates[len(t.Dates)-1].Format(time.DateOnly), last.Format(time.DateOnly))
	}
	if err != nil {
		return fmt.Errorf("%s: the updated file would not load (a bug in briefs): %w", s.name, err)
	}
	return nil
}

// rawCSV is the text of a CSV file's cells, by line, and where its rows
// begin.
type rawCSV struct {
	header    []string // as written, BOM removed
	dateIdx   int      // the field of the date column
	headerEnd int      // the offset of the byte after the header row
	rows      map[int]rawRow
}

type rawRow struct {
	start  int // offset of the row in the file
	fields []string
}

// readRaw reads the cells of a file that t, ParseCSV's reading of it, has
// checked.
func readRaw(data []byte, t *market.Table) (*rawCSV, error) {
	off := 0
	if bytes.HasPrefix(data, bom) {
		off = len(bom)
	}
	r := csv.NewReader(bytes.NewReader(data[off:]))
	r.FieldsPerRecord = -1
	c := &rawCSV{rows: map[int]rawRow{}}
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	c.header = header
	c.headerEnd = off + int(r.InputOffset())
	c.dateIdx = slices.IndexFunc(header, func(h string) bool { return strings.TrimSpace(h) == t.DateColumn })
	if c.dateIdx < 0 {
		c.dateIdx = 0 // an unnamed date index
	}
	for {
		start := off + int(r.InputOffset())
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		c.rows[line] = rawRow{start: start, fields: rec}
	}
	return c, nil
}

// field returns the index of a named column in the header, in any case;
// -1 if none.
func (c *rawCSV) field(name string) int {
	return slices.IndexFunc(c.header, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), name) })
}

// cell returns the text of a column in the row at line.
func (c *rawCSV) cell(line int, column string) string {
	i := c.field(column)
	row := c.rows[line]
	if i < 0 || i >= len(row.fields) {
		return ""
	}
	return strings.TrimSpace(row.fields[i])
}

// unnamed reports whether a header names no column, as for the loader: a
// pandas index.
func unnamed(h string) bool {
	h = strings.TrimSpace(h)
	return h == "" || strings.HasPrefix(h, "Unnamed:")
}
