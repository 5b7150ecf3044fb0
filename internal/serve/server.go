package serve

import (
	"bytes"
	"fmt"
	"html"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"briefs/internal/diag"
)

// site is what the server shows: the last good build and, when the
// latest build failed, its error.
type site struct {
	files   map[string][]byte // output path -> bytes; nil before a good build
	err     error
	version int64 // changes with every build, good or not
}

// server serves the site from memory with live reload.
type server struct {
	mu   sync.RWMutex
	site site

	hub  hub
	quit chan struct{} // closed at shutdown: event streams end

	// hosts says which Host headers are answered; url is the site's.
	hosts func(host string) bool
	url   string
}

// Paths the server keeps for itself; no site file starts with "_briefs".
const (
	eventsPath = "/_briefs/events"
	scriptPath = "/_briefs/live.js"
)

func (s *server) set(st site) {
	s.mu.Lock()
	s.site = st
	s.mu.Unlock()
}

func (s *server) get() site {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.site
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.hosts != nil && !s.hosts(r.Host) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusMisdirectedRequest)
		fmt.Fprintf(w, "briefs serve: refusing a request for host %s: the preview answers only localhost, IP addresses and the name given to -bind, "+
			"so that a web page cannot reach it under its own domain name (DNS rebinding); open %s\n", quote(r.Host), s.url)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(liveScript))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := s.get()
	if st.files == nil {
		s.errorPage(w, st.err)
		return
	}
	name, ok := sitePath(r.URL.Path)
	if !ok {
		http.Error(w, "bad path: it leaves the site", http.StatusBadRequest)
		return
	}
	data, found := st.files[name]
	switch {
	case found:
	case !strings.HasSuffix(name, "/index.html") && st.files[name+"/index.html"] != nil:
		// To the site's own path: "//host/x" must not become a redirect
		// to another host.
		http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
		return
	default:
		s.notFound(w, r, st)
		return
	}
	s.write(w, r, name, data, st.err, http.StatusOK)
}

// allowedHosts returns which Host headers (with or without a port) a
// server bound to bind answers. DNS rebinding lets a web page send requests
// to the preview under the page's own domain name, which this refuses; it
// allows localhost, IP addresses (a page cannot rebind an address), the
// name given to -bind and, bound to every interface, this machine's name.
// A request without Host (HTTP/1.0) does not come from a browser: it is
// answered. The port is not checked, so that a tunnel to another port
// (ssh -L 8080:localhost:1313) still works.
func allowedHosts(bind string) func(host string) bool {
	names := map[string]bool{"localhost": true}
	norm := func(h string) string { return strings.TrimSuffix(strings.ToLower(h), ".") }
	if bind != "" {
		names[norm(bind)] = true
	}
	if ip, err := netip.ParseAddr(bind); err == nil && ip.IsUnspecified() {
		if h, err := os.Hostname(); err == nil && h != "" {
			names[norm(h)] = true
		}
	}
	return func(host string) bool {
		if host == "" {
			return true
		}
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			host = host[1 : len(host)-1]
		}
		if _, err := netip.ParseAddr(host); err == nil {
			return true
		}
		return names[norm(host)]
	}
}

// quote quotes s for a message, cut to its first 200 bytes.
func quote(s string) string {
	if len(s) > 200 {
		return strconv.Quote(s[:200]) + "..."
	}
	return strconv.Quote(s)
}

// sitePath maps a URL path to the output path of its file: "/zh/" to
// "zh/index.html". It refuses paths with a ".." segment, in whatever
// encoding they came (the path is already decoded), and NUL bytes.
func sitePath(p string) (string, bool) {
	if strings.ContainsRune(p, 0) || strings.Contains(p, "\\") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" {
		return "index.html", true
	}
	if strings.HasSuffix(p, "/") {
		name += "/index.html"
	}
	return name, true
}

// notFound serves the 404 page of the language the path is in, or the
// site's.
func (s *server) notFound(w http.ResponseWriter, r *http.Request, st site) {
	name := "404.html"
	if lang, _, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); ok && st.files[lang+"/404.html"] != nil {
		name = lang + "/404.html"
	}
	data, ok := st.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.write(w, r, name, data, st.err, http.StatusNotFound)
}

// write sends a site file. HTML pages get the live-reload script and,
// after a failed build, the error over the page.
func (s *server) write(w http.ResponseWriter, r *http.Request, name string, data []byte, buildErr error, code int) {
	ext := path.Ext(name)
	ctype := mime.TypeByExtension(ext)
	switch {
	case strings.HasSuffix(name, "atom.xml"):
		ctype = "application/atom+xml; charset=utf-8"
	case strings.HasSuffix(name, "index.xml"):
		ctype = "application/rss+xml; charset=utf-8"
	case ext == ".xml":
		ctype = "application/xml; charset=utf-8"
	case ext == ".txt":
		ctype = "text/plain; charset=utf-8"
	case ctype == "":
		ctype = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if ext == ".html" {
		data = inject(data, buildErr)
	}
	h.Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// inject adds the live-reload script, and the error overlay if err is
// set, before the page's </body>.
func inject(page []byte, err error) []byte {
	add := `<script src="` + scriptPath + `"></script>`
	if err != nil {
		add = overlay(err) + add
	}
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(add))
	out = append(out, page[:i]...)
	out = append(out, add...)
	return append(out, page[i:]...)
}

// overlay shows a build error on top of the page: each problem with its
// file:line:col.
func overlay(err error) string {
	var b strings.Builder
	b.WriteString(`<div id="briefs-error" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;` +
		`margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e9;border-top:4px solid #e0413a;` +
		`font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.4)">`)
	b.WriteString(`<strong style="display:block;margin-bottom:.5rem;font-size:15px">Build failed: showing the last good site until the next save fixes it</strong>`)
	b.WriteString(`<pre style="margin:0;white-space:pre-wrap;word-break:break-word">`)
	for _, e := range diag.Flatten(err) {
		b.WriteString(html.EscapeString(e.Error()))
		b.WriteString("\n")
	}
	b.WriteString(`</pre></div>`)
	return b.String()
}

// errorPage answers every request while no build has succeeded yet.
func (s *server) errorPage(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	page := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
		`<title>Build failed · briefs serve</title></head><body></body></html>`
	if err == nil {
		err = fmt.Errorf("the site has not been built yet")
	}
	w.Write(inject([]byte(page), err))
}

// events streams build events to a page (Server-Sent Events): "hello" with
// the build version on connecting, "reload" after a build, and "css" with
// the new stylesheet URL when only a stylesheet changed.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	ch := s.hub.subscribe()
	defer s.hub.unsubscribe(ch)
	fmt.Fprintf(w, "retry: 500\nevent: hello\ndata: %d\n\n", s.get().version)
	fl.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case ev := <-ch:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
			fl.Flush()
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			fl.Flush()
		case <-r.Context().Done():
			return
		case <-s.quit:
			return
		}
	}
}

// event is one Server-Sent Event.
type event struct{ name, data string }

// hub fans events out to the connected pages.
type hub struct {
	mu   sync.Mutex
	subs map[chan event]bool
}

func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[chan event]bool{}
	}
	ch := make(chan event, 8)
	h.subs[ch] = true
	return ch
}

func (h *hub) unsubscribe(ch chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, ch)
}

// send delivers ev to every page; a page too slow to take it misses it,
// which costs nothing since every event means "look again".
func (h *hub) send(ev event) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- ev:
		default:
		}
	}
	return len(h.subs)
}

// liveScript reloads the page after a build, swaps the stylesheet when
// only it changed, and reloads when it reconnects to a server that built
// something since (a restart, or events missed while disconnected).
const liveScript = `(() => {
  "use strict";
  let version = null;
  const es = new EventSource(` + "`" + eventsPath + "`" + `);
  es.addEventListener("hello", (e) => {
    if (version !== null && e.data !== version) location.reload();
    version = e.data;
  });
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("css", (e) => {
    const [href, v] = JSON.parse(e.data);
    version = v;
    const stem = (u) => u.replace(/\.[0-9a-f]{8}\.css$/, "");
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const old = new URL(link.href, location.href).pathname;
      if (stem(old) === stem(href)) link.href = href;
    }
  });
})();
`
