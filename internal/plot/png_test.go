package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// An indexed PNG decodes with image/png to exactly the indexes drawn and
// the palette given, for any size and any mix of runs and noise.
func TestIndexedPNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	plte := make([]byte, 3*256)
	for i := range plte {
		plte[i] = uint8(rng.IntN(256))
	}
	for _, c := range []struct {
		name string
		w, h int
	}{
		{"small", 37, 23},
		{"one pixel", 1, 1},
		{"wide", 1440, 3},
		{"chart-like", 1440, 300},
		{"noise", 300, 200},
	} {
		m := image.NewPaletted(image.Rect(0, 0, c.w, c.h), nil)
		for y := range c.h {
			for x := range c.w {
				v := uint8(rng.IntN(256))
				switch {
				case c.name == "chart-like":
					// A background, and a few pixels a row unlike the
					// row above, at any offset, alone or in short runs.
					v = 0
					if y > 0 && rng.IntN(100) > 0 {
						v = m.ColorIndexAt(x, y-1)
					}
					if rng.IntN(60) == 0 {
						v = uint8(rng.IntN(256))
					}
				case c.name != "noise" && y%3 == 0:
					v = 200
				}
				m.SetColorIndex(x, y, v)
			}
		}
		data := indexedPNG(m.Bounds(), plte, compressIndexed(m))
		got, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: image/png cannot decode it: %v", c.name, err)
		}
		p, ok := got.(*image.Paletted)
		if !ok {
			t.Fatalf("%s: decodes to %T, want *image.Paletted", c.name, got)
		}
		if p.Bounds() != m.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", c.name, p.Bounds(), m.Bounds())
		}
		if !bytes.Equal(p.Pix, m.Pix) {
			t.Fatalf("%s: the indexes differ from those drawn", c.name)
		}
		for i, col := range p.Palette {
			want := color.RGBA{plte[3*i], plte[3*i+1], plte[3*i+2], 255}
			if col != want {
				t.Fatalf("%s: palette entry %d = %v, want %v", c.name, i, col, want)
			}
		}
	}
}

// sameBytes finds the first difference from any offset, in the words it
// compares eight bytes at a time and in the tail.
func TestSameBytes(t *testing.T) {
	a := make([]byte, 37)
	for i := range len(a) + 1 {
		b := bytes.Clone(a)
		if i < len(b) {
			b[i] = 1
		}
		for from := 0; from <= i; from++ {
			if got := sameBytes(a, b, from); got != i {
				t.Errorf("difference at %d, from %d: got %d", i, from, got)
			}
		}
	}
}
