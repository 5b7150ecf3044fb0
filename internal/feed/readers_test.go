package feed

import "testing"

// TestForReaders: in a feed, aligned cells carry align attributes and
// right-aligned figures are padded to line up in text readers; citations
// are superscripts.
func TestForReaders(t *testing.T) {
	const fs = "\u2007"
	tests := []struct{ in, want string }{
		{`<table><thead><tr><th>Name</th><th class="align-right">Week</th></tr></thead><tbody>` +
			`<tr><td>Energy</td><td class="align-right"><data value="0.1" title="x">+10.00%</data></td></tr>` +
			`<tr><td>能源</td><td class="align-right">-1.5%</td></tr></tbody></table>`,
			`<table><thead><tr><th>Name</th><th class="align-right" align="right">` + fs + fs + fs + `Week</th></tr></thead><tbody>` +
				`<tr><td>Energy</td><td class="align-right" align="right"><data value="0.1" title="x">+10.00%</data></td></tr>` +
				`<tr><td>能源</td><td class="align-right" align="right">` + fs + fs + `-1.5%</td></tr></tbody></table>`},
		{`<table><tr><td>Cboe VIX</td><td align="right">13.97</td><td align="right">▼ -3.05% 1D</td></tr>` +
			`<tr><td>S&amp;P 500</td><td align="right">5,656.61</td><td align="right">0.00% 1D</td></tr></table>`,
			`<table><tr><td>Cboe VIX</td><td align="right">` + fs + fs + fs + `13.97</td><td align="right">▼ -3.05% 1D</td></tr>` +
				`<tr><td>S&amp;P 500</td><td align="right">5,656.61</td><td align="right">` + fs + fs + fs + `0.00% 1D</td></tr></table>`},
		{`<p>Rose <a class="cite" href="#source-0" title="Data">[0]</a><a class="cite" href="#source-1">[1]</a>; <a href="/x/">x</a>.</p>`,
			`<p>Rose <sup><a class="cite" href="#source-0" title="Data">[0]</a></sup><sup><a class="cite" href="#source-1">[1]</a></sup>; <a href="/x/">x</a>.</p>`},
		{`<p>no tables &amp; no citations</p>`, `<p>no tables &amp; no citations</p>`},
	}
	for _, tt := range tests {
		if got := ForReaders(tt.in); got != tt.want {
			t.Errorf("ForReaders(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
