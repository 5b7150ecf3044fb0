// Command checksite builds the site with the briefs command and checks what
// readers and feed readers get, with real clients: the Nu HTML Checker,
// linkinator, feedparser and rss-parser, and headless Chromium with
// axe-core, and that no page or feed carries a script, an event handler or
// a javascript: URL (see internal/sitecheck). It exits 1 when they find a
// problem, listing each one with its page.
//
//	go run ./cmd/checksite [-briefs bin/briefs] [-out bin/check-site] [-checks html,links,feeds,browser,active]
//
// The site is built into <out>/site with a base URL on 127.0.0.1 and served
// from there; screenshots and failures.json go to <out>/artifacts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"briefs/internal/netlify"
	"briefs/internal/sitecheck"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "check-site:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("checksite", flag.ContinueOnError)
	fs.SetOutput(stderr)
	briefs := fs.String("briefs", "bin/briefs", "the briefs `command` that builds the site")
	source := fs.String("source", ".", "project `dir` to build")
	out := fs.String("out", "bin/check-site", "`dir` for the built site and the artifacts")
	tools := fs.String("tools", "internal/sitecheck", "`dir` with the check scripts and their node_modules")
	checks := fs.String("checks", strings.Join(sitecheck.AllChecks, ","), "comma-separated `list` of checks to run")
	drafts := fs.Bool("drafts", false, "build with drafts and future briefs, as a preview deploy is")
	rules := fs.String("netlify", "", "serve the site with the headers and redirects of this netlify.toml `file` (default <source>/netlify.toml)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	if *rules == "" {
		*rules = filepath.Join(*source, "netlify.toml")
	}
	data, err := os.ReadFile(*rules)
	if err != nil {
		return err
	}
	netlifyConfig, err := netlify.Parse(data)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String() + "/"
	site := filepath.Join(*out, "site")
	if err := os.RemoveAll(*out); err != nil {
		return err
	}
	build := []string{"build", "-source", *source, "-out", site, "-base-url", base, "-quiet"}
	if *drafts {
		build = append(build, "-drafts", "-future", "-noindex")
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, *briefs, build...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", *briefs, strings.Join(build, " "), err)
	}
	fmt.Fprintf(stdout, "check-site: built %s in %.1fs, served at %s\n", site, time.Since(start).Seconds(), base)

	artifacts := filepath.Join(*out, "artifacts")
	fails, err := sitecheck.Run(ctx, sitecheck.Options{
		Site: site, Base: base, Listener: ln, Netlify: netlifyConfig, Tools: *tools, Artifacts: artifacts,
		Checks: strings.Split(*checks, ","), Log: stdout,
	})
	for _, f := range fails {
		fmt.Fprintln(stdout, "  "+f.String())
	}
	if err != nil {
		return err
	}
	if len(fails) > 0 {
		return fmt.Errorf("%d problem(s) found; screenshots and failures.json in %s", len(fails), artifacts)
	}
	fmt.Fprintf(stdout, "check-site: no problems (%s) in %.1fs; screenshots in %s\n", *checks, time.Since(start).Seconds(), artifacts)
	return nil
}
