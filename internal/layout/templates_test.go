package layout

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// partialCached executes a partial once per variant and page kind, and
// returns the same HTML every later time; without a variant it is an
// error, and so is an error of the partial.
func TestPartialCached(t *testing.T) {
	calls := 0
	page := func(body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{{ define "main" }}` + body + `{{ end }}`)}
	}
	fsys := fstest.MapFS{
		"baseof.html":     {Data: []byte(`{{ define "baseof" }}<html><main>{{ template "main" . }}</main></html>{{ end }}`)},
		"partials/p.html": {Data: []byte(`{{ define "item" }}<b>{{ .Name }}#{{ count }}</b>{{ end }}{{ define "broken" }}{{ fail }}{{ end }}`)},
		"list.html":       page(`{{ range .Items }}{{ partialCached "item" . .ID }}{{ end }}`),
		"brief.html":      page(`{{ range .Items }}{{ partialCached "item" . .ID }}{{ end }}`),
		"tags.html":       page(`{{ partialCached "item" . }}`),
		"404.html":        page(`{{ partialCached "broken" . "x" }}`),
		"root.html":       {Data: []byte(`root`)},
	}
	funcs := Funcs()
	funcs["count"] = func() int { calls++; return calls }
	funcs["fail"] = func() (string, error) { return "", errors.New("the partial failed") }
	tm, err := LoadTemplates(fsys, "templates/", funcs)
	if err != nil {
		t.Fatal(err)
	}
	type item struct{ ID, Name string }
	data := map[string]any{"Items": []item{{"a", "A"}, {"b", "B<"}, {"a", "not shown"}}}
	for range 2 {
		out, err := tm.Execute("list", data)
		if err != nil {
			t.Fatal(err)
		}
		if want := "<html><main><b>A#1</b><b>B&lt;#2</b><b>A#1</b></main></html>"; out.String() != want {
			t.Fatalf("list: %s, want %s", out, want)
		}
	}
	// Another kind has its own: its file may define the partial otherwise.
	out, err := tm.Execute("brief", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<html><main><b>A#3</b><b>B&lt;#4</b><b>A#3</b></main></html>"; out.String() != want {
		t.Fatalf("brief: %s, want %s", out, want)
	}
	if calls != 4 {
		t.Fatalf("the partial ran %d times, want 4", calls)
	}
	// Variants are told apart whole: ("a", "bc") is not ("ab", "c").
	two := fstest.MapFS{}
	for name, f := range fsys {
		two[name] = f
	}
	two["list.html"] = page(`{{ partialCached "item" (index .Items 0) "a" "bc" }}{{ partialCached "item" (index .Items 1) "ab" "c" }}`)
	tm2, err := LoadTemplates(two, "templates/", funcs)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := tm2.Execute("list", data); err != nil || !strings.Contains(out.String(), "<b>B&lt;#") {
		t.Errorf("variants a,bc and ab,c share an entry: %s %v", out, err)
	}
	if _, err := tm.Execute("tags", data); err == nil || !strings.Contains(err.Error(), `partialCached "item": no variant`) {
		t.Fatalf("no variant: %v", err)
	}
	if _, err := tm.Execute("404", data); err == nil || !strings.Contains(err.Error(), "the partial failed") {
		t.Fatalf("a failing partial: %v", err)
	}
}

// A layout that makes an empty page, or one that is not an HTML document,
// is an error naming the layout's file: such a site must not be published.
func TestLayoutMustMakeAPage(t *testing.T) {
	page := &fstest.MapFile{Data: []byte(`{{ define "main" }}body{{ end }}`)}
	tests := []struct{ baseof, want string }{
		{"", "templates/list.html: the list layout made an empty page"},
		{"{{ define \"main\" }}x{{ end }}", "templates/list.html: the list layout made an empty page"},
		{"{{ define \"baseof\" }}   {{ end }}", "templates/baseof.html: the list layout made an empty page"},
		{"{{ define \"baseof\" }}<main>{{ template \"main\" . }}</main>{{ end }}", `templates/baseof.html: the list layout made a page without an <html> element (it begins "<main>body</main>")`},
		{"{{ define \"baseof\" }}<htmlx>{{ end }}", "without an <html> element"},
		{"{{ define \"baseof\" }}{{ range 40000000 }}<p>text</p>{{ end }}{{ end }}", "templates/baseof.html: the list layout made more than 32 MiB"},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"list.html": page, "brief.html": page, "tags.html": page, "404.html": page, "root.html": page}
		if tt.baseof != "" {
			fsys["baseof.html"] = &fstest.MapFile{Data: []byte(tt.baseof)}
		}
		tm, err := LoadTemplates(fsys, "templates/", Funcs())
		if err != nil {
			t.Fatal(err)
		}
		_, err = tm.Execute("list", nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("baseof %q: %v, want %s", tt.baseof, err, tt.want)
		}
	}
	fsys := fstest.MapFS{"list.html": page, "brief.html": page, "tags.html": page, "404.html": page, "root.html": page,
		"baseof.html": {Data: []byte("{{ define \"baseof\" }}<!DOCTYPE html>\n<HTML lang=en>{{ template \"main\" . }}{{ end }}")}}
	tm, err := LoadTemplates(fsys, "templates/", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tm.Execute("list", nil); err != nil {
		t.Errorf("a whole page: %v", err)
	}
}
