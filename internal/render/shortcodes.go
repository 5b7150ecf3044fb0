package render

import (
	"bytes"
	"strings"

	"briefs/internal/content"
	"briefs/internal/markdown"
	"briefs/internal/shortcode"
)

// hasShortcodes reports whether a body may use shortcodes.
func hasShortcodes(body []byte) bool {
	return bytes.Contains(body, []byte("{{<")) || bytes.Contains(body, []byte("{{%"))
}

func (r *renderer) indexRefs() {
	r.refs = shortcode.NewRefs()
	for _, v := range r.views {
		if v.Issue == nil {
			r.refs.Add(v.Src.Bundle, v.Src.Lang, v.Path)
		}
	}
	r.refs.Done()
}

// ref resolves a page path as Hugo's ref and relref take it.
func (r *renderer) ref(p, lang, pageLang string) (rel, abs string, err error) {
	isLang := func(l string) bool { _, ok := r.cfg.Language(l); return ok }
	target, frag, err := r.refs.Resolve(p, lang, pageLang, isLang)
	if err != nil || target == "" {
		return frag, frag, err
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
