package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"briefs/internal/build"
	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/update"
)

const dataUsage = `Usage: briefs data <command> [flags]

Commands:
  update [SYMBOL...]   download the new rows of the price files from site.toml's [update] url

Run "briefs data <command> -h" for a command's flags.
`

// runData runs a command on the market data.
func runData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, dataUsage)
		return errUsage
	}
	switch args[0] {
	case "update":
		return runDataUpdate(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, dataUsage)
		return nil
	}
	fmt.Fprintf(stderr, "briefs data: unknown command %q\n\n%s", args[0], dataUsage)
	return errUsage
}

func runDataUpdate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("data update", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", ".", "project `dir` holding content/")
	data := fs.String("data", "", "market data `dir` holding tickers.toml (default: site.toml's dataDir in content/)")
	jobs := fs.Int("jobs", 4, "`n` parallel downloads")
	dryRun := fs.Bool("dry-run", false, "download and check, report, write nothing")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: briefs data update [flags] [SYMBOL...]\n\n"+
			"Downloads the new rows of every symbol of tickers.toml with a file of its own\n"+
			"(or of the SYMBOLs given) from site.toml's [update] url, checks each download\n"+
			"against the stored file, and adds the rows up to the last closed session.\n"+
			"A row is added only if it arrived whole and its close is plausible (see\n"+
			"[update] max_move). If any symbol fails, no file is written; an update\n"+
			"killed while it replaces the files is finished by the next one. A SYMBOL\n"+
			"given is updated even if [update] skip lists it.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	symbols, ok, err := parseInterspersed(fs, args, stdout, stderr)
	if !ok {
		return err
	}
	if *jobs < 1 {
		fmt.Fprintf(stderr, "briefs data update: -jobs %d: expected at least 1\n", *jobs)
		return errUsage
	}
	return dataUpdate(ctx, updateOptions{
		Source: *source, Data: *data, Symbols: symbols, Jobs: *jobs, DryRun: *dryRun, Now: time.Now(),
	}, stdout, stderr)
}

type updateOptions struct {
	Source, Data string
	Symbols      []string
	Jobs         int
	DryRun       bool
	Now          time.Time
	Backoff      func(n int) time.Duration // nil for update's default
}

// dataUpdate runs update.Run on the project's market data and reports: a
// line per symbol as it completes, then a summary, or every error.
func dataUpdate(ctx context.Context, o updateOptions, stdout, stderr io.Writer) error {
	cfg := build.Project(o.Source, o.Data, build.Folder)
	siteFile := cfg.ContentName + "site.toml"
	site, _, err := content.ReadConfig(cfg.Content, cfg.ContentName)
	if err != nil {
		return err
	}
	if site.Update == nil {
		return &diag.Error{File: siteFile, Msg: `no [update] table: add one saying where to download prices, such as
  [update]
  url = "https://stooq.com/q/d/l/?s={symbol}&d1={from:20060102}&d2={to:20060102}&i=d"
(placeholders {symbol}, {from}, {to}, {from:LAYOUT}, {to:LAYOUT}; see the example in content/site.toml)`}
	}
	fsys, dataName, ok, err := cfg.MarketData(site.DataDir)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s%s: no market data to update: expected a tickers.toml (or pass -data DIR)", dataName, "tickers.toml")
	}
	dir := o.Data
	if dir == "" {
		dir = filepath.Join(o.Source, "content", filepath.FromSlash(site.DataDir))
	}
	res, err := update.Run(ctx, update.Options{
		Config:    site.Update,
		Data:      fsys,
		DataName:  dataName,
		Dir:       dir,
		Symbols:   o.Symbols,
		Jobs:      o.Jobs,
		DryRun:    o.DryRun,
		Now:       o.Now,
		TimeZone:  site.TimeZone,
		UserAgent: userAgent(),
		Backoff:   o.Backoff,
		Progress:  func(line string) { fmt.Fprintln(stdout, line) },
	})
	if err != nil {
		if res == nil || res.Failed == 0 || ctx.Err() != nil {
			return err
		}
		diag.Print(stderr, err)
		fmt.Fprintf(stderr, "nothing written: %d of %d %s failed\n", res.Failed, res.Symbols, plural(res.Symbols, "symbol"))
		return errReported
	}
	fmt.Fprintln(stdout, updateSummary(res, o.DryRun))
	return nil
}

// updateSummary is the line an update ends with.
func updateSummary(res *update.Result, dryRun bool) string {
	n := len(res.Updated)
	verb := "updated"
	if dryRun {
		verb = "dry run: would update"
	}
	s := fmt.Sprintf("%s %d %s", verb, n, plural(n, "file"))
	if len(res.Created) > 0 {
		s += fmt.Sprintf(" (%d new)", len(res.Created))
	}
	if n > 0 {
		s += fmt.Sprintf(" with %d %s", res.Rows, plural(res.Rows, "row"))
	}
	s += fmt.Sprintf(", %d up to date", len(res.UpToDate))
	if dryRun {
		s += "; nothing written"
	}
	return s
}

// userAgent names the program to data providers: briefs/<version>.
func userAgent() string {
	v := "devel"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = strings.TrimPrefix(info.Main.Version, "v")
	}
	return "briefs/" + v
}
