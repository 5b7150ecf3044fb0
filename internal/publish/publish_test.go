package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func TestWriteAndReplace(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	ctx := context.Background()
	if err := Write(ctx, out, map[string][]byte{"index.html": []byte("1"), "zh/a/index.html": []byte("a")}); err != nil {
		t.Fatal(err)
	}
	if err := Write(ctx, out, map[string][]byte{"index.html": []byte("2"), "en/b/index.html": []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "2" {
		t.Errorf("index.html = %q, want 2", data)
	}
	if _, err := os.Stat(filepath.Join(out, "zh")); !os.IsNotExist(err) {
		t.Errorf("stale zh/ survived: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "en", "b", "index.html")); string(data) != "b" {
		t.Errorf("en/b = %q", data)
	}
	st, err := os.Stat(out)
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("output folder mode %v, %v", st.Mode(), err)
	}
	// The site replaced waits beside the output for the next build, which
	// removes it: one at most, never the new-site staging folder.
	old := aside(t, dir)
	if len(old) != 1 {
		t.Fatalf("beside the output: %v, want one site moved aside", old)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, old[0], "site", "index.html")); string(data) != "1" {
		t.Errorf("the site moved aside has index.html %q, want 1", data)
	}
	if err := Write(ctx, out, map[string][]byte{"index.html": []byte("3")}); err != nil {
		t.Fatal(err)
	}
	if again := aside(t, dir); len(again) != 1 || again[0] == old[0] {
		t.Errorf("after another build, beside the output: %v (before: %v)", again, old)
	}
}

// aside lists what is beside the output folder "public" in dir, which
// must be only sites moved aside (".public-old-*").
func aside(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		switch {
		case e.Name() == "public":
		case strings.HasPrefix(e.Name(), ".public-old-"):
			names = append(names, e.Name())
		default:
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
	return names
}

func TestRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(context.Background(), dir, map[string][]byte{"index.html": []byte("x")})
	if err == nil || !strings.Contains(err.Error(), "refusing to replace") {
		t.Fatalf("got %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "thesis.tex")); string(data) != "precious" {
		t.Error("foreign file touched")
	}
}

func TestInvalidPath(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	for _, p := range []string{"../escape", "/abs", "a/../../b", `a\b`} {
		if err := Write(context.Background(), out, map[string][]byte{p: nil}); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("leftovers after failed writes: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(dir, "escape")); !os.IsNotExist(err) {
		t.Error("wrote outside the output")
	}
}

func TestStage(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if err := Write(context.Background(), out, map[string][]byte{"index.html": []byte("old")}); err != nil {
		t.Fatal(err)
	}

	// Abandoned: the old site stays, and nothing is left beside it.
	s, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write("index.html", []byte("half")); err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "old" {
		t.Errorf("after Abort, index.html = %q, want old", data)
	}

	// Written from many goroutines, into nested folders, then committed.
	s, err = Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			name := fmt.Sprintf("zh/briefs/b%d/index.html", i%37)
			if i >= 37 {
				name = fmt.Sprintf("en/tags/t%d/page/%d/index.html", i%5, i)
			}
			if err := s.Write(name, []byte(name)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := s.Write("index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"../x", "/abs", "a\\b", ""} {
		if err := s.Write(bad, nil); err == nil {
			t.Errorf("Write(%q) accepted", bad)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "new" {
		t.Errorf("after Commit, index.html = %q, want new", data)
	}
	for _, name := range []string{"zh/briefs/b36/index.html", "en/tags/t4/page/199/index.html"} {
		if data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name))); string(data) != name {
			t.Errorf("%s = %q, %v", name, data, err)
		}
	}
	if old := aside(t, dir); len(old) > 1 {
		t.Errorf("sites moved aside: %v, want one at most", old)
	}
	if _, err := Begin(filepath.Join(dir, "public", "zh")); err == nil {
		t.Error("Begin accepted a folder that is not a built site")
	}
}

func TestStageLink(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "cached.png")
	if err := os.WriteFile(src, []byte("png"), 0o644); err != nil {
		t.Fatal(err)
	}
	private := filepath.Join(dir, "private.png")
	if err := os.WriteFile(private, []byte("png"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	s, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Link("charts/a.png", src); err != nil {
		t.Fatal(err)
	}
	if err := s.Link("charts/b.png", private); err == nil {
		t.Error("linked a file that only its owner can read")
	}
	if err := s.Link("../c.png", src); err == nil {
		t.Error("linked outside the site")
	}
	if err := s.Write("index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	a, err := os.Stat(filepath.Join(out, "charts", "a.png"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.Stat(src)
	if !os.SameFile(a, b) {
		t.Error("charts/a.png is a copy, not the cached file")
	}
}

// Sites moved aside are found by name, not by a glob: an output folder
// named with glob characters does not pile up old copies, and a build
// removes only its own output's.
func TestMovedAsideByName(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "site[1]")
	other := filepath.Join(dir, ".site[1]x-old-1")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if err := Write(context.Background(), out, map[string][]byte{"index.html": []byte(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var old []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".site[1]-old-") {
			old = append(old, e.Name())
		}
	}
	if len(old) != 1 {
		t.Errorf("sites moved aside after 4 builds: %v, want 1", old)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another folder's leftover was removed: %v", err)
	}
}

// A build killed before it committed leaves its staging folder; the next
// build removes it, but not the staging folder of a build still running.
func TestAbandonedStaging(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	ctx := context.Background()
	if err := Write(ctx, out, map[string][]byte{"index.html": []byte("1")}); err != nil {
		t.Fatal(err)
	}
	live, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	<-live.swept // not to race with the build below for the folder
	if err := live.Write("index.html", []byte("live")); err != nil {
		t.Fatal(err)
	}
	// As a killed build leaves it: written into, never locked again.
	dead := filepath.Join(dir, ".public-new-123")
	if err := os.MkdirAll(filepath.Join(dead, "zh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dead, "zh", "index.html"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(ctx, out, map[string][]byte{"index.html": []byte("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the abandoned staging folder survived the next build: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(live.tmp, "index.html")); string(data) != "live" {
		t.Fatalf("the staging folder of a running build was touched: %q, %v", data, err)
	}
	if err := live.Commit(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "live" {
		t.Errorf("index.html = %q, want live", data)
	}
	if old := aside(t, dir); len(old) > 2 {
		t.Errorf("sites moved aside: %v, want two at most (one per build since the last sweep)", old)
	}
	if err := Write(ctx, out, map[string][]byte{"index.html": []byte("3")}); err != nil {
		t.Fatal(err)
	}
	if old := aside(t, dir); len(old) != 1 {
		t.Errorf("sites moved aside: %v, want one", old)
	}
}

// Where two trees cannot change places in one step, the old site is
// renamed aside and the new one into its place.
func TestSwapWithoutExchange(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	unsupported := func(a, b string) error { return errors.ErrUnsupported }
	for _, v := range []string{"1", "2"} {
		tmp := filepath.Join(dir, ".public-new-"+v)
		if err := os.Mkdir(tmp, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, "index.html"), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := swap(tmp, out, unsupported); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != v {
			t.Errorf("index.html = %q, want %s", data, v)
		}
	}
	old := aside(t, dir)
	if len(old) != 1 {
		t.Fatalf("beside the output: %v, want one site moved aside", old)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, old[0], "site", "index.html")); string(data) != "1" {
		t.Errorf("the site moved aside has index.html %q, want 1", data)
	}
	// Any other failure is the caller's, and leaves the site.
	if err := swap(filepath.Join(dir, "nothing"), out, func(a, b string) error { return syscall.EACCES }); !errors.Is(err, syscall.EACCES) {
		t.Errorf("swap = %v, want the exchange's error", err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "2" {
		t.Errorf("after a failed swap, index.html = %q, want 2", data)
	}
}

// exchange swaps two trees where the system can (Linux, macOS).
func TestExchange(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "name"), []byte(filepath.Base(p)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := exchange(a, b)
	if errors.Is(err, errors.ErrUnsupported) && runtime.GOOS != "linux" {
		t.Skipf("no exchange on %s: %v", runtime.GOOS, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(a, "name")); string(data) != "b" {
		t.Errorf("after the exchange, a holds %q, want b's", data)
	}
	if err := exchange(a, filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("exchange with a missing path: %v, want not exist", err)
	}
}
