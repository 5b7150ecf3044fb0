package update

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"briefs/internal/diag"
	"briefs/internal/market"
)

// An update replaces its files all or none, even if it is killed:
//
//  1. every new file is written beside the one it replaces, as
//     .NAME.update-N, and synced;
//  2. the journal, JournalName in the data folder, lists those renames
//     with the checksums of the old and new bytes; it is written to a
//     temporary file, synced, and renamed into place: from then on the
//     update is decided;
//  3. the new files are renamed over the old ones;
//  4. the journal is removed.
//
// The next update first recovers (see recoverWrites): with a journal, it
// finishes its renames (roll forward); without one, nothing was renamed,
// and it removes the temporary files (roll back). Between a kill in step 3
// and that recovery the folder holds some new files and some old ones, and
// the journal says so: see Interrupted.

// JournalName is the file, in the data folder, that lists the renames of an
// update while it makes them.
const JournalName = market.JournalName

// journal is JournalName's content.
type journal struct {
	Version int       `json:"version"`
	Renames []renamed `json:"renames"`
}

// renamed is one file an update replaces.
type renamed struct {
	Temp string `json:"temp"` // the new bytes, relative to the data folder, slash-separated
	File string `json:"file"` // the file they replace, in the same folder
	Old  string `json:"old"`  // SHA-256 of the file replaced, in hex; "" if it did not exist
	New  string `json:"new"`  // SHA-256 of the new bytes
}

// tempFile and journalTemp match the names of the temporary files of an
// update: os.CreateTemp's random part is digits.
var (
	tempFile    = regexp.MustCompile(`^\..+\.update-[0-9]+$`)
	journalTemp = regexp.MustCompile(`^` + regexp.QuoteMeta(JournalName) + `-[0-9]+$`)
)

// staged is a new file written beside the one it replaces.
type staged struct {
	tmp, path string
	j         *job
}

// writeAll replaces the files of the jobs under dir, all or none: see
// above. A file changed since it was read is an error, and nothing is
// written.
func writeAll(dir string, jobs []*job) error {
	unlock, err := lockDir(dir)
	if err != nil {
		return fmt.Errorf("%s: cannot lock the folder: %w: nothing written", dir, err)
	}
	defer unlock()

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
	jr := journal{Version: 1}
	dirs := map[string]bool{}
	for _, s := range done {
		tmp, _ := filepath.Rel(dir, s.tmp)
		file, _ := filepath.Rel(dir, s.path)
		r := renamed{Temp: filepath.ToSlash(tmp), File: filepath.ToSlash(file), New: checksum(s.j.out)}
		if s.j.exists {
			r.Old = checksum(s.j.stored)
		}
		jr.Renames = append(jr.Renames, r)
		dirs[filepath.Dir(s.path)] = true
	}
	for d := range dirs {
		syncDir(d) // the temporary files are there before the journal says so
	}
	if err := commitJournal(dir, jr); err != nil {
		cleanup()
		return fmt.Errorf("%s: cannot write: %w: nothing written", filepath.Join(dir, JournalName), err)
	}

	// Decided: every rename is made, or left to the next update.
	var failed []error
	renamedNames := 0
	for _, s := range done {
		if err := os.Rename(s.tmp, s.path); err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", s.j.name, err))
			continue
		}
		renamedNames++
	}
	for d := range dirs {
		syncDir(d)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w\nthe update is half made: %d of %d files replaced; fix the cause and run the update again, which finishes it (%s lists the rest)",
			errors.Join(failed...), renamedNames, len(done), filepath.Join(dir, JournalName))
	}
	if err := os.Remove(filepath.Join(dir, JournalName)); err != nil {
		return fmt.Errorf("every file is updated, but its journal remains: %w; the next update removes it", err)
	}
	syncDir(dir)
	return nil
}

// commitJournal writes the journal to a temporary file, syncs it, and
// renames it into place.
func commitJournal(dir string, jr journal) error {
	data, err := json.MarshalIndent(jr, "", "\t")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, JournalName+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(append(data, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, JournalName))
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	syncDir(dir)
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

// recoverWrites brings the data folder dir (named name in messages) back
// to one state after an update was killed: with a journal, it finishes its
// renames; then it removes every temporary file of an update. It returns
// notes on what it did. A file that is neither the old nor the new version
// the journal names (edited since?) is an error, and nothing is renamed.
func recoverWrites(dir, name string) ([]string, error) {
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot lock the folder: %w", dir, err)
	}
	defer unlock()

	var notes []string
	jpath := filepath.Join(dir, JournalName)
	data, err := os.ReadFile(jpath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, &diag.Error{File: name + JournalName, Msg: fmt.Sprintf("cannot read the journal of an interrupted update: %v", err), Err: err}
	default:
		finished, err := rollForward(dir, name, data)
		if err != nil {
			return nil, err
		}
		if err := os.Remove(jpath); err != nil {
			return nil, &diag.Error{File: name + JournalName, Msg: fmt.Sprintf("cannot remove: %v", err), Err: err}
		}
		syncDir(dir)
		notes = append(notes, fmt.Sprintf("finished an interrupted update: %s", finished))
	}

	var removed []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		switch {
		case d.IsDir():
			if p != dir && strings.HasPrefix(base, ".") {
				return filepath.SkipDir // .git and the like: never written by an update
			}
		case d.Type().IsRegular() && (tempFile.MatchString(base) || journalTemp.MatchString(base)):
			if err := os.Remove(p); err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			removed = append(removed, name+filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return notes, fmt.Errorf("%s: cannot remove the temporary files of an interrupted update: %w", dir, err)
	}
	if len(removed) > 0 {
		notes = append(notes, fmt.Sprintf("removed %d temporary %s of an interrupted update: %s", len(removed), plural(len(removed), "file"), listed(removed)))
	}
	return notes, nil
}

// rollForward makes the renames of a journal that are still to be made,
// and says which files it replaced.
func rollForward(dir, name string, data []byte) (string, error) {
	jname := name + JournalName
	bad := func(format string, args ...any) error {
		return &diag.Error{File: jname, Msg: fmt.Sprintf(format, args...) +
			"; the files it lists may be a mix of old and new versions: check them, then delete the journal"}
	}
	var jr journal
	if err := json.Unmarshal(data, &jr); err != nil || jr.Version != 1 || len(jr.Renames) == 0 {
		return "", bad("not the journal of an update, or a damaged one (%s)", quote(string(data)))
	}
	type step struct{ tmp, path string }
	var todo []step
	var done []string
	for _, r := range jr.Renames {
		if !filepath.IsLocal(r.File) || !filepath.IsLocal(r.Temp) || path.Dir(r.Temp) != path.Dir(r.File) ||
			!strings.HasPrefix(path.Base(r.Temp), "."+path.Base(r.File)+".update-") || !tempFile.MatchString(path.Base(r.Temp)) {
			return "", bad("a rename of %s to %s: expected a temporary file beside the file it replaces", quote(r.Temp), quote(r.File))
		}
		tmp, file := filepath.Join(dir, filepath.FromSlash(r.Temp)), filepath.Join(dir, filepath.FromSlash(r.File))
		cur, err := fileChecksum(file)
		if err != nil {
			return "", bad("cannot read %s%s: %v", name, r.File, err)
		}
		next, err := fileChecksum(tmp)
		switch {
		case err != nil:
			return "", bad("cannot read %s%s: %v", name, r.Temp, err)
		case next == "" && cur == r.New:
			done = append(done, name+r.File) // renamed before the kill
		case next == "":
			return "", bad("%s%s is neither its old nor its new version, and the new one is gone: was it edited since the update was interrupted?", name, r.File)
		case next != r.New:
			return "", bad("%s%s, the new version of %s%s, is damaged (its checksum differs from the journal's)", name, r.Temp, name, r.File)
		case cur != r.Old && cur != r.New:
			return "", bad("%s%s was changed since the update was interrupted (it is neither its old nor its new version): nothing renamed; the new version is in %s%s", name, r.File, name, r.Temp)
		default:
			todo = append(todo, step{tmp, file})
			done = append(done, name+r.File)
		}
	}
	dirs := map[string]bool{}
	for _, s := range todo {
		if err := os.Rename(s.tmp, s.path); err != nil {
			return "", &diag.Error{File: jname, Msg: fmt.Sprintf("cannot finish the interrupted update: %v; fix the cause and run the update again", err), Err: err}
		}
		dirs[filepath.Dir(s.path)] = true
	}
	for d := range dirs {
		syncDir(d)
	}
	return fmt.Sprintf("renamed the %d of its %d %s still to rename; every one is new now (%s)", len(todo), len(jr.Renames), plural(len(jr.Renames), "file"), listed(done)), nil
}

// Interrupted is market.Interrupted.
func Interrupted(fsys fs.FS, name string) error { return market.Interrupted(fsys, name) }

// listed names a few files.
func listed(names []string) string {
	names = slices.Clone(names)
	slices.Sort(names)
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}

func checksum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// fileChecksum returns the checksum of a file's bytes; "" if there is no
// such file.
func fileChecksum(p string) (string, error) {
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return checksum(b), nil
}

// syncDir makes a folder's renames durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
