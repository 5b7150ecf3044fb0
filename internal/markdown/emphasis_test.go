package markdown

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer/html"
)

// TestCommonMarkEmphasis runs the "Emphasis and strong emphasis" examples of
// the CommonMark spec (testdata/commonmark-emphasis.json, taken from the spec
// as shipped with goldmark; CC BY-SA 4.0) through the CJK-friendly emphasis
// parser: on text without East Asian characters it must agree with the spec.
func TestCommonMarkEmphasis(t *testing.T) {
	data, err := os.ReadFile("testdata/commonmark-emphasis.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples []struct {
		Example  int
		Markdown string
		HTML     string
	}
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatal(err)
	}
	if len(examples) < 100 {
		t.Fatalf("only %d examples", len(examples))
	}
	md := goldmark.New(goldmark.WithExtensions(cjkEmphasis{}), goldmark.WithRendererOptions(html.WithUnsafe()))
	for _, ex := range examples {
		var buf bytes.Buffer
		if err := md.Convert([]byte(ex.Markdown), &buf); err != nil {
			t.Fatal(err)
		}
		if buf.String() != ex.HTML {
			t.Errorf("example %d: %q\n got %q\nwant %q", ex.Example, ex.Markdown, buf.String(), ex.HTML)
		}
	}
}
