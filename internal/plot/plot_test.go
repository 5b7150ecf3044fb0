package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"briefs/internal/corpus"
	"briefs/internal/market"

	"github.com/golang/freetype/truetype"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

var (
	fontOnce sync.Once
	fontCJK  *truetype.Font
	fontErr  error
)

func cjk(t testing.TB) *truetype.Font {
	fontOnce.Do(func() {
		data, err := os.ReadFile("../../assets/fonts/wqy-microhei.ttc")
		if err != nil {
			fontErr = err
			return
		}
		fontCJK, fontErr = truetype.Parse(data)
	})
	if fontErr != nil {
		t.Fatal(fontErr)
	}
	return fontCJK
}

// sample loads generated market data (internal/corpus, fixed seed): 11
// random-walk closes T001..T011 over two years to 2026-11-20, all in the
// group "technology".
func sample(t testing.TB) *market.Universe {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := corpus.WriteData(dir, corpus.Data{Symbols: 11, Years: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	u, err := market.Load(os.DirFS(filepath.Join(dir, "data")), "content/data/")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func text(u *market.Universe, lang string) Text {
	num := func(x float64, dec int) string { return groupThousands(math.Abs(x), dec) }
	return Text{
		Lang: lang,
		Number: func(x float64, dec int) string {
			s := num(x, dec)
			if x < 0 {
				s = "-" + s
			}
			return s
		},
		Percent: func(x float64, dec int) string {
			s := num(x*100, dec) + "%"
			if x < 0 {
				return "-" + s
			}
			return "+" + s
		},
		Name: func(key string) string {
			if s, ok := u.Symbols[key]; ok {
				return s.Name[lang]
			}
			if g, ok := u.Groups[key]; ok {
				return g.Name[lang]
			}
			return key
		},
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var specs = map[string]string{
	"line":       "type: line\nsymbols: [T001]\nperiod: 3M\noverlays: [sma20, sma50]\ntitle: { zh: 样本公司001与均线, en: Sample Co. 001 and its averages }\n",
	"rebased":    "type: rebased\nsymbols: [T001, T002]\nperiod: 3M\ntitle: { zh: 样本公司001与样本公司002, en: Sample Co. 001 vs Sample Co. 002 }\n",
	"bar":        "type: bar\ngroup: technology\nperiod: YTD\n",
	"drawdown":   "type: drawdown\nsymbols: [T002, T001]\nperiod: 1Y\n",
	"volatility": "type: volatility\nsymbols: [T003, T001]\nperiod: 1Y\nwindow: 20\n",
}

// TestRenderTypes draws every type in both languages; with
// BRIEFS_CHART_DIR set, it writes the PNGs there to be looked at.
func TestRenderTypes(t *testing.T) {
	u := sample(t)
	v := u.At(day("2026-02-09"))
	out := os.Getenv("BRIEFS_CHART_DIR")
	for name, src := range specs {
		for _, lang := range []string{"zh", "en"} {
			s, err := ParseSpec([]byte(src))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			c, err := Prepare(s, v, u, text(u, lang))
			if err != nil {
				t.Fatalf("%s %s: %v", name, lang, err)
			}
			for _, l := range Layouts {
				w, h := c.Size(l)
				for _, scale := range l.Scales() {
					checkRender(t, c, l, scale, w, h, fmt.Sprintf("%s-%s-%s@%dx", name, lang, l, scale), out)
				}
			}
			if c.Alt == "" || strings.Contains(c.Alt, "%!") {
				t.Errorf("%s %s: alt %q", name, lang, c.Alt)
			}
			t.Logf("%s %s: %s | %s", name, lang, c.Title, c.Alt)
		}
	}
}

// checkRender draws c in layout l at scale and checks that both PNGs
// decode to the pixels drawn, at the size given, with the light and the
// dark palette; with out set, it writes them there.
func checkRender(t *testing.T, c *Chart, l Layout, scale, w, h int, name, out string) {
	t.Helper()
	var drawn []byte
	err := drawChart(c, cjk(t), l, scale, func(m *image.Paletted) error {
		drawn = bytes.Clone(m.Pix)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	lightPNG, darkPNG, err := Render(c, cjk(t), l, scale)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for i, data := range [][]byte{lightPNG, darkPNG} {
		th := []theme{light, dark}[i]
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m, ok := img.(*image.Paletted)
		if !ok {
			t.Fatalf("%s: decodes to %T, want an indexed image", name, img)
		}
		if b := m.Bounds(); b.Dx() != w*scale || b.Dy() != h*scale {
			t.Errorf("%s: %dx%d, want %dx%d", name, b.Dx(), b.Dy(), w*scale, h*scale)
		}
		if !bytes.Equal(m.Pix, drawn) {
			t.Fatalf("%s: the PNG decodes to other pixels than those drawn", name)
		}
		// The corner is background, in the theme's colour.
		if r, g, b, _ := m.At(0, 0).RGBA(); uint8(r>>8) != th.bg.R || uint8(g>>8) != th.bg.G || uint8(b>>8) != th.bg.B {
			t.Errorf("%s: corner %v, want the background %v", name, m.At(0, 0), th.bg)
		}
		if out != "" {
			file := name + []string{"", "-dark"}[i] + ".png"
			if err := os.WriteFile(filepath.Join(out, file), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// charts prepares every sample chart in both languages.
func charts(b *testing.B) []*Chart {
	u := sample(b)
	v := u.At(day("2026-02-09"))
	var cs []*Chart
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		for _, lang := range []string{"zh", "en"} {
			s, err := ParseSpec([]byte(specs[name]))
			if err != nil {
				b.Fatal(err)
			}
			c, err := Prepare(s, v, u, text(u, lang))
			if err != nil {
				b.Fatal(err)
			}
			cs = append(cs, c)
		}
	}
	return cs
}

// BenchmarkRender draws and encodes the sample charts at 2x, one per op.
func BenchmarkRender(b *testing.B) {
	cs, font := charts(b), cjk(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, _, err := Render(cs[i%len(cs)], font, Desktop, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodePNG compresses the sample charts, drawn at 2x, one per
// op.
func BenchmarkEncodePNG(b *testing.B) {
	cs, font := charts(b), cjk(b)
	var ms []*image.Paletted
	size := 0
	for _, c := range cs {
		err := drawChart(c, font, Desktop, 2, func(m *image.Paletted) error {
			ms = append(ms, &image.Paletted{Pix: bytes.Clone(m.Pix), Stride: m.Stride, Rect: m.Rect, Palette: m.Palette})
			size += len(compressIndexed(m))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/float64(len(ms)), "B/png")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		compressIndexed(ms[i%len(ms)])
	}
}

// The last value labelled at the right edge of a line is the value
// market's own metrics give: the last close, the return rebased to 100,
// the distance below the period's high; the source line names the date
// of the last close and the data note.
func TestLastValues(t *testing.T) {
	u := sample(t)
	v := u.At(day("2026-02-09"))
	tx := text(u, "en")
	tx.Date = func(d time.Time) string { return d.Format("January 2, 2006") }
	tx.Note = "Sample data"
	prep := func(src string) *Chart {
		s, err := ParseSpec([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		c, err := Prepare(s, v, u, tx)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	must := func(r market.Result, err error) float64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r.Value
	}
	line := prep("type: line\nsymbols: [T001]\nperiod: 3M\noverlays: [sma20]\n")
	if want := tx.Number(must(v.Close("T001")), 2); line.Series[0].Last != want {
		t.Errorf("line: last %q, want %q", line.Series[0].Last, want)
	}
	if want := tx.Number(must(v.SMA("T001", 20)), 2); line.Series[1].Last != want {
		t.Errorf("sma20: last %q, want %q", line.Series[1].Last, want)
	}
	rebased := prep("type: rebased\nsymbols: [T001, T002]\nperiod: 3M\n")
	for i, sym := range []string{"T001", "T002"} {
		if want := tx.Number(100*(1+must(v.Ret(sym, "3M"))), 1); rebased.Series[i].Last != want {
			t.Errorf("rebased %s: last %q, want %q", sym, rebased.Series[i].Last, want)
		}
	}
	dd := prep("type: drawdown\nsymbols: [T002]\nperiod: 1Y\n")
	if want := tx.Number(100*(must(v.Close("T002"))/must(v.High("T002", "1Y"))-1), 1) + "%"; dd.Series[0].Last != want {
		t.Errorf("drawdown: last %q, want %q", dd.Series[0].Last, want)
	}
	last := line.Series[0].Dates[len(line.Series[0].Dates)-1]
	if want := "Data as of " + last.Format("January 2, 2006") + " · Sample data"; line.Source != want {
		t.Errorf("source %q, want %q", line.Source, want)
	}
	bar := prep("type: bar\ngroup: technology\nperiod: YTD\n")
	if bar.Source != line.Source {
		t.Errorf("bar source %q, want %q", bar.Source, line.Source)
	}
	tx.Lang = "zh"
	tx.Note = ""
	if zh := prep("type: line\nsymbols: [T001]\nperiod: 3M\n"); zh.Source != "数据截至"+last.Format("January 2, 2006") {
		t.Errorf("zh source %q", zh.Source)
	}
}

// Up is red and down green in Chinese, the other way round in English, in
// both schemes; every role's solid colour is in each palette.
func TestUpDownColours(t *testing.T) {
	for _, th := range []theme{light, dark} {
		for lang, want := range map[string][2]drawing.Color{"zh": {th.fall, th.rise}, "en": {th.rise, th.fall}} {
			p := th.plte(lang)
			at := func(role uint8) drawing.Color {
				i := 3 * (int(role)*levels + levels - 1)
				return drawing.Color{R: p[i], G: p[i+1], B: p[i+2], A: 255}
			}
			if at(roleUp) != want[0] || at(roleDown) != want[1] {
				t.Errorf("%s: up %v, down %v, want %v", lang, at(roleUp), at(roleDown), want)
			}
			if at(roleInk) != th.ink || p[0] != th.bg.R || at(roleSeries) != th.series[0] {
				t.Errorf("%s: ink %v, background %v", lang, at(roleInk), p[:3])
			}
		}
	}
}

// On a phone, a chart is shown about 360 CSS px wide: no text in its
// layout is under 11 CSS px.
func TestPhoneType(t *testing.T) {
	d := designs[Phone]
	for _, size := range []float64{d.label, d.small} {
		if px := size * emDPI / 72; px < 11 {
			t.Errorf("a %v pt text is %.2f CSS px at %v px wide", size, px, d.width)
		}
	}
}

// spread keeps labels apart, in order, inside the plot where they fit.
func TestSpread(t *testing.T) {
	got := spread([]float64{50, 51, 200, 52}, 10, 0, 300)
	want := []float64{50, 60, 200, 70}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	got = spread([]float64{299, 298}, 10, 0, 300)
	if got[0] != 300 || got[1] != 290 {
		t.Errorf("at the bottom: got %v", got)
	}
}

// TestWrapSource: a source line too long for a phone chart breaks after
// the as-of date, then between words or Chinese letters, never before a
// closing mark, each line inside the chart; a fourth line's worth is cut.
func TestWrapSource(t *testing.T) {
	sf := surfaceOf(360*2, 280*2)
	defer surfaces(360*2, 280*2).Put(sf)
	sf.gc.SetDPI(72 * 2)
	fs := facePool.Get().(*faces)
	defer facePool.Put(fs)
	cv := &canvas{gc: sf.gc, img: sf.img, s: 2, font: cjk(t), faces: fs}
	d := designs[Phone]
	limit := d.width - 2*d.pad
	tests := []struct {
		in    string
		first string
		lines int
	}{
		{"数据截至2026年2月9日", "数据截至2026年2月9日", 1},
		{"数据截至2026年2月9日 · 本站行情为程序生成的示例数据，并非真实市场价格。", "数据截至2026年2月9日", 2},
		{"Data as of February 9, 2026 · Prices on this site are generated sample data, not real market prices.", "Data as of February 9, 2026", 3},
		{"数据截至2026年2月9日 · " + strings.Repeat("本站行情为程序生成的示例数据，", 8), "数据截至2026年2月9日", 3},
	}
	for _, tt := range tests {
		lines := cv.wrap(tt.in, d.small, limit)
		if len(lines) != tt.lines || lines[0] != tt.first {
			t.Errorf("wrap(%q) = %q, want %d lines, the first %q", tt.in, lines, tt.lines, tt.first)
		}
		for _, l := range lines {
			if w := cv.width(l, d.small); w > limit {
				t.Errorf("wrap(%q): line %q is %.0f px wide, more than %.0f", tt.in, l, w, limit)
			}
			if r := []rune(l); len(r) > 0 && strings.ContainsRune(closing, r[0]) {
				t.Errorf("wrap(%q): line %q starts with a closing mark", tt.in, l)
			}
		}
		if all := strings.Join(lines, ""); tt.lines < 3 && strings.ReplaceAll(strings.ReplaceAll(tt.in, " · ", ""), " ", "") != strings.ReplaceAll(all, " ", "") {
			t.Errorf("wrap(%q) lost text: %q", tt.in, lines)
		}
	}
	if last := cv.wrap(tests[3].in, d.small, limit)[2]; !strings.HasSuffix(last, "…") {
		t.Errorf("the cut line %q does not end with …", last)
	}
}
