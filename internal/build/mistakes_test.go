package build

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"briefs/internal/diag"
)

// mistakesBrief is a brief with figures, a citation and two good charts,
// into which TestAuthorMistakes puts one mistake at a time. Its lines:
//
//	 2 title, 3 summary, 6 tags, 7 tickers
//	11 figures and the citation [0]
//	13-17 the first chart (type 14, symbols 15, period 16)
//	19 an {{ if }} ... {{ else }} ... {{ end }}
//	21-25 the second chart (type 22, symbols 23, period 24)
//	27 "Its 2-day average was {{ sma "RTY" 2 }}." ({{ at column 23)
const mistakesBrief = `---
title: Small caps and the S&P 500
summary: Where small caps closed.
date: 2026-02-10
asof: 2026-02-09
tags: [small_caps]
tickers: [RTY, SPX]
sources:
  - {title: Market data, url: ""}
---
RTY closed at {{ close "RTY" }}, {{ updown (ret "RTY" "1D") }} {{ ret "RTY" "1D" | abs }} on the day [0].

` + "```chart" + `
type: line
symbols: [RTY]
period: 3D
` + "```" + `

{{ if gt (ret "RTY" "1D") 0.0 }}Small caps rose.{{ else }}Small caps fell.{{ end }}

` + "```chart" + `
type: drawdown
symbols: [RTY, SPX]
period: 2D
` + "```" + `

Its 2-day average was {{ sma "RTY" 2 }}.
`

// goTypeRe matches a Go type or package name in a message.
var goTypeRe = regexp.MustCompile(`\b(plot|tmpl|render|market|content|template|yaml)\.[A-Z]|interface \{\}|float64|map\[`)

// TestAuthorMistakes feeds the common mistakes of an author, one at a
// time, into a brief that also holds good figures and charts. Each is
// reported once, as itself, at the file, line and column of the mistake
// (by build and by serve),
// with what was expected or the nearest valid name; no other chart or
// figure of the brief is blamed, and no message names a Go type.
func TestAuthorMistakes(t *testing.T) {
	t.Parallel()
	const file = "content/briefs/rotation/index.en.md"
	for _, c := range []struct {
		name     string
		old, new string
		at       string   // line:col
		want     []string // words of the message, in order
	}{
		{"chart type", "type: drawdown", "type: drawdwn", "22:1",
			[]string{`chart: unknown type "drawdwn"`, `did you mean "drawdown"?`}},
		{"chart key", "symbols: [RTY]\n", "symbol: [RTY]\n", "15:1",
			[]string{`chart: unknown key "symbol"`, `did you mean "symbols"?`}},
		{"chart period", "period: 3D", "period: 3Months", "16:1",
			[]string{`chart: period "3Months"`, "expected N followed by D, W, M or Y", "YTD"}},
		{"chart symbol", "symbols: [RTY]\n", "symbols: [RTX]\n", "15:1",
			[]string{`chart: unknown symbol "RTX"`, `did you mean "RTY"?`}},
		{"chart window before the data", "period: 3D", "period: 1M", "16:1",
			[]string{"chart: RTY: 1M before 2026-02-09", "needs a close on or before 2026-01-09", "the data starts 2026-02-04"}},
		{"citation", "[0]", "[5]", "11:102",
			[]string{"citation [5] has no source", "expected [0] to [0]"}},
		{"unknown function", `{{ sma "RTY" 2 }}`, `{{ smaa "RTY" 2 }}`, "27:26",
			[]string{`unknown function "smaa"`, `did you mean "sma"?`}},
		{"stray brace", `{{ sma "RTY" 2 }}`, `{{ sma "RTY" 2 } }}`, "27:38",
			[]string{`{{ sma "RTY" 2 } }}`, `unexpected "}"`, "an action ends with }}"}},
		{"unclosed if", "Small caps fell.{{ end }}", "Small caps fell.", "19:1",
			[]string{`{{ if gt (ret "RTY" "1D") 0.0 }} is never closed`, "expected an {{ end }}"}},
		{"unknown symbol in vol", `{{ sma "RTY" 2 }}`, `{{ vol "RTYY" 20 }}`, "27:26",
			[]string{`{{ vol "RTYY" 20 }}`, `unknown symbol "RTYY"`, `did you mean "RTY"?`}},
		{"unknown symbol in a figure", `{{ ret "RTY" "1D" | abs }}`, `{{ ret "SPY" "1D" | abs }}`, "11:67",
			[]string{`{{ ret "SPY" "1D" }}`, `unknown symbol "SPY"`, `did you mean "SPX"?`}},
		{"title", "title: Small caps and the S&P 500", `title: 'Small caps {{ updown (ret "RTX" "1D") }}'`, "2:31",
			[]string{`title: {{ ret "RTX" "1D" }}`, `unknown symbol "RTX"`, `did you mean "RTY"?`}},
		{"summary", "summary: Where small caps closed.", `summary: 'RTY closed at {{ close "RTY" "2026-02-10" }}.'`, "3:28",
			[]string{`summary: {{ close "RTY" "2026-02-10" }}`, "date 2026-02-10 is after the as-of date 2026-02-09"}},
		{"argument count", `{{ sma "RTY" 2 }}`, `{{ sma "RTY" }}`, "27:26",
			[]string{`{{ sma "RTY" }}`, "sma takes 2 arguments, got 1", "expected sma SYMBOL N"}},
		{"number in quotes", `{{ sma "RTY" 2 }}`, `{{ sma "RTY" "2" }}`, "27:36",
			[]string{`{{ sma "RTY" "2" }}`, `expected a whole number, found "2"`, "without quotes"}},
		{"symbol without quotes", `{{ sma "RTY" 2 }}`, `{{ sma RTY 2 }}`, "27:30",
			[]string{`unknown function "RTY"`, `a symbol is written in double quotes, "RTY"`}},
		{"bad period in a figure", `{{ sma "RTY" 2 }}`, `{{ ret "RTY" "3Q" }}`, "27:26",
			[]string{`{{ ret "RTY" "3Q" }}`, `period "3Q"`, "expected N followed by D, W, M or Y"}},
		{"unknown field", `{{ sma "RTY" 2 }}`, `{{ range rank "all" "1D" }}{{ .Nme }} {{ end }}`, "27:53",
			[]string{"{{ .Nme }}", "unknown field .Nme", "did you mean .Name?", "a ranking row has .Rank, .Symbol, .Name, .Value"}},
		{"stray end", `{{ sma "RTY" 2 }}`, `{{ sma "RTY" 2 }}{{ end }}`, "27:40",
			[]string{"{{ end }}", "closes nothing"}},
		{"unclosed action", `{{ sma "RTY" 2 }}.`, `{{ sma "RTY" 2`, "27:23",
			[]string{`the action {{ sma "RTY" 2 is never closed`, "expected }}"}},
		{"unknown ticker", "tickers: [RTY, SPX]", "tickers: [RTY, SPY]", "7:16",
			[]string{`tickers: unknown symbol "SPY"`, `did you mean "SPX"?`}},
		{"unknown key", "tags: [small_caps]", "tagz: [small_caps]", "6:1",
			[]string{`"tagz"`, `did you mean "tags"?`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(mistakesBrief, c.old) {
				t.Fatalf("the brief has no %q", c.old)
			}
			content := fixture(t, "site")
			content["briefs/rotation/index.en.md"] = &fstest.MapFile{Data: []byte(strings.Replace(mistakesBrief, c.old, c.new, 1))}
			cfg := config(content)
			cfg.Data, cfg.DataName = marketData(), "data/"
			_, err := Run(context.Background(), cfg)
			if err == nil {
				t.Fatal("no error")
			}
			// serve builds with a Memo: the same message.
			cfg.Memo = &Memo{}
			if _, served := Run(context.Background(), cfg); served == nil || served.Error() != err.Error() {
				t.Errorf("with a Memo (serve):\n got %v\nwant %v", served, err)
			}
			errs := diag.Flatten(err)
			if len(errs) != 1 {
				t.Fatalf("%d errors, want the mistake alone:\n%v", len(errs), err)
			}
			msg := err.Error()
			prefix := file + ":" + c.at + ": "
			if !strings.HasPrefix(msg, prefix) {
				t.Errorf("got  %s\nwant %s...", msg, prefix)
			}
			rest := msg
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("%s\nlacks %q (in this order: %q)", msg, w, c.want)
					break
				}
				rest = rest[i+len(w):]
			}
			if m := goTypeRe.FindString(msg); m != "" {
				t.Errorf("%s\nnames a Go type: %s", msg, m)
			}
		})
	}
	// The brief itself builds, its figures and both charts included.
	content := fixture(t, "site")
	content["briefs/rotation/index.en.md"] = &fstest.MapFile{Data: []byte(mistakesBrief)}
	cfg := config(content)
	cfg.Data, cfg.DataName = marketData(), "data/"
	res := mustRun(t, cfg)
	if page := string(res.Files["en/briefs/rotation/index.html"]); strings.Count(page, `<figure class="chart">`) != 2 || !strings.Contains(page, "2,694.53") {
		t.Errorf("the good brief lacks its two charts or its figures")
	}
}
