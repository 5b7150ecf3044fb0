// Package internal_test states the import policy of the project's packages:
// which internal packages each may use. Data flows one way, load -> render
// -> publish; the stages know nothing of the commands that drive them.
package internal_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// allowed lists, for each package under internal/, the internal packages it
// may import. A package missing here may import no internal package.
var allowed = map[string][]string{
	"diag":      {},
	"content":   {"diag"},
	"market":    {"diag"},
	"locale":    {"diag"},
	"markdown":  {"diag"},
	"feed":      {},
	"publish":   {},
	"corpus":    {}, // benchmark corpus; its test reads it back with content
	"plot":      {"diag", "market"},
	"tmpl":      {"content", "diag", "locale", "market"},
	"layout":    {"content", "diag", "locale"},
	"output":    {},
	"shortcode": {"diag"},
	"render":    {"content", "diag", "feed", "layout", "locale", "markdown", "market", "output", "plot", "shortcode", "tmpl"},
	"srcfs":     {},
	"build":     {"content", "diag", "layout", "locale", "markdown", "market", "output", "plot", "publish", "render", "shortcode", "srcfs"},
	"serve":     {"build", "content", "diag", "srcfs"},
	"netlify":   {},          // netlify.toml's rules; its test matches them against a build
	"sitecheck": {"netlify"}, // checks a built site through other programs; its test builds one
	"update":    {"content", "diag", "market"},
}

func TestImportPolicy(t *testing.T) {
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		pkg := d.Name()
		if files, _ := filepath.Glob(filepath.Join(pkg, "*.go")); len(files) == 0 {
			continue // not a Go package
		}
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("internal/%s is not in the import policy: add it to allowed", pkg)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(pkg, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				dep, isInternal := strings.CutPrefix(p, "briefs/internal/")
				if !isInternal {
					continue
				}
				if !slices.Contains(ok, dep) {
					t.Errorf("%s imports internal/%s, which the policy does not allow", f, dep)
				}
			}
		}
	}
}
