package srcfs

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// On Linux, files are opened with openat2(2) and RESOLVE_BENEATH: one
// system call resolves the whole path and refuses one that leaves the
// folder, where os.Root opens each folder on the way. The rules are the
// same (no absolute link, no ".." above the folder). Without openat2
// (before Linux 5.6, or filtered out), os.Root does the work.

// errLeaves is openat2's refusal when linkOut finds no link to blame.
var errLeaves = &Error{kind: ErrOutside, msg: "the path leaves the folder through a symbolic link"}

// openBeneath opens name below the folder. ok is false when the system
// does not have openat2.
func (h *handle) openBeneath(name string) (fd int, ok bool, err error) {
	if h.rootOnly {
		return -1, false, nil
	}
	how := unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	}
	for {
		fd, err = unix.Openat2(int(h.dir.Fd()), name, &how)
		if err != unix.EINTR {
			break
		}
	}
	runtime.KeepAlive(h)
	switch {
	case err == unix.ENOSYS || err == unix.EPERM:
		return -1, false, nil
	case err == unix.EXDEV:
		return -1, true, errLeaves
	}
	return fd, true, err
}

func (h *handle) openFile(name string) (*os.File, error) {
	fd, ok, err := h.openBeneath(name)
	if !ok {
		return h.openRootFile(name)
	}
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), filepath.Join(h.root.Name(), filepath.FromSlash(name))), nil
}

func (h *handle) openRead(name string) (readCloser, fs.FileMode, int64, error) {
	fd, ok, err := h.openBeneath(name)
	if !ok {
		return h.openRootRead(name)
	}
	if err != nil {
		return nil, 0, 0, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, 0, 0, err
	}
	return fdFile(fd), fileMode(st.Mode), st.Size, nil
}

// fileMode is the type of a file as fs.FileMode has it.
func fileMode(m uint32) fs.FileMode {
	switch m & unix.S_IFMT {
	case unix.S_IFREG:
		return 0
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	case unix.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}

// fdFile reads a regular file by its descriptor: what ReadFile needs of a
// file, without the work os.NewFile does to make it pollable.
type fdFile int

func (fd fdFile) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), p)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (fd fdFile) Close() error { return unix.Close(int(fd)) }
