//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package publish

import (
	"errors"
	"os"
)

// lockDir has no locks to take here.
func lockDir(dir string, wait bool) (*os.File, error) { return nil, errors.ErrUnsupported }
