package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// encodePNG's output decodes with image/png to exactly the pixels drawn,
// for opaque images (its own RGB encoder) and for others (image/png).
func TestEncodePNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name   string
		w, h   int
		opaque bool
	}{
		{"opaque", 37, 23, true},
		{"one pixel", 1, 1, true},
		{"wide", 1440, 3, true},
		{"translucent", 17, 9, false},
		{"chart-like", 1440, 300, true},
	} {
		m := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		for y := range c.h {
			for x := range c.w {
				a := uint8(255)
				if !c.opaque {
					a = uint8(rng.IntN(256))
				}
				// Runs of equal rows and random noise, as in a chart.
				v := uint8(rng.IntN(256))
				if y%3 == 0 {
					v = 200
				}
				m.SetRGBA(x, y, color.RGBA{v, uint8(x), uint8(y), a})
				if c.name == "chart-like" {
					// A background, and a few pixels a row unlike the
					// row above, at any offset, alone or in short runs.
					m.SetRGBA(x, y, color.RGBA{255, 255, 255, 255})
					if y > 0 && rng.IntN(100) > 0 {
						m.SetRGBA(x, y, m.RGBAAt(x, y-1))
					}
					if rng.IntN(60) == 0 {
						m.SetRGBA(x, y, color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), 7, 255})
					}
				}
			}
		}
		// Premultiplied, as image.RGBA holds colours.
		if !c.opaque {
			for i := 0; i < len(m.Pix); i += 4 {
				a := uint16(m.Pix[i+3])
				for j := range 3 {
					m.Pix[i+j] = uint8(uint16(m.Pix[i+j]) * a / 255)
				}
			}
		}
		data, err := encodePNG(m, m.Opaque())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: image/png cannot decode it: %v", c.name, err)
		}
		if got.Bounds() != m.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", c.name, got.Bounds(), m.Bounds())
		}
		for y := range c.h {
			for x := range c.w {
				r1, g1, b1, a1 := got.At(x, y).RGBA()
				r2, g2, b2, a2 := m.At(x, y).RGBA()
				// Exact when opaque; translucent pixels go through
				// non-premultiplied alpha, which rounds by one at most.
				tol := uint32(0)
				if !c.opaque {
					tol = 1
				}
				if diff(r1>>8, r2>>8) > tol || diff(g1>>8, g2>>8) > tol || diff(b1>>8, b2>>8) > tol || a1>>8 != a2>>8 {
					t.Fatalf("%s: pixel (%d,%d) = %v, want %v", c.name, x, y, got.At(x, y), m.At(x, y))
				}
			}
		}
	}
}

func diff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
