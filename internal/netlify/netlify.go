// Package netlify reads netlify.toml and applies its headers and redirects
// to requests the way Netlify's edge does, so that a local server can serve
// a built site exactly as it will be served in production, and a test can
// match the rules against the paths a build really writes.
//
// Path patterns follow Netlify's: literal segments, ":name" placeholders
// that match one segment, and a final "*" splat that matches the rest of the
// path, slashes included, or nothing.
package netlify

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Config is the part of netlify.toml that a build and a server act on.
type Config struct {
	Build     Build              `toml:"build"`
	Context   map[string]Context `toml:"context"`
	Headers   []Header           `toml:"headers"`
	Redirects []Redirect         `toml:"redirects"`
}

// Build is the [build] table.
type Build struct {
	Command     string            `toml:"command"`
	Publish     string            `toml:"publish"`
	Environment map[string]string `toml:"environment"`
}

// Context is one [context.<name>] table: settings for production,
// deploy-preview or branch-deploy builds.
type Context struct {
	Command     string            `toml:"command"`
	Environment map[string]string `toml:"environment"`
}

// Header is one [[headers]] rule: values sent for every path that matches
// For.
type Header struct {
	For    string            `toml:"for"`
	Values map[string]string `toml:"values"`
}

// Redirect is one [[redirects]] rule.
type Redirect struct {
	From       string              `toml:"from"`
	To         string              `toml:"to"`
	Status     int                 `toml:"status"`
	Force      bool                `toml:"force"`
	Conditions map[string][]string `toml:"conditions"`
}

// Parse reads netlify.toml. Unknown keys are errors, so a misspelt key is
// not silently ignored; every pattern is checked.
func Parse(data []byte) (*Config, error) {
	var c Config
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			return nil, fmt.Errorf("netlify.toml: %s", strict.String())
		}
		return nil, fmt.Errorf("netlify.toml: %w", err)
	}
	var errs []error
	for i, h := range c.Headers {
		if err := checkPattern(h.For); err != nil {
			errs = append(errs, fmt.Errorf("netlify.toml: headers #%d: %w", i+1, err))
		}
		for k, v := range h.Values {
			if strings.ContainsAny(v, "\r\n") {
				errs = append(errs, fmt.Errorf("netlify.toml: headers #%d (%s): %s spans lines; end each line with \\ to join them", i+1, h.For, k))
			}
		}
		if len(h.Values) == 0 {
			errs = append(errs, fmt.Errorf("netlify.toml: headers #%d (%s): no values", i+1, h.For))
		}
	}
	for i := range c.Redirects {
		r := &c.Redirects[i]
		if err := checkPattern(r.From); err != nil {
			errs = append(errs, fmt.Errorf("netlify.toml: redirects #%d: %w", i+1, err))
		}
		if r.Status == 0 {
			r.Status = http.StatusMovedPermanently // Netlify's default
		}
		for k := range r.Conditions {
			if k != "Language" && k != "Country" && k != "Role" && k != "Cookie" {
				errs = append(errs, fmt.Errorf("netlify.toml: redirects #%d: unknown condition %q", i+1, k))
			}
		}
	}
	return &c, errors.Join(errs...)
}

func checkPattern(p string) error {
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("path %q: expected a path starting with /", p)
	}
	if i := strings.Index(p, "*"); i >= 0 && i != len(p)-1 {
		return fmt.Errorf("path %q: a * may only end the path", p)
	}
	return nil
}

// Match reports whether the request path p matches pattern, and returns the
// values of its placeholders and splat ("splat" for "*").
func Match(pattern, p string) (map[string]string, bool) {
	params := map[string]string{}
	pat := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	seg := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, ps := range pat {
		if ps == "*" && i == len(pat)-1 {
			params["splat"] = strings.Join(seg[min(i, len(seg)):], "/")
			return params, true
		}
		if i >= len(seg) {
			return nil, false
		}
		switch {
		case strings.HasPrefix(ps, ":"):
			if seg[i] == "" {
				return nil, false
			}
			params[ps[1:]] = seg[i]
		case ps != seg[i]:
			return nil, false
		}
	}
	if len(seg) != len(pat) {
		return nil, false
	}
	return params, true
}

// HeadersFor returns the headers sent for path p: the values of every rule
// that matches, in file order. When two rules set the same header, Netlify
// sends both values joined by a comma; so does this.
func (c *Config) HeadersFor(p string) http.Header {
	h := http.Header{}
	for _, rule := range c.Headers {
		if _, ok := Match(rule.For, p); !ok {
			continue
		}
		for _, k := range sortedKeys(rule.Values) {
			v := rule.Values[k]
			if old := h.Get(k); old != "" {
				v = old + ", " + v
			}
			h.Set(k, v)
		}
	}
	return h
}

// Duplicates lists, for path p, the header names set by more than one
// matching rule, with the patterns that set them. An empty result means
// every header p gets has exactly one source.
func (c *Config) Duplicates(p string) map[string][]string {
	by := map[string][]string{}
	for _, rule := range c.Headers {
		if _, ok := Match(rule.For, p); !ok {
			continue
		}
		for k := range rule.Values {
			k = http.CanonicalHeaderKey(k)
			by[k] = append(by[k], rule.For)
		}
	}
	for k, v := range by {
		if len(v) < 2 {
			delete(by, k)
		}
	}
	return by
}

// Request is what a redirect rule's conditions look at.
type Request struct {
	Path           string
	AcceptLanguage string
}

// Route is the outcome of the redirect rules for one request.
type Route struct {
	Rule   *Redirect
	Status int    // 301, 302: send Location; 200, 404: serve Target's file with this status
	Target string // the rule's To with placeholders and :splat filled in
}

// Route applies the redirect rules to r: the first rule that matches wins.
// A rule without force applies only when no file answers the path (exists
// reports whether one does). ok is false when no rule applies.
func (c *Config) Route(r Request, exists func(path string) bool) (Route, bool) {
	for i := range c.Redirects {
		rule := &c.Redirects[i]
		params, ok := Match(rule.From, r.Path)
		if !ok || !rule.conditionsHold(r) {
			continue
		}
		if !rule.Force && exists(r.Path) {
			continue
		}
		to := rule.To
		for k, v := range params {
			to = strings.ReplaceAll(to, ":"+k, v)
		}
		return Route{Rule: rule, Status: rule.Status, Target: to}, true
	}
	return Route{}, false
}

// conditionsHold reports whether the request meets the rule's conditions.
// Only Language is evaluated: a rule for "en" holds when any language the
// request accepts (with a non-zero q) has the primary subtag "en", so the
// order of rules decides between languages a reader accepts.
func (rule *Redirect) conditionsHold(r Request) bool {
	for k, want := range rule.Conditions {
		if k != "Language" {
			return false // Country, Role, Cookie: not known locally
		}
		if !slices.ContainsFunc(acceptedLanguages(r.AcceptLanguage), func(l string) bool {
			return slices.Contains(want, l)
		}) {
			return false
		}
	}
	return true
}

// acceptedLanguages lists the primary subtags of an Accept-Language header,
// in the header's order, leaving out those with q=0.
func acceptedLanguages(h string) []string {
	var out []string
	for part := range strings.SplitSeq(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				continue
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if primary != "" && primary != "*" {
			out = append(out, primary)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
