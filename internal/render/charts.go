package render

import (
	"context"
	"fmt"
	"html"
	"maps"
	"runtime"
	"slices"
	"sync"

	"briefs/internal/content"
	"briefs/internal/market"
	"briefs/internal/plot"

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
			name, _ := displayName(u, key, b.Lang)
			return name
		},
	}
	return func(src []byte) (string, error) {
		spec, err := plot.ParseSpec(src)
		if err != nil {
			return "", err
		}
		c, err := plot.Prepare(spec, view, u, text)
		if err != nil {
			return "", fmt.Errorf("chart: %w", err)
		}
		key := c.Key()
		use(key, c)
		w, h := c.Size()
		one, two := r.u.Rel(chartPath(key, 1)), r.u.Rel(chartPath(key, 2))
		return fmt.Sprintf(`<figure class="chart"><img src="%s" srcset="%s 2x" width="%d" height="%d" alt="%s" loading="lazy" decoding="async"><figcaption>%s</figcaption></figure>`,
			html.EscapeString(one), html.EscapeString(two), w, h, html.EscapeString(c.Alt), html.EscapeString(c.Title)), nil
	}
}

// chartPath is the site path of a chart image at a scale.
func chartPath(key string, scale int) string {
	if scale == 1 {
		return "/charts/" + key + ".png"
	}
	return fmt.Sprintf("/charts/%s@%dx.png", key, scale)
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
			for _, scale := range []int{1, 2} {
				name := chartPath(key, scale)[1:]
				if data, ok := r.in.Memo.image(name); ok {
					r.put(name, data)
					continue
				}
				if r.linked(name) {
					continue
				}
				if cs.cache != nil {
					if data, ok := cs.cache.Get(name); ok {
						r.in.Memo.keepImage(name, data)
						r.put(name, data)
						continue
					}
				}
				font, err := cs.loadFont()
				if err != nil {
					return err
				}
				data, err := plot.Render(cs.byKey[key], font, scale)
				if err != nil {
					return fmt.Errorf("chart %s: %w", cs.byKey[key].Title, err)
				}
				cs.mu.Lock()
				cs.drawn++
				cs.mu.Unlock()
				if cs.cache != nil {
					cs.cache.Put(name, data)
				}
				r.in.Memo.keepImage(name, data)
				if r.linked(name) {
					continue
				}
				r.put(name, data)
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
