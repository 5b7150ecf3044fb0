package market

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"

	"briefs/internal/diag"

	"golang.org/x/sync/errgroup"
)

// TickersFile is the name of the file, at the root of a data directory,
// that lists the symbols and groups.
const TickersFile = "tickers.toml"

// kinds lists the allowed values of a symbol's kind.
func kinds() []string {
	return []string{"index", "etf", "stock", "crypto", "volatility", "breadth"}
}

type tickersFile struct {
	Note    map[string]string      `toml:"note"`
	Symbols map[string]symbolEntry `toml:"symbols"`
	Groups  map[string]groupEntry  `toml:"groups"`
}

type symbolEntry struct {
	File   string            `toml:"file"`
	Name   map[string]string `toml:"name"`
	Kind   string            `toml:"kind"`
	Column string            `toml:"column"`
}

type groupEntry struct {
	Name    map[string]string `toml:"name"`
	Members []string          `toml:"members"`
	File    string            `toml:"file"` // a wide file: every column is a member
	Kind    string            `toml:"kind"` // the kind of a wide file's symbols; "stock" if unset
}

// source is one data file and what parsing it gave. Every file is read and
// parsed once, however many symbols use it.
type source struct {
	file     string
	table    *Table
	err      error
	reported bool // err is in the loader's errors
}

// JournalName is the file `briefs data update` keeps in the data folder
// while it renames its files into place.
const JournalName = ".briefs-update.journal"

// Interrupted reports an update of the data folder fsys (named name in
// messages) that was killed while it renamed its files: its files may be a
// mix of old and new ones until the next update finishes it. A build
// must not read such a folder.
func Interrupted(fsys fs.FS, name string) error {
	if _, err := fs.Stat(fsys, JournalName); err != nil {
		return nil
	}
	return &diag.Error{File: name + JournalName, Msg: "an update of the market data was interrupted while it replaced its files: some may be new and some old; run `briefs data update` to finish it"}
}

// Load reads tickers.toml at the root of fsys and every data file it names
// (paths relative to fsys), in parallel. prefix is prepended to file names
// in errors, such as "content/data/".
//
// A [groups.G] table with file = "wide.csv" makes every value column of that
// file a symbol of the same name and a member of G, with the group's name
// languages and kind. A column of a wide file without a single value is left
// out. Where a [symbols.X] table also defines X, it wins: the group's member
// X is that symbol.
//
// Every problem found is reported, joined, each naming its file and line.
func Load(fsys fs.FS, prefix string) (*Universe, error) {
	l, f, err := readTickers(fsys, prefix)
	if err != nil {
		return nil, err
	}
	l.parse()
	u := &Universe{Note: f.Note, Symbols: map[string]*Symbol{}, Groups: map[string]*Group{}}
	l.symbols(f, u)
	l.groups(f, u)
	if len(l.errs) > 0 {
		return nil, diag.Join(l.errs)
	}
	return u, nil
}

// readTickers reads and decodes tickers.toml at the root of fsys, and
// checks its tables; what the checks find is in the loader's errs.
func readTickers(fsys fs.FS, prefix string) (*loader, *tickersFile, error) {
	tomlName := prefix + TickersFile
	data, err := fs.ReadFile(fsys, TickersFile)
	if err != nil {
		return nil, nil, &diag.Error{File: tomlName, Msg: fmt.Sprintf("cannot read: %v", err), Err: err}
	}
	var f tickersFile
	if err := diag.DecodeTOML(tomlName, data, &f); err != nil {
		return nil, nil, err
	}
	l := &loader{fsys: fsys, prefix: prefix, tomlName: tomlName, toml: data, sources: map[string]*source{}, checked: map[*Column]bool{}}
	l.check(&f)
	return l, &f, nil
}

type loader struct {
	fsys     fs.FS
	prefix   string
	tomlName string
	toml     []byte
	sources  map[string]*source // by path in fsys
	checked  map[*Column]bool   // columns whose bad cells are reported
	errs     []error
}

// errorf records an error at the line of key in the TOML table.
func (l *loader) errorf(table, key, format string, args ...any) {
	line, col := tomlLine(l.toml, table, key, "", 0)
	l.errs = append(l.errs, diag.Errorf(l.tomlName, line, col, format, args...))
}

// check validates the entries and registers the files they name.
func (l *loader) check(f *tickersFile) {
	if len(f.Symbols) == 0 && len(f.Groups) == 0 {
		l.errs = append(l.errs, diag.Errorf(l.tomlName, 0, 0, "no [symbols.<KEY>] or [groups.<KEY>] tables: expected at least one"))
	}
	for _, key := range slices.Sorted(maps.Keys(f.Symbols)) {
		s := f.Symbols[key]
		table := "symbols." + key
		l.checkName(table, s.Name)
		if s.Kind == "" {
			l.errorf(table, "", "%s has no kind: expected one of %s", table, strings.Join(kinds(), ", "))
		} else {
			l.checkKind(table, s.Kind)
		}
		l.checkFile(table, s.File)
	}
	for _, key := range slices.Sorted(maps.Keys(f.Groups)) {
		g := f.Groups[key]
		table := "groups." + key
		l.checkName(table, g.Name)
		switch {
		case g.File != "" && g.Members != nil:
			l.errorf(table, "file", "%s has both members and file: expected one of them", table)
		case g.File != "":
			l.checkFile(table, g.File)
			if g.Kind != "" {
				l.checkKind(table, g.Kind)
			}
		case len(g.Members) == 0:
			l.errorf(table, "members", "%s has no members: expected members = [\"SYMBOL\", ...] or file = \"wide.csv\"", table)
		case g.Kind != "":
			l.errorf(table, "kind", "%s: kind is only for a group read from a wide file", table)
		}
	}
}

func (l *loader) checkName(table string, name map[string]string) {
	if len(name) == 0 {
		l.errorf(table, "", `%s has no name: expected name = { zh = "...", en = "..." }`, table)
	}
	for _, lang := range slices.Sorted(maps.Keys(name)) {
		if strings.TrimSpace(name[lang]) == "" {
			l.errorf(table, "name", "%s: name.%s is empty", table, lang)
		}
	}
}

func (l *loader) checkKind(table, kind string) {
	if !slices.Contains(kinds(), kind) {
		msg := fmt.Sprintf("%s: kind %q: expected one of %s", table, kind, strings.Join(kinds(), ", "))
		if near := diag.Nearest(kind, kinds()); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		l.errorf(table, "kind", "%s", msg)
	}
}

func (l *loader) checkFile(table, file string) {
	switch {
	case file == "":
		l.errorf(table, "", `%s has no file: expected file = "path/to/prices.csv", relative to %s`, table, TickersFile)
	case !fs.ValidPath(file):
		l.errorf(table, "file", "%s: file %q: expected a slash-separated path inside the data directory", table, file)
	case l.sources[file] == nil:
		l.sources[file] = &source{file: file}
	}
}

// parse reads and parses every registered file, in parallel.
func (l *loader) parse() {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, src := range l.sources {
		g.Go(func() error {
			data, err := fs.ReadFile(l.fsys, src.file)
			if err != nil {
				src.err = err
				return nil
			}
			src.table, src.err = ParseCSV(l.prefix+src.file, data)
			return nil
		})
	}
	g.Wait() // the goroutines report through their source
}

// table returns the parsed file for an entry, or records why there is none.
// A missing file is reported at the entry; a bad file once, at the file.
func (l *loader) table(table, file string) *Table {
	src := l.sources[file]
	if src == nil {
		return nil // invalid: already reported
	}
	switch {
	case src.table != nil:
		return src.table
	case errors.Is(src.err, fs.ErrNotExist):
		msg := fmt.Sprintf("%s: file %q does not exist", table, file)
		if near := l.nearestFile(file); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		l.errorf(table, "file", "%s", msg)
	case !src.reported:
		err := src.err
		if d := (*diag.Error)(nil); !errors.As(err, &d) {
			err = &diag.Error{File: l.prefix + file, Msg: fmt.Sprintf("cannot read: %v", err), Err: err}
		}
		l.errs = append(l.errs, err)
		src.reported = true
	}
	return nil
}

// nearestFile suggests an existing file in the same directory as file.
func (l *loader) nearestFile(file string) string {
	dir := path.Dir(file)
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	near := diag.Nearest(path.Base(file), names)
	if near == "" {
		return ""
	}
	return path.Join(dir, near)
}

// symbols builds the [symbols.X] entries.
func (l *loader) symbols(f *tickersFile, u *Universe) {
	for _, key := range slices.Sorted(maps.Keys(f.Symbols)) {
		e := f.Symbols[key]
		table := "symbols." + key
		t := l.table(table, e.File)
		if t == nil {
			continue
		}
		if e.Column != "" && t.Column(e.Column) == nil {
			msg := fmt.Sprintf("%s: column %q is not in %s: expected one of %s", table, e.Column, t.File, strings.Join(t.ColumnNames(), ", "))
			if near := diag.Nearest(e.Column, t.ColumnNames()); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			l.errorf(table, "column", "%s", msg)
			continue
		}
		c, err := t.Select(e.Column)
		if err != nil {
			msg := err.Error()
			if d := (*diag.Error)(nil); errors.As(err, &d) {
				msg = d.Msg
			}
			l.errorf(table, "", "%s: %s: %s", table, t.File, msg)
			continue
		}
		s, ok := l.series(t, key, c)
		if !ok {
			continue
		}
		u.Symbols[key] = &Symbol{Key: key, Name: e.Name, Kind: e.Kind, Series: s}
	}
}

// groups builds the [groups.G] entries, and the symbols of wide files.
func (l *loader) groups(f *tickersFile, u *Universe) {
	wideFrom := map[string]string{} // symbol -> the group whose file defined it
	empty := map[string]string{}    // symbol -> the wide file where its column is empty
	for _, key := range slices.Sorted(maps.Keys(f.Groups)) {
		e := f.Groups[key]
		if e.File == "" {
			continue
		}
		table := "groups." + key
		t := l.table(table, e.File)
		if t == nil {
			continue
		}
		g := &Group{Key: key, Name: e.Name}
		kind := e.Kind
		if kind == "" {
			kind = "stock"
		}
		for i := range t.Columns {
			c := &t.Columns[i]
			sym := c.Name
			if _, explicit := f.Symbols[sym]; explicit {
				g.Members = append(g.Members, sym)
				continue
			}
			if other, dup := wideFrom[sym]; dup {
				l.errorf(table, "file", "%s: symbol %s is a column of both %s and the file of groups.%s: expected a [symbols.%s] table saying which to use",
					table, sym, t.File, other, sym)
				continue
			}
			if c.Err() == nil && !hasValue(c.Values) {
				empty[sym] = t.File
				continue // a member with no data at all: left out
			}
			s, ok := l.series(t, sym, c)
			if !ok {
				continue
			}
			name := make(map[string]string, len(e.Name))
			for lang := range e.Name {
				name[lang] = sym
			}
			u.Symbols[sym] = &Symbol{Key: sym, Name: name, Kind: kind, Series: s}
			wideFrom[sym] = key
			g.Members = append(g.Members, sym)
		}
		u.Groups[key] = g
	}
	known := slices.Concat(slices.Sorted(maps.Keys(f.Symbols)), slices.Sorted(maps.Keys(wideFrom)))
	for _, key := range slices.Sorted(maps.Keys(f.Groups)) {
		e := f.Groups[key]
		if e.File != "" || len(e.Members) == 0 {
			continue
		}
		table := "groups." + key
		g := &Group{Key: key, Name: e.Name}
		seen := map[string]int{}
		for _, m := range e.Members {
			// Where the member is written, looked up only for an error.
			errorf := func(format string, args ...any) {
				line, col := tomlLine(l.toml, table, "members", m, seen[m])
				l.errs = append(l.errs, diag.Errorf(l.tomlName, line, col, format, args...))
			}
			switch {
			case seen[m] > 0:
				errorf("%s: member %s is listed twice", table, m)
				continue
			case empty[m] != "":
				errorf("%s: member %s has no values in %s: expected at least one price", table, m, empty[m])
			case !defined(f, wideFrom, m):
				msg := fmt.Sprintf("%s: member %q is not a symbol: expected a [symbols.%s] table or a column of a group's file", table, m, m)
				if near := diag.Nearest(m, known); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				}
				errorf("%s", msg)
			}
			seen[m]++
			g.Members = append(g.Members, m)
		}
		u.Groups[key] = g
	}
}

func defined(f *tickersFile, wideFrom map[string]string, sym string) bool {
	_, explicit := f.Symbols[sym]
	_, wide := wideFrom[sym]
	return explicit || wide
}

// series returns symbol's series from column c of t, reporting the column's
// bad cells once however many symbols use it.
func (l *loader) series(t *Table, symbol string, c *Column) (*Series, bool) {
	if err := c.Err(); err != nil {
		if !l.checked[c] {
			l.errs = append(l.errs, err)
			l.checked[c] = true
		}
		return nil, false
	}
	s, err := t.series(symbol, c)
	if err != nil {
		l.errs = append(l.errs, err)
		return nil, false
	}
	return s, true
}

func hasValue(vs []float64) bool {
	for _, v := range vs {
		if v == v { // not NaN
			return true
		}
	}
	return false
}

// tableName strips a TOML table header's spaces and quotes.
var tableName = strings.NewReplacer(" ", "", "\t", "", `"`, "", "'", "")

// tomlLine places a semantic error: the line of key in [table], or of the
// table's header if key is "" or not found; and if value is not "", the line
// and column of that quoted string at or after key (a member of a list),
// skipping its first skip occurrences. It is a best effort: 0 if the table
// is not found.
func tomlLine(data []byte, table, key, value string, skip int) (line, col int) {
	header, keyLine := 0, 0
	for i, text := range strings.Split(string(data), "\n") {
		n := i + 1
		s := strings.TrimSpace(text)
		if strings.HasPrefix(s, "[") {
			if header > 0 {
				break
			}
			name := tableName.Replace(strings.Trim(s, "[]"))
			if name == table {
				header = n
				if key == "" {
					return header, 0
				}
			}
			continue
		}
		if header == 0 {
			continue
		}
		if keyLine == 0 {
			if k, _, ok := strings.Cut(s, "="); !ok || strings.TrimSpace(k) != key {
				continue
			}
			keyLine = n
			if value == "" {
				return keyLine, 0
			}
		}
		for off := 0; ; {
			j := strings.Index(text[off:], `"`+value+`"`)
			if j < 0 {
				break
			}
			if skip == 0 {
				return n, off + j + 1
			}
			skip--
			off += j + len(value) + 2
		}
	}
	if keyLine > 0 {
		return keyLine, 0
	}
	return header, 0
}
