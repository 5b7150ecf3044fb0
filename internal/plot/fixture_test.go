package plot

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefs/internal/market"
)

// The market of the tests of the new chart types, written as files so
// that pandas reads what the loader reads: an index with open, high, low
// and volume (IDX, Yahoo's columns), eleven sector funds with closes
// only (the group sectors; XLC listed late, on 2025-09-02), a volatility
// index (VOLA, for bands) and a fund of the group whose file has no
// OHLC. Weekdays from 2024-01-02 to 2026-03-31; random walks of a fixed
// seed.
var sectorKeys = []string{"XLK", "XLE", "XLF", "XLV", "XLI", "XLP", "XLY", "XLU", "XLB", "XLRE", "XLC"}

func writeMarket(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 11))
	var days []time.Time
	for d := day("2024-01-02"); !d.After(day("2026-03-31")); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, d)
		}
	}
	var toml strings.Builder
	toml.WriteString("note = { zh = \"测试数据\", en = \"Test data\" }\n")
	write := func(name, data string) {
		if err := os.MkdirAll(filepath.Join(dir, "prices"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "prices", name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sym := func(key, zh, en, kind string) {
		fmt.Fprintf(&toml, "\n[symbols.%s]\nfile = \"prices/%s.csv\"\nname = { zh = %q, en = %q }\nkind = %q\n", key, key, zh, en, kind)
	}
	market := make([]float64, len(days))
	for i := range market {
		market[i] = 0.0003 + 0.01*r.NormFloat64()
	}
	// IDX: open near the close before, high and low beyond both.
	var b strings.Builder
	b.WriteString("Date,Open,High,Low,Close,Adj Close,Volume\n")
	p := 4800.0
	for i, d := range days {
		o := p * (1 + 0.003*r.NormFloat64())
		p *= math.Exp(market[i])
		hi := max(o, p) * (1 + 0.004*r.Float64())
		lo := min(o, p) * (1 - 0.004*r.Float64())
		fmt.Fprintf(&b, "%s,%.2f,%.2f,%.2f,%.2f,%.2f,%d\n", d.Format(time.DateOnly), o, hi, lo, p, p, 2_000_000_000+r.IntN(1_500_000_000))
	}
	write("IDX.csv", b.String())
	sym("IDX", "测试指数", "Test Index", "index")
	// VOLA: mean-reverting, spiking when the market falls.
	b.Reset()
	b.WriteString("DATE,CLOSE\n")
	v := 16.0
	for i, d := range days {
		v = max(9, v+0.08*(16-v)-60*market[i]+0.6*r.NormFloat64())
		fmt.Fprintf(&b, "%s,%.2f\n", d.Format(time.DateOnly), v)
	}
	write("VOLA.csv", b.String())
	sym("VOLA", "测试波动率指数", "Test Volatility", "volatility")
	zh := []string{"信息技术", "能源", "金融", "医疗保健", "工业", "必需消费", "可选消费", "公用事业", "原材料", "房地产", "通信服务"}
	en := []string{"Technology", "Energy", "Financials", "Health Care", "Industrials", "Staples", "Discretionary", "Utilities", "Materials", "Real Estate", "Communication"}
	for k, key := range sectorKeys {
		beta, sd := 0.6+0.8*r.Float64(), 0.006+0.01*r.Float64()
		p := 40 + 200*r.Float64()
		b.Reset()
		b.WriteString("Date,Close\n")
		for i, d := range days {
			p *= math.Exp(beta*market[i] + sd*r.NormFloat64())
			if key == "XLC" && d.Before(day("2025-09-02")) {
				continue
			}
			fmt.Fprintf(&b, "%s,%.4f\n", d.Format(time.DateOnly), p)
		}
		write(key+".csv", b.String())
		sym(key, zh[k], en[k], "etf")
	}
	fmt.Fprintf(&toml, "\n[groups.sectors]\nname = { zh = \"行业\", en = \"Sectors\" }\nmembers = [%s]\n", quoteAll(sectorKeys))
	if err := os.WriteFile(filepath.Join(dir, "tickers.toml"), []byte(toml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// loadMarket loads a market written by writeMarket.
func loadMarket(t testing.TB, dir string) *market.Universe {
	t.Helper()
	u, err := market.Load(os.DirFS(dir), "data/")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// newSpecs are a chart of each new type, with annotations.
var newSpecs = map[string]string{
	"ratio":       "type: ratio\nsymbols: [XLE, XLK]\nperiod: 6M\nlines: [100]\nlabels: name\n",
	"area":        "type: area\nsymbols: [IDX]\nperiod: 1Y\nmarks: [{date: 2025-12-10, label: {zh: 议息会议, en: FOMC}}]\nbands: [{symbol: VOLA, above: 18, label: {zh: 波动率高于18, en: VOLA above 18}}]\n",
	"candlestick": "type: candlestick\nsymbols: [IDX]\nperiod: 3M\noverlays: [sma20]\nlines: [{at: 7800, label: {zh: 阻力位, en: Resistance}}]\nmarks: [{date: 2026-01-28, label: FOMC}]\n",
	"scatter":     "type: scatter\ngroup: sectors\nperiod: 3M\nquadrants: true\nhighlight: [XLE]\n",
	"heatmap":     "type: heatmap\ngroup: sectors\nperiods: [1W, 1M, 3M, YTD, 1Y]\n",
	"multiples":   "type: multiples\ngroup: sectors\nperiod: 6M\nbands: [{from: 2025-11-03, to: 2025-11-21, label: {zh: 回调, en: Pullback}}]\n",
	"bar-hl":      "type: bar\ngroup: sectors\nperiod: YTD\nhighlight: [XLE, XLK]\n",
	"line-notes":  "type: rebased\nsymbols: [XLK, XLE, XLU]\nperiod: 6M\nlabels: both\nbands: [{from: 2025-11-03, to: 2025-11-21, label: {zh: 回调, en: Pullback}}]\nmarks: [{date: 2025-12-10, label: FOMC}, {date: 2025-12-12, label: CPI}]\naspect: \"2:1\"\n",
	"vol-lines":   "type: volatility\nsymbols: [IDX]\nperiod: 1Y\nlines: [\"20%\"]\nheight: 300\n",
}

// TestRenderNewTypes draws every new type in both languages; with
// BRIEFS_CHART_DIR set, it writes the PNGs and CSVs there to be looked at.
func TestRenderNewTypes(t *testing.T) {
	u := loadMarket(t, writeMarket(t))
	v := u.At(day("2026-02-09"))
	out := os.Getenv("BRIEFS_CHART_DIR")
	for name, src := range newSpecs {
		for _, lang := range []string{"zh", "en"} {
			s, err := ParseSpec([]byte(src))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tx := text(u, lang)
			tx.Note = map[string]string{"zh": "测试数据", "en": "Test data"}[lang]
			c, err := Prepare(s, v, u, tx)
			if err != nil {
				t.Fatalf("%s %s: %v", name, lang, err)
			}
			for _, l := range Layouts {
				w, h := c.Size(l)
				for _, scale := range l.Scales() {
					checkRender(t, c, l, scale, w, h, fmt.Sprintf("%s-%s-%s@%dx", name, lang, l, scale), out)
				}
			}
			if c.Alt == "" || strings.Contains(c.Alt, "%!") || strings.Contains(string(c.CSV()), "%!") {
				t.Errorf("%s %s: alt %q", name, lang, c.Alt)
			}
			if out != "" {
				if err := os.WriteFile(filepath.Join(out, name+"-"+lang+".csv"), c.CSV(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%s %s: %s | %s", name, lang, c.Title, c.Alt)
		}
	}
}
