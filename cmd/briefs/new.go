package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing/fstest"
	"text/template"
	"time"

	"briefs/internal/build"
	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/locale"
	"briefs/internal/market"
	"briefs/internal/tmpl"
)

// archetypesDir is where `briefs new` finds its archetypes, inside content/.
const archetypesDir = "archetypes"

// archetype is what an archetype sees between [[ and ]]. Dates are
// YYYY-MM-DD; Month and Week have two digits.
type archetype struct {
	Kind, Lang, Slug   string
	Date, AsOf         string
	DateText, AsOfText string // 2026年2月10日, February 10, 2026
	Year, Month        string // of Date
	ISOYear, Week      string // ISO 8601 year and week of Date

	file string // the archetype, for messages
}

// runNew starts a periodic brief: it copies content/archetypes/<kind>.<lang>.md
// into content/briefs/<slug>/index.<lang>.md for every site language, with
// the date, the as-of trading session and the slug filled in. Nothing is
// written unless every language renders.
func runNew(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", ".", "project `dir` holding content/, templates/ and assets/")
	date := fs.String("date", "", "the brief's `date`, YYYY-MM-DD (default: today in site.toml's timeZone)")
	slug := fs.String("slug", "", "the bundle's folder `name` (default: 2026-02-10-daily, 2026-w07-weekly, 2026-02-monthly, <date>-<kind>)")
	data := fs.String("data", "", "market data `dir` holding tickers.toml (default: site.toml's dataDir in content/)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: briefs new <kind> [flags]\n\n"+
			"Starts a brief from content/archetypes/<kind>.<lang>.md (daily, weekly, monthly, ...)\n"+
			"in content/briefs/<slug>/, one file per site language.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	pos, ok, err := parseInterspersed(fs, args, stdout, stderr)
	if !ok {
		return err
	}
	switch len(pos) {
	case 0:
		fmt.Fprintln(stderr, "briefs new: missing the kind of brief: briefs new daily|weekly|monthly [flags]")
		return errUsage
	case 1:
	default:
		fmt.Fprintf(stderr, "briefs new: unexpected argument %q\n", pos[1])
		return errUsage
	}
	return newBrief(newOptions{Source: *source, Data: *data, Kind: pos[0], Date: *date, Slug: *slug, Now: time.Now()}, stdout)
}

// parseInterspersed parses flags that may come before and after positional
// arguments ("new weekly -date D", "new -date D weekly") and returns the
// positional ones. ok is false as for parseFlags.
func parseInterspersed(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, ok bool, err error) {
	helpTo(fs, args, stdout)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, false, nil
			}
			return nil, false, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, true, nil
		}
		// After "--" everything is positional.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), true, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

type newOptions struct {
	Source, Data string
	Kind         string
	Date         string // "" for today
	Slug         string // "" for the kind's default
	Now          time.Time
}

func newBrief(o newOptions, stdout io.Writer) error {
	cfg := build.Project(o.Source, o.Data, build.Folder)
	site, raw, err := content.ReadConfig(cfg.Content, cfg.ContentName)
	if err != nil {
		return err
	}

	// The kind: one of the archetypes' names.
	kinds, err := archetypeKinds(cfg.Content)
	if err != nil {
		return fmt.Errorf("%s%s: %v", cfg.ContentName, archetypesDir, pathErr(err))
	}
	if !slices.Contains(kinds, o.Kind) {
		msg := fmt.Sprintf("unknown kind of brief %q", o.Kind)
		if near := diag.Nearest(o.Kind, kinds); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		if len(kinds) == 0 {
			return fmt.Errorf("%s: there are no archetypes in %s%s/ (<kind>.<lang>.md)", msg, cfg.ContentName, archetypesDir)
		}
		return fmt.Errorf("%s: known kinds are %s (the archetypes in %s%s/)", msg, strings.Join(kinds, ", "), cfg.ContentName, archetypesDir)
	}
	langs := site.LanguageKeys()
	for _, lang := range langs {
		name := archetypeName(o.Kind, lang)
		if _, err := fs.Stat(cfg.Content, name); err != nil {
			return fmt.Errorf("%s%s: missing archetype: the site's languages are %s, and %q has none for %s",
				cfg.ContentName, name, strings.Join(langs, ", "), o.Kind, lang)
		}
	}

	// The date, and the trading session it is as of.
	var day time.Time
	if o.Date == "" {
		y, m, d := o.Now.In(site.TimeZone).Date()
		day = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	} else if day, err = time.Parse(time.DateOnly, o.Date); err != nil {
		return fmt.Errorf("-date %q: expected a date YYYY-MM-DD", o.Date)
	}
	asof := day
	u, dataName, err := loadUniverse(cfg, site.DataDir)
	if err != nil {
		return err
	}
	if u != nil {
		what := "date " + day.Format(time.DateOnly)
		if o.Date == "" {
			what = "today, " + day.Format(time.DateOnly) + ","
		}
		if asof, err = session(u, day, what, dataName, o.Date == ""); err != nil {
			return err
		}
	}

	// The bundle.
	slug := o.Slug
	if slug == "" {
		slug = defaultSlug(o.Kind, day)
	} else if err := checkSlug(slug); err != nil {
		return fmt.Errorf("-slug %q: %v", slug, err)
	}
	briefsDir := filepath.Join(o.Source, "content", "briefs")
	bundle := filepath.Join(briefsDir, slug)
	if _, err := os.Lstat(bundle); err == nil {
		return fmt.Errorf("%s already exists: pass -slug to start another brief of that date, or remove the folder", filepath.ToSlash(bundle))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}

	// Render every language before writing anything.
	files := map[string][]byte{}
	var errs []error
	for _, lang := range langs {
		a := newArchetype(o.Kind, lang, slug, day, asof)
		a.file = cfg.ContentName + archetypeName(o.Kind, lang)
		src, err := fs.ReadFile(cfg.Content, archetypeName(o.Kind, lang))
		if err != nil {
			errs = append(errs, &diag.Error{File: a.file, Msg: "cannot read: " + pathErr(err), Err: err})
			continue
		}
		out, err := a.render(src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files["index."+lang+".md"] = out
	}
	if len(errs) > 0 {
		return diag.Join(errs)
	}
	if err := checkBriefs(cfg, raw, o.Kind, slug, files); err != nil {
		return err
	}

	// Write into a folder beside content/briefs/, then move it into place.
	if err := os.MkdirAll(briefsDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(briefsDir), ".new-"+slug+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // nothing left once renamed
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(tmp, name), files[name], 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(bundle); err == nil {
		return fmt.Errorf("%s already exists", filepath.ToSlash(bundle))
	}
	if err := os.Rename(tmp, bundle); err != nil {
		return err
	}

	for _, lang := range langs {
		fmt.Fprintf(stdout, "created %s\n", filepath.ToSlash(filepath.Join(bundle, "index."+lang+".md")))
	}
	asofNote := ""
	if !asof.Equal(day) {
		asofNote = fmt.Sprintf(" (the last trading session on or before %s)", day.Format(time.DateOnly))
	}
	fmt.Fprintf(stdout, "date %s, figures as of %s%s; a draft until you remove draft: true.\n",
		day.Format(time.DateOnly), asof.Format(time.DateOnly), asofNote)
	fmt.Fprintln(stdout, "Add your commentary where the comments say, and preview it with: make serve")
	return nil
}

func archetypeName(kind, lang string) string {
	return path.Join(archetypesDir, kind+"."+lang+".md")
}

// archetypeKinds lists the kinds of the archetypes folder: the names of its
// <kind>.<lang>.md files, sorted.
func archetypeKinds(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, archetypesDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var kinds []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || content.Ignored(name) || !strings.HasSuffix(name, ".md") {
			continue
		}
		kind, _, ok := strings.Cut(strings.TrimSuffix(name, ".md"), ".")
		if ok && kind != "" && !slices.Contains(kinds, kind) {
			kinds = append(kinds, kind)
		}
	}
	slices.Sort(kinds)
	return kinds, nil
}

// defaultSlug names the bundle of a kind's brief of a date.
func defaultSlug(kind string, day time.Time) string {
	switch kind {
	case "daily":
		return day.Format(time.DateOnly) + "-daily"
	case "weekly":
		y, w := day.ISOWeek()
		return fmt.Sprintf("%d-w%02d-weekly", y, w)
	case "monthly":
		return day.Format("2006-01") + "-monthly"
	}
	return day.Format(time.DateOnly) + "-" + kind
}

// checkSlug accepts a folder name that is its own URL segment.
func checkSlug(s string) error {
	if s != content.Slug(s) {
		return fmt.Errorf("expected lower-case letters, digits and hyphens (such as %q)", content.Slug(s))
	}
	return nil
}

// loadUniverse loads the market data as build does: the -data folder, or
// site.toml's dataDir inside content/. A content folder without market data
// gives nil.
func loadUniverse(cfg build.Config, dataDir string) (*market.Universe, string, error) {
	fsys, name, ok, err := cfg.MarketData(dataDir)
	if !ok || err != nil {
		return nil, name, err
	}
	u, err := market.Load(fsys, name)
	return u, name, err
}

// session returns the trading session day is as of, refusing a day outside
// the data: before its first session, or after its last session with a
// weekday in between (a session the data does not have yet). A weekend
// right after the last session is as of that session.
//
// For today (latest set), a day after the data's last session is as of that
// session: the brief is dated today and written on the latest data there is.
func session(u *market.Universe, day time.Time, what, dataName string, latest bool) (time.Time, error) {
	first, last, ok := sessionRange(u)
	if !ok {
		return day, nil
	}
	span := fmt.Sprintf("the market data in %s runs from %s to %s", dataName, first.Format(time.DateOnly), last.Format(time.DateOnly))
	if day.Before(first) {
		return time.Time{}, fmt.Errorf("%s is before the first trading session in the data: %s", what, span)
	}
	if latest && day.After(last) {
		return last, nil
	}
	for d := last.AddDate(0, 0, 1); !d.After(day); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return time.Time{}, fmt.Errorf("%s is after the last trading session in the data: %s (update the data, or pass -date)", what, span)
		}
	}
	return u.Session(day), nil
}

// sessionRange returns the first and the last trading session of the data:
// the earliest row of the exchange-traded series (indexes, ETFs, stocks),
// and the session of their latest row.
func sessionRange(u *market.Universe) (first, last time.Time, ok bool) {
	for _, s := range u.Symbols {
		if !market.ExchangeTraded(s.Kind) {
			continue
		}
		ds := s.Series.Dates
		if len(ds) == 0 {
			continue
		}
		if !ok || ds[0].Before(first) {
			first = ds[0]
		}
		if !ok || ds[len(ds)-1].After(last) {
			last = ds[len(ds)-1]
		}
		ok = true
	}
	if ok {
		last = u.Session(last)
	}
	return first, last, ok
}

func newArchetype(kind, lang, slug string, day, asof time.Time) *archetype {
	loc := &locale.Locale{Lang: lang}
	isoYear, week := day.ISOWeek()
	return &archetype{
		Kind: kind, Lang: lang, Slug: slug,
		Date: day.Format(time.DateOnly), AsOf: asof.Format(time.DateOnly),
		DateText: loc.Date(day), AsOfText: loc.Date(asof),
		Year: day.Format("2006"), Month: day.Format("01"),
		ISOYear: strconv.Itoa(isoYear), Week: fmt.Sprintf("%02d", week),
	}
}

// render runs an archetype: a text/template with [[ ]] delimiters, so that
// the {{ }} of the brief body is copied as written.
func (a *archetype) render(src []byte) ([]byte, error) {
	t, err := template.New("archetype").Delims("[[", "]]").Parse(string(src))
	var buf bytes.Buffer
	if err == nil {
		err = t.Execute(&buf, a)
	}
	if err == nil {
		return buf.Bytes(), nil
	}
	s := &tmpl.Source{Name: "archetype", Text: string(src), File: a.file, Line: 1, Col: 1,
		Left: "[[", Right: "]]", Data: a, DataName: "an archetype"}
	return nil, s.Error(err)
}

// checkBriefs reads the rendered files as the build will, so that an
// archetype that makes a brief the build refuses (a bad front matter key,
// an as-of after the date) is reported before anything is written.
func checkBriefs(cfg build.Config, siteTOML []byte, kind, slug string, files map[string][]byte) error {
	fsys := fstest.MapFS{"site.toml": {Data: siteTOML}}
	for name, data := range files {
		fsys["briefs/"+slug+"/"+name] = &fstest.MapFile{Data: data}
	}
	_, err := content.Load(fsys, "")
	var errs []error
	for _, e := range diag.Flatten(err) {
		file := cfg.ContentName + archetypesDir + "/" + kind + ".md"
		var de *diag.Error
		if errors.As(e, &de) {
			if lang, ok := strings.CutPrefix(path.Base(de.File), "index."); ok {
				file = cfg.ContentName + archetypeName(kind, strings.TrimSuffix(lang, ".md"))
			}
			e = &diag.Error{File: de.File[strings.LastIndex(de.File, "/")+1:], Line: de.Line, Col: de.Col, Msg: de.Msg, Err: de.Err}
		}
		errs = append(errs, fmt.Errorf("%s: makes a brief the build refuses: %w", file, e))
	}
	return diag.Join(errs)
}

// pathErr is the reason of a file error without the path it repeats.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
