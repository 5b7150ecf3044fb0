package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

// frontKeys are the keys of a brief (DESIGN section 3), plus slug and
// author.
var frontKeys = []string{"title", "date", "asof", "market", "sentiment", "tags",
	"tickers", "sources", "summary", "draft", "slug", "author"}

// seriesKeys are the keys of a series (DESIGN section 5): a brief's, but
// dated by its periods instead of date, asof and slug.
var seriesKeys = []string{"title", "every", "from", "market", "sentiment", "tags",
	"tickers", "sources", "summary", "draft", "author"}

// hugoKeys are Hugo's page keys that mean something here (see the
// README's front matter table), taken by briefs and series alike.
var hugoKeys = []string{"description", "authors", "lastmod", "publishDate", "expiryDate",
	"aliases", "images", "weight", "keywords", "categories", "params"}

// hugoDateKeys are the other names Hugo reads its dates under.
var hugoDateKeys = map[string]string{
	"modified": "lastmod", "pubdate": "publishDate", "published": "publishDate",
	"unpublishdate": "expiryDate",
}

// ignoredKeys are Hugo's page keys that mean nothing here, with why: they
// are accepted with a warning, so that a Hugo page builds and its author
// learns what is left out.
var ignoredKeys = map[string]string{
	"layout":         "every brief has the one layout templates/brief.html",
	"type":           "every brief has the one layout templates/brief.html",
	"url":            "a brief's URL is /<lang>/briefs/<slug>/: set slug, and aliases for the old URL",
	"linkTitle":      "the title is shown everywhere",
	"menus":          "the site has no menus",
	"menu":           "the site has no menus",
	"outputs":        "every brief is an HTML page and an item of the feeds",
	"build":          "every brief that is not a draft, dated in the future or expired is published and listed",
	"_build":         "every brief that is not a draft, dated in the future or expired is published and listed",
	"cascade":        "front matter applies to its own page only",
	"isCJKLanguage":  "the file's language decides",
	"markup":         "every brief is Markdown",
	"resources":      "the files of a bundle are published as they are",
	"sitemap":        "every brief is in the sitemap",
	"translationKey": "translations are the index.<lang>.md files of one bundle, or name.<lang>.md pages",
	"videos":         "pages carry no video metadata",
	"audio":          "pages carry no audio metadata",
}

// Every lists the periods a series can have.
var Every = []string{"day", "week", "month"}

// KeyOptions are the front matter keys a site accepts beyond the known ones
// (site.toml's pageParams and taxonomies), for content written for a Hugo
// theme.
type KeyOptions struct {
	// Params are kept as page params (for the param shortcode) and change
	// nothing else.
	Params []string
	// Taxonomies hold terms that join the page's tags.
	Taxonomies []string
}

// Front matter formats, as Hugo reads them.
const (
	formatYAML = "YAML" // between --- lines
	formatTOML = "TOML" // between +++ lines
	formatJSON = "JSON" // an object opening the file
)

// splitFrontMatter separates the front matter from the body. It returns
// the front matter, its format, the body and the 1-based line of the first
// body line.
func splitFrontMatter(file string, src []byte) (front []byte, format string, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	delim := string(bytes.TrimRight(first, " \t\r"))
	switch {
	case delim == "---":
		format = formatYAML
	case delim == "+++":
		format = formatTOML
	case bytes.HasPrefix(src, []byte("{")):
		return splitJSON(file, src)
	default:
		return nil, "", nil, 0, diag.Errorf(file, 1, 1, "expected front matter: a --- line opening YAML (or +++ for TOML, or a { for JSON)")
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
		if string(bytes.TrimRight(l, " \t\r")) == delim {
			front = rest[:off]
			if end < 0 {
				return front, format, nil, line + 1, nil
			}
			return front, format, rest[off+end+1:], line + 1, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return nil, "", nil, 0, diag.Errorf(file, 1, 1, "front matter is not closed: expected a %s line after it", delim)
}

// splitJSON cuts the JSON object that opens src: up to its closing brace,
// counted outside strings. The body starts on the next line.
func splitJSON(file string, src []byte) (front []byte, format string, body []byte, bodyLine int, err error) {
	depth, inString, escaped := 0, false, false
	for i, c := range src {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				front = src[:i+1]
				rest := src[i+1:]
				line := bytes.Count(front, []byte("\n")) + 1
				if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
					if t := bytes.TrimSpace(rest[:nl]); len(t) > 0 {
						return nil, "", nil, 0, diag.Errorf(file, line, 0, "unexpected %s after the JSON front matter: expected the body on the next line", diag.Quote(string(t)))
					}
					return front, formatJSON, rest[nl+1:], line + 1, nil
				}
				return front, formatJSON, nil, line + 1, nil
			}
		}
	}
	return nil, "", nil, 0, diag.Errorf(file, 1, 1, "JSON front matter is not closed: expected the } that closes the { of line 1")
}

// frontMatter is the decoded front matter with the positions of its keys.
type frontMatter struct {
	Title       string
	Date        time.Time
	DateTime    time.Time // the time of day of date, when given
	AsOf        time.Time
	Market      string
	Sentiment   string
	Tags        []string
	Tickers     []string
	Sources     []Source
	Summary     string
	Description string
	Authors     []string
	Draft       bool
	Slug        string
	Every       string
	From        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Aliases     []string
	Images      []string
	Weight      int
	Keywords    []string
	// Layout is a Hugo layout or type the page names, "" for none.
	Layout string
	// Skip says why the page is left out, as Hugo leaves it out or as the
	// site makes it itself; "" for a page that is built.
	Skip string
	Pos  map[string]Pos
	// Warnings are about keys accepted but left unused.
	Warnings []error
}

// Pos is a position in a source file.
type Pos struct{ Line, Col int }

// decodeFront parses front matter of any format into a YAML document
// whose lines are file lines minus one (YAML's first line is the file's
// second).
func decodeFront(file string, data []byte, format string) (*yaml.Node, error) {
	switch format {
	case formatTOML:
		return tomlNode(file, data, 2)
	case formatJSON:
		if err := checkJSON(file, data); err != nil {
			return nil, err
		}
		// JSON is YAML in flow style; tabs, which JSON allows as
		// spaces, YAML does not always.
		var doc yaml.Node
		if err := yaml.Unmarshal(bytes.ReplaceAll(data, []byte("\t"), []byte(" ")), &doc); err != nil {
			return nil, yamlError(file, err)
		}
		// JSON starts on the file's first line, YAML on its second.
		var shift func(n *yaml.Node)
		shift = func(n *yaml.Node) {
			n.Line--
			for _, c := range n.Content {
				shift(c)
			}
		}
		shift(&doc)
		return &doc, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if line := tabIndented(data); line > 0 {
			return nil, diag.Errorf(file, line+1, 1, "invalid YAML front matter: this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces")
		}
		return nil, yamlError(file, err)
	}
	return &doc, nil
}

// checkJSON reports a JSON syntax error at its line and column.
func checkJSON(file string, data []byte) error {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(data, int(se.Offset))
		return &diag.Error{File: file, Line: line, Col: col, Msg: "invalid JSON front matter: " + se.Error(), Err: err}
	}
	if _, ok := v.(map[string]any); err == nil && !ok {
		return diag.Errorf(file, 1, 1, "JSON front matter: expected an object of keys and values")
	}
	return nil
}

// position is the line and column of offset in data.
func position(data []byte, offset int) (int, int) {
	offset = min(max(offset-1, 0), len(data))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
}

// knownKeys maps each key a brief or a series takes, lower-cased, to its
// canonical name: like Hugo, keys are read in any case. It is made once
// and never changed.
var knownKeys = func() map[string]string {
	idx := map[string]string{}
	for _, list := range [][]string{frontKeys, seriesKeys, hugoKeys} {
		for _, k := range list {
			idx[strings.ToLower(k)] = k
		}
	}
	for k := range ignoredKeys {
		idx[strings.ToLower(k)] = k
	}
	for k, canonical := range hugoDateKeys {
		idx[k] = canonical
	}
	return idx
}()

// canonicalKey returns the canonical name of a front matter key, and
// whether it is known: one of knownKeys, or declared in opts.
func canonicalKey(k string, opts *KeyOptions) (string, bool) {
	if c, ok := knownKeys[strings.ToLower(k)]; ok {
		return c, true
	}
	if opts != nil {
		for _, list := range [][]string{opts.Params, opts.Taxonomies} {
			for _, d := range list {
				if strings.EqualFold(d, k) {
					return d, true
				}
			}
		}
	}
	return k, false
}

// parseFrontMatter decodes front matter strictly. Line numbers in errors
// are file lines. A series takes seriesKeys, a brief frontKeys; both take
// hugoKeys, and ignoredKeys with a warning.
//
// A page without a date that names a Hugo layout and has no text
// (emptyBody) is returned with Layout set and no date, for the caller to
// leave out.
func parseFrontMatter(file string, data []byte, format string, series, emptyBody bool, opts *KeyOptions) (*frontMatter, error) {
	keys := frontKeys
	if series {
		keys = seriesKeys
	}
	doc, err := decodeFront(file, data, format)
	if err != nil {
		return nil, err
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
	var params, taxonomies []string
	if opts != nil {
		params, taxonomies = opts.Params, opts.Taxonomies
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key, _ := canonicalKey(k.Value, opts)
		if seen[key] {
			at(k, "duplicate key %q", k.Value)
			continue
		}
		seen[key] = true
		fm.Pos[key] = Pos{k.Line + 1, k.Column}
		if v.Kind == yaml.ScalarNode && v.Line == k.Line && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			// Where the text of a one-line value begins, inside its quotes.
			col := v.Column
			if v.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
				col++
			}
			fm.Pos[key+"="] = Pos{v.Line + 1, col}
		}
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
		if key == "headless" || key == "build" || key == "_build" {
			if unpublished(key, v) {
				fm.Skip = fmt.Sprintf("%s says not to publish the page (Hugo does not either)", k.Value)
				continue
			}
		}
		if why, ok := ignoredKeys[key]; ok {
			fm.Warnings = append(fm.Warnings, diag.Errorf(file, k.Line+1, k.Column, "%s is one of Hugo's keys that mean nothing here, left unused: %s", k.Value, why))
			if key == "layout" || key == "type" {
				fm.Layout = scalar(v, at, key, "a layout name")
			}
			continue
		}
		switch {
		case slices.Contains(params, key):
			continue
		case slices.Contains(taxonomies, key):
			fm.addTerms(stringList(v, at, k.Value), v)
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
			fm.Date, fm.DateTime = dateTimeValue(v, at, "date")
		case "asof":
			fm.AsOf = dateValue(v, at, "asof")
		case "lastmod":
			fm.Lastmod = dateValue(v, at, k.Value)
		case "publishDate":
			fm.PublishDate = dateValue(v, at, k.Value)
		case "expiryDate":
			fm.ExpiryDate = dateValue(v, at, k.Value)
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
			tags := stringList(v, at, "tags")
			slugs := map[string]string{}
			for i, t := range tags {
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
			fm.addTerms(tags, v)
		case "categories":
			fm.addTerms(stringList(v, at, k.Value), v)
		case "tickers":
			fm.Tickers = stringList(v, at, "tickers")
			if len(fm.Tickers) > MaxTickers {
				at(v, "tickers: %d symbols; the related-tickers box shows at most %d: keep the ones the brief is about", len(fm.Tickers), MaxTickers)
			}
		case "sources":
			fm.Sources = sourceList(v, at)
		case "summary":
			fm.Summary = scalar(v, at, "summary", "a string")
		case "description":
			fm.Description = scalar(v, at, k.Value, "a string")
		case "author", "authors":
			if v.Kind != yaml.ScalarNode && v.Kind != yaml.SequenceNode {
				at(v, "%s: expected a name, or a list of names", k.Value)
				continue
			}
			for _, a := range stringOrList(v, at, k.Value) {
				if !slices.Contains(fm.Authors, a) {
					fm.Authors = append(fm.Authors, a)
				}
			}
		case "aliases":
			fm.Aliases = stringOrList(v, at, k.Value)
			for i, a := range fm.Aliases {
				if why := badAlias(a); why != "" {
					n := v
					if v.Kind == yaml.SequenceNode {
						n = v.Content[i]
					}
					at(n, "alias %s: %s", diag.Quote(a), why)
				}
			}
		case "images":
			fm.Images = stringOrList(v, at, k.Value)
		case "keywords":
			fm.Keywords = stringOrList(v, at, k.Value)
		case "weight":
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
				at(v, "%s: expected a whole number; lower weights come first among briefs of the same date", k.Value)
			} else if w, err := strconv.Atoi(v.Value); err != nil {
				at(v, "%s: expected a whole number", k.Value)
			} else {
				fm.Weight = w
			}
		case "params":
			if v.Kind != yaml.MappingNode {
				at(v, "params: expected a table of keys and values")
			}
		case "draft":
			if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
				at(v, "draft: expected true or false")
			} else {
				fm.Draft = v.Value == "true"
			}
		case "slug":
			fm.Slug = scalar(v, at, "slug", "a URL segment")
			// Like Hugo, a slug's capitals become small letters in its URL.
			if lower := strings.ToLower(fm.Slug); fm.Slug != "" && Slug(lower) != lower {
				at(v, "slug %s: expected letters, digits, - and _ only (such as %s)", diag.Quote(fm.Slug), diag.Quote(Slug(fm.Slug)))
			} else if len(fm.Slug) > MaxSlug {
				at(v, "slug is %d bytes long; at most %d fit in a URL and a file name: shorten it", len(fm.Slug), MaxSlug)
			} else {
				fm.Slug = lower
			}
		default:
			known := append(append(slices.Clone(keys), hugoKeys...), params...)
			known = append(known, taxonomies...)
			msg := fmt.Sprintf("unknown front matter key %q", k.Value)
			if near := diag.Nearest(key, known); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			} else {
				msg += "; expected one of " + strings.Join(keys, ", ") + ", or a Hugo page key (README, Front matter)" +
					"; a Hugo theme's parameter goes under params: or in site.toml's pageParams"
			}
			at(k, "%s", msg)
		}
	}
	if !seen["date"] && seen["publishDate"] && !series {
		// Hugo dates a page by its publishDate when it has no date.
		fm.Date, seen["date"] = fm.PublishDate, true
		fm.Pos["date"] = fm.Pos["publishDate"]
	}
	if fm.Layout != "" && !series && emptyBody && fm.Skip == "" {
		fm.Skip = fmt.Sprintf("a page for the Hugo layout %q, without text; the site makes its own lists, tag pages, search and archive", fm.Layout)
	}
	if fm.Skip != "" && !series {
		// Left out whole, with a warning: nothing else about it matters.
		fm.Warnings = nil
		return fm, nil
	}
	if !seen["title"] {
		errs = append(errs, diag.Errorf(file, 1, 0, "missing title in front matter"))
	}
	switch {
	case series && !seen["every"]:
		errs = append(errs, diag.Errorf(file, 1, 0, "missing every in the series' front matter: expected every: %s", strings.Join(Every, " | ")))
	case series && !seen["from"]:
		errs = append(errs, diag.Errorf(file, 1, 0, "missing from in the series' front matter: expected from: YYYY-MM-DD, the first period"))
	case !series && !seen["date"] && fm.Layout != "":
		errs = append(errs, diag.Errorf(file, 1, 0, "missing date in front matter: expected date: YYYY-MM-DD (the Hugo layout %q is not used here: a page with text is built as a brief)", fm.Layout))
	case !series && !seen["date"]:
		errs = append(errs, diag.Errorf(file, 1, 0, "missing date in front matter: expected date: YYYY-MM-DD"))
	}
	if !fm.AsOf.IsZero() && !fm.Date.IsZero() && fm.AsOf.After(fm.Date) {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if strings.EqualFold(root.Content[i].Value, "asof") {
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

// unpublished reports whether headless: true, or build's render: never
// (or false), keeps a page from being published.
func unpublished(key string, v *yaml.Node) bool {
	if key == "headless" {
		return v.Kind == yaml.ScalarNode && v.Value == "true"
	}
	if v.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if strings.EqualFold(v.Content[i].Value, "render") {
			r := strings.ToLower(v.Content[i+1].Value)
			return r == "never" || r == "false"
		}
	}
	return false
}

// addTerms adds the terms of a taxonomy to the tags, each once, recording
// where each came from.
func (fm *frontMatter) addTerms(terms []string, v *yaml.Node) {
	for i, t := range terms {
		slug := Slug(t)
		if slug == "" || len(slug) > MaxSlug || slices.ContainsFunc(fm.Tags, func(o string) bool { return Slug(o) == slug }) {
			continue
		}
		n := v
		if v.Kind == yaml.SequenceNode && i < len(v.Content) {
			n = v.Content[i]
		}
		fm.Pos[fmt.Sprintf("tags[%d]", len(fm.Tags))] = Pos{n.Line + 1, n.Column}
		fm.Tags = append(fm.Tags, t)
	}
}

// params decodes front matter into a page's params, as Hugo has them:
// every key in small letters, with the keys under params: at the top.
func params(front *yaml.Node) map[string]any {
	m := map[string]any{}
	if front == nil || front.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(front.Content); i += 2 {
		k, v := strings.ToLower(front.Content[i].Value), front.Content[i+1]
		if k == "params" && v.Kind == yaml.MappingNode {
			for key, x := range params(v) {
				m[key] = x
			}
			continue
		}
		var x any
		if err := v.Decode(&x); err != nil {
			x = v.Value
		}
		m[k] = x
	}
	return m
}

// badAlias says what is wrong with an alias path, or "".
func badAlias(a string) string {
	switch {
	case strings.HasPrefix(a, "http://"), strings.HasPrefix(a, "https://"), strings.HasPrefix(a, "//"):
		return "expected a path of this site such as /old/path/, not a URL"
	case strings.TrimSpace(a) == "" || strings.Trim(a, "/") == "":
		return "expected a path such as /old/path/, not the site's root"
	case strings.ContainsAny(a, "?#\\\"<>*|:") || strings.IndexFunc(a, unicode.IsControl) >= 0:
		return "expected a path of letters, digits, -, _, . and /"
	case slices.Contains(strings.Split(a, "/"), ".."):
		return "expected a path inside the site, without .."
	}
	return ""
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

// stringOrList reads a list of strings, or one string as a list of one.
func stringOrList(v *yaml.Node, at reporter, key string) []string {
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		if strings.TrimSpace(v.Value) == "" {
			at(v, "%s: expected a non-empty string", key)
			return nil
		}
		return []string{v.Value}
	}
	return stringList(v, at, key)
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
