// Command bench measures briefs on generated corpora and prints a table of
// the figures beside the project's performance targets.
//
//	go run ./cmd/bench [-bin bin/briefs] [-only plain,data,serve,scale] [-runs 5] [-md FILE]
//
// Sections (-only picks some; all by default):
//
//	plain  the plain corpus (internal/corpus) of -n bilingual briefs built
//	       cold by `briefs build` and by Hugo with an equivalent layout
//	       (hugo/), alternately, -runs times each: wall time, peak memory
//	       and the ratio of the medians; and the goldmark floor, the same
//	       bodies converted and written with nothing else (floor.go)
//	data   the data corpus: -data-n briefs with metric calls and charts over
//	       -symbols generated price series of -years years: a cold build,
//	       a build with nothing changed and one after a brief changed (new
//	       processes, sharing only the chart cache), and the same saves in
//	       `briefs serve`, whose rebuilds reuse everything in memory
//	serve  from saving a brief of the plain corpus of each of -serve sizes
//	       to the moment the live-reload event reaches an EventSource
//	       client, -edits saves
//	scale  cold builds of the plain corpus at each of -scale sizes, by
//	       briefs and by Hugo, alternately
//
// Every build is a separate process, timed from start to exit; its peak
// memory is its rusage's maximum resident set. Progress goes to standard
// error, the table to standard output, and as Markdown to -md FILE.
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
	"slices"
	"strconv"
	"strings"
	"time"

	"briefs/internal/corpus"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

// sections are the benchmark's sections, in the order they run and print.
var sections = []string{"plain", "data", "serve", "scale"}

// options are the flags.
type options struct {
	bin, hugo, cache, theme, work, md, profile string
	only                                       []string
	runs, n, edits                             int
	data                                       corpus.Data
	dataEdits                                  int
	scale, serve                               []int
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bin, "bin", "bin/briefs", "the briefs `binary` to measure")
	fs.StringVar(&o.hugo, "hugo", "auto", "the Hugo `binary` to compare with (\"auto\": Hugo "+hugoWant+", built once into -cache; \"\": none)")
	fs.StringVar(&o.cache, "cache", defaultCache(), "`dir` that keeps the Hugo built for the comparison between runs")
	fs.StringVar(&o.theme, "theme", ".", "project `dir` whose templates/ and assets/ the corpora use")
	fs.StringVar(&o.work, "work", "", "write the corpora into `dir` and keep them (default: a temporary folder in /dev/shm if it has 4 GiB free, else in $TMPDIR; removed)")
	fs.StringVar(&o.md, "md", "", "also write the table as Markdown to `file`")
	fs.StringVar(&o.profile, "profile", "", "after measuring, build the plain and data corpora once more with -cpuprofile into `dir`")
	only := fs.String("only", strings.Join(sections, ","), "the `sections` to run, comma-separated: "+strings.Join(sections, ", "))
	fs.IntVar(&o.runs, "runs", 5, "runs of each build")
	fs.IntVar(&o.n, "n", corpus.DefaultN, "bilingual briefs in the plain corpus (plain and serve)")
	fs.IntVar(&o.edits, "edits", 40, "saves timed in the serve section")
	fs.IntVar(&o.data.Briefs, "data-n", corpus.DefaultDataBriefs, "bilingual briefs in the data corpus")
	fs.IntVar(&o.data.Symbols, "symbols", corpus.DefaultSymbols, "price series in the data corpus")
	fs.IntVar(&o.data.Years, "years", corpus.DefaultYears, "years of daily prices in the data corpus")
	fs.IntVar(&o.dataEdits, "data-edits", 10, "saves of each kind timed in `briefs serve` on the data corpus")
	serve := fs.String("serve", "2000,20000", "plain corpus `sizes` of the serve section")
	scale := fs.String("scale", "500,2000,8000,20000", "plain corpus `sizes` of the scale section")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o.data.Seed = corpus.DefaultSeed
	for s := range strings.SplitSeq(*only, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(sections, s) {
			return nil, fmt.Errorf("-only: unknown section %q: expected some of %s", s, strings.Join(sections, ", "))
		}
		o.only = append(o.only, s)
	}
	var err error
	if o.scale, err = sizes("-scale", *scale); err != nil {
		return nil, err
	}
	if o.serve, err = sizes("-serve", *serve); err != nil {
		return nil, err
	}
	switch {
	case o.runs < 1:
		return nil, errors.New("-runs: expected at least 1")
	case o.n < 1, o.edits < 1, o.dataEdits < 1:
		return nil, errors.New("-n, -edits and -data-edits: expected at least 1")
	}
	return o, nil
}

// bench holds what the sections share.
type bench struct {
	bin      string // absolute
	hugo     string // absolute; "" when not installed
	hugoNote string // why Hugo is not hugoWant or not measured, or ""
	theme    string
	work     string
	runs     int
	log      io.Writer
	rep      *report
	plain    map[int]string // plain corpus project folders by size
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "bench: "+format+"\n", args...)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	b := &bench{runs: o.runs, log: stderr, plain: map[int]string{}}
	if b.bin, err = filepath.Abs(o.bin); err != nil {
		return err
	}
	if _, err := os.Stat(b.bin); err != nil {
		return fmt.Errorf("%w (make briefs builds it)", err)
	}
	if b.theme, err = filepath.Abs(o.theme); err != nil {
		return err
	}
	if slices.Contains(o.only, "plain") {
		b.hugo, b.hugoNote = findHugo(ctx, o.hugo, o.cache, b.logf)
		if b.hugoNote != "" {
			b.logf("%s", b.hugoNote)
		}
	}
	if o.work != "" {
		b.work, err = filepath.Abs(o.work)
		if err == nil {
			err = os.MkdirAll(b.work, 0o755)
		}
	} else {
		b.work, err = os.MkdirTemp(defaultWorkParent(), "briefs-bench-")
		defer os.RemoveAll(b.work)
	}
	if err != nil {
		return err
	}
	b.rep = &report{title: "briefs benchmark (make bench)", facts: machine(ctx, b.bin, b.hugo, b.hugoNote, b.theme)}
	b.rep.facts = append(b.rep.facts, fact{"work folder", workFact(b.work)})
	b.rep.facts = append(b.rep.facts, fact{"flags", flagLine(o)})
	start := time.Now()
	for _, s := range sections {
		if !slices.Contains(o.only, s) {
			continue
		}
		var err error
		switch s {
		case "plain":
			err = b.plainSection(ctx, o.n)
		case "data":
			err = b.dataSection(ctx, o.data, o.dataEdits)
		case "serve":
			err = b.serveSection(ctx, o.serve, o.edits)
		case "scale":
			err = b.scaleSection(ctx, o.scale)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	if o.profile != "" {
		if err := b.profiles(ctx, o); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}
	b.rep.facts = append(b.rep.facts, fact{"duration", time.Since(start).Round(time.Second).String()})
	b.rep.text(stdout)
	if o.md != "" {
		f, err := os.Create(o.md)
		if err != nil {
			return err
		}
		b.rep.markdown(f)
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// sizes parses a comma-separated list of corpus sizes.
func sizes(flag, list string) ([]int, error) {
	var out []int
	for s := range strings.SplitSeq(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s: %q is not a count of briefs", flag, s)
		}
		out = append(out, n)
	}
	return out, nil
}

// flagLine restates the flags that shape the figures.
func flagLine(o *options) string {
	join := func(ns []int) string {
		s := make([]string, len(ns))
		for i, n := range ns {
			s[i] = strconv.Itoa(n)
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprintf("-only %s -runs %d -n %d -edits %d -serve %s -data-n %d -symbols %d -years %d -data-edits %d -scale %s",
		strings.Join(o.only, ","), o.runs, o.n, o.edits, join(o.serve), o.data.Briefs, o.data.Symbols, o.data.Years, o.dataEdits,
		join(o.scale))
}

// project writes a project folder: a plain corpus of n briefs as content/,
// with the theme's templates/ and assets/.
func project(dir, theme string, n int) error {
	if err := corpus.Write(filepath.Join(dir, "content"), n, corpus.DefaultSeed); err != nil {
		return err
	}
	return copyTheme(dir, theme)
}

// copyTheme copies the templates/ and assets/ folders of theme into dir.
func copyTheme(dir, theme string) error {
	for _, d := range []string{"templates", "assets"} {
		dst := filepath.Join(dir, d)
		if err := os.RemoveAll(dst); err != nil {
			return err
		}
		if err := os.CopyFS(dst, os.DirFS(filepath.Join(theme, d))); err != nil {
			return fmt.Errorf("copy %s: %w", d, err)
		}
	}
	return nil
}

// plainCorpus returns the project folder of the plain corpus of n briefs,
// writing it the first time.
func (b *bench) plainCorpus(n int) (string, error) {
	if dir, ok := b.plain[n]; ok {
		return dir, nil
	}
	dir := filepath.Join(b.work, fmt.Sprintf("plain-%d", n))
	b.logf("writing the plain corpus of %s briefs to %s", count(n), dir)
	if err := project(dir, b.theme, n); err != nil {
		return "", err
	}
	b.plain[n] = dir
	return dir, nil
}

// build runs `briefs build` on the project dir into dir/public, with its
// chart cache in dir/.cache; cold removes both first.
func (b *bench) build(ctx context.Context, dir string, cold bool, extra ...string) (sample, string, error) {
	if cold {
		for _, d := range []string{"public", ".cache"} {
			if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
				return sample{}, "", err
			}
		}
	}
	args := append([]string{"build", "-source", dir, "-out", filepath.Join(dir, "public")}, extra...)
	s, out, err := measure(ctx, b.bin, args...)
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), " -> ")
	return s, line, err
}

// profiles builds the plain and data corpora cold once more each, with a
// CPU profile.
func (b *bench) profiles(ctx context.Context, o *options) error {
	dir, err := filepath.Abs(o.profile)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	plain, err := b.plainCorpus(o.n)
	if err != nil {
		return err
	}
	data := filepath.Join(b.work, "data")
	if _, err := os.Stat(data); err != nil {
		if err := b.writeData(data, o.data); err != nil {
			return err
		}
	}
	t := &table{title: "CPU profiles (cold builds, one run each)", columns: []column{{name: "corpus"}, {name: "wall", right: true}, {name: "profile"}}}
	for _, c := range []struct{ name, dir string }{{"plain", plain}, {"data", data}} {
		file := filepath.Join(dir, c.name+".pprof")
		b.logf("profiling a cold build of the %s corpus into %s", c.name, file)
		s, _, err := b.build(ctx, c.dir, true, "-cpuprofile", file)
		if err != nil {
			return err
		}
		t.add(c.name, ms(s.wall), file)
	}
	t.note("go tool pprof -top %s %s", b.bin, filepath.Join(dir, "plain.pprof"))
	b.rep.tables = append(b.rep.tables, t)
	return nil
}
