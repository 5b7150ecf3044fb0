package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// project copies the repository's templates and assets and the given content
// files into a temporary project folder.
func tempProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"templates", "assets"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("..", "..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const site = "baseURL = \"https://example.org/\"\ndefaultLanguage = \"zh\"\n[languages.zh]\ntitle = \"简报\"\n[languages.en]\ntitle = \"Briefs\"\n"

func TestBuild(t *testing.T) {
	dir := tempProject(t, map[string]string{
		"site.toml":            site,
		"briefs/a/index.zh.md": "---\ntitle: 甲\ndate: 2026-01-05\n---\n正文\n",
		"briefs/a/index.en.md": "---\ntitle: A\ndate: 2026-01-05\n---\nBody\n",
	})
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "-source", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	re := regexp.MustCompile(`^built 1 briefs: 8 pages \(zh 4, en 4\), 4 feeds, \d+ files in \S+ -> \S+/public\n$`)
	if !re.MatchString(stdout.String()) {
		t.Errorf("summary %q does not match %s", stdout.String(), re)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "zh", "briefs", "a", "index.html")); err != nil {
		t.Error(err)
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"build", "-source", dir, "-quiet"}, &stdout, &stderr); err != nil || stdout.Len()+stderr.Len() != 0 {
		t.Errorf("-quiet printed %q %q (%v)", stdout.String(), stderr.String(), err)
	}
}

// TestBuildErrors runs the real binary: errors go to stderr, one per line
// with file:line, the exit status is 1, and public/ is not created.
func TestBuildErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "briefs")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := tempProject(t, map[string]string{
		"site.toml":            site,
		"briefs/a/index.zh.md": "---\ntitle: 甲\ndate: 2026-01-35\n---\n",
		"briefs/b/index.en.md": "---\ntitle: B\ndate: 2026-01-05\ntagz: [x]\n---\n",
	})
	cmd := exec.Command(bin, "build", "-source", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1", err)
	}
	want := "error: " + filepath.ToSlash(dir) + "/content/briefs/a/index.zh.md:3:7: date 2026-01-35: that day does not exist: January 2026 has 31 days\n" +
		"error: " + filepath.ToSlash(dir) + "/content/briefs/b/index.en.md:4:1: unknown front matter key \"tagz\" (did you mean \"tags\"?)\n" +
		"2 errors\n"
	if stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout: %q", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("public/ exists after a failed build: %v", err)
	}
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, &stdout, &stderr); err == nil || !strings.Contains(stderr.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v %q", err, stderr.String())
	}
	stderr.Reset()
	if err := run(context.Background(), nil, &stdout, &stderr); err == nil || !strings.Contains(stderr.String(), "Usage:") {
		t.Errorf("no command: %v %q", err, stderr.String())
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"version"}, &stdout, &stderr); err != nil || !strings.HasPrefix(stdout.String(), "briefs ") {
		t.Errorf("version: %v %q", err, stdout.String())
	}
	// -h prints the synopsis and flags to stdout, and succeeds.
	for _, cmd := range [][]string{{"build", "-h"}, {"serve", "-help"}, {"check", "--help"}, {"new", "-h"}, {"data", "update", "-h"}} {
		stdout.Reset()
		stderr.Reset()
		if err := run(context.Background(), cmd, &stdout, &stderr); err != nil || !strings.HasPrefix(stdout.String(), "Usage: briefs "+cmd[0]) || !strings.Contains(stdout.String(), "-source") || stderr.Len() > 0 {
			t.Errorf("%v: %v\nstdout %q\nstderr %q", cmd, err, stdout.String(), stderr.String())
		}
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"--version"}, &stdout, &stderr); err != nil || !strings.HasPrefix(stdout.String(), "briefs ") {
		t.Errorf("--version: %v %q", err, stdout.String())
	}
	// Exit statuses: 2 for a command used wrongly.
	for _, cmd := range [][]string{nil, {"frobnicate"}, {"build", "-nope"}, {"build", "extra"}, {"new"}, {"data"}, {"data", "update", "-jobs", "0"}} {
		if err := run(context.Background(), cmd, &stdout, &stderr); exitCode(err) != 2 {
			t.Errorf("%v: exit status %d (%v), want 2", cmd, exitCode(err), err)
		}
	}
	stderr.Reset()
	dir := tempProject(t, map[string]string{"site.toml": site})
	if err := run(context.Background(), []string{"build", "-source", dir, "-base-url", "example.org"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), `-base-url: baseURL "example.org"`) {
		t.Errorf("bad -base-url: %v", err)
	}
	stderr.Reset()
	if err := run(context.Background(), []string{"build", "-nope"}, &stdout, &stderr); err == nil || !strings.Contains(stderr.String(), "flag provided but not defined: -nope") {
		t.Errorf("bad flag: %v %q", err, stderr.String())
	}
}

// TestCheck: check covers drafts and future briefs, writes nothing, warns
// about hand-typed figures, and fails on errors (and on warnings with
// -strict).
func TestCheck(t *testing.T) {
	dir := tempProject(t, map[string]string{
		"site.toml":                site,
		"briefs/a/index.en.md":     "---\ntitle: A\ndate: 2026-01-05\n---\nVIX at 17.8 today.\n",
		"briefs/later/index.en.md": "---\ntitle: Later\ndate: 2999-01-05\ndraft: true\n---\nFine.\n",
	})
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"check", "-source", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("check: %v\n%s", err, stderr.String())
	}
	briefs := filepath.ToSlash(dir) + "/content/briefs/"
	wantWarn := "warning: " + briefs + "a/index.en.md: no translation index.zh.md: the brief is missing from the other language's lists and feeds\n" +
		"warning: " + briefs + "a/index.en.md:5:8: hand-typed figure \"17.8\": compute it with a template call ({{ close \"SYMBOL\" }}) or mark the line <!-- check:ignore -->\n" +
		"warning: " + briefs + "later/index.en.md: no translation index.zh.md: the brief is missing from the other language's lists and feeds\n" +
		"warning: " + briefs + "later/index.en.md:3:1: dated 2999-01-05, after today: left out of the site until that day (build -future includes it)\n"
	if stderr.String() != wantWarn || stdout.String() != "checked 1 briefs: 4 warnings\n" {
		t.Errorf("stdout %q\nstderr %q\nwant %q", stdout.String(), stderr.String(), wantWarn)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("check wrote public/: %v", err)
	}
	stdout.Reset()
	stderr.Reset()
	if err := run(context.Background(), []string{"check", "-source", dir, "-strict"}, &stdout, &stderr); err == nil || !strings.HasSuffix(stderr.String(), "4 warnings\n") || exitCode(err) != 3 {
		t.Errorf("-strict: %v (exit status %d) %q", err, exitCode(err), stderr.String())
	}
	// An error in a future draft fails the check, though build skips it.
	if err := os.WriteFile(filepath.Join(dir, "content/briefs/later/index.en.md"), []byte("---\ntitle: Later\ndate: 2999-01-05\ndraft: true\n---\n{{ close \"RTY\" }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"build", "-source", dir, "-quiet"}, &stdout, &stderr); err != nil {
		t.Errorf("build: %v", err)
	}
	// check builds drafts; future briefs (whose data may not exist yet)
	// only with -future. The warnings are printed all the same.
	stderr.Reset()
	if err := run(context.Background(), []string{"check", "-source", dir}, &stdout, &stderr); err != nil {
		t.Errorf("check without -future: %v", err)
	}
	stderr.Reset()
	err := run(context.Background(), []string{"check", "-source", dir, "-future"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "later/index.en.md:6:4: {{ close \"RTY\" }}: this site has no market data") {
		t.Errorf("check -future of a broken future draft: %v", err)
	}
	if !strings.Contains(stderr.String(), "hand-typed figure \"17.8\"") || !strings.Contains(stderr.String(), "later/index.en.md:3:1: no asof") {
		t.Errorf("warnings of a failed check: %q", stderr.String())
	}
}
