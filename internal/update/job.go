package update

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"briefs/internal/diag"
)

// job is one symbol's update: its file, and what downloading gave.
type job struct {
	symbol   string // ours
	provider string // the provider's
	file     string // relative to the data folder
	name     string // in messages: "content/data/prices/XLK.csv"

	// Set by run.
	url    string
	exists bool   // the file exists
	stored []byte // its bytes, as read
	out    []byte // the file with the new rows; nil if there are none
	added  int
	first  time.Time // of the added rows
	last   time.Time
	upTo   time.Time // the last stored date; zero if none
	late   int       // rows after the last closed session, left out
	err    error
}

// farPast is where a download starts when there is no file yet.
var farPast = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// run downloads and checks the symbol's prices, leaving the new file in
// j.out. It writes nothing.
func (j *job) run(ctx context.Context, f *fetcher, o Options, today, to time.Time) {
	defer func() {
		if j.err != nil {
			j.err = j.named(j.err)
		}
	}()
	st, err := readStored(o.Data, j.file, j.name)
	if err != nil {
		j.err = err
		return
	}
	j.exists, j.stored = st.exists, st.data
	from := farPast
	if st.rows() > 0 {
		j.upTo = st.last()
		if !j.upTo.Before(to) {
			return // the last closed session is stored
		}
		from = j.upTo.AddDate(0, 0, -o.Config.Overlap)
	}
	j.url = o.Config.URL.Expand(j.provider, from, to)
	dlName := fmt.Sprintf("%s download (%s)", j.symbol, j.url)
	body, err := f.get(ctx, j.url)
	if err != nil {
		if ctx.Err() != nil {
			j.err = ctx.Err()
			return
		}
		j.err = &diag.Error{File: dlName, Msg: err.Error(), Err: err}
		return
	}
	m, err := st.merge(dlName, body, from, to, today, o.Config.Tolerance)
	if err != nil {
		j.err = err
		return
	}
	j.out, j.added, j.first, j.last, j.late = m.out, m.added, m.first, m.last, m.late
}

// named makes every error of the job name its symbol: a download's name
// does already, a file's message is prefixed with it.
func (j *job) named(err error) error {
	var out []error
	for _, e := range diag.Flatten(err) {
		var d *diag.Error
		switch {
		case errors.As(e, &d) && strings.HasPrefix(d.File, j.symbol+" download "):
			out = append(out, e)
		case errors.As(e, &d):
			c := *d
			c.Msg = j.symbol + ": " + d.Msg
			out = append(out, &c)
		default:
			out = append(out, fmt.Errorf("%s: %w", j.symbol, e))
		}
	}
	return diag.Join(out)
}

// line is the job's progress line.
func (j *job) line(width int, to time.Time) string {
	sym := fmt.Sprintf("%-*s", width, j.symbol)
	if j.err != nil {
		errs := diag.Flatten(j.err)
		msg := errs[0].Error()
		var d *diag.Error
		if errors.As(errs[0], &d) {
			msg = strings.TrimPrefix(d.Msg, j.symbol+": ")
		}
		if len(errs) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(errs)-1)
		}
		return sym + " error: " + msg
	}
	late := ""
	if j.late > 0 {
		late = fmt.Sprintf("; %d %s after %s left out: the session has not closed", j.late, rows(j.late), to.Format(time.DateOnly))
	}
	if j.out == nil {
		if j.upTo.IsZero() {
			return sym + " up to date (no rows)" + late
		}
		return sym + " up to date (" + j.upTo.Format(time.DateOnly) + ")" + late
	}
	span := j.last.Format(time.DateOnly)
	if j.added > 1 {
		span = j.first.Format(time.DateOnly) + " … " + span
	}
	created := ""
	if !j.exists {
		created = " (new file " + j.name + ")"
	}
	return fmt.Sprintf("%s %-9s %s%s%s", sym, fmt.Sprintf("+%d %s", j.added, rows(j.added)), span, created, late)
}

func rows(n int) string {
	if n == 1 {
		return "row"
	}
	return "rows"
}
