package market

import "time"

// flatMove is the largest move, either way, that Sentiment counts as
// neither up nor down.
const flatMove = 0.005

// Sentiment rates a set of symbols as of asof, as a series with
// sentiment: auto rates each issue: the return of each symbol over period
// (an issue's 1D, 1W or 1M back from its close), volatility and breadth gauges left
// out; a move under flatMove (0.5%) either way counts as flat. Bullish if
// some rose and none fell, bearish if some fell and none rose, mixed if
// some did each, neutral if all were flat; "" (no badge) without tickers
// to rate or when one has no data for the period.
func (u *Universe) Sentiment(asof time.Time, period string, tickers []string) string {
	v := u.At(asof)
	up, down, rated := 0, 0, 0
	for _, sym := range tickers {
		if s, ok := u.Symbols[sym]; ok && (s.Kind == "volatility" || s.Kind == "breadth") {
			continue
		}
		r, err := v.Ret(sym, period)
		if err != nil {
			return ""
		}
		rated++
		switch {
		case r.Value >= flatMove:
			up++
		case r.Value <= -flatMove:
			down++
		}
	}
	switch {
	case rated == 0:
		return ""
	case up > 0 && down > 0:
		return "mixed"
	case up > 0:
		return "bullish"
	case down > 0:
		return "bearish"
	}
	return "neutral"
}
