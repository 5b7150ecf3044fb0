// Package plot turns a chart block of a brief into PNG images: a small YAML
// spec, computed over the brief's as-of view of the market data, drawn
// with go-chart's renderer at 1x and 2x, and the numbers drawn as a CSV
// file to download.
//
// Every input is checked before anything is drawn, so that a bad spec or
// unusable data is an error with a position, never a hang or a panic.
package plot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"briefs/internal/diag"
	"briefs/internal/market"

	"go.yaml.in/yaml/v3"
)

// Types are the chart types.
var Types = []string{"line", "rebased", "bar", "drawdown", "volatility",
	"ratio", "area", "candlestick", "scatter", "heatmap", "multiples", "table"}

// Spec is a chart block:
//
//	type: line            # see Types
//	symbols: [RTY]        # bar, scatter, heatmap, multiples: or group: sectors
//	period: 3M            # heatmap: periods: [1W, 1M, 3M, YTD]
//	overlays: [sma20, sma50]   # line and candlestick: smaN / emaN
//	window: 20            # volatility: days per estimate (default 20)
//	title: { zh: 罗素2000, en: Russell 2000 }   # or one string
//
// and the annotations of time charts (lines, marks, bands, labels), of
// bar and scatter charts (highlight, quadrants) and the size (height,
// aspect): see annotate.go.
type Spec struct {
	Type      string      `yaml:"type"`
	Symbols   []string    `yaml:"symbols"`
	Group     string      `yaml:"group"`
	Period    string      `yaml:"period"`
	Periods   []string    `yaml:"periods"`
	Overlays  []string    `yaml:"overlays"`
	Window    int         `yaml:"window"`
	Title     Localized   `yaml:"title"`
	Lines     []LevelSpec `yaml:"lines"`
	Marks     []MarkSpec  `yaml:"marks"`
	Bands     []BandSpec  `yaml:"bands"`
	Labels    string      `yaml:"labels"`
	Highlight []string    `yaml:"highlight"`
	Quadrants bool        `yaml:"quadrants"`
	Height    int         `yaml:"height"`
	Aspect    string      `yaml:"aspect"`

	lines map[string]int   // the line of each key in the block
	items map[string][]int // the line of each item of a list
}

// Localized is a string per language, or one string for all.
type Localized map[string]string

// UnmarshalYAML accepts a string or a mapping.
func (l *Localized) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = Localized{"": n.Value}
		return nil
	}
	m := map[string]string{}
	if err := n.Decode(&m); err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: expected a string or a mapping such as { zh: ..., en: ... }", n.Line)}}
	}
	*l = m
	return nil
}

// In returns the text for lang: its own, else the text for all languages,
// else "".
func (l Localized) In(lang string) string {
	if s, ok := l[lang]; ok {
		return s
	}
	return l[""]
}

// SpecError is a problem in a spec at a line of the block (1 = its first
// line inside the fence).
type SpecError struct {
	At  int
	Msg string
	Err error // the cause, if any
}

func (e *SpecError) Error() string { return e.Msg }

func (e *SpecError) Unwrap() error { return e.Err }

// Line is the line of the block the problem is on.
func (e *SpecError) Line() int { return e.At }

var overlayRe = regexp.MustCompile(`^(sma|ema)([1-9][0-9]{0,2})$`)

// Limits of what stays readable.
const (
	MaxLines   = 8    // series of a time chart
	MaxBars    = 40   // bars of a bar chart: one a row
	MaxPoints  = 40   // points of a scatter chart
	MaxRows    = 30   // rows of a heatmap
	MaxPeriods = 8    // columns of a heatmap
	MaxPanels  = 16   // small multiples
	MaxNotes   = 12   // lines, marks or bands of a chart
	MaxTable   = 1000 // rows of a ranking's CSV
)

// typeKeys are the keys each type takes beside type, period and title.
var typeKeys = map[string][]string{
	"line":        {"symbols", "overlays", "lines", "marks", "bands", "labels", "height", "aspect"},
	"area":        {"symbols", "lines", "marks", "bands", "labels", "height", "aspect"},
	"rebased":     {"symbols", "lines", "marks", "bands", "labels", "height", "aspect"},
	"ratio":       {"symbols", "lines", "marks", "bands", "labels", "height", "aspect"},
	"drawdown":    {"symbols", "lines", "marks", "bands", "labels", "height", "aspect"},
	"volatility":  {"symbols", "window", "lines", "marks", "bands", "labels", "height", "aspect"},
	"candlestick": {"symbols", "overlays", "lines", "marks", "bands", "labels", "height", "aspect"},
	"bar":         {"symbols", "group", "highlight"},
	"scatter":     {"symbols", "group", "highlight", "quadrants", "height", "aspect"},
	"heatmap":     {"symbols", "group", "periods"},
	"multiples":   {"symbols", "group", "marks", "bands"},
	"table":       {"symbols", "group"},
}

// Keys are the keys of a chart block.
var Keys = []string{"type", "symbols", "group", "period", "periods", "overlays", "window", "title",
	"lines", "marks", "bands", "labels", "highlight", "quadrants", "height", "aspect"}

// Labels are the ways a time chart labels its lines: the last value at
// the right edge (the default), the name there instead of a legend, both,
// or neither.
var Labels = []string{"last", "name", "both", "none"}

// ParseSpec reads and checks a chart block. Unknown keys, a missing or
// unknown type, and fields that do not fit the type are errors.
func ParseSpec(src []byte) (*Spec, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	var s Spec
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, &SpecError{At: 1, Msg: "chart: expected a mapping with at least type:, symbols: and period:"}
	}
	dec = yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, yamlError(err)
	}
	s.lines = map[string]int{}
	s.items = map[string][]int{}
	for doc, i := root.Content[0], 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		s.lines[key.Value] = key.Line
		if val.Kind == yaml.SequenceNode {
			for _, item := range val.Content {
				s.items[key.Value] = append(s.items[key.Value], item.Line)
			}
		}
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return &s, nil
}

// line returns the line of key in the block, or 1 for its first line.
func (s *Spec) line(key string) int {
	if n, ok := s.lines[key]; ok {
		return n
	}
	return 1
}

// itemLine returns the line of item i of the list key.
func (s *Spec) itemLine(key string, i int) int {
	if ls := s.items[key]; i < len(ls) {
		return ls[i]
	}
	return s.line(key)
}

// fail is an error at the line of key.
func (s *Spec) fail(key, format string, args ...any) error {
	return &SpecError{At: s.line(key), Msg: fmt.Sprintf(format, args...)}
}

// failItem is an error at the line of item i of the list key.
func (s *Spec) failItem(key string, i int, format string, args ...any) error {
	return &SpecError{At: s.itemLine(key, i), Msg: fmt.Sprintf(format, args...)}
}

// groupTypes take group: as well as symbols:.
var groupTypes = []string{"bar", "scatter", "heatmap", "multiples", "table"}

func (s *Spec) check() error {
	switch {
	case s.Type == "":
		return s.fail("", "chart: missing type: expected one of %s", strings.Join(Types, ", "))
	case !slices.Contains(Types, s.Type):
		if near := diag.Nearest(s.Type, Types); near != "" {
			return s.fail("type", "chart: unknown type %q (did you mean %q?)", s.Type, near)
		}
		return s.fail("type", "chart: unknown type %q: expected one of %s", s.Type, strings.Join(Types, ", "))
	}
	// Keys that are not for this type, in the order written.
	for _, key := range Keys {
		if _, ok := s.lines[key]; !ok || key == "type" || key == "title" || key == "period" || slices.Contains(typeKeys[s.Type], key) {
			continue
		}
		var takers []string
		for _, t := range Types {
			if slices.Contains(typeKeys[t], key) {
				takers = append(takers, t)
			}
		}
		msg := fmt.Sprintf("%s chart: %s: is for %s charts", s.Type, key, strings.Join(takers, ", "))
		switch key {
		case "group":
			msg += "; list symbols: instead"
		case "height", "aspect":
			msg += fmt.Sprintf("; a %s chart's height follows from its rows", s.Type)
		}
		return s.fail(key, "%s", msg)
	}
	if s.Type == "heatmap" {
		if _, ok := s.lines["period"]; ok {
			return s.fail("period", "heatmap chart: period: is one column; list the columns as periods: [1W, 1M, 3M, YTD]")
		}
		if len(s.Periods) == 0 {
			return s.fail("", "heatmap chart: missing periods: such as [1W, 1M, 3M, YTD], one column each")
		}
		if len(s.Periods) > MaxPeriods {
			return s.fail("periods", "heatmap chart: %d periods; at most %d columns stay readable", len(s.Periods), MaxPeriods)
		}
		for i, p := range s.Periods {
			if _, err := market.ParsePeriod(p); err != nil {
				return s.failItem("periods", i, "chart: %v", err)
			}
			if slices.Index(s.Periods, p) != i {
				return s.failItem("periods", i, "heatmap chart: period %s is listed twice", p)
			}
		}
	} else {
		if s.Period == "" {
			return s.fail("", "chart: missing period: such as 3M, 1Y, YTD")
		}
		if _, err := market.ParsePeriod(s.Period); err != nil {
			return s.fail("period", "chart: %v", err)
		}
	}
	if err := s.checkMembers(); err != nil {
		return err
	}
	if len(s.Overlays) > 0 {
		if len(s.Symbols) != 1 {
			return s.fail("overlays", "%s chart: overlays need exactly one symbol, not %d", s.Type, len(s.Symbols))
		}
		for _, o := range s.Overlays {
			if !overlayRe.MatchString(o) {
				return s.fail("overlays", "chart: overlay %q: expected smaN or emaN, such as sma20", o)
			}
		}
		if len(s.Overlays)+1 > MaxLines {
			return s.fail("overlays", "%s chart: %d overlays; at most %d lines stay readable", s.Type, len(s.Overlays), MaxLines-1)
		}
	}
	if s.Type == "volatility" && s.Window == 0 {
		s.Window = 20
	}
	if s.Window < 0 || s.Window == 1 || s.Window > 252 {
		return s.fail("window", "volatility chart: window %d: expected 2 to 252 days", s.Window)
	}
	if s.Labels != "" && !slices.Contains(Labels, s.Labels) {
		msg := fmt.Sprintf("chart: labels: %q: expected one of %s", s.Labels, strings.Join(Labels, ", "))
		if near := diag.Nearest(s.Labels, Labels); near != "" {
			msg = fmt.Sprintf("chart: labels: %q: expected one of %s (did you mean %q?)", s.Labels, strings.Join(Labels, ", "), near)
		}
		return s.fail("labels", "%s", msg)
	}
	if err := s.checkSize(); err != nil {
		return err
	}
	return s.checkNotes()
}

// checkMembers checks symbols:, group: and highlight: for the type.
func (s *Spec) checkMembers() error {
	grouped := slices.Contains(groupTypes, s.Type)
	switch {
	case grouped && s.Group == "" && len(s.Symbols) == 0:
		return s.fail("", "%s chart: expected group: (such as sectors) or symbols:", s.Type)
	case !grouped && len(s.Symbols) == 0:
		return s.fail("", "%s chart: missing symbols:", s.Type)
	}
	for i, sym := range s.Symbols {
		if slices.Index(s.Symbols, sym) != i {
			return s.failItem("symbols", i, "chart: symbol %s is listed twice", sym)
		}
	}
	limit, what := MaxLines, "lines"
	switch s.Type {
	case "bar":
		limit, what = MaxBars, "bars"
	case "scatter":
		limit, what = MaxPoints, "points"
	case "heatmap":
		limit, what = MaxRows, "rows"
	case "multiples":
		limit, what = MaxPanels, "panels"
	case "table":
		limit, what = MaxTable, "rows"
	}
	if len(s.Symbols) > limit {
		return s.fail("symbols", "%s chart: %d symbols; at most %d %s stay readable", s.Type, len(s.Symbols), limit, what)
	}
	switch s.Type {
	case "ratio":
		if len(s.Symbols) != 2 {
			return s.fail("symbols", "ratio chart: expected two symbols, [A, B], for A relative to B; got %d", len(s.Symbols))
		}
	case "area", "candlestick":
		if len(s.Symbols) != 1 {
			return s.fail("symbols", "%s chart: expected one symbol; got %d (a rebased chart compares several)", s.Type, len(s.Symbols))
		}
	}
	for i, h := range s.Highlight {
		if len(s.Symbols) > 0 && !slices.Contains(s.Symbols, h) {
			msg := fmt.Sprintf("%s chart: highlight %s is not one of the symbols", s.Type, h)
			if near := diag.Nearest(h, s.Symbols); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			return s.failItem("highlight", i, "%s", msg)
		}
	}
	return nil
}

// Sizes a chart may be given, as its desktop height in CSS px.
const (
	MinHeight = 240
	MaxHeight = 720
)

// checkSize checks height: and aspect:.
func (s *Spec) checkSize() error {
	_, hasH := s.lines["height"]
	_, hasA := s.lines["aspect"]
	switch {
	case hasH && hasA:
		return s.fail("aspect", "chart: height: and aspect: both set the height; give one of them")
	case hasH && (s.Height < MinHeight || s.Height > MaxHeight):
		return s.fail("height", "chart: height %d: expected %d to %d (CSS px of the 720 px wide desktop image)", s.Height, MinHeight, MaxHeight)
	case hasA:
		w, h, ok := parseAspect(s.Aspect)
		if !ok {
			return s.fail("aspect", "chart: aspect %s: expected WIDTH:HEIGHT such as 16:9 or 2:1", diag.Quote(s.Aspect))
		}
		if r := w / h; r < 1 || r > 3 {
			return s.fail("aspect", "chart: aspect %s: expected a ratio from 1:1 to 3:1", s.Aspect)
		}
	}
	return nil
}

// parseAspect reads "16:9".
func parseAspect(a string) (w, h float64, ok bool) {
	ws, hs, found := strings.Cut(a, ":")
	if !found {
		return 0, 0, false
	}
	w, err1 := strconv.ParseFloat(strings.TrimSpace(ws), 64)
	h, err2 := strconv.ParseFloat(strings.TrimSpace(hs), 64)
	if err1 != nil || err2 != nil || !(w > 0) || !(h > 0) || w > 100 || h > 100 {
		return 0, 0, false
	}
	return w, h, true
}

// height is the desktop height the spec asks for, or 0 for the default.
func (s *Spec) height() float64 {
	if s.Height > 0 {
		return float64(s.Height)
	}
	if w, h, ok := parseAspect(s.Aspect); ok {
		return designs[Desktop].width * h / w
	}
	return 0
}

// keyError is a problem with the data that one key of the spec asks for.
type keyError struct {
	key string
	err error
}

func (e *keyError) Error() string { return e.err.Error() }
func (e *keyError) Unwrap() error { return e.err }

// blame places an error of Prepare at the key of the block it is about:
// an unknown symbol at symbols:, an unknown group at group:, a period the
// data does not reach at period:, an average or volatility window it does
// not reach at overlays: or window: (period: if the window is the default).
func (s *Spec) blame(err error) error {
	key := ""
	var k *keyError
	var u *market.UnknownSymbolError
	var placed *SpecError
	switch {
	case errors.As(err, &placed):
		return err // at its line already, worded for the block
	case errors.As(err, &k):
		key = k.key
	case errors.As(err, &u) && u.Group:
		key = "group"
	case errors.As(err, &u):
		key = "symbols"
	default:
		if _, ok := market.Unavailable(err); ok {
			key = "period"
		}
	}
	if key == "period" && s.Type == "heatmap" {
		key = "periods"
	}
	if _, ok := s.lines[key]; !ok && key != "" {
		key = "period"
	}
	return &SpecError{At: s.line(key), Msg: "chart: " + err.Error(), Err: err}
}

var (
	yamlLineRe   = regexp.MustCompile(`line (\d+): (.*)`)
	unknownKeyRe = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
)

// yamlError turns a yaml error into a SpecError at its line.
func yamlError(err error) error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		if k := unknownKeyRe.FindStringSubmatch(m[2]); k != nil {
			keys, where := Keys, ""
			switch k[2] {
			case "plot.levelFields":
				keys, where = []string{"at", "label"}, " in lines"
			case "plot.markFields":
				keys, where = []string{"date", "label"}, " in marks"
			case "plot.bandFields":
				keys, where = []string{"from", "to", "symbol", "above", "below", "label"}, " in bands"
			}
			if near := diag.Nearest(k[1], keys); near != "" {
				return &SpecError{At: n, Msg: fmt.Sprintf("chart: unknown key %q%s (did you mean %q?)", k[1], where, near)}
			}
			return &SpecError{At: n, Msg: fmt.Sprintf("chart: unknown key %q%s: expected %s", k[1], where, strings.Join(keys, ", "))}
		}
		return &SpecError{At: n, Msg: "chart: " + m[2]}
	}
	return &SpecError{At: 1, Msg: "chart: " + msg}
}

// overlay reads "sma20" as ("sma", 20).
func overlay(o string) (string, int) {
	m := overlayRe.FindStringSubmatch(o)
	n, _ := strconv.Atoi(m[2])
	return m[1], n
}
