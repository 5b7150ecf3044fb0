package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// waitFor waits, rebuild after rebuild, until ok holds: 30 s at most.
func waitFor(t *testing.T, s *running, what string, ok func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for !ok() {
		select {
		case <-s.rebuilt:
		case <-deadline:
			t.Fatalf("%s: not so after 30 s; serve printed:\n%s%s", what, s.out, s.err)
		}
	}
}

var stylesheetRe = regexp.MustCompile(`/assets/site\.[0-9a-f]+\.css`)

// TestFolderComesBack deletes or moves away each folder of the project,
// which breaks the site, then puts it back: serve watches it again, builds
// the site again and follows edits in its subfolders.
func TestFolderComesBack(t *testing.T) {
	dir := tinyProject(t)
	s := start(t, dir)
	page := s.url + "en/briefs/a/"
	body := func() string { _, b := get(t, page); return b }
	broken := func() bool { return strings.Contains(body(), `id="briefs-error"`) }
	// Each folder's edit, made after it came back, and how the site
	// shows it.
	type edit struct {
		file, old, new string
		shows          func(mark string) bool
	}
	edits := map[string]edit{
		"content": {"briefs/a/index.en.md", "Body of A", "Body of A", func(mark string) bool {
			return strings.Contains(body(), "Body of A"+mark)
		}},
		"templates": {"partials/footer.html", `<footer class="site-footer"`, `<footer class="site-footer"`, func(mark string) bool {
			return strings.Contains(body(), `<footer class="site-footer"`+mark)
		}},
		"assets": {"css/site.css", ".pager {", ".pager {", func(mark string) bool {
			css := stylesheetRe.FindString(body())
			_, data := get(t, s.url+strings.TrimPrefix(css, "/"))
			return strings.Contains(data, ".pager {"+mark)
		}},
	}
	n := 0
	for _, folder := range []string{"content", "templates", "assets"} {
		for _, how := range []string{"deleted and copied back", "moved away and back"} {
			t.Run(folder+" "+how, func(t *testing.T) {
				p := filepath.Join(dir, folder)
				away := p + "-away" // beside it: its events are not the site's
				switch how {
				case "deleted and copied back":
					if err := os.CopyFS(away, os.DirFS(p)); err != nil {
						t.Fatal(err)
					}
					if err := os.RemoveAll(p); err != nil {
						t.Fatal(err)
					}
				default:
					if err := os.Rename(p, away); err != nil {
						t.Fatal(err)
					}
				}
				waitFor(t, s, folder+" gone, the error shows", broken)
				if !strings.Contains(body(), folder) {
					t.Errorf("the error does not name %s:\n%s", folder, overlayText(body()))
				}
				switch how {
				case "deleted and copied back":
					if err := os.CopyFS(p, os.DirFS(away)); err != nil {
						t.Fatal(err)
					}
					if err := os.RemoveAll(away); err != nil {
						t.Fatal(err)
					}
				default:
					if err := os.Rename(away, p); err != nil {
						t.Fatal(err)
					}
				}
				waitFor(t, s, folder+" back, the error goes", func() bool { return !broken() })
				// Its subfolders are watched again.
				n++
				e := edits[folder]
				mark := fmt.Sprintf(" %d", n)
				replaceIn(t, filepath.Join(p, e.file), e.old, e.new+mark)
				waitFor(t, s, folder+" back, an edit in it shows", func() bool { return e.shows(mark) })
			})
		}
	}

	// Other entries of the project folder are not the site's: no rebuild.
	for len(s.rebuilt) > 0 {
		<-s.rebuilt
	}
	write(t, filepath.Join(dir, "README.md"), "notes")
	write(t, filepath.Join(dir, "public", "index.html"), "built elsewhere")
	select {
	case err := <-s.rebuilt:
		t.Errorf("a file beside the project's folders caused a rebuild (%v)", err)
	case <-time.After(500 * time.Millisecond):
	}
}
