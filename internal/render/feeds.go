package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"briefs/internal/feed"

	"golang.org/x/net/html"
)

// feeds queues the RSS and Atom feeds of a list at base ("/zh/",
// "/zh/tags/x/"): its latest briefs with full content.
func (r *renderer) feeds(lang, base, title, description string, briefs []*BriefView) {
	items := briefs[:min(len(briefs), feedItems)]
	for _, v := range items {
		v.inFeed = true
	}
	r.add(func() error {
		l, _ := r.cfg.Language(lang)
		rssPath, atomPath := r.u.File(base+"index.xml"), r.u.File(base+"atom.xml")
		x := newHasher("feed").key(r.siteKey).str(lang).str(base).str(title).str(description).int(len(items))
		for _, v := range items {
			x.key(v.key)
		}
		k := x.done()
		memo := r.in.Memo
		rss, ok1 := memo.file(rssPath, k)
		atom, ok2 := memo.file(atomPath, k)
		if ok1 && ok2 {
			r.emitFeed(lang, rssPath, rss.data, atomPath, atom.data, true)
			return nil
		}
		f := &feed.Feed{
			Title:       title,
			Description: description,
			Language:    l.Code,
			Link:        r.u.Abs(base),
		}
		for _, v := range items {
			if t := r.published(v); t.After(f.Updated) {
				f.Updated = t
			}
		}
		for _, v := range items {
			var cats []string
			for _, t := range v.Tags {
				cats = append(cats, t.Name)
			}
			f.Items = append(f.Items, feed.Item{
				Title:      v.Title,
				Link:       v.Permalink,
				ID:         v.Permalink,
				Published:  r.published(v),
				Summary:    v.Summary,
				Content:    r.feedContent(v),
				Categories: cats,
			})
		}
		f.Self = r.u.Abs(base + "index.xml")
		rssData, err := feed.RSS(f)
		if err != nil {
			return err
		}
		f.Self = r.u.Abs(base + "atom.xml")
		atomData, err := feed.Atom(f)
		if err != nil {
			return err
		}
		memo.keepFile(rssPath, memoFile{key: k, data: rssData})
		memo.keepFile(atomPath, memoFile{key: k, data: atomData})
		r.emitFeed(lang, rssPath, rssData, atomPath, atomData, false)
		return nil
	})
}

func (r *renderer) emitFeed(lang, rssPath string, rss []byte, atomPath string, atom []byte, reused bool) {
	r.emit(rssPath, rss, lang, false)
	r.emit(atomPath, atom, lang, false)
	r.mu.Lock()
	r.out.Feeds += 2
	if reused {
		r.out.Stats.RenderedReused += 2
	} else {
		r.out.Stats.Rendered += 2
	}
	r.mu.Unlock()
}

// feedContent is a brief's HTML as feed readers need it: its sources list
// appended (citations link to it), tables aligned and citations set as
// readers keep them (forReaders), and every URL absolute: root-relative
// ones against the site, fragments against the brief's permalink. It is
// computed once per brief.
func (r *renderer) feedContent(v *BriefView) string {
	v.feed.once.Do(func() {
		s := string(v.Content)
		if len(v.Sources) > 0 {
			var b strings.Builder
			b.WriteString(s)
			heading, _ := r.in.Locales.Locale(v.Src.Lang).T("sources", nil)
			fmt.Fprintf(&b, "<h2>%s</h2>\n<ol start=\"0\">\n", html.EscapeString(heading))
			for i, src := range v.Sources {
				title := html.EscapeString(src.Title)
				if src.URL != "" {
					title = fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(src.URL), title)
				}
				fmt.Fprintf(&b, "<li id=\"source-%d\">%s</li>\n", i, title)
			}
			b.WriteString("</ol>\n")
			s = b.String()
		}
		s += r.feedExtras(v)
		v.feed.html = absolutize(forReaders(s), r.u.origin, v.Permalink)
	})
	return v.feed.html
}

// feedExtras is what a brief's page shows beside its text and a feed item
// must carry too: the related tickers as a table (aligned with align
// attributes, which feed readers keep, where a page uses classes), the
// as-of date with the data's note, and the site's disclaimer.
func (r *renderer) feedExtras(v *BriefView) string {
	loc := r.in.Locales.Locale(v.Src.Lang)
	t := func(id string, kv ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
		s, _ := loc.T(id, data)
		return html.EscapeString(s)
	}
	var b strings.Builder
	if len(v.Tickers) > 0 {
		fmt.Fprintf(&b, "<h2>%s</h2>\n", t("relatedTickers"))
		if !v.AsOf.IsZero() {
			fmt.Fprintf(&b, "<p>%s</p>\n", t("tickersAsOf", "Date", loc.Date(v.AsOf)))
		}
		b.WriteString("<table>\n<tbody>\n")
		for _, tk := range v.Tickers {
			name := strings.TrimSpace(tk.Name + " " + tk.Symbol)
			change := html.EscapeString(tk.Change)
			if tk.ChangeTitle != "" {
				change = map[string]string{"up": "▲ ", "down": "▼ "}[tk.Dir] + change + " " + t("changePeriod")
			}
			fmt.Fprintf(&b, "<tr><td>%s</td><td align=\"right\">%s</td><td align=\"right\">%s</td></tr>\n",
				html.EscapeString(name), html.EscapeString(tk.Close), change)
		}
		b.WriteString("</tbody>\n</table>\n")
	}
	if !v.AsOf.IsZero() {
		note := ""
		if n := r.site.DataNote[v.Src.Lang]; n != "" {
			note = " · " + html.EscapeString(n)
		}
		fmt.Fprintf(&b, "<p><small>%s%s</small></p>\n", t("asOf", "Date", loc.Date(v.AsOf)), note)
	}
	if l, ok := r.cfg.Language(v.Src.Lang); ok && l.Disclaimer != "" {
		colon := ": "
		if v.Src.Lang == "zh" {
			colon = "："
		}
		fmt.Fprintf(&b, "<p><small>%s%s%s</small></p>\n", t("disclaimer"), colon, html.EscapeString(l.Disclaimer))
	}
	return b.String()
}

// urlAttrs are the attributes whose root-relative values absolutize rewrites.
var urlAttrs = map[string]bool{"href": true, "src": true, "srcset": true, "poster": true}

// absolutize prefixes origin to root-relative URLs, and page to fragment-only
// URLs, in href, src and srcset attributes. It tokenizes the HTML and
// rewrites only tags that need it, copying everything else byte for byte.
func absolutize(s, origin, page string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b bytes.Buffer
	b.Grow(len(s) + 256)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() == io.EOF {
				return b.String()
			}
			return s // not HTML we can read: leave it as it is
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(raw)
			continue
		}
		tok := z.Token()
		changed := false
		for i, a := range tok.Attr {
			if !urlAttrs[a.Key] {
				continue
			}
			if v, ok := absoluteAttr(a.Key, a.Val, origin, page); ok {
				tok.Attr[i].Val = v
				changed = true
			}
		}
		if changed {
			b.WriteString(tok.String())
		} else {
			b.Write(raw)
		}
	}
}

func absoluteAttr(key, val, origin, page string) (string, bool) {
	rooted := func(u string) bool { return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") }
	if key != "srcset" {
		switch {
		case rooted(val):
			return origin + val, true
		case strings.HasPrefix(val, "#") && page != "":
			return page + val, true
		}
		return val, false
	}
	parts := strings.Split(val, ",")
	changed := false
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if rooted(p) {
			parts[i] = origin + p
			changed = true
		} else {
			parts[i] = p
		}
	}
	return strings.Join(parts, ", "), changed
}

// sessionClose is the hour, in the site's time zone, at which a brief's
// as-of session has closed: 16:00, the close of the New York exchanges
// in the America/New_York zone of a site on US markets.
const sessionClose = 16

// published is the moment a feed stamps a brief with: the close of its
// as-of session in the site's time zone, or the start of its publication
// date when that is later (a brief dated the day after the session it
// reports on). A brief without an as-of date is stamped at the start of
// its date.
func (r *renderer) published(v *BriefView) time.Time {
	y, m, d := v.Date.Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, r.cfg.TimeZone)
	if !v.AsOf.IsZero() {
		y, m, d := v.AsOf.Date()
		if c := time.Date(y, m, d, sessionClose, 0, 0, 0, r.cfg.TimeZone); c.After(t) {
			t = c
		}
	}
	return t
}
