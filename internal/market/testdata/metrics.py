# Independent computation of the metrics of DESIGN section 4 with pandas, for
# metrics_test.go: reads the fixture CSV (date + one column per symbol, empty
# cells are gaps) and a JSON list of queries, prints a JSON list of results.
import json, math, sys
import numpy as np
import pandas as pd

df = pd.read_csv(sys.argv[1], parse_dates=["date"], index_col="date")
queries = json.load(open(sys.argv[2]))
# A's open, high, low, close and volume (a Yahoo-style file).
ohlc = pd.read_csv(sys.argv[3], parse_dates=["date"], index_col="date")
groups = {"G": list(df.columns)}

def upto(sym, asof):
    return df[sym].dropna().loc[:asof]

def start_date(end, p):
    if p == "YTD":
        return pd.Timestamp(end.year - 1, 12, 31)
    if p == "QTD":
        return end.to_period("Q").start_time - pd.Timedelta(days=1)
    if p == "MTD":
        return end.replace(day=1) - pd.Timedelta(days=1)
    n, u = int(p[:-1]), p[-1]
    return end - {"W": pd.DateOffset(weeks=n), "M": pd.DateOffset(months=n), "Y": pd.DateOffset(years=n)}[u]

def window(sym, p, asof):
    x = upto(sym, asof)
    if p[:-1].isdigit() and p.endswith("D"):
        n = int(p[:-1])
        if n >= len(x):
            raise IndexError(p)
        return x.iloc[-1 - n:]
    return x.loc[x.loc[:start_date(asof, p)].index[-1]:]

def ret(sym, p, asof):
    w = window(sym, p, asof)
    return w.iloc[-1] / w.iloc[0] - 1

def sma(sym, n, asof):
    return upto(sym, asof).rolling(n).mean().iloc[-1]

def ema(sym, n, asof):
    x = upto(sym, asof)
    if len(x) < n:
        raise IndexError(n)
    seeded = pd.concat([pd.Series([x.iloc[:n].mean()]), x.iloc[n:].reset_index(drop=True)])
    return seeded.ewm(alpha=2 / (n + 1), adjust=False).mean().iloc[-1]

def pair(a, b, n, asof):
    both = pd.concat([df[a], df[b]], axis=1).loc[:asof].dropna()
    if len(both) < n + 1:
        raise IndexError(n)
    both = both.iloc[-(n + 1):]
    return both.pct_change().dropna()

def run(q):
    m, a, asof = q["m"], q["args"], pd.Timestamp(q["asof"])
    if m == "close":
        return upto(a[0], asof).iloc[-1]
    # A brief cannot see a date after its as-of date: no answer.
    if m in ("closeOn", "retBetween", "openOn", "volumeOn") and any(pd.Timestamp(x) > asof for x in a[1:]):
        raise IndexError(a)
    if m == "closeOn":
        return upto(a[0], pd.Timestamp(a[1])).iloc[-1]
    if m == "ret":
        return ret(a[0], a[1], asof)
    if m == "retBetween":
        return upto(a[0], pd.Timestamp(a[2])).iloc[-1] / upto(a[0], pd.Timestamp(a[1])).iloc[-1] - 1
    if m == "sma":
        return sma(a[0], int(a[1]), asof)
    if m == "ema":
        return ema(a[0], int(a[1]), asof)
    if m == "vol" and len(upto(a[0], asof)) < int(a[1]) + 1:
        raise IndexError(a)
    if m == "vol":
        return np.log(upto(a[0], asof)).diff().iloc[-int(a[1]):].std(ddof=1) * math.sqrt(252)
    if m in ("open", "volume"):
        return float(ohlc[m].loc[:asof].iloc[-1])
    if m in ("openOn", "volumeOn"):
        return float(ohlc[m[:-2]].loc[:pd.Timestamp(a[1])].iloc[-1])
    if m == "atr":
        n, x = int(a[1]), ohlc.loc[:asof]
        if len(x) < n + 1:
            raise IndexError(a)
        prev = x["close"].shift(1)
        tr = pd.concat([x["high"], prev], axis=1).max(axis=1) - pd.concat([x["low"], prev], axis=1).min(axis=1)
        return tr.iloc[-n:].mean()
    if m == "change":
        w = window(a[0], a[1], asof)
        return w.iloc[-1] - w.iloc[0]
    if m == "annret":
        w = window(a[0], a[1], asof)
        days = (w.index[-1] - w.index[0]).days
        if days < 1:
            raise IndexError(a)
        return (w.iloc[-1] / w.iloc[0]) ** (365.25 / days) - 1
    if m == "drawdown":
        w = window(a[0], a[1], asof)
        return (w / w.cummax() - 1).min()
    if m == "high":
        return window(a[0], a[1], asof).max()
    if m == "low":
        return window(a[0], a[1], asof).min()
    if m == "pctrank":
        w = window(a[0], a[1], asof)
        return (w <= w.iloc[-1]).mean()
    if m == "spread":
        return ret(a[0], a[2], asof) - ret(a[1], a[2], asof)
    if m == "corr":
        r = pair(a[0], a[1], int(a[2]), asof)
        return r.corr().iloc[0, 1]
    if m == "beta":
        r = pair(a[0], a[1], int(a[2]), asof)
        return r.cov().iloc[0, 1] / r.iloc[:, 1].var()
    if m == "breadth":
        n = int(a[1])
        # Members without n closes yet are left out; with none left, no answer.
        members = [s for s in groups[a[0]] if len(upto(s, asof)) >= n]
        if not members:
            raise IndexError(a)
        return float(np.mean([upto(s, asof).iloc[-1] > sma(s, n, asof) for s in members]))
    if m == "rank":
        rs = sorted(((ret(s, a[1], asof), s) for s in groups[a[0]]), key=lambda t: (-t[0], t[1]))
        return [[s, v] for v, s in rs]
    raise ValueError(m)

def safe(q):
    # A window reaching before the first row has no answer: null, and the Go
    # side must report an error for exactly those queries.
    # So is a rolling figure over fewer rows than it needs (NaN).
    try:
        r = run(q)
    except IndexError:
        return None
    if isinstance(r, float) and math.isnan(r):
        return None
    return r

print(json.dumps([safe(q) for q in queries]))
