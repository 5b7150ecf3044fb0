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
	// Warnings say what of the content folder builds but is left out or
	// unused: Hugo section pages, pages in languages the site does not
	// have, Hugo keys that mean nothing here.
	Warnings []error
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
	Author    string   // the byline, the authors joined by ", "; "" for none
	Authors   []string // author and authors
	Draft     bool
	// Hugo's page keys (README, "Front matter"): all zero when not set.
	Description string
	DateTime    time.Time // date's time of day, when it gives one
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Aliases     []string
	Images      []string
	Weight      int
	Keywords    []string
	// front is the front matter of a body that may use shortcodes, in
	// its format, for Params.
	front, format string
	// Warnings are about keys the source sets that are left unused.
	Warnings []error
	// Layout is the Hugo layout or type the source names.
	Layout string
	// Skip says why the source is left out (a Hugo layout's page without
	// text, a headless page), "" if it is built.
	Skip string
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
	keys   string // the KeyOptions the kept parses were made with
	// Parsed counts the sources parsed by the last Load.
	Parsed int
}

type cachedBrief struct {
	src []byte
	b   *Brief
}

// parse parses a brief source of a bundle, or returns a copy of the last
// parse of the same bytes.
func (c *Cache) parse(file string, src []byte, bundle string, series bool, opts *KeyOptions) (*Brief, error) {
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
	b, err := parseSource(file, src, series, opts)
	if err != nil {
		return nil, err
	}
	if b.Slug == "" && !series && b.Skip == "" {
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
	if c != nil {
		// Which keys a source may set depends on site.toml.
		if keys := cfg.Keys.String(); keys != c.keys {
			c.briefs, c.keys = nil, keys
		}
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

	units, warns, err := findBriefs(fsys, cfg, prefix)
	if err != nil {
		return nil, err
	}
	site.Warnings = append(site.Warnings, warns...)
	for _, u := range units {
		if u.err != nil {
			errs = append(errs, u.err)
		}
	}
	// Bundles load in parallel; their results are kept in folder order.
	type result struct {
		briefs []*Brief
		warns  []error
		err    error
	}
	results := make([]result, len(units))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				r := &results[i]
				r.briefs, r.warns, r.err = c.loadUnit(fsys, cfg, units[i], prefix, false)
			}
		})
	}
	for i, u := range units {
		if u.err == nil {
			work <- i
		}
	}
	close(work)
	wg.Wait()
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
		}
		site.Warnings = append(site.Warnings, r.warns...)
		site.Briefs = append(site.Briefs, r.briefs...)
	}
	site.Warnings = append(site.Warnings, outsideBriefs(fsys, cfg, prefix)...)
	series, err := c.loadSeries(fsys, cfg, prefix)
	if err != nil {
		errs = append(errs, err)
	}
	site.Series = series
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}
	digest.Sum(site.Digest[:0])
	diag.Sort(site.Warnings)
	slices.SortStableFunc(site.Briefs, func(a, b *Brief) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		// Among briefs of a day, Hugo's weight: weighted first, lighter
		// first.
		if c := weightOrder(a.Weight, b.Weight); c != 0 {
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
		briefs, _, err := c.loadUnit(fsys, cfg, unit{dir: dir, name: name, bundle: true}, prefix, true)
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

// loadUnit reads the sources of one brief: a bundle's index.<lang>.md
// files (index.md is the default language) with every other file of its
// folder as a resource, or a section's name.<lang>.md pages.
func (c *Cache) loadUnit(fsys fs.FS, cfg *Config, u unit, prefix string, series bool) ([]*Brief, []error, error) {
	var sources []string
	var resources []Resource
	var errs, warns []error
	// The bundle's files: Markdown sources at its top, resources at any
	// depth. Hidden folders and editors' temporary files are skipped.
	var walk func(sub string) error
	walk = func(sub string) error {
		d := u.dir + sub
		entries := u.entries
		if sub != "" || entries == nil {
			var err error
			if entries, err = fs.ReadDir(fsys, d); err != nil {
				return err
			}
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
	base := "index"
	if u.bundle {
		if err := walk(""); err != nil {
			// Named by the file or folder it is about.
			file := prefix + u.dir
			if pe := (*fs.PathError)(nil); errors.As(err, &pe) && strings.HasPrefix(pe.Path, u.dir+"/") {
				file = prefix + pe.Path
			}
			return nil, nil, &diag.Error{File: file, Msg: errMsg(err), Err: err}
		}
	} else {
		sources, base = u.pages, u.name
	}
	var briefs []*Brief
	langs := map[string]string{}
	// Sources of a language first: a headless index makes the other
	// Markdown files of its bundle resources, as in Hugo.
	var others []string
	headless := false
	for _, src := range sources {
		file := prefix + u.dir + "/" + src
		lang, known := sourceLang(src, base, cfg)
		switch {
		case lang == "":
			others = append(others, src)
			continue
		case !known:
			warns = append(warns, diag.Errorf(file, 0, 0, "left out: the site has no language %q (it has %s): add [languages.%s] to site.toml to publish this page",
				lang, strings.Join(cfg.LanguageKeys(), ", "), lang))
			continue
		}
		if other, dup := langs[lang]; dup {
			errs = append(errs, diag.Errorf(file, 0, 0, "second %s version of this brief (also %s)", lang, other))
			continue
		}
		langs[lang] = src
		data, err := fs.ReadFile(fsys, u.dir+"/"+src)
		if err != nil {
			errs = append(errs, &diag.Error{File: file, Msg: errMsg(err), Err: err})
			continue
		}
		b, err := c.parse(file, data, u.name, series, &cfg.Keys)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		warns = append(warns, b.Warnings...)
		if b.Skip != "" && !series {
			warns = append(warns, diag.Errorf(file, 0, 0, "left out: %s", b.Skip))
			headless = headless || u.bundle
			continue
		}
		b.Bundle, b.Lang, b.Resources = u.name, lang, resources
		if series {
			b.Bundle = u.dir
		}
		briefs = append(briefs, b)
	}
	if !headless {
		for _, src := range others {
			errs = append(errs, diag.Errorf(prefix+u.dir+"/"+src, 0, 0, "unexpected Markdown file: expected index.md or index.<lang>.md with lang one of %s",
				strings.Join(cfg.LanguageKeys(), ", ")))
		}
	}
	return briefs, warns, diag.Join(errs)
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

// sourceLang maps base.md / base.<lang>.md (base is "index" in a bundle)
// to a language key, and says whether the site has that language. lang is
// "" for a name of another form.
func sourceLang(name, base string, cfg *Config) (lang string, known bool) {
	if name == base+".md" {
		return cfg.DefaultLanguage, true
	}
	lang, ok := strings.CutPrefix(strings.TrimSuffix(name, ".md"), base+".")
	if !ok || !langCode(lang) {
		return "", false
	}
	_, known = cfg.Language(lang)
	return lang, known
}

// langCode reports whether s looks like a language code of a file name:
// "fr", "zh-cn", "pt-BR".
func langCode(s string) bool {
	main, region, _ := strings.Cut(s, "-")
	if len(main) < 2 || len(main) > 3 || strings.ToLower(main) != main {
		return false
	}
	for _, r := range main + region {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
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

func parseBrief(file string, src []byte) (*Brief, error) { return parseSource(file, src, false, nil) }

// parseSource reads a brief or a series template.
func parseSource(file string, src []byte, series bool, opts *KeyOptions) (*Brief, error) {
	if err := checkUTF8(file, src); err != nil {
		return nil, err
	}
	front, format, body, bodyLine, err := splitFrontMatter(file, src)
	if err != nil {
		return nil, err
	}
	fm, err := parseFrontMatter(file, front, format, series, len(bytes.TrimSpace(body)) == 0, opts)
	if err != nil {
		return nil, err
	}
	var keep string
	if bytes.Contains(body, []byte("{{")) {
		keep = string(front) // for Params, which shortcodes read
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
		Author:    strings.Join(fm.Authors, ", "),
		Authors:   fm.Authors,
		Draft:     fm.Draft,
		Every:     fm.Every,
		From:      fm.From,
		Body:      body,
		BodyLine:  bodyLine,
		Pos:       fm.Pos,

		Description: fm.Description,
		DateTime:    fm.DateTime,
		Lastmod:     fm.Lastmod,
		PublishDate: fm.PublishDate,
		ExpiryDate:  fm.ExpiryDate,
		Aliases:     fm.Aliases,
		Images:      fm.Images,
		Weight:      fm.Weight,
		Keywords:    fm.Keywords,
		Warnings:    fm.Warnings,
		Layout:      fm.Layout,
		Skip:        fm.Skip,
		front:       keep,
		format:      format,
	}, nil
}

// Params are the brief's params for shortcodes, as Hugo has them: every
// front matter key in small letters, with the keys under params: at the
// top. They are decoded on each call.
func (b *Brief) Params() map[string]any {
	if b.front == "" {
		return map[string]any{}
	}
	doc, err := decodeFront(b.File, []byte(b.front), b.format)
	if err != nil || len(doc.Content) == 0 {
		return map[string]any{}
	}
	return params(doc.Content[0])
}

// errMsg strips the path that fs errors repeat, since diag.Error names it.
func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s: %v", pe.Op, pe.Err)
	}
	return err.Error()
}
