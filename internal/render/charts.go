package render

import (
	"context"

	"briefs/internal/content"
	"briefs/internal/market"
	"briefs/internal/plot"
	"briefs/internal/tmpl"
)

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
		return plot.Figure(key, c, r.u.Rel), nil
	}
}

// useCharts adds the charts of v to those to draw.
func (r *renderer) useCharts(v *BriefView) {
	for key, c := range v.charts {
		r.charts.Add(key, c)
	}
}

// drawCharts places the images of every chart in the output: from the
// memo of the last build, the cache, or drawn.
func (r *renderer) drawCharts(ctx context.Context) error {
	have := func(name string) bool {
		if data, ok := r.in.Memo.image(name); ok {
			r.put(name, data)
			return true
		}
		return r.linked(name)
	}
	put := func(name string, data []byte) error {
		r.in.Memo.keepImage(name, data)
		r.put(name, data)
		return nil
	}
	drawn, err := r.charts.Draw(ctx, have, put)
	r.out.ChartsDrawn = drawn
	return err
}

// linked places the cached chart image name in the output without reading
// it, when the sink can (SinkCached), and reports whether it did.
func (r *renderer) linked(name string) bool {
	if r.in.Sink == nil || r.in.SinkCached == nil || r.in.ChartCache == nil || !r.in.SinkCached(name, name) {
		return false
	}
	r.record(name)
	return true
}
