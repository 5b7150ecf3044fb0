// Package shortcode expands Hugo's shortcodes in a brief's body, before its
// template runs: {{< name args >}} and {{% name args %}}, with or without
// inner text and a closing {{< /name >}}, nested, and {{</* name */>}} to
// show one as written. Hugo's built-in shortcodes are here (figure,
// highlight, details, ref, relref, param, and the embeds youtube, vimeo,
// x, twitter, instagram and gist as link cards, for the site's
// Content-Security-Policy loads nothing from other sites); a site's own
// come from templates/shortcodes/NAME.html, html/templates as in Hugo.
//
// What a shortcode makes is HTML, except for {{% %}} calls of a site's
// shortcodes, whose output is Markdown, and ref, relref and param, which
// make text. Markdown and text take the shortcode's place in the body;
// HTML takes the place of a placeholder word that Fill swaps for it once
// the body is converted, as Hugo does. The expanded body keeps a map back
// to the source, so that errors found later in it (by the body's template,
// by the Markdown converter) point at the source's lines and columns.
package shortcode

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"briefs/internal/diag"
)

// Call is one use of a shortcode: the value a site's template runs with
// (as Hugo's .Get, .Inner, .Params ...).
type Call struct {
	Name       string
	Positional []any          // .Get 0, .Get 1 ...
	Named      map[string]any // .Get "key"
	Markdown   bool           // written {{% %}}: its output is Markdown
	File       string
	Line, Col  int // where it opens

	inner      string // the inner text, nested shortcodes expanded
	parent     *Call
	page       *Page
	ordinal    int
	selfClosed bool
	offset     int // byte offset of its opening tag in the body
	innerStart int
	innerEnd   int
}

func (c *Call) delim() string {
	if c.Markdown {
		return "%"
	}
	return "<"
}

func (c *Call) closeDelim() string {
	if c.Markdown {
		return "%"
	}
	return ">"
}

// String returns an argument as a string: named by key, or positional by
// index; "" when absent.
func (c *Call) String(key string, index int) string {
	v := c.arg(key, index)
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func (c *Call) arg(key string, index int) any {
	if c.Named != nil {
		return c.Named[key]
	}
	if index >= 0 && index < len(c.Positional) {
		return c.Positional[index]
	}
	return nil
}

// Page is what shortcodes see of the brief they are in.
type Page struct {
	Title     string
	Lang      string
	URL       string         // root-relative: "/en/briefs/x/"
	Permalink string         // absolute
	Params    map[string]any // front matter keys in small letters
	Resources []string       // names of the bundle's files
}

// Env is what expanding a body needs besides the body.
type Env struct {
	File string // the source, for errors
	Line int    // file line of the body's first line
	Page *Page
	// Templates are the site's shortcodes; nil for none.
	Templates *Templates
	// Ref resolves ref and relref: a page's path as Hugo writes it
	// ("post", "posts/post.md", "/posts/post#part") in a language ("" for
	// the page's own) to its root-relative and absolute URLs.
	Ref func(path, lang string) (rel, abs string, err error)
	// Markdown converts a snippet (a caption, a details block, a code
	// block) to HTML; inline drops the paragraph around a single one.
	Markdown func(src string, inline bool) (string, error)
}

// Result is an expanded body.
type Result struct {
	// Body is the body with every shortcode expanded.
	Body []byte
	// Warnings are about shortcodes left out (Hugo's inline shortcodes).
	Warnings []error

	html  []string // placeholder i stands for html[i]
	token string   // placeholders are token + i + "X"
	segs  []segment
	src   []byte
	line  int
	file  string
}

// segment maps a run of the expanded body to the source: copied bytes map
// one to one; a shortcode's output maps to where it opens.
type segment struct {
	out, src, n int
	copied      bool
}

// Expand expands the shortcodes of body. A body without any is returned
// as it is (Result.Body is body).
func Expand(body []byte, env *Env) (*Result, error) {
	r := &Result{Body: body, src: body, line: env.Line, file: env.File}
	if indexOpen(string(body), 0) < 0 {
		return r, nil
	}
	sum := sha256.Sum256(body)
	r.token = "BRIEFSSHORTCODE" + hex.EncodeToString(sum[:4]) + "N"
	p := &parser{src: string(body), file: env.File, line: env.Line, takes: env.takes}
	nodes, _, err := p.parse(0, nil)
	if err != nil {
		return nil, err
	}
	x := &expander{env: env, p: p, r: r}
	var out bytes.Buffer
	var errs []error
	last := 0
	for _, n := range nodes {
		r.copy(&out, last, n.start)
		text, err := x.top(n)
		if err != nil {
			errs = append(errs, err)
		}
		r.segs = append(r.segs, segment{out: out.Len(), src: n.start, n: len(text)})
		out.WriteString(text)
		last = n.end
	}
	r.copy(&out, last, len(body))
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}
	r.Body = out.Bytes()
	return r, nil
}

func (r *Result) copy(out *bytes.Buffer, from, to int) {
	if to > from {
		r.segs = append(r.segs, segment{out: out.Len(), src: from, n: to - from, copied: true})
		out.Write(r.src[from:to])
	}
}

// Braces stands for "{{" in what shortcodes make, which the body's
// template must not read as actions; Restore puts the braces back.
const Braces = "\x02\x03"

// Restore puts back the braces of shortcode output once the body's
// template has run.
func (r *Result) Restore(md []byte) []byte {
	if r.token == "" || !bytes.Contains(md, []byte(Braces)) {
		return md
	}
	return bytes.ReplaceAll(md, []byte(Braces), []byte("{{"))
}

// Fill swaps the placeholders in the converted HTML for what their
// shortcodes made: a placeholder alone in a paragraph replaces the
// paragraph, as Hugo does.
func (r *Result) Fill(s string) string {
	if len(r.html) == 0 || !strings.Contains(s, r.token) {
		return s
	}
	pairs := make([]string, 0, 4*len(r.html))
	for i, h := range r.html {
		ph := r.placeholder(i)
		pairs = append(pairs, "<p>"+ph+"</p>", h, ph, h)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Plain swaps placeholders in plain text (a summary) for the text of what
// their shortcodes made.
func (r *Result) Plain(s string) string {
	if len(r.html) == 0 || !strings.Contains(s, r.token) {
		return s
	}
	pairs := make([]string, 0, 2*len(r.html))
	for i, h := range r.html {
		pairs = append(pairs, r.placeholder(i), plainText(h))
	}
	return strings.Join(strings.Fields(strings.NewReplacer(pairs...).Replace(s)), " ")
}

func (r *Result) placeholder(i int) string { return r.token + strconv.Itoa(i) + "X" }

// addHTML returns the placeholder of a piece of HTML.
func (r *Result) addHTML(h string) string {
	r.html = append(r.html, h)
	return r.placeholder(len(r.html) - 1)
}

// Remap moves the positions of errors in the expanded body (file lines of
// r's file) back to the source. Other errors are returned as they are.
func (r *Result) Remap(err error) error {
	if err == nil || len(r.segs) == 0 {
		return err
	}
	errs := diag.Flatten(err)
	out := make([]error, len(errs))
	for i, e := range errs {
		var de *diag.Error
		if !errors.As(e, &de) || de.File != r.file || de.Line < r.line {
			out[i] = e
			continue
		}
		moved := *de
		moved.Line, moved.Col = r.Position(de.Line, de.Col)
		out[i] = &moved
	}
	return diag.Join(out)
}

// Position maps a file line and column (in characters; 0 for none) of the
// expanded body to the source.
func (r *Result) Position(line, col int) (int, int) {
	off := offsetOf(r.Body, line-r.line+1, max(col, 1))
	k := sort.Search(len(r.segs), func(i int) bool { return r.segs[i].out > off }) - 1
	if k < 0 {
		return line, col
	}
	s := r.segs[k]
	src := s.src
	if s.copied {
		src += min(off-s.out, s.n)
	}
	before := r.src[:min(src, len(r.src))]
	l := bytes.Count(before, []byte("\n")) + r.line
	if col == 0 {
		return l, 0
	}
	return l, utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
}

// offsetOf returns the byte offset of a 1-based line and column (in
// characters) of b.
func offsetOf(b []byte, line, col int) int {
	off := 0
	for range line - 1 {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return len(b)
		}
		off += i + 1
	}
	for range col - 1 {
		if off >= len(b) || b[off] == '\n' {
			break
		}
		_, n := utf8.DecodeRune(b[off:])
		off += n
	}
	return off
}

// plainText is the text of a piece of HTML: tags dropped, entities read.
func plainText(h string) string {
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}
