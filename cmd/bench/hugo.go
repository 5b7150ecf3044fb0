package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// hugoSite is the Hugo project of the comparison: configuration and
// layouts (see hugo/hugo.toml for what it writes).
//
//go:embed all:hugo
var hugoSite embed.FS

// hugoProject writes the Hugo project into dir: the embedded configuration
// and layouts, the stylesheet and UI strings of the theme (the same as
// briefs uses), and the corpus's tag labels as a data file.
func hugoProject(dir, theme, content string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	sub, err := fs.Sub(hugoSite, "hugo")
	if err != nil {
		return err
	}
	if err := os.CopyFS(dir, sub); err != nil {
		return fmt.Errorf("hugo project: %w", err)
	}
	copies := []struct{ from, to string }{
		{filepath.Join(theme, "assets", "css", "site.css"), filepath.Join(dir, "assets", "css", "site.css")},
		{filepath.Join(content, "labels.toml"), filepath.Join(dir, "data", "taglabels.toml")},
	}
	i18n, err := filepath.Glob(filepath.Join(theme, "templates", "i18n", "*.toml"))
	if err != nil {
		return err
	}
	for _, f := range i18n {
		copies = append(copies, struct{ from, to string }{f, filepath.Join(dir, "i18n", filepath.Base(f))})
	}
	for _, c := range copies {
		data, err := os.ReadFile(c.from)
		if err != nil {
			return fmt.Errorf("hugo project: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(c.to), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(c.to, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// hugoBuild builds content with the Hugo project dir into out, cold: with
// no output folder and none of Hugo's caches (resources/, the cache
// folder) left from an earlier run.
func hugoBuild(ctx context.Context, hugo, dir, content, out string) (sample, error) {
	cache := filepath.Join(dir, "cache")
	for _, d := range []string{out, cache, filepath.Join(dir, "resources")} {
		if err := os.RemoveAll(d); err != nil {
			return sample{}, err
		}
	}
	s, _, err := measure(ctx, hugo, "--quiet", "--source", dir, "--contentDir", content,
		"--destination", out, "--cacheDir", cache)
	return s, err
}
