// Package update refreshes the price files of a market data folder from a
// provider's CSV downloads, as `briefs data update` does.
//
// Every symbol with a file of its own is downloaded (in parallel) from the
// [update] URL, from a few days before its last stored row up to the last
// session that has closed, and the download is checked before anything is
// written: its columns must be the stored file's, its prices positive, and
// where it overlaps the stored rows its prices must agree with them. Only
// then are the new rows written, in the stored file's own format, every
// file replaced atomically; if any symbol fails, no file is written.
package update

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/market"

	"golang.org/x/sync/errgroup"
)

// Options says what to update and how.
type Options struct {
	Config    *content.Update
	Data      fs.FS  // the market data folder, holding tickers.toml
	DataName  string // its name in messages, such as "content/data/"
	Dir       string // the same folder on disk, where files are written
	Symbols   []string
	Jobs      int  // parallel downloads; 4 if 0
	DryRun    bool // download and check, write nothing
	Now       time.Time
	TimeZone  *time.Location // the market's: a session has closed at 17:00 there
	UserAgent string

	// Backoff is the wait before retry n (1, 2, ...); n seconds if nil.
	Backoff func(n int) time.Duration
	// Progress receives the lines to show: notes, then one per symbol as
	// it completes. It is never called concurrently.
	Progress func(line string)
}

// Result is what an update did, or found.
type Result struct {
	Updated  []string // files written (in a dry run: that would be), by name in messages
	Created  []string // the files among them that did not exist
	UpToDate []string // files without new rows, left untouched
	Rows     int      // rows added in all
	Failed   int      // symbols that failed: then nothing is written
	Symbols  int      // symbols downloaded or found up to date
}

// CloseHour is the hour, in the market's time zone, after which the day's
// session counts as closed.
const CloseHour = 17

// Run downloads and checks every symbol, then writes the changed files,
// all or none. The error lists every symbol's problems, each naming the
// symbol and the file or download (with its line where one applies).
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Config == nil || o.Config.URL == nil {
		return nil, errors.New("no [update] url configured")
	}
	if o.Jobs <= 0 {
		o.Jobs = 4
	}
	if o.TimeZone == nil {
		o.TimeZone = time.UTC
	}
	if o.Backoff == nil {
		o.Backoff = func(n int) time.Duration { return time.Duration(n) * time.Second }
	}
	var mu sync.Mutex
	say := func(lines ...string) { // together
		if o.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, l := range lines {
			o.Progress(l)
		}
	}

	entries, err := market.Entries(o.Data, o.DataName)
	if err != nil {
		return nil, err
	}
	// An update killed while it replaced its files is finished first, and
	// the temporary files of one killed before are removed.
	if o.Dir != "" && o.DryRun {
		if err := Interrupted(o.Data, o.DataName); err != nil {
			return nil, fmt.Errorf("%w; a dry run writes nothing", err)
		}
	} else if o.Dir != "" {
		notes, err := recoverWrites(o.Dir, o.DataName)
		for _, n := range notes {
			say("note: " + n)
		}
		if err != nil {
			return nil, err
		}
	}

	jobs, notes, err := plan(entries, o)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		say("note: " + n)
	}
	today, to := closed(o.Now, o.TimeZone)

	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxResponseHeaderBytes = maxHeader
	defer transport.CloseIdleConnections()
	f := &fetcher{
		client:  &http.Client{Timeout: o.Config.Timeout, Transport: transport},
		timeout: o.Config.Timeout,
		ua:      o.UserAgent,
		retries: o.Config.Retries,
		backoff: o.Backoff,
	}
	width := 6
	for _, j := range jobs {
		width = max(width, len(j.symbol))
	}
	var g errgroup.Group
	g.SetLimit(o.Jobs)
	for _, j := range jobs {
		g.Go(func() error {
			if ctx.Err() != nil {
				j.err = ctx.Err() // interrupted: said once, by Run
				return nil
			}
			j.run(ctx, f, o, today, to)
			if !errors.Is(j.err, context.Canceled) {
				var lines []string
				for _, n := range j.notes {
					lines = append(lines, "note: "+n)
				}
				say(append(lines, j.line(width, to))...)
			}
			return nil
		})
	}
	g.Wait() // the jobs report through their fields

	res := &Result{Symbols: len(jobs)}
	var errs []error
	for _, j := range jobs {
		switch {
		case j.err != nil:
			res.Failed++
			errs = append(errs, j.err)
		case j.out == nil:
			res.UpToDate = append(res.UpToDate, j.name)
		default:
			res.Updated = append(res.Updated, j.name)
			if !j.exists {
				res.Created = append(res.Created, j.name)
			}
			res.Rows += j.added
		}
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("interrupted: nothing written: %w", err)
	}
	if len(errs) > 0 {
		return res, diag.Join(errs)
	}
	if o.DryRun {
		return res, nil
	}
	var changed []*job
	for _, j := range jobs {
		if j.out != nil {
			changed = append(changed, j)
		}
	}
	if err := writeAll(o.Dir, changed); err != nil {
		return res, err
	}
	return res, nil
}

// closed returns today's date where the market is, and the date of the
// last session that has closed: today after CloseHour, else yesterday.
func closed(now time.Time, tz *time.Location) (today, to time.Time) {
	local := now.In(tz)
	y, m, d := local.Date()
	today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if local.Hour() < CloseHour {
		return today, today.AddDate(0, 0, -1)
	}
	return today, today
}

// plan picks the symbols to update: every symbol with a file of its own
// (not skipped), or the ones asked for. It returns notes on what is left
// out.
func plan(entries []market.Entry, o Options) ([]*job, []string, error) {
	users := map[string][]market.Entry{} // file -> the entries that read it
	var symbols []string
	for _, e := range entries {
		users[e.File] = append(users[e.File], e)
		if !e.Group {
			symbols = append(symbols, e.Key)
		}
	}
	// own reports why a symbol's file is not its own, or "".
	own := func(e market.Entry) string {
		var who []string
		wide := e.Column != ""
		for _, u := range users[e.File] {
			wide = wide || u.Group || u.Column != ""
			if u.Group {
				who = append(who, "groups."+u.Key)
			} else {
				who = append(who, "symbols."+u.Key)
			}
		}
		switch {
		case wide:
			return fmt.Sprintf("a wide file (%s)", strings.Join(who, ", "))
		case len(who) > 1:
			return fmt.Sprintf("a file shared by %s", strings.Join(who, ", "))
		}
		return ""
	}
	byKey := map[string]market.Entry{}
	groups := map[string]market.Entry{}
	for _, e := range entries {
		if e.Group {
			groups[e.Key] = e
		} else {
			byKey[e.Key] = e
		}
	}
	newJob := func(e market.Entry) *job {
		return &job{symbol: e.Key, provider: o.Config.Provider(e.Key), kind: e.Kind, file: e.File, name: o.DataName + e.File}
	}
	tickers := o.DataName + market.TickersFile

	var jobs []*job
	var notes []string
	if len(o.Symbols) > 0 {
		var errs []error
		seen := map[string]bool{}
		for _, s := range o.Symbols {
			e, ok := byKey[s]
			switch {
			case seen[s]:
				continue
			case !ok && groups[s].File != "":
				errs = append(errs, fmt.Errorf("%s is the group of the wide file %s%s, not a symbol: only a file that holds one symbol is updated; update it by hand",
					s, o.DataName, groups[s].File))
			case !ok:
				msg := fmt.Sprintf("unknown symbol %q: expected a symbol of %s", s, tickers)
				if near := diag.Nearest(s, symbols); near != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", near)
				}
				errs = append(errs, errors.New(msg))
			case own(e) != "":
				errs = append(errs, fmt.Errorf("%s: %s%s is %s: only a file that holds one symbol is updated; update it by hand",
					s, o.DataName, e.File, own(e)))
			default:
				jobs = append(jobs, newJob(e))
			}
			seen[s] = true
		}
		return jobs, nil, errors.Join(errs...)
	}

	for _, s := range o.Config.Skip {
		if _, ok := byKey[s]; !ok {
			notes = append(notes, fmt.Sprintf("[update] skip lists %s, which is not a symbol of %s", s, tickers))
		}
	}
	for _, s := range slices.Sorted(maps.Keys(o.Config.Symbols)) {
		if _, ok := byKey[s]; !ok {
			notes = append(notes, fmt.Sprintf("[update.symbols] names %s, which is not a symbol of %s", s, tickers))
		}
	}
	noted := map[string]bool{}
	for _, e := range entries {
		if why := own(e); why != "" {
			if !noted[e.File] {
				notes = append(notes, fmt.Sprintf("skipped %s%s, %s: update it by hand", o.DataName, e.File, why))
				noted[e.File] = true
			}
			continue
		}
		if slices.Contains(o.Config.Skip, e.Key) {
			continue
		}
		jobs = append(jobs, newJob(e))
	}
	return jobs, notes, nil
}
