package update

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteAll keeps each file's mode, and writes nothing when a file has
// changed since it was read.
func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	write("a.csv", "Date,Close\n2026-11-20,1\n", 0o600)
	write("b.csv", "Date,Close\n2026-11-20,2\n", 0o644)
	a := &job{file: "a.csv", name: "a.csv", exists: true, stored: []byte("Date,Close\n2026-11-20,1\n"), out: []byte("Date,Close\n2026-11-20,1\n2026-11-23,1.5\n")}
	b := &job{file: "b.csv", name: "b.csv", exists: true, stored: []byte("Date,Close\n2026-11-19,2\n"), out: []byte("x")}
	err := writeAll(dir, []*job{a, b})
	if err == nil || !strings.Contains(err.Error(), "b.csv: changed while downloading: run the update again: nothing written") {
		t.Errorf("got %v", err)
	}
	if read("a.csv") != "Date,Close\n2026-11-20,1\n" || read("b.csv") != "Date,Close\n2026-11-20,2\n" {
		t.Error("a file was written")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left: %v", entries)
	}

	if err := writeAll(dir, []*job{a}); err != nil {
		t.Fatal(err)
	}
	if read("a.csv") != string(a.out) {
		t.Errorf("a.csv: %q", read("a.csv"))
	}
	if st, err := os.Stat(filepath.Join(dir, "a.csv")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("a.csv mode %v (%v), want 0600", st.Mode(), err)
	}
}
