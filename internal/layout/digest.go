package layout

import (
	"crypto/sha256"
	"encoding/binary"
	"maps"
	"slices"
	"strconv"
	"time"
)

// Key is a SHA-256 digest of the inputs of a piece of output.
type Key = [sha256.Size]byte

// Hasher writes values unambiguously (each with its length) into a
// buffer whose SHA-256 digest is the key of what they make: a page is
// reused when the key of its inputs is unchanged.
type Hasher struct {
	buf []byte
}

// NewHasher starts the key of a kind of output.
func NewHasher(kind string) *Hasher {
	x := &Hasher{buf: make([]byte, 0, 1024)}
	x.Str(kind)
	return x
}

func (x *Hasher) Int(n int) *Hasher {
	x.buf = binary.LittleEndian.AppendUint64(x.buf, uint64(n))
	return x
}

func (x *Hasher) Str(s string) *Hasher {
	x.buf = binary.AppendUvarint(x.buf, uint64(len(s)))
	x.buf = append(x.buf, s...)
	return x
}

func (x *Hasher) Bool(b bool) *Hasher {
	if b {
		return x.Int(1)
	}
	return x.Int(0)
}

func (x *Hasher) Time(t time.Time) *Hasher {
	b, _ := t.MarshalBinary()
	return x.Str(string(b))
}

func (x *Hasher) Key(k Key) *Hasher {
	x.buf = append(x.buf, k[:]...)
	return x
}

func (x *Hasher) Strings(m map[string]string) *Hasher {
	x.Int(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		x.Str(k).Str(m[k])
	}
	return x
}

// Sum returns the key.
func (x *Hasher) Sum() Key { return sha256.Sum256(x.buf) }

// Page digests. Each covers every field a layout can reach from the value;
// TestDigestsCoverFields fails when a field is added without being hashed.

func (x *Hasher) Link(l Link) {
	x.Str(l.Lang).Str(l.Code).Str(l.Name).Str(l.URL).Str(l.Type).Bool(l.Current).Bool(l.Missing)
}

func (x *Hasher) Links(ls []Link) {
	x.Int(len(ls))
	for _, l := range ls {
		x.Link(l)
	}
}

func (x *Hasher) Tag(t TagView) {
	x.Str(t.Key).Str(t.Slug).Str(t.Name).Str(t.URL).Int(t.Count)
}

// series covers a SeriesView; its latest issue by its key and path.
func (x *Hasher) Series(s SeriesView) {
	x.Str(s.Name).Str(s.Title).Str(s.Summary).Str(s.URL).Int(s.Count).Bool(s.Latest != nil)
	if s.Latest != nil {
		x.Str(s.Latest.Key).Str(s.Latest.Path)
		x.Issue(s.Latest.Issue)
	}
}

// Snapshot covers a SnapshotView.
func (x *Hasher) Snapshot(s *SnapshotView) {
	x.Bool(s != nil)
	if s == nil {
		return
	}
	x.Time(s.AsOf).Int(len(s.Tickers))
	for _, t := range s.Tickers {
		x.Str(t.Symbol).Str(t.Name).Str(t.Close).Str(t.Change).Str(t.CloseTitle).Str(t.ChangeTitle).Str(t.Dir).
			Str(strconv.FormatFloat(t.CloseValue, 'g', -1, 64)).Str(strconv.FormatFloat(t.ChangeValue, 'g', -1, 64))
	}
}

// issue covers an IssueView.
func (x *Hasher) Issue(i *IssueView) {
	x.Bool(i != nil)
	if i != nil {
		x.Str(i.Series).Str(i.Title).Str(i.URL).Str(i.Key).Str(i.Period).Int(i.Number).Str(i.Prev).Str(i.PrevPeriod).Str(i.Next).Str(i.NextPeriod)
	}
}

// nav covers a BriefNav.
func (x *Hasher) Nav(n *BriefNav) {
	x.Bool(n != nil)
	if n == nil {
		return
	}
	link := func(l NavLink) { x.Str(l.Title).Str(l.URL).Time(l.Date) }
	for _, l := range []*NavLink{n.Prev, n.Next} {
		x.Bool(l != nil)
		if l != nil {
			link(*l)
		}
	}
	x.Int(len(n.Related))
	for _, l := range n.Related {
		link(l)
	}
}

// PageKey returns the key of page p rendered with layout kind, on a site
// whose own key is site.
func PageKey(site Key, kind string, p *Page) Key {
	x := NewHasher("page").Key(site).Str(kind)
	x.Str(p.Kind).Str(p.Lang.Key).Str(p.Title).Str(p.Description).Str(p.Path).Str(p.URL).Str(p.Permalink)
	x.Links(p.Alternates)
	x.Links(p.Switch)
	x.Links(p.Feeds)
	x.Bool(p.NoIndex)
	x.Bool(p.Brief != nil)
	if p.Brief != nil {
		x.Str(p.Brief.Key)
		x.Issue(p.Brief.Issue)
		x.Nav(p.Brief.Nav)
	}
	x.Bool(p.List != nil)
	if l := p.List; l != nil {
		x.Int(len(l.Briefs))
		for _, v := range l.Briefs {
			x.Str(v.Key)
		}
		pg := l.Pager
		x.Int(pg.Number).Int(pg.Total).Str(pg.Prev).Str(pg.Next).Int(len(pg.Pages))
		for _, pl := range pg.Pages {
			x.Int(pl.Number).Str(pl.URL).Bool(pl.Current).Bool(pl.Gap)
		}
		x.Bool(l.Tag != nil)
		if l.Tag != nil {
			x.Tag(*l.Tag)
		}
		x.Bool(l.Series != nil)
		if l.Series != nil {
			x.Series(*l.Series)
		}
		x.Int(len(l.Latest))
		for _, s := range l.Latest {
			x.Series(s)
		}
	}
	x.Int(len(p.Tags))
	for _, t := range p.Tags {
		x.Tag(t)
	}
	return x.Sum()
}
