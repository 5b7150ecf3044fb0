// Package build is the pipeline from the project folders to the site, used
// by both `briefs build` and `briefs serve`:
//
//	load:    content/ -> typed config, labels and briefs (internal/content);
//	         templates/ -> layouts and UI strings (internal/layout, locale);
//	         assets/ -> fingerprinted files (internal/layout)
//	select:  drop drafts and future briefs unless asked for
//	render:  template language (internal/tmpl), Markdown -> HTML, charts
//	         (internal/plot), pages, lists, tags, feeds, sitemap
//	         (internal/render), each file put in an output (internal/output)
//	publish: the output is the staging folder that replaces the output
//	         folder at the end (internal/publish), or memory, or a Memo
//	         that keeps the site for the next Run
//
// Each stage reads only what the previous one produced; nothing but load
// touches the inputs and nothing but publish writes.
package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/layout"
	"briefs/internal/locale"
	"briefs/internal/markdown"
	"briefs/internal/market"
	"briefs/internal/output"
	"briefs/internal/plot"
	"briefs/internal/publish"
	"briefs/internal/render"
	"briefs/internal/shortcode"
	"briefs/internal/srcfs"
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
	NoIndex  bool      // keep search engines out: previews

	// Progress, if set, is called as pages are rendered.
	Progress func(done, total int)

	// Memo, if set, carries work over from the last Run with the same
	// Memo: the sources, templates, assets and data that did not change
	// are not read again, and only the pages whose inputs changed are
	// rendered. The result is the same as without it.
	Memo *Memo
}

// Project returns the inputs of the project folder dir: its content/,
// templates/ and assets/ folders, and the market data folder data ("" for
// site.toml's dataDir inside content/), each opened with open (Folder, or
// a cache over it) under its cap on the size of a file, and named in
// messages by its path as given ("content/", "site/content/").
func Project(dir, data string, open func(dir string, max srcfs.Limit) fs.FS) Config {
	name := func(p string) string { return filepath.ToSlash(filepath.Join(dir, p)) + "/" }
	cfg := Config{
		Content:       open(filepath.Join(dir, "content"), contentLimit),
		Templates:     open(filepath.Join(dir, "templates"), srcfs.Max(MaxSource)),
		Assets:        open(filepath.Join(dir, "assets"), srcfs.Max(MaxAsset)),
		ContentName:   name("content"),
		TemplatesName: name("templates"),
		AssetsName:    name("assets"),
	}
	if data != "" {
		cfg.Data, cfg.DataName = open(data, srcfs.Max(MaxData)), filepath.ToSlash(filepath.Clean(data))+"/"
	}
	return cfg
}

// Folder opens a folder of the project: only regular files inside it are
// read (a symbolic link out of it, a pipe or a device is an error), each
// of at most max bytes.
func Folder(dir string, max srcfs.Limit) fs.FS { return srcfs.New(dir, max) }

// Caps on the size of one input file: far above any real one (a brief or
// template of a few KB, the 5 MB CJK font, a 3 MB price file), low enough
// that a runaway file fails at once instead of filling memory.
const (
	MaxSource = 8 << 20   // a Markdown source, template or TOML file
	MaxAsset  = 32 << 20  // a file of assets/
	MaxData   = 256 << 20 // a price file, a bundle's image or other file
)

// contentLimit caps the files of content/: sources and configuration, or
// the market data and bundle resources it also holds.
func contentLimit(name string) int64 {
	switch path.Ext(name) {
	case ".md", ".toml":
		return MaxSource
	}
	return MaxData
}

// Memo is what a Run keeps for the next one. The zero Memo is ready; Runs
// must not use one Memo concurrently.
type Memo struct {
	content content.Cache
	render  output.Memo
	layouts struct {
		key        [32]byte
		templates  *layout.Templates
		shortcodes *shortcode.Templates
		locales    *locale.Catalog
	}
	assets struct {
		key    [32]byte
		assets *layout.Assets
	}
	data struct {
		key      [32]byte
		universe *market.Universe
	}
	sums map[string]fileSum // by tree and file name: "assets/css/site.css"
}

// Result is a finished build.
type Result struct {
	// Files is the site, output path -> bytes. A build written to OutDir
	// without a Memo streams its files to disk: the contents are nil.
	Files  map[string][]byte
	Pages  map[string]int // HTML pages per language
	Feeds  int
	Briefs int // briefs published (a brief in two languages counts once)
	Issues int // issues of series published (counted once for all languages)
	// Warnings say what was left out or is unused: issues of series
	// without their data, content the site does not build (Hugo section
	// pages, pages in languages it lacks), keys that mean nothing here.
	Warnings []error
	Langs    []string
	// ChartsDrawn counts chart images drawn, not taken from the cache.
	ChartsDrawn int
	// Parsed counts the brief sources parsed (with a Memo, those that
	// changed); Stats says what was rendered and what reused.
	Parsed int
	Stats  render.Stats
}

// Run loads, renders and publishes the site.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Now.IsZero() {
		return nil, errors.New("build: Config.Now is not set")
	}
	memo := cfg.Memo
	if memo == nil {
		memo = &Memo{}
	}
	// A one-off build keeps no sources for a next build to compare with.
	cache := &memo.content
	if cfg.Memo == nil {
		cache = nil
	}
	site, err := cache.Load(cfg.Content, cfg.ContentName)
	if err != nil {
		return nil, err
	}
	parsed := len(site.Briefs) + len(site.Series)
	if cache != nil {
		parsed = cache.Parsed
	}
	if cfg.BaseURL != "" {
		b, err := content.CheckBaseURL(cfg.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("-base-url: %w", err)
		}
		site.Config.BaseURL = b
	}
	langs := site.Config.LanguageKeys()
	layouts, i18n, err := memo.templatesDigest(cfg.Templates, langs)
	if err != nil {
		return nil, inFolder(cfg.TemplatesName, err)
	}
	if memo.layouts.key != layouts || memo.layouts.templates == nil {
		locales, err := locale.Load(cfg.Templates, "i18n", cfg.TemplatesName, langs)
		if err != nil {
			return nil, err
		}
		tmpl, err := layout.LoadTemplates(cfg.Templates, cfg.TemplatesName, layout.Funcs())
		if err != nil {
			return nil, inFolder(cfg.TemplatesName, err)
		}
		shortcodes, err := shortcode.LoadTemplates(cfg.Templates, cfg.TemplatesName)
		if err != nil {
			return nil, inFolder(cfg.TemplatesName, err)
		}
		memo.layouts.key, memo.layouts.templates, memo.layouts.locales = layouts, tmpl, locales
		memo.layouts.shortcodes = shortcodes
	}
	assetsKey, err := memo.fsDigest("assets", cfg.Assets, ".", nil)
	if err != nil {
		return nil, inFolder(cfg.AssetsName, err)
	}
	if memo.assets.key != assetsKey || memo.assets.assets == nil {
		assets, err := layout.LoadAssets(cfg.Assets)
		if err != nil {
			return nil, fmt.Errorf("load assets: %w", err)
		}
		memo.assets.key, memo.assets.assets = assetsKey, assets
	}
	if at := site.Config.DataDirAt; at != "" && cfg.Data == nil {
		if st, err := fs.Stat(cfg.Content, site.Config.DataDir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("%s: dataDir %q: there is no folder %s%s/: expected the folder inside content/ that holds %s", at, site.Config.DataDir, cfg.ContentName, site.Config.DataDir, market.TickersFile)
		}
	}
	universe, err := memo.loadMarket(cfg, site.Config.DataDir)
	if err != nil {
		return nil, err
	}
	briefs := Select(site.Briefs, cfg.Drafts, cfg.Future, cfg.Now, site.Config.TimeZone)
	var series []*content.Series
	for _, s := range site.Series {
		if !s.Draft || cfg.Drafts {
			series = append(series, s)
		}
	}
	in := &render.Inputs{
		Site:       site,
		Briefs:     briefs,
		Series:     series,
		Templates:  memo.layouts.templates,
		Shortcodes: memo.layouts.shortcodes,
		Locales:    memo.layouts.locales,
		Markdown:   markdown.New(markdown.Settings{UnsafeHTML: site.Config.UnsafeHTML}),
		Assets:     memo.assets.assets,
		Market:     universe,
		Progress:   cfg.Progress,
		NoIndex:    cfg.NoIndex,
		ChartFont: func() ([]byte, error) {
			data, err := fs.ReadFile(cfg.Assets, ChartFont)
			if err != nil {
				return nil, fmt.Errorf("%s%s: %w", cfg.AssetsName, ChartFont, err)
			}
			return data, nil
		},
		ChartCache:      dirCache(cfg.CacheDir),
		TemplatesDigest: layouts,
		LocalesDigest:   i18n,
	}
	// A one-off build to disk writes each file as it is rendered, into a
	// folder that replaces OutDir only once everything succeeded. A build
	// with a Memo keeps its output for the next one, and publishes it at
	// the end.
	// From here on, a one-off build's memo is not used: what it holds to
	// compare the next build's files with (the chart font among them) is
	// freed while the site renders.
	var stage *staged
	var files func() map[string][]byte
	switch {
	case cfg.Memo != nil:
		cfg.Memo.render.Begin()
		in.Out, files = &cfg.Memo.render, cfg.Memo.render.Files
	case cfg.OutDir != "":
		st, err := publish.Begin(cfg.OutDir)
		if err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
		stage = &staged{stage: st, cache: cfg.CacheDir, paths: map[string][]byte{}}
		in.Out, files = stage, stage.files
	default:
		mem := &output.Memory{}
		in.Out, files = mem, mem.Files
	}
	if cfg.Memo == nil {
		// Nothing reads a brief's source again once it is converted.
		in.Release = func(b *content.Brief) { b.Body = nil }
	}
	// Entries are content-addressed: forgetting only bounds them.
	in.Templates.Forget()
	out, err := render.Render(ctx, in)
	if err != nil {
		if stage != nil {
			stage.stage.Abort()
		}
		return nil, err
	}
	switch {
	case stage != nil:
		if err := stage.stage.Commit(); err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
	case cfg.Memo != nil:
		cfg.Memo.render.Commit()
		if cfg.OutDir != "" {
			if err := publish.Write(ctx, cfg.OutDir, files()); err != nil {
				return nil, fmt.Errorf("publish: %w", err)
			}
		}
	}
	bundles := map[string]bool{}
	for _, b := range briefs {
		bundles[b.Bundle] = true
	}
	warns := append(slices.Clone(site.Warnings), out.Warnings...)
	diag.Sort(warns)
	return &Result{Files: files(), Pages: out.Pages, Feeds: out.Feeds, Briefs: len(bundles), Issues: out.Issues, Warnings: warns, Langs: langs,
		ChartsDrawn: out.ChartsDrawn, Parsed: parsed, Stats: out.Stats}, nil
}

// inFolder names the file of folder that a failed read is about:
// "assets/css/x.css: open: ..."; other errors are returned as they are.
func inFolder(folder string, err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return &diag.Error{File: folder + pe.Path, Msg: pe.Op + ": " + pe.Err.Error(), Err: err}
	}
	return err
}

// templatesDigest hashes the templates folder: layouts covers every file,
// i18n the UI strings of langs alone (what brief bodies can see).
func (m *Memo) templatesDigest(fsys fs.FS, langs []string) (layouts, i18n [32]byte, err error) {
	i18n, err = m.fsDigest("templates", fsys, "i18n", []byte(strings.Join(langs, ",")))
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		return
	}
	layouts, err = m.fsDigest("templates", fsys, ".", i18n[:])
	return
}

// fsDigest hashes the names and contents of the files under dir of the
// tree ("assets", "templates", "data"), and extra. Dot files and editor backups (name~), which no loader reads, are
// left out. A file whose bytes are those it had in the last Run is not
// hashed again (for an fs.FS that returns the same slice for an unchanged
// file, as serve's does, that check costs nothing).
func (m *Memo) fsDigest(tree string, fsys fs.FS, dir string, extra []byte) ([32]byte, error) {
	h := sha256.New()
	h.Write(extra)
	var n [8]byte
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != "." && p != dir {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || strings.HasSuffix(d.Name(), "~") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
		sum := m.fileSum(tree+"/"+p, data)
		h.Write(sum[:])
		return nil
	})
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, err
}

// fileSum is the SHA-256 of a file's bytes, remembered between Runs.
func (m *Memo) fileSum(name string, data []byte) [32]byte {
	if s, ok := m.sums[name]; ok && bytes.Equal(s.data, data) {
		return s.sum
	}
	sum := sha256.Sum256(data)
	if m.sums == nil {
		m.sums = map[string]fileSum{}
	}
	m.sums[name] = fileSum{data, sum}
	return sum
}

type fileSum struct {
	data []byte
	sum  [32]byte
}

// loadMarket loads the market data folder: cfg.Data, or dataDir inside the
// content folder. A folder without tickers.toml means a site without market
// data (nil, no error). Unchanged data is not loaded again.
func (m *Memo) loadMarket(cfg Config, dataDir string) (*market.Universe, error) {
	fsys, name, ok, err := cfg.MarketData(dataDir)
	if !ok || err != nil {
		return nil, err
	}
	if err := market.Interrupted(fsys, name); err != nil {
		return nil, err
	}
	key, err := m.fsDigest("data", fsys, ".", []byte(name))
	if err != nil {
		return market.Load(fsys, name) // which reports the error
	}
	if key == m.data.key && m.data.universe != nil {
		return m.data.universe, nil
	}
	u, err := market.Load(fsys, name)
	if err != nil {
		return nil, err
	}
	m.data.key, m.data.universe = key, u
	return u, nil
}

// MarketData returns the market data folder and its name for messages:
// cfg.Data, or else site.toml's dataDir inside the content. ok is false for
// a site without market data: no dataDir folder with a tickers.toml.
func (cfg Config) MarketData(dataDir string) (fsys fs.FS, name string, ok bool, err error) {
	if cfg.Data != nil {
		return cfg.Data, cfg.DataName, true, nil
	}
	fsys, err = fs.Sub(cfg.Content, dataDir)
	if err != nil {
		return nil, "", false, fmt.Errorf("dataDir %q: %w", dataDir, err)
	}
	name = cfg.ContentName + strings.TrimSuffix(dataDir, "/") + "/"
	if _, err := fs.Stat(fsys, market.TickersFile); errors.Is(err, fs.ErrNotExist) {
		return nil, name, false, nil
	}
	return fsys, name, true, nil
}

// Select returns the briefs to publish: drafts only if drafts is set,
// briefs dated (or, with a publishDate, published) after today (in tz)
// only if future is set, and never a brief whose expiryDate has come.
func Select(all []*content.Brief, drafts, future bool, now time.Time, tz *time.Location) []*content.Brief {
	today := Today(now, tz)
	out := make([]*content.Brief, 0, len(all))
	for _, b := range all {
		if b.Draft && !drafts {
			continue
		}
		if Published(b).After(today) && !future {
			continue
		}
		if Expired(b, today) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// staged is the output of a one-off build to disk: each file is written
// into the staging folder as it is rendered, and the chart images the
// cache holds are linked there, not read and written (files written once,
// replaced by rename, never changed in place; their names are
// content-addressed).
type staged struct {
	stage *publish.Stage
	cache string // the chart cache folder, "" for none
	mu    sync.Mutex
	paths map[string][]byte // the files written, with nil contents
}

func (s *staged) Put(path string, _ output.Key, data []byte) error {
	if err := s.stage.Write(path, data); err != nil {
		return err
	}
	s.record(path)
	return nil
}

func (s *staged) Reuse(path string, _ output.Key) bool {
	if s.cache == "" || !strings.HasPrefix(path, "charts/") ||
		s.stage.Link(path, filepath.Join(s.cache, filepath.FromSlash(path))) != nil {
		return false
	}
	s.record(path)
	return true
}

func (s *staged) Keep(output.Key, any)        {}
func (s *staged) Kept(output.Key) (any, bool) { return nil, false }

func (s *staged) record(path string) {
	s.mu.Lock()
	s.paths[path] = nil
	s.mu.Unlock()
}

func (s *staged) files() map[string][]byte { return s.paths }

// Today is now's calendar date in tz, at midnight UTC as brief dates are.
func Today(now time.Time, tz *time.Location) time.Time {
	y, m, d := now.In(tz).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Published is the day a brief is published: its publishDate, else its
// date.
func Published(b *content.Brief) time.Time {
	if !b.PublishDate.IsZero() {
		return b.PublishDate
	}
	return b.Date
}

// Expired reports whether a brief's expiryDate is today or before.
func Expired(b *content.Brief, today time.Time) bool {
	return !b.ExpiryDate.IsZero() && !b.ExpiryDate.After(today)
}

// ChartFont is the font charts are drawn with, inside the assets folder:
// it covers Latin and CJK.
const ChartFont = "fonts/wqy-microhei.ttc"

// diskCache is a chart cache in a folder. Failures to write are ignored: a
// cache miss only costs a redraw.
type diskCache string

func dirCache(dir string) plot.Cache {
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
		// Readable by all, as the published copy (a link to it) must be.
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}
