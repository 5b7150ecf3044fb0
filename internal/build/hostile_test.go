package build

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"briefs/internal/sitecheck"

	"golang.org/x/net/html"
)

// activeContent lists, for every page and feed of a build, what
// check-site's active check finds in it: scripts, event handlers, script
// URLs, embedded content.
func activeContent(res *Result) []string {
	var out []string
	for _, file := range slices.Sorted(func(yield func(string) bool) {
		for f := range res.Files {
			if !yield(f) {
				return
			}
		}
	}) {
		var fails []sitecheck.Failure
		switch {
		case strings.HasSuffix(file, ".html"):
			fails = sitecheck.ActivePage(file, res.Files[file])
		case strings.HasSuffix(file, ".xml"):
			fails = sitecheck.ActiveFeed(file, res.Files[file])
		}
		for _, f := range fails {
			out = append(out, f.Page+": "+f.Problem)
		}
	}
	return out
}

// elements lists the element names and attribute names under n.
func markup(n *html.Node) (elements, attributes []string) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			elements = append(elements, n.Data)
			for _, a := range n.Attr {
				attributes = append(attributes, a.Key)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return elements, attributes
}

// TestHostileBrief builds a brief that holds the payloads of raw HTML
// that reach a page, with hostile names and labels: no page or feed may
// carry any of them, and the markup a brief may use stays.
func TestHostileBrief(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "hostile")))
	if found := activeContent(res); len(found) > 0 {
		t.Errorf("active content in the output:\n%s", strings.Join(found, "\n"))
	}
	const page = "en/briefs/payloads/index.html"
	doc := parse(t, res, page)
	body := find(doc, "div", "class", "body")[0]
	elements, attributes := markup(body)
	for _, el := range []string{"script", "iframe", "object", "embed", "form", "input", "svg", "meta", "base", "style", "img"} {
		if slices.Contains(elements, el) && el != "img" {
			t.Errorf("the body has a <%s> element", el)
		}
	}
	if slices.Contains(attributes, "style") {
		t.Error("the body has a style attribute")
	}
	// The one image left is <img src=x>, its handler gone; the data: one
	// keeps its alt text only, and the Markdown one shows its alt text.
	equal(t, "images", attrs(find(body, "img"), "src"), []string{"x", ""})

	// Names and labels show as the text they are.
	equal(t, "heading", texts(find(body, "h2")), []string{"Names <img src=x onerror=alert('name')>"})
	p := texts(find(body, "p"))
	if !strings.HasPrefix(p[0], `<img src=x onerror=alert('name')> and <a href="javascript:alert('group')">all</a> closed at 2,689.05`) {
		t.Errorf("first paragraph: %q", p[0])
	}
	equal(t, "ranking", texts(find(body, "li")), []string{
		`S&P 500 "<b>" +1.67%`, `<img src=x onerror=alert('name')> -0.41%`,
	})
	equal(t, "tag links", texts(find(doc, "a", "class", "tag")), []string{"#<img src=x onerror=alert('tag')>"})
	if got := text(doc); !strings.Contains(got, "<script>alert('market')</script>") {
		t.Errorf("the market label is not shown as text: %s", got)
	}

	// What a brief may use stays.
	equal(t, "links", attrs(find(body, "a"), "href"), []string{"#source-0", "https://example.org/x", "/en/"})
	equal(t, "external rel", attrs(find(body, "a", "href", "https://example.org/x"), "rel"), []string{"nofollow noopener"})
	equal(t, "kept", texts(slices.Concat(find(body, "abbr", "title", "Relative Strength"), find(body, "kbd"), find(body, "sup"),
		find(body, "mark"), find(body, "summary"), find(body, "th", "class", "align-right"))), []string{"RS", "K", "2", "m", "More", "a"})
	equal(t, "figure", attrs(find(body, "data"), "value"), []string{"2689.05", "0.01666666667", "-0.004055555556"})
	// The script URLs of Markdown links are gone, their text stays.
	for _, want := range []string{"md link, md link 2, javascript:alert('autolink') and md image.", "tab link"} {
		if !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("no paragraph shows %q: %q", want, p)
		}
	}

	// The feeds carry the same body, their titles and descriptions no
	// markup a reader could take for HTML.
	for _, feed := range []string{"en/index.xml", "en/atom.xml"} {
		data := res.Files[feed]
		if !bytes.Contains(data, []byte("2,689.05")) || bytes.Contains(data, []byte("alert('script block')")) {
			t.Errorf("%s does not carry the sanitized body", feed)
		}
	}
}

// TestUnsafeHTML: a site that sets unsafeHTML = true publishes raw HTML as
// written; names and labels are still text.
func TestUnsafeHTML(t *testing.T) {
	t.Parallel()
	fsys := fixture(t, "hostile")
	fsys["site.toml"].Data = append([]byte("unsafeHTML = true\n"), fsys["site.toml"].Data...)
	res := mustRun(t, config(fsys))
	doc := parse(t, res, "en/briefs/payloads/index.html")
	body := find(doc, "div", "class", "body")[0]
	elements, _ := markup(body)
	for _, el := range []string{"script", "iframe", "object", "form", "svg", "base"} {
		if !slices.Contains(elements, el) {
			t.Errorf("unsafeHTML: the body lost its <%s> element", el)
		}
	}
	equal(t, "script links", attrs(find(body, "a", "href", "javascript:alert('js link')"), "href"), []string{"javascript:alert('js link')"})
	equal(t, "heading", texts(find(body, "h2")), []string{"Names <img src=x onerror=alert('name')>"})
	equal(t, "tag links", texts(find(doc, "a", "class", "tag")), []string{"#<img src=x onerror=alert('tag')>"})
	// The check finds what the site chose to publish.
	if found := strings.Join(activeContent(res), "\n"); !strings.Contains(found, "a <script> element") || !strings.Contains(found, "onerror") {
		t.Errorf("the active check misses the raw HTML:\n%s", found)
	}
}

func TestUnsafeHTMLSetting(t *testing.T) {
	t.Parallel()
	for setting, want := range map[string]string{
		`unsafeHTML = "yes"`: "content/site.toml:1:",
		`unsafeHMTL = true`:  `content/site.toml:1:1: unknown key "unsafeHMTL"`,
	} {
		fsys := fixture(t, "hostile")
		fsys["site.toml"].Data = append([]byte(setting+"\n"), fsys["site.toml"].Data...)
		_, err := Run(t.Context(), config(fsys))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: got %v, want an error starting %q", setting, err, want)
		}
	}
}
