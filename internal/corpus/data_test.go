package corpus_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"briefs/internal/build"
	"briefs/internal/corpus"
)

// small is a data corpus small enough to build in a test.
var small = corpus.Data{Briefs: 3, Symbols: 24, Years: 2, Seed: 1}

func writeData(t *testing.T, d corpus.Data) (string, map[string][]byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := corpus.WriteData(dir, d); err != nil {
		t.Fatal(err)
	}
	return dir, files(t, dir)
}

func TestDataDeterministic(t *testing.T) {
	_, a := writeData(t, small)
	_, b := writeData(t, small)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two generations with the same seed", name)
		}
	}
	other := small
	other.Seed = 2
	_, c := writeData(t, other)
	for name, data := range a {
		if strings.HasPrefix(name, "data/prices/") && bytes.Equal(data, c[name]) {
			t.Errorf("%s is the same with another seed", name)
		}
	}
}

func TestDataFiles(t *testing.T) {
	_, fsys := writeData(t, small)
	var prices, md int
	for name := range fsys {
		switch {
		case strings.HasPrefix(name, "data/prices/"):
			prices++
		case strings.HasSuffix(name, ".md"):
			md++
		}
	}
	if prices != small.Symbols || md != 2*small.Briefs {
		t.Errorf("%d price files and %d brief files, want %d and %d", prices, md, small.Symbols, 2*small.Briefs)
	}
	call := regexp.MustCompile(`(?:\{\{|\(|:=) ?(close|ret|sma|ema|vol|drawdown|high|low|pctrank|spread|corr|beta|rank|breadth) "`)
	for name, data := range fsys {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		if n := len(call.FindAll(data, -1)); n != corpus.MetricCalls {
			t.Errorf("%s: %d metric calls, want %d", name, n, corpus.MetricCalls)
		}
		if n := bytes.Count(data, []byte("```chart\n")); n != corpus.ChartsPerBrief {
			t.Errorf("%s: %d chart blocks, want %d", name, n, corpus.ChartsPerBrief)
		}
	}
	// A row for every weekday of the years.
	days := bytes.Count(fsys["data/prices/T001.csv"], []byte("\n")) - 1
	if want := 2 * 261; days < want-3 || days > want+3 {
		t.Errorf("T001.csv: %d rows for 2 years of weekdays", days)
	}
	if err := corpus.WriteData(filepath.Join(t.TempDir(), "c"), corpus.Data{Briefs: 400, Symbols: 10, Years: 1}); err == nil {
		t.Error("400 briefs over one year of data: no error")
	}
}

// The corpus builds: every brief computes its figures and draws its
// charts, and no two charts are the same.
func TestDataBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("draws charts")
	}
	dir, _ := writeData(t, small)
	res, err := build.Run(context.Background(), build.Config{
		Content:       os.DirFS(dir),
		Templates:     os.DirFS("../../templates"),
		Assets:        os.DirFS("../../assets"),
		ContentName:   "content/",
		TemplatesName: "templates/",
		AssetsName:    "assets/",
		Now:           corpus.Last.Add(36 * time.Hour),
	})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if res.Briefs != small.Briefs {
		t.Errorf("%d briefs built, want %d", res.Briefs, small.Briefs)
	}
	images := 8 * len(corpus.Languages) * corpus.ChartsPerBrief * small.Briefs // 2 layouts, 2 schemes, 2 scales
	pngs := 0
	for name := range res.Files {
		if strings.HasPrefix(name, "charts/") && strings.HasSuffix(name, ".png") {
			pngs++
		}
	}
	if res.ChartsDrawn != images || pngs != images {
		t.Errorf("%d chart images drawn, %d published, want %d", res.ChartsDrawn, pngs, images)
	}
	figures := 0
	for name, data := range res.Files {
		if strings.Contains(name, "/briefs/") && strings.HasSuffix(name, ".html") {
			figures += bytes.Count(data, []byte("<figure class=\"chart\">"))
			if n := bytes.Count(data, []byte("<data value=")); n < corpus.MetricCalls {
				t.Errorf("%s: %d figures computed, want at least %d", name, n, corpus.MetricCalls)
			}
		}
	}
	if want := len(corpus.Languages) * corpus.ChartsPerBrief * small.Briefs; figures != want {
		t.Errorf("%d chart figures on brief pages, want %d", figures, want)
	}
}
