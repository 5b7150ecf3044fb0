package render

import (
	"context"
	"fmt"
	"html"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"briefs/internal/content"
	"briefs/internal/market"
	"briefs/internal/plot"
	"briefs/internal/tmpl"

	"github.com/golang/freetype/truetype"
	"golang.org/x/sync/errgroup"
)

// ChartCache keeps chart images between builds, by file name. Names are
// hashes of what is drawn, so an entry never goes stale.
type ChartCache interface {
	Get(name string) ([]byte, bool)
	Put(name string, data []byte)
}

// charts collects the charts of all briefs, drawn once each after the
// briefs are prepared.
type charts struct {
	mu     sync.Mutex
	byKey  map[string]*plot.Chart
	font   func() ([]byte, error)
	cache  ChartCache
	drawn  int // images drawn in this render (not from the cache)
	parsed *truetype.Font
}

// chartFunc returns the chart callback of brief b: it computes the chart
// over b's as-of view, passes it to use and returns its figure.
func (r *renderer) chartFunc(b *content.Brief, view *market.View, use func(key string, c *plot.Chart)) func(spec []byte) (string, error) {
	if r.in.Market == nil {
		return nil
	}
	loc := r.in.Locales.Locale(b.Lang)
	u := r.in.Market
	text := plot.Text{
		Lang:    b.Lang,
		Number:  loc.Number,
		Percent: loc.Percent,
		Name: func(key string) string {
			name, _ := tmpl.DisplayName(u, key, b.Lang)
			return name
		},
		Date: loc.Date,
		Note: u.Note[b.Lang],
	}
	return func(src []byte) (string, error) {
		spec, err := plot.ParseSpec(src)
		if err != nil {
			return "", err
		}
		c, err := plot.Prepare(spec, view, u, text)
		if err != nil {
			return "", err
		}
		key := c.Key()
		use(key, c)
		return r.figure(key, c), nil
	}
}

// figure is the HTML of a chart: its title as the caption, above a
// picture of the phone layout on screens up to 600 CSS px wide and of the
// desktop layout on others, each light or dark by the reader's scheme.
func (r *renderer) figure(key string, c *plot.Chart) string {
	var b strings.Builder
	b.WriteString(`<figure class="chart"><figcaption>`)
	b.WriteString(html.EscapeString(c.Title))
	b.WriteString(`</figcaption><picture>`)
	srcset := func(l plot.Layout, dark bool) string {
		var parts []string
		for _, scale := range l.Scales() {
			parts = append(parts, fmt.Sprintf("%s %dx", r.u.Rel(chartPath(key, l, dark, scale)), scale))
		}
		return html.EscapeString(strings.Join(parts, ", "))
	}
	pw, ph := c.Size(plot.Phone)
	dw, dh := c.Size(plot.Desktop)
	fmt.Fprintf(&b, `<source media="(max-width: 600px) and (prefers-color-scheme: dark)" srcset="%s" width="%d" height="%d">`, srcset(plot.Phone, true), pw, ph)
	fmt.Fprintf(&b, `<source media="(max-width: 600px)" srcset="%s" width="%d" height="%d">`, srcset(plot.Phone, false), pw, ph)
	fmt.Fprintf(&b, `<source media="(prefers-color-scheme: dark)" srcset="%s" width="%d" height="%d">`, srcset(plot.Desktop, true), dw, dh)
	fmt.Fprintf(&b, `<img src="%s" srcset="%s" width="%d" height="%d" alt="%s" loading="lazy" decoding="async">`,
		html.EscapeString(r.u.Rel(chartPath(key, plot.Desktop, false, 1))), srcset(plot.Desktop, false), dw, dh, html.EscapeString(c.Alt))
	b.WriteString(`</picture></figure>`)
	return b.String()
}

// chartPath is the site path of a chart image in a layout and scheme at a
// scale: /charts/KEY.png for the desktop layout, light, at 1x;
// KEY-phone-dark@3x.png and the like for the others.
func chartPath(key string, l plot.Layout, dark bool, scale int) string {
	name := "/charts/" + key
	if l == plot.Phone {
		name += "-phone"
	}
	if dark {
		name += "-dark"
	}
	if scale != 1 {
		name += fmt.Sprintf("@%dx", scale)
	}
	return name + ".png"
}

// useCharts adds the charts of v to those to draw.
func (r *renderer) useCharts(v *BriefView) {
	r.charts.mu.Lock()
	defer r.charts.mu.Unlock()
	for key, c := range v.charts {
		r.charts.byKey[key] = c
	}
}

// drawCharts draws every chart at 1x and 2x, in parallel, taking what it
// can from the cache, and adds the images to the output.
func (r *renderer) drawCharts(ctx context.Context) error {
	cs := &r.charts
	if len(cs.byKey) == 0 {
		return nil
	}
	keys := slices.Sorted(maps.Keys(cs.byKey))
	// Each image goes to the output as soon as it is ready, so that a
	// build streamed to disk does not hold them all.
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, key := range keys {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			for _, l := range plot.Layouts {
				for _, scale := range l.Scales() {
					if err := r.drawChart(key, l, scale); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	r.out.ChartsDrawn = cs.drawn
	return nil
}

// drawChart places the light and dark images of the chart key in layout l
// at scale in the output: from the memo or the cache where they are
// there, else drawn (both at once: they share their pixels).
func (r *renderer) drawChart(key string, l plot.Layout, scale int) error {
	cs := &r.charts
	names := [2]string{chartPath(key, l, false, scale)[1:], chartPath(key, l, true, scale)[1:]}
	var missing [2]bool
	anyMissing := false
	for i, name := range names {
		missing[i] = !r.placeChart(name)
		anyMissing = anyMissing || missing[i]
	}
	if !anyMissing {
		return nil
	}
	font, err := cs.loadFont()
	if err != nil {
		return err
	}
	lightPNG, darkPNG, err := plot.Render(cs.byKey[key], font, l, scale)
	if err != nil {
		return fmt.Errorf("chart %s: %w", cs.byKey[key].Title, err)
	}
	cs.mu.Lock()
	cs.drawn += 2
	cs.mu.Unlock()
	for i, data := range [2][]byte{lightPNG, darkPNG} {
		name := names[i]
		if cs.cache != nil {
			cs.cache.Put(name, data)
		}
		r.in.Memo.keepImage(name, data)
		if missing[i] && !r.linked(name) {
			r.put(name, data)
		}
	}
	return nil
}

// placeChart places the chart image name in the output from the memo of
// the last build or the cache, and reports whether it could.
func (r *renderer) placeChart(name string) bool {
	if data, ok := r.in.Memo.image(name); ok {
		r.put(name, data)
		return true
	}
	if r.linked(name) {
		return true
	}
	if cs := &r.charts; cs.cache != nil {
		if data, ok := cs.cache.Get(name); ok {
			r.in.Memo.keepImage(name, data)
			r.put(name, data)
			return true
		}
	}
	return false
}

// linked places the cached chart image name in the output without reading
// it, when the sink can (SinkCached), and reports whether it did.
func (r *renderer) linked(name string) bool {
	if r.in.Sink == nil || r.in.SinkCached == nil || r.charts.cache == nil || !r.in.SinkCached(name, name) {
		return false
	}
	r.record(name)
	return true
}

// loadFont parses the chart font on first use.
func (cs *charts) loadFont() (*truetype.Font, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.parsed != nil {
		return cs.parsed, nil
	}
	if cs.font == nil {
		return nil, fmt.Errorf("charts: no font given")
	}
	data, err := cs.font()
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	f, err := truetype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	cs.parsed = f
	return f, nil
}
