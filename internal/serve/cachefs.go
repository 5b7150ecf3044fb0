package serve

import (
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"briefs/internal/srcfs"
)

// cacheFS is a folder read through a cache that the watcher invalidates:
// a rebuild reads only the files that changed since the last one, from
// disk, and everything else from memory. It caches what the loaders ask
// for (ReadFile, ReadDir, Stat), failures included, so that a file that
// does not exist is not looked for again until something appears.
type cacheFS struct {
	dir  string // absolute
	fsys fs.FS

	mu    sync.Mutex
	files map[string]fileResult
	dirs  map[string]dirResult
	stats map[string]statResult
}

type fileResult struct {
	data []byte
	err  error
}

type dirResult struct {
	entries []fs.DirEntry
	err     error
}

type statResult struct {
	info fs.FileInfo
	err  error
}

// newCacheFS caches the folder dir, read under srcfs's rules with files of
// at most max bytes.
func newCacheFS(dir string, max srcfs.Limit) *cacheFS {
	c := &cacheFS{dir: dir, fsys: srcfs.New(dir, max)}
	c.reset()
	return c
}

// reset forgets everything: the answer to a lost event.
func (c *cacheFS) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files = map[string]fileResult{}
	c.dirs = map[string]dirResult{}
	c.stats = map[string]statResult{}
}

// forget drops what is cached about the file or folder at the OS path p,
// everything under it, and the listing of its folder. It reports whether
// p is inside the cached folder.
func (c *cacheFS) forget(p string) bool {
	rel, err := filepath.Rel(c.dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	name := filepath.ToSlash(rel)
	c.mu.Lock()
	defer c.mu.Unlock()
	if name == "." {
		c.files = map[string]fileResult{}
		c.dirs = map[string]dirResult{}
		c.stats = map[string]statResult{}
		return true
	}
	under := func(k string) bool { return k == name || strings.HasPrefix(k, name+"/") }
	for k := range c.files {
		if under(k) {
			delete(c.files, k)
		}
	}
	for k := range c.dirs {
		if under(k) {
			delete(c.dirs, k)
		}
	}
	for k := range c.stats {
		if under(k) {
			delete(c.stats, k)
		}
	}
	// The folder's listing changes when an entry appears or goes, and
	// so may the stat of the folders above (their modification time).
	for d := path.Dir(name); ; d = path.Dir(d) {
		delete(c.dirs, d)
		delete(c.stats, d)
		if d == "." {
			break
		}
	}
	return true
}

func (c *cacheFS) Open(name string) (fs.File, error) { return c.fsys.Open(name) }

func (c *cacheFS) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	r, ok := c.files[name]
	c.mu.Unlock()
	if ok {
		return r.data, r.err
	}
	data, err := fs.ReadFile(c.fsys, name)
	c.mu.Lock()
	c.files[name] = fileResult{data, err}
	c.mu.Unlock()
	return data, err
}

func (c *cacheFS) ReadDir(name string) ([]fs.DirEntry, error) {
	c.mu.Lock()
	r, ok := c.dirs[name]
	c.mu.Unlock()
	if ok {
		return r.entries, r.err
	}
	entries, err := fs.ReadDir(c.fsys, name)
	c.mu.Lock()
	c.dirs[name] = dirResult{entries, err}
	c.mu.Unlock()
	return entries, err
}

func (c *cacheFS) Stat(name string) (fs.FileInfo, error) {
	c.mu.Lock()
	r, ok := c.stats[name]
	c.mu.Unlock()
	if ok {
		return r.info, r.err
	}
	info, err := fs.Stat(c.fsys, name)
	c.mu.Lock()
	c.stats[name] = statResult{info, err}
	c.mu.Unlock()
	return info, err
}
