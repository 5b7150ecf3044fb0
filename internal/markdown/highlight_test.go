package markdown

import (
	"strings"
	"testing"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings of the HTML, in order
		not       []string
	}{
		{name: "classes, Hugo's markup", src: "```go\nfunc main() {}\n```\n",
			want: []string{`<div class="highlight"><pre tabindex="0" class="chroma"><code class="language-go" data-lang="go"><span class="line"><span class="cl"><span class="kd">func</span><span class="w"> </span><span class="nf">main</span><span class="p">()</span><span class="w"> </span><span class="p">{}</span><span class="w">` + "\n" + `</span></span></span></code></pre></div>` + "\n"},
			not:  []string{"style="}},
		{name: "line numbers in a column, a line marked", src: "```html {linenos=true hl_lines=[2]}\n<a>\n<b>\n```\n",
			want: []string{`<div class="highlight"><div class="chroma">`, `<table class="lntable"><tr><td class="lntd">`, `<pre tabindex="0" class="chroma"><code><span class="lnt">1` + "\n", `<span class="hl"><span class="lnt">2`,
				`<code class="language-html" data-lang="html"><span class="line">`, `<span class="line hl"><span class="cl"><span class="p">&lt;</span><span class="nt">b</span>`},
			not: []string{"style="}},
		{name: "Hugo's comma form", src: "```html {linenos=table,hl_lines=[\"1-2\"],linenostart=199}\na\nb\nc\n```\n",
			want: []string{`<span class="hl"><span class="lnt">199`, `<span class="hl"><span class="lnt">200`, `<span class="lnt">201`}},
		{name: "inline numbers, anchors, box attributes", src: "```go {linenos=inline hl_lines=\"2\" linenostart=5 anchorlinenos=true .wide #listing data-x=\"y\"}\na\nb\n```\n",
			want: []string{`<div class="highlight wide" id="listing" data-x="y">`, `<span class="line"><span class="ln" id="hl-0-5"><a class="lnlinks" href="#hl-0-5">5</a></span>`, `<span class="line hl"><span class="ln" id="hl-0-6">`}},
		{name: "anchors count the page's code blocks", src: "```\nx\n```\n\n```go {linenos=inline anchorlinenos=true}\na\n```\n\n```go {linenos=inline anchorlinenos=true lineanchors=\"ex\"}\na\n```\n",
			want: []string{`id="hl-1-1"`, `id="ex-1"`}},
		{name: "attributes without a language", src: "```{hl_lines=[2]}\na\nb\n```\n",
			want: []string{`<div class="highlight"><pre tabindex="0" class="chroma"><code><span class="line"><span class="cl">a`, `<span class="line hl"><span class="cl">b`}},
		{name: "Hugo's style options are accepted", src: "```go {style=monokai noclasses=true tabwidth=2}\nx\n```\n",
			want: []string{`<code class="language-go" data-lang="go">`}, not: []string{"style="}},
		{name: "unknown language unchanged", src: "```nosuchlang\nx\n```\n", want: []string{"<pre><code class=\"language-nosuchlang\">x\n</code></pre>\n"}},
		{name: "no language unchanged", src: "```\nx\n```\n\n    indented\n", want: []string{"<pre><code>x\n</code></pre>\n", "<pre><code>indented\n</code></pre>\n"}},
		{name: "escaped", src: "```js\nlet s = \"</code><script>\";\n```\n",
			want: []string{`&lt;/code&gt;&lt;script&gt;`}, not: []string{"<script>"}},
		{name: "too large to highlight", src: "```go\n" + strings.Repeat("x := 1\n", MaxHighlighted/7+1) + "```\n",
			want: []string{`<code class="language-go" data-lang="go"><span class="line"><span class="cl">x := 1`}, not: []string{`class="nx"`}},
	}
	c := New(Settings{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := c.Convert([]byte(tt.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			rest := doc.HTML
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("Convert(%q):\n got %s\nwant it to contain %q (in order)", tt.src, doc.HTML, w)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tt.not {
				if strings.Contains(doc.HTML, n) {
					t.Errorf("Convert(%q):\n got %s\nmust not contain %q", tt.src, doc.HTML, n)
				}
			}
		})
	}
}

func TestHighlightErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"```go {linenos=maybe}\nx\n```\n", "f.md:3:4: linenos=maybe: expected true, false, table or inline"},
		{"```go {hl_lines=[0]}\nx\n```\n", `f.md:3:4: hl_lines: expected line numbers and ranges of the block, such as hl_lines=[2,"4-6"] or hl_lines="2 4-6" (got "0")`},
		{"```go {hl_lines=\"3-1\"}\nx\n```\n", `(got "3-1")`},
		{"```go {linenostart=x}\nx\n```\n", "f.md:3:4: linenostart=x: expected a line number, such as linenostart=10"},
		{"```go {onclick=\"x()\"}\nx\n```\n", `f.md:3:4: code block attribute "onclick" is not supported: expected linenos, hl_lines, linenostart, anchorlinenos, lineanchors, class, id, title, lang, dir or data-*`},
		{"```go {linenos=true\nx\n```\n", `f.md:3:4: the attributes of this code block, "{linenos=true", cannot be read: write them as {linenos=true hl_lines=[2,"4-5"]}`},
		{"## Listing\n\n```go {#listing}\nx\n```\n", `f.md:5:4: code block id "listing" is already used on this page (by a heading, a source or the layout): give the block another {id=...}`},
	}
	for _, tt := range tests {
		_, err := New(Settings{}).Convert([]byte(tt.src), Options{File: "f.md", Line: 3})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Convert(%q):\n got %v\nwant %s", tt.src, err, tt.want)
		}
	}
}
