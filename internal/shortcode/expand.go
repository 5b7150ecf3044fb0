package shortcode

import (
	"fmt"
	"strings"

	"briefs/internal/diag"
)

// kind says what a shortcode made.
type kind int

const (
	madeHTML     kind = iota // HTML: a placeholder in the body, filled after conversion
	madeMarkdown             // Markdown, in the body
	madeText                 // text, in the body as it is (a URL, a value)
)

type expander struct {
	env     *Env
	p       *parser
	r       *Result
	ordinal map[string]int
}

// takes says whether a shortcode has inner text, and whether it is known
// at all.
func (env *Env) takes(name string) (inner, known bool) {
	if strings.HasSuffix(name, ".inline") {
		return true, true
	}
	// A site's own shortcode of a built-in's name replaces it, as in Hugo.
	if env.Templates != nil {
		if t, ok := env.Templates.byName[name]; ok {
			return t.inner, true
		}
	}
	if b, ok := builtins[name]; ok {
		return b.inner, true
	}
	return false, false
}

// top expands a top-level node and returns what takes its place in the
// body.
func (x *expander) top(n node) (string, error) {
	if n.comment {
		return braces(x.comment(n)), nil
	}
	out, k, err := x.expand(n)
	if err != nil {
		return "", err
	}
	switch k {
	case madeHTML:
		if out == "" {
			return "", nil
		}
		return x.r.addHTML(out), nil
	}
	return braces(out), nil
}

// comment returns a {{</* x */>}} comment as the shortcode it shows.
func (x *expander) comment(n node) string {
	s := x.p.src[n.start:n.end]
	s = strings.Replace(s, "/*", "", 1)
	if i := strings.LastIndex(s, "*/"); i >= 0 {
		s = s[:i] + s[i+2:]
	}
	return s
}

// braces hides the "{{" of shortcode output from the body's template.
func braces(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return strings.ReplaceAll(s, "{{", Braces)
}

// inner expands the inner text of a call: nested shortcodes are replaced
// by what they make.
func (x *expander) inner(n node) (string, error) {
	c := n.call
	if c.innerEnd <= c.innerStart {
		return "", nil
	}
	var b strings.Builder
	last := c.innerStart
	for _, child := range n.inner {
		b.WriteString(x.p.src[last:child.start])
		if child.comment {
			b.WriteString(x.comment(child))
		} else {
			child.call.parent = c
			out, _, err := x.expand(child)
			if err != nil {
				return "", err
			}
			b.WriteString(out)
		}
		last = child.end
	}
	b.WriteString(x.p.src[last:c.innerEnd])
	return b.String(), nil
}

// expand runs one call.
func (x *expander) expand(n node) (string, kind, error) {
	c := n.call
	c.page = x.env.Page
	if x.ordinal == nil {
		x.ordinal = map[string]int{}
	}
	c.ordinal = x.ordinal[c.Name]
	x.ordinal[c.Name]++
	if _, known := x.env.takes(c.Name); !known {
		return "", 0, x.unknown(c)
	}
	inner, err := x.inner(n)
	if err != nil {
		return "", 0, err
	}
	c.inner = inner
	if strings.HasSuffix(c.Name, ".inline") {
		// Hugo's inline shortcode: a template written in the page. One
		// without template actions is its text; the site runs no
		// template written in a page.
		if !strings.Contains(inner, "{{") {
			return inner, madeMarkdown, nil
		}
		x.r.Warnings = append(x.r.Warnings, diag.Errorf(c.File, c.Line, c.Col, "left out: %s is an inline shortcode with template actions, and the site runs no template written in a page: put it in templates/shortcodes/%s.html to use it",
			c.Name, strings.TrimSuffix(c.Name, ".inline")))
		return "", madeHTML, nil
	}
	if b, ok := builtins[c.Name]; ok && (x.env.Templates == nil || x.env.Templates.byName[c.Name] == nil) {
		out, k, err := b.run(x.env, c)
		if err != nil {
			return "", 0, diag.Errorf(c.File, c.Line, c.Col, "shortcode %s: %v", c.Name, err)
		}
		return out, k, nil
	}
	t := x.env.Templates.byName[c.Name]
	out, warns, err := t.run(x.env, c)
	if err != nil {
		return "", 0, err
	}
	x.r.Warnings = append(x.r.Warnings, warns...)
	if c.Markdown {
		return out, madeMarkdown, nil
	}
	return out, madeHTML, nil
}

// unknown is the error for a shortcode without a template.
func (x *expander) unknown(c *Call) error {
	msg := fmt.Sprintf("unknown shortcode %q: a Hugo shortcode needs its template here: add templates/shortcodes/%s.html (an html/template, as in Hugo's layouts/shortcodes/), or write {{%s/* %s */%s}} to show it as text",
		c.Name, c.Name, c.delim(), c.Name, c.closeDelim())
	names := builtinNames()
	if x.env.Templates != nil {
		names = append(names, x.env.Templates.names...)
	}
	if near := diag.Nearest(c.Name, names); near != "" {
		msg = fmt.Sprintf("unknown shortcode %q (did you mean %q?): add templates/shortcodes/%s.html for a shortcode of the site's own", c.Name, near, c.Name)
	}
	return diag.Errorf(c.File, c.Line, c.Col, "%s", msg)
}
