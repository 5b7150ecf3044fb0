// Package locale holds what differs between the site's languages: UI strings
// from go-i18n message files (templates/i18n/<lang>.toml) and the formatting
// of dates.
package locale

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"briefs/internal/diag"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

// Catalog holds the Locale of every site language.
type Catalog struct {
	locales map[string]*Locale
}

// Locale formats for one language.
type Locale struct {
	Lang string
	loc  *i18n.Localizer
	ids  map[string]bool
}

// Load reads <dir>/<lang>.toml for each language. Every message id of one
// file must exist in all of them; prefix is prepended to file names in errors.
func Load(fsys fs.FS, dir, prefix string, langs []string) (*Catalog, error) {
	c := &Catalog{locales: map[string]*Locale{}}
	var errs []error
	for _, lang := range langs {
		tag, err := language.Parse(lang)
		if err != nil {
			errs = append(errs, fmt.Errorf("language %q: %w", lang, err))
			continue
		}
		b := i18n.NewBundle(tag)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		name := path.Join(dir, lang+".toml")
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, &diag.Error{File: prefix + name, Msg: "missing UI strings for language " + lang, Err: err})
			continue
		}
		mf, err := b.ParseMessageFileBytes(data, name)
		if err != nil {
			errs = append(errs, &diag.Error{File: prefix + name, Msg: "invalid message file: " + err.Error(), Err: err})
			continue
		}
		l := &Locale{Lang: lang, loc: i18n.NewLocalizer(b, lang), ids: map[string]bool{}}
		for _, m := range mf.Messages {
			l.ids[m.ID] = true
		}
		c.locales[lang] = l
	}
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}
	// Same ids everywhere: a string missing in one language is a build error
	// here rather than a hole on a page.
	all := map[string]bool{}
	for _, l := range c.locales {
		for id := range l.ids {
			all[id] = true
		}
	}
	for _, lang := range langs {
		var missing []string
		for id := range all {
			if !c.locales[lang].ids[id] {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			errs = append(errs, diag.Errorf(prefix+path.Join(dir, lang+".toml"), 0, 0, "missing messages %q", missing))
		}
	}
	return c, diag.Join(errs)
}

// Locale returns the locale of lang, or nil.
func (c *Catalog) Locale(lang string) *Locale { return c.locales[lang] }

// T returns the UI string id; data fills its {{.Placeholders}}, and a
// "Count" key in data selects the plural form.
func (l *Locale) T(id string, data map[string]any) (string, error) {
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		cfg.PluralCount = n
	}
	s, err := l.loc.Localize(cfg)
	if err != nil {
		var nf *i18n.MessageNotFoundErr
		if errors.As(err, &nf) {
			return "", fmt.Errorf("no UI string %q for language %s", id, l.Lang)
		}
		return "", err
	}
	return s, nil
}

var enMonths = [...]string{"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// Date formats a calendar date: 2026年2月10日, February 10, 2026.
func (l *Locale) Date(t time.Time) string {
	y, m, d := t.Date()
	switch l.Lang {
	case "zh", "ja":
		return fmt.Sprintf("%d年%d月%d日", y, m, d)
	default:
		return fmt.Sprintf("%s %d, %d", enMonths[m-1], d, y)
	}
}

// Number formats x with the given decimals and thousands separators:
// 2,689.05 (both languages group by thousands with commas).
func (l *Locale) Number(x float64, decimals int) string {
	// Half away from zero, as readers round: 1234.5 -> 1,235.
	p := math.Pow10(decimals)
	s := strconv.FormatFloat(math.Round(math.Abs(x)*p)/p, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Percent formats a fraction as a signed percentage: 0.0881 -> +8.81%.
func (l *Locale) Percent(x float64, decimals int) string {
	s := l.Number(x*100, decimals)
	if !strings.HasPrefix(s, "-") && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	return s + "%"
}
