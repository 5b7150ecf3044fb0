package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"briefs/internal/corpus"
)

// writeData writes the project folder of a data corpus into dir.
func (b *bench) writeData(dir string, d corpus.Data) error {
	b.logf("writing the data corpus (%s briefs, %d symbols, %d years) to %s", count(d.Briefs), d.Symbols, d.Years, dir)
	if err := corpus.WriteData(filepath.Join(dir, "content"), d); err != nil {
		return err
	}
	return copyTheme(dir, b.theme)
}

// dataSection measures the data corpus: cold builds, builds with nothing
// changed and after one brief changed, as separate processes that share
// only the chart cache; then the same saves in `briefs serve`, whose
// rebuilds reuse everything the last one made.
func (b *bench) dataSection(ctx context.Context, d corpus.Data, edits int) error {
	dir := filepath.Join(b.work, "data")
	start := time.Now()
	if err := b.writeData(dir, d); err != nil {
		return err
	}
	wrote := time.Since(start)

	var cold, same, changed []sample
	var summary string
	for i := range b.runs {
		s, line, err := b.build(ctx, dir, true)
		if err != nil {
			return err
		}
		cold, summary = append(cold, s), line
		b.logf("data %d/%d: cold build %s, peak RSS %s", i+1, b.runs, ms(s.wall), mib(s.rss))
	}
	charts := countFiles(filepath.Join(dir, "public", "charts"))
	cached := countFiles(filepath.Join(dir, ".cache"))
	for i := range b.runs {
		s, _, err := b.build(ctx, dir, false)
		if err != nil {
			return err
		}
		same = append(same, s)
		b.logf("data %d/%d: build with nothing changed %s, peak RSS %s", i+1, b.runs, ms(s.wall), mib(s.rss))
	}
	briefs, err := filepath.Glob(filepath.Join(dir, "content", "briefs", "*", "index.*.md"))
	if err != nil || len(briefs) == 0 {
		return fmt.Errorf("no briefs in %s", dir)
	}
	slices.Sort(briefs)
	edit := func(i int) (string, []byte, error) {
		file := briefs[(i*7919+1)%len(briefs)]
		data, err := os.ReadFile(file)
		return file, fmt.Appendf(data, "\n\nEdit %d.\n", i), err
	}
	for i := range b.runs {
		file, data, err := edit(i)
		if err == nil {
			err = os.WriteFile(file, data, 0o644)
		}
		if err != nil {
			return err
		}
		s, _, err := b.build(ctx, dir, false)
		if err != nil {
			return err
		}
		changed = append(changed, s)
		b.logf("data %d/%d: build after one brief changed %s, peak RSS %s", i+1, b.runs, ms(s.wall), mib(s.rss))
	}

	what := fmt.Sprintf("data corpus (%s briefs)", count(d.Briefs))
	t := &table{
		title: fmt.Sprintf("b. Data corpus: %s bilingual briefs, %d metric calls and %d charts in each file, %d symbols × %d years of daily prices; separate `briefs build` processes",
			count(d.Briefs), corpus.MetricCalls, corpus.ChartsPerBrief, d.Symbols, d.Years),
		columns: buildColumns(),
	}
	cs, ss, chs := summarize(cold), summarize(same), summarize(changed)
	g := b.rep.addTarget(what+": cold build", "< 20 s", ms(cs.median), judge(true, cs.median < 20*time.Second))
	t.add(buildRow("cold (no output folder, no .cache)", cs, g.cell())...)
	g = b.rep.addTarget(what+": rebuild with nothing changed, a new `briefs build`", "< 1 s", ms(ss.median), judge(true, ss.median < time.Second))
	t.add(buildRow("nothing changed (same public/ and .cache)", ss, g.cell())...)
	t.add(buildRow("one brief changed (same public/ and .cache)", chs, "")...)
	files, size := du(filepath.Join(dir, "content", "data", "prices"))
	t.note("briefs: %s; %s chart images", summary, count(charts))
	t.note("corpus: %s brief files, %d price files (%.1f MB), written in %s", count(2*d.Briefs), files, float64(size)/1e6, ms(wrote))
	t.note("between separate processes only the chart images in the project's .cache folder (%s files) are reused: each run loads the data, parses every brief, computes every figure, renders and writes the whole site", count(cached))
	t.note("one brief changed: a line appended to one file of a different brief before each run")
	b.rep.tables = append(b.rep.tables, t)

	return b.dataServe(ctx, dir, what, briefs, edit, edits)
}

// dataServe saves briefs of the data corpus in `briefs serve`: first with
// their own bytes (nothing changes), then with a line added, each kind
// once more than counted, the first warming up.
func (b *bench) dataServe(ctx context.Context, dir, what string, briefs []string, edit func(int) (string, []byte, error), edits int) error {
	b.logf("data: starting briefs serve")
	srv, err := startServe(ctx, b.bin, dir, 30*time.Minute)
	if err != nil {
		return err
	}
	var same, rebuilt, reload []time.Duration
	err = func() error {
		for i := range edits + 1 {
			file := briefs[(i*7919+3)%len(briefs)]
			data, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			res, err := srv.save(file, data)
			if err != nil {
				return err
			}
			if res.changed {
				return fmt.Errorf("saving %s unchanged changed the site", file)
			}
			if i > 0 {
				same = append(same, res.rebuild)
			}
		}
		for i := range edits + 1 {
			file, data, err := edit(100 + i)
			if err != nil {
				return err
			}
			res, err := srv.save(file, data)
			if err != nil {
				return err
			}
			if !res.changed {
				return fmt.Errorf("saving an edit of %s did not change the site", file)
			}
			if i > 0 {
				rebuilt, reload = append(rebuilt, res.rebuild), append(reload, res.reload)
			}
		}
		return nil
	}()
	rss := srv.stop()
	if err != nil {
		return err
	}
	first := "?"
	if m := builtRe.FindStringSubmatch(srv.built); m != nil {
		first = m[1]
		if d, err := time.ParseDuration(m[1]); err == nil {
			first = ms(d)
		}
	}
	t := &table{
		title: "b. Data corpus in `briefs serve`: rebuilds in one process, over what the last build made",
		columns: []column{{name: ""}, {name: "saves", right: true}, {name: "p50", right: true}, {name: "p95", right: true},
			{name: "min–max", right: true}, {name: "target"}},
	}
	ss, rs, ls := durations(same), durations(rebuilt), durations(reload)
	g := b.rep.addTarget(what+": rebuild with nothing changed, in `briefs serve`", "< 1 s", ms(ss.median), judge(true, ss.median < time.Second))
	t.add("first build (chart cache warm)", "", first, "", "", "")
	t.add("save, nothing changed: rebuild", fmt.Sprint(ss.n), ms(ss.median), ms(ss.p95), span(ss.min, ss.max), g.cell())
	t.add("save, one brief changed: rebuild", fmt.Sprint(rs.n), ms(rs.median), ms(rs.p95), span(rs.min, rs.max), "")
	t.add("  save to reload event", fmt.Sprint(ls.n), ms(ls.median), ms(ls.p95), span(ls.min, ls.max), "")
	t.note("peak RSS of serve: %s; first build: %s", mib(rss), strings.TrimSpace(srv.built))
	t.note("serve keeps its last build in memory (build.Memo): unchanged files are not parsed, unchanged briefs not computed, drawn or rendered, unchanged pages not written again; \"nothing changed\" saves a brief's own bytes, which rebuilds and finds no change to the site")
	b.rep.tables = append(b.rep.tables, t)
	return nil
}
