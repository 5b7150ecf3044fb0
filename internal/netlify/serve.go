package netlify

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Handler serves the publish directory dir as Netlify serves a deploy: the
// redirect rules first (forced ones always, others only where no file
// answers), then the file, a folder's index.html, a redirect to the slash for
// a folder named without it, and /404.html with status 404 for anything
// else. Every response carries the headers the rules give its path. Nothing
// outside dir is served, and folders are never listed.
func (c *Config) Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		if !cleanPath(p) {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
		for k, v := range c.HeadersFor(p) {
			w.Header()[k] = v
		}
		// A folder named without its slash exists too: it is answered
		// with a redirect to the slash below, not by a 404 rule.
		exists := func(p string) bool {
			_, file := resolve(dir, p)
			_, folder := resolve(dir, p+"/")
			return file || folder
		}
		if route, ok := c.Route(Request{Path: p, AcceptLanguage: r.Header.Get("Accept-Language")}, exists); ok {
			switch route.Status {
			case http.StatusOK, http.StatusNotFound:
				if file, ok := resolve(dir, route.Target); ok {
					serveFile(w, r, file, route.Status)
					return
				}
			default:
				http.Redirect(w, r, route.Target, route.Status)
				return
			}
		}
		if file, ok := resolve(dir, p); ok {
			serveFile(w, r, file, http.StatusOK)
			return
		}
		if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(path.Clean(p)))); err == nil && st.IsDir() && !strings.HasSuffix(p, "/") {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		if file, ok := resolve(dir, "/404.html"); ok {
			serveFile(w, r, file, http.StatusNotFound)
			return
		}
		http.NotFound(w, r)
	})
}

// cleanPath refuses paths that are not absolute, hold a NUL or a
// backslash, or climb with "..".
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") {
		return false
	}
	clean := path.Clean(p)
	return clean == p || clean == strings.TrimSuffix(p, "/")
}

// resolve finds the file that answers URL path p in dir: the file itself,
// or index.html in a folder named with a trailing slash.
func resolve(dir, p string) (string, bool) {
	if !cleanPath(p) {
		return "", false
	}
	file := filepath.Join(dir, filepath.FromSlash(path.Clean(p)))
	st, err := os.Stat(file)
	if err != nil {
		return "", false
	}
	if st.IsDir() {
		if !strings.HasSuffix(p, "/") {
			return "", false
		}
		file = filepath.Join(file, "index.html")
		if st, err = os.Stat(file); err != nil || st.IsDir() {
			return "", false
		}
	}
	return file, true
}

func serveFile(w http.ResponseWriter, r *http.Request, file string, status int) {
	body, err := os.ReadFile(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if w.Header().Get("Content-Type") == "" || status != http.StatusOK {
		w.Header().Set("Content-Type", contentType(file))
	}
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}

// contentType is the type Netlify sends for a file when no header rule sets
// one.
func contentType(file string) string {
	ext := filepath.Ext(file)
	switch ext {
	case ".xml":
		return "application/xml"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
