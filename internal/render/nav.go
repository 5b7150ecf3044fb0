package render

import (
	"slices"

	"briefs/internal/layout"
)

// maxRelated is how many related briefs a brief links to.
const maxRelated = 3

// relatedWindow bounds the search for related briefs: of the briefs that
// share a tag or ticker with a brief, only this many on each side of it in
// time are looked at, so that a tag every brief has costs no more than a
// rare one.
const relatedWindow = 50

// navigate links each brief of list (one language's briefs, newest first)
// to the briefs before and after it and to up to maxRelated related
// briefs: those sharing the most tags and tickers with it, the nearest in
// time first.
func navigate(list []*brief) {
	index := map[string][]int{} // "tag:x" or "ticker:X" -> positions in list
	keys := make([][]string, len(list))
	for i, v := range list {
		for _, t := range v.Tags {
			keys[i] = append(keys[i], "tag:"+t.Slug)
		}
		for _, sym := range v.Src.Tickers {
			keys[i] = append(keys[i], "ticker:"+sym)
		}
		slices.Sort(keys[i])
		keys[i] = slices.Compact(keys[i])
		for _, k := range keys[i] {
			index[k] = append(index[k], i)
		}
	}
	link := func(v *brief) layout.NavLink { return layout.NavLink{Title: v.Title, URL: v.URL, Date: v.Date} }
	shared := make([]int, len(list)) // keys shared with the brief at hand, by position
	var touched []int                // the positions counted
	for i, v := range list {
		nav := &layout.BriefNav{}
		if i+1 < len(list) {
			l := link(list[i+1])
			nav.Prev = &l
		}
		if i > 0 {
			l := link(list[i-1])
			nav.Next = &l
		}
		// Count the keys each neighbour shares, then take the best few:
		// most shared keys, then nearest in the list, then the earlier.
		touched = touched[:0]
		for _, k := range keys[i] {
			posts := index[k]
			at, _ := slices.BinarySearch(posts, i)
			for _, j := range posts[max(0, at-relatedWindow):min(len(posts), at+relatedWindow+1)] {
				if j != i {
					if shared[j] == 0 {
						touched = append(touched, j)
					}
					shared[j]++
				}
			}
		}
		better := func(a, b int) bool {
			if shared[a] != shared[b] {
				return shared[a] > shared[b]
			}
			if da, db := abs(a-i), abs(b-i); da != db {
				return da < db
			}
			return a < b
		}
		for range min(len(touched), maxRelated) {
			best := -1
			for _, j := range touched {
				if shared[j] > 0 && (best < 0 || better(j, best)) {
					best = j
				}
			}
			nav.Related = append(nav.Related, link(list[best]))
			shared[best] = 0 // taken
		}
		for _, j := range touched {
			shared[j] = 0
		}
		v.Nav = nav
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
