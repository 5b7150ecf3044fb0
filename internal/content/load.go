// Package content reads the content folder (through an fs.FS) into a typed
// Site: the configuration, the labels of tags and markets, and every brief
// in every language. It checks what it reads strictly and reports each
// problem with its file and line; it knows nothing of rendering.
package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"briefs/internal/diag"
)

// Site is everything read from the content folder.
type Site struct {
	Config *Config
	Labels *Labels
	Briefs []*Brief  // sorted newest first, then by bundle and language
	Series []*Series // by name
	// Digest identifies the configuration: site.toml and labels.toml.
	Digest [sha256.Size]byte
}

// Brief is one language version of a brief bundle.
type Brief struct {
	Bundle    string // folder name under briefs/: the translation key
	Lang      string
	File      string // path of the source, prefixed as given to Load
	Slug      string
	Title     string
	Date      time.Time
	AsOf      time.Time // zero when not set
	Market    string
	Sentiment string
	Tags      []string
	Tickers   []string
	Sources   []Source
	Summary   string
	Author    string // the byline; "" for none
	Draft     bool
	// Every and From are set on a series' template: the period of its
	// issues (day, week, month) and the date of the first.
	Every     string
	From      time.Time
	Body      []byte
	BodyLine  int        // file line of the first body line
	Resources []Resource // other files of the bundle, shared by its languages
	// Pos holds where front matter keys and list items are: "tickers",
	// "tickers[2]"; and where the text of a one-line value begins:
	// "title=".
	Pos map[string]Pos
	// Digest identifies the source: its file name and bytes.
	Digest [sha256.Size]byte
}

// Series is a periodic brief (DESIGN section 5): a template per language,
// rendered once per period end in the market data, each issue as of its
// period's last session.
type Series struct {
	Name   string // folder name under series/: its URL segment
	Every  string // day | week | month
	From   time.Time
	Draft  bool
	Briefs []*Brief // the template of each language, in language order; Bundle is "series/<name>"
}

// Resource is a file of a bundle other than its Markdown sources, such as an
// image, published beside each language's page.
type Resource struct {
	Name string // relative to the bundle: "img/chart.png"
	Data []byte
}

// Load reads the content folder. prefix is prepended to file names in errors
// (such as "content/"). Problems from all files are reported together.
func Load(fsys fs.FS, prefix string) (*Site, error) {
	return (*Cache)(nil).Load(fsys, prefix)
}

// A Cache keeps the parsed sources of the last Load, so that loading the
// same folder again parses only the files whose bytes changed. The zero
// Cache is ready; a nil *Cache keeps nothing. Loads must not run
// concurrently on one Cache.
type Cache struct {
	mu     sync.Mutex
	briefs map[string]cachedBrief // file -> its last parse
	next   map[string]cachedBrief
	// Parsed counts the sources parsed by the last Load.
	Parsed int
}

type cachedBrief struct {
	src []byte
	b   *Brief
}

// parse parses a brief source of a bundle, or returns a copy of the last
// parse of the same bytes.
func (c *Cache) parse(file string, src []byte, bundle string, series bool) (*Brief, error) {
	if c != nil {
		c.mu.Lock()
		e, ok := c.briefs[file]
		if ok && bytes.Equal(e.src, src) {
			c.next[file] = e
			c.mu.Unlock()
			b := *e.b
			return &b, nil
		}
		c.Parsed++
		c.mu.Unlock()
	}
	b, err := parseSource(file, src, series)
	if err != nil {
		return nil, err
	}
	if b.Slug == "" && !series {
		b.Slug = Slug(bundle)
		if len(b.Slug) > MaxSlug {
			return nil, diag.Errorf(file, 0, 0, "the folder name makes a URL segment of %d bytes; at most %d fit in a URL and a file name: rename the folder, or set a shorter slug: in the front matter", len(b.Slug), MaxSlug)
		}
	}
	h := sha256.New()
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write(src)
	h.Sum(b.Digest[:0])
	if c != nil {
		c.mu.Lock()
		c.next[file] = cachedBrief{src: src, b: b}
		c.mu.Unlock()
		cp := *b
		b = &cp
	}
	return b, nil
}

// ReadConfig reads and parses site.toml at the root of fsys, and returns
// its bytes too. prefix is prepended to the file name in errors.
func ReadConfig(fsys fs.FS, prefix string) (*Config, []byte, error) {
	data, err := fs.ReadFile(fsys, "site.toml")
	if err != nil {
		return nil, nil, &diag.Error{File: prefix + "site.toml", Msg: "cannot read site configuration: " + errMsg(err), Err: err}
	}
	cfg, err := ParseConfig(prefix+"site.toml", data)
	return cfg, data, err
}

// Load is Load taking unchanged sources from the cache.
func (c *Cache) Load(fsys fs.FS, prefix string) (*Site, error) {
	if c != nil {
		c.next, c.Parsed = map[string]cachedBrief{}, 0
		defer func() { c.briefs, c.next = c.next, nil }()
	}
	name := func(p string) string { return prefix + p }
	cfg, data, err := ReadConfig(fsys, prefix)
	if err != nil {
		return nil, err
	}
	site := &Site{Config: cfg, Labels: &Labels{}}
	digest := sha256.New()
	digest.Write(data)
	digest.Write([]byte{0})
	var errs []error
	if data, err := fs.ReadFile(fsys, "labels.toml"); err == nil {
		digest.Write(data)
		l, err := ParseLabels(name("labels.toml"), data)
		if err != nil {
			errs = append(errs, err)
		} else {
			site.Labels = l
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, &diag.Error{File: name("labels.toml"), Msg: errMsg(err), Err: err})
	}

	bundles, err := fs.ReadDir(fsys, "briefs")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &diag.Error{File: name("briefs"), Msg: errMsg(err), Err: err}
	}
	// Bundles load in parallel; their results are kept in folder order.
	type result struct {
		briefs []*Brief
		err    error
	}
	results := make([]result, len(bundles))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				results[i].briefs, results[i].err = c.loadBundle(fsys, cfg, "briefs/"+bundles[i].Name(), prefix, false)
			}
		})
	}
	for i, b := range bundles {
		if b.IsDir() && !strings.HasPrefix(b.Name(), ".") {
			work <- i
		}
	}
	close(work)
	wg.Wait()
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
		}
		site.Briefs = append(site.Briefs, r.briefs...)
	}
	series, err := c.loadSeries(fsys, cfg, prefix)
	if err != nil {
		errs = append(errs, err)
	}
	site.Series = series
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}
	digest.Sum(site.Digest[:0])
	slices.SortStableFunc(site.Briefs, func(a, b *Brief) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.Bundle, b.Bundle); c != 0 {
			return c
		}
		return strings.Compare(a.Lang, b.Lang)
	})
	return site, nil
}

// loadSeries reads series/<name>/ folders: bundles whose sources are
// series templates, the same period in every language.
func (c *Cache) loadSeries(fsys fs.FS, cfg *Config, prefix string) ([]*Series, error) {
	dirs, err := fs.ReadDir(fsys, "series")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &diag.Error{File: prefix + "series", Msg: errMsg(err), Err: err}
	}
	var out []*Series
	var errs []error
	for _, d := range dirs {
		name := d.Name()
		if !d.IsDir() || Ignored(name) {
			continue
		}
		dir := "series/" + name
		if Slug(name) != name {
			errs = append(errs, diag.Errorf(prefix+dir, 0, 0, "series folder %q: expected lower-case letters, digits, - and _ only, as it is the series' URL (such as %q)", name, Slug(name)))
			continue
		}
		briefs, err := c.loadBundle(fsys, cfg, dir, prefix, true)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(briefs) == 0 {
			continue
		}
		slices.SortFunc(briefs, func(a, b *Brief) int { return cfg.LanguageIndex(a.Lang) - cfg.LanguageIndex(b.Lang) })
		s := &Series{Name: name, Every: briefs[0].Every, From: briefs[0].From, Draft: briefs[0].Draft, Briefs: briefs}
		for _, b := range briefs[1:] {
			if b.Every != s.Every || !b.From.Equal(s.From) || b.Draft != s.Draft {
				pos := b.Pos["every"]
				errs = append(errs, diag.Errorf(b.File, pos.Line, pos.Col, "every, from and draft must be the same in every language of a series: %s has every: %s, from: %s, draft: %t",
					briefs[0].File, s.Every, s.From.Format(time.DateOnly), s.Draft))
			}
		}
		out = append(out, s)
	}
	return out, diag.Join(errs)
}

// activeTypes are the file types a browser runs script in when it opens
// them from the site: a bundle may not publish them as they are, unless
// the site allows raw HTML.
var activeTypes = []string{".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".js", ".mjs", ".swf"}

// unpublishable says why a bundle file may not be published as it is, or "".
func unpublishable(name string, cfg *Config) string {
	ext := strings.ToLower(path.Ext(name))
	if slices.Contains(activeTypes, ext) && (cfg == nil || !cfg.UnsafeHTML) {
		return fmt.Sprintf("a %s file in a bundle is published as it is, and a browser runs any script it holds: draw it as PNG, or set unsafeHTML = true in site.toml if every author may publish scripts", ext)
	}
	if strings.HasPrefix(name, "index.") && strings.Contains(name, ".md.") || slices.Contains([]string{".orig", ".bak", ".rej", ".old"}, ext) {
		return "looks like a backup or a copy of a source, which would be published as it is: remove it or move it out of content/"
	}
	return ""
}

// loadBundle reads briefs/<bundle>/ (or a series' folder): index.<lang>.md
// per language (index.md is the default language), and every other file as
// a resource.
func (c *Cache) loadBundle(fsys fs.FS, cfg *Config, dir, prefix string, series bool) ([]*Brief, error) {
	var sources []string
	var resources []Resource
	var errs []error
	// The bundle's files: Markdown sources at its top, resources at any
	// depth. Hidden folders and editors' temporary files are skipped.
	var walk func(sub string) error
	walk = func(sub string) error {
		d := dir + sub
		entries, err := fs.ReadDir(fsys, d)
		if err != nil {
			return err
		}
		for _, e := range entries {
			name := e.Name()
			if Ignored(name) {
				continue
			}
			rel := name
			if sub != "" {
				rel = sub[1:] + "/" + name
			}
			// A folder named like a source is read as one, and fails.
			if sub == "" && strings.HasSuffix(name, ".md") {
				sources = append(sources, name)
				continue
			}
			if e.IsDir() {
				if err := walk(sub + "/" + name); err != nil {
					return err
				}
				continue
			}
			if why := unpublishable(name, cfg); why != "" {
				errs = append(errs, diag.Errorf(prefix+d+"/"+name, 0, 0, "%s", why))
				continue
			}
			data, err := fs.ReadFile(fsys, d+"/"+name)
			if err != nil {
				return err
			}
			resources = append(resources, Resource{Name: rel, Data: data})
		}
		return nil
	}
	if err := walk(""); err != nil {
		// Named by the file or folder it is about.
		file := prefix + dir
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) && strings.HasPrefix(pe.Path, dir+"/") {
			file = prefix + pe.Path
		}
		return nil, &diag.Error{File: file, Msg: errMsg(err), Err: err}
	}
	bundle := path.Base(dir)
	var briefs []*Brief
	langs := map[string]string{}
	for _, src := range sources {
		file := prefix + dir + "/" + src
		lang, ok := sourceLang(src, cfg)
		if !ok {
			errs = append(errs, diag.Errorf(file, 0, 0, "unexpected Markdown file: expected index.md or index.<lang>.md with lang one of %s",
				strings.Join(cfg.LanguageKeys(), ", ")))
			continue
		}
		if other, dup := langs[lang]; dup {
			errs = append(errs, diag.Errorf(file, 0, 0, "second %s version of this brief (also %s)", lang, other))
			continue
		}
		langs[lang] = src
		data, err := fs.ReadFile(fsys, dir+"/"+src)
		if err != nil {
			errs = append(errs, &diag.Error{File: file, Msg: errMsg(err), Err: err})
			continue
		}
		b, err := c.parse(file, data, bundle, series)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b.Bundle, b.Lang, b.Resources = bundle, lang, resources
		if series {
			b.Bundle = dir
		}
		briefs = append(briefs, b)
	}
	return briefs, diag.Join(errs)
}

// Ignored reports whether a file or folder name is not content: hidden
// files and folders (.git, vim's .swp files), backups (name~), vim's 4913
// write probe, Emacs lock and autosave files (#name#), JetBrains
// safe-write copies (___jb_tmp___, ___jb_old___) and other temporary files.
func Ignored(name string) bool {
	switch {
	case name == "4913",
		strings.HasPrefix(name, "."),
		strings.HasSuffix(name, "~"),
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"),
		strings.HasSuffix(name, ".tmp"):
		return true
	}
	return false
}

// sourceLang maps index.md / index.<lang>.md to a language key.
func sourceLang(name string, cfg *Config) (string, bool) {
	if name == "index.md" {
		return cfg.DefaultLanguage, true
	}
	lang, ok := strings.CutPrefix(strings.TrimSuffix(name, ".md"), "index.")
	if !ok {
		return "", false
	}
	_, known := cfg.Language(lang)
	return lang, known
}

// parseBrief reads one brief source file.
// checkUTF8 refuses a source that is not UTF-8, at its first bad byte: a
// file saved as Latin-1 or GBK would publish mojibake.
func checkUTF8(file string, src []byte) error {
	if utf8.Valid(src) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return diag.Errorf(file, line, col, "invalid UTF-8 (byte 0x%02X): save the file as UTF-8", src[i])
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

func parseBrief(file string, src []byte) (*Brief, error) { return parseSource(file, src, false) }

// parseSource reads a brief or a series template.
func parseSource(file string, src []byte, series bool) (*Brief, error) {
	if err := checkUTF8(file, src); err != nil {
		return nil, err
	}
	front, body, bodyLine, err := splitFrontMatter(file, src)
	if err != nil {
		return nil, err
	}
	fm, err := parseFrontMatter(file, front, series)
	if err != nil {
		return nil, err
	}
	return &Brief{
		File:      file,
		Slug:      fm.Slug,
		Title:     fm.Title,
		Date:      fm.Date,
		AsOf:      fm.AsOf,
		Market:    fm.Market,
		Sentiment: fm.Sentiment,
		Tags:      fm.Tags,
		Tickers:   fm.Tickers,
		Sources:   fm.Sources,
		Summary:   fm.Summary,
		Author:    fm.Author,
		Draft:     fm.Draft,
		Every:     fm.Every,
		From:      fm.From,
		Body:      body,
		BodyLine:  bodyLine,
		Pos:       fm.Pos,
	}, nil
}

// errMsg strips the path that fs errors repeat, since diag.Error names it.
func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s: %v", pe.Op, pe.Err)
	}
	return err.Error()
}
