package content

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"briefs/internal/diag"
)

// Config is content/site.toml.
type Config struct {
	BaseURL         string
	DefaultLanguage string
	DataDir         string
	Paginate        int
	TimeZone        *time.Location
	Languages       []Language // default language first, then by weight
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
	at := func(key string) int { return tomlKeyLine(data, key) }
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
