// Package publish is the only code that writes the built site to disk. It
// writes every file into a fresh temporary directory beside the target and
// then swaps it in, so the target is never half-written and files that the
// build no longer produces disappear. Files can be written all at once
// (Write) or one by one as they are rendered (Begin, Stage.Write, Commit),
// so that a build need not hold the whole site in memory.
//
// At every instant a complete target exists, the old site or the new one,
// even if the process is killed: on Linux (and macOS) the new tree and the
// old one change places in one rename (RENAME_EXCHANGE). Where the file
// system cannot exchange, the old site is renamed away and the new one into
// its place, which leaves no target if the process dies between the two.
//
// The site replaced is moved aside, into a hidden folder beside the target
// (".public-old-*"), and removed while the next build writes: deleting
// thousands of files costs a quarter of a second on some disks, which the
// next build hides behind its rendering instead of adding it to this one.
//
// A build killed before it commits leaves its staging folder
// (".public-new-*"). The next build removes it, but only if no live build
// owns it: a build holds an exclusive flock on its staging folder until it
// commits or aborts, and the kernel drops the lock when the process dies,
// however it dies. A lock, unlike a process id in the folder's name, is not
// fooled by a reused pid or by a build in another pid namespace (a container
// sharing the folder). Where the file system has no flock (some network
// file systems), staging folders left behind are not removed.
package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Write replaces dir with exactly files (slash-separated relative paths to
// contents). An existing dir is only replaced if it is empty or holds a
// previous build (an index.html at its top), so a mistyped output path
// cannot wipe an unrelated folder.
func Write(ctx context.Context, dir string, files map[string][]byte) error {
	s, err := Begin(dir)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2 * runtime.GOMAXPROCS(0))
	for p, data := range files {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return s.Write(p, data)
		})
	}
	if err := g.Wait(); err != nil {
		s.Abort()
		return err
	}
	return s.Commit()
}

// Stage is a site being written into a fresh directory beside its target.
// Its Write is safe for concurrent use.
type Stage struct {
	dir, tmp string
	lock     *os.File // tmp, opened and locked; nil where locks are unsupported
	mu       sync.Mutex
	dirs     map[string]bool // folders made in tmp
	swept    chan struct{}   // closed when the sites replaced before are removed
}

// Begin starts writing a site that will replace dir on Commit. dir is
// checked as Write checks it.
func Begin(dir string) (*Stage, error) {
	dir = filepath.Clean(dir)
	if err := checkReplaceable(dir); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	// Not globs: the folder's name may hold *, ? or [.
	oldPrefix := "." + filepath.Base(dir) + "-old-"
	newPrefix := "." + filepath.Base(dir) + "-new-"
	tmp, lock, err := makeStaging(parent, newPrefix)
	if err != nil {
		return nil, err
	}
	s := &Stage{dir: dir, tmp: tmp, lock: lock, dirs: map[string]bool{".": true}, swept: make(chan struct{})}
	go func() {
		defer close(s.swept)
		entries, _ := os.ReadDir(parent)
		for _, e := range entries {
			p := filepath.Join(parent, e.Name())
			switch {
			case !e.IsDir() || p == tmp:
			case strings.HasPrefix(e.Name(), oldPrefix):
				os.RemoveAll(p)
			case strings.HasPrefix(e.Name(), newPrefix):
				removeAbandoned(p)
			}
		}
	}()
	return s, nil
}

// makeStaging makes a fresh folder named prefix* in parent and locks it.
// Another build's sweep may find the folder between its creation and its
// lock, take it for abandoned and remove it: then it is made again.
func makeStaging(parent, prefix string) (string, *os.File, error) {
	for range 5 {
		tmp, err := os.MkdirTemp(parent, prefix)
		if err != nil {
			return "", nil, err
		}
		if err := os.Chmod(tmp, 0o755); err != nil {
			os.RemoveAll(tmp)
			return "", nil, err
		}
		lock, err := lockDir(tmp, true)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			// No locks here (errors.ErrUnsupported, or a file
			// system that refuses them): build unprotected, and
			// no build removes folders it cannot lock either.
			return tmp, nil, nil
		}
		if same(lock, tmp) {
			return tmp, lock, nil
		}
		lock.Close()
	}
	return "", nil, fmt.Errorf("cannot make a staging folder in %s: each one made was removed at once (other builds of the same output running?)", parent)
}

// removeAbandoned removes the staging folder p of another build if that
// build is gone: if its lock can be taken.
func removeAbandoned(p string) {
	lock, err := lockDir(p, false)
	if err != nil {
		return // a live build's, or locks are unsupported: keep it
	}
	defer lock.Close()
	if same(lock, p) {
		os.RemoveAll(p)
	}
}

// same reports whether the open folder f is still the one named p.
func same(f *os.File, p string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(p)
	return err == nil && os.SameFile(a, b)
}

// Write writes one file, at the slash-separated relative path name.
func (s *Stage) Write(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, "\\") {
		return fmt.Errorf("publish: invalid output path %q", name)
	}
	file := filepath.Join(s.tmp, filepath.FromSlash(name))
	if err := s.mkdirs(filepath.Dir(filepath.FromSlash(name))); err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}

// Link puts the file src at name without copying it: a hard link, so src
// must not be changed in place afterwards. It fails where the file system
// cannot link (another device, no hard links); the caller then writes.
func (s *Stage) Link(name, src string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, "\\") {
		return fmt.Errorf("publish: invalid output path %q", name)
	}
	// The published file is src itself: it must be readable as every
	// written file is.
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() || st.Mode().Perm()&0o444 != 0o444 {
		return fmt.Errorf("publish: %s is not a file readable by all", src)
	}
	if err := s.mkdirs(filepath.Dir(filepath.FromSlash(name))); err != nil {
		return err
	}
	return os.Link(src, filepath.Join(s.tmp, filepath.FromSlash(name)))
}

// mkdirs makes the folder d of the stage and its parents, once.
func (s *Stage) mkdirs(d string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mkdirsLocked(d)
}

func (s *Stage) mkdirsLocked(d string) error {
	if s.dirs[d] {
		return nil
	}
	if err := s.mkdirsLocked(filepath.Dir(d)); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(s.tmp, d), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.dirs[d] = true
	return nil
}

// Commit puts the written site in place of the target. The site it
// replaces is removed by the next Begin.
func (s *Stage) Commit() error {
	<-s.swept // not to remove what this swap moves aside
	defer s.unlock()
	if err := swap(s.tmp, s.dir, exchange); err != nil {
		os.RemoveAll(s.tmp)
		return err
	}
	return nil
}

// Abort throws the written files away; the target is left as it was.
func (s *Stage) Abort() {
	<-s.swept
	os.RemoveAll(s.tmp)
	s.unlock()
}

func (s *Stage) unlock() {
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
}

func checkReplaceable(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("refusing to replace %s: it is not empty and does not look like a built site (no index.html)", dir)
	}
	return nil
}

// swap moves tmp into dir's place, and the old tree aside. exchange
// swaps two paths in one step, or fails with errors.ErrUnsupported.
func swap(tmp, dir string, exchange func(a, b string) error) error {
	err := exchange(tmp, dir)
	switch {
	case err == nil:
		// The old tree is at tmp's name now, unlocked once Commit
		// returns: if this fails, or the process dies first, the next
		// build removes it from there as an abandoned staging folder.
		if o, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+"-old-"); err == nil {
			if os.Rename(tmp, filepath.Join(o, "site")) != nil {
				os.Remove(o)
			}
		}
		return nil
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(dir); !errors.Is(lerr, fs.ErrNotExist) {
			return err
		}
		return os.Rename(tmp, dir) // the first build: nothing to replace
	case !errors.Is(err, errors.ErrUnsupported):
		return err
	}
	o, old := "", ""
	if _, err := os.Lstat(dir); err == nil {
		o, err = os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+"-old-")
		if err != nil {
			return err
		}
		old = filepath.Join(o, "site")
		if err := os.Rename(dir, old); err != nil {
			os.Remove(o)
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			// Put the previous site back rather than leave nothing.
			_ = os.Rename(old, dir)
			os.Remove(o)
		}
		return err
	}
	return nil
}
