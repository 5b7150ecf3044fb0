//go:build !linux

package main

// defaultWorkParent is $TMPDIR where /dev/shm is not known to be memory.
func defaultWorkParent() string { return "" }

// workFact names the work folder.
func workFact(dir string) string { return dir }
