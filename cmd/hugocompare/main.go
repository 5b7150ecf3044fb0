// Command hugocompare builds a Hugo site's content twice, with briefs and
// with Hugo, and compares the text of each page: what a Hugo author moving
// to briefs would see change.
//
//	go run ./cmd/hugocompare -content ../shared/hugo-sites/papermod/content \
//	    -params ShowToc,TocOpen -taxonomies series
//
// The content is copied, unchanged, into a temporary copy of this project
// under content/briefs/ (pages, sections and bundles as they are) and into
// a temporary Hugo site whose only layout prints a page's content. Both get
// the same stand-ins for the theme shortcodes the content uses (-shortcodes
// adds a folder of real ones). Hugo is the binary -hugo names (go install
// github.com/gohugoio/hugo@v0.160.1); without it the command says so and
// compares nothing. Nothing is written outside the temporary folder.
//
// For each page briefs publishes in the default language, it prints
// "same" or the differing runs of words, Hugo's first. Heading anchors and
// code line numbers are left out of both texts.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"briefs/internal/build"
	"briefs/internal/diag"

	"golang.org/x/net/html"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		diag.Print(os.Stderr, err)
		os.Exit(1)
	}
}

// standIns are the theme shortcodes of PaperMod's example site, written
// anew: what they make, not how the theme styles it.
var standIns = map[string]string{
	"collapse":  "<details{{ if eq (.Get \"openByDefault\") true }} open{{ end }}><summary>{{ .Get \"summary\" | markdownify }}</summary>\n{{ .Inner | markdownify }}\n</details>\n",
	"inTextImg": "<img class=\"in-text\" height=\"{{ .Get \"height\" | default 15 }}\" src=\"{{ .Get \"url\" }}\" alt=\"{{ .Get \"alt\" }}\">",
	"audio":     "<audio src=\"{{ .Get \"src\" }}\" controls></audio>",
	"video":     "<video src=\"{{ .Get \"src\" }}\" controls></video>",
}

func run(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("hugocompare", flag.ContinueOnError)
	src := fl.String("content", "", "a Hugo site's content `folder`")
	project := fl.String("project", ".", "this project's `folder`: its templates/ and assets/ are used")
	hugo := fl.String("hugo", "", "the Hugo `binary` (default: hugo on PATH, else ~/go/bin/hugo)")
	params := fl.String("params", "", "comma-separated front matter keys of the theme, for site.toml's pageParams")
	taxonomies := fl.String("taxonomies", "", "comma-separated taxonomies beyond tags and categories")
	shortcodes := fl.String("shortcodes", "", "a `folder` of NAME.html shortcodes for both builds, beside the stand-ins")
	keep := fl.Bool("keep", false, "keep the temporary folder and print its name")
	words := fl.Int("show", 8, "differences shown per page")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *src == "" {
		return errors.New("-content is required: a Hugo site's content folder")
	}
	bin, err := findHugo(*hugo)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "hugocompare-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(stdout, "kept:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	langs, err := languages(*src)
	if err != nil {
		return err
	}
	sc := map[string]string{}
	for k, v := range standIns {
		sc[k] = v
	}
	if *shortcodes != "" {
		files, _ := filepath.Glob(filepath.Join(*shortcodes, "*.html"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			sc[strings.TrimSuffix(filepath.Base(f), ".html")] = string(data)
		}
	}

	// briefs
	bdir := filepath.Join(tmp, "briefs")
	for _, d := range []string{"templates", "assets"} {
		if err := copyDir(filepath.Join(*project, d), filepath.Join(bdir, d)); err != nil {
			return err
		}
	}
	if err := copyDir(*src, filepath.Join(bdir, "content", "briefs")); err != nil {
		return err
	}
	site := fmt.Sprintf("baseURL = \"https://example.org/\"\ndefaultLanguage = \"en\"\nunsafeHTML = true\npageParams = %s\ntaxonomies = %s\n"+
		"[languages.en]\ntitle = \"Site\"\nweight = 1\n[languages.zh]\ntitle = \"站点\"\nweight = 2\n", tomlList(*params), tomlList(*taxonomies))
	if err := write(filepath.Join(bdir, "content", "site.toml"), site); err != nil {
		return err
	}
	for name, t := range sc {
		if err := write(filepath.Join(bdir, "templates", "shortcodes", name+".html"), t); err != nil {
			return err
		}
	}
	cfg := build.Project(bdir, "", build.Folder)
	cfg.OutDir = filepath.Join(bdir, "public")
	cfg.Now = time.Now()
	res, err := build.Run(context.Background(), cfg)
	if err != nil {
		return fmt.Errorf("briefs build: %w", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stdout, "briefs warning:", w)
	}

	// Hugo
	hdir := filepath.Join(tmp, "hugo")
	if err := copyDir(*src, filepath.Join(hdir, "content")); err != nil {
		return err
	}
	conf := "baseURL = \"https://example.org/\"\ntitle = \"Site\"\ndefaultContentLanguage = \"en\"\n" +
		"disableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\nenableInlineShortcodes = true\n[markup.goldmark.renderer]\nunsafe = true\n[markup.highlight]\nnoClasses = false\n[taxonomies]\ntag = \"tags\"\ncategory = \"categories\"\n"
	for _, t := range strings.Split(*taxonomies, ",") {
		if t = strings.TrimSpace(t); t != "" {
			conf += fmt.Sprintf("%s = %q\n", t, t)
		}
	}
	for i, l := range langs {
		conf += fmt.Sprintf("[languages.%s]\nweight = %d\n", l, i+1)
	}
	if err := write(filepath.Join(hdir, "hugo.toml"), conf); err != nil {
		return err
	}
	layouts := map[string]string{
		"single.html": `<div class="post-content">{{ .Content }}</div>`,
		"list.html":   `{{ range .Pages }}{{ .Title }} {{ end }}`,
	}
	for name, t := range layouts {
		if err := write(filepath.Join(hdir, "layouts", name), t); err != nil {
			return err
		}
	}
	for name, t := range sc {
		if err := write(filepath.Join(hdir, "layouts", "_shortcodes", name+".html"), t); err != nil {
			return err
		}
	}
	cmd := exec.Command(bin, "--source", hdir, "--destination", filepath.Join(hdir, "public"), "--quiet")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("hugo: %v\n%s", err, stderr.String())
	}
	return compare(stdout, filepath.Join(bdir, "public", "en", "briefs"), filepath.Join(hdir, "public"), langs[1:], *words)
}

// findHugo finds the Hugo binary.
func findHugo(flagged string) (string, error) {
	if flagged != "" {
		return flagged, nil
	}
	if p, err := exec.LookPath("hugo"); err == nil {
		return p, nil
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, "go", "bin", "hugo")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no hugo binary: install it with go install github.com/gohugoio/hugo@v0.160.1, or pass -hugo")
}

// languages lists the languages of the content's file names, English
// first.
func languages(dir string) ([]string, error) {
	langs := []string{"en"}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := strings.TrimSuffix(d.Name(), ".md")
		if i := strings.LastIndexByte(base, '.'); i > 0 && base != d.Name() {
			if l := base[i+1:]; len(l) == 2 && !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
		return nil
	})
	return langs, err
}

func tomlList(s string) string {
	var q []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			q = append(q, strconv.Quote(x))
		}
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func write(name, data string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(data), 0o644)
}

// copyDir copies the regular files of src into dst, writable.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}

// compare prints, for each brief page, how its text differs from Hugo's
// page of the same slug.
func compare(w io.Writer, briefs, hugo string, otherLangs []string, show int) error {
	dirs, err := os.ReadDir(briefs)
	if err != nil {
		return err
	}
	hugoPages := map[string]string{} // slug -> page, the default language's
	filepath.WalkDir(hugo, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && filepath.Dir(p) == hugo && slices.Contains(otherLangs, d.Name()) {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() && d.Name() == "index.html" {
			if data, err := os.ReadFile(p); err != nil || !bytes.Contains(data, []byte(`class="post-content"`)) {
				return nil // an alias's redirect page
			}
			slug := filepath.Base(filepath.Dir(p))
			if _, dup := hugoPages[slug]; !dup {
				hugoPages[slug] = p
			}
		}
		return nil
	})
	same, differ := 0, 0
	for _, d := range dirs {
		page := filepath.Join(briefs, d.Name(), "index.html")
		if data, err := os.ReadFile(page); err != nil || !bytes.Contains(data, []byte(`class="body"`)) {
			continue // an alias's redirect page
		}
		hp, ok := hugoPages[d.Name()]
		if !ok {
			fmt.Fprintf(w, "%s: no Hugo page of that name\n", d.Name())
			continue
		}
		bt, err := pageText(page, "body")
		if err != nil {
			return err
		}
		ht, err := pageText(hp, "post-content")
		if err != nil {
			return err
		}
		diffs := wordDiff(ht, bt)
		if len(diffs) == 0 {
			same++
			fmt.Fprintf(w, "%s: same text (%d words)\n", d.Name(), len(bt))
			continue
		}
		differ++
		fmt.Fprintf(w, "%s: %d differences in %d words\n", d.Name(), len(diffs), len(ht))
		for i, df := range diffs {
			if i == show {
				fmt.Fprintf(w, "  ...\n")
				break
			}
			fmt.Fprintf(w, "  hugo: %s\n  brief: %s\n", diag.Clip(df[0], 160), diag.Clip(df[1], 160))
		}
	}
	fmt.Fprintf(w, "%d pages with the same text, %d differ\n", same, differ)
	return nil
}

// pageText returns the words of the element of class in the page: text
// runs joined, blocks apart. Heading anchors and line numbers are left out.
func pageText(file, class string) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	root := find(doc, class)
	if root == nil {
		return nil, fmt.Errorf("%s: no element of class %q", file, class)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if hasClass(n, "anchor") || hasClass(n, "ln") || hasClass(n, "lnt") || n.Data == "script" {
				return
			}
		}
		block := n.Type == html.ElementNode && !inline[n.Data]
		if block {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte(' ')
		}
	}
	walk(root)
	return strings.Fields(b.String()), nil
}

var inline = map[string]bool{"a": true, "abbr": true, "b": true, "code": true, "data": true, "em": true, "i": true, "kbd": true,
	"mark": true, "q": true, "s": true, "del": true, "small": true, "span": true, "strong": true, "sub": true, "sup": true, "time": true, "u": true}

func find(n *html.Node, class string) *html.Node {
	if n.Type == html.ElementNode && hasClass(n, class) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, class); f != nil {
			return f
		}
	}
	return nil
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && slices.Contains(strings.Fields(a.Val), class) {
			return true
		}
	}
	return false
}

// wordDiff returns the runs of words that differ between a and b, as
// pairs (a's, b's), by a longest common subsequence.
func wordDiff(a, b []string) [][2]string {
	if slices.Equal(a, b) {
		return nil
	}
	n, m := len(a), len(b)
	if n*m > 50_000_000 {
		// Too long to align word by word in memory: one difference.
		return [][2]string{{fmt.Sprintf("%d words", n), fmt.Sprintf("%d words, not the same", m)}}
	}
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out [][2]string
	var da, db []string
	flush := func() {
		if len(da)+len(db) > 0 {
			out = append(out, [2]string{strings.Join(da, " "), strings.Join(db, " ")})
			da, db = nil, nil
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			flush()
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			db = append(db, b[j])
			j++
		default:
			da = append(da, a[i])
			i++
		}
	}
	flush()
	return out
}
