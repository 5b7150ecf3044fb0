package render

import (
	"time"

	"briefs/internal/feed"
	"briefs/internal/layout"
)

// feeds queues the RSS and Atom feeds of a list at base ("/zh/",
// "/zh/tags/x/"): its latest briefs with full content.
func (r *renderer) feeds(lang, base, title, description string, briefs []*brief) {
	items := briefs[:min(len(briefs), feedItems)]
	for _, v := range items {
		v.inFeed = true
	}
	r.add(func() error {
		l, _ := r.cfg.Language(lang)
		rssPath, atomPath := r.u.File(base+"index.xml"), r.u.File(base+"atom.xml")
		x := layout.NewHasher("feed").Key(r.siteKey).Str(lang).Str(base).Str(title).Str(description).Int(len(items))
		for _, v := range items {
			x.Key(v.key)
		}
		k := x.Sum()
		if r.in.Out.Reuse(rssPath, k) && r.in.Out.Reuse(atomPath, k) {
			r.countFeeds(true)
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
			published := r.published(v)
			if !v.Src.DateTime.IsZero() {
				published = v.Src.DateTime
			}
			var updated time.Time
			if !v.Lastmod.IsZero() {
				updated = r.inZone(v.Lastmod)
			}
			f.Items = append(f.Items, feed.Item{
				Title:      v.Title,
				Link:       v.Permalink,
				ID:         v.Permalink,
				Published:  published,
				Updated:    updated,
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
		r.put(rssPath, k, rssData)
		r.put(atomPath, k, atomData)
		r.countFeeds(false)
		return nil
	})
}

// countFeeds counts an RSS and an Atom feed, made or reused.
func (r *renderer) countFeeds(reused bool) {
	r.mu.Lock()
	r.out.Feeds += 2
	if reused {
		r.out.Stats.RenderedReused += 2
	} else {
		r.out.Stats.Rendered += 2
	}
	r.mu.Unlock()
}

// feedContent is a brief's HTML as feed readers need it
// (layout.FeedItemHTML), tables aligned and citations set as readers keep
// them (feed.ForReaders), and every URL absolute: root-relative ones
// against the site, fragments against the brief's permalink. It is
// computed once per brief.
func (r *renderer) feedContent(v *brief) string {
	v.feed.once.Do(func() {
		var disclaimer string
		if l, ok := r.cfg.Language(v.Src.Lang); ok {
			disclaimer = l.Disclaimer
		}
		s := layout.FeedItemHTML(&v.BriefView, r.in.Locales.Locale(v.Src.Lang), r.site.DataNote[v.Src.Lang], disclaimer)
		v.feed.html = feed.Absolutize(feed.ForReaders(s), r.u.Origin(), v.Permalink)
	})
	return v.feed.html
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
func (r *renderer) published(v *brief) time.Time {
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

// inZone is midnight of a brief's calendar date in the site's time zone,
// the moment it is published for feed readers.
func (r *renderer) inZone(d time.Time) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, r.cfg.TimeZone)
}
