package update

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"briefs/internal/content"
	"briefs/internal/diag"
)

// TestCredentials never shows the credentials of the update URL: not in
// the URL of a message, nor where a server echoes them.
func TestCredentials(t *testing.T) {
	f := newFixture(t, map[string]string{
		"prices/XLB.csv": "Date,Close\n2026-11-20,101.00\n",
		"prices/XLE.csv": "Date,Close\n2026-11-20,50.00\n",
		"prices/XLF.csv": "Date,Close\n2026-11-20,40.00\n",
	})
	f.handle("XLB", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "invalid apikey "+r.URL.Query().Get("apikey"), http.StatusInternalServerError)
	})
	f.handle("XLE", func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		fmt.Fprintf(w, "Date,Close\n2026-11-20,50.00\n2026-11-23,%s-%s\n", user, pass)
	})
	f.handle("XLF", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := http.NewResponseController(w).Hijack()
		defer conn.Close()
		fmt.Fprint(buf, "HTTP/1.0 200 OK\r\n\r\nDate,Close\n2026-11-20,40.00\n2026-11-23,40.50\n2026-11-24,4")
		buf.Flush()
	})
	tmpl, err := content.ParseURLTemplate(strings.Replace(f.srv.URL, "http://", "http://briefs-user:pa55word@", 1) +
		"/{symbol}.csv?from={from}&to={to}&apikey=S3CRETKEY&access_token=T0KENT0KEN")
	if err != nil {
		t.Fatal(err)
	}
	cfg := f.config()
	cfg.URL, cfg.Retries = tmpl, 0
	_, lines, err := f.run(f.options(cfg))
	if err == nil {
		t.Fatal("no error")
	}
	shown := append(lines, strings.Split(err.Error(), "\n")...)
	for _, l := range shown {
		for _, secret := range []string{"briefs-user", "pa55word", "S3CRETKEY", "T0KENT0KEN"} {
			if strings.Contains(l, secret) {
				t.Errorf("%s shown in %q", secret, l)
			}
		}
	}
	for _, want := range []string{
		"XLB download (http://REDACTED@127.0.0.1:",
		"/XLB.csv?from=2026-11-10&to=2026-11-24&apikey=REDACTED&access_token=REDACTED): HTTP 500 Internal Server Error: expected 200 OK (the server said \"invalid apikey REDACTED\")",
		"/XLE.csv?from=2026-11-10&to=2026-11-24&apikey=REDACTED&access_token=REDACTED):3:12: Close \"REDACTED-REDACTED\": expected a number",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if !hasLine(lines, "note: XLF download (http://REDACTED@127.0.0.1:") || !hasLine(lines, "XLB    error: HTTP 500 Internal Server Error: expected 200 OK (the server said \"invalid apikey REDACTED\")") {
		t.Errorf("lines:\n%s", strings.Join(lines, "\n"))
	}
}

// TestHugeInput quotes at most maxQuote bytes of a download's header, cell
// or line in a message, and no message about a download is longer than
// maxMessage.
func TestHugeInput(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	tests := []struct {
		name, download, want string
	}{
		{"header", "Date,Close," + huge + "\n2026-11-20,101.00,1\n", "schema changed: data/prices/XLB.csv has columns Date,Close, the download Date,Close,xxxx"},
		{"header without a date", huge + "\n2026-11-20,101.00\n", "no date column in header (xxxx"},
		{"cell", "Date,Close\n2026-11-20,101.00\n2026-11-23," + huge + "\n", `):3:12: Close "xxxx`},
		{"status", "", "HTTP 500 " + strings.Repeat("x", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"prices/XLB.csv": "Date,Close\n2026-11-20,101.00\n"})
			if tt.download == "" {
				f.handle("XLB", func(w http.ResponseWriter, r *http.Request) {
					conn, buf, _ := http.NewResponseController(w).Hijack()
					defer conn.Close()
					fmt.Fprintf(buf, "HTTP/1.1 500 %s\r\nContent-Length: 0\r\n\r\n", strings.Repeat("x", 100<<10))
					buf.Flush()
				})
			} else {
				f.serve("XLB", tt.download)
			}
			cfg := f.config()
			cfg.Retries = 0
			_, lines, err := f.run(f.options(cfg))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %.2000v\nwant %q", err, tt.want)
			}
			for _, e := range diag.Flatten(err) {
				if n := len(e.Error()); n > maxMessage+200 {
					t.Errorf("a message of %d bytes: %.300s", n, e.Error())
				}
				if strings.Contains(e.Error(), strings.Repeat("x", maxQuote+1)) {
					t.Errorf("more than %d bytes quoted: %.300s", maxQuote, e.Error())
				}
			}
			for _, l := range lines {
				if len(l) > maxMessage+200 {
					t.Errorf("a line of %d bytes: %.300s", len(l), l)
				}
			}
		})
	}
}
