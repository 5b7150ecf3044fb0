package build

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// laggingData is marketData with A, traded every weekday from 2026-01-05 to 2026-03-06,
// and LAG, whose file ends on 2026-01-30.
func laggingData() fstest.MapFS {
	rows := func(last string) []byte {
		var b strings.Builder
		b.WriteString("Date,Close\n")
		end, _ := time.Parse(time.DateOnly, last)
		for d, i := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 0; !d.After(end); d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
				continue
			}
			i++
			fmt.Fprintf(&b, "%s,%d\n", d.Format(time.DateOnly), 100+i)
		}
		return []byte(b.String())
	}
	fsys := marketData()
	fsys["tickers.toml"] = &fstest.MapFile{Data: append(fsys["tickers.toml"].Data, []byte("[symbols.A]\nfile = \"a.csv\"\nname = { zh = \"甲\", en = \"A\" }\nkind = \"index\"\n"+
		"[symbols.LAG]\nfile = \"lag.csv\"\nname = { zh = \"滞后\", en = \"Lagging\" }\nkind = \"index\"\n")...)}
	fsys["a.csv"] = &fstest.MapFile{Data: rows("2026-03-06")}
	fsys["lag.csv"] = &fstest.MapFile{Data: rows("2026-01-30")}
	return fsys
}

// A series issue whose data is not there (a symbol's file ends before the
// period, or starts after the window) is left out with a warning naming the
// symbol and its last or first row; the other issues link past it. A
// hand-written brief with the same problem, or an issue with any other
// error, fails the build.
func TestSeriesDegrade(t *testing.T) {
	t.Parallel()
	series := "---\ntitle: Weekly\nevery: week\nfrom: 2026-01-05\n---\nA {{ ret \"A\" \"1W\" }}, lagging {{ close \"LAG\" }}.\n"
	content := fixture(t, "site")
	content["series/weekly/index.en.md"] = &fstest.MapFile{Data: []byte(series)}
	content["series/weekly/index.zh.md"] = &fstest.MapFile{Data: []byte(strings.Replace(series, "Weekly", "周报", 1))}
	cfg := config(content)
	cfg.Data, cfg.DataName, cfg.Now = laggingData(), "data/", time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	res := mustRun(t, cfg)

	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"content/series/weekly/index.en.md: issue 2026-w02 left out: A: its data starts 2026-01-05, too late for the period",
		"content/series/weekly/index.en.md: 4 issues (2026-w07 to 2026-w10) left out: LAG: its last row is 2026-01-30 (stale data? update data/lag.csv)",
		"content/series/weekly/index.zh.md: issue 2026-w02 left out: A: its data starts 2026-01-05, too late for the period",
		"content/series/weekly/index.zh.md: 4 issues (2026-w07 to 2026-w10) left out: LAG: its last row is 2026-01-30 (stale data? update data/lag.csv)",
	}
	equal(t, "warnings", got, want)
	var issues []string
	for f := range res.Files {
		if k, ok := strings.CutPrefix(f, "en/series/weekly/"); ok && strings.HasPrefix(k, "2026-w") && strings.HasSuffix(k, "/index.html") {
			issues = append(issues, strings.TrimSuffix(k, "/index.html"))
		}
	}
	slices.Sort(issues)
	equal(t, "issues published", issues, []string{"2026-w03", "2026-w04", "2026-w05", "2026-w06"})
	if res.Issues != 4 {
		t.Errorf("Issues = %d, want 4", res.Issues)
	}
	// The first issue kept links back to nothing; the next ones to the one
	// before them that was kept.
	prev := func(key string) []string {
		return attrs(find(parse(t, res, "en/series/weekly/"+key+"/index.html"), "a", "rel", "prev"), "href")
	}
	for _, p := range prev("2026-w04") {
		if p != "/en/series/weekly/2026-w03/" {
			t.Errorf("w04 links back to %v, want w03", p)
		}
	}
	if p := prev("2026-w03"); len(p) != 0 {
		t.Errorf("the first issue kept links back to %v", p)
	}
	// Other errors in a series still fail; so does a stale hand-written brief.
	bad := fixture(t, "site")
	bad["series/weekly/index.en.md"] = &fstest.MapFile{Data: []byte(strings.Replace(series, "close", "clsoe", 1))}
	cfg = config(bad)
	cfg.Data, cfg.DataName, cfg.Now = laggingData(), "data/", time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), `unknown function "clsoe" (did you mean "close"?)`) {
		t.Errorf("a misspelled function in a series: %v", err)
	}
	stale := fixture(t, "site")
	stale["briefs/older/index.zh.md"] = &fstest.MapFile{Data: []byte("---\ntitle: x\ndate: 2026-02-20\n---\n{{ close \"LAG\" }}\n")}
	cfg = config(stale)
	cfg.Data, cfg.DataName, cfg.Now = laggingData(), "data/", time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "LAG: last row 2026-01-30 is 21 days before 2026-02-20 (stale data? update data/lag.csv)") {
		t.Errorf("a stale hand-written brief: %v", err)
	}
}

// A title and a summary may hold figures: computed like the body, as plain
// text wherever they show. A bad call in them is reported at their line.
func TestTitleFigures(t *testing.T) {
	t.Parallel()
	content := fixture(t, "site")
	src := string(content["briefs/rotation/index.en.md"].Data)
	src = strings.Replace(src, "title: Small caps beat tech", `title: 'Small caps {{ updown (ret "RTY" "1D") }} {{ ret "RTY" "1D" | abs }}'`, 1)
	src = strings.Replace(src, "sources:", "summary: 'The {{ name \"SPX\" }} closed at {{ close \"SPX\" }}.'\nsources:", 1)
	content["briefs/rotation/index.en.md"] = &fstest.MapFile{Data: []byte(src)}
	cfg := config(content)
	cfg.Data, cfg.DataName = marketData(), "data/"
	res := mustRun(t, cfg)
	doc := parse(t, res, "en/briefs/rotation/index.html")
	equal(t, "<title>", texts(find(doc, "title")), []string{"Small caps fell 0.41% · Market Briefs"})
	equal(t, "h1", texts(find(doc, "h1")), []string{"Small caps fell 0.41%"})
	equal(t, "description", attrs(find(doc, "meta", "name", "description"), "content"), []string{"The S&P 500 closed at 6,000.00."})
	if feed := string(res.Files["en/index.xml"]); !strings.Contains(feed, "<title>Small caps fell 0.41%</title>") || strings.Contains(feed, "{{") {
		t.Errorf("the feed's item title is not the computed one")
	}
	bad := strings.Replace(src, `(ret "RTY" "1D")`, `(ret "RTX" "1D")`, 1)
	content["briefs/rotation/index.en.md"] = &fstest.MapFile{Data: []byte(bad)}
	cfg = config(content)
	cfg.Data, cfg.DataName = marketData(), "data/"
	_, err := Run(context.Background(), cfg)
	if want := `content/briefs/rotation/index.en.md:2:31: title: {{ ret "RTX" "1D" }}: unknown symbol "RTX" (did you mean "RTY"?)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a bad call in a title: %v\nwant %s", err, want)
	}
}

// In a brief that also holds figures, a bad chart is reported once, as
// itself and at its line; the good charts beside it are not blamed.
func TestChartErrorNotMasked(t *testing.T) {
	t.Parallel()
	content := fixture(t, "site")
	content["briefs/rotation/index.en.md"] = &fstest.MapFile{Data: []byte("---\ntitle: x\ndate: 2026-02-10\nasof: 2026-02-09\n---\n" +
		"RTY closed at {{ close \"RTY\" }}.\n\n```chart\ntype: line\nsymbols: [RTY]\nperiod: 3D\n```\n\n```chart\ntype: volatilty\nsymbols: [RTY]\nperiod: 3D\n```\n")}
	cfg := config(content)
	cfg.Data, cfg.DataName = marketData(), "data/"
	_, err := Run(context.Background(), cfg)
	want := `content/briefs/rotation/index.en.md:15:1: chart: unknown type "volatilty" (did you mean "volatility"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// A feed item carries what the page shows beside the text: the related
// tickers, right-aligned by attribute, the as-of date with the data note,
// and the disclaimer.
func TestFeedItemExtras(t *testing.T) {
	cfg := config(fixture(t, "site"))
	cfg.Data, cfg.DataName = marketData(), "data/"
	res := mustRun(t, cfg)
	feed := string(res.Files["en/index.xml"])
	for _, want := range []string{
		"<h2>Related tickers</h2>",
		`<tr><td>Russell 2000 RTY</td><td align="right">2,689.05</td><td align="right">▼ -0.41% 1D</td></tr>`,
		"<p><small>Market data as of February 9, 2026 · Sample data</small></p>",
		"<p><small>Disclaimer: Not investment advice.</small></p>",
	} {
		if !strings.Contains(feed, want) {
			t.Errorf("en/index.xml lacks %s", want)
		}
	}
	if zh := string(res.Files["zh/index.xml"]); !strings.Contains(zh, "<p><small>免责声明：仅供参考，不构成投资建议。</small></p>") {
		t.Errorf("zh/index.xml lacks the disclaimer")
	}
}
