package render

import (
	"testing"

	"briefs/internal/market"
)

// TestRateIssue: an issue's sentiment follows from its tickers' moves over
// its period, with volatility gauges left out.
func TestRateIssue(t *testing.T) {
	u := universe()
	u.Symbols["V"] = &market.Symbol{Key: "V", Kind: "volatility", Series: u.Symbols["U"].Series}
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
		if got := rateIssue(u, day(tt.asof), "day", tt.tickers); got != tt.want {
			t.Errorf("rateIssue(%s, %v) = %q, want %q", tt.asof, tt.tickers, got, tt.want)
		}
	}
}
