package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/golang/freetype/raster"
	"github.com/golang/freetype/truetype"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Layout is a design of a chart for a kind of screen.
type Layout int

const (
	Desktop Layout = iota // 720 CSS px wide, at 1x and 2x
	Phone                 // 360 CSS px wide with larger type, at 2x and 3x
)

// Layouts are the layouts every chart is drawn in.
var Layouts = []Layout{Desktop, Phone}

// Scales are the pixel densities a layout is drawn at.
func (l Layout) Scales() []int {
	if l == Phone {
		return []int{2, 3}
	}
	return []int{1, 2}
}

func (l Layout) String() string {
	if l == Phone {
		return "phone"
	}
	return "desktop"
}

// design holds the sizes of a layout, in CSS pixels at 1x; font sizes are
// in points, an em of size x emDPI / 72 CSS pixels (10 points: 11.25 px).
type design struct {
	width, height   float64 // of a time-series chart
	barRow, barBase float64 // a bar chart is barBase + barRow a bar high, at least height
	pad             float64
	label, small    float64 // axis and value labels; the source line
	yTicks          int     // about this many value ticks
}

var designs = [...]design{
	Desktop: {width: 720, height: 400, barRow: 22, barBase: 64, pad: 14, label: 10.5, small: 10, yTicks: 5},
	Phone:   {width: 360, height: 280, barRow: 26, barBase: 58, pad: 10, label: 11.5, small: 10, yTicks: 4},
}

// Roles are what a pixel of a chart shows. A chart is drawn as roles and
// coverage (16 levels each, as an indexed image), and a theme gives each
// role its colour: the light and dark images are the same pixels with
// different palettes.
const (
	roleBg uint8 = iota
	roleGrid
	roleAxis
	roleInk
	roleSoft
	roleUp
	roleDown
	roleSeries // roleSeries + i: series i of the palette

	roleBand = roleSeries + 8 // shaded date ranges, behind everything
)

const levels = 16 // coverage levels a role: 0 (background) to 15 (solid)

// theme is the colours of the roles.
type theme struct {
	bg, grid, axis, ink, soft drawing.Color
	band                      drawing.Color // shaded date ranges
	rise, fall                drawing.Color // green and red, which the language assigns to up and down
	series                    [8]drawing.Color
}

// Palette is Okabe and Ito's: distinguishable with every common form of
// colour blindness, and in greyscale by order of lightness. Dark charts
// use lighter tones of the same hues.
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
	light = theme{
		bg:   rgb(0xffffff),
		grid: rgb(0xe3e6ea),
		axis: rgb(0x8a919a),
		ink:  rgb(0x1f2328),
		soft: rgb(0x555d68),
		band: rgb(0xeef0f4),
		rise: rgb(0x1a7f37),
		fall: rgb(0xcf222e),
		series: [8]drawing.Color{Palette[0], Palette[1], Palette[2], Palette[3],
			Palette[4], Palette[5], Palette[6], Palette[7]},
	}
	dark = theme{
		bg:   rgb(0x16191d),
		grid: rgb(0x2d333a),
		axis: rgb(0x6e7781),
		ink:  rgb(0xe6e8eb),
		soft: rgb(0xa8b0b9),
		band: rgb(0x23282f),
		rise: rgb(0x3fb950),
		fall: rgb(0xff6b66),
		series: [8]drawing.Color{rgb(0x4ea8e6), rgb(0xf0b429), rgb(0x2ec4a0), rgb(0xe59ac8),
			rgb(0x9bd4f5), rgb(0xff8748), rgb(0xe6e8eb), rgb(0xf0e442)},
	}
)

func rgb(x uint32) drawing.Color {
	return drawing.Color{R: uint8(x >> 16), G: uint8(x >> 8), B: uint8(x), A: 255}
}

// upDown returns the roles' colours for up and down in lang: red up and
// green down in Chinese, green up and red down otherwise.
func (t theme) upDown(lang string) (up, down drawing.Color) {
	if lang == "zh" {
		return t.fall, t.rise
	}
	return t.rise, t.fall
}

// plte returns the PNG palette of t for a chart in lang: each role at each
// coverage level, over the background.
func (t theme) plte(lang string) []byte {
	up, down := t.upDown(lang)
	cols := [levels]drawing.Color{t.bg, t.grid, t.axis, t.ink, t.soft, up, down}
	copy(cols[roleSeries:], t.series[:])
	cols[roleBand] = t.band
	out := make([]byte, 0, 3*levels*levels)
	for _, c := range cols {
		for l := range levels {
			mix := func(a, b uint8) byte {
				return byte((int(a)*(levels-1-l) + int(b)*l + (levels-1)/2) / (levels - 1))
			}
			out = append(out, mix(t.bg.R, c.R), mix(t.bg.G, c.G), mix(t.bg.B, c.B))
		}
	}
	return out
}

// paint puts role at coverage level (1 to 15) over the pixel p. Coverage
// of one role adds up; a different role replaces what is there when it
// covers the pixel at least half or more than what is there, since an
// indexed pixel holds one role.
func paint(p *uint8, role, level uint8) {
	old := *p
	ol := old % levels
	switch {
	case ol == 0 || level == levels-1:
		*p = role*levels + level
	case old/levels == role:
		n := int(ol) + (int(level)*(levels-1-int(ol))+(levels-1)/2)/(levels-1)
		*p = role*levels + uint8(min(n, levels-1))
	case level >= ol || level >= levels/2:
		*p = role*levels + level
	}
}

// rolePainter paints the spans of go-chart's rasterizer as a role: the
// colour it is given names the role in its red component, and in its
// green component the level full coverage paints at (0 for solid): a
// tint of the role.
type rolePainter struct {
	m    *image.Paletted
	role uint8
	full uint32 // the level of full coverage
}

func (p *rolePainter) SetColor(c color.Color) {
	r, g, _, _ := c.RGBA()
	p.role = uint8(r >> 8)
	p.full = g >> 8
	if p.full == 0 || p.full >= levels {
		p.full = levels - 1
	}
}

func (p *rolePainter) Paint(ss []raster.Span, _ bool) {
	b := p.m.Bounds()
	for _, s := range ss {
		if s.Y < b.Min.Y || s.Y >= b.Max.Y {
			continue
		}
		x0, x1 := max(s.X0, b.Min.X), min(s.X1, b.Max.X)
		level := uint8((s.Alpha*p.full + 0x7fff) / 0xffff)
		if level == 0 || x0 >= x1 {
			continue
		}
		row := p.m.Pix[p.m.PixOffset(x0, s.Y):]
		for i := range x1 - x0 {
			paint(&row[i], p.role, level)
		}
	}
}

// roleColor is the colour that makes a rolePainter paint role.
func roleColor(role uint8) drawing.Color { return drawing.Color{R: role, A: 255} }

// tintColor is the colour that makes a rolePainter paint role at level
// (1 to 15) where it covers a pixel fully.
func tintColor(role, level uint8) drawing.Color { return drawing.Color{R: role, G: level, A: 255} }

// canvas draws at a scale: every length is given at 1x.
type canvas struct {
	gc    *drawing.RasterGraphicContext // strokes, and measures text
	img   *image.Paletted               // what gc draws on: roles and coverage
	s     float64
	font  *truetype.Font
	faces *faces
}

func (c *canvas) px(x float64) int { return int(math.Round(x * c.s)) }

// text draws s with its baseline starting at (x, y). Glyphs are drawn
// from the masks a truetype face caches (at a sixteenth-pixel horizontal
// position), not rasterized again for every string: chart labels repeat
// the same few glyphs.
func (c *canvas) text(s string, size float64, role uint8, x, y float64) {
	face := c.faces.face(c.font, size, c.s)
	dot := fixed.P(c.px(x), c.px(y))
	b := c.img.Bounds()
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += face.Kern(prev, r)
		}
		dr, mask, mp, adv, ok := face.Glyph(dot, r)
		if !ok {
			continue
		}
		dot.X, prev = dot.X+adv, r
		a, isAlpha := mask.(*image.Alpha)
		if !isAlpha {
			continue
		}
		at := dr.Min // where mp is drawn
		dr = dr.Intersect(b)
		for y := dr.Min.Y; y < dr.Max.Y; y++ {
			src := a.Pix[a.PixOffset(mp.X+dr.Min.X-at.X, mp.Y+y-at.Y):]
			row := c.img.Pix[c.img.PixOffset(dr.Min.X, y):]
			for i := range dr.Dx() {
				if level := uint8((int(src[i])*(levels-1) + 127) / 255); level > 0 {
					paint(&row[i], role, level)
				}
			}
		}
	}
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

// maxSourceLines is how many lines the source line may take.
const maxSourceLines = 3

// wrap breaks s into lines no wider than limit at size: after " · " where
// what comes before fits, else at the last space or between Chinese
// letters that fits (never before a closing mark such as "，"). The last of
// maxSourceLines lines is cut short with "…".
func (c *canvas) wrap(s string, size, limit float64) []string {
	var lines []string
	for c.width(s, size) > limit {
		if len(lines) == maxSourceLines-1 {
			return append(lines, c.clip(s, size, limit))
		}
		cut := c.breakAt(s, size, limit)
		lines = append(lines, strings.TrimRight(s[:cut], " ·"))
		s = strings.TrimLeft(s[cut:], " ·")
	}
	return append(lines, s)
}

// breakAt is where to end the first line of s, which is wider than limit.
func (c *canvas) breakAt(s string, size, limit float64) int {
	if i := strings.Index(s, " · "); i > 0 && c.width(s[:i], size) <= limit {
		return i + len(" · ")
	}
	best := 0
	prev := rune(-1)
	for i, r := range s {
		if i > 0 && (r == ' ' || (wide(r) || wide(prev)) && !strings.ContainsRune(closing, r)) {
			if c.width(strings.TrimRight(s[:i], " "), size) > limit {
				break
			}
			best = i
		}
		prev = r
	}
	if best == 0 { // one word wider than the line: cut it where it must
		for i := range s {
			if i > 0 && c.width(s[:i], size) > limit {
				break
			}
			best = i
		}
	}
	return max(best, len(string([]rune(s)[:1])))
}

// closing are the marks a line does not start with.
const closing = "，。、；：！？）》」』,.;:!?)%"

// wide reports whether r is a Chinese letter or mark, between which a line
// may break.
func wide(r rune) bool {
	return r >= 0x2E80 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0xFF00 && r <= 0xFFEF
}

// clip cuts s short with "…" to fit in limit at size.
func (c *canvas) clip(s string, size, limit float64) string {
	rs := []rune(s)
	for n := len(rs); n > 0; n-- {
		t := strings.TrimRight(string(rs[:n]), " ·") + "…"
		if c.width(t, size) <= limit {
			return t
		}
	}
	return "…"
}

func (c *canvas) line(x1, y1, x2, y2, w float64, role uint8, dash []float64) {
	c.gc.SetStrokeColor(roleColor(role))
	c.gc.SetLineWidth(w * c.s)
	c.gc.SetLineDash(c.scaled(dash), 0)
	c.gc.MoveTo(float64(c.px(x1)), float64(c.px(y1)))
	c.gc.LineTo(float64(c.px(x2)), float64(c.px(y2)))
	c.gc.Stroke()
}

// rect fills a rectangle, its corners on whole pixels, with role.
func (c *canvas) rect(x1, y1, x2, y2 float64, role uint8) {
	c.tintRect(x1, y1, x2, y2, role, levels-1)
}

// tintRect fills a rectangle, its corners on whole pixels, with role at
// level: a tint of it, as solid as level says.
func (c *canvas) tintRect(x1, y1, x2, y2 float64, role, level uint8) {
	r := image.Rect(c.px(x1), c.px(y1), c.px(x2), c.px(y2)).Intersect(c.img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := c.img.Pix[c.img.PixOffset(r.Min.X, y):]
		for i := range r.Dx() {
			row[i] = role*levels + level
		}
	}
}

// behind fills the background pixels of a rectangle with role, leaving
// what is drawn there: the shade is behind it. The fill of an area
// (roleSeries at areaTint) takes a stronger tint, as if shaded too.
func (c *canvas) behind(x1, y1, x2, y2 float64, role uint8) {
	r := image.Rect(c.px(x1), c.px(y1), c.px(x2), c.px(y2)).Intersect(c.img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := c.img.Pix[c.img.PixOffset(r.Min.X, y):]
		for i := range r.Dx() {
			switch row[i] {
			case 0:
				row[i] = role*levels + levels - 1
			case roleSeries*levels + areaTint:
				row[i] = roleSeries*levels + areaTint + 2
			}
		}
	}
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

// Size returns the 1x size of the image of c in layout l: a time chart's
// is the layout's (or the height asked for, on a phone in proportion);
// a bar chart's and a heatmap's grow with their rows, small multiples'
// with their panels.
func (c *Chart) Size(l Layout) (w, h int) {
	d := designs[l]
	switch {
	case !c.HasImage():
		return 0, 0
	case c.Type == "bar":
		return int(d.width), int(max(d.height, d.barBase+d.barRow*float64(len(c.Bars))))
	case c.Heat != nil:
		// Headings, rows, and the source line at the foot (see drawChart).
		top := d.pad + d.label*emDPI/72 + 6
		return int(d.width), int(math.Ceil(top + heatRow(l)*float64(len(c.Heat.Values)) + 12 + d.small*emDPI/72 + d.pad/2 + 2))
	case c.Type == "multiples":
		cols, ph := panels(l)
		rows := (len(c.Series) + cols - 1) / cols
		return int(d.width), int(d.pad + ph*float64(rows) + d.small*emDPI/72 + 16)
	case c.Height > 0:
		return int(d.width), int(math.Round(c.Height * d.height / designs[Desktop].height))
	}
	return int(d.width), int(d.height)
}

// Render draws c in layout l at scale (1 to 4) as two PNGs, on a light and
// on a dark background: the same pixels with two palettes. font must hold
// every glyph of the labels (a CJK font for Chinese).
func Render(c *Chart, font *truetype.Font, l Layout, scale int) (lightPNG, darkPNG []byte, err error) {
	err = drawChart(c, font, l, scale, func(m *image.Paletted) error {
		idat := compressIndexed(m)
		lightPNG = indexedPNG(m.Bounds(), light.plte(c.Lang), idat)
		darkPNG = indexedPNG(m.Bounds(), dark.plte(c.Lang), idat)
		return nil
	})
	return lightPNG, darkPNG, err
}

// drawChart draws c in layout l at scale and hands the image of roles to
// use, which must not keep it: it is reused once use returns.
func drawChart(c *Chart, font *truetype.Font, l Layout, scale int, use func(*image.Paletted) error) error {
	if scale < 1 || scale > 4 {
		return fmt.Errorf("scale %d: expected 1 to 4", scale)
	}
	if l != Desktop && l != Phone {
		return fmt.Errorf("layout %d: expected Desktop or Phone", l)
	}
	if err := c.check(); err != nil {
		return err
	}
	if !c.HasImage() {
		return fmt.Errorf("a %s chart has no image", c.Type)
	}
	w, h := c.Size(l)
	sf := surfaceOf(w*scale, h*scale)
	defer surfaces(w*scale, h*scale).Put(sf)
	// Font sizes are in points; the context measures text (canvas.width)
	// and strokes at 72 DPI a scale (see emDPI).
	sf.gc.SetDPI(72 * float64(scale))
	fs := facePool.Get().(*faces)
	defer facePool.Put(fs)
	cv := &canvas{gc: sf.gc, img: sf.img, s: float64(scale), font: font, faces: fs}
	// The background covers the whole image: what a reused one held is gone.
	clear(sf.img.Pix)
	d := designs[l]
	fw, fh := float64(w), float64(h)
	// The source line at the foot, on two lines or three where it is too
	// long for one (a phone's, with a long data note); the title is the
	// figure's caption.
	lines := cv.wrap(c.Source, d.small, fw-2*d.pad)
	lineHeight := d.small*emDPI/72 + 3
	sourceBase := fh - d.pad/2 - 2 - float64(len(lines)-1)*lineHeight
	for i, line := range lines {
		cv.text(line, d.small, roleSoft, d.pad, sourceBase+float64(i)*lineHeight)
	}
	bottom := sourceBase - d.small*emDPI/72 - 10 - d.label - 6
	switch {
	case c.Type == "bar":
		cv.bars(c, d, fw, bottom)
	case c.Heat != nil:
		cv.drawHeat(c, d, fw, bottom, heatRow(l))
	case c.Points != nil:
		cv.drawScatter(c, d, fw, bottom)
	case c.Type == "multiples":
		cv.drawMultiples(c, d, l, fw)
	default:
		cv.series(c, d, fw, bottom)
	}
	return use(sf.img)
}

// A surface is an image of roles and a go-chart graphic context drawing
// on it. Surfaces are reused, by size, so that a chart costs no new image
// and no new rasterizers.
type surface struct {
	img *image.Paletted
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

// rolePalette makes an image of roles an image like any other to those
// who look at it (tests, image/png): its light colours, for English.
var rolePalette = func() color.Palette {
	p := light.plte("en")
	out := make(color.Palette, len(p)/3)
	for i := range out {
		out[i] = color.RGBA{p[3*i], p[3*i+1], p[3*i+2], 255}
	}
	return out
}()

func surfaceOf(w, h int) *surface {
	if sf, ok := surfaces(w, h).Get().(*surface); ok {
		return sf
	}
	img := image.NewPaletted(image.Rect(0, 0, w, h), rolePalette)
	gc := drawing.NewRasterGraphicContextWithPainter(img, &rolePainter{m: img})
	return &surface{img, gc}
}

// bars draws a horizontal bar chart above bottom, ranked, negative bars
// left of zero, in the language's colours for up and down.
func (cv *canvas) bars(c *Chart, d design, w, bottom float64) {
	top := d.pad
	lh := d.label * emDPI / 72
	lo, hi := 0.0, 0.0
	labelW := 0.0
	for _, b := range c.Bars {
		lo, hi = min(lo, b.Value), max(hi, b.Value)
		labelW = max(labelW, cv.width(b.Label, d.label))
	}
	if hi == lo {
		hi = lo + 0.01
	}
	// Long names are cut, so that the bars keep most of the width.
	labelW = min(labelW, w*0.3)
	ticks := niceTicks(lo, hi, d.yTicks)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	valueW := cv.width("+00.00%", d.label) + 6
	left := d.pad + labelW + 8
	if lo < 0 {
		left += valueW // room for the labels of negative bars
	}
	right := w - d.pad
	if hi > 0 {
		right -= valueW
	}
	xOf := func(v float64) float64 { return left + (v-lo)/(hi-lo)*(right-left) }
	// Every tick's label, or every second (third...) one where they
	// would run into each other, always with zero's.
	every := 1
	for ; every < len(ticks); every++ {
		prev, clear := math.Inf(-1), true
		for i, t := range ticks {
			if i%every != 0 && t != 0 {
				continue
			}
			lw := cv.width(axisLabel(Fraction, t, ticks), d.label)
			if xOf(t)-lw/2 < prev+8 {
				clear = false
				break
			}
			prev = xOf(t) + lw/2
		}
		if clear {
			break
		}
	}
	for i, t := range ticks {
		x := xOf(t)
		role := roleGrid
		if t == 0 {
			role = roleAxis
		}
		cv.line(x, top, x, bottom, 1, role, nil)
		if i%every == 0 || t == 0 {
			l := axisLabel(Fraction, t, ticks)
			cv.text(l, d.label, roleSoft, x-cv.width(l, d.label)/2, bottom+6+lh)
		}
	}
	row := (bottom - top) / float64(len(c.Bars))
	barH := min(row*0.68, 26)
	highlight := slices.ContainsFunc(c.Bars, func(b Bar) bool { return b.Highlight })
	for i, b := range c.Bars {
		y := top + row*float64(i) + (row-barH)/2
		x0, x1 := xOf(0), xOf(b.Value)
		role := roleUp
		if b.Value < 0 {
			role = roleDown
			x0, x1 = x1, x0
		}
		// With a highlight, the other bars are pale and their labels soft.
		level, ink, soft := uint8(levels-1), roleInk, roleSoft
		if highlight && !b.Highlight {
			level, ink = 5, roleSoft
		} else if highlight {
			soft = roleInk
		}
		cv.tintRect(x0, y, math.Max(x1, x0+0.5), y+barH, role, level)
		mid := y + barH/2 + lh/3
		name := clipText(cv, b.Label, d.label, labelW)
		cv.text(name, d.label, ink, d.pad+labelW-cv.width(name, d.label), mid)
		v := signedPct(b.Value)
		if b.Value < 0 {
			cv.text(v, d.label, soft, x0-6-cv.width(v, d.label), mid)
		} else {
			cv.text(v, d.label, soft, x1+6, mid)
		}
	}
	cv.line(xOf(0), top, xOf(0), bottom, 1.2, roleAxis, nil)
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
