package feed

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"time"
)

// URL is a page of a sitemap.
type URL struct {
	Loc        string // absolute
	LastMod    time.Time
	Alternates []Alternate // the page in each language, itself included

	xml []byte // the entry's XML, made once
}

// Alternate is a page's version in a language.
type Alternate struct {
	Lang string // BCP 47, or x-default
	Href string // absolute
}

// Sitemap encodes the pages, sorted by URL (in place), with hreflang
// alternates where a page has more than one. It writes the XML itself:
// encoding/xml's reflection costs more than the rest of a rebuild in
// serve on a large site. Each entry is encoded once, however many
// sitemaps it is in.
func Sitemap(urls []*URL) []byte {
	slices.SortFunc(urls, func(a, b *URL) int { return strings.Compare(a.Loc, b.Loc) })
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`)
	for _, s := range urls {
		if s.xml == nil {
			s.xml = s.entry()
		}
		buf.Write(s.xml)
	}
	buf.WriteString("\n</urlset>\n")
	return buf.Bytes()
}

// entry is the XML of one sitemap entry.
func (s *URL) entry() []byte {
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
			esc(a.Lang)
			buf.WriteString("\" href=\"")
			esc(a.Href)
			buf.WriteString("\"></xhtml:link>")
		}
	}
	buf.WriteString("\n  </url>")
	return buf.Bytes()
}
