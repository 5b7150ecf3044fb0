package market

import (
	"testing"
	"time"
)

func sday(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// sentimentUniverse is hand-checkable: T closes 100, 110, 99, 121, 121 on
// Mon 2026-01-05 .. Fri 01-09; U closes 50, 50, 55, 55, 44.
func sentimentUniverse() *Universe {
	series := func(sym string, closes ...float64) *Series {
		s := &Series{Symbol: sym, File: sym + ".csv"}
		for i, c := range closes {
			s.Dates = append(s.Dates, sday("2026-01-05").AddDate(0, 0, i))
			s.Closes = append(s.Closes, c)
		}
		return s
	}
	return &Universe{
		Symbols: map[string]*Symbol{
			"T": {Key: "T", Kind: "index", Series: series("T", 100, 110, 99, 121, 121)},
			"U": {Key: "U", Kind: "etf", Series: series("U", 50, 50, 55, 55, 44)},
		},
	}
}

// TestSentiment: an issue's sentiment follows from its tickers' moves over
// its period, with volatility gauges left out.
func TestSentiment(t *testing.T) {
	u := sentimentUniverse()
	u.Symbols["V"] = &Symbol{Key: "V", Kind: "volatility", Series: u.Symbols["U"].Series}
	tests := []struct {
		asof    string
		tickers []string
		want    string
	}{
		{"2026-01-09", []string{"T", "U"}, "bearish"}, // T flat, U -20%
		{"2026-01-09", []string{"T"}, "neutral"},      // flat
		{"2026-01-09", []string{"T", "V"}, "neutral"}, // V's fall is a volatility gauge's
		{"2026-01-08", []string{"T", "U"}, "bullish"}, // T +22%, U flat
		{"2026-01-07", []string{"T", "U"}, "mixed"},   // T -10%, U +10%
		{"2026-01-05", []string{"T", "U"}, ""},        // no session before: no badge
		{"2026-01-09", nil, ""},                       // nothing to rate
		{"2026-01-09", []string{"V"}, ""},             // only a gauge
	}
	for _, tt := range tests {
		if got := u.Sentiment(sday(tt.asof), "1D", tt.tickers); got != tt.want {
			t.Errorf("Sentiment(%s, %v) = %q, want %q", tt.asof, tt.tickers, got, tt.want)
		}
	}
}
