package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// machine describes the machine and the programs measured: CPU, cores,
// memory, OS, the versions of briefs (with the Go it was built with), Hugo
// and the benchmark's Go, the load when the run started, and the date.
func machine(ctx context.Context, bin, hugo, hugoNote, theme string) []fact {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(data); m != nil {
			cpu = strings.TrimSpace(string(m[1]))
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if m := regexp.MustCompile(`MemTotal:\s*(\d+) kB`).FindSubmatch(data); m != nil {
			fmt.Sscan(string(m[1]), &kb)
			mem = fmt.Sprintf(", %.1f GiB", float64(kb)/(1<<20))
		}
	}
	osName := runtime.GOOS
	if data, err := os.ReadFile("/etc/os-release"); err == nil {
		if m := regexp.MustCompile(`(?m)^PRETTY_NAME="?([^"\n]+)"?$`).FindSubmatch(data); m != nil {
			osName = string(m[1])
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		osName += ", kernel " + strings.TrimSpace(string(data))
	}
	hugoVersion := hugoNote
	if hugo != "" {
		hugoVersion = firstLine(ctx, hugo, "version")
		if hugoNote != "" {
			hugoVersion += "; " + hugoNote
		}
	}
	load := "n/a"
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(data)); len(f) >= 3 {
			load = strings.Join(f[:3], " ") + " (1, 5, 15 min)"
		}
	}
	return []fact{
		{"machine", fmt.Sprintf("%s, %d cores%s", cpu, runtime.NumCPU(), mem)},
		{"os", fmt.Sprintf("%s (%s/%s)", osName, runtime.GOOS, runtime.GOARCH)},
		{"briefs", firstLine(ctx, bin, "version")},
		{"source", source(ctx, theme)},
		{"hugo", hugoVersion},
		{"bench", "built with " + runtime.Version()},
		{"load at start", load},
		{"date", time.Now().UTC().Format("2006-01-02 15:04 UTC")},
	}
}

// source names the commit of the project folder dir, and whether it has
// uncommitted changes: what bin/briefs was presumably built from.
func source(ctx context.Context, dir string) string {
	rev := firstLine(ctx, "git", "-C", dir, "log", "-1", "--format=commit %h of %cs")
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output()
	if err == nil && len(out) > 0 {
		rev += " (with uncommitted changes)"
	}
	return rev
}

// firstLine runs a program and returns the first line it prints, or the
// error.
func firstLine(ctx context.Context, name string, args ...string) string {
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return fmt.Sprintf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

// hugoVersionRe finds the version in `hugo version`'s line.
var hugoVersionRe = regexp.MustCompile(`v(\d+\.\d+\.\d+)`)

// shortVersion returns "0.111.3" from hugo's version line, or "".
func shortVersion(line string) string {
	if m := hugoVersionRe.FindStringSubmatch(line); m != nil {
		return m[1]
	}
	return ""
}
