// Package layout executes the page layouts of templates/ (html/template)
// on the data render gives them, and serves the files of assets/ under
// fingerprinted names.
package layout

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"briefs/internal/diag"
)

// Templates are the page layouts parsed from templates/: baseof.html and
// partials/*.html shared by every page kind, and one file per kind that
// defines the blocks baseof.html leaves open.
type Templates struct {
	kinds map[string]*template.Template
	files map[string]string // the file each kind's entry template is in
	hint  string            // what is wrong with baseof.html, if anything
	// What partialCached made, by page kind, template name and variant:
	// in this render, and in the last one (not yet asked for in this one).
	mu           sync.Mutex
	cached, last map[cachedKey]template.HTML
}

type cachedKey struct{ kind, name, variant string }

// pageKinds are the page templates the renderer executes.
var pageKinds = []string{"brief", "list", "tags", "404", "root"}

// LoadTemplates parses the templates in fsys; prefix names files in errors.
// funcs are the template functions available to every layout.
func LoadTemplates(fsys fs.FS, prefix string, funcs template.FuncMap) (*Templates, error) {
	base := template.New("").Funcs(funcs).Funcs(template.FuncMap{
		// Bound to each kind's templates below.
		"partialCached": func(string, any, ...any) (template.HTML, error) { return "", nil },
	})
	var shared []string
	if _, err := fs.Stat(fsys, "baseof.html"); err == nil {
		shared = append(shared, "baseof.html")
	}
	partials, err := fs.Glob(fsys, "partials/*.html")
	if err != nil {
		return nil, err
	}
	shared = append(shared, partials...)
	for _, name := range shared {
		if err := parseFile(base, fsys, prefix, name); err != nil {
			return nil, err
		}
	}
	t := &Templates{kinds: map[string]*template.Template{}, files: map[string]string{}, cached: map[cachedKey]template.HTML{}}
	for _, kind := range pageKinds {
		name := kind + ".html"
		if _, err := fs.Stat(fsys, name); err != nil {
			return nil, fmt.Errorf("%s%s: missing page template: %w", prefix, name, err)
		}
		k, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if err := parseFile(k, fsys, prefix, name); err != nil {
			return nil, err
		}
		// The page file is executed through baseof when it exists.
		entry := prefix + name
		t.files[kind] = entry
		if k.Lookup("baseof") != nil && kind != "root" {
			entry = "baseof"
			t.files[kind] = prefix + "baseof.html"
		}
		if k.Lookup("baseof") == nil && len(shared) > 0 && shared[0] == "baseof.html" {
			t.hint = " (" + prefix + `baseof.html defines no "baseof" template)`
		}
		t.kinds[kind] = k.Lookup(entry)
		if t.kinds[kind] == nil {
			return nil, fmt.Errorf("%s%s: nothing to execute", prefix, name)
		}
		k.Funcs(template.FuncMap{"partialCached": t.partialCached(kind, k)})
	}
	return t, nil
}

// partialCached returns the function partialCached of kind's templates:
// {{ partialCached "card" DATA VARIANT... }} executes the template "card"
// with DATA the first time it is called with those variants, and returns
// what it made then on every later call. The variants must identify
// everything the template shows: the default theme passes a brief's
// Key, which changes with anything the brief's view is made from,
// language included. A list page shows each brief as a card, and each
// brief is on several list pages (home, each of its tags, its series).
func (t *Templates) partialCached(kind string, k *template.Template) func(string, any, ...any) (template.HTML, error) {
	return func(name string, data any, variants ...any) (template.HTML, error) {
		if len(variants) == 0 {
			return "", fmt.Errorf("partialCached %q: no variant given: expected what identifies its output", name)
		}
		ck := cachedKey{kind: kind, name: name}
		if v, ok := variants[0].(string); ok && len(variants) == 1 {
			ck.variant = "s" + v // one string, as the default theme passes
		} else {
			ck.variant = "q" + fmt.Sprintf("%q", variants) // quoted: ("a", "bc") is not ("ab", "c")
		}
		if html, ok := t.lookup(ck); ok {
			return html, nil
		}
		var buf strings.Builder
		if err := k.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		html := template.HTML(buf.String())
		t.mu.Lock()
		t.cached[ck] = html
		t.mu.Unlock()
		return html, nil
	}
}

func parseFile(t *template.Template, fsys fs.FS, prefix, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if _, err := t.New(prefix + path.Clean(name)).Parse(string(data)); err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
	}
	return nil
}

// lookup returns what partialCached made under ck in this render or the
// last, keeping it for the next.
func (t *Templates) lookup(ck cachedKey) (template.HTML, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	html, ok := t.cached[ck]
	if !ok {
		if html, ok = t.last[ck]; ok {
			t.cached[ck] = html
		}
	}
	return html, ok
}

// Forget starts a render: partialCached keeps only what the last render
// made, so that serve reuses the cards of briefs that did not change but
// briefs edited while it runs do not add entries for good.
func (t *Templates) Forget() {
	t.mu.Lock()
	t.last, t.cached = t.cached, map[cachedKey]template.HTML{}
	t.mu.Unlock()
}

// Execute renders kind with data into a pooled buffer, which the caller
// may Release once nothing uses its bytes.
func (t *Templates) Execute(kind string, data any) (*bytes.Buffer, error) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	w := &cappedWriter{buf: buf, max: MaxPage}
	if err := t.kinds[kind].Execute(w, data); err != nil || w.full {
		pageBuffers.Put(buf)
		if w.full {
			return nil, fmt.Errorf("%s: the %s layout made more than %d MiB: a {{ range }} that runs too long?", t.files[kind], kind, MaxPage>>20)
		}
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
	}
	if err := t.checkPage(kind, buf.Bytes()); err != nil {
		pageBuffers.Put(buf)
		return nil, err
	}
	return buf, nil
}

// MaxPage is the most a layout may make of one page.
const MaxPage = 32 << 20

// cappedWriter is where a layout writes a page: it refuses to grow past
// max.
type cappedWriter struct {
	buf  *bytes.Buffer
	max  int
	full bool
}

var errFull = errors.New("page too large")

func (w *cappedWriter) Write(p []byte) (int, error) {
	if w.full || w.buf.Len()+len(p) > w.max {
		w.full = true
		return 0, errFull
	}
	return w.buf.Write(p)
}

// checkPage refuses a page that cannot be a web page: empty, or without an
// <html> element, as a layout that lost its define or its blocks makes. A
// site of such pages must not replace a good one.
func (t *Templates) checkPage(kind string, page []byte) error {
	page = bytes.TrimSpace(page)
	if len(page) == 0 {
		return fmt.Errorf("%s: the %s layout made an empty page%s: does it still define the page and call its blocks?", t.files[kind], kind, t.hint)
	}
	if !hasHTMLElement(page) {
		return fmt.Errorf("%s: the %s layout made a page without an <html> element (it begins %s): a page must be a whole HTML document", t.files[kind], kind, diag.Quote(string(page[:min(len(page), 60)])))
	}
	return nil
}

// hasHTMLElement says whether page holds "<html" in any case, followed by
// a space, ">" or the end of a tag name.
func hasHTMLElement(page []byte) bool {
	for i := 0; i+5 <= len(page); {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		if i+4 <= len(page) && bytes.EqualFold(page[i:i+4], []byte("html")) &&
			(i+4 == len(page) || strings.IndexByte(" \t\r\n>/", page[i+4]) >= 0) {
			return true
		}
	}
	return false
}

// Release puts back a buffer Execute returned, for another page.
func Release(buf *bytes.Buffer) { pageBuffers.Put(buf) }

// pageBuffers hold pages being rendered.
var pageBuffers = sync.Pool{New: func() any {
	b := new(bytes.Buffer)
	b.Grow(16 << 10)
	return b
}}

// Funcs are the functions every layout may call besides the Page methods.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"iso": func(t time.Time) string { return t.Format(time.DateOnly) },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}
