package sitecheck

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The structure check parses every brief and issue page, as the active
// check does, for what a reader follows: every numbered citation "[n]" in
// a body is a link, and the briefs of a language, and the issues of a
// series, are chained by rel="prev" and rel="next" links that lead both
// ways, newest to oldest, through every one of them.

// citation is a numbered citation as a body shows it.
var citation = regexp.MustCompile(`\[\d+\]`)

// navPage is what the structure check reads of a brief or issue page.
type navPage struct {
	path       string
	date       string // the <time datetime> of its header
	prev, next string // site paths of its rel=prev and rel=next links
	group      string // "the zh briefs", "the en issues of the series weekly"
}

func checkStructure(ctx context.Context, o *Options, s *Site) ([]Failure, error) {
	base, err := url.Parse(o.Base)
	if err != nil {
		return nil, err
	}
	var fails []Failure
	var pages []*navPage
	for _, p := range s.HTML {
		if err := ctx.Err(); err != nil {
			return fails, err
		}
		kind := Kind(p)
		if kind != "brief" && kind != "issue" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(p), "index.html"))
		if err != nil {
			return fails, err
		}
		np, f := structurePage(p, data, base)
		fails = append(fails, f...)
		if np != nil {
			pages = append(pages, np)
		}
	}
	return append(fails, chains(pages)...), nil
}

// structurePage reads a brief or issue page at site path page, served
// under base: the citations of its body that are not links, and its
// neighbour links.
func structurePage(page string, data []byte, base *url.URL) (*navPage, []Failure) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, []Failure{{Page: page, Problem: fmt.Sprintf("does not parse as HTML: %v", err)}}
	}
	var fails []Failure
	np := &navPage{path: page}
	parts := strings.Split(strings.Trim(page, "/"), "/")
	np.group = "the " + parts[0] + " briefs"
	if Kind(page) == "issue" {
		np.group = "the " + parts[0] + " issues of the series " + parts[2]
	}
	navClass := map[string]string{"brief": "brief-nav", "issue": "issue-nav"}[Kind(page)]
	sitePath := func(href string) string {
		u, err := base.Parse(href)
		if err != nil || u.Host != base.Host || !strings.HasPrefix(u.Path, base.Path) {
			return href
		}
		return "/" + strings.TrimPrefix(u.Path, base.Path)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch {
		case n.Data == "div" && hasClass(n, "body"):
			for _, c := range looseCitations(n) {
				fails = append(fails, Failure{Page: page, Problem: fmt.Sprintf("citation %s is not a link: %q", c.cite, c.context)})
			}
		case n.Data == "time" && np.date == "" && inClass(n, "meta"):
			np.date = attrOf(n, "datetime")
		case n.Data == "a" && inClass(n, navClass):
			switch attrOf(n, "rel") {
			case "prev":
				np.prev = sitePath(attrOf(n, "href"))
			case "next":
				np.next = sitePath(attrOf(n, "href"))
			}
		}
	}
	return np, fails
}

type looseCitation struct{ cite, context string }

// looseCitations finds "[n]" in the text of body that is not inside a link
// (or code, where it is an example).
func looseCitations(body *html.Node) []looseCitation {
	var out []looseCitation
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "a" || n.Data == "code" || n.Data == "pre") {
			return
		}
		if n.Type == html.TextNode {
			for _, m := range citation.FindAllStringIndex(n.Data, -1) {
				from, to := max(0, m[0]-40), min(len(n.Data), m[1]+20)
				for from > 0 && !utf8.RuneStart(n.Data[from]) {
					from--
				}
				for to < len(n.Data) && !utf8.RuneStart(n.Data[to]) {
					to++
				}
				out = append(out, looseCitation{n.Data[m[0]:m[1]], strings.Join(strings.Fields(n.Data[from:to]), " ")})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(body)
	return out
}

// chains checks the neighbour links of each group of pages: each link
// leads to a page of the group that links back; following rel=prev from
// the one page without rel=next reaches every page, each dated no later
// than the one before.
func chains(pages []*navPage) []Failure {
	groups := map[string][]*navPage{}
	var order []string
	for _, p := range pages {
		if groups[p.group] == nil {
			order = append(order, p.group)
		}
		groups[p.group] = append(groups[p.group], p)
	}
	var fails []Failure
	bad := func(p *navPage, format string, args ...any) {
		fails = append(fails, Failure{Page: p.path, Problem: fmt.Sprintf(format, args...)})
	}
	for _, g := range order {
		byPath := map[string]*navPage{}
		for _, p := range groups[g] {
			byPath[p.path] = p
		}
		what := "brief"
		if strings.Contains(g, " issues of ") {
			what = "issue"
		}
		var heads []*navPage
		for _, p := range groups[g] {
			for _, l := range []struct{ rel, to, back string }{{"prev", p.prev, "next"}, {"next", p.next, "prev"}} {
				if l.to == "" {
					continue
				}
				t, ok := byPath[l.to]
				switch {
				case !ok:
					bad(p, "its rel=%s link leads to %s, which is not one of %s", l.rel, l.to, g)
				case l.rel == "prev" && t.next != p.path:
					bad(p, "its rel=prev link leads to %s, whose rel=next link leads to %q, not back here", t.path, t.next)
				case l.rel == "next" && t.prev != p.path:
					bad(p, "its rel=next link leads to %s, whose rel=prev link leads to %q, not back here", t.path, t.prev)
				case l.rel == "prev" && t.date > p.date:
					bad(p, "its rel=prev link leads to %s, dated %s, after this %s's %s", t.path, t.date, what, p.date)
				}
			}
			if p.next == "" {
				heads = append(heads, p)
			}
		}
		if len(heads) != 1 {
			var names []string
			for _, h := range heads {
				names = append(names, h.path)
			}
			slices.Sort(names)
			// Reported on the first head, or without one on the newest
			// page: the same page whatever order the pages came in.
			newest := groups[g][0]
			for _, p := range groups[g] {
				if p.date > newest.date || p.date == newest.date && p.path < newest.path {
					newest = p
				}
			}
			page := newest.path
			if len(names) > 0 {
				page = names[0]
			}
			fails = append(fails, Failure{Page: page, Problem: fmt.Sprintf("%s should form one chain of rel=prev/next links, newest to oldest; %d have no rel=next link: %s",
				g, len(heads), strings.Join(names, ", "))})
			continue
		}
		seen := map[string]bool{}
		for p := heads[0]; p != nil && !seen[p.path]; p = byPath[p.prev] {
			seen[p.path] = true
		}
		for _, p := range groups[g] {
			if !seen[p.path] {
				bad(p, "no chain of rel=prev links from the newest of %s (%s) reaches this %s: a previous or next %s link is missing", g, heads[0].path, what, what)
			}
		}
	}
	return fails
}

func hasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(attrOf(n, "class")), class)
}

// inClass reports whether n or an ancestor of n has class.
func inClass(n *html.Node, class string) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && hasClass(n, class) {
			return true
		}
	}
	return false
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
