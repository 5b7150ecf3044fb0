package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// stamped is a line or an event with the time it arrived.
type stamped struct {
	text string
	at   time.Time
}

// server is a running `briefs serve` with an EventSource client connected
// to its live-reload events.
type server struct {
	cmd    *exec.Cmd
	url    string
	built  string        // the line of the first build
	lines  chan stamped  // what serve prints, both streams
	events chan stamped  // names of the events received
	body   func() error  // closes the event stream
	done   chan struct{} // closed when the process has exited
}

var (
	servingRe = regexp.MustCompile(`serving (http://\S+/)`)
	builtRe   = regexp.MustCompile(`^built .* in (\S+)$`)
	rebuiltRe = regexp.MustCompile(`: rebuilt in (\S+) \(`)
	noneRe    = regexp.MustCompile(`: no change to the site \((\S+)\)$`)
)

// startServe starts `briefs serve` on the project dir on a free port,
// waits for its first build (up to timeout) and connects to its events.
func startServe(ctx context.Context, bin, dir string, timeout time.Duration) (*server, error) {
	cmd := exec.CommandContext(ctx, bin, "serve", "-source", dir, "-port", "0")
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, err
	}
	pw.Close()
	s := &server{cmd: cmd, lines: make(chan stamped, 1000), events: make(chan stamped, 100), done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.lines <- stamped{sc.Text(), time.Now()}
		}
		close(s.lines)
		pr.Close()
	}()
	go func() {
		cmd.Wait()
		close(s.done)
	}()
	var seen []string
	deadline := time.After(timeout)
	for s.url == "" {
		select {
		case l, ok := <-s.lines:
			if !ok {
				s.stop()
				return nil, fmt.Errorf("briefs serve ended before serving:\n%s", tail(strings.Join(seen, "\n"), 20))
			}
			seen = append(seen, l.text)
			if builtRe.MatchString(l.text) {
				s.built = l.text
			}
			if strings.Contains(l.text, "serving the error") {
				s.stop()
				return nil, fmt.Errorf("briefs serve: the first build failed:\n%s", tail(strings.Join(seen, "\n"), 20))
			}
			if m := servingRe.FindStringSubmatch(l.text); m != nil {
				s.url = m[1]
			}
		case <-deadline:
			s.stop()
			return nil, fmt.Errorf("briefs serve did not serve within %s", timeout)
		}
	}
	req, err := http.NewRequestWithContext(ctx, "GET", s.url+"_briefs/events", nil)
	if err != nil {
		s.stop()
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.stop()
		return nil, err
	}
	s.body = resp.Body.Close
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				s.events <- stamped{name, time.Now()}
			}
		}
		close(s.events)
	}()
	select {
	case ev := <-s.events:
		if ev.text != "hello" {
			s.stop()
			return nil, fmt.Errorf("first event %q, want hello", ev.text)
		}
	case <-time.After(10 * time.Second):
		s.stop()
		return nil, errors.New("no hello event from briefs serve")
	}
	return s, nil
}

// saved is what a save led to.
type saved struct {
	rebuild time.Duration // as serve reports it
	reload  time.Duration // from the write to the reload event; 0 if none
	changed bool          // the site changed (else serve found nothing to reload)
}

// save writes data to file, as an editor saves, and waits for serve's
// rebuild and, if the site changed, for the reload event.
func (s *server) save(file string, data []byte) (saved, error) {
	// Let the last rebuild settle, as between an author's saves, and
	// forget what it printed.
	time.Sleep(200 * time.Millisecond)
	s.drain()
	start := time.Now()
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return saved{}, err
	}
	timeout := time.After(5 * time.Minute)
	var res saved
	for {
		var l stamped
		var ok bool
		select {
		case l, ok = <-s.lines:
		case <-timeout:
			return saved{}, fmt.Errorf("serve reported no rebuild within 5 min of saving %s", file)
		}
		if !ok {
			return saved{}, errors.New("briefs serve ended")
		}
		if strings.Contains(l.text, "rebuild failed") {
			return saved{}, fmt.Errorf("saving %s: %s", file, l.text)
		}
		m := rebuiltRe.FindStringSubmatch(l.text)
		if m == nil {
			m = noneRe.FindStringSubmatch(l.text)
		} else {
			res.changed = true
		}
		if m == nil {
			continue
		}
		d, err := time.ParseDuration(m[1])
		if err != nil {
			return saved{}, fmt.Errorf("serve's line %q: %w", l.text, err)
		}
		res.rebuild = d
		break
	}
	if !res.changed {
		return res, nil
	}
	select {
	case ev, ok := <-s.events:
		if !ok {
			return saved{}, errors.New("event stream ended")
		}
		if ev.text != "reload" {
			return saved{}, fmt.Errorf("event %q after saving %s", ev.text, file)
		}
		res.reload = ev.at.Sub(start)
	case <-time.After(30 * time.Second):
		return saved{}, fmt.Errorf("no reload event within 30 s of saving %s", file)
	}
	return res, nil
}

// drain forgets the lines and events that arrived so far.
func (s *server) drain() {
	for {
		select {
		case _, ok := <-s.lines:
			if !ok {
				return
			}
		case _, ok := <-s.events:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// stop ends serve and returns the peak resident memory it reached.
func (s *server) stop() int64 {
	rss := vmHWM(s.cmd.Process.Pid)
	if s.body != nil {
		s.body()
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	return rss
}

// serveTargets are the save-to-reload targets by corpus size: p50 and,
// where there is one, p95.
var serveTargets = map[int][2]time.Duration{2000: {25 * time.Millisecond, 40 * time.Millisecond}, 20000: {60 * time.Millisecond, 0}}

// serveSection measures, on fresh plain corpora of each size, how long an
// author waits from saving a brief to the browser's reload: edits saves,
// each of a different brief, after three that warm up.
func (b *bench) serveSection(ctx context.Context, sizes []int, edits int) error {
	t := &table{
		title: "c. Serve: save to live-reload event, plain corpus",
		columns: []column{{name: "briefs", right: true}, {name: ""}, {name: "saves", right: true}, {name: "p50", right: true}, {name: "p95", right: true},
			{name: "min–max", right: true}, {name: "serve peak RSS", right: true}, {name: "target"}},
	}
	for _, n := range sizes {
		dir := filepath.Join(b.work, fmt.Sprintf("serve-%d", n))
		b.logf("writing the plain corpus of %s briefs to %s", count(n), dir)
		if err := project(dir, b.theme, n); err != nil {
			return err
		}
		srv, err := startServe(ctx, b.bin, dir, 10*time.Minute)
		if err != nil {
			return err
		}
		lat, builds, err := b.saves(srv, dir, edits)
		rss := srv.stop()
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		ls, bs := durations(lat), durations(builds)
		cell50, cell95 := "", ""
		if g, ok := serveTargets[n]; ok {
			what := fmt.Sprintf("serve (%s briefs): save to reload event", count(n))
			tg := b.rep.addTarget(what+", p50", "< "+ms(g[0]), ms(ls.median), judge(true, ls.median < g[0]))
			cell50 = tg.cell()
			if g[1] > 0 {
				tg = b.rep.addTarget(what+", p95", "< "+ms(g[1]), ms(ls.p95), judge(true, ls.p95 < g[1]))
				cell95 = tg.cell()
			}
		}
		target := cell50
		if cell95 != "" {
			target += "; " + cell95
		}
		t.add(count(n), "save to reload event", fmt.Sprint(ls.n), ms(ls.median), ms(ls.p95), span(ls.min, ls.max), mib(rss), target)
		t.add("", "  of which the rebuild", fmt.Sprint(bs.n), ms(bs.median), ms(bs.p95), span(bs.min, bs.max), "", "")
		t.note("%s briefs: serve's first build: %s", count(n), strings.TrimSpace(srv.built))
	}
	t.note("each save appends a line to a different brief, 200 ms after the last rebuild; the first 3 saves warm up and are not counted; the rest of the latency is serve's 5 ms debounce, the file event and the event stream; Hugo's server needs about 280 ms to rebuild one change")
	b.rep.tables = append(b.rep.tables, t)
	return nil
}

// saves saves edits+3 briefs of dir, a different one each time, and
// returns the latencies to the reload event and the rebuild times, but for
// the first three.
func (b *bench) saves(srv *server, dir string, edits int) (lat, builds []time.Duration, err error) {
	briefs, err := filepath.Glob(filepath.Join(dir, "content/briefs/*/index.*.md"))
	if err != nil || len(briefs) == 0 {
		return nil, nil, errors.New("no briefs in the corpus")
	}
	slices.Sort(briefs)
	for i := range edits + 3 {
		file := briefs[(i*7919)%len(briefs)]
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, err
		}
		res, err := srv.save(file, fmt.Appendf(data, "\n\nEdit %d.\n", i))
		if err != nil {
			return nil, nil, err
		}
		if !res.changed {
			return nil, nil, fmt.Errorf("saving an edit of %s did not change the site", file)
		}
		if i >= 3 {
			lat = append(lat, res.reload)
			builds = append(builds, res.rebuild)
		}
		if (i+1)%10 == 0 {
			b.logf("serve: %d/%d saves", i+1, edits+3)
		}
	}
	return lat, builds, nil
}
