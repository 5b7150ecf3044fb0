package corpus

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// The market data of the data corpus: daily closes of generated symbols on
// every weekday of the last Years years up to Last, each a random walk of
// log returns made of a market factor, its group's factor and its own
// noise. Nothing here resembles real prices; it only has to be plausible
// enough for every metric and chart to work (positive closes, enough
// history, groups whose members move together).

// group is a group of symbols: its key in tickers.toml and its names.
type group struct{ key, zh, en string }

var groups = []group{
	{"technology", "科技", "Technology"},
	{"energy", "能源", "Energy"},
	{"financials", "金融", "Financials"},
	{"health_care", "医疗保健", "Health care"},
	{"utilities", "公用事业", "Utilities"},
	{"staples", "必需消费品", "Consumer staples"},
	{"discretionary", "可选消费", "Consumer discretionary"},
	{"industrials", "工业", "Industrials"},
	{"materials", "原材料", "Materials"},
	{"real_estate", "房地产", "Real estate"},
}

// universe is the generated market: its symbols and their groups.
type universe struct {
	symbols int
	groups  []group
}

func newUniverse(symbols int) *universe {
	n := min(len(groups), max(1, symbols/20))
	return &universe{symbols: symbols, groups: groups[:n]}
}

func (u *universe) key(k int) string    { return fmt.Sprintf("T%03d", k+1) }
func (u *universe) nameZh(k int) string { return fmt.Sprintf("样本公司%03d", k+1) }
func (u *universe) nameEn(k int) string { return fmt.Sprintf("Sample Co. %03d", k+1) }
func (u *universe) groupOf(k int) group { return u.groups[k%len(u.groups)] }
func (u *universe) file(k int) string   { return "prices/" + u.key(k) + ".csv" }
func (u *universe) members(g int) (out []int) {
	for k := g; k < u.symbols; k += len(u.groups) {
		out = append(out, k)
	}
	return out
}

// tickersTOML is the universe's tickers.toml.
func (u *universe) tickersTOML() []byte {
	var b strings.Builder
	b.WriteString("# Data corpus written by internal/corpus (make bench, cmd/corpus -data): random walks, not prices.\n\n")
	b.WriteString("note = { zh = \"本站行情为随机生成的测试数据。\", en = \"Prices on this site are random test data.\" }\n")
	for k := range u.symbols {
		fmt.Fprintf(&b, "\n[symbols.%s]\nfile = %q\nname = { zh = %q, en = %q }\nkind = \"stock\"\n",
			u.key(k), u.file(k), u.nameZh(k), u.nameEn(k))
	}
	for g, gr := range u.groups {
		var keys []string
		for _, k := range u.members(g) {
			keys = append(keys, strconv.Quote(u.key(k)))
		}
		fmt.Fprintf(&b, "\n[groups.%s]\nname = { zh = %q, en = %q }\nmembers = [%s]\n",
			gr.key, gr.zh+"板块", gr.en, strings.Join(keys, ", "))
	}
	return []byte(b.String())
}

// weekdays returns the weekdays from years before Last to Last, oldest
// first.
func weekdays(years int) []time.Time {
	var out []time.Time
	for d := Last.AddDate(-years, 0, 0); !d.After(Last); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, d)
		}
	}
	return out
}

// Stream kinds of the data corpus, apart from the plain corpus's streams.
const (
	streamMarketFactor = 1 + iota
	streamGroupFactor
	streamSymbol
	streamDataBrief
)

// dataStream returns random stream i of a kind of the data corpus.
func dataStream(seed uint64, kind, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, mix(0xda7a<<48|uint64(kind)<<32|uint64(i))))
}

// prices returns the price files of the universe over days: path -> CSV
// ("date,close").
func (u *universe) prices(days []time.Time, seed uint64) map[string][]byte {
	normals := func(r *rand.Rand, mean, sd float64) []float64 {
		out := make([]float64, len(days))
		for t := range out {
			out[t] = mean + sd*r.NormFloat64()
		}
		return out
	}
	market := normals(dataStream(seed, streamMarketFactor, 0), 0.0003, 0.011)
	factors := make([][]float64, len(u.groups))
	for g := range factors {
		factors[g] = normals(dataStream(seed, streamGroupFactor, g), 0, 0.007)
	}
	files := make(map[string][]byte, u.symbols)
	for k := range u.symbols {
		r := dataStream(seed, streamSymbol, k)
		beta := 0.6 + 0.8*r.Float64()
		sd := 0.008 + 0.012*r.Float64()
		price := 20 + 480*r.Float64()
		f := factors[k%len(u.groups)]
		buf := make([]byte, 0, 24*len(days)+16)
		buf = append(buf, "date,close\n"...)
		for t, d := range days {
			if t > 0 {
				// A floor far below any plausible path keeps every close
				// positive at four decimals.
				price = max(0.5, price*math.Exp(beta*market[t]+f[t]+sd*r.NormFloat64()))
			}
			buf = d.AppendFormat(buf, time.DateOnly)
			buf = append(buf, ',')
			prec := 2
			if price < 10 {
				prec = 4
			}
			buf = strconv.AppendFloat(buf, price, 'f', prec, 64)
			buf = append(buf, '\n')
		}
		files[u.file(k)] = buf
	}
	return files
}
