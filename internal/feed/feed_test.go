package feed

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func sample() *Feed {
	d := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
	return &Feed{
		Title: "市场简报", Description: "简报 & 数据", Language: "zh-CN",
		Link: "https://example.org/zh/", Self: "https://example.org/zh/index.xml", Updated: d,
		Items: []Item{{
			Title: "小盘股 <跑赢>", Link: "https://example.org/zh/briefs/a/", ID: "https://example.org/zh/briefs/a/",
			Published: d, Summary: "摘要", Content: `<p>正文 <a href="https://example.org/x/">x</a> ]]> end</p>`,
			Categories: []string{"板块轮动"},
		}},
	}
}

func TestRSS(t *testing.T) {
	data, err := RSS(sample())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Channel struct {
			Title         string `xml:"title"`
			LastBuildDate string `xml:"lastBuildDate"`
			AtomLink      struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Items []struct {
				Title   string `xml:"title"`
				GUID    string `xml:"guid"`
				PubDate string `xml:"pubDate"`
				Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("RSS does not parse: %v\n%s", err, data)
	}
	c := doc.Channel
	if c.Title != "市场简报" || c.AtomLink.Rel != "self" || c.AtomLink.Href != "https://example.org/zh/index.xml" {
		t.Errorf("channel: %+v", c)
	}
	if c.LastBuildDate != "Tue, 10 Feb 2026 00:00:00 +0000" {
		t.Errorf("lastBuildDate %q, want RFC 1123 with numeric zone", c.LastBuildDate)
	}
	if len(c.Items) != 1 {
		t.Fatalf("%d items", len(c.Items))
	}
	it := c.Items[0]
	// Readers that take an RSS title for HTML must see the text, not a tag.
	if it.Title != "小盘股 &lt;跑赢&gt;" || it.GUID != "https://example.org/zh/briefs/a/" || it.PubDate != "Tue, 10 Feb 2026 00:00:00 +0000" {
		t.Errorf("item: %+v", it)
	}
	if it.Content != sample().Items[0].Content {
		t.Errorf("content:encoded round trip:\n got %q\nwant %q", it.Content, sample().Items[0].Content)
	}
	if !strings.Contains(string(data), `<guid isPermaLink="true">`) {
		t.Error("guid is not marked as a permalink")
	}
}

func TestAtom(t *testing.T) {
	data, err := Atom(sample())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("Atom does not parse: %v\n%s", err, data)
	}
	if doc.Updated != "2026-02-10T00:00:00Z" || len(doc.Entries) != 1 || doc.Entries[0].Content.Type != "html" ||
		doc.Entries[0].Content.Body != sample().Items[0].Content {
		t.Errorf("atom: %+v", doc)
	}
}

func TestControlCharacters(t *testing.T) {
	f := sample()
	f.Items[0].Content = "<p>a\x0cb\x01c\td</p>"
	f.Items[0].Title = "t\x1b"
	for name, enc := range map[string]func(*Feed) ([]byte, error){"rss": RSS, "atom": Atom} {
		data, err := enc(f)
		if err != nil {
			t.Fatal(err)
		}
		var v struct{}
		if err := xml.Unmarshal(data, &v); err != nil {
			t.Errorf("%s with control characters is not well-formed: %v", name, err)
		}
		if !strings.Contains(string(data), "abc") {
			t.Errorf("%s: text around the dropped characters lost", name)
		}
	}
}
