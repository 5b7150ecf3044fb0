package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
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

	"briefs/internal/market"

	"github.com/golang/freetype/truetype"
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

func sample(t testing.TB) *market.Universe {
	u, err := market.Load(os.DirFS("../../content/data"), "content/data/")
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
	"line":       "type: line\nsymbols: [RTY]\nperiod: 3M\noverlays: [sma20, sma50]\ntitle: { zh: 罗素2000指数与均线, en: Russell 2000 and its averages }\n",
	"rebased":    "type: rebased\nsymbols: [RTY, NDX]\nperiod: 3M\ntitle: { zh: 罗素2000与纳斯达克100, en: Russell 2000 vs Nasdaq 100 }\n",
	"bar":        "type: bar\ngroup: sectors\nperiod: YTD\n",
	"drawdown":   "type: drawdown\nsymbols: [NDX, RTY]\nperiod: 1Y\n",
	"volatility": "type: volatility\nsymbols: [SPX, RTY]\nperiod: 1Y\nwindow: 20\n",
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
			w, h := c.Size()
			for _, scale := range []int{1, 2} {
				// The PNG holds exactly the pixels drawn.
				err := drawChart(c, cjk(t), scale, func(m *image.RGBA) error {
					data, err := encodePNG(m, true)
					if err != nil {
						return err
					}
					img, err := png.Decode(bytes.NewReader(data))
					if err != nil {
						return err
					}
					got := image.NewRGBA(img.Bounds())
					draw.Draw(got, got.Bounds(), img, image.Point{}, draw.Src)
					if !bytes.Equal(got.Pix, m.Pix) {
						return fmt.Errorf("the PNG decodes to other pixels than those drawn")
					}
					return nil
				})
				if err != nil {
					t.Fatalf("%s %s @%dx: %v", name, lang, scale, err)
				}
				data, err := Render(c, cjk(t), scale)
				if err != nil {
					t.Fatalf("%s %s: %v", name, lang, err)
				}
				img, err := png.Decode(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				if b := img.Bounds(); b.Dx() != w*scale || b.Dy() != h*scale {
					t.Errorf("%s %s @%dx: %dx%d, want %dx%d", name, lang, scale, b.Dx(), b.Dy(), w*scale, h*scale)
				}
				if out != "" {
					if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("%s-%s@%dx.png", name, lang, scale)), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			if c.Alt == "" || strings.Contains(c.Alt, "%!") {
				t.Errorf("%s %s: alt %q", name, lang, c.Alt)
			}
			t.Logf("%s %s: %s | %s", name, lang, c.Title, c.Alt)
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
		if _, err := Render(cs[i%len(cs)], font, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodePNG encodes the sample charts, drawn at 2x, one per op.
func BenchmarkEncodePNG(b *testing.B) {
	cs, font := charts(b), cjk(b)
	var ms []*image.RGBA
	size := 0
	for _, c := range cs {
		data, err := Render(c, font, 2)
		if err != nil {
			b.Fatal(err)
		}
		src, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		m := image.NewRGBA(src.Bounds())
		draw.Draw(m, m.Bounds(), src, image.Point{}, draw.Src)
		ms = append(ms, m)
		size += len(data)
	}
	b.ReportMetric(float64(size)/float64(len(ms)), "B/png")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := encodePNG(ms[i%len(ms)], true); err != nil {
			b.Fatal(err)
		}
	}
}
