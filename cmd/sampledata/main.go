// Command sampledata writes the project's sample market data: realistic but
// made-up daily prices for every symbol of the real data's tickers.toml, in
// the CSV shapes found in the wild, from a factor model with fixed seeds.
// Its output is the same bytes on every run.
//
//	go run ./cmd/sampledata -out content/data [-start 2015-01-02] [-end 2026-11-20]
//
// It writes DIR/tickers.toml and DIR/prices/*.csv, and removes the other CSV
// files of DIR/prices. It refuses a DIR whose tickers.toml it did not write.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	err := run(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "sampledata:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("sampledata", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "output `dir`: writes tickers.toml and prices/*.csv there (required)")
	startFlag := fs.String("start", "2015-01-02", "first `date` of the series")
	endFlag := fs.String("end", "2026-11-20", "last `date` of the series")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: expected only flags", fs.Arg(0))
	}
	if *out == "" {
		return errors.New("missing -out DIR: the directory to write tickers.toml and prices/ to")
	}
	start, err := time.Parse(time.DateOnly, *startFlag)
	if err != nil {
		return fmt.Errorf("-start %q: expected a date such as 2015-01-02", *startFlag)
	}
	end, err := time.Parse(time.DateOnly, *endFlag)
	if err != nil {
		return fmt.Errorf("-end %q: expected a date such as 2026-11-20", *endFlag)
	}
	switch {
	case start.Year() < 1950 || end.Year() > 2100:
		return fmt.Errorf("-start %s -end %s: expected dates between 1950 and 2100", *startFlag, *endFlag)
	case start.After(wideStart) || end.Before(wideEnd):
		return fmt.Errorf("-start %s -end %s: the range must cover the wide file's %s to %s",
			*startFlag, *endFlag, wideStart.Format(time.DateOnly), wideEnd.Format(time.DateOnly))
	}
	return write(*out, generate(start, end))
}

// write puts files into dir and removes the stale CSV files of its prices
// directory. It refuses to overwrite a tickers.toml it did not write.
func write(dir string, files []outFile) error {
	tomlPath := filepath.Join(dir, "tickers.toml")
	old, err := os.ReadFile(tomlPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case !generated(old):
		return fmt.Errorf("%s exists and was not written by sampledata: refusing to overwrite it", tomlPath)
	}
	if err := os.MkdirAll(filepath.Join(dir, pricesDir), 0o755); err != nil {
		return err
	}
	var keep []string
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.name)), f.data, 0o644); err != nil {
			return err
		}
		keep = append(keep, f.name)
	}
	entries, err := os.ReadDir(filepath.Join(dir, pricesDir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := pricesDir + "/" + e.Name()
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".csv") && !slices.Contains(keep, name) {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	return nil
}

// generated reports whether a tickers.toml is one this command wrote.
func generated(toml []byte) bool {
	first, _, _ := bytes.Cut([]byte(tomlHeader), []byte("\n"))
	return bytes.HasPrefix(toml, first)
}
