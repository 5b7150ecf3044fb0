package content

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"briefs/internal/diag"
)

// Config is content/site.toml.
type Config struct {
	BaseURL         string
	DefaultLanguage string
	DataDir         string
	DataDirAt       string // where site.toml sets dataDir ("content/site.toml:4"); "" if it does not
	Paginate        int
	TimeZone        *time.Location
	Languages       []Language // default language first, then by weight
	Update          *Update    // nil without an [update] table
	// Snapshot lists the symbols of the home page's market snapshot strip
	// (snapshot = ["SPX", "NDX"]): each one's last close and one-day
	// change. SnapshotAt says where site.toml sets it ("content/site.toml:7").
	Snapshot   []string
	SnapshotAt string
	// UnsafeHTML (unsafeHTML = true) publishes the raw HTML of brief
	// bodies as written: scripts, event handlers, iframes, inline styles
	// and links to javascript: or data: URLs included. By default (false)
	// raw HTML is sanitized by an allow-list of the markup a brief needs
	// (text markup, lists, tables, details, figures, images and links over
	// http(s), mailto or relative URLs), and Markdown links and images to
	// other schemes show as plain text. Only for a site whose every brief
	// is written by people trusted to publish scripts on it.
	UnsafeHTML bool
	// Keys are the front matter keys of a Hugo theme the site accepts:
	// pageParams and taxonomies.
	Keys KeyOptions
}

// String identifies the options, for a cache of parses.
func (o KeyOptions) String() string {
	return strings.Join(o.Params, ",") + ";" + strings.Join(o.Taxonomies, ",")
}

// Language is one site language.
type Language struct {
	Key         string // "zh": URL segment and file suffix
	Code        string // BCP 47 tag for lang= and hreflang: "zh-CN"
	Name        string // its own name, for the switcher: "中文"
	Title       string
	Description string
	Disclaimer  string
	Weight      int
}

// Language returns the language with the given key.
func (c *Config) Language(key string) (Language, bool) {
	for _, l := range c.Languages {
		if l.Key == key {
			return l, true
		}
	}
	return Language{}, false
}

// LanguageIndex is the position of a language in Languages, -1 if none.
func (c *Config) LanguageIndex(key string) int {
	return slices.IndexFunc(c.Languages, func(l Language) bool { return l.Key == key })
}

// LanguageKeys lists the language keys, default first.
func (c *Config) LanguageKeys() []string {
	keys := make([]string, len(c.Languages))
	for i, l := range c.Languages {
		keys[i] = l.Key
	}
	return keys
}

type siteFile struct {
	BaseURL         string              `toml:"baseURL"`
	DefaultLanguage string              `toml:"defaultLanguage"`
	DataDir         string              `toml:"dataDir"`
	Paginate        int                 `toml:"paginate"`
	TimeZone        string              `toml:"timeZone"`
	Languages       map[string]langFile `toml:"languages"`
	Update          *updateFile         `toml:"update"`
	UnsafeHTML      bool                `toml:"unsafeHTML"`
	Snapshot        []string            `toml:"snapshot"`
	PageParams      []string            `toml:"pageParams"`
	Taxonomies      []string            `toml:"taxonomies"`
}

type langFile struct {
	Code        string `toml:"code"`
	Name        string `toml:"name"`
	Title       string `toml:"title"`
	Description string `toml:"description"`
	Disclaimer  string `toml:"disclaimer"`
	Weight      int    `toml:"weight"`
}

// ParseConfig parses site.toml. name is the file name used in errors.
func ParseConfig(name string, data []byte) (*Config, error) {
	var f siteFile
	if err := diag.DecodeTOML(name, data, &f); err != nil {
		return nil, err
	}
	// Positions for semantic errors: the line that sets the key, if any.
	// A key inside an inline table has no line of its own: its table's.
	at := func(key string) int {
		for {
			if line := tomlKeyLine(data, key); line > 0 {
				return line
			}
			i := strings.LastIndexByte(key, '.')
			if i < 0 {
				return 0
			}
			key = key[:i]
		}
	}
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, diag.Errorf(name, at(key), 0, format, args...))
	}
	cfg := &Config{
		BaseURL:         f.BaseURL,
		DefaultLanguage: f.DefaultLanguage,
		DataDir:         f.DataDir,
		Paginate:        f.Paginate,
		TimeZone:        time.UTC,
		UnsafeHTML:      f.UnsafeHTML,
	}
	if cfg.BaseURL == "" {
		bad("baseURL", `missing baseURL: expected an absolute URL such as "https://example.org/"`)
	} else if b, err := CheckBaseURL(cfg.BaseURL); err != nil {
		bad("baseURL", "%v", err)
	} else {
		cfg.BaseURL = b
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	} else if d := strings.TrimSuffix(cfg.DataDir, "/"); !fs.ValidPath(d) || d == "." || strings.Contains(d, "\\") {
		bad("dataDir", "dataDir %s: expected a folder inside content/, written with / and without .. (such as \"data\"); for a folder elsewhere, pass -data DIR", diag.Quote(cfg.DataDir))
	} else {
		cfg.DataDir = d
		cfg.DataDirAt = fmt.Sprintf("%s:%d", name, at("dataDir"))
	}
	if cfg.Paginate == 0 {
		cfg.Paginate = 10
	} else if cfg.Paginate < 1 {
		bad("paginate", "paginate = %d: expected a positive number of briefs per page", cfg.Paginate)
	}
	if f.TimeZone != "" {
		loc, err := time.LoadLocation(f.TimeZone)
		if err != nil {
			bad("timeZone", "timeZone %q: expected an IANA zone such as \"America/New_York\"", f.TimeZone)
		} else {
			cfg.TimeZone = loc
		}
	}
	if f.Update != nil {
		cfg.Update = parseUpdate(f.Update, bad)
	}
	if len(f.Snapshot) > 0 {
		cfg.Snapshot, cfg.SnapshotAt = f.Snapshot, fmt.Sprintf("%s:%d", name, at("snapshot"))
		seen := map[string]bool{}
		for _, sym := range f.Snapshot {
			if seen[sym] {
				bad("snapshot", "snapshot lists %q twice", sym)
			}
			seen[sym] = true
		}
		if len(f.Snapshot) > MaxSnapshot {
			bad("snapshot", "snapshot lists %d symbols; the home page's strip shows at most %d", len(f.Snapshot), MaxSnapshot)
		}
	}
	cfg.Keys = KeyOptions{Params: f.PageParams, Taxonomies: f.Taxonomies}
	seenKey := map[string]string{}
	for _, list := range []struct {
		name string
		keys []string
	}{{"pageParams", f.PageParams}, {"taxonomies", f.Taxonomies}} {
		for _, k := range list.keys {
			switch lk := strings.ToLower(k); {
			case strings.TrimSpace(k) == "":
				bad(list.name, "%s: an empty key: expected front matter keys such as %q", list.name, "ShowToc")
			case knownKeys[lk] != "":
				bad(list.name, "%s: %s is a front matter key of its own (%s): remove it from %s", list.name, k, knownKeys[lk], list.name)
			case seenKey[lk] != "":
				bad(list.name, "%s: %s is listed twice (also in %s)", list.name, k, seenKey[lk])
			default:
				seenKey[lk] = list.name
			}
		}
	}
	if len(f.Languages) == 0 {
		bad("languages", "no [languages.<key>] tables: expected at least one language")
	}
	for key, lf := range f.Languages {
		if !validLangKey(key) {
			bad("languages."+key, "language key %q: expected lower-case letters and hyphens, such as \"zh\" or \"en\"", key)
			continue
		}
		l := Language{Key: key, Code: lf.Code, Name: lf.Name, Title: lf.Title,
			Description: lf.Description, Disclaimer: lf.Disclaimer, Weight: lf.Weight}
		if l.Code == "" {
			l.Code = key
		}
		if l.Name == "" {
			l.Name = key
		}
		if l.Title == "" {
			bad("languages."+key, "languages.%s has no title", key)
		}
		cfg.Languages = append(cfg.Languages, l)
	}
	if cfg.DefaultLanguage == "" && len(cfg.Languages) > 0 {
		bad("defaultLanguage", "missing defaultLanguage: expected one of %s", strings.Join(slices.Sorted(maps.Keys(f.Languages)), ", "))
	} else if _, ok := f.Languages[cfg.DefaultLanguage]; !ok && len(cfg.Languages) > 0 {
		bad("defaultLanguage", "defaultLanguage %q is not among the languages (%s)", cfg.DefaultLanguage, strings.Join(slices.Sorted(maps.Keys(f.Languages)), ", "))
	}
	slices.SortFunc(cfg.Languages, func(a, b Language) int {
		if (a.Key == cfg.DefaultLanguage) != (b.Key == cfg.DefaultLanguage) {
			if a.Key == cfg.DefaultLanguage {
				return -1
			}
			return 1
		}
		if a.Weight != b.Weight {
			return a.Weight - b.Weight
		}
		return strings.Compare(a.Key, b.Key)
	})
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}
	return cfg, nil
}

// MaxSnapshot is how many symbols the home page's snapshot strip shows at
// most: a strip, not a quote board.
const MaxSnapshot = 8

// CheckBaseURL validates a base URL and returns it with a trailing slash.
func CheckBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("baseURL %q: expected an absolute http(s) URL with a host, such as \"https://example.org/\"", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

func validLangKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

// tomlKeyLine finds the line that sets a dotted key, as a table header or an
// assignment; 0 if none. It is a best effort to place semantic errors.
func tomlKeyLine(data []byte, key string) int {
	parts := strings.Split(key, ".")
	last := parts[len(parts)-1]
	table := strings.Join(parts[:len(parts)-1], ".")
	cur := ""
	for i, line := range strings.Split(string(data), "\n") {
		s := strings.TrimSpace(line)
		if strings.HasPrefix(s, "[") {
			cur = strings.Trim(s, "[] \t")
			if cur == key {
				return i + 1
			}
			continue
		}
		if k, _, ok := strings.Cut(s, "="); ok && strings.TrimSpace(k) == last && cur == table {
			return i + 1
		}
	}
	return 0
}

// Update is the [update] table: where `briefs data update` downloads the
// prices of the market data, and how it checks them.
type Update struct {
	URL       *URLTemplate
	Timeout   time.Duration      // per request
	Tolerance float64            // largest relative difference allowed where a download overlaps stored rows
	Overlap   int                // calendar days re-fetched before the last stored row
	Retries   int                // after a 5xx, a timeout or a connection error
	Skip      []string           // symbols never fetched
	Symbols   map[string]string  // our symbol -> the provider's, where they differ
	MaxMove   map[string]float64 // kind of tickers.toml -> the largest one-day move accepted, 0 for none; see MoveLimit
}

// Update's defaults.
const (
	DefaultUpdateTimeout   = 30 * time.Second
	DefaultUpdateTolerance = 0.001
	DefaultUpdateOverlap   = 10
	DefaultUpdateRetries   = 2
)

// MoveKinds are the kinds of tickers.toml, the keys of update.max_move.
func MoveKinds() []string {
	return []string{"index", "etf", "stock", "crypto", "volatility", "breadth"}
}

// DefaultMaxMove is the largest one-day move of a close accepted for a
// kind of symbol, unless update.max_move says otherwise; 0 means no limit.
// A move is measured from the smaller close to the larger one, so that a
// rise and the fall that undoes it count the same: 0.5 accepts a rise of up
// to +50% and a fall of up to -33.3%. Broad indexes and ETFs without
// leverage have never moved so far in a day (the S&P 500 fell 20.5% on
// 1987-10-19; a leveraged ETF needs more); single stocks and
// crypto can halve (Globe Life fell 53% on 2024-04-11, Bitcoin 37% on
// 2020-03-12); a volatility index can double (the VIX rose 116% on
// 2018-02-05); a breadth reading, a share of members, can move many times
// over.
func DefaultMaxMove(kind string) float64 {
	switch kind {
	case "stock", "crypto":
		return 1
	case "volatility":
		return 2
	case "breadth":
		return 0
	}
	return 0.5
}

// MoveLimit returns the largest one-day move accepted for a kind of symbol:
// update.max_move's, else DefaultMaxMove's; 0 means no limit.
func (u *Update) MoveLimit(kind string) float64 {
	if v, ok := u.MaxMove[kind]; ok {
		return v
	}
	return DefaultMaxMove(kind)
}

// Provider returns the provider's symbol for one of ours.
func (u *Update) Provider(symbol string) string {
	if p, ok := u.Symbols[symbol]; ok {
		return p
	}
	return symbol
}

type updateFile struct {
	URL       string            `toml:"url"`
	Timeout   string            `toml:"timeout"`
	Tolerance *float64          `toml:"tolerance"`
	Overlap   *int              `toml:"overlap"`
	Retries   *int              `toml:"retries"`
	Skip      []string          `toml:"skip"`
	Symbols   map[string]string `toml:"symbols"`
	MaxMove   any               `toml:"max_move"` // a number for every kind, or a table by kind
}

// parseUpdate checks the [update] table, reporting problems through bad.
func parseUpdate(f *updateFile, bad func(key, format string, args ...any)) *Update {
	u := &Update{
		Timeout:   DefaultUpdateTimeout,
		Tolerance: DefaultUpdateTolerance,
		Overlap:   DefaultUpdateOverlap,
		Retries:   DefaultUpdateRetries,
		Symbols:   f.Symbols,
	}
	if f.URL == "" {
		bad("update", `[update] has no url: expected url = "https://.../{symbol}..." with placeholders {symbol}, {from} and {to}`)
	} else if t, err := ParseURLTemplate(f.URL); err != nil {
		bad("update.url", "update.url: %v", err)
	} else {
		u.URL = t
	}
	if f.Timeout != "" {
		d, err := time.ParseDuration(f.Timeout)
		if err != nil || d <= 0 {
			bad("update.timeout", "update.timeout %q: expected a positive duration such as \"30s\" or \"2m\"", f.Timeout)
		} else {
			u.Timeout = d
		}
	}
	if f.Tolerance != nil {
		if v := *f.Tolerance; v < 0 || v >= 1 || v != v {
			bad("update.tolerance", "update.tolerance = %v: expected a relative difference from 0 up to 1, such as 0.001 (0.1%%)", v)
		} else {
			u.Tolerance = v
		}
	}
	if f.Overlap != nil {
		if v := *f.Overlap; v < 0 || v > 3660 {
			bad("update.overlap", "update.overlap = %d: expected a number of calendar days from 0 to 3660", v)
		} else {
			u.Overlap = v
		}
	}
	if f.Retries != nil {
		if v := *f.Retries; v < 0 || v > 10 {
			bad("update.retries", "update.retries = %d: expected a number of retries from 0 to 10", v)
		} else {
			u.Retries = v
		}
	}
	seen := map[string]bool{}
	for _, s := range f.Skip {
		switch {
		case strings.TrimSpace(s) == "":
			bad("update.skip", "update.skip: an empty symbol: expected symbols of tickers.toml")
		case seen[s]:
			bad("update.skip", "update.skip: %s is listed twice", s)
		}
		seen[s] = true
	}
	u.Skip = f.Skip
	for _, k := range slices.Sorted(maps.Keys(f.Symbols)) {
		if strings.TrimSpace(f.Symbols[k]) == "" {
			bad("update.symbols."+k, "update.symbols.%s is empty: expected the provider's symbol for %s", k, k)
		}
	}
	u.MaxMove = parseMaxMove(f.MaxMove, bad)
	return u
}

// parseMaxMove checks update.max_move: a number for every kind, or a table
// of numbers by kind.
func parseMaxMove(v any, bad func(key, format string, args ...any)) map[string]float64 {
	const expected = "expected the largest one-day move of a close to accept, such as 0.5 (a rise of up to +50%, a fall of up to -33.3%), or 0 for no limit"
	limit := func(key string, v any) (float64, bool) {
		var f float64
		switch n := v.(type) {
		case int64:
			f = float64(n)
		case float64:
			f = n
		default:
			bad(key, "%s = %v: %s", key, v, expected)
			return 0, false
		}
		if !(f >= 0) || math.IsInf(f, 0) {
			bad(key, "%s = %v: %s", key, f, expected)
			return 0, false
		}
		return f, true
	}
	out := map[string]float64{}
	switch t := v.(type) {
	case nil:
	case map[string]any:
		for _, kind := range slices.Sorted(maps.Keys(t)) {
			key := "update.max_move." + kind
			if !slices.Contains(MoveKinds(), kind) {
				msg := fmt.Sprintf("%s: unknown kind %q: expected kinds of tickers.toml (%s)", key, kind, strings.Join(MoveKinds(), ", "))
				if near := diag.Nearest(kind, MoveKinds()); near != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", near)
				}
				bad(key, "%s", msg)
				continue
			}
			if f, ok := limit(key, t[kind]); ok {
				out[kind] = f
			}
		}
	default:
		if f, ok := limit("update.max_move", v); ok {
			for _, kind := range MoveKinds() {
				out[kind] = f
			}
		}
	}
	return out
}

// URLTemplate is a URL with placeholders: {symbol}, the provider's symbol;
// {from} and {to}, the first and last dates wanted, as 2006-01-02; and
// {from:LAYOUT} and {to:LAYOUT}, the dates in a Go time layout, or as Unix
// seconds with the layout unix: {from:unix} is 00:00 UTC on from, and
// {to:unix} 00:00 UTC on the day after to, so that the range holds all of
// to whether the provider's end is inclusive or not (Yahoo's period2 is
// not). Every value is query-escaped.
type URLTemplate struct {
	raw   string
	parts []urlPart
}

// urlPart is a literal (name == "") or a placeholder.
type urlPart struct {
	lit    string
	name   string // symbol, from or to
	layout string // for from and to: a time layout, or "unix"
}

// ParseURLTemplate parses and checks a URL template: its placeholders, and
// that it gives an absolute http(s) URL.
func ParseURLTemplate(s string) (*URLTemplate, error) {
	t := &URLTemplate{raw: s}
	shown := RedactURL(s) // for messages
	hasSymbol := false
	rest := s
	for rest != "" {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			t.parts = append(t.parts, urlPart{lit: rest})
			break
		}
		if rest[open] == '}' {
			return nil, fmt.Errorf("%q: a } without its {: expected placeholders {symbol}, {from}, {to}, {from:LAYOUT} or {to:LAYOUT}", shown)
		}
		if open > 0 {
			t.parts = append(t.parts, urlPart{lit: rest[:open]})
		}
		end := strings.IndexAny(rest[open+1:], "{}")
		if end < 0 || rest[open+1+end] != '}' {
			return nil, fmt.Errorf("%q: a { without its }: expected placeholders {symbol}, {from}, {to}, {from:LAYOUT} or {to:LAYOUT}", shown)
		}
		ph := rest[open+1 : open+1+end]
		rest = rest[open+1+end+1:]
		name, layout, hasLayout := strings.Cut(ph, ":")
		switch name {
		case "symbol":
			if hasLayout {
				return nil, fmt.Errorf("%q: {%s}: {symbol} takes no layout", shown, ph)
			}
			hasSymbol = true
		case "from", "to":
			if !hasLayout {
				layout = time.DateOnly
			} else if err := checkLayout(layout); err != nil {
				return nil, fmt.Errorf("%q: {%s}: %v", shown, ph, err)
			}
		default:
			msg := fmt.Sprintf("%q: unknown placeholder {%s}: expected {symbol}, {from}, {to}, {from:LAYOUT} or {to:LAYOUT}", shown, ph)
			if near := diag.Nearest(name, []string{"symbol", "from", "to"}); near != "" {
				msg += fmt.Sprintf(" (did you mean {%s}?)", near)
			}
			return nil, errors.New(msg)
		}
		t.parts = append(t.parts, urlPart{name: name, layout: layout})
	}
	if !hasSymbol {
		return nil, fmt.Errorf("%q has no {symbol}: expected the provider's symbol in the URL, such as ?s={symbol}", shown)
	}
	sample := t.Expand("X", time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC), time.Date(2001, 2, 4, 0, 0, 0, 0, time.UTC))
	u, err := url.Parse(sample)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%q is not a valid URL: %s", shown, RedactText(err.Error(), URLSecrets(s)))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: expected an absolute http(s) URL with a host, such as \"https://stooq.com/q/d/l/?s={symbol}&i=d\"", shown)
	}
	return t, nil
}

// checkLayout accepts unix, or a Go time layout that shows the date.
func checkLayout(layout string) error {
	if layout == "unix" {
		return nil
	}
	d := time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC)
	if layout == "" || d.Format(layout) == layout {
		return fmt.Errorf("layout %q has no date in it: expected a Go time layout such as 20060102 or 01/02/2006, or unix", layout)
	}
	return nil
}

// Expand returns the URL for symbol (the provider's) and the dates from
// and to (UTC midnight).
func (t *URLTemplate) Expand(symbol string, from, to time.Time) string {
	var b strings.Builder
	for _, p := range t.parts {
		var v string
		switch p.name {
		case "":
			b.WriteString(p.lit)
			continue
		case "symbol":
			v = symbol
		case "from", "to":
			d := from
			if p.name == "to" {
				d = to
			}
			if p.layout == "unix" {
				if p.name == "to" {
					d = d.AddDate(0, 0, 1)
				}
				v = strconv.FormatInt(d.Unix(), 10)
			} else {
				v = d.Format(p.layout)
			}
		}
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

// String returns the template as written.
func (t *URLTemplate) String() string { return t.raw }
