// Command bench measures briefs on generated corpora and prints a table.
//
//	go run ./cmd/bench [-bin bin/briefs] [-n 2000] [-edits 40]
//
// serve: writes the plain corpus of -n bilingual briefs (internal/corpus)
// with the project's templates and assets, starts `briefs serve` on it, and
// saves one brief at a time, -edits times, measuring from the moment the
// file is written to the moment the live-reload event reaches an
// EventSource client: what an author waits for before the browser reloads.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"briefs/internal/corpus"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	bin := fs.String("bin", "bin/briefs", "the briefs `binary` to measure")
	n := fs.Int("n", corpus.DefaultN, "bilingual briefs in the corpus")
	edits := fs.Int("edits", 40, "saves to time in the serve benchmark")
	theme := fs.String("theme", ".", "project `dir` whose templates/ and assets/ are used")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, machine())
	dir, err := os.MkdirTemp("", "briefs-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := project(dir, *theme, *n); err != nil {
		return err
	}
	lat, builds, err := serveLatency(*bin, dir, *n, *edits)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "%-44s %8s %8s %8s %8s\n", "benchmark", "p50", "p95", "min", "max")
	fmt.Fprintf(stdout, "%-44s %8s %8s %8s %8s\n",
		fmt.Sprintf("serve: save to reload event, %d briefs (%d saves)", *n, len(lat)),
		ms(percentile(lat, 50)), ms(percentile(lat, 95)), ms(lat[0]), ms(lat[len(lat)-1]))
	fmt.Fprintf(stdout, "%-44s %8s %8s %8s %8s\n", "  of which the rebuild",
		ms(percentile(builds, 50)), ms(percentile(builds, 95)), ms(builds[0]), ms(builds[len(builds)-1]))
	fmt.Fprintln(stdout, "target (DESIGN.md section 11): p50 under 50 ms; Hugo's server takes about 280 ms")
	return nil
}

// project writes a project folder: the corpus as content/, and the
// templates and assets of theme.
func project(dir, theme string, n int) error {
	if err := corpus.Write(filepath.Join(dir, "content"), n, corpus.DefaultSeed); err != nil {
		return err
	}
	for _, d := range []string{"templates", "assets"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join(theme, d))); err != nil {
			return fmt.Errorf("copy %s: %w", d, err)
		}
	}
	return nil
}

// serveLatency starts `briefs serve` on dir and times edits saves, each of
// a different brief, sorted.
func serveLatency(bin, dir string, n, edits int) (lat, builds []time.Duration, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "-source", dir, "-port", "0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	urlRe := regexp.MustCompile(`serving (http://\S+/)`)
	lines := bufio.NewScanner(out)
	var url string
	for lines.Scan() {
		if m := urlRe.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		return nil, nil, fmt.Errorf("briefs serve printed no URL")
	}
	// serve prints how long each rebuild took: the rest of the latency
	// is the debounce, the file event and the event stream.
	rebuilds := make(chan time.Duration, 100)
	go func() {
		re := regexp.MustCompile(`rebuilt in ([0-9.]+(?:ms|µs|s))`)
		for lines.Scan() {
			if m := re.FindStringSubmatch(lines.Text()); m != nil {
				if d, err := time.ParseDuration(m[1]); err == nil {
					rebuilds <- d
				}
			}
		}
	}()

	resp, err := http.Get(url + "_briefs/events")
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
		close(events)
	}()
	if ev := <-events; ev != "hello" {
		return nil, nil, fmt.Errorf("first event %q", ev)
	}

	briefs, err := filepath.Glob(filepath.Join(dir, "content/briefs/*/index.*.md"))
	if err != nil || len(briefs) == 0 {
		return nil, nil, fmt.Errorf("no briefs in the corpus")
	}
	slices.Sort(briefs)
	for i := range edits + 3 {
		file := briefs[(i*7919)%len(briefs)]
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, err
		}
		data = fmt.Appendf(data, "\n\nEdit %d.\n", i)
		// Let the last rebuild settle, as between an author's saves.
		time.Sleep(200 * time.Millisecond)
		start := time.Now()
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return nil, nil, err
		}
		select {
		case ev, ok := <-events:
			if !ok {
				return nil, nil, fmt.Errorf("event stream ended")
			}
			if ev != "reload" {
				return nil, nil, fmt.Errorf("event %q after saving %s", ev, file)
			}
		case <-time.After(30 * time.Second):
			return nil, nil, fmt.Errorf("no reload event within 30 s of saving %s", file)
		}
		d := time.Since(start)
		var b time.Duration
		select {
		case b = <-rebuilds:
		case <-time.After(5 * time.Second):
			return nil, nil, fmt.Errorf("serve did not report the rebuild of %s", file)
		}
		if i >= 3 { // the first saves warm up caches
			lat = append(lat, d)
			builds = append(builds, b)
		}
	}
	slices.Sort(lat)
	slices.Sort(builds)
	return lat, builds, nil
}

func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// machine describes the machine: CPU, cores, memory, Go version.
func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(data); m != nil {
			cpu = string(m[1])
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if m := regexp.MustCompile(`MemTotal:\s*(\d+) kB`).FindSubmatch(data); m != nil {
			fmt.Sscan(string(m[1]), &kb)
			mem = fmt.Sprintf(", %.0f GiB", float64(kb)/(1<<20))
		}
	}
	return fmt.Sprintf("machine: %s, %d cores%s, %s %s/%s", cpu, runtime.NumCPU(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
