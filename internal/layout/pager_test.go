package layout

import (
	"fmt"
	"strings"
	"testing"
)

func TestPagerWindow(t *testing.T) {
	u := NewURLs("https://example.org/")
	show := func(n, total int) string {
		var parts []string
		for _, l := range NewPager(u, "/zh/", n, total).Pages {
			switch {
			case l.Gap:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, fmt.Sprintf("[%d]", l.Number))
			default:
				parts = append(parts, fmt.Sprint(l.Number))
			}
		}
		return strings.Join(parts, " ")
	}
	for _, c := range []struct {
		n, total int
		want     string
	}{
		{1, 1, "[1]"},
		{1, 5, "[1] 2 3 4 5"},
		{1, 6, "[1] 2 3 … 6"},
		{3, 5, "1 2 [3] 4 5"},
		{1, 200, "[1] 2 3 … 200"},
		{4, 200, "1 2 3 [4] 5 6 … 200"},
		{100, 200, "1 … 98 99 [100] 101 102 … 200"},
		{200, 200, "1 … 198 199 [200]"},
		{5, 7, "1 2 3 4 [5] 6 7"},
	} {
		if got := show(c.n, c.total); got != c.want {
			t.Errorf("page %d of %d: %s, want %s", c.n, c.total, got, c.want)
		}
	}
	pg := NewPager(u, "/zh/", 100, 200)
	if pg.Prev != "/zh/page/99/" || pg.Next != "/zh/page/101/" {
		t.Errorf("prev/next = %q %q", pg.Prev, pg.Next)
	}
}
