package market

import (
	"io/fs"
	"maps"
	"slices"

	"briefs/internal/diag"
)

// Entry is one table of tickers.toml that names a data file: a
// [symbols.X] table, or a [groups.G] table with file = "wide.csv".
type Entry struct {
	Key    string // "XLK", or the group's key
	Group  bool   // a group read from a wide file: every column is a member
	File   string // relative to tickers.toml
	Column string // the column of File that holds the symbol; "" for the loader's choice
	Kind   string // the symbol's kind, or a wide file's
}

// Entries reads tickers.toml at the root of fsys, checks it as Load does,
// and lists its entries with a file, symbols then groups, each sorted by
// key. It reads no data file: it serves tools that write them. prefix is
// prepended to file names in errors.
func Entries(fsys fs.FS, prefix string) ([]Entry, error) {
	l, f, err := readTickers(fsys, prefix)
	if err != nil {
		return nil, err
	}
	if len(l.errs) > 0 {
		return nil, diag.Join(l.errs)
	}
	var out []Entry
	for _, key := range slices.Sorted(maps.Keys(f.Symbols)) {
		s := f.Symbols[key]
		out = append(out, Entry{Key: key, File: s.File, Column: s.Column, Kind: s.Kind})
	}
	for _, key := range slices.Sorted(maps.Keys(f.Groups)) {
		g := f.Groups[key]
		if g.File == "" {
			continue
		}
		out = append(out, Entry{Key: key, Group: true, File: g.File, Kind: g.Kind})
	}
	return out, nil
}
