// Package serve is the authors' live preview: it builds the site in
// memory, serves it over HTTP, watches the project for changes, rebuilds
// (the same build as `briefs build`, over memoized stages) and tells open
// pages to reload. A failed rebuild keeps the last good site and shows the
// error on every page.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"briefs/internal/build"
	"briefs/internal/diag"
	"briefs/internal/srcfs"
)

// Options say what to serve and where.
type Options struct {
	Dir  string // the project: content/, templates/, assets/
	Data string // market data folder; "" for site.toml's dataDir in content/
	Bind string // address to listen on; "" for 127.0.0.1
	Port int    // 0 picks a free port

	Drafts, Future bool

	Stdout, Stderr io.Writer
	// Ready, if set, is called with the site's URL once it is served.
	Ready func(url string)
	// Rebuilt, if set, is called after each rebuild that follows a file
	// change, with the build's error. A rebuild cancelled by a newer
	// change is not reported: the rebuild that replaces it is.
	Rebuilt func(err error)

	// build replaces build.Run in tests.
	build func(context.Context, build.Config) (*build.Result, error)
}

// Run serves until ctx ends, then shuts the server down.
func Run(ctx context.Context, opt Options) error {
	if opt.Bind == "" {
		opt.Bind = "127.0.0.1"
	}
	addr := net.JoinHostPort(opt.Bind, strconv.Itoa(opt.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s: the port is in use (another briefs serve?); choose another with -port", addr)
		}
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	defer ln.Close()
	host := opt.Bind
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)) + "/"

	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return err
	}
	roots := map[string]*cacheFS{}
	cfg := build.Project(opt.Dir, opt.Data, func(d string, max srcfs.Limit) fs.FS {
		abs, err := filepath.Abs(d)
		if err != nil {
			abs = d
		}
		c := newCacheFS(abs, max)
		roots[abs] = c
		return c
	})
	cfg.CacheDir = filepath.Join(dir, ".cache")
	cfg.Drafts, cfg.Future = opt.Drafts, opt.Future
	cfg.BaseURL = url
	cfg.Memo = &build.Memo{}
	for d := range roots {
		if info, err := os.Stat(d); err != nil || !info.IsDir() {
			return fmt.Errorf("%s: not a folder: is -source the project folder (with content/, templates/ and assets/)?", d)
		}
	}

	if opt.build == nil {
		opt.build = build.Run
	}
	logf := func(format string, args ...any) { fmt.Fprintf(opt.Stderr, format+"\n", args...) }
	srv := &server{quit: make(chan struct{}), hosts: allowedHosts(opt.Bind), url: url}
	var version int64
	// show makes a finished build what the server shows.
	show := func(res *build.Result, err error) {
		version++
		st := srv.get()
		st.version, st.err = version, err
		if err == nil {
			st.files = res.Files
		}
		srv.set(st)
	}

	start := time.Now()
	cfg.Now = start
	var warned []error // the last build's warnings, printed once
	res, err := opt.build(ctx, cfg)
	d := time.Since(start)
	show(res, err)
	if err != nil {
		diag.Print(opt.Stderr, err)
		logf("serving the error until a save fixes it")
	} else {
		warned = warn(opt.Stderr, nil, res.Warnings)
		fmt.Fprintf(opt.Stdout, "built %d briefs, %d files in %s\n", res.Briefs, len(res.Files), d.Round(time.Millisecond))
	}

	paths := make([]string, 0, len(roots))
	for d := range roots {
		paths = append(paths, d)
	}
	forget := func(p string) {
		for _, c := range roots {
			if p == "" {
				c.reset()
			} else {
				c.forget(p)
			}
		}
	}
	w, err := newWatcher(paths, forget, logf)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	changes := make(chan change)
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go w.run(watchCtx, changes)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	what := "drafts and future briefs included"
	switch {
	case !opt.Drafts && !opt.Future:
		what = "no drafts, no future briefs"
	case !opt.Drafts:
		what = "future briefs included, no drafts"
	case !opt.Future:
		what = "drafts included, no future briefs"
	}
	fmt.Fprintf(opt.Stdout, "serving %s (%s); watching for changes, press Ctrl-C to stop\n", url, what)
	if opt.Ready != nil {
		opt.Ready(url)
	}

	// One rebuild runs at a time, on its own goroutine, so that changes
	// keep being read: a change that arrives while a rebuild runs cancels
	// it, and once it has returned (build.Memo must not be shared), one
	// rebuild covers every change since.
	var (
		cancel  context.CancelFunc // the running rebuild's; nil when none runs
		pending *change            // changes that arrived while it ran
		done    = make(chan rebuilt, 1)
	)
	rebuild := func(c change) {
		bctx, stop := context.WithCancel(ctx)
		cancel = stop
		bcfg := cfg
		bcfg.Now = time.Now()
		go func() {
			res, err := opt.build(bctx, bcfg)
			stop()
			done <- rebuilt{c, res, err, time.Since(bcfg.Now)}
		}()
	}
	for {
		select {
		case <-ctx.Done():
			close(srv.quit)
			sctx, cancelShutdown := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancelShutdown()
			if cancel != nil {
				// ctx has cancelled it too.
				select {
				case <-done:
				case <-sctx.Done():
					logf("the running rebuild did not stop within 5 s; stopping without it")
				}
			}
			if err := hs.Shutdown(sctx); err != nil {
				return fmt.Errorf("shutdown: %w", err)
			}
			fmt.Fprintln(opt.Stdout, "stopped")
			return nil
		case err := <-served:
			return fmt.Errorf("serve: %w", err)
		case c := <-changes:
			if cancel == nil {
				rebuild(c)
				continue
			}
			if pending == nil {
				fmt.Fprintf(opt.Stdout, "%s: changed during a rebuild; cancelling it to start again\n", describe(c, dir))
				cancel()
				pending = &change{}
			}
			pending.add(c)
		case b := <-done:
			cancel = nil
			if pending != nil {
				// Cancelled, or finished too late: what it built is
				// already out of date.
				c := b.change
				c.add(*pending)
				pending = nil
				rebuild(c)
				continue
			}
			old := srv.get()
			show(b.res, b.err)
			c, res, d, err := b.change, b.res, b.took, b.err
			if err != nil {
				logf("rebuild failed (%s):", describe(c, dir))
				diag.Print(opt.Stderr, err)
				srv.hub.send(event{"reload", ""})
			} else {
				warned = warn(opt.Stderr, warned, res.Warnings)
				ev := event{"reload", ""}
				if css := stylesheet(res.Files); c.onlyCSS() && old.files != nil && old.err == nil && css != "" {
					data, _ := json.Marshal([]string{css, strconv.FormatInt(version, 10)})
					ev = event{"css", string(data)}
				}
				if old.err == nil && ev.name == "reload" && sameFiles(old.files, res.Files) {
					fmt.Fprintf(opt.Stdout, "%s: no change to the site (%s)\n", describe(c, dir), d.Round(time.Millisecond))
				} else {
					n := srv.hub.send(ev)
					fmt.Fprintf(opt.Stdout, "%s: rebuilt in %s (%d of %d briefs, %d pages and feeds rendered); %s %d %s\n",
						describe(c, dir), d.Round(100*time.Microsecond), res.Stats.Prepared, res.Stats.Prepared+res.Stats.PreparedReused,
						res.Stats.Rendered, ev.name, n, plural(n, "page"))
				}
			}
			if opt.Rebuilt != nil {
				opt.Rebuilt(err)
			}
		}
	}
}

// warn prints the warnings of a build that the last one did not have, and
// returns them all.
func warn(w io.Writer, last, warnings []error) []error {
	for _, e := range warnings {
		if !slices.ContainsFunc(last, func(o error) bool { return o.Error() == e.Error() }) {
			fmt.Fprintln(w, "warning:", e)
		}
	}
	return warnings
}

// rebuilt is a rebuild that returned.
type rebuilt struct {
	change
	res  *build.Result
	err  error
	took time.Duration
}

// describe names the changed files relative to the project.
func describe(c change, dir string) string {
	if c.overflow {
		return "many files changed"
	}
	var names []string
	for _, p := range c.paths {
		if r, err := filepath.Rel(dir, p); err == nil {
			p = r
		}
		names = append(names, filepath.ToSlash(p))
	}
	if len(names) > 3 {
		names = append(names[:3], fmt.Sprintf("and %d more", len(names)-3))
	}
	return strings.Join(names, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// sameFiles reports whether two builds made the same site.
func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for p, data := range a {
		other, ok := b[p]
		if !ok || string(other) != string(data) {
			return false
		}
	}
	return true
}

// stylesheet returns the URL path of the site's stylesheet in files.
func stylesheet(files map[string][]byte) string {
	for p := range files {
		if strings.HasPrefix(p, "assets/") && strings.HasSuffix(p, ".css") {
			return "/" + p
		}
	}
	return ""
}
