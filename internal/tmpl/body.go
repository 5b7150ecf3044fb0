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
	"html"
	"regexp"
	"strings"
	"text/template"

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
	// Code hidden from the template is hidden from the messages too: the
	// same length, so positions stay right.
	s := &Source{Name: "body", Text: string(src), File: b.File, Line: b.BodyLine, Col: 1, Funcs: fm}
	t, err := template.New("body").Funcs(fm).Option("missingkey=error").Parse(s.Text)
	if err != nil {
		return nil, s.Error(err)
	}
	if err := checkTemplates(s, t); err != nil {
		return nil, err
	}
	if err := checkRanges(s, t); err != nil {
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
		return nil, s.Error(err)
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
	// Where the value's text begins, or else its key.
	pos, ok := b.Pos[key+"="]
	if !ok {
		pos = b.Pos[key]
	}
	s := &Source{Name: key, Text: text, File: b.File, Line: pos.Line, Col: pos.Col, Prefix: key + ": "}
	ctx, cancel := context.WithTimeout(ctx, MaxRun)
	defer cancel()
	s.Funcs = guarded(ctx, funcs())
	t, err := template.New(key).Funcs(s.Funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", s.Error(err)
	}
	if err := checkTemplates(s, t); err != nil {
		return "", err
	}
	if err := checkRanges(s, t); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w := &boundedWriter{ctx: ctx, buf: &buf, max: 4 << 10}
	if err := execute(ctx, t, w); err != nil {
		if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			return "", s.errorAt(1, -1, nil, "its template ran for more than %s", MaxRun)
		}
		if isCanceled(err) {
			return "", err
		}
		return "", s.Error(err)
	}
	out := html.UnescapeString(dataTagRe.ReplaceAllString(buf.String(), ""))
	return strings.Join(strings.Fields(out), " "), nil
}

var dataTagRe = regexp.MustCompile(`</?data\b[^>]*>`)

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
