// Package render turns loaded content into the files of the site: brief
// pages, paginated home and tag pages, the tag index, feeds, the sitemap,
// robots.txt, 404 pages and the language-picking root page. Its result is a
// map from output path to bytes; it writes nothing.
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
	"briefs/internal/locale"
	"briefs/internal/markdown"
	"briefs/internal/market"
	"briefs/internal/plot"
)

// Inputs is everything a render needs, already loaded.
type Inputs struct {
	Site      *content.Site
	Briefs    []*content.Brief  // the briefs to publish, newest first
	Series    []*content.Series // the series to publish
	Templates *Templates
	Locales   *locale.Catalog
	Markdown  *markdown.Converter
	Assets    *Assets
	Market    *market.Universe // nil for a site without market data
	// ChartFont returns the TrueType font charts are drawn with, read on
	// first use; ChartCache, if set, keeps drawn charts between builds.
	ChartFont  func() ([]byte, error)
	ChartCache ChartCache
	// Memo, if set, carries work over from the last render of the site.
	// TemplatesDigest and LocalesDigest identify the layouts and the UI
	// strings for it.
	Memo                           *Memo
	TemplatesDigest, LocalesDigest [32]byte
	// Progress, if set, is called after each rendering job with the jobs
	// done and the total, one call at a time.
	Progress func(done, total int)
	// Sink, if set, receives every output file as soon as it is rendered,
	// from several goroutines at once; Output.Files then records the
	// paths with nil contents, so the site is never all in memory. Sink
	// must not keep data once it returns: page buffers are reused. An
	// error from Sink fails the render. Not used with Memo.
	Sink func(path string, data []byte) error
	// SinkCached, if set beside Sink, places the chart image that
	// ChartCache holds under name at the output path without reading it
	// (a hard link), and reports whether it could; if not, the bytes go to
	// Sink.
	SinkCached func(path, name string) bool
	// NoIndex asks search engines to index nothing: every page carries
	// a robots noindex, and robots.txt disallows every path (previews).
	NoIndex bool
}

// Output is the rendered site.
type Output struct {
	Files map[string][]byte // output path -> contents
	Pages map[string]int    // HTML pages per language section (/zh/...)
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
func Render(ctx context.Context, in *Inputs) (*Output, error) {
	if in.Sink != nil && in.Memo != nil {
		return nil, errors.New("render: a Sink keeps no output for a Memo to carry over")
	}
	if in.Templates != nil {
		in.Templates.forget() // entries are content-addressed: this only bounds them
	}
	r, err := newRenderer(in)
	if err != nil {
		return nil, err
	}
	r.ctx = ctx
	in.Memo.begin()
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
	if err := errors.Join(r.sinkErrs...); err != nil {
		return nil, err
	}
	in.Memo.commit()
	return r.out, nil
}

// renderer is the state of one Render call.
type renderer struct {
	ctx  context.Context // ends a body's template early
	in   *Inputs
	cfg  *content.Config
	u    urls
	site *SiteInfo
	// siteKey is the hash of what every page shares: configuration,
	// layouts, UI strings, base URL, stylesheet, data note.
	siteKey key

	views  []*BriefView                       // in.Briefs, then the issues of every series
	snap   map[string]*SnapshotView           // lang -> the home page's snapshot strip
	byLang map[string][]*BriefView            // briefs (not issues), newest first
	series map[string][]*seriesList           // lang -> its series, by name
	trans  map[string]map[string]*BriefView   // bundle -> lang -> view
	tags   map[string]map[string][]*BriefView // lang -> tag slug -> briefs

	jobs    []job
	sitemap []*sitemapURL
	charts  charts

	mu       sync.Mutex
	out      *Output
	done     int
	sinkErrs []error // from Inputs.Sink
}

// job renders one output file (or a few) into the output.
type job func() error

func newRenderer(in *Inputs) (*renderer, error) {
	cfg := in.Site.Config
	css, err := in.Assets.url("css/site.css")
	if err != nil {
		return nil, err
	}
	icon, err := in.Assets.url("img/icon.svg")
	if err != nil {
		return nil, err
	}
	u := newURLs(cfg.BaseURL)
	r := &renderer{
		in:  in,
		cfg: cfg,
		u:   u,
		site: &SiteInfo{
			BaseURL:    cfg.BaseURL,
			Languages:  cfg.Languages,
			Default:    cfg.DefaultLanguage,
			Stylesheet: u.Rel(css),
			Icon:       u.Rel(icon),
			u:          u,
		},
		byLang: map[string][]*BriefView{},
		trans:  map[string]map[string]*BriefView{},
		tags:   map[string]map[string][]*BriefView{},
		out:    &Output{Files: make(map[string][]byte, max(in.Memo.size(), 2*len(in.Briefs))), Pages: map[string]int{}},
	}
	if in.Market != nil {
		r.site.DataNote = in.Market.Note
	}
	r.siteKey = newHasher("site").key(in.Site.Digest).key(in.TemplatesDigest).key(in.LocalesDigest).
		str(cfg.BaseURL).bool(in.NoIndex).str(r.site.Stylesheet).str(r.site.Icon).strings(r.site.DataNote).done()
	r.charts.byKey = map[string]*plot.Chart{}
	r.charts.font, r.charts.cache = in.ChartFont, in.ChartCache
	for p, data := range in.Assets.files {
		r.put(p, data)
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
	r.views = make([]*BriefView, 0, len(r.in.Briefs)+len(issues))
	paths := make(map[string]string, len(r.in.Briefs)) // site path -> file, to catch slug clashes
	var errs []error
	for _, b := range r.in.Briefs {
		p := briefPath(b.Lang, b.Slug)
		if other, dup := paths[p]; dup {
			errs = append(errs, diag.Errorf(b.File, 0, 0, "brief publishes at %s like %s: give one a different slug", p, other))
			continue
		}
		paths[p] = b.File
		r.views = append(r.views, &BriefView{Src: b, Path: p})
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
	r.trans = make(map[string]map[string]*BriefView, len(r.views))
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
		b := v.Src
		if v.Issue == nil {
			r.byLang[b.Lang] = append(r.byLang[b.Lang], v)
		}
		if r.trans[b.Bundle] == nil {
			r.trans[b.Bundle] = map[string]*BriefView{}
		}
		r.trans[b.Bundle][b.Lang] = v
		if r.tags[b.Lang] == nil {
			r.tags[b.Lang] = map[string][]*BriefView{}
		}
		for _, t := range v.Tags {
			r.tags[b.Lang][t.Slug] = append(r.tags[b.Lang][t.Slug], v)
		}
	}
	if len(issues) > 0 {
		// Issues join the tag lists, which stay newest first.
		for _, tags := range r.tags {
			for _, list := range tags {
				slices.SortStableFunc(list, func(a, b *BriefView) int { return b.Date.Compare(a.Date) })
			}
		}
	}
	for _, list := range r.byLang {
		navigate(list)
	}
	for _, v := range r.views {
		r.add(func() error { return r.briefPage(v) })
	}
	return nil
}

// prepare fills a view: Markdown to HTML, summary, labels; or copies them
// from the memo when nothing they are made from has changed.
func (r *renderer) prepare(v *BriefView) error {
	b := v.Src
	asof := r.asof(b)
	x := newHasher("brief").key(b.Digest).str(b.Bundle).str(b.Lang).str(b.Slug).
		key(r.in.Site.Digest).key(r.in.LocalesDigest).str(r.cfg.BaseURL).time(asof).bool(r.in.Market != nil)
	if r.in.Market != nil {
		x.key(r.in.Market.Digest(asof))
	}
	v.key = x.done()
	if old := r.in.Memo.brief(v.key); old != nil {
		src, path, url, perma, issue := v.Src, v.Path, v.URL, v.Permalink, v.Issue
		*v = *old
		v.Src, v.Path, v.URL, v.Permalink, v.Issue = src, path, url, perma, issue
		r.count(&r.out.Stats.PreparedReused)
		return nil
	}
	if err := r.prepareNew(v, asof); err != nil {
		return err
	}
	// Streamed to disk, nothing reads a brief's source text again once it
	// is converted (an issue shares its series' source with the others).
	if r.in.Sink != nil && v.Issue == nil {
		v.Src.Body = nil
	}
	r.count(&r.out.Stats.Prepared)
	r.in.Memo.keepBrief(v.key, v)
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

func (r *renderer) prepareNew(v *BriefView, asof time.Time) error {
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
		return bodyFuncs(r.in.Market, view, asof, r.in.Locales.Locale(b.Lang), b.Lang)
	}
	src, err := execBody(r.ctx, b, funcs)
	if err != nil {
		return err
	}
	title, err := execText(r.ctx, b, "title", b.Title, funcs)
	if err != nil {
		return err
	}
	summary, err := execText(r.ctx, b, "summary", b.Summary, funcs)
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
	tableLabel, _ := r.in.Locales.Locale(b.Lang).T("table", nil)
	opt := markdown.Options{File: b.File, Line: b.BodyLine, PageURL: v.URL, Sources: titles, Chart: r.chartFunc(b, view, use), TableLabel: tableLabel}
	doc, err := r.in.Markdown.Convert(src, opt)
	if err != nil {
		// Lines of the template's output need not be the lines of the
		// file: the same Markdown before the template ran says where, if
		// it fails the same way.
		if !bytes.Equal(src, b.Body) {
			if _, rawErr := r.in.Markdown.Convert(b.Body, opt); rawErr != nil && sameMessages(err, rawErr) {
				return rawErr
			}
		}
		return err
	}
	labels := r.in.Site.Labels
	v.Title = title
	v.Date = b.Date
	if !b.AsOf.IsZero() || r.in.Market != nil {
		v.AsOf = asof
	}
	v.Content = template.HTML(doc.HTML)
	v.Summary = summary
	if v.Summary == "" {
		v.Summary = truncate(doc.Summary, 160)
	}
	if b.Market != "" {
		v.Market = labels.Market(b.Market, b.Lang)
	}
	v.Sentiment = b.Sentiment
	v.Sources = b.Sources
	v.Author = b.Author
	seen := map[string]bool{}
	for _, t := range b.Tags {
		slug := content.Slug(t)
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		v.Tags = append(v.Tags, TagView{Key: t, Slug: slug, Name: labels.Tag(t, b.Lang), URL: r.u.Rel(tagPath(b.Lang, slug))})
	}
	if err := r.tickers(v, view); err != nil {
		return err
	}
	for _, t := range v.Tickers {
		if t.CloseTitle != "" {
			v.Figures = append(v.Figures, FigureView{Label: t.Symbol, Text: t.Close, Title: t.CloseTitle})
		}
		if t.ChangeTitle != "" {
			v.Figures = append(v.Figures, FigureView{Label: t.Symbol, Text: t.Change, Title: t.ChangeTitle})
		}
	}
	v.Figures = append(v.Figures, dataFigures(doc.HTML)...)
	return nil
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
func (r *renderer) tickers(v *BriefView, view *market.View) error {
	b := v.Src
	if view == nil {
		for _, sym := range b.Tickers {
			v.Tickers = append(v.Tickers, TickerView{Symbol: sym, Close: "--", Change: "--"})
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
func (r *renderer) ticker(view *market.View, sym, lang string) (TickerView, error) {
	loc := r.in.Locales.Locale(lang)
	c, err := view.Close(sym)
	var ch market.Result
	if err == nil {
		ch, err = view.Ret(sym, "1D")
	}
	if err != nil {
		return TickerView{}, err
	}
	t := TickerView{Symbol: sym, Close: loc.Number(c.Value, 2), Change: loc.Percent(ch.Value, 2),
		CloseValue: c.Value, ChangeValue: ch.Value, CloseTitle: describe(c.Desc, lang), ChangeTitle: describe(ch.Desc, lang), Dir: "flat"}
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
	r.snap = map[string]*SnapshotView{}
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
		s := &SnapshotView{AsOf: asof}
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
	return diag.Join(dedupe(errs))
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

// dedupe reports a layout error once, however many pages hit it, with the
// first page (in job order) and how many more.
func dedupe(errs []error) []error {
	var out []error
	seen := map[string]*pageError{}
	for _, err := range errs {
		var pe *pageError
		if !errors.As(err, &pe) {
			out = append(out, err)
			continue
		}
		if first, ok := seen[pe.err.Error()]; ok {
			first.more++
			continue
		}
		seen[pe.err.Error()] = pe
		out = append(out, pe)
	}
	return out
}

// pageError is a layout failing on a page.
type pageError struct {
	path string
	err  error
	more int
}

func (e *pageError) Error() string {
	s := e.err.Error() + " (rendering " + e.path
	if e.more > 0 {
		s += fmt.Sprintf(" and %d more pages", e.more)
	}
	return s + ")"
}

func (e *pageError) Unwrap() error { return e.err }

// emit stores an output file. Safe for concurrent use.
func (r *renderer) emit(path string, data []byte, lang string, html bool) {
	r.put(path, data)
	if html && lang != "" {
		r.mu.Lock()
		r.out.Pages[lang]++
		r.mu.Unlock()
	}
}

// record notes an output file that is already in place (SinkCached).
func (r *renderer) record(path string) {
	r.mu.Lock()
	r.out.Files[path] = nil
	r.mu.Unlock()
}

// put stores an output file, or hands it to the sink. Safe for
// concurrent use.
func (r *renderer) put(path string, data []byte) {
	if r.in.Sink != nil {
		err := r.in.Sink(path, data)
		data = nil
		if err != nil {
			r.mu.Lock()
			r.sinkErrs = append(r.sinkErrs, err)
			r.mu.Unlock()
		}
	}
	r.mu.Lock()
	r.out.Files[path] = data
	r.mu.Unlock()
}

// page executes a layout for p and emits it at p.Path, or emits what the
// last render made of the same inputs.
func (r *renderer) page(kind string, p *Page) error {
	// Pages count under the language whose section holds them; the root
	// page and the top-level 404 belong to no language.
	lang := ""
	if strings.HasPrefix(p.Path, homePath(p.Lang.Key)) {
		lang = p.Lang.Key
	}
	return r.memoPage(kind, lang, r.u.File(p.Path), pageKey(r.siteKey, kind, p), func() (*Page, *sitemapURL) { return p, nil })
}

// memoPage emits the page at file whose inputs have key k: the bytes the
// last render made of the same inputs, or else layout kind executed on the
// page that make returns. A sitemap entry returned by make is recorded,
// and kept with the page for the renders that reuse it.
func (r *renderer) memoPage(kind, lang, file string, k key, make func() (*Page, *sitemapURL)) error {
	if f, ok := r.in.Memo.file(file, k); ok {
		r.count(&r.out.Stats.RenderedReused)
		if f.sitemap != nil {
			r.addSitemapURL(f.sitemap)
		}
		r.emit(file, f.data, lang, true)
		return nil
	}
	p, sm := make()
	if sm != nil {
		r.addSitemapURL(sm)
	}
	buf, err := r.in.Templates.execute(kind, p)
	if err != nil {
		return &pageError{path: p.Path, err: err}
	}
	data := buf.Bytes()
	r.in.Memo.keepFile(file, memoFile{key: k, data: data, sitemap: sm})
	r.count(&r.out.Stats.Rendered)
	r.emit(file, data, lang, true)
	if r.in.Sink != nil && r.in.Memo == nil {
		// Written out by the sink, and kept by no one.
		pageBuffers.Put(buf)
	}
	return nil
}

// newPage returns a Page of lang at path with the site-wide fields set.
func (r *renderer) newPage(kind, lang, path string) *Page {
	l, _ := r.cfg.Language(lang)
	return &Page{
		Kind:      kind,
		Site:      r.site,
		Lang:      l,
		Path:      path,
		URL:       r.u.Rel(path),
		Permalink: r.u.Abs(path),
		Feeds: []Link{
			{Name: "RSS", URL: r.u.Rel(homePath(lang) + "index.xml"), Type: "application/rss+xml"},
			{Name: "Atom", URL: r.u.Rel(homePath(lang) + "atom.xml"), Type: "application/atom+xml"},
		},
		NoIndex: r.in.NoIndex,
		loc:     r.in.Locales.Locale(lang),
	}
}

// translate sets the switcher and hreflang alternates of p. real maps a
// language to the site path of this page's true translation; a language
// without one gets fallback(lang) in the switcher (a list or home page) and
// no alternate, so alternates stay reciprocal.
func (r *renderer) translate(p *Page, real map[string]string, fallback func(lang string) string) {
	for _, l := range r.cfg.Languages {
		link := Link{Lang: l.Key, Code: l.Code, Name: l.Name, Current: l.Key == p.Lang.Key}
		if target, ok := real[l.Key]; ok {
			link.URL = r.u.Rel(target)
			p.Alternates = append(p.Alternates, Link{Lang: l.Key, Code: l.Code, Name: l.Name, URL: r.u.Abs(target)})
		} else {
			link.URL = r.u.Rel(fallback(l.Key))
			link.Missing = true
		}
		p.Switch = append(p.Switch, link)
	}
	if def, ok := real[r.cfg.DefaultLanguage]; ok && len(p.Alternates) > 1 {
		p.Alternates = append(p.Alternates, Link{Lang: "x-default", Code: "x-default", URL: r.u.Abs(def)})
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
// reused from the memo when the brief and the paths of its translations
// are unchanged: everything else it shows is in the site key.
func (r *renderer) briefPage(v *BriefView) error {
	b := v.Src
	for _, res := range b.Resources {
		r.emit(strings.TrimPrefix(v.Path, "/")+res.Name, res.Data, "", false)
	}
	trans := r.trans[b.Bundle]
	x := newHasher("brief page").key(r.siteKey).key(v.key)
	x.issue(v.Issue)
	x.nav(v.Nav)
	for _, l := range r.cfg.Languages {
		if t := trans[l.Key]; t != nil {
			x.str(l.Key).str(t.Path)
		}
	}
	// Streamed to disk, a page needs its body no longer once written,
	// unless a feed carries it: the site's bodies are not all kept.
	if r.in.Sink != nil && !v.inFeed {
		defer func() { v.Content = "" }()
	}
	return r.memoPage("brief", b.Lang, r.u.File(v.Path), x.done(), func() (*Page, *sitemapURL) {
		p := r.newPage("brief", b.Lang, v.Path)
		p.Title = v.Title
		p.Description = v.Summary
		p.Brief = v
		real := map[string]string{}
		for lang, t := range trans {
			real[lang] = t.Path
		}
		r.translate(p, real, homePath)
		return p, &sitemapURL{Loc: p.Permalink, LastMod: b.Date, Alternates: p.Alternates}
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
func handFirst(list []*BriefView) []*BriefView {
	i := slices.IndexFunc(list, func(v *BriefView) bool { return v.Issue != nil })
	if i < 0 {
		return list
	}
	out := make([]*BriefView, 0, len(list))
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

func tagOf(v *BriefView, slug string) TagView {
	for _, t := range v.Tags {
		if t.Slug == slug {
			return t
		}
	}
	return TagView{Slug: slug}
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
	tag      *TagView
	series   *SeriesView
	latest   []SeriesView  // the first page's latest issues (home)
	snapshot *SnapshotView // the first page's market snapshot (home)
	feeds    bool          // the list has its own feeds at list(lang)
}

// paginate queues the pages of a list in lang. Page n of another language
// is its translation if that list has n pages; otherwise the switcher
// falls back to s.fallback(lang).
func (r *renderer) paginate(lang string, s listSpec, briefs []*BriefView) {
	per := r.cfg.Paginate
	pages := func(lang string) int { return (s.count(lang) + per - 1) / per }
	total := max(1, pages(lang))
	base := s.list(lang)
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*per, min(n*per, len(briefs))
		var latest []SeriesView
		var snapshot *SnapshotView
		if n == 1 {
			latest, snapshot = s.latest, s.snapshot
		}
		r.add(func() error {
			path := pagePath(base, n)
			// Where the switcher leads, per language: the same page of
			// the translated list, or the fallback.
			real := map[string]string{}
			x := newHasher("list page").key(r.siteKey).str(s.kind).str(lang).str(path).int(n).int(total).str(s.title).bool(s.feeds)
			for _, l := range r.cfg.Languages {
				if l.Key == lang || pages(l.Key) >= n {
					real[l.Key] = pagePath(s.list(l.Key), n)
					x.str(real[l.Key])
				} else {
					x.str("").str(s.fallback(l.Key))
				}
			}
			if s.tag != nil {
				x.tag(*s.tag)
			}
			x.bool(s.series != nil)
			if s.series != nil {
				x.series(*s.series)
			}
			x.int(len(latest))
			for _, sv := range latest {
				x.series(sv)
			}
			x.snapshot(snapshot)
			for _, v := range briefs[lo:hi] {
				x.key(v.key)
			}
			return r.memoPage("list", lang, r.u.File(path), x.done(), func() (*Page, *sitemapURL) {
				p := r.newPage(s.kind, lang, path)
				p.List = &ListView{Briefs: briefs[lo:hi], Tag: s.tag, Series: s.series, Latest: latest, Snapshot: snapshot, Pager: r.pager(base, n, total)}
				if s.tag != nil {
					// Issues come last (handFirst): listed compactly.
					i := slices.IndexFunc(p.List.Briefs, func(v *BriefView) bool { return v.Issue != nil })
					if i >= 0 {
						p.List.Briefs, p.List.Issues = p.List.Briefs[:i], p.List.Briefs[i:]
					}
				}
				p.Title = s.title
				if s.feeds {
					p.Feeds = []Link{
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
				return p, &sitemapURL{Loc: p.Permalink, LastMod: last, Alternates: p.Alternates}
			})
		})
	}
}

// pagerNear is how many numbered links a pager shows on each side of the
// current page.
const pagerNear = 2

func (r *renderer) pager(base string, n, total int) Pager {
	pg := Pager{Number: n, Total: total}
	if n > 1 {
		pg.Prev = r.u.Rel(pagePath(base, n-1))
	}
	if n < total {
		pg.Next = r.u.Rel(pagePath(base, n+1))
	}
	// The first, the last and the pages near the current one; a gap
	// stands for two or more pages left out, so a long list keeps a
	// short pager.
	shown := func(i int) bool { return i == 1 || i == total || (i >= n-pagerNear && i <= n+pagerNear) }
	for i := 1; i <= total; i++ {
		if !shown(i) && !(shown(i-1) && shown(i+1)) {
			if l := len(pg.Pages); l > 0 && !pg.Pages[l-1].Gap {
				pg.Pages = append(pg.Pages, PagerLink{Gap: true})
			}
			continue
		}
		pg.Pages = append(pg.Pages, PagerLink{Number: i, URL: r.u.Rel(pagePath(base, i)), Current: i == n})
	}
	return pg
}

// tagIndex renders the list of all tags of a language with their counts.
func (r *renderer) tagIndex(lang string) error {
	p := r.newPage("tags", lang, tagsPath(lang))
	p.Title, _ = p.loc.T("tags", nil)
	p.Description = p.Lang.Description
	for slug, tb := range r.tags[lang] { // sorted below
		t := tagOf(tb[0], slug)
		t.Count = len(tb)
		p.Tags = append(p.Tags, t)
	}
	slices.SortFunc(p.Tags, func(a, b TagView) int {
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
	r.addSitemap(p, last)
	return r.page("tags", p)
}

// notFound renders a 404 page of lang at path.
func (r *renderer) notFound(lang, path string) error {
	p := r.newPage("404", lang, path)
	p.Title, _ = p.loc.T("notFoundTitle", nil)
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

// finish writes what needs every page first: the sitemap and robots.txt.
func (r *renderer) finish() error {
	data, err := r.sitemapXML()
	if err != nil {
		return err
	}
	r.put("sitemap.xml", data)
	robots := "User-agent: *\nAllow: /\n\nSitemap: " + r.u.Abs("/sitemap.xml") + "\n"
	if r.in.NoIndex {
		robots = "User-agent: *\nDisallow: /\n"
	}
	r.put("robots.txt", []byte(robots))
	return nil
}

// Funcs are the functions every layout may call besides the Page methods.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"iso": func(t time.Time) string { return t.Format(time.DateOnly) },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}
