package sitecheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestActivePage(t *testing.T) {
	for _, c := range []struct {
		name, html string
		want       []string // substrings of the problems, one each, in order; nil for none
	}{
		{"plain page", `<!DOCTYPE html><html><head><title>t</title><link rel="stylesheet" href="/a.css"></head>
<body><p><a href="https://e.org/">e</a> <a href="/x/">x</a> <a href="#f">f</a> <a href="mailto:a@b.org">m</a>
<img src="/c.png" srcset="/c@2x.png 2x" alt=""> <data value="1" title="t">1</data></p></body></html>`, nil},
		{"root page refresh", `<html><head><meta http-equiv="refresh" content="0; url=/zh/"></head><body></body></html>`, nil},
		{"script", `<p>a<script>alert(1)</script>`, []string{"a <script> element"}},
		{"svg script", `<svg><script>alert(1)</script></svg>`, []string{"a <svg script> element"}},
		{"handler", `<img src=x onerror=alert(1)>`, []string{`an event handler attribute onerror="alert(1)" on <img>`}},
		{"handler case", `<p OnMouseOver="x()">`, []string{"onmouseover="}},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`, []string{`a javascript: URL in <a href="javascript:alert(1)">`}},
		{"entity and tab", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"a javascript: URL"}},
		{"spaces and case", `<a href="  JaVaScRiPt:alert(1)">x</a>`, []string{"a javascript: URL"}},
		{"control characters", "<a href=\"\x01java\nscript:alert(1)\">x</a>", []string{"a javascript: URL"}},
		{"vbscript", `<a href="vbscript:msgbox(1)">x</a>`, []string{"a vbscript: URL"}},
		{"data image", `<img src="data:image/png;base64,AAAA" alt="">`, []string{"a data: URL"}},
		{"form", `<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">b</button></form>`,
			[]string{"a javascript: URL in <form action=", "a javascript: URL in <button formaction="}},
		{"xlink", `<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`, []string{"a javascript: URL in <svg a xlink:href="}},
		{"srcset", `<img src="/a.png" srcset="/a.png 1x, javascript:alert(1) 2x" alt="">`, []string{"a javascript: URL in <img srcset="}},
		{"iframe object embed base", `<iframe src="https://e.org/"></iframe><object data="x"></object><embed src="x"><base href="https://e.org/">`,
			[]string{"a <iframe> element", "a <object> element", "a <embed> element", "a <base> element"}},
		{"meta refresh in body", `<html><head></head><body><meta http-equiv="refresh" content="0;url=https://e.org/"></body></html>`,
			[]string{"a <meta http-equiv=refresh> outside the head"}},
		{"meta refresh to script", `<html><head><meta http-equiv="Refresh" content="0; URL='javascript:alert(1)'"></head></html>`,
			[]string{"a <meta http-equiv=refresh> to a javascript: URL"}},
		{"not a scheme", `<a href="/search?q=javascript:x">x</a> <p>javascript:alert(1)</p>`, nil},
		// Stricter than browsers, which take this for a relative URL.
		{"space in the scheme", `<a href="java script:x">y</a>`, []string{"a javascript: URL"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fails := ActivePage("/p/", []byte(c.html))
			if len(fails) != len(c.want) {
				t.Fatalf("%s:\n got %v\nwant %d problem(s) %q", c.html, fails, len(c.want), c.want)
			}
			for i, f := range fails {
				if f.Page != "/p/" || !strings.Contains(f.Problem, c.want[i]) {
					t.Errorf("%s:\n got %q\nwant it to contain %q", c.html, f.Problem, c.want[i])
				}
			}
		})
	}
}

func TestActiveFeed(t *testing.T) {
	const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Site &amp;lt;b&amp;gt;</title>
    <link>https://e.org/</link>
    <description>About</description>
    <item>
      <title>Fine</title>
      <link>https://e.org/a/</link>
      <description>S&amp;P &amp;lt;img src=x onerror=alert(1)&amp;gt;</description>
      <content:encoded><![CDATA[<p>ok <a href="https://e.org/">e</a></p>]]></content:encoded>
      <category>&lt;script&gt;</category>
    </item>
    <item>
      <title>&lt;img src=x onerror=alert(1)&gt;</title>
      <link>javascript:alert(1)</link>
      <description>text</description>
      <content:encoded><![CDATA[<p><script>alert(1)</script><a href="javascript:alert(2)">x</a></p>]]></content:encoded>
    </item>
  </channel>
</rss>`
	want := []string{
		`item 2 title: an event handler attribute onerror="alert(1)" on <img>`,
		`item 2 link: a javascript: URL "javascript:alert(1)"`,
		`item 2 content:encoded: a <script> element`,
		`item 2 content:encoded: a javascript: URL in <a href="javascript:alert(2)">`,
	}
	check := func(name, feed string, want []string) {
		t.Helper()
		fails := ActiveFeed("/f.xml", []byte(feed))
		var got []string
		for _, f := range fails {
			got = append(got, f.Problem)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	check("rss", rss, want)

	const atom = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>&lt;script&gt;plain text&lt;/script&gt;</title>
  <link href="javascript:alert(1)" rel="alternate"></link>
  <entry>
    <title type="text">&lt;img src=x onerror=alert(1)&gt;</title>
    <summary type="html">&lt;img src=x onerror=alert(2)&gt;</summary>
    <content type="html"><![CDATA[<iframe src="https://e.org/"></iframe>]]></content>
  </entry>
</feed>`
	check("atom", atom, []string{
		`<link href="javascript:alert(1)">: a javascript: URL`,
		`entry 1 summary: an event handler attribute onerror="alert(2)" on <img>`,
		`entry 1 content: a <iframe> element`,
	})
	check("broken", `<rss><channel>`, []string{"does not parse as XML: XML syntax error on line 1: unexpected EOF"})
}

// TestCheckActive runs the check over a folder as check-site does.
func TestCheckActive(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"index.html":       `<html><head><meta http-equiv="refresh" content="0; url=/zh/"></head></html>`,
		"zh/index.html":    `<p>fine</p>`,
		"zh/x/index.html":  `<p onclick="x()">x</p>`,
		"zh/index.xml":     `<rss><channel><title>t</title><item><description>&lt;script&gt;x&lt;/script&gt;</description></item></channel></rss>`,
		"zh/404.html":      `<a href="javascript:void(0)">x</a>`,
		"assets/style.css": `a{}`,
	} {
		file := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(file), 0o755)
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	fails, err := checkActive(context.Background(), &Options{}, site)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fails {
		got = append(got, f.String())
	}
	want := []string{
		`/zh/404.html: a javascript: URL in <a href="javascript:void(0)"> []`,
		`/zh/x/: an event handler attribute onclick="x()" on <p> []`,
		`/zh/index.xml: item 1 description: a <script> element []`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
