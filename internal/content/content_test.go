package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"briefs/internal/diag"
)

const siteTOML = `baseURL = "https://example.org/"
defaultLanguage = "zh"
[languages.zh]
title = "简报"
[languages.en]
title = "Briefs"
`

func TestParseBrief(t *testing.T) {
	src := "---\ntitle: 小盘股\ndate: 2026-02-10\nasof: 2026-02-09\nmarket: us_equities\nsentiment: mixed\n" +
		"tags: [sector_rotation, small_caps]\ntickers: [RTY, SPX]\nsources:\n  - {title: Market data, url: \"\"}\n" +
		"  - {title: Seeking Alpha, url: \"https://seekingalpha.com/\"}\nsummary: s\nauthor: 王明\ndraft: false\n---\n\nbody\n"
	b, err := parseBrief("b.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &Brief{File: "b.md", Title: "小盘股", Date: day(2026, 2, 10), AsOf: day(2026, 2, 9), Market: "us_equities",
		Sentiment: "mixed", Tags: []string{"sector_rotation", "small_caps"}, Tickers: []string{"RTY", "SPX"},
		Sources: []Source{{Title: "Market data"}, {Title: "Seeking Alpha", URL: "https://seekingalpha.com/"}},
		Summary: "s", Author: "王明", Body: []byte("\nbody\n"), BodyLine: 16}
	if got, want := describe(b), describe(want); got != want {
		t.Errorf("parseBrief:\n got %s\nwant %s", got, want)
	}
}

func describe(b *Brief) string {
	var s strings.Builder
	s.WriteString(b.Title + "|" + b.Date.Format(time.DateOnly) + "|" + b.AsOf.Format(time.DateOnly) + "|" + b.Market + "|" + b.Sentiment)
	s.WriteString("|" + strings.Join(b.Tags, ",") + "|" + strings.Join(b.Tickers, ","))
	for _, src := range b.Sources {
		s.WriteString("|" + src.Title + "=" + src.URL)
	}
	s.WriteString("|" + b.Summary + "|" + b.Author + "|" + string(b.Body))
	return s.String() + "|" + time.Duration(b.BodyLine).String()
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestBadFrontMatter: every class of bad front matter is an error at the
// right line, with a message that says what was expected.
func TestBadFrontMatter(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // each must appear in the error, in order
	}{
		{"unknown key", "---\ntitle: t\ndate: 2026-02-10\ntagz: [a]\n---\n",
			[]string{`b.md:4:1: unknown front matter key "tagz" (did you mean "tags"?)`}},
		{"unknown key far from any", "---\ntitle: t\ndate: 2026-02-10\npublisher: x\n---\n",
			[]string{`b.md:4:1: unknown front matter key "publisher"; expected one of title, date`}},
		{"author not a name", "---\ntitle: t\ndate: 2026-02-10\nauthor: {a: b}\n---\n",
			[]string{`b.md:4:9: author: expected a name, or a list of names`}},
		{"bad date", "---\ntitle: t\ndate: 2026-02-30\n---\n",
			[]string{`b.md:3:7: date 2026-02-30: that day does not exist: February 2026 has 28 days`}},
		{"not a date", "---\ntitle: t\ndate: Feb the 10th\n---\n",
			[]string{`b.md:3:7: date "Feb the 10th": expected a date YYYY-MM-DD`}},
		{"tab indentation", "---\ntitle: t\ndate: 2026-02-10\nsources:\n\t- {title: a}\n---\n",
			[]string{`b.md:5:1: invalid YAML front matter: this line is indented with a tab; YAML indents with spaces only`}},
		{"Latin-1 byte", "---\ntitle: t\ndate: 2026-02-10\n---\nCaf\xe9 au lait\n",
			[]string{`b.md:5:4: invalid UTF-8 (byte 0xE9): save the file as UTF-8`}},
		{"bad asof", "---\ntitle: t\ndate: 2026-02-10\nasof: yesterday\n---\n",
			[]string{`b.md:4:7: asof "yesterday": expected a date YYYY-MM-DD`}},
		{"asof after date", "---\ntitle: t\ndate: 2026-02-10\nasof: 2026-02-11\n---\n",
			[]string{`b.md:4:7: asof 2026-02-11 is after the brief's date 2026-02-10`}},
		{"missing title", "---\ndate: 2026-02-10\n---\n",
			[]string{`b.md:1: missing title in front matter`}},
		{"slug too long", "---\ntitle: t\ndate: 2026-02-10\nslug: " + strings.Repeat("a", 300) + "\n---\n",
			[]string{`b.md:4:7: slug is 300 bytes long; at most 120 fit in a URL and a file name`}},
		{"tag too long", "---\ntitle: t\ndate: 2026-02-10\ntags: [ok, " + strings.Repeat("t", 200) + "]\n---\n",
			[]string{`b.md:4:12: tag "ttt`, `is 200 bytes long; at most 120 fit in a URL`}},
		{"too many tickers", "---\ntitle: t\ndate: 2026-02-10\ntickers: [" + strings.Repeat("SPX, ", 30) + "QQQ]\n---\n",
			[]string{`b.md:4:10: tickers: 31 symbols; the related-tickers box shows at most 24`}},
		{"empty title", "---\ntitle: \"\"\ndate: 2026-02-10\n---\n",
			[]string{`b.md:2:8: title is empty`}},
		{"missing date", "---\ntitle: t\n---\n",
			[]string{`b.md:1: missing date in front matter`}},
		{"bad sentiment", "---\ntitle: t\ndate: 2026-02-10\nsentiment: happy\n---\n",
			[]string{`b.md:4:12: sentiment "happy": expected one of bullish, bearish, neutral, mixed`}},
		{"tags not a list", "---\ntitle: t\ndate: 2026-02-10\ntags: a, b\n---\n",
			[]string{`b.md:4:7: tags: expected a list such as [a, b]`}},
		{"draft not bool", "---\ntitle: t\ndate: 2026-02-10\ndraft: maybe\n---\n",
			[]string{`b.md:4:8: draft: expected true or false`}},
		{"source key", "---\ntitle: t\ndate: 2026-02-10\nsources:\n  - {title: a, link: x}\n---\n",
			[]string{`b.md:5:16: unknown key "link" in a source: expected title and url`}},
		{"bad slug", "---\ntitle: t\ndate: 2026-02-10\nslug: My Slug\n---\n",
			[]string{`b.md:4:7: slug "My Slug": expected letters, digits, - and _ only (such as "my-slug")`}},
		{"tag without letters", "---\ntitle: t\ndate: 2026-02-10\ntags: [ok, \"+++\"]\n---\n",
			[]string{`b.md:4:12: tag "+++" has no letters or digits, so it has no URL`}},
		{"tags that clash", "---\ntitle: t\ndate: 2026-02-10\ntags: [Market Analysis, market-analysis]\n---\n",
			[]string{`b.md:4:25: tag "market-analysis" is the same tag as "Market Analysis" (both are /tags/market-analysis/)`}},
		{"source url scheme", "---\ntitle: t\ndate: 2026-02-10\nsources:\n  - {title: a, url: \"javascript:alert(1)\"}\n---\n",
			[]string{`b.md:5:21: source url "javascript:alert(1)": expected an absolute http(s) URL`}},
		{"duplicate key", "---\ntitle: t\ndate: 2026-02-10\ntitle: u\n---\n",
			[]string{`b.md:4:1: duplicate key "title"`}},
		{"yaml syntax", "---\ntitle: [t\ndate: 2026-02-10\n---\n",
			[]string{`b.md:`, `invalid YAML front matter`}},
		{"no front matter", "# Title\n", []string{`b.md:1:1: expected front matter: a --- line opening YAML (or +++ for TOML, or a { for JSON)`}},
		{"unclosed", "---\ntitle: t\n", []string{`b.md:1:1: front matter is not closed`}},
		{"several at once", "---\ntitel: t\ndate: 2026-13-01\n---\n",
			[]string{`b.md:1: missing title`, `b.md:2:1: unknown front matter key "titel" (did you mean "title"?)`, `b.md:3:7: date 2026-13-01: there is no month 13`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBrief("b.md", []byte(tt.src))
			if err == nil {
				t.Fatalf("parseBrief(%q): no error, want %q", tt.src, tt.want)
			}
			got := err.Error()
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("parseBrief(%q):\n got %q\nwant it to contain %q (in order)", tt.src, got, tt.want)
				}
				rest = rest[i+len(w):]
			}
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *diag.Error", err)
			}
		})
	}
}

// TestSeriesSentiment: a series rates each issue from its data (auto) or
// shows no badge; one fixed rating for every issue is an error.
func TestSeriesSentiment(t *testing.T) {
	head := "---\ntitle: t\nevery: week\nfrom: 2026-01-05\n"
	for _, tt := range []struct{ front, want, err string }{
		{"", "", ""},
		{"sentiment: auto\n", "auto", ""},
		{"sentiment: neutral\n", "", `s.md:5:12: sentiment "neutral": one rating cannot fit every issue of a series; write sentiment: auto`},
	} {
		b, err := parseSource("s.md", []byte(head+tt.front+"---\nbody\n"), true, nil)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.front, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: error %v, want %q", tt.front, err, tt.err)
		case err == nil && b.Sentiment != tt.want:
			t.Errorf("%q: sentiment %q, want %q", tt.front, b.Sentiment, tt.want)
		}
	}
	if _, err := parseBrief("b.md", []byte("---\ntitle: t\ndate: 2026-02-10\nsentiment: auto\n---\n")); err == nil || !strings.Contains(err.Error(), `sentiment "auto": expected one of bullish`) {
		t.Errorf("a brief with sentiment auto: %v", err)
	}
}

func TestHugoDates(t *testing.T) {
	for _, s := range []string{"2026-02-10", "2026-02-10T09:30:00+08:00", "2026-02-10T09:30:00Z", "\"2026-02-10 09:30:00\""} {
		b, err := parseBrief("b.md", []byte("---\ntitle: t\ndate: "+s+"\n---\n"))
		if err != nil {
			t.Errorf("date %s: %v", s, err)
			continue
		}
		if got := b.Date.Format(time.DateOnly); got != "2026-02-10" {
			t.Errorf("date %s: got %s, want 2026-02-10", s, got)
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "paginat = 3\n" + siteTOML, `site.toml:1:1: unknown key "paginat"`},
		{"unknown language key", strings.Replace(siteTOML, `title = "Briefs"`, "title = \"Briefs\"\ntitel = \"x\"", 1), `site.toml:7:1: unknown key "languages.en.titel"`},
		{"bad base URL", strings.Replace(siteTOML, "https://example.org/", "example.org", 1), `site.toml:1: baseURL "example.org": expected an absolute http(s) URL with a host`},
		{"default not a language", strings.Replace(siteTOML, `"zh"`, `"fr"`, 1), `site.toml:2: defaultLanguage "fr" is not among the languages (en, zh)`},
		{"no title", strings.Replace(siteTOML, `title = "Briefs"`, "", 1), `site.toml:5: languages.en has no title`},
		{"bad time zone", siteTOML[:strings.Index(siteTOML, "[")] + "timeZone = \"Mars/Olympus\"\n" + siteTOML[strings.Index(siteTOML, "["):], `site.toml:3: timeZone "Mars/Olympus"`},
		{"syntax", "baseURL = \n", `site.toml:1:`},
		{"data dir outside", "dataDir = \"../../etc\"\n" + siteTOML, `site.toml:1: dataDir "../../etc": expected a folder inside content/, written with / and without ..`},
		{"data dir absolute", "dataDir = \"/etc\"\n" + siteTOML, `site.toml:1: dataDir "/etc": expected a folder inside content/`},
		{"unsafeHTML not a boolean", "unsafeHTML = \"yes\"\n" + siteTOML, `site.toml:1:14: invalid TOML`},
		{"snapshot twice", "snapshot = [\"SPX\", \"NDX\", \"SPX\"]\n" + siteTOML, `site.toml:1: snapshot lists "SPX" twice`},
		{"snapshot too long", "snapshot = [\"A\", \"B\", \"C\", \"D\", \"E\", \"F\", \"G\", \"H\", \"I\"]\n" + siteTOML, `site.toml:1: snapshot lists 9 symbols; the home page's strip shows at most 8`},
		{"snapshot not a list", "snapshot = \"SPX\"\n" + siteTOML, `site.toml:1:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("site.toml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseConfig:\n got %v\nwant %q", err, tt.want)
			}
		})
	}
}

func TestConfigLanguageOrder(t *testing.T) {
	cfg, err := ParseConfig("site.toml", []byte(siteTOML))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.LanguageKeys(), ","); got != "zh,en" {
		t.Errorf("languages %s, want zh,en (default first)", got)
	}
	if cfg.BaseURL != "https://example.org/" || cfg.Paginate != 10 || cfg.DataDir != "data" || cfg.UnsafeHTML {
		t.Errorf("defaults: %+v", cfg)
	}
	cfg, err = ParseConfig("site.toml", []byte("unsafeHTML = true\n"+siteTOML))
	if err != nil || !cfg.UnsafeHTML {
		t.Errorf("unsafeHTML = true: %v, %+v", err, cfg)
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":                 {Data: []byte(siteTOML)},
		"labels.toml":               {Data: []byte("[tags]\nsmall_caps = { zh = \"小盘股\", en = \"Small caps\" }\n")},
		"briefs/a/index.zh.md":      {Data: []byte("---\ntitle: 甲\ndate: 2026-02-10\ntags: [small_caps]\n---\n正文\n")},
		"briefs/a/index.en.md":      {Data: []byte("---\ntitle: A\ndate: 2026-02-10\n---\nBody\n")},
		"briefs/a/chart.png":        {Data: []byte("png")},
		"briefs/a/.index.zh.md.swp": {Data: []byte("junk")},
		"briefs/a/4913":             {Data: []byte("")},
		"briefs/a/index.en.md~":     {Data: []byte("backup")},
		"briefs/a/x___jb_tmp___":    {Data: []byte("jetbrains")},
		"briefs/a/#index.zh.md#":    {Data: []byte("emacs")},
		"briefs/a/img/map.webp":     {Data: []byte("RIFF")},
		"briefs/a/.git/config":      {Data: []byte("hidden")},
		"briefs/b/index.md":         {Data: []byte("---\ntitle: 乙\ndate: 2026-02-11\nslug: bee\n---\n")},
	}
	site, err := Load(fsys, "content/")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range site.Briefs {
		got = append(got, b.Bundle+"/"+b.Lang+"/"+b.Slug+"@"+b.File)
	}
	want := []string{"b/zh/bee@content/briefs/b/index.md", "a/en/a@content/briefs/a/index.en.md", "a/zh/a@content/briefs/a/index.zh.md"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("briefs:\n got %v\nwant %v", got, want)
	}
	if r := site.Briefs[1].Resources; len(r) != 2 || r[0].Name != "chart.png" || r[1].Name != "img/map.webp" {
		t.Errorf("resources of a: %+v, want chart.png and img/map.webp only", r)
	}
	if got := site.Labels.Tag("small_caps", "zh"); got != "小盘股" {
		t.Errorf("tag label %q", got)
	}
	if got := site.Labels.Tag("unlabelled", "zh"); got != "unlabelled" {
		t.Errorf("unknown tag label %q, want the key", got)
	}
}

// TestLoadReportsAll: problems in several briefs come back together, sorted,
// each naming its file and line.
func TestLoadReportsAll(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":             {Data: []byte(siteTOML)},
		"briefs/a/index.zh.md":  {Data: []byte("---\ntitle: 甲\ndate: 2026-02-31\n---\n")},
		"briefs/b/index.en.md":  {Data: []byte("---\ntitle: B\ndate: 2026-02-10\ncolor: red\n---\n")},
		"briefs/c/index.x_y.md": {Data: []byte("---\ntitle: C\ndate: 2026-02-10\n---\n")},
		"briefs/d/index.md":     {Data: []byte("---\ndate: 2026-02-10\n---\n")},
	}
	_, err := Load(fsys, "content/")
	errs := diag.Flatten(err)
	want := []string{
		`content/briefs/a/index.zh.md:3:7: date 2026-02-31: that day does not exist: February 2026 has 28 days`,
		`content/briefs/b/index.en.md:4:1: unknown front matter key "color"`,
		`content/briefs/c/index.x_y.md: unexpected Markdown file: expected index.md or index.<lang>.md with lang one of zh, en`,
		`content/briefs/d/index.md:1: missing title in front matter`,
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d:\n got %s\nwant %s...", i, errs[i], w)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"sector_rotation": "sector_rotation",
		"Market Analysis": "market-analysis",
		"  AI / Chips  ":  "ai-chips",
		"板块轮动":            "板块轮动",
		"S&P 500":         "s-p-500",
		"already-slugged": "already-slugged",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// Label keys that labels.toml does not know are named with the nearest one
// it knows; a tag without a label in the brief's language and a missing
// translation are said too.
func TestLabelWarnings(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":            {Data: []byte(siteTOML)},
		"labels.toml":          {Data: []byte("[tags]\nsector_rotation = { zh = \"板块轮动\", en = \"Sector rotation\" }\nenergy = { en = \"Energy\" }\n[markets]\nus_equities = { zh = \"美股\", en = \"US equities\" }\n")},
		"briefs/a/index.zh.md": {Data: []byte("---\ntitle: 甲\ndate: 2026-02-10\nmarket: us_equites\ntags: [sector_rotaton, energy]\n---\n")},
		"briefs/a/index.en.md": {Data: []byte("---\ntitle: A\ndate: 2026-02-10\nmarket: us_equities\ntags: [sector_rotation, energy, crypto]\n---\n")},
		"briefs/b/index.en.md": {Data: []byte("---\ntitle: B\ndate: 2026-02-11\n---\n")},
	}
	site, err := Load(fsys, "content/")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range LabelWarnings(site) {
		got = append(got, w.Error())
	}
	want := []string{
		`content/briefs/a/index.en.md:5:33: tag "crypto" has no label in labels.toml: it shows as its key; add it under [tags] with a name per language`,
		`content/briefs/a/index.zh.md:4:1: market "us_equites" has no label in labels.toml (did you mean "us_equities"?)`,
		`content/briefs/a/index.zh.md:5:8: tag "sector_rotaton" has no label in labels.toml (did you mean "sector_rotation"?)`,
		`content/briefs/a/index.zh.md:5:24: tag "energy" has no zh label in labels.toml: it shows as its key on zh pages`,
		`content/briefs/b/index.en.md: no translation index.zh.md: the brief is missing from the other language's lists and feeds`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A bundle may not publish files a browser runs script in, nor backups of
// its sources, unless the site allows raw HTML (for the first).
func TestUnpublishableResources(t *testing.T) {
	brief := &fstest.MapFile{Data: []byte("---\ntitle: a\ndate: 2026-02-10\n---\n")}
	fsys := fstest.MapFS{
		"site.toml":                 {Data: []byte(siteTOML)},
		"briefs/a/index.en.md":      brief,
		"briefs/a/evil.html":        {Data: []byte("<script>alert(1)</script>")},
		"briefs/a/img/chart.svg":    {Data: []byte("<svg onload=alert(1)/>")},
		"briefs/a/index.en.md.orig": brief,
		"briefs/a/chart.png":        {Data: []byte("png")},
	}
	_, err := Load(fsys, "content/")
	for _, want := range []string{
		"content/briefs/a/evil.html: a .html file in a bundle is published as it is, and a browser runs any script it holds",
		"content/briefs/a/img/chart.svg: a .svg file in a bundle",
		"content/briefs/a/index.en.md.orig: looks like a backup or a copy of a source",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v\nwant %s", err, want)
		}
	}
	delete(fsys, "briefs/a/index.en.md.orig")
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("unsafeHTML = true\n" + siteTOML)}
	site, err := Load(fsys, "content/")
	if err != nil || len(site.Briefs[0].Resources) != 3 {
		t.Errorf("with unsafeHTML: %v", err)
	}
}
