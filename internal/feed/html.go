package feed

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes whose root-relative values absolutize rewrites.
var urlAttrs = map[string]bool{"href": true, "src": true, "srcset": true, "poster": true}

// Absolutize prefixes origin to root-relative URLs, and page to fragment-only
// URLs, in href, src and srcset attributes. It tokenizes the HTML and
// rewrites only tags that need it, copying everything else byte for byte.
func Absolutize(s, origin, page string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b bytes.Buffer
	b.Grow(len(s) + 256)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() == io.EOF {
				return b.String()
			}
			return s // not HTML we can read: leave it as it is
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(raw)
			continue
		}
		tok := z.Token()
		changed := false
		for i, a := range tok.Attr {
			if !urlAttrs[a.Key] {
				continue
			}
			if v, ok := absoluteAttr(a.Key, a.Val, origin, page); ok {
				tok.Attr[i].Val = v
				changed = true
			}
		}
		if changed {
			b.WriteString(tok.String())
		} else {
			b.Write(raw)
		}
	}
}

func absoluteAttr(key, val, origin, page string) (string, bool) {
	rooted := func(u string) bool { return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") }
	if key != "srcset" {
		switch {
		case rooted(val):
			return origin + val, true
		case strings.HasPrefix(val, "#") && page != "":
			return page + val, true
		}
		return val, false
	}
	parts := strings.Split(val, ",")
	changed := false
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if rooted(p) {
			parts[i] = origin + p
			changed = true
		} else {
			parts[i] = p
		}
	}
	return strings.Join(parts, ", "), changed
}
