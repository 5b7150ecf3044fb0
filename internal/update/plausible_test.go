package update

import (
	"fmt"
	"strings"
	"testing"

	"briefs/internal/content"
)

// TestImplausible refuses new rows with values no price has, or a move
// from the close before beyond update.max_move for the symbol's kind:
// nothing is written, and the error names the download, its line, the
// row's date and the value.
func TestImplausible(t *testing.T) {
	const stored = "Date,Close\n2026-11-19,6250.10\n2026-11-20,6263.09\n"
	const head = "Date,Close\n2026-11-20,6263.09\n"
	tests := []struct {
		name, kind, stored, download string
		cfg                          func(*content.Update)
		want                         []string // in the error; none: accepted
	}{
		{
			name: "1e308", kind: "index", stored: stored, download: head + "2026-11-23,1e308\n",
			want: []string{`/SPX.csv?from=2026-11-10&to=2026-11-24):3:12: Close 1e308: expected a price between 1e-08 and 1e+12`},
		},
		{
			name: "5e-324", kind: "index", stored: stored, download: head + "2026-11-23,5e-324\n",
			want: []string{`):3:12: Close 5e-324: expected a price between 1e-08 and 1e+12`},
		},
		{
			name: "not finite", kind: "index", stored: stored, download: head + "2026-11-23,Inf\n",
			want: []string{`):3:12: Close "Inf": expected a number`},
		},
		{
			name: "a column not read as the price", kind: "index", stored: "Date,Close,Volume\n2026-11-20,6263.09,100\n",
			download: "Date,Close,Volume\n2026-11-20,6263.09,100\n2026-11-23,6283.10,NaN\n2026-11-24,6290.00,1e-320\n",
			want:     []string{`):3: Volume "NaN" on 2026-11-23: expected a finite number of ordinary size`, `):4: Volume "1e-320" on 2026-11-24: expected a finite number of ordinary size`},
		},
		{
			name: "a cut value", kind: "index", stored: stored, download: head + "2026-11-23,629\n",
			want: []string{`):3: Close "629" on 2026-11-23 is -90.0% from 6263.09 on 2026-11-20: beyond update.max_move.index = 0.5 (a rise of more than +50.0% or a fall of more than -33.3%): a value cut short or wrong, or a split? check the download; if the move is real, raise update.max_move.index in site.toml`},
		},
		{
			name: "10,000x", kind: "etf", stored: stored, download: head + "2026-11-23,6283.10\n2026-11-24,62831000\n",
			want: []string{`):4: Close "62831000" on 2026-11-24 is +999900.0% from 6283.10 on 2026-11-23: beyond update.max_move.etf = 0.5`},
		},
		{
			name: "one bad row is reported once", kind: "index", stored: stored, download: head + "2026-11-23,629\n2026-11-24,6290.00\n",
			want: []string{`):3: Close "629" on 2026-11-23`},
		},
		{
			name: "a new file: each row from the one before", kind: "index", download: head + "2026-11-23,62.8\n",
			want: []string{`):3: Close "62.8" on 2026-11-23 is -99.0% from 6263.09 on 2026-11-20`},
		},
		{name: "crypto moves more", kind: "crypto", stored: stored, download: head + "2026-11-23,9000\n"},
		{name: "a fall of 40% for a stock", kind: "stock", stored: stored, download: head + "2026-11-23,3757.85\n"},
		{
			name: "but not for an index", kind: "index", stored: stored, download: head + "2026-11-23,3757.85\n",
			want: []string{`is -40.0% from 6263.09`},
		},
		{name: "breadth has no limit", kind: "breadth", stored: "Date,Close\n2026-11-20,1.62\n", download: "Date,Close\n2026-11-20,1.62\n2026-11-23,48.30\n"},
		{
			name: "max_move raised", kind: "index", stored: stored, download: head + "2026-11-23,3757.85\n",
			cfg: func(c *content.Update) { c.MaxMove = map[string]float64{"index": 1} },
		},
		{
			name: "max_move off", kind: "index", stored: stored, download: head + "2026-11-23,62.83\n",
			cfg: func(c *content.Update) { c.MaxMove = map[string]float64{"index": 0} },
		},
		{
			name: "max_move lowered", kind: "etf", stored: stored, download: head + "2026-11-23,6890.00\n",
			cfg:  func(c *content.Update) { c.MaxMove = map[string]float64{"etf": 0.05} },
			want: []string{`is +10.0% from 6263.09 on 2026-11-20: beyond update.max_move.etf = 0.05 (a rise of more than +5.0% or a fall of more than -4.8%)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{
				"tickers.toml": fmt.Sprintf("[symbols.SPX]\nfile = \"prices/SPX.csv\"\nname = { en = \"S&P 500\" }\nkind = %q\n", tt.kind),
			}
			if tt.stored != "" {
				files["prices/SPX.csv"] = tt.stored
			}
			f := newFixture(t, files)
			f.serve("SPX", tt.download)
			f.age()
			before := f.state()
			cfg := f.config()
			if tt.cfg != nil {
				tt.cfg(cfg)
			}
			_, lines, err := f.run(f.options(cfg))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				f.load()
				return
			}
			if err == nil {
				t.Fatalf("accepted; lines:\n%s", strings.Join(lines, "\n"))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant %q", err, w)
				}
			}
			if n := strings.Count(err.Error(), "SPX download ("); n != len(tt.want) {
				t.Errorf("%d errors, want %d:\n%v", n, len(tt.want), err)
			}
			unchanged(t, before, f.state())
		})
	}
}
