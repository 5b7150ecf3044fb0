package plot

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/golang/freetype/truetype"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Width and Height are the size of a chart at 1x, in CSS pixels.
const (
	Width  = 720
	Height = 400
)

// Palette is Okabe and Ito's: distinguishable with every common form of
// colour blindness, and in greyscale by order of lightness.
var Palette = []drawing.Color{
	{R: 0x00, G: 0x72, B: 0xB2, A: 255}, // blue
	{R: 0xE6, G: 0x9F, B: 0x00, A: 255}, // orange
	{R: 0x00, G: 0x9E, B: 0x73, A: 255}, // bluish green
	{R: 0xCC, G: 0x79, B: 0xA7, A: 255}, // reddish purple
	{R: 0x56, G: 0xB4, B: 0xE9, A: 255}, // sky blue
	{R: 0xD5, G: 0x5E, B: 0x00, A: 255}, // vermillion
	{R: 0x00, G: 0x00, B: 0x00, A: 255}, // black
	{R: 0xF0, G: 0xE4, B: 0x42, A: 255}, // yellow
}

var (
	ink      = drawing.Color{R: 0x1f, G: 0x23, B: 0x28, A: 255}
	inkSoft  = drawing.Color{R: 0x5b, G: 0x63, B: 0x6e, A: 255}
	gridCol  = drawing.Color{R: 0xe3, G: 0xe6, B: 0xea, A: 255}
	zeroCol  = drawing.Color{R: 0x8a, G: 0x91, B: 0x9a, A: 255}
	white    = drawing.Color{R: 255, G: 255, B: 255, A: 255}
	positive = Palette[0]
	negative = Palette[5]
)

// canvas draws at a scale: every length is given at 1x.
type canvas struct {
	gc    *drawing.RasterGraphicContext // strokes, and measures text
	img   *image.RGBA                   // what gc draws on
	s     float64
	font  *truetype.Font
	faces *faces
}

func (c *canvas) px(x float64) int { return int(math.Round(x * c.s)) }

// text draws s with its baseline starting at (x, y). Glyphs are drawn
// from the masks a truetype face caches (at a quarter-pixel horizontal
// position), not rasterized again as go-chart's Text does for every
// string: the same glyphs, with the same font, size and kerning, drawn
// many times faster, since chart labels repeat the same few glyphs.
func (c *canvas) text(s string, size float64, col drawing.Color, x, y float64) {
	d := font.Drawer{
		Dst:  c.img,
		Src:  image.NewUniform(col),
		Face: c.faces.face(c.font, size, c.s),
		Dot:  fixed.P(c.px(x), c.px(y)),
	}
	d.DrawString(s)
}

// faces holds truetype faces, with their glyph caches, by font and size,
// and the widths canvas.width measured. A face is not safe for concurrent
// use: each chart being drawn takes a faces from facePool and puts it
// back when done.
type faces struct {
	faces  map[faceKey]font.Face
	widths map[widthKey]float64
}

type faceKey struct {
	font        *truetype.Font
	size, scale float64
}

type widthKey struct {
	faceKey
	s string
}

// emDPI is the resolution at 1x that gives text the size go-chart's
// renderer gives it, and measures it at (canvas.width): the renderer, set
// to 72 DPI a scale, takes size x DPI as the em in 1/64 pixels, where a
// truetype face takes size x DPI / 72 pixels.
const emDPI = 72 * 72 / 64.0

var facePool = sync.Pool{New: func() any {
	return &faces{faces: map[faceKey]font.Face{}, widths: map[widthKey]float64{}}
}}

func (fs *faces) face(f *truetype.Font, size, scale float64) font.Face {
	k := faceKey{f, size, scale}
	if fc, ok := fs.faces[k]; ok {
		return fc
	}
	fc := truetype.NewFace(f, &truetype.Options{
		Size:              size,
		DPI:               emDPI * scale,
		Hinting:           font.HintingNone,
		GlyphCacheEntries: 2048,
		SubPixelsX:        16,
	})
	fs.faces[k] = fc
	return fc
}

// width measures s at 1x as go-chart's MeasureText does, which the layout
// was made with: from the left of the ink or the origin, whichever is
// further from the right of the ink, plus the ink's left offset when it
// is to the right of the origin, in whole pixels up.
func (c *canvas) width(s string, size float64) float64 {
	k := widthKey{faceKey{c.font, size, c.s}, s}
	if w, ok := c.faces.widths[k]; ok {
		return w
	}
	c.gc.SetFont(c.font)
	c.gc.SetFontSize(size)
	l, _, r, _, err := c.gc.GetStringBounds(s)
	if err != nil {
		return 0
	}
	if l < 0 {
		r -= l
	} else {
		r += l
	}
	w := math.Ceil(r) / c.s
	c.faces.widths[k] = w
	return w
}

func (c *canvas) line(x1, y1, x2, y2, w float64, col drawing.Color, dash []float64) {
	c.gc.SetStrokeColor(col)
	c.gc.SetLineWidth(w * c.s)
	c.gc.SetLineDash(c.scaled(dash), 0)
	c.gc.MoveTo(float64(c.px(x1)), float64(c.px(y1)))
	c.gc.LineTo(float64(c.px(x2)), float64(c.px(y2)))
	c.gc.Stroke()
}

// rect fills a rectangle. Its corners fall on whole pixels, so it is
// filled straight into the image rather than rasterized as a path, which
// gives the same pixels many times faster.
func (c *canvas) rect(x1, y1, x2, y2 float64, col drawing.Color) {
	r := image.Rect(c.px(x1), c.px(y1), c.px(x2), c.px(y2)) // canonical: any corner order
	op := draw.Over
	if col.A == 255 {
		op = draw.Src
	}
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, op)
}

func (c *canvas) scaled(d []float64) []float64 {
	if d == nil {
		return nil
	}
	out := make([]float64, len(d))
	for i, x := range d {
		out[i] = x * c.s
	}
	return out
}

const (
	titleSize = 14
	labelSize = 10.5
	pad       = 14
)

// Size returns the 1x size of the image of c.
func (c *Chart) Size() (w, h int) {
	if c.Type == "bar" {
		return Width, max(Height, 78+22*len(c.Bars))
	}
	return Width, Height
}

// Render draws c at scale (1 or 2) as PNG. font must hold every glyph of
// the labels (a CJK font for Chinese).
func Render(c *Chart, font *truetype.Font, scale int) ([]byte, error) {
	var data []byte
	err := drawChart(c, font, scale, func(m *image.RGBA) (err error) {
		data, err = encodePNG(m, true) // drawn over an opaque background
		return err
	})
	return data, err
}

// drawChart draws c at scale and hands the image to use, which must not
// keep it: it is reused once use returns.
func drawChart(c *Chart, font *truetype.Font, scale int, use func(*image.RGBA) error) error {
	if scale < 1 || scale > 4 {
		return fmt.Errorf("scale %d: expected 1 to 4", scale)
	}
	if err := c.check(); err != nil {
		return err
	}
	w, h := c.Size()
	sf := surfaceOf(w*scale, h*scale)
	defer surfaces(w*scale, h*scale).Put(sf)
	// Font sizes are in points; the context measures text (canvas.width)
	// and strokes at 72 DPI a scale (see emDPI).
	sf.gc.SetDPI(72 * float64(scale))
	fs := facePool.Get().(*faces)
	defer facePool.Put(fs)
	cv := &canvas{gc: sf.gc, img: sf.img, s: float64(scale), font: font, faces: fs}
	// The background covers the whole image: what a reused one held is gone.
	cv.rect(0, 0, float64(w), float64(h), white)
	cv.text(c.Title, titleSize, ink, pad, pad+titleSize)
	top := pad + titleSize + 10.0
	if c.Type == "bar" {
		cv.bars(c, top, float64(w), float64(h))
	} else {
		cv.series(c, top, float64(w), float64(h))
	}
	return use(sf.img)
}

// A surface is an image and a go-chart graphic context drawing on it.
// Surfaces are reused, by size, so that a chart costs no new image (one
// 2x chart's is 4.6 MB) and no new rasterizers.
type surface struct {
	img *image.RGBA
	gc  *drawing.RasterGraphicContext
}

var surfacePools sync.Map // image.Point → *sync.Pool of *surface

func surfaces(w, h int) *sync.Pool {
	if p, ok := surfacePools.Load(image.Pt(w, h)); ok {
		return p.(*sync.Pool)
	}
	p, _ := surfacePools.LoadOrStore(image.Pt(w, h), &sync.Pool{})
	return p.(*sync.Pool)
}

func surfaceOf(w, h int) *surface {
	if sf, ok := surfaces(w, h).Get().(*surface); ok {
		return sf
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	gc, err := drawing.NewRasterGraphicContext(img)
	if err != nil { // only for images other than *image.RGBA
		panic(err)
	}
	return &surface{img, gc}
}

// series draws a time-series chart below top.
func (cv *canvas) series(c *Chart, top, w, h float64) {
	// Legend, when there is more than one line.
	if len(c.Series) > 1 {
		x := float64(pad)
		y := top + labelSize
		for i, s := range c.Series {
			nameW := cv.width(s.Name, labelSize)
			if x+26+nameW > w-pad {
				x = pad
				y += labelSize + 8
			}
			var dash []float64
			if s.Dashed {
				dash = []float64{5, 3}
			}
			cv.line(x, y-labelSize/3, x+18, y-labelSize/3, 2.5, Palette[i%len(Palette)], dash)
			cv.text(s.Name, labelSize, inkSoft, x+24, y)
			x += 24 + nameW + 18
		}
		top = y + 10
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	from, to := c.Series[0].Dates[0], c.Series[0].Dates[0]
	for _, s := range c.Series {
		for i, v := range s.Values {
			lo, hi = min(lo, v), max(hi, v)
			d := s.Dates[i]
			if d.Before(from) {
				from = d
			}
			if d.After(to) {
				to = d
			}
		}
	}
	if c.Unit == Fraction && c.Type == "drawdown" {
		hi = max(hi, 0)
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	labels := make([]string, len(ticks))
	labelW := 0.0
	for i, t := range ticks {
		labels[i] = axisLabel(c.Unit, t, ticks)
		labelW = max(labelW, cv.width(labels[i], labelSize))
	}
	left, right, bottom := pad+labelW+8, w-pad-4, h-pad-labelSize-8
	top += 6
	yOf := func(v float64) float64 { return bottom - (v-lo)/(hi-lo)*(bottom-top) }
	span := float64(to.Sub(from))
	if span <= 0 {
		span = 1
	}
	xOf := func(d time.Time) float64 { return left + float64(d.Sub(from))/span*(right-left) }

	for i, t := range ticks {
		y := yOf(t)
		col := gridCol
		if t == 0 && c.Unit == Fraction || t == 100 && c.Unit == Index {
			col = zeroCol
		}
		cv.line(left, y, right, y, 1, col, nil)
		cv.text(labels[i], labelSize, inkSoft, left-8-cv.width(labels[i], labelSize), y+labelSize/3)
	}
	for _, t := range dateTicks(from, to, c.Lang) {
		x := xOf(t.at)
		cv.line(x, bottom, x, bottom+4, 1, zeroCol, nil)
		lw := cv.width(t.label, labelSize)
		cv.text(t.label, labelSize, inkSoft, min(max(x-lw/2, left-lw/2), w-pad-lw), bottom+6+labelSize)
	}
	cv.line(left, bottom, right, bottom, 1, zeroCol, nil)

	// Overlays first, so that the main line is drawn on top.
	for i := len(c.Series) - 1; i >= 0; i-- {
		s := c.Series[i]
		gc := cv.gc
		gc.SetStrokeColor(Palette[i%len(Palette)])
		width := 2.0
		var dash []float64
		if s.Dashed {
			width = 1.6
			dash = cv.scaled([]float64{6, 4})
		}
		gc.SetLineWidth(width * cv.s)
		gc.SetLineDash(dash, 0)
		for k, v := range s.Values {
			x, y := float64(cv.px(xOf(s.Dates[k]))), float64(cv.px(yOf(v)))
			if k == 0 {
				gc.MoveTo(x, y)
			} else {
				gc.LineTo(x, y)
			}
		}
		gc.Stroke()
	}
}

// bars draws a horizontal bar chart, ranked, negative bars left of zero.
func (cv *canvas) bars(c *Chart, top, w, h float64) {
	lo, hi := 0.0, 0.0
	labelW := 0.0
	for _, b := range c.Bars {
		lo, hi = min(lo, b.Value), max(hi, b.Value)
		labelW = max(labelW, cv.width(b.Label, labelSize))
	}
	if hi == lo {
		hi = lo + 0.01
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	valueW := cv.width("+00.00%", labelSize) + 6
	left := pad + labelW + 10
	if lo < 0 {
		left += valueW // room for the labels of negative bars
	}
	right := w - pad
	if hi > 0 {
		right -= valueW
	}
	bottom := h - pad - labelSize - 8
	xOf := func(v float64) float64 { return left + (v-lo)/(hi-lo)*(right-left) }
	for _, t := range ticks {
		x := xOf(t)
		col := gridCol
		if t == 0 {
			col = zeroCol
		}
		cv.line(x, top, x, bottom, 1, col, nil)
		l := axisLabel(Fraction, t, ticks)
		cv.text(l, labelSize, inkSoft, x-cv.width(l, labelSize)/2, bottom+6+labelSize)
	}
	row := (bottom - top) / float64(len(c.Bars))
	barH := min(row*0.68, 26)
	for i, b := range c.Bars {
		y := top + row*float64(i) + (row-barH)/2
		x0, x1 := xOf(0), xOf(b.Value)
		col := positive
		if b.Value < 0 {
			col = negative
			x0, x1 = x1, x0
		}
		cv.rect(x0, y, math.Max(x1, x0+0.5), y+barH, col)
		mid := y + barH/2 + labelSize/3
		cv.text(b.Label, labelSize, ink, pad+labelW-cv.width(b.Label, labelSize), mid)
		v := signedPct(b.Value)
		if b.Value < 0 {
			cv.text(v, labelSize, inkSoft, x0-6-cv.width(v, labelSize), mid)
		} else {
			cv.text(v, labelSize, inkSoft, x1+6, mid)
		}
	}
	cv.line(xOf(0), top, xOf(0), bottom, 1.2, zeroCol, nil)
}

// niceTicks returns about n round values covering lo..hi, first <= lo and
// last >= hi.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi == lo {
		d := math.Max(math.Abs(hi)*0.05, 1e-6)
		lo, hi = lo-d, hi+d
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step) * step
	var out []float64
	for v := start; v < hi+step*0.999 && len(out) < 4*n; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	if len(out) < 2 {
		out = append(out, out[0]+step)
	}
	return out
}

// axisLabel formats a tick with as few decimals as the ticks need.
func axisLabel(u Unit, v float64, ticks []float64) string {
	step := math.Abs(ticks[1] - ticks[0])
	if u == Fraction {
		v, step = v*100, step*100
	}
	dec := 0
	for dec < 4 && math.Abs(step*math.Pow10(dec)-math.Round(step*math.Pow10(dec))) > 1e-9 {
		dec++
	}
	s := groupThousands(math.Abs(v), dec)
	if v < 0 && s != groupThousands(0, dec) {
		s = "-" + s
	}
	if u == Fraction {
		s += "%"
	}
	return s
}

func groupThousands(x float64, dec int) string {
	s := fmt.Sprintf("%.*f", dec, x)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b []byte
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, intPart[i])
	}
	return string(b) + frac
}

func signedPct(x float64) string {
	s := fmt.Sprintf("%.2f%%", x*100)
	if x > 0 && s != "0.00%" {
		s = "+" + s
	}
	if s == "-0.00%" {
		s = "0.00%"
	}
	return s
}

type dateTick struct {
	at    time.Time
	label string
}

var enMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// dateTicks returns calendar-aligned ticks inside from..to: weeks, months,
// quarters or years, by the span. A label names the year where it changes.
func dateTicks(from, to time.Time, lang string) []dateTick {
	days := to.Sub(from).Hours() / 24
	zh := lang == "zh"
	var out []dateTick
	switch {
	case days <= 50:
		// Mondays.
		d := from
		for d.Weekday() != time.Monday {
			d = d.AddDate(0, 0, 1)
		}
		for ; !d.After(to); d = d.AddDate(0, 0, 7) {
			l := fmt.Sprintf("%s %d", enMonths[d.Month()-1], d.Day())
			if zh {
				l = fmt.Sprintf("%d月%d日", d.Month(), d.Day())
			}
			out = append(out, dateTick{d, l})
		}
	case days <= 1000:
		step := 1
		switch {
		case days > 500:
			step = 3
		case days > 240:
			step = 2
		}
		d := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		if d.Before(from) {
			d = d.AddDate(0, 1, 0)
		}
		for (int(d.Month())-1)%step != 0 {
			d = d.AddDate(0, 1, 0)
		}
		lastYear := 0
		for ; !d.After(to); d = d.AddDate(0, step, 0) {
			l := enMonths[d.Month()-1]
			if zh {
				l = fmt.Sprintf("%d月", d.Month())
			}
			if d.Year() != lastYear {
				if zh {
					l = fmt.Sprintf("%d年%d月", d.Year(), d.Month())
				} else {
					l += fmt.Sprintf(" %d", d.Year())
				}
				lastYear = d.Year()
			}
			out = append(out, dateTick{d, l})
		}
	default:
		step := max(1, int(days/365/8)+1)
		for y := from.Year() + 1; ; y += step {
			d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			if d.After(to) {
				break
			}
			l := fmt.Sprint(y)
			if zh {
				l += "年"
			}
			out = append(out, dateTick{d, l})
		}
	}
	return out
}
