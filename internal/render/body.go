package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/locale"
	"briefs/internal/market"
)

// A brief's body is a text/template run before Markdown: its functions
// compute figures from the market data as of the brief's date and format
// them for the brief's language (DESIGN.md section 4).

// Kind says what a Figure measures, which decides how it prints by default.
type Kind int

const (
	Level  Kind = iota // a price or index level: 2,689.05
	Change             // a signed fraction: +8.81%
	Share              // an unsigned fraction: 64%
	Points             // a difference of two returns: +10.12 pp
	Ratio              // a plain number: 0.87
	Move               // a signed change of a level, in points: +1.20 pts
)

// Figure is a computed metric: its value, how it was computed, and how it
// prints. Printed as is, it renders as a <data> element whose title holds
// the provenance.
type Figure struct {
	Value float64
	Desc  string
	Kind  Kind
	// Dec is the number of decimals it prints with by default.
	Dec int
	// Unsigned is set by abs: a change printed without its sign, for
	// wording such as "fell 2.54%".
	Unsigned bool

	loc *locale.Locale
}

// String formats f by its kind, wrapped in its provenance.
func (f Figure) String() string {
	switch f.Kind {
	case Change, Share:
		return f.pct(f.Dec)
	case Points:
		return f.pp(f.Dec)
	case Move:
		return f.move(f.Dec)
	}
	return f.data(f.loc.Number(f.Value, f.Dec))
}

// Format makes printf print the number: {{ printf "%.1f" (close "RTY") }}.
// %v and %s print the figure as it shows in a brief.
func (f Figure) Format(st fmt.State, verb rune) {
	switch verb {
	case 'v', 's':
		if f.loc == nil {
			fmt.Fprint(st, f.Value)
			return
		}
		fmt.Fprint(st, f.String())
	default:
		fmt.Fprintf(st, fmt.FormatString(st, verb), f.Value)
	}
}

func (f Figure) data(text string) string {
	return `<data value="` + strconv.FormatFloat(f.Value, 'g', 10, 64) + `" title="` + html.EscapeString(describe(f.Desc, f.loc.Lang)) + `">` + text + `</data>`
}

// signed reports whether f prints with a sign: changes do, unless abs
// took it away.
func (f Figure) signed() bool {
	return (f.Kind == Change || f.Kind == Points || f.Kind == Move) && !f.Unsigned
}

// move prints a change in points: +1.20 pts, +1.20点.
func (f Figure) move(dec int) string {
	s := f.withSign(f.loc.Number(f.Value, dec))
	if f.loc.Lang == "zh" {
		return f.data(s + "点")
	}
	return f.data(s + " pts")
}

func (f Figure) pct(dec int) string {
	if f.signed() {
		return f.data(f.loc.Percent(f.Value, dec))
	}
	return f.data(f.loc.Number(f.Value*100, dec) + "%")
}

// withSign prefixes a number f prints with "+" when f is signed, positive
// and not 0 as printed.
func (f Figure) withSign(s string) string {
	if f.signed() && !strings.HasPrefix(s, "-") && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

func (f Figure) pp(dec int) string {
	s := f.withSign(f.loc.Number(f.Value*100, dec))
	if f.loc.Lang == "zh" {
		return f.data(s + "个百分点")
	}
	return f.data(s + " pp")
}

// errNoData is what a metric says on a site without market data.
var errNoData = errors.New("this site has no market data (no tickers.toml in its data directory)")

// RankRow is one member of a ranking, for templates.
type RankRow struct {
	Rank   int // 1 for the highest
	Symbol string
	Name   string // localized, HTML-escaped as the body is Markdown and HTML
	Value  Figure
}

// bodyFuncs returns the functions of a brief's body, bound to the market as
// of view and to the brief's language.
func bodyFuncs(u *market.Universe, view *market.View, asof time.Time, loc *locale.Locale, lang string) template.FuncMap {
	needData := func() error {
		if view == nil {
			return errNoData
		}
		return nil
	}
	// fig returns how a metric of kind k becomes a figure: compute runs
	// only when there is market data.
	fig := func(k Kind, dec int) func(compute func() (market.Result, error)) (Figure, error) {
		return func(compute func() (market.Result, error)) (Figure, error) {
			if view == nil {
				return Figure{}, errNoData
			}
			r, err := compute()
			return Figure{Value: r.Value, Desc: r.Desc, Kind: k, Dec: dec, loc: loc}, err
		}
	}
	level, change, points, ratio := fig(Level, 2), fig(Change, 2), fig(Points, 2), fig(Ratio, 2)
	share, volatility := fig(Share, 0), fig(Share, 1)
	m := template.FuncMap{
		"printf": printf,
		"close": func(sym string, date ...string) (Figure, error) {
			return level(func() (market.Result, error) {
				switch len(date) {
				case 0:
					return view.Close(sym)
				case 1:
					return view.CloseOn(sym, date[0])
				}
				return market.Result{}, errors.New("expected close SYMBOL [DATE]")
			})
		},
		"ret": func(sym string, args ...string) (Figure, error) {
			return change(func() (market.Result, error) {
				switch len(args) {
				case 1:
					return view.Ret(sym, args[0])
				case 2:
					return view.RetBetween(sym, args[0], args[1])
				}
				return market.Result{}, errors.New(`expected ret SYMBOL PERIOD or ret SYMBOL "YYYY-MM-DD" "YYYY-MM-DD"`)
			})
		},
		"sma": func(sym string, n int) (Figure, error) {
			return level(func() (market.Result, error) { return view.SMA(sym, n) })
		},
		"ema": func(sym string, n int) (Figure, error) {
			return level(func() (market.Result, error) { return view.EMA(sym, n) })
		},
		"vol": func(sym string, n int) (Figure, error) {
			return volatility(func() (market.Result, error) { return view.Vol(sym, n) })
		},
		"drawdown": func(sym, period string) (Figure, error) {
			return change(func() (market.Result, error) { return view.Drawdown(sym, period) })
		},
		"high": func(sym, period string) (Figure, error) {
			return level(func() (market.Result, error) { return view.High(sym, period) })
		},
		"low": func(sym, period string) (Figure, error) {
			return level(func() (market.Result, error) { return view.Low(sym, period) })
		},
		"pctrank": func(sym, period string) (Figure, error) {
			return share(func() (market.Result, error) { return view.PctRank(sym, period) })
		},
		"spread": func(a, b, period string) (Figure, error) {
			return points(func() (market.Result, error) { return view.Spread(a, b, period) })
		},
		"corr": func(a, b string, n int) (Figure, error) {
			return ratio(func() (market.Result, error) { return view.Corr(a, b, n) })
		},
		"beta": func(a, b string, n int) (Figure, error) {
			return ratio(func() (market.Result, error) { return view.Beta(a, b, n) })
		},
		"breadth": func(g string, n int) (Figure, error) {
			return share(func() (market.Result, error) { return view.Breadth(g, n) })
		},
		"rank": func(g, period string) ([]RankRow, error) {
			if err := needData(); err != nil {
				return nil, err
			}
			rows, err := view.Rank(g, period)
			if err != nil {
				return nil, err
			}
			out := make([]RankRow, len(rows))
			for i, r := range rows {
				out[i] = RankRow{Rank: i + 1, Symbol: r.Symbol, Name: html.EscapeString(localName(r.Name, lang, r.Symbol)),
					Value: Figure{Value: r.Value, Desc: r.Desc, Kind: Change, Dec: 2, loc: loc}}
			}
			return out, nil
		},
		"asof": func(sym ...string) (time.Time, error) {
			switch len(sym) {
			case 0:
				return asof, nil
			case 1:
				if err := needData(); err != nil {
					return time.Time{}, err
				}
				return view.AsOfDate(sym[0])
			}
			return time.Time{}, errors.New("expected asof [SYMBOL]")
		},
		// vs is how far a is above b, as a fraction: a/b - 1.
		"vs": func(x, y any) (Figure, error) {
			a, b, err := figures(loc, x, y)
			if err != nil {
				return Figure{}, fmt.Errorf("vs: %w", err)
			}
			if b.Value == 0 {
				return Figure{}, errors.New("vs: the second figure is zero")
			}
			if r := a.Value/b.Value - 1; math.IsInf(r, 0) || math.IsNaN(r) {
				return Figure{}, fmt.Errorf("vs: %g / %g is not a finite number", a.Value, b.Value)
			}
			return Figure{Value: a.Value/b.Value - 1, Desc: a.Desc + " vs " + b.Desc, Kind: Change, Dec: 2, loc: loc}, nil
		},
		// div is a / b: how many times one figure is another.
		"div": func(x, y any) (Figure, error) {
			a, b, err := figures(loc, x, y)
			if err != nil {
				return Figure{}, fmt.Errorf("div: %w", err)
			}
			if b.Value == 0 {
				return Figure{}, errors.New("div: the second figure is zero")
			}
			if r := a.Value / b.Value; math.IsInf(r, 0) || math.IsNaN(r) {
				return Figure{}, fmt.Errorf("div: %g / %g is not a finite number", a.Value, b.Value)
			}
			return Figure{Value: a.Value / b.Value, Desc: a.Desc + " / " + b.Desc, Kind: Ratio, Dec: 2, loc: loc}, nil
		},
		"abs": func(x any) (any, error) {
			switch v := x.(type) {
			case Figure:
				v.Value = math.Abs(v.Value)
				v.Unsigned = true
				return v, nil
			}
			f, err := toFloat(x)
			return math.Abs(f), err
		},
		"top":    func(n int, rows []RankRow) []RankRow { return rows[:min(max(n, 0), len(rows))] },
		"bottom": bottom,

		"pct": func(args ...any) (string, error) {
			f, dec, err := formatArgs("pct", loc, 2, args)
			if err != nil {
				return "", err
			}
			return f.pct(dec), nil
		},
		"pp": func(args ...any) (string, error) {
			f, dec, err := formatArgs("pp", loc, 2, args)
			if err != nil {
				return "", err
			}
			return f.pp(dec), nil
		},
		"num": func(args ...any) (string, error) {
			f, dec, err := formatArgs("num", loc, 2, args)
			if err != nil {
				return "", err
			}
			return f.data(loc.Number(f.Value, dec)), nil
		},
		"price": func(args ...any) (string, error) {
			f, dec, err := formatArgs("price", loc, 2, args)
			if err != nil {
				return "", err
			}
			return f.data(loc.Number(f.Value, dec)), nil
		},
		"date": func(x any) (string, error) {
			switch v := x.(type) {
			case time.Time:
				return loc.Date(v), nil
			case string:
				t, err := time.Parse(time.DateOnly, v)
				if err != nil {
					return "", fmt.Errorf("date %q: expected YYYY-MM-DD", v)
				}
				return loc.Date(t), nil
			}
			return "", fmt.Errorf("date: expected a date, got %T", x)
		},
		"name": func(key string) (string, error) {
			if err := needData(); err != nil {
				return "", err
			}
			if name, ok := displayName(u, key, lang); ok {
				return html.EscapeString(name), nil
			}
			keys := slices.Concat(slices.Collect(maps.Keys(u.Symbols)), slices.Collect(maps.Keys(u.Groups)))
			slices.Sort(keys)
			msg := fmt.Sprintf("unknown symbol or group %q", key)
			if near := diag.Nearest(key, keys); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			return "", errors.New(msg)
		},
		// updown x [flat]: rose or fell, or was flat when x is within
		// ±flat (in x's own units: 0.001 for a return of 0.1%).
		"updown": func(x any, flat ...float64) (string, error) {
			f, err := shown(x)
			if err != nil {
				return "", err
			}
			if len(flat) > 1 || len(flat) == 1 && flat[0] < 0 {
				return "", errors.New("expected updown VALUE [FLAT], FLAT a number >= 0")
			}
			if len(flat) == 1 {
				if v, _ := toFloat(x); math.Abs(v) <= flat[0] {
					f = 0
				}
			}
			id := "flat"
			switch {
			case f > 0:
				id = "up"
			case f < 0:
				id = "down"
			}
			return localized(loc, "body_"+id, nil)
		},
		// bysign picks wording by the sign of x: bysign x "rose" "fell" ["was flat"].
		"bysign": func(x any, pos, neg string, zero ...string) (string, error) {
			f, err := shown(x)
			switch {
			case err != nil:
				return "", err
			case len(zero) > 1:
				return "", errors.New("expected bysign VALUE POSITIVE NEGATIVE [ZERO]")
			case f > 0:
				return pos, nil
			case f < 0:
				return neg, nil
			case len(zero) == 1:
				return zero[0], nil
			}
			return pos, nil
		},
		"T": func(id string, kv ...any) (string, error) {
			data := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				if k, ok := kv[i].(string); ok {
					data[k] = kv[i+1]
				}
			}
			return localized(loc, id, data)
		},
	}
	for name, cmp := range comparisons {
		m[name] = cmp
	}
	maps.Copy(m, moreFuncs(view, loc))
	return m
}

// localized is the UI string id for a body: the text of the message
// HTML-escaped, as a name from tickers.toml is, and the values data fills
// it with put in as they are, for they are the body's own markup (a
// figure's <data> element, an escaped name). A Count, which picks the
// plural form, stays a number.
func localized(loc *locale.Locale, id string, data map[string]any) (string, error) {
	var values []string
	for _, k := range slices.Sorted(maps.Keys(data)) {
		if k == "Count" {
			continue
		}
		values = append(values, fmt.Sprint(data[k]))
		data[k] = placeholder(len(values) - 1)
	}
	s, err := loc.T(id, data)
	if err != nil {
		return "", err
	}
	s = html.EscapeString(s)
	for i, v := range values {
		s = strings.ReplaceAll(s, placeholder(i), v)
	}
	return s, nil
}

// placeholder stands for the i-th value of a UI string while its text is
// escaped: NUL is in no message and left alone by the escaping.
func placeholder(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

func bottom(n int, rows []RankRow) []RankRow {
	n = min(max(n, 0), len(rows))
	out := make([]RankRow, 0, n)
	for i := len(rows) - 1; i >= len(rows)-n; i-- {
		out = append(out, rows[i])
	}
	return out
}

// displayName is the name of a symbol or group in lang, from tickers.toml.
func displayName(u *market.Universe, key, lang string) (string, bool) {
	if s, ok := u.Symbols[key]; ok {
		return localName(s.Name, lang, key), true
	}
	if g, ok := u.Groups[key]; ok {
		return localName(g.Name, lang, key), true
	}
	return key, false
}

func localName(names map[string]string, lang, fallback string) string {
	if n := names[lang]; n != "" {
		return n
	}
	return fallback
}

// formatArgs reads [DECIMALS] VALUE, the value last so that it can be piped:
// {{ ret "RTY" "3M" | pct 1 }}.
func formatArgs(fn string, loc *locale.Locale, dec int, args []any) (Figure, int, error) {
	switch len(args) {
	case 1:
	case 2:
		d, ok := args[0].(int)
		if f, isFloat := args[0].(float64); isFloat && f == math.Trunc(f) {
			d, ok = int(f), true
		}
		if !ok || d < 0 || d > 8 {
			return Figure{}, 0, fmt.Errorf("%s: decimals must be an integer 0..8, got %v", fn, args[0])
		}
		dec = d
	default:
		return Figure{}, 0, fmt.Errorf("expected %s [DECIMALS] VALUE", fn)
	}
	switch v := args[len(args)-1].(type) {
	case Figure:
		return v, dec, nil
	default:
		f, err := toFloat(v)
		if err != nil {
			return Figure{}, 0, fmt.Errorf("%s: %w", fn, err)
		}
		return Figure{Value: f, Kind: Ratio, Dec: dec, loc: loc}, dec, nil
	}
}

// figures reads two figures or numbers; a number becomes a figure that
// describes itself.
func figures(loc *locale.Locale, x, y any) (Figure, Figure, error) {
	var out [2]Figure
	for i, v := range []any{x, y} {
		if f, ok := v.(Figure); ok {
			out[i] = f
			continue
		}
		f, err := toFloat(v)
		if err != nil {
			return Figure{}, Figure{}, err
		}
		out[i] = Figure{Value: f, Desc: strconv.FormatFloat(f, 'g', -1, 64), Kind: Ratio, Dec: 2, loc: loc}
	}
	return out[0], out[1], nil
}

// shown is the value of x as printed: a figure rounded to its decimals, so
// that wording never says "rose" beside "0.00%".
func shown(x any) (float64, error) {
	f, ok := x.(Figure)
	if !ok {
		return toFloat(x)
	}
	scale := 1.0
	if f.Kind != Level && f.Kind != Ratio && f.Kind != Move {
		scale = 100
	}
	p := math.Pow10(f.Dec)
	return math.Round(f.Value*scale*p) / p, nil
}

// toFloat reads a number or a Figure.
func toFloat(x any) (float64, error) {
	switch v := x.(type) {
	case Figure:
		return v.Value, nil
	case float64:
		return v, nil
	case int:
		return float64(v), nil
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	}
	return 0, fmt.Errorf("expected a number, got %T", x)
}

// comparisons replace the template builtins so that figures compare as
// numbers: {{ if gt (ret "RTY" "3M") 0.0 }}. Numbers of any type compare by
// value; other values as the builtins do.
var comparisons = template.FuncMap{
	"eq": func(a any, bs ...any) (bool, error) {
		if len(bs) == 0 {
			return false, errors.New("eq: missing argument for comparison")
		}
		for _, b := range bs {
			c, err := compare(a, b, true)
			if err != nil {
				return false, err
			}
			if c == 0 {
				return true, nil
			}
		}
		return false, nil
	},
	"ne": func(a, b any) (bool, error) { c, err := compare(a, b, true); return c != 0, err },
	"lt": func(a, b any) (bool, error) { c, err := compare(a, b, false); return c < 0, err },
	"le": func(a, b any) (bool, error) { c, err := compare(a, b, false); return c <= 0, err },
	"gt": func(a, b any) (bool, error) { c, err := compare(a, b, false); return c > 0, err },
	"ge": func(a, b any) (bool, error) { c, err := compare(a, b, false); return c >= 0, err },
}

// compare returns -1, 0 or 1; for equality only, a result of 1 means "not
// equal".
func compare(a, b any, equality bool) (int, error) {
	fa, errA := toFloat(a)
	fb, errB := toFloat(b)
	if errA == nil && errB == nil {
		switch {
		case fa < fb:
			return -1, nil
		case fa > fb:
			return 1, nil
		}
		return 0, nil
	}
	sa, okA := a.(string)
	sb, okB := b.(string)
	if okA && okB {
		return strings.Compare(sa, sb), nil
	}
	if equality {
		if a == nil || b == nil {
			if a == b {
				return 0, nil
			}
			return 1, nil
		}
		ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
		if ra.IsValid() && rb.IsValid() && ra.Type() == rb.Type() && ra.Comparable() {
			if ra.Equal(rb) {
				return 0, nil
			}
			return 1, nil
		}
	}
	return 0, fmt.Errorf("cannot compare %T with %T", a, b)
}

// execBody runs the template of a brief's body with the functions funcs
// returns and returns its Markdown. A body without actions is returned as
// is, without making the functions.
//
// The body and its output are capped (see MaxBody), and the template stops
// as soon as ctx is done.
func execBody(ctx context.Context, b *content.Brief, funcs func() template.FuncMap) ([]byte, error) {
	if err := checkSize(b, b.Body, false); err != nil {
		return nil, err
	}
	if !bytes.Contains(b.Body, []byte("{{")) {
		return b.Body, nil
	}
	src, protected := protectCode(b.Body)
	ctx, cancel := context.WithTimeout(ctx, MaxRun)
	defer cancel()
	fm := guarded(ctx, funcs())
	t, err := template.New("body").Funcs(fm).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, parseError(b, src, fm, err)
	}
	if err := checkTemplates(b, t, "body", string(src)); err != nil {
		return nil, err
	}
	if err := checkRanges(b, t); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(b.Body) + len(b.Body)/2)
	w := &boundedWriter{ctx: ctx, buf: &buf, max: MaxOutput}
	if err := execute(ctx, t, w); err != nil {
		switch {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil && errors.Is(context.Cause(ctx), context.DeadlineExceeded):
			return nil, diag.Errorf(b.File, b.BodyLine, 0, "the body's template ran for more than %s: a loop that runs too long?", MaxRun)
		case isCanceled(err):
			return nil, err
		case err == errOutput:
			return nil, diag.Errorf(b.File, b.BodyLine, 0, "%v", err)
		}
		return nil, bodyError(b, err)
	}
	out := buf.Bytes()
	if err := checkSize(b, out, true); err != nil {
		return nil, err
	}
	if protected {
		out = bytes.ReplaceAll(out, codeBraces, []byte("{{"))
	}
	return out, nil
}

// execText runs a front matter value that holds template actions, such as
// a title "Energy {{ updown (ret "XLE" "1W") }} this week", with the
// body's functions, and returns it as plain text: the figures without
// their <data> wrappers, for <title>, lists and feeds. key names the value
// in errors, which point at its line.
func execText(ctx context.Context, b *content.Brief, key, text string, funcs func() template.FuncMap) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	pos := b.Pos[key]
	fail := func(err error) error {
		msg := err.Error()
		if m := textErrRe.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("{{ %s }}: %s", diag.Clip(m[1], diag.MaxQuote), plainTypes.Replace(m[2]))
		} else {
			msg = strings.TrimPrefix(msg, "template: "+key+":")
		}
		return &diag.Error{File: b.File, Line: pos.Line, Col: pos.Col, Msg: key + ": " + msg, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, MaxRun)
	defer cancel()
	t, err := template.New(key).Funcs(guarded(ctx, funcs())).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fail(err)
	}
	if err := checkTemplates(b, t, key, text); err != nil {
		return "", err
	}
	if err := checkRanges(b, t); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w := &boundedWriter{ctx: ctx, buf: &buf, max: 4 << 10}
	if err := execute(ctx, t, w); err != nil {
		if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			return "", &diag.Error{File: b.File, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf("%s: its template ran for more than %s", key, MaxRun)}
		}
		if isCanceled(err) {
			return "", err
		}
		return "", fail(err)
	}
	out := html.UnescapeString(dataTagRe.ReplaceAllString(buf.String(), ""))
	return strings.Join(strings.Fields(out), " "), nil
}

var (
	textErrRe = regexp.MustCompile(`^template: \w+:\d+:\d+: executing "\w+" at <(.*?)>: (?:error calling \w+: )?(.*)$`)
	dataTagRe = regexp.MustCompile(`</?data\b[^>]*>`)
)

// codeBraces stands in for "{{" inside code while the template runs: the
// same length, so positions in error messages stay right.
var codeBraces = []byte("\x00\x01")

// protectCode hides the "{{" of fenced code blocks and inline code spans
// from the template, so that code shows template syntax as written.
func protectCode(body []byte) ([]byte, bool) {
	out := body
	changed := false
	hide := func(lo, hi int) {
		if !bytes.Contains(body[lo:hi], []byte("{{")) {
			return
		}
		if !changed {
			out = bytes.Clone(body)
			changed = true
		}
		seg := out[lo:hi]
		for i := 0; i+1 < len(seg); i++ {
			if seg[i] == '{' && seg[i+1] == '{' {
				seg[i], seg[i+1] = codeBraces[0], codeBraces[1]
				i++
			}
		}
	}
	fence := ""
	for start := 0; start < len(body); {
		end := bytes.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		line := string(body[start:end])
		switch {
		case fence != "":
			if t := strings.TrimSpace(line); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			} else {
				hide(start, end)
			}
		case content.OpenFence(line) != "":
			fence = content.OpenFence(line)
		default:
			for _, span := range codeSpans(line) {
				hide(start+span[0], start+span[1])
			}
		}
		start = end + 1
	}
	return out, changed
}

// codeSpans returns the byte ranges of the inline code spans of line: a run
// of backticks up to the next run of the same length.
func codeSpans(line string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(line); {
		if line[i] != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		closed := false
		for j := i + n; j < len(line); {
			if line[j] != '`' {
				j++
				continue
			}
			m := 0
			for j+m < len(line) && line[j+m] == '`' {
				m++
			}
			if m == n {
				spans = append(spans, [2]int{i, j + m})
				i, closed = j+m, true
				break
			}
			j += m
		}
		if !closed {
			i += n
		}
	}
	return spans
}

// plainTypes names the Go types of the template language as an author
// knows them.
var plainTypes = strings.NewReplacer(
	"[]render.RankRow", "a ranking (rank, top, bottom)",
	"render.RankRow", "a ranking row (.Rank .Symbol .Name .Value)",
	"render.Figure", "a figure",
	"time.Time", "a date",
	"float64", "number",
	"interface {}", "value",
)

var (
	execRe  = regexp.MustCompile(`^template: body:(\d+):(\d+): executing "body" at <(.*?)>: (?:error calling \w+: )?(.*)$`)
	parseRe = regexp.MustCompile(`^template: body:(\d+):(?:(\d+):)? ?(.*)$`)
)

// parseError turns a text/template parse error of a body into a diag.Error
// at the place it is about: the call of an unknown function (with the
// nearest known name), the action a {{ end }} is missing for.
func parseError(b *content.Brief, src []byte, fm template.FuncMap, err error) error {
	msg := err.Error()
	if m := undefinedRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		name := m[2]
		names := append(slices.Collect(maps.Keys(fm)), builtins...)
		text := fmt.Sprintf("unknown function %s", diag.Quote(name))
		if near := diag.Nearest(name, names); near != "" {
			text += fmt.Sprintf(" (did you mean %q?)", near)
		} else {
			text += ": see the README's list of template functions"
		}
		col := 0
		if l := lineOf(src, line); l != "" {
			if i := identIndex(l, name); i >= 0 {
				col = utf8.RuneCountInString(l[:i]) + 1
			}
		}
		return &diag.Error{File: b.File, Line: line + b.BodyLine - 1, Col: col, Msg: text, Err: err}
	}
	if strings.HasSuffix(msg, ": unexpected EOF") {
		if line, col, action, ok := unclosed(src); ok {
			return &diag.Error{File: b.File, Line: line + b.BodyLine - 1, Col: col,
				Msg: fmt.Sprintf("{{ %s }} is never closed: expected an {{ end }} after its content", diag.Clip(action, 60)), Err: err}
		}
	}
	return bodyError(b, err)
}

var (
	undefinedRe = regexp.MustCompile(`^template: body:(\d+): function "([^"]*)" not defined$`)
	actionRe    = regexp.MustCompile(`(?s)\{\{-?\s*(/\*.*?\*/|.*?)\s*-?\}\}`)
	// builtins are text/template's own functions.
	builtins = []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "println", "urlquery", "eq", "ne", "lt", "le", "gt", "ge"}
)

// lineOf returns line n (1-based) of src.
func lineOf(src []byte, n int) string {
	for i, l := range strings.Split(string(src), "\n") {
		if i == n-1 {
			return l
		}
	}
	return ""
}

// identIndex returns the byte index of name in line as a whole word inside
// an action, or -1.
func identIndex(line, name string) int {
	for off := 0; ; {
		i := strings.Index(line[off:], name)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(name)
		before := i == 0 || !isIdent(line[i-1])
		after := end == len(line) || !isIdent(line[end])
		if before && after && strings.LastIndex(line[:i], "{{") > strings.LastIndex(line[:i], "}}") {
			return i
		}
		off = end
	}
}

func isIdent(c byte) bool {
	return c == '_' || c == '.' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// unclosed finds the innermost {{ if }}, {{ range }}, {{ with }}, {{ block }}
// or {{ define }} of src left without its {{ end }}: its 1-based line,
// character column and text.
func unclosed(src []byte) (line, col int, action string, ok bool) {
	type open struct {
		at   int
		text string
	}
	var stack []open
	for _, m := range actionRe.FindAllSubmatchIndex(src, -1) {
		text := string(src[m[2]:m[3]])
		word, _, _ := strings.Cut(text, " ")
		switch word {
		case "if", "range", "with", "block", "define", "while":
			stack = append(stack, open{m[0], text})
		case "end":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 {
		return 0, 0, "", false
	}
	o := stack[len(stack)-1]
	before := src[:o.at]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1, o.text, true
}

// bodyError turns a text/template error into a diag.Error at the brief's
// file, line and column.
func bodyError(b *content.Brief, err error) error {
	msg := err.Error()
	line, col := 0, 0
	if m := execRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		col, _ = strconv.Atoi(m[2])
		col = runeColumn(string(b.Body), line, col)
		msg = fmt.Sprintf("{{ %s }}: %s", diag.Clip(m[3], diag.MaxQuote), plainTypes.Replace(m[4]))
	} else if m := parseRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = plainTypes.Replace(m[3])
		if msg == "unexpected EOF" {
			msg = "unexpected end of the body: an {{ if }}, {{ range }} or {{ with }} is missing its {{ end }}"
		}
	}
	if line > 0 {
		line += b.BodyLine - 1
	}
	return &diag.Error{File: b.File, Line: line, Col: col, Msg: msg, Err: err}
}

// runeColumn turns the 0-based byte offset text/template reports within a
// line into a 1-based column in characters.
func runeColumn(body string, line, off int) int {
	for range line - 1 {
		i := strings.IndexByte(body, '\n')
		if i < 0 {
			return off + 1
		}
		body = body[i+1:]
	}
	if off > len(body) {
		return off + 1
	}
	return utf8.RuneCountInString(body[:off]) + 1
}
