package update

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"time"

	"briefs/internal/market"
)

// A download's last line may be a row cut short: a connection that closes
// early ends the body where it broke off, and "2026-11-24,6291.55" arrives
// as "2026-11-24,629". Every line but the last ends with a line end, and is
// whole. The last line is whole if it ends with one too; else only at a
// verified end (see download.verified) and if its last field, the one a cut
// leaves looking complete, proves it whole: a quoted field whose closing
// quote arrived, or a number written with as many decimals, at least one,
// as that column has in every other row. Otherwise the row is left out, and
// the next update fetches it again: the stored file still ends before it.

// cutRow is a last line left out of a download.
type cutRow struct {
	line int       // its line in the download
	text string    // as received
	date time.Time // its date, if it reads as a row; else zero
	why  string
}

func (c *cutRow) String() string {
	date := ""
	if !c.date.IsZero() {
		date = " (" + c.date.Format(time.DateOnly) + ")"
	}
	return fmt.Sprintf("left out its last line %d%s, %s: %s; the next update fetches the row again",
		c.line, date, quote(c.text), c.why)
}

// wholeRows returns the body of dl that holds whole rows only, and the
// last line it left out, if any.
func (s *storedFile) wholeRows(dl *download) ([]byte, *cutRow) {
	body := dl.body
	nl := bytes.LastIndexByte(body, '\n')
	if nl < 0 || len(bytes.TrimSpace(body[nl+1:])) == 0 {
		return body, nil // a header alone, or whole rows
	}
	head, tail := body[:nl+1], body[nl+1:]
	c := &cutRow{line: bytes.Count(head, []byte("\n")) + 1, text: strings.TrimRight(string(tail), "\r")}

	// The header, and the other rows of the column a cut can leave looking
	// whole: the last.
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(head, bom)))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		return body, nil // not a CSV: the merge says why
	}
	header := recs[0]
	tr := csv.NewReader(bytes.NewReader(tail))
	tr.FieldsPerRecord = -1
	rec, err := tr.Read()
	if t, err := market.ParseCSV("", append(slices.Clip(body), '\n')); err == nil {
		if i := slices.Index(t.Lines, c.line); i >= 0 {
			c.date = t.Dates[i]
		}
	}

	switch {
	case !dl.verified:
		c.why = "the download ends without a line end, and its length was not announced (no Content-Length), so the row may be cut short"
	case err != nil:
		c.why = "it ends without a line end, inside a quoted field"
	case len(rec) != len(header):
		c.why = fmt.Sprintf("it ends without a line end after %d of %d fields", len(rec), len(header))
	default:
		c.why = s.provenWhole(header, recs[1:], rec, tail)
	}
	if c.why == "" {
		return body, nil
	}
	return head, c
}

// provenWhole reports why the last field of rec, the unterminated last line
// tail of a download whose other rows are recs, may be cut; "" if it is
// whole.
func (s *storedFile) provenWhole(header []string, recs [][]string, rec []string, tail []byte) string {
	last := len(header) - 1
	if bytes.HasSuffix(bytes.TrimRight(tail, " \t\r"), []byte(`"`)) {
		return "" // a quoted field, closed
	}
	name := strings.TrimSpace(header[last])
	cell := strings.TrimSpace(rec[last])
	d, ok := decimals(cell)
	switch {
	case cell == "":
		return fmt.Sprintf("it ends without a line end, and its last field (%s) is empty", name)
	case !ok:
		return fmt.Sprintf("it ends without a line end, and its last field, %s %s, is not a plain decimal number", name, quote(cell))
	}
	// The column's decimals in the download's other rows, else in the
	// stored file's last rows.
	var cells []string
	for _, r := range recs {
		if len(r) == len(header) {
			cells = append(cells, strings.TrimSpace(r[last]))
		}
	}
	if !hasValue(cells) && s.csv != nil {
		if i := s.csv.field(name); i >= 0 {
			for _, line := range s.table.Lines[max(0, s.rows()-formatRows):] {
				if f := s.csv.rows[line].fields; i < len(f) {
					cells = append(cells, strings.TrimSpace(f[i]))
				}
			}
		}
	}
	if !hasValue(cells) {
		return fmt.Sprintf("it ends without a line end, and no other row shows how many decimals %s has", name)
	}
	for _, c := range cells {
		if c == "" {
			continue
		}
		if n, ok := decimals(c); !ok || n != d {
			return fmt.Sprintf("it ends without a line end, and its last field, %s %s, has %d %s where other rows have %s (%s)",
				name, quote(cell), d, plural(d, "decimal"), decimalsOf(c), quote(c))
		}
	}
	if d == 0 {
		return fmt.Sprintf("it ends without a line end, and its last field, %s %s, has no decimals to show it is whole", name, quote(cell))
	}
	return ""
}

func hasValue(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return true
		}
	}
	return false
}

// decimals returns the number of digits after the point of a number written
// as digits with an optional sign and point; false if it is not one.
func decimals(s string) (int, bool) {
	s = strings.TrimLeft(s, "+-")
	intPart, frac, point := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) || (point && frac == "") {
		return 0, false
	}
	return len(frac), true
}

func decimalsOf(s string) string {
	if d, ok := decimals(s); ok {
		return fmt.Sprintf("%d", d)
	}
	return "other text"
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
