package market

import (
	"crypto/sha256"
	"encoding/binary"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Digest identifies what a view as of asof can see: the universe's
// symbols, names, kinds, groups and note, and every row on or before
// asof. Two universes give two views the same digest only if every
// metric computes the same through both, so a result computed as of asof
// can be reused while rows after asof arrive.
func (u *Universe) Digest(asof time.Time) [sha256.Size]byte {
	u.digestOnce.Do(u.prepareDigest)
	y, m, d := asof.Date()
	asof = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	h := sha256.New()
	h.Write(u.meta[:])
	var buf [8]byte
	for _, s := range u.digestOrder {
		ser := u.Symbols[s].Series
		n := sort.Search(len(ser.Dates), func(i int) bool { return ser.Dates[i].After(asof) })
		var p uint64
		if n > 0 {
			p = u.prefix[s][n-1]
		}
		binary.LittleEndian.PutUint64(buf[:], uint64(n))
		h.Write(buf[:])
		binary.LittleEndian.PutUint64(buf[:], p)
		h.Write(buf[:])
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// prepareDigest hashes the universe's description and, for each series,
// the running hash of its rows: prefix[sym][i] covers rows 0..i.
func (u *Universe) prepareDigest() {
	h := sha256.New()
	str := func(s string) {
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], uint64(len(s)))
		h.Write(buf[:])
		h.Write([]byte(s))
	}
	names := func(m map[string]string) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			str(k)
			str(m[k])
		}
		str("")
	}
	names(u.Note)
	u.digestOrder = slices.Sorted(maps.Keys(u.Symbols))
	u.prefix = make(map[string][]uint64, len(u.Symbols))
	for _, k := range u.digestOrder {
		s := u.Symbols[k]
		str(k)
		str(s.Kind)
		names(s.Name)
		ser := s.Series
		pre := make([]uint64, len(ser.Dates))
		var x uint64
		for i, d := range ser.Dates {
			x = mix(x ^ mix(uint64(d.Unix())))
			x = mix(x ^ math.Float64bits(ser.Closes[i]))
			for _, col := range [...][]float64{ser.Opens, ser.Highs, ser.Lows, ser.Volumes} {
				if col != nil {
					x = mix(x ^ math.Float64bits(col[i]))
				}
			}
			pre[i] = x
		}
		u.prefix[k] = pre
	}
	for _, k := range slices.Sorted(maps.Keys(u.Groups)) {
		g := u.Groups[k]
		str(k)
		names(g.Name)
		str(strings.Join(g.Members, "\x00"))
	}
	h.Sum(u.meta[:0])
}

// mix is the splitmix64 finalizer: every input bit affects every output
// bit.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// digestState is the part of a Universe that Digest computes once.
type digestState struct {
	digestOnce  sync.Once
	meta        [sha256.Size]byte
	digestOrder []string
	prefix      map[string][]uint64
}
