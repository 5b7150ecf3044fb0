package content

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"briefs/internal/diag"

	"go.yaml.in/yaml/v3"
)

// Source is one numbered citation of a brief.
type Source struct {
	Title string
	URL   string
}

// Sentiments are the allowed values of the sentiment key.
var sentiments = []string{"bullish", "bearish", "neutral", "mixed"}

// SentimentAuto is the sentiment of a series whose issues are each rated
// from their data; a series takes no other value.
const SentimentAuto = "auto"

// frontKeys are the allowed front matter keys (DESIGN section 3), plus slug.
var frontKeys = []string{"title", "date", "asof", "market", "sentiment", "tags",
	"tickers", "sources", "summary", "draft", "slug", "author"}

// seriesKeys are the keys of a series (DESIGN section 5): a brief's, but
// dated by its periods instead of date, asof and slug.
var seriesKeys = []string{"title", "every", "from", "market", "sentiment", "tags",
	"tickers", "sources", "summary", "draft", "author"}

// Every lists the periods a series can have.
var Every = []string{"day", "week", "month"}

// splitFrontMatter separates the YAML front matter from the body. It returns
// the YAML, the body and the 1-based line of the first body line.
func splitFrontMatter(file string, src []byte) (front, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, nil, 0, diag.Errorf(file, 1, 1, "expected YAML front matter opening with a --- line")
	}
	line := 2
	off := 0
	for off <= len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		if string(bytes.TrimRight(l, " \t\r")) == "---" {
			front = rest[:off]
			if end < 0 {
				return front, nil, line + 1, nil
			}
			return front, rest[off+end+1:], line + 1, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return nil, nil, 0, diag.Errorf(file, 1, 1, "front matter is not closed: expected a --- line after it")
}

// frontMatter is the decoded front matter with the positions of its keys.
type frontMatter struct {
	Title     string
	Date      time.Time
	AsOf      time.Time
	Market    string
	Sentiment string
	Tags      []string
	Tickers   []string
	Sources   []Source
	Summary   string
	Author    string
	Draft     bool
	Slug      string
	Every     string
	From      time.Time
	Pos       map[string]Pos
}

// Pos is a position in a source file.
type Pos struct{ Line, Col int }

// parseFrontMatter decodes YAML strictly. Line numbers in errors are file
// lines: the YAML starts at line 2. A series takes seriesKeys, a brief
// frontKeys.
func parseFrontMatter(file string, data []byte, series bool) (*frontMatter, error) {
	keys := frontKeys
	if series {
		keys = seriesKeys
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if line := tabIndented(data); line > 0 {
			return nil, diag.Errorf(file, line+1, 1, "invalid YAML front matter: this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces")
		}
		return nil, yamlError(file, err)
	}
	fm := &frontMatter{Pos: map[string]Pos{}}
	var errs []error
	at := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, diag.Errorf(file, n.Line+1, n.Column, format, args...))
	}
	if len(doc.Content) == 0 {
		return nil, diag.Errorf(file, 2, 1, "front matter is empty: expected at least title and date")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, diag.Errorf(file, root.Line+1, root.Column, "front matter: expected key: value pairs")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if seen[key] {
			at(k, "duplicate key %q", key)
			continue
		}
		seen[key] = true
		fm.Pos[key] = Pos{k.Line + 1, k.Column}
		for i, item := range v.Content {
			if v.Kind == yaml.SequenceNode {
				fm.Pos[fmt.Sprintf("%s[%d]", key, i)] = Pos{item.Line + 1, item.Column}
			}
		}
		if !slices.Contains(keys, key) && (slices.Contains(frontKeys, key) || slices.Contains(seriesKeys, key)) {
			if series {
				at(k, "%s: a series is dated by its periods (every, from), not by %s", key, key)
			} else {
				at(k, "%s: only a series (content/series/<name>/) takes %s", key, key)
			}
			continue
		}
		switch key {
		case "every":
			fm.Every = scalar(v, at, "every", "one of "+strings.Join(Every, ", "))
			if fm.Every != "" && !slices.Contains(Every, fm.Every) {
				at(v, "every %q: expected one of %s", fm.Every, strings.Join(Every, ", "))
			}
		case "from":
			fm.From = dateValue(v, at, "from")
		case "title":
			fm.Title = scalar(v, at, "title", "a string")
			if strings.TrimSpace(fm.Title) == "" && v.Kind == yaml.ScalarNode {
				at(v, "title is empty")
			}
		case "date":
			fm.Date = dateValue(v, at, "date")
		case "asof":
			fm.AsOf = dateValue(v, at, "asof")
		case "market":
			fm.Market = scalar(v, at, "market", "a market key such as us_equities")
		case "sentiment":
			fm.Sentiment = scalar(v, at, "sentiment", "one of "+strings.Join(sentiments, ", "))
			switch {
			case series && fm.Sentiment != "" && fm.Sentiment != SentimentAuto:
				at(v, "sentiment %q: one rating cannot fit every issue of a series; write sentiment: auto to rate each issue from its data (see the README, Series), or leave the key out for no badge", fm.Sentiment)
			case !series && fm.Sentiment != "" && !slices.Contains(sentiments, fm.Sentiment):
				at(v, "sentiment %q: expected one of %s", fm.Sentiment, strings.Join(sentiments, ", "))
			}
		case "tags":
			fm.Tags = stringList(v, at, "tags")
			slugs := map[string]string{}
			for i, t := range fm.Tags {
				slug := Slug(t)
				if len(slug) > MaxSlug {
					at(v.Content[i], "tag %s is %d bytes long; at most %d fit in a URL: shorten it", diag.Quote(t), len(slug), MaxSlug)
				} else if slug == "" {
					at(v.Content[i], "tag %q has no letters or digits, so it has no URL", t)
				} else if other, dup := slugs[slug]; dup {
					at(v.Content[i], "tag %q is the same tag as %q (both are /tags/%s/)", t, other, slug)
				}
				slugs[slug] = t
			}
		case "tickers":
			fm.Tickers = stringList(v, at, "tickers")
			if len(fm.Tickers) > MaxTickers {
				at(v, "tickers: %d symbols; the related-tickers box shows at most %d: keep the ones the brief is about", len(fm.Tickers), MaxTickers)
			}
		case "sources":
			fm.Sources = sourceList(v, at)
		case "summary":
			fm.Summary = scalar(v, at, "summary", "a string")
		case "author":
			fm.Author = scalar(v, at, "author", "a name")
		case "draft":
			if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
				at(v, "draft: expected true or false")
			} else {
				fm.Draft = v.Value == "true"
			}
		case "slug":
			fm.Slug = scalar(v, at, "slug", "a URL segment")
			if fm.Slug != "" && Slug(fm.Slug) != fm.Slug {
				at(v, "slug %s: expected lower-case letters, digits, - and _ only (such as %s)", diag.Quote(fm.Slug), diag.Quote(Slug(fm.Slug)))
			} else if len(fm.Slug) > MaxSlug {
				at(v, "slug is %d bytes long; at most %d fit in a URL and a file name: shorten it", len(fm.Slug), MaxSlug)
			}
		default:
			msg := fmt.Sprintf("unknown front matter key %q", key)
			if near := diag.Nearest(key, keys); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			} else {
				msg += "; expected one of " + strings.Join(keys, ", ")
			}
			at(k, "%s", msg)
		}
	}
	if !seen["title"] {
		errs = append(errs, diag.Errorf(file, 1, 0, "missing title in front matter"))
	}
	switch {
	case series && !seen["every"]:
		errs = append(errs, diag.Errorf(file, 1, 0, "missing every in the series' front matter: expected every: %s", strings.Join(Every, " | ")))
	case series && !seen["from"]:
		errs = append(errs, diag.Errorf(file, 1, 0, "missing from in the series' front matter: expected from: YYYY-MM-DD, the first period"))
	case !series && !seen["date"]:
		errs = append(errs, diag.Errorf(file, 1, 0, "missing date in front matter: expected date: YYYY-MM-DD"))
	}
	if !fm.AsOf.IsZero() && !fm.Date.IsZero() && fm.AsOf.After(fm.Date) {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "asof" {
				at(root.Content[i+1], "asof %s is after the brief's date %s: a brief cannot use data from after its publication",
					fm.AsOf.Format(time.DateOnly), fm.Date.Format(time.DateOnly))
			}
		}
	}
	if len(errs) > 0 {
		return nil, diag.Join(errs)
	}
	return fm, nil
}

// Limits of front matter values that become URLs and page furniture.
const (
	MaxSlug    = 120 // bytes of a slug or a tag's URL segment
	MaxTickers = 24  // symbols in the related-tickers box
)

type reporter func(n *yaml.Node, format string, args ...any)

func scalar(v *yaml.Node, at reporter, key, want string) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		at(v, "%s: expected %s", key, want)
		return ""
	}
	return v.Value
}

func stringList(v *yaml.Node, at reporter, key string) []string {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		at(v, "%s: expected a list such as [a, b]", key)
		return nil
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || strings.TrimSpace(item.Value) == "" {
			at(item, "%s: expected a non-empty string", key)
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

func sourceList(v *yaml.Node, at reporter) []Source {
	if v.Kind != yaml.SequenceNode {
		at(v, "sources: expected a list of {title: ..., url: ...}")
		return nil
	}
	var out []Source
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			at(item, "sources: expected {title: ..., url: ...}")
			continue
		}
		var s Source
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, val := item.Content[i], item.Content[i+1]
			switch k.Value {
			case "title":
				s.Title = scalar(val, at, "sources title", "a string")
			case "url":
				if val.Tag != "!!null" {
					s.URL = scalar(val, at, "sources url", "a URL string")
					if u, err := url.Parse(s.URL); s.URL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
						at(val, "source url %q: expected an absolute http(s) URL, or \"\"", s.URL)
					}
				}
			default:
				at(k, "unknown key %q in a source: expected title and url", k.Value)
			}
		}
		if s.Title == "" {
			at(item, "source without a title")
		}
		out = append(out, s)
	}
	return out
}

// dateValue parses YYYY-MM-DD, or an RFC 3339 timestamp (Hugo corpora), of
// which the calendar date is kept.
func dateValue(v *yaml.Node, at reporter, key string) time.Time {
	if v.Kind != yaml.ScalarNode {
		at(v, "%s: expected a date YYYY-MM-DD", key)
		return time.Time{}
	}
	s := strings.TrimSpace(v.Value)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
	}
	if why := impossibleDate(s); why != "" {
		at(v, "%s %s: %s", key, s, why)
		return time.Time{}
	}
	at(v, "%s %s: expected a date YYYY-MM-DD", key, diag.Quote(s))
	return time.Time{}
}

// impossibleDate says why s, written as YYYY-MM-DD, is no day of the
// calendar ("November 2026 has 30 days"), or "" if it is not so written or
// is a day.
func impossibleDate(s string) string {
	var y, m, d int
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return ""
	}
	if n, err := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); n != 3 || err != nil {
		return ""
	}
	if m < 1 || m > 12 {
		return fmt.Sprintf("there is no month %d: expected YYYY-MM-DD with a month 01..12", m)
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > days {
		return fmt.Sprintf("that day does not exist: %s %d has %d days", time.Month(m), y, days)
	}
	return ""
}

// tabIndented returns the 1-based line of data that the first tab indents,
// or 0: YAML refuses tabs as indentation, with a message that does not say
// so.
func tabIndented(data []byte) int {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if t := bytes.TrimLeft(l, " "); len(t) > 0 && t[0] == '\t' && len(bytes.TrimSpace(t)) > 0 {
			return i + 1
		}
	}
	return 0
}

// yamlError turns a yaml.v3 syntax error into a positioned error. yaml.v3
// reports "yaml: line N: msg" with N relative to the YAML block.
func yamlError(file string, err error) error {
	var line int
	msg := err.Error()
	if _, scanErr := fmt.Sscanf(msg, "yaml: line %d:", &line); scanErr == nil {
		_, rest, _ := strings.Cut(msg, ": line ")
		_, rest, _ = strings.Cut(rest, ": ")
		return &diag.Error{File: file, Line: line + 1, Msg: "invalid YAML front matter: " + rest, Err: err}
	}
	return &diag.Error{File: file, Line: 2, Msg: "invalid YAML front matter: " + strings.TrimPrefix(msg, "yaml: "), Err: err}
}
