# Independent computation, with pandas, of the numbers every chart type
# draws, checked against the CSV each chart offers for download
# (data_test.go). Reads the market folder (tickers.toml and its price
# files, as the loader does) and a JSON list of charts: the spec's fields,
# the as-of date and the chart's CSV file. Prints a JSON object: how many
# numbers agree, and the first problems found.
import json, math, sys, tomllib
import numpy as np
import pandas as pd

root, manifest = sys.argv[1], json.load(open(sys.argv[2]))
tickers = tomllib.load(open(f"{root}/tickers.toml", "rb"))

def frame(sym):
    df = pd.read_csv(f"{root}/" + tickers["symbols"][sym]["file"])
    df.columns = [c.lower() for c in df.columns]
    date = "date" if "date" in df.columns else df.columns[0]
    df[date] = pd.to_datetime(df[date])
    return df.set_index(date).sort_index()

frames = {s: frame(s) for s in tickers["symbols"]}
def close(sym):
    return frames[sym]["close"].dropna()

def start_date(end, p):
    if p == "YTD":
        return pd.Timestamp(end.year - 1, 12, 31)
    if p == "QTD":
        return end.to_period("Q").start_time - pd.Timedelta(days=1)
    if p == "MTD":
        return end.replace(day=1) - pd.Timedelta(days=1)
    n, u = int(p[:-1]), p[-1]
    return end - {"W": pd.DateOffset(weeks=n), "M": pd.DateOffset(months=n), "Y": pd.DateOffset(years=n)}[u]

def window(x, p, asof):
    """The rows of x (indexed by date) in the window of period p as of asof."""
    x = x.loc[:asof]
    if p.endswith("D") and p[:-1].isdigit():
        n = int(p[:-1])
        if n >= len(x):
            raise IndexError(p)
        return x.iloc[-1 - n:]
    before = x.loc[:start_date(asof, p)]
    if len(before) == 0:
        raise IndexError(p)
    return x.loc[before.index[-1]:]

def ema_full(x, n):
    seeded = pd.concat([pd.Series([x.iloc[:n].mean()], index=[x.index[n - 1]]), x.iloc[n:]])
    return seeded.ewm(alpha=2 / (n + 1), adjust=False).mean()

def overlay(sym, o, asof):
    x = close(sym).loc[:asof]
    kind, n = o[:3], int(o[3:])
    return x.rolling(n).mean() if kind == "sma" else ema_full(x, n)

def members(c):
    out = list(tickers["groups"][c["group"]]["members"]) if c.get("group") else []
    return out + [s for s in c.get("symbols") or [] if s not in out]

def expected(c):
    """The table the chart should hold: a DataFrame, its first column the key."""
    t, asof, p = c["type"], pd.Timestamp(c["asof"]), c.get("period")
    syms = c.get("symbols") or []
    if t in ("line", "area"):
        w = window(close(syms[0]), p, asof)
        out = pd.DataFrame({syms[0]: w})
        for o in c.get("overlays") or []:
            out[f"{syms[0]} {o}"] = overlay(syms[0], o, asof).loc[w.index]
        return out
    if t == "candlestick":
        f = frames[syms[0]].loc[:asof]
        w = window(f["close"], p, asof)
        out = f.loc[w.index, ["open", "high", "low", "close", "volume"]].astype(float)
        for o in c.get("overlays") or []:
            out[f"{syms[0]} {o}"] = overlay(syms[0], o, asof).loc[w.index]
        return out
    if t in ("rebased", "multiples"):
        cols = {}
        for s in (members(c) if t == "multiples" else syms):
            try:
                w = window(close(s), p, asof)
            except IndexError:
                continue  # a member listed too late: left out
            cols[s] = w / w.iloc[0] * 100
        return pd.DataFrame(cols)
    if t == "ratio":
        a, b = syms
        both = pd.concat([close(a), close(b)], axis=1, keys=[a, b]).dropna().loc[:asof]
        w = window(both, p, asof)
        r = w[a] / w[b]
        return pd.DataFrame({f"{a}/{b}": r / r.iloc[0] * 100, a: w[a], b: w[b]})
    if t == "drawdown":
        return pd.DataFrame({s: (lambda w: w / w.cummax() - 1)(window(close(s), p, asof)) for s in syms})
    if t == "volatility":
        n = c.get("window") or 20
        cols = {}
        for s in syms:
            x = close(s).loc[:asof]
            v = np.log(x).diff().rolling(n).std(ddof=1) * math.sqrt(252)
            cols[s] = v.loc[window(x, p, asof).index]
        return pd.DataFrame(cols)
    if t in ("bar", "table"):
        rows = []
        for s in members(c):
            try:
                w = window(close(s), p, asof)
            except IndexError:
                continue  # a member listed too late: left out, as rank does
            rows.append((s, w.iloc[-1] / w.iloc[0] - 1, w.iloc[0], w.iloc[-1]))
        rows.sort(key=lambda r: (-r[1], r[0]))
        return pd.DataFrame({"return": [r[1] for r in rows], "start_close": [r[2] for r in rows],
                             "end_close": [r[3] for r in rows]}, index=[r[0] for r in rows])
    if t == "scatter":
        rows = []
        for s in members(c):
            try:
                w = window(close(s), p, asof)
            except IndexError:
                continue
            rows.append((s, np.log(w).diff().dropna().std(ddof=1) * math.sqrt(252), w.iloc[-1] / w.iloc[0] - 1))
        return pd.DataFrame({"volatility": [r[1] for r in rows], "return": [r[2] for r in rows]}, index=[r[0] for r in rows])
    if t == "heatmap":
        rows = {}
        for s in members(c):
            vals = []
            for q in c["periods"]:
                try:
                    w = window(close(s), q, asof)
                    vals.append(w.iloc[-1] / w.iloc[0] - 1)
                except IndexError:
                    vals.append(float("nan"))
            rows[s] = vals
        out = pd.DataFrame.from_dict(rows, orient="index", columns=c["periods"])
        return out.sort_values(c["periods"][0], ascending=False, kind="stable", na_position="last")
    raise ValueError(t)

checked, problems = 0, []
for c in manifest:
    want = expected(c)
    got = pd.read_csv(c["csv"], comment="#")
    key = got.columns[0]
    if key == "date":
        got["date"] = pd.to_datetime(got["date"])
    got = got.set_index(key)
    if list(got.index) != list(want.index):
        problems.append(f"{c['name']}: rows {list(got.index)[:5]}... want {list(want.index)[:5]}... ({len(got)} vs {len(want)})")
        continue
    for col in want.columns:
        if col not in got.columns:
            problems.append(f"{c['name']}: no column {col} in {list(got.columns)}")
            continue
        for k, (g, w) in enumerate(zip(got[col], want[col])):
            both_nan = (isinstance(g, float) and math.isnan(g)) and math.isnan(w)
            if both_nan or (not math.isnan(w) and abs(g - w) <= 1e-9 * max(1, abs(w))):
                checked += 1
            else:
                problems.append(f"{c['name']}: {col} row {k} ({got.index[k]}) = {g}, pandas {w}")
                break
print(json.dumps({"checked": checked, "problems": problems[:20]}))
