package layout

import "testing"

func TestURLs(t *testing.T) {
	u := NewURLs("https://example.org/sub/")
	tests := []struct{ got, want string }{
		{u.Rel("/zh/"), "/sub/zh/"},
		{u.Abs("/zh/briefs/a/"), "https://example.org/sub/zh/briefs/a/"},
		{u.File("/zh/briefs/a/"), "zh/briefs/a/index.html"},
		{u.File("/zh/index.xml"), "zh/index.xml"},
		{u.File("/"), "index.html"},
		{PagePath("/zh/", 1), "/zh/"},
		{PagePath("/zh/tags/x/", 3), "/zh/tags/x/page/3/"},
		{u.Rel(TagPath("zh", "板块轮动")), "/sub/zh/tags/%E6%9D%BF%E5%9D%97%E8%BD%AE%E5%8A%A8/"},
		{u.File(TagPath("zh", "板块轮动")), "zh/tags/板块轮动/index.html"},
		{u.Abs("/zh/briefs/美联储/"), "https://example.org/sub/zh/briefs/%E7%BE%8E%E8%81%94%E5%82%A8/"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
