// Package tmpl is the template language of briefs: the {{ }} actions of a
// brief's body, title and summary, run before Markdown, whose functions
// compute figures from the market data as of the brief's date and format
// them for the brief's language (DESIGN.md section 4). It bounds what a
// template may do (limits.go) and turns text/template's errors into
// messages for authors.
package tmpl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"briefs/internal/content"
	"briefs/internal/diag"
)

// Body runs the template of a brief's body with the functions funcs
// returns and returns its Markdown. A body without actions is returned as
// is, without making the functions.
//
// The body and its output are capped (see MaxBody), and the template stops
// as soon as ctx is done.
func Body(ctx context.Context, b *content.Brief, funcs func() template.FuncMap) ([]byte, error) {
	if err := checkSize(b, b.Body, false); err != nil {
		return nil, err
	}
	if !bytes.Contains(b.Body, []byte("{{")) {
		return b.Body, nil
	}
	src, protected := protectCode(b.Body)
	ctx, cancel := context.WithTimeout(ctx, MaxRun)
	defer cancel()
	fm := guarded(ctx, funcs())
	t, err := template.New("body").Funcs(fm).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, parseError(b, src, fm, err)
	}
	if err := checkTemplates(b, t, "body", string(src)); err != nil {
		return nil, err
	}
	if err := checkRanges(b, t); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(b.Body) + len(b.Body)/2)
	w := &boundedWriter{ctx: ctx, buf: &buf, max: MaxOutput}
	if err := execute(ctx, t, w); err != nil {
		switch {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil && errors.Is(context.Cause(ctx), context.DeadlineExceeded):
			return nil, diag.Errorf(b.File, b.BodyLine, 0, "the body's template ran for more than %s: a loop that runs too long?", MaxRun)
		case isCanceled(err):
			return nil, err
		case err == errOutput:
			return nil, diag.Errorf(b.File, b.BodyLine, 0, "%v", err)
		}
		return nil, bodyError(b, err)
	}
	out := buf.Bytes()
	if err := checkSize(b, out, true); err != nil {
		return nil, err
	}
	if protected {
		out = bytes.ReplaceAll(out, codeBraces, []byte("{{"))
	}
	return out, nil
}

// Text runs a front matter value that holds template actions, such as
// a title "Energy {{ updown (ret "XLE" "1W") }} this week", with the
// body's functions, and returns it as plain text: the figures without
// their <data> wrappers, for <title>, lists and feeds. key names the value
// in errors, which point at its line.
func Text(ctx context.Context, b *content.Brief, key, text string, funcs func() template.FuncMap) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	pos := b.Pos[key]
	fail := func(err error) error {
		msg := err.Error()
		if m := textErrRe.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("{{ %s }}: %s", diag.Clip(m[1], diag.MaxQuote), plainTypes.Replace(m[2]))
		} else {
			msg = strings.TrimPrefix(msg, "template: "+key+":")
		}
		return &diag.Error{File: b.File, Line: pos.Line, Col: pos.Col, Msg: key + ": " + msg, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, MaxRun)
	defer cancel()
	t, err := template.New(key).Funcs(guarded(ctx, funcs())).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fail(err)
	}
	if err := checkTemplates(b, t, key, text); err != nil {
		return "", err
	}
	if err := checkRanges(b, t); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w := &boundedWriter{ctx: ctx, buf: &buf, max: 4 << 10}
	if err := execute(ctx, t, w); err != nil {
		if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			return "", &diag.Error{File: b.File, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf("%s: its template ran for more than %s", key, MaxRun)}
		}
		if isCanceled(err) {
			return "", err
		}
		return "", fail(err)
	}
	out := html.UnescapeString(dataTagRe.ReplaceAllString(buf.String(), ""))
	return strings.Join(strings.Fields(out), " "), nil
}

var (
	textErrRe = regexp.MustCompile(`^template: \w+:\d+:\d+: executing "\w+" at <(.*?)>: (?:error calling \w+: )?(.*)$`)
	dataTagRe = regexp.MustCompile(`</?data\b[^>]*>`)
)

// codeBraces stands in for "{{" inside code while the template runs: the
// same length, so positions in error messages stay right.
var codeBraces = []byte("\x00\x01")

// protectCode hides the "{{" of fenced code blocks and inline code spans
// from the template, so that code shows template syntax as written.
func protectCode(body []byte) ([]byte, bool) {
	out := body
	changed := false
	hide := func(lo, hi int) {
		if !bytes.Contains(body[lo:hi], []byte("{{")) {
			return
		}
		if !changed {
			out = bytes.Clone(body)
			changed = true
		}
		seg := out[lo:hi]
		for i := 0; i+1 < len(seg); i++ {
			if seg[i] == '{' && seg[i+1] == '{' {
				seg[i], seg[i+1] = codeBraces[0], codeBraces[1]
				i++
			}
		}
	}
	fence := ""
	for start := 0; start < len(body); {
		end := bytes.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		line := string(body[start:end])
		switch {
		case fence != "":
			if t := strings.TrimSpace(line); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			} else {
				hide(start, end)
			}
		case content.OpenFence(line) != "":
			fence = content.OpenFence(line)
		default:
			for _, span := range codeSpans(line) {
				hide(start+span[0], start+span[1])
			}
		}
		start = end + 1
	}
	return out, changed
}

// codeSpans returns the byte ranges of the inline code spans of line: a run
// of backticks up to the next run of the same length.
func codeSpans(line string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(line); {
		if line[i] != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		closed := false
		for j := i + n; j < len(line); {
			if line[j] != '`' {
				j++
				continue
			}
			m := 0
			for j+m < len(line) && line[j+m] == '`' {
				m++
			}
			if m == n {
				spans = append(spans, [2]int{i, j + m})
				i, closed = j+m, true
				break
			}
			j += m
		}
		if !closed {
			i += n
		}
	}
	return spans
}

// plainTypes names the Go types of the template language as an author
// knows them.
var plainTypes = strings.NewReplacer(
	reflect.TypeFor[[]RankRow]().String(), "a ranking (rank, top, bottom)",
	reflect.TypeFor[RankRow]().String(), "a ranking row (.Rank .Symbol .Name .Value)",
	reflect.TypeFor[Figure]().String(), "a figure",
	"time.Time", "a date",
	"float64", "number",
	"interface {}", "value",
)

var (
	execRe  = regexp.MustCompile(`^template: body:(\d+):(\d+): executing "body" at <(.*?)>: (?:error calling \w+: )?(.*)$`)
	parseRe = regexp.MustCompile(`^template: body:(\d+):(?:(\d+):)? ?(.*)$`)
)

// parseError turns a text/template parse error of a body into a diag.Error
// at the place it is about: the call of an unknown function (with the
// nearest known name), the action a {{ end }} is missing for.
func parseError(b *content.Brief, src []byte, fm template.FuncMap, err error) error {
	msg := err.Error()
	if m := undefinedRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		name := m[2]
		names := append(slices.Collect(maps.Keys(fm)), builtins...)
		text := fmt.Sprintf("unknown function %s", diag.Quote(name))
		if near := diag.Nearest(name, names); near != "" {
			text += fmt.Sprintf(" (did you mean %q?)", near)
		} else {
			text += ": see the README's list of template functions"
		}
		col := 0
		if l := lineOf(src, line); l != "" {
			if i := identIndex(l, name); i >= 0 {
				col = utf8.RuneCountInString(l[:i]) + 1
			}
		}
		return &diag.Error{File: b.File, Line: line + b.BodyLine - 1, Col: col, Msg: text, Err: err}
	}
	if strings.HasSuffix(msg, ": unexpected EOF") {
		if line, col, action, ok := unclosed(src); ok {
			return &diag.Error{File: b.File, Line: line + b.BodyLine - 1, Col: col,
				Msg: fmt.Sprintf("{{ %s }} is never closed: expected an {{ end }} after its content", diag.Clip(action, 60)), Err: err}
		}
	}
	return bodyError(b, err)
}

var (
	undefinedRe = regexp.MustCompile(`^template: body:(\d+): function "([^"]*)" not defined$`)
	actionRe    = regexp.MustCompile(`(?s)\{\{-?\s*(/\*.*?\*/|.*?)\s*-?\}\}`)
	// builtins are text/template's own functions.
	builtins = []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "println", "urlquery", "eq", "ne", "lt", "le", "gt", "ge"}
)

// lineOf returns line n (1-based) of src.
func lineOf(src []byte, n int) string {
	for i, l := range strings.Split(string(src), "\n") {
		if i == n-1 {
			return l
		}
	}
	return ""
}

// identIndex returns the byte index of name in line as a whole word inside
// an action, or -1.
func identIndex(line, name string) int {
	for off := 0; ; {
		i := strings.Index(line[off:], name)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(name)
		before := i == 0 || !isIdent(line[i-1])
		after := end == len(line) || !isIdent(line[end])
		if before && after && strings.LastIndex(line[:i], "{{") > strings.LastIndex(line[:i], "}}") {
			return i
		}
		off = end
	}
}

func isIdent(c byte) bool {
	return c == '_' || c == '.' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// unclosed finds the innermost {{ if }}, {{ range }}, {{ with }}, {{ block }}
// or {{ define }} of src left without its {{ end }}: its 1-based line,
// character column and text.
func unclosed(src []byte) (line, col int, action string, ok bool) {
	type open struct {
		at   int
		text string
	}
	var stack []open
	for _, m := range actionRe.FindAllSubmatchIndex(src, -1) {
		text := string(src[m[2]:m[3]])
		word, _, _ := strings.Cut(text, " ")
		switch word {
		case "if", "range", "with", "block", "define", "while":
			stack = append(stack, open{m[0], text})
		case "end":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 {
		return 0, 0, "", false
	}
	o := stack[len(stack)-1]
	before := src[:o.at]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1, o.text, true
}

// bodyError turns a text/template error into a diag.Error at the brief's
// file, line and column.
func bodyError(b *content.Brief, err error) error {
	msg := err.Error()
	line, col := 0, 0
	if m := execRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		col, _ = strconv.Atoi(m[2])
		col = runeColumn(string(b.Body), line, col)
		msg = fmt.Sprintf("{{ %s }}: %s", diag.Clip(m[3], diag.MaxQuote), plainTypes.Replace(m[4]))
	} else if m := parseRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = plainTypes.Replace(m[3])
		if msg == "unexpected EOF" {
			msg = "unexpected end of the body: an {{ if }}, {{ range }} or {{ with }} is missing its {{ end }}"
		}
	}
	if line > 0 {
		line += b.BodyLine - 1
	}
	return &diag.Error{File: b.File, Line: line, Col: col, Msg: msg, Err: err}
}

// runeColumn turns the 0-based byte offset text/template reports within a
// line into a 1-based column in characters.
func runeColumn(body string, line, off int) int {
	for range line - 1 {
		i := strings.IndexByte(body, '\n')
		if i < 0 {
			return off + 1
		}
		body = body[i+1:]
	}
	if off > len(body) {
		return off + 1
	}
	return utf8.RuneCountInString(body[:off]) + 1
}
