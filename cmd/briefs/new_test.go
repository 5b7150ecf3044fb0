package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefs/internal/locale"
	"briefs/internal/market"
)

// newProject copies the repository's templates, assets, site settings,
// labels, market data and archetypes into a temporary project folder, with
// one brief of its own.
func newProject(t *testing.T) string {
	t.Helper()
	dir := tempProject(t, map[string]string{
		"briefs/existing/index.zh.md": "---\ntitle: 已有\ndate: 2026-01-05\n---\n正文\n",
	})
	repo := filepath.Join("..", "..", "content")
	for _, sub := range []string{"data", "archetypes"} {
		if err := os.CopyFS(filepath.Join(dir, "content", sub), os.DirFS(filepath.Join(repo, sub))); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"site.toml", "labels.toml"} {
		data, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// snapshot returns every file under dir/content with its bytes, and every
// folder.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	root := filepath.Join(dir, "content")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			files[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameFiles(t *testing.T, before, after map[string]string) {
	t.Helper()
	for name, data := range after {
		if old, ok := before[name]; !ok {
			t.Errorf("created %s", name)
		} else if old != data {
			t.Errorf("changed %s", name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("removed %s", name)
		}
	}
}

func runNewCmd(dir string, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), append(append([]string{"new"}, args...), "-source", dir), &out, &errOut)
	return out.String(), errOut.String(), err
}

// TestNew starts a brief of each kind, builds the site with drafts as
// `briefs build -drafts` does, and reads the pages: both languages, with
// the slug, date and as-of of the kind, and figures as of that session.
func TestNew(t *testing.T) {
	dir := newProject(t)
	u, err := market.Load(os.DirFS(filepath.Join(dir, "content", "data")), "content/data/")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind, date, slug, asof string
		title                  map[string]string
	}{
		// A trading day is its own as-of.
		{"daily", "2026-02-10", "2026-02-10-daily", "2026-02-10",
			map[string]string{"zh": "美股收盘：2026年2月10日", "en": "Market close: February 10, 2026"}},
		// Martin Luther King Jr. Day, a holiday in the sample data: as of
		// the Friday before.
		{"daily", "2026-01-19", "2026-01-19-daily", "2026-01-16",
			map[string]string{"zh": "美股收盘：2026年1月16日", "en": "Market close: January 16, 2026"}},
		// A Saturday: as of Friday, in ISO week 7.
		{"weekly", "2026-02-14", "2026-w07-weekly", "2026-02-13",
			map[string]string{"zh": "美股周报：截至2026年2月13日的一周", "en": "Weekly wrap: the week to February 13, 2026"}},
		{"monthly", "2026-02-28", "2026-02-monthly", "2026-02-27",
			map[string]string{"zh": "月度回顾：截至2026年2月27日的一个月", "en": "Monthly review: the month to February 27, 2026"}},
	}
	for _, tt := range tests {
		stdout, stderr, err := runNewCmd(dir, tt.kind, "-date", tt.date)
		if err != nil {
			t.Fatalf("new %s -date %s: %v\n%s", tt.kind, tt.date, err, stderr)
		}
		bundle := filepath.ToSlash(filepath.Join(dir, "content", "briefs", tt.slug))
		for _, lang := range []string{"zh", "en"} {
			if want := "created " + bundle + "/index." + lang + ".md\n"; !strings.Contains(stdout, want) {
				t.Errorf("new %s printed %q, want %q", tt.kind, stdout, want)
			}
			src, err := os.ReadFile(filepath.Join(dir, "content", "briefs", tt.slug, "index."+lang+".md"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"\ndate: " + tt.date + "\n", "\nasof: " + tt.asof + "\n", "\ndraft: true\n", "\nsentiment: neutral\n", tt.title[lang], "{{ close \"SPX\" }}", "<!-- "} {
				if !bytes.Contains(src, []byte(want)) {
					t.Errorf("%s/index.%s.md lacks %q", tt.slug, lang, want)
				}
			}
			if bytes.Contains(src, []byte("[[")) {
				t.Errorf("%s/index.%s.md keeps [[ ]] actions", tt.slug, lang)
			}
		}
		if !strings.Contains(stdout, "make serve") || !strings.Contains(stdout, "figures as of "+tt.asof) {
			t.Errorf("new %s printed %q", tt.kind, stdout)
		}
	}

	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "-source", dir, "-drafts", "-quiet"}, &stdout, &stderr); err != nil {
		t.Fatalf("build -drafts: %v\n%s", err, stderr.String())
	}
	for _, tt := range tests {
		asof, _ := time.Parse(time.DateOnly, tt.asof)
		spx, err := u.At(asof).Close("SPX")
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"zh", "en"} {
			loc := &locale.Locale{Lang: lang}
			page, err := os.ReadFile(filepath.Join(dir, "public", lang, "briefs", tt.slug, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			html := string(page)
			for _, want := range []string{
				tt.title[lang],
				loc.Date(asof),           // as-of text
				loc.Number(spx.Value, 2), // the S&P 500's close on that session
				`<data value="`,
				`<img`, "/charts/",
			} {
				if !strings.Contains(html, want) {
					t.Errorf("%s %s page lacks %q", lang, tt.slug, want)
				}
			}
			if strings.Contains(html, "{{") || strings.Contains(html, "[[") {
				t.Errorf("%s %s page shows template actions", lang, tt.slug)
			}
		}
	}
}

// TestNewFlags: flags before or after the kind, with one or two dashes;
// -slug names the folder.
func TestNewFlags(t *testing.T) {
	dir := newProject(t)
	for _, tt := range []struct {
		args []string
		slug string
	}{
		{[]string{"weekly", "-date", "2026-02-13"}, "2026-w07-weekly"},
		{[]string{"-date", "2026-02-06", "weekly"}, "2026-w06-weekly"},
		{[]string{"--date", "2026-02-03", "daily", "--slug", "tuesday-close"}, "tuesday-close"},
		{[]string{"-slug", "january-review", "monthly", "-date", "2026-01-30"}, "january-review"},
		// The Saturday after the last session of the data is as of it.
		{[]string{"daily", "-date", "2026-11-21"}, "2026-11-21-daily"},
	} {
		if _, stderr, err := runNewCmd(dir, tt.args...); err != nil {
			t.Errorf("new %q: %v\n%s", tt.args, err, stderr)
			continue
		}
		for _, lang := range []string{"zh", "en"} {
			if _, err := os.Stat(filepath.Join(dir, "content", "briefs", tt.slug, "index."+lang+".md")); err != nil {
				t.Errorf("new %q: %v", tt.args, err)
			}
		}
	}
	src, err := os.ReadFile(filepath.Join(dir, "content", "briefs", "2026-11-21-daily", "index.en.md"))
	if err != nil || !bytes.Contains(src, []byte("\nasof: 2026-11-20\n")) {
		t.Errorf("as-of after the last session: %v\n%s", err, src)
	}
	if _, stderr, err := runNewCmd(dir, "daily", "-date", "2026-02-03", "extra"); err == nil || !strings.Contains(stderr, `unexpected argument "extra"`) {
		t.Errorf("two kinds: %v %q", err, stderr)
	}
	if _, stderr, err := runNewCmd(dir, "-date", "2026-02-03"); err == nil || !strings.Contains(stderr, "missing the kind") {
		t.Errorf("no kind: %v %q", err, stderr)
	}
}

func TestDefaultSlug(t *testing.T) {
	for _, tt := range []struct{ kind, date, want string }{
		{"daily", "2026-02-10", "2026-02-10-daily"},
		{"weekly", "2026-02-10", "2026-w07-weekly"},
		{"weekly", "2025-12-29", "2026-w01-weekly"}, // ISO year 2026
		{"weekly", "2027-01-01", "2026-w53-weekly"},
		{"monthly", "2026-02-10", "2026-02-monthly"},
		{"earnings", "2026-02-10", "2026-02-10-earnings"},
	} {
		d, _ := time.Parse(time.DateOnly, tt.date)
		if got := defaultSlug(tt.kind, d); got != tt.want {
			t.Errorf("defaultSlug(%s, %s) = %s, want %s", tt.kind, tt.date, got, tt.want)
		}
	}
	a := newArchetype("weekly", "zh", "s", time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC))
	if a.Year != "2025" || a.ISOYear != "2026" || a.Week != "01" || a.Month != "12" || a.DateText != "2025年12月29日" {
		t.Errorf("archetype fields %+v", a)
	}
}

// TestNewRefusals: each refusal names its reason, fails, and leaves the
// content folder exactly as it was.
func TestNewRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		args  []string
		want  []string
	}{
		{"existing bundle", func(t *testing.T, dir string) {
			if _, _, err := runNewCmd(dir, "daily", "-date", "2026-02-10"); err != nil {
				t.Fatal(err)
			}
		}, []string{"daily", "-date", "2026-02-10"}, []string{"content/briefs/2026-02-10-daily already exists"}},
		{"existing slug", nil, []string{"daily", "-date", "2026-02-10", "-slug", "existing"}, []string{"content/briefs/existing already exists"}},
		{"unknown kind", nil, []string{"quarterly", "-date", "2026-02-10"},
			[]string{`unknown kind of brief "quarterly"`, "known kinds are daily, monthly, weekly"}},
		{"date before the data", nil, []string{"daily", "-date", "2014-12-31"},
			[]string{"date 2014-12-31 is before the first trading session", "runs from 2015-01-02 to 2026-11-20"}},
		{"date after the data", nil, []string{"weekly", "-date", "2026-11-23"},
			[]string{"date 2026-11-23 is after the last trading session", "runs from 2015-01-02 to 2026-11-20"}},
		{"bad date", nil, []string{"daily", "-date", "2026-02-30"}, []string{`-date "2026-02-30": expected a date YYYY-MM-DD`}},
		{"bad slug", nil, []string{"daily", "-date", "2026-02-10", "-slug", "../x"}, []string{`-slug "../x"`}},
		{"missing language", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "content", "archetypes", "weekly.en.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"weekly", "-date", "2026-02-13"},
			[]string{"content/archetypes/weekly.en.md: missing archetype", "languages are zh, en"}},
		{"template error", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "content", "archetypes", "daily.en.md")
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			src = bytes.Replace(src, []byte("date: [[ .Date ]]"), []byte("date: [[ .Dat ]]"), 1)
			if err := os.WriteFile(p, src, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"daily", "-date", "2026-02-10"},
			[]string{"content/archetypes/daily.en.md:3:10: [[ .Dat ]]: unknown field .Dat (did you mean .Date?)"}},
		{"template syntax error", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "content", "archetypes", "monthly.zh.md")
			if err := os.WriteFile(p, []byte("---\ntitle: [[ if .Date ]]\n---\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"monthly", "-date", "2026-02-27"}, []string{"content/archetypes/monthly.zh.md:4: unexpected end of the archetype: an [[ if ]], [[ range ]] or [[ with ]] is missing its [[ end ]]"}},
		{"invalid brief", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "content", "archetypes", "daily.zh.md")
			if err := os.WriteFile(p, []byte("---\ntitle: [[ .DateText ]]\ndate: [[ .Date ]]\ntagz: [x]\n---\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"daily", "-date", "2026-02-10"},
			[]string{"content/archetypes/daily.zh.md: makes a brief the build refuses: index.zh.md:4:1: unknown front matter key \"tagz\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newProject(t)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			before := snapshot(t, dir)
			stdout, _, err := runNewCmd(dir, tt.args...)
			if err == nil {
				t.Fatalf("new %q succeeded: %s", tt.args, stdout)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			sameFiles(t, before, snapshot(t, dir))
		})
	}
}

// TestNewExitStatus runs the real binary: a refusal is printed as an error
// and exits with status 1.
func TestNewExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "briefs")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := newProject(t)
	cmd := exec.Command(bin, "new", "quarterly", "-date", "2026-02-10")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1", err)
	}
	want := "error: unknown kind of brief \"quarterly\": known kinds are daily, monthly, weekly (the archetypes in content/archetypes/)\n"
	if stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("stdout %q\nstderr %q\nwant %q", stdout.String(), stderr.String(), want)
	}
}

// Without -date, the brief is dated today and computed as of the latest
// session in the data, however old that is: the README's first example
// works every morning.
func TestNewToday(t *testing.T) {
	dir := newProject(t)
	u, err := market.Load(os.DirFS(filepath.Join(dir, "content", "data")), "content/data/")
	if err != nil {
		t.Fatal(err)
	}
	_, last, _ := sessionRange(u)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().In(ny).Format(time.DateOnly)
	stdout, stderr, err := runNewCmd(dir, "daily")
	if err != nil {
		t.Fatalf("new daily: %v\n%s", err, stderr)
	}
	today := time.Now().In(ny).Format(time.DateOnly)
	if today != before {
		t.Skip("the day changed while the test ran")
	}
	src, err := os.ReadFile(filepath.Join(dir, "content", "briefs", today+"-daily", "index.en.md"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, want := range []string{"date: " + today + "\n", "asof: " + last.Format(time.DateOnly) + "\n"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("index.en.md lacks %q:\n%s", want, src)
		}
	}
}
