package sitecheck

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
)

// The site ships no JavaScript, and nothing a brief holds may add any: the
// active check parses every page, and the HTML inside every feed, and
// names each script, event handler attribute, script URL and element that
// loads or redirects to other content. It needs no other program.

// checkActive runs ActivePage and ActiveFeed over the built site.
func checkActive(ctx context.Context, o *Options, s *Site) ([]Failure, error) {
	var fails []Failure
	for _, group := range []struct {
		paths []string
		check func(string, []byte) []Failure
	}{{s.HTML, ActivePage}, {s.Feeds, ActiveFeed}} {
		for _, p := range group.paths {
			if err := ctx.Err(); err != nil {
				return fails, err
			}
			file := filepath.Join(s.Dir, filepath.FromSlash(p))
			if strings.HasSuffix(p, "/") {
				file = filepath.Join(file, "index.html")
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return fails, err
			}
			fails = append(fails, group.check(p, data)...)
		}
	}
	return fails, nil
}

// ActivePage lists the active content of an HTML page at site path page:
// script elements (in SVG and MathML too), attributes whose name starts
// with "on", URLs with the schemes javascript:, vbscript: or data: in any
// attribute that holds one (href, src, srcset, action, formaction,
// xlink:href, …, and a meta refresh), and the elements iframe, frame,
// object, embed, applet and base. A meta refresh is allowed in the head,
// to a URL of another scheme, as the language-picking root page has.
func ActivePage(page string, data []byte) []Failure {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return []Failure{{Page: page, Problem: fmt.Sprintf("does not parse as HTML: %v", err)}}
	}
	var fails []Failure
	for _, p := range activeHTML(doc) {
		fails = append(fails, Failure{Page: page, Problem: p})
	}
	return fails
}

// ActiveFeed lists the active content of an RSS or Atom feed at site path
// page: in the HTML of every element a reader may take for HTML (RSS
// title, description and content:encoded; Atom elements of type "html"),
// as ActivePage does, and script URLs in its links.
func ActiveFeed(page string, data []byte) []Failure {
	var fails []Failure
	add := func(format string, args ...any) {
		fails = append(fails, Failure{Page: page, Problem: fmt.Sprintf(format, args...)})
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []xml.StartElement
	var text strings.Builder
	entry := 0 // items or entries begun
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			add("does not parse as XML: %v", err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t)
			text.Reset()
			if t.Name.Local == "item" || t.Name.Local == "entry" {
				entry++
			}
			for _, a := range t.Attr {
				if isURLAttr(a.Name.Local) && scriptScheme(a.Value) != "" {
					add("<%s %s=%q>: a %s URL", t.Name.Local, a.Name.Local, clip(a.Value), scriptScheme(a.Value))
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(stack) == 0 {
				break
			}
			el := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			where := feedPath(stack, el, entry)
			switch {
			case el.Name.Local == "link" && scriptScheme(text.String()) != "":
				add("%s: a %s URL %q", where, scriptScheme(text.String()), clip(text.String()))
			case carriesHTML(el, len(stack)):
				doc, err := html.Parse(strings.NewReader(text.String()))
				if err != nil {
					add("%s: does not parse as HTML: %v", where, err)
					break
				}
				for _, p := range activeHTML(doc) {
					add("%s: %s", where, p)
				}
			}
			text.Reset()
		}
	}
	return fails
}

// carriesHTML reports whether a feed element's text is HTML to a reader:
// RSS title and description (by custom) and content:encoded, and Atom
// text constructs of type html.
func carriesHTML(el xml.StartElement, depth int) bool {
	const atom = "http://www.w3.org/2005/Atom"
	if el.Name.Space == atom {
		for _, a := range el.Attr {
			if a.Name.Local == "type" && a.Name.Space == "" {
				return a.Value == "html"
			}
		}
		return false
	}
	switch el.Name.Local {
	case "encoded":
		return true
	case "title", "description":
		return depth >= 2 // in rss/channel or rss/channel/item
	}
	return false
}

// feedPath names an element by the item or entry it is in: "item 3
// description".
func feedPath(stack []xml.StartElement, el xml.StartElement, entry int) string {
	name := el.Name.Local
	if name == "encoded" {
		name = "content:encoded"
	}
	for _, s := range stack {
		if s.Name.Local == "item" || s.Name.Local == "entry" {
			return fmt.Sprintf("%s %d %s", s.Name.Local, entry, name)
		}
	}
	return name
}

// activeHTML lists the active content of a parsed document.
func activeHTML(doc *html.Node) []string {
	var problems []string
	var walk func(n *html.Node, inHead bool)
	walk = func(n *html.Node, inHead bool) {
		if n.Type == html.ElementNode {
			name := n.Data
			if n.Namespace != "" && n.Namespace != n.Data {
				name = n.Namespace + " " + n.Data
			}
			switch n.Data {
			case "script", "iframe", "frame", "object", "embed", "applet", "base":
				problems = append(problems, fmt.Sprintf("a <%s> element", name))
			case "head":
				inHead = true
			case "meta":
				if strings.EqualFold(attr(n, "http-equiv"), "refresh") {
					_, url, _ := strings.Cut(strings.ToLower(attr(n, "content")), "url=")
					url = strings.Trim(url, " '\"")
					switch {
					case scriptScheme(url) != "":
						problems = append(problems, fmt.Sprintf("a <meta http-equiv=refresh> to a %s URL", scriptScheme(url)))
					case !inHead:
						problems = append(problems, "a <meta http-equiv=refresh> outside the head")
					}
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if a.Namespace != "" {
					key = a.Namespace + ":" + key
				}
				switch {
				case strings.HasPrefix(key, "on"):
					problems = append(problems, fmt.Sprintf("an event handler attribute %s=%q on <%s>", key, clip(a.Val), name))
				case key == "srcset" || key == "imagesrcset":
					for _, c := range strings.Split(a.Val, ",") {
						if f := strings.Fields(c); len(f) > 0 && scriptScheme(f[0]) != "" {
							problems = append(problems, fmt.Sprintf("a %s URL in <%s %s=%q>", scriptScheme(f[0]), name, key, clip(a.Val)))
						}
					}
				case isURLAttr(a.Key) && scriptScheme(a.Val) != "":
					problems = append(problems, fmt.Sprintf("a %s URL in <%s %s=%q>", scriptScheme(a.Val), name, key, clip(a.Val)))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inHead)
		}
	}
	walk(doc, false)
	return problems
}

// isURLAttr reports whether an attribute holds a URL that a browser may
// follow or load.
func isURLAttr(key string) bool {
	switch strings.ToLower(key) {
	case "href", "src", "action", "formaction", "poster", "background", "cite", "data", "codebase",
		"longdesc", "lowsrc", "dynsrc", "manifest", "ping", "icon", "profile", "usemap", "archive", "classid", "uri":
		return true
	}
	return false
}

// scriptScheme returns the scheme of u if it is javascript, vbscript or
// data, as a browser reads it: after entity decoding (done by the parser),
// ignoring ASCII case and every space or control character; else "".
func scriptScheme(u string) string {
	var b strings.Builder
	for _, r := range u {
		if r == ':' {
			break
		}
		if r <= ' ' || r == 0x7f {
			continue
		}
		if b.Len() > 16 {
			return ""
		}
		b.WriteRune(r)
	}
	if !strings.Contains(u, ":") {
		return ""
	}
	switch s := strings.ToLower(b.String()); s {
	case "javascript", "vbscript", "data":
		return s + ":"
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// clip quotes at most 80 characters of s.
func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
