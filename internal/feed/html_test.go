package feed

import "testing"

func TestAbsolutize(t *testing.T) {
	const origin = "https://example.org"
	tests := []struct{ in, want string }{
		{`<p><a href="/zh/briefs/a/">a</a> <a href="#x">x</a></p>`, `<p><a href="https://example.org/zh/briefs/a/">a</a> <a href="https://example.org/zh/briefs/a/#x">x</a></p>`},
		{`<img src="/charts/1.png" srcset="/charts/1.png 1x, /charts/1@2x.png 2x" alt="罗素2000">`,
			`<img src="https://example.org/charts/1.png" srcset="https://example.org/charts/1.png 1x, https://example.org/charts/1@2x.png 2x" alt="罗素2000">`},
		{`<a href="//cdn.org/x">protocol-relative stays</a>`, `<a href="//cdn.org/x">protocol-relative stays</a>`},
		{`<a href="https://other.org/">abs stays</a>`, `<a href="https://other.org/">abs stays</a>`},
		{`<p>text &amp; <data value="0.08">+8.00%</data> 中文</p>`, `<p>text &amp; <data value="0.08">+8.00%</data> 中文</p>`},
		{`<pre><code>href="/not/a/tag"</code></pre>`, `<pre><code>href="/not/a/tag"</code></pre>`},
	}
	for _, tt := range tests {
		if got := Absolutize(tt.in, origin, "https://example.org/zh/briefs/a/"); got != tt.want {
			t.Errorf("Absolutize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
