package content

import (
	"strings"
	"unicode"

	"briefs/internal/diag"
)

// Labels are the localized names of the keys authors use in front matter:
// tags and markets. They live in content/labels.toml:
//
//	[tags]
//	sector_rotation = { zh = "板块轮动", en = "Sector rotation" }
//	[markets]
//	us_equities = { zh = "美股市场", en = "US equities" }
//
// A key without a label shows as the key itself, so a corpus with free-form
// tags builds unchanged.
type Labels struct {
	Tags    map[string]map[string]string `toml:"tags"`
	Markets map[string]map[string]string `toml:"markets"`
}

// ParseLabels parses labels.toml.
func ParseLabels(name string, data []byte) (*Labels, error) {
	var l Labels
	if err := diag.DecodeTOML(name, data, &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// Tag returns the display name of a tag key in lang.
func (l *Labels) Tag(key, lang string) string { return lookup(l.Tags, key, lang) }

// Market returns the display name of a market key in lang.
func (l *Labels) Market(key, lang string) string { return lookup(l.Markets, key, lang) }

func lookup(m map[string]map[string]string, key, lang string) string {
	if l, ok := m[key][lang]; ok && l != "" {
		return l
	}
	return key
}

// Slug turns a tag or title into a URL path segment: lower case, letters and
// digits of any script kept, runs of anything else become one hyphen.
// "Market Analysis" -> "market-analysis"; "sector_rotation" is kept as is.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}
