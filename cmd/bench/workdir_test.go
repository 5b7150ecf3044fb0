//go:build linux

package main

import (
	"os"
	"testing"
)

// The work folder's file system is named from /proc/self/mounts, by the
// longest mount point above it.
func TestFSType(t *testing.T) {
	if _, err := os.Stat("/proc/self/mounts"); err != nil {
		t.Skip("no /proc/self/mounts")
	}
	for dir, want := range map[string]string{"/proc/self": "proc", "/proc": "proc"} {
		if got := fsType(dir); got != want {
			t.Errorf("fsType(%s) = %q, want %q", dir, got, want)
		}
	}
	if got := workFact(t.TempDir()); got == "" {
		t.Error("no work folder fact")
	}
}
