// Package feed encodes RSS 2.0 and Atom 1.0 documents and sitemaps from
// plain structs, and makes the URLs of HTML absolute for feed readers. It
// knows nothing of briefs: the caller gives absolute URLs, full HTML
// content and dates.
package feed

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"
	"unicode/utf8"
)

// Feed is what both formats are made from.
type Feed struct {
	Title       string
	Description string
	Language    string // BCP 47
	Link        string // the HTML page the feed mirrors, absolute
	Self        string // this feed's absolute URL
	Updated     time.Time
	Items       []Item
}

// Item is one entry.
type Item struct {
	Title      string
	Link       string // absolute
	ID         string // stable: the permalink
	Published  time.Time
	Updated    time.Time // last changed, if after Published; zero if not
	Summary    string    // plain text
	Content    string    // full HTML, with absolute URLs, made safe by the caller
	Categories []string
}

// RSS encodes f as RSS 2.0 with content:encoded and atom:link rel=self.
func RSS(f *Feed) ([]byte, error) {
	doc := rss{
		Version: "2.0",
		Atom:    "http://www.w3.org/2005/Atom",
		Content: "http://purl.org/rss/1.0/modules/content/",
		Channel: rssChannel{
			Title:       rssText(f.Title),
			Link:        f.Link,
			Description: rssText(f.Description),
			Language:    f.Language,
			Generator:   "briefs",
			AtomLink:    atomLink{Href: f.Self, Rel: "self", Type: "application/rss+xml"},
		},
	}
	if !f.Updated.IsZero() {
		doc.Channel.LastBuildDate = f.Updated.Format(time.RFC1123Z)
	}
	for _, it := range f.Items {
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title:       rssText(it.Title),
			Link:        it.Link,
			GUID:        rssGUID{Value: it.ID, IsPermaLink: it.ID == it.Link},
			PubDate:     it.Published.Format(time.RFC1123Z),
			Description: rssText(it.Summary),
			Content:     cdata{Value: xmlText(it.Content)},
			Categories:  it.Categories,
		})
	}
	return encode(doc)
}

// Atom encodes f as an Atom 1.0 feed.
func Atom(f *Feed) ([]byte, error) {
	doc := atomFeed{
		NS:      "http://www.w3.org/2005/Atom",
		Lang:    f.Language,
		Title:   f.Title,
		ID:      f.Self,
		Updated: f.Updated.Format(time.RFC3339),
		Links: []atomLink{
			{Href: f.Self, Rel: "self", Type: "application/atom+xml"},
			{Href: f.Link, Rel: "alternate", Type: "text/html"},
		},
		Subtitle:  f.Description,
		Generator: "briefs",
	}
	for _, it := range f.Items {
		e := atomEntry{
			Title:     xmlText(it.Title),
			ID:        it.ID,
			Links:     []atomLink{{Href: it.Link, Rel: "alternate", Type: "text/html"}},
			Published: it.Published.Format(time.RFC3339),
			Updated:   updated(it).Format(time.RFC3339),
			Summary:   atomText{Type: "text", Body: xmlText(it.Summary)},
			Content:   atomHTML{Type: "html", Body: xmlText(it.Content)},
		}
		for _, c := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return encode(doc)
}

// rssText is plain text for the RSS elements that many readers take for
// HTML, title and description: its < and > are escaped, so that no markup
// comes of a title such as "<img src=x onerror=...>" in any reader. An &
// is left as it is: it starts no markup, and the text's entities ("S&amp;P")
// show as meant.
func rssText(s string) string {
	s = xmlText(s)
	if strings.ContainsAny(s, "<>") {
		s = strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s)
	}
	return s
}

// xmlText drops the characters XML 1.0 does not allow (control characters
// other than tab, newline and carriage return; U+FFFE, U+FFFF), which would
// make the whole feed unreadable; CDATA sections have no escape for them.
func xmlText(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x80 || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r) || r == utf8.RuneError && n == 1 {
			return strings.Map(func(r rune) rune {
				if xmlChar(r) {
					return r
				}
				return -1
			}, s)
		}
		i += n
	}
	return s
}

// xmlChar reports whether XML 1.0 allows r.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	Generator     string    `xml:"generator,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	AtomLink      atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Content     cdata    `xml:"content:encoded"`
	Categories  []string `xml:"category"`
}

type rssGUID struct {
	Value       string `xml:",chardata"`
	IsPermaLink bool   `xml:"isPermaLink,attr"`
}

type cdata struct {
	Value string `xml:",cdata"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Generator string      `xml:"generator,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomHTML       `xml:"content"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// atomHTML is an entry's content: HTML, in a CDATA section, as RSS has it.
// That is the same text to an XML parser as the HTML escaped, and it is
// copied rather than escaped character by character; a feed carries 20
// whole briefs.
type atomHTML struct {
	Type string `xml:"type,attr"`
	Body string `xml:",cdata"`
}

// updated is when an item last changed: Updated, else Published.
func updated(it Item) time.Time {
	if it.Updated.After(it.Published) {
		return it.Updated
	}
	return it.Published
}
