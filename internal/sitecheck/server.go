package sitecheck

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Handler serves a built site as a static host does: a folder's
// index.html for the folder's URL, a redirect to the slash for a folder
// named without it, and otherwise the 404 page of the path's language with
// status 404. Nothing outside dir is served, and folders are never listed.
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "\x00") || strings.Contains(p, "\\") {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
		clean := path.Clean(p)
		if clean != strings.TrimSuffix(p, "/") && clean != p {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
		file := filepath.Join(dir, filepath.FromSlash(clean))
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			if !strings.HasSuffix(p, "/") {
				http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
				return
			}
			file = filepath.Join(file, "index.html")
		}
		body, err := os.ReadFile(file)
		status := http.StatusOK
		if err != nil {
			status = http.StatusNotFound
			file = filepath.Join(dir, Lang(p), "404.html")
			if body, err = os.ReadFile(file); err != nil {
				file = filepath.Join(dir, "404.html")
				body, _ = os.ReadFile(file)
			}
		}
		w.Header().Set("Content-Type", contentType(file))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		if r.Method == http.MethodGet {
			w.Write(body)
		}
	})
}

func contentType(file string) string {
	switch base := filepath.Base(file); {
	case base == "atom.xml":
		return "application/atom+xml; charset=utf-8"
	case base == "sitemap.xml":
		return "application/xml; charset=utf-8"
	case strings.HasSuffix(base, ".xml"):
		return "application/rss+xml; charset=utf-8"
	case strings.HasSuffix(base, ".txt"):
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(filepath.Ext(file)); t != "" {
		return t
	}
	return "application/octet-stream"
}
