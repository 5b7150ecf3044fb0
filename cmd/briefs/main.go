// Command briefs builds a bilingual static site of market briefs.
//
//	briefs build [flags]    build the site into public/
//	briefs serve [flags]    preview the site with live reload
//	briefs check [flags]    validate content and data, write nothing
//	briefs new <kind>       start a daily, weekly or monthly brief
//	briefs data update      download new rows of the market data
//	briefs version          print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"briefs/internal/build"
	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/serve"
)

const usage = `briefs builds a bilingual static site of market briefs.

Usage:
  briefs build [flags]   build the site into public/
  briefs serve [flags]   preview the site at http://127.0.0.1:1313/, rebuilding on save
  briefs check [flags]   validate all content and market data; write nothing
  briefs new <kind>      start a daily, weekly or monthly brief from content/archetypes/
  briefs data update     download the new rows of the price files (site.toml [update])
  briefs version         print the version

Run "briefs <command> -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errReported) {
			diag.Print(os.Stderr, err)
		}
		os.Exit(exitCode(err))
	}
}

// Errors already printed, by exit status: 1 for problems in the content,
// templates or data (errReported, or any other error), 2 for a command
// used wrongly (errUsage), 3 for check -strict's warnings (errWarnings).
var (
	errReported = errors.New("reported")
	errUsage    = fmt.Errorf("usage: %w", errReported)
	errWarnings = fmt.Errorf("warnings: %w", errReported)
)

// exitCode is the exit status for err.
func exitCode(err error) int {
	switch {
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errWarnings):
		return 3
	}
	return 1
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "new":
		return runNew(args[1:], stdout, stderr)
	case "data":
		return runData(ctx, args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "briefs: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", ".", "project `dir` holding content/, templates/ and assets/")
	out := fs.String("out", "", "output `dir` (default <source>/public)")
	drafts := fs.Bool("drafts", false, "include drafts")
	future := fs.Bool("future", false, "include briefs dated in the future")
	baseURL := fs.String("base-url", "", "override site.toml's baseURL")
	data := fs.String("data", "", "market data `dir` holding tickers.toml (default: site.toml's dataDir in content/)")
	noindex := fs.Bool("noindex", false, "ask search engines to index nothing (robots noindex on every page, robots.txt disallows all): for previews")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the build to `file`")
	if ok, err := parseFlags(fs, args, stdout, stderr); !ok {
		return err
	}
	stop, err := startProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	if *out == "" {
		*out = filepath.Join(*source, "public")
	}
	// A build is short and streams its pages to disk: it lets the heap
	// grow to 2.25 times what is live before collecting, not 2 times,
	// unless GOGC says otherwise. At 2,000 plain briefs that is 4% less
	// time for a peak of 160 MiB instead of 145 (150 would give 7% for
	// 175 MiB, too near DESIGN.md's 200).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(buildGCPercent)
		defer debug.SetGCPercent(100)
	}
	start := time.Now()
	cfg := build.Project(*source, *data, build.Folder)
	cfg.OutDir = *out
	cfg.CacheDir = filepath.Join(*source, ".cache")
	cfg.Drafts, cfg.Future, cfg.BaseURL, cfg.NoIndex = *drafts, *future, *baseURL, *noindex
	cfg.Now = start
	var prog *progress
	if !*quiet && isTerminal(stderr) {
		prog = &progress{w: stderr, start: start}
		cfg.Progress = prog.update
	}
	res, err := build.Run(ctx, cfg)
	prog.clear()
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if !*quiet {
		fmt.Fprintln(stdout, summary(res, *out, time.Since(start)))
	}
	return nil
}

// buildGCPercent is GOGC for a one-off build.
const buildGCPercent = 125

// runServe previews the site: built in memory, served with live reload,
// rebuilt on every save.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", ".", "project `dir` holding content/, templates/ and assets/")
	port := fs.Int("port", 1313, "port to listen on (0 picks a free one)")
	bind := fs.String("bind", "127.0.0.1", "`address` to listen on; only this machine can connect by default")
	drafts := fs.Bool("drafts", true, "include drafts")
	future := fs.Bool("future", true, "include briefs dated in the future")
	data := fs.String("data", "", "market data `dir` holding tickers.toml (default: site.toml's dataDir in content/)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to `file` until the server stops")
	if ok, err := parseFlags(fs, args, stdout, stderr); !ok {
		return err
	}
	stop, err := startProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	return serve.Run(ctx, serve.Options{
		Dir: *source, Data: *data, Bind: *bind, Port: *port,
		Drafts: *drafts, Future: *future,
		Stdout: stdout, Stderr: stderr,
	})
}

// runCheck builds everything, drafts included, in memory: every error a
// build could meet is reported, and nothing is written. It also warns about
// figures typed by hand in brief prose, and about briefs whose figures have
// no fixed as-of date.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", ".", "project `dir` holding content/, templates/ and assets/")
	data := fs.String("data", "", "market data `dir` holding tickers.toml (default: site.toml's dataDir in content/)")
	future := fs.Bool("future", false, "also build briefs dated in the future (their data may not exist yet)")
	strict := fs.Bool("strict", false, "fail on warnings too")
	if ok, err := parseFlags(fs, args, stdout, stderr); !ok {
		return err
	}
	cfg := build.Project(*source, *data, build.Folder)
	cfg.Drafts, cfg.Future = true, *future
	cfg.Now = time.Now()
	// Warnings come from the text alone: they are reported even when the
	// build below fails.
	site, err := content.Load(cfg.Content, cfg.ContentName)
	if err != nil {
		return err
	}
	var warns []error
	for _, b := range site.Briefs {
		warns = append(warns, content.HandTyped(b)...)
		warns = append(warns, content.FloatingAsOf(b)...)
	}
	warns = append(warns, content.LabelWarnings(site)...)
	if !*future {
		published := build.Select(site.Briefs, true, false, cfg.Now, site.Config.TimeZone)
		for _, b := range site.Briefs {
			if !slices.Contains(published, b) && !build.Expired(b, build.Today(cfg.Now, site.Config.TimeZone)) {
				key := "date"
				if !b.PublishDate.IsZero() {
					key = "publishDate"
				}
				pos := b.Pos[key]
				warns = append(warns, diag.Errorf(b.File, pos.Line, pos.Col, "dated %s, after today: left out of the site until that day (build -future includes it)", build.Published(b).Format(time.DateOnly)))
			}
		}
	}
	for _, b := range site.Briefs {
		if build.Expired(b, build.Today(cfg.Now, site.Config.TimeZone)) {
			pos := b.Pos["expiryDate"]
			warns = append(warns, diag.Errorf(b.File, pos.Line, pos.Col, "expired on %s (expiryDate): left out of the site", b.ExpiryDate.Format(time.DateOnly)))
		}
	}
	diag.Sort(warns)
	for _, w := range warns {
		fmt.Fprintln(stderr, "warning:", w)
	}
	res, err := build.Run(ctx, cfg)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	warns = append(warns, res.Warnings...)
	n := len(warns)
	switch {
	case n > 0 && *strict:
		fmt.Fprintf(stderr, "%d %s\n", n, plural(n, "warning"))
		return errWarnings
	case n > 0:
		fmt.Fprintf(stdout, "checked %d briefs: %d %s\n", res.Briefs, n, plural(n, "warning"))
	default:
		fmt.Fprintf(stdout, "checked %d briefs: no problems\n", res.Briefs)
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// parseFlags parses a command's flags, which take no arguments. When ok
// is false the command returns err at once: nil after -h (whose synopsis
// and flags go to stdout), errUsage after a bad flag or an argument (both
// already printed to stderr).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (ok bool, err error) {
	helpTo(fs, args, stdout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, nil
		}
		return false, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "briefs %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return false, errUsage
	}
	return true, nil
}

// synopses say what each command does, under its usage line in -h.
var synopses = map[string]string{
	"build": "Builds the site into public/ (or -out): every brief, series issue, list,\n" +
		"feed and chart. The site already there is replaced only once the new one\n" +
		"is complete; a build that fails leaves it as it was.",
	"serve": "Builds the site in memory and serves it at http://127.0.0.1:1313/,\n" +
		"rebuilding on every save and reloading the browser; errors show in the page.",
	"check": "Builds everything, drafts included, and writes nothing: reports every\n" +
		"error, and warns about hand-typed figures, briefs without asof, unlabeled\n" +
		"tags and markets, missing translations and future-dated briefs.\n" +
		"Exit status: 0 fine, 1 errors, 2 bad usage, 3 warnings with -strict.",
}

// helpTo makes -h print the command's usage, synopsis and flags to stdout;
// other flag errors print to the flag set's output, stderr.
func helpTo(fs *flag.FlagSet, args []string, stdout io.Writer) {
	if fs.Usage == nil || synopses[fs.Name()] != "" {
		fs.Usage = func() {
			fmt.Fprintf(fs.Output(), "Usage: briefs %s [flags]\n\n%s\n\nFlags:\n", fs.Name(), synopses[fs.Name()])
			fs.PrintDefaults()
		}
	}
	for _, a := range args {
		switch a {
		case "--":
			return
		case "-h", "-help", "--help", "--h":
			fs.SetOutput(stdout)
			return
		}
	}
}

// startProfile writes a CPU profile to file until stop is called; with no
// file it does nothing.
func startProfile(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// summary is the one line a build prints.
func summary(res *build.Result, out string, d time.Duration) string {
	var per []string
	total := 0
	langs := res.Langs
	for _, l := range langs {
		per = append(per, fmt.Sprintf("%s %d", l, res.Pages[l]))
		total += res.Pages[l]
	}
	issues := ""
	if res.Issues > 0 {
		issues = fmt.Sprintf(" and %d issues of series", res.Issues)
	}
	if n := len(res.Warnings); n > 0 {
		issues += fmt.Sprintf(" (%d %s: see above)", n, plural(n, "warning"))
	}
	return fmt.Sprintf("built %d briefs%s: %d pages (%s), %d feeds, %d files in %s -> %s",
		res.Briefs, issues, total, strings.Join(per, ", "), res.Feeds, len(res.Files), d.Round(time.Millisecond), out)
}

// progress prints "rendering 1200/4000" on a terminal once a build has taken
// more than a second.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	shown bool
}

func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	p.shown = true
	fmt.Fprintf(p.w, "\rrendering %d/%d", done, total)
}

func (p *progress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func version() string {
	v := "briefs (devel)"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = "briefs " + info.Main.Version
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " " + rev + modified
	}
	return v + " " + info.GoVersion
}
