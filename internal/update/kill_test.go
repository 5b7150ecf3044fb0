package update

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefs/internal/content"
)

// childEnv makes the test binary run one update, as `briefs data update`
// does, instead of the tests: see TestKill.
const childEnv = "BRIEFS_UPDATE_CHILD"

// child is what a child update is given.
type child struct {
	Dir, URL string
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(runChild(spec))
	}
	os.Exit(m.Run())
}

// runChild updates a data folder from a provider, printing the progress
// lines, on Tuesday 2026-11-24 after the close.
func runChild(spec string) int {
	var c child
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	tmpl, err := content.ParseURLTemplate(c.URL + "/{symbol}.csv?from={from}&to={to}")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	tz, err := time.LoadLocation("America/New_York")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	_, err = Run(context.Background(), Options{
		Config:   &content.Update{URL: tmpl, Timeout: 30 * time.Second, Tolerance: 0.001, Overlap: 10},
		Data:     os.DirFS(c.Dir),
		DataName: "data/",
		Dir:      c.Dir,
		Now:      time.Date(2026, 11, 24, 18, 30, 0, 0, tz),
		TimeZone: tz,
		Progress: func(line string) { fmt.Println(line) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// needStrace returns the path of strace, if it can trace here. Without it
// the test is skipped, or fails if BRIEFS_REQUIRE_TOOLS=1.
func needStrace(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("strace")
	if err == nil {
		if out, err2 := exec.Command(path, "-f", "-qq", "-o", os.DevNull, "-e", "trace=none", "true").CombinedOutput(); err2 != nil {
			err = fmt.Errorf("strace cannot trace here (ptrace not allowed?): %v: %s", err2, out)
		}
	}
	if err != nil {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("BRIEFS_REQUIRE_TOOLS=1: %v", err)
		}
		t.Skipf("no strace: %v (BRIEFS_REQUIRE_TOOLS=1 makes this a failure)", err)
	}
	return path
}

// TestKill kills a real update process with SIGKILL at each rename it
// makes, and at the removal of its journal: every file is then its old or
// its new version, never a part of one; a recovery brings every file to the
// old versions (killed before the journal was in place) or to the new ones
// (after); and the next update leaves the new versions and no other file.
// An update killed while it recovers is recovered in turn.
func TestKill(t *testing.T) {
	strace := needStrace(t)
	dir := t.TempDir()
	f := newFixture(t, nil)
	old, want := map[string]string{}, map[string]string{} // the data files, by name in dir
	var tickers strings.Builder
	for i, sym := range []string{"XLB", "XLE", "XLF"} {
		file := "prices/" + sym + ".csv"
		old[file] = fmt.Sprintf("Date,Close\n2026-11-19,%d.00\n2026-11-20,%d.50\n", 100+i, 100+i)
		want[file] = old[file] + fmt.Sprintf("2026-11-23,%d.75\n2026-11-24,%d.25\n", 100+i, 101+i)
		f.serve(sym, strings.Replace(want[file], "Date,Close\n2026-11-19,", "Date,Close\n2026-11-18,99.00\n2026-11-19,", 1))
		fmt.Fprintf(&tickers, "[symbols.%s]\nfile = %q\nname = { en = %q }\nkind = \"etf\"\n", sym, file, sym)
	}
	reset := func() {
		t.Helper()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, data := range old {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "tickers.toml"), []byte(tickers.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	spec, _ := json.Marshal(child{Dir: dir, URL: f.srv.URL})
	// update runs the child update, under strace with args if any.
	update := func(args ...string) (stdout string, err error) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		if len(args) > 0 {
			cmd = exec.Command(strace, append(append([]string{"-f", "-qq"}, args...), os.Args[0], "-test.run=^$")...)
		}
		cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err = cmd.Run()
		if err != nil {
			err = fmt.Errorf("%w\nstderr:\n%s", err, errOut.String())
		}
		return out.String(), err
	}
	killed := func(err error) bool {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return false
		}
		ws, ok := ee.Sys().(syscall.WaitStatus)
		return ok && ((ws.Signaled() && ws.Signal() == syscall.SIGKILL) || ws.ExitStatus() == 128+int(syscall.SIGKILL))
	}
	// files returns the data files in dir (every file but tickers.toml).
	files := func(dir string) map[string]string {
		t.Helper()
		out := map[string]string{}
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			if rel == "tickers.toml" {
				return nil
			}
			data, err := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = string(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	// A clean run, traced: the renames and removals it makes, in order.
	reset()
	trace := filepath.Join(t.TempDir(), "trace")
	if _, err := update("-o", trace, "-e", "trace=rename,renameat,renameat2,unlink,unlinkat"); err != nil {
		t.Fatal(err)
	}
	if got := files(dir); !maps.Equal(got, want) {
		t.Fatalf("after a clean run:\n%v\nwant\n%v", got, want)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	type point struct{ syscalls, path string }
	var points []point // where to kill
	renameRe := regexp.MustCompile(`rename(?:at2?)?\((?:AT_FDCWD, )?"[^"]*", (?:AT_FDCWD, )?"([^"]*)"`)
	unlinkRe := regexp.MustCompile(`unlink(?:at)?\((?:AT_FDCWD, )?"([^"]*)"`)
	for _, line := range strings.Split(string(data), "\n") {
		if m := renameRe.FindStringSubmatch(line); m != nil {
			points = append(points, point{"rename,renameat,renameat2", m[1]})
		} else if m := unlinkRe.FindStringSubmatch(line); m != nil && strings.HasSuffix(m[1], JournalName) {
			points = append(points, point{"unlink,unlinkat", m[1]})
		}
	}
	journal := filepath.Join(dir, JournalName)
	var paths []string
	for _, p := range points {
		paths = append(paths, p.path)
	}
	wantPaths := []string{journal, filepath.Join(dir, "prices/XLB.csv"), filepath.Join(dir, "prices/XLE.csv"), filepath.Join(dir, "prices/XLF.csv"), journal}
	slices.Sort(wantPaths[1:4])
	slices.Sort(paths[1:min(4, len(paths))])
	if !slices.Equal(paths, wantPaths) {
		t.Fatalf("the clean run renamed or removed %q, want %q; trace:\n%s", paths, wantPaths, data)
	}

	for i, p := range points {
		t.Run(fmt.Sprintf("%d %s %s", i+1, p.syscalls[:6], filepath.Base(p.path)), func(t *testing.T) {
			reset()
			_, err := update("-o", os.DevNull, "-P", p.path, "-e", "trace="+p.syscalls, "-e", "inject="+p.syscalls+":signal=KILL")
			if !killed(err) {
				t.Fatalf("not killed: %v", err)
			}
			// Every file is its old or its new version.
			after := files(dir)
			newer := 0
			for name := range old {
				switch after[name] {
				case want[name]:
					newer++
				case old[name]:
				default:
					t.Errorf("%s is neither old nor new: %q", name, after[name])
				}
			}
			_, err = os.Stat(journal)
			committed := err == nil
			if committed != (i > 0) || (newer > 0 && !committed) || newer != max(0, min(i-1, 3)) {
				t.Errorf("killed at %s: journal %v, %d new files", p.path, committed, newer)
			}

			// A recovery, of a copy: every file old, or every file new.
			copied := t.TempDir()
			if err := os.CopyFS(copied, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			if _, err := recoverWrites(copied, "data/"); err != nil {
				t.Fatal(err)
			}
			if state := files(copied); (committed && !maps.Equal(state, want)) || (!committed && !maps.Equal(state, old)) {
				t.Errorf("recovered (journal %v):\n%v", committed, state)
			}

			// Killed again while it recovers.
			if committed && i <= 3 { // points[i] is the first rename still to make
				next := points[i].path
				_, err := update("-o", os.DevNull, "-P", next, "-e", "trace=rename,renameat,renameat2", "-e", "inject=rename,renameat,renameat2:signal=KILL")
				if !killed(err) {
					t.Fatalf("recovery not killed at %s: %v", next, err)
				}
				for name, data := range files(dir) {
					if o, ok := old[name]; ok && data != o && data != want[name] {
						t.Errorf("after a kill in recovery, %s is neither old nor new: %q", name, data)
					}
				}
			}

			// The next update: every file new, and nothing else.
			out, err := update()
			if err != nil {
				t.Fatal(err)
			}
			if got := files(dir); !maps.Equal(got, want) {
				t.Errorf("after the next update:\n%v\nwant\n%v\noutput:\n%s", got, want, out)
			}
			note := "note: removed "
			if committed {
				note = "note: finished an interrupted update: "
			}
			if !strings.Contains(out, note) {
				t.Errorf("output lacks %q:\n%s", note, out)
			}
		})
	}
}
