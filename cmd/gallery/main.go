// Command gallery draws one chart of each type from a data folder, as
// small PNGs, and writes the README's gallery of them: the block between
// the lines <!-- gallery --> and <!-- /gallery -->. Its output is the
// same bytes on every run.
//
//	go run ./cmd/gallery -data content/data -out .github/gallery -readme README.md
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"

	"briefs/internal/locale"
	"briefs/internal/market"
	"briefs/internal/plot"

	"github.com/golang/freetype/truetype"
)

func main() {
	err := run(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "gallery:", err)
		os.Exit(1)
	}
}

// entry is a chart of the gallery: its file name and spec.
type entry struct{ name, spec string }

// gallery is one chart of each type, with annotations, in order.
func gallery() []entry {
	return []entry{
		{"line", "type: line\nsymbols: [SPX]\nperiod: 6M\noverlays: [sma50]\n"},
		{"area", "type: area\nsymbols: [QQQ]\nperiod: 1Y\nbands: [{symbol: VIX, above: 20, label: VIX above 20}]\n"},
		{"rebased", "type: rebased\nsymbols: [SPY, QQQ, IWM]\nperiod: 3M\nlabels: name\nmarks: [{date: 2026-01-28, label: FOMC}]\n"},
		{"ratio", "type: ratio\nsymbols: [XLE, XLK]\nperiod: 6M\nlines: [{at: 110, label: 10% ahead}]\n"},
		{"drawdown", "type: drawdown\nsymbols: [NDX, RTY]\nperiod: 1Y\n"},
		{"volatility", "type: volatility\nsymbols: [SPX]\nperiod: 1Y\nlines: [\"15%\"]\n"},
		{"candlestick", "type: candlestick\nsymbols: [SPY]\nperiod: 3M\noverlays: [sma20]\nmarks: [{date: 2026-01-28, label: FOMC}]\n"},
		{"bar", "type: bar\ngroup: sectors\nperiod: YTD\nhighlight: [XLE]\n"},
		{"scatter", "type: scatter\ngroup: sectors\nperiod: 3M\nquadrants: true\nhighlight: [XLE, XLK]\n"},
		{"heatmap", "type: heatmap\ngroup: sectors\nperiods: [1W, 1M, 3M, YTD]\n"},
		{"multiples", "type: multiples\ngroup: sectors\nperiod: 6M\n"},
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gallery", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "content/data", "the data `dir`: tickers.toml and its price files")
	out := fs.String("out", ".github/gallery", "the `dir` to write the PNGs to")
	readme := fs.String("readme", "README.md", "the `file` whose gallery block to rewrite; \"\" for none")
	asof := fs.String("asof", "2026-02-11", "the as-of `date` of the charts")
	root := fs.String("root", ".", "the project `dir`: its templates/i18n and assets/fonts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: expected only flags", fs.Arg(0))
	}
	day, err := time.Parse(time.DateOnly, *asof)
	if err != nil {
		return fmt.Errorf("-asof %q: expected a date such as 2026-02-11", *asof)
	}
	return draw(gallery(), *data, *out, *readme, *root, day)
}

// draw draws charts from the data folder data as of day into out, and
// rewrites the gallery block of readme ("" for none); root holds the
// project's templates and fonts.
func draw(charts []entry, data, out, readme, root string, day time.Time) error {
	u, err := market.Load(os.DirFS(data), data+"/")
	if err != nil {
		return err
	}
	cat, err := locale.Load(os.DirFS(filepath.Join(root, "templates")), "i18n", "templates/", []string{"en"})
	if err != nil {
		return err
	}
	fontData, err := os.ReadFile(filepath.Join(root, "assets", "fonts", "wqy-microhei.ttc"))
	if err != nil {
		return err
	}
	font, err := truetype.Parse(fontData)
	if err != nil {
		return fmt.Errorf("chart font: %w", err)
	}
	loc := cat.Locale("en")
	text := plot.Text{
		Lang: "en", Number: loc.Number, Percent: loc.Percent, Date: loc.Date, Note: u.Note["en"],
		Name: func(key string) string {
			if s, ok := u.Symbols[key]; ok {
				return s.Name["en"]
			}
			if g, ok := u.Groups[key]; ok {
				return g.Name["en"]
			}
			return key
		},
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	v := u.At(day)
	var cells []string
	for _, c := range charts {
		s, err := plot.ParseSpec([]byte(c.spec))
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		ch, err := plot.Prepare(s, v, u, text)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		png, _, err := plot.Render(ch, font, plot.Desktop, 1)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		file := filepath.Join(out, c.name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			return err
		}
		w, h := ch.Size(plot.Desktop)
		src := path.Join(filepath.ToSlash(out), c.name+".png")
		cells = append(cells, fmt.Sprintf("<td><b><code>%s</code></b><br><img src=\"%s\" width=\"%d\" height=\"%d\" alt=\"%s\"></td>",
			c.name, html.EscapeString(src), w/2, h/2, html.EscapeString(ch.Title+": "+ch.Alt)))
	}
	if readme == "" {
		return nil
	}
	var b bytes.Buffer
	b.WriteString(startMark + "\n<table>\n")
	for i := 0; i < len(cells); i += 2 {
		b.WriteString("<tr>")
		for _, cell := range cells[i:min(i+2, len(cells))] {
			b.WriteString(cell)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n" + endMark)
	return replaceBlock(readme, b.Bytes())
}

const (
	startMark = "<!-- gallery: written by make gallery (cmd/gallery) -->"
	endMark   = "<!-- /gallery -->"
)

// replaceBlock replaces the lines from startMark to endMark in file with
// block, which holds both.
func replaceBlock(file string, block []byte) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	i := bytes.Index(data, []byte(startMark))
	j := bytes.Index(data, []byte(endMark))
	if i < 0 || j < i {
		return fmt.Errorf("%s: no gallery block: expected a line %s, later a line %s", file, startMark, endMark)
	}
	out := slices.Concat(data[:i], block, data[j+len(endMark):])
	if bytes.Equal(out, data) {
		return nil
	}
	return os.WriteFile(file, out, 0o644)
}
