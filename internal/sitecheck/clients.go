package sitecheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// checkHTML runs the Nu HTML Checker over every page, stylesheet and SVG
// file of the site. Errors fail; warnings are noted.
func checkHTML(ctx context.Context, o *Options, s *Site) ([]Failure, error) {
	jar := filepath.Join(o.Tools, "node_modules/vnu-jar/build/dist/vnu.jar")
	if err := needs(o.Java, jar); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(s.Dir)
	if err != nil {
		return nil, err
	}
	_, stderr, err := run(ctx, "", o.Java, "-jar", jar,
		"--format", "json", "--skip-non-html", "--also-check-css", "--also-check-svg", abs)
	// vnu exits 1 when it reports errors; its report is on stderr.
	var report struct {
		Messages []struct {
			Type, SubType, URL, Message, Extract string
			LastLine, FirstColumn                int
		}
	}
	if jerr := json.Unmarshal(stderr, &report); jerr != nil {
		if err == nil {
			err = jerr
		}
		return nil, fmt.Errorf("vnu: %v\n%s", err, tail(stderr, 2000))
	}
	var fails []Failure
	warnings := 0
	for _, m := range report.Messages {
		page := sitePath(abs, m.URL)
		where := ""
		if m.LastLine > 0 {
			where = fmt.Sprintf("line %d: ", m.LastLine)
		}
		switch {
		case m.Type == "error" || m.Type == "non-document-error":
			fails = append(fails, Failure{Page: page, Problem: "invalid HTML: " + where + m.Message + extract(m.Extract)})
		case m.SubType == "warning":
			warnings++
			o.logf("  html: warning: %s: %s%s", page, where, m.Message)
		}
	}
	o.logf("  html: %d pages, %d warning(s)", len(s.HTML), warnings)
	return fails, nil
}

func extract(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return fmt.Sprintf(" (at %q)", s)
}

// sitePath turns a checker's file: URL into the site path of the page.
func sitePath(dir, fileURL string) string {
	u, err := url.Parse(fileURL)
	if err != nil || u.Scheme != "file" {
		return fileURL
	}
	rel, err := filepath.Rel(dir, u.Path)
	if err != nil {
		return fileURL
	}
	p := "/" + filepath.ToSlash(rel)
	return strings.TrimSuffix(p, "index.html")
}

// checkLinks crawls the served site with linkinator from every page on
// disk, so pages that nothing links to are covered too. It follows links,
// images, srcset entries, stylesheets and the URLs inside them, and feed
// links; links that leave the site are not followed. Then it checks that
// every #fragment a page links to names an element of its target page
// (linkinator's own fragment check misses some and misplaces others).
func checkLinks(ctx context.Context, o *Options, s *Site) ([]Failure, error) {
	cli := filepath.Join(o.Tools, "node_modules/linkinator/build/src/cli.js")
	if err := needs(o.Node, cli); err != nil {
		return nil, err
	}
	args := []string{cli,
		"--recurse", "--check-css", "--format", "json",
		"--concurrency", "8", "--timeout", "20000", "--retry-errors", "--retry-errors-count", "3",
		"--skip", "^(?!" + regexp.QuoteMeta(o.Base) + ")"}
	for _, p := range append(slices.Clone(s.HTML), s.Feeds...) {
		args = append(args, o.Base+strings.TrimPrefix(p, "/"))
	}
	stdout, stderr, err := runToFile(ctx, o.Node, args...)
	var report struct {
		Links []struct {
			URL, State, Parent string
			Status             int
			FailureDetails     []json.RawMessage
		}
	}
	if jerr := json.Unmarshal(stdout, &report); jerr != nil {
		if err == nil {
			err = jerr
		}
		return nil, fmt.Errorf("linkinator: %v\n%s%s", err, tail(stdout, 1000), tail(stderr, 2000))
	}
	var fails []Failure
	for _, l := range report.Links {
		if l.State != "BROKEN" {
			continue
		}
		page := strings.TrimPrefix(l.Parent, strings.TrimSuffix(o.Base, "/"))
		if page == "" {
			page = "(start) " + l.URL
		}
		problem := fmt.Sprintf("broken link to %s (HTTP %d)", strings.TrimPrefix(l.URL, strings.TrimSuffix(o.Base, "/")), l.Status)
		if l.Status == 0 || l.Status == 200 {
			problem = fmt.Sprintf("broken link to %s (%s)", strings.TrimPrefix(l.URL, strings.TrimSuffix(o.Base, "/")), detail(l.FailureDetails))
		}
		fails = append(fails, Failure{Page: page, Problem: problem})
	}
	frags, n, err := checkFragments(s, o.Base)
	o.logf("  links: %d URLs followed, %d #fragment links", len(report.Links), n)
	return append(fails, frags...), err
}

// runToFile runs a program whose standard output is a file, not a pipe:
// node writes to a file at once, while what it has queued for a pipe is
// lost when a program calls process.exit (linkinator does, with its
// report, when it finds a broken link).
func runToFile(ctx context.Context, name string, args ...string) ([]byte, []byte, error) {
	f, err := os.CreateTemp("", "sitecheck-*.out")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = f, &stderr
	err = cmd.Run()
	stdout, rerr := os.ReadFile(f.Name())
	if rerr != nil && err == nil {
		err = rerr
	}
	return stdout, stderr.Bytes(), err
}

// checkFragments parses every page and checks each link with a #fragment
// into the site against the ids of the page it leads to. It returns the
// failures and the number of fragment links checked.
func checkFragments(s *Site, base string) ([]Failure, int, error) {
	type page struct {
		ids   map[string]bool
		links []string // href values with a fragment
	}
	pages := map[string]*page{}
	for _, p := range s.HTML {
		file := filepath.Join(s.Dir, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			file = filepath.Join(file, "index.html")
		}
		f, err := os.Open(file)
		if err != nil {
			return nil, 0, err
		}
		doc, err := html.Parse(f)
		f.Close()
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", p, err)
		}
		pg := &page{ids: map[string]bool{}}
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "id", a.Key == "name" && n.Data == "a":
					pg.ids[a.Val] = true
				case a.Key == "href" && (n.Data == "a" || n.Data == "area") && strings.Contains(a.Val, "#"):
					pg.links = append(pg.links, a.Val)
				}
			}
		}
		pages[p] = pg
	}
	root, err := url.Parse(base)
	if err != nil {
		return nil, 0, err
	}
	var fails []Failure
	n := 0
	for _, p := range s.HTML {
		from := root.ResolveReference(&url.URL{Path: strings.TrimPrefix(p, "/")})
		for _, href := range pages[p].links {
			u, err := from.Parse(href)
			if err != nil {
				fails = append(fails, Failure{Page: p, Problem: fmt.Sprintf("link %q does not parse: %v", href, err)})
				continue
			}
			if u.Fragment == "" || u.Host != root.Host || !strings.HasPrefix(u.Path, root.Path) {
				continue
			}
			n++
			target := "/" + strings.TrimPrefix(u.Path, root.Path)
			if t, ok := pages[target]; ok && !t.ids[u.Fragment] {
				fails = append(fails, Failure{Page: p, Problem: fmt.Sprintf("broken link to %s: %s has no element with id %q", href, target, u.Fragment)})
			}
		}
	}
	return fails, n, nil
}

// detail summarizes linkinator's failure details.
func detail(ds []json.RawMessage) string {
	for _, d := range ds {
		var m struct{ Message, Type string }
		if json.Unmarshal(d, &m) == nil && m.Message != "" {
			return m.Message
		}
	}
	if len(ds) > 0 {
		return tail(ds[0], 200)
	}
	return "no response"
}

// checkFeeds parses every feed in two independent parsers, each of which
// also checks what a subscriber needs: entries with a link, a stable id, a
// date, and full content whose links and images are absolute and resolve.
func checkFeeds(ctx context.Context, o *Options, s *Site) ([]Failure, error) {
	if len(s.Feeds) == 0 {
		return []Failure{{Page: "/", Problem: "the site has no feeds"}}, nil
	}
	if err := needs(o.Python, o.Node, filepath.Join(o.Tools, "node_modules/rss-parser")); err != nil {
		return nil, err
	}
	args := append([]string{o.Base}, s.Feeds...)
	var fails []Failure
	py, err := script(ctx, o, o.Python, append([]string{"feeds.py"}, args...)...)
	for i := range py {
		py[i].Problem = "feedparser: " + py[i].Problem
	}
	fails = append(fails, py...)
	if err != nil {
		return fails, err
	}
	js, err := script(ctx, o, o.Node, append([]string{"feeds.mjs"}, args...)...)
	for i := range js {
		js[i].Problem = "rss-parser: " + js[i].Problem
	}
	return append(fails, js...), err
}

// checkBrowser drives headless Chromium through the pages of every kind
// in every language (or o.Pages); see browser.mjs for what it checks. With
// artifacts, it photographs one page of each kind per language (of briefs
// and issues, the one with the most charts) and prints the photographed
// brief of each language to PDF, whose pages pdftoppm turns into PNGs.
func checkBrowser(ctx context.Context, o *Options, s *Site) ([]Failure, error) {
	if err := needs(o.Node, o.Chromium, filepath.Join(o.Tools, "node_modules/playwright-core"),
		filepath.Join(o.Tools, "node_modules/axe-core/axe.min.js")); err != nil {
		return nil, err
	}
	if o.Artifacts != "" {
		if err := needs(o.Pdftoppm); err != nil {
			return nil, fmt.Errorf("%v: it turns the printed brief into PNG pages (apt-get install poppler-utils)", err)
		}
	}
	type page struct {
		Path, Kind, Lang string
		Shot             string `json:",omitempty"` // screenshot name
		Print            string `json:",omitempty"` // PDF name
	}
	var paths []string
	if o.Pages != nil {
		paths = o.Pages
	} else {
		paths = pick(s)
	}
	shots := shotPages(s, paths)
	var pages []page
	for _, p := range paths {
		pg := page{Path: p, Kind: Kind(p), Lang: Lang(p), Shot: shots[p]}
		if pg.Shot != "" && pg.Kind == "brief" {
			pg.Print = pg.Shot + "-print"
		}
		pages = append(pages, pg)
	}
	artifacts := o.Artifacts
	var err error
	if artifacts != "" {
		// The script runs in o.Tools.
		if artifacts, err = filepath.Abs(artifacts); err != nil {
			return nil, err
		}
	}
	cfg, err := json.Marshal(map[string]any{
		"base": o.Base, "pages": pages, "chromium": o.Chromium, "artifacts": artifacts,
	})
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "sitecheck-*.json")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	f.Write(cfg)
	f.Close()
	fails, err := script(ctx, o, o.Node, "browser.mjs", f.Name())
	if err != nil || artifacts == "" {
		return fails, err
	}
	for _, pg := range pages {
		if pg.Print == "" {
			continue
		}
		pdf := filepath.Join(artifacts, pg.Print+".pdf")
		if _, err := os.Stat(pdf); err != nil {
			fails = append(fails, Failure{Page: pg.Path, Problem: "was not printed to " + pdf})
			continue
		}
		// 80 dpi: an A4 page of 661 x 935 pixels, enough to see the layout.
		if _, stderr, err := run(ctx, "", o.Pdftoppm, "-r", "80", "-png", pdf, filepath.Join(artifacts, pg.Print)); err != nil {
			return fails, fmt.Errorf("pdftoppm %s: %v\n%s", pdf, err, tail(stderr, 1000))
		}
		pngs, _ := filepath.Glob(filepath.Join(artifacts, pg.Print+"-*.png"))
		o.logf("  browser: %s printed on %d A4 pages", pg.Path, len(pngs))
	}
	return fails, nil
}

// shotPages names the pages to photograph: of each kind in each language,
// the one with the most to look at: of briefs and issues the one with the
// most charts, of tag pages the longest, else the first: "zh-brief",
// "en-home", "404".
func shotPages(s *Site, paths []string) map[string]string {
	best := map[string]string{} // name -> path
	most := map[string]int{}
	for _, p := range paths {
		kind, lang := Kind(p), Lang(p)
		name := kind
		if lang != "" {
			name = lang + "-" + kind
		}
		n := 0
		if kind == "brief" || kind == "issue" || kind == "tag" {
			file := filepath.Join(s.Dir, filepath.FromSlash(p), "index.html")
			if data, err := os.ReadFile(file); err == nil {
				n = strings.Count(string(data), `<figure class="chart"`)
				if kind == "tag" {
					n = len(data)
				}
			}
		}
		if _, ok := best[name]; !ok || n > most[name] {
			best[name], most[name] = p, n
		}
	}
	out := map[string]string{}
	for name, p := range best {
		out[p] = name
	}
	return out
}

// pick chooses the pages the browser opens: the root page, and in each
// language the home page, every brief, the tags page, the first tag pages
// and the longest one (which lists the most), a second list page, each
// series with its latest and first issues, and the 404 page.
func pick(s *Site) []string {
	var out []string
	count := map[string]int{}
	limit := map[string]int{"root": 1, "home": 1, "brief": 1 << 30, "tags": 1, "tag": 2,
		"list": 1, "series": 1 << 30, "issue": 2, "404": 1, "other": 0}
	longest := map[string]string{} // language -> its longest tag page
	size := map[string]int64{}
	for _, p := range s.HTML {
		k := Kind(p)
		key := Lang(p) + " " + k
		if count[key] < limit[k] {
			count[key]++
			out = append(out, p)
		}
		if k == "tag" {
			if st, err := os.Stat(filepath.Join(s.Dir, filepath.FromSlash(p), "index.html")); err == nil && st.Size() > size[Lang(p)] {
				longest[Lang(p)], size[Lang(p)] = p, st.Size()
			}
		}
	}
	for _, lang := range s.Langs {
		if p := longest[lang]; p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
