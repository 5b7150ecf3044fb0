package locale

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func catalog(t *testing.T, zh, en string) (*Catalog, error) {
	t.Helper()
	return Load(fstest.MapFS{
		"i18n/zh.toml": {Data: []byte(zh)},
		"i18n/en.toml": {Data: []byte(en)},
	}, "i18n", "templates/", []string{"zh", "en"})
}

func TestT(t *testing.T) {
	c, err := catalog(t,
		"home = \"首页\"\nasOf = \"数据截至 {{.Date}}\"\n[briefs]\nother = \"{{.Count}} 篇简报\"\n",
		"home = \"Home\"\nasOf = \"Data as of {{.Date}}\"\n[briefs]\none = \"{{.Count}} brief\"\nother = \"{{.Count}} briefs\"\n")
	if err != nil {
		t.Fatal(err)
	}
	zh, en := c.Locale("zh"), c.Locale("en")
	tests := []struct {
		l    *Locale
		id   string
		data map[string]any
		want string
	}{
		{zh, "home", nil, "首页"},
		{en, "home", nil, "Home"},
		{zh, "asOf", map[string]any{"Date": "2026年2月9日"}, "数据截至 2026年2月9日"},
		{en, "briefs", map[string]any{"Count": 1}, "1 brief"},
		{en, "briefs", map[string]any{"Count": 3}, "3 briefs"},
		{zh, "briefs", map[string]any{"Count": 1}, "1 篇简报"},
	}
	for _, tt := range tests {
		got, err := tt.l.T(tt.id, tt.data)
		if err != nil || got != tt.want {
			t.Errorf("%s T(%q, %v) = %q, %v; want %q", tt.l.Lang, tt.id, tt.data, got, err, tt.want)
		}
	}
	if _, err := en.T("nope", nil); err == nil || !strings.Contains(err.Error(), `no UI string "nope" for language en`) {
		t.Errorf("missing id: %v", err)
	}
}

func TestMissingTranslation(t *testing.T) {
	_, err := catalog(t, "home = \"首页\"\n", "home = \"Home\"\ntags = \"Tags\"\n")
	if err == nil || !strings.Contains(err.Error(), `templates/i18n/zh.toml: missing messages ["tags"]`) {
		t.Errorf("got %v", err)
	}
	_, err = catalog(t, "home = \"首页\n", "home = \"Home\"\n")
	if err == nil || !strings.Contains(err.Error(), "templates/i18n/zh.toml: invalid message file") {
		t.Errorf("got %v", err)
	}
}

func TestDate(t *testing.T) {
	d := time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC)
	c, err := catalog(t, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Locale("zh").Date(d); got != "2026年2月9日" {
		t.Errorf("zh date %q", got)
	}
	if got := c.Locale("en").Date(d); got != "February 9, 2026" {
		t.Errorf("en date %q", got)
	}
}

func TestNumber(t *testing.T) {
	l := &Locale{Lang: "en"}
	for _, c := range []struct {
		x    float64
		dec  int
		want string
	}{
		{2689.05, 2, "2,689.05"},
		{1234.5, 0, "1,235"}, // half away from zero, not to even
		{-1234.5, 0, "-1,235"},
		{0.125, 2, "0.13"},
		{-0.001, 2, "0.00"}, // no negative zero
		{1234567.891, 1, "1,234,567.9"},
		{999.996, 2, "1,000.00"},
	} {
		if got := l.Number(c.x, c.dec); got != c.want {
			t.Errorf("Number(%v, %d) = %q, want %q", c.x, c.dec, got, c.want)
		}
	}
	for _, c := range []struct {
		x    float64
		want string
	}{{0.0881, "+8.81%"}, {-0.0254, "-2.54%"}, {0, "0.00%"}, {-0.00001, "0.00%"}} {
		if got := l.Percent(c.x, 2); got != c.want {
			t.Errorf("Percent(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}
