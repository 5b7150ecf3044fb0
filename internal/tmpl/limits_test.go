package tmpl

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

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
			`content/briefs/x/index.en.md:10:4: {{ printf "%999999999d" 1 }}: printf "%999999999d": widths of 999999999 characters; a call may make at most 64 KiB`},
		{"a string doubled in a loop", "{{ $s := printf \"%60000d\" 1 }}{{ range 20 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}",
			"printf made 117 KiB; a call may make at most 64 KiB"},
		{"define", "a\n{{ define \"a\" }}{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}{{ end }}{{ template \"a\" }}",
			"content/briefs/x/index.en.md:11:92: {{ define }}, {{ block }} and {{ template }} are not available in a brief"},
		{"block", "{{ block \"b\" 1 }}x{{ end }}",
			"content/briefs/x/index.en.md:10:10: {{ define }}, {{ block }} and {{ template }} are not available"},
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
	_, err := Body(ctx, b, func() template.FuncMap { return funcs })
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

// Arithmetic, basis points, changes in points, a member's place and
// annualized returns, in both languages, on hand-checkable closes.
func TestMoreFuncs(t *testing.T) {
	u := universe()
	tests := []struct{ lang, asof, body, want string }{
		{"en", "2026-01-09", `{{ change "T" "2D" }}`, "+22.00 pts"},
		{"zh", "2026-01-09", `{{ change "U" "1D" }}`, "-11.00点"},
		{"en", "2026-01-09", `{{ change "U" "1D" | abs }}`, "11.00 pts"},
		{"en", "2026-01-09", `{{ sub (close "T") (close "U") }}`, "77.00"},
		{"en", "2026-01-09", `{{ mul (ret "T" "4D") 2 }}`, "+42.00%"},
		{"en", "2026-01-08", `{{ add (ret "T" "1D") (ret "U" "1D") }}`, "+22.22%"},
		{"en", "2026-01-09", `{{ bp (spread "T" "U" "1D") }}`, "+2,000 bp"},
		{"zh", "2026-01-09", `{{ bp 1 0.00125 }}`, "12.5个基点"},
		{"en", "2026-01-09", `{{ rankof "U" "pair" "1D" }} of {{ len (rank "pair" "1D") }}`, "2 of 2"},
		{"en", "2026-01-09", `{{ updown (ret "T" "1D") 0.001 }}, {{ updown (ret "U" "4D") 0.5 }}, {{ updown (ret "U" "4D") }}`, "was flat, was flat, fell"},
		{"en", "2026-01-08", `{{ updown (ret "T" "1D") 0.001 }}`, "rose"},
	}
	for _, tt := range tests {
		out, err := run(t, u, tt.lang, tt.asof, tt.body)
		if err != nil {
			t.Errorf("%s: %v", tt.body, err)
			continue
		}
		if got := text(out); got != tt.want {
			t.Errorf("%s (%s, as of %s) = %q, want %q", tt.body, tt.lang, tt.asof, got, tt.want)
		}
	}
	// annret compounds over the calendar days: 1.21 over 4 days.
	out, err := run(t, u, "en", "2026-01-09", `{{ annret "T" "4D" | num 6 }}`)
	want := math.Pow(1.21, 365.25/4) - 1
	if got, perr := strconv.ParseFloat(strings.ReplaceAll(text(out), ",", ""), 64); err != nil || perr != nil || math.Abs(got-want) > 1e-6*want {
		t.Errorf("annret = %q, %v; want %g", out, err, want)
	}
	for body, msg := range map[string]string{
		`{{ printf "%.1f" (ret "T" "1D") }}`:  "is a fraction (0.2222), which a number verb prints as such: use pct",
		`{{ rankof "X" "pair" "1D" }}`:        "X is not among the members ranked",
		`{{ updown (ret "T" "1D") 0.1 0.2 }}`: "expected updown VALUE [FLAT]",
		`{{ div (close "T") 0 }}`:             "div: the second figure is zero",
	} {
		if _, err := run(t, u, "en", "2026-01-08", body); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: %v, want %q", body, err, msg)
		}
	}
}

// A template that loops without writing or calling anything cannot be
// stopped from inside; the build does not wait for it once cancelled.
func TestSilentLoopCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b := &content.Brief{File: "content/briefs/x/index.en.md", Lang: "en", BodyLine: 10,
		Body: []byte("{{ $a := len \"" + strings.Repeat("x", 4000) + "\" }}{{ range $a }}{{ range $a }}{{ end }}{{ end }}")}
	time.AfterFunc(50*time.Millisecond, cancel)
	done := make(chan error)
	go func() {
		_, err := Body(ctx, b, func() template.FuncMap { return template.FuncMap{} })
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Body did not return within 5 s of the cancel")
	}
}
