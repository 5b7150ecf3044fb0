package tmpl

import (
	"slices"
	"testing"
)

// TestShownFigures: the computed figures of a body, each once, with their
// provenance unescaped; tags without a title are not listed.
func TestShownFigures(t *testing.T) {
	body := `<p>VIX <data value="14.41" title="VIX close 2026-02-09 14.41">14.41</data>, ` +
		`<data value="0.09" title="VIX close 2026-02-02 -&gt; 2026-02-09">+9.4%</data>; ` +
		`<data value="14.41" title="VIX close 2026-02-09 14.41">14.41</data> ` +
		`<data value="1">1</data> <data value="2" title="a &amp; b"><b>2</b></data></p>`
	want := []Shown{
		{Text: "14.41", Title: "VIX close 2026-02-09 14.41"},
		{Text: "+9.4%", Title: "VIX close 2026-02-02 -> 2026-02-09"},
		{Text: "2", Title: "a & b"},
	}
	if got := ShownFigures(body); !slices.Equal(got, want) {
		t.Errorf("ShownFigures:\n got %q\nwant %q", got, want)
	}
}
