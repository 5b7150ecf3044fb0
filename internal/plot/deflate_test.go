package plot

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"testing"
)

// rowsOf compresses rows (each the same length) with a rowDeflater,
// marking as irregular every stretch that holds a byte other than zero,
// and returns the zlib stream.
func rowsOf(rows [][]byte) []byte {
	var z rowDeflater
	bpr := len(rows[0])
	z.reset(bpr, nil)
	for _, src := range rows {
		row := z.row(bpr)
		copy(row, src)
		for i := 0; i < bpr; {
			if src[i] == 0 {
				i++
				continue
			}
			j := i
			for j < bpr && src[j] != 0 {
				j++
			}
			z.irregular(i, j)
			i = j
		}
		z.commit(bpr)
	}
	return z.close()
}

func inflate(t *testing.T, stream []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(stream))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	if err := r.Close(); err != nil { // the checksum
		t.Fatalf("close: %v", err)
	}
	return got
}

// What a rowDeflater writes inflates with compress/zlib (which checks the
// Adler-32 sum) to exactly the rows given, for rows of every kind: random
// bytes (no matches, more tokens than a block holds), zeros, sparse
// stretches, runs of one byte, repeated text-like patterns, one-byte rows,
// and enough rows to move the window several times.
func TestRowDeflater(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	fill := func(n, bpr int, f func(y int, row []byte)) [][]byte {
		rows := make([][]byte, n)
		for y := range rows {
			rows[y] = make([]byte, bpr)
			f(y, rows[y])
		}
		return rows
	}
	cases := []struct {
		name string
		rows [][]byte
	}{
		{"one byte", fill(1, 1, func(int, []byte) {})},
		{"one non-zero byte", fill(1, 1, func(_ int, r []byte) { r[0] = 7 })},
		{"zeros", fill(300, 4321, func(int, []byte) {})},
		{"random", fill(40, 4321, func(_ int, r []byte) {
			for i := range r {
				r[i] = byte(rng.IntN(256))
			}
		})},
		{"sparse", fill(500, 2161, func(y int, r []byte) {
			r[0] = 2
			for k := 0; k < 4; k++ {
				at := rng.IntN(len(r) - 12)
				for i := at; i < at+1+rng.IntN(11); i++ {
					r[i] = byte(1 + rng.IntN(255))
				}
			}
		})},
		{"runs of one byte", fill(200, 999, func(y int, r []byte) {
			for i := range r {
				r[i] = byte(i / 300 * (y % 5))
			}
		})},
		{"patterns", fill(700, 1441, func(y int, r []byte) {
			word := []byte("2026-11-24 +1.25% -0.50% ")
			for i := range r {
				if (i/97+y)%3 == 0 {
					r[i] = word[(i+y)%len(word)]
				}
			}
		})},
		{"short rows", fill(5000, 3, func(y int, r []byte) {
			r[y%3] = byte(y)
		})},
	}
	for _, c := range cases {
		stream := rowsOf(c.rows)
		got := inflate(t, stream)
		want := bytes.Join(c.rows, nil)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: inflated %d bytes, not the %d given", c.name, len(got), len(want))
		}
		t.Logf("%s: %d bytes to %d", c.name, len(want), len(stream))
	}
}

// Code lengths are complete (Kraft sum exactly 1) and within the limit,
// even for counts that make an unlimited Huffman code far too deep.
func TestHuffmanLengths(t *testing.T) {
	fib := make([]int32, 30)
	fib[0], fib[1] = 1, 1
	for i := 2; i < len(fib); i++ {
		fib[i] = fib[i-1] + fib[i-2]
	}
	for _, c := range []struct {
		name    string
		freq    []int32
		maxBits int
	}{
		{"two", []int32{0, 5, 0, 9}, 15},
		{"even", []int32{1, 1, 1, 1, 1, 1, 1, 1}, 3},
		{"fibonacci", fib, 15},
		{"fibonacci, 7 bits", fib[:19], 7},
		{"skewed", append(make([]int32, 280), 1<<30, 1, 1, 1, 1, 1), 15},
	} {
		lens := make([]uint8, len(c.freq))
		huffmanLengths(c.freq, lens, c.maxBits)
		kraft := 0
		for s, l := range lens {
			if (l == 0) != (c.freq[s] == 0) {
				t.Fatalf("%s: symbol %d with count %d has length %d", c.name, s, c.freq[s], l)
			}
			if int(l) > c.maxBits {
				t.Fatalf("%s: length %d over %d", c.name, l, c.maxBits)
			}
			if l > 0 {
				kraft += 1 << (c.maxBits - int(l))
			}
		}
		if kraft != 1<<c.maxBits {
			t.Fatalf("%s: Kraft sum %d/%d, want 1: %v", c.name, kraft, 1<<c.maxBits, lens)
		}
		// More frequent symbols never get longer codes.
		for a := range lens {
			for b := range lens {
				if c.freq[a] > c.freq[b] && c.freq[b] > 0 && lens[a] > lens[b] {
					t.Fatalf("%s: symbol %d (count %d) has %d bits, %d (count %d) %d", c.name, a, c.freq[a], lens[a], b, c.freq[b], lens[b])
				}
			}
		}
	}
}

// Any rows, split and marked any way the fuzzer finds, inflate to
// themselves.
func FuzzRowDeflater(f *testing.F) {
	f.Add([]byte("\x02\x00\x00\x00abcabcabc\x00\x00"), uint8(4))
	f.Add(make([]byte, 5000), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, width uint8) {
		bpr := int(width) + 1
		if len(data) < bpr {
			return
		}
		var rows [][]byte
		for i := 0; i+bpr <= len(data); i += bpr {
			rows = append(rows, data[i:i+bpr])
		}
		if got, want := inflate(t, rowsOf(rows)), bytes.Join(rows, nil); !bytes.Equal(got, want) {
			t.Fatalf("inflated %d bytes, not the %d given", len(got), len(want))
		}
	})
}
