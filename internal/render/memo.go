package render

import (
	"crypto/sha256"
	"encoding/binary"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Memo keeps what one render made for the next, so that rendering the same
// site again does only the work whose inputs changed: a brief's Markdown
// and metrics are keyed by the hash of its source, its data window (every
// row up to its as-of date), the configuration and the UI strings; a page
// or feed by the hash of everything its layout can see. What a render did
// not use is dropped, so the memo holds one site. Renders must not run
// concurrently on one Memo; the zero Memo is ready.
type Memo struct {
	briefs map[key]*BriefView // prepared views by prepare key
	files  map[string]memoFile
	images map[string][]byte // chart images by output path

	mu         sync.Mutex
	nextBriefs map[key]*BriefView
	nextFiles  map[string]memoFile
	nextImages map[string][]byte
}

type memoFile struct {
	key     key
	data    []byte
	sitemap *sitemapURL // the page's sitemap entry, for pages that keep it
}

// Stats says how much of a render was done and how much was reused.
type Stats struct {
	Prepared, PreparedReused int // briefs: Markdown, metrics, charts
	Rendered, RenderedReused int // pages and feeds
}

func (m *Memo) begin() {
	if m == nil {
		return
	}
	m.nextBriefs = make(map[key]*BriefView, len(m.briefs))
	m.nextFiles = make(map[string]memoFile, len(m.files))
	m.nextImages = make(map[string][]byte, len(m.images))
}

// size is about how many files the last render made.
func (m *Memo) size() int {
	if m == nil {
		return 0
	}
	return len(m.files) + 2*len(m.images) + 16
}

// commit makes what this render used the memo of the next one. It is
// called only when the render succeeded, so a failed render leaves the
// memo of the last good one.
func (m *Memo) commit() {
	if m == nil {
		return
	}
	m.briefs, m.files, m.images = m.nextBriefs, m.nextFiles, m.nextImages
	m.nextBriefs, m.nextFiles, m.nextImages = nil, nil, nil
}

func (m *Memo) brief(k key) *BriefView {
	if m == nil {
		return nil
	}
	v := m.briefs[k]
	if v != nil {
		m.keepBrief(k, v)
	}
	return v
}

func (m *Memo) keepBrief(k key, v *BriefView) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.nextBriefs[k] = v
	m.mu.Unlock()
}

// file returns what the last render made of path from the inputs whose
// key is k.
func (m *Memo) file(path string, k key) (memoFile, bool) {
	if m == nil {
		return memoFile{}, false
	}
	f, ok := m.files[path]
	if !ok || f.key != k {
		return memoFile{}, false
	}
	m.keepFile(path, f)
	return f, true
}

func (m *Memo) keepFile(path string, f memoFile) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.nextFiles[path] = f
	m.mu.Unlock()
}

func (m *Memo) image(name string) ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	data, ok := m.images[name]
	if ok {
		m.keepImage(name, data)
	}
	return data, ok
}

func (m *Memo) keepImage(name string, data []byte) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.nextImages[name] = data
	m.mu.Unlock()
}

// key is a SHA-256 digest of the inputs of a piece of output.
type key = [sha256.Size]byte

// hasher writes values unambiguously (each with its length) into a
// buffer whose SHA-256 digest is the key.
type hasher struct {
	buf []byte
}

func newHasher(kind string) *hasher {
	x := &hasher{buf: make([]byte, 0, 1024)}
	x.str(kind)
	return x
}

func (x *hasher) int(n int) *hasher {
	x.buf = binary.LittleEndian.AppendUint64(x.buf, uint64(n))
	return x
}

func (x *hasher) str(s string) *hasher {
	x.buf = binary.AppendUvarint(x.buf, uint64(len(s)))
	x.buf = append(x.buf, s...)
	return x
}

func (x *hasher) bool(b bool) *hasher {
	if b {
		return x.int(1)
	}
	return x.int(0)
}

func (x *hasher) time(t time.Time) *hasher {
	b, _ := t.MarshalBinary()
	return x.str(string(b))
}

func (x *hasher) key(k key) *hasher {
	x.buf = append(x.buf, k[:]...)
	return x
}

func (x *hasher) strings(m map[string]string) *hasher {
	x.int(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		x.str(k).str(m[k])
	}
	return x
}

func (x *hasher) done() key { return sha256.Sum256(x.buf) }

// Page digests. Each covers every field a layout can reach from the value;
// TestDigestsCoverFields fails when a field is added without being hashed.

func (x *hasher) link(l Link) {
	x.str(l.Lang).str(l.Code).str(l.Name).str(l.URL).str(l.Type).bool(l.Current).bool(l.Missing)
}

func (x *hasher) links(ls []Link) {
	x.int(len(ls))
	for _, l := range ls {
		x.link(l)
	}
}

func (x *hasher) tag(t TagView) {
	x.str(t.Key).str(t.Slug).str(t.Name).str(t.URL).int(t.Count)
}

// series covers a SeriesView; its latest issue by its key and path.
func (x *hasher) series(s SeriesView) {
	x.str(s.Name).str(s.Title).str(s.Summary).str(s.URL).int(s.Count).bool(s.Latest != nil)
	if s.Latest != nil {
		x.key(s.Latest.key).str(s.Latest.Path)
		x.issue(s.Latest.Issue)
	}
}

// snapshot covers a SnapshotView.
func (x *hasher) snapshot(s *SnapshotView) {
	x.bool(s != nil)
	if s == nil {
		return
	}
	x.time(s.AsOf).int(len(s.Tickers))
	for _, t := range s.Tickers {
		x.str(t.Symbol).str(t.Name).str(t.Close).str(t.Change).str(t.CloseTitle).str(t.ChangeTitle).str(t.Dir).
			str(strconv.FormatFloat(t.CloseValue, 'g', -1, 64)).str(strconv.FormatFloat(t.ChangeValue, 'g', -1, 64))
	}
}

// issue covers an IssueView.
func (x *hasher) issue(i *IssueView) {
	x.bool(i != nil)
	if i != nil {
		x.str(i.Series).str(i.Title).str(i.URL).str(i.Key).str(i.Period).int(i.Number).str(i.Prev).str(i.PrevPeriod).str(i.Next).str(i.NextPeriod)
	}
}

// nav covers a BriefNav.
func (x *hasher) nav(n *BriefNav) {
	x.bool(n != nil)
	if n == nil {
		return
	}
	link := func(l NavLink) { x.str(l.Title).str(l.URL).time(l.Date) }
	for _, l := range []*NavLink{n.Prev, n.Next} {
		x.bool(l != nil)
		if l != nil {
			link(*l)
		}
	}
	x.int(len(n.Related))
	for _, l := range n.Related {
		link(l)
	}
}

// pageKey returns the key of page p rendered with layout kind, on a site
// whose own key is site.
func pageKey(site key, kind string, p *Page) key {
	x := newHasher("page").key(site).str(kind)
	x.str(p.Kind).str(p.Lang.Key).str(p.Title).str(p.Description).str(p.Path).str(p.URL).str(p.Permalink)
	x.links(p.Alternates)
	x.links(p.Switch)
	x.links(p.Feeds)
	x.bool(p.NoIndex)
	x.bool(p.Brief != nil)
	if p.Brief != nil {
		x.key(p.Brief.key)
		x.issue(p.Brief.Issue)
		x.nav(p.Brief.Nav)
	}
	x.bool(p.List != nil)
	if l := p.List; l != nil {
		x.int(len(l.Briefs))
		for _, v := range l.Briefs {
			x.key(v.key)
		}
		pg := l.Pager
		x.int(pg.Number).int(pg.Total).str(pg.Prev).str(pg.Next).int(len(pg.Pages))
		for _, pl := range pg.Pages {
			x.int(pl.Number).str(pl.URL).bool(pl.Current).bool(pl.Gap)
		}
		x.bool(l.Tag != nil)
		if l.Tag != nil {
			x.tag(*l.Tag)
		}
		x.bool(l.Series != nil)
		if l.Series != nil {
			x.series(*l.Series)
		}
		x.int(len(l.Latest))
		for _, s := range l.Latest {
			x.series(s)
		}
	}
	x.int(len(p.Tags))
	for _, t := range p.Tags {
		x.tag(t)
	}
	return x.done()
}
