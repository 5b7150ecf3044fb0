package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// dataTagParser makes of the tags metric functions print exactly what
// goldmark's raw HTML parser makes of them, wherever they stand, and
// leaves everything else to it.
func TestDataTags(t *testing.T) {
	plain := goldmark.New(goldmark.WithExtensions(extension.Table), goldmark.WithRendererOptions(html.WithUnsafe()))
	fast := goldmark.New(goldmark.WithExtensions(extension.Table), goldmark.WithRendererOptions(html.WithUnsafe()),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(dataTagParser{}, 250))))
	tag := `<data value="0.0123" title="Return of Sample Co. 017 over 1M: close 2026-01-30 / close 2025-12-31 &#34;adjusted&#34; - 1">+1.23%</data>`
	for _, src := range []string{
		"It rose " + tag + " over the month.",
		"**" + tag + "** and _" + tag + "_",
		"## Up " + tag + "\n\n| a | b |\n|---|--:|\n| x | " + tag + " |\n",
		tag + "\n" + tag,
		"<data value=\"1\">no title</data> <data value='1' title='x'>quotes</data> <data value=\"1\" title=\"a>b\">x</data>",
		"<data value=\"1\" title=\"open", "</dat", "<b>bold</b> <https://example.com> <a@b.co>",
	} {
		var want, got bytes.Buffer
		if err := plain.Convert([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		if err := fast.Convert([]byte(src), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", src, got.String(), want.String())
		}
	}
	for line, n := range map[string]int{
		"</data> x":                          7,
		`<data value="1" title="t">x</data>`: 26,
		`<data value="1" title="t"`:          0,
		`<data value="1">`:                   0,
		`<datum value="1" title="t">`:        0,
	} {
		if got := dataTagLen([]byte(line)); got != n {
			t.Errorf("dataTagLen(%q) = %d, want %d", line, got, n)
		}
	}
}
