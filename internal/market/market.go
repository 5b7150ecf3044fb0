// Package market holds daily price series and computes metrics from them as
// of a date. It is pure: it reads files only through an fs.FS, at load, and
// never looks at the clock.
//
// A Universe is what tickers.toml describes: symbols, each with a Series of
// daily closes, and groups of symbols. A View is the universe as of one
// date: every metric computed through it sees no row after that date.
package market

import "time"

// Series is one symbol's daily closes, in ascending date order, one row per
// date, every close > 0. Gaps (holidays, empty values) are simply absent.
type Series struct {
	Symbol string
	File   string      // the source file, for messages
	Dates  []time.Time // UTC midnight, strictly ascending
	Closes []float64

	// Opens, Highs and Lows hold each row's open, high and low when the
	// file has them beside the close (nil otherwise); Volumes each row's
	// volume when it has a volume column, NaN where a cell is empty. A
	// row that breaks High >= max(Open, Close) >= min(Open, Close) >=
	// Low > 0, or holds a bad volume, is listed in Faults (ascending by
	// row), its open, high and low NaN: see ohlc.go.
	Opens, Highs, Lows, Volumes []float64
	Faults                      []Fault
}

// Symbol is one entry of tickers.toml.
type Symbol struct {
	Key    string            // "RTY"
	Name   map[string]string // language key -> display name
	Kind   string            // index | etf | stock | crypto | volatility | breadth
	Series *Series
}

// Group is a named list of symbols, such as the sector ETFs.
type Group struct {
	Key     string
	Name    map[string]string
	Members []string // symbol keys, in the order given
}

// Universe is everything tickers.toml describes, loaded.
type Universe struct {
	// Note is what the site says about the data on every page, per
	// language: "generated sample data, not real prices". Optional.
	Note    map[string]string
	Symbols map[string]*Symbol
	Groups  map[string]*Group

	digestState
	sessionState
}

// ExchangeTraded reports whether symbols of a kind trade on exchange
// sessions (indexes, ETFs, stocks), which define the trading calendar.
// Crypto trades every day; volatility and breadth series follow others.
func ExchangeTraded(kind string) bool {
	switch kind {
	case "index", "etf", "stock":
		return true
	}
	return false
}
