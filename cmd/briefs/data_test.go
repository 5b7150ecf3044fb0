package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"briefs/internal/market"
)

// provider serves, for every price file of a data folder with a single
// symbol, a download in a provider's shape (Date first, ISO dates, oldest
// first, the file's columns): its last three rows again, then the same
// prices on the sessions of 2026-11-23 and 2026-11-24. A symbol in fail
// gets an HTTP 503.
func provider(t *testing.T, dataDir string, fail ...string) *httptest.Server {
	t.Helper()
	entries, err := market.Entries(os.DirFS(dataDir), "")
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, e := range entries {
		if e.Group || e.Column != "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dataDir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		bodies[e.Key] = download(t, e.File, data)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sym := r.URL.Query().Get("s")
		for _, f := range fail {
			if sym == f {
				http.Error(w, "try later", http.StatusServiceUnavailable)
				return
			}
		}
		body, ok := bodies[sym]
		if !ok {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// download makes a provider's file from a stored one.
func download(t *testing.T, name string, data []byte) string {
	t.Helper()
	table, err := market.ParseCSV(name, data)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	var cols []int // the value columns: not the date, not an unnamed index
	for i, h := range header {
		if strings.TrimSpace(h) != table.DateColumn && h != "" {
			cols = append(cols, i)
		}
	}
	byLine := map[int][]string{}
	for i, rec := range recs[1:] {
		byLine[i+2] = rec // one line per record in these files
	}
	var b strings.Builder
	b.WriteString("Date")
	for _, c := range cols {
		b.WriteString("," + header[c])
	}
	b.WriteString("\n")
	row := func(d time.Time, rec []string) {
		b.WriteString(d.Format(time.DateOnly))
		for _, c := range cols {
			fmt.Fprintf(&b, ",%q", rec[c])
		}
		b.WriteString("\n")
	}
	n := len(table.Dates)
	for i := n - 3; i < n; i++ {
		row(table.Dates[i], byLine[table.Lines[i]])
	}
	last := byLine[table.Lines[n-1]]
	for _, d := range []string{"2026-11-23", "2026-11-24"} {
		day, _ := time.Parse(time.DateOnly, d)
		row(day, last)
	}
	return b.String()
}

// updateProject is a project with the repository's site settings and
// market data, updated from srv.
func updateProject(t *testing.T, extra string) string {
	t.Helper()
	dir := newProject(t)
	p := filepath.Join(dir, "content", "site.toml")
	site, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(site, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func updateTable(srv *httptest.Server) string {
	return fmt.Sprintf("\n[update]\nurl = %q\ntimeout = \"5s\"\nretries = 1\nskip = [\"SP500FRED\"]\n", srv.URL+"/?s={symbol}&from={from}&to={to}")
}

// afterClose is Tuesday 2026-11-24 after the close in New York: the
// repository's data ends on Friday 2026-11-20.
func afterClose(t *testing.T) time.Time {
	tz, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2026, 11, 24, 18, 0, 0, 0, tz)
}

// TestDataUpdate updates the repository's sample data from a provider:
// every file with a symbol of its own gets two rows in its own format, the
// data still loads, and a second run changes nothing.
func TestDataUpdate(t *testing.T) {
	dir := newProject(t)
	dataDir := filepath.Join(dir, "content", "data")
	srv := provider(t, dataDir)
	dir = updateProject(t, updateTable(srv))
	dataDir = filepath.Join(dir, "content", "data")
	before := snapshot(t, dir)
	o := updateOptions{Source: dir, Jobs: 4, Now: afterClose(t), Backoff: func(int) time.Duration { return 0 }}

	// A dry run writes nothing.
	var stdout, stderr bytes.Buffer
	o.DryRun = true
	if err := dataUpdate(context.Background(), o, &stdout, &stderr); err != nil {
		t.Fatalf("dry run: %v\n%s", err, stderr.String())
	}
	if !strings.HasSuffix(stdout.String(), "\ndry run: would update 30 files with 60 rows, 0 up to date; nothing written\n") {
		t.Errorf("dry run printed:\n%s", stdout.String())
	}
	sameFiles(t, before, snapshot(t, dir))

	stdout.Reset()
	o.DryRun = false
	if err := dataUpdate(context.Background(), o, &stdout, &stderr); err != nil {
		t.Fatalf("update: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"note: skipped " + filepath.ToSlash(dataDir) + "/prices/sp500_2024.csv, a wide file (groups.sp500_2024): update it by hand\n",
		"\nXLK    +2 rows   2026-11-23 … 2026-11-24\n",
		"\nSPY_TA +2 rows   2026-11-23 … 2026-11-24\n",
		"\nupdated 30 files with 60 rows, 0 up to date\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SP500FRED") {
		t.Errorf("SP500FRED is skipped:\n%s", out)
	}
	after := snapshot(t, dir)
	for _, f := range []struct{ name, tail string }{
		{"data/prices/XLK.csv", "\n2026-11-20,208.27\n2026-11-23,208.27\n2026-11-24,208.27\n"},
		{"data/prices/VIX.csv", "\n11/20/2026,13.97,15.89,13.75,15.30\n11/23/2026,13.97,15.89,13.75,15.30\n11/24/2026,13.97,15.89,13.75,15.30\n"},
		{"data/prices/SPY_TA.csv", "\n2989,2026-11-20,614.83,620.79,611.53,619.11,192800921\n2990,2026-11-23,614.83,620.79,611.53,619.11,192800921\n2991,2026-11-24,614.83,620.79,611.53,619.11,192800921\n"},
		{"data/prices/SP500FRED.csv", "\n2026-11-20,6263.09\n"},
	} {
		if !strings.HasSuffix(after[f.name], f.tail) {
			t.Errorf("%s ends %q, want %q", f.name, after[f.name][max(0, len(after[f.name])-200):], f.tail)
		}
		if !strings.HasPrefix(after[f.name], before[f.name][:len(before[f.name])-len("\n")]) {
			t.Errorf("%s: stored rows changed", f.name)
		}
	}
	s5th := after["data/prices/S5TH.csv"]
	if want := "\uFEFF\"Date\",\"Price\",\"Open\",\"High\",\"Low\",\"Vol.\",\"Change %\"\n" +
		"\"11/24/2026\",\"64.41\",\"62.51\",\"64.63\",\"62.04\",\"\",\"+2.21%\"\n" +
		"\"11/23/2026\",\"64.41\",\"62.51\",\"64.63\",\"62.04\",\"\",\"+2.21%\"\n" +
		"\"11/20/2026\","; !strings.HasPrefix(s5th, want) {
		t.Errorf("S5TH.csv begins %q, want %q", s5th[:200], want)
	}
	u, err := market.Load(os.DirFS(dataDir), "content/data/")
	if err != nil {
		t.Fatalf("market.Load after the update: %v", err)
	}
	if ds := u.Symbols["XLK"].Series.Dates; ds[len(ds)-1].Format(time.DateOnly) != "2026-11-24" {
		t.Errorf("XLK ends %s", ds[len(ds)-1])
	}

	// Again: nothing to do.
	stdout.Reset()
	if err := dataUpdate(context.Background(), o, &stdout, &stderr); err != nil {
		t.Fatalf("second update: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "\nXLK    up to date (2026-11-24)\n") || !strings.HasSuffix(stdout.String(), "\nupdated 0 files, 30 up to date\n") {
		t.Errorf("second update printed:\n%s", stdout.String())
	}
	sameFiles(t, after, snapshot(t, dir))
}

// TestDataUpdateFails writes nothing when one symbol fails, and prints
// every error.
func TestDataUpdateFails(t *testing.T) {
	dir := newProject(t)
	srv := provider(t, filepath.Join(dir, "content", "data"), "XLE", "GLD")
	dir = updateProject(t, updateTable(srv))
	before := snapshot(t, dir)
	var stdout, stderr bytes.Buffer
	o := updateOptions{Source: dir, Jobs: 8, Now: afterClose(t), Backoff: func(int) time.Duration { return 0 }}
	if err := dataUpdate(context.Background(), o, &stdout, &stderr); err != errReported {
		t.Fatalf("got %v, want errReported", err)
	}
	sameFiles(t, before, snapshot(t, dir))
	re := regexp.MustCompile(`^error: GLD download \(http://127\.0\.0\.1:\d+/\?s=GLD&from=2026-11-10&to=2026-11-24\): HTTP 503 Service Unavailable: expected 200 OK \(the server said "try later"\) \(2 attempts\)
error: XLE download \(http://127\.0\.0\.1:\d+/\?s=XLE&from=2026-11-10&to=2026-11-24\): HTTP 503 Service Unavailable: expected 200 OK \(the server said "try later"\) \(2 attempts\)
2 errors
nothing written: 2 of 30 symbols failed
$`)
	if !re.MatchString(stderr.String()) {
		t.Errorf("stderr:\n%s\nwant match for\n%s", stderr.String(), re)
	}
	for _, want := range []string{"\nXLE    error: HTTP 503 Service Unavailable: expected 200 OK", "\nXLK    +2 rows"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "updated") {
		t.Errorf("a summary after a failure:\n%s", stdout.String())
	}
}

// TestDataUsage checks the command line's refusals.
func TestDataUsage(t *testing.T) {
	plain := newProject(t)
	withUpdate := updateProject(t, "\n[update]\nurl = \"http://127.0.0.1:9/{symbol}\"\n")
	tests := []struct {
		args []string
		want string // on stderr, or in the error
	}{
		{[]string{"data"}, "Usage: briefs data <command>"},
		{[]string{"data", "fetch"}, `briefs data: unknown command "fetch"`},
		{[]string{"data", "update", "-source", plain}, "content/site.toml: no [update] table: add one saying where to download prices, such as\n  [update]\n  url = \"https://stooq.com/"},
		{[]string{"data", "update", "-source", withUpdate, "XLKK"}, `unknown symbol "XLKK": expected a symbol of ` + filepath.ToSlash(withUpdate) + `/content/data/tickers.toml (did you mean XLK?)`},
		{[]string{"data", "update", "-source", withUpdate, "-jobs", "0"}, "-jobs 0: expected at least 1"},
		{[]string{"data", "update", "-source", withUpdate, "-data", filepath.Join(withUpdate, "nowhere")}, "nowhere/tickers.toml: cannot read"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tt.args, &stdout, &stderr)
		if err == nil {
			t.Errorf("%q: no error", tt.args)
			continue
		}
		if got := stderr.String() + err.Error(); !strings.Contains(got, tt.want) {
			t.Errorf("%q:\n got %s\nwant %q", tt.args, got, tt.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"data", "update", "-h"}, &stdout, &stderr); err != nil || !strings.Contains(stdout.String(), "-dry-run") {
		t.Errorf("-h: %v\n%s", err, stdout.String())
	}
}

// TestDataUpdateCredentials never prints the credentials of the update URL:
// not in a bad site.toml's message, a download's error, a note or a
// progress line.
func TestDataUpdateCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/XLB.csv":
			http.Error(w, "bad key "+r.URL.Query().Get("apikey"), http.StatusForbidden)
		case "/XLE.csv":
			conn, buf, _ := http.NewResponseController(w).Hijack()
			defer conn.Close()
			fmt.Fprint(buf, "HTTP/1.0 200 OK\r\n\r\nDate,Close\n2026-11-20,50.00\n2026-11-23,50.50\n2026-11-24,5")
			buf.Flush()
		}
	}))
	t.Cleanup(srv.Close)
	withSecrets := strings.Replace(srv.URL, "http://", "http://briefs-user:pa55word@", 1) + "/{symbol}.csv?from={from}&to={to}&apikey=S3CRETKEY"
	project := func(url string) string {
		dir := t.TempDir()
		for name, data := range map[string]string{
			"content/site.toml":           site + fmt.Sprintf("[update]\nurl = %q\n", url),
			"content/data/tickers.toml":   "[symbols.XLB]\nfile = \"prices/XLB.csv\"\nname = { en = \"Materials\" }\nkind = \"etf\"\n[symbols.XLE]\nfile = \"prices/XLE.csv\"\nname = { en = \"Energy\" }\nkind = \"etf\"\n",
			"content/data/prices/XLB.csv": "Date,Close\n2026-11-20,101.00\n",
			"content/data/prices/XLE.csv": "Date,Close\n2026-11-20,50.00\n",
		} {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	secret := regexp.MustCompile(`briefs-user|pa55word|S3CRETKEY`)

	var stdout, stderr bytes.Buffer
	o := updateOptions{Source: project(withSecrets), Jobs: 2, Now: afterClose(t), Backoff: func(int) time.Duration { return 0 }}
	err := dataUpdate(context.Background(), o, &stdout, &stderr)
	if err != errReported {
		t.Fatalf("got %v, want errReported", err)
	}
	out := stdout.String() + stderr.String()
	if secret.MatchString(out) {
		t.Errorf("a credential printed:\n%s", out)
	}
	for _, want := range []string{
		"error: XLB download (http://REDACTED@127.0.0.1:",
		"&apikey=REDACTED): HTTP 403 Forbidden: expected 200 OK (the server said \"bad key REDACTED\")",
		"note: XLE download (http://REDACTED@127.0.0.1:",
		"left out its last line 4 (2026-11-24), \"2026-11-24,5\": the download ends without a line end",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	o.Source = project(strings.Replace(withSecrets, "{from}", "{form}", 1))
	err = dataUpdate(context.Background(), o, &stdout, &stderr)
	if err == nil || secret.MatchString(err.Error()) || !strings.Contains(err.Error(), `content/site.toml:8: update.url: "http://REDACTED@127.0.0.1:`) {
		t.Errorf("a bad url: %v", err)
	}
}
