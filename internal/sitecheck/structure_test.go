package sitecheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// briefPage is a brief page as the site renders it, reduced to what the
// structure check reads.
func briefPage(date, body, prev, next string) string {
	nav := ""
	if prev != "" {
		nav += `<a class="prev" rel="prev" href="` + prev + `">older</a>`
	}
	if next != "" {
		nav += `<a class="next" rel="next" href="` + next + `">newer</a>`
	}
	return `<!doctype html><html><body><article><header><div class="meta"><time datetime="` + date + `">d</time></div></header>` +
		`<div class="body">` + body + `</div><nav class="brief-nav">` + nav + `</nav>` +
		`<section class="related"><time datetime="2099-01-01">x</time></section></article></body></html>`
}

func TestStructure(t *testing.T) {
	pages := map[string]string{
		// A good chain of three, newest first: c -> b -> a.
		"/zh/briefs/c/": briefPage("2026-02-03", `<p>Rose <a href="#source-0">[0]</a><a href="#source-1">[1]</a>.</p><pre><code>[2]</code></pre>`, "/zh/briefs/b/", ""),
		"/zh/briefs/b/": briefPage("2026-02-02", `<p>Fell [1] and <a href="#source-2">[2]</a>; see [3]:</p>`, "/zh/briefs/a/", "/zh/briefs/c/"),
		"/zh/briefs/a/": briefPage("2026-02-01", `<p>第一段 [0]。</p>`, "", "/zh/briefs/b/"),
		// A second language with a one-way link and a page left out.
		"/en/briefs/y/": briefPage("2026-02-02", "", "/en/briefs/x/", ""),
		"/en/briefs/x/": briefPage("2026-02-01", "", "", ""),
		"/en/briefs/w/": briefPage("2026-01-01", "", "", ""),
		// Issues chain per series; this one's next link leads nowhere.
		"/en/series/weekly/2026-w02/": strings.Replace(briefPage("2026-01-09", "", "/en/series/weekly/2026-w01/", "/en/series/weekly/2026-w09/"), "brief-nav", "issue-nav", 1),
		"/en/series/weekly/2026-w01/": strings.Replace(briefPage("2026-01-02", "", "", "/en/series/weekly/2026-w02/"), "brief-nav", "issue-nav", 1),
	}
	dir := t.TempDir()
	s := &Site{Dir: dir}
	for p, html := range pages {
		file := filepath.Join(dir, filepath.FromSlash(p), "index.html")
		os.MkdirAll(filepath.Dir(file), 0o755)
		if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		s.HTML = append(s.HTML, p)
	}
	fails, err := checkStructure(context.Background(), &Options{Base: "http://127.0.0.1:1/"}, s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"/zh/briefs/b/": {`citation [1] is not a link: "Fell [1] and"`, `citation [3] is not a link: "; see [3]:"`},
		"/zh/briefs/a/": {`citation [0] is not a link: "第一段 [0]。"`},
		"/en/briefs/y/": {`its rel=prev link leads to /en/briefs/x/, whose rel=next link leads to "", not back here`},
		"/en/briefs/w/": {`the en briefs should form one chain of rel=prev/next links, newest to oldest; 3 have no rel=next link: /en/briefs/w/, /en/briefs/x/, /en/briefs/y/`},
		"/en/series/weekly/2026-w02/": {`its rel=next link leads to /en/series/weekly/2026-w09/, which is not one of the en issues of the series weekly`,
			`the en issues of the series weekly should form one chain of rel=prev/next links, newest to oldest; 0 have no rel=next link`},
	}
	got := map[string][]string{}
	for _, f := range fails {
		got[f.Page] = append(got[f.Page], f.Problem)
	}
	for page, problems := range want {
		for _, w := range problems {
			found := false
			for _, g := range got[page] {
				found = found || strings.HasPrefix(g, w)
			}
			if !found {
				t.Errorf("%s: no problem %q; got %q", page, w, got[page])
			}
		}
		if len(got[page]) != len(problems) {
			t.Errorf("%s: %d problems, want %d: %q", page, len(got[page]), len(problems), got[page])
		}
	}
	for page := range got {
		if want[page] == nil {
			t.Errorf("%s: unexpected problems %q", page, got[page])
		}
	}
}
