package markdown

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestConvert(t *testing.T) {
	c := New(Settings{})
	tests := []struct {
		name string
		src  string
		opt  Options
		want []string // substrings of the HTML, in order
		not  []string // substrings that must not appear
	}{
		{name: "chinese heading id", src: "## 市场波动率格局\n\n### 科技板块：表现恶化\n",
			want: []string{`<h2 id="市场波动率格局">市场波动率格局</h2>`, `<h3 id="科技板块表现恶化">`}},
		{name: "mixed heading id", src: "## Russell 2000 与纳指\n", want: []string{`<h2 id="russell-2000-与纳指">`}},
		{name: "repeated ids", src: "## 摘要\n\n## 摘要\n\n## 摘要\n", want: []string{`id="摘要"`, `id="摘要-1"`, `id="摘要-2"`}},
		{name: "reserved ids", src: "## Source 0\n\n## Main\n", opt: Options{Sources: []string{"a"}},
			want: []string{`<h2 id="source-0-1">`, `<h2 id="main-1">`}},
		{name: "heading attributes", src: "## Outlook {#outlook-2026 .wide}\n\n## Outlook\n\nSetext {#setext}\n===\n",
			want: []string{`<h2 id="outlook-2026" class="wide">Outlook</h2>`, `<h2 id="outlook">Outlook</h2>`, `<h1 id="setext">Setext</h1>`}},
		{name: "own id taken first", src: "## 展望 {#综合}\n\n## 综合\n", want: []string{`<h2 id="综合">展望</h2>`, `<h2 id="综合-1">综合</h2>`}},
		{name: "braces in heading text", src: "## a {b} c\n\n## {not attrs\n", want: []string{`<h2 id="a-b-c">a {b} c</h2>`, `<h2 id="not-attrs">{not attrs</h2>`}},
		{name: "definition list", src: "市盈率\n: 股价除以\n每股收益\n\nP/E\n: Price over\nearnings\n: Also *multiple*\n",
			want: []string{"<dl>\n<dt>市盈率</dt>\n<dd>股价除以每股收益</dd>\n<dt>P/E</dt>\n<dd>Price over\nearnings</dd>\n<dd>Also <em>multiple</em></dd>\n</dl>"}},
		{name: "symbols only", src: "## ???\n", want: []string{`<h2 id="heading">`}},
		{name: "id from text, not tags", src: "## RTY <data value=\"0.01\" title=\"RTY close\">+1.00%</data> today\n", want: []string{`<h2 id="rty-100-today">`}},
		{name: "citations", src: "涨幅 8.81%[0],据 Seeking Alpha[1]。\n", opt: Options{Sources: []string{"Market data", `Seeking "Alpha"`}},
			want: []string{`8.81%<a class="cite" href="#source-0" title="Market data">[0]</a>`, `<a class="cite" href="#source-1" title="Seeking &quot;Alpha&quot;">[1]</a>`}},
		{name: "no sources keeps brackets", src: "see [0] and [1]\n", want: []string{`<p>see [0] and [1]</p>`}, not: []string{"cite"}},
		{name: "links win over citations", src: "[0](https://x.org/) and [1][r]\n\n[r]: https://r.org/\n", opt: Options{Sources: []string{"a", "b"}},
			want: []string{`<a href="https://x.org/">0</a>`, `<a href="https://r.org/">1</a>`}, not: []string{"cite"}},
		{name: "defined reference wins", src: "see [0]\n\n[0]: https://zero.org/\n", opt: Options{Sources: []string{"a"}},
			want: []string{`<a href="https://zero.org/">0</a>`}, not: []string{"cite"}},
		{name: "not a citation", src: "[a] [12345] [ 1]\n", opt: Options{Sources: []string{"a"}}, want: []string{"[a] [12345] [ 1]"}, not: []string{"cite"}},
		{name: "table", src: "| 板块 | 涨跌 |\n|---|--:|\n| 能源 | +1.2% |\n",
			want: []string{"<table>", "<th>板块</th>", `<th class="align-right">涨跌</th>`, `<td class="align-right">+1.2%</td>`}},
		{name: "tables scroll in named regions", src: "| a |\n|---|\n| 1 |\n\n> | b |\n> |---|\n> | 2 |\n", opt: Options{TableLabel: "表格"},
			want: []string{`<div class="table-wrap" role="region" tabindex="0" aria-label="表格 1">` + "\n<table>", "</table>\n</div>", `aria-label="表格 2">`}},
		{name: "table label default", src: "| a |\n|---|\n| 1 |\n", want: []string{`aria-label="Table 1"`}},
		{name: "footnote", src: "正文[^1]\n\n[^1]: 注释\n", want: []string{`<sup id="fnref:1">`, `<div class="footnotes" role="doc-endnotes">`, "注释"}},
		{name: "cjk line break", src: "第一行\n第二行\n", want: []string{"<p>第一行第二行</p>"}},
		{name: "latin line break kept", src: "first\nsecond\n", want: []string{"<p>first\nsecond</p>"}},
		{name: "cjk emphasis", src: "**风险：**若科技股\n", want: []string{"<strong>风险：</strong>若科技股"}},
		{name: "cjk emphasis open", src: "若**「引用」**的\n", want: []string{"若<strong>「引用」</strong>的"}},
		{name: "cjk italic", src: "这是*强调*。\n", want: []string{"这是<em>强调</em>。"}},
		{name: "cjk emphasis after a digit", src: "标普500**（SPX）**上涨\n", want: []string{"标普500<strong>（SPX）</strong>上涨"}},
		{name: "cjk emphasis after a letter", src: "NVDA**「强于大市」**评级\n", want: []string{"NVDA<strong>「强于大市」</strong>评级"}},
		{name: "latin emphasis unchanged", src: "**Risks:** if a*b*c and snake_case_word\n", want: []string{"<strong>Risks:</strong> if a<em>b</em>c and snake_case_word"}},
		{name: "intraword underscore unchanged", src: "foo_bar_ 中_文_字\n", want: []string{"foo_bar_"}},
		{name: "relative links resolve", src: "![c](chart.png) [x](../other/) [y](/abs/) [z](#frag) [w](https://e.org/a)\n", opt: Options{PageURL: "/zh/briefs/a/"},
			want: []string{`src="/zh/briefs/a/chart.png"`, `href="/zh/briefs/other/"`, `href="/abs/"`, `href="#frag"`, `href="https://e.org/a"`}},
		{name: "raw html passes", src: `收盘 <data value="2689.05">2,689.05</data>` + "\n", want: []string{`<data value="2689.05">2,689.05</data>`}},
		{name: "strikethrough and autolink", src: "~~old~~ https://example.org\n", want: []string{"<del>old</del>", `<a href="https://example.org">`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := c.Convert([]byte(tt.src), tt.opt)
			if err != nil {
				t.Fatalf("Convert(%q): %v", tt.src, err)
			}
			got := doc.HTML
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("Convert(%q):\n got %s\nwant it to contain %q (in order)", tt.src, got, w)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Convert(%q):\n got %s\nmust not contain %q", tt.src, got, n)
				}
			}
		})
	}
}

func TestCitationOutOfRange(t *testing.T) {
	src := "第一段[0]。\n\n## 标题\n\n数据显示[0]上涨,另见[3]与[7]。\n"
	_, err := New(Settings{}).Convert([]byte(src), Options{File: "content/briefs/a/index.zh.md", Line: 10, Sources: []string{"a", "b"}})
	if err == nil {
		t.Fatal("no error for citations [3] and [7] with 2 sources")
	}
	want := "content/briefs/a/index.zh.md:14:13: citation [3] has no source: the front matter lists 2 (expected [0] to [1])\n" +
		"content/briefs/a/index.zh.md:14:17: citation [7] has no source: the front matter lists 2 (expected [0] to [1])"
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
}

func TestHeadingAttributeErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"## A {style=\"color:red\"}\n", `f.md:3:4: heading attribute "style" is not supported: a heading takes {#id}, {.class}, lang, dir, title and data-* (inline styles are blocked by the site's Content-Security-Policy; use a class)`},
		{"## A {onclick=\"x()\"}\n", `f.md:3:4: heading attribute "onclick" is not supported`},
		{"## A {#main}\n", `f.md:3:4: heading id "main" is already used on this page (by an earlier heading, a source or the layout): give this heading another {#id}`},
		{"## A\n\n## B {#a}\n", `f.md:5:4: heading id "a" is already used on this page`},
		{"## A {#source-0}\n", `f.md:3:4: heading id "source-0" is already used`},
		{"## A {data-n=1}\n", `f.md:3:4: heading attribute data-n has a value that is not a string: quote it (data-n="...")`},
	}
	for _, tt := range tests {
		_, err := New(Settings{}).Convert([]byte(tt.src), Options{File: "f.md", Line: 3, Sources: []string{"s"}})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Convert(%q):\n got %v\nwant %s", tt.src, err, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	src := "## 标题\n\n罗素2000指数**上涨**[0],见 [链接](https://x.org) 与 `code`。\n第二行\n\n第二段\n"
	doc, err := New(Settings{}).Convert([]byte(src), Options{Sources: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "罗素2000指数上涨,见 链接 与 code。第二行"; doc.Summary != want {
		t.Errorf("summary %q, want %q", doc.Summary, want)
	}
}

func TestSummaryDivider(t *testing.T) {
	tests := []struct {
		name, src   string
		unsafe      bool
		summary     string
		divided     bool
		html, notIn string
	}{
		{name: "block", src: "第一段[0]。\n\n## 标题\n\n- 要点一\n- 要点二\n\n<!--more-->\n\n正文\n",
			summary: "第一段。 标题 要点一 要点二", divided: true, html: "</ul>\n<p>正文</p>\n", notIn: "more"},
		{name: "kept out of the page when raw HTML is allowed", src: "Lead.\n\n<!--more-->\n\nRest.\n", unsafe: true,
			summary: "Lead.", divided: true, html: "<p>Lead.</p>\n<p>Rest.</p>\n", notIn: "more"},
		{name: "inline", src: "Lead sentence. <!--more-->Rest of it.\n", unsafe: true,
			summary: "Lead sentence.", divided: true, html: "<p>Lead sentence. Rest of it.</p>\n", notIn: "more"},
		{name: "in a paragraph's second line", src: "Lead\nsentence.\n<!--more-->\nRest.\n",
			summary: "Lead sentence.", divided: true, html: "<p>Lead\nsentence.</p>\n<p>Rest.</p>\n", notIn: "more"},
		{name: "none", src: "First.\n\nSecond.\n", summary: "First.", html: "<p>First.</p>"},
		{name: "in code it is code", src: "First.\n\n```html\n<!--more-->\n```\n", summary: "First.", html: "more"},
		{name: "with spaces it is a comment", src: "First.\n\n<!-- more -->\n\nSecond.\n", unsafe: true, summary: "First.", html: "<!-- more -->"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := New(Settings{UnsafeHTML: tt.unsafe}).Convert([]byte(tt.src), Options{Sources: []string{"s"}})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Summary != tt.summary || doc.Divided != tt.divided {
				t.Errorf("Convert(%q): summary %q, divided %v; want %q, %v", tt.src, doc.Summary, doc.Divided, tt.summary, tt.divided)
			}
			if !strings.Contains(doc.HTML, tt.html) || (tt.notIn != "" && strings.Contains(doc.HTML, tt.notIn)) {
				t.Errorf("Convert(%q):\n%s\nwant it to contain %q and not %q", tt.src, doc.HTML, tt.html, tt.notIn)
			}
		})
	}
}

func TestTypographer(t *testing.T) {
	c := New(Settings{})
	tests := []struct{ lang, src, want string }{
		{"en", `"Quoted" and 'single'; it's S&P's, AT&T's and the S&P 500's`, `<p>“Quoted” and ‘single’; it’s S&amp;P’s, AT&amp;T’s and the S&amp;P 500’s</p>`},
		{"en", "2024--2025 -- a range; a break --- here... and <<this>>", "<p>2024–2025 – a range; a break — here… and «this»</p>"},
		{"en", "FY'24, Q3 '24, the '90s, 5'10\" and 1'000'000", "<p>FY’24, Q3 ’24, the ’90s, 5'10&quot; and 1'000'000</p>"},
		{"en-GB", "it's", "<p>it’s</p>"},
		{"en", "`it's \"code\" -- ...` and [it's](https://x.org/a--b \"it's\") https://x.org/a--b", `<p><code>it's &quot;code&quot; -- ...</code> and <a href="https://x.org/a--b" title="it's">it’s</a> <a href="https://x.org/a--b">https://x.org/a--b</a></p>`},
		{"en", "```\n\"x\" -- ...\n```", "<pre><code>&quot;x&quot; -- ...\n</code></pre>"},
		{"en", "## Don't panic", `<h2 id="dont-panic">Don’t panic</h2>`},
		{"en", "他说：“好”……——《新》", "<p>他说：“好”……——《新》</p>"},
		{"zh", `"Quoted" it's -- ... FY'24`, "<p>&quot;Quoted&quot; it's -- ... FY'24</p>"},
		{"", "it's -- ...", "<p>it's -- ...</p>"},
	}
	for _, tt := range tests {
		doc, err := c.Convert([]byte(tt.src+"\n"), Options{Lang: tt.lang})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(doc.HTML); got != tt.want {
			t.Errorf("Convert(%q) in %q:\n got %s\nwant %s", tt.src, tt.lang, got, tt.want)
		}
	}
	// A summary reads the same as the page.
	doc, err := c.Convert([]byte("It's up -- 5%...\n"), Options{Lang: "en"})
	if err != nil || doc.Summary != "It’s up – 5%…" {
		t.Errorf("summary %q, %v", doc.Summary, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := New(Settings{})
	done := make(chan string)
	for i := range 8 {
		go func() {
			doc, err := c.Convert([]byte("## 标题\n\n## 标题\n\n正文[0]\n"), Options{Sources: []string{"s"}, PageURL: "/x/"})
			if err != nil {
				done <- err.Error()
				return
			}
			_ = i
			done <- doc.HTML
		}()
	}
	first := <-done
	for range 7 {
		if got := <-done; got != first {
			t.Errorf("concurrent conversions differ:\n%s\n%s", first, got)
		}
	}
}

type lineErr struct {
	line int
	msg  string
}

func (e lineErr) Error() string { return e.msg }
func (e lineErr) Line() int     { return e.line }

func TestChartBlocks(t *testing.T) {
	c := New(Settings{})
	var specs []string
	opt := Options{File: "b.md", Line: 10, Chart: func(spec []byte) (string, error) {
		specs = append(specs, string(spec))
		if bytes.Contains(spec, []byte("bad")) {
			return "", lineErr{2, "chart: bad thing"}
		}
		return `<figure class="chart"><img src="x.png" alt="a"></figure>`, nil
	}}
	src := "Intro\n\n```chart\ntype: line\nperiod: 3M\n```\n\n- item\n\n  ```chart\n  type: bar\n  ```\n\n```go\nchart\n```\n"
	doc, err := c.Convert([]byte(src), opt)
	if err != nil {
		t.Fatal(err)
	}
	html := doc.HTML
	if strings.Count(html, `<figure class="chart">`) != 2 || strings.Contains(html, "language-chart") || !strings.Contains(html, `<code class="language-go" data-lang="go">`) {
		t.Errorf("html:\n%s", html)
	}
	if len(specs) != 2 || specs[0] != "type: line\nperiod: 3M\n" || specs[1] != "type: bar\n" {
		t.Errorf("specs %q", specs)
	}
	// An error is placed at its line of the spec: line 2 inside the fence
	// on file line 10+4.
	_, err = c.Convert([]byte("Intro\n\n```chart\ntype: line\nbad: yes\n```\n"), opt)
	if err == nil || err.Error() != "b.md:14:1: chart: bad thing" {
		t.Errorf("got %v", err)
	}
	opt.Chart = nil
	_, err = c.Convert([]byte("```chart\ntype: line\n```\n"), opt)
	if err == nil || err.Error() != "b.md:11:1: chart blocks need market data: this site has none" {
		t.Errorf("without charts: %v", err)
	}
}

// A line break joins two East Asian characters without a space, and is a
// space everywhere else: English words are never glued, whatever follows.
func TestLineBreaks(t *testing.T) {
	tests := []struct{ src, want string }{
		{"上涨\n下跌", "<p>上涨下跌</p>"},
		{"上涨。\n下跌", "<p>上涨。下跌</p>"},
		{"上涨\n**下跌**", "<p>上涨<strong>下跌</strong></p>"},
		{"I wrote this post.\nIt has", "<p>I wrote this post.\nIt has</p>"},
		{"Read the\n[docs](https://x.org/)", "<p>Read the\n<a href=\"https://x.org/\">docs</a></p>"},
		{"syn.\n*Asclepias*", "<p>syn.\n<em>Asclepias</em></p>"},
		{"标普500\nrose", "<p>标普500\nrose</p>"},
		{"上涨\nETF", "<p>上涨\nETF</p>"},
		{"ETF\n上涨", "<p>ETF\n上涨</p>"},
		{`a\ b`, `<p>a\ b</p>`},
	}
	c := New(Settings{})
	for _, tt := range tests {
		doc, err := c.Convert([]byte(tt.src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(doc.HTML); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

// Relative destinations are resolved against the page after their escapes
// are read: "\(" is "(", never "%5C%28".
func TestResolveEscapes(t *testing.T) {
	tests := []struct{ src, want string }{
		{`[a](\(foo\))`, `<p><a href="/zh/briefs/x/(foo)">a</a></p>`},
		{`[a](foo\)\:)`, `<p><a href="/zh/briefs/x/foo):">a</a></p>`},
		{`[a](<b)c>)`, `<p><a href="/zh/briefs/x/b)c">a</a></p>`},
		{`[a](f&ouml;&#246;)`, `<p><a href="/zh/briefs/x/f%C3%B6%C3%B6">a</a></p>`},
		{`[a](../y/?q=1#f)`, `<p><a href="/zh/briefs/y/?q=1#f">a</a></p>`},
		{`[a](foo\bar)`, `<p><a href="/zh/briefs/x/foo%5Cbar">a</a></p>`},
	}
	c := New(Settings{})
	for _, tt := range tests {
		doc, err := c.Convert([]byte(tt.src), Options{PageURL: "/zh/briefs/x/"})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(doc.HTML); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// Short Markdown that would make a lot of HTML is an error, made in bounded
// time and memory: a long link reference used thousands of times, a table
// thousands of columns wide.
func TestHTMLBombs(t *testing.T) {
	c := New(Settings{})
	ref := "[a]: /" + strings.Repeat("a", 15000) + "\n\n" + strings.Repeat("[a] ", 20000) + "\n"
	start := time.Now()
	_, err := c.Convert([]byte(ref), Options{File: "b.md", Line: 6})
	if err == nil || !strings.Contains(err.Error(), "b.md:6: the body makes more than 8 MiB of HTML") {
		t.Errorf("link reference bomb: %v", err)
	}
	t.Logf("link reference bomb refused in %s", time.Since(start))
	table := "|" + strings.Repeat("a|", 100) + "\n|" + strings.Repeat("-|", 100) + "\n" + strings.Repeat("x\n", 10)
	_, err = c.Convert([]byte("text\n\n"+table), Options{File: "b.md", Line: 6})
	if err == nil || !strings.Contains(err.Error(), "b.md:9:1: a table of 100 columns; at most 64") {
		t.Errorf("wide table: %v", err)
	}
	ok := "|" + strings.Repeat("a|", 64) + "\n|" + strings.Repeat(":-:|", 64) + "\n"
	if _, err := c.Convert([]byte(ok), Options{}); err != nil {
		t.Errorf("a table of 64 columns: %v", err)
	}
}

// A citation left out of the summary leaves no space before punctuation.
func TestSummaryCitations(t *testing.T) {
	doc, err := New(Settings{}).Convert([]byte("The index rose 2.75% [0]. Financials led [0][1]: energy trailed.\n"), Options{Sources: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "The index rose 2.75%. Financials led: energy trailed."; doc.Summary != want {
		t.Errorf("summary %q, want %q", doc.Summary, want)
	}
}

// Citations side by side, or before a colon, are each a link to their
// source; "[text][1]" stays a reference link where [1]: is defined.
func TestAdjacentCitations(t *testing.T) {
	c := New(Settings{})
	for src, want := range map[string]int{
		"see [1][2].\n":                  2,
		"as [3]: it said\n":              1,
		"[0][1][2][3]\n":                 4,
		"[text][1] and [1]\n\n[1]: /x\n": 0,
		"a [link][0] b\n":                1, // no [0]: definition: text, then a citation
	} {
		doc, err := c.Convert([]byte(src), Options{Sources: []string{"a", "b", "c", "d"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(doc.HTML, `href="#source-`); got != want {
			t.Errorf("%q: %d citation links, want %d\n%s", src, got, want, doc.HTML)
		}
	}
}
