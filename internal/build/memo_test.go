package build

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// dirFS copies a folder into memory, so a test can edit it.
func dirFS(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func edit(t *testing.T, m fstest.MapFS, name, old, new string) {
	t.Helper()
	f, ok := m[name]
	if !ok {
		t.Fatalf("no file %s", name)
	}
	s := string(f.Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	m[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

// TestMemoMatchesFullBuild edits the data corpus step by step and
// requires, after each edit, that a build over the memo of the previous
// ones makes exactly the files of a build from scratch, and that it
// redoes no more than the edit touches.
func TestMemoMatchesFullBuild(t *testing.T) {
	t.Parallel()
	// Briefs only: a series' issues go through the same memo, and
	// TestSeries checks them a week at a time.
	content, templates, assets := dataSite(t), dirFS(t, "../../templates"), dirFS(t, "../../assets")
	// The charts are those of TestCharts and TestPointInTime: drawn once.
	cfg := Config{
		Content: content, Templates: templates, Assets: assets,
		ContentName: "content/", TemplatesName: "templates/", AssetsName: "assets/",
		CacheDir: sharedCache, Drafts: true, Future: true, Now: dataNow,
	}
	memoCfg := cfg
	memoCfg.Memo = &Memo{}
	first := mustRun(t, memoCfg)
	if first.Stats.PreparedReused != 0 || first.Stats.RenderedReused != 0 {
		t.Fatalf("first build reused work: %+v", first.Stats)
	}
	rotation := "briefs/" + bundles(content)[0] + "/index.en.md"
	steps := []struct {
		name   string
		change func()
		// at most this many briefs prepared and pages rendered
		prepared, rendered int
	}{
		{"nothing", func() {}, 0, 0},
		{"one brief's body", func() {
			edit(t, content, rotation, "## Figures", "## Figures, revised")
		}, 1, 40},
		{"one brief's title", func() {
			edit(t, content, rotation, `title: "`, `title: "Revised `)
		}, 1, 40},
		{"one brief's tags", func() {
			edit(t, content, rotation, "tags: [", "tags: [new_tag, ")
		}, 1, 40},
		{"a new brief", func() {
			content["briefs/2026-11-18-new/index.en.md"] = &fstest.MapFile{Data: []byte("---\ntitle: New\ndate: 2026-11-18\ntags: [rates]\n---\n\nT001 closed at {{ close \"T001\" }}.\n")}
		}, 1, 1000},
		{"a bundle image", func() {
			content["briefs/2026-11-18-new/pic.png"] = &fstest.MapFile{Data: []byte("not really a png")}
		}, 0, 0},
		{"a brief removed", func() {
			delete(content, "briefs/2026-11-18-new/index.en.md")
			delete(content, "briefs/2026-11-18-new/pic.png")
		}, 0, 1000},
		{"a layout", func() {
			edit(t, templates, "list.html", `<div class="wrap list">`, `<div class="wrap list" data-x="1">`)
		}, 0, 1000},
		{"a UI string", func() {
			edit(t, templates, "i18n/en.toml", `skipToContent = "Skip to content"`, `skipToContent = "Skip to the content"`)
		}, 100, 1000},
		{"the stylesheet", func() {
			edit(t, assets, "css/site.css", ".pager {", ".pager {\n  color: inherit;")
		}, 0, 1000},
		{"site.toml", func() {
			edit(t, content, "site.toml", "paginate = 10", "paginate = 2")
		}, 100, 1000},
		{"labels.toml", func() {
			edit(t, content, "labels.toml", `sector_rotation = { zh = "板块轮动", en = "Sector rotation" }`, `sector_rotation = { zh = "行业轮动", en = "Rotation" }`)
		}, 100, 1000},
		{"a price after every as-of date", func() {
			edit(t, content, "data/prices/T001.csv", "2026-11-20,", "2026-11-20,1")
		}, 4, 1000},
		{"a price before the as-of dates", func() {
			edit(t, content, "data/prices/T001.csv", "2025-06-02,", "2025-06-02,1")
		}, 100, 1000},
	}
	for _, s := range steps {
		s.change()
		full, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatalf("%s: full build: %v", s.name, err)
		}
		inc, err := Run(context.Background(), memoCfg)
		if err != nil {
			t.Fatalf("%s: memo build: %v", s.name, err)
		}
		sameSite(t, s.name, full.Files, inc.Files)
		if inc.Stats.Prepared > s.prepared || inc.Stats.Rendered > s.rendered {
			t.Errorf("%s: prepared %d briefs and rendered %d files, want at most %d and %d", s.name, inc.Stats.Prepared, inc.Stats.Rendered, s.prepared, s.rendered)
		}
		t.Logf("%s: %+v", s.name, inc.Stats)
	}

	// A failed build leaves the memo of the last good one: fixing the
	// error gives the full build's site again.
	edit(t, templates, "list.html", `data-x="1"`, `data-x="{{ .Nope }}"`)
	if _, err := Run(context.Background(), memoCfg); err == nil {
		t.Fatal("a broken layout built")
	}
	edit(t, templates, "list.html", `data-x="{{ .Nope }}"`, `data-x="2"`)
	full := mustRun(t, cfg)
	inc := mustRun(t, memoCfg)
	sameSite(t, "after a failed build", full.Files, inc.Files)
}

func sameSite(t *testing.T, step string, want, got map[string][]byte) {
	t.Helper()
	for p, data := range want {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: memo build lacks %s", step, p)
		case string(g) != string(data):
			t.Errorf("%s: memo build differs in %s: %s", step, p, firstDiff(string(data), string(g)))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: memo build has extra %s", step, p)
		}
	}
}
