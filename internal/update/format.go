package update

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"briefs/internal/diag"
	"briefs/internal/market"
)

// rowFormat is how a stored file writes its rows, read from the file.
type rowFormat struct {
	eol         string // "\n" or "\r\n"
	newestFirst bool
	quoteAll    bool // every field quoted, as investing.com writes
	date        dateFormat
	index       map[int]int64 // an unnamed index column -> its value in the newest row
}

// dateFormat writes a date as a stored file does: a layout, and the text
// after it (a time of day written with every date).
type dateFormat struct {
	layout, suffix string
}

func (d dateFormat) format(t time.Time) string { return t.Format(d.layout) + d.suffix }

// dateLayouts are the ways of writing a date the loader reads, the most
// common first.
var dateLayouts = []string{
	"2006-01-02", "01/02/2006", "1/2/2006", "2006/01/02", "2006/1/2", "20060102",
	"Jan 2, 2006", "Jan 02, 2006", "2 Jan 2006", "02 Jan 2006",
}

// formatRows is how many of the newest stored rows say how dates are
// written: a year of sessions has days and months of one and two digits.
const formatRows = 250

// format reads how the stored file writes its rows.
func (s *storedFile) format() (*rowFormat, error) {
	f := &rowFormat{eol: "\n", date: dateFormat{layout: time.DateOnly}, index: map[int]int64{}}
	if i := bytes.IndexByte(s.data, '\n'); i > 0 && s.data[i-1] == '\r' {
		f.eol = "\r\n"
	}
	n := s.rows()
	if n == 0 {
		f.quoteAll = quoted(bytes.TrimPrefix(s.data, bom))
		return f, nil
	}
	t := s.table
	newest := s.csv.rows[t.Lines[n-1]]
	f.newestFirst = n > 1 && t.Lines[0] > t.Lines[n-1]
	f.quoteAll = quoted(s.data[newest.start:])

	k := max(0, n-formatRows)
	cells := make([]string, 0, n-k)
	for i := k; i < n; i++ {
		cells = append(cells, strings.TrimSpace(s.csv.rows[t.Lines[i]].fields[s.csv.dateIdx]))
	}
	var ok bool
	if f.date, ok = detectDate(cells, t.Dates[k:]); !ok {
		return nil, diag.Errorf(s.name, t.Lines[n-1], 0, "cannot tell how this file writes dates (%s, ...): expected one way throughout its last rows, such as 2006-01-02 or 01/02/2006; add the rows by hand",
			quote(cells[len(cells)-1]))
	}
	for i, h := range s.csv.header {
		if i == s.csv.dateIdx || !unnamed(h) {
			continue
		}
		if v, err := strconv.ParseInt(strings.TrimSpace(newest.fields[i]), 10, 64); err == nil {
			f.index[i] = v
		}
	}
	return f, nil
}

// detectDate finds the way cells, the text of dates, are written.
func detectDate(cells []string, dates []time.Time) (dateFormat, bool) {
	for _, layout := range dateLayouts {
		if all(cells, func(i int, c string) bool { return c == dates[i].Format(layout) }) {
			return dateFormat{layout: layout}, true
		}
	}
	// An ISO date and a time of day: keep the newest row's time.
	iso := all(cells, func(i int, c string) bool {
		return len(c) > 10 && c[:10] == dates[i].Format(time.DateOnly)
	})
	if iso {
		return dateFormat{layout: time.DateOnly, suffix: cells[len(cells)-1][10:]}, true
	}
	return dateFormat{}, false
}

func all(cells []string, ok func(i int, c string) bool) bool {
	for i, c := range cells {
		if !ok(i, c) {
			return false
		}
	}
	return true
}

// quoted reports whether the row at the start of b begins with a quote.
func quoted(b []byte) bool {
	b = bytes.TrimLeft(b, "\r\n")
	return len(b) > 0 && b[0] == '"'
}

// appendRows returns the stored file with the download's rows fresh added
// in its own format: its column order, date format, quoting and line ends,
// after the header if it is newest first, else at the end. The stored
// bytes are kept as they are.
func (s *storedFile) appendRows(dl *market.Table, raw *rawCSV, fresh []int) ([]byte, error) {
	f, err := s.format()
	if err != nil {
		return nil, err
	}
	src := make([]int, len(s.csv.header)) // stored field -> downloaded field; -1 for the date and index columns
	for i, h := range s.csv.header {
		src[i] = -1
		if i == s.csv.dateIdx || unnamed(h) {
			continue
		}
		if src[i] = raw.field(strings.TrimSpace(h)); src[i] < 0 {
			return nil, fmt.Errorf("%s: column %s is not in the download", s.name, h) // checked before
		}
	}
	rows := make([][]byte, 0, len(fresh))
	for n, k := range fresh {
		cells := raw.rows[dl.Lines[k]].fields
		fields := make([]string, len(src))
		for i, c := range src {
			switch {
			case i == s.csv.dateIdx:
				fields[i] = f.date.format(dl.Dates[k])
			case c >= 0:
				fields[i] = strings.TrimSpace(cells[c])
			default:
				if v, ok := f.index[i]; ok {
					fields[i] = strconv.FormatInt(v+int64(n+1), 10)
				}
			}
		}
		rows = append(rows, f.row(fields))
	}

	var b bytes.Buffer
	b.Grow(len(s.data) + len(rows)*len(rows[0]))
	at := len(s.data)
	if f.newestFirst {
		at = s.csv.headerEnd
		slices.Reverse(rows)
	}
	b.Write(s.data[:at])
	if at > 0 && s.data[at-1] != '\n' {
		b.WriteString(f.eol)
	}
	for _, r := range rows {
		b.Write(r)
	}
	b.Write(s.data[at:])
	return b.Bytes(), nil
}

// newFile writes a file from the download: its header without unnamed
// columns, and its rows fresh oldest first, dates as 2006-01-02.
func newFile(dl *market.Table, raw *rawCSV, fresh []int) []byte {
	f := &rowFormat{eol: "\n"}
	var keep []int
	var header []string
	for i, h := range raw.header {
		h = strings.TrimSpace(h)
		switch {
		case i == raw.dateIdx:
			if unnamed(h) {
				h = "Date"
			}
		case unnamed(h):
			continue
		}
		keep = append(keep, i)
		header = append(header, h)
	}
	var b bytes.Buffer
	b.Write(f.row(header))
	for _, k := range fresh {
		cells := raw.rows[dl.Lines[k]].fields
		fields := make([]string, len(keep))
		for j, i := range keep {
			if i == raw.dateIdx {
				fields[j] = dl.Dates[k].Format(time.DateOnly)
			} else {
				fields[j] = strings.TrimSpace(cells[i])
			}
		}
		b.Write(f.row(fields))
	}
	return b.Bytes()
}

// row writes one CSV row.
func (f *rowFormat) row(fields []string) []byte {
	var b bytes.Buffer
	for i, s := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if f.quoteAll || needsQuotes(s) {
			b.WriteByte('"')
			b.WriteString(strings.ReplaceAll(s, `"`, `""`))
			b.WriteByte('"')
		} else {
			b.WriteString(s)
		}
	}
	b.WriteString(f.eol)
	return b.Bytes()
}

// needsQuotes reports whether a field must be quoted, as encoding/csv
// decides.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	return s == `\.` || strings.ContainsAny(s, ",\"\r\n") || s[0] == ' ' || s[0] == '\t'
}
