package tmpl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

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
	MaxString = 64 << 10  // bytes a printf, print or escaping call may make
	MaxRun    = 15 * time.Second
)

// execute runs t into w and returns when it ends or when ctx does, whichever
// is first. A template whose loops write nothing and call no function
// cannot be stopped from outside; it is left to finish on its own, every
// write and function call refused, while the build goes on.
func execute(ctx context.Context, t *template.Template, w *boundedWriter) error {
	done := make(chan error, 1)
	go func() {
		err := t.Execute(w, nil)
		if w.err != nil {
			err = w.err
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// guarded replaces the functions of fm and text/template's own that make
// strings (printf, print, println, html, js, urlquery) with ones that
// refuse to make more than MaxString bytes, and that fail once ctx is
// done: a template that doubles a string in a loop stops at once.
func guarded(ctx context.Context, fm template.FuncMap) template.FuncMap {
	check := func(name, s string) (string, error) {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if len(s) > MaxString {
			return "", fmt.Errorf("%s made %d KiB; a call may make at most %d KiB", name, len(s)>>10, MaxString>>10)
		}
		return s, nil
	}
	pf, _ := fm["printf"].(func(string, ...any) (string, error))
	if pf == nil {
		pf = printf
	}
	fm["printf"] = func(format string, args ...any) (string, error) {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		for _, a := range args {
			if s, ok := a.(string); ok && len(s) > MaxString {
				return "", fmt.Errorf("printf: an argument of %d KiB; a call may take at most %d KiB", len(s)>>10, MaxString>>10)
			}
		}
		if w := widthRe.FindAllStringSubmatch(format, -1); w != nil {
			total := 0
			for _, m := range w {
				n, _ := strconv.Atoi(m[1])
				total += n
			}
			if total > MaxString {
				return "", fmt.Errorf("printf %s: widths of %d characters; a call may make at most %d KiB", diag.Quote(format), total, MaxString>>10)
			}
		}
		s, err := pf(format, args...)
		if err != nil {
			return "", err
		}
		return check("printf", s)
	}
	fm["print"] = func(args ...any) (string, error) { return check("print", fmt.Sprint(args...)) }
	fm["println"] = func(args ...any) (string, error) { return check("println", fmt.Sprintln(args...)) }
	fm["html"] = func(args ...any) (string, error) { return check("html", template.HTMLEscaper(args...)) }
	fm["js"] = func(args ...any) (string, error) { return check("js", template.JSEscaper(args...)) }
	fm["urlquery"] = func(args ...any) (string, error) { return check("urlquery", template.URLQueryEscaper(args...)) }
	return fm
}

// widthRe matches the width of a printf verb, as in %999999d.
var widthRe = regexp.MustCompile(`%[-+# 0]*([0-9]+)`)

// checkTemplates refuses {{ define }}, {{ block }} and {{ template }} in a
// brief: they let a template call itself, which no limit can bound, and a
// brief has no use for them.
func checkTemplates(s *Source, t *template.Template) error {
	var bad parse.Node
	if t.Tree != nil {
		walkAll(t.Tree.Root, func(n parse.Node) {
			if tn, ok := n.(*parse.TemplateNode); ok && bad == nil {
				bad = tn
			}
		})
	}
	if bad == nil && len(t.Templates()) <= 1 {
		return nil
	}
	const msg = "{{ define }}, {{ block }} and {{ template }} are not available in a brief: write the text where it is needed, or loop over it with {{ range }}"
	if bad != nil {
		return s.nodeError(t, bad, msg)
	}
	n, off := s.offset(strings.Index(s.Text, "define"))
	return s.errorAt(n, off, nil, msg)
}

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
func checkRanges(s *Source, t *template.Template) error {
	if t.Tree == nil {
		return nil
	}
	vars := map[string]int64{} // variables set to a number anywhere
	walkAll(t.Tree.Root, func(n parse.Node) {
		if p, ok := n.(*parse.PipeNode); ok && len(p.Decl) == 1 {
			if v, ok := number(p); ok {
				vars[p.Decl[0].Ident[0]] = max(vars[p.Decl[0].Ident[0]], v)
			}
		}
	})
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
				err = s.nodeError(t, r, "{{ range %s }} would run %d times or more; a {{ range }} over a number is limited to %d iterations, nested ones included", diag.Clip(r.Pipe.String(), 100), product*count, MaxRange)
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

// walkAll calls f on n and on every node below it, inside ranges too.
func walkAll(n parse.Node, f func(parse.Node)) {
	var visit func(parse.Node)
	visit = func(n parse.Node) {
		f(n)
		if r, ok := n.(*parse.RangeNode); ok { // walk stops at ranges
			walk(r.List, visit)
			if r.ElseList != nil {
				walk(r.ElseList, visit)
			}
		}
	}
	walk(n, visit)
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
