package corpus_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefs/internal/content"
	"briefs/internal/corpus"
)

const testN = 120

// files reads every file under dir: path -> bytes.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func write(t *testing.T, n int, seed uint64) (string, map[string][]byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := corpus.Write(dir, n, seed); err != nil {
		t.Fatal(err)
	}
	return dir, files(t, dir)
}

func TestDeterministic(t *testing.T) {
	_, a := write(t, testN, 7)
	_, b := write(t, testN, 7)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two generations with the same seed", name)
		}
	}
	_, c := write(t, testN, 8)
	same := 0
	for name, data := range a {
		if strings.HasSuffix(name, ".md") && bytes.Equal(data, c[name]) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d brief files are the same with another seed", same)
	}
}

func TestFiles(t *testing.T) {
	dir, fsys := write(t, testN, corpus.DefaultSeed)
	var md, total int
	sizes := map[string]int{}
	for name, data := range fsys {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		md++
		total += len(data)
		sizes[filepath.Base(name)] += len(data)
		if bytes.Contains(data, []byte("{{")) {
			t.Errorf("%s holds a template action", name)
		}
		for _, feature := range []string{"\n## ", "\n### ", "\n- ", "\n1. ", "\n|---|", "**", "](https://", "[^1]", "\n[^1]: "} {
			if !bytes.Contains(data, []byte(feature)) {
				t.Errorf("%s has no %q", name, feature)
			}
		}
	}
	if md != 2*testN {
		t.Errorf("%d Markdown files, want %d", md, 2*testN)
	}
	for _, must := range []string{"site.toml", "labels.toml"} {
		if fsys[must] == nil {
			t.Errorf("no %s", must)
		}
	}
	if avg := total / md; avg < 8000 || avg > 10000 {
		t.Errorf("average file size %d bytes, want 8-10 KB", avg)
	}
	for name, n := range sizes {
		t.Logf("%s: average %d bytes", name, n/testN)
	}

	site, err := content.Load(os.DirFS(dir), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(site.Briefs) != 2*testN {
		t.Fatalf("content.Load read %d briefs, want %d", len(site.Briefs), 2*testN)
	}
	tagCount := map[string]int{}
	for _, b := range site.Briefs {
		if b.Title == "" || b.Summary == "" || len(b.Tags) < 2 || len(b.Tags) > 4 {
			t.Errorf("%s: title %q, summary %q, tags %v", b.File, b.Title, b.Summary, b.Tags)
		}
		if wd := b.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s: dated on a %s", b.File, wd)
		}
		for _, tag := range b.Tags {
			if site.Labels.Tag(tag, b.Lang) == tag {
				t.Errorf("%s: tag %s has no %s label", b.File, tag, b.Lang)
			}
			tagCount[tag]++
		}
	}
	if newest := site.Briefs[0].Date; !newest.Equal(corpus.Last) {
		t.Errorf("newest brief dated %s, want %s", newest.Format(time.DateOnly), corpus.Last.Format(time.DateOnly))
	}
	if len(tagCount) < 20 || tagCount["market_analysis"] < 3*tagCount["housing"] {
		t.Errorf("tag use not skewed over the vocabulary: %v", tagCount)
	}
}

// A smaller corpus is the newest part of a larger one.
func TestPrefix(t *testing.T) {
	for i := range 10 {
		a, b := corpus.Brief(i, 20, 1), corpus.Brief(i, 2000, 1)
		if a.Bundle != b.Bundle || !bytes.Equal(a.Files[0], b.Files[0]) || !bytes.Equal(a.Files[1], b.Files[1]) {
			t.Errorf("brief %d differs between corpora of 20 and 2000", i)
		}
	}
}

func TestWriteRefusesOtherFolders(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := corpus.Write(dir, 1, 1); err == nil {
		t.Fatal("Write replaced a folder it did not write")
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.txt")); err != nil {
		t.Fatal(err)
	}
	// Its own folder is replaced: a smaller corpus leaves no old bundles.
	dir = filepath.Join(t.TempDir(), "c")
	for _, n := range []int{5, 2} {
		if err := corpus.Write(dir, n, 1); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "briefs"))
	if err != nil || len(entries) != 2 {
		t.Fatalf("after rewriting with n=2: %d bundles, %v", len(entries), err)
	}
}
