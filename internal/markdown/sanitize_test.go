package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// TestSanitize: raw HTML goes through the allow-list, and Markdown links to
// other schemes lose their link; the converter's own markup is untouched.
func TestSanitize(t *testing.T) {
	c := New(Settings{})
	for _, tt := range []struct {
		name, src string
		want      []string // substrings of the HTML, in order
		not       []string // substrings that must not appear
	}{
		{name: "script block", src: "<script>\nalert(1)\n</script>\n\nafter\n", want: []string{"<p>after</p>"}, not: []string{"script", "alert"}},
		{name: "inline script and its text", src: "a <script>alert(1)</script> b\n", want: []string{"<p>a  b</p>"}, not: []string{"alert"}},
		{name: "inline style and its text", src: "a <style>p{}</style> b\n", want: []string{"<p>a  b</p>"}},
		{name: "unclosed inline script keeps the text", src: "a <script> b\n", want: []string{"<p>a  b</p>"}},
		{name: "event handler", src: "<img src=x onerror=alert(1)>\n", want: []string{`<img src="x">`}, not: []string{"onerror"}},
		{name: "javascript link and its end tag", src: `a <a href="javascript:alert(1)">x</a> b` + "\n", want: []string{"<p>a x b</p>"}},
		{name: "entity in the scheme", src: `<a href="jav&#x09;ascript:alert(1)">x</a>` + "\n", want: []string{"<p>x</p>"}},
		{name: "iframe", src: "<iframe src=\"https://e.org/\"></iframe>\n", not: []string{"iframe"}},
		{name: "inline style attribute", src: `<p style="color:red">x</p>` + "\n", want: []string{"<p>x</p>"}},
		{name: "data image", src: `<img src="data:image/png;base64,AAAA" alt="d">` + "\n", want: []string{`<img alt="d">`}},
		{name: "object", src: "<object data=\"x.swf\"><param name=a value=b></object>\n", not: []string{"object", "param"}},
		{name: "form", src: "<form action=\"/x\"><input name=q><button formaction=\"javascript:1\">go</button></form>\n", want: []string{"go"}, not: []string{"form", "input", "button"}},
		{name: "svg", src: "<svg onload=alert(1)><script>alert(2)</script></svg>\n", not: []string{"svg", "alert", "onload"}},
		{name: "meta and base", src: "<meta http-equiv=\"refresh\" content=\"0;url=/x\">\n\n<base href=\"https://e.org/\">\n", not: []string{"meta", "base"}},
		{name: "comment", src: "<!-- note -->\n\na <!-- b --> c\n", want: []string{"<p>a  c</p>"}, not: []string{"note", "<!--"}},
		{name: "kept markup", src: `<abbr title="Relative Strength">RS</abbr> <kbd>K</kbd> x<sup>2</sup> H<sub>2</sub> <mark>m</mark> <time datetime="2026-02-10">today</time>` + "\n",
			want: []string{`<abbr title="Relative Strength">RS</abbr> <kbd>K</kbd> x<sup>2</sup> H<sub>2</sub> <mark>m</mark> <time datetime="2026-02-10">today</time>`}},
		{name: "links", src: `<a href="https://e.org/">e</a> <a href="/x/">x</a> <a href="#f">f</a> <a href="mailto:a@e.org">m</a> <a href="https://e.org/" rel="opener" target="_blank">t</a>` + "\n",
			want: []string{`<a href="https://e.org/" rel="nofollow noopener">e</a> <a href="/x/">x</a> <a href="#f">f</a> <a href="mailto:a@e.org">m</a> <a href="https://e.org/" rel="nofollow noopener">t</a>`}},
		{name: "figure", src: `<figure><img src="/c.png" srcset="/c@2x.png 2x" width="10" height="5" alt="c" loading="lazy"><figcaption>C</figcaption></figure>` + "\n",
			want: []string{`<figure><img src="/c.png" srcset="/c@2x.png 2x" width="10" height="5" alt="c" loading="lazy"><figcaption>C</figcaption></figure>`}},
		{name: "srcset with a script URL", src: `<img src="/c.png" srcset="/c@2x.png 2x, javascript:alert(1) 3x" alt="c">` + "\n", want: []string{`<img src="/c.png" alt="c">`}},
		{name: "details and table", src: "<details open>\n<summary>More</summary>\n<table><tr><th scope=\"col\" class=\"align-right\">a</th><td colspan=\"2\">b</td></tr></table>\n</details>\n",
			want: []string{"<details open=\"\">\n<summary>More</summary>\n<table><tr><th scope=\"col\" class=\"align-right\">a</th><td colspan=\"2\">b</td></tr></table>\n</details>"}},
		{name: "data tags as they are", src: `x <data value="1.5" title="SPX close 2026-02-09 1.50 -&gt; x">1.50</data> y` + "\n",
			want: []string{`x <data value="1.5" title="SPX close 2026-02-09 1.50 -&gt; x">1.50</data> y`}},
		{name: "data tag in a block", src: "<table><tr><td><data value=\"2\" title=\"t\">2</data></td></tr></table>\n", want: []string{`<td><data value="2" title="t">2</data></td>`}},
		{name: "markdown script link", src: "[a](javascript:alert(1)) [b](JaVa&#x09;ScRiPt:alert(2)) [c](vbscript:x) [d](data:text/html,x) [e][r]\n\n[r]: javascript:alert(3)\n",
			want: []string{"<p>a b c d e</p>"}, not: []string{"href"}},
		{name: "markdown data image", src: "![alt *text*](data:image/png;base64,AAAA)\n", want: []string{"<p>alt <em>text</em></p>"}, not: []string{"img"}},
		{name: "script autolink", src: "<javascript:alert(1)>\n", want: []string{"<p>javascript:alert(1)</p>"}, not: []string{"href"}},
		{name: "allowed markdown links", src: "[a](https://e.org/) [b](/x/) [c](#f) [d](mailto:a@e.org) [e](tel:+1) [f](x?y=javascript:1) <https://e.org/> www.e.org\n",
			want: []string{`<a href="https://e.org/">a</a>`, `<a href="/x/">b</a>`, `<a href="#f">c</a>`, `<a href="mailto:a@e.org">d</a>`, `<a href="tel:+1">e</a>`, `<a href="x?y=javascript:1">f</a>`, `<a href="https://e.org/">https://e.org/</a>`, `<a href="http://www.e.org">www.e.org</a>`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := c.Convert([]byte(tt.src), Options{})
			if err != nil {
				t.Fatal(err)
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

// TestOwnMarkupUnchanged: what the converter makes itself, and the tags of
// computed figures, come out byte for byte as without sanitizing.
func TestOwnMarkupUnchanged(t *testing.T) {
	src := "## 标题 <data value=\"1\" title=\"t\">1</data>\n\n" +
		"正文[0] **粗体** *斜体* ~~删除~~ `code` [链接](../other/) ![图](chart.png) <https://e.org/> https://e.org/x a@e.org[^1]\n\n" +
		"| 左 | 中 | 右 |\n|:--|:-:|--:|\n| <data value=\"2\" title=\"a &amp; b\">2</data> | b | c |\n\n" +
		"- [x] done\n- [ ] todo\n\n1. one\n2. two\n\n> quote\n\n```go\nfunc() {}\n```\n\n```chart\ntype: line\n```\n\n---\n\n[^1]: 注释 \"q\" & 'a'\n"
	opt := Options{PageURL: "/zh/briefs/a/", Sources: []string{`Seeking "Alpha" <x>`}, Chart: func([]byte) (string, error) {
		return `<figure class="chart"><img src="/charts/k.png" srcset="/charts/k@2x.png 2x" width="640" height="360" alt="a &amp; b" loading="lazy" decoding="async"><figcaption>c</figcaption></figure>`, nil
	}}
	for _, extra := range []string{"", "\n<kbd>K</kbd> and <abbr title=\"x\">X</abbr>\n"} {
		safe, err := New(Settings{}).Convert([]byte(src+extra), opt)
		if err != nil {
			t.Fatal(err)
		}
		unsafe, err := New(Settings{UnsafeHTML: true}).Convert([]byte(src+extra), opt)
		if err != nil {
			t.Fatal(err)
		}
		if safe.HTML != unsafe.HTML {
			t.Errorf("sanitizing changed the converter's own markup:\nsanitized:\n%s\nas is:\n%s", safe.HTML, unsafe.HTML)
		}
		if safe.Summary != unsafe.Summary {
			t.Errorf("summary %q, unsanitized %q", safe.Summary, unsafe.Summary)
		}
	}
}

// TestUnsafeHTML: with Settings.UnsafeHTML raw HTML and links pass as
// written.
func TestUnsafeHTML(t *testing.T) {
	src := "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [a](javascript:alert(3)) <!-- c -->\n"
	doc, err := New(Settings{UnsafeHTML: true}).Convert([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "<script>alert(1)</script>\n<p><img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">a</a> <!-- c --></p>\n"
	if doc.HTML != want {
		t.Errorf("got\n%s\nwant\n%s", doc.HTML, want)
	}
}

func TestAllowedURL(t *testing.T) {
	for dest, want := range map[string]bool{
		"": true, "/x": true, "x/y": true, "#f": true, "?q=a:b": true, "x?y=javascript:1": true,
		"https://e.org": true, "HTTP://e.org": true, "mailto:a@e.org": true, "tel:+1": true,
		"javascript:x": false, "JavaScript:x": false, " javascript:x": false, "java\tscript:x": false, "java\nscript:x": false,
		"\x01javascript:x": false, "vbscript:x": false, "data:text/html,x": false, "data:image/png;base64,AA": false,
		"file:///etc/passwd": false, "ftp://e.org": false, "httpsx://e.org": false, "javascriptx:x": false,
	} {
		if got := allowedURL([]byte(dest)); got != want {
			t.Errorf("allowedURL(%q) = %v, want %v", dest, got, want)
		}
	}
}

// BenchmarkConvert converts a brief with figures, a table and links, as
// a site sanitizing raw HTML does (safe) and one that does not (unsafe).
func BenchmarkConvert(b *testing.B) {
	var src strings.Builder
	for i := range 20 {
		fmt.Fprintf(&src, "## 第%d节 Section\n\n罗素2000指数收于 <data value=\"2689.05\" title=\"RTY close 2026-02-09 2689.05\">2,689.05</data>，"+
			"**上涨** <data value=\"0.01\" title=\"RTY 1D\">+1.00%%</data>[0]，见[链接](../other/)与 https://e.org/x。\n\n"+
			"| 板块 | 涨跌 |\n|---|--:|\n| 能源 | +1.2%% |\n\n- 一\n- 二\n\n", i)
	}
	for _, s := range []Settings{{}, {UnsafeHTML: true}} {
		name := "safe"
		if s.UnsafeHTML {
			name = "unsafe"
		}
		b.Run(name, func(b *testing.B) {
			c := New(s)
			opt := Options{PageURL: "/zh/briefs/a/", Sources: []string{"a"}}
			for b.Loop() {
				if _, err := c.Convert([]byte(src.String()), opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
