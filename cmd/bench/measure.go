package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// measure runs a program to its end and returns its wall time (from start
// to exit, as a user waits for it), the CPU time and peak resident memory
// of its process, and what it printed on standard output. A failure returns the
// end of what it printed on standard error.
func measure(ctx context.Context, name string, args ...string) (sample, []byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, nil, fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, tail(stderr.String(), 20))
	}
	ps := cmd.ProcessState
	return sample{wall: wall, user: ps.UserTime(), sys: ps.SystemTime(), rss: peakRSS(ps)}, stdout.Bytes(), nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// vmHWM returns the peak resident memory so far of the running process
// pid, from /proc (Linux); 0 where that is unknown.
func vmHWM(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb)
			return kb << 10
		}
	}
	return 0
}

// countFiles counts the files under dir.
func countFiles(dir string) int {
	n, _ := du(dir)
	return n
}

// du returns the number of files under dir and their total size.
func du(dir string) (n int, size int64) {
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		n++
		if info, err := d.Info(); err == nil {
			size += info.Size()
		}
		return nil
	})
	return n, size
}
