package plot

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"sync"
)

// encodePNG writes a chart as PNG, faster than image/png's default for the
// same image: an opaque image (every pixel's alpha 255, as the caller
// knows) is stored as 8-bit RGB with the Up filter on
// every row, compressed by a rowDeflater. Charts are mostly rows like the
// row above (background, grid lines), which Up turns into zeros, and
// rowDeflater is made for such data. Other images go to image/png at its
// fastest level.
func encodePNG(m *image.RGBA, opaque bool) ([]byte, error) {
	if !opaque {
		var buf bytes.Buffer
		err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, m)
		return buf.Bytes(), err
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	// Every row Up-filtered: the difference from the row above (the first
	// row's is itself). Pixels equal to those above are zero; the others
	// are the irregular stretches.
	const up = 2
	bpr := 1 + 3*w
	z := deflaters.Get().(*rowDeflater)
	defer deflaters.Put(z)
	z.reset(bpr, z.out[:0]) // the pooled deflater's last output buffer: copied out below
	var above []byte        // the row above, as RGBA; nil above the first
	for y := range h {
		off := m.PixOffset(b.Min.X, b.Min.Y+y)
		pix := m.Pix[off : off+4*w]
		row := z.row(bpr)
		row[0] = up
		o := row[1:]
		if above == nil {
			for x := range w {
				copy(o[3*x:3*x+3], pix[4*x:4*x+3])
			}
			z.irregular(0, bpr)
			z.commit(bpr)
			above = pix
			continue
		}
		prev := above[:len(pix)]
		above = pix
		z.irregular(0, 1)
		zero := 0 // o[3*zero:] is yet to be written
		for x := 0; x < w; {
			x = samePixels(pix, prev, x)
			if x == w {
				break
			}
			clear(o[3*zero : 3*x])
			start := x
			for ; x < w && binary.LittleEndian.Uint32(pix[4*x:]) != binary.LittleEndian.Uint32(prev[4*x:]); x++ {
				j, k := 4*x, 3*x
				o[k], o[k+1], o[k+2] = pix[j]-prev[j], pix[j+1]-prev[j+1], pix[j+2]-prev[j+2]
			}
			z.irregular(1+3*start, 1+3*x)
			zero = x
		}
		clear(o[3*zero:])
		z.commit(bpr)
	}
	idat := z.close()
	var out bytes.Buffer
	out.Grow(8 + 12 + 13 + 12 + len(idat) + 12)
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, truecolour; deflate, adaptive filtering, no interlace
	writeChunk(&out, "IHDR", ihdr[:])
	writeChunk(&out, "IDAT", idat)
	writeChunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

// samePixels returns the first pixel from x on where the rows a and b, as
// RGBA, differ, or their width: eight pixels at a time while they agree.
func samePixels(a, b []byte, x int) int {
	i := 4 * x
	for n := min(len(a), len(b)); i+32 <= n; i += 32 {
		p, q := a[i:i+32], b[i:i+32]
		// ^ and | bind alike in Go: the parentheses are needed.
		if (binary.LittleEndian.Uint64(p)^binary.LittleEndian.Uint64(q))|
			(binary.LittleEndian.Uint64(p[8:])^binary.LittleEndian.Uint64(q[8:]))|
			(binary.LittleEndian.Uint64(p[16:])^binary.LittleEndian.Uint64(q[16:]))|
			(binary.LittleEndian.Uint64(p[24:])^binary.LittleEndian.Uint64(q[24:])) != 0 {
			break
		}
	}
	for n := min(len(a), len(b)); i+4 <= n; i += 4 {
		if binary.LittleEndian.Uint32(a[i:]) != binary.LittleEndian.Uint32(b[i:]) {
			break
		}
	}
	return i / 4
}

// deflaters are reused: each holds a hash table and a window of a MiB.
var deflaters = sync.Pool{New: func() any { return new(rowDeflater) }}

// writeChunk writes one PNG chunk: length, type, data and CRC.
func writeChunk(out *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	out.WriteString(typ)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}
