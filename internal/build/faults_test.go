package build

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// projectTemplates copies the project's templates into a MapFS that a case
// can change.
func projectTemplates(t *testing.T) fstest.MapFS {
	t.Helper()
	tmpl := fstest.MapFS{}
	root := os.DirFS("../../templates")
	if err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(root, p)
		tmpl[p] = &fstest.MapFile{Data: data}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return tmpl
}

// bigGroup is a data folder whose group "all" has n members.
func bigGroup(n int) fstest.MapFS {
	fsys := marketData()
	var b strings.Builder
	b.WriteString(string(fsys["tickers.toml"].Data))
	b.WriteString("[groups.many]\nname = { zh = \"很多\", en = \"Many\" }\nmembers = [")
	for i := range n {
		sym := fmt.Sprintf("S%04d", i)
		fmt.Fprintf(&b, "%q, ", sym)
		fsys[sym+".csv"] = fsys["rty.csv"]
	}
	b.WriteString("]\n")
	for i := range n {
		sym := fmt.Sprintf("S%04d", i)
		fmt.Fprintf(&b, "[symbols.%s]\nfile = %q\nname = { zh = %q, en = %q }\nkind = \"etf\"\n", sym, sym+".csv", sym, sym)
	}
	fsys["tickers.toml"] = &fstest.MapFile{Data: []byte(b.String())}
	return fsys
}

// Each bad input fails the build with a message naming where it is, in
// bounded time and memory, and leaves the site already published as it
// was, with nothing beside it.
func TestFaultsKeepTheSite(t *testing.T) {
	t.Parallel()
	brief := func(body string) string {
		return "---\ntitle: x\ndate: 2026-02-10\nasof: 2026-02-09\n---\n" + body + "\n"
	}
	chart := func(spec string) string { return brief("```chart\n" + spec + "\n```") }
	cases := []struct {
		name      string
		brief     string             // replaces briefs/older/index.zh.md
		templates func(fstest.MapFS) // changes the templates
		content   func(fstest.MapFS) // changes the content
		data      fstest.MapFS       // the market data, if any
		want      string
	}{
		{name: "empty baseof", templates: func(f fstest.MapFS) { f["baseof.html"] = &fstest.MapFile{} },
			want: `templates/brief.html: the brief layout made an empty page (templates/baseof.html defines no "baseof" template)`},
		{name: "deleted baseof", templates: func(f fstest.MapFS) { delete(f, "baseof.html") },
			want: `templates/brief.html: the brief layout made an empty page`},
		{name: "baseof without its define", templates: func(f fstest.MapFS) {
			f["baseof.html"] = &fstest.MapFile{Data: []byte(strings.Replace(string(f["baseof.html"].Data), `{{- define "baseof" -}}`, `{{- define "base" -}}`, 1))}
		}, want: `defines no "baseof" template`},
		{name: "layout without html", templates: func(f fstest.MapFS) {
			f["baseof.html"] = &fstest.MapFile{Data: []byte(`{{ define "baseof" }}<p>{{ .Title }}</p>{{ end }}`)}
		}, want: `templates/baseof.html: the brief layout made a page without an <html> element`},
		{name: "range over a billion", brief: brief("{{ range 1000000000 }}x{{ end }}"),
			want: `content/briefs/older/index.zh.md:6:10: {{ range 1000000000 }} would run 1000000000 times or more`},
		{name: "output over the cap", brief: brief("{{ range 60000 }}0123456789{{ end }}"),
			want: `content/briefs/older/index.zh.md:6: the body's template made more than 512 KiB of Markdown`},
		{name: "printf with a huge width", brief: brief(`{{ printf "%999999999d" 1 }}`),
			want: `printf "%999999999d": widths of 999999999 characters; a call may make at most 64 KiB`},
		{name: "unclosed links, 400 KB", brief: brief(strings.Repeat("[a](", 100_000)),
			want: `content/briefs/older/index.zh.md:6: the body is 390 KiB; a brief's body is limited to 256 KiB`},
		{name: "unclosed links on a long line", brief: brief(strings.Repeat("[a](", 5000)),
			want: `content/briefs/older/index.zh.md:6: this line is 19 KiB; lines are limited to 16 KiB`},
		{name: "bar chart of 3,000 members", brief: chart("type: bar\ngroup: many\nperiod: 1D"), data: bigGroup(3000),
			want: `bar chart: 3000 bars; at most 40 stay readable`},
		{name: "an update killed while it renamed", data: func() fstest.MapFS {
			f := marketData()
			f[".briefs-update.journal"] = &fstest.MapFile{Data: []byte("{}")}
			return f
		}(), want: `data/.briefs-update.journal: an update of the market data was interrupted while it replaced its files`},
		{name: "missing data folder", content: func(f fstest.MapFS) {
			f["site.toml"] = &fstest.MapFile{Data: []byte("dataDir = \"prices\"\n" + string(f["site.toml"].Data))}
		}, want: `content/site.toml:1: dataDir "prices": there is no folder content/prices/`},
		{name: "data folder outside", content: func(f fstest.MapFS) {
			f["site.toml"] = &fstest.MapFile{Data: []byte("dataDir = \"../../etc\"\n" + string(f["site.toml"].Data))}
		}, want: `content/site.toml:1: dataDir "../../etc": expected a folder inside content/`},
		{name: "folder name too long for a URL", content: func(f fstest.MapFS) {
			f["briefs/"+strings.Repeat("a", 200)+"/index.zh.md"] = &fstest.MapFile{Data: []byte(brief("text"))}
		}, want: `/index.zh.md: the folder name makes a URL segment of 200 bytes; at most 120`},
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	cfg := config(fixture(t, "site"))
	cfg.OutDir = out
	mustRun(t, cfg)
	before := readTree(t, out)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			content, tmpl := fixture(t, "site"), projectTemplates(t)
			if tc.brief != "" {
				content["briefs/older/index.zh.md"] = &fstest.MapFile{Data: []byte(tc.brief)}
			}
			if tc.content != nil {
				tc.content(content)
			}
			if tc.templates != nil {
				tc.templates(tmpl)
			}
			cfg := config(content)
			cfg.Templates, cfg.OutDir = tmpl, out
			if tc.data != nil {
				cfg.Data, cfg.DataName = tc.data, "data/"
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err := Run(ctx, cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %.600v\nwant an error holding %s", err, tc.want)
			}
			if len(err.Error()) > 4000 {
				t.Errorf("the report is %d bytes long", len(err.Error()))
			}
			if after := readTree(t, out); !maps.Equal(before, after) {
				t.Errorf("a failed build changed the published site")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("leftovers beside the output: %v", entries)
			}
		})
	}
}
