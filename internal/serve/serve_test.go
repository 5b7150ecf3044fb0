package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// project copies the repository's templates and assets into a temporary
// project, with the content of testdata/project.txtar: site settings,
// labels, market data and two briefs of its own.
func project(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "../../templates", filepath.Join(dir, "templates"))
	copyTree(t, "../../assets", filepath.Join(dir, "assets"))
	ar, err := txtar.ParseFile(filepath.Join("testdata", "project.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tinyProject is the repository's templates and assets with one brief.
func tinyProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"templates", "assets"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("..", "..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "content/site.toml"),
		"baseURL = \"https://example.org/\"\ndefaultLanguage = \"en\"\n[languages.en]\ntitle = \"Briefs\"\n")
	write(t, filepath.Join(dir, "content/briefs/a/index.en.md"), "---\ntitle: A\ndate: 2026-01-05\n---\nBody of A.\n")
	return dir
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a serve.Run in the background.
type running struct {
	url      string
	out, err *syncBuffer
	rebuilt  chan error
	stop     func() error
}

func start(t testing.TB, dir string) *running {
	t.Helper()
	return startWith(t, Options{Dir: dir})
}

// startWith serves opt, with its outputs and callbacks set by the test.
func startWith(t testing.TB, opt Options) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{out: &syncBuffer{}, err: &syncBuffer{}, rebuilt: make(chan error, 100)}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opt.Drafts, opt.Future, opt.Stdout, opt.Stderr = true, true, r.out, r.err
	opt.Ready = func(url string) { ready <- url }
	opt.Rebuilt = func(err error) { r.rebuilt <- err }
	go func() { done <- Run(ctx, opt) }()
	select {
	case r.url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve ended before serving: %v\n%s", err, r.err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("serve did not start in 60 s")
	}
	var once sync.Once
	var stopErr error
	r.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(10 * time.Second):
				stopErr = fmt.Errorf("serve did not stop within 10 s of its context ending")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { r.stop() })
	return r
}

// events reads a page's event stream.
func events(t testing.TB, url string) <-chan [2]string {
	t.Helper()
	resp, err := http.Get(url + "_briefs/events")
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("event stream Content-Type %q", ct)
	}
	ch := make(chan [2]string, 100)
	go func() {
		defer resp.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		var name, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "" && name != "":
				ch <- [2]string{name, data}
				name, data = "", ""
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return ch
}

// settle drops the events of earlier steps: whatever arrives until the
// stream has been quiet for a while.
func settle(ch <-chan [2]string) {
	for {
		select {
		case <-ch:
		case <-time.After(300 * time.Millisecond):
			return
		}
	}
}

func next(t *testing.T, ch <-chan [2]string, what string) [2]string {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatalf("%s: event stream closed", what)
		}
		return ev
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no event in 30 s", what)
	}
	return [2]string{}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	write(t, path, strings.Replace(string(data), old, new, 1))
}

func TestServe(t *testing.T) {
	dir := project(t)
	s := start(t, dir)
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Fatalf("serving at %s, want the loopback", s.url)
	}
	if !strings.Contains(s.out.String(), "serving "+s.url) {
		t.Errorf("the URL is not printed:\n%s", s.out)
	}
	ev := events(t, s.url)
	if e := next(t, ev, "connect"); e[0] != "hello" {
		t.Fatalf("first event %v, want hello", e)
	}
	page := s.url + "zh/briefs/2026-01-27-fed-preview/"
	code, body := get(t, page)
	if code != 200 || !strings.Contains(body, `<script src="/_briefs/live.js"></script></body>`) {
		t.Fatalf("GET %s: %d, live-reload script injected: %v", page, code, strings.Contains(body, "live.js"))
	}
	if code, body := get(t, s.url+"_briefs/live.js"); code != 200 || !strings.Contains(body, "EventSource") {
		t.Fatalf("live.js: %d %q", code, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("serve wrote public/")
	}

	t.Run("edit a brief", func(t *testing.T) {
		settle(ev)
		brief := filepath.Join(dir, "content/briefs/2026-01-27-fed-preview/index.zh.md")
		replaceIn(t, brief, "## 观察清单", "## 观察清单（更新）")
		if e := next(t, ev, "after an edit"); e[0] != "reload" {
			t.Fatalf("event %v, want reload", e)
		}
		if _, body := get(t, page); !strings.Contains(body, "观察清单（更新）") {
			t.Error("the page does not show the edit")
		}
	})

	t.Run("break a template, then fix it", func(t *testing.T) {
		settle(ev)
		layout := filepath.Join(dir, "templates/brief.html")
		orig, _ := os.ReadFile(layout)
		replaceIn(t, layout, `{{- define "main" -}}`, `{{- define "main" -}}{{ .Nope }}`)
		if e := next(t, ev, "after breaking"); e[0] != "reload" {
			t.Fatalf("event %v, want reload", e)
		}
		code, body := get(t, page)
		if code != 200 || !strings.Contains(body, `id="briefs-error"`) {
			t.Fatalf("no error overlay on the last good page (%d)", code)
		}
		for _, want := range []string{"templates/brief.html:1:", "can&#39;t evaluate field Nope", "观察清单（更新）"} {
			if !strings.Contains(body, want) {
				t.Errorf("error page lacks %q", want)
			}
		}
		// Every page shows it, feeds are served as before.
		if _, home := get(t, s.url+"en/"); !strings.Contains(home, `id="briefs-error"`) {
			t.Error("the home page does not show the error")
		}
		if code, feed := get(t, s.url+"zh/index.xml"); code != 200 || strings.Contains(feed, "briefs-error") {
			t.Errorf("feed during the error: %d", code)
		}
		write(t, layout, string(orig))
		if e := next(t, ev, "after fixing"); e[0] != "reload" {
			t.Fatalf("event %v, want reload", e)
		}
		if _, body := get(t, page); strings.Contains(body, "briefs-error") || !strings.Contains(body, "观察清单（更新）") {
			t.Error("the fixed site still shows the error, or lost the edit")
		}
	})

	t.Run("a figure error names file:line:col", func(t *testing.T) {
		settle(ev)
		brief := filepath.Join(dir, "content/briefs/2026-02-06-gold-silver-divergence/index.en.md")
		orig, _ := os.ReadFile(brief)
		replaceIn(t, brief, `{{ ret "GLD" "1W"`, `{{ ret "GLDX" "1W"`)
		next(t, ev, "after a bad symbol")
		_, body := get(t, s.url+"en/")
		if !strings.Contains(body, "content/briefs/2026-02-06-gold-silver-divergence/index.en.md:") || !strings.Contains(body, "GLDX") {
			t.Errorf("the overlay does not place the error:\n%s", overlayText(body))
		}
		write(t, brief, string(orig))
		next(t, ev, "after fixing the symbol")
	})

	t.Run("a new brief folder", func(t *testing.T) {
		settle(ev)
		write(t, filepath.Join(dir, "content/briefs/2026-02-09-new-idea/index.zh.md"),
			"---\ntitle: 新的简报\ndate: 2026-02-09\ntags: [rates]\n---\n\n标普500收于{{ close \"SPX\" }}。\n")
		if e := next(t, ev, "after a new folder"); e[0] != "reload" {
			t.Fatalf("event %v, want reload", e)
		}
		code, body := get(t, s.url+"zh/briefs/2026-02-09-new-idea/")
		if code != 200 || !strings.Contains(body, "新的简报") {
			t.Fatalf("new brief: %d", code)
		}
		// A folder inside the new folder is watched too.
		write(t, filepath.Join(dir, "content/briefs/2026-02-09-new-idea/img/pic.webp"), "RIFF")
		next(t, ev, "after a file in a new subfolder")
		if code, _ := get(t, s.url+"zh/briefs/2026-02-09-new-idea/img/pic.webp"); code != 200 {
			t.Errorf("resource in a new subfolder: %d", code)
		}
	})

	t.Run("editor save patterns", func(t *testing.T) {
		settle(ev)
		brief := filepath.Join(dir, "content/briefs/2026-01-27-fed-preview/index.zh.md")
		d := filepath.Dir(brief)
		// Temporary files alone change nothing: no rebuild.
		write(t, filepath.Join(d, ".index.zh.md.swp"), "swap")
		write(t, filepath.Join(d, "4913"), "")
		os.Remove(filepath.Join(d, "4913"))
		write(t, filepath.Join(d, "index.zh.md___jb_tmp___"), "x")
		os.Remove(filepath.Join(d, "index.zh.md___jb_tmp___"))
		select {
		case e := <-ev:
			t.Fatalf("editor temporary files caused %v", e)
		case <-time.After(500 * time.Millisecond):
		}
		// vim with backupcopy=no: rename to a backup, write anew.
		orig, _ := os.ReadFile(brief)
		if err := os.Rename(brief, brief+"~"); err != nil {
			t.Fatal(err)
		}
		write(t, brief, strings.Replace(string(orig), "观察清单（更新）", "观察清单（vim）", 1))
		os.Remove(brief + "~")
		next(t, ev, "after a vim save")
		if _, body := get(t, page); !strings.Contains(body, "观察清单（vim）") {
			t.Error("vim save not shown")
		}
		// JetBrains safe write and atomic renames: write a temporary
		// file, rename it over the original.
		data, _ := os.ReadFile(brief)
		tmp := brief + "___jb_tmp___"
		write(t, tmp, strings.Replace(string(data), "（vim）", "（jb）", 1))
		if err := os.Rename(brief, brief+"___jb_old___"); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, brief); err != nil {
			t.Fatal(err)
		}
		os.Remove(brief + "___jb_old___")
		next(t, ev, "after a safe write")
		if _, body := get(t, page); !strings.Contains(body, "观察清单（jb）") {
			t.Error("safe write not shown")
		}
	})

	t.Run("stylesheet swapped without reload", func(t *testing.T) {
		settle(ev)
		replaceIn(t, filepath.Join(dir, "assets/css/site.css"), ".pager {", ".pager {\n  letter-spacing: 0.01em;")
		e := next(t, ev, "after a CSS edit")
		if e[0] != "css" || !strings.Contains(e[1], "/assets/site.") {
			t.Fatalf("event %v, want css with the new stylesheet", e)
		}
		href := strings.SplitN(strings.TrimPrefix(e[1], `["`), `"`, 2)[0]
		if code, css := get(t, s.url+strings.TrimPrefix(href, "/")); code != 200 || !strings.Contains(css, "letter-spacing: 0.01em") {
			t.Errorf("new stylesheet %s: %d", href, code)
		}
	})

	t.Run("no traversal", func(t *testing.T) {
		settle(ev)
		host := strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
		secret := filepath.Join(dir, "secret.txt")
		write(t, secret, "TOP SECRET")
		for _, p := range []string{"/../secret.txt", "/zh/../../secret.txt", "/%2e%2e/secret.txt", "/zh/%2e%2e/%2e%2e/secret.txt",
			"/..%2fsecret.txt", "/zh/..%2f..%2fsecret.txt", "/%2E%2E%2Fsecret.txt", "/..\\secret.txt", "/zh/..%5c..%5csecret.txt",
			"/content/site.toml", "/../content/site.toml", "/%00", "//etc/passwd", "/../../../../../../etc/passwd"} {
			status, body := rawGet(t, host, p)
			if status == 200 || strings.Contains(body, "TOP SECRET") || strings.Contains(body, "root:") || strings.Contains(body, "baseURL") {
				t.Errorf("GET %s: %d %.80q", p, status, body)
			}
		}
	})

	t.Run("not found and redirects", func(t *testing.T) {
		settle(ev)
		code, body := get(t, s.url+"en/no-such-page/")
		if code != 404 || !strings.Contains(body, `lang="en"`) {
			t.Errorf("missing English page: %d", code)
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(s.url + "zh/briefs/2026-01-27-fed-preview")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/zh/briefs/2026-01-27-fed-preview/" {
			t.Errorf("no redirect to the slash: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		// "//zh/briefs/..." is the site's own path, not a host to redirect to.
		req, err := http.NewRequest("GET", s.url+"zh/briefs/2026-01-27-fed-preview", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Path = "//zh/briefs/2026-01-27-fed-preview"
		resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != 301 || loc != "/zh/briefs/2026-01-27-fed-preview/" {
			t.Errorf("//path: %d to %q, want the site's own path", resp.StatusCode, loc)
		}
		if resp, err := http.Get(s.url + "zh/index.xml"); err != nil || resp.Header.Get("Content-Type") != "application/rss+xml; charset=utf-8" {
			t.Errorf("feed content type: %v %v", err, resp.Header.Get("Content-Type"))
		}
	})

	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.out.String(), "stopped") {
		t.Errorf("no clean stop:\n%s", s.out)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/"), time.Second); err == nil {
		t.Error("still listening after shutdown")
	}
}

// rawGet sends path exactly as given, unlike net/http's client, which
// cleans it.
func rawGet(t *testing.T, host, path string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func overlayText(page string) string {
	i := strings.Index(page, `id="briefs-error"`)
	if i < 0 {
		return "(no overlay)"
	}
	return page[i:min(len(page), i+600)]
}

// TestFirstBuildFails serves an error page until the project builds.
func TestFirstBuildFails(t *testing.T) {
	dir := project(t)
	replaceIn(t, filepath.Join(dir, "content/site.toml"), "paginate = 10", "paginate = ten")
	s := start(t, dir)
	code, body := get(t, s.url+"zh/")
	if code != 500 || !strings.Contains(body, "content/site.toml:") || !strings.Contains(body, "live.js") {
		t.Fatalf("error page: %d\n%s", code, overlayText(body))
	}
	ev := events(t, s.url)
	next(t, ev, "connect")
	replaceIn(t, filepath.Join(dir, "content/site.toml"), "paginate = ten", "paginate = 10")
	if e := next(t, ev, "after the fix"); e[0] != "reload" {
		t.Fatalf("event %v", e)
	}
	if code, _ := get(t, s.url+"zh/"); code != 200 {
		t.Fatalf("after the fix: %d", code)
	}
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	err = Run(context.Background(), Options{Dir: t.TempDir(), Port: port, Stdout: io.Discard, Stderr: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), "-port") {
		t.Fatalf("err = %v", err)
	}
}
