// Package render turns loaded content into the files of the site: brief
// pages, paginated home and tag pages, the tag index, feeds, the sitemap,
// robots.txt, 404 pages and the language-picking root page. It puts them
// in an output (internal/output), which keeps them in memory, writes them
// out, or keeps them for the next render; it changes none of its inputs.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/feed"
	"briefs/internal/layout"
	"briefs/internal/locale"
	"briefs/internal/markdown"
	"briefs/internal/market"
	"briefs/internal/output"
	"briefs/internal/plot"
	"briefs/internal/shortcode"
	"briefs/internal/tmpl"
)

// Inputs is everything a render needs, already loaded.
type Inputs struct {
	Site      *content.Site
	Briefs    []*content.Brief  // the briefs to publish, newest first
	Series    []*content.Series // the series to publish
	Templates *layout.Templates
	Locales   *locale.Catalog
	Markdown  *markdown.Converter
	// Shortcodes are the site's own (templates/shortcodes/); nil for none.
	Shortcodes *shortcode.Templates
	Assets     *layout.Assets
	Market     *market.Universe // nil for a site without market data
	// ChartFont returns the TrueType font charts are drawn with, read on
	// first use; ChartCache, if set, keeps drawn charts between builds.
	ChartFont  func() ([]byte, error)
	ChartCache plot.Cache
	// Out receives the files. TemplatesDigest and LocalesDigest identify
	// the layouts and the UI strings, for what Out keeps for a later
	// render.
	Out                            output.Output
	TemplatesDigest, LocalesDigest [32]byte
	// Progress, if set, is called after each rendering job with the jobs
	// done and the total, one call at a time.
	Progress func(done, total int)
	// Release, if set, is called with each brief once its source text is
	// read: a caller that keeps no brief for a later render can drop it,
	// so that the sources of a large site are not all held at once.
	Release func(b *content.Brief)
	// NoIndex asks search engines to index nothing: every page carries
	// a robots noindex, and robots.txt disallows every path (previews).
	NoIndex bool
}

// Result says what a render made.
type Result struct {
	Pages map[string]int // HTML pages per language section (/zh/...)
	Feeds int
	// Issues counts the issues of series, once for all their languages.
	Issues int
	// ChartsDrawn counts chart images drawn, not taken from the cache.
	ChartsDrawn int
	Stats       Stats
	// Warnings say what was left out of the site: the issues of series
	// whose market data is not there for their period.
	Warnings []error
}

// feedItems is how many of the latest briefs a feed carries.
const feedItems = 20

// Render renders the site. Errors of all pages are reported together.
func Render(ctx context.Context, in *Inputs) (*Result, error) {
	r, err := newRenderer(in)
	if err != nil {
		return nil, err
	}
	r.ctx = ctx
	if err := r.briefs(ctx); err != nil {
		return nil, err
	}
	if err := r.drawCharts(ctx); err != nil {
		return nil, err
	}
	if err := r.snapshots(); err != nil {
		return nil, err
	}
	r.lists()
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	if err := errors.Join(r.outErrs...); err != nil {
		return nil, err
	}
	return r.out, nil
}

// renderer is the state of one Render call.
type renderer struct {
	ctx  context.Context // ends a body's template early
	in   *Inputs
	cfg  *content.Config
	u    layout.URLs
	site *layout.SiteInfo
	// siteKey is the hash of what every page shares: configuration,
	// layouts, UI strings, base URL, stylesheet, data note.
	siteKey key

	views  []*brief                        // in.Briefs, then the issues of every series
	snap   map[string]*layout.SnapshotView // lang -> the home page's snapshot strip
	byLang map[string][]*brief             // briefs (not issues), newest first
	series map[string][]*seriesList        // lang -> its series, by name
	trans  map[string]map[string]*brief    // bundle -> lang -> view
	tags   map[string]map[string][]*brief  // lang -> tag slug -> briefs

	refs    *shortcode.Refs // the briefs ref and relref find
	aliases []alias         // old paths of briefs, sorted
	jobs    []job
	sitemap []*feed.URL
	charts  *plot.Set

	mu      sync.Mutex
	out     *Result
	done    int
	outErrs []error         // from Inputs.Out
	written map[string]bool // the files put, for aliases to avoid
}

// job renders one output file (or a few) into the output.
type job func() error

func newRenderer(in *Inputs) (*renderer, error) {
	cfg := in.Site.Config
	css, err := in.Assets.URL("css/site.css")
	if err != nil {
		return nil, err
	}
	icon, err := in.Assets.URL("img/icon.svg")
	if err != nil {
		return nil, err
	}
	u := layout.NewURLs(cfg.BaseURL)
	r := &renderer{
		in:  in,
		cfg: cfg,
		u:   u,
		site: layout.NewSiteInfo(layout.SiteInfo{
			BaseURL:    cfg.BaseURL,
			Languages:  cfg.Languages,
			Default:    cfg.DefaultLanguage,
			Stylesheet: u.Rel(css),
			Icon:       u.Rel(icon),
		}),
		byLang:  map[string][]*brief{},
		trans:   map[string]map[string]*brief{},
		tags:    map[string]map[string][]*brief{},
		out:     &Result{Pages: map[string]int{}},
		written: map[string]bool{},
	}
	if in.Market != nil {
		r.site.DataNote = in.Market.Note
	}
	r.siteKey = layout.NewHasher("site").Key(in.Site.Digest).Key(in.TemplatesDigest).Key(in.LocalesDigest).
		Str(cfg.BaseURL).Bool(in.NoIndex).Str(r.site.Stylesheet).Str(r.site.Icon).Strings(r.site.DataNote).Sum()
	r.charts = &plot.Set{Font: in.ChartFont, Cache: in.ChartCache}
	for p, data := range in.Assets.Files() {
		r.put(p, key{}, data)
	}
	return r, nil
}

// briefs converts the Markdown of every brief and every issue of a series
// in parallel, and indexes the views.
func (r *renderer) briefs(ctx context.Context) error {
	issues, err := r.issues()
	if err != nil {
		return err
	}
	r.views = make([]*brief, 0, len(r.in.Briefs)+len(issues))
	paths := make(map[string]string, len(r.in.Briefs)) // site path -> file, to catch slug clashes
	var errs []error
	for _, b := range r.in.Briefs {
		p := briefPath(b.Lang, b.Slug)
		if other, dup := paths[p]; dup {
			errs = append(errs, diag.Errorf(b.File, 0, 0, "brief publishes at %s like %s: give one a different slug", p, other))
			continue
		}
		paths[p] = b.File
		r.views = append(r.views, &brief{BriefView: layout.BriefView{Src: b, Path: p}})
	}
	if len(errs) > 0 {
		return diag.Join(errs)
	}
	r.views = append(r.views, issues...)
	periods := map[string]bool{}
	for _, v := range issues {
		periods[v.Src.Bundle] = true
	}
	r.out.Issues = len(periods)
	errs = make([]error, len(r.views))
	r.trans = make(map[string]map[string]*brief, len(r.views))
	r.indexRefs()
	err = parallel(ctx, len(r.views), func(i int) {
		v := r.views[i]
		v.URL, v.Permalink = r.u.Rel(v.Path), r.u.Abs(v.Path)
		errs[i] = r.prepare(v)
		if errs[i] == nil {
			r.useCharts(r.views[i])
		}
	})
	if err != nil {
		return err
	}
	errs = r.leaveOut(errs)
	if err := diag.Join(uniq(errs)); err != nil {
		return err
	}
	for _, v := range r.views {
		if v.Issue == nil || v.Issue.Number == 1 {
			r.out.Warnings = append(r.out.Warnings, v.warnings...)
		}
	}
	for _, v := range r.views {
		b := v.Src
		if v.Issue == nil {
			r.byLang[b.Lang] = append(r.byLang[b.Lang], v)
		}
		if r.trans[b.Bundle] == nil {
			r.trans[b.Bundle] = map[string]*brief{}
		}
		r.trans[b.Bundle][b.Lang] = v
		if r.tags[b.Lang] == nil {
			r.tags[b.Lang] = map[string][]*brief{}
		}
		for _, t := range v.Tags {
			r.tags[b.Lang][t.Slug] = append(r.tags[b.Lang][t.Slug], v)
		}
	}
	if len(issues) > 0 {
		// Issues join the tag lists, which stay newest first.
		for _, tags := range r.tags {
			for _, list := range tags {
				slices.SortStableFunc(list, func(a, b *brief) int { return b.Date.Compare(a.Date) })
			}
		}
	}
	for _, list := range r.byLang {
		navigate(list)
	}
	if err := r.collectAliases(); err != nil {
		return err
	}
	for _, v := range r.views {
		r.add(func() error { return r.briefPage(v) })
	}
	return nil
}

// prepare fills a view: Markdown to HTML, summary, labels; or copies them
// from what the output kept of an earlier render when nothing they are
// made from has changed.
func (r *renderer) prepare(v *brief) error {
	b := v.Src
	asof := r.asof(b)
	x := layout.NewHasher("brief").Key(b.Digest).Str(b.Bundle).Str(b.Lang).Str(b.Slug).
		Key(r.in.Site.Digest).Key(r.in.LocalesDigest).Str(r.cfg.BaseURL).Time(asof).Bool(r.in.Market != nil)
	if r.in.Market != nil {
		x.Key(r.in.Market.Digest(asof))
	}
	if hasShortcodes(b.Body) {
		// What the shortcodes make: the site's templates, the briefs
		// ref finds.
		x.Key(r.in.TemplatesDigest).Key(r.refs.Key)
	}
	v.setKey(x.Sum())
	if old, ok := r.in.Out.Kept(v.key); ok {
		src, path, url, perma, issue := v.Src, v.Path, v.URL, v.Permalink, v.Issue
		*v = *old.(*brief)
		v.Src, v.Path, v.URL, v.Permalink, v.Issue = src, path, url, perma, issue
		r.count(&r.out.Stats.PreparedReused)
		return nil
	}
	if err := r.prepareNew(v, asof); err != nil {
		return err
	}
	if r.in.Release != nil && v.Issue == nil { // an issue shares its series' source
		r.in.Release(b)
	}
	r.count(&r.out.Stats.Prepared)
	kept := *v // as prepared: the render drops its Content once written
	r.in.Out.Keep(v.key, &kept)
	return nil
}

// sameMessages reports whether a and b hold the same problems, wherever
// they place them.
func sameMessages(a, b error) bool {
	ea, eb := diag.Flatten(a), diag.Flatten(b)
	if len(ea) != len(eb) {
		return false
	}
	for i := range ea {
		var da, db *diag.Error
		if !errors.As(ea[i], &da) || !errors.As(eb[i], &db) || da.Msg != db.Msg {
			return false
		}
	}
	return true
}

// count adds one to a statistic.
func (r *renderer) count(n *int) {
	r.mu.Lock()
	*n++
	r.mu.Unlock()
}

func (r *renderer) prepareNew(v *brief, asof time.Time) error {
	b := v.Src
	titles := make([]string, len(b.Sources))
	for i, s := range b.Sources {
		titles[i] = s.Title
	}
	v.feed = &lazyFeed{}
	var view *market.View
	if r.in.Market != nil {
		view = r.in.Market.At(asof)
	}
	funcs := func() template.FuncMap {
		return tmpl.Funcs(r.in.Market, view, asof, r.in.Locales.Locale(b.Lang), b.Lang)
	}
	tableLabel, _ := r.in.Locales.Locale(b.Lang).T("table", nil)
	sc, err := r.expandShortcodes(v, tableLabel)
	if err != nil {
		return err
	}
	v.warnings = sc.Warnings
	body := withBody(b, sc.Body)
	src, err := tmpl.Body(r.ctx, body, funcs)
	if err != nil {
		return sc.Remap(err)
	}
	src = sc.Restore(src)
	title, err := tmpl.Text(r.ctx, b, "title", b.Title, funcs)
	if err != nil {
		return err
	}
	summary, err := tmpl.Text(r.ctx, b, "summary", b.Summary, funcs)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	use := func(key string, c *plot.Chart) {
		mu.Lock()
		defer mu.Unlock()
		if v.charts == nil {
			v.charts = map[string]*plot.Chart{}
		}
		v.charts[key] = c
	}
	opt := markdown.Options{File: b.File, Line: b.BodyLine, Lang: b.Lang, PageURL: v.URL, Sources: titles, Chart: r.chartFunc(b, view, use), TableLabel: tableLabel}
	if bytes.Contains(src, []byte("[!")) {
		opt.AlertTitles = r.alertTitles(b.Lang)
	}
	doc, err := r.in.Markdown.Convert(src, opt)
	if err != nil {
		// Lines of the template's output need not be the lines of the
		// file: the same Markdown before the template ran says where, if
		// it fails the same way.
		if !bytes.Equal(src, body.Body) {
			if _, rawErr := r.in.Markdown.Convert(body.Body, opt); rawErr != nil && sameMessages(err, rawErr) {
				return sc.Remap(rawErr)
			}
		}
		return sc.Remap(err)
	}
	doc.HTML, doc.Summary = sc.Fill(doc.HTML), sc.Plain(doc.Summary)
	labels := r.in.Site.Labels
	v.Title = title
	v.Date = b.Date
	if !b.AsOf.IsZero() || r.in.Market != nil {
		v.AsOf = asof
	}
	v.Content = template.HTML(doc.HTML)
	v.Summary = summary
	switch {
	case v.Summary != "":
	case doc.Divided:
		// The author's own summary, up to <!--more-->, whole.
		v.Summary = doc.Summary
	default:
		v.Summary = truncate(doc.Summary, 160)
	}
	if b.Market != "" {
		v.Market = labels.Market(b.Market, b.Lang)
	}
	v.Sentiment = b.Sentiment
	v.Sources = b.Sources
	v.Author = layout.JoinNames(b.Authors, b.Lang)
	if b.Lastmod.After(b.Date) {
		v.Lastmod = b.Lastmod
	}
	v.Keywords = b.Keywords
	for _, img := range b.Images {
		v.Images = append(v.Images, r.imageURL(v, img))
	}
	seen := map[string]bool{}
	for _, t := range b.Tags {
		slug := content.Slug(t)
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		v.Tags = append(v.Tags, layout.TagView{Key: t, Slug: slug, Name: labels.Tag(t, b.Lang), URL: r.u.Rel(tagPath(b.Lang, slug))})
	}
	if err := r.tickers(v, view); err != nil {
		return err
	}
	for _, t := range v.Tickers {
		if t.CloseTitle != "" {
			v.Figures = append(v.Figures, layout.FigureView{Label: t.Symbol, Text: t.Close, Title: t.CloseTitle})
		}
		if t.ChangeTitle != "" {
			v.Figures = append(v.Figures, layout.FigureView{Label: t.Symbol, Text: t.Change, Title: t.ChangeTitle})
		}
	}
	for _, f := range tmpl.ShownFigures(doc.HTML) {
		v.Figures = append(v.Figures, layout.FigureView{Text: f.Text, Title: f.Title})
	}
	return nil
}

// alertTitles are the titles of alerts (> [!NOTE]) in lang: the UI strings
// alertNote, alertTip...
func (r *renderer) alertTitles(lang string) map[string]string {
	titles := map[string]string{}
	loc := r.in.Locales.Locale(lang)
	for _, kind := range markdown.AlertKinds {
		titles[kind], _ = loc.T("alert"+strings.ToUpper(kind[:1])+kind[1:], nil)
	}
	return titles
}

// asof is the date a brief's figures are computed as of: its asof, or
// else the last trading session on or before its date.
func (r *renderer) asof(b *content.Brief) time.Time {
	switch {
	case !b.AsOf.IsZero():
		return b.AsOf
	case r.in.Market != nil:
		return r.in.Market.Session(b.Date)
	}
	return b.Date
}

// tickers fills the related-tickers box: each symbol's last close and
// one-day change as of the brief (view). Without market data it shows
// dashes.
func (r *renderer) tickers(v *brief, view *market.View) error {
	b := v.Src
	if view == nil {
		for _, sym := range b.Tickers {
			v.Tickers = append(v.Tickers, layout.TickerView{Symbol: sym, Close: "--", Change: "--"})
		}
		return nil
	}
	var errs []error
	for i, sym := range b.Tickers {
		t, err := r.ticker(view, sym, b.Lang)
		if err != nil {
			pos := b.Pos[fmt.Sprintf("tickers[%d]", i)]
			errs = append(errs, diag.Errorf(b.File, pos.Line, pos.Col, "tickers: %v", err))
			continue
		}
		v.Tickers = append(v.Tickers, t)
	}
	return diag.Join(errs)
}

// ticker is a symbol's tile in lang: its last close and one-day change as
// of view, with how each was computed.
func (r *renderer) ticker(view *market.View, sym, lang string) (layout.TickerView, error) {
	loc := r.in.Locales.Locale(lang)
	c, err := view.Close(sym)
	var ch market.Result
	if err == nil {
		ch, err = view.Ret(sym, "1D")
	}
	if err != nil {
		return layout.TickerView{}, err
	}
	t := layout.TickerView{Symbol: sym, Close: loc.Number(c.Value, 2), Change: loc.Percent(ch.Value, 2),
		CloseValue: c.Value, ChangeValue: ch.Value, CloseTitle: tmpl.Describe(c.Desc, lang), ChangeTitle: tmpl.Describe(ch.Desc, lang), Dir: "flat"}
	if s, ok := r.in.Market.Symbols[sym]; ok && s.Name[lang] != "" {
		t.Name = s.Name[lang]
	}
	switch {
	case ch.Value > 0:
		t.Dir = "up"
	case ch.Value < 0:
		t.Dir = "down"
	}
	return t, nil
}

// snapshots makes the snapshot strip of each language's home page: the
// symbols site.toml lists under snapshot, as of the latest session that a
// brief or an issue in the language reports on. A symbol without data for
// that session is left out with a warning; an unknown one is an error.
func (r *renderer) snapshots() error {
	syms := r.cfg.Snapshot
	if len(syms) == 0 {
		return nil
	}
	if r.in.Market == nil {
		return fmt.Errorf("%s: snapshot: this site has no market data (no tickers.toml in its data directory): remove snapshot or add the data", r.cfg.SnapshotAt)
	}
	var errs []error
	for _, sym := range syms {
		if _, err := r.in.Market.Symbol(sym); err != nil {
			errs = append(errs, fmt.Errorf("%s: snapshot: %v", r.cfg.SnapshotAt, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	r.snap = map[string]*layout.SnapshotView{}
	left := map[string]string{} // symbol -> why, once for all languages
	for _, l := range r.cfg.Languages {
		var asof time.Time
		for _, v := range r.views {
			if v.Src.Lang == l.Key && v.AsOf.After(asof) {
				asof = v.AsOf
			}
		}
		if asof.IsZero() {
			continue
		}
		view := r.in.Market.At(asof)
		s := &layout.SnapshotView{AsOf: asof}
		for _, sym := range syms {
			t, err := r.ticker(view, sym, l.Key)
			if err != nil {
				if _, ok := left[sym]; !ok {
					left[sym] = err.Error()
					r.out.Warnings = append(r.out.Warnings, fmt.Errorf("%s: snapshot: %s left out of the home page as of %s: %v", r.cfg.SnapshotAt, sym, asof.Format(time.DateOnly), err))
				}
				continue
			}
			s.Tickers = append(s.Tickers, t)
		}
		if len(s.Tickers) > 0 {
			r.snap[l.Key] = s
		}
	}
	return nil
}

// truncate shortens s to about n runes at a word or sentence boundary.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n]
	// A whole sentence if one ends in the second half: no ellipsis.
	for i := len(rs) - 1; i >= n/2; i-- {
		switch {
		case rs[i] == '。' || rs[i] == '！' || rs[i] == '？':
			return string(rs[:i+1])
		case (rs[i] == '.' || rs[i] == '!' || rs[i] == '?') && i+1 < len([]rune(s)) && []rune(s)[i+1] == ' ':
			return string(rs[:i+1])
		}
	}
	cut := len(rs)
	for i := len(rs) - 1; i >= n/2; i-- {
		if rs[i] == ' ' || rs[i] == '。' || rs[i] == '，' || rs[i] == ',' || rs[i] == '；' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ,，;；") + "…"
}

// add queues a job.
func (r *renderer) add(j job) { r.jobs = append(r.jobs, j) }

// run executes the queued jobs in parallel, collecting every error.
func (r *renderer) run(ctx context.Context) error {
	errs := make([]error, len(r.jobs))
	err := parallel(ctx, len(r.jobs), func(i int) {
		errs[i] = r.jobs[i]()
		if r.in.Progress != nil {
			r.mu.Lock()
			r.done++
			r.in.Progress(r.done, len(r.jobs))
			r.mu.Unlock()
		}
	})
	if err != nil {
		return err
	}
	return diag.Join(layout.Dedupe(errs))
}

// parallel calls f(0) to f(n-1) on GOMAXPROCS goroutines, and stops
// early when ctx ends.
func parallel(ctx context.Context, n int, f func(i int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// uniq keeps one error per position: an error in a series' template is
// made once per issue, with a different date in each, and is reported once
// with the number of other issues it fails in. Joined errors are taken
// apart first, so that none is lost behind another at the same place.
func uniq(errs []error) []error {
	var out []error
	at := map[string]int{} // position, or message without one -> index in out
	more := map[int]int{}
	for _, leaf := range diag.Flatten(errors.Join(errs...)) {
		k := leaf.Error()
		if de, ok := leaf.(*diag.Error); ok && de.Line > 0 {
			k = fmt.Sprintf("%s:%d:%d", de.File, de.Line, de.Col)
		}
		if i, ok := at[k]; ok {
			more[i]++
			continue
		}
		at[k] = len(out)
		out = append(out, leaf)
	}
	for i, n := range more {
		if de, ok := out[i].(*diag.Error); ok {
			out[i] = &diag.Error{File: de.File, Line: de.Line, Col: de.Col, Err: de.Err,
				Msg: fmt.Sprintf("%s (and in %d more issues)", de.Msg, n)}
		}
	}
	return out
}

// emit puts an output file made from the inputs k. Safe for concurrent
// use.
func (r *renderer) emit(path string, k key, data []byte, lang string, html bool) {
	r.put(path, k, data)
	r.countPage(lang, html)
}

// countPage counts an HTML page of lang.
func (r *renderer) countPage(lang string, html bool) {
	if html && lang != "" {
		r.mu.Lock()
		r.out.Pages[lang]++
		r.mu.Unlock()
	}
}

// put puts an output file made from the inputs k. Safe for concurrent use.
func (r *renderer) put(path string, k key, data []byte) {
	err := r.in.Out.Put(path, k, data)
	r.mu.Lock()
	if err != nil {
		r.outErrs = append(r.outErrs, err)
	}
	if len(r.aliases) > 0 {
		r.written[path] = true
	}
	r.mu.Unlock()
}

// page executes a layout for p and emits it at p.Path, or emits what the
// last render made of the same inputs.
func (r *renderer) page(kind string, p *layout.Page) error {
	// Pages count under the language whose section holds them; the root
	// page and the top-level 404 belong to no language.
	lang := ""
	if strings.HasPrefix(p.Path, homePath(p.Lang.Key)) {
		lang = p.Lang.Key
	}
	return r.memoPage(kind, lang, r.u.File(p.Path), layout.PageKey(r.siteKey, kind, p), func() (*layout.Page, *feed.URL) { return p, nil })
}

// memoPage emits the page at file whose inputs have key k: what an earlier
// render made of the same inputs, if the output has it, or else layout
// kind executed on the page that make returns. A sitemap entry returned by
// make is recorded, and kept under k for the renders that reuse the page.
func (r *renderer) memoPage(kind, lang, file string, k key, make func() (*layout.Page, *feed.URL)) error {
	if r.in.Out.Reuse(file, k) {
		r.count(&r.out.Stats.RenderedReused)
		if sm, ok := r.in.Out.Kept(k); ok {
			r.addSitemap(sm.(*feed.URL))
		}
		r.countPage(lang, true)
		return nil
	}
	p, sm := make()
	if sm != nil {
		r.addSitemap(sm)
	}
	buf, err := r.in.Templates.Execute(kind, p)
	if err != nil {
		return &layout.PageError{Path: p.Path, Err: err}
	}
	if sm != nil {
		r.in.Out.Keep(k, sm)
	}
	r.count(&r.out.Stats.Rendered)
	r.emit(file, k, buf.Bytes(), lang, true)
	layout.Release(buf)
	return nil
}

// newPage returns a Page of lang at path with the site-wide fields set.
func (r *renderer) newPage(kind, lang, path string) *layout.Page {
	l, _ := r.cfg.Language(lang)
	return &layout.Page{
		Kind:      kind,
		Site:      r.site,
		Lang:      l,
		Path:      path,
		URL:       r.u.Rel(path),
		Permalink: r.u.Abs(path),
		Feeds: []layout.Link{
			{Name: "RSS", URL: r.u.Rel(homePath(lang) + "index.xml"), Type: "application/rss+xml"},
			{Name: "Atom", URL: r.u.Rel(homePath(lang) + "atom.xml"), Type: "application/atom+xml"},
		},
		NoIndex: r.in.NoIndex,
		Locale:  r.in.Locales.Locale(lang),
	}
}

// translate sets the switcher and hreflang alternates of p. real maps a
// language to the site path of this page's true translation; a language
// without one gets fallback(lang) in the switcher (a list or home page) and
// no alternate, so alternates stay reciprocal.
func (r *renderer) translate(p *layout.Page, real map[string]string, fallback func(lang string) string) {
	for _, l := range r.cfg.Languages {
		link := layout.Link{Lang: l.Key, Code: l.Code, Name: l.Name, Current: l.Key == p.Lang.Key}
		if target, ok := real[l.Key]; ok {
			link.URL = r.u.Rel(target)
			p.Alternates = append(p.Alternates, layout.Link{Lang: l.Key, Code: l.Code, Name: l.Name, URL: r.u.Abs(target)})
		} else {
			link.URL = r.u.Rel(fallback(l.Key))
			link.Missing = true
		}
		p.Switch = append(p.Switch, link)
	}
	if def, ok := real[r.cfg.DefaultLanguage]; ok && len(p.Alternates) > 1 {
		p.Alternates = append(p.Alternates, layout.Link{Lang: "x-default", Code: "x-default", URL: r.u.Abs(def)})
	}
}

// everywhere maps every language to path(lang): pages that exist in all.
func (r *renderer) everywhere(path func(lang string) string) map[string]string {
	m := map[string]string{}
	for _, l := range r.cfg.Languages {
		m[l.Key] = path(l.Key)
	}
	return m
}

// briefPage renders one brief and its bundle resources. The page is
// reused from an earlier render when the brief and the paths of its translations
// are unchanged: everything else it shows is in the site key.
func (r *renderer) briefPage(v *brief) error {
	b := v.Src
	for _, res := range b.Resources {
		r.emit(strings.TrimPrefix(v.Path, "/")+res.Name, key{}, res.Data, "", false)
	}
	trans := r.trans[b.Bundle]
	x := layout.NewHasher("brief page").Key(r.siteKey).Key(v.key)
	x.Issue(v.Issue)
	x.Nav(v.Nav)
	for _, l := range r.cfg.Languages {
		if t := trans[l.Key]; t != nil {
			x.Str(l.Key).Str(t.Path)
		}
	}
	// A page needs its body no longer once written, unless a feed
	// carries it: the site's bodies are not all held at once.
	if !v.inFeed {
		defer func() { v.Content = "" }()
	}
	return r.memoPage("brief", b.Lang, r.u.File(v.Path), x.Sum(), func() (*layout.Page, *feed.URL) {
		p := r.newPage("brief", b.Lang, v.Path)
		p.Title = v.Title
		p.Description = v.Summary
		if b.Description != "" {
			p.Description = b.Description
		}
		p.Brief = &v.BriefView
		real := map[string]string{}
		for lang, t := range trans {
			real[lang] = t.Path
		}
		r.translate(p, real, homePath)
		lastMod := b.Date
		if !v.Lastmod.IsZero() {
			lastMod = v.Lastmod
		}
		return p, sitemapEntry(p, lastMod)
	})
}

// lists queues the per-language list pages, feeds, tag and series pages.
func (r *renderer) lists() {
	for _, l := range r.cfg.Languages {
		lang := l.Key
		briefs := r.byLang[lang]
		r.paginate(lang, listSpec{
			kind: "home", list: homePath, fallback: homePath, latest: r.latest(lang), snapshot: r.snap[lang],
			count: func(lang string) int { return max(1, len(r.byLang[lang])) },
		}, briefs)
		r.feeds(lang, homePath(lang), l.Title, l.Description, briefs)
		r.add(func() error { return r.tagIndex(lang) })
		for _, slug := range slices.Sorted(maps.Keys(r.tags[lang])) {
			tb := r.tags[lang][slug]
			tag := tagOf(tb[0], slug)
			tag.Count = len(tb)
			title, _ := r.in.Locales.Locale(lang).T("tagTitle", map[string]any{"Tag": tag.Name}) // once per tag
			r.paginate(lang, listSpec{
				kind: "tag", list: func(lang string) string { return tagPath(lang, slug) }, title: title, tag: &tag, feeds: true,
				count: func(lang string) int { return len(r.tags[lang][slug]) },
				fallback: func(other string) string {
					if len(r.tags[other][slug]) > 0 {
						return tagPath(other, slug)
					}
					return tagsPath(other)
				},
			}, handFirst(tb))
			r.feeds(lang, tagPath(lang, slug), title+" · "+l.Title, l.Description, tb)
		}
		r.seriesLists(lang, l)
		r.add(func() error { return r.notFound(lang, "/"+lang+"/404.html") })
	}
	r.add(func() error { return r.notFound(r.cfg.DefaultLanguage, "/404.html") })
	r.add(r.root)
}

// handFirst orders a tag's briefs (newest first) for its pages: the
// hand-written briefs first, then the issues of series, each newest first,
// so that a weekly series does not push what authors wrote off the first
// page. Its feeds keep the order of publication.
func handFirst(list []*brief) []*brief {
	i := slices.IndexFunc(list, func(v *brief) bool { return v.Issue != nil })
	if i < 0 {
		return list
	}
	out := make([]*brief, 0, len(list))
	for _, v := range list {
		if v.Issue == nil {
			out = append(out, v)
		}
	}
	for _, v := range list[i:] {
		if v.Issue != nil {
			out = append(out, v)
		}
	}
	return out
}

func tagOf(v *brief, slug string) layout.TagView {
	for _, t := range v.Tags {
		if t.Slug == slug {
			return t
		}
	}
	return layout.TagView{Slug: slug}
}

// listSpec describes a paginated list: the home page, a tag's or a
// series' pages.
type listSpec struct {
	kind  string                   // home | tag | series
	list  func(lang string) string // the list's first page in a language
	count func(lang string) int    // its briefs in a language; < 1: no such list there
	// fallback is where the switcher leads in a language whose list has
	// fewer pages.
	fallback func(lang string) string
	title    string
	tag      *layout.TagView
	series   *layout.SeriesView
	latest   []layout.SeriesView  // the first page's latest issues (home)
	snapshot *layout.SnapshotView // the first page's market snapshot (home)
	feeds    bool                 // the list has its own feeds at list(lang)
}

// paginate queues the pages of a list in lang. Page n of another language
// is its translation if that list has n pages; otherwise the switcher
// falls back to s.fallback(lang).
func (r *renderer) paginate(lang string, s listSpec, briefs []*brief) {
	per := r.cfg.Paginate
	pages := func(lang string) int { return (s.count(lang) + per - 1) / per }
	total := max(1, pages(lang))
	base := s.list(lang)
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*per, min(n*per, len(briefs))
		var latest []layout.SeriesView
		var snapshot *layout.SnapshotView
		if n == 1 {
			latest, snapshot = s.latest, s.snapshot
		}
		r.add(func() error {
			path := pagePath(base, n)
			// Where the switcher leads, per language: the same page of
			// the translated list, or the fallback.
			real := map[string]string{}
			x := layout.NewHasher("list page").Key(r.siteKey).Str(s.kind).Str(lang).Str(path).Int(n).Int(total).Str(s.title).Bool(s.feeds)
			for _, l := range r.cfg.Languages {
				if l.Key == lang || pages(l.Key) >= n {
					real[l.Key] = pagePath(s.list(l.Key), n)
					x.Str(real[l.Key])
				} else {
					x.Str("").Str(s.fallback(l.Key))
				}
			}
			if s.tag != nil {
				x.Tag(*s.tag)
			}
			x.Bool(s.series != nil)
			if s.series != nil {
				x.Series(*s.series)
			}
			x.Int(len(latest))
			for _, sv := range latest {
				x.Series(sv)
			}
			x.Snapshot(snapshot)
			for _, v := range briefs[lo:hi] {
				x.Key(v.key)
			}
			return r.memoPage("list", lang, r.u.File(path), x.Sum(), func() (*layout.Page, *feed.URL) {
				p := r.newPage(s.kind, lang, path)
				list, issues := briefs[lo:hi], []*brief(nil)
				if s.tag != nil {
					// Issues come last (handFirst): listed compactly.
					if i := slices.IndexFunc(list, func(v *brief) bool { return v.Issue != nil }); i >= 0 {
						list, issues = list[:i], list[i:]
					}
				}
				p.List = &layout.ListView{Briefs: views(list), Issues: views(issues), Tag: s.tag, Series: s.series, Latest: latest, Snapshot: snapshot, Pager: layout.NewPager(r.u, base, n, total)}
				p.Title = s.title
				if s.feeds {
					p.Feeds = []layout.Link{
						{Name: "RSS", URL: r.u.Rel(base + "index.xml"), Type: "application/rss+xml"},
						{Name: "Atom", URL: r.u.Rel(base + "atom.xml"), Type: "application/atom+xml"},
					}
				}
				p.Description = p.Lang.Description
				if s.series != nil && s.series.Summary != "" {
					p.Description = s.series.Summary
				}
				r.translate(p, real, s.fallback)
				if n > 1 {
					return p, nil
				}
				var last time.Time
				if len(briefs) > 0 {
					last = briefs[0].Date
				}
				return p, sitemapEntry(p, last)
			})
		})
	}
}

// tagIndex renders the list of all tags of a language with their counts.
func (r *renderer) tagIndex(lang string) error {
	p := r.newPage("tags", lang, tagsPath(lang))
	p.Title, _ = p.Locale.T("tags", nil)
	p.Description = p.Lang.Description
	for slug, tb := range r.tags[lang] { // sorted below
		t := tagOf(tb[0], slug)
		t.Count = len(tb)
		p.Tags = append(p.Tags, t)
	}
	slices.SortFunc(p.Tags, func(a, b layout.TagView) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Slug, b.Slug)
	})
	r.translate(p, r.everywhere(tagsPath), tagsPath)
	var last time.Time
	if bs := r.byLang[lang]; len(bs) > 0 {
		last = bs[0].Date
	}
	r.addSitemap(sitemapEntry(p, last))
	return r.page("tags", p)
}

// notFound renders a 404 page of lang at path.
func (r *renderer) notFound(lang, path string) error {
	p := r.newPage("404", lang, path)
	p.Title, _ = p.Locale.T("notFoundTitle", nil)
	p.NoIndex = true
	r.translate(p, r.everywhere(homePath), homePath)
	p.Alternates = nil
	return r.page("404", p)
}

// root renders public/index.html, which sends visitors to the default
// language and links every language.
func (r *renderer) root() error {
	p := r.newPage("root", r.cfg.DefaultLanguage, "/")
	p.Title = p.Lang.Title
	p.Description = p.Lang.Description
	r.translate(p, r.everywhere(homePath), homePath)
	return r.page("root", p)
}

// sitemapEntry is p's entry in the sitemap.
func sitemapEntry(p *layout.Page, lastMod time.Time) *feed.URL {
	u := &feed.URL{Loc: p.Permalink, LastMod: lastMod}
	for _, a := range p.Alternates {
		u.Alternates = append(u.Alternates, feed.Alternate{Lang: a.Code, Href: a.URL})
	}
	return u
}

// addSitemap records a page for the sitemap. Safe for concurrent use.
func (r *renderer) addSitemap(u *feed.URL) {
	r.mu.Lock()
	r.sitemap = append(r.sitemap, u)
	r.mu.Unlock()
}

// finish writes what needs every page first: the aliases, the sitemap
// and robots.txt.
func (r *renderer) finish() error {
	if err := r.emitAliases(); err != nil {
		return err
	}
	r.put("sitemap.xml", key{}, feed.Sitemap(r.sitemap))
	robots := "User-agent: *\nAllow: /\n\nSitemap: " + r.u.Abs("/sitemap.xml") + "\n"
	if r.in.NoIndex {
		robots = "User-agent: *\nDisallow: /\n"
	}
	r.put("robots.txt", key{}, []byte(robots))
	return nil
}
