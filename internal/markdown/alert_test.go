package markdown

import (
	"strings"
	"testing"
)

func TestAlerts(t *testing.T) {
	zh := map[string]string{"note": "备注", "tip": "提示", "important": "重要", "warning": "警告", "caution": "注意"}
	tests := []struct {
		name, src, lang string
		titles          map[string]string
		want            string
	}{
		{name: "note", src: "> [!NOTE]\n> Useful *information*.\n> More.\n",
			want: "<div class=\"alert alert-note\" role=\"note\">\n<p class=\"alert-title\">Note</p>\n<p>Useful <em>information</em>.\nMore.</p>\n</div>\n"},
		{name: "localized, any case", src: "> [!warning]\n> 若科技股\n> 继续下跌\n", titles: zh,
			want: "<div class=\"alert alert-warning\" role=\"note\">\n<p class=\"alert-title\">警告</p>\n<p>若科技股继续下跌</p>\n</div>\n"},
		{name: "own title", src: "> [!TIP] Before **the** open\n> 开盘前\n", titles: zh,
			want: "<div class=\"alert alert-tip\" role=\"note\">\n<p class=\"alert-title\">Before <strong>the</strong> open</p>\n<p>开盘前</p>\n</div>\n"},
		{name: "own title, typeset", src: "> [!TIP] \"Don't\" -- sell\n> x\n", lang: "en",
			want: "<p class=\"alert-title\">“Don’t” – sell</p>\n<p>x</p>"},
		{name: "blocks", src: "> [!CAUTION]\n>\n> Para.\n>\n> - item\n",
			want: "<div class=\"alert alert-caution\" role=\"note\">\n<p class=\"alert-title\">Caution</p>\n<p>Para.</p>\n<ul>\n<li>item</li>\n</ul>\n</div>\n"},
		{name: "foldable sign accepted", src: "> [!IMPORTANT]-\n> x\n",
			want: "<div class=\"alert alert-important\" role=\"note\">\n<p class=\"alert-title\">Important</p>\n<p>x</p>\n</div>\n"},
		{name: "marker alone", src: "> [!NOTE]\n", want: "<div class=\"alert alert-note\" role=\"note\">\n<p class=\"alert-title\">Note</p>\n</div>\n"},
		{name: "in a list", src: "- > [!TIP]\n  > x\n", want: "<li>\n<div class=\"alert alert-tip\" role=\"note\">\n<p class=\"alert-title\">Tip</p>\n<p>x</p>\n</div>\n</li>"},
		{name: "other words stay a quote", src: "> [!INFO]\n> x\n", want: "<blockquote>\n<p>[!INFO]\nx</p>\n</blockquote>\n"},
		{name: "not first", src: "> text [!NOTE]\n", want: "<blockquote>\n<p>text [!NOTE]</p>\n</blockquote>\n"},
		{name: "title escaped", src: "> [!NOTE]\n> x\n", titles: map[string]string{"note": "<b>&"},
			want: "<p class=\"alert-title\">&lt;b&gt;&amp;</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := New(Settings{}).Convert([]byte(tt.src), Options{AlertTitles: tt.titles, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc.HTML, tt.want) {
				t.Errorf("Convert(%q):\n got %q\nwant %q", tt.src, doc.HTML, tt.want)
			}
		})
	}
}
