//go:build !linux && !darwin

package publish

import "errors"

// exchange cannot swap two trees in one step here.
func exchange(a, b string) error { return errors.ErrUnsupported }
