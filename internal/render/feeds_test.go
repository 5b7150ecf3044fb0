package render

import "testing"

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four five six", 14, "one two three…"},
		{"第一句话很长很长，第二句话也很长很长。", 12, "第一句话很长很长…"},
		{"第一句话很长。第二句话也很长很长。", 12, "第一句话很长。"},
		{"The index rose. Financials led the gains by far", 24, "The index rose."},
		{"Rose 2.75 percent in the week, led by financials", 30, "Rose 2.75 percent in the week…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
