package render

import (
	"net/url"
	"strconv"
	"strings"
)

// urls is the site's URL scheme (DESIGN section 8). Site paths are raw,
// unescaped ("/zh/tags/美股/"); Rel adds the base URL's path and escapes for
// links in HTML, Abs the whole base URL for feeds, sitemaps and hreflang
// alternates, and File maps a site path to its output file (raw, as the file
// server will unescape the request).
type urls struct {
	origin string // "https://example.org"
	base   string // "/" or "/sub/"
}

func newURLs(baseURL string) urls {
	u, err := url.Parse(baseURL)
	if err != nil {
		return urls{base: "/"}
	}
	base := u.Path
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return urls{origin: u.Scheme + "://" + u.Host, base: base}
}

func (u urls) Rel(p string) string {
	return u.base + (&url.URL{Path: strings.TrimPrefix(p, "/")}).EscapedPath()
}
func (u urls) Abs(p string) string { return u.origin + u.Rel(p) }

// File maps a site path to an output file: directories get index.html.
func (u urls) File(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

func homePath(lang string) string        { return "/" + lang + "/" }
func briefPath(lang, slug string) string { return "/" + lang + "/briefs/" + slug + "/" }
func tagsPath(lang string) string        { return "/" + lang + "/tags/" }
func tagPath(lang, slug string) string   { return "/" + lang + "/tags/" + slug + "/" }
func seriesPath(lang, name string) string {
	return "/" + lang + "/series/" + name + "/"
}
func issuePath(lang, name, key string) string { return seriesPath(lang, name) + key + "/" }
func pagePath(list string, n int) string {
	if n <= 1 {
		return list
	}
	return list + "page/" + strconv.Itoa(n) + "/"
}
