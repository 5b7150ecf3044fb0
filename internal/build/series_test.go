package build

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// closesOf reads a symbol's closes from the data corpus, by date,
// independently of the market package.
func closesOf(t *testing.T, content fstest.MapFS, symbol string) ([]time.Time, map[time.Time]float64) {
	t.Helper()
	f, ok := content["data/prices/"+symbol+".csv"]
	if !ok {
		t.Fatalf("no price file for %s", symbol)
	}
	rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	closes := map[time.Time]float64{}
	var dates []time.Time
	col := slices.IndexFunc(rows[0], func(h string) bool { return strings.EqualFold(h, "close") })
	for _, r := range rows[1:] {
		d, err1 := time.Parse(time.DateOnly, r[0])
		c, err2 := strconv.ParseFloat(r[col], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s.csv row %v", symbol, r)
		}
		dates = append(dates, d)
		closes[d] = c
	}
	return dates, closes
}

// weeks lists the ISO weeks from "from" whose Friday the data reaches by
// last, each with its last trading day.
func weeks(dates []time.Time, from, last time.Time) (keys []string, ends map[string]time.Time) {
	ends = map[string]time.Time{}
	fy, fw := from.ISOWeek()
	first := fmt.Sprintf("%04d-w%02d", fy, fw)
	for _, d := range dates {
		y, w := d.ISOWeek()
		k := fmt.Sprintf("%04d-w%02d", y, w)
		if d.After(last) || k < first {
			continue
		}
		if _, ok := ends[k]; !ok {
			keys = append(keys, k)
		}
		ends[k] = d
	}
	// The last week counts once the data reaches its Friday.
	if n := len(keys); n > 0 {
		end := ends[keys[n-1]]
		friday := end.AddDate(0, 0, int(time.Friday-end.Weekday()))
		if last.Before(friday) {
			delete(ends, keys[n-1])
			keys = keys[:n-1]
		}
	}
	return keys, ends
}

// issueKeys lists the issue folders a build made for the fixture series.
func issueKeys(res *Result, lang string) []string {
	prefix := lang + "/series/scoreboard/"
	var out []string
	for f := range res.Files {
		rest, ok := strings.CutPrefix(f, prefix)
		if k, ok2 := strings.CutSuffix(rest, "/index.html"); ok && ok2 && !strings.Contains(k, "/") && !strings.HasPrefix(k, "page") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TestSeries builds a weekly series (testdata/series.txtar) over the data
// corpus's prices, without its briefs, cut after a Friday, then again with one more week of rows
// with the same Memo. The series must have exactly one issue per complete
// week; the new week must add exactly one issue per language, render only
// it and the lists, and leave every older issue byte-identical; and an
// issue's figures must be those of its own week's end.
func TestSeries(t *testing.T) {
	t.Parallel()
	content := dataSite(t)
	for name := range content {
		if strings.HasPrefix(name, "briefs/") {
			delete(content, name)
		}
	}
	maps.Copy(content, fixture(t, "series"))
	dates, closes := closesOf(t, content, "T001")
	from := time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC)
	cut1 := time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC) // a Friday
	cut2 := cut1.AddDate(0, 0, 7)
	data1, _ := cutData(content, cut1.Format(time.DateOnly))
	// Wednesday's rows of the week after make no issue: the week is not over.
	data2, _ := cutData(content, cut2.AddDate(0, 0, 5).Format(time.DateOnly))

	memo := &Memo{}
	cache := t.TempDir()
	build := func(content fstest.MapFS) *Result {
		cfg := dataConfig(content)
		cfg.CacheDir, cfg.Memo = cache, memo
		return mustRun(t, cfg)
	}
	a := build(data1)
	want1, ends := weeks(dates, from, cut1)
	want2, _ := weeks(dates, from, cut2.AddDate(0, 0, 5))
	if len(want2) != len(want1)+1 {
		t.Fatalf("test data: %d weeks to %s, %d a week later", len(want1), cut1, len(want2))
	}
	for _, lang := range []string{"zh", "en"} {
		if got := issueKeys(a, lang); !slices.Equal(got, want1) {
			t.Errorf("%s issues:\n got %v\nwant %v", lang, got, want1)
		}
	}
	if a.Issues != len(want1) {
		t.Errorf("Result.Issues = %d, want %d", a.Issues, len(want1))
	}

	b := build(data2)
	for _, lang := range []string{"zh", "en"} {
		if got := issueKeys(b, lang); !slices.Equal(got, want2) {
			t.Errorf("%s issues a week later:\n got %v\nwant %v", lang, got, want2)
		}
		for i, k := range want1 {
			f := lang + "/series/scoreboard/" + k + "/index.html"
			if i < len(want1)-1 {
				if !bytes.Equal(a.Files[f], b.Files[f]) {
					t.Errorf("%s changed when a week of rows was added", f)
				}
				continue
			}
			// The issue that was the latest gains its next-issue links,
			// and changes in nothing else.
			next := `<a class="next" rel="next" href="/` + lang + "/series/scoreboard/" + want2[len(want2)-1] + `/">`
			if n := strings.Count(string(b.Files[f]), next); n != 2 {
				t.Errorf("%s links the new issue %d times, want 2 (%s)", f, n, next)
			}
			var kept []string
			for line := range strings.Lines(string(b.Files[f])) {
				if !strings.Contains(line, next) {
					kept = append(kept, line)
				}
			}
			if strings.Join(kept, "") != string(a.Files[f]) {
				t.Errorf("%s changed in more than its next-issue links when a week of rows was added", f)
			}
		}
		// The index lists the new issue first.
		idx := string(b.Files[lang+"/series/scoreboard/index.html"])
		newest := "/" + lang + "/series/scoreboard/" + want2[len(want2)-1] + "/"
		older := "/" + lang + "/series/scoreboard/" + want1[len(want1)-1] + "/"
		if i, j := strings.Index(idx, `href="`+newest), strings.Index(idx, `href="`+older); i < 0 || j < 0 || i > j {
			t.Errorf("the %s series index does not list %s before %s", lang, newest, older)
		}
	}
	// Only the new issue is computed; the other pages rendered are lists.
	if b.Stats.Prepared != 2 {
		t.Errorf("a new week prepared %d briefs, want 2 (the new issue in two languages)", b.Stats.Prepared)
	}
	var rendered []string
	for f, data := range b.Files {
		if old, ok := a.Files[f]; !ok || !bytes.Equal(old, data) {
			rendered = append(rendered, f)
		}
	}
	slices.Sort(rendered)
	for _, f := range rendered {
		switch {
		case strings.HasPrefix(f, "charts/"), f == "sitemap.xml",
			strings.Contains(f, "/series/scoreboard/"+want2[len(want2)-1]+"/"),
			strings.Contains(f, "/series/scoreboard/"+want1[len(want1)-1]+"/"), // its next-issue link
			strings.Contains(f, "/series/scoreboard/index.html"), strings.Contains(f, "/series/scoreboard/page/"),
			strings.HasSuffix(f, ".xml"), strings.Contains(f, "/tags/"), f == "zh/index.html", f == "en/index.html":
		default:
			t.Errorf("%s changed when a week was added", f)
		}
	}
	t.Logf("one more week: %d briefs prepared, %d files rendered, %d reused; changed: %d files", b.Stats.Prepared, b.Stats.Rendered, b.Stats.RenderedReused, len(rendered))

	// The figures of an issue are as of its week's last session: T001's
	// week is close(end) / close(last close on or before end - 7
	// days) - 1.
	k := want1[len(want1)/2]
	end := ends[k]
	var start time.Time
	for _, d := range dates {
		if !d.After(end.AddDate(0, 0, -7)) {
			start = d
		}
	}
	for _, lang := range []string{"zh", "en"} {
		want := fmt.Sprintf("T001 close %s %.2f -> %s %.2f", start.Format(time.DateOnly), closes[start], end.Format(time.DateOnly), closes[end])
		if lang == "zh" {
			want = fmt.Sprintf("T001 %s 收盘价 %.2f → %s %.2f", start.Format(time.DateOnly), closes[start], end.Format(time.DateOnly), closes[end])
		}
		figs := figuresIn(t, a, lang+"/series/scoreboard/"+k+"/index.html")
		got, ok := figs[want]
		if !ok {
			t.Errorf("%s issue %s has no figure %q", lang, k, want)
			continue
		}
		ret := closes[end]/closes[start] - 1
		if wantText := fmt.Sprintf("%.2f%%", 100*ret); !strings.Contains(got, strings.TrimPrefix(wantText, "-")) {
			t.Errorf("%s issue %s shows %q for the week, want %s", lang, k, got, wantText)
		}
		page := string(a.Files[lang+"/series/scoreboard/"+k+"/index.html"])
		asof := map[string]string{"zh": fmt.Sprintf("%d年%d月%d日", end.Year(), end.Month(), end.Day()), "en": end.Format("January 2, 2006")}[lang]
		if !strings.Contains(page, asof) {
			t.Errorf("%s issue %s does not say it is as of %s", lang, k, asof)
		}
	}
}
