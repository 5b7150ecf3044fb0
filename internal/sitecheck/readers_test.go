package sitecheck

import (
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"briefs/internal/build"

	"golang.org/x/text/width"
	"golang.org/x/tools/txtar"
)

// TestFeedReaders builds a small-caps brief of its own, in both languages
// (testdata/smallcaps.txtar), and reads its feed item as subscribers do:
// with Python's feedparser, which sanitizes the HTML as feed readers do,
// and with newsboat, Debian's terminal feed reader, which shows it as text
// (newsboat.py). Each must show the related-tickers table, the disclaimer
// and the figures aligned on the right. A reader that is not installed
// skips its part, naming what to install, and fails it when
// BRIEFS_REQUIRE_TOOLS is set (CI).
func TestFeedReaders(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "smallcaps.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	content := fstest.MapFS{}
	for _, f := range ar.Files {
		content[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	site := t.TempDir()
	cfg := build.Project("../..", "", build.Folder)
	cfg.Content, cfg.ContentName = content, "content/"
	cfg.OutDir, cfg.BaseURL = site, "https://example.org/"
	cfg.Now = time.Date(2026, 2, 11, 0, 0, 0, 0, time.UTC) // the brief is dated 2026-02-10
	if _, err := build.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}

	for _, lang := range []string{"en", "zh"} {
		page, err := os.ReadFile(filepath.Join(site, lang, "briefs", "small-caps", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		want := tickersOf(t, string(page))
		disclaimer := map[string]string{"en": "For information only; not investment advice.", "zh": "本站内容仅供信息参考，不构成任何投资建议。"}[lang]
		feed := filepath.Join(site, lang, "index.xml")

		t.Run(lang+"/feedparser", func(t *testing.T) {
			readerTool(t, "/usr/bin/python3", "python3-feedparser", "import feedparser")
			out, err := exec.Command("/usr/bin/python3", "-c", `import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
e = d.entries[0]
print(json.dumps({"title": e.title, "content": e.content[0].value}))`, feed).Output()
			if err != nil {
				t.Fatalf("feedparser: %v", err)
			}
			var item struct{ Title, Content string }
			if err := json.Unmarshal(out, &item); err != nil {
				t.Fatalf("feedparser printed %q: %v", out, err)
			}
			c := item.Content
			for _, tk := range want {
				// One row per ticker: its name, then its close and its
				// change in cells aligned on the right.
				row := regexp.MustCompile(`<tr><td>` + regexp.QuoteMeta(html.EscapeString(tk.name)) + `</td><td align="right">` + figureSpaces +
					regexp.QuoteMeta(tk.close) + `</td><td align="right">` + figureSpaces + `[^<]*` + regexp.QuoteMeta(tk.change))
				if !row.MatchString(c) {
					t.Errorf("%s item: no table row %s | %s | %s with the figures aligned right, in:\n%s", lang, tk.name, tk.close, tk.change, c)
				}
			}
			if !strings.Contains(c, disclaimer) {
				t.Errorf("%s item: no disclaimer %q", lang, disclaimer)
			}
			// The body's table: its figure cells keep their alignment.
			aligned := 0
			for _, td := range regexp.MustCompile(`<td [^>]*class="align-right"[^>]*>`).FindAllString(c, -1) {
				if !strings.Contains(td, `align="right"`) {
					t.Errorf("%s item: a figure of the body's table lost its alignment: %s", lang, td)
				}
				aligned++
			}
			if aligned == 0 {
				t.Errorf("%s item: the body's table has no cell aligned on the right, in:\n%s", lang, c)
			}
		})

		t.Run(lang+"/newsboat", func(t *testing.T) {
			readerTool(t, "newsboat", "newsboat", "")
			readerTool(t, "/usr/bin/python3", "python3", "")
			out, err := exec.Command("/usr/bin/python3", "newsboat.py", "file://"+feed, t.TempDir()).Output()
			if err != nil {
				msg := err.Error()
				if ee, ok := err.(*exec.ExitError); ok {
					msg += ": " + string(ee.Stderr)
				}
				t.Fatalf("newsboat.py: %s", msg)
			}
			text := string(out)
			t.Logf("newsboat shows:\n%s", text)
			var edges []int // the column where each ticker's close ends
			for _, tk := range want {
				var line string
				for l := range strings.Lines(text) {
					if strings.HasPrefix(l, tk.name+" ") && strings.Contains(l, tk.close) {
						line = l
					}
				}
				if line == "" {
					t.Errorf("%s item: no line for %s with its close %s", lang, tk.name, tk.close)
					continue
				}
				if !strings.Contains(line, tk.change) {
					t.Errorf("%s item: the line of %s lacks its change %s: %q", lang, tk.name, tk.change, line)
				}
				edges = append(edges, columns(line[:strings.Index(line, tk.close)+len(tk.close)]))
			}
			for i := range edges {
				if edges[i] != edges[0] {
					t.Errorf("%s item: the closes end in columns %v, not one: not aligned on the right", lang, edges)
					break
				}
			}
			flat := strings.Join(strings.Fields(text), "")
			if !strings.Contains(flat, strings.Join(strings.Fields(disclaimer), "")) {
				t.Errorf("%s item: no disclaimer %q", lang, disclaimer)
			}
		})
	}
}

// figureSpaces matches the padding that lines figures up in text readers.
const figureSpaces = "\u2007*"

type tickerText struct{ name, close, change string }

// tickersOf reads the related-tickers box of a brief page: each ticker's
// name and symbol, close and change as the page shows them.
func tickersOf(t *testing.T, page string) []tickerText {
	t.Helper()
	re := regexp.MustCompile(`<span class="name">(?:<span class="label">([^<]*)</span> )?<span class="symbol">([^<]*)</span></span>\s*` +
		`<span class="close"><data [^>]*>([^<]*)</data></span>\s*<span class="change">(?:<span class="arrow"[^>]*>[^<]*</span>)?<data [^>]*>([^<]*)</data>`)
	var out []tickerText
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out = append(out, tickerText{name: html.UnescapeString(strings.TrimSpace(m[1] + " " + m[2])), close: m[3], change: html.UnescapeString(m[4])})
	}
	if len(out) != 4 {
		t.Fatalf("the page shows %d tickers, want 4: %v", len(out), out)
	}
	return out
}

// columns is the width of s in a terminal: Chinese letters take two.
func columns(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// readerTool skips the test when a feed reader or what runs it is not
// installed, saying what to install; with BRIEFS_REQUIRE_TOOLS set (CI)
// it fails instead. python, if set, is Python code that must run.
func readerTool(t *testing.T, prog, pkg, python string) {
	t.Helper()
	err := needs(prog)
	if err == nil && python != "" {
		_, _, err = run(context.Background(), "", prog, "-c", python)
	}
	if err == nil {
		return
	}
	msg := err.Error() + ": the feed is not read as this reader shows it (apt-get install " + pkg + ", or make deps)"
	if os.Getenv("BRIEFS_REQUIRE_TOOLS") != "" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPED, NOT PASSED: " + msg)
}
