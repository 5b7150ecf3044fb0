package plot

import (
	"fmt"
	"math"
	"slices"
	"time"

	"briefs/internal/market"
)

// MaxCandles is the most sessions a candlestick chart draws: a year of
// them is a candle about two CSS pixels wide.
const MaxCandles = 260

// Candles are the sessions of a candlestick chart.
type Candles struct {
	Dates                          []time.Time
	Open, High, Low, Close, Volume []float64 // Volume nil without one
}

// hasVolume reports whether k has a volume to draw.
func (k *Candles) hasVolume() bool {
	if k == nil {
		return false
	}
	for _, v := range k.Volume {
		if v > 0 {
			return true
		}
	}
	return false
}

// maxVolume is the largest volume of k.
func (k *Candles) maxVolume() float64 {
	vmax := 0.0
	for _, v := range k.Volume {
		if !math.IsNaN(v) {
			vmax = max(vmax, v)
		}
	}
	return vmax
}

// candlestick draws a symbol's sessions over the period as candles, with
// a panel of volumes below where the file has them, and moving averages
// of the close as a line chart has them.
func (c *Chart) candlestick(s *Spec, v *market.View, t Text) error {
	sym := s.Symbols[0]
	k, err := v.OHLC(sym, s.Period)
	if market.NoOHLC(err) {
		return &keyError{"symbols", err}
	} else if err != nil {
		return err
	}
	if len(k.Dates) < 2 {
		return fmt.Errorf("%s: the %s window has %d session(s); a chart needs at least 2", sym, s.Period, len(k.Dates))
	}
	if len(k.Dates) > MaxCandles {
		return &keyError{"period", fmt.Errorf("%s: %d sessions over %s; at most %d candles stay readable: shorten period: or draw a line chart", sym, len(k.Dates), s.Period, MaxCandles)}
	}
	c.Candles = &Candles{Dates: k.Dates, Open: k.Open, High: k.High, Low: k.Low, Close: k.Close, Volume: k.Volume}
	c.Series = append(c.Series, Series{Name: t.Name(sym), Dates: k.Dates, Values: k.Close, Column: sym, How: pick(t, sym+"的收盘价", "close of "+sym)})
	if len(s.Overlays) > 0 {
		dates, closes, start, err := window(v, sym, s.Period, need(s))
		if err != nil {
			return err
		}
		if err := checkOverlays(s, sym, dates, start); err != nil {
			return err
		}
		c.overlays(s, sym, dates, closes, start, t)
	}
	first, last := k.Close[0], k.Close[len(k.Close)-1]
	hi := slices.Index(k.High, slices.Max(k.High))
	lo := slices.Index(k.Low, slices.Min(k.Low))
	up := 0
	for i := range k.Close {
		if k.Close[i] >= k.Open[i] {
			up++
		}
	}
	n := len(k.Dates)
	c.Alt = changeSentence(t, t.Name(sym), last/first-1, s.Period) + endingAt(t, t.Number(last, 2))
	if t.zh() {
		c.Alt += fmt.Sprintf("；最高%s（%s），最低%s（%s）；%d个交易日中%d日收阳", t.Number(k.High[hi], 2), shortDate(k.Dates[hi], t.Lang),
			t.Number(k.Low[lo], 2), shortDate(k.Dates[lo], t.Lang), n, up)
	} else {
		c.Alt += fmt.Sprintf("; high %s on %s, low %s on %s; %d of %d sessions closed at or above their open", t.Number(k.High[hi], 2), shortDate(k.Dates[hi], t.Lang),
			t.Number(k.Low[lo], 2), shortDate(k.Dates[lo], t.Lang), up, n)
	}
	for i := range k.Close {
		for _, x := range []float64{k.Open[i], k.High[i], k.Low[i]} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s: no open, high or low on %s", sym, k.Dates[i].Format(time.DateOnly))
			}
		}
	}
	return nil
}
