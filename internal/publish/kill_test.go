//go:build linux

package publish_test

import (
	"bufio"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledBuild kills a real `briefs build` with SIGKILL at each rename
// it makes, and in the middle of rendering, and checks that public/ is
// always the old site or the new one, whole, and that the next build
// leaves nothing behind but the one site it replaced. It needs strace
// (with ptrace allowed); without it, it skips, unless BRIEFS_REQUIRE_TOOLS
// is set (CI).
//
// strace counts the calls of -e inject=...:when=N per thread, and Go moves
// goroutines between threads, so "the Nth rename" cannot be asked of it.
// Instead strace stops the whole process (SIGSTOP) after every rename, and
// the test counts the stops: it lets the first N-1 go on (SIGCONT) and
// kills the process at the Nth. The instant before the first rename is
// covered by killing at its entry (when=1: the first call of all threads).
func TestKilledBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the briefs command")
	}
	strace := needStrace(t)
	bin := filepath.Join(t.TempDir(), "briefs")
	if out, err := exec.Command("go", "build", "-o", bin, "briefs/cmd/briefs").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	for _, sub := range []string{"templates", "assets"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("..", "..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{bin: bin, dir: dir, public: filepath.Join(dir, "public")}
	// The old site has one brief, the new one another brief and a
	// changed first one: different files, and different bytes in the
	// files both have.
	setContent(t, dir, oldContent)
	f.build(t)
	f.oldSite = snapshot(t, f.public)
	setContent(t, dir, newContent)
	newOut := filepath.Join(t.TempDir(), "public")
	f.build(t, "-out", newOut)
	f.newSite = snapshot(t, newOut)
	if maps.Equal(f.oldSite, f.newSite) {
		t.Fatal("the two versions of the fixture build the same site")
	}

	t.Run("mid-render", func(t *testing.T) {
		f.rebuildOld(t, "before")
		// Stopped after the third folder it makes: the staging folder
		// and two of the site's.
		killed := underStrace(t, strace, "mkdirat", "signal=SIGSTOP", bin, dir, func(n int) bool { return n == 3 })
		if !killed {
			t.Fatal("the build made fewer than 3 folders: it was not killed mid-render")
		}
		if got := f.which(t, f.public, "killed mid-render"); got != "old" {
			t.Errorf("killed mid-render, public/ holds the %s site", got)
		}
		staged := 0
		for _, name := range beside(t, dir) {
			if strings.HasPrefix(name, ".public-new-") {
				staged++
			}
		}
		if staged != 1 {
			t.Fatalf("killed mid-render, the build left %d staging folders, want 1: %v", staged, beside(t, dir))
		}
		f.rebuildOld(t, "killed mid-render")
	})

	t.Run("at each rename", func(t *testing.T) {
		const renames = "rename,renameat,renameat2"
		for n := 0; ; n++ {
			if n > 10 {
				t.Fatal("the build was still renaming after 10 renames")
			}
			when := fmt.Sprintf("killed after rename %d", n)
			var killed bool
			if n == 0 {
				when = "killed at the entry of the first rename"
				killed = underStrace(t, strace, renames, "signal=SIGKILL:when=1", bin, dir, nil)
			} else {
				killed = underStrace(t, strace, renames, "signal=SIGSTOP", bin, dir, func(i int) bool {
					f.which(t, f.public, fmt.Sprintf("stopped after rename %d", i))
					return i == n
				})
			}
			got := f.which(t, f.public, when)
			if !killed {
				if got != "new" {
					t.Errorf("a build that ran to its end left the %s site", got)
				}
				if n < 2 {
					t.Fatalf("the build ended after %d renames: the test killed it at none", n-1)
				}
				break
			}
			t.Logf("%s: public/ holds the %s site", when, got)
			f.rebuildOld(t, when)
		}
		f.rebuildOld(t, "after the build that ran to its end")
	})
}

// fixture is a project and the two sites it builds.
type fixture struct {
	bin, dir, public string
	oldSite, newSite map[string]string
}

func (f *fixture) build(t *testing.T, args ...string) {
	t.Helper()
	args = append([]string{"build", "-source", f.dir, "-quiet"}, args...)
	if out, err := exec.Command(f.bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("briefs %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// which says which site the folder p holds, or fails the test.
func (f *fixture) which(t *testing.T, p, when string) string {
	t.Helper()
	got := snapshot(t, p)
	switch {
	case maps.Equal(got, f.oldSite):
		return "old"
	case maps.Equal(got, f.newSite):
		return "new"
	}
	t.Fatalf("%s: %s is neither the old site nor the new one:\nagainst the old: %s\nagainst the new: %s",
		when, p, diffSites(f.oldSite, got), diffSites(f.newSite, got))
	return ""
}

// rebuildOld builds the old site over whatever a killed build left, and
// checks that nothing is left beside public/ but the site the build
// replaced, whole. It leaves the new content in place for the next build.
func (f *fixture) rebuildOld(t *testing.T, when string) {
	t.Helper()
	setContent(t, f.dir, oldContent)
	f.build(t)
	if got := f.which(t, f.public, when+", the next build"); got != "old" {
		t.Fatalf("%s, the next build published the %s site", when, got)
	}
	var aside []string
	for _, name := range beside(t, f.dir) {
		if !strings.HasPrefix(name, ".public-old-") {
			t.Errorf("%s, the next build left %s beside public/", when, name)
			continue
		}
		aside = append(aside, name)
		f.which(t, filepath.Join(f.dir, name, "site"), when+", the site replaced by the next build")
	}
	if len(aside) > 1 {
		t.Errorf("%s, the next build left %d sites moved aside: %v, want the one it replaced", when, len(aside), aside)
	}
	setContent(t, f.dir, newContent)
}

const (
	site       = "baseURL = \"https://example.org/\"\ndefaultLanguage = \"zh\"\n[languages.zh]\ntitle = \"简报\"\n[languages.en]\ntitle = \"Briefs\"\n"
	briefA     = "---\ntitle: A\ndate: 2026-01-05\ntags: [rates]\n---\nBody of A.\n"
	briefAEdit = "---\ntitle: A\ndate: 2026-01-05\ntags: [rates]\n---\nBody of A, edited.\n"
	briefB     = "---\ntitle: B\ndate: 2026-01-06\ntags: [gold]\n---\nBody of B.\n"
)

var (
	oldContent = map[string]string{"site.toml": site, "briefs/a/index.en.md": briefA}
	newContent = map[string]string{"site.toml": site, "briefs/a/index.en.md": briefAEdit, "briefs/b/index.en.md": briefB}
)

// setContent makes dir/content hold exactly files.
func setContent(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	content := filepath.Join(dir, "content")
	if err := os.RemoveAll(content); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(content, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot reads every file under dir: slash path -> contents. A missing
// dir is an empty site.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && os.IsNotExist(err) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// diffSites names the first few files that differ between want and got.
func diffSites(want, got map[string]string) string {
	if len(got) == 0 {
		return "no site at all"
	}
	var d []string
	for _, p := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[p]
		switch {
		case !ok:
			d = append(d, "missing "+p)
		case g != want[p]:
			d = append(d, "different "+p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			d = append(d, "extra "+p)
		}
	}
	if len(d) > 5 {
		d = append(d[:5], fmt.Sprintf("and %d more", len(d)-5))
	}
	return strings.Join(d, ", ")
}

// beside lists the hidden folders beside public/ in dir.
func beside(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public") {
			names = append(names, e.Name())
		}
	}
	return names
}

// needStrace returns the path of a working strace.
func needStrace(t *testing.T) string {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err == nil {
		var out []byte
		if out, err = exec.Command(strace, "-f", "-qq", "-e", "trace=none", "true").CombinedOutput(); err != nil {
			err = fmt.Errorf("%v: %s", err, out)
		}
	}
	if err != nil {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
			t.Fatalf("strace does not run here: %v", err)
		}
		t.Skipf("strace does not run here: %v", err)
	}
	return strace
}

// underStrace runs `briefs build` of dir under strace, injecting inject
// into every call of syscalls. With inject "signal=SIGSTOP" the process
// stops after each such call, and at(n), for the nth stop, says whether to
// kill it there (SIGKILL) or let it go on (SIGCONT). It reports whether the
// process was killed.
func underStrace(t *testing.T, strace, syscalls, inject, bin, dir string, at func(n int) bool) (killed bool) {
	t.Helper()
	cmd := exec.Command(strace, "-f", "-qq", "-e", "trace="+syscalls, "-e", "signal=SIGSTOP,SIGKILL",
		"-e", "inject="+syscalls+":"+inject, "--", bin, "build", "-source", dir, "-quiet")
	// strace and the build in a group of their own, killed as one if
	// the test gives up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	waited := false
	defer func() {
		if !waited { // the test failed while the build was stopped
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			for range lines {
			}
			cmd.Wait()
		}
	}()
	var log []string
	timeout := time.After(2 * time.Minute)
	stops := 0
	for open := true; open; {
		select {
		case line, ok := <-lines:
			if !ok {
				open = false
				break
			}
			log = append(log, line)
			if killed || !strings.Contains(line, "--- SIGSTOP {") {
				continue
			}
			stops++
			pid := tracee(t, cmd.Process.Pid, line)
			sig := syscall.SIGCONT
			if at(stops) {
				sig, killed = syscall.SIGKILL, true
			}
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatalf("kill %d: %v", pid, err)
			}
		case <-timeout:
			t.Fatalf("the build under strace did not end in 2 minutes:\n%s", strings.Join(log, "\n"))
		}
	}
	err = cmd.Wait()
	waited = true
	if ee, ok := err.(*exec.ExitError); ok && !killed {
		// Killed at a syscall's entry: strace dies of the same signal.
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL && at == nil {
			return true
		}
	}
	if err != nil && !killed {
		t.Fatalf("the build under strace failed: %v\n%s", err, strings.Join(log, "\n"))
	}
	return killed
}

// tracee returns the process id of the build that strace (straceID) runs,
// from a line of its output ("[pid 123] --- SIGSTOP ...", 123 a thread).
func tracee(t *testing.T, straceID int, line string) int {
	t.Helper()
	if rest, ok := strings.CutPrefix(line, "[pid "); ok {
		tid, _, _ := strings.Cut(strings.TrimSpace(rest), "]")
		status, err := os.ReadFile("/proc/" + tid + "/status")
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.SplitSeq(string(status), "\n") {
			if v, ok := strings.CutPrefix(l, "Tgid:"); ok {
				if pid, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
					return pid
				}
			}
		}
		t.Fatalf("no Tgid in /proc/%s/status", tid)
	}
	children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", straceID, straceID))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.Fields(string(children) + " ?")[0])
	if err != nil {
		t.Fatalf("strace's child: %q", children)
	}
	return pid
}
