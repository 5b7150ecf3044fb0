package shortcode

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"briefs/internal/diag"
)

// Refs maps the briefs published, by name and language, to their site
// paths, for ref and relref.
type Refs struct {
	paths map[string]map[string]string // bundle -> lang -> path
	names []string
	// Key identifies the index: it changes when a brief that ref could
	// find is added, removed or moved.
	Key [32]byte
}

// NewRefs starts an empty index.
func NewRefs() *Refs { return &Refs{paths: map[string]map[string]string{}} }

// Add records that the brief bundle publishes its lang version at path.
// Call Done once all are added.
func (x *Refs) Add(bundle, lang, path string) {
	if x.paths[bundle] == nil {
		x.paths[bundle] = map[string]string{}
		x.names = append(x.names, bundle)
	}
	x.paths[bundle][lang] = path
}

// Done computes the key; the index is then ready.
func (x *Refs) Done() {
	h := sha256.New()
	slices.Sort(x.names)
	for _, name := range x.names {
		langs := x.paths[name]
		for _, l := range slices.Sorted(maps.Keys(langs)) {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00", name, l, langs[l])
		}
	}
	h.Sum(x.Key[:0])
}

// Resolve finds a page path as Hugo's ref and relref take it: "post",
// "post.md", "posts/post.md", "/posts/post/index.md", "post.fr.md", with
// an optional #fragment. isLang says whether a suffix such as "fr" is a
// language of the site; pageLang is the language of the page asking. It
// returns the site path of the brief and the fragment ("#x" or "").
func (x *Refs) Resolve(p, lang, pageLang string, isLang func(string) bool) (sitePath, frag string, err error) {
	p, frag, _ = strings.Cut(p, "#")
	if frag != "" {
		frag = "#" + frag
	}
	if p == "" {
		return "", frag, nil // a heading of the page itself
	}
	name := path.Base(strings.TrimSuffix(strings.TrimSuffix(p, "/"), ".md"))
	if name == "index" || name == "_index" || strings.HasPrefix(name, "index.") {
		if i := strings.IndexByte(name, '.'); i >= 0 && lang == "" {
			lang = name[i+1:]
		}
		name = path.Base(path.Dir(strings.TrimSuffix(p, "/")))
	} else if i := strings.LastIndexByte(name, '.'); i > 0 && isLang(name[i+1:]) {
		if lang == "" {
			lang = name[i+1:]
		}
		name = name[:i]
	}
	if lang == "" {
		lang = pageLang
	}
	langs := x.paths[name]
	if langs == nil {
		msg := fmt.Sprintf("no published brief %q (from %s)", name, diag.Quote(p))
		if near := diag.Nearest(name, x.names); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		return "", "", fmt.Errorf("%s", msg)
	}
	target, ok := langs[lang]
	if !ok {
		return "", "", fmt.Errorf("brief %q has no %s version", name, lang)
	}
	return target, frag, nil
}
