package plot

import (
	"context"
	"fmt"
	"html"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/golang/freetype/truetype"
	"golang.org/x/sync/errgroup"
)

// Cache keeps chart images between builds, by file name. Names are hashes
// of what is drawn, so an entry never goes stale.
type Cache interface {
	Get(name string) ([]byte, bool)
	Put(name string, data []byte)
}

// Set collects the charts of a site, each drawn once however many briefs
// show it. Add is safe for concurrent use.
type Set struct {
	// Font returns the TrueType font charts are drawn with, read on first
	// use; Cache, if set, keeps drawn images between builds.
	Font  func() ([]byte, error)
	Cache Cache

	mu     sync.Mutex
	byKey  map[string]*Chart
	drawn  int // images drawn (not from the cache)
	parsed *truetype.Font
}

// Add adds the chart whose Key is key.
func (s *Set) Add(key string, c *Chart) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byKey == nil {
		s.byKey = map[string]*Chart{}
	}
	s.byKey[key] = c
}

// Draw places every image of every chart, in each layout, scheme and
// scale, in parallel: have places one the caller already has and reports
// whether it did; the others are taken from the cache, or drawn, and
// handed to put as soon as each is ready, so that a build streamed to disk
// does not hold them all. It returns how many images were drawn.
func (s *Set) Draw(ctx context.Context, have func(name string) bool, put func(name string, data []byte) error) (int, error) {
	keys := slices.Sorted(maps.Keys(s.byKey))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, key := range keys {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			for _, l := range Layouts {
				for _, scale := range l.Scales() {
					if err := s.draw(key, l, scale, have, put); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	err := g.Wait()
	return s.drawn, err
}

// draw places the light and dark images of the chart key in layout l at
// scale: those the caller or the cache has, else both drawn at once (they
// share their pixels).
func (s *Set) draw(key string, l Layout, scale int, have func(string) bool, put func(string, []byte) error) error {
	names := [2]string{ImagePath(key, l, false, scale)[1:], ImagePath(key, l, true, scale)[1:]}
	var missing [2]bool
	for i, name := range names {
		if have(name) {
			continue
		}
		if s.Cache != nil {
			if data, ok := s.Cache.Get(name); ok {
				if err := put(name, data); err != nil {
					return err
				}
				continue
			}
		}
		missing[i] = true
	}
	if !missing[0] && !missing[1] {
		return nil
	}
	font, err := s.loadFont()
	if err != nil {
		return err
	}
	lightPNG, darkPNG, err := Render(s.byKey[key], font, l, scale)
	if err != nil {
		return fmt.Errorf("chart %s: %w", s.byKey[key].Title, err)
	}
	s.mu.Lock()
	s.drawn += 2
	s.mu.Unlock()
	for i, data := range [2][]byte{lightPNG, darkPNG} {
		if s.Cache != nil {
			s.Cache.Put(names[i], data)
		}
		if missing[i] {
			if err := put(names[i], data); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadFont parses the chart font on first use.
func (s *Set) loadFont() (*truetype.Font, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.parsed != nil {
		return s.parsed, nil
	}
	if s.Font == nil {
		return nil, fmt.Errorf("charts: no font given")
	}
	data, err := s.Font()
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	f, err := truetype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	s.parsed = f
	return f, nil
}

// Figure is the HTML of chart c, whose Key is key: its title as the
// caption, above a picture of the phone layout on screens up to 600 CSS px
// wide and of the desktop layout on others, each light or dark by the
// reader's scheme. rel turns a site path into a link.
func Figure(key string, c *Chart, rel func(path string) string) string {
	var b strings.Builder
	b.WriteString(`<figure class="chart"><figcaption>`)
	b.WriteString(html.EscapeString(c.Title))
	b.WriteString(`</figcaption><picture>`)
	srcset := func(l Layout, dark bool) string {
		var parts []string
		for _, scale := range l.Scales() {
			parts = append(parts, fmt.Sprintf("%s %dx", rel(ImagePath(key, l, dark, scale)), scale))
		}
		return html.EscapeString(strings.Join(parts, ", "))
	}
	pw, ph := c.Size(Phone)
	dw, dh := c.Size(Desktop)
	fmt.Fprintf(&b, `<source media="(max-width: 600px) and (prefers-color-scheme: dark)" srcset="%s" width="%d" height="%d">`, srcset(Phone, true), pw, ph)
	fmt.Fprintf(&b, `<source media="(max-width: 600px)" srcset="%s" width="%d" height="%d">`, srcset(Phone, false), pw, ph)
	fmt.Fprintf(&b, `<source media="(prefers-color-scheme: dark)" srcset="%s" width="%d" height="%d">`, srcset(Desktop, true), dw, dh)
	fmt.Fprintf(&b, `<img src="%s" srcset="%s" width="%d" height="%d" alt="%s" loading="lazy" decoding="async">`,
		html.EscapeString(rel(ImagePath(key, Desktop, false, 1))), srcset(Desktop, false), dw, dh, html.EscapeString(c.Alt))
	b.WriteString(`</picture></figure>`)
	return b.String()
}

// ImagePath is the site path of a chart image in a layout and scheme at a
// scale: /charts/KEY.png for the desktop layout, light, at 1x;
// KEY-phone-dark@3x.png and the like for the others.
func ImagePath(key string, l Layout, dark bool, scale int) string {
	name := "/charts/" + key
	if l == Phone {
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
