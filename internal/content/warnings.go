package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"briefs/internal/diag"
)

// LabelWarnings reports what builds but is likely a mistake in the labels
// of site's briefs: a market or tag key that labels.toml does not know,
// named with the nearest key it does know (a typo makes a new tag page);
// a tag with no label in the brief's language (it shows as its key); and a
// brief missing in one of the site's languages. Sites without labels.toml
// get no label warnings: their tags are free-form.
func LabelWarnings(site *Site) []error {
	var warns []error
	l := site.Labels
	if l == nil {
		l = &Labels{}
	}
	markets, tags := slices.Sorted(maps.Keys(l.Markets)), slices.Sorted(maps.Keys(l.Tags))
	warn := func(b *Brief, key string, format string, args ...any) {
		pos := b.Pos[key]
		warns = append(warns, diag.Errorf(b.File, pos.Line, pos.Col, format, args...))
	}
	unknown := func(what, key string, known []string) string {
		msg := fmt.Sprintf("%s %s has no label in labels.toml", what, diag.Quote(key))
		if near := diag.Nearest(key, known); near != "" {
			return msg + fmt.Sprintf(" (did you mean %q?)", near)
		}
		return msg + fmt.Sprintf(": it shows as its key; add it under [%ss] with a name per language", what)
	}
	langs := map[string][]string{} // bundle -> its languages
	for _, b := range site.Briefs {
		langs[b.Bundle] = append(langs[b.Bundle], b.Lang)
		if b.Market != "" && len(markets) > 0 && l.Markets[b.Market] == nil {
			warn(b, "market", "%s", unknown("market", b.Market, markets))
		}
		if len(tags) == 0 {
			continue
		}
		for i, t := range b.Tags {
			key := fmt.Sprintf("tags[%d]", i)
			switch names := l.Tags[t]; {
			case names == nil:
				warn(b, key, "%s", unknown("tag", t, tags))
			case names[b.Lang] == "":
				warn(b, key, "tag %s has no %s label in labels.toml: it shows as its key on %s pages", diag.Quote(t), b.Lang, b.Lang)
			}
		}
	}
	for _, b := range site.Briefs {
		have := langs[b.Bundle]
		if have[0] != b.Lang {
			continue // once per bundle, at its first file
		}
		var missing []string
		for _, lang := range site.Config.Languages {
			if !slices.Contains(have, lang.Key) {
				missing = append(missing, fmt.Sprintf("index.%s.md", lang.Key))
			}
		}
		if len(missing) > 0 {
			warns = append(warns, diag.Errorf(b.File, 0, 0, "no translation %s: the brief is missing from the other language's lists and feeds", strings.Join(missing, ", ")))
		}
	}
	diag.Sort(warns)
	return warns
}
