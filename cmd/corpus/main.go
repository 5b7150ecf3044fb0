// Command corpus writes the plain benchmark corpus (internal/corpus) as a
// project folder that `briefs build -source DIR` builds:
//
//	go run ./cmd/corpus [-n 2000] [-seed 1] -out DIR [-theme .]
//
// DIR/content holds site.toml, labels.toml and briefs/<date>-<slug>/
// index.zh.md and index.en.md (also a Hugo content folder); DIR/templates and
// DIR/assets are copied from the project folder given by -theme (empty: write
// DIR/content only). The output is the same bytes for the same -n and -seed.
// It refuses a DIR that holds anything but an earlier corpus.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"briefs/internal/corpus"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", corpus.DefaultN, "number of bilingual briefs")
	seed := fs.Uint64("seed", corpus.DefaultSeed, "random seed")
	out := fs.String("out", "", "output project `dir` (required)")
	theme := fs.String("theme", ".", "project `dir` whose templates/ and assets/ are copied (empty: content only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return errors.New("-out is required")
	}
	start := time.Now()
	if err := checkOut(*out); err != nil {
		return err
	}
	if err := corpus.Write(filepath.Join(*out, "content"), *n, *seed); err != nil {
		return err
	}
	if *theme != "" {
		for _, d := range []string{"templates", "assets"} {
			dst := filepath.Join(*out, d)
			if err := os.RemoveAll(dst); err != nil {
				return err
			}
			if err := os.CopyFS(dst, os.DirFS(filepath.Join(*theme, d))); err != nil {
				return fmt.Errorf("copy %s: %w", d, err)
			}
		}
	}
	fmt.Fprintf(stdout, "wrote %d briefs (%d files) to %s in %s\n", *n, 2**n, *out, time.Since(start).Round(time.Millisecond))
	return nil
}

// checkOut accepts a missing or empty dir, or one holding an earlier corpus.
func checkOut(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "content", ".corpus")); err != nil {
		return fmt.Errorf("%s is not empty and holds no corpus (content/.corpus): not writing into it", dir)
	}
	return nil
}
