package layout

import (
	"fmt"
	"html"
	"net/url"
	"path"
	"strings"
)

// An alias (Hugo's aliases key) is an old path of a brief: a page there
// sends the reader on, and public/_redirects has Netlify answer it with a
// 301. As in Hugo with every language in its folder, "/old/" is
// /<lang>/old/ and a relative "old" sits beside the brief,
// /<lang>/briefs/old/.

// AliasPath is the site path of alias a of the brief of lang published at
// briefPath: "/en/old/" or "/en/old.html".
func AliasPath(lang, briefPath, a string) string {
	var p string
	if strings.HasPrefix(a, "/") {
		p = path.Join("/"+lang, a)
	} else {
		p = path.Join(path.Dir(strings.TrimSuffix(briefPath, "/")), a)
	}
	if path.Ext(p) == "" {
		p += "/"
	}
	return p
}

// RedirectPage is the page at an alias: it sends the reader to the
// brief's permalink to, and asks search engines to index that instead.
func RedirectPage(langCode, title, to string) []byte {
	return fmt.Appendf(nil, `<!DOCTYPE html>
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
`, html.EscapeString(langCode), html.EscapeString(title), html.EscapeString(to), html.EscapeString(to), html.EscapeString(to), html.EscapeString(title))
}

// RedirectRule is the line of _redirects that answers from with a 301 to
// to; spaces in the paths, which separate its fields, are escaped.
func RedirectRule(from, to string) string {
	esc := func(p string) string { return (&url.URL{Path: p}).EscapedPath() }
	return esc(from) + " " + esc(to) + " 301!\n"
}

// JoinNames joins the authors of a byline in the language lang.
func JoinNames(names []string, lang string) string {
	if lang == "zh" || strings.HasPrefix(lang, "zh-") || lang == "ja" {
		return strings.Join(names, "、")
	}
	return strings.Join(names, ", ")
}
