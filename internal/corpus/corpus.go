// Package corpus generates a deterministic benchmark corpus: a content folder
// of N bilingual briefs (zh, en) of plain Markdown, about 9 KB per file, with
// headings, lists, a table, emphasis, links and footnotes, but no template
// actions, no charts and no market data.
//
// The bundles are Hugo page bundles too (briefs/<bundle>/index.zh.md and
// index.en.md, YAML front matter with title, date, tags and summary only),
// so the same Markdown can be built by Hugo for comparison.
//
// Brief i (0 is the newest) is dated the i-th weekday back from 2026-11-20
// and drawn from its own random streams, so a smaller corpus holds the same
// bundles as the newest part of a larger one (only the oldest brief's link
// to its predecessor differs). The same seed gives the same bytes.
//
// WriteData writes the other corpus of the benchmark: briefs whose bodies
// call metric functions and hold chart blocks, over generated daily prices
// of many symbols (see Data).
package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Defaults of the benchmark corpus.
const (
	DefaultN    = 2000
	DefaultSeed = 1
)

// Last is the date of the newest brief.
var Last = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// marker is written into the corpus folder; Write replaces only a folder that
// holds it (or an empty or missing one).
const marker = ".corpus"

// Languages are the corpus languages, default first.
var Languages = []string{"zh", "en"}

// Write writes the content folder dir: site.toml, labels.toml and n bundles
// under briefs/. An existing dir is replaced if Write made it and refused if
// it holds anything else.
func Write(dir string, n int, seed uint64) error {
	if n < 0 {
		return fmt.Errorf("corpus: n = %d: expected a count >= 0", n)
	}
	if err := prepare(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "briefs"), 0o755); err != nil {
		return err
	}
	files := map[string][]byte{
		marker:        fmt.Appendf(nil, "corpus n=%d seed=%d\n", n, seed),
		"site.toml":   siteConfig(plainHeader, ""),
		"labels.toml": labelsTOML(),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	for i := range n {
		b := Brief(i, n, seed)
		bdir := filepath.Join(dir, "briefs", b.Bundle)
		if err := os.Mkdir(bdir, 0o755); err != nil {
			return err
		}
		for l, lang := range Languages {
			if err := os.WriteFile(filepath.Join(bdir, "index."+lang+".md"), b.Files[l], 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// prepare removes dir if it is a corpus folder, and checks that it is empty or
// missing otherwise.
func prepare(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
		return fmt.Errorf("corpus: %s is not empty and was not written by corpus (no %s): not replacing it", dir, marker)
	}
	return os.RemoveAll(dir)
}

// Bundle is one generated brief in both languages.
type Bundle struct {
	Bundle string    // folder name: 2026-11-20-slug
	Date   time.Time // publication date
	Tags   []string
	Files  [2][]byte // index.zh.md, index.en.md
}

// Brief generates brief i of a corpus of n briefs.
func Brief(i, n int, seed uint64) *Bundle {
	m := newMeta(i, seed)
	prev := ""
	if i+1 < n {
		prev = "../" + newMeta(i+1, seed).bundle + "/"
	}
	g := &gen{r: stream(seed, i, 1), m: m}
	return &Bundle{Bundle: m.bundle, Date: m.date, Tags: m.tags, Files: g.files(prev)}
}

// Date returns the date of brief i: the i-th weekday back from Last.
func Date(i int) time.Time {
	// Last is a Friday: each week back holds five briefs, Friday to Monday.
	return Last.AddDate(0, 0, -7*(i/5)-i%5)
}

// stream returns the random stream k of brief i.
func stream(seed uint64, i, k int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, mix(uint64(i)<<2|uint64(k))))
}

// mix is splitmix64's finalizer: it spreads consecutive indexes over the
// whole stream space.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// meta is what a brief's neighbours need to know of it, drawn from its own
// stream: date, title, bundle name, tags, summary and its main subjects.
type meta struct {
	date    time.Time
	title   pair
	summary pair
	bundle  string
	tags    []string
	asset   int // the asset and sector the brief is mostly about
	sector  int
}

func newMeta(i int, seed uint64) *meta {
	r := stream(seed, i, 0)
	m := &meta{date: Date(i), asset: r.IntN(len(assets)), sector: r.IntN(len(sectors))}
	g := &gen{r: r, m: m}
	m.title = g.fill(titles[r.IntN(len(titles))])
	m.summary = g.fill(summaries[r.IntN(len(summaries))])
	m.bundle = m.date.Format(time.DateOnly) + "-" + slug(m.title.en)
	m.tags = drawTags(r)
	return m
}

// drawTags draws 2 to 4 distinct tags with weights 1/rank.
func drawTags(r *rand.Rand) []string {
	w := make([]float64, len(tags))
	total := 0.0
	for i := range w {
		w[i] = 1 / float64(i+1)
		total += w[i]
	}
	var out []string
	for range 2 + r.IntN(3) {
		x := r.Float64() * total
		k := 0
		for k < len(w)-1 && (w[k] == 0 || x >= w[k]) {
			x -= w[k]
			k++
		}
		for w[k] == 0 { // rounding at the end of the range
			k--
		}
		out = append(out, tags[k].key)
		total -= w[k]
		w[k] = 0
	}
	return out
}

// slug makes a URL segment of an English title: lower-case ASCII letters
// and digits, hyphens between words, at most 50 bytes at a word boundary.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		} else {
			dash = true
		}
	}
	out := b.String()
	for len(out) > 50 {
		cut := strings.LastIndexByte(out[:50], '-')
		if cut <= 0 {
			return out[:50]
		}
		out = out[:cut]
	}
	return out
}

// gen writes text from the word banks.
type gen struct {
	r     *rand.Rand
	m     *meta
	decks map[*pair]*deck // by bank: sentences, bullets
}

// deck deals the entries of a bank in a shuffled order, reshuffled when
// all are dealt, so that a brief repeats a sentence only after using all.
type deck struct {
	order []int
	next  int
}

// deal returns the next entry of bank.
func (g *gen) deal(bank []pair) pair {
	if g.decks == nil {
		g.decks = map[*pair]*deck{}
	}
	d := g.decks[&bank[0]]
	if d == nil || d.next == len(d.order) {
		d = &deck{order: g.r.Perm(len(bank))}
		g.decks[&bank[0]] = d
	}
	d.next++
	return bank[d.order[d.next-1]]
}

// slots are the values of one text's placeholders, the same in both
// languages.
type slots struct {
	a, b, s, t, v, w int
	up, gain         bool
	p, q             float64
	n, k             int
	level            float64
	emA, emS         bool // wrap $A in ** and $S in *
	x, y             pair // $X, $Y: free values (a link's text and URL)
}

func (g *gen) draw() *slots {
	r := g.r
	s := &slots{
		a: r.IntN(len(assets)), b: r.IntN(len(assets) - 1),
		s: r.IntN(len(sectors)), t: r.IntN(len(sectors) - 1),
		v: r.IntN(len(drivers)), w: r.IntN(len(drivers) - 1),
		up: r.IntN(2) == 0, gain: r.IntN(2) == 0,
		p: 0.2 + 5.8*r.Float64(), q: 0.2 + 5.8*r.Float64(),
		n: 3 + r.IntN(13), k: 3 + r.IntN(38),
	}
	// Half of the mentions are of the brief's own subjects.
	if r.IntN(2) == 0 {
		s.a = g.m.asset
	}
	if r.IntN(2) == 0 {
		s.s = g.m.sector
	}
	// Second picks differ from the first.
	if s.b >= s.a {
		s.b++
	}
	if s.t >= s.s {
		s.t++
	}
	if s.w >= s.v {
		s.w++
	}
	s.level = assets[s.a].level * (0.85 + 0.3*r.Float64())
	return s
}

// fill draws slots and fills p with them.
func (g *gen) fill(p pair) pair { return g.fillWith(p, g.draw()) }

func (g *gen) fillWith(p pair, s *slots) pair {
	return pair{expand(p.zh, s, 0), capFirst(expand(p.en, s, 1))}
}

// expand replaces the placeholders of text in language l (0 zh, 1 en).
func expand(text string, s *slots, l int) string {
	var b strings.Builder
	b.Grow(len(text) + 64)
	pick := func(p pair) string {
		if l == 0 {
			return p.zh
		}
		return p.en
	}
	either := func(c bool, yes, no pair) string {
		if c {
			return pick(yes)
		}
		return pick(no)
	}
	for {
		i := strings.IndexByte(text, '$')
		if i < 0 || i+1 == len(text) {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		c := text[i+1]
		text = text[i+2:]
		switch c {
		case 'A':
			a := pick(pair{assets[s.a].zh, assets[s.a].en})
			if s.emA {
				a = "**" + a + "**"
			}
			b.WriteString(a)
		case 'B':
			b.WriteString(pick(pair{assets[s.b].zh, assets[s.b].en}))
		case 'S':
			sec := pick(sectors[s.s])
			if s.emS {
				sec = "*" + sec + "*"
			}
			b.WriteString(sec)
		case 'T':
			b.WriteString(pick(sectors[s.t]))
		case 'V':
			b.WriteString(pick(drivers[s.v]))
		case 'W':
			b.WriteString(pick(drivers[s.w]))
		case 'U':
			b.WriteString(either(s.up, pair{"上涨", "rose"}, pair{"下跌", "fell"}))
		case 'G':
			b.WriteString(either(s.gain, pair{"跑赢", "outperformed"}, pair{"跑输", "lagged"}))
		case 'M':
			b.WriteString(either(s.up, pair{"走高", "climbs"}, pair{"走低", "slips"}))
		case 'P':
			b.WriteString(pct(s.p))
		case 'Q':
			b.WriteString(pct(s.q))
		case 'N':
			b.WriteString(strconv.Itoa(s.n))
		case 'K':
			b.WriteString(strconv.Itoa(s.k))
		case 'L':
			b.WriteString(number(s.level))
		case 'X':
			b.WriteString(pick(s.x))
		case 'Y':
			b.WriteString(pick(s.y))
		default:
			b.WriteByte('$')
			b.WriteByte(c)
		}
	}
}

// capFirst upper-cases the first letter of an English text, past any
// leading emphasis marks.
func capFirst(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			return s[:i] + string(c-'a'+'A') + s[i+1:]
		}
		if c != '*' {
			return s
		}
	}
	return s
}

func pct(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) + "%" }

func signed(x float64) string {
	if x >= 0 {
		return "+" + pct(x)
	}
	return "-" + pct(-x)
}

// number formats x with two decimals and thousands separators: 12,345.67.
func number(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + "." + frac
}

// doc is a file being written in both languages.
type doc [2]strings.Builder

func (d *doc) add(p pair) {
	d[0].WriteString(p.zh)
	d[1].WriteString(p.en)
}

func (d *doc) both(s string) { d.add(pair{s, s}) }

// paragraph writes k sentences as one paragraph, then suffix, then a blank
// line.
func (g *gen) paragraph(k int, suffix string) pair {
	var zh, en []string
	for range k {
		s := g.draw()
		s.emA = g.r.IntN(6) == 0
		s.emS = !s.emA && g.r.IntN(8) == 0
		p := g.fillWith(g.deal(sentences), s)
		zh, en = append(zh, p.zh), append(en, p.en)
	}
	return pair{strings.Join(zh, "") + suffix + "\n\n", strings.Join(en, " ") + suffix + "\n\n"}
}

func heading(level int, p pair) pair {
	h := strings.Repeat("#", level) + " "
	return pair{h + p.zh + "\n\n", h + p.en + "\n\n"}
}

// files writes both language files of the brief. prev is the relative link
// to the previous brief, if any.
func (g *gen) files(prev string) [2][]byte {
	r, m := g.r, g.m
	target := 8300 + r.IntN(1000) // bytes per file, front matter included

	var head, tail doc
	for l := range Languages {
		t := pair{m.title.zh, m.title.en}
		s := pair{m.summary.zh, m.summary.en}
		fmt.Fprintf(&head[l], "---\ntitle: %s\ndate: %s\ntags: [%s]\nsummary: %s\n---\n\n",
			yamlString(pick(t, l)), m.date.Format(time.DateOnly), strings.Join(m.tags, ", "), yamlString(pick(s, l)))
	}

	// Introduction and overview: prose with a footnote, a bulleted list.
	head.add(g.paragraph(3+r.IntN(2), ""))
	head.add(heading(2, hOverview))
	head.add(g.paragraph(3+r.IntN(3), "[^1]"))
	for _, a := range r.Perm(len(assets))[:4+r.IntN(3)] {
		s := g.draw()
		s.a = a
		if s.b == a {
			s.b = (a + 1) % len(assets)
		}
		p := g.fillWith(g.deal(bullets), s)
		head.add(pair{"- **" + assets[s.a].zh + "**：" + p.zh + "\n", "- **" + assets[s.a].short + "**: " + p.en + "\n"})
	}
	head.both("\n")

	// A table of made-up closes.
	head.add(heading(2, hTable))
	head.add(pair{tableLead.zh + "\n\n", tableLead.en + "\n\n"})
	head.add(pair{tableHead.zh + "\n", tableHead.en + "\n"})
	head.both("|---|---:|---:|---:|\n")
	for _, a := range r.Perm(len(assets))[:6+r.IntN(4)] {
		level := number(assets[a].level * (0.85 + 0.3*r.Float64()))
		row := fmt.Sprintf(" | %s | %s | %s |\n", level, signed(4*r.NormFloat64()), signed(12*r.NormFloat64()))
		head.add(pair{"| " + assets[a].zh + row, "| " + assets[a].short + row})
	}
	head.both("\n")
	head.add(g.paragraph(2+r.IntN(2), ""))

	// Drivers: a numbered list with links.
	head.add(heading(2, hDrivers))
	for i, v := range r.Perm(len(drivers))[:3+r.IntN(3)] {
		s := g.draw()
		note := g.fillWith(driverNotes[r.IntN(len(driverNotes))], s)
		lk := links[r.IntN(len(links))]
		s.x, s.y = pair{lk.zh, lk.en}, pair{lk.url, lk.url}
		see := g.fillWith(seeLink, s)
		head.add(pair{
			fmt.Sprintf("%d. **%s**：%s%s\n", i+1, drivers[v].zh, note.zh, see.zh),
			fmt.Sprintf("%d. **%s**: %s %s\n", i+1, capFirst(drivers[v].en), note.en, see.en),
		})
	}
	head.both("\n")
	head.add(g.paragraph(3+r.IntN(2), "[^2]"))
	head.add(heading(2, hDepth))

	// Risks, outlook and the footnotes.
	tail.add(heading(2, hRisks))
	tail.add(pair{risksLead.zh + "\n\n", risksLead.en + "\n\n"})
	for _, v := range r.Perm(len(drivers))[:3+r.IntN(2)] {
		p := g.fill(risks[r.IntN(len(risks))])
		tail.add(pair{"- **" + drivers[v].zh + "**：" + p.zh + "\n", "- **" + capFirst(drivers[v].en) + "**: " + p.en + "\n"})
	}
	tail.both("\n")
	if prev != "" {
		p := g.paragraph(2, "")
		see := g.fillWith(prevLink, &slots{y: pair{prev, prev}})
		tail.add(pair{strings.TrimSuffix(p.zh, "\n\n") + see.zh + "\n\n", strings.TrimSuffix(p.en, "\n\n") + " " + see.en + "\n\n"})
	}
	tail.add(heading(2, hOutlook))
	tail.add(g.paragraph(3+r.IntN(2), "[^3]"))
	for i, f := range r.Perm(len(footnotes))[:3] {
		tail.add(pair{fmt.Sprintf("[^%d]: %s\n", i+1, footnotes[f].zh), fmt.Sprintf("[^%d]: %s\n", i+1, footnotes[f].en)})
	}

	// In depth: subsections of prose until each language reaches the target.
	var out [2][]byte
	var depth doc
	done := [2]bool{}
	for k := 0; !done[0] || !done[1]; k++ {
		var unit pair
		if k%2 == 0 {
			h := g.fill(subheads[r.IntN(len(subheads))])
			unit = heading(3, h)
		}
		p := g.paragraph(3+r.IntN(3), "")
		unit.zh += p.zh
		unit.en += p.en
		for l := range Languages {
			if done[l] {
				continue
			}
			depth[l].WriteString(pick(unit, l))
			if head[l].Len()+depth[l].Len()+tail[l].Len() >= target {
				done[l] = true
			}
		}
	}
	for l := range Languages {
		out[l] = []byte(head[l].String() + depth[l].String() + tail[l].String())
	}
	return out
}

func pick(p pair, l int) string {
	if l == 0 {
		return p.zh
	}
	return p.en
}

// yamlString quotes s as a YAML double-quoted scalar.
func yamlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

const plainHeader = `# Benchmark corpus written by cmd/corpus (internal/corpus): plain bilingual
# briefs, no market data.
`

// siteConfig is a corpus's site.toml: header (comment lines), then the
// settings, with dataDir when it is not "".
func siteConfig(header, dataDir string) []byte {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("baseURL = \"https://briefs.example.org/\"\ndefaultLanguage = \"zh\"\n")
	if dataDir != "" {
		fmt.Fprintf(&b, "dataDir = %q\n", dataDir)
	}
	b.WriteString(siteSettings)
	return []byte(b.String())
}

const siteSettings = `paginate = 10
timeZone = "America/New_York"

[languages.zh]
code = "zh-CN"
name = "中文"
weight = 1
title = "市场简报"
description = "以数据为依据的美股与跨资产市场简报：收益、均线、波动率与板块轮动。"
disclaimer = "本站内容为自动生成的测试文本，仅供性能测试，不构成任何投资建议。"

[languages.en]
code = "en"
name = "English"
weight = 2
title = "Market Briefs"
description = "Data-driven briefs on US equities and cross-asset markets: returns, moving averages, volatility and sector rotation."
disclaimer = "Content on this site is generated test text for benchmarks. It is not investment advice."
`

func labelsTOML() []byte {
	var b strings.Builder
	b.WriteString("# Localized names of the corpus's tag keys.\n\n[tags]\n")
	for _, t := range tags {
		fmt.Fprintf(&b, "%s = { zh = %q, en = %q }\n", t.key, t.zh, t.en)
	}
	return []byte(b.String())
}
