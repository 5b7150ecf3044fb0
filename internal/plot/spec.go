// Package plot turns a chart block of a brief into PNG images: a small YAML
// spec, computed over the brief's as-of view of the market data, drawn
// with go-chart's renderer at 1x and 2x.
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
var Types = []string{"line", "rebased", "bar", "drawdown", "volatility"}

// Spec is a chart block:
//
//	type: line            # line | rebased | bar | drawdown | volatility
//	symbols: [RTY]        # bar: group: sectors
//	period: 3M
//	overlays: [sma20, sma50]   # line only: smaN / emaN
//	window: 20            # volatility: days per estimate (default 20)
//	title: { zh: 罗素2000, en: Russell 2000 }   # or one string
type Spec struct {
	Type     string    `yaml:"type"`
	Symbols  []string  `yaml:"symbols"`
	Group    string    `yaml:"group"`
	Period   string    `yaml:"period"`
	Overlays []string  `yaml:"overlays"`
	Window   int       `yaml:"window"`
	Title    Localized `yaml:"title"`

	lines map[string]int // the line of each key in the block
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
		return errors.New("title: expected a string or a mapping such as { zh: ..., en: ... }")
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
	for doc, i := root.Content[0], 0; i+1 < len(doc.Content); i += 2 {
		s.lines[doc.Content[i].Value] = doc.Content[i].Line
	}
	fail := func(key, format string, args ...any) (*Spec, error) {
		return nil, &SpecError{At: s.line(key), Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case s.Type == "":
		return fail("", "chart: missing type: expected one of %s", strings.Join(Types, ", "))
	case !slices.Contains(Types, s.Type):
		if near := diag.Nearest(s.Type, Types); near != "" {
			return fail("type", "chart: unknown type %q (did you mean %q?)", s.Type, near)
		}
		return fail("type", "chart: unknown type %q: expected one of %s", s.Type, strings.Join(Types, ", "))
	case s.Period == "":
		return fail("", "chart: missing period: such as 3M, 1Y, YTD")
	}
	if _, err := market.ParsePeriod(s.Period); err != nil {
		return fail("period", "chart: %v", err)
	}
	if s.Type == "bar" {
		if s.Group == "" && len(s.Symbols) == 0 {
			return fail("", "bar chart: expected group: (ranked by return) or symbols:")
		}
	} else {
		if s.Group != "" {
			return fail("group", "%s chart: group: is for bar charts; list symbols: instead", s.Type)
		}
		if len(s.Symbols) == 0 {
			return fail("", "%s chart: missing symbols:", s.Type)
		}
	}
	if len(s.Symbols) > 8 {
		return fail("symbols", "chart: %d symbols; at most 8 stay readable", len(s.Symbols))
	}
	if len(s.Overlays) > 0 {
		if s.Type != "line" {
			return fail("overlays", "%s chart: overlays: are for line charts", s.Type)
		}
		if len(s.Symbols) != 1 {
			return fail("overlays", "line chart: overlays need exactly one symbol, not %d", len(s.Symbols))
		}
		for _, o := range s.Overlays {
			if !overlayRe.MatchString(o) {
				return fail("overlays", "chart: overlay %q: expected smaN or emaN, such as sma20", o)
			}
		}
	}
	if s.Window != 0 && s.Type != "volatility" {
		return fail("window", "%s chart: window: is for volatility charts", s.Type)
	}
	if s.Type == "volatility" && s.Window == 0 {
		s.Window = 20
	}
	if s.Window < 0 || s.Window == 1 || s.Window > 252 {
		return fail("window", "volatility chart: window %d: expected 2 to 252 days", s.Window)
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
	switch {
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
	if _, ok := s.lines[key]; !ok && key != "" {
		key = "period"
	}
	return &SpecError{At: s.line(key), Msg: "chart: " + err.Error(), Err: err}
}

var (
	yamlLineRe   = regexp.MustCompile(`line (\d+): (.*)`)
	unknownKeyRe = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// Keys are the keys of a chart block.
var Keys = []string{"type", "symbols", "group", "period", "overlays", "window", "title"}

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
			if near := diag.Nearest(k[1], Keys); near != "" {
				return &SpecError{At: n, Msg: fmt.Sprintf("chart: unknown key %q (did you mean %q?)", k[1], near)}
			}
			return &SpecError{At: n, Msg: fmt.Sprintf("chart: unknown key %q: expected %s", k[1], strings.Join(Keys, ", "))}
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
