// Package srcfs reads a project folder (content/, templates/, assets/ or
// the market data) as an fs.FS that hands out only what a site may be
// built from: regular files inside the folder, of a bounded size.
//
//   - A symbolic link is followed only when it stays inside the folder
//     and is relative. A link out of the folder (to /etc/passwd, to
//     /proc/self/environ, to a file of another project) is an error
//     naming the link and where it points, so that nothing outside the
//     folder is read, published or quoted in a message. The folder itself
//     may be reached through links: it is the root.
//   - A named pipe, socket or device is an error, and so is a folder where
//     a file is read. Files are opened without blocking and checked once
//     open, so a pipe with no writer cannot hang a build.
//   - Every file read is capped in size, by a Limit per file name.
//
// Errors are *fs.PathError with the path relative to the folder, as
// os.DirFS's are, so callers name the file as they always have; those of
// this package wrap ErrOutside, ErrNotFile or ErrTooLarge.
//
// The folder stays open between calls (an os.Root; on Linux, files are
// opened with openat2 and RESOLVE_BENEATH, one system call per file). Each
// call checks that the folder's path still names the folder it opened, so
// a folder deleted and created again, or renamed away and replaced, is
// read where it now is.
package srcfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// The errors this package's errors wrap, for errors.Is.
var (
	ErrOutside  = errors.New("symbolic link out of the folder")
	ErrNotFile  = errors.New("not a regular file")
	ErrTooLarge = errors.New("file too large")
)

// A Limit is the largest size, in bytes, a file of the folder may have,
// by its slash-separated name in the folder.
type Limit func(name string) int64

// Max is the Limit of n bytes for every file.
func Max(n int64) Limit { return func(string) int64 { return n } }

// FS is a folder read under the rules of the package.
type FS struct {
	dir string // as given: named in messages
	max Limit

	mu sync.Mutex
	h  *handle // the folder as last opened

	rootOnly bool // opens files through os.Root alone (for tests)
}

// handle is the folder, open. A handle replaced by a newer one is not
// closed, as calls may still be using it; the garbage collector closes it.
type handle struct {
	root     *os.Root
	dir      *os.File    // the folder itself
	id       fs.FileInfo // the folder when it was opened
	rootOnly bool
}

var (
	_ fs.ReadFileFS = (*FS)(nil)
	_ fs.ReadDirFS  = (*FS)(nil)
	_ fs.StatFS     = (*FS)(nil)
	_ fs.ReadLinkFS = (*FS)(nil)
)

// New returns the folder dir, whose files may be at most max(name) bytes
// each. The folder need not exist yet: until it does, every call fails
// with an error that is fs.ErrNotExist.
func New(dir string, max Limit) *FS { return &FS{dir: dir, max: max} }

// Open opens a file or a folder. A file reads at most its Limit; a folder
// can be listed with ReadDir.
func (f *FS) Open(name string) (fs.File, error) {
	file, info, err := f.open("open", name)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return file, nil
	}
	max := f.max(name)
	if err := checkFile(filepath.ToSlash(f.dir), name, info.Mode(), info.Size(), max); err != nil {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &cappedFile{file: file, name: name, folder: filepath.ToSlash(f.dir), max: max}, nil
}

// readCloser is what openRead returns: an *os.File, or on Linux a bare
// file descriptor.
type readCloser interface {
	Read(p []byte) (int, error)
	Close() error
}

// ReadFile reads a regular file whole.
func (f *FS) ReadFile(name string) ([]byte, error) {
	h, err := f.folder("open", name)
	if err != nil {
		return nil, err
	}
	file, mode, size, err := h.openRead(name)
	if err != nil {
		return nil, f.explain("open", name, err)
	}
	defer file.Close()
	max := f.max(name)
	if err := checkFile(filepath.ToSlash(f.dir), name, mode, size, max); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	// One byte more than the size, to see the end of the file without
	// growing the buffer; a file growing as it is read is still capped.
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := file.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > max {
			return nil, &fs.PathError{Op: "read", Path: name, Err: tooLarge(filepath.ToSlash(f.dir), int64(len(data)), max, true)}
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: unwrap(err)}
		}
	}
}

// ReadDir lists a folder, sorted by name. Entries describe the entries
// themselves: a symbolic link is listed as one, whatever it points to, and
// is only checked when it is opened.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	file, info, err := f.open("readdir", name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if !info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: &Error{kind: syscall.ENOTDIR, msg: "a file, not a folder"}}
	}
	entries, err := file.ReadDir(-1)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: unwrap(err)}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// Stat describes a file or folder, following links inside the folder. It
// reports pipes and devices as what they are, without error: they are
// refused only when read.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	h, err := f.folder("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := h.root.Stat(name)
	if err != nil {
		return nil, f.explain("stat", name, err)
	}
	return info, nil
}

// Lstat describes a file or folder without following a last symbolic
// link, as ReadDir's entries do.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	h, err := f.folder("lstat", name)
	if err != nil {
		return nil, err
	}
	info, err := h.root.Lstat(name)
	if err != nil {
		return nil, f.explain("lstat", name, err)
	}
	return info, nil
}

// ReadLink returns where a symbolic link points, as written.
func (f *FS) ReadLink(name string) (string, error) {
	h, err := f.folder("readlink", name)
	if err != nil {
		return "", err
	}
	target, err := h.root.Readlink(name)
	if err != nil {
		return "", f.explain("readlink", name, err)
	}
	return target, nil
}

// open opens name without blocking (a pipe opens at once) and describes
// what it opened.
func (f *FS) open(op, name string) (*os.File, fs.FileInfo, error) {
	h, err := f.folder(op, name)
	if err != nil {
		return nil, nil, err
	}
	file, err := h.openFile(name)
	if err != nil {
		return nil, nil, f.explain(op, name, err)
	}
	info, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, nil, &fs.PathError{Op: op, Path: name, Err: unwrap(err)}
	}
	return file, info, nil
}

// folder returns the folder open, opening it again when its path no
// longer names the folder last opened.
func (f *FS) folder(op, name string) (*handle, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	// Checked before opening, as opening a pipe would wait for a writer.
	info, err := os.Stat(f.dir)
	if err == nil && !info.IsDir() {
		err = &Error{kind: syscall.ENOTDIR, msg: fmt.Sprintf("%s is not a folder", filepath.ToSlash(f.dir))}
	}
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: unwrap(err)}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.h != nil && os.SameFile(f.h.id, info) {
		return f.h, nil
	}
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: unwrap(err)}
	}
	dir, err := root.Open(".")
	if err != nil {
		root.Close()
		return nil, &fs.PathError{Op: op, Path: name, Err: unwrap(err)}
	}
	id, err := dir.Stat()
	if err != nil {
		root.Close()
		dir.Close()
		return nil, &fs.PathError{Op: op, Path: name, Err: unwrap(err)}
	}
	f.h = &handle{root: root, dir: dir, id: id, rootOnly: f.rootOnly}
	return f.h, nil
}

// openRootFile opens name through the os.Root, without blocking.
func (h *handle) openRootFile(name string) (*os.File, error) {
	return h.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// openRootRead is openRead through the os.Root.
func (h *handle) openRootRead(name string) (readCloser, fs.FileMode, int64, error) {
	file, err := h.openRootFile(name)
	if err != nil {
		return nil, 0, 0, err
	}
	info, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, 0, 0, err
	}
	return file, info.Mode(), info.Size(), nil
}

// unwrap returns the cause of an *fs.PathError, whose path is an OS path
// or a path relative to the folder in another form than the caller's.
func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// explain turns the error of an operation in the root into one naming the
// symbolic link that leaves the folder, if that is the cause.
func (f *FS) explain(op, name string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		if e := f.linkOut(name); e != nil {
			return &fs.PathError{Op: op, Path: name, Err: e}
		}
	}
	return &fs.PathError{Op: op, Path: name, Err: unwrap(err)}
}

// linkOut finds the first symbolic link on the way to name that the root
// refuses: one whose target is outside the folder, absolute, or reached
// through "..". It only explains a refusal; the root is what enforces it.
func (f *FS) linkOut(name string) *Error {
	dir, err := filepath.Abs(f.dir)
	if err != nil {
		return nil
	}
	base, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil
	}
	folder := filepath.ToSlash(f.dir)
	parts := strings.Split(name, "/")
	for i := range parts {
		link := path.Join(parts[:i+1]...)
		p := filepath.Join(dir, filepath.FromSlash(link))
		info, err := os.Lstat(p)
		if err != nil {
			return nil
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := os.Readlink(p)
		if err != nil {
			return nil
		}
		// Where it leads, through any further links; as written when
		// that does not exist.
		dest, err := filepath.EvalSymlinks(p)
		if err != nil {
			dest = target
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(filepath.Dir(p), dest)
			}
		}
		what := "a symbolic link"
		if link != name {
			what = fmt.Sprintf("%s/%s is a symbolic link", folder, link)
		}
		to := quote(target)
		if d := filepath.ToSlash(dest); d != filepath.ToSlash(target) {
			to += " (" + quote(d) + ")"
		}
		if !inside(base, dest) {
			return &Error{kind: ErrOutside, msg: fmt.Sprintf("%s to %s, outside the folder %s: copy the file into %s instead of linking to it",
				what, to, folder, folder)}
		}
		if up := path.Join(path.Dir(link), filepath.ToSlash(target)); filepath.IsAbs(target) || up == ".." || strings.HasPrefix(up, "../") {
			msg := fmt.Sprintf("%s to %s: only relative links that stay inside %s are followed", what, to, folder)
			parent, err := filepath.EvalSymlinks(filepath.Dir(p))
			if rel, err2 := filepath.Rel(parent, dest); err == nil && err2 == nil {
				msg += fmt.Sprintf("; write it as %s", quote(filepath.ToSlash(rel)))
			}
			return &Error{kind: ErrOutside, msg: msg}
		}
	}
	return nil
}

// inside reports whether the clean absolute path p is dir or under it.
func inside(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// checkFile refuses what is not a regular file of at most max bytes.
func checkFile(folder, name string, mode fs.FileMode, size, max int64) error {
	if mode.IsRegular() {
		if size > max {
			return tooLarge(folder, size, max, false)
		}
		return nil
	}
	what := "a special file"
	switch {
	case mode.IsDir():
		return &Error{kind: ErrNotFile, msg: "a folder, not a file: expected a file of that name; rename or remove the folder"}
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	}
	return &Error{kind: ErrNotFile, msg: fmt.Sprintf("%s, not a regular file: replace %s with a file holding the contents", what, path.Base(name))}
}

func tooLarge(folder string, size, max int64, grew bool) *Error {
	is := fmt.Sprintf("%d bytes", size)
	if grew {
		is = fmt.Sprintf("more than %d bytes (it grew as it was read)", max)
	}
	return &Error{kind: ErrTooLarge, msg: fmt.Sprintf("%s: larger than the %s a file in %s may have; is it the right file?", is, mib(max), folder)}
}

// mib formats a size cap: "8 MiB", or "1000 bytes" when not whole MiB.
func mib(n int64) string {
	if n%(1<<20) != 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// quote shortens a path from the file system to at most 200 characters.
func quote(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:100]) + "…" + string(r[len(r)-99:])
	}
	return s
}

// Error is a file the folder does not hand out, and why.
type Error struct {
	kind error
	msg  string
}

func (e *Error) Error() string { return e.msg }
func (e *Error) Unwrap() error { return e.kind }

// cappedFile is a regular file that fails once more than max bytes have
// been read from it. It has only the methods of fs.File, so that nothing
// (io.Copy through WriteTo, ReadAt) reads past the cap.
type cappedFile struct {
	file   *os.File
	name   string
	folder string
	max    int64
	read   int64
}

func (c *cappedFile) Read(p []byte) (int, error) {
	n, err := c.file.Read(p)
	c.read += int64(n)
	if c.read > c.max {
		return n, &fs.PathError{Op: "read", Path: c.name, Err: tooLarge(c.folder, c.read, c.max, true)}
	}
	return n, err
}

func (c *cappedFile) Stat() (fs.FileInfo, error) { return c.file.Stat() }
func (c *cappedFile) Close() error               { return c.file.Close() }
