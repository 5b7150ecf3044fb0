package render

import (
	"context"
	"errors"
	"strings"
	"testing"
	"text/template"

	"briefs/internal/content"
)

// Bodies that would run without end, fill memory or print fmt's error
// marks are refused with the brief's file and, where there is one, line.
func TestBodyLimits(t *testing.T) {
	u := universe()
	tests := []struct {
		name, body, want string
	}{
		{"range over a huge number", "Intro\n{{ range 1000000000 }}x{{ end }}\n",
			"content/briefs/x/index.en.md:11:10: {{ range 1000000000 }} would run 1000000000 times or more; a {{ range }} over a number is limited to 100000 iterations"},
		{"range writing nothing", "{{ range 1000000000 }}{{ end }}",
			"content/briefs/x/index.en.md:10:10: {{ range 1000000000 }} would run"},
		{"nested ranges", "{{ range 1000 }}{{ range 1000 }}{{ end }}{{ end }}",
			"content/briefs/x/index.en.md:10:26: {{ range 1000 }} would run 1000000 times or more"},
		{"range over a variable", "{{ $n := 2000000 }}\n{{ range $n }}.{{ end }}",
			"content/briefs/x/index.en.md:11:10: {{ range $n }} would run 2000000 times"},
		{"range over a variable set inside a range", "{{ range 2 }}{{ $n := 500000 }}{{ range $n }}{{ end }}{{ end }}",
			"{{ range $n }} would run 1000000 times or more"},
		{"output over the cap", "{{ range 100000 }}0123456789{{ end }}",
			"content/briefs/x/index.en.md:10: the body's template made more than 512 KiB of Markdown"},
		{"printf with a huge width", `{{ printf "%999999999d" 1 }}`,
			`content/briefs/x/index.en.md:10:4: {{ printf "%999999999d" 1 }}: printf "%999999999d": the format does not fit its arguments (fmt made "%!(NOVERB)%!(EXTRA int=1)")`},
		{"printf with a wrong verb", `{{ printf "%d" "x" }}`,
			`the format does not fit its arguments (fmt made "%!d(string=x)"`},
		{"a body over the cap", strings.Repeat("word ", MaxBody/5+1),
			"content/briefs/x/index.en.md:10: the body is 256 KiB; a brief's body is limited to 256 KiB"},
		{"a line over the cap", "ok\n" + strings.Repeat("[a](", MaxLine/4+1),
			"content/briefs/x/index.en.md:11: this line is 16 KiB; lines are limited to 16 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(t, u, "en", "2024-01-05", tt.body)
			if err == nil {
				t.Fatalf("no error; output %d bytes", len(out))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to hold:\n%s", err, tt.want)
			}
		})
	}
	// Within the limits, the same constructs work.
	for _, body := range []string{`{{ range 3 }}x{{ end }}`, `{{ printf "%5.1f%%" 2.5 }}`, `{{ range 100 }}{{ range 1000 }}{{ end }}{{ end }}`} {
		if _, err := run(t, u, "en", "2024-01-05", body); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
	// The template made a long line, which is only known once it ran.
	if _, err := run(t, u, "en", "2024-01-05", "{{ range 5000 }}[a]({{ end }}"); err == nil || !strings.Contains(err.Error(), "the body's template made a line of 19 KiB; lines are limited to 16 KiB") {
		t.Errorf("long made line: %v", err)
	}
}

// A body's template stops when the build's context ends, even in a loop.
func TestBodyStopsWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	funcs := template.FuncMap{"tick": func() string {
		if calls++; calls == 1000 {
			cancel()
		}
		return "."
	}}
	b := &content.Brief{File: "content/briefs/x/index.en.md", Lang: "en", BodyLine: 10,
		Body: []byte("{{ range 100000 }}{{ tick }}{{ end }}")}
	_, err := execBody(ctx, b, func() template.FuncMap { return funcs })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls > 1001 {
		t.Errorf("the template went on for %d calls after the cancel", calls-1000)
	}
}

// Parse errors point at what they are about, with a suggestion.
func TestBodyParseErrors(t *testing.T) {
	u := universe()
	tests := []struct{ body, want string }{
		{"Intro\nThe average is {{ smaa \"T\" 3 }}.", `content/briefs/x/index.en.md:11:19: unknown function "smaa" (did you mean "sma"?)`},
		{"{{ frobnicate 1 }}", `content/briefs/x/index.en.md:10:4: unknown function "frobnicate": see the README's list of template functions`},
		{"a\n{{ if true }}\nyes\n{{ range 3 }}x{{ end }}\nmore\nlast", `content/briefs/x/index.en.md:11:1: {{ if true }} is never closed: expected an {{ end }} after its content`},
		{"{{ with 1 }}{{ if 2 }}{{ end }}", `content/briefs/x/index.en.md:10:1: {{ with 1 }} is never closed`},
	}
	for _, tt := range tests {
		_, err := run(t, u, "en", "2024-01-05", tt.body)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q:\n got %v\nwant %s", tt.body, err, tt.want)
		}
	}
}
