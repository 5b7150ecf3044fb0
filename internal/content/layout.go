package content

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"briefs/internal/diag"
)

// The briefs folder holds bundles, and, as a Hugo site's content folder
// does, pages and sections: content/briefs/<section>/<name>.<lang>.md is
// the brief <name>, like a bundle <name>/index.<lang>.md. Sections may
// nest; a brief's URL is /<lang>/briefs/<slug>/ wherever its file is, so
// two briefs of one name in two sections are an error. A section's own
// page (_index.md) is left out with a warning: the site has no section
// pages.

// unit is the sources of one brief: a bundle folder, or the pages of one
// name in a section folder.
type unit struct {
	dir     string        // "briefs/x" for a bundle, the section for pages
	name    string        // the brief's name: the bundle folder's, or the pages'
	bundle  bool          // a folder with index.md or index.<lang>.md
	entries []fs.DirEntry // a bundle's entries, read while looking for it
	pages   []string      // the pages' file names in dir: name.md, name.fr.md
	err     error         // set when the name is another brief's too
}

// maxDepth bounds how deep sections nest.
const maxDepth = 16

// findBriefs walks briefs/ for bundles and pages. Warnings say what is
// left out: section pages, files outside any bundle.
func findBriefs(fsys fs.FS, cfg *Config, prefix string) ([]unit, []error, error) {
	var units []unit
	var warns []error
	var walk func(dir string, entries []fs.DirEntry, depth int) error
	walk = func(dir string, entries []fs.DirEntry, depth int) error {
		pages := map[string][]string{} // name -> its files
		var names []string
		for _, e := range entries {
			name := e.Name()
			switch {
			case Ignored(name):
			case e.IsDir():
				sub := dir + "/" + name
				if depth >= maxDepth {
					return &diag.Error{File: prefix + sub, Msg: fmt.Sprintf("sections nest more than %d deep: expected bundles and pages at most %d folders under briefs/", maxDepth, maxDepth)}
				}
				children, err := fs.ReadDir(fsys, sub)
				if err != nil {
					return err
				}
				if isBundle(children) {
					units = append(units, unit{dir: sub, name: name, bundle: true, entries: children})
					continue
				}
				if err := walk(sub, children, depth+1); err != nil {
					return err
				}
			case name == "_index.md" || strings.HasPrefix(name, "_index.") && strings.HasSuffix(name, ".md"):
				warns = append(warns, diag.Errorf(prefix+dir+"/"+name, 0, 0, "left out: a Hugo section page, and the site has no section pages; move its text into a brief (a folder with index.md, or a page name.md), or delete it"))
			case strings.HasSuffix(name, ".md"):
				base := strings.TrimSuffix(name, ".md")
				if i := strings.LastIndexByte(base, '.'); i > 0 && langCode(base[i+1:]) {
					base = base[:i]
				}
				if pages[base] == nil {
					names = append(names, base)
				}
				pages[base] = append(pages[base], name)
			default:
				warns = append(warns, diag.Errorf(prefix+dir+"/"+name, 0, 0, "left out: a file outside any bundle is not published; move it into the folder of the brief that shows it (briefs/<name>/index.md beside it)"))
			}
		}
		for _, name := range names {
			units = append(units, unit{dir: dir, name: name, pages: pages[name]})
		}
		return nil
	}
	entries, err := fs.ReadDir(fsys, "briefs")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err == nil {
		err = walk("briefs", entries, 0)
	}
	if err != nil {
		file := prefix + "briefs"
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			file = prefix + pe.Path
		}
		var de *diag.Error
		if errors.As(err, &de) {
			return nil, nil, err
		}
		return nil, nil, &diag.Error{File: file, Msg: errMsg(err), Err: err}
	}
	// A brief is known by its name alone: its URL and its translations.
	first := map[string]int{}
	for i, u := range units {
		j, dup := first[u.name]
		if !dup {
			first[u.name] = i
			continue
		}
		units[i].err = diag.Errorf(prefix+u.where(), 0, 0, "a second brief named %q (also %s): a brief's URL is /<lang>/briefs/<name>/ whatever its section, so names must differ: rename one",
			u.name, prefix+units[j].where())
	}
	return units, warns, nil
}

// where names a unit's folder or first page.
func (u unit) where() string {
	if u.bundle {
		return u.dir + "/"
	}
	return u.dir + "/" + u.pages[0]
}

// isBundle reports whether a folder's entries make it a bundle: it has an
// index.md or index.<lang>.md.
func isBundle(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "index.") && strings.HasSuffix(n, ".md") {
			return true
		}
	}
	return false
}

// outsideBriefs warns, once per folder, about Markdown pages in content/
// outside briefs/ and series/, which are not built: a Hugo site's content
// folder copied as it is.
func outsideBriefs(fsys fs.FS, cfg *Config, prefix string) []error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil
	}
	data, _, _ := strings.Cut(cfg.DataDir, "/")
	var warns []error
	var loose []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case Ignored(name), slices.Contains([]string{"briefs", "series", "archetypes", data}, name):
		case e.IsDir():
			if n := countPages(fsys, name); n > 0 {
				warns = append(warns, diag.Errorf(prefix+name+"/", 0, 0, "left out: %d Markdown %s outside briefs/ (a Hugo section?); only briefs/ and series/ are built: move the folder to %sbriefs/%s/, where its pages and bundles build as briefs",
					n, plural(n, "page"), prefix, name))
			}
		case path.Ext(name) == ".md":
			loose = append(loose, name)
		}
	}
	if len(loose) > 0 {
		warns = append(warns, diag.Errorf(prefix+loose[0], 0, 0, "left out: %d Markdown %s at the top of %s (%s); only briefs/ and series/ are built: move %s to %sbriefs/",
			len(loose), plural(len(loose), "page"), strings.TrimSuffix(prefix, "/"), strings.Join(loose, ", "), plural(len(loose), "it", "them"), prefix))
	}
	return warns
}

// countPages counts the .md files under dir, up to a bound.
func countPages(fsys fs.FS, dir string) int {
	n, seen := 0, 0
	fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || seen > 10000 {
			return fs.SkipAll
		}
		seen++
		if d.IsDir() && Ignored(d.Name()) && p != dir {
			return fs.SkipDir
		}
		if !d.IsDir() && path.Ext(p) == ".md" {
			n++
		}
		return nil
	})
	return n
}

// plural returns word, or its plural for n != 1: other if given, else
// word+"s".
func plural(n int, word string, other ...string) string {
	if n == 1 {
		return word
	}
	if len(other) > 0 {
		return other[0]
	}
	return word + "s"
}

// weightOrder orders two of Hugo's weights: weighted before unweighted (0),
// lighter before heavier.
func weightOrder(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	case a < b:
		return -1
	}
	return 1
}
