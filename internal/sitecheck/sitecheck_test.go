package sitecheck

import (
	"context"
	"html"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"briefs/internal/build"
	"briefs/internal/corpus"
	"briefs/internal/netlify"
)

// TestFindsBrokenPages builds a generated site (internal/corpus: two
// bilingual briefs with figures and charts), breaks some of its pages and
// feeds on purpose, and requires every check to name each broken page with
// its problem, and no other page.
func TestFindsBrokenPages(t *testing.T) {
	tools(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + "/"
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	content := filepath.Join(dir, "content")
	if err := corpus.WriteData(content, corpus.Data{Briefs: 2, Symbols: 8, Years: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	cfg := build.Project("../..", "", build.Folder)
	cfg.Content, cfg.ContentName = os.DirFS(content), "content/"
	cfg.OutDir, cfg.BaseURL, cfg.Now = site, base, corpus.Last.AddDate(0, 0, 1)
	if _, err := build.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}

	// The newest brief, first in the feeds, is the one broken.
	bundles, err := os.ReadDir(filepath.Join(content, "briefs"))
	if err != nil || len(bundles) == 0 {
		t.Fatalf("generated briefs: %v", err)
	}
	newest, older := bundles[len(bundles)-1].Name(), bundles[len(bundles)-2].Name()
	src, err := os.ReadFile(filepath.Join(content, "briefs", newest, "index.zh.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^title: "?(.*?)"?$`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("%s/index.zh.md has no title", newest)
	}
	zhTitle := string(m[1])
	var (
		zhBrief = "/zh/briefs/" + newest + "/"
		enBrief = "/en/briefs/" + newest + "/"
		enOlder = "/en/briefs/" + older + "/"
	)
	const (
		enFeed = "/en/index.xml"
		zhFeed = "/zh/index.xml"
		zhAtom = "/zh/atom.xml"
	)
	page, err := os.ReadFile(filepath.Join(site, "en", "briefs", newest, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	tag := regexp.MustCompile(`class="tag" href="/en/tags/[^"]*">([^<]*)<`).FindSubmatch(page)
	if tag == nil {
		t.Fatalf("%s has no tag link", enBrief)
	}
	firstTag := html.UnescapeString(string(tag[1]))
	// After the article, so that the feeds, which carry the article,
	// still match the page.
	edit(t, site, zhBrief, "</article>", `</article>
<div><span>unclosed</div>
<p><a href="/zh/no-such-page/">a dead link</a> <a href="/zh/#no-such-anchor">a dead anchor</a></p>
<img src="/charts/no-such-chart.png" alt="a missing chart" width="10" height="10">
<img src="/assets/img/none.svg">
<script>console.error("deliberate console error")</script>
<p style="color:red">inline style</p>
<svg width="1600" height="8" role="img" aria-label="far too wide"></svg>`)
	// The switcher leads to the home page though the translation exists,
	// and the first tag link leads nowhere near a tag page.
	edit(t, site, enBrief, `hreflang="zh-CN" href="`+zhBrief+`"`, `hreflang="zh-CN" href="/zh/"`)
	edit(t, site, enBrief, `class="tag" href="/en/tags/`, `class="tag" href="/en/#tags/`)
	// A phone is served a desktop chart; the previous-brief link leads off
	// the chain of briefs, which leaves the older brief's next link without
	// one back. (Unlinked citations: TestStructure.)
	edit(t, site, enBrief, `-phone@2x.png 2x`, `@2x.png 2x`)
	edit(t, site, enBrief, `rel="prev" href="`+enOlder+`"`, `rel="prev" href="/en/"`)
	// A feed cut short; a feed whose images are site-relative.
	body, err := os.ReadFile(filepath.Join(site, enFeed))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, enFeed), body[:len(body)/2], 0o644)
	edit(t, site, zhFeed, base+"charts/", "/charts/")
	edit(t, site, zhAtom, "<content type=\"html\">", "<summary type=\"text\">no content</summary><x>")
	edit(t, site, zhAtom, "</content>", "</x>")

	rules, err := os.ReadFile("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	netlifyConfig, err := netlify.Parse(rules)
	if err != nil {
		t.Fatal(err)
	}
	fails, err := Run(context.Background(), Options{
		Site: site, Base: base, Listener: ln, Netlify: netlifyConfig, Tools: ".", Artifacts: filepath.Join(dir, "artifacts"),
		Pages: []string{"/zh/", zhBrief, enBrief},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fails {
		t.Log(f)
	}

	want := []struct{ check, page, problem string }{
		{HTML, zhBrief, "invalid HTML: line"},
		{HTML, zhBrief, "“img” element must have an “alt” attribute"},
		{Links, zhBrief, "broken link to /zh/no-such-page/ (HTTP 404)"},
		{Links, zhBrief, "broken link to /charts/no-such-chart.png (HTTP 404)"},
		{Links, zhBrief, "broken link to /zh/#no-such-anchor"},
		// Served with netlify.toml's Content-Security-Policy, which
		// allows no inline script and no inline style.
		{Browser, zhBrief, "CSP violation: script-src-elem blocked inline"},
		{Browser, zhBrief, "CSP violation: style-src-attr blocked inline"},
		{Browser, zhBrief, "HTTP 404 for /charts/no-such-chart.png"},
		{Browser, zhBrief, "image did not load at 1280px: /charts/no-such-chart.png"},
		{Browser, zhBrief, "accessibility at 1280px (axe critical) image-alt"},
		{Browser, enBrief, "CSS px wide: drawn for a wider screen, its text shrinks (at 390px (DPR 2))"},
		{Structure, enBrief, "its rel=prev link leads to /en/, which is not one of the en briefs"},
		{Structure, enOlder, "its rel=next link leads to " + enBrief + `, whose rel=prev link leads to "/en/", not back here`},
		{Browser, zhBrief, "scrolls sideways at 390px"},
		{Browser, zhBrief, "too wide: svg (1600px)"},
		{Browser, enBrief, "the zh-CN switcher link leads to /zh/, not to the translation " + zhBrief},
		{Browser, enBrief, "the tag link " + firstTag + " leads to /en/, not to a tag page"},
		{Active, zhBrief, "a <script> element"},
		{Feeds, enFeed, "feedparser: not well-formed"},
		{Feeds, enFeed, "rss-parser: does not parse"},
		{Feeds, zhFeed, "feedparser: entry 1 ('" + zhTitle + "') content has a relative URL '/charts/"},
		{Feeds, zhFeed, `rss-parser: entry 1 ("` + zhTitle + `") content has a relative URL "/charts/`},
		{Feeds, zhAtom, "feedparser: entry 1 ('" + zhTitle + "') content is not the full text"},
		{Feeds, zhAtom, `rss-parser: entry 1 ("` + zhTitle + `") has no full content`},
	}
	for _, w := range want {
		found := false
		for _, f := range fails {
			if f.Check == w.check && f.Page == w.page && strings.Contains(f.Problem, w.problem) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s failure on %s saying %q", w.check, w.page, w.problem)
		}
	}
	broken := map[string]bool{zhBrief: true, enBrief: true, enOlder: true, enFeed: true, zhFeed: true, zhAtom: true}
	for _, f := range fails {
		if !broken[f.Page] {
			t.Errorf("failure on a page that was not broken: %s", f)
		}
		if s := f.String(); !strings.HasPrefix(s, f.Page+": ") {
			t.Errorf("%q does not start with the page", s)
		}
	}
	for _, shot := range []string{"zh-home-desktop.png", "zh-brief-phone.png", "en-brief-desktop.png", "en-brief-phone-dark.png",
		"zh-brief-print.pdf", "zh-brief-print-1.png"} {
		if st, err := os.Stat(filepath.Join(dir, "artifacts", shot)); err != nil || st.Size() < 10_000 {
			t.Errorf("screenshot %s: %v", shot, err)
		}
	}
}

// edit replaces the first old in the site file of site path p.
func edit(t *testing.T, site, p, old, new string) {
	t.Helper()
	file := filepath.Join(site, filepath.FromSlash(p))
	if strings.HasSuffix(p, "/") {
		file = filepath.Join(file, "index.html")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", p, old)
	}
	os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
}

// tools skips the test when the clients are missing, unless
// BRIEFS_REQUIRE_TOOLS is set (CI), where it fails.
func tools(t *testing.T) {
	err := needs("java", "node", "/usr/bin/python3", "/usr/bin/chromium",
		"node_modules/vnu-jar/build/dist/vnu.jar", "node_modules/.bin/linkinator",
		"node_modules/rss-parser", "node_modules/playwright-core", "node_modules/axe-core/axe.min.js", "pdftoppm")
	if err == nil {
		_, _, err = run(context.Background(), "", "/usr/bin/python3", "-c", "import feedparser")
	}
	if err != nil {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
			t.Fatal(err)
		}
		t.Skip(err, "(npm ci --prefix internal/sitecheck; apt-get install chromium python3-feedparser default-jre-headless poppler-utils)")
	}
}

func TestKind(t *testing.T) {
	for p, want := range map[string]string{
		"/": "root", "/404.html": "404", "/zh/404.html": "404", "/zh/": "home", "/zh/page/2/": "list",
		"/en/briefs/x/": "brief", "/en/tags/": "tags", "/en/tags/rates/": "tag", "/en/tags/rates/page/2/": "list",
		"/zh/series/weekly/": "series", "/zh/series/weekly/2026-w07/": "issue", "/zh/series/weekly/page/3/": "list",
	} {
		if got := Kind(p); got != want {
			t.Errorf("Kind(%q) = %q, want %q", p, got, want)
		}
	}
	for p, want := range map[string]string{"/": "", "/404.html": "", "/zh/": "zh", "/en/tags/x/": "en", "/zh/404.html": "zh"} {
		if got := Lang(p); got != want {
			t.Errorf("Lang(%q) = %q, want %q", p, got, want)
		}
	}
}
