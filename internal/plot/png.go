package plot

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"
)

// compressIndexed compresses an indexed image as PNG image data: every row
// Up-filtered, compressed by a rowDeflater. Charts are mostly rows like
// the row above (background, grid lines), which Up turns into zeros, and
// rowDeflater is made for such data; an index a pixel is a third of the
// bytes of RGB.
func compressIndexed(m *image.Paletted) []byte {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	const up = 2
	bpr := 1 + w
	z := deflaters.Get().(*rowDeflater)
	defer deflaters.Put(z)
	z.reset(bpr, z.out[:0]) // the pooled deflater's last output buffer: copied out below
	var above []byte        // the row above; nil above the first
	for y := range h {
		off := m.PixOffset(b.Min.X, b.Min.Y+y)
		pix := m.Pix[off : off+w]
		row := z.row(bpr)
		row[0] = up
		o := row[1:]
		if above == nil {
			copy(o, pix)
			z.irregular(0, bpr)
			z.commit(bpr)
			above = pix
			continue
		}
		prev := above
		above = pix
		z.irregular(0, 1)
		zero := 0 // o[zero:] is yet to be written
		for x := 0; x < w; {
			x = sameBytes(pix, prev, x)
			if x == w {
				break
			}
			clear(o[zero:x])
			start := x
			for ; x < w && pix[x] != prev[x]; x++ {
				o[x] = pix[x] - prev[x]
			}
			z.irregular(1+start, 1+x)
			zero = x
		}
		clear(o[zero:])
		z.commit(bpr)
	}
	return bytes.Clone(z.close())
}

// indexedPNG is a PNG of 8-bit indexes into plte (RGB triples), of the
// size of b, with the image data idat from compressIndexed.
func indexedPNG(b image.Rectangle, plte, idat []byte) []byte {
	var out bytes.Buffer
	out.Grow(8 + 12 + 13 + 12 + len(plte) + 12 + len(idat) + 12)
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(b.Dx()))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(b.Dy()))
	ihdr[8], ihdr[9] = 8, 3 // 8 bits per index, indexed colour; deflate, adaptive filtering, no interlace
	writeChunk(&out, "IHDR", ihdr[:])
	writeChunk(&out, "PLTE", plte)
	writeChunk(&out, "IDAT", idat)
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

// sameBytes returns the first index from x on where a and b differ, or
// their length: eight bytes at a time while they agree.
func sameBytes(a, b []byte, x int) int {
	n := min(len(a), len(b))
	i := x
	for ; i+8 <= n; i += 8 {
		if binary.LittleEndian.Uint64(a[i:]) != binary.LittleEndian.Uint64(b[i:]) {
			break
		}
	}
	for ; i < n && a[i] == b[i]; i++ {
	}
	return i
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
