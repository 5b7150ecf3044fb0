// Command corpus writes the plain benchmark corpus (internal/corpus) as a
// project folder that `briefs build -source DIR` builds:
//
//	go run ./cmd/corpus [-n 2000] [-seed 1] -out DIR [-theme .]
//	go run ./cmd/corpus -data [-n 500] [-symbols 200] [-years 10] -out DIR
//
// -data writes the data corpus instead: briefs with metric calls and charts
// over generated market data in DIR/content/data (what `make bench`
// measures in its data section).
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
	n := fs.Int("n", -1, "number of bilingual briefs (default 2000, or 500 with -data)")
	data := fs.Bool("data", false, "write the data corpus: briefs with figures and charts over generated prices")
	symbols := fs.Int("symbols", corpus.DefaultSymbols, "with -data: price series")
	years := fs.Int("years", corpus.DefaultYears, "with -data: years of daily prices")
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
	content := filepath.Join(*out, "content")
	var err error
	switch {
	case *data:
		if *n < 0 {
			*n = corpus.DefaultDataBriefs
		}
		err = corpus.WriteData(content, corpus.Data{Briefs: *n, Symbols: *symbols, Years: *years, Seed: *seed})
	default:
		if *n < 0 {
			*n = corpus.DefaultN
		}
		err = corpus.Write(content, *n, *seed)
	}
	if err != nil {
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
