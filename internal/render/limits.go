package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"text/template"
	"text/template/parse"

	"briefs/internal/content"
	"briefs/internal/diag"
)

// Limits of a brief's body. goldmark's time grows faster than linearly with
// the length of a line that holds many unclosed links ("[a](" repeated), so
// a body and each of its lines are capped, as written and as the template
// leaves them; the template's output is capped as it is written, and a
// {{ range }} over a number is capped before the template runs.
const (
	MaxBody   = 256 << 10 // bytes of a body as written
	MaxOutput = 512 << 10 // bytes of Markdown a body's template makes
	MaxLine   = 16 << 10  // bytes of one line of a body's Markdown
	MaxRange  = 100_000   // iterations of nested {{ range }}s over numbers
)

// errOutput stops a body's template once its output passes MaxOutput.
var errOutput = fmt.Errorf("the body's template made more than %d KiB of Markdown; a {{ range }} that runs too long?", MaxOutput>>10)

// boundedWriter is where a body's template writes: it refuses to grow past
// max, and stops once ctx is done, so that serve can cancel a rebuild.
type boundedWriter struct {
	ctx context.Context
	buf *bytes.Buffer
	max int
	err error // the first refusal: a template may swallow write errors
}

func (w *boundedWriter) Write(p []byte) (int, error) {
	if w.err == nil {
		if err := w.ctx.Err(); err != nil {
			w.err = err
		} else if w.buf.Len()+len(p) > w.max {
			w.err = errOutput
		}
	}
	if w.err != nil {
		return 0, w.err
	}
	return w.buf.Write(p)
}

// checkSize reports a body, as written (made false) or as its template left
// it (made true), that is longer than the limits allow.
func checkSize(b *content.Brief, md []byte, made bool) error {
	limit, what := MaxBody, "the body is"
	if made {
		limit, what = MaxOutput, "the body's template made"
	}
	if len(md) > limit {
		return diag.Errorf(b.File, b.BodyLine, 0, "%s %d KiB; a brief's body is limited to %d KiB: split it into several briefs", what, len(md)>>10, limit>>10)
	}
	line, start := 0, 0
	for start <= len(md) {
		end := bytes.IndexByte(md[start:], '\n')
		if end < 0 {
			end = len(md) - start
		}
		line++
		if end > MaxLine {
			if made {
				return diag.Errorf(b.File, 0, 0, "the body's template made a line of %d KiB; lines are limited to %d KiB: write a line break between paragraphs, table rows and list items", end>>10, MaxLine>>10)
			}
			return diag.Errorf(b.File, b.BodyLine+line-1, 0, "this line is %d KiB; lines are limited to %d KiB: break the paragraph into several lines (Markdown joins them)", end>>10, MaxLine>>10)
		}
		start += end + 1
	}
	return nil
}

// checkRanges refuses, before the template runs, {{ range }}s over numbers
// whose iterations (nested ones multiplied) pass MaxRange: such a loop
// may write nothing, so the output cap would never stop it.
func checkRanges(b *content.Brief, t *template.Template) error {
	if t.Tree == nil {
		return nil
	}
	vars := map[string]int64{} // variables set to a number anywhere
	var collect func(n parse.Node)
	collect = func(n parse.Node) {
		if p, ok := n.(*parse.PipeNode); ok && len(p.Decl) == 1 {
			if v, ok := number(p); ok {
				vars[p.Decl[0].Ident[0]] = max(vars[p.Decl[0].Ident[0]], v)
			}
		}
		if r, ok := n.(*parse.RangeNode); ok { // walk stops at ranges
			walk(r.List, collect)
			if r.ElseList != nil {
				walk(r.ElseList, collect)
			}
		}
	}
	walk(t.Tree.Root, collect)
	var err error
	var check func(n parse.Node, product int64)
	check = func(n parse.Node, product int64) {
		walk(n, func(n parse.Node) {
			r, ok := n.(*parse.RangeNode)
			if !ok || err != nil {
				return
			}
			count := int64(1)
			if v, ok := number(r.Pipe); ok {
				count = v
			} else if len(r.Pipe.Cmds) == 1 && len(r.Pipe.Cmds[0].Args) == 1 {
				if v, ok := r.Pipe.Cmds[0].Args[0].(*parse.VariableNode); ok && len(v.Ident) == 1 {
					count = max(vars[v.Ident[0]], 1)
				}
			}
			if count > MaxRange || product*count > MaxRange {
				loc, _ := t.ErrorContext(r)
				line, col := position(b, loc)
				err = diag.Errorf(b.File, line, col, "{{ range %s }} would run %d times or more; a {{ range }} over a number is limited to %d iterations, nested ones included", diag.Clip(r.Pipe.String(), 100), product*count, MaxRange)
				return
			}
			check(r.List, product*count)
			if r.ElseList != nil {
				check(r.ElseList, product)
			}
		})
	}
	check(t.Tree.Root, 1)
	return err
}

// walk calls f on n and on the nodes below it, but not below a range: the
// caller descends into a range's lists itself.
func walk(n parse.Node, f func(parse.Node)) {
	if n == nil {
		return
	}
	f(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, f)
		}
	case *parse.ActionNode:
		walk(n.Pipe, f)
	case *parse.IfNode:
		walk(n.Pipe, f)
		walk(n.List, f)
		if n.ElseList != nil {
			walk(n.ElseList, f)
		}
	case *parse.WithNode:
		walk(n.Pipe, f)
		walk(n.List, f)
		if n.ElseList != nil {
			walk(n.ElseList, f)
		}
	case *parse.RangeNode:
		walk(n.Pipe, f)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				walk(a, f)
			}
		}
	}
}

// number returns the integer a pipeline that is a single number literal
// holds.
func number(p *parse.PipeNode) (int64, bool) {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return 0, false
	}
	if n, ok := p.Cmds[0].Args[0].(*parse.NumberNode); ok && n.IsInt {
		return n.Int64, true
	}
	return 0, false
}

var contextRe = regexp.MustCompile(`^body:(\d+):(\d+)$`)

// position turns text/template's "body:LINE:COL" into the brief's file
// line and character column.
func position(b *content.Brief, loc string) (line, col int) {
	m := contextRe.FindStringSubmatch(loc)
	if m == nil {
		return 0, 0
	}
	fmt.Sscan(m[1], &line)
	fmt.Sscan(m[2], &col)
	col = runeColumn(string(b.Body), line, col) // from a byte offset

	return line + b.BodyLine - 1, col
}

// badVerbRe matches what fmt prints for a format that does not fit its
// arguments: %!d(string=x), %!(EXTRA ...), %!(NOVERB), %!(BADWIDTH) ...
var badVerbRe = regexp.MustCompile(`%![A-Za-z]?\(`)

// numericVerbRe matches a format with a number verb: %f, %.1f, %g, %e, %d.
var numericVerbRe = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]*)?[dfFgGeE]`)

// printf is text/template's printf, except that a format that does not fit
// its arguments is an error instead of fmt's %!-marks in the page.
func printf(format string, args ...any) (string, error) {
	if numericVerbRe.MatchString(format) {
		for _, a := range args {
			if f, ok := a.(Figure); ok && (f.Kind == Change || f.Kind == Share || f.Kind == Points) {
				return "", fmt.Errorf("printf %s: %s is a fraction (%.4g), which a number verb prints as such: use pct [DECIMALS] or pp [DECIMALS] to print it as a percentage", diag.Quote(format), diag.Clip(f.Desc, 80), f.Value)
			}
		}
	}
	s := fmt.Sprintf(format, args...)
	if m := badVerbRe.FindStringIndex(s); m != nil && !badVerbRe.MatchString(format) {
		end := min(len(s), m[1]+40)
		return "", fmt.Errorf("printf %s: the format does not fit its arguments (fmt made %s): check the verbs, widths and the number of arguments", diag.Quote(format), diag.Quote(s[m[0]:end]))
	}
	return s, nil
}

// isCanceled says whether err is the end of a build's context, which is no
// fault of the brief.
func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
