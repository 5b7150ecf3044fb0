package layout

import (
	"net/url"
	"strconv"
	"strings"
)

// URLs is the site's URL scheme (DESIGN section 8). Site paths are raw,
// unescaped ("/zh/tags/美股/"); Rel adds the base URL's path and escapes for
// links in HTML, Abs the whole base URL for feeds, sitemaps and hreflang
// alternates, and File maps a site path to its output file (raw, as the file
// server will unescape the request).
type URLs struct {
	origin string // "https://example.org"
	base   string // "/" or "/sub/"
}

// NewURLs returns the URL scheme of a site at baseURL.
func NewURLs(baseURL string) URLs {
	u, err := url.Parse(baseURL)
	if err != nil {
		return URLs{base: "/"}
	}
	base := u.Path
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return URLs{origin: u.Scheme + "://" + u.Host, base: base}
}

// Rel is the link to site path p.
func (u URLs) Rel(p string) string {
	return u.base + (&url.URL{Path: strings.TrimPrefix(p, "/")}).EscapedPath()
}

// Abs is the absolute URL of site path p.
func (u URLs) Abs(p string) string { return u.origin + u.Rel(p) }

// Origin is the site's scheme and host: "https://example.org".
func (u URLs) Origin() string { return u.origin }

// File maps a site path to an output file: directories get index.html.
func (u URLs) File(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// The site paths of the pages: a language's home, a brief, the tag index,
// a tag, a series, an issue of a series, and page n of a list.

func HomePath(lang string) string        { return "/" + lang + "/" }
func BriefPath(lang, slug string) string { return "/" + lang + "/briefs/" + slug + "/" }
func TagsPath(lang string) string        { return "/" + lang + "/tags/" }
func TagPath(lang, slug string) string   { return "/" + lang + "/tags/" + slug + "/" }
func SeriesPath(lang, name string) string {
	return "/" + lang + "/series/" + name + "/"
}
func IssuePath(lang, name, key string) string { return SeriesPath(lang, name) + key + "/" }
func PagePath(list string, n int) string {
	if n <= 1 {
		return list
	}
	return list + "page/" + strconv.Itoa(n) + "/"
}
