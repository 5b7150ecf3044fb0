package content

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"briefs/internal/diag"

	"golang.org/x/tools/txtar"
)

// readArchive reads a txtar file of testdata into a MapFS and its want
// section.
func readArchive(t *testing.T, name string) (fstest.MapFS, string) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	want := ""
	for _, f := range ar.Files {
		if f.Name == "want" {
			want = string(f.Data)
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys, want
}

// describeHugo prints what a brief took from Hugo's keys.
func describeHugo(b *Brief) string {
	var s []string
	add := func(k, v string) {
		if v != "" {
			s = append(s, k+"="+v)
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	s = append(s, b.Bundle, b.Lang, b.Date.Format(time.DateOnly))
	if !b.DateTime.IsZero() {
		add("time", b.DateTime.Format(time.RFC3339))
	}
	add("slug", b.Slug)
	add("lastmod", date(b.Lastmod))
	add("expiry", date(b.ExpiryDate))
	add("publish", date(b.PublishDate))
	add("tags", strings.Join(b.Tags, ","))
	add("authors", strings.Join(b.Authors, ","))
	if b.Description != "" {
		add("description", fmt.Sprintf("%q", b.Description))
	}
	add("aliases", strings.Join(b.Aliases, ","))
	if b.Weight != 0 {
		add("weight", fmt.Sprint(b.Weight))
	}
	add("keywords", strings.Join(b.Keywords, ","))
	add("images", strings.Join(b.Images, ","))
	if p := b.Params(); p["math"] != nil || p["showtoc"] != nil || p["cover"] != nil {
		add("params", fmt.Sprintf("math=%v,showtoc=%v,cover=%v", p["math"], p["showtoc"], p["cover"]))
	}
	var res []string
	for _, r := range b.Resources {
		res = append(res, r.Name)
	}
	add("resources", strings.Join(res, ","))
	return strings.Join(s, " ")
}

// TestHugoSite loads a Hugo site's content placed under briefs/: every
// page is a brief or is left out with a warning that says why.
func TestHugoSite(t *testing.T) {
	fsys, want := readArchive(t, "hugo-site.txtar")
	site, err := Load(fsys, "content/")
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	got.WriteString("briefs:\n")
	for _, b := range site.Briefs {
		got.WriteString(describeHugo(b) + "\n")
	}
	got.WriteString("warnings:\n")
	for _, w := range site.Warnings {
		got.WriteString(w.Error() + "\n")
	}
	if got.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", got.String(), want)
	}
}

// TestHugoFrontMatterErrors: Hugo's keys are checked as strictly as the
// brief's own, in every format, at the right line.
func TestHugoFrontMatterErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key still an error", "---\ntitle: t\ndate: 2026-02-10\nShowTok: true\n---\n",
			`b.md:4:1: unknown front matter key "ShowTok"; expected one of title, date`},
		{"near a Hugo key", "---\ntitle: t\ndate: 2026-02-10\ndescriptoin: x\n---\n",
			`b.md:4:1: unknown front matter key "descriptoin" (did you mean "description"?)`},
		{"TOML unknown key", "+++\ntitle = \"t\"\ndate = 2026-02-10\ntagz = [\"a\"]\n+++\n",
			`b.md:4:1: unknown front matter key "tagz" (did you mean "tags"?)`},
		{"TOML bad date", "+++\ntitle = \"t\"\ndate = \"2026-02-30\"\n+++\n",
			`b.md:3:8: date 2026-02-30: that day does not exist: February 2026 has 28 days`},
		{"TOML syntax", "+++\ntitle = \"t\ndate = 2026-02-10\n+++\n",
			`b.md:2:`},
		{"TOML key set twice", "+++\ntitle = \"t\"\ntitle = \"u\"\ndate = 2026-02-10\n+++\n",
			`b.md:3:1: invalid TOML front matter`},
		{"TOML not closed", "+++\ntitle = \"t\"\n", `b.md:1:1: front matter is not closed: expected a +++ line after it`},
		{"JSON syntax", "{\n  \"title\": \"t\",\n  \"date\": 2026-02-10\n}\n", `b.md:3:`},
		{"JSON not closed", "{\n  \"title\": \"t\"\n", `b.md:1:1: JSON front matter is not closed`},
		{"JSON bad key", "{\n  \"title\": \"t\",\n  \"date\": \"2026-02-10\",\n  \"weigth\": 2\n}\n",
			`b.md:4:3: unknown front matter key "weigth" (did you mean "weight"?)`},
		{"weight not a number", "---\ntitle: t\ndate: 2026-02-10\nweight: heavy\n---\n",
			`b.md:4:9: weight: expected a whole number`},
		{"alias a URL", "---\ntitle: t\ndate: 2026-02-10\naliases: [\"https://old.example/x\"]\n---\n",
			`b.md:4:11: alias "https://old.example/x": expected a path of this site such as /old/path/, not a URL`},
		{"alias outside", "---\ntitle: t\ndate: 2026-02-10\naliases: [\"../x\"]\n---\n",
			`b.md:4:11: alias "../x": expected a path inside the site, without ..`},
		{"bad lastmod", "---\ntitle: t\ndate: 2026-02-10\nlastmod: soon\n---\n",
			`b.md:4:10: lastmod "soon": expected a date YYYY-MM-DD, or a date and time such as 2026-02-10T09:30:00+08:00`},
		{"params not a table", "---\ntitle: t\ndate: 2026-02-10\nparams: [a]\n---\n",
			`b.md:4:9: params: expected a table of keys and values`},
		{"Hugo key in a different case, twice", "---\ntitle: t\ndate: 2026-02-10\nlastmod: 2026-02-11\nLastMod: 2026-02-12\n---\n",
			`b.md:5:1: duplicate key "LastMod"`},
		{"layout page with text", "---\ntitle: t\nlayout: search\n---\ntext\n",
			`b.md:1: missing date in front matter: expected date: YYYY-MM-DD (the Hugo layout "search" is not used here`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBrief("b.md", []byte(tt.src))
			if err == nil {
				t.Fatalf("parseBrief(%q): no error, want %q", tt.src, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseBrief(%q):\n got %q\nwant it to contain %q", tt.src, err, tt.want)
			}
		})
	}
}

// TestHugoDateForms: dates with times and offsets keep the calendar date
// as written, and their instant.
func TestHugoDateForms(t *testing.T) {
	for _, tt := range []struct{ in, day, at string }{
		{"2026-02-10", "2026-02-10", ""},
		{"2026-02-10T23:30:00-05:00", "2026-02-10", "2026-02-11T04:30:00Z"},
		{"2026-02-10T00:30:00+08:00", "2026-02-10", "2026-02-09T16:30:00Z"},
		{"2026-02-10T09:30:00.123Z", "2026-02-10", "2026-02-10T09:30:00Z"},
		{`"2026-02-10 09:30"`, "2026-02-10", "2026-02-10T09:30:00Z"},
		{`"2026-02-10 09:30:00 +0800"`, "2026-02-10", "2026-02-10T01:30:00Z"},
		{`"Tue, 10 Feb 2026 09:30:00 +0000"`, "2026-02-10", "2026-02-10T09:30:00Z"},
		{`"10 Feb 2026"`, "2026-02-10", ""},
		{`"February 10, 2026"`, "2026-02-10", ""},
	} {
		b, err := parseBrief("b.md", []byte("---\ntitle: t\ndate: "+tt.in+"\n---\n"))
		if err != nil {
			t.Errorf("date %s: %v", tt.in, err)
			continue
		}
		at := ""
		if !b.DateTime.IsZero() {
			at = b.DateTime.UTC().Truncate(time.Second).Format(time.RFC3339)
		}
		if got := b.Date.Format(time.DateOnly); got != tt.day || at != tt.at {
			t.Errorf("date %s: got %s %q, want %s %q", tt.in, got, at, tt.day, tt.at)
		}
	}
}

// TestSiteKeys: site.toml's pageParams and taxonomies are checked.
func TestSiteKeys(t *testing.T) {
	_, err := ParseConfig("site.toml", []byte("pageParams = [\"title\", \"ShowToc\"]\ntaxonomies = [\"showtoc\"]\n"+siteTOML))
	got := fmt.Sprint(diag.Flatten(err))
	for _, want := range []string{"pageParams: title is a front matter key of its own (title)", "taxonomies: showtoc is listed twice (also in pageParams)"} {
		if !strings.Contains(got, want) {
			t.Errorf("got %s\nwant it to contain %q", got, want)
		}
	}
}

// TestSameNameInTwoSections: a brief is known by its name, wherever its
// file is.
func TestSameNameInTwoSections(t *testing.T) {
	page := []byte("---\ntitle: t\ndate: 2026-02-10\n---\n")
	fsys := fstest.MapFS{
		"site.toml":              {Data: []byte(siteTOML)},
		"briefs/a/post.md":       {Data: page},
		"briefs/b/post/index.md": {Data: page},
	}
	_, err := Load(fsys, "content/")
	want := `content/briefs/b/post/: a second brief named "post" (also content/briefs/a/post.md)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %s", err, want)
	}
}
