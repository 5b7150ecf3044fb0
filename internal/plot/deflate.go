package plot

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// rowDeflater compresses PNG image data, Up-filtered rows, as a zlib
// stream (RFC 1950 around RFC 1951 deflate), written for what charts are:
// long runs of zero bytes (rows like the one above, and the stretches
// between the lines of a row) and short irregular stretches (the lines and
// the text). The caller filters each row and says where its irregular
// stretches are; the zero runs between them become matches at distance 1
// and enter the checksum without being read again, so only the irregular
// bytes are searched, with a single-entry hash table as fast deflaters do.
// compress/flate at its fastest level takes twice as long for files of the
// same size, most of it comparing those runs a byte at a time and
// building Huffman codes for every 64 KiB of input; here one set of codes
// serves about blockTokens tokens.
type rowDeflater struct {
	deflater
	buf    []byte  // filtered bytes: the last lzWindow of them, then the current row
	n      int     // bytes in buf
	s1, s2 uint32  // the Adler-32 sums so far
	spans  []int32 // the current row's irregular stretches, start and end
}

const (
	minMatch    = 4
	maxMatch    = 258
	lzWindow    = 1 << 15
	hashBits    = 15
	minGap      = 16      // zero runs shorter than this are left to the matcher
	blockTokens = 1 << 16 // tokens per deflate block, about
	maxLitBits  = 15      // longest code of the literal/length and distance alphabets
	maxCLBits   = 7       // longest code of the code-length alphabet
	endOfBlock  = 256
	matchFlag   = 1 << 31
	adlerMod    = 65521
	adlerMax    = 5552 // bytes summed before the sums could overflow 32 bits
)

// A token is a literal byte (below 256) or matchFlag | (length-3)<<16 |
// (distance-1).
type token uint32

// reset starts a stream of rows of bpr bytes, appended to out.
func (r *rowDeflater) reset(bpr int, out []byte) {
	r.out = append(out, 0x78, 0x01) // deflate, 32 KiB window; fastest level
	r.bits, r.nbits = 0, 0
	clear(r.table[:])
	r.toks = r.toks[:0]
	if size := max(1<<20, 2*(bpr+lzWindow)); len(r.buf) < size {
		r.buf = make([]byte, size)
	}
	r.n = 0
	r.s1, r.s2 = 1, 0
}

// row returns the space for the next row, which the caller fills
// completely and hands to commit.
func (r *rowDeflater) row(bpr int) []byte {
	if r.n+bpr > len(r.buf) { // keep only the window, moved to the front
		keep := min(r.n, lzWindow)
		shift := r.n - keep
		copy(r.buf, r.buf[shift:r.n])
		for i, v := range r.table {
			r.table[i] = max(v-int32(shift), 0)
		}
		r.n = keep
	}
	return r.buf[r.n : r.n+bpr]
}

// irregular records that bytes [start, end) of the current row may be
// other than zero; every other byte of the row must be zero. Stretches
// come in order and do not overlap.
func (r *rowDeflater) irregular(start, end int) {
	if k := len(r.spans); k > 0 && start-int(r.spans[k-1]) < minGap {
		r.spans[k-1] = int32(end)
		return
	}
	r.spans = append(r.spans, int32(start), int32(end))
}

// commit compresses the row of bpr bytes returned by row, given its
// irregular stretches.
func (r *rowDeflater) commit(bpr int) {
	base, end := r.n, r.n+bpr
	p := base // everything before p is tokenized
	for k := 0; k < len(r.spans); k += 2 {
		s, e := base+int(r.spans[k]), base+int(r.spans[k+1])
		if e <= p { // covered by a match that ran on
			continue
		}
		s = max(s, p)
		r.zeros(p, s)
		p = r.match(s, e, end)
	}
	r.zeros(p, end)
	r.spans = r.spans[:0]
	r.n = end
	if len(r.toks) >= blockTokens {
		r.writeBlock(r.toks, false)
		r.toks = r.toks[:0]
	}
}

// zeros tokenizes buf[i:j], all zero, as a run at distance 1 (after a
// literal zero if the byte before is not zero), and sums it.
func (r *rowDeflater) zeros(i, j int) {
	n := j - i
	if n <= 0 {
		return
	}
	r.s2 = uint32((uint64(r.s2) + uint64(n)*uint64(r.s1)) % adlerMod)
	if i == 0 || r.buf[i-1] != 0 {
		r.toks = append(r.toks, 0)
		n--
	}
	for n >= 3 {
		l := min(n, maxMatch)
		if rest := n - l; rest > 0 && rest < 3 {
			l = n - 3 // leave a run long enough to be a match
		}
		r.toks = append(r.toks, matchFlag|token(l-3)<<16) // distance 1
		n -= l
	}
	for ; n > 0; n-- {
		r.toks = append(r.toks, 0)
	}
}

// match tokenizes buf from i, up to e at least, with matches that may run
// on to end, and sums the bytes; it returns where it stopped.
func (r *rowDeflater) match(i, e, end int) int {
	buf, toks, table := r.buf[:end], r.toks, &r.table
	start := i
	for i < e {
		length, dist := 0, 0
		if i > 0 && buf[i] == buf[i-1] {
			length, dist = matchLen(buf, i, i-1), 1
		}
		if length < 32 && i+4 <= end { // a long run needs no better candidate
			h := binary.LittleEndian.Uint32(buf[i:]) * 0x1e35a7bd >> (32 - hashBits)
			c := int(table[h]) - 1
			table[h] = int32(i + 1)
			if c >= 0 && i-c <= lzWindow && i-c > 1 {
				if l := matchLen(buf, i, c); l > length {
					length, dist = l, i-c
				}
			}
		}
		if length >= minMatch {
			toks = append(toks, matchFlag|token(length-3)<<16|token(dist-1))
			i += length
		} else {
			toks = append(toks, token(buf[i]))
			i++
		}
	}
	r.toks = toks
	r.sum(buf[start:i])
	return i
}

// sum adds p to the Adler-32 sums, eight bytes a step: s1 grows by their
// sum, and s2 by eight times s1 plus each byte times the steps left.
func (r *rowDeflater) sum(p []byte) {
	s1, s2 := r.s1, r.s2
	for len(p) > 0 {
		q := p[:min(len(p), adlerMax)]
		p = p[len(q):]
		for ; len(q) >= 8; q = q[8:] {
			b0, b1, b2, b3 := uint32(q[0]), uint32(q[1]), uint32(q[2]), uint32(q[3])
			b4, b5, b6, b7 := uint32(q[4]), uint32(q[5]), uint32(q[6]), uint32(q[7])
			s2 += 8*s1 + 8*b0 + 7*b1 + 6*b2 + 5*b3 + 4*b4 + 3*b5 + 2*b6 + b7
			s1 += b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7
		}
		for _, b := range q {
			s1 += uint32(b)
			s2 += s1
		}
		s1 %= adlerMod
		s2 %= adlerMod
	}
	r.s1, r.s2 = s1, s2
}

// close ends the stream and returns it.
func (r *rowDeflater) close() []byte {
	r.writeBlock(r.toks, true)
	r.toks = r.toks[:0]
	r.flush()
	return binary.BigEndian.AppendUint32(r.out, r.s2<<16|r.s1)
}

// deflater writes deflate blocks.
type deflater struct {
	out   []byte
	bits  uint64 // pending bits, the first in the lowest
	nbits uint
	table [1 << hashBits]int32 // position+1 of the last 4 bytes hashed there; 0: none
	toks  []token
}

// matchLen is how many bytes from data[i] equal those from data[j] (j < i),
// at most maxMatch, compared eight at a time.
func matchLen(data []byte, i, j int) int {
	limit := min(maxMatch, len(data)-i)
	k := 0
	for k+8 <= limit {
		x := binary.LittleEndian.Uint64(data[i+k:]) ^ binary.LittleEndian.Uint64(data[j+k:])
		if x != 0 {
			return k + bits.TrailingZeros64(x)/8
		}
		k += 8
	}
	for k < limit && data[i+k] == data[j+k] {
		k++
	}
	return k
}

// The length and distance codes of RFC 1951 section 3.2.5.
var (
	lengthCode  [256]uint16 // by length-3: the code less 257
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clOrder     = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

func init() {
	for c := range 29 {
		end := 256
		if c < 28 {
			end = int(lengthBase[c+1]) - 3
		}
		for l := int(lengthBase[c]) - 3; l < end && l < 255; l++ {
			lengthCode[l] = uint16(c)
		}
	}
	lengthCode[255] = 28 // length 258 has a code of its own
}

// distCode is the code of a distance less one.
func distCode(d uint32) int {
	if d < 4 {
		return int(d)
	}
	n := bits.Len32(d) - 1 // d >= 4: two codes per power of two
	return 2*n + int(d>>(n-1)&1)
}

// writeBlock writes tokens as one deflate block with dynamic Huffman codes.
func (e *deflater) writeBlock(toks []token, final bool) {

	var litFreq [286]int32
	var distFreq [30]int32
	for _, t := range toks {
		if t&matchFlag == 0 {
			litFreq[t]++
			continue
		}
		litFreq[257+lengthCode[t>>16&0xff]]++
		distFreq[distCode(uint32(t&0x7fff))]++
	}
	litFreq[endOfBlock] = 1
	atLeastTwo(litFreq[:])
	atLeastTwo(distFreq[:])
	var litLen [286]uint8
	var distLen [30]uint8
	huffmanLengths(litFreq[:], litLen[:], maxLitBits)
	huffmanLengths(distFreq[:], distLen[:], maxLitBits)
	nlit := 286
	for nlit > 257 && litLen[nlit-1] == 0 {
		nlit--
	}
	ndist := 30
	for ndist > 1 && distLen[ndist-1] == 0 {
		ndist--
	}

	// The code lengths, run-length coded with symbols 16, 17 and 18.
	lens := append(append(make([]uint8, 0, nlit+ndist), litLen[:nlit]...), distLen[:ndist]...)
	var clSyms []uint16 // symbol | extra bits value << 8
	for i := 0; i < len(lens); {
		l := lens[i]
		run := 1
		for i+run < len(lens) && lens[i+run] == l {
			run++
		}
		i += run
		if l == 0 {
			for run >= 11 {
				r := min(run, 138)
				clSyms = append(clSyms, 18|uint16(r-11)<<8)
				run -= r
			}
			if run >= 3 {
				clSyms = append(clSyms, 17|uint16(run-3)<<8)
				run = 0
			}
		} else {
			clSyms = append(clSyms, uint16(l))
			run--
			for run >= 3 {
				r := min(run, 6)
				clSyms = append(clSyms, 16|uint16(r-3)<<8)
				run -= r
			}
		}
		for ; run > 0; run-- {
			clSyms = append(clSyms, uint16(l))
		}
	}
	var clFreq [19]int32
	for _, s := range clSyms {
		clFreq[s&0xff]++
	}
	atLeastTwo(clFreq[:])
	var clLen [19]uint8
	huffmanLengths(clFreq[:], clLen[:], maxCLBits)
	nclen := 19
	for nclen > 4 && clLen[clOrder[nclen-1]] == 0 {
		nclen--
	}

	var litCode [286]uint16
	var distCodes [30]uint16
	var clCode [19]uint16
	canonicalCodes(litLen[:], litCode[:])
	canonicalCodes(distLen[:], distCodes[:])
	canonicalCodes(clLen[:], clCode[:])

	last := uint64(0)
	if final {
		last = 1
	}
	e.put(last|2<<1, 3) // BFINAL, BTYPE 10: dynamic codes
	e.put(uint64(nlit-257), 5)
	e.put(uint64(ndist-1), 5)
	e.put(uint64(nclen-4), 4)
	for _, s := range clOrder[:nclen] {
		e.put(uint64(clLen[s]), 3)
	}
	for _, s := range clSyms {
		sym := s & 0xff
		e.put(uint64(clCode[sym]), uint(clLen[sym]))
		switch sym {
		case 16:
			e.put(uint64(s>>8), 2)
		case 17:
			e.put(uint64(s>>8), 3)
		case 18:
			e.put(uint64(s>>8), 7)
		}
	}
	// The tokens, with the bit writer's state in locals. A literal is 15
	// bits at most, a length with its extra bits 20, a distance 28.
	out, acc, nbits := e.out, e.bits, e.nbits
	for _, t := range toks {
		if t&matchFlag == 0 {
			acc |= uint64(litCode[t]) << nbits
			nbits += uint(litLen[t])
		} else {
			l := uint32(t >> 16 & 0xff)
			c := lengthCode[l]
			n := uint(litLen[257+c])
			acc |= (uint64(litCode[257+c]) | uint64(l+3-uint32(lengthBase[c]))<<n) << nbits
			nbits += n + uint(lengthExtra[c])
			if nbits >= 32 {
				out = binary.LittleEndian.AppendUint32(out, uint32(acc))
				acc >>= 32
				nbits -= 32
			}
			d := uint32(t & 0x7fff)
			dc := distCode(d)
			n = uint(distLen[dc])
			acc |= (uint64(distCodes[dc]) | uint64(d+1-uint32(distBase[dc]))<<n) << nbits
			nbits += n + uint(distExtra[dc])
		}
		if nbits >= 32 {
			out = binary.LittleEndian.AppendUint32(out, uint32(acc))
			acc >>= 32
			nbits -= 32
		}
	}
	e.out, e.bits, e.nbits = out, acc, nbits
	e.put(uint64(litCode[endOfBlock]), uint(litLen[endOfBlock]))
}

// atLeastTwo gives one or two unused symbols of an alphabet a count, so
// that it has two at least. zlib refuses a code-length code with a single
// code and other decoders any alphabet with fewer than two; an unused code
// costs a few bits in the block header.
func atLeastTwo(freq []int32) {
	used := 0
	for _, f := range freq {
		if f > 0 {
			used++
		}
	}
	for s := 0; used < 2; s++ {
		if freq[s] == 0 {
			freq[s] = 1
			used++
		}
	}
}

// put adds the n lowest bits of v (n <= 32) to the output.
func (e *deflater) put(v uint64, n uint) {
	e.bits |= v << e.nbits
	e.nbits += n
	if e.nbits >= 32 {
		e.out = binary.LittleEndian.AppendUint32(e.out, uint32(e.bits))
		e.bits >>= 32
		e.nbits -= 32
	}
}

// flush writes the pending bits, padded to a whole byte.
func (e *deflater) flush() {
	for e.nbits > 0 {
		e.out = append(e.out, byte(e.bits))
		e.bits >>= 8
		e.nbits -= min(e.nbits, 8)
	}
}

// huffmanLengths sets lens to the code lengths of a Huffman code for freq,
// none longer than maxBits (0 for symbols never used). At least two
// symbols must have a count (see atLeastTwo).
func huffmanLengths(freq []int32, lens []uint8, maxBits int) {
	clear(lens)
	var syms []int
	for s, f := range freq {
		if f > 0 {
			syms = append(syms, s)
		}
	}
	// Least frequent first; ties by symbol, so the result is deterministic.
	slices.SortFunc(syms, func(a, b int) int {
		if freq[a] != freq[b] {
			return int(freq[a] - freq[b])
		}
		return a - b
	})
	// The tree, built with two queues: the sorted leaves, and the internal
	// nodes, which come out in order of weight. Node i < n is leaf syms[i].
	n := len(syms)
	weight := make([]int64, 2*n-1)
	parent := make([]int, 2*n-1)
	for i, s := range syms {
		weight[i] = int64(freq[s])
	}
	leaf, inner, next := 0, n, n
	pick := func() int {
		if leaf < n && (inner >= next || weight[leaf] <= weight[inner]) {
			leaf++
			return leaf - 1
		}
		inner++
		return inner - 1
	}
	for ; next < 2*n-1; next++ {
		a, b := pick(), pick()
		weight[next] = weight[a] + weight[b]
		parent[a], parent[b] = next, next
	}
	depth := make([]int, 2*n-1)
	for i := 2*n - 3; i >= 0; i-- { // the root, 2n-2, has depth 0
		depth[i] = depth[parent[i]] + 1
	}
	// Count codes per length, folding those too long into maxBits and then
	// lengthening shorter ones until the code is complete again.
	count := make([]int, max(maxBits, n)+1)
	for i := range n {
		count[min(depth[i], maxBits)]++
	}
	total := 0
	for l := 1; l <= maxBits; l++ {
		total += count[l] << (maxBits - l)
	}
	for total > 1<<maxBits {
		count[maxBits]--
		for l := maxBits - 1; l > 0; l-- {
			if count[l] > 0 {
				count[l]--
				count[l+1] += 2
				break
			}
		}
		total--
	}
	// The most frequent symbols (last in syms) get the shortest codes.
	i := n - 1
	for l := 1; l <= maxBits; l++ {
		for range count[l] {
			lens[syms[i]] = uint8(l)
			i--
		}
	}
}

// canonicalCodes sets codes to the canonical Huffman codes of lens (RFC
// 1951 section 3.2.2), bit-reversed as deflate writes them.
func canonicalCodes(lens []uint8, codes []uint16) {
	var count, next [16]uint16
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	code := uint16(0)
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	for s, l := range lens {
		if l == 0 {
			continue
		}
		codes[s] = bits.Reverse16(next[l]) >> (16 - l)
		next[l]++
	}
}
