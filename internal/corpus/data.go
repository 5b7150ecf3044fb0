package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Data describes a data corpus: bilingual briefs whose bodies compute
// figures and draw charts from generated market data, as a brief of the
// real site does. Each file of a brief makes MetricCalls metric calls
// (close, ret twice, sma, vol, drawdown, spread, corr, breadth and rank)
// and holds ChartsPerBrief chart blocks (a line chart with averages, a
// rebased comparison, and a bar, drawdown or volatility chart). The
// briefs' as-of dates are spread over the last years of the data, up to
// three weekdays apart, so that no two briefs draw the same chart.
type Data struct {
	Briefs  int    // bilingual briefs
	Symbols int    // price series, at least 3; 20 to a group, up to 10 groups
	Years   int    // of daily closes on weekdays, ending at Last
	Seed    uint64 // the same seed gives the same bytes
}

// Defaults of the data corpus, and what each of its files holds.
const (
	DefaultDataBriefs = 500
	DefaultSymbols    = 200
	DefaultYears      = 10

	MetricCalls    = 10
	ChartsPerBrief = 3
)

// history is how many weekdays of data precede the oldest brief's as-of
// date: a year of windows (1Y, YTD) and a margin.
const history = 300

// WriteData writes the content folder dir of a data corpus: site.toml,
// labels.toml, data/tickers.toml, data/prices/<symbol>.csv and the briefs.
// Like Write, it replaces only a folder it wrote.
func WriteData(dir string, d Data) error {
	if d.Briefs < 0 || d.Symbols < 3 || d.Years < 1 {
		return fmt.Errorf("corpus: %d briefs, %d symbols, %d years: expected briefs >= 0, symbols >= 3, years >= 1", d.Briefs, d.Symbols, d.Years)
	}
	days := weekdays(d.Years)
	step, err := d.step(len(days))
	if err != nil {
		return err
	}
	if err := prepare(dir); err != nil {
		return err
	}
	u := newUniverse(d.Symbols)
	files := map[string][]byte{
		marker:              fmt.Appendf(nil, "data corpus briefs=%d symbols=%d years=%d seed=%d\n", d.Briefs, d.Symbols, d.Years, d.Seed),
		"site.toml":         siteConfig(dataHeader, "data"),
		"labels.toml":       labelsTOML(),
		"data/tickers.toml": u.tickersTOML(),
	}
	for name, data := range u.prices(days, d.Seed) {
		files["data/"+name] = data
	}
	for i := range d.Briefs {
		b := u.brief(i, step, d.Seed)
		for l, lang := range Languages {
			files["briefs/"+b.Bundle+"/index."+lang+".md"] = b.Files[l]
		}
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// step returns how many weekdays apart the briefs are: 3, or fewer when the
// data is too short for that.
func (d Data) step(days int) (int, error) {
	if d.Briefs <= 1 {
		return 3, nil
	}
	step := min(3, (days-2-history)/(d.Briefs-1))
	if step < 1 {
		return 0, errors.New("corpus: too many briefs for the years of data: each needs its own as-of date and a year of history")
	}
	return step, nil
}

const dataHeader = `# Data corpus written by internal/corpus (make bench, cmd/corpus -data):
# bilingual briefs whose figures and charts come from generated market data
# in data/.
`

// brief generates data brief i, dated step*i weekdays back from Last, as
// of the weekday before.
func (u *universe) brief(i, step int, seed uint64) *Bundle {
	r := dataStream(seed, streamDataBrief, i)
	date, asof := Date(step*i), Date(step*i+1)
	a := r.IntN(u.symbols)
	b := (a + 1 + r.IntN(u.symbols-1)) % u.symbols
	c := a
	for c == a || c == b {
		c = r.IntN(u.symbols)
	}
	g := u.groupOf(a)
	m := &meta{date: date, asset: r.IntN(len(assets)), sector: r.IntN(len(sectors))}
	m.title = pair{
		fmt.Sprintf("%s对比%s：%s板块", u.nameZh(a), u.nameZh(b), g.zh),
		fmt.Sprintf("%s vs %s: %s", u.nameEn(a), u.nameEn(b), strings.ToLower(g.en)),
	}
	m.summary = pair{
		fmt.Sprintf("截至%s，%s与%s的收益、均线、波动率和相关性，以及%s板块的市场宽度与排名。", asof.Format(time.DateOnly), u.nameZh(a), u.nameZh(b), g.zh),
		fmt.Sprintf("Returns, averages, volatility and correlation of %s and %s as of %s, with breadth and ranks in %s.", u.nameEn(a), u.nameEn(b), asof.Format(time.DateOnly), strings.ToLower(g.en)),
	}
	m.bundle = date.Format(time.DateOnly) + "-" + slug(m.title.en)
	m.tags = drawTags(r)
	gn := &gen{r: r, m: m}

	A, B, C, G := u.key(a), u.key(b), u.key(c), g.key
	var d doc
	for l := range Languages {
		fmt.Fprintf(&d[l], "---\ntitle: %s\ndate: %s\nasof: %s\ntags: [%s]\nsummary: %s\n---\n\n",
			yamlString(pick(m.title, l)), date.Format(time.DateOnly), asof.Format(time.DateOnly),
			strings.Join(m.tags, ", "), yamlString(pick(m.summary, l)))
	}
	d.add(gn.paragraph(3, ""))
	d.add(pair{"## 行情数据\n\n", "## Figures\n\n"})
	// The ten metric calls: close, ret (twice), sma, vol, drawdown, spread,
	// corr, breadth, rank.
	d.add(pair{
		fmt.Sprintf(`截至{{ date asof }}，{{ name %[1]q }}收于{{ close %[1]q }}。{{ $m := ret %[1]q "1M" }}近一个月{{ updown $m }}{{ $m | abs | pct }}，年初至今{{ ret %[1]q "YTD" }}；五十日均线为{{ sma %[1]q 50 }}，二十日已实现波动率为{{ vol %[1]q 20 }}，过去一年最大回撤为{{ drawdown %[1]q "1Y" }}。`, A),
		fmt.Sprintf(`As of {{ date asof }}, {{ name %[1]q }} closed at {{ close %[1]q }}. {{ $m := ret %[1]q "1M" }}It {{ updown $m }} {{ $m | abs | pct }} over the month and is {{ ret %[1]q "YTD" }} year to date; its 50-day average is {{ sma %[1]q 50 }}, its 20-day realized volatility {{ vol %[1]q 20 }} and its worst fall over the past year {{ drawdown %[1]q "1Y" }}.`, A),
	})
	d.both("\n\n")
	d.add(pair{
		fmt.Sprintf(`{{ $s := spread %[1]q %[2]q "3M" }}近三个月，{{ name %[1]q }}{{ bysign $s "跑赢" "跑输" }}{{ name %[2]q }} {{ $s | abs | pp }}，两者过去60个交易日的日收益率相关系数为{{ corr %[1]q %[2]q 60 }}。`, A, B),
		fmt.Sprintf(`{{ $s := spread %[1]q %[2]q "3M" }}Over three months {{ name %[1]q }} {{ bysign $s "beat" "trailed" }} {{ name %[2]q }} by {{ $s | abs | pp }}; their daily returns over 60 sessions correlate at {{ corr %[1]q %[2]q 60 }}.`, A, B),
	})
	d.both("\n\n")
	d.both(chart("line", []string{A}, "", "6M", "overlays: [sma20, sma50]\n",
		pair{u.nameZh(a) + "与20日、50日均线", u.nameEn(a) + " with its 20- and 50-day averages"}))
	d.both(fmt.Sprintf("## {{ name %q }}\n\n", G))
	d.add(pair{
		fmt.Sprintf("{{ name %[1]q }}中有{{ breadth %[1]q 50 }}的成员收于50日均线上方。近一个月表现最好的三只：\n\n| 排名 | 名称 | 近一个月 |\n", G),
		fmt.Sprintf("{{ breadth %[1]q 50 }} of {{ name %[1]q }} close above their 50-day averages. The three best over the month:\n\n| Rank | Name | 1M |\n", G),
	})
	d.both(fmt.Sprintf("|---:|---|---:|\n{{ range top 3 (rank %q \"1M\") -}}\n| {{ .Rank }} | {{ .Name }} | {{ .Value }} |\n{{ end }}\n", G))
	d.both(chart("rebased", []string{A, B, C}, "", "1Y", "",
		pair{u.nameZh(a) + "、" + u.nameZh(b) + "与" + u.nameZh(c) + "（起点=100）", u.nameEn(a) + ", " + u.nameEn(b) + " and " + u.nameEn(c) + " (start = 100)"}))
	d.add(gn.paragraph(4, ""))
	switch i % 3 {
	case 0:
		d.both(chart("bar", nil, G, "3M", "", pair{g.zh + "板块成员近三个月收益率", g.en + ": members over three months"}))
	case 1:
		d.both(chart("drawdown", []string{A}, "", "1Y", "", pair{u.nameZh(a) + "过去一年的回撤", u.nameEn(a) + ": drawdown over the past year"}))
	default:
		d.both(chart("volatility", []string{A, B}, "", "6M", "window: 20\n", pair{"20日已实现波动率", "20-day realized volatility"}))
	}
	d.add(gn.paragraph(3, ""))
	var files [2][]byte
	for l := range Languages {
		files[l] = []byte(d[l].String())
	}
	return &Bundle{Bundle: m.bundle, Date: date, Tags: m.tags, Files: files}
}

// chart writes a chart block followed by a blank line; extra holds more
// lines of the spec.
func chart(typ string, symbols []string, group, period, extra string, title pair) string {
	var b strings.Builder
	b.WriteString("```chart\ntype: " + typ + "\n")
	if symbols != nil {
		b.WriteString("symbols: [" + strings.Join(symbols, ", ") + "]\n")
	}
	if group != "" {
		b.WriteString("group: " + group + "\n")
	}
	b.WriteString("period: " + period + "\n" + extra)
	b.WriteString("title: { zh: " + yamlString(title.zh) + ", en: " + yamlString(title.en) + " }\n```\n\n")
	return b.String()
}
