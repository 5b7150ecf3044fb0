package update

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
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

// interrupted is a data folder as an update killed at some point leaves
// it: files A, B and C, of which done have their new bytes and the rest
// their old ones with the new beside them; with a journal if committed.
type interrupted struct {
	t        *testing.T
	dir      string
	old, new map[string]string // by file
}

func newInterrupted(t *testing.T, committed bool, done ...string) *interrupted {
	t.Helper()
	in := &interrupted{t: t, dir: t.TempDir(), old: map[string]string{}, new: map[string]string{}}
	jr := journal{Version: 1}
	for i, name := range []string{"A", "B", "C"} {
		file := "prices/" + name + ".csv"
		in.old[file] = "Date,Close\n2026-11-20,1" + name + "\n"
		in.new[file] = in.old[file] + "2026-11-23,2" + name + "\n"
		temp := fmt.Sprintf("prices/.%s.csv.update-%d", name, 100+i)
		jr.Renames = append(jr.Renames, renamed{Temp: temp, File: file, Old: checksum([]byte(in.old[file])), New: checksum([]byte(in.new[file]))})
		if slices.Contains(done, name) {
			in.write(file, in.new[file])
		} else {
			in.write(file, in.old[file])
			in.write(temp, in.new[file])
		}
	}
	in.write("tickers.toml", "")
	if committed {
		data, _ := json.Marshal(jr)
		in.write(JournalName, string(data))
	} else {
		in.write(JournalName+"-123", "{")
	}
	return in
}

func (in *interrupted) write(name, data string) {
	in.t.Helper()
	p := filepath.Join(in.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		in.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		in.t.Fatal(err)
	}
}

// files returns every file of the folder with its bytes.
func (in *interrupted) files() map[string]string {
	in.t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(in.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(in.dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		in.t.Fatal(err)
	}
	return out
}

// is checks the folder holds the data files in state (old or new), and
// nothing else but tickers.toml.
func (in *interrupted) is(state map[string]string) {
	in.t.Helper()
	want := maps.Clone(state)
	want["tickers.toml"] = ""
	if got := in.files(); !maps.Equal(got, want) {
		in.t.Errorf("folder:\n%v\nwant\n%v", got, want)
	}
}

// TestRecover brings a folder left by a killed update back to one state:
// forward with a journal, back without one.
func TestRecover(t *testing.T) {
	for _, tt := range []struct {
		name      string
		committed bool
		renamed   []string
		forward   bool
		note      string
	}{
		{"killed before the journal", false, nil, false,
			"removed 4 temporary files of an interrupted update: data/.briefs-update.journal-123, data/prices/.A.csv.update-100, data/prices/.B.csv.update-101, data/prices/.C.csv.update-102"},
		{"killed before the first rename", true, nil, true,
			"finished an interrupted update: renamed the 3 of its 3 files still to rename; every one is new now (data/prices/A.csv, data/prices/B.csv, data/prices/C.csv)"},
		{"killed after a rename", true, []string{"A"}, true, "finished an interrupted update: renamed the 2 of its 3 files still to rename; every one is new now"},
		{"killed after every rename", true, []string{"A", "B", "C"}, true, "finished an interrupted update: renamed the 0 of its 3 files still to rename; every one is new now"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := newInterrupted(t, tt.committed, tt.renamed...)
			if err := Interrupted(os.DirFS(in.dir), "data/"); (err != nil) != tt.committed {
				t.Errorf("Interrupted: %v", err)
			}
			notes, err := recoverWrites(in.dir, "data/")
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 1 || !strings.HasPrefix(notes[0], tt.note) {
				t.Errorf("notes %q, want %q", notes, tt.note)
			}
			if tt.forward {
				in.is(in.new)
			} else {
				in.is(in.old)
			}
			if err := Interrupted(os.DirFS(in.dir), "data/"); err != nil {
				t.Errorf("Interrupted after recovery: %v", err)
			}
			// Again: nothing to do.
			if notes, err := recoverWrites(in.dir, "data/"); err != nil || len(notes) != 0 {
				t.Errorf("second recovery: %q, %v", notes, err)
			}
		})
	}
}

// TestRecoverRefuses leaves a folder alone when its journal cannot be
// trusted, or a file changed since the update was killed.
func TestRecoverRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(in *interrupted)
		want  string
	}{
		{"edited since", func(in *interrupted) { in.write("prices/B.csv", "Date,Close\n2026-11-20,9\n") },
			"data/.briefs-update.journal: data/prices/B.csv was changed since the update was interrupted (it is neither its old nor its new version): nothing renamed; the new version is in data/prices/.B.csv.update-101; the files it lists may be a mix of old and new versions: check them, then delete the journal"},
		{"edited and renamed", func(in *interrupted) { in.write("prices/A.csv", "Date,Close\n2026-11-20,9\n") },
			"data/prices/A.csv is neither its old nor its new version, and the new one is gone"},
		{"damaged temporary file", func(in *interrupted) { in.write("prices/.C.csv.update-102", "Date,Close\n") },
			"data/prices/.C.csv.update-102, the new version of data/prices/C.csv, is damaged"},
		{"damaged journal", func(in *interrupted) { in.write(JournalName, `{"version": 1, "renames": [`) },
			`data/.briefs-update.journal: not the journal of an update, or a damaged one ("{\"version\": 1, \"renames\": [")`},
		{"a rename out of the folder", func(in *interrupted) {
			in.write(JournalName, `{"version": 1, "renames": [{"temp": "../.x.update-1", "file": "../x"}]}`)
		}, `a rename of "../.x.update-1" to "../x": expected a temporary file beside the file it replaces`},
		{"a rename of another file", func(in *interrupted) {
			in.write(JournalName, `{"version": 1, "renames": [{"temp": "prices/A.csv", "file": "prices/B.csv"}]}`)
		}, `a rename of "prices/A.csv" to "prices/B.csv": expected a temporary file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newInterrupted(t, true, "A")
			tt.setup(in)
			before := in.files()
			_, err := recoverWrites(in.dir, "data/")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant %q", err, tt.want)
			}
			if after := in.files(); !maps.Equal(before, after) {
				t.Errorf("folder changed:\n%v\nwas\n%v", after, before)
			}
		})
	}
}

// TestRunRecovers finishes an interrupted update before it reads the
// files; a dry run refuses to read them, and writes nothing.
func TestRunRecovers(t *testing.T) {
	const old = "Date,Close\n2026-11-20,101.00\n"
	const next = old + "2026-11-23,102.00\n"
	f := newFixture(t, map[string]string{"prices/XLB.csv": old})
	for name, data := range map[string]string{
		"prices/.XLB.csv.update-7":      next,
		"prices/.XLB.csv.update-8":      "a temporary file of an update killed before",
		".briefs-update.journal-99":     "{",
		".briefs-update.journal":        fmt.Sprintf(`{"version": 1, "renames": [{"temp": "prices/.XLB.csv.update-7", "file": "prices/XLB.csv", "old": %q, "new": %q}]}`, checksum([]byte(old)), checksum([]byte(next))),
		"prices/.XLB.csv.update-backup": "not a name an update gives: kept",
	} {
		if err := os.WriteFile(filepath.Join(f.dir, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f.serve("XLB", next+"2026-11-24,103.00\n")
	before := f.state()

	o := f.options(f.config())
	o.DryRun = true
	_, _, err := f.run(o)
	if err == nil || !strings.Contains(err.Error(), "data/.briefs-update.journal: an update of the market data was interrupted while it replaced its files: some may be new and some old; run `briefs data update` to finish it; a dry run writes nothing") {
		t.Errorf("dry run: %v", err)
	}
	unchanged(t, before, f.state())

	_, lines, err := f.run(f.options(f.config()))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"note: finished an interrupted update: renamed the 1 of its 1 file still to rename; every one is new now (data/prices/XLB.csv)",
		"note: removed 2 temporary files of an interrupted update: data/.briefs-update.journal-99, data/prices/.XLB.csv.update-8",
		"XLB    +1 row    2026-11-24",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("lines:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got := f.read("prices/XLB.csv"); got != next+"2026-11-24,103.00\n" {
		t.Errorf("XLB.csv: %q", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(f.dir, "prices")); len(entries) != 2 { // XLB.csv and the backup
		t.Errorf("prices/: %v", entries)
	}
}
