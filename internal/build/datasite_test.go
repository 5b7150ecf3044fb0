package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"briefs/internal/corpus"
)

// dataCorpus is the generated site the chart, point-in-time, memo and
// series tests build: bilingual briefs whose figures and charts (line,
// rebased, bar, drawdown, volatility) come from generated prices, written
// by internal/corpus with a fixed seed. It holds nothing of the demo
// content, so adding or removing a demo brief changes no test.
var dataCorpus = corpus.Data{Briefs: 6, Symbols: 8, Years: 2, Seed: 7}

// dataNow is "today" for the data corpus: after its newest brief.
var dataNow = corpus.Last.AddDate(0, 0, 1)

var (
	dataOnce  sync.Once
	dataFiles map[string][]byte
	dataErr   error
)

// dataSite returns a fresh in-memory copy of the data corpus (generated
// once per test binary), which a test may edit.
func dataSite(t testing.TB) fstest.MapFS {
	t.Helper()
	dataOnce.Do(func() {
		dir, err := os.MkdirTemp("", "briefs-data-corpus-")
		if err != nil {
			dataErr = err
			return
		}
		defer os.RemoveAll(dir)
		root := filepath.Join(dir, "content")
		if dataErr = corpus.WriteData(root, dataCorpus); dataErr != nil {
			return
		}
		dataFiles = map[string][]byte{}
		dataErr = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			dataFiles[filepath.ToSlash(rel)] = data
			return err
		})
	})
	if dataErr != nil {
		t.Fatalf("data corpus: %v", dataErr)
	}
	out := fstest.MapFS{}
	for name, data := range dataFiles {
		out[name] = &fstest.MapFile{Data: slices.Clone(data)}
	}
	return out
}

// dataConfig builds content (the data corpus or an edit of it) with the
// project's templates and assets, as of dataNow.
func dataConfig(content fstest.MapFS) Config {
	cfg := config(content)
	cfg.Now = dataNow
	return cfg
}

// bundles lists the brief bundles of a content folder, newest first.
func bundles(content fstest.MapFS) []string {
	var out []string
	for name := range content {
		if b, ok := strings.CutPrefix(name, "briefs/"); ok && strings.HasSuffix(b, "/index.en.md") {
			out = append(out, strings.TrimSuffix(b, "/index.en.md"))
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// sharedCache is one chart cache for the whole test binary, made by
// TestMain: tests that draw the same charts draw them once. Tests that
// count the images drawn use a cache of their own.
var sharedCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "briefs-chart-cache-")
	if err != nil {
		panic(err)
	}
	sharedCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
