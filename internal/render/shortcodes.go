package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"path"
	"slices"
	"strings"

	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/markdown"
	"briefs/internal/shortcode"
)

// hasShortcodes reports whether a body may use shortcodes.
func hasShortcodes(body []byte) bool {
	return bytes.Contains(body, []byte("{{<")) || bytes.Contains(body, []byte("{{%"))
}

// refIndex maps the briefs published, by name and language, to their
// paths, for ref and relref; key identifies it.
type refIndex struct {
	paths map[string]map[string]string // bundle -> lang -> path
	names []string
	key   key
}

func (r *renderer) indexRefs() {
	idx := &refIndex{paths: map[string]map[string]string{}}
	h := sha256.New()
	for _, v := range r.views {
		if v.Issue != nil {
			continue
		}
		b := v.Src
		if idx.paths[b.Bundle] == nil {
			idx.paths[b.Bundle] = map[string]string{}
			idx.names = append(idx.names, b.Bundle)
		}
		idx.paths[b.Bundle][b.Lang] = v.Path
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", b.Bundle, b.Lang, v.Path)
	}
	h.Sum(idx.key[:0])
	slices.Sort(idx.names)
	r.refs = idx
}

// ref resolves a page path as Hugo's ref and relref take it: "post",
// "post.md", "posts/post.md", "/posts/post/index.md", "post.fr.md", with
// an optional #fragment.
func (r *renderer) ref(p, lang, pageLang string) (rel, abs string, err error) {
	p, frag, _ := strings.Cut(p, "#")
	if frag != "" {
		frag = "#" + frag
	}
	if p == "" {
		return frag, frag, nil // a heading of the page itself
	}
	name := path.Base(strings.TrimSuffix(strings.TrimSuffix(p, "/"), ".md"))
	if name == "index" || name == "_index" || strings.HasPrefix(name, "index.") {
		if i := strings.IndexByte(name, '.'); i >= 0 && lang == "" {
			lang = name[i+1:]
		}
		name = path.Base(path.Dir(strings.TrimSuffix(p, "/")))
	} else if i := strings.LastIndexByte(name, '.'); i > 0 {
		if _, ok := r.cfg.Language(name[i+1:]); ok {
			if lang == "" {
				lang = name[i+1:]
			}
			name = name[:i]
		}
	}
	if lang == "" {
		lang = pageLang
	}
	langs := r.refs.paths[name]
	if langs == nil {
		msg := fmt.Sprintf("no published brief %q (from %s)", name, diag.Quote(p))
		if near := diag.Nearest(name, r.refs.names); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		return "", "", fmt.Errorf("%s", msg)
	}
	target, ok := langs[lang]
	if !ok {
		return "", "", fmt.Errorf("brief %q has no %s version", name, lang)
	}
	return r.u.Rel(target) + frag, r.u.Abs(target) + frag, nil
}

// expandShortcodes expands the shortcodes of a brief's body: the one place
// the body meets them, before its template runs.
func (r *renderer) expandShortcodes(v *brief, tableLabel string) (*shortcode.Result, error) {
	b := v.Src
	var resources []string
	for _, res := range b.Resources {
		resources = append(resources, res.Name)
	}
	env := &shortcode.Env{
		File: b.File,
		Line: b.BodyLine,
		Page: &shortcode.Page{Title: b.Title, Lang: b.Lang, URL: v.URL, Permalink: v.Permalink, Params: b.Params(), Resources: resources},
		Ref: func(p, lang string) (string, string, error) {
			return r.ref(p, lang, b.Lang)
		},
		Templates: r.in.Shortcodes,
		Markdown: func(src string, inline bool) (string, error) {
			opt := markdown.Options{File: b.File, Line: b.BodyLine, Lang: b.Lang, PageURL: v.URL, TableLabel: tableLabel}
			if strings.Contains(src, "[!") {
				opt.AlertTitles = r.alertTitles(b.Lang)
			}
			doc, err := r.in.Markdown.Convert([]byte(src), opt)
			if err != nil {
				return "", err
			}
			h := strings.TrimSpace(doc.HTML)
			if inline && strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
				h = strings.TrimSuffix(strings.TrimPrefix(h, "<p>"), "</p>")
			}
			return h, nil
		},
	}
	return shortcode.Expand(b.Body, env)
}

// withBody returns b with another body, or b itself if it is the same.
func withBody(b *content.Brief, body []byte) *content.Brief {
	if len(body) == len(b.Body) && (len(body) == 0 || &body[0] == &b.Body[0]) {
		return b
	}
	cp := *b
	cp.Body = body
	return &cp
}
