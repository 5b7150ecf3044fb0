package tmpl

import (
	"bytes"
	"errors"
	"testing"
	"text/template"

	"briefs/internal/diag"
)

// TestSourceErrors: one mapping places text/template's errors at the
// file, line and column they are about, whatever the delimiters and
// wherever the template starts in its file.
func TestSourceErrors(t *testing.T) {
	type data struct{ Date, Slug string }
	fm := template.FuncMap{"sma": func(string, int) (float64, error) { return 0, nil }}
	for _, c := range []struct {
		name, text string
		line, col  int // where the text begins in the file
		left       string
		want       string
	}{
		// A title: the value begins at column 9 of line 2, inside quotes.
		{"title", `Small caps {{ smaa "RTY" 2 }}`, 2, 9, "", `f.md:2:23: unknown function "smaa" (did you mean "sma"?)`},
		{"title", `x {{ sma "RTY" }}`, 2, 9, "", `f.md:2:14: {{ sma "RTY" }}: sma takes 2 arguments, got 1: expected sma SYMBOL N`},
		{"title", `x {{ sma "RTY" "2" }}`, 2, 9, "", `f.md:2:24: {{ sma "RTY" "2" }}: expected a whole number, found "2": write numbers without quotes`},
		// A body from line 10: later lines start at column 1.
		{"body", "a\n\n一二 {{ sma \"RTY\" 2 } }}", 10, 1, "", `f.md:12:19: {{ sma "RTY" 2 } }}: unexpected "}": an action ends with }}`},
		{"body", "a\n{{ if true }}\nb", 10, 1, "", `f.md:11:1: {{ if true }} is never closed: expected an {{ end }} after its content`},
		{"body", "a {{ end }}", 10, 1, "", `f.md:10:3: {{ end }}: this {{ end }} closes nothing`},
		{"body", "a {{ $x }}", 10, 1, "", `f.md:10:6: {{ $x }}: variable $x is not set`},
		{"body", "a {{ sma RTY 2 }}", 10, 1, "", `f.md:10:10: unknown function "RTY": a symbol is written in double quotes, "RTY"`},
		{"body", "a {{ sma 'RTY' 2 }}", 10, 1, "", `f.md:10:10: {{ sma 'RTY' 2 }}: single quotes: write strings in double quotes, "RTY"`},
		{"body", "a {{ .Title }}", 10, 1, "", `f.md:10:6: {{ .Title }}: unknown field .Title: the body has no fields`},
		{"body", "a\nb {{ sma \"RTY\" 2", 10, 1, "", `f.md:11:3: the action {{ sma "RTY" 2 is never closed: expected }} at its end`},
		// An archetype: [[ ]] delimiters, fields of its data.
		{"archetype", "---\ndate: [[ .Dat ]]\n", 1, 1, "[[", `f.md:2:10: [[ .Dat ]]: unknown field .Dat (did you mean .Date?); an archetype has .Date, .Slug`},
		{"archetype", "---\ntitle: [[ if .Date ]]\n", 1, 1, "[[", `f.md:2:8: [[ if .Date ]] is never closed: expected an [[ end ]] after its content`},
		{"archetype", "x [[ .Date } ]]", 1, 1, "[[", `f.md:1:12: [[ .Date } ]]: unexpected "}": an action ends with ]]`},
	} {
		s := &Source{Name: c.name, Text: c.text, File: "f.md", Line: c.line, Col: c.col, Funcs: fm}
		tm := template.New(c.name).Option("missingkey=error")
		var dot any
		if c.left != "" {
			s.Left, s.Right, s.Data, s.DataName, s.Funcs = "[[", "]]", &data{}, "an archetype", nil
			tm.Delims("[[", "]]")
			dot = &data{}
		} else {
			tm.Funcs(fm)
		}
		_, err := tm.Parse(c.text)
		if err == nil {
			err = tm.Execute(&bytes.Buffer{}, dot)
		}
		if err == nil {
			t.Errorf("%q: no error", c.text)
			continue
		}
		got := s.Error(err)
		var de *diag.Error
		if !errors.As(got, &de) || len(got.Error()) < len(c.want) || got.Error()[:len(c.want)] != c.want {
			t.Errorf("%q:\n got %v\nwant %s...", c.text, got, c.want)
		}
	}
}
