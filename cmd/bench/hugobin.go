package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// hugoWant is the Hugo release the plain corpus is compared with.
const hugoWant = "0.160.1"

// hugoModule is what `go install` builds it from.
const hugoModule = "github.com/gohugoio/hugo@v" + hugoWant

// findHugo resolves the -hugo flag to an absolute path, or "" with the reason
// in note. "auto" means Hugo hugoWant, built once with `go install` into the
// cache folder and reused; when it cannot be built, the hugo on PATH, and the
// note says so.
func findHugo(ctx context.Context, flag, cache string, logf func(string, ...any)) (path, note string) {
	switch flag {
	case "":
		return "", "not measured (-hugo \"\")"
	case "auto":
	default:
		p, err := exec.LookPath(flag)
		if err != nil {
			return "", fmt.Sprintf("%s not found: the comparison with Hugo is not measured", flag)
		}
		abs, _ := filepath.Abs(p)
		return abs, ""
	}
	dir := filepath.Join(cache, "hugo-v"+hugoWant)
	bin := filepath.Join(dir, "hugo")
	if shortVersion(firstLine(ctx, bin, "version")) == hugoWant {
		return bin, ""
	}
	logf("building Hugo %s into %s (go install %s; a few minutes, once)", hugoWant, dir, hugoModule)
	err := goInstall(ctx, dir, hugoModule)
	if err == nil && shortVersion(firstLine(ctx, bin, "version")) == hugoWant {
		return bin, ""
	}
	if err == nil {
		err = errors.New("the built binary does not report version " + hugoWant)
	}
	reason := fmt.Sprintf("Hugo %s could not be built (%v)", hugoWant, err)
	p, lerr := exec.LookPath("hugo")
	if lerr != nil {
		return "", reason + " and no hugo is on PATH: the comparison with Hugo is not measured"
	}
	abs, _ := filepath.Abs(p)
	v := shortVersion(firstLine(ctx, abs, "version"))
	return abs, fmt.Sprintf("%s: compared with %s (Hugo %s) instead", reason, abs, v)
}

// goInstall builds module into dir with the go on PATH, or else the one
// in /usr/local/go.
func goInstall(ctx context.Context, dir, module string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = "/usr/local/go/bin/go"
	}
	cmd := exec.CommandContext(ctx, gobin, "install", module)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		return fmt.Errorf("go install %s: %v: %s", module, err, lines[len(lines)-1])
	}
	return nil
}

// defaultCache is where built tools are kept between runs.
func defaultCache() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "briefs-bench")
	}
	return filepath.Join(os.TempDir(), "briefs-bench")
}
