package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// The model: daily log returns of every asset are a sum of factor returns
// times the asset's loadings, plus its own (idiosyncratic) noise. The market
// factor has GJR-GARCH volatility clustering with fat-tailed shocks and a
// few stress episodes; the other equity factors scale with the market's
// volatility; energy and gold have their own clustering. Every random shock
// series is demeaned over the output range, so that each asset's growth over
// the range is exactly its chosen drift (the path wanders, the endpoints do
// not depend on luck) and levels stay plausible whatever the seed.

// seed is the seed of every random stream; each stream has its own second
// PCG word, so adding a stream changes no other. With the endpoints fixed,
// the seed only shapes the path: 171 was picked among the first 200 for a
// plausible one (calendar-year returns of the indexes within about -30% to
// +50%, the 2020 stress episode the largest VIX spike, breadth never near 0).
const seed = 171

const tradingYear = 252.0

// Stream numbers.
const (
	streamMarket = 1 + iota
	streamFactors
	streamVIX
	streamBTC
	streamCross
	streamBreadthBars
	streamEquity = 100 // + the equity's index; its bars: streamBars + index
	streamBars   = 200
	streamTrack  = 300
)

func newRand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

type factor int

const (
	fMarket factor = iota
	fSize
	fGrowth
	fEnergy
	fDefensive
	fFinancial
	fGold
	nFactors
)

// factorSpec describes one factor: annual log drift and volatility, and
// whether it has its own GARCH(1,1) clustering (else its shocks scale with
// the square root of the market's volatility ratio).
type factorSpec struct {
	drift, vol float64
	garch      bool
}

var factorSpecs = [nFactors]factorSpec{
	fMarket:    {drift: 0.095, vol: 0.135},
	fSize:      {drift: -0.025, vol: 0.085},
	fGrowth:    {drift: 0.035, vol: 0.09},
	fEnergy:    {drift: 0, vol: 0.20, garch: true},
	fDefensive: {drift: 0, vol: 0.07},
	fFinancial: {drift: 0, vol: 0.09},
	fGold:      {drift: 0.06, vol: 0.145, garch: true},
}

// episode is a stretch of trading days with shifted factor shocks (a sell
// off, a rebound, a sector rally) and, for the market, a volatility boost.
// Overlapping episodes add up.
type episode struct {
	start string // the first trading day on or after this date
	days  int
	shift [nFactors]float64 // added to each factor's daily log return
	boost float64           // multiplies the market shock's sd; 0 means 1
}

var episodes = []episode{
	{start: "2015-08-19", days: 5, shift: shifts(fMarket, -0.011), boost: 1.3},
	{start: "2015-08-26", days: 12, shift: shifts(fMarket, 0.004)},
	{start: "2016-01-04", days: 27, shift: shifts(fMarket, -0.0032, fEnergy, -0.006), boost: 1.1},
	{start: "2016-02-12", days: 45, shift: shifts(fMarket, 0.0022, fEnergy, 0.004)},
	{start: "2018-01-29", days: 8, shift: shifts(fMarket, -0.008), boost: 1.5},
	{start: "2018-02-09", days: 15, shift: shifts(fMarket, 0.003)},
	{start: "2018-10-03", days: 57, shift: shifts(fMarket, -0.0022, fGrowth, -0.001), boost: 1.15},
	{start: "2018-12-26", days: 60, shift: shifts(fMarket, 0.002)},
	{start: "2020-02-20", days: 23, shift: shifts(fMarket, -0.012, fSize, -0.002, fEnergy, -0.012, fFinancial, -0.003), boost: 1.7},
	{start: "2020-03-24", days: 60, shift: shifts(fMarket, 0.0055, fGrowth, 0.002, fEnergy, 0.004)},
	{start: "2020-06-01", days: 150, shift: shifts(fGrowth, 0.0012)},
	{start: "2021-01-04", days: 280, shift: shifts(fEnergy, 0.0015)},
	{start: "2022-01-04", days: 190, shift: shifts(fMarket, -0.0011, fGrowth, -0.0014, fEnergy, 0.0012, fDefensive, 0.0004), boost: 1.1},
	{start: "2023-01-03", days: 380, shift: shifts(fGrowth, 0.0007)},
	{start: "2025-03-26", days: 10, shift: shifts(fMarket, -0.0085), boost: 1.5},
	{start: "2025-04-10", days: 40, shift: shifts(fMarket, 0.004, fGrowth, 0.001)},
}

// shifts builds a shift vector from factor, value pairs.
func shifts(pairs ...any) [nFactors]float64 {
	var s [nFactors]float64
	for i := 0; i < len(pairs); i += 2 {
		s[pairs[i].(factor)] = pairs[i+1].(float64)
	}
	return s
}

// btcEpisodes are Bitcoin's own booms and busts, on calendar days.
var btcEpisodes = []struct {
	start string
	days  int
	shift float64
}{
	{"2017-01-01", 350, 0.0055},
	{"2018-01-01", 365, -0.005},
	{"2020-10-01", 190, 0.008},
	{"2021-11-10", 400, -0.0035},
	{"2024-01-15", 90, 0.004},
}

// equity is one simulated price series of the factor model.
type equity struct {
	key    string
	level  float64 // price on its first day
	since  string  // first trading day, if after the start
	alpha  float64 // annual log drift beyond the factors'
	beta   [nFactors]float64
	idio   float64 // annual idiosyncratic volatility
	jump   float64 // sd of the jump on its quarterly earnings days (0: none)
	volume float64 // typical daily volume on the first day
	yield  float64 // dividend yield, for Adj Close
	gap    float64 // overnight gap as a fraction of the daily sd
}

// loads builds loadings from factor, value pairs.
func loads(pairs ...any) [nFactors]float64 { return shifts(pairs...) }

var equities = []equity{
	{key: "SPX", level: 2050, beta: loads(fMarket, 1.0), volume: 3.2e9, gap: 0.1},
	{key: "NDX", level: 4200, beta: loads(fMarket, 1.08, fGrowth, 1.0), idio: 0.02, volume: 1.7e9, gap: 0.1},
	{key: "COMP", level: 4700, beta: loads(fMarket, 1.05, fSize, 0.25, fGrowth, 0.75), idio: 0.015, volume: 1.9e9, gap: 0.1},
	{key: "RTY", level: 1200, alpha: -0.02, beta: loads(fMarket, 1.15, fSize, 1.0), idio: 0.02, volume: 0.9e9, gap: 0.1},
	{key: "XLK", level: 40, alpha: 0.01, beta: loads(fMarket, 1.05, fGrowth, 0.9), idio: 0.06, volume: 8e6, yield: 0.012, gap: 0.25},
	{key: "XLE", level: 80, alpha: -0.07, beta: loads(fMarket, 0.95, fEnergy, 1.0), idio: 0.07, volume: 15e6, yield: 0.032, gap: 0.25},
	{key: "XLF", level: 20, alpha: -0.02, beta: loads(fMarket, 1.12, fSize, 0.25, fFinancial, 1.0), idio: 0.05, volume: 60e6, yield: 0.018, gap: 0.25},
	{key: "XLI", level: 55, alpha: -0.01, beta: loads(fMarket, 1.02, fSize, 0.2), idio: 0.05, volume: 10e6, yield: 0.017, gap: 0.25},
	{key: "XLP", level: 48, alpha: -0.01, beta: loads(fMarket, 0.6, fDefensive, 0.9), idio: 0.05, volume: 9e6, yield: 0.026, gap: 0.25},
	{key: "XLU", level: 44, alpha: -0.005, beta: loads(fMarket, 0.55, fDefensive, 1.2), idio: 0.07, volume: 12e6, yield: 0.033, gap: 0.25},
	{key: "XLV", level: 68, alpha: -0.02, beta: loads(fMarket, 0.75, fDefensive, 0.5), idio: 0.07, volume: 8e6, yield: 0.015, gap: 0.25},
	{key: "XLY", level: 70, alpha: -0.03, beta: loads(fMarket, 1.1, fSize, 0.2, fGrowth, 0.5), idio: 0.06, volume: 5e6, yield: 0.012, gap: 0.25},
	{key: "XLB", level: 48, alpha: -0.03, beta: loads(fMarket, 1.02, fEnergy, 0.3), idio: 0.08, volume: 5e6, yield: 0.019, gap: 0.25},
	{key: "XLC", level: 50, since: "2018-06-19", alpha: -0.02, beta: loads(fMarket, 1.0, fGrowth, 0.6), idio: 0.09, volume: 4e6, yield: 0.009, gap: 0.25},
	{key: "XLRE", level: 32, since: "2015-10-08", alpha: -0.04, beta: loads(fMarket, 0.85, fDefensive, 0.9), idio: 0.08, volume: 3e6, yield: 0.033, gap: 0.25},
	{key: "GLD", level: 115, beta: loads(fMarket, 0.03, fGold, 1.0), idio: 0.01, volume: 7e6, gap: 0.2},
	{key: "SLV", level: 15, alpha: -0.06, beta: loads(fMarket, 0.06, fGold, 1.45), idio: 0.17, volume: 10e6, gap: 0.2},
	{key: "NVDA", level: 5, alpha: 0.12, beta: loads(fMarket, 1.55, fGrowth, 1.5), idio: 0.36, jump: 0.07, volume: 350e6, yield: 0.001, gap: 0.35},
	{key: "AAPL", level: 28, alpha: 0.05, beta: loads(fMarket, 1.1, fGrowth, 0.8), idio: 0.20, jump: 0.04, volume: 200e6, yield: 0.006, gap: 0.3},
	{key: "MSFT", level: 45, alpha: 0.08, beta: loads(fMarket, 1.0, fGrowth, 0.8), idio: 0.17, jump: 0.04, volume: 30e6, yield: 0.009, gap: 0.3},
	{key: "GOOGL", level: 26, alpha: 0.05, beta: loads(fMarket, 1.05, fGrowth, 0.8), idio: 0.22, jump: 0.05, volume: 35e6, gap: 0.3},
	{key: "AMZN", level: 16, alpha: 0.06, beta: loads(fMarket, 1.15, fGrowth, 1.0), idio: 0.25, jump: 0.06, volume: 70e6, gap: 0.3},
	{key: "META", level: 80, alpha: 0.02, beta: loads(fMarket, 1.2, fGrowth, 1.0), idio: 0.30, jump: 0.08, volume: 25e6, gap: 0.3},
}

// tracker is an ETF that follows an index: its close is the index's
// divided by ratio, times a small mean-reverting tracking error, less fees.
type tracker struct {
	key, index string
	ratio      float64
	fee        float64 // annual
	volume     float64
	yield      float64
}

var trackers = []tracker{
	{key: "SPY", index: "SPX", ratio: 10, fee: 0.00095, volume: 90e6, yield: 0.016},
	{key: "QQQ", index: "NDX", ratio: 41, fee: 0.002, volume: 40e6, yield: 0.006},
	{key: "IWM", index: "RTY", ratio: 10, fee: 0.0019, volume: 30e6, yield: 0.012},
}

// bar is one day of one series.
type bar struct {
	date                   time.Time
	open, high, low, close float64
	adj                    float64 // dividend-adjusted close
	volume                 int64
}

// series is one simulated symbol's output rows, ascending.
type series struct {
	key  string
	bars []bar
}

// world is everything the model simulated.
type world struct {
	cal   *calendar
	first int // index in cal.tdays of the first output day
	last  int // index in cal.tdays of the last output day
	n     int // len(cal.tdays)

	h, hNext []float64 // market conditional variance before and after each day
	z        []float64 // market standardized shocks
	k        []float64 // market volatility ratio sqrt(h / long-run h)
	f        [nFactors][]float64
	fVol     [nFactors][]float64 // conditional daily sd of each factor

	out     map[string]*series // every symbol's rows; read by key only
	breadth []float64          // share above the 200-day average, per trading day
	wide    []*series          // the wide file's columns
}

const warmupDays = 460 // calendar days simulated before the start (> 300 trading days)

// simulate runs the model over [start, end].
func simulate(start, end time.Time) *world {
	cal := newCalendar(start.AddDate(0, 0, -warmupDays), end)
	w := &world{cal: cal, n: len(cal.tdays), out: map[string]*series{}}
	w.first = cal.firstTrading(start)
	w.last = w.n - 1
	w.market()
	w.factors()
	for i, e := range equities {
		w.equity(i, e)
	}
	for i, t := range trackers {
		w.track(i, t)
	}
	w.vix()
	w.btc(start)
	w.crossSection()
	return w
}

// studentT draws a t-distributed number with df degrees of freedom, scaled
// to unit variance.
func studentT(r *rand.Rand, df int) float64 {
	z := r.NormFloat64()
	var chi float64
	for range df {
		n := r.NormFloat64()
		chi += n * n
	}
	return z / math.Sqrt(chi/float64(df)) * math.Sqrt(float64(df-2)/float64(df))
}

// episodeShifts returns, per trading day, the summed shifts and the market
// volatility boost of the episodes.
func (w *world) episodeShifts() ([][nFactors]float64, []float64) {
	shift := make([][nFactors]float64, w.n)
	boost := make([]float64, w.n)
	for i := range boost {
		boost[i] = 1
	}
	for _, e := range episodes {
		t, err := time.Parse(time.DateOnly, e.start)
		if err != nil {
			panic(err)
		}
		i0 := w.cal.firstTrading(t)
		for i := i0; i < i0+e.days && i < w.n; i++ {
			for f := range nFactors {
				shift[i][f] += e.shift[f]
			}
			if e.boost != 0 {
				boost[i] *= e.boost
			}
		}
	}
	return shift, boost
}

// demean subtracts the mean of x[from:] from every element of x[from:].
func demean(x []float64, from int) {
	if from >= len(x) {
		return
	}
	var s float64
	for _, v := range x[from:] {
		s += v
	}
	m := s / float64(len(x)-from)
	for i := from; i < len(x); i++ {
		x[i] -= m
	}
}

// market simulates the market factor: GJR-GARCH(1,1) with t(7) shocks.
func (w *world) market() {
	const (
		alpha = 0.01
		gamma = 0.09 // extra reaction to down days: volatility rises when prices fall
		beta  = 0.91
	)
	spec := factorSpecs[fMarket]
	hbar := spec.vol * spec.vol / tradingYear
	omega := hbar * (1 - alpha - gamma/2 - beta)
	hmax := 0.05 * 0.05
	r := newRand(streamMarket)
	shift, boost := w.episodeShifts()
	w.h = make([]float64, w.n)
	w.hNext = make([]float64, w.n)
	w.z = make([]float64, w.n)
	w.k = make([]float64, w.n)
	x := make([]float64, w.n)
	h := hbar
	for i := range w.n {
		z := studentT(r, 7)
		eps := shift[i][fMarket] + boost[i]*math.Sqrt(h)*z
		w.h[i], w.z[i], w.k[i], x[i] = h, z, math.Sqrt(h/hbar), eps
		a := alpha
		if eps < 0 {
			a += gamma
		}
		h = min(omega+a*eps*eps+beta*h, hmax)
		w.hNext[i] = h
	}
	demean(x, w.first)
	w.f[fMarket] = make([]float64, w.n)
	w.fVol[fMarket] = make([]float64, w.n)
	for i := range w.n {
		w.f[fMarket][i] = spec.drift/tradingYear + x[i]
		w.fVol[fMarket][i] = math.Sqrt(w.h[i]) * boost[i]
	}
}

// factors simulates every factor but the market.
func (w *world) factors() {
	shift, _ := w.episodeShifts()
	r := newRand(streamFactors)
	x := make([][]float64, nFactors)
	hs := make([]float64, nFactors)
	for f := fSize; f < nFactors; f++ {
		x[f] = make([]float64, w.n)
		w.fVol[f] = make([]float64, w.n)
		hs[f] = factorSpecs[f].vol * factorSpecs[f].vol / tradingYear
	}
	const gAlpha, gBeta = 0.05, 0.93
	for i := range w.n {
		for f := fSize; f < nFactors; f++ {
			spec := factorSpecs[f]
			z := r.NormFloat64()
			var sd float64
			if spec.garch {
				sd = math.Sqrt(hs[f])
				hbar := spec.vol * spec.vol / tradingYear
				hs[f] = hbar*(1-gAlpha-gBeta) + gAlpha*sd*sd*z*z + gBeta*hs[f]
			} else {
				sd = spec.vol / math.Sqrt(tradingYear) * math.Sqrt(w.k[i])
			}
			x[f][i] = shift[i][f] + sd*z
			w.fVol[f][i] = sd
		}
	}
	for f := fSize; f < nFactors; f++ {
		demean(x[f], w.first)
		w.f[f] = make([]float64, w.n)
		for i := range w.n {
			w.f[f][i] = factorSpecs[f].drift/tradingYear + x[f][i]
		}
	}
}

// equity simulates one equity and its bars.
func (w *world) equity(idx int, e equity) {
	r := newRand(streamEquity + uint64(idx))
	x := make([]float64, w.n)
	sdIdio := e.idio / math.Sqrt(tradingYear)
	offset := (idx * 17) % 63
	for i := range w.n {
		x[i] = sdIdio * math.Sqrt(w.k[i]) * r.NormFloat64()
		j := r.NormFloat64()
		if e.jump > 0 && (i+offset)%63 == 0 {
			x[i] += e.jump * j
		}
	}
	anchor := w.first
	if e.since != "" {
		t, err := time.Parse(time.DateOnly, e.since)
		if err != nil {
			panic(err)
		}
		anchor = max(anchor, w.cal.firstTrading(t))
	}
	demean(x, anchor)
	ret := make([]float64, w.n)
	sd := make([]float64, w.n) // conditional daily sd
	for i := range w.n {
		v := e.alpha/tradingYear + x[i]
		varSum := sdIdio * sdIdio * w.k[i]
		for f := range nFactors {
			if e.beta[f] != 0 {
				v += e.beta[f] * w.f[f][i]
				s := e.beta[f] * w.fVol[f][i]
				varSum += s * s
			}
		}
		ret[i] = v
		sd[i] = math.Sqrt(varSum)
	}
	closes := pricePath(ret, anchor, e.level)
	w.out[e.key] = &series{key: e.key, bars: w.bars(closes, sd, anchor, e.gap, e.volume, e.yield, newRand(streamBars+uint64(idx)))}
}

// pricePath turns log returns into prices, with price level on day anchor.
func pricePath(ret []float64, anchor int, level float64) []float64 {
	lp := make([]float64, len(ret))
	for i := 1; i < len(ret); i++ {
		lp[i] = lp[i-1] + ret[i]
	}
	base := math.Log(level) - lp[anchor]
	p := make([]float64, len(ret))
	for i := range lp {
		p[i] = math.Exp(lp[i] + base)
	}
	return p
}

// bars makes the output rows from anchor to the last day: an open gapped
// from the previous close, a high and low beyond the open and close, a
// volume that rises with volatility, and a close adjusted for quarterly
// dividends.
func (w *world) bars(closes, sd []float64, anchor int, gap, volume, yield float64, r *rand.Rand) []bar {
	var bs []bar
	sdBar := 0.0
	for i := w.first; i <= w.last; i++ {
		sdBar += sd[i]
	}
	sdBar /= float64(w.last - w.first + 1)
	t0 := w.cal.tdays[w.first]
	for i := anchor; i <= w.last; i++ {
		z1, z2, z3, z4 := r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
		c := closes[i]
		o := closes[i-1] * math.Exp(gap*sd[i]*z1)
		hi := max(o, c) * math.Exp(0.45*sd[i]*math.Abs(z2))
		lo := min(o, c) * math.Exp(-0.45*sd[i]*math.Abs(z3))
		years := w.cal.tdays[i].Sub(t0).Hours() / 24 / 365.25
		v := volume * math.Exp(0.03*years) * math.Pow(sd[i]/sdBar, 0.8) * math.Exp(0.25*z4-0.03)
		bs = append(bs, bar{date: w.cal.tdays[i], open: o, high: hi, low: lo, close: c, adj: c, volume: int64(v)})
	}
	adjustDividends(bs, yield)
	return bs
}

// adjustDividends sets each bar's adj to its close times the factors of
// every later ex-dividend date: the first trading day on or after the
// third Friday of March, June, September and December.
func adjustDividends(bs []bar, yield float64) {
	if yield == 0 {
		return
	}
	f := 1.0
	for i := len(bs) - 1; i >= 0; i-- {
		bs[i].adj = bs[i].close * f
		d := bs[i].date
		if m := d.Month(); m%3 == 0 && i > 0 {
			third := nthWeekday(d.Year(), m, time.Friday, 3)
			if !d.Before(third) && bs[i-1].date.Before(third) {
				f *= 1 - yield/4 // the bar before the ex-date and earlier
			}
		}
	}
}

// track makes an ETF's bars from its index's.
func (w *world) track(idx int, t tracker) {
	src := w.out[t.index]
	var srcVolume float64
	for _, e := range equities {
		if e.key == t.index {
			srcVolume = e.volume
		}
	}
	r := newRand(streamTrack + uint64(idx))
	te := 0.0
	bs := make([]bar, len(src.bars))
	for i, s := range src.bars {
		te = 0.8*te + 0.00012*r.NormFloat64()
		years := float64(i) / tradingYear
		ratio := math.Exp(te-t.fee*years) / t.ratio
		v := t.volume * float64(s.volume) / srcVolume * math.Exp(0.1*r.NormFloat64())
		bs[i] = bar{date: s.date, open: s.open * ratio, high: s.high * ratio, low: s.low * ratio,
			close: s.close * ratio, adj: s.close * ratio, volume: int64(v)}
	}
	adjustDividends(bs, t.yield)
	w.out[t.key] = &series{key: t.key, bars: bs}
}

// softBounds keeps v in (lo, hi) smoothly: near-identity well inside.
func softBounds(v, lo, hi, s float64) float64 {
	v = lo + s*math.Log1p(math.Exp((v-lo)/s))
	return hi - s*math.Log1p(math.Exp((hi-v)/s))
}

// vix makes the volatility index: the market's annualized conditional
// volatility for the next day, times a risk premium, times a mean-reverting
// noise that also jumps up on down days.
func (w *world) vix() {
	r := newRand(streamVIX)
	x := 0.0
	var bs []bar
	prev := 0.0
	for i := range w.n {
		x = 0.96*x + 0.035*r.NormFloat64() - 0.02*w.z[i]
		v := 110 * math.Sqrt(tradingYear*w.hNext[i]) * math.Exp(x)
		v = softBounds(v, 9, 80, 1.5)
		z1, z2, z3 := r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
		if i >= w.first {
			o := softBounds(prev*math.Exp(0.03*z1), 9, 80, 1.5)
			hi := max(o, v) * math.Exp(0.035*math.Abs(z2))
			lo := max(min(o, v)*math.Exp(-0.03*math.Abs(z3)), min(o, v, 8.9))
			bs = append(bs, bar{date: w.cal.tdays[i], open: o, high: hi, low: lo, close: v, adj: v})
		}
		prev = v
	}
	w.out["VIX"] = &series{key: "VIX", bars: bs}
}

// btc simulates Bitcoin on every calendar day: GARCH(1,1) with t(5) shocks
// around a long-run volatility that declines as the market matures, its
// own booms and busts, and a small loading on the equity market on trading
// days.
func (w *world) btc(start time.Time) {
	const (
		vol0  = 0.85 // long-run annual volatility at the start
		vol1  = 0.50 // and at the end
		year  = 365.0
		alpha = 0.06
		beta  = 0.91
		drift = 0.48 // annual log drift
		mBeta = 0.6
	)
	days := w.cal.days
	n := len(days)
	anchor := w.cal.firstDay(start)
	hbar := func(i int) float64 {
		f := clamp(float64(i-anchor)/float64(n-1-anchor), 0, 1)
		v := vol0 + (vol1-vol0)*f
		return v * v / year
	}
	shift := make([]float64, n)
	for _, e := range btcEpisodes {
		t, err := time.Parse(time.DateOnly, e.start)
		if err != nil {
			panic(err)
		}
		i0 := w.cal.firstDay(t)
		for i := max(i0, 0); i < i0+e.days && i < n; i++ {
			shift[i] += e.shift
		}
	}
	r := newRand(streamBTC)
	x := make([]float64, n)
	sd := make([]float64, n)
	h := hbar(0)
	for i := range n {
		z := studentT(r, 5)
		eps := math.Sqrt(h) * z
		x[i] = shift[i] + eps
		sd[i] = math.Sqrt(h)
		if t := w.cal.trade[i]; t >= 0 {
			m := w.f[fMarket][t] - factorSpecs[fMarket].drift/tradingYear
			x[i] += mBeta * m
		}
		h = hbar(i)*(1-alpha-beta) + alpha*eps*eps + beta*h
	}
	demean(x, anchor)
	ret := make([]float64, n)
	for i := range n {
		ret[i] = drift/year + x[i]
	}
	closes := pricePath(ret, anchor, 300)
	var bs []bar
	rb := newRand(streamBars + 99)
	t0 := days[anchor]
	for i := anchor; i < n; i++ {
		z1, z2, z3, z4 := rb.NormFloat64(), rb.NormFloat64(), rb.NormFloat64(), rb.NormFloat64()
		c := closes[i]
		o := closes[i-1] * math.Exp(0.02*sd[i]*z1) // trades around the clock: opens at the last close
		hi := max(o, c) * math.Exp(0.5*sd[i]*math.Abs(z2))
		lo := min(o, c) * math.Exp(-0.5*sd[i]*math.Abs(z3))
		years := days[i].Sub(t0).Hours() / 24 / 365.25
		coins := 1.2e5 * math.Exp(0.12*years) * math.Pow(sd[i]/math.Sqrt(hbar(i)), 0.8) * math.Exp(0.3*z4)
		bs = append(bs, bar{date: days[i], open: o, high: hi, low: lo, close: c, adj: c, volume: int64(coins * c)})
	}
	w.out["BTC"] = &series{key: "BTC", bars: bs}
}

// Cross-section: crossN synthetic stocks, from which the breadth index is
// counted and the wide file's columns are taken.
const (
	crossN   = 503
	wideN    = 40
	maWindow = 200
)

var (
	wideStart = day(2023, 6, 14)
	wideEnd   = day(2024, 6, 13)
)

// crossSection simulates the synthetic stocks, the share of them above their
// 200-day average (S5TH) and the wide file.
func (w *world) crossSection() {
	r := newRand(streamCross)
	type stock struct {
		beta  [nFactors]float64
		idio  float64
		alpha float64
		lp    float64   // log price
		ring  []float64 // the last maWindow prices
		sum   float64
		path  []float64 // log prices, for the wide columns only
		level float64
	}
	stocks := make([]stock, crossN)
	for i := range stocks {
		s := &stocks[i]
		s.beta[fMarket] = 0.6 + 0.8*r.Float64()
		s.beta[fSize] = 0.2 + 0.3*r.NormFloat64()
		s.beta[fGrowth] = 0.1 + 0.4*r.NormFloat64()
		if i%9 == 0 {
			s.beta[fEnergy] = 0.5 + 0.5*r.Float64()
		}
		if i%6 == 1 {
			s.beta[fDefensive] = 0.4 + 0.6*r.Float64()
		}
		if i%7 == 2 {
			s.beta[fFinancial] = 0.3 + 0.5*r.Float64()
		}
		s.idio = (0.18 + 0.2*r.Float64()) / math.Sqrt(tradingYear)
		s.alpha = 0.04 * r.NormFloat64() / tradingYear
		s.ring = make([]float64, 0, maWindow)
		s.level = 15 * math.Exp(math.Log(30)*r.Float64()) // 15 to 450
		if i < wideN {
			s.path = make([]float64, w.n)
		}
	}
	w.breadth = make([]float64, w.n)
	for i := range w.n {
		above := 0
		for j := range stocks {
			s := &stocks[j]
			ret := s.alpha + s.idio*math.Sqrt(w.k[i])*r.NormFloat64()
			for f := range nFactors {
				ret += s.beta[f] * w.f[f][i]
			}
			s.lp += ret
			p := math.Exp(s.lp)
			if len(s.ring) < maWindow {
				s.ring = append(s.ring, p)
				s.sum += p
			} else {
				k := i % maWindow
				s.sum += p - s.ring[k]
				s.ring[k] = p
			}
			if p*float64(len(s.ring)) > s.sum {
				above++
			}
			if s.path != nil {
				s.path[i] = s.lp
			}
		}
		w.breadth[i] = 100 * float64(max(above, 1)) / crossN
	}
	i0, i1 := w.cal.firstTrading(wideStart), w.cal.firstTrading(wideEnd.AddDate(0, 0, 1))
	for j := range wideN {
		s := &stocks[j]
		col := &series{key: crossKey(j)}
		for i := i0; i < i1; i++ {
			p := s.level * math.Exp(s.path[i]-s.path[i0])
			col.bars = append(col.bars, bar{date: w.cal.tdays[i], close: p})
		}
		w.wide = append(w.wide, col)
	}
}

func crossKey(j int) string { return fmt.Sprintf("S%03d", j+1) }

// breadthBars makes S5TH's rows: the breadth as close, an open between the
// previous close and today's, a high and low around them.
func (w *world) breadthBars() []bar {
	r := newRand(streamBreadthBars)
	var bs []bar
	for i := w.first; i <= w.last; i++ {
		z1, z2, z3 := r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
		prev, c := w.breadth[i-1], w.breadth[i]
		o := clamp(prev+0.3*(c-prev)+0.5*z1, 0.1, 100)
		hi := min(max(o, c)+math.Abs(0.8*z2), 100)
		lo := max(min(o, c)-math.Abs(0.8*z3), min(o, c, 0.1))
		bs = append(bs, bar{date: w.cal.tdays[i], open: o, high: hi, low: lo, close: c, adj: c})
	}
	return bs
}

func clamp(v, lo, hi float64) float64 { return max(lo, min(v, hi)) }
