//go:build linux

package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// defaultWorkParent is where the corpora go without -work: /dev/shm, a
// file system in memory, when it has room, so that the disk does not
// decide the figures. On ext4, a benchmark that deletes and creates
// thousands of files run after run makes each new file slower to create:
// the inode allocator skips recently deleted inodes (the kernel's
// recently_deleted, 20% of the CPU samples of such a build), and the
// kernel time of briefs and Hugo alike grows from run to run.
func defaultWorkParent() string {
	const need = 4 << 30
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err == nil && st.Bavail*uint64(st.Bsize) >= need {
		if f, err := os.CreateTemp("/dev/shm", "briefs-bench-probe-"); err == nil {
			f.Close()
			os.Remove(f.Name())
			return "/dev/shm"
		}
	}
	return ""
}

// workFact names the work folder and its file system type.
func workFact(dir string) string {
	if t := fsType(dir); t != "" {
		return dir + " (" + t + ")"
	}
	return dir
}

// fsType is the type of the file system dir is on, from /proc/self/mounts
// (the mount point that is the longest prefix of dir), or "".
func fsType(dir string) string {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return ""
	}
	defer f.Close()
	dir, _ = filepath.EvalSymlinks(dir)
	best, typ := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		mp := fields[1]
		if (dir == mp || strings.HasPrefix(dir, strings.TrimSuffix(mp, "/")+"/")) && len(mp) > len(best) {
			best, typ = mp, fields[2]
		}
	}
	return typ
}
