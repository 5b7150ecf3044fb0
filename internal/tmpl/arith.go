package tmpl

import (
	"fmt"
	"math"
	"text/template"

	"briefs/internal/locale"
	"briefs/internal/market"
)

// moreFuncs are the body functions that combine and reformat figures:
// arithmetic, basis points, changes in points, a member's place in a
// ranking and annualized returns.
func moreFuncs(view *market.View, loc *locale.Locale) template.FuncMap {
	arith := func(name, op string, f func(a, b float64) float64) func(x, y any) (Figure, error) {
		return func(x, y any) (Figure, error) {
			a, b, err := figures(loc, x, y)
			if err != nil {
				return Figure{}, fmt.Errorf("%s: %w", name, err)
			}
			v := f(a.Value, b.Value)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Figure{}, fmt.Errorf("%s: %g %s %g is not a finite number", name, a.Value, op, b.Value)
			}
			// The result keeps the kind of the figure it comes from: a
			// return times 12 is still a return.
			k := a
			if a.Kind == Ratio && b.Kind != Ratio {
				k = b
			}
			return Figure{Value: v, Desc: "(" + a.Desc + ") " + op + " (" + b.Desc + ")", Kind: k.Kind, Dec: k.Dec, Unsigned: k.Unsigned, loc: loc}, nil
		}
	}
	return template.FuncMap{
		"add": arith("add", "+", func(a, b float64) float64 { return a + b }),
		"sub": arith("sub", "-", func(a, b float64) float64 { return a - b }),
		"mul": arith("mul", "x", func(a, b float64) float64 { return a * b }),
		// bp prints a change or a spread in basis points: +12 bp, +12个基点.
		"bp": func(args ...any) (string, error) {
			f, dec, err := formatArgs("bp", loc, 0, args)
			if err != nil {
				return "", err
			}
			s := f.withSign(loc.Number(f.Value*10000, dec))
			if loc.Lang == "zh" {
				return f.data(s + "个基点"), nil
			}
			return f.data(s + " bp"), nil
		},
		// change is the move of T's close over P in points: the VIX +1.20.
		"change": func(sym, period string) (Figure, error) {
			if view == nil {
				return Figure{}, errNoData
			}
			r, err := view.Change(sym, period)
			return Figure{Value: r.Value, Desc: r.Desc, Kind: Move, Dec: 2, loc: loc}, err
		},
		// rankof is T's place in the ranking of G by return over P: 1 is
		// the highest.
		"rankof": func(sym, group, period string) (Figure, error) {
			if view == nil {
				return Figure{}, errNoData
			}
			rows, err := view.Rank(group, period)
			if err != nil {
				return Figure{}, err
			}
			for i, r := range rows {
				if r.Symbol == sym {
					return Figure{Value: float64(i + 1), Desc: fmt.Sprintf("%s ranks %d of %d in %s by %s return: %s", sym, i+1, len(rows), group, period, r.Desc), Kind: Ratio, loc: loc}, nil
				}
			}
			return Figure{}, fmt.Errorf("rankof %s %s %s: %s is not among the members ranked", sym, group, period, sym)
		},
		// annret is T's return over P as a yearly rate, compounded over
		// the calendar days of the window.
		"annret": func(sym, period string) (Figure, error) {
			if view == nil {
				return Figure{}, errNoData
			}
			r, err := view.AnnRet(sym, period)
			return Figure{Value: r.Value, Desc: r.Desc, Kind: Change, Dec: 2, loc: loc}, err
		},
	}
}
