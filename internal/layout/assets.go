package layout

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Assets are the files of assets/ that the site serves, under fingerprinted
// names (public/assets/site.3f2a9c1d.css) that can be cached forever.
// Fonts are for the chart renderer and are not published.
type Assets struct {
	urls  map[string]string // "css/site.css" -> "/assets/site.3f2a9c1d.css"
	files map[string][]byte // output path -> bytes
}

// LoadAssets reads assets/.
func LoadAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{urls: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == "fonts" || (strings.HasPrefix(d.Name(), ".") && p != ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), "~") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(p)
		name := strings.TrimSuffix(path.Base(p), ext) + "." + hex.EncodeToString(sum[:4]) + ext
		out := "assets/" + name
		if _, dup := a.files[out]; dup {
			return fmt.Errorf("assets/%s: two assets publish as %s", p, out)
		}
		a.files[out] = data
		a.urls[p] = "/" + out
		return nil
	})
	return a, err
}

// URL returns the site path of an asset, or an error naming the known ones.
func (a *Assets) URL(name string) (string, error) {
	if u, ok := a.urls[name]; ok {
		return u, nil
	}
	return "", fmt.Errorf("no asset %q in assets/", name)
}

// Files are the published assets: output path -> contents.
func (a *Assets) Files() map[string][]byte { return a.files }
