package update

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// staged is a new file written beside the one it replaces.
type staged struct {
	tmp, path string
	j         *job
}

// writeAll replaces the files of the jobs under dir, each atomically: all
// are written to temporary files in their folders (synced, with the old
// file's mode) before any is renamed over its file, so a failure while
// writing leaves every file as it was. A file changed since it was read is
// an error.
func writeAll(dir string, jobs []*job) error {
	var done []staged
	cleanup := func() {
		for _, s := range done {
			os.Remove(s.tmp)
		}
	}
	for _, j := range jobs {
		s, err := stage(dir, j)
		if err != nil {
			cleanup()
			return fmt.Errorf("%s: %w: nothing written", j.name, err)
		}
		done = append(done, s)
	}
	dirs := map[string]bool{}
	for i, s := range done {
		if err := os.Rename(s.tmp, s.path); err != nil {
			var written []string
			for _, w := range done[:i] {
				written = append(written, w.j.name)
			}
			for _, w := range done[i:] {
				os.Remove(w.tmp)
			}
			return fmt.Errorf("%s: %w (already updated: %v)", s.j.name, err, written)
		}
		dirs[filepath.Dir(s.path)] = true
	}
	for d := range dirs {
		syncDir(d)
	}
	return nil
}

// stage writes the new content of j's file to a temporary file beside it.
func stage(dir string, j *job) (staged, error) {
	path := filepath.Join(dir, filepath.FromSlash(j.file))
	mode := fs.FileMode(0o644)
	cur, err := os.ReadFile(path)
	switch {
	case err == nil && !j.exists, err == nil && !bytes.Equal(cur, j.stored):
		return staged{}, errors.New("changed while downloading: run the update again")
	case errors.Is(err, fs.ErrNotExist) && j.exists:
		return staged{}, errors.New("removed while downloading")
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return staged{}, err
		}
	case err != nil:
		return staged{}, err
	default:
		st, err := os.Stat(path)
		if err != nil {
			return staged{}, err
		}
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".update-*")
	if err != nil {
		return staged{}, err
	}
	_, err = f.Write(j.out)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return staged{}, err
	}
	return staged{tmp: f.Name(), path: path, j: j}, nil
}

// syncDir makes a folder's renames durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
