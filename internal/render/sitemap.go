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

	xml []byte // the entry's XML, made once
}

// addSitemap records p for the sitemap. Safe for concurrent use.
func (r *renderer) addSitemap(p *Page, lastMod time.Time) {
	r.addSitemapURL(&sitemapURL{Loc: p.Permalink, LastMod: lastMod, Alternates: p.Alternates})
}

func (r *renderer) addSitemapURL(u *sitemapURL) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sitemap = append(r.sitemap, u)
}

// sitemapXML encodes the recorded pages, sorted by URL, with hreflang
// alternates. It writes the XML itself: encoding/xml's reflection costs
// more than the rest of a rebuild in serve on a large site.
func (r *renderer) sitemapXML() ([]byte, error) {
	slices.SortFunc(r.sitemap, func(a, b *sitemapURL) int { return strings.Compare(a.Loc, b.Loc) })
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`)
	for _, s := range r.sitemap {
		if s.xml == nil {
			s.xml = s.entry()
		}
		buf.Write(s.xml)
	}
	buf.WriteString("\n</urlset>\n")
	return buf.Bytes(), nil
}

// entry is the XML of one sitemap entry.
func (s *sitemapURL) entry() []byte {
	var buf bytes.Buffer
	esc := func(s string) {
		if strings.ContainsAny(s, "&<>\"'\t\n\r") {
			xml.EscapeText(&buf, []byte(s))
			return
		}
		buf.WriteString(s)
	}
	buf.WriteString("\n  <url>\n    <loc>")
	esc(s.Loc)
	buf.WriteString("</loc>")
	if !s.LastMod.IsZero() {
		buf.WriteString("\n    <lastmod>")
		buf.WriteString(s.LastMod.Format(time.DateOnly))
		buf.WriteString("</lastmod>")
	}
	if len(s.Alternates) > 1 {
		for _, a := range s.Alternates {
			buf.WriteString("\n    <xhtml:link rel=\"alternate\" hreflang=\"")
			esc(a.Code)
			buf.WriteString("\" href=\"")
			esc(a.URL)
			buf.WriteString("\"></xhtml:link>")
		}
	}
	buf.WriteString("\n  </url>")
	return buf.Bytes()
}
