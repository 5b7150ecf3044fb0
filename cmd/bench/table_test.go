package main

import (
	"strings"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{ms(850 * time.Microsecond), "0.85 ms"},
		{ms(35240 * time.Microsecond), "35.2 ms"},
		{ms(440 * time.Millisecond), "440 ms"},
		{ms(3912 * time.Millisecond), "3.91 s"},
		{ms(11640 * time.Millisecond), "11.6 s"},
		{ms(103 * time.Second), "103 s"},
		{span(3850*time.Millisecond, 4020*time.Millisecond), "3.85–4.02 s"},
		{span(950*time.Millisecond, 1020*time.Millisecond), "950 ms–1.02 s"},
		{mib(0), "n/a"},
		{mib(434 << 20), "434 MiB"},
		{mib(1118<<20 + 600<<10), "1,119 MiB"},
		{count(7), "7"},
		{count(5752), "5,752"},
		{count(1234567), "1,234,567"},
		{count(-2000), "-2,000"},
		{ratio(2.974), "2.97×"},
		{cpu(3650*time.Millisecond, 7090*time.Millisecond), "3.65 + 7.09 s"},
		{cpu(850*time.Millisecond, 1200*time.Millisecond), "850 ms + 1.20 s"},
		{cpu(850*time.Millisecond, 90*time.Millisecond), "850 + 90.0 ms"},
		{cpu(0, 0), ""},
		{shortVersion("hugo v0.111.3+extended linux/amd64 BuildDate=2023-03-16"), "0.111.3"},
		{shortVersion("hugo: not found"), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	for _, tt := range []struct {
		measured, ok bool
		want         string
	}{{true, true, "met"}, {true, false, "missed"}, {false, true, "not measured"}, {false, false, "not measured"}} {
		if got := judge(tt.measured, tt.ok).String(); got != tt.want {
			t.Errorf("judge(%v, %v) = %s, want %s", tt.measured, tt.ok, got, tt.want)
		}
	}
}

// testReport is a report with a table, a note and two targets.
func testReport() *report {
	r := &report{title: "bench", facts: []fact{{"machine", "AMD EPYC, 2 cores"}, {"hugo", "not installed"}}}
	tb := &table{title: "a. Plain | corpus", columns: buildColumns()}
	mem := r.addTarget("plain: peak RSS", "< 200 MiB", "434 MiB", judge(true, false))
	tb.add(buildRow("briefs build", stats{n: 5, median: 3912 * time.Millisecond, min: 3850 * time.Millisecond, max: 4020 * time.Millisecond,
		user: 3650 * time.Millisecond, sys: 850 * time.Millisecond, rss: 434 << 20}, mem.cell())...)
	tb.add("hugo", "–", "not installed", "", "", "", "")
	r.addTarget("plain: Hugo / briefs", "≥ 5×", "", notMeasured)
	tb.note("hugo: not installed")
	r.tables = append(r.tables, tb)
	return r
}

func TestText(t *testing.T) {
	var b strings.Builder
	testReport().text(&b)
	want := `bench
  machine  AMD EPYC, 2 cores
  hugo     not installed

a. Plain | corpus
                 runs         median      min–max   CPU user + sys  peak RSS  target
   briefs build     5         3.91 s  3.85–4.02 s  3.65 s + 850 ms   434 MiB  < 200 MiB: missed
   hugo             –  not installed
   - hugo: not installed

Targets
   target                goal       measured  result
   plain: peak RSS       < 200 MiB   434 MiB  missed
   plain: Hugo / briefs  ≥ 5×              –  not measured
   - 0 met, 1 missed, 1 not measured
`
	if got := b.String(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
}

func TestMarkdown(t *testing.T) {
	var b strings.Builder
	testReport().markdown(&b)
	want := `### bench

- machine: AMD EPYC, 2 cores
- hugo: not installed

**a. Plain \| corpus**

|  | runs | median | min–max | CPU user + sys | peak RSS | target |
|---|---:|---:|---:|---:|---:|---|
| briefs build | 5 | 3.91 s | 3.85–4.02 s | 3.65 s + 850 ms | 434 MiB | < 200 MiB: missed |
| hugo | – | not installed |  |  |  |  |

- hugo: not installed

**Targets**

| target | goal | measured | result |
|---|---|---:|---|
| plain: peak RSS | < 200 MiB | 434 MiB | missed |
| plain: Hugo / briefs | ≥ 5× | – | not measured |

- 0 met, 1 missed, 1 not measured
`
	if got := b.String(); got != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", got, want)
	}
}

func TestParse(t *testing.T) {
	o, err := parse([]string{"-only", "plain, scale", "-runs", "3", "-scale", "10,20"}, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.only, ",") != "plain,scale" || o.runs != 3 || len(o.scale) != 2 || o.scale[1] != 20 {
		t.Errorf("parsed %+v", o)
	}
	for _, bad := range [][]string{{"-only", "plain,hugo"}, {"-runs", "0"}, {"-scale", "10,x"}, {"extra"}} {
		if _, err := parse(bad, &strings.Builder{}); err == nil {
			t.Errorf("parse(%q): no error", bad)
		}
	}
}
