package shortcode

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"briefs/internal/diag"
)

// Templates are a site's own shortcodes: templates/shortcodes/NAME.html
// (or a folder of them, NAME being the path without .html), each an
// html/template run with the call as its data, as in Hugo: .Get, .Inner,
// .Params, .Page, .Name, .Position ...
type Templates struct {
	byName map[string]*tmpl
	names  []string
}

type tmpl struct {
	t     *template.Template
	file  string // as named in errors
	inner bool   // uses .Inner: takes inner text and a closing tag
}

// Dir is the folder of the site's shortcodes inside templates/.
const Dir = "shortcodes"

// LoadTemplates parses the shortcodes in fsys (templates/) under Dir;
// prefix names files in errors. A site without the folder has none.
func LoadTemplates(fsys fs.FS, prefix string) (*Templates, error) {
	t := &Templates{byName: map[string]*tmpl{}}
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == Dir {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || path.Ext(p) != ".html" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, Dir+"/"), ".html")
		file := prefix + p
		parsed, err := template.New(file).Funcs(funcs(nil, nil)).Parse(string(data))
		if err != nil {
			return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
		}
		t.byName[name] = &tmpl{t: parsed, file: file, inner: bytes.Contains(data, []byte(".Inner"))}
		t.names = append(t.names, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(t.names)
	return t, nil
}

// maxOutput bounds what one shortcode makes.
const maxOutput = 1 << 20

// run executes a site's shortcode for a call.
func (t *tmpl) run(env *Env, c *Call) (string, []error, error) {
	var warns []error
	fail := func(err error) error {
		msg := strings.TrimPrefix(err.Error(), "template: ")
		return diag.Errorf(c.File, c.Line, c.Col, "shortcode %s: %s", c.Name, msg)
	}
	exec, err := t.t.Clone()
	if err != nil {
		return "", nil, fail(err)
	}
	exec.Funcs(funcs(env, func(msg string) {
		warns = append(warns, diag.Errorf(c.File, c.Line, c.Col, "shortcode %s: %s", c.Name, msg))
	}))
	var buf bytes.Buffer
	w := &limited{buf: &buf}
	if err := exec.Execute(w, newContext(c)); err != nil {
		if w.over {
			return "", nil, fail(fmt.Errorf("%s made more than %d KiB", t.file, maxOutput>>10))
		}
		return "", nil, fail(err)
	}
	return buf.String(), warns, nil
}

type limited struct {
	buf  *bytes.Buffer
	over bool
}

func (l *limited) Write(p []byte) (int, error) {
	if l.buf.Len()+len(p) > maxOutput {
		l.over = true
		return 0, errors.New("output too large")
	}
	return l.buf.Write(p)
}

// Context is the data a site's shortcode runs with.
type Context struct {
	c    *Call
	Name string
	// Page is the brief the shortcode is in.
	Page *PageContext
	// Parent is the call this one is nested in, nil at the top.
	Parent *Context
	// Ordinal counts the earlier calls of the same shortcode in the page.
	Ordinal int
	// Position is where the call is: "file:line:col".
	Position string
	// IsNamedParams reports whether the arguments are named.
	IsNamedParams bool
}

// PageContext is what a shortcode sees of its page.
type PageContext struct {
	Title        string
	Lang         string
	RelPermalink string
	Permalink    string
	Params       map[string]any
}

// Param returns one of the page's params, "" if it has none.
func (p *PageContext) Param(key string) any {
	if v, ok := p.Params[strings.ToLower(key)]; ok {
		return v
	}
	return ""
}

func newContext(c *Call) *Context {
	if c == nil {
		return nil
	}
	x := &Context{c: c, Name: c.Name, Ordinal: c.ordinal, IsNamedParams: c.Named != nil,
		Position: fmt.Sprintf("%s:%d:%d", c.File, c.Line, c.Col), Parent: newContext(c.parent)}
	if p := c.page; p != nil {
		x.Page = &PageContext{Title: p.Title, Lang: p.Lang, RelPermalink: p.URL, Permalink: p.Permalink, Params: p.Params}
	} else {
		x.Page = &PageContext{}
	}
	return x
}

// Get returns an argument by name or by position, nil if absent.
func (x *Context) Get(key any) any {
	switch k := key.(type) {
	case string:
		if x.c.Named == nil {
			return nil
		}
		return x.c.Named[k]
	case int:
		if k >= 0 && k < len(x.c.Positional) {
			return x.c.Positional[k]
		}
	}
	return nil
}

// Params returns the arguments: a map if named, a list if positional.
func (x *Context) Params() any {
	if x.c.Named != nil {
		return x.c.Named
	}
	return x.c.Positional
}

// Inner is the inner text, with nested shortcodes expanded.
func (x *Context) Inner() template.HTML { return template.HTML(x.c.inner) }

// InnerDeindent is Inner without the indentation of its first line.
func (x *Context) InnerDeindent() template.HTML { return template.HTML(deindent(x.c.inner)) }

// funcs are the functions of a site's shortcodes: a subset of Hugo's,
// with markdownify bound to the page's Markdown converter.
func funcs(env *Env, warn func(string)) template.FuncMap {
	markdownify := func(s any) (template.HTML, error) {
		src := toString(s)
		if env == nil || env.Markdown == nil {
			return template.HTML(template.HTMLEscapeString(src)), nil
		}
		h, err := env.Markdown(src, true)
		return template.HTML(h), err
	}
	return template.FuncMap{
		"markdownify": markdownify,
		"plainify":    func(s any) string { return plainText(toString(s)) },
		"default": func(def any, v ...any) any {
			if len(v) == 0 || isZero(v[0]) {
				return def
			}
			return v[0]
		},
		"safeHTML":     func(s any) template.HTML { return template.HTML(toString(s)) },
		"safeHTMLAttr": func(s any) template.HTMLAttr { return template.HTMLAttr(toString(s)) },
		"safeURL":      func(s any) template.URL { return template.URL(toString(s)) },
		"safeCSS":      func(s any) template.CSS { return template.CSS(toString(s)) },
		"safeJS":       func(s any) template.JS { return template.JS(toString(s)) },
		"relURL":       func(s any) string { return "/" + strings.TrimPrefix(toString(s), "/") },
		"absURL": func(s any) string {
			if env != nil && env.Page != nil {
				if base, err := url.Parse(env.Page.Permalink); err == nil {
					if u, err := base.Parse("/" + strings.TrimPrefix(toString(s), "/")); err == nil {
						return u.String()
					}
				}
			}
			return toString(s)
		},
		"urlize": func(s any) string {
			return strings.ToLower(strings.Join(strings.FieldsFunc(toString(s), func(r rune) bool { return unicode.IsSpace(r) }), "-"))
		},
		"lower":   func(s any) string { return strings.ToLower(toString(s)) },
		"upper":   func(s any) string { return strings.ToUpper(toString(s)) },
		"trim":    func(s any, cut string) string { return strings.Trim(toString(s), cut) },
		"replace": func(s any, old, new string) string { return strings.ReplaceAll(toString(s), old, new) },
		"split":   func(s any, sep string) []string { return strings.Split(toString(s), sep) },
		"in": func(list any, v any) bool {
			rv := reflect.ValueOf(list)
			switch rv.Kind() {
			case reflect.String:
				return strings.Contains(rv.String(), toString(v))
			case reflect.Slice, reflect.Array:
				for i := range rv.Len() {
					if reflect.DeepEqual(rv.Index(i).Interface(), v) {
						return true
					}
				}
			}
			return false
		},
		"slice": func(v ...any) []any { return v },
		// eq and ne compare any two values, an absent argument (nil)
		// included, as Hugo's do.
		"eq": func(a any, b ...any) bool {
			for _, x := range b {
				if equal(a, x) {
					return true
				}
			}
			return false
		},
		"ne": func(a, b any) bool { return !equal(a, b) },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: expected key value pairs")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				m[toString(kv[i])] = kv[i+1]
			}
			return m, nil
		},
		"errorf": func(format string, args ...any) (string, error) { return "", fmt.Errorf(format, args...) },
		"warnf": func(format string, args ...any) string {
			if warn != nil {
				warn(fmt.Sprintf(format, args...))
			}
			return ""
		},
	}
}

func toString(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	case template.HTML:
		return string(s)
	}
	return fmt.Sprint(v)
}

// equal compares two values, numbers by value whatever their type.
func equal(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa == fb
	}
	return reflect.DeepEqual(a, b) || a != nil && b != nil && toString(a) == toString(b) && reflect.TypeOf(a) == reflect.TypeOf(b)
}

func number(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

func isZero(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.String:
		return rv.Len() == 0
	}
	return rv.IsZero()
}
