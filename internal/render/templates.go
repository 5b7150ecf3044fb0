package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
)

// Templates are the page layouts parsed from templates/: baseof.html and
// partials/*.html shared by every page kind, and one file per kind that
// defines the blocks baseof.html leaves open.
type Templates struct {
	kinds map[string]*template.Template
}

// pageKinds are the page templates the renderer executes.
var pageKinds = []string{"brief", "list", "tags", "404", "root"}

// LoadTemplates parses the templates in fsys; prefix names files in errors.
// funcs are the template functions available to every layout.
func LoadTemplates(fsys fs.FS, prefix string, funcs template.FuncMap) (*Templates, error) {
	base := template.New("").Funcs(funcs)
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
	t := &Templates{kinds: map[string]*template.Template{}}
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
		if k.Lookup("baseof") != nil && kind != "root" {
			entry = "baseof"
		}
		t.kinds[kind] = k.Lookup(entry)
		if t.kinds[kind] == nil {
			return nil, fmt.Errorf("%s%s: nothing to execute", prefix, name)
		}
	}
	return t, nil
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

// execute renders kind with data into a fresh buffer.
func (t *Templates) execute(kind string, data any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := t.kinds[kind].Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
	}
	return buf.Bytes(), nil
}
