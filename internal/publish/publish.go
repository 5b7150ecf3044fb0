// Package publish is the only code that writes the built site to disk. It
// writes every file into a fresh temporary directory beside the target and
// then swaps it in, so the target is never half-written and files that the
// build no longer produces disappear. Files can be written all at once
// (Write) or one by one as they are rendered (Begin, Stage.Write, Commit),
// so that a build need not hold the whole site in memory.
//
// The site replaced is moved aside, into a hidden folder beside the target
// (".public-old-*"), and removed while the next build writes: deleting
// thousands of files costs a quarter of a second on some disks, which the
// next build hides behind its rendering instead of adding it to this one.
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
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+"-new-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	s := &Stage{dir: dir, tmp: tmp, dirs: map[string]bool{".": true}, swept: make(chan struct{})}
	go func() {
		defer close(s.swept)
		// Not a glob: the folder's name may hold *, ? or [.
		prefix := "." + filepath.Base(dir) + "-old-"
		entries, _ := os.ReadDir(parent)
		for _, e := range entries {
			if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
				os.RemoveAll(filepath.Join(parent, e.Name()))
			}
		}
	}()
	return s, nil
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
	if err := swap(s.tmp, s.dir); err != nil {
		os.RemoveAll(s.tmp)
		return err
	}
	return nil
}

// Abort throws the written files away; the target is left as it was.
func (s *Stage) Abort() {
	<-s.swept
	os.RemoveAll(s.tmp)
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

// swap moves tmp into dir's place, and the old tree aside.
func swap(tmp, dir string) error {
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
