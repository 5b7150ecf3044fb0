// Package sitecheck checks a built site the way its readers get it, with
// real and independent clients: the Nu HTML Checker, a link crawler
// (linkinator), two feed parsers (Python's feedparser and npm's rss-parser),
// and headless Chromium with axe-core; and, in Go, that no page or feed
// carries a script (active.go), and that citations and the links between
// briefs lead on (structure.go). The site is served over HTTP on the
// address its base URL names, so absolute links resolve to it.
//
// The clients run as separate programs. Each reports what it finds as
// Failures that name the page and the problem; Run collects them.
package sitecheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"briefs/internal/netlify"
)

// The checks, in the order their failures are listed.
const (
	HTML      = "html"      // Nu HTML Checker: markup, CSS and SVG
	Links     = "links"     // linkinator: links, images, srcset, stylesheets, fragments
	Feeds     = "feeds"     // feedparser and rss-parser
	Browser   = "browser"   // Chromium: loading, images, chart variants, switcher, tags, phone width, axe, print
	Active    = "active"    // parsed in Go: no script, event handler, script URL or embedded content
	Structure = "structure" // parsed in Go: citations are links, briefs and issues link their neighbours
)

// AllChecks lists every check.
var AllChecks = []string{HTML, Links, Feeds, Browser, Active, Structure}

// Options says what to check and with which programs.
type Options struct {
	Site string // the built site
	// Base is the base URL the site was built with; the site is served at
	// its host and port, which must be on this machine.
	Base string
	// Listener, if set, is where to serve the site (its address must be
	// Base's); otherwise Run listens on Base's address.
	Listener net.Listener
	// Netlify holds the rules of netlify.toml: the site is served with its
	// headers (the Content-Security-Policy among them) and redirects, as
	// Netlify serves it. nil serves plain files.
	Netlify *netlify.Config

	Tools     string // the folder with the check scripts and their node_modules
	Artifacts string // where screenshots and reports go ("" for none)

	Java, Node, Python, Chromium, Pdftoppm string // programs; "" finds the usual ones

	Checks []string // which checks to run; nil for all
	// Pages limits the browser check to these site paths ("/zh/"); nil
	// picks the pages of every kind in both languages.
	Pages []string
	Log   io.Writer // progress notes; nil for none
}

// Failure is one problem found on one page.
type Failure struct {
	Check   string `json:"check"`
	Page    string `json:"page"`    // site path: "/zh/briefs/x/", "/zh/index.xml"
	Problem string `json:"problem"` // what is wrong, for a person to read
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: %s [%s]", f.Page, f.Problem, f.Check)
}

// Run serves the site and runs the checks on it, at the same time. It
// returns what they found; an error means a check could not run at all.
func Run(ctx context.Context, o Options) ([]Failure, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	base, err := url.Parse(o.Base)
	if err != nil || base.Scheme != "http" || base.Host == "" || !strings.HasSuffix(base.Path, "/") {
		return nil, fmt.Errorf("base URL %q: want http://host:port/ served on this machine", o.Base)
	}
	site, err := Scan(o.Site)
	if err != nil {
		return nil, err
	}
	ln := o.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", base.Host); err != nil {
			return nil, fmt.Errorf("serving the site at %s: %w", o.Base, err)
		}
	}
	rules := o.Netlify
	if rules == nil {
		rules = &netlify.Config{}
	}
	srv := &http.Server{Handler: http.StripPrefix(strings.TrimSuffix(base.Path, "/"), rules.Handler(o.Site)), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	if o.Artifacts != "" {
		if err := os.MkdirAll(o.Artifacts, 0o755); err != nil {
			return nil, err
		}
	}

	type result struct {
		fails []Failure
		err   error
	}
	runs := map[string]func(context.Context, *Options, *Site) ([]Failure, error){
		HTML: checkHTML, Links: checkLinks, Feeds: checkFeeds, Browser: checkBrowser, Active: checkActive, Structure: checkStructure,
	}
	results := make([]result, len(o.Checks))
	var wg sync.WaitGroup
	for i, name := range o.Checks {
		run, ok := runs[name]
		if !ok {
			return nil, fmt.Errorf("unknown check %q (known: %s)", name, strings.Join(AllChecks, ", "))
		}
		wg.Go(func() {
			start := time.Now()
			fails, err := run(ctx, &o, site)
			for j := range fails {
				fails[j].Check = name
			}
			o.logf("%s: %d problem(s) in %.1fs", name, len(fails), time.Since(start).Seconds())
			results[i] = result{fails, err}
		})
	}
	wg.Wait()
	var fails []Failure
	var errs []error
	for i, r := range results {
		fails = append(fails, r.fails...)
		if r.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Checks[i], r.err))
		}
	}
	if o.Artifacts != "" {
		report, _ := json.MarshalIndent(fails, "", "  ")
		os.WriteFile(filepath.Join(o.Artifacts, "failures.json"), append(report, '\n'), 0o644)
	}
	return fails, errors.Join(errs...)
}

func (o *Options) defaults() error {
	if o.Checks == nil {
		o.Checks = AllChecks
	}
	if o.Chromium == "" {
		o.Chromium = "/usr/bin/chromium"
	}
	if o.Python == "" {
		// Debian's python3, which has Debian's feedparser, rather than
		// whatever python3 comes first on PATH.
		o.Python = "/usr/bin/python3"
	}
	if o.Pdftoppm == "" {
		o.Pdftoppm = "pdftoppm"
	}
	if o.Java == "" {
		o.Java = "java"
	}
	if o.Node == "" {
		o.Node = "node"
	}
	if o.Tools == "" {
		return errors.New("Options.Tools is not set: the folder with the check scripts")
	}
	return nil
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// needs reports the first of the programs and files that is missing.
func needs(paths ...string) error {
	for _, p := range paths {
		if strings.Contains(p, "/") {
			if _, err := os.Stat(p); err != nil {
				return fmt.Errorf("%s is missing", p)
			}
		} else if _, err := exec.LookPath(p); err != nil {
			return fmt.Errorf("%s is not installed", p)
		}
	}
	return nil
}

// run runs a program and returns its standard output. A non-zero exit is an
// error that carries the end of its standard error.
func run(ctx context.Context, dir string, name string, args ...string) ([]byte, []byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.Bytes(), stderr.Bytes(), err
}

// script runs one of the check scripts, which print one JSON object per
// line: {"page": ..., "problem": ...} for a failure, {"note": ...} for
// progress. Exit status 0 means it ran to the end, failures or not.
func script(ctx context.Context, o *Options, prog string, args ...string) ([]Failure, error) {
	stdout, stderr, err := run(ctx, o.Tools, prog, args...)
	fails, perr := parseLines(stdout, o)
	if err != nil {
		return fails, fmt.Errorf("%s %s: %v\n%s", filepath.Base(prog), args[0], err, tail(stderr, 2000))
	}
	return fails, perr
}

func parseLines(out []byte, o *Options) ([]Failure, error) {
	var fails []Failure
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var m struct {
			Page, Problem, Note string
		}
		if err := json.Unmarshal(line, &m); err != nil {
			return fails, fmt.Errorf("unexpected output %q", tail(line, 300))
		}
		if m.Note != "" {
			o.logf("  %s", m.Note)
			continue
		}
		fails = append(fails, Failure{Page: m.Page, Problem: m.Problem})
	}
	return fails, sc.Err()
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// Site is what a built site holds, by site path.
type Site struct {
	Dir   string
	HTML  []string // "/zh/briefs/x/", "/zh/404.html"
	Feeds []string // "/zh/index.xml", "/zh/atom.xml"
	Langs []string // language folders that have a home page
}

// Scan lists a built site's pages and feeds.
func Scan(dir string) (*Site, error) {
	s := &Site{Dir: dir}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sp := "/" + filepath.ToSlash(rel)
		switch {
		case strings.HasSuffix(sp, "/index.html"):
			s.HTML = append(s.HTML, strings.TrimSuffix(sp, "index.html"))
		case strings.HasSuffix(sp, ".html"):
			s.HTML = append(s.HTML, sp)
		case strings.HasSuffix(sp, ".xml") && sp != "/sitemap.xml":
			s.Feeds = append(s.Feeds, sp)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.HTML) == 0 {
		return nil, fmt.Errorf("%s holds no pages: build the site first", dir)
	}
	for _, p := range s.HTML {
		if parts := strings.Split(p, "/"); len(parts) == 3 && parts[2] == "" {
			s.Langs = append(s.Langs, parts[1])
		}
	}
	slices.Sort(s.HTML)
	slices.Sort(s.Feeds)
	return s, nil
}

// Kind names what sort of page a site path is: root, home, list, brief,
// tags, tag, series, issue (a period of a series), 404, or other.
func Kind(p string) string {
	if p == "/" {
		return "root"
	}
	if path.Base(p) == "404.html" {
		return "404"
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(parts) == 1:
		return "home"
	case parts[1] == "page":
		return "list"
	case parts[1] == "briefs" && len(parts) == 3:
		return "brief"
	case parts[1] == "tags" && len(parts) == 2:
		return "tags"
	case parts[1] == "tags" && len(parts) == 3:
		return "tag"
	case parts[1] == "tags" && parts[3] == "page":
		return "list"
	case parts[1] == "series" && len(parts) == 3:
		return "series"
	case parts[1] == "series" && len(parts) == 4:
		return "issue"
	case parts[1] == "series" && parts[3] == "page":
		return "list"
	}
	return "other"
}

// Lang is the language folder of a site path, "" for the root.
func Lang(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) > 1 || strings.HasSuffix(p, "/") {
		return parts[0]
	}
	return ""
}
