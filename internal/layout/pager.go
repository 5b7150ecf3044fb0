package layout

import (
	"errors"
	"fmt"
)

// pagerNear is how many numbered links a pager shows on each side of the
// current page.
const pagerNear = 2

// NewPager links page n of the total pages of the list at base.
func NewPager(u URLs, base string, n, total int) Pager {
	pg := Pager{Number: n, Total: total}
	if n > 1 {
		pg.Prev = u.Rel(PagePath(base, n-1))
	}
	if n < total {
		pg.Next = u.Rel(PagePath(base, n+1))
	}
	// The first, the last and the pages near the current one; a gap
	// stands for two or more pages left out, so a long list keeps a
	// short pager.
	shown := func(i int) bool { return i == 1 || i == total || (i >= n-pagerNear && i <= n+pagerNear) }
	for i := 1; i <= total; i++ {
		if !shown(i) && !(shown(i-1) && shown(i+1)) {
			if l := len(pg.Pages); l > 0 && !pg.Pages[l-1].Gap {
				pg.Pages = append(pg.Pages, PagerLink{Gap: true})
			}
			continue
		}
		pg.Pages = append(pg.Pages, PagerLink{Number: i, URL: u.Rel(PagePath(base, i)), Current: i == n})
	}
	return pg
}

// PageError is a layout failing on a page.
type PageError struct {
	Path string // the page's site path
	Err  error
	More int // other pages it failed on, counted by Dedupe
}

func (e *PageError) Error() string {
	s := e.Err.Error() + " (rendering " + e.Path
	if e.More > 0 {
		s += fmt.Sprintf(" and %d more pages", e.More)
	}
	return s + ")"
}

func (e *PageError) Unwrap() error { return e.Err }

// Dedupe reports a layout error once, however many pages hit it, with the
// first page (in the order of errs) and how many more.
func Dedupe(errs []error) []error {
	var out []error
	seen := map[string]*PageError{}
	for _, err := range errs {
		var pe *PageError
		if !errors.As(err, &pe) {
			out = append(out, err)
			continue
		}
		if first, ok := seen[pe.Err.Error()]; ok {
			first.More++
			continue
		}
		seen[pe.Err.Error()] = pe
		out = append(out, pe)
	}
	return out
}
