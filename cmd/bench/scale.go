package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// scaleRuns is how many runs a corpus of n briefs gets: all of them up to
// 4,000 briefs, at most 3 above.
func scaleRuns(runs, n int) int {
	if n > 4000 {
		return min(runs, 3)
	}
	return runs
}

// scaleSection builds the plain corpus cold at each size, with briefs and
// with Hugo alternately, to show how time and memory grow with the number
// of briefs.
func (b *bench) scaleSection(ctx context.Context, sizes []int) error {
	t := &table{
		title: "d. Scaling: cold builds of the plain corpus",
		columns: []column{{name: "briefs", right: true}, {name: "runs", right: true}, {name: "median", right: true},
			{name: "min–max", right: true}, {name: "CPU user + sys", right: true}, {name: "per brief", right: true}, {name: "peak RSS", right: true},
			{name: "RSS per brief", right: true}, {name: "hugo median", right: true}, {name: "hugo peak RSS", right: true}, {name: "hugo / briefs", right: true}},
	}
	per := map[int]stats{}
	for _, n := range sizes {
		dir, err := b.plainCorpus(n)
		if err != nil {
			return err
		}
		content := filepath.Join(dir, "content")
		hugoDir, hugoOut := filepath.Join(b.work, fmt.Sprintf("hugo-%d", n)), filepath.Join(b.work, fmt.Sprintf("hugo-public-%d", n))
		useHugo := b.hugo != ""
		if useHugo {
			if err := hugoProject(hugoDir, b.theme, content); err != nil {
				return err
			}
		}
		runs := scaleRuns(b.runs, n)
		var samples, hs []sample
		var summary string
		for i := range runs {
			s, line, err := b.build(ctx, dir, true)
			if err != nil {
				return err
			}
			samples, summary = append(samples, s), line
			b.logf("scale %s %d/%d: %s, peak RSS %s", count(n), i+1, runs, ms(s.wall), mib(s.rss))
			if !useHugo {
				continue
			}
			s, err = hugoBuild(ctx, b.hugo, hugoDir, content, hugoOut)
			if err != nil {
				b.logf("scale %s: hugo failed; not running it again at this size:\n%v", count(n), err)
				useHugo = false
				continue
			}
			hs = append(hs, s)
			b.logf("scale %s %d/%d: hugo %s, peak RSS %s", count(n), i+1, runs, ms(s.wall), mib(s.rss))
		}
		os.RemoveAll(hugoOut)
		s := summarize(samples)
		per[n] = s
		hugoMedian, hugoRSS, x := "–", "–", "–"
		if len(hs) > 0 {
			h := summarize(hs)
			hugoMedian, hugoRSS, x = ms(h.median), mib(h.rss), ratio(float64(h.median)/float64(s.median))
		}
		t.add(count(n), fmt.Sprint(s.n), ms(s.median), span(s.min, s.max), cpu(s.user, s.sys),
			ms(s.median/time.Duration(n)), mib(s.rss), fmt.Sprintf("%.0f KiB", float64(s.rss)/1024/float64(n)),
			hugoMedian, hugoRSS, x)
		t.note("%s briefs: %s", count(n), summary)
	}
	for i := 1; i < len(sizes); i++ {
		a, z := sizes[i-1], sizes[i]
		t.note("%s → %s briefs (%.1f×): time %.2f×, peak RSS %.2f×", count(a), count(z), float64(z)/float64(a),
			float64(per[z].median)/float64(per[a].median), float64(per[z].rss)/float64(per[a].rss))
	}
	if slices.Contains(sizes, 2000) && slices.Contains(sizes, 20000) {
		lo, hi := per[2000], per[20000]
		x := (float64(hi.median) / 20000) / (float64(lo.median) / 2000)
		what := "plain corpus, 2,000 → 20,000 briefs"
		g := b.rep.addTarget(what+": build time per brief", "within 20% (≤ 1.20×)", ratio(x), judge(true, x <= 1.2))
		t.note("time per brief, 20,000 / 2,000: %s", g.cell()+" ("+ratio(x)+")")
		m := float64(hi.rss) / float64(lo.rss)
		g = b.rep.addTarget(what+": peak RSS", "sublinear (< 10×)", ratio(m), judge(true, m < 10))
		t.note("peak RSS, 20,000 / 2,000: %s", g.cell()+" ("+ratio(m)+")")
	}
	t.note("each run starts without output folder or caches; corpora above 4,000 briefs get at most 3 runs; briefs and Hugo alternate")
	b.rep.tables = append(b.rep.tables, t)
	return nil
}
