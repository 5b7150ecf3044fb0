package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// buildColumns are the columns of a table of builds.
func buildColumns() []column {
	return []column{{name: ""}, {name: "runs", right: true}, {name: "median", right: true}, {name: "min–max", right: true},
		{name: "CPU user + sys", right: true}, {name: "peak RSS", right: true}, {name: "target"}}
}

// buildRow is a row of builds: name, runs, median, min–max, the medians of
// the CPU times, the largest peak RSS of the runs, and the target cell.
func buildRow(name string, s stats, target string) []string {
	return []string{name, fmt.Sprint(s.n), ms(s.median), span(s.min, s.max), cpu(s.user, s.sys), mib(s.rss), target}
}

// plainSection builds the plain corpus of n briefs cold with briefs and
// with Hugo, alternately, and compares them.
func (b *bench) plainSection(ctx context.Context, n int) error {
	dir, err := b.plainCorpus(n)
	if err != nil {
		return err
	}
	content := filepath.Join(dir, "content")
	hugoDir, hugoOut := filepath.Join(b.work, "hugo"), filepath.Join(b.work, "hugo-public")
	hugoName := "hugo"
	if b.hugo != "" {
		if err := hugoProject(hugoDir, b.theme, content); err != nil {
			return err
		}
		if v := shortVersion(firstLine(ctx, b.hugo, "version")); v != "" {
			hugoName += " " + v
		}
	}
	var bs, hs []sample
	var summary string
	var hugoErr error
	for i := range b.runs {
		s, line, err := b.build(ctx, dir, true)
		if err != nil {
			return err
		}
		bs, summary = append(bs, s), line
		b.logf("plain %d/%d: briefs build %s, peak RSS %s", i+1, b.runs, ms(s.wall), mib(s.rss))
		if b.hugo == "" || hugoErr != nil {
			continue
		}
		s, err = hugoBuild(ctx, b.hugo, hugoDir, content, hugoOut)
		if err != nil {
			hugoErr = err
			b.logf("plain: hugo failed; not running it again:\n%v", err)
			continue
		}
		hs = append(hs, s)
		b.logf("plain %d/%d: %s %s, peak RSS %s", i+1, b.runs, hugoName, ms(s.wall), mib(s.rss))
	}

	var fs []time.Duration
	for i := range b.runs {
		d, err := floor(ctx, content, filepath.Join(b.work, "floor-public"))
		if err != nil {
			return fmt.Errorf("goldmark floor: %w", err)
		}
		fs = append(fs, d)
		b.logf("plain %d/%d: goldmark floor %s", i+1, b.runs, ms(d))
	}
	os.RemoveAll(filepath.Join(b.work, "floor-public"))
	fst := durations(fs)

	bst, hst := summarize(bs), summarize(hs)
	what := fmt.Sprintf("plain corpus (%s briefs)", count(n))
	t := &table{
		title:   fmt.Sprintf("a. Plain corpus: %s bilingual briefs, cold builds", count(n)),
		columns: buildColumns(),
	}
	mem := b.rep.addTarget(what+": peak RSS of briefs build", "< 150 MiB", mib(bst.rss), judge(bst.rss > 0, bst.rss < 150<<20))
	t.add(buildRow("briefs build", bst, mem.cell())...)
	fx := float64(bst.median) / float64(fst.median)
	fr := b.rep.addTarget(what+": briefs / goldmark floor (medians)", "≤ 2×", ratio(fx), judge(true, fx <= 2))
	t.add("goldmark floor", fmt.Sprint(fst.n), ms(fst.median), span(fst.min, fst.max), "", "", "")
	t.add("briefs / floor", "", ratio(fx), "", "", "", fr.cell())
	ratioWhat := what + ": Hugo / briefs (medians)"
	switch {
	case b.hugo == "":
		t.add("hugo", "–", "not installed", "", "", "", "")
		r := b.rep.addTarget(ratioWhat, "≥ 6×", "", notMeasured)
		t.add("hugo / briefs", "", "–", "", "", "", r.cell())
	case hugoErr != nil:
		t.add(hugoName, "–", "failed", "", "", "", "")
		r := b.rep.addTarget(ratioWhat, "≥ 6×", "", notMeasured)
		t.add("hugo / briefs", "", "–", "", "", "", r.cell())
	default:
		t.add(buildRow(hugoName, hst, "")...)
		x := float64(hst.median) / float64(bst.median)
		r := b.rep.addTarget(ratioWhat, "≥ 6×", ratio(x), judge(true, x >= 6))
		t.add("hugo / briefs", "", ratio(x), "", "", "", r.cell())
	}

	t.note("briefs: %s", summary)
	switch {
	case b.hugo == "":
		t.note("hugo: %s, so the comparison is not measured and its target not met", b.hugoNote)
	case hugoErr != nil:
		msg, _, _ := strings.Cut(hugoErr.Error(), "\n")
		t.note("hugo: failed (%s), so the comparison is not measured", msg)
	default:
		t.note("hugo: %s files, with the layout of cmd/bench/hugo: the same pages and feeds (home and tag pages 10 briefs a page, RSS and Atom feeds of 20 full briefs), plus page/1/ redirects, a sitemap per language under a sitemap index; without the root 404 page, the icon, and absolute links in feeds",
			count(countFiles(hugoOut)))
	}
	if b.hugo != "" {
		t.note("runs alternate (briefs, hugo, briefs, hugo, …); each starts without output folder or caches (briefs: .cache; Hugo: resources/ and its cache folder); the OS file cache is warm for both")
	} else {
		t.note("each run starts without output folder or .cache; the OS file cache is warm")
	}
	t.note("CPU user + sys: medians of each process's CPU time in user and in kernel mode; peak RSS: the largest of the runs")
	if b.hugoNote != "" && b.hugo != "" {
		t.note("hugo: %s", b.hugoNote)
	}
	t.note("goldmark floor: in the benchmark's process, goldmark with the configuration of briefs (GFM, footnotes, heading ids) converts the %s bodies on %d cores and writes each page's HTML to its own file; no templates, lists or feeds", count(2*n), runtime.NumCPU())
	b.rep.tables = append(b.rep.tables, t)
	return nil
}
