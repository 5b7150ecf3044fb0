package shortcode

import (
	"errors"
	"fmt"
	"html"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// builtin is one of Hugo's built-in shortcodes.
type builtin struct {
	inner bool // takes inner text
	run   func(env *Env, c *Call) (string, kind, error)
}

var builtins = map[string]builtin{
	"figure":    {run: figure},
	"highlight": {inner: true, run: highlight},
	"details":   {inner: true, run: details},
	"ref":       {run: func(env *Env, c *Call) (string, kind, error) { return ref(env, c, true) }},
	"relref":    {run: func(env *Env, c *Call) (string, kind, error) { return ref(env, c, false) }},
	"param":     {run: param},
	"comment":   {inner: true, run: func(*Env, *Call) (string, kind, error) { return "", madeHTML, nil }},
	"qr": {inner: true, run: func(*Env, *Call) (string, kind, error) {
		return "", 0, errors.New("not supported here, as its image would be drawn at build time: link the text, or put a PNG of the code in the bundle and show it with figure")
	}},
	"youtube":   {run: embed},
	"vimeo":     {run: embed},
	"x":         {run: embed},
	"twitter":   {run: embed},
	"instagram": {run: embed},
	"gist":      {run: embed},
	// Hugo's "simple" embeds, without scripts: cards too.
	"youtube_simple":   {run: embed},
	"vimeo_simple":     {run: embed},
	"x_simple":         {run: embed},
	"twitter_simple":   {run: embed},
	"instagram_simple": {run: embed},
}

func builtinNames() []string { return slices.Sorted(maps.Keys(builtins)) }

var esc = html.EscapeString

// checkURL refuses a URL a page must not link to: other than http(s),
// mailto, or relative.
func checkURL(key, u string) error {
	p, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("%s %q is not a URL", key, u)
	}
	if p.Scheme != "" && p.Scheme != "http" && p.Scheme != "https" && p.Scheme != "mailto" {
		return fmt.Errorf("%s %q: expected an http(s) URL or a path", key, u)
	}
	return nil
}

// figure is Hugo's figure: an image with an optional link and caption.
func figure(env *Env, c *Call) (string, kind, error) {
	get := func(k string) string { return c.String(k, -1) }
	src := get("src")
	if src == "" {
		return "", 0, errors.New(`expected src="image.png" (a file of the bundle, or a URL)`)
	}
	for _, k := range []string{"src", "link", "attrlink"} {
		if err := checkURL(k, get(k)); get(k) != "" && err != nil {
			return "", 0, err
		}
	}
	if u, err := url.Parse(src); err == nil && !u.IsAbs() && !strings.HasPrefix(src, "/") && env.Page != nil && slices.Contains(env.Page.Resources, u.Path) {
		src = env.Page.URL + src
	}
	md := func(s string) (string, error) {
		if s == "" || env.Markdown == nil {
			return esc(s), nil
		}
		return env.Markdown(s, true)
	}
	var b strings.Builder
	b.WriteString("<figure")
	if v := get("class"); v != "" {
		fmt.Fprintf(&b, ` class="%s"`, esc(v))
	}
	b.WriteString(">")
	if link := get("link"); link != "" {
		fmt.Fprintf(&b, `<a href="%s"`, esc(link))
		if v := get("target"); v != "" {
			fmt.Fprintf(&b, ` target="%s"`, esc(v))
		}
		if v := get("rel"); v != "" {
			fmt.Fprintf(&b, ` rel="%s"`, esc(v))
		}
		b.WriteString(">")
	}
	fmt.Fprintf(&b, `<img src="%s"`, esc(src))
	alt := get("alt")
	if alt == "" && get("caption") != "" {
		h, err := md(get("caption"))
		if err != nil {
			return "", 0, err
		}
		alt = plainText(h)
	}
	if alt != "" || get("caption") != "" {
		fmt.Fprintf(&b, ` alt="%s"`, esc(alt))
	}
	for _, k := range []string{"width", "height", "loading"} {
		if v := get(k); v != "" {
			fmt.Fprintf(&b, ` %s="%s"`, k, esc(v))
		}
	}
	b.WriteString(">")
	if get("link") != "" {
		b.WriteString("</a>")
	}
	if get("title") != "" || get("caption") != "" || get("attr") != "" {
		b.WriteString("<figcaption>")
		if v := get("title"); v != "" {
			fmt.Fprintf(&b, "<h4>%s</h4>", esc(v))
		}
		if get("caption") != "" || get("attr") != "" {
			b.WriteString("<p>")
			h, err := md(get("caption"))
			if err != nil {
				return "", 0, err
			}
			b.WriteString(h)
			if v := get("attrlink"); v != "" {
				fmt.Fprintf(&b, `<a href="%s">`, esc(v))
			}
			if h, err = md(get("attr")); err != nil {
				return "", 0, err
			}
			b.WriteString(h)
			if get("attrlink") != "" {
				b.WriteString("</a>")
			}
			b.WriteString("</p>")
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String(), madeHTML, nil
}

// highlight is Hugo's highlight: its inner text as a fenced code block in
// the language of its first argument, with the options of its second
// ("linenos=table,hl_lines=8 15-17") as the block's attributes.
func highlight(env *Env, c *Call) (string, kind, error) {
	lang := c.String("lang", 0)
	opts := c.String("options", 1)
	code := strings.Trim(deindent(c.inner), "\n\r")
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	var attrs []string
	for _, o := range strings.Split(opts, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(o), "=")
		if !ok || k == "" {
			continue
		}
		if k == "hl_lines" {
			var items []string
			for _, f := range strings.Fields(v) {
				if _, err := strconv.Atoi(f); err == nil {
					items = append(items, f)
				} else {
					items = append(items, strconv.Quote(f))
				}
			}
			v = "[" + strings.Join(items, ",") + "]"
		}
		attrs = append(attrs, k+"="+v)
	}
	info := lang
	if len(attrs) > 0 {
		info += " {" + strings.Join(attrs, " ") + "}"
	}
	src := fence + info + "\n" + code + "\n" + fence + "\n"
	if env.Markdown == nil {
		return "<pre><code>" + esc(code) + "</code></pre>", madeHTML, nil
	}
	h, err := env.Markdown(src, false)
	return h, madeHTML, err
}

// deindent removes the indentation of inner's first non-blank line from
// every line, as Hugo's .InnerDeindent.
func deindent(s string) string {
	lines := strings.Split(s, "\n")
	indent := ""
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			indent = l[:len(l)-len(strings.TrimLeft(l, " \t"))]
			break
		}
	}
	if indent == "" {
		return s
	}
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, indent)
	}
	return strings.Join(lines, "\n")
}

// details is Hugo's details: a collapsible section with a summary.
func details(env *Env, c *Call) (string, kind, error) {
	summary := c.String("summary", -1)
	if summary == "" {
		summary = "Details"
	}
	var b strings.Builder
	b.WriteString("<details")
	for _, k := range []string{"class", "name"} {
		if v := c.String(k, -1); v != "" {
			fmt.Fprintf(&b, ` %s="%s"`, k, esc(v))
		}
	}
	if v := c.arg("open", -1); v == true || v == "true" || v == 1 {
		b.WriteString(" open")
	}
	if v := c.String("title", -1); v != "" {
		fmt.Fprintf(&b, ` title="%s"`, esc(v))
	}
	b.WriteString(">\n  <summary>")
	if env.Markdown == nil {
		b.WriteString(esc(summary) + "</summary>\n" + esc(c.inner) + "</details>")
		return b.String(), madeHTML, nil
	}
	h, err := env.Markdown(summary, true)
	if err != nil {
		return "", 0, err
	}
	b.WriteString(h + "</summary>\n  ")
	if h, err = env.Markdown(deindent(c.inner), false); err != nil {
		return "", 0, err
	}
	b.WriteString(strings.TrimSpace(h) + "\n</details>")
	return b.String(), madeHTML, nil
}

// ref and relref give the URL of another page: absolute for ref.
func ref(env *Env, c *Call, abs bool) (string, kind, error) {
	p := c.String("path", 0)
	if p == "" {
		return "", 0, errors.New(`expected the path of a page, such as "post" or "posts/post.md"`)
	}
	if env.Ref == nil {
		return "", 0, errors.New("no pages to refer to")
	}
	rel, absURL, err := env.Ref(p, c.String("lang", -1))
	if err != nil {
		return "", 0, err
	}
	if abs {
		return absURL, madeText, nil
	}
	return rel, madeText, nil
}

// param is the value of one of the page's params: a front matter key, or
// a key under params:, dotted for nested values.
func param(env *Env, c *Call) (string, kind, error) {
	key := c.String("key", 0)
	if key == "" {
		return "", 0, errors.New(`expected the name of a param, such as "author"`)
	}
	var v any
	if env.Page != nil {
		v = env.Page.Params
	}
	for _, k := range strings.Split(strings.ToLower(key), ".") {
		m, ok := v.(map[string]any)
		if !ok {
			v = nil
			break
		}
		v = nil
		for mk, mv := range m {
			if strings.ToLower(mk) == k {
				v = mv
			}
		}
	}
	if v == nil {
		return "", 0, fmt.Errorf("the page has no param %q: set it in the front matter (under params: for a key of your own)", key)
	}
	s := fmt.Sprint(v)
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = fmt.Sprint(x)
		}
		s = strings.Join(parts, ", ")
	}
	if c.Markdown {
		return s, madeMarkdown, nil
	}
	return esc(s), madeHTML, nil
}

var embedID = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// embed makes a link card for a video, a post or a gist: the site's
// Content-Security-Policy loads nothing from other sites, so nothing is
// embedded.
func embed(env *Env, c *Call) (string, kind, error) {
	id := c.String("id", 0)
	need := func(key, v string) error {
		if v == "" {
			return fmt.Errorf("expected %s=VALUE", key)
		}
		if !embedID.MatchString(v) {
			return fmt.Errorf("%s %q: expected letters, digits, - and _", key, v)
		}
		return nil
	}
	var site, link, shown string
	switch strings.TrimSuffix(c.Name, "_simple") {
	case "youtube":
		if err := need("id", id); err != nil {
			return "", 0, err
		}
		site, link = "YouTube", "https://www.youtube.com/watch?v="+id
		if s := c.String("start", -1); s != "" {
			link += "&t=" + url.QueryEscape(s) + "s"
		}
	case "vimeo":
		if err := need("id", id); err != nil {
			return "", 0, err
		}
		site, link = "Vimeo", "https://vimeo.com/"+id
	case "instagram":
		if err := need("id", id); err != nil {
			return "", 0, err
		}
		site, link = "Instagram", "https://www.instagram.com/p/"+id+"/"
	case "x", "twitter":
		user := c.String("user", 0)
		id = c.String("id", 1)
		if err := errors.Join(need("user", user), need("id", id)); err != nil {
			return "", 0, err
		}
		site, link = "X", "https://x.com/"+user+"/status/"+id
	case "gist":
		user := c.String("user", 0)
		id = c.String("id", 1)
		if err := errors.Join(need("user", user), need("id", id)); err != nil {
			return "", 0, err
		}
		site, link = "GitHub Gist", "https://gist.github.com/"+user+"/"+id
		if f := c.String("file", 2); f != "" {
			link += "#file-" + strings.NewReplacer(".", "-", " ", "-").Replace(strings.ToLower(f))
		}
	}
	shown = strings.TrimPrefix(strings.TrimPrefix(link, "https://"), "www.")
	title := c.String("title", -1)
	if title == "" {
		title = shown
	}
	h := fmt.Sprintf(`<a class="embed-card embed-%s" href="%s" rel="noopener"><span class="embed-site">%s</span> <span class="embed-title">%s</span></a>`,
		strings.TrimSuffix(c.Name, "_simple"), esc(link), esc(site), esc(title))
	return h, madeHTML, nil
}
