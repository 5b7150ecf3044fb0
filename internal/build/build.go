// Package build is the pipeline from the project folders to the site, used
// by both `briefs build` and `briefs serve`:
//
//	load:    content/ -> typed config, labels and briefs (internal/content);
//	         templates/ -> layouts and UI strings (internal/render, locale);
//	         assets/ -> fingerprinted files
//	select:  drop drafts and future briefs unless asked for
//	render:  Markdown -> HTML, pages, lists, tags, feeds, sitemap
//	         (internal/render), as a map of output path -> bytes
//	publish: swap the files into the output folder (internal/publish),
//	         or keep them in memory when no folder is given
//
// Each stage reads only what the previous one produced; nothing but load
// touches the inputs and nothing but publish writes.
package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"briefs/internal/content"
	"briefs/internal/locale"
	"briefs/internal/markdown"
	"briefs/internal/market"
	"briefs/internal/publish"
	"briefs/internal/render"
)

// Config says what to build.
type Config struct {
	Content   fs.FS // content/
	Templates fs.FS // templates/
	Assets    fs.FS // assets/
	// Data is the market data folder (tickers.toml and price files); nil
	// means site.toml's dataDir inside Content.
	Data fs.FS
	// Prefixes name the folders in error messages: "content/".
	ContentName, TemplatesName, AssetsName, DataName string

	OutDir string // where to publish; "" keeps the site in memory
	// CacheDir keeps drawn charts between builds ("" for none). Names
	// are hashes of what is drawn, so the cache never needs clearing.
	CacheDir string
	Drafts   bool      // include drafts
	Future   bool      // include briefs dated after Now
	BaseURL  string    // overrides site.toml's baseURL when set
	Now      time.Time // the build's notion of today, for Future

	// Progress, if set, is called as pages are rendered.
	Progress func(done, total int)
}

// Result is a finished build.
type Result struct {
	Files  map[string][]byte // the site, output path -> bytes
	Pages  map[string]int    // HTML pages per language
	Feeds  int
	Briefs int // briefs published (a brief in two languages counts once)
	Langs  []string
	// ChartsDrawn counts chart images drawn, not taken from the cache.
	ChartsDrawn int
}

// Run loads, renders and publishes the site.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	site, err := content.Load(cfg.Content, cfg.ContentName)
	if err != nil {
		return nil, err
	}
	if cfg.Now.IsZero() {
		return nil, errors.New("build: Config.Now is not set")
	}
	if cfg.BaseURL != "" {
		b, err := content.CheckBaseURL(cfg.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("-base-url: %w", err)
		}
		site.Config.BaseURL = b
	}
	langs := site.Config.LanguageKeys()
	locales, err := locale.Load(cfg.Templates, "i18n", cfg.TemplatesName, langs)
	if err != nil {
		return nil, err
	}
	tmpl, err := render.LoadTemplates(cfg.Templates, cfg.TemplatesName, render.Funcs())
	if err != nil {
		return nil, err
	}
	assets, err := render.LoadAssets(cfg.Assets)
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	universe, err := loadMarket(cfg, site.Config.DataDir)
	if err != nil {
		return nil, err
	}
	briefs := Select(site.Briefs, cfg.Drafts, cfg.Future, cfg.Now, site.Config.TimeZone)
	out, err := render.Render(ctx, &render.Inputs{
		Site:      site,
		Briefs:    briefs,
		Templates: tmpl,
		Locales:   locales,
		Markdown:  markdown.New(),
		Assets:    assets,
		Market:    universe,
		Progress:  cfg.Progress,
		ChartFont: func() ([]byte, error) {
			data, err := fs.ReadFile(cfg.Assets, ChartFont)
			if err != nil {
				return nil, fmt.Errorf("%s%s: %w", cfg.AssetsName, ChartFont, err)
			}
			return data, nil
		},
		ChartCache: dirCache(cfg.CacheDir),
	})
	if err != nil {
		return nil, err
	}
	if cfg.OutDir != "" {
		if err := publish.Write(ctx, cfg.OutDir, out.Files); err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
	}
	bundles := map[string]bool{}
	for _, b := range briefs {
		bundles[b.Bundle] = true
	}
	return &Result{Files: out.Files, Pages: out.Pages, Feeds: out.Feeds, Briefs: len(bundles), Langs: langs, ChartsDrawn: out.ChartsDrawn}, nil
}

// loadMarket loads the market data folder: cfg.Data, or dataDir inside the
// content folder. A folder without tickers.toml means a site without market
// data (nil, no error).
func loadMarket(cfg Config, dataDir string) (*market.Universe, error) {
	fsys, name := cfg.Data, cfg.DataName
	if fsys == nil {
		sub, err := fs.Sub(cfg.Content, dataDir)
		if err != nil {
			return nil, fmt.Errorf("dataDir %q: %w", dataDir, err)
		}
		fsys, name = sub, cfg.ContentName+strings.TrimSuffix(dataDir, "/")+"/"
	}
	if _, err := fs.Stat(fsys, market.TickersFile); errors.Is(err, fs.ErrNotExist) && cfg.Data == nil {
		return nil, nil
	}
	return market.Load(fsys, name)
}

// Select returns the briefs to publish: drafts only if drafts is set, and
// briefs dated after today (in tz) only if future is set.
func Select(all []*content.Brief, drafts, future bool, now time.Time, tz *time.Location) []*content.Brief {
	y, m, d := now.In(tz).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	out := make([]*content.Brief, 0, len(all))
	for _, b := range all {
		if b.Draft && !drafts {
			continue
		}
		if b.Date.After(today) && !future {
			continue
		}
		out = append(out, b)
	}
	return out
}

// ChartFont is the font charts are drawn with, inside the assets folder:
// it covers Latin and CJK.
const ChartFont = "fonts/wqy-microhei.ttc"

// diskCache is a ChartCache in a folder. Failures to write are ignored: a
// cache miss only costs a redraw.
type diskCache string

func dirCache(dir string) render.ChartCache {
	if dir == "" {
		return nil
	}
	return diskCache(dir)
}

func (d diskCache) Get(name string) ([]byte, bool) {
	data, err := os.ReadFile(filepath.Join(string(d), filepath.FromSlash(name)))
	return data, err == nil && len(data) > 0
}

func (d diskCache) Put(name string, data []byte) {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}
