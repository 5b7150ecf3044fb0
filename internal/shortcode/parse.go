package shortcode

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"briefs/internal/diag"
)

// node is a piece of a body: text, or a shortcode call with its inner
// nodes.
type node struct {
	start, end int // byte range in the body, delimiters included
	call       *Call
	inner      []node
	comment    bool // {{</* x */>}}: shown as written, without the comment marks
}

// parser reads shortcodes out of a body.
type parser struct {
	src   string
	file  string
	line  int // file line of src's first line
	takes func(name string) (inner, known bool)
}

// errAt is an error at byte offset off of the body.
func (p *parser) errAt(off int, format string, args ...any) error {
	line, col := p.pos(off)
	return diag.Errorf(p.file, line, col, format, args...)
}

// pos returns the file line and column (in characters) of offset off.
func (p *parser) pos(off int) (int, int) {
	before := p.src[:off]
	line := strings.Count(before, "\n")
	start := strings.LastIndexByte(before, '\n') + 1
	return p.line + line, utf8.RuneCountInString(before[start:]) + 1
}

// parse reads the nodes of src[off:] up to the closing tag of parent (or
// the end), returning them and the offset after the closing tag.
func (p *parser) parse(off int, parent *Call) ([]node, int, error) {
	var nodes []node
	for {
		i := indexOpen(p.src, off)
		if i < 0 {
			if parent != nil {
				return nil, 0, p.errAt(parent.offset, "shortcode %q is not closed: expected {{%s /%s %s}} after its inner text, or {{%s %s /%s}} if it has none",
					parent.Name, parent.delim(), parent.Name, parent.closeDelim(), parent.delim(), parent.Name, parent.closeDelim())
			}
			return nodes, len(p.src), nil
		}
		n, closing, next, err := p.tag(i)
		if err != nil {
			return nil, 0, err
		}
		if closing != "" {
			if parent == nil || closing != parent.Name {
				if parent == nil {
					return nil, 0, p.errAt(i, "closing shortcode {{< /%s >}} without its opening {{< %s >}}", closing, closing)
				}
				return nil, 0, p.errAt(i, "closing shortcode {{< /%s >}} where %q (opened at line %d) must close first", closing, parent.Name, parent.Line)
			}
			return nodes, next, nil
		}
		if n.comment {
			nodes = append(nodes, n)
			off = next
			continue
		}
		c := n.call
		inner, known := p.takes(c.Name)
		if !known {
			// Reported by the caller, which knows where templates go;
			// its inner text, if any, is skipped.
			inner = p.closed(c.Name, next)
		}
		if inner && !c.selfClosed {
			c.innerStart = next
			children, after, err := p.parse(next, c)
			if err != nil {
				return nil, 0, err
			}
			c.innerEnd = strings.LastIndex(p.src[:after], "{{")
			n.inner, n.end, next = children, after, after
		}
		nodes = append(nodes, n)
		off = next
	}
}

// closed reports whether a closing tag of name follows off.
func (p *parser) closed(name string, off int) bool {
	for {
		i := indexOpen(p.src, off)
		if i < 0 {
			return false
		}
		_, closing, next, err := p.tag(i)
		if err != nil {
			return false
		}
		if closing == name {
			return true
		}
		off = next
	}
}

// indexOpen finds the next "{{<" or "{{%" at or after off.
func indexOpen(s string, off int) int {
	for {
		i := strings.Index(s[off:], "{{")
		if i < 0 {
			return -1
		}
		i += off
		if j := i + 2; j < len(s) && (s[j] == '<' || s[j] == '%') {
			return i
		}
		off = i + 2
	}
}

// tag reads the tag at off: an opening tag (a node), a closing tag (the
// name closed), or a comment.
func (p *parser) tag(off int) (n node, closing string, next int, err error) {
	s := p.src
	i := off + 2
	delim := s[i]
	closeWith := ">}}"
	if delim == '%' {
		closeWith = "%}}"
	}
	i++
	if strings.HasPrefix(s[i:], "/*") {
		// A comment: {{</* figure src="x" */>}} shows {{< figure src="x" >}}.
		end := strings.Index(s[i:], "*/"+closeWith)
		if end < 0 {
			return node{}, "", 0, p.errAt(off, "shortcode comment is not closed: expected */%s", closeWith)
		}
		end += i
		return node{start: off, end: end + 2 + len(closeWith), comment: true}, "", end + 2 + len(closeWith), nil
	}
	end := strings.Index(s[i:], closeWith)
	if other := strings.Index(s[i:], map[byte]string{'<': "%}}", '%': ">}}"}[delim]); other >= 0 && (end < 0 || other < end) && !strings.Contains(s[i:i+other], "\n\n") {
		return node{}, "", 0, p.errAt(off, "shortcode opened with {{%c closes with %s: expected %s", delim, s[i+other:i+other+3], closeWith)
	}
	if end < 0 {
		return node{}, "", 0, p.errAt(off, "shortcode is not closed: expected %s after {{%c", closeWith, delim)
	}
	body := s[i : i+end]
	next = i + end + len(closeWith)
	body = strings.TrimSpace(body)
	if name, ok := strings.CutPrefix(body, "/"); ok {
		return node{}, strings.TrimSpace(name), next, nil
	}
	selfClosed := false
	if strings.HasSuffix(body, "/") {
		body, selfClosed = strings.TrimSpace(strings.TrimSuffix(body, "/")), true
	}
	name, rest := body, ""
	if j := strings.IndexAny(body, " \t\r\n"); j >= 0 {
		name, rest = body[:j], body[j:]
	}
	if name == "" || !validName(name) {
		return node{}, "", 0, p.errAt(off, "shortcode name %s: expected a name such as figure or my-note, then its arguments", diag.Quote(name))
	}
	line, col := p.pos(off)
	c := &Call{Name: name, Markdown: delim == '%', selfClosed: selfClosed, offset: off, Line: line, Col: col, File: p.file}
	if err := parseArgs(rest, c); err != nil {
		return node{}, "", 0, p.errAt(off, "shortcode %q: %v", name, err)
	}
	return node{start: off, end: next, call: c}, "", next, nil
}

func validName(name string) bool {
	for _, r := range name {
		if !(r == '-' || r == '_' || r == '.' || r == '/' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// parseArgs reads the arguments of a call: all positional, or all named
// (key=value). Values are "quoted" (with \" inside), `raw`, or bare;
// bare true, false and numbers are typed, as in Hugo.
func parseArgs(s string, c *Call) error {
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		if s == "" {
			return nil
		}
		key := ""
		if i := strings.IndexAny(s, "= \t\r\n\"`"); i > 0 && s[i] == '=' {
			key, s = s[:i], s[i+1:]
		}
		var v any
		switch {
		case strings.HasPrefix(s, `"`):
			end := 1
			for end < len(s) && s[end] != '"' {
				if s[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(s) {
				return fmt.Errorf("a quoted value is not closed: expected a \" after %s", diag.Quote(s))
			}
			u, err := strconv.Unquote(s[:end+1])
			if err != nil {
				u = strings.ReplaceAll(s[1:end], `\"`, `"`)
			}
			v, s = u, s[end+1:]
		case strings.HasPrefix(s, "`"):
			end := strings.IndexByte(s[1:], '`')
			if end < 0 {
				return fmt.Errorf("a `raw` value is not closed: expected a ` after %s", diag.Quote(s))
			}
			v, s = s[1:end+1], s[end+2:]
		default:
			end := strings.IndexAny(s, " \t\r\n")
			if end < 0 {
				end = len(s)
			}
			v, s = typed(s[:end]), s[end:]
		}
		if key == "" {
			if c.Named != nil {
				return fmt.Errorf("arguments are named or positional, not both: expected key=value here")
			}
			c.Positional = append(c.Positional, v)
			continue
		}
		if c.Positional != nil {
			return fmt.Errorf("arguments are named or positional, not both: %s= follows a positional one", key)
		}
		if c.Named == nil {
			c.Named = map[string]any{}
		}
		c.Named[key] = v
	}
}

// typed reads a bare value: a bool, an integer, a float, or a string.
func typed(s string) any {
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && strings.ContainsAny(s, ".eE") {
		return f
	}
	return s
}
