package main

import (
	"slices"
	"time"
)

// sample is one measured run of a program: its wall time, the CPU time
// its process spent in user and kernel mode, and its peak resident memory.
type sample struct {
	wall, user, sys time.Duration
	rss             int64 // bytes; 0 if unknown
}

// stats summarizes runs.
type stats struct {
	n                     int
	median, p95, min, max time.Duration
	user, sys             time.Duration // medians of the CPU times
	rss                   int64         // the largest peak RSS of the runs
}

// summarize returns the stats of samples; the zero stats for none.
func summarize(samples []sample) stats {
	if len(samples) == 0 {
		return stats{}
	}
	walls := make([]time.Duration, len(samples))
	users := make([]time.Duration, len(samples))
	syss := make([]time.Duration, len(samples))
	st := stats{}
	for i, s := range samples {
		walls[i], users[i], syss[i] = s.wall, s.user, s.sys
		st.rss = max(st.rss, s.rss)
	}
	rss := st.rss
	st = durations(walls)
	st.user, st.sys, st.rss = median(users), median(syss), rss
	return st
}

// durations summarizes times without memory.
func durations(ds []time.Duration) stats {
	if len(ds) == 0 {
		return stats{}
	}
	sorted := slices.Sorted(slices.Values(ds))
	return stats{
		n:      len(sorted),
		median: median(sorted),
		p95:    percentile(sorted, 95),
		min:    sorted[0],
		max:    sorted[len(sorted)-1],
	}
}

// median returns the middle of ds, or the mean of the two middle values of
// an even count; 0 for none. ds need not be sorted.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return s[m-1] + (s[m]-s[m-1])/2
}

// percentile returns the p-th percentile of ds by the nearest-rank method:
// the smallest value with at least p% of the values at or below it; 0 for
// none. ds need not be sorted.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	rank := (len(s)*p + 99) / 100 // ceil(p/100 * n)
	return s[max(0, min(len(s)-1, rank-1))]
}
