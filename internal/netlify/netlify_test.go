package netlify_test

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"briefs/internal/build"
	"briefs/internal/corpus"
	"briefs/internal/netlify"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		ok            bool
		params        map[string]string
	}{
		{"/", "/", true, nil},
		{"/", "/zh/", false, nil},
		{"/*", "/", true, map[string]string{"splat": ""}},
		{"/*", "/zh/briefs/x/", true, map[string]string{"splat": "zh/briefs/x/"}},
		{"/zh/*", "/zh/", true, map[string]string{"splat": ""}},
		{"/zh/*", "/zh", true, map[string]string{"splat": ""}},
		{"/zh/*", "/en/", false, nil},
		{"/zh/*", "/zhx/", false, nil},
		{"/charts/*", "/charts/ab12.png", true, map[string]string{"splat": "ab12.png"}},
		{"/:lang/index.xml", "/zh/index.xml", true, map[string]string{"lang": "zh"}},
		{"/:lang/index.xml", "/zh/tags/x/index.xml", false, nil},
		{"/:lang/index.xml", "//index.xml", false, nil},
		{"/:lang/tags/:tag/atom.xml", "/en/tags/gold/atom.xml", true, map[string]string{"lang": "en", "tag": "gold"}},
		{"/index.html", "/index.html", true, nil},
		{"/index.html", "/zh/index.html", false, nil},
	} {
		params, ok := netlify.Match(c.pattern, c.path)
		if ok != c.ok {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.path, ok, c.ok)
			continue
		}
		for k, v := range c.params {
			if params[k] != v {
				t.Errorf("Match(%q, %q): %s = %q, want %q", c.pattern, c.path, k, params[k], v)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ toml, want string }{
		{"[build]\ncomand = \"make\"\n", "comand"},
		{"[[headers]]\nfor = \"zh/*\"\n[headers.values]\nA = \"b\"\n", `path "zh/*": expected a path starting with /`},
		{"[[headers]]\nfor = \"/*/index.xml\"\n[headers.values]\nA = \"b\"\n", "a * may only end the path"},
		{"[[headers]]\nfor = \"/*\"\n[headers.values]\nA = \"\"\"\none\ntwo\"\"\"\n", "A spans lines"},
		{"[[headers]]\nfor = \"/*\"\n", "no values"},
		{"[[redirects]]\nfrom = \"/\"\nto = \"/zh/\"\nconditions = { Lang = [\"zh\"] }\n", `unknown condition "Lang"`},
	} {
		_, err := netlify.Parse([]byte(c.toml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error saying %q", c.toml, err, c.want)
		}
	}
}

func project(t *testing.T) *netlify.Config {
	t.Helper()
	data, err := os.ReadFile("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := netlify.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The build commands use Netlify's address for the deploy and the preview
// switches, and Go is pinned to the version go.mod asks for.
func TestBuildSettings(t *testing.T) {
	c := project(t)
	if c.Build.Publish != "public" {
		t.Errorf("publish = %q, want public", c.Build.Publish)
	}
	if !strings.Contains(c.Build.Command, "make build") || !strings.Contains(c.Build.Command, "-base-url $URL") {
		t.Errorf("build command %q: want make build with -base-url $URL", c.Build.Command)
	}
	for _, ctx := range []string{"deploy-preview", "branch-deploy"} {
		cmd := c.Context[ctx].Command
		for _, want := range []string{"make build", "-base-url $DEPLOY_PRIME_URL", "-drafts", "-noindex"} {
			if !strings.Contains(cmd, want) {
				t.Errorf("context %s: command %q lacks %q", ctx, cmd, want)
			}
		}
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if goLine == nil {
		t.Fatal("go.mod has no go line")
	}
	if v := c.Build.Environment["GO_VERSION"]; v != string(goLine[1]) && !strings.HasPrefix(v, string(goLine[1])+".") {
		t.Errorf("GO_VERSION = %q, want go.mod's %s", v, goLine[1])
	}
}

// TestRulesFitTheSite builds a generated site (internal/corpus: briefs with
// figures, charts and tags, and a weekly series of its own) and matches
// every header and
// redirect rule against the paths the build really writes: every path gets
// each header from exactly one rule, only content-hashed files are cached
// forever, feeds get feed types, and no rule is dead.
func TestRulesFitTheSite(t *testing.T) {
	c := project(t)
	site := t.TempDir()
	content := fstest.MapFS{}
	dir := filepath.Join(t.TempDir(), "content")
	if err := corpus.WriteData(dir, corpus.Data{Briefs: 3, Symbols: 8, Years: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS(dir), p)
		content[p] = &fstest.MapFile{Data: data}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// Every kind of path, series issues included; a few issues are
	// enough, and drawing fewer charts keeps the test quick under -race.
	for _, lang := range []string{"zh", "en"} {
		content["series/weekly/index."+lang+".md"] = &fstest.MapFile{Data: []byte(weeklySeries)}
	}
	cfg := build.Project("../..", "", build.Folder)
	cfg.Content, cfg.ContentName = content, "content/"
	cfg.OutDir, cfg.Now = site, corpus.Last.AddDate(0, 0, 1)
	if _, err := build.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	var paths []string // URL paths, with a folder's index.html also as the folder
	err := filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		u := "/" + filepath.ToSlash(rel)
		paths = append(paths, u)
		if path.Base(u) == "index.html" {
			paths = append(paths, strings.TrimSuffix(u, "index.html"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 100 {
		t.Fatalf("only %d paths built", len(paths))
	}

	hashed := regexp.MustCompile(`^/(charts/[0-9a-f]{16,}(-phone)?(-dark)?(@[23]x)?|assets/[a-z0-9-]+\.[0-9a-f]{8,})\.[a-z0-9]+$`)
	used := map[string]bool{}
	for _, p := range paths {
		for _, rule := range c.Headers {
			if _, ok := netlify.Match(rule.For, p); ok {
				used[rule.For] = true
			}
		}
		for name, rules := range c.Duplicates(p) {
			t.Errorf("%s: %s is set by %d rules (%s); Netlify would join their values", p, name, len(rules), strings.Join(rules, ", "))
		}
		h := c.HeadersFor(p)
		for _, name := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control"} {
			if h.Get(name) == "" {
				t.Errorf("%s: no %s", p, name)
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q lacks frame-ancestors", p, h.Get("Content-Security-Policy"))
		}
		cache := h.Get("Cache-Control")
		immutable := strings.Contains(cache, "immutable")
		if immutable != hashed.MatchString(p) {
			t.Errorf("%s: Cache-Control %q; cached forever only when its name holds its content hash", p, cache)
		}
		if !immutable && cache != "public, max-age=0, must-revalidate" {
			t.Errorf("%s: Cache-Control %q, want pages and feeds revalidated", p, cache)
		}
		wantType := ""
		switch {
		case p == "/sitemap.xml":
			wantType = "application/xml; charset=utf-8"
		case path.Base(p) == "index.xml":
			wantType = "application/rss+xml; charset=utf-8"
		case path.Base(p) == "atom.xml":
			wantType = "application/atom+xml; charset=utf-8"
		}
		if got := h.Get("Content-Type"); got != wantType {
			t.Errorf("%s: Content-Type header %q, want %q", p, got, wantType)
		}
	}
	for _, rule := range c.Headers {
		if !used[rule.For] {
			t.Errorf("header rule for %s matches no built path", rule.For)
		}
	}
	// Every redirect target is a file the build wrote, and every language
	// folder has its own 404 rule.
	built := func(p string) bool { return slices.Contains(paths, p) }
	langs := map[string]bool{}
	for _, p := range paths {
		if strings.HasSuffix(p, "/404.html") && strings.Count(p, "/") == 2 {
			langs[strings.Split(p, "/")[1]] = true
		}
	}
	for _, r := range c.Redirects {
		if !built(r.To) {
			t.Errorf("redirect %s -> %s: no such page in the build", r.From, r.To)
		}
	}
	for lang := range langs {
		route, ok := c.Route(netlify.Request{Path: "/" + lang + "/no-such-page/"}, built)
		if !ok || route.Status != 404 || route.Target != "/"+lang+"/404.html" {
			t.Errorf("a missing page under /%s/ routes to %+v, want /%s/404.html with 404", lang, route, lang)
		}
		route, ok = c.Route(netlify.Request{Path: "/", AcceptLanguage: lang}, built)
		if !ok || route.Target != "/"+lang+"/" || route.Status != 302 {
			t.Errorf("/ for a reader of %s routes to %+v, want a 302 to /%s/", lang, route, lang)
		}
	}
	if len(langs) < 2 {
		t.Errorf("language 404 pages found: %v", langs)
	}
	// The CSP allows no script and no inline style: the pages have none.
	for _, p := range paths {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if m := regexp.MustCompile(`<script|\sstyle="|<style`).Find(body); m != nil {
			t.Errorf("%s has %q, which the Content-Security-Policy blocks", p, m)
		}
	}
}

// weeklySeries is a series over the generated prices, a few weeks long.
const weeklySeries = `---
title: Weekly
every: week
from: 2026-10-26
tags: [equities]
---

In the week to {{ date asof }} T001 closed at {{ close "T001" }}, {{ ret "T001" "1W" }} on the week.

` + "```chart\ntype: line\nsymbols: [T001]\nperiod: 1M\ntitle: { zh: T001, en: T001 }\n```\n"

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html": "root", "404.html": "not found", "zh/index.html": "zh home", "en/index.html": "en home",
		"zh/404.html": "zh not found", "zh/index.xml": "<rss/>", "zh/atom.xml": "<feed/>",
		"zh/briefs/a/index.html": "brief a", "charts/0123456789abcdef.png": "png",
	} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	os.WriteFile(filepath.Join(filepath.Dir(dir), "secret"), []byte("secret"), 0o644)
	srv := httptest.NewServer(project(t).Handler(dir))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		path, lang, body, ctype, cache string
		status                         int
		location                       string
	}{
		{"/", "", "root", "text/html", "max-age=0", 200, ""},
		{"/", "zh-CN,zh;q=0.9,en;q=0.8", "", "", "", 302, "/zh/"},
		{"/", "en-US,en;q=0.9", "", "", "", 302, "/en/"},
		{"/", "en-US,zh;q=0", "", "", "", 302, "/en/"},
		{"/", "fr-FR", "root", "text/html", "", 200, ""},
		{"/zh/", "en", "zh home", "text/html", "max-age=0", 200, ""},
		{"/zh/briefs/a/", "", "brief a", "text/html", "max-age=0", 200, ""},
		{"/zh/briefs/a", "", "", "", "", 301, "/zh/briefs/a/"},
		{"/zh/nope/", "", "zh not found", "text/html", "max-age=0", 404, ""},
		{"/en/nope/", "", "not found", "text/html", "max-age=0", 404, ""},
		{"/nope", "", "not found", "text/html", "", 404, ""},
		{"/zh/index.xml", "", "<rss/>", "application/rss+xml", "max-age=0", 200, ""},
		{"/zh/atom.xml", "", "<feed/>", "application/atom+xml", "max-age=0", 200, ""},
		{"/charts/0123456789abcdef.png", "", "png", "image/png", "immutable", 200, ""},
		{"/zh/../../secret", "", "", "", "", 400, ""},
		{"/zh/%2e%2e/%2e%2e/secret", "", "", "", "", 400, ""},
	} {
		req, _ := http.NewRequest("GET", srv.URL+c.path, nil)
		if c.lang != "" {
			req.Header.Set("Accept-Language", c.lang)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got := resp.StatusCode
		if got != c.status || c.body != "" && string(b) != c.body ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), c.ctype) ||
			!strings.Contains(resp.Header.Get("Cache-Control"), c.cache) ||
			resp.Header.Get("Location") != c.location {
			t.Errorf("GET %s (%s): %d %q %s %q Location %q, want %d %q %s %q Location %q", c.path, c.lang,
				got, b, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), resp.Header.Get("Location"),
				c.status, c.body, c.ctype, c.cache, c.location)
		}
		if got != 400 && resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", c.path)
		}
	}
}
