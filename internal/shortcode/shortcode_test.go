package shortcode

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"briefs/internal/diag"
	"briefs/internal/markdown"

	"golang.org/x/tools/txtar"
)

// cases reads a txtar file of testdata: its files by name.
func cases(t *testing.T, name string) map[string]string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	return files
}

// testEnv is the page of the tests: /en/briefs/p/, with chart.png, two
// params, and the brief "post" to refer to.
func testEnv(t *testing.T, files map[string]string, override bool) *Env {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		if rest, ok := strings.CutPrefix(name, "shortcodes/"); ok {
			fsys["shortcodes/"+rest] = &fstest.MapFile{Data: []byte(data)}
		}
		if rest, ok := strings.CutPrefix(name, "override/shortcodes/"); ok && override {
			fsys["shortcodes/"+rest] = &fstest.MapFile{Data: []byte(data)}
		}
	}
	tmpl, err := LoadTemplates(fsys, "templates/")
	if err != nil {
		t.Fatal(err)
	}
	conv := markdown.New(markdown.Settings{})
	return &Env{
		File: "b.md", Line: 1,
		Page: &Page{Title: "P", Lang: "en", URL: "/en/briefs/p/", Permalink: "https://example.org/en/briefs/p/",
			Params: map[string]any{"author": "Ada", "flag": true}, Resources: []string{"chart.png"}},
		Templates: tmpl,
		Ref: func(p, lang string) (string, string, error) {
			p, frag, _ := strings.Cut(p, "#")
			if frag != "" {
				frag = "#" + frag
			}
			name := strings.TrimSuffix(filepath.Base(p), ".md")
			if name != "post" {
				return "", "", fmt.Errorf("no published brief %q (did you mean %q?)", name, "post")
			}
			if lang == "" {
				lang = "en"
			}
			return "/" + lang + "/briefs/post/" + frag, "https://example.org/" + lang + "/briefs/post/" + frag, nil
		},
		Markdown: func(src string, inline bool) (string, error) {
			doc, err := conv.Convert([]byte(src), markdown.Options{File: "b.md", Line: 1, PageURL: "/en/briefs/p/"})
			if err != nil {
				return "", err
			}
			h := strings.TrimSpace(doc.HTML)
			if inline && strings.Count(h, "<p>") == 1 {
				h = strings.TrimSuffix(strings.TrimPrefix(h, "<p>"), "</p>")
			}
			return h, nil
		},
	}
}

// TestExpand expands each body of testdata/expand.txtar, converts it as a
// brief's body is, and compares the HTML.
func TestExpand(t *testing.T) {
	files := cases(t, "expand.txtar")
	conv := markdown.New(markdown.Settings{})
	for name, body := range files {
		base, ok := strings.CutSuffix(name, ".md")
		if !ok || strings.Contains(name, "/") {
			continue
		}
		t.Run(base, func(t *testing.T) {
			env := testEnv(t, files, strings.HasPrefix(base, "override"))
			r, err := Expand([]byte(body), env)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := conv.Convert(r.Restore(r.Body), markdown.Options{File: "b.md", Line: 1, PageURL: "/en/briefs/p/"})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.TrimSpace(r.Fill(doc.HTML))
			if want := strings.TrimSpace(files[base+".want"]); got != want {
				t.Errorf("body:\n%s\ngot:\n%s\nwant:\n%s", body, got, want)
			}
			var warns []string
			for _, w := range r.Warnings {
				warns = append(warns, w.Error())
			}
			if got, want := strings.Join(warns, "\n"), strings.TrimSpace(files[base+".warn"]); got != want {
				t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestExpandErrors: each bad body of testdata/errors.txtar fails with a
// positioned error that says what is wrong.
func TestExpandErrors(t *testing.T) {
	files := cases(t, "errors.txtar")
	for name, body := range files {
		base, ok := strings.CutSuffix(name, ".md")
		if !ok {
			continue
		}
		t.Run(base, func(t *testing.T) {
			_, err := Expand([]byte(body), testEnv(t, nil, false))
			if err == nil {
				t.Fatalf("body %q: no error", body)
			}
			if got, want := err.Error(), strings.TrimSpace(files[base+".want"]); got != want {
				t.Errorf("body %q:\n got %s\nwant %s", body, got, want)
			}
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *diag.Error", err)
			}
		})
	}
}

// TestRemap: an error found in the expanded body (by the body's template,
// by the Markdown converter) points at the source.
func TestRemap(t *testing.T) {
	body := "intro {{< figure src=\"chart.png\" >}} here\n{{< highlight go >}}\na\nb\n{{< /highlight >}}\n中文 {{< param author >}} {{ bad }}\n"
	r, err := Expand([]byte(body), testEnv(t, nil, false))
	if err != nil {
		t.Fatal(err)
	}
	out := string(r.Body)
	// Where "{{ bad" is in the expanded body, as file line and column
	// (the body starts at line 10).
	i := strings.Index(out, "{{ bad")
	line := strings.Count(out[:i], "\n") + 10
	col := len([]rune(out[strings.LastIndexByte(out[:i], '\n')+1:i])) + 1
	r.line, r.file = 10, "b.md"
	err = r.Remap(diag.Errorf("b.md", line, col, "bad"))
	if got, want := err.Error(), "b.md:15:25: bad"; got != want {
		t.Errorf("expanded %d:%d: got %s, want %s", line, col, got, want)
	}
	// A column inside a shortcode's output points at the shortcode.
	if l, c := r.Position(10, 9); l != 10 || c != 7 {
		t.Errorf("Position(10, 9) = %d:%d, want 10:7", l, c)
	}
	// Errors of other files, and lines before the body, are left alone.
	other := diag.Errorf("c.md", line, col, "x")
	if got := r.Remap(other); got.Error() != other.Error() {
		t.Errorf("Remap of another file's error: %v", got)
	}
}

// TestNoShortcodes: a body without shortcodes is returned as it is.
func TestNoShortcodes(t *testing.T) {
	body := []byte("Text with {{ ret \"SPX\" \"1M\" }} and {{ if x }}y{{ end }}.\n")
	r, err := Expand(body, &Env{File: "b.md", Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	if &r.Body[0] != &body[0] || r.Fill("<p>x</p>") != "<p>x</p>" {
		t.Errorf("body was copied or changed: %q", r.Body)
	}
}

// TestLoadTemplatesError: a template that does not parse is an error
// naming its file.
func TestLoadTemplatesError(t *testing.T) {
	_, err := LoadTemplates(fstest.MapFS{"shortcodes/bad.html": {Data: []byte("{{ if }}")}}, "templates/")
	if err == nil || !strings.HasPrefix(err.Error(), "templates/shortcodes/bad.html:1:") {
		t.Errorf("got %v, want an error at templates/shortcodes/bad.html:1", err)
	}
	tm, err := LoadTemplates(fstest.MapFS{}, "templates/")
	if err != nil || len(tm.names) != 0 {
		t.Errorf("no shortcodes folder: got %v, %v", tm, err)
	}
}
