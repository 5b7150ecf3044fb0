package main

import (
	"context"
	"fmt"
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

// scaleSection builds the plain corpus cold at each size, to show how time
// and memory grow with the number of briefs.
func (b *bench) scaleSection(ctx context.Context, sizes []int) error {
	t := &table{
		title: "d. Scaling: cold `briefs build` of the plain corpus",
		columns: []column{{name: "briefs", right: true}, {name: "runs", right: true}, {name: "median", right: true},
			{name: "min–max", right: true}, {name: "CPU user + sys", right: true}, {name: "per brief", right: true}, {name: "peak RSS", right: true},
			{name: "RSS per brief", right: true}},
	}
	var prev stats
	prevN := 0
	for _, n := range sizes {
		dir, err := b.plainCorpus(n)
		if err != nil {
			return err
		}
		runs := scaleRuns(b.runs, n)
		var samples []sample
		var summary string
		for i := range runs {
			s, line, err := b.build(ctx, dir, true)
			if err != nil {
				return err
			}
			samples, summary = append(samples, s), line
			b.logf("scale %s %d/%d: %s, peak RSS %s", count(n), i+1, runs, ms(s.wall), mib(s.rss))
		}
		s := summarize(samples)
		t.add(count(n), fmt.Sprint(s.n), ms(s.median), span(s.min, s.max), cpu(s.user, s.sys),
			ms(s.median/time.Duration(n)), mib(s.rss), fmt.Sprintf("%.0f KiB", float64(s.rss)/1024/float64(n)))
		t.note("%s briefs: %s", count(n), summary)
		if prevN > 0 {
			t.note("%s → %s briefs (%.1f×): time %.2f×, peak RSS %.2f×", count(prevN), count(n), float64(n)/float64(prevN),
				float64(s.median)/float64(prev.median), float64(s.rss)/float64(prev.rss))
		}
		prev, prevN = s, n
	}
	t.note("each run starts without output folder or .cache; corpora above 4,000 briefs get at most 3 runs")
	b.rep.tables = append(b.rep.tables, t)
	return nil
}
