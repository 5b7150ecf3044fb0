package serve

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"briefs/internal/content"

	"github.com/fsnotify/fsnotify"
)

// change is a batch of file events, debounced.
type change struct {
	paths    []string // OS paths that changed, in order, without repeats
	overflow bool     // events were lost: everything may have changed
}

// add adds to c the paths of o it lacks.
func (c *change) add(o change) {
	c.overflow = c.overflow || o.overflow
	for _, p := range o.paths {
		if !slices.Contains(c.paths, p) {
			c.paths = append(c.paths, p)
		}
	}
}

// onlyCSS reports whether every path of c is a stylesheet.
func (c change) onlyCSS() bool {
	if c.overflow || len(c.paths) == 0 {
		return false
	}
	for _, p := range c.paths {
		if filepath.Ext(p) != ".css" {
			return false
		}
	}
	return true
}

// watcher watches folders recursively and sends debounced batches of
// relevant changes. It also watches the folder above each root, so that a
// root deleted and made again, or moved away and back, is watched again.
type watcher struct {
	w     *fsnotify.Watcher
	roots []string
	// quiet is how long no event must arrive before a batch is sent;
	// longest bounds the wait while events keep coming.
	quiet, longest time.Duration
	// forget is called on every event, as it arrives, with its path (""
	// after an overflow), before the batch that includes it is sent.
	forget func(path string)
	logf   func(format string, args ...any)
}

func newWatcher(roots []string, forget func(string), logf func(string, ...any)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{w: fw, roots: roots, quiet: 5 * time.Millisecond, longest: 250 * time.Millisecond, forget: forget, logf: logf}
	for _, r := range roots {
		if err := w.addTree(r); err != nil {
			fw.Close()
			return nil, err
		}
	}
	// The folders above the roots, unless a root's tree holds them
	// already (site.toml's dataDir inside content/).
	for _, r := range roots {
		parent := filepath.Dir(r)
		if parent == r || w.root(parent) != "" {
			continue
		}
		if err := fw.Add(parent); err != nil {
			logf("watch %s: %v (a folder deleted and made again will need a restart)", parent, err)
		}
	}
	return w, nil
}

// root returns the root that holds p (the innermost, if roots nest), or "".
func (w *watcher) root(p string) string {
	found := ""
	for _, r := range w.roots {
		if (p == r || strings.HasPrefix(p, r+string(filepath.Separator))) && len(r) > len(found) {
			found = r
		}
	}
	return found
}

// rewatch follows a root that appeared, went or was replaced: it watches
// the tree there is now, or drops the watches of the one that went (a
// folder moved away keeps them, and would report its changes under its old
// name).
func (w *watcher) rewatch(root string) {
	if info, err := os.Stat(root); err == nil && info.IsDir() {
		if err := w.addTree(root); err != nil && !errors.Is(err, fs.ErrNotExist) {
			w.logf("watch %s: %v", root, err)
		}
		return
	}
	for _, p := range w.w.WatchList() {
		if p == root || strings.HasPrefix(p, root+string(filepath.Separator)) {
			w.w.Remove(p)
		}
	}
}

// addTree watches dir and every folder under it, but not hidden ones
// (.git, .cache).
func (w *watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p != dir {
				return nil // gone while walking
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return w.w.Add(p)
	})
}

// run sends batches on out until ctx ends.
func (w *watcher) run(ctx context.Context, out chan<- change) {
	defer w.w.Close()
	var (
		batch change
		seen  = map[string]bool{}
		quiet = time.NewTimer(w.quiet)
		// longest is set while a batch is pending.
		longest <-chan time.Time
	)
	quiet.Stop()
	send := func() {
		quiet.Stop()
		longest = nil
		select {
		case out <- batch:
		case <-ctx.Done():
		}
		batch, seen = change{}, map[string]bool{}
	}
	mark := func() {
		quiet.Reset(w.quiet)
		if longest == nil {
			longest = time.After(w.longest)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			root := w.root(ev.Name)
			if root == "" {
				continue // another entry of a folder above the roots
			}
			w.forget(ev.Name)
			switch {
			case ev.Name == root && ev.Op&(fsnotify.Create|fsnotify.Remove|fsnotify.Rename) != 0:
				w.rewatch(root)
			case ev.Has(fsnotify.Create):
				// A new folder: watch it and what was created
				// in it before the watch began.
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() && !strings.HasPrefix(info.Name(), ".") {
					if err := w.addTree(ev.Name); err != nil {
						w.logf("watch %s: %v", ev.Name, err)
					}
				}
			}
			if content.Ignored(filepath.Base(ev.Name)) || ev.Op == fsnotify.Chmod {
				continue
			}
			if !seen[ev.Name] {
				seen[ev.Name] = true
				batch.paths = append(batch.paths, ev.Name)
			}
			mark()
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.logf("too many file events at once: rebuilding everything")
				w.forget("")
				for _, r := range w.roots {
					w.rewatch(r)
				}
				batch.overflow = true
				mark()
				continue
			}
			w.logf("watch: %v", err)
		case <-quiet.C:
			if longest != nil {
				send()
			}
		case <-longest:
			send()
		}
	}
}
