package build

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"briefs/internal/corpus"
	"briefs/internal/diag"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// now is the fixed "today" of the tests: after every fixture brief but the
// future one.
var now = time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)

// fixture loads testdata/<name>.txtar as a content folder.
func fixture(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

// config builds fixture content with the project's real templates and assets.
func config(content fs.FS) Config {
	return Config{
		Content:       content,
		Templates:     os.DirFS("../../templates"),
		Assets:        os.DirFS("../../assets"),
		ContentName:   "content/",
		TemplatesName: "templates/",
		AssetsName:    "assets/",
		Now:           now,
	}
}

func mustRun(t *testing.T, cfg Config) *Result {
	t.Helper()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func parse(t *testing.T, res *Result, file string) *html.Node {
	t.Helper()
	data, ok := res.Files[file]
	if !ok {
		t.Fatalf("no output file %s; have %v", file, slices.Sorted(maps.Keys(res.Files)))
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return doc
}

// find returns the elements named tag whose attributes include every
// key=value pair of attrs ("class" matches one class among several).
func find(n *html.Node, tag string, attrs ...string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && hasAttrs(n, attrs) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func hasAttrs(n *html.Node, attrs []string) bool {
	for i := 0; i+1 < len(attrs); i += 2 {
		v, ok := attr(n, attrs[i])
		if !ok {
			return false
		}
		if attrs[i] == "class" {
			if !slices.Contains(strings.Fields(v), attrs[i+1]) {
				return false
			}
		} else if v != attrs[i+1] {
			return false
		}
	}
	return true
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func texts(ns []*html.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = text(n)
	}
	return out
}

func attrs(ns []*html.Node, key string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i], _ = attr(n, key)
	}
	return out
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestSiteFiles(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "site")))
	var got []string
	for f := range res.Files {
		if !strings.HasPrefix(f, "assets/") {
			got = append(got, f)
		}
	}
	slices.Sort(got)
	want := []string{
		"404.html",
		"en/404.html", "en/atom.xml",
		"en/briefs/rotation/chart.png", "en/briefs/rotation/index.html",
		"en/index.html", "en/index.xml",
		"en/tags/index.html",
		"en/tags/sector_rotation/atom.xml", "en/tags/sector_rotation/index.html", "en/tags/sector_rotation/index.xml",
		"en/tags/small_caps/atom.xml", "en/tags/small_caps/index.html", "en/tags/small_caps/index.xml",
		"index.html", "robots.txt", "sitemap.xml",
		"zh/404.html", "zh/atom.xml",
		"zh/briefs/older/index.html",
		"zh/briefs/rotation/chart.png", "zh/briefs/rotation/index.html",
		"zh/briefs/third/index.html",
		"zh/index.html", "zh/index.xml", "zh/page/2/index.html",
		"zh/tags/index.html",
		"zh/tags/sector_rotation/atom.xml", "zh/tags/sector_rotation/index.html", "zh/tags/sector_rotation/index.xml",
		"zh/tags/small_caps/atom.xml", "zh/tags/small_caps/index.html", "zh/tags/small_caps/index.xml",
		"zh/tags/美联储/atom.xml", "zh/tags/美联储/index.html", "zh/tags/美联储/index.xml",
	}
	equal(t, "output files", got, want)
	if res.Pages["zh"] != 10 || res.Pages["en"] != 6 || res.Feeds != 14 || res.Briefs != 3 {
		t.Errorf("counts: pages %v, feeds %d, briefs %d", res.Pages, res.Feeds, res.Briefs)
	}
	var assets []string
	for f := range res.Files {
		if strings.HasPrefix(f, "assets/") {
			assets = append(assets, f)
		}
	}
	slices.Sort(assets)
	if len(assets) != 2 || !regexp.MustCompile(`^assets/icon\.[0-9a-f]{8}\.svg$`).MatchString(assets[0]) ||
		!regexp.MustCompile(`^assets/site\.[0-9a-f]{8}\.css$`).MatchString(assets[1]) {
		t.Errorf("fingerprinted assets: %v", assets)
	}
}

func TestDraftsAndFuture(t *testing.T) {
	t.Parallel()
	cfg := config(fixture(t, "site"))
	cfg.Drafts, cfg.Future = true, true
	res := mustRun(t, cfg)
	for _, f := range []string{"zh/briefs/draft/index.html", "zh/briefs/future/index.html"} {
		if _, ok := res.Files[f]; !ok {
			t.Errorf("--drafts --future: missing %s", f)
		}
	}
	// Future is relative to today in the site's time zone.
	cfg = config(fixture(t, "site"))
	cfg.Now = time.Date(2026, 3, 1, 0, 30, 0, 0, time.UTC)
	if _, ok := mustRun(t, cfg).Files["zh/briefs/future/index.html"]; !ok {
		t.Error("a brief dated today (UTC site) is not published")
	}
}

// A preview build keeps search engines out of every page, and only then.
func TestNoIndex(t *testing.T) {
	t.Parallel()
	for _, noindex := range []bool{false, true} {
		cfg := config(fixture(t, "site"))
		cfg.NoIndex = noindex
		res := mustRun(t, cfg)
		robots := string(res.Files["robots.txt"])
		if got := strings.Contains(robots, "Disallow: /\n"); got != noindex {
			t.Errorf("NoIndex=%v: robots.txt is %q", noindex, robots)
		}
		pages := 0
		for name := range res.Files {
			if !strings.HasSuffix(name, ".html") || name == "index.html" || strings.HasSuffix(name, "404.html") {
				continue
			}
			pages++
			doc := parse(t, res, name)
			got := attrs(find(doc, "meta", "name", "robots"), "content")
			canonical := find(doc, "link", "rel", "canonical")
			if noindex && (!slices.Equal(got, []string{"noindex"}) || len(canonical) > 0) {
				t.Errorf("NoIndex: %s has robots %q and %d canonical links", name, got, len(canonical))
			}
			if !noindex && (len(got) > 0 || len(canonical) != 1) {
				t.Errorf("published: %s has robots %q and %d canonical links", name, got, len(canonical))
			}
		}
		if pages < 10 {
			t.Errorf("only %d pages checked", pages)
		}
	}
}

func TestBriefPage(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "site")))
	doc := parse(t, res, "zh/briefs/rotation/index.html")

	if got := attrs(find(doc, "html"), "lang"); !slices.Equal(got, []string{"zh-CN"}) {
		t.Errorf("html lang %v", got)
	}
	equal(t, "title", texts(find(doc, "title")), []string{"小盘股跑赢科技股 · 市场简报"})
	equal(t, "h1", texts(find(doc, "h1")), []string{"小盘股跑赢科技股"})
	alts := find(doc, "link", "rel", "alternate")
	var hreflang []string
	for _, a := range alts {
		if h, ok := attr(a, "hreflang"); ok {
			href, _ := attr(a, "href")
			hreflang = append(hreflang, h+" "+href)
		}
	}
	equal(t, "hreflang alternates", hreflang, []string{
		"zh-CN https://example.org/zh/briefs/rotation/",
		"en https://example.org/en/briefs/rotation/",
		"x-default https://example.org/zh/briefs/rotation/",
	})
	sw := find(doc, "span", "class", "lang-switch")
	if len(sw) != 1 {
		t.Fatalf("%d language switchers", len(sw))
	}
	equal(t, "switcher links", attrs(find(sw[0], "a"), "href"), []string{"/en/briefs/rotation/"})
	equal(t, "current language", texts(find(sw[0], "span", "aria-current", "true")), []string{"中文"})

	head := find(doc, "header", "class", "brief-header")[0]
	equal(t, "date", attrs(find(head, "time"), "datetime"), []string{"2026-02-10"})
	equal(t, "date text", texts(find(head, "time")), []string{"2026年2月10日"})
	equal(t, "as-of", texts(find(doc, "p", "class", "asof")), []string{"数据截至 2026年2月9日"})
	equal(t, "market badge", texts(find(doc, "span", "class", "market")), []string{"美股市场"})
	equal(t, "sentiment badge", texts(find(doc, "span", "class", "sentiment-mixed")), []string{"混合"})
	tags := find(doc, "a", "class", "tag")
	equal(t, "tag names", texts(tags), []string{"#板块轮动", "#小盘股"})
	equal(t, "tag links", attrs(tags, "href"), []string{"/zh/tags/sector_rotation/", "/zh/tags/small_caps/"})
	equal(t, "tickers", texts(find(doc, "span", "class", "symbol")), []string{"RTY", "SPX"})

	body := find(doc, "div", "class", "body")[0]
	equal(t, "heading id", attrs(find(body, "h2"), "id"), []string{"综合分析"})
	cites := find(body, "a", "class", "cite")
	equal(t, "citations", attrs(cites, "href"), []string{"#source-0", "#source-1"})
	sources := find(doc, "section", "class", "sources")[0]
	equal(t, "source ids", attrs(find(sources, "li"), "id"), []string{"source-0", "source-1"})
	equal(t, "source texts", texts(find(sources, "li")), []string{"市场数据", "Seeking Alpha"})
	equal(t, "strong", texts(find(body, "strong")), []string{"风险："})
	equal(t, "bundle image", attrs(find(body, "img"), "src"), []string{"/zh/briefs/rotation/chart.png"})
	equal(t, "relative link", attrs(find(body, "a", "href", "/zh/briefs/older/"), "href"), []string{"/zh/briefs/older/"})
	if len(find(body, "table")) != 1 || len(find(body, "div", "class", "footnotes")) != 1 {
		t.Error("table or footnotes missing")
	}
	// A table scrolls in a focusable region of its own, named for screen
	// readers.
	wraps := find(body, "div", "class", "table-wrap")
	if len(wraps) != 1 || len(find(wraps[0], "table")) != 1 {
		t.Errorf("%d table wrappers; want 1 around the table", len(wraps))
	} else {
		equal(t, "table region", []string{attrs(wraps, "role")[0], attrs(wraps, "tabindex")[0], attrs(wraps, "aria-label")[0]}, []string{"region", "0", "表格 1"})
	}
	equal(t, "disclaimer", texts(find(doc, "aside", "class", "disclaimer")), []string{"免责声明 仅供参考，不构成投资建议。"})
}

// TestBriefNav: a brief links to the briefs before and after it in its
// language, to related briefs (shared tags and tickers), and shows its
// author.
func TestBriefNav(t *testing.T) {
	fsys := fixture(t, "site")
	f := fsys["briefs/rotation/index.zh.md"]
	f.Data = bytes.Replace(f.Data, []byte("title: 小盘股跑赢科技股\n"), []byte("title: 小盘股跑赢科技股\nauthor: 王明\n"), 1)
	res := mustRun(t, config(fsys))
	rel := func(doc *html.Node, r string) []string {
		var out []string
		for _, nav := range find(doc, "nav", "class", "brief-nav") {
			out = append(out, attrs(find(nav, "a", "rel", r), "href")...)
		}
		return out
	}
	newest := parse(t, res, "zh/briefs/rotation/index.html")
	equal(t, "newest: previous", rel(newest, "prev"), []string{"/zh/briefs/older/"})
	equal(t, "newest: next", rel(newest, "next"), nil)
	middle := parse(t, res, "zh/briefs/older/index.html")
	equal(t, "middle: previous", rel(middle, "prev"), []string{"/zh/briefs/third/"})
	equal(t, "middle: next", rel(middle, "next"), []string{"/zh/briefs/rotation/"})
	equal(t, "middle: byline", texts(find(middle, "p", "class", "byline")), nil)
	// The English brief has no other English brief to lead to.
	equal(t, "alone in its language", texts(find(parse(t, res, "en/briefs/rotation/index.html"), "nav", "class", "brief-nav")), nil)

	related := find(newest, "section", "class", "related")
	if len(related) != 1 {
		t.Fatalf("%d related sections", len(related))
	}
	// Both share one tag; the nearer in time comes first.
	equal(t, "related", attrs(find(related[0], "a"), "href"), []string{"/zh/briefs/older/", "/zh/briefs/third/"})
	equal(t, "byline", texts(find(newest, "p", "class", "byline")), []string{"作者：王明"})
}

func TestMissingTranslation(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "site")))
	doc := parse(t, res, "zh/briefs/older/index.html")
	sw := find(doc, "span", "class", "lang-switch")[0]
	equal(t, "switcher falls back to the English home", attrs(find(sw, "a"), "href"), []string{"/en/"})
	for _, l := range find(doc, "link", "rel", "alternate") {
		if h, _ := attr(l, "hreflang"); h == "en" {
			t.Error("an en alternate for a brief without an English version")
		}
	}
}

func TestListsAndTags(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "site")))
	home := parse(t, res, "zh/index.html")
	equal(t, "home page 1", texts(find(home, "h2", "class", "card-title")), []string{"小盘股跑赢科技股", "议息会议前瞻"})
	equal(t, "pager next", attrs(find(home, "a", "rel", "next"), "href"), []string{"/zh/page/2/"})
	p2 := parse(t, res, "zh/page/2/index.html")
	equal(t, "home page 2", texts(find(p2, "h2", "class", "card-title")), []string{"第三篇"})
	equal(t, "pager prev", attrs(find(p2, "a", "rel", "prev"), "href"), []string{"/zh/"})
	if len(find(p2, "link", "rel", "canonical")) != 1 {
		t.Error("page 2 has no canonical link")
	}

	tags := parse(t, res, "zh/tags/index.html")
	var got []string
	for _, li := range find(find(tags, "ul", "class", "tag-cloud")[0], "li") {
		got = append(got, text(li))
	}
	equal(t, "tag index with counts", got, []string{"#板块轮动 2", "#小盘股 2", "#美联储 1"})
	equal(t, "escaped tag link", attrs(find(tags, "a", "class", "tag"), "href"),
		[]string{"/zh/tags/sector_rotation/", "/zh/tags/small_caps/", "/zh/tags/%E7%BE%8E%E8%81%94%E5%82%A8/"})

	// Alternates are reciprocal: page 2 exists only in Chinese, a tag only
	// in Chinese has no English alternate, though the switcher leads on.
	for _, f := range []string{"zh/page/2/index.html", "zh/tags/美联储/index.html"} {
		doc := parse(t, res, f)
		var langs []string
		for _, l := range find(doc, "link", "rel", "alternate") {
			if h, ok := attr(l, "hreflang"); ok {
				langs = append(langs, h)
			}
		}
		equal(t, f+" alternates", langs, []string{"zh-CN"})
	}
	fed := parse(t, res, "zh/tags/美联储/index.html")
	equal(t, "fallback switcher", attrs(find(find(fed, "span", "class", "lang-switch")[0], "a"), "href"), []string{"/en/tags/"})

	tag := parse(t, res, "en/tags/sector_rotation/index.html")
	equal(t, "en tag page", texts(find(tag, "h1")), []string{"#Sector rotation"})
	sw := find(tag, "span", "class", "lang-switch")[0]
	equal(t, "tag page switcher", attrs(find(sw, "a"), "href"), []string{"/zh/tags/sector_rotation/"})
	root := parse(t, res, "index.html")
	equal(t, "root links both", attrs(find(root, "a"), "href"), []string{"/zh/", "/en/"})
	equal(t, "root redirect", attrs(find(root, "meta", "http-equiv", "refresh"), "content"), []string{"0; url=/zh/"})
	nf := parse(t, res, "404.html")
	equal(t, "404 noindex", attrs(find(nf, "meta", "name", "robots"), "content"), []string{"noindex"})
}

// TestInternalLinks checks that every root-relative href and src in every
// page points at a file of the build.
func TestInternalLinks(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "site")))
	for file, data := range res.Files {
		if !strings.HasSuffix(file, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range []string{"a", "link", "img", "script"} {
			for _, n := range find(doc, tag) {
				for _, key := range []string{"href", "src"} {
					v, ok := attr(n, key)
					if !ok || !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
						continue
					}
					target, err := url.PathUnescape(strings.TrimPrefix(strings.SplitN(v, "#", 2)[0], "/"))
					if err != nil {
						t.Errorf("%s: bad URL %q: %v", file, v, err)
					}
					if target == "" || strings.HasSuffix(target, "/") {
						target += "index.html"
					}
					if _, ok := res.Files[target]; !ok {
						t.Errorf("%s: <%s %s=%q>: no such file %s", file, tag, key, v, target)
					}
				}
			}
		}
	}
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "site")))
	rss := string(res.Files["zh/index.xml"])
	for _, want := range []string{
		`<atom:link href="https://example.org/zh/index.xml" rel="self" type="application/rss+xml"></atom:link>`,
		`<guid isPermaLink="true">https://example.org/zh/briefs/rotation/</guid>`,
		`<pubDate>Tue, 10 Feb 2026 00:00:00 +0000</pubDate>`,
		`<language>zh-CN</language>`,
		`src="https://example.org/zh/briefs/rotation/chart.png"`,
		`href="https://example.org/zh/briefs/older/"`,
	} {
		if !strings.Contains(rss, want) {
			t.Errorf("zh/index.xml lacks %s", want)
		}
	}
	if strings.Contains(rss, `草稿`) || strings.Contains(rss, `未来`) {
		t.Error("feed carries a draft or future brief")
	}
	sitemap := string(res.Files["sitemap.xml"])
	for _, want := range []string{
		`<loc>https://example.org/zh/briefs/rotation/</loc>`,
		`<xhtml:link rel="alternate" hreflang="en" href="https://example.org/en/briefs/rotation/"></xhtml:link>`,
		`<loc>https://example.org/en/tags/</loc>`,
	} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if strings.Contains(sitemap, "404") {
		t.Error("sitemap lists a 404 page")
	}
	if got := string(res.Files["robots.txt"]); !strings.Contains(got, "Sitemap: https://example.org/sitemap.xml") {
		t.Errorf("robots.txt: %s", got)
	}
}

// TestFeedParser reads every feed of the demo-like fixture with Python's
// feedparser, an independent implementation: no bozo, full content, absolute
// links. CI installs it; elsewhere the test skips unless BRIEFS_REQUIRE_TOOLS
// is set.
func TestFeedParser(t *testing.T) {
	t.Parallel()
	// Debian's python3-feedparser belongs to /usr/bin/python3, which may
	// not be the python3 first on PATH.
	python := ""
	for _, p := range []string{os.Getenv("BRIEFS_PYTHON"), "/usr/bin/python3", "python3"} {
		if p != "" && exec.Command(p, "-c", "import feedparser").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
			t.Fatal("python3-feedparser is required (apt-get install python3-feedparser)")
		}
		t.Skip("python3-feedparser not installed (apt-get install python3-feedparser)")
	}
	dir := t.TempDir()
	cfg := config(fixture(t, "site"))
	cfg.OutDir = filepath.Join(dir, "public")
	mustRun(t, cfg)
	script := `
import sys, glob, feedparser
bad = 0
for f in sorted(glob.glob(sys.argv[1] + "/**/*.xml", recursive=True)):
    if f.endswith("sitemap.xml"):
        continue
    d = feedparser.parse(f)
    if d.bozo:
        print(f, "bozo:", d.bozo_exception); bad += 1; continue
    if not d.entries:
        print(f, "no entries"); bad += 1
    for e in d.entries:
        if not e.link.startswith("https://example.org/"):
            print(f, "relative link", e.link); bad += 1
        body = e.content[0].value if e.get("content") else ""
        if "<h2" not in body and "<p>" not in body:
            print(f, "no full content in", e.link); bad += 1
        if 'src="/' in body or 'href="/' in body or 'href="#' in body:
            print(f, "relative URL in content of", e.link); bad += 1
        if not e.get("published_parsed"):
            print(f, "no parsable date in", e.link); bad += 1
    print("ok", f, len(d.entries), d.version)
sys.exit(1 if bad else 0)
`
	out, err := exec.Command(python, "-c", script, cfg.OutDir).CombinedOutput()
	if err != nil {
		t.Fatalf("feedparser: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "ok "); n != 14 {
		t.Errorf("feedparser read %d feeds, want 14:\n%s", n, out)
	}
}

// TestGolden compares a brief page with testdata/golden/; run with -update
// to accept a deliberate change.
func TestGolden(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "site")))
	for _, f := range []string{"zh/briefs/rotation/index.html", "en/briefs/rotation/index.html", "zh/index.xml"} {
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(f, "/", "_"))
		got := res.Files[f]
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test -update to accept):\n%s", f, golden, firstDiff(string(want), string(got)))
		}
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n want %q\n  got %q", i+1, w, g)
		}
	}
	return ""
}

// TestDeterministic builds twice into two folders and compares the trees
// byte for byte; then rebuilds over a folder holding a stale file.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	trees := make([]map[string]string, 2)
	for i := range trees {
		cfg := config(fixture(t, "site"))
		cfg.OutDir = filepath.Join(dir, fmt.Sprint("public", i))
		mustRun(t, cfg)
		trees[i] = readTree(t, cfg.OutDir)
	}
	if len(trees[0]) < 30 || !maps.Equal(trees[0], trees[1]) {
		t.Fatalf("two builds differ (or are empty): %d vs %d files", len(trees[0]), len(trees[1]))
	}
	// Written to disk file by file, the site is the one built in memory.
	mem := map[string]string{}
	for name, data := range mustRun(t, config(fixture(t, "site"))).Files {
		mem[name] = string(data)
	}
	if !maps.Equal(trees[0], mem) {
		t.Fatalf("the site on disk (%d files) differs from the site built in memory (%d files)", len(trees[0]), len(mem))
	}

	out := filepath.Join(dir, "public0")
	stale := filepath.Join(out, "zh", "briefs", "gone", "index.html")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config(fixture(t, "site"))
	cfg.OutDir = out
	mustRun(t, cfg)
	if got := readTree(t, out); !maps.Equal(got, trees[1]) {
		t.Error("rebuild over a stale tree differs from a clean build")
	}
	// Besides the two outputs, only the site the last build replaced,
	// which the next build removes.
	entries, _ := os.ReadDir(dir)
	var others []string
	for _, e := range entries {
		if e.Name() != "public0" && e.Name() != "public1" {
			others = append(others, e.Name())
		}
	}
	if len(others) > 1 || len(others) == 1 && !strings.HasPrefix(others[0], ".public0-old-") {
		t.Errorf("temporary folders left beside the output: %v", others)
	}
}

func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		tree[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestFailedBuildKeepsOutput: a build with errors leaves the previous site
// untouched.
func TestFailedBuildKeepsOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	cfg := config(fixture(t, "site"))
	cfg.OutDir = out
	mustRun(t, cfg)
	before := readTree(t, out)

	for name, src := range map[string]string{
		"front matter": "---\ntitle: x\ndate: 2026-01-27\ncolour: red\n---\n",
		"render":       "---\ntitle: x\ndate: 2026-01-27\nsources: [{title: a}]\n---\n见[5]。\n",
	} {
		bad := fixture(t, "site")
		bad["briefs/older/index.zh.md"] = &fstest.MapFile{Data: []byte(src)}
		cfg = config(bad)
		cfg.OutDir = out
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Fatalf("%s: no error", name)
		}
		if after := readTree(t, out); !maps.Equal(before, after) {
			t.Errorf("%s: a failed build changed the output", name)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: leftovers beside the output: %v", name, entries)
		}
	}
}

func TestHugoCorpus(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "hugo")))
	doc := parse(t, res, "zh/briefs/first-post/index.html")
	equal(t, "h1", texts(find(doc, "h1")), []string{"第一篇文章", "第一篇"})
	equal(t, "tags", attrs(find(doc, "a", "class", "tag"), "href"), []string{"/blog/zh/tags/market-analysis/", "/blog/zh/tags/ai/"})
	equal(t, "tag names kept", texts(find(doc, "a", "class", "tag")), []string{"#Market Analysis", "#AI"})
	equal(t, "date", attrs(find(doc, "time"), "datetime"), []string{"2024-03-05"})
	equal(t, "image", attrs(find(doc, "img"), "src"), []string{"/blog/zh/briefs/first-post/cover.jpg"})
	if len(find(doc, "table")) != 1 || len(find(doc, "div", "class", "footnotes")) != 1 {
		t.Error("table or footnotes missing")
	}
	en := parse(t, res, "en/briefs/first-post/index.html")
	if !strings.Contains(text(find(en, "div", "class", "body")[0]), "And [a bracket] that is not a link.") {
		t.Error("literal brackets lost")
	}
	if _, ok := res.Files["en/briefs/second-post/index.html"]; ok {
		t.Error("draft published")
	}
	if _, ok := res.Files["blog/zh/index.html"]; ok {
		t.Error("the base path leaked into output paths")
	}
	if !strings.Contains(string(res.Files["zh/index.xml"]), "<description>这是摘要。</description>") {
		t.Error("front matter summary not used in the feed")
	}
	if !strings.Contains(string(res.Files["zh/index.xml"]), `https://hugo.example.com/blog/zh/briefs/first-post/`) {
		t.Error("feed links lack the base path")
	}
}

// TestErrorsTogether: problems in several briefs are all reported, sorted
// by file, each with its line.
func TestErrorsTogether(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "site")
	fsys["briefs/older/index.zh.md"] = &fstest.MapFile{Data: []byte("---\ntitle: x\ndate: 2026-01-27\nsources: [{title: a}]\n---\n\n见[3]。\n")}
	fsys["briefs/third/index.zh.md"] = &fstest.MapFile{Data: []byte("---\ntitle: y\ndate: 2026-01-20\nsources: [{title: a}]\n---\n正文[0]与[1]。\n")}
	_, err := Run(context.Background(), config(fsys))
	got := diag.Flatten(err)
	want := []string{
		"content/briefs/older/index.zh.md:7:2: citation [3] has no source",
		"content/briefs/third/index.zh.md:6:7: citation [1] has no source",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(got), len(want), err)
	}
	for i := range want {
		if !strings.HasPrefix(got[i].Error(), want[i]) {
			t.Errorf("error %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
		var de *diag.Error
		if !errors.As(got[i], &de) {
			t.Errorf("error %d is %T, not *diag.Error", i, got[i])
		}
	}
}

func TestTemplateErrors(t *testing.T) {
	t.Parallel()
	tmpl := fstest.MapFS{}
	if err := fs.WalkDir(os.DirFS("../../templates"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS("../../templates"), p)
		tmpl[p] = &fstest.MapFile{Data: data}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, file, src, want string
	}{
		{"parse error", "brief.html", "{{ define \"main\" }}\n{{ .Brief.Title \n{{ end }}", "templates/brief.html:3: unexpected"},
		{"unknown field", "tags.html", "{{ define \"main\" }}{{ .NoSuchField }}{{ end }}", "templates/tags.html:1:"},
		{"missing message", "list.html", "{{ define \"main\" }}{{ .T \"noSuchMessage\" }}{{ end }}", `no UI string "noSuchMessage"`},
		{"missing page template", "404.html", "", "templates/404.html: missing page template"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := maps.Clone(tmpl)
			if tc.src == "" {
				delete(fsys, tc.file)
			} else {
				fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.src)}
			}
			cfg := config(fixture(t, "site"))
			cfg.Templates = fsys
			_, err := Run(context.Background(), cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// marketData is a small data folder: RTY on four weekdays.
func marketData() fstest.MapFS {
	return fstest.MapFS{
		"tickers.toml": {Data: []byte("note = { zh = \"示例数据\", en = \"Sample data\" }\n[symbols.RTY]\nfile = \"rty.csv\"\nname = { zh = \"罗素2000指数\", en = \"Russell 2000\" }\nkind = \"index\"\n" +
			"[symbols.SPX]\nfile = \"spx.csv\"\nname = { zh = \"标普500指数\", en = \"S&P 500\" }\nkind = \"index\"\n" +
			"[groups.all]\nname = { zh = \"全部\", en = \"All\" }\nmembers = [\"RTY\", \"SPX\"]\n")},
		"rty.csv": {Data: []byte("Date,Close\n2026-02-04,2600\n2026-02-05,2650.5\n2026-02-06,2700\n2026-02-09,2689.05\n2026-02-10,1\n")},
		"spx.csv": {Data: []byte("Date,Close\n2026-02-05,6000\n2026-02-06,6000\n2026-02-09,6000\n")},
	}
}

func TestTickersBox(t *testing.T) {
	t.Parallel()
	cfg := config(fixture(t, "site"))
	cfg.Data, cfg.DataName = marketData(), "data/"
	res := mustRun(t, cfg)
	doc := parse(t, res, "en/briefs/rotation/index.html")
	box := find(doc, "section", "class", "tickers")[0]
	var got []string
	for _, li := range find(box, "li") {
		class, _ := attr(li, "class")
		got = append(got, class+": "+text(li))
	}
	// as of 2026-02-09: the 2026-02-10 row is not seen.
	equal(t, "tickers", got, []string{"ticker down: Russell 2000 RTY 2,689.05 ▼-0.41% 1D", "ticker flat: S&P 500 SPX 6,000.00 0.00% 1D"})
	equal(t, "tickers as of", texts(find(box, "p", "class", "tickers-asof")), []string{"as of February 9, 2026"})
	// Every computed figure of the page is listed with how it was computed.
	figures := find(doc, "details", "class", "figures")
	if len(figures) != 1 {
		t.Fatalf("%d figure sections", len(figures))
	}
	equal(t, "figures heading", texts(find(figures[0], "h2")), []string{"How these figures were computed"})
	equal(t, "figures", texts(find(figures[0], "span", "class", "figure"))[:2], []string{"RTY 2,689.05", "RTY -0.41%"})
	equal(t, "figure provenance", texts(find(figures[0], "span", "class", "method"))[:2], []string{"RTY close 2026-02-09 2689.05", "RTY close 2026-02-06 2700.00 -> 2026-02-09 2689.05"})
	equal(t, "provenance", attrs(find(box, "data"), "title"), []string{
		"RTY close 2026-02-09 2689.05", "RTY close 2026-02-06 2700.00 -> 2026-02-09 2689.05",
		"SPX close 2026-02-09 6000.00", "SPX close 2026-02-06 6000.00 -> 2026-02-09 6000.00",
	})
	equal(t, "machine values", attrs(find(box, "data"), "value")[:2], []string{"2689.05", "-0.004055555555555479"})
	// The data's note shows beside the as-of date and in every footer.
	equal(t, "data note", texts(find(doc, "span", "class", "data-note")), []string{"Sample data"})
	equal(t, "footer note", texts(find(parse(t, res, "zh/index.html"), "p", "class", "data-note")), []string{"示例数据"})
}

// TestSnapshot: the first home page of each language opens with the
// symbols site.toml lists, as of the latest session its briefs report on;
// an unknown symbol is an error at its line.
func TestSnapshot(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "site")
	fsys["site.toml"].Data = append([]byte("snapshot = [\"SPX\", \"RTY\"]\n"), fsys["site.toml"].Data...)
	cfg := config(fsys)
	cfg.Data, cfg.DataName = marketData(), "data/"
	res := mustRun(t, cfg)
	for lang, want := range map[string][]string{
		"en": {"At the close, February 9, 2026", "ticker flat: S&P 500 SPX 6,000.00 0.00% 1D", "ticker down: Russell 2000 RTY 2,689.05 ▼-0.41% 1D"},
		"zh": {"2026年2月9日收盘", "ticker flat: 标普500指数 SPX 6,000.00 0.00% 1日", "ticker down: 罗素2000指数 RTY 2,689.05 ▼-0.41% 1日"},
	} {
		strips := find(parse(t, res, lang+"/index.html"), "section", "class", "snapshot")
		if len(strips) != 1 {
			t.Fatalf("%s home page: %d snapshot strips, want 1", lang, len(strips))
		}
		got := texts(find(strips[0], "p", "class", "tickers-asof"))
		for _, li := range find(strips[0], "li") {
			class, _ := attr(li, "class")
			got = append(got, class+": "+text(li))
		}
		equal(t, lang+" snapshot", got, want)
	}
	if n := len(find(parse(t, res, "zh/page/2/index.html"), "section", "class", "snapshot")); n != 0 {
		t.Errorf("the second home page has %d snapshot strips, want none", n)
	}

	fsys["site.toml"].Data = bytes.Replace(fsys["site.toml"].Data, []byte(`"RTY"]`), []byte(`"RTX"]`), 1)
	_, err := Run(context.Background(), cfg)
	if want := `content/site.toml:1: snapshot: unknown symbol "RTX" (did you mean "RTY"?)`; err == nil || err.Error() != want {
		t.Errorf("unknown snapshot symbol: got %v\nwant %s", err, want)
	}
	_, err = Run(context.Background(), config(fsys))
	if want := `content/site.toml:1: snapshot: this site has no market data`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("snapshot without data: got %v\nwant %s…", err, want)
	}
}

func TestUnknownTicker(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "site")
	fsys["briefs/rotation/index.en.md"].Data = bytes.Replace(fsys["briefs/rotation/index.en.md"].Data, []byte("tickers: [RTY, SPX]"), []byte("tickers: [RTY, RTX]"), 1)
	cfg := config(fsys)
	cfg.Data, cfg.DataName = marketData(), "data/"
	_, err := Run(context.Background(), cfg)
	want := `content/briefs/rotation/index.en.md:8:16: tickers: unknown symbol "RTX" (did you mean "RTY"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestRealData builds a brief against ../shared/data/market and checks the
// figures of the reference note (shared/reference/README.md).
func TestRealData(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "data", "market")
	if _, err := os.Stat(filepath.Join(dir, "tickers.toml")); err != nil {
		t.Skipf("real market data not found at %s: %v", dir, err)
	}
	fsys := fixture(t, "site")
	fsys["briefs/rotation/index.en.md"].Data = bytes.Replace(fsys["briefs/rotation/index.en.md"].Data, []byte("tickers: [RTY, SPX]"), []byte("tickers: [RTY, GLD, SLV]"), 1)
	cfg := config(fsys)
	cfg.Data, cfg.DataName = os.DirFS(dir), dir+"/"
	res := mustRun(t, cfg)
	box := find(parse(t, res, "en/briefs/rotation/index.html"), "section", "class", "tickers")[0]
	equal(t, "tickers as of 2026-02-09", texts(find(box, "span", "class", "close")), []string{"2,689.05", "467.03", "76.04"})
	equal(t, "changes as of 2026-02-09", texts(find(box, "span", "class", "change")), []string{"▲+0.70% 1D", "▲+2.54% 1D", "▲+8.33% 1D"})
}

// TestBodyTemplate: the body's template calls become figures with their
// provenance in the page, and a bad call is reported at its file:line:col.
func TestBodyTemplate(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "site")
	en := fsys["briefs/rotation/index.en.md"]
	en.Data = bytes.Replace(en.Data, []byte("keeps rising [0]"), []byte(`{{ updown (ret "RTY" "1D") }} {{ ret "RTY" "1D" | abs | pct }} to {{ close "RTY" }} [0]`), 1)
	cfg := config(fsys)
	cfg.Data, cfg.DataName = marketData(), "data/"
	res := mustRun(t, cfg)
	p := find(parse(t, res, "en/briefs/rotation/index.html"), "div", "class", "body")[0]
	equal(t, "sentence", []string{text(find(p, "p")[0])}, []string{"The Russell 2000 fell 0.41% to 2,689.05 [0]; risks remain [1]."})
	equal(t, "values", attrs(find(p, "data"), "value"), []string{"0.004055555556", "2689.05"})

	en.Data = bytes.Replace(en.Data, []byte(`{{ close "RTY" }}`), []byte(`{{ close "RYT" }}`), 1)
	_, err := Run(context.Background(), config(fsys))
	want := `content/briefs/rotation/index.en.md:16:29: {{ ret "RTY" "1D" }}: this site has no market data (no tickers.toml in its data directory)`
	if err == nil || err.Error() != want {
		t.Errorf("without data: got %v\nwant %s", err, want)
	}
	_, err = Run(context.Background(), cfg)
	want = `content/briefs/rotation/index.en.md:16:87: {{ close "RYT" }}: unknown symbol "RYT" (did you mean "RTY"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// figuresIn returns the text of each <data> element in the body of the
// brief page file, keyed by its title (the provenance).
func figuresIn(t *testing.T, res *Result, file string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, n := range find(find(parse(t, res, file), "div", "class", "body")[0], "data") {
		title, _ := attr(n, "title")
		out[title] = text(n)
	}
	return out
}

// TestRealDataFigures builds briefs of its own (testdata/realdata.txtar) against
// the real prices in ../shared/data/market and checks their figures against
// the reference note (shared/reference/README.md) in both languages.
func TestRealDataFigures(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "data", "market")
	if _, err := os.Stat(filepath.Join(dir, "tickers.toml")); err != nil {
		t.Skipf("real market data not found at %s: %v", dir, err)
	}
	content := fixture(t, "site")
	for name := range content {
		if strings.HasPrefix(name, "briefs/") {
			delete(content, name)
		}
	}
	maps.Copy(content, fixture(t, "realdata"))
	cfg := config(content)
	cfg.Data, cfg.DataName = os.DirFS(dir), dir+"/"
	res := mustRun(t, cfg)
	for _, lang := range []string{"zh", "en"} {
		// Dated 2026-02-10, as of 2026-02-09.
		got := figuresIn(t, res, lang+"/briefs/small-caps/index.html")
		// How each was computed, said in the page's language.
		for _, f := range []struct{ en, zh, want string }{
			{"RTY close 2026-02-09 2689.05", "RTY 2026-02-09 收盘价 2689.05", "2,689.05"},
			{"RTY mean of 20 closes 2026-01-12 .. 2026-02-09", "RTY 2026-01-12 至 2026-02-09 共 20 个收盘价的均值", "2,655.15"},
			{"RTY mean of 50 closes 2025-11-26 .. 2026-02-09", "RTY 2025-11-26 至 2026-02-09 共 50 个收盘价的均值", "2,580.88"},
			{"GLD close 2026-02-06 455.46 -> 2026-02-09 467.03", "GLD 2026-02-06 收盘价 455.46 → 2026-02-09 467.03", "2.54%"}, // "rose 2.54%"
			{"SLV close 2026-02-06 70.19 -> 2026-02-09 76.04", "SLV 2026-02-06 收盘价 70.19 → 2026-02-09 76.04", "8.33%"},
			{"RTY close 2025-11-07 2432.8201 -> 2026-02-09 2689.05", "RTY 2025-11-07 收盘价 2432.8201 → 2026-02-09 2689.05", "10.53%"},
		} {
			title := map[string]string{"en": f.en, "zh": f.zh}[lang]
			// Signed or, after abs, unsigned: "rose 2.54%".
			if g := strings.TrimPrefix(got[title], "+"); g != strings.TrimPrefix(f.want, "+") {
				t.Errorf("%s: figure %q = %q, want %q", lang, title, got[title], f.want)
			}
		}
		// As of 2026-02-10.
		got = figuresIn(t, res, lang+"/briefs/vix/index.html")
		title := map[string]string{"en": "VIX close 2026-02-10 17.79", "zh": "VIX 2026-02-10 收盘价 17.79"}[lang]
		if v := got[title]; v != "17.79" {
			t.Errorf("%s: %s = %q, want 17.79; figures: %v", lang, title, v, got)
		}
	}
}

// cutData returns a copy of content whose price files under data/ have the
// rows dated after last dropped, and how many were.
func cutData(content fstest.MapFS, last string) (fstest.MapFS, int) {
	out := fstest.MapFS{}
	dateRe := regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})|(\d{2})/(\d{2})/(\d{4})`)
	last = strings.ReplaceAll(last, "-", "")
	dropped := 0
	for p, f := range content {
		if !strings.HasPrefix(p, "data/") || !strings.HasSuffix(p, ".csv") {
			out[p] = &fstest.MapFile{Data: slices.Clone(f.Data)}
			continue
		}
		var kept []string
		for _, line := range strings.SplitAfter(string(f.Data), "\n") {
			if m := dateRe.FindStringSubmatch(line); m != nil {
				day := m[1] + m[2] + m[3]
				if m[1] == "" {
					day = m[6] + m[4] + m[5]
				}
				if day > last {
					dropped++
					continue
				}
			}
			kept = append(kept, line)
		}
		out[p] = &fstest.MapFile{Data: []byte(strings.Join(kept, ""))}
	}
	return out, dropped
}

// asOf returns the asof: date of a brief file.
func asOf(t *testing.T, content fstest.MapFS, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^asof: (\S+)$`).FindSubmatch(content[name].Data)
	if m == nil {
		t.Fatalf("%s has no asof: line", name)
	}
	return string(m[1])
}

// TestPointInTime: the data corpus, without its newest briefs, built from
// the prices cut after its newest remaining as-of date and from the whole
// prices is byte-identical: rows after a brief's as-of date change nothing.
func TestPointInTime(t *testing.T) {
	t.Parallel()
	content := dataSite(t)
	bs := bundles(content)
	for _, b := range bs[:3] {
		for name := range content {
			if strings.HasPrefix(name, "briefs/"+b+"/") {
				delete(content, name)
			}
		}
	}
	last := asOf(t, content, "briefs/"+bs[3]+"/index.en.md")
	full, _ := cutData(content, "9999-12-31")
	cut, dropped := cutData(content, last)
	if dropped < 5*dataCorpus.Symbols {
		t.Fatalf("only %d rows after %s in the data corpus", dropped, last)
	}
	// One chart cache for both (the test binary's): a chart over the same
	// as-of window has the same name, so the second build draws nothing.
	build := func(content fstest.MapFS) *Result {
		cfg := dataConfig(content)
		cfg.CacheDir = sharedCache
		return mustRun(t, cfg)
	}
	a, b := build(cut), build(full)
	if b.ChartsDrawn != 0 {
		t.Errorf("later rows changed %d chart images", b.ChartsDrawn)
	}
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files from the cut data, %d from the whole", len(a.Files), len(b.Files))
	}
	figures := 0
	for name, data := range a.Files {
		if !bytes.Equal(data, b.Files[name]) {
			t.Errorf("%s differs when later rows are added", name)
		}
		figures += bytes.Count(data, []byte("<data value="))
	}
	if want := (len(bs) - 3) * 2 * corpus.MetricCalls; figures < want {
		t.Errorf("only %d figures in the site, want at least %d: is the market data used?", figures, want)
	}
}

// TestBodyErrorPositions: a Markdown error after template actions that
// span lines is reported at its line in the file.
func TestBodyErrorPositions(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "site")
	en := fsys["briefs/rotation/index.en.md"]
	en.Data = bytes.Replace(en.Data, []byte("## Analysis\n"), []byte("## Analysis\n\n{{ range $i := rank \"all\" \"1D\" -}}\n{{ close \"RTY\" }}\n{{ end }}\n"), 1)
	en.Data = bytes.Replace(en.Data, []byte("risks remain [1]"), []byte("risks remain [7]"), 1)
	cfg := config(fsys)
	cfg.Data, cfg.DataName = marketData(), "data/"
	_, err := Run(context.Background(), cfg)
	want := "content/briefs/rotation/index.en.md:20:"
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "[7]") {
		t.Errorf("got %v\nwant %s... [7] ...", err, want)
	}
}

// TestCharts builds the data corpus twice with a chart cache: every
// chart is drawn once in each layout, scheme and scale, each image listed
// in a srcset is its element's width and height times its density, the
// figures carry their data in alt text, and the second build draws
// nothing and gives identical files.
func TestCharts(t *testing.T) {
	t.Parallel()
	cfg := dataConfig(dataSite(t))
	cfg.CacheDir = t.TempDir()
	first := mustRun(t, cfg)
	var pics []*html.Node
	for name := range first.Files {
		if strings.HasSuffix(name, ".html") && strings.Contains(name, "/briefs/") {
			pics = append(pics, find(parse(t, first, name), "picture")...)
		}
	}
	charts := 0
	for _, pic := range pics {
		img := find(pic, "img")
		if len(img) != 1 {
			t.Fatalf("a picture with %d img", len(img))
		}
		src, _ := attr(img[0], "src")
		if !strings.HasPrefix(src, "/charts/") {
			continue
		}
		charts++
		for _, el := range append(find(pic, "source"), img[0]) {
			srcset, _ := attr(el, "srcset")
			w, _ := attr(el, "width")
			h, _ := attr(el, "height")
			for cand := range strings.SplitSeq(srcset, ", ") {
				url, density, _ := strings.Cut(cand, " ")
				got := pngSize(t, first.Files[strings.TrimPrefix(url, "/")])
				n, _ := strconv.Atoi(strings.TrimSuffix(density, "x"))
				if n < 1 || fmt.Sprint(got.X/n) != w || fmt.Sprint(got.Y/n) != h || got.X%n != 0 || got.Y%n != 0 {
					t.Errorf("%s: %v at %s, attributes %sx%s", url, got, density, w, h)
				}
			}
		}
		alt, _ := attr(img[0], "alt")
		if !regexp.MustCompile(`\d[\d,.]*%|\d,\d{3}`).MatchString(alt) {
			t.Errorf("%s: alt %q carries no figure", src, alt)
		}
	}
	// Two layouts, two schemes, two scales.
	if charts < 2*dataCorpus.Briefs*corpus.ChartsPerBrief || first.ChartsDrawn != 8*len(uniqueCharts(first)) {
		t.Errorf("%d chart figures, %d images drawn for %d charts", charts, first.ChartsDrawn, len(uniqueCharts(first)))
	}
	second := mustRun(t, cfg)
	if second.ChartsDrawn != 0 {
		t.Errorf("second build drew %d images", second.ChartsDrawn)
	}
	if len(first.Files) != len(second.Files) {
		t.Fatalf("%d files, then %d", len(first.Files), len(second.Files))
	}
	for name, data := range first.Files {
		if !bytes.Equal(data, second.Files[name]) {
			t.Errorf("%s differs between builds", name)
		}
	}
	// Built to disk with the cache, the published images are the cached
	// files themselves (hard links), readable by all, with the same bytes.
	cfg.OutDir = filepath.Join(t.TempDir(), "public")
	mustRun(t, cfg)
	for name := range uniqueCharts(first) {
		pub, err := os.Stat(filepath.Join(cfg.OutDir, name))
		if err != nil {
			t.Fatal(err)
		}
		cached, err := os.Stat(filepath.Join(cfg.CacheDir, name))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(cfg.OutDir, name))
		if !os.SameFile(pub, cached) || pub.Mode().Perm() != 0o644 || !bytes.Equal(data, first.Files[name]) {
			t.Errorf("%s: published %v (mode %v), not the cached image", name, pub.Name(), pub.Mode())
		}
	}
	cfg.OutDir = ""
	// Without a cache, the images are drawn again, and come out the same.
	cfg.CacheDir = ""
	third := mustRun(t, cfg)
	for name := range uniqueCharts(first) {
		if !bytes.Equal(first.Files[name], third.Files[name]) {
			t.Errorf("%s: a redraw differs", name)
		}
	}
}

func uniqueCharts(res *Result) map[string]bool {
	out := map[string]bool{}
	for name := range res.Files {
		if strings.HasPrefix(name, "charts/") && strings.HasSuffix(name, ".png") && !strings.ContainsAny(name, "@-") {
			out[name] = true
		}
	}
	return out
}

func pngSize(t *testing.T, data []byte) image.Point {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	return image.Point{cfg.Width, cfg.Height}
}

// TestChartErrors: every bad spec or unusable data is a build error at the
// chart block's line in the brief, never a hang or a panic.
func TestChartErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ spec, want string }{
		{"type: pie\nsymbols: [RTY]\nperiod: 3D", `:17:1: chart: unknown type "pie": expected one of line, rebased, bar, drawdown, volatility`},
		{"symbols: [RTY]\nperiod: 3D", `:17:1: chart: missing type: expected one of`},
		{"type: line\nsymbols: [RTX]\nperiod: 3D", `:18:1: chart: unknown symbol "RTX" (did you mean "RTY"?)`},
		{"type: line\nsymbols: [RTY]\nperiod: 1M", `:19:1: chart: RTY: 1M before 2026-02-09 needs a close on or before 2026-01-09; the data starts 2026-02-04`},
		{"type: line\nsymbols: [RTY]\nperiod: 3D\noverlays: [sma20]", `:20:1: chart: RTY: sma20 needs 19 closes before the window's first day 2026-02-04; the data has 0`},
		{"type: line\nsymbols: [RTY]\nperiod: 3D\noverlays: [wma5]", `:20:1: chart: overlay "wma5": expected smaN or emaN`},
		{"type: bar\ngroup: all\nperiod: 1M", `:17:1: chart: rank all 1M: no member has data for the period as of 2026-02-09: `},
		{"type: bar\ngroup: nope\nperiod: 1D", `:18:1: chart: unknown group "nope"`},
		{"type: volatility\nsymbols: [RTY]\nperiod: 2D\nwindow: 3", `:20:1: chart: RTY: a 3-day volatility needs 3 closes before the window's first day 2026-02-05; the data has 1`},
		{"type: volatility\nsymbols: [RTY]\nperiod: 2D\nwindow: 1", `:20:1: volatility chart: window 1: expected 2 to 252 days`},
		{"type: line\nsymbols: [RTY]\nperiod: 3D\ncolour: red", `:20:1: chart: unknown key "colour": expected type, symbols, group, period, periods, overlays, window, title, lines, marks, bands, labels, highlight, quadrants, height, aspect`},
		{"type: line\nsymbols: [RTY\nperiod: 3D", `:17:1: chart: did not find expected ',' or ']'`},
		{"type: line\nsymbols: [RTY]\nperiod: 3Q", `:19:1: chart: period "3Q": expected N followed by D, W, M or Y`},
		{"type: drawdwn\nsymbols: [RTY]\nperiod: 3D", `:17:1: chart: unknown type "drawdwn" (did you mean "drawdown"?)`},
		{"type: line\nsymbol: [RTY]\nperiod: 3D", `:18:1: chart: unknown key "symbol" (did you mean "symbols"?)`},
		{"type: drawdown\ngroup: all\nperiod: 3D", `:18:1: drawdown chart: group: is for bar, scatter, heatmap, multiples, table charts; list symbols: instead`},
		{"", `:17:1: chart: expected a mapping with at least type:, symbols: and period:`},
		{"just text", `:17:1: chart: expected a mapping`},
	} {
		fsys := fixture(t, "site")
		en := fsys["briefs/rotation/index.en.md"]
		en.Data = bytes.Replace(en.Data, []byte("## Analysis\n"), []byte("## Analysis\n\n```chart\n"+c.spec+"\n```\n"), 1)
		cfg := config(fsys)
		cfg.Data, cfg.DataName = marketData(), "data/"
		done := make(chan error, 1)
		go func() {
			_, err := Run(context.Background(), cfg)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "content/briefs/rotation/index.en.md"+c.want) {
				t.Errorf("spec %q:\n got %v\nwant ...%s", c.spec, err, c.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("spec %q: no answer after 20s", c.spec)
		}
	}
}

// BenchmarkCharts builds the data corpus (18 charts, 36 images) with
// every chart drawn (cold) and with all of them in the cache, and reports
// chart images per second of the build.
func BenchmarkCharts(b *testing.B) {
	content := dataSite(b)
	for _, mode := range []string{"cold", "cached"} {
		b.Run(mode, func(b *testing.B) {
			cfg := dataConfig(content)
			if mode == "cached" {
				cfg.CacheDir = b.TempDir()
				if _, err := Run(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
			}
			images := 0
			for b.Loop() {
				res, err := Run(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				images = len(uniqueCharts(res)) * 2
			}
			b.ReportMetric(float64(images)*float64(b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}

// templatesWith is the project's templates with more files.
func templatesWith(t *testing.T, extra map[string]string) fs.FS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("../../templates"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS("../../templates"), p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range extra {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// TestHugoKeys builds Hugo content: Hugo's page keys where they mean
// something here, shortcodes, and warnings for what is left out.
func TestHugoKeys(t *testing.T) {
	t.Parallel()
	cfg := config(fixture(t, "hugo-keys"))
	cfg.Templates = templatesWith(t, map[string]string{"shortcodes/note.html": `<aside class="note">{{ .Inner | markdownify }}</aside>`})
	res := mustRun(t, cfg)
	doc := parse(t, res, "en/briefs/first/index.html")
	equal(t, "description", attrs(find(doc, "meta", "name", "description"), "content"), []string{"The first page, described."})
	equal(t, "keywords", attrs(find(doc, "meta", "name", "keywords"), "content"), []string{"go, hugo"})
	equal(t, "og:image", attrs(find(doc, "meta", "property", "og:image"), "content"),
		[]string{"https://example.org/cover.png", "https://cdn.example.org/x.png"})
	equal(t, "updated", texts(find(doc, "p", "class", "updated")), []string{"Updated February 12, 2026"})
	equal(t, "byline", texts(find(doc, "p", "class", "byline")), []string{"By Ada, Grace"})
	equal(t, "tags", texts(find(doc, "a", "class", "tag")), []string{"#Guides", "#Intro"})
	body := find(doc, "div", "class", "body")[0]
	equal(t, "relref", attrs(find(body, "a"), "href")[:1], []string{"/en/briefs/second/"})
	equal(t, "figure", attrs(find(body, "img"), "src"), []string{"https://example.org/a.png"})
	equal(t, "caption", texts(find(body, "figcaption")), []string{"A caption"})
	equal(t, "site shortcode", texts(find(body, "aside", "class", "note")), []string{"Be careful."})
	equal(t, "embed", attrs(find(body, "a", "class", "embed-youtube"), "href"), []string{"https://www.youtube.com/watch?v=hjD9jTi_DQ4"})
	second := parse(t, res, "en/briefs/second/index.html")
	equal(t, "details", texts(find(second, "summary")), []string{"More"})

	// Same date: the lighter weight first.
	home := parse(t, res, "en/index.html")
	var titles []string
	for _, a := range find(home, "a") {
		if href, _ := attr(a, "href"); strings.HasPrefix(href, "/en/briefs/") {
			titles = append(titles, text(a))
		}
	}
	if i, j := slices.Index(titles, "Second"), slices.Index(titles, "First"); i < 0 || j < 0 || i > j {
		t.Errorf("home lists %v: want Second (weight 1) before First (weight 2)", titles)
	}
	for _, gone := range []string{"en/briefs/gone/index.html", "en/briefs/later/index.html"} {
		if _, ok := res.Files[gone]; ok {
			t.Errorf("%s published: expired or published later", gone)
		}
	}

	// Aliases: a page beside the brief and one under the language, both
	// sent on by _redirects.
	for _, p := range []string{"en/briefs/old-first/index.html", "en/2019/first.html"} {
		if !strings.Contains(string(res.Files[p]), `<meta http-equiv="refresh" content="0; url=https://example.org/en/briefs/first/">`) {
			t.Errorf("%s: no redirect to the brief:\n%s", p, res.Files[p])
		}
	}
	if got, want := string(res.Files["_redirects"]), "/en/2019/first.html /en/briefs/first/ 301!\n/en/briefs/old-first/ /en/briefs/first/ 301!\n"; !strings.HasSuffix(got, want) {
		t.Errorf("_redirects:\n%s\nwant it to end with:\n%s", got, want)
	}
	sitemap := string(res.Files["sitemap.xml"])
	if !strings.Contains(sitemap, "<loc>https://example.org/en/briefs/first/</loc>\n    <lastmod>2026-02-12</lastmod>") {
		t.Errorf("sitemap: no lastmod 2026-02-12 for first:\n%s", sitemap)
	}
	atom := string(res.Files["en/atom.xml"])
	if !strings.Contains(atom, "<updated>2026-02-12T00:00:00Z</updated>") || !strings.Contains(atom, "<published>2026-02-10T09:30:00-05:00</published>") {
		t.Errorf("atom: want first published at its time and updated on its lastmod:\n%s", atom)
	}

	var warns []string
	for _, w := range res.Warnings {
		warns = append(warns, w.Error())
	}
	equal(t, "warnings", warns, []string{
		"content/briefs/posts/_index.md: left out: a Hugo section page, and the site has no section pages; move its text into a brief (a folder with index.md, or a page name.md), or delete it",
		`content/briefs/posts/first.fr.md: left out: the site has no language "fr" (it has en, zh): add [languages.fr] to site.toml to publish this page`,
		"content/briefs/posts/second.md:11:1: left out: math.inline is an inline shortcode with template actions, and the site runs no template written in a page: put it in templates/shortcodes/math.html to use it",
	})
}

// TestShortcodeErrors: a shortcode without a template fails the build at
// its line and column, and a template error after shortcodes that span
// lines points at the source's line.
func TestShortcodeErrors(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "hugo-keys")
	fsys["briefs/posts/second.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Second\ndate: 2026-02-10\n---\n" +
		"{{< highlight go >}}\na\nb\n{{< /highlight >}}\n\nA {{< param title >}} {{ nosuch }}\n\nand {{< collapse >}}x{{< /collapse >}}\n")}
	_, err := Run(context.Background(), config(fsys))
	got := fmt.Sprint(diag.Flatten(err))
	for _, want := range []string{
		`content/briefs/posts/first.md:19:1: unknown shortcode "note"`,
		`content/briefs/posts/second.md:12:5: unknown shortcode "collapse": a Hugo shortcode needs its template here: add templates/shortcodes/collapse.html`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("got %s\nwant it to contain %s", got, want)
		}
	}
	fsys["briefs/posts/second.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Second\ndate: 2026-02-10\n---\n" +
		"{{< highlight go >}}\na\nb\n{{< /highlight >}}\n\nA {{< param title >}} {{ nosuch }}\n")}
	cfg := config(fsys)
	cfg.Templates = templatesWith(t, map[string]string{"shortcodes/note.html": `{{ .Inner }}`})
	_, err = Run(context.Background(), cfg)
	if want := `content/briefs/posts/second.md:10:`; err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("got %v\nwant an error at %s... about nosuch", err, want)
	}
}
