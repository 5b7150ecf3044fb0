package render

import (
	"fmt"
	"html"
	"net/url"
	"path"
	"slices"
	"strings"

	"briefs/internal/diag"
)

// An alias (Hugo's aliases key) is an old path of a brief: a page there
// sends the reader on, and public/_redirects has Netlify answer it with a
// 301. As in Hugo with every language in its folder, "/old/" is
// /<lang>/old/ and a relative "old" sits beside the brief,
// /<lang>/briefs/old/.

type alias struct {
	path   string // site path: "/en/old/" or "/en/old.html"
	target *brief
}

// aliasPath resolves an alias of v.
func aliasPath(v *brief, a string) string {
	var p string
	if strings.HasPrefix(a, "/") {
		p = path.Join("/"+v.Src.Lang, a)
	} else {
		p = path.Join(path.Dir(strings.TrimSuffix(v.Path, "/")), a)
	}
	if path.Ext(p) == "" {
		p += "/"
	}
	return p
}

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
		page := fmt.Sprintf(`<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<title>%s</title>
<link rel="canonical" href="%s">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=%s">
</head>
<body><p><a href="%s">%s</a></p></body>
</html>
`, html.EscapeString(l.Code), html.EscapeString(a.target.Title), html.EscapeString(to), html.EscapeString(to), html.EscapeString(to), html.EscapeString(a.target.Title))
		r.put(file, key{}, []byte(page))
		fmt.Fprintf(&rules, "%s %s 301!\n", escapePath(r.u.Rel(a.path)), escapePath(a.target.URL))
	}
	if len(errs) > 0 {
		return diag.Join(errs)
	}
	r.put("_redirects", key{}, []byte(rules.String()))
	return nil
}

// escapePath escapes a path for a line of _redirects, where spaces
// separate fields.
func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
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

// joinNames joins the authors of a byline.
func joinNames(names []string, lang string) string {
	if lang == "zh" || strings.HasPrefix(lang, "zh-") || lang == "ja" {
		return strings.Join(names, "、")
	}
	return strings.Join(names, ", ")
}
