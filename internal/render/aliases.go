package render

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"briefs/internal/diag"
	"briefs/internal/layout"
)

// alias is an old path of a brief (layout.AliasPath).
type alias struct {
	path   string // site path: "/en/old/" or "/en/old.html"
	target *brief
}

// aliasPath resolves an alias of v.
func aliasPath(v *brief, a string) string { return layout.AliasPath(v.Src.Lang, v.Path, a) }

// collectAliases resolves the aliases of the briefs published; an alias
// that is a brief's path or another brief's alias is an error.
func (r *renderer) collectAliases() error {
	owner := map[string]*brief{}
	for _, v := range r.views {
		if v.Issue == nil {
			owner[v.Path] = v
		}
	}
	var errs []error
	for _, v := range r.views {
		if v.Issue != nil {
			continue
		}
		for i, a := range v.Src.Aliases {
			p := aliasPath(v, a)
			if other, ok := owner[p]; ok && other != v {
				pos := v.Src.Pos[fmt.Sprintf("aliases[%d]", i)]
				what := "the path of " + other.Src.File
				if other.Path != p {
					what = "an alias of " + other.Src.File
				}
				errs = append(errs, diag.Errorf(v.Src.File, pos.Line, pos.Col, "alias %s is %s: remove one", diag.Quote(a), what))
				continue
			}
			if p == v.Path {
				continue
			}
			owner[p] = v
			r.aliases = append(r.aliases, alias{path: p, target: v})
		}
	}
	slices.SortFunc(r.aliases, func(a, b alias) int { return strings.Compare(a.path, b.path) })
	return diag.Join(errs)
}

// emitAliases writes the redirect page of each alias, and _redirects,
// once every other file is written: an alias may not replace one.
func (r *renderer) emitAliases() error {
	if len(r.aliases) == 0 {
		return nil
	}
	var errs []error
	var rules strings.Builder
	rules.WriteString("# Aliases of briefs (Hugo's aliases key): old paths, sent on to the brief.\n")
	for _, a := range r.aliases {
		file := r.u.File(a.path)
		r.mu.Lock()
		taken := r.written[file]
		r.mu.Unlock()
		if taken {
			i := slices.IndexFunc(a.target.Src.Aliases, func(s string) bool { return aliasPath(a.target, s) == a.path })
			pos := a.target.Src.Pos[fmt.Sprintf("aliases[%d]", i)]
			errs = append(errs, diag.Errorf(a.target.Src.File, pos.Line, pos.Col, "alias %s is the path of a page the site makes (%s): choose another path", diag.Quote(a.target.Src.Aliases[i]), a.path))
			continue
		}
		to := a.target.Permalink
		l, _ := r.cfg.Language(a.target.Src.Lang)
		r.put(file, key{}, layout.RedirectPage(l.Code, a.target.Title, to))
		rules.WriteString(layout.RedirectRule(r.u.Rel(a.path), a.target.URL))
	}
	if len(errs) > 0 {
		return diag.Join(errs)
	}
	r.put("_redirects", key{}, []byte(rules.String()))
	return nil
}

// imageURL is the absolute URL of an image of a brief's images key: a URL
// as it is, a file of the bundle beside the page, else a path of the site.
func (r *renderer) imageURL(v *brief, img string) string {
	if u, err := url.Parse(img); err == nil && u.IsAbs() {
		return img
	}
	if !strings.HasPrefix(img, "/") {
		for _, res := range v.Src.Resources {
			if res.Name == img {
				return r.u.Abs(v.Path + img)
			}
		}
	}
	return r.u.Abs("/" + strings.TrimPrefix(img, "/"))
}
