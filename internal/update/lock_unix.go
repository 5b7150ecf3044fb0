//go:build unix

package update

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on a folder, waiting for another update
// that holds it: one update at a time writes or recovers a data folder. The
// lock goes with the process, killed or not.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
