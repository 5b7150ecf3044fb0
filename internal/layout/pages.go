package layout

import (
	"html/template"
	"time"

	"briefs/internal/content"
	"briefs/internal/locale"
)

// Page is the data every layout receives. Exactly one of Brief, List or
// Tags is set, by Kind.
type Page struct {
	Kind        string // brief | home | tag | tags | series | 404 | root
	Site        *SiteInfo
	Lang        content.Language
	Title       string // the page's own title; layouts add the site title
	Description string
	Path        string // site path, "/zh/briefs/x/"
	URL         string // link for href: base path included
	Permalink   string // absolute
	Alternates  []Link // hreflang alternates, including this page
	Switch      []Link // the language switcher: one entry per language
	Feeds       []Link // feeds for <link rel="alternate">
	NoIndex     bool

	Brief *BriefView
	List  *ListView
	Tags  []TagView

	// Locale is the page's language, for T and Date.
	Locale *locale.Locale
}

// SiteInfo is what pages show of the site itself.
type SiteInfo struct {
	BaseURL    string
	Languages  []content.Language
	Default    string
	Stylesheet string // URL of the fingerprinted stylesheet
	Icon       string // URL of the site icon
	// DataNote is what the market data says about itself, per language
	// ("generated sample data"), from tickers.toml.
	DataNote map[string]string

	u URLs
}

// NewSiteInfo returns s with its links made from its BaseURL.
func NewSiteInfo(s SiteInfo) *SiteInfo {
	s.u = NewURLs(s.BaseURL)
	return &s
}

// Link is a URL with its language.
type Link struct {
	Lang    string // key: "zh"
	Code    string // BCP 47: "zh-CN"
	Name    string // the language's own name, or a feed's title
	URL     string
	Type    string // MIME type, for feeds
	Current bool
	Missing bool // a switcher entry that leads to the home page: no translation
}

// BriefView is a brief prepared for layouts.
type BriefView struct {
	Src       *content.Brief
	Title     string
	Date      time.Time
	AsOf      time.Time
	Path      string
	URL       string
	Permalink string
	Summary   string
	Content   template.HTML
	Market    string // localized label
	Sentiment string // key: bullish | bearish | neutral | mixed
	Tags      []TagView
	Tickers   []TickerView
	Sources   []content.Source
	Issue     *IssueView // set on the issues of a series
	Author    string     // the byline, "" for none
	// Lastmod is when the brief was last changed (Hugo's lastmod), zero
	// when it was not after its date: shown as "updated".
	Lastmod  time.Time
	Keywords []string // for <meta name="keywords">
	Images   []string // absolute URLs, for og:image
	// Figures are the computed figures of the page, tickers box first,
	// with how each was computed, for the section that lists them.
	Figures []FigureView
	// Nav leads on to other briefs of the language: set on briefs, not
	// on the issues of a series.
	Nav *BriefNav
	// Key identifies what the view is made from: it changes when anything
	// it shows may change (its source, its data, the configuration, the
	// UI strings), which makes it the variant of a cached partial of a
	// brief.
	Key string
}

// IssueView places an issue of a series among the others.
type IssueView struct {
	Series     string // the series' name
	Title      string // the series' title
	URL        string // the series' index page
	Key        string // the period: "2026-w07"
	Period     string // the period, localized: "2026年第7周"
	Number     int    // 1 for the first issue
	Prev       string // URL of the issue before, "" for the first
	PrevPeriod string
	Next       string // URL of the issue after, "" for the latest
	NextPeriod string
}

// SeriesView is a series as its index page and the home page show it.
type SeriesView struct {
	Name    string
	Title   string
	Summary string // what the series is about, from its template
	URL     string // its index page
	Count   int    // its issues
	Latest  *BriefView
}

// TickerView is one entry of the related-tickers box.
type TickerView struct {
	Symbol      string
	Name        string // localized, from tickers.toml
	Close       string // formatted; "--" without market data
	Change      string // one-day change
	CloseValue  float64
	ChangeValue float64 // a fraction: 0.0042
	CloseTitle  string  // how Close was computed
	ChangeTitle string
	Dir         string // up | down | flat | ""
}

// FigureView is one computed figure of a brief and how it was computed.
type FigureView struct {
	Label string // what it is a figure of, when the text does not say: a ticker symbol
	Text  string // as shown: "+1.23%"
	Title string // its provenance: "close 2026-02-13 / close 2026-02-12 - 1"
}

// BriefNav links a brief to its neighbours in time and to related briefs.
type BriefNav struct {
	Prev    *NavLink // the next older brief of the language
	Next    *NavLink // the next newer one
	Related []NavLink
}

// NavLink is a brief as a link.
type NavLink struct {
	Title string
	URL   string
	Date  time.Time
}

// TagView is a tag as a link.
type TagView struct {
	Key   string // as written in front matter
	Slug  string
	Name  string // localized
	URL   string
	Count int
}

// ListView is one page of a paginated list of briefs.
type ListView struct {
	Briefs []*BriefView
	// Issues are the series issues of a tag page, listed compactly after
	// its hand-written briefs.
	Issues []*BriefView
	Pager  Pager
	Tag    *TagView    // set on tag pages
	Series *SeriesView // set on a series' index pages
	// Latest holds the latest issue of each series, on the first home page.
	Latest []SeriesView
	// Snapshot is the market snapshot strip of the first home page.
	Snapshot *SnapshotView
}

// SnapshotView is the home page's market snapshot: the last close and
// one-day change of the symbols site.toml lists, as of the latest session
// a brief or issue of the language reports on.
type SnapshotView struct {
	AsOf    time.Time
	Tickers []TickerView
}

// Pager links the pages of a list.
type Pager struct {
	Number, Total int
	Prev, Next    string // URLs, empty at the ends
	Pages         []PagerLink
}

// PagerLink is one numbered page link, or a gap for the pages left out.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// T returns a UI string of the page's language. Pairs of arguments fill
// placeholders: {{ .T "briefsCount" "Count" 3 }}.
func (p *Page) T(id string, kv ...any) (string, error) {
	var data map[string]any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				data[k] = kv[i+1]
			}
		}
	}
	return p.Locale.T(id, data)
}

// Date formats a date in the page's language.
func (p *Page) Date(t time.Time) string { return p.Locale.Date(t) }

// DataNote is the market data's note in the page's language, or "".
func (p *Page) DataNote() string { return p.Site.DataNote[p.Lang.Key] }

// SiteTitle is the site's title in the page's language.
func (p *Page) SiteTitle() string { return p.Lang.Title }

// HomeURL links the home page of the page's language.
func (p *Page) HomeURL() string { return p.Site.rel(HomePath(p.Lang.Key)) }

// TagsURL links the tag index of the page's language.
func (p *Page) TagsURL() string { return p.Site.rel(TagsPath(p.Lang.Key)) }

func (s *SiteInfo) rel(p string) string { return s.u.Rel(p) }
