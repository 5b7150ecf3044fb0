package publish

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftovers: %v", entries)
	}
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
