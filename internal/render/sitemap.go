package render

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"time"
)

type sitemapURL struct {
	Loc        string
	LastMod    time.Time
	Alternates []Link
}

// addSitemap records p for the sitemap. Safe for concurrent use.
func (r *renderer) addSitemap(p *Page, lastMod time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sitemap = append(r.sitemap, sitemapURL{Loc: p.Permalink, LastMod: lastMod, Alternates: p.Alternates})
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapXML `xml:"url"`
}

type sitemapXML struct {
	Loc        string         `xml:"loc"`
	LastMod    string         `xml:"lastmod,omitempty"`
	Alternates []sitemapAlter `xml:"xhtml:link"`
}

type sitemapAlter struct {
	Rel      string `xml:"rel,attr"`
	HrefLang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// sitemapXML encodes the recorded pages, sorted by URL, with hreflang
// alternates.
func (r *renderer) sitemapXML() ([]byte, error) {
	slices.SortFunc(r.sitemap, func(a, b sitemapURL) int { return strings.Compare(a.Loc, b.Loc) })
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	for _, s := range r.sitemap {
		x := sitemapXML{Loc: s.Loc}
		if !s.LastMod.IsZero() {
			x.LastMod = s.LastMod.Format(time.DateOnly)
		}
		if len(s.Alternates) > 1 {
			for _, a := range s.Alternates {
				x.Alternates = append(x.Alternates, sitemapAlter{Rel: "alternate", HrefLang: a.Code, Href: a.URL})
			}
		}
		set.URLs = append(set.URLs, x)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(set); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
