package content

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestUpdateConfig(t *testing.T) {
	src := siteTOML + `[update]
url = "https://stooq.com/q/d/l/?s={symbol}&d1={from:20060102}&d2={to:20060102}&i=d"
timeout = "5s"
tolerance = 0
overlap = 3
retries = 0
skip = ["BREADTH"]
[update.symbols]
SPX = "^spx"
`
	cfg, err := ParseConfig("site.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	u := cfg.Update
	if u == nil {
		t.Fatal("no Update")
	}
	if u.Timeout != 5*time.Second || u.Tolerance != 0 || u.Overlap != 3 || u.Retries != 0 ||
		strings.Join(u.Skip, ",") != "BREADTH" || u.Provider("SPX") != "^spx" || u.Provider("XLK") != "XLK" {
		t.Errorf("update: %+v", u)
	}

	// Defaults.
	cfg, err = ParseConfig("site.toml", []byte(siteTOML+"[update]\nurl = \"https://example.org/{symbol}.csv\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	u = cfg.Update
	if u.Timeout != 30*time.Second || u.Tolerance != 0.001 || u.Overlap != 10 || u.Retries != 2 || u.Skip != nil {
		t.Errorf("defaults: %+v", u)
	}

	for kind, want := range map[string]float64{"index": 0.5, "etf": 0.5, "stock": 1, "crypto": 1, "volatility": 2, "breadth": 0, "new kind": 0.5} {
		if got := u.MoveLimit(kind); got != want {
			t.Errorf("default MoveLimit(%q) = %v, want %v", kind, got, want)
		}
	}

	// max_move: one number for every kind, or a table by kind.
	cfg, err = ParseConfig("site.toml", []byte(siteTOML+"[update]\nurl = \"https://example.org/{symbol}.csv\"\nmax_move = 0.8\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range MoveKinds() {
		if got := cfg.Update.MoveLimit(kind); got != 0.8 {
			t.Errorf("max_move = 0.8: MoveLimit(%q) = %v", kind, got)
		}
	}
	cfg, err = ParseConfig("site.toml", []byte(siteTOML+"[update]\nurl = \"https://example.org/{symbol}.csv\"\n[update.max_move]\nindex = 0.3\ncrypto = 3\nbreadth = 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]float64{"index": 0.3, "crypto": 3, "breadth": 0, "etf": 0.5, "volatility": 2} {
		if got := cfg.Update.MoveLimit(kind); got != want {
			t.Errorf("[update.max_move]: MoveLimit(%q) = %v, want %v", kind, got, want)
		}
	}

	// None.
	cfg, err = ParseConfig("site.toml", []byte(siteTOML))
	if err != nil || cfg.Update != nil {
		t.Errorf("no [update]: %+v, %v", cfg.Update, err)
	}
}

func TestUpdateConfigErrors(t *testing.T) {
	// siteTOML has 6 lines: [update] is line 7 and its first key line 8.
	tests := []struct {
		name, update, want string
	}{
		{"no url", "[update]\ntimeout = \"1s\"\n", `site.toml:7: [update] has no url`},
		{"unknown key", "[update]\nurl = \"https://x.org/{symbol}\"\nretry = 3\n", `site.toml:9:1: unknown key "update.retry"`},
		{"unknown placeholder", "[update]\nurl = \"https://x.org/{symbol}?d={form}\"\n", `site.toml:8: update.url: "https://x.org/{symbol}?d={form}": unknown placeholder {form}: expected {symbol}, {from}, {to}, {from:LAYOUT} or {to:LAYOUT} (did you mean {from}?)`},
		{"no symbol", "[update]\nurl = \"https://x.org/data?from={from}\"\n", `site.toml:8: update.url: "https://x.org/data?from={from}" has no {symbol}`},
		{"unclosed", "[update]\nurl = \"https://x.org/{symbol\"\n", `site.toml:8: update.url: "https://x.org/{symbol": a { without its }`},
		{"layout without a date", "[update]\nurl = \"https://x.org/{symbol}?d={to:yesterday}\"\n", `site.toml:8: update.url: "https://x.org/{symbol}?d={to:yesterday}": {to:yesterday}: layout "yesterday" has no date in it`},
		{"layout on symbol", "[update]\nurl = \"https://x.org/{symbol:upper}\"\n", `{symbol:upper}: {symbol} takes no layout`},
		{"not a URL", "[update]\nurl = \"https://x.org:port/{symbol}\"\n", `site.toml:8: update.url: "https://x.org:port/{symbol}" is not a valid URL: invalid port ":port"`},
		{"relative", "[update]\nurl = \"/prices/{symbol}.csv\"\n", `site.toml:8: update.url: "/prices/{symbol}.csv": expected an absolute http(s) URL with a host`},
		{"timeout", "[update]\nurl = \"https://x.org/{symbol}\"\ntimeout = \"30\"\n", `site.toml:9: update.timeout "30": expected a positive duration such as "30s"`},
		{"tolerance", "[update]\nurl = \"https://x.org/{symbol}\"\ntolerance = 5\n", `site.toml:9: update.tolerance = 5: expected a relative difference from 0 up to 1`},
		{"overlap", "[update]\nurl = \"https://x.org/{symbol}\"\noverlap = -1\n", `site.toml:9: update.overlap = -1: expected a number of calendar days`},
		{"retries", "[update]\nurl = \"https://x.org/{symbol}\"\n\nretries = 99\n", `site.toml:10: update.retries = 99: expected a number of retries from 0 to 10`},
		{"skip twice", "[update]\nurl = \"https://x.org/{symbol}\"\nskip = [\"A\", \"A\"]\n", `site.toml:9: update.skip: A is listed twice`},
		{"empty provider symbol", "[update]\nurl = \"https://x.org/{symbol}\"\n[update.symbols]\nSPX = \"\"\n", `site.toml:10: update.symbols.SPX is empty`},
		{"type", "[update]\nurl = \"https://x.org/{symbol}\"\nretries = \"2\"\n", `site.toml:9:`},
		{"max_move negative", "[update]\nurl = \"https://x.org/{symbol}\"\nmax_move = -1\n", `site.toml:9: update.max_move = -1: expected the largest one-day move of a close to accept, such as 0.5 (a rise of up to +50%, a fall of up to -33.3%), or 0 for no limit`},
		{"max_move text", "[update]\nurl = \"https://x.org/{symbol}\"\nmax_move = \"50%\"\n", `site.toml:9: update.max_move = 50%: expected the largest one-day move`},
		{"max_move kind", "[update]\nurl = \"https://x.org/{symbol}\"\n[update.max_move]\netf = 1\nindx = 1\n", `site.toml:11: update.max_move.indx: unknown kind "indx": expected kinds of tickers.toml (index, etf, stock, crypto, volatility, breadth) (did you mean index?)`},
		{"max_move kind inline", "[update]\nurl = \"https://x.org/{symbol}\"\nmax_move = { crypto = 2, indx = 1 }\n", `site.toml:9: update.max_move.indx: unknown kind "indx"`},
		{"max_move value", "[update]\nurl = \"https://x.org/{symbol}\"\n[update.max_move]\ncrypto = -2\n", `site.toml:10: update.max_move.crypto = -2: expected`},
		{"credentials", "[update]\nurl = \"https://me:pa55word@x.org/{symbol}?apikey=S3CRET-KEY&d={form}\"\n", `site.toml:8: update.url: "https://REDACTED@x.org/{symbol}?apikey=REDACTED&d={form}": unknown placeholder {form}`},
		{"credentials, bad URL", "[update]\nurl = \"https://me:pa55word@x.org:port/{symbol}?token=S3CRET-KEY\"\n", `site.toml:8: update.url: "https://REDACTED@x.org:port/{symbol}?token=REDACTED" is not a valid URL: invalid port ":port"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("site.toml", []byte(siteTOML+tt.update))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseConfig with\n%s\n got %v\nwant %q", tt.update, err, tt.want)
			}
			if err != nil && (strings.Contains(err.Error(), "pa55word") || strings.Contains(err.Error(), "S3CRET")) {
				t.Errorf("a credential in %v", err)
			}
		})
	}
}

func TestURLTemplateExpand(t *testing.T) {
	from := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		tmpl, symbol, want string
	}{
		{"https://stooq.com/q/d/l/?s={symbol}&d1={from:20060102}&d2={to:20060102}&i=d", "^spx",
			"https://stooq.com/q/d/l/?s=%5Espx&d1=20261110&d2=20261120&i=d"},
		{"https://x.org/{symbol}.csv?from={from}&to={to}", "XLK", "https://x.org/XLK.csv?from=2026-11-10&to=2026-11-20"},
		{"https://x.org/q?s={symbol}&p1={from:unix}&p2={to:unix}", "BRK B", "https://x.org/q?s=BRK+B&p1=1794268800&p2=1795219200"},
		{"https://x.org/q?s={symbol}&a={from:01/02/2006}", "A&B", "https://x.org/q?s=A%26B&a=11%2F10%2F2026"},
		{"https://x.org/{symbol}", "X", "https://x.org/X"},
	}
	for _, tt := range tests {
		u, err := ParseURLTemplate(tt.tmpl)
		if err != nil {
			t.Errorf("ParseURLTemplate(%q): %v", tt.tmpl, err)
			continue
		}
		if got := u.Expand(tt.symbol, from, to); got != tt.want {
			t.Errorf("%q.Expand(%q):\n got %s\nwant %s", tt.tmpl, tt.symbol, got, tt.want)
		}
		if u.String() != tt.tmpl {
			t.Errorf("String() = %q, want %q", u.String(), tt.tmpl)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct {
		in, want string
		secrets  []string
	}{
		{"https://x.org/{symbol}.csv?from={from}", "https://x.org/{symbol}.csv?from={from}", nil},
		{"https://user:pa55word@x.org/q?s=A", "https://REDACTED@x.org/q?s=A", []string{"user", "pa55word"}},
		{"https://APIKEY1234@x.org/q", "https://REDACTED@x.org/q", []string{"APIKEY1234"}},
		{"https://x.org/q?s=A&apikey=abc%2Bdef&api_key=k2k2k2&access_token=tok1tok1&X-Amz-Signature=sig9sig9&password=pw12pw12&session=ses1ses1&interval=d#frag",
			"https://x.org/q?s=A&apikey=REDACTED&api_key=REDACTED&access_token=REDACTED&X-Amz-Signature=REDACTED&password=REDACTED&session=REDACTED&interval=d#frag",
			[]string{"abc%2Bdef", "abc+def", "k2k2k2", "tok1tok1", "sig9sig9", "pw12pw12", "ses1ses1"}},
		{"https://x.org/q?token=ab", "https://x.org/q?token=REDACTED", nil}, // too short to blank out of other text
		{"not a URL ?key=value", "not a URL ?key=REDACTED", []string{"value"}},
	}
	for _, tt := range tests {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if got := URLSecrets(tt.in); !slices.Equal(got, tt.secrets) {
			t.Errorf("URLSecrets(%q) = %q, want %q", tt.in, got, tt.secrets)
		}
	}
	secrets := URLSecrets("https://me:pa55word@x.org/q?apikey=S3CRET")
	text := `Get "https://me:pa55word@x.org/q?apikey=S3CRET&s=A": the server said "bad key S3CRET" (see https://x.org/help?token=t0k3n)`
	want := `Get "https://REDACTED@x.org/q?apikey=REDACTED&s=A": the server said "bad key REDACTED" (see https://x.org/help?token=REDACTED)`
	if got := RedactText(text, secrets); got != want {
		t.Errorf("RedactText\n got %s\nwant %s", got, want)
	}
}
