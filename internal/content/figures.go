package content

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"briefs/internal/diag"
)

// IgnoreFigures is the marker that tells HandTyped a line's numbers are
// meant: a quote, a forecast, a rate decided by a central bank.
const IgnoreFigures = "<!-- check:ignore -->"

// handTyped matches what looks like a market figure typed by hand: a
// percentage or percentage points, a decimal or thousands-separated number
// (a price or index level), a currency amount, or index points (点).
var handTyped = regexp.MustCompile(
	`[+\-−]?\d+(?:[.,]\d+)*\s?(?:%|％|个百分点|百分点|pp\b|bps?\b|基点|个点|percent\b|per cent\b|basis points?\b)` + // changes
		`|[$¥€£]\s?\d+(?:[.,]\d+)*` + // currency
		`|\d{1,3}(?:,\d{3})+(?:\.\d+)?` + // 2,689.05
		`|\d+\.\d+` + // 17.8
		`|\d{3,}\s?点`) // 2689点, not 9点30分

// masked matches what is not prose: template actions, inline code, HTML
// comments and tags, link destinations, URLs, footnote and citation
// references, and dates.
var masked = regexp.MustCompile(
	"\\{\\{.*?\\}\\}" +
		"|`[^`]*`" +
		"|<!--.*?-->" +
		"|</?[A-Za-z][^>]*>" +
		`|\]\([^)]*\)` +
		`|https?://\S+` +
		`|\[\d+\]|\[\^[^\]\s]+\]` +
		`|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}` +
		`|\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?` +
		`|\d{1,2}:\d{2}`)

// HandTyped returns a warning for every number in b's body prose that looks
// like a market figure typed by hand rather than computed by a template
// call: such figures go stale when the data moves. Code, template actions,
// links and dates are skipped, and so is a line that carries IgnoreFigures
// (or follows a line that is nothing but the marker).
func HandTyped(b *Brief) []error {
	var warns []error
	lines := bytes.Split(b.Body, []byte("\n"))
	fence := ""       // the open code fence, if any
	inAction := false // inside a {{ ... }} spanning lines
	ignoreNext := false
	inComment := false // inside an HTML comment spanning lines
	for i, raw := range lines {
		line := string(raw)
		orig := line
		trimmed := strings.TrimSpace(line)
		if inComment {
			end := strings.Index(line, "-->")
			if end < 0 {
				continue
			}
			inComment = false
			line = strings.Repeat(" ", end+3) + line[end+3:]
		}
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if f := OpenFence(line); f != "" {
			fence = f
			continue
		}
		if inAction {
			end := strings.Index(line, "}}")
			if end < 0 {
				continue
			}
			inAction = false
			line = strings.Repeat(" ", end+2) + line[end+2:]
		}
		if ignoreNext || strings.Contains(line, IgnoreFigures) {
			ignoreNext = trimmed == IgnoreFigures
			continue
		}
		// An action or a comment left open at the end of the line
		// continues below.
		if open := strings.LastIndex(line, "{{"); open >= 0 && !strings.Contains(line[open:], "}}") {
			inAction = true
			line = line[:open]
		}
		if open := strings.LastIndex(line, "<!--"); open >= 0 && !strings.Contains(line[open:], "-->") {
			inComment = true
			line = line[:open]
		}
		prose := masked.ReplaceAllStringFunc(line, func(s string) string { return strings.Repeat(" ", len(s)) })
		for _, m := range handTyped.FindAllStringIndex(prose, -1) {
			fig := strings.TrimSpace(orig[m[0]:m[1]])
			col := utf8.RuneCountInString(orig[:m[0]]) + 1
			warns = append(warns, diag.Errorf(b.File, b.BodyLine+i, col,
				"hand-typed figure %q: compute it with a template call (%s) or mark the line %s", fig, suggest(fig), IgnoreFigures))
		}
	}
	return warns
}

// OpenFence returns the fence ("```", "~~~~") if line opens a fenced code
// block, else "".
func OpenFence(line string) string {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return ""
	}
	for _, c := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, c) {
			n := len(t) - len(strings.TrimLeft(t, c[:1]))
			return strings.Repeat(c[:1], n)
		}
	}
	return ""
}

func suggest(fig string) string {
	switch {
	case strings.ContainsAny(fig, "%％"):
		return `{{ ret "SYMBOL" "1D" }}`
	case strings.Contains(fig, "百分点"), strings.HasSuffix(fig, "pp"):
		return `{{ spread "A" "B" "3M" }}`
	}
	return `{{ close "SYMBOL" }}`
}

// FloatingAsOf warns about a brief that shows market figures but has no
// asof: its figures are computed as of the last session on or before its
// date, and change when rows for a later session up to that date arrive,
// after the brief was published.
func FloatingAsOf(b *Brief) []error {
	if !b.AsOf.IsZero() || len(b.Tickers) == 0 && !bytes.Contains(b.Body, []byte("{{")) {
		return nil
	}
	pos := b.Pos["date"]
	return []error{diag.Errorf(b.File, pos.Line, pos.Col,
		"no asof: the figures follow whatever data exists up to %s and may change after publication; add asof: YYYY-MM-DD",
		b.Date.Format("2006-01-02"))}
}
