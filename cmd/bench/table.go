package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// report is what the benchmark prints: a title, facts about the machine
// and the programs, a table per measurement, and the targets met or
// missed.
type report struct {
	title   string
	facts   []fact
	tables  []*table
	targets []*target
}

type fact struct{ label, value string }

// table is one measurement's figures, with notes under it.
type table struct {
	title   string
	columns []column
	rows    [][]string
	notes   []string
}

type column struct {
	name  string
	right bool // numbers: aligned right
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) note(format string, args ...any) {
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

// verdict is the result of a target.
type verdict int

const (
	notMeasured verdict = iota
	met
	missed
)

func (v verdict) String() string {
	switch v {
	case met:
		return "met"
	case missed:
		return "missed"
	}
	return "not measured"
}

// target is a performance goal of the project and how a run did against it.
type target struct {
	what     string // what is measured: "plain corpus: Hugo / briefs"
	goal     string // "≥ 5×"
	measured string // "" when not measured
	verdict  verdict
}

// cell is the target as shown beside its figure: "< 20 s: missed".
func (t *target) cell() string { return t.goal + ": " + t.verdict.String() }

// judge returns the verdict of ok, or notMeasured when measured is false.
func judge(measured, ok bool) verdict {
	switch {
	case !measured:
		return notMeasured
	case ok:
		return met
	}
	return missed
}

// addTarget records a target and returns it for its cell.
func (r *report) addTarget(what, goal, measured string, v verdict) *target {
	t := &target{what: what, goal: goal, measured: measured, verdict: v}
	r.targets = append(r.targets, t)
	return t
}

// targetsTable summarizes the targets, with a count per verdict in its
// note.
func (r *report) targetsTable() *table {
	t := &table{title: "Targets", columns: []column{{name: "target"}, {name: "goal"}, {name: "measured", right: true}, {name: "result"}}}
	count := map[verdict]int{}
	for _, g := range r.targets {
		m := g.measured
		if m == "" {
			m = "–"
		}
		t.add(g.what, g.goal, m, g.verdict.String())
		count[g.verdict]++
	}
	t.note("%d met, %d missed, %d not measured", count[met], count[missed], count[notMeasured])
	return t
}

// all returns the tables with the targets table last, if there are
// targets.
func (r *report) all() []*table {
	if len(r.targets) == 0 {
		return r.tables
	}
	return append(r.tables[:len(r.tables):len(r.tables)], r.targetsTable())
}

// text writes the report as plain text with aligned columns.
func (r *report) text(w io.Writer) {
	fmt.Fprintln(w, r.title)
	width := 0
	for _, f := range r.facts {
		width = max(width, utf8.RuneCountInString(f.label))
	}
	for _, f := range r.facts {
		fmt.Fprintf(w, "  %s%s  %s\n", f.label, pad(f.label, width), f.value)
	}
	for _, t := range r.all() {
		fmt.Fprintln(w)
		t.text(w)
	}
}

func (t *table) text(w io.Writer) {
	fmt.Fprintln(w, t.title)
	widths := make([]int, len(t.columns))
	for i, c := range t.columns {
		widths[i] = utf8.RuneCountInString(c.name)
	}
	for _, row := range t.rows {
		for i, cell := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(cell))
			}
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString(" ")
		for i, c := range t.columns {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			b.WriteString("  ")
			if c.right {
				b.WriteString(pad(cell, widths[i]) + cell)
			} else {
				b.WriteString(cell + pad(cell, widths[i]))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	line(names)
	for _, row := range t.rows {
		line(row)
	}
	for _, n := range t.notes {
		fmt.Fprintln(w, "   - "+n)
	}
}

func pad(s string, width int) string {
	return strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}

// markdown writes the report as Markdown, to be pasted into the README.
func (r *report) markdown(w io.Writer) {
	fmt.Fprintf(w, "### %s\n\n", r.title)
	for _, f := range r.facts {
		fmt.Fprintf(w, "- %s: %s\n", f.label, mdEscape(f.value))
	}
	for _, t := range r.all() {
		fmt.Fprintln(w)
		t.markdown(w)
	}
}

func (t *table) markdown(w io.Writer) {
	fmt.Fprintf(w, "**%s**\n\n", mdEscape(t.title))
	var head, rule strings.Builder
	for _, c := range t.columns {
		head.WriteString("| " + mdEscape(c.name) + " ")
		if c.right {
			rule.WriteString("|---:")
		} else {
			rule.WriteString("|---")
		}
	}
	fmt.Fprintln(w, head.String()+"|")
	fmt.Fprintln(w, rule.String()+"|")
	for _, row := range t.rows {
		var b strings.Builder
		for i := range t.columns {
			cell := ""
			if i < len(row) {
				cell = row[i]
			}
			b.WriteString("| " + mdEscape(cell) + " ")
		}
		fmt.Fprintln(w, b.String()+"|")
	}
	if len(t.notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range t.notes {
			fmt.Fprintln(w, "- "+mdEscape(n))
		}
	}
}

// mdEscape keeps a cell's pipes from ending it.
func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// ms formats a duration with three significant digits or so: 0.85 ms,
// 35.2 ms, 440 ms, 3.91 s, 11.6 s, 103 s.
func ms(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d < 100*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f s", d.Seconds())
}

// span formats a min–max range: "3.85–4.02 s" when both have the same
// unit, else "950 ms–1.02 s".
func span(lo, hi time.Duration) string { return pair(lo, hi, "–") }

// cpu formats user and system CPU times: "3.65 + 7.09 s"; "" for none.
func cpu(user, sys time.Duration) string {
	if user == 0 && sys == 0 {
		return ""
	}
	return pair(user, sys, " + ")
}

// pair formats two durations joined by sep, with the unit once when both
// have the same.
func pair(x, y time.Duration, sep string) string {
	a, b := ms(x), ms(y)
	ua, ub := a[strings.LastIndexByte(a, ' '):], b[strings.LastIndexByte(b, ' '):]
	if ua == ub {
		return strings.TrimSuffix(a, ua) + sep + b
	}
	return a + sep + b
}

// mib formats bytes in MiB: "434 MiB", "1,118 MiB"; "n/a" for 0.
func mib(bytes int64) string {
	if bytes <= 0 {
		return "n/a"
	}
	return count(int((bytes+1<<19)>>20)) + " MiB"
}

// count formats n with thousands separators: 5,752.
func count(n int) string {
	if n < 0 {
		return "-" + count(-n)
	}
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ratio formats a ratio: 2.97×.
func ratio(x float64) string { return fmt.Sprintf("%.2f×", x) }
