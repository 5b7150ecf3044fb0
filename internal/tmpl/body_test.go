package tmpl

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"briefs/internal/content"
	"briefs/internal/corpus"
	"briefs/internal/diag"
	"briefs/internal/locale"
	"briefs/internal/market"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// universe is hand-checkable: T closes 100, 110, 99, 121, 121 on
// Mon 2026-01-05 .. Fri 01-09; U closes 50, 50, 55, 55, 44.
func universe() *market.Universe {
	series := func(sym string, closes ...float64) *market.Series {
		s := &market.Series{Symbol: sym, File: sym + ".csv"}
		for i, c := range closes {
			s.Dates = append(s.Dates, day("2026-01-05").AddDate(0, 0, i))
			s.Closes = append(s.Closes, c)
		}
		return s
	}
	return &market.Universe{
		Symbols: map[string]*market.Symbol{
			"T": {Key: "T", Kind: "index", Name: map[string]string{"zh": "测试指数", "en": "Test Index"}, Series: series("T", 100, 110, 99, 121, 121)},
			"U": {Key: "U", Kind: "etf", Name: map[string]string{"zh": "优", "en": "U & Co"}, Series: series("U", 50, 50, 55, 55, 44)},
		},
		Groups: map[string]*market.Group{
			"pair": {Key: "pair", Name: map[string]string{"zh": "两只", "en": "The pair"}, Members: []string{"T", "U"}},
		},
	}
}

func locales(t *testing.T) *locale.Catalog {
	t.Helper()
	c, err := locale.Load(os.DirFS("../../templates"), "i18n", "templates/", []string{"zh", "en"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// run executes body as the brief content/briefs/x/index.<lang>.md whose body
// starts on line 10, as of asof.
func run(t *testing.T, u *market.Universe, lang, asof, body string) (string, error) {
	t.Helper()
	b := &content.Brief{File: "content/briefs/x/index." + lang + ".md", Lang: lang, BodyLine: 10, Body: []byte(body)}
	var view *market.View
	if u != nil {
		view = u.At(day(asof))
	}
	out, err := Body(context.Background(), b, func() template.FuncMap { return Funcs(u, view, day(asof), locales(t).Locale(lang), lang) })
	return string(out), err
}

// text drops the <data> wrappers, keeping what a reader sees.
func text(s string) string {
	for {
		i := strings.Index(s, "<data ")
		if i < 0 {
			return strings.ReplaceAll(s, "</data>", "")
		}
		j := strings.IndexByte(s[i:], '>')
		s = s[:i] + s[i+j+1:]
	}
}

func TestBodyFunctions(t *testing.T) {
	u := universe()
	for _, c := range []struct {
		lang, asof, body, want string
	}{
		// T as of Thu 01-08: close 121, previous 99: +22.22%.
		{"en", "2026-01-08", `{{ close "T" }}`, "121.00"},
		{"en", "2026-01-08", `{{ ret "T" "1D" }}`, "+22.22%"},
		{"en", "2026-01-08", `{{ ret "T" "1D" | pct 1 }}`, "+22.2%"},
		{"en", "2026-01-08", `{{ ret "T" "1D" | abs | pct }}`, "22.22%"},
		{"en", "2026-01-07", `{{ ret "T" "1D" }}`, "-10.00%"},
		{"en", "2026-01-08", `{{ close "T" "2026-01-06" | price }}`, "110.00"},
		{"en", "2026-01-08", `{{ ret "T" "2026-01-05" "2026-01-06" }}`, "+10.00%"},
		// Saturday: the Friday close.
		{"en", "2026-01-10", `{{ close "T" }} {{ ret "T" "1D" }}`, "121.00 0.00%"},
		// SMA of 99, 121, 121 = 113.67; 3-day high 121, low 99.
		{"en", "2026-01-09", `{{ sma "T" 3 }} {{ high "T" "2D" }} {{ low "T" "2D" }}`, "113.67 121.00 99.00"},
		// Drawdown over 4D: peak 110 then 99: -10%.
		{"en", "2026-01-09", `{{ drawdown "T" "4D" }}`, "-10.00%"},
		// pctrank over 4D: all 5 closes <= 121: 100%.
		{"en", "2026-01-09", `{{ pctrank "T" "4D" }}`, "100%"},
		// Spread over 1D as of 01-08: T +22.22%, U 0%.
		{"en", "2026-01-08", `{{ spread "T" "U" "1D" }}`, "+22.22 pp"},
		{"zh", "2026-01-08", `{{ spread "T" "U" "1D" | pp 1 }}`, "+22.2个百分点"},
		{"en", "2026-01-08", `{{ spread "U" "T" "1D" | abs | pp }} {{ spread "U" "T" "1D" | abs | pct 0 }}`, "22.22 pp 22%"},
		// vol over 2 returns as of 01-09: ln(121/99) and 0, sample stdev
		// 0.14190 x sqrt(252) = 225.25%, printed with 1 decimal.
		{"en", "2026-01-09", `{{ vol "T" 2 }}`, "225.3%"},
		// vs: 121 / 113.67 - 1 = +6.45%.
		{"en", "2026-01-09", `{{ vs (close "T") (sma "T" 3) }}`, "+6.45%"},
		{"en", "2026-01-09", `{{ div (close "T") (close "U") }} {{ div (close "T") (close "U") | num 1 }} {{ vs (close "T") 110 }}`, "2.75 2.8 +10.00%"},
		// breadth over 2 days as of 01-09: T 121 > 110 (no: SMA2 = 121),
		// U 44 < 49.5: 0 of 2.
		{"en", "2026-01-09", `{{ breadth "pair" 2 }}`, "0%"},
		{"en", "2026-01-08", `{{ breadth "pair" 2 }}`, "50%"},
		{"en", "2026-01-08", `{{ num 0 1234.5 }} {{ num 3 0.5 }} {{ price 2689.05 }}`, "1,235 0.500 2,689.05"},
		{"zh", "2026-02-09", `{{ date asof }}`, "2026年2月9日"},
		{"en", "2026-02-09", `{{ date asof }} {{ date "2026-01-31" }}`, "February 9, 2026 January 31, 2026"},
		{"en", "2026-01-10", `{{ date (asof "T") }}`, "January 9, 2026"},
		{"zh", "2026-01-08", `{{ name "T" }}/{{ name "pair" }}`, "测试指数/两只"},
		// Names are HTML-escaped: the body is Markdown and HTML.
		{"en", "2026-01-08", `{{ name "U" }}`, "U &amp; Co"},
		{"zh", "2026-01-08", `{{ updown (ret "T" "1D") }}`, "上涨"},
		{"zh", "2026-01-07", `{{ updown (ret "T" "1D") }}`, "下跌"},
		{"en", "2026-01-09", `{{ updown (ret "T" "1D") }}`, "was flat"},
		{"en", "2026-01-07", `Test {{ updown (ret "T" "1D") }} {{ ret "T" "1D" | abs | pct 1 }}`, "Test fell 10.0%"},
		{"zh", "2026-01-08", `{{ T "relatedTickers" }}`, "相关标的"},
		// printf formats the value; %v the figure as a brief shows it.
		{"en", "2026-01-08", `{{ printf "%.1f" (close "T") }} {{ printf "%v" (ret "T" "1D") }}`, "121.0 +22.22%"},
		{"en", "2026-01-08", `{{ if eq (close "T") nil }}nil{{ else }}value{{ end }} {{ if eq nil nil }}both{{ end }}`, "value both"},
		// Wording follows the printed value: 0.00001 prints as 0.00.
		{"en", "2026-01-08", `{{ updown 0.00001 }} {{ updown (vs 100.001 100) }} {{ bysign (vs 100.001 100) "up" "down" "flat" }} {{ ret "T" "1D" | pct 1.0 }}`, "rose was flat flat +22.2%"},
		{"zh", "2026-01-08", `{{ bysign (spread "T" "U" "1D") "跑赢" "跑输" }}`, "跑赢"},
		{"zh", "2026-01-07", `{{ bysign (ret "T" "1D") "跑赢" "跑输" }}`, "跑输"},
		{"en", "2026-01-09", `{{ bysign (ret "T" "1D") "up" "down" "flat" }} {{ bysign 0 "up" "down" }}`, "flat up"},
		// Comparisons unwrap figures; numbers of any type compare by value.
		{"en", "2026-01-08", `{{ if gt (ret "T" "1D") 0.0 }}up{{ else }}down{{ end }}`, "up"},
		{"en", "2026-01-07", `{{ if gt (ret "T" "1D") 0 }}up{{ else }}down{{ end }}`, "down"},
		{"en", "2026-01-08", `{{ if lt (close "T") (sma "T" 3) }}below{{ else }}above{{ end }}`, "above"},
		{"en", "2026-01-08", `{{ if eq (close "T") 121 }}eq{{ end }} {{ if ne "a" "b" }}ne{{ end }} {{ if eq 1 2 3 1 }}any{{ end }}`, "eq ne any"},
		{"en", "2026-01-08", `{{ if and (ge (ret "T" "1D") 0.2) (le (ret "U" "1D") 0) }}both{{ end }}`, "both"},
		// rank: T +22.22%, U 0% as of 01-08, highest first.
		{"en", "2026-01-08", `{{ range rank "pair" "1D" }}{{ .Rank }}. {{ .Name }} {{ .Value }}; {{ end }}`, "1. Test Index +22.22%; 2. U &amp; Co 0.00%; "},
		{"en", "2026-01-08", `{{ range top 1 (rank "pair" "1D") }}{{ .Symbol }}{{ end }} {{ range bottom 1 (rank "pair" "1D") }}{{ .Symbol }}{{ end }} {{ len (top 9 (rank "pair" "1D")) }}`, "T U 2"},
		{"en", "2026-01-08", `{{ with index (rank "pair" "1D") 0 }}{{ .Name }}{{ end }}`, "Test Index"},
	} {
		got, err := run(t, u, c.lang, c.asof, c.body)
		if err != nil {
			t.Errorf("%s %s: %v", c.lang, c.body, err)
			continue
		}
		if text(got) != c.want {
			t.Errorf("%s as of %s: %s\n got %q\nwant %q", c.lang, c.asof, c.body, text(got), c.want)
		}
	}
}

// TestBodyEscapesData: what tickers.toml and the UI strings give a body is
// text, HTML-escaped where it goes in; the values a UI string is filled
// with are the body's own markup and go in once, as they are.
func TestBodyEscapesData(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)>`
	u := universe()
	u.Symbols["T"].Name["en"] = evil
	u.Groups["pair"].Name["en"] = `"pair" & <b>co</b>`
	msgs := `tagTitle = "<i>#{{.Tag}}</i>"
body_up = "<script>up</script>"
body_down = "down"
body_flat = "flat"
asOf = "as of {{.Date}} & {{.Count}}"
`
	locs, err := locale.Load(fstest.MapFS{"i18n/en.toml": {Data: []byte(msgs)}, "i18n/zh.toml": {Data: []byte(msgs)}}, "i18n", "templates/", []string{"zh", "en"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ body, want string }{
		{`{{ name "T" }}`, `&lt;img src=x onerror=alert(1)&gt;`},
		{`{{ name "pair" }}`, `&#34;pair&#34; &amp; &lt;b&gt;co&lt;/b&gt;`},
		{`{{ range rank "pair" "1D" }}{{ .Name }};{{ end }}`, `&lt;img src=x onerror=alert(1)&gt;;U &amp; Co;`},
		{`{{ updown (ret "T" "1D") }}`, `&lt;script&gt;up&lt;/script&gt;`},
		// The message is escaped, the name in it is not escaped twice,
		// and a figure stays a <data> element.
		{`{{ T "tagTitle" "Tag" (name "T") }}`, `&lt;i&gt;#&lt;img src=x onerror=alert(1)&gt;&lt;/i&gt;`},
		{`{{ T "asOf" "Date" (ret "T" "1D") "Count" 2 }}`, `as of <data value="0.2222222222" title="T close 2026-01-07 99.00 -&gt; 2026-01-08 121.00">+22.22%</data> &amp; 2`},
	} {
		b := &content.Brief{File: "content/briefs/x/index.en.md", Lang: "en", BodyLine: 10, Body: []byte(c.body)}
		view := u.At(day("2026-01-08"))
		got, err := Body(context.Background(), b, func() template.FuncMap { return Funcs(u, view, day("2026-01-08"), locs.Locale("en"), "en") })
		if err != nil {
			t.Errorf("%s: %v", c.body, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.body, got, c.want)
		}
	}
}

// TestProvenance: every formatted figure is a <data> element whose value is
// the exact figure and whose title says how it was computed.
func TestProvenance(t *testing.T) {
	u := universe()
	got, err := run(t, u, "en", "2026-01-08", `RTY {{ ret "T" "1D" }} and {{ close "T" | price 0 }} and {{ vs (close "U") (close "T") }}`)
	if err != nil {
		t.Fatal(err)
	}
	want := `RTY <data value="0.2222222222" title="T close 2026-01-07 99.00 -&gt; 2026-01-08 121.00">+22.22%</data>` +
		` and <data value="121" title="T close 2026-01-08 121.00">121</data>` +
		` and <data value="-0.5454545455" title="U close 2026-01-08 55.00 vs T close 2026-01-08 121.00">-54.55%</data>`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestCodeKeepsBraces: template syntax inside code is shown as written.
func TestCodeKeepsBraces(t *testing.T) {
	body := "Call `{{ close \"T\" }}` or ``a `{{` b``, not {{ close \"T\" | price 0 }}.\n\n" +
		"```go\nfmt.Println(\"{{x}}\")\n```\n~~~~\n{{ if }}\n```\n~~~~\n"
	got, err := run(t, universe(), "en", "2026-01-08", body)
	if err != nil {
		t.Fatal(err)
	}
	want := "Call `{{ close \"T\" }}` or ``a `{{` b``, not 121.\n\n" +
		"```go\nfmt.Println(\"{{x}}\")\n```\n~~~~\n{{ if }}\n```\n~~~~\n"
	if text(got) != want {
		t.Errorf("got\n%s\nwant\n%s", text(got), want)
	}
	// A position after code on the same line is still right.
	_, err = run(t, universe(), "en", "2026-01-08", "`{{x}}` {{ close \"X\" }}")
	if err == nil || !strings.Contains(err.Error(), "index.en.md:10:12: {{ close \"X\" }}") {
		t.Errorf("error after code: %v", err)
	}
}

// TestBodyWithoutActions: a body without {{ is passed through untouched, even
// without market data.
func TestBodyWithoutActions(t *testing.T) {
	body := "# Plain\n\nNo actions here: 50% off, } and { are fine.\n"
	got, err := run(t, nil, "en", "2026-01-08", body)
	if err != nil || got != body {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestBodyErrors(t *testing.T) {
	u := universe()
	for _, c := range []struct {
		u          *market.Universe
		body, want string
		line, col  int
	}{
		{u, "intro\n\nRTY {{ ret \"X\" \"1D\" }}", `{{ ret "X" "1D" }}: unknown symbol "X"`, 12, 8},
		{u, "一二三 {{ close \"TT\" }}", `{{ close "TT" }}: unknown symbol "TT" (did you mean "T"?)`, 10, 8},
		{u, "{{ rank \"pairs\" \"1D\" }}", `unknown group "pairs" (did you mean "pair"?)`, 10, 4},
		{u, "{{ ret \"T\" \"3Q\" }}", `period "3Q"`, 10, 4},
		{u, "{{ ret \"T\" \"1M\" }}", `T: 1M before 2026-01-08 needs a close on or before 2025-12-08; the data starts 2026-01-05`, 10, 4},
		{u, "{{ sma \"T\" 30 }}", `sma T 30: needs 30 closes up to 2026-01-08, the data has 4`, 10, 4},
		{u, "{{ close \"T\" \"2026-01-09\" }}", `date 2026-01-09 is after the as-of date 2026-01-08`, 10, 4},
		{u, "{{ ret \"T\" }}", `expected ret SYMBOL PERIOD`, 10, 4},
		{u, "{{ sma \"T\" }}", `{{ sma "T" }}: sma takes 2 arguments, got 1: expected sma SYMBOL N`, 10, 4},
		{u, "\n{{ foo \"T\" }}", `unknown function "foo"`, 11, 4},
		{u, "{{ if gt (ret \"T\" \"1D\") 0.0 }}\nup\n", `{{ if gt (ret "T" "1D") 0.0 }} is never closed`, 10, 1},
		{u, "{{ gt (ret \"T\" \"1D\") \"x\" }}", `cannot compare a figure with string`, 10, 4},
		{u, "{{ pct 9 (ret \"T\" \"1D\") }}", `pct: decimals must be an integer 0..8, got 9`, 10, 4},
		{u, "{{ name \"Q\" }}", `unknown symbol or group "Q"`, 10, 4},
		{u, "{{ name \"pairs\" }}", `unknown symbol or group "pairs" (did you mean "pair"?)`, 10, 4},
		{u, "{{ div 1e308 1e-308 }}", `div: 1e+308 / 1e-308 is not a finite number`, 10, 4},
		{u, "{{ div (close \"T\") 0 }}", `div: the second figure is zero`, 10, 4},
		{u, "{{ vs (close \"T\") \"x\" }}", `vs: expected a number, got string`, 10, 4},
		{nil, "{{ close \"T\" }}", `this site has no market data`, 10, 4},
	} {
		_, err := run(t, c.u, "en", "2026-01-08", c.body)
		var de *diag.Error
		if !errors.As(err, &de) {
			t.Errorf("%q: got %v, want a diag.Error", c.body, err)
			continue
		}
		if !strings.Contains(de.Msg, c.want) || de.File != "content/briefs/x/index.en.md" || de.Line != c.line || de.Col != c.col {
			t.Errorf("%q:\n got %s:%d:%d: %s\nwant %d:%d: ...%s...", c.body, de.File, de.Line, de.Col, de.Msg, c.line, c.col, c.want)
		}
	}
}

// BenchmarkBody runs the body of a generated data-corpus brief (metric
// calls and charts over generated prices, internal/corpus) in Chinese.
func BenchmarkBody(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "content")
	if err := corpus.WriteData(dir, corpus.Data{Briefs: 1, Symbols: 20, Years: 2, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	site, err := content.Load(os.DirFS(dir), "content/")
	if err != nil {
		b.Fatal(err)
	}
	u, err := market.Load(os.DirFS(filepath.Join(dir, "data")), "content/data/")
	if err != nil {
		b.Fatal(err)
	}
	c, err := locale.Load(os.DirFS("../../templates"), "i18n", "templates/", []string{"zh", "en"})
	if err != nil {
		b.Fatal(err)
	}
	var brief *content.Brief
	for _, br := range site.Briefs {
		if br.Lang == "zh" && bytes.Contains(br.Body, []byte("{{")) {
			brief = br
			break
		}
	}
	if brief == nil {
		b.Fatal("no generated brief with template actions")
	}
	calls := bytes.Count(brief.Body, []byte("{{"))
	b.ReportAllocs()
	for b.Loop() {
		funcs := func() template.FuncMap { return Funcs(u, u.At(brief.AsOf), brief.AsOf, c.Locale("zh"), "zh") }
		if _, err := Body(context.Background(), brief, funcs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(calls), "actions/op")
}
