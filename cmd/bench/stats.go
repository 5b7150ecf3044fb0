package main

import (
	"slices"
	"time"
)

// sample is one measured run of a program: its wall time and the peak
// resident memory of its process.
type sample struct {
	wall time.Duration
	rss  int64 // bytes; 0 if unknown
}

// stats summarizes runs.
type stats struct {
	n                     int
	median, p95, min, max time.Duration
	rss                   int64 // the largest peak RSS of the runs
}

// summarize returns the stats of samples; the zero stats for none.
func summarize(samples []sample) stats {
	if len(samples) == 0 {
		return stats{}
	}
	walls := make([]time.Duration, len(samples))
	var rss int64
	for i, s := range samples {
		walls[i] = s.wall
		rss = max(rss, s.rss)
	}
	return durations(walls).with(rss)
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

func (s stats) with(rss int64) stats {
	s.rss = rss
	return s
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
