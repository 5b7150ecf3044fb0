package build

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"briefs/internal/markdown"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

// TestMarkdownFeatures builds testdata/markdown.txtar with the real
// templates: what goes beyond CommonMark reaches the pages, the lists and
// the feeds, in the page's language.
func TestMarkdownFeatures(t *testing.T) {
	t.Parallel()
	res := mustRun(t, config(fixture(t, "markdown")))
	zh, en := string(res.Files["zh/briefs/features/index.html"]), string(res.Files["en/briefs/features/index.html"])
	for _, c := range []struct {
		page, name, want string
	}{
		{zh, "heading attributes", `<h2 id="outlook" class="wide">展望</h2>`},
		{zh, "alert titled in Chinese", "<div class=\"alert alert-note\" role=\"note\">\n<p class=\"alert-title\">备注</p>\n<p>数据截至收盘，仅供参考。</p>\n</div>"},
		{zh, "definition list", "<dl>\n<dt>市盈率</dt>\n<dd>股价除以每股收益</dd>\n</dl>"},
		{zh, "no typography in Chinese", "罗素2000指数&quot;上涨&quot;，标普500\n<strong>（SPX）</strong>持平 -- 详见下文...\nNvidia's NVDA\n也上涨。"},
		{zh, "highlighted code", `<span class="line hl"><span class="cl">    <span class="k">return</span>`},
		{en, "alert with its own title", "<div class=\"alert alert-warning\" role=\"note\">\n<p class=\"alert-title\">Before the open</p>"},
		{en, "English typography", "Small caps “rose” – the Russell 2000’s\nbest week since ’24… It was"},
		{en, "not in code", `<span class="c1">// it&#39;s &#34;code&#34; -- kept as typed...</span>`},
		{en, "not in inline code", `<code>it's -- code</code>`},
		{en, "shortcode inner text typeset", "<summary>It’s more</summary>"},
		{en, "shortcode inner text typeset", "<p>Inside a shortcode it’s “typeset” – too.</p>"},
		{zh, "alert in a shortcode titled in Chinese", "<p class=\"alert-title\">提示</p>\n<p>提示。</p>"},
	} {
		if !strings.Contains(c.page, c.want) {
			t.Errorf("%s: the page lacks %q", c.name, c.want)
		}
	}
	for _, page := range []string{zh, en} {
		if strings.Contains(page, "more--") || strings.Contains(page, "[!") || strings.Contains(page, "{#") || strings.Contains(page, " style=") {
			t.Errorf("markup left in the page, or an inline style:\n%s", page)
		}
	}
	// The summary is the text before <!--more-->, whole, in lists and feeds.
	for file, want := range map[string]string{
		"zh/index.html": "罗素2000指数&#34;上涨&#34;，标普500 （SPX）持平 -- 详见下文... Nvidia&#39;s NVDA 也上涨。",
		"en/index.html": "Small caps “rose” – the Russell 2000’s best week since ’24… It was broad and led by regional banks. Second paragraph, not in the summary.",
		"en/index.xml":  "<description>Small caps “rose” – the Russell 2000’s best week since ’24… It was broad and led by regional banks. Second paragraph, not in the summary.</description>",
	} {
		if !strings.Contains(string(res.Files[file]), want) {
			t.Errorf("%s lacks the summary %q", file, want)
		}
	}
}

// TestNoGluedWords: no two words that a source line break separates are
// joined on a page. Every Markdown file of the test fixtures is converted
// as its language is, and the golden pages are read against the sources
// they were built from; a pair of words either side of a line break, in
// Latin script, must be apart in what a reader sees.
func TestNoGluedWords(t *testing.T) {
	t.Parallel()
	fixtures, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	conv := markdown.New(markdown.Settings{})
	pairs := 0
	for _, name := range fixtures {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var sources []byte
		for _, f := range ar.Files {
			if !strings.HasSuffix(f.Name, ".md") {
				continue
			}
			body := bodyOf(f.Data)
			sources = append(sources, body...)
			lang := "zh"
			if strings.HasSuffix(f.Name, ".en.md") {
				lang = "en"
			}
			doc, err := conv.Convert(body, markdown.Options{File: f.Name, Lang: lang})
			if err != nil {
				continue // a fixture of a bad brief
			}
			pairs += checkGlued(t, name+": "+f.Name, body, doc.HTML)
		}
		if filepath.Base(name) == "site.txtar" {
			goldens, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
			for _, g := range goldens {
				page, err := os.ReadFile(g)
				if err != nil {
					t.Fatal(err)
				}
				pairs += checkGlued(t, g, sources, string(page))
			}
		}
	}
	if pairs < 5 {
		t.Errorf("only %d line breaks between words checked: the fixtures should wrap paragraphs", pairs)
	}
}

// bodyOf is a Markdown file without its front matter.
func bodyOf(data []byte) []byte {
	if rest, ok := bytes.CutPrefix(data, []byte("---\n")); ok {
		if _, body, ok := bytes.Cut(rest, []byte("\n---\n")); ok {
			return body
		}
	}
	return data
}

var (
	lastWord  = regexp.MustCompile(`([\p{Latin}\p{N}]+)[^\s\p{L}\p{N}]*$`)
	firstWord = regexp.MustCompile(`^[^\s\p{L}\p{N}]*([\p{Latin}\p{N}]+)`)
	// notInParagraph starts a line that is not the continuation of a
	// paragraph: a heading, a list item, a table row, a fence, raw HTML,
	// a definition, a footnote, a setext underline, an alert marker.
	notInParagraph = regexp.MustCompile("^(#|[-*+] |[0-9]+[.)] |\\||```|~~~|<|: |\\[\\^|[=-]+$|\\[!)")
	blockquote     = regexp.MustCompile(`^(\s*>)+\s?`)
)

// checkGlued checks page (HTML) for the words either side of each line
// break inside a paragraph of src written together, and returns how many
// line breaks it checked.
func checkGlued(t *testing.T, where string, src []byte, page string) int {
	t.Helper()
	text := visibleText(page)
	lines := strings.Split(string(src), "\n")
	fenced, n := false, 0
	for i := 0; i+1 < len(lines); i++ {
		a := strings.TrimSpace(blockquote.ReplaceAllString(lines[i], ""))
		b := strings.TrimSpace(blockquote.ReplaceAllString(lines[i+1], ""))
		if strings.HasPrefix(a, "```") || strings.HasPrefix(a, "~~~") {
			fenced = !fenced
		}
		if fenced || a == "" || b == "" || notInParagraph.MatchString(b) || strings.HasPrefix(a, "#") || strings.HasPrefix(a, "|") || strings.HasPrefix(a, "<") {
			continue
		}
		wa, wb := lastWord.FindStringSubmatch(a), firstWord.FindStringSubmatch(b)
		if wa == nil || wb == nil {
			continue
		}
		n++
		glued := regexp.MustCompile(`(^|[^\p{Latin}\p{N}])` + regexp.QuoteMeta(wa[1]) + `[^\s\p{L}\p{N}]*` + regexp.QuoteMeta(wb[1]) + `($|[^\p{Latin}\p{N}])`)
		if m := glued.FindString(text); m != "" && !strings.Contains(string(src), strings.TrimSpace(m)) {
			t.Errorf("%s: %q at the end of a line and %q at the start of the next are glued in the page: %q", where, wa[1], wb[1], m)
		}
	}
	return n
}

// visibleText is the text of an HTML page as a reader sees it, tags taken
// out, and entities read.
func visibleText(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}
