//go:build !linux

package srcfs

import (
	"io/fs"
	"os"
)

// openFile opens name in the folder without blocking.
func (h *handle) openFile(name string) (*os.File, error) { return h.openRootFile(name) }

// openRead opens name in the folder for reading, without blocking, and
// says what it is.
func (h *handle) openRead(name string) (readCloser, fs.FileMode, int64, error) {
	return h.openRootRead(name)
}
