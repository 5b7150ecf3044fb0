package update

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"briefs/internal/content"
	"briefs/internal/diag"
)

// job is one symbol's update: its file, and what downloading gave.
type job struct {
	symbol   string // ours
	provider string // the provider's
	kind     string // of tickers.toml
	file     string // relative to the data folder
	name     string // in messages: "content/data/prices/XLK.csv"

	// Set by run.
	url    string   // with its credentials: never shown
	shown  string   // url, with its credentials redacted
	notes  []string // to show before the job's line
	exists bool     // the file exists
	stored []byte   // its bytes, as read
	out    []byte   // the file with the new rows; nil if there are none
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
	j.shown = content.RedactURL(j.url)
	dlName := fmt.Sprintf("%s download (%s)", j.symbol, j.shown)
	d, err := f.get(ctx, j.url)
	if err != nil {
		if ctx.Err() != nil {
			j.err = ctx.Err()
			return
		}
		j.err = &diag.Error{File: dlName, Msg: err.Error(), Err: err}
		return
	}
	m, err := st.merge(dlName, d, checks{
		from: from, to: to, today: today,
		tolerance: o.Config.Tolerance,
		move:      moveLimit{max: o.Config.MoveLimit(j.kind), kind: j.kind},
	})
	if err != nil {
		j.err = err
		return
	}
	if m.cut != nil {
		j.notes = append(j.notes, j.redact(dlName+": "+m.cut.String()))
	}
	j.out, j.added, j.first, j.last, j.late = m.out, m.added, m.first, m.last, m.late
}

// named makes every error of the job name its symbol: a download's name
// does already, a file's message is prefixed with it. No message shows the
// credentials of the job's URL, and none is longer than maxMessage.
func (j *job) named(err error) error {
	var out []error
	for _, e := range diag.Flatten(err) {
		var d *diag.Error
		switch {
		case errors.As(e, &d):
			c := *d
			if !strings.HasPrefix(d.File, j.symbol+" download ") {
				c.Msg = j.symbol + ": " + d.Msg
			}
			if c.Msg == "" && c.Err != nil {
				c.Msg = c.Err.Error()
			}
			c.File, c.Msg = j.redact(c.File), j.redact(clipWords(c.Msg))
			out = append(out, &c)
		default:
			out = append(out, &redacted{msg: j.redact(clipWords(j.symbol + ": " + e.Error())), err: e})
		}
	}
	return diag.Join(out)
}

// maxMessage bounds a message about a download: a net under the quotes of
// its cells, each cut to maxQuote.
const maxMessage = 1000

// redact removes the credentials of the job's URL from a message, and cuts
// it to maxMessage bytes.
func (j *job) redact(msg string) string {
	msg = content.RedactText(msg, content.URLSecrets(j.url))
	if len(msg) > maxMessage {
		head, tail := prefix(msg, maxMessage/2), msg[len(msg)-maxMessage/4:]
		for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
			tail = tail[1:]
		}
		msg = fmt.Sprintf("%s… (%d bytes left out) …%s", head, len(msg)-len(head)-len(tail), tail)
	}
	return msg
}

// clipWords cuts every word of msg (text between spaces, such as a quoted
// cell or a header) longer than maxQuote, keeping the punctuation it ends
// with: a net under the messages of the CSV reader, which quote what they
// read.
func clipWords(msg string) string {
	if len(msg) <= maxQuote {
		return msg
	}
	words := strings.Split(msg, " ")
	for i, w := range words {
		if len(w) > maxQuote {
			end := strings.TrimRightFunc(w, func(r rune) bool { return strings.ContainsRune(`"'):;,.]`, r) })
			tail := w[len(end):]
			words[i] = prefix(w, maxQuote) + "…" + tail[max(0, len(tail)-3):]
		}
	}
	return strings.Join(words, " ")
}

// redacted is an error whose message has been redacted.
type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

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
