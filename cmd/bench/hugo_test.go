package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"briefs/internal/corpus"
)

// The Hugo project builds a small plain corpus into the pages and feeds
// briefs writes for it, with the tags' labels.
func TestHugoProject(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "corpus")
	if err := corpus.Write(content, 12, corpus.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	site := filepath.Join(dir, "hugo")
	if err := hugoProject(site, "../..", content); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"hugo.toml", "layouts/_default/baseof.html", "layouts/_default/term.html", "assets/css/site.css", "i18n/zh.toml", "i18n/en.toml", "data/taglabels.toml"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Errorf("hugo project: %v", err)
		}
	}
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		t.Skip("hugo not installed")
	}
	out := filepath.Join(dir, "public")
	if _, err := hugoBuild(context.Background(), hugo, site, content, out); err != nil {
		t.Fatal(err)
	}
	b := corpus.Brief(0, 12, corpus.DefaultSeed)
	for _, f := range []string{
		"zh/index.html", "en/index.html", "zh/page/2/index.html", "zh/index.xml", "zh/atom.xml", "en/atom.xml",
		"zh/tags/index.html", "en/tags/" + b.Tags[0] + "/index.html", "en/tags/" + b.Tags[0] + "/index.xml",
		"zh/briefs/" + b.Bundle + "/index.html", "en/briefs/" + b.Bundle + "/index.html", "zh/404.html", "sitemap.xml",
	} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("hugo did not write %s", f)
		}
	}
	for _, f := range []string{"zh/site.toml", "zh/labels.toml", "site.toml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("hugo published the corpus's %s", f)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "en/briefs/"+b.Bundle+"/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`hreflang="zh-CN"`, `class="footnotes"`, "<table>", "Disclaimer", `href="/zh/briefs/` + b.Bundle + `/"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("en brief page has no %s", want)
		}
	}
	labels, err := os.ReadFile(filepath.Join(out, "zh/tags/index.html"))
	if err != nil || !strings.Contains(string(labels), "#市场分析") {
		t.Errorf("zh tags page does not show the tags' labels (#市场分析): %v", err)
	}
}
