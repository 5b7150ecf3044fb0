package tmpl

import (
	"errors"
	"fmt"
	"html"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"briefs/internal/diag"
	"briefs/internal/locale"
	"briefs/internal/market"
)

// errNoData is what a metric says on a site without market data.
var errNoData = errors.New("this site has no market data (no tickers.toml in its data directory)")

// RankRow is one member of a ranking, for templates.
type RankRow struct {
	Rank   int // 1 for the highest
	Symbol string
	Name   string // localized, HTML-escaped as the body is Markdown and HTML
	Value  Figure
}

// Funcs returns the functions of a brief's body, title and summary, bound
// to the market as of view and to the brief's language.
func Funcs(u *market.Universe, view *market.View, asof time.Time, loc *locale.Locale, lang string) template.FuncMap {
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
			if name, ok := DisplayName(u, key, lang); ok {
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

// DisplayName is the name of a symbol or group in lang, from tickers.toml.
func DisplayName(u *market.Universe, key, lang string) (string, bool) {
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
