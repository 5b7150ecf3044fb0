package render

import (
	"context"

	"briefs/internal/content"
	"briefs/internal/layout"
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
func (r *renderer) useCharts(v *brief) {
	for key, c := range v.charts {
		r.charts.Add(key, c)
	}
}

// drawCharts places the images of every chart in the output: those it
// has (from an earlier render, or linked from the cache), else from the
// cache or drawn. Their names are content-addressed.
func (r *renderer) drawCharts(ctx context.Context) error {
	imageKey := func(name string) key { return layout.NewHasher("image").Str(name).Sum() }
	have := func(name string) bool { return r.in.Out.Reuse(name, imageKey(name)) }
	put := func(name string, data []byte) error {
		r.put(name, imageKey(name), data)
		return nil
	}
	drawn, err := r.charts.Draw(ctx, have, put)
	r.out.ChartsDrawn = drawn
	return err
}
