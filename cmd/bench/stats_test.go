package main

import (
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{7}, 7},
		{[]time.Duration{5, 1, 3}, 3},
		{[]time.Duration{4, 1, 3, 2}, 2}, // mean of 2 and 3, rounded down
		{[]time.Duration{10, 40, 20, 30}, 25},
		{[]time.Duration{3, 3, 9, 1, 3}, 3},
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100 - i) // 100 down to 1, unsorted
	}
	tests := []struct {
		in   []time.Duration
		p    int
		want time.Duration
	}{
		{nil, 50, 0},
		{[]time.Duration{5}, 95, 5},
		{hundred, 50, 50},
		{hundred, 95, 95},
		{hundred, 100, 100},
		{hundred, 1, 1},
		{[]time.Duration{4, 2, 1, 3}, 50, 2}, // nearest rank: ceil(0.5*4) = 2nd
		{[]time.Duration{4, 2, 1, 3}, 95, 4}, // ceil(0.95*4) = 4th
		{[]time.Duration{4, 2, 1, 3}, 25, 1}, // ceil(0.25*4) = 1st
		{[]time.Duration{4, 2, 1, 3}, 26, 2}, // ceil(1.04) = 2nd
		{[]time.Duration{10, 20, 30}, 0, 10}, // never below the first
	}
	for _, tt := range tests {
		if got := percentile(tt.in, tt.p); got != tt.want {
			t.Errorf("percentile(%v, %d) = %v, want %v", tt.in, tt.p, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	s := summarize([]sample{
		{wall: 3 * time.Second, user: 4 * time.Second, sys: 1 * time.Second, rss: 100 << 20},
		{wall: 1 * time.Second, user: 1 * time.Second, sys: 3 * time.Second, rss: 300 << 20},
		{wall: 2 * time.Second, user: 2 * time.Second, sys: 2 * time.Second, rss: 200 << 20},
	})
	want := stats{n: 3, median: 2 * time.Second, p95: 3 * time.Second, min: time.Second, max: 3 * time.Second,
		user: 2 * time.Second, sys: 2 * time.Second, rss: 300 << 20}
	if s != want {
		t.Errorf("summarize = %+v, want %+v", s, want)
	}
	if s := summarize(nil); s != (stats{}) {
		t.Errorf("summarize(nil) = %+v, want zero", s)
	}
}

func TestScaleRuns(t *testing.T) {
	for _, tt := range []struct{ runs, n, want int }{{5, 500, 5}, {5, 2000, 5}, {5, 8000, 3}, {1, 8000, 1}, {10, 4000, 10}} {
		if got := scaleRuns(tt.runs, tt.n); got != tt.want {
			t.Errorf("scaleRuns(%d, %d) = %d, want %d", tt.runs, tt.n, got, tt.want)
		}
	}
}
