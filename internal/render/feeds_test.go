package render

import "testing"

func TestURLs(t *testing.T) {
	u := newURLs("https://example.org/sub/")
	tests := []struct{ got, want string }{
		{u.Rel("/zh/"), "/sub/zh/"},
		{u.Abs("/zh/briefs/a/"), "https://example.org/sub/zh/briefs/a/"},
		{u.File("/zh/briefs/a/"), "zh/briefs/a/index.html"},
		{u.File("/zh/index.xml"), "zh/index.xml"},
		{u.File("/"), "index.html"},
		{pagePath("/zh/", 1), "/zh/"},
		{pagePath("/zh/tags/x/", 3), "/zh/tags/x/page/3/"},
		{u.Rel(tagPath("zh", "板块轮动")), "/sub/zh/tags/%E6%9D%BF%E5%9D%97%E8%BD%AE%E5%8A%A8/"},
		{u.File(tagPath("zh", "板块轮动")), "zh/tags/板块轮动/index.html"},
		{u.Abs("/zh/briefs/美联储/"), "https://example.org/sub/zh/briefs/%E7%BE%8E%E8%81%94%E5%82%A8/"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four five six", 14, "one two three…"},
		{"第一句话很长很长，第二句话也很长很长。", 12, "第一句话很长很长…"},
		{"第一句话很长。第二句话也很长很长。", 12, "第一句话很长。"},
		{"The index rose. Financials led the gains by far", 24, "The index rose."},
		{"Rose 2.75 percent in the week, led by financials", 30, "Rose 2.75 percent in the week…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
