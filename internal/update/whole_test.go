package update

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestCutBody serves a download whose body ends inside its last row, over
// each transport that can end a body early without an error, and checks
// the last row is added only when it is provably whole.
func TestCutBody(t *testing.T) {
	const stored = "Date,Close\n2026-11-19,6250.10\n2026-11-20,6263.09\n"
	const rows = "Date,Close\n2026-11-19,6250.10\n2026-11-20,6263.09\n2026-11-23,6283.10\n"

	// http10 answers over the raw connection as an HTTP/1.0 server does
	// without a Content-Length: the body ends where the connection closes.
	http10 := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.0 200 OK\r\nContent-Type: text/csv\r\n\r\n%s", body)
			buf.Flush()
		}
	}
	// chunked ends a chunked body cleanly, as a proxy does when its
	// upstream broke off.
	chunked := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/csv")
			fmt.Fprint(w, body[:len(body)/2])
			http.NewResponseController(w).Flush() // no Content-Length from here on
			fmt.Fprint(w, body[len(body)/2:])
		}
	}
	// length announces the length of the body it sends, as a cache that
	// stored a cut payload does.
	length := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			fmt.Fprint(w, body)
		}
	}
	// gzipped sends the body compressed: the gzip trailer checks its end.
	gzipped := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			fmt.Fprint(zw, body)
			zw.Close()
		}
	}

	const unannounced = "the download ends without a line end, and its length was not announced (no Content-Length), so the row may be cut short; the next update fetches the row again"
	tests := []struct {
		name    string
		stored  string
		handler http.HandlerFunc
		want    string // the file after the update
		note    string // in the progress lines; "" for none
	}{
		{"HTTP/1.0, cut", stored, http10(rows + "2026-11-24,629"), stored + "2026-11-23,6283.10\n",
			`left out its last line 5 (2026-11-24), "2026-11-24,629": ` + unannounced},
		{"HTTP/1.0, cut after the comma", stored, http10(rows + "2026-11-24,"), stored + "2026-11-23,6283.10\n",
			`left out its last line 5 (2026-11-24), "2026-11-24,": ` + unannounced},
		{"HTTP/1.0, cut in the date", stored, http10(rows + "2026-11-2"), stored + "2026-11-23,6283.10\n",
			`left out its last line 5, "2026-11-2": ` + unannounced},
		{"HTTP/1.0, whole", stored, http10(rows + "2026-11-24,6291.55\n"), stored + "2026-11-23,6283.10\n2026-11-24,6291.55\n", ""},
		{"HTTP/1.0, whole but unterminated", stored, http10(rows + "2026-11-24,6291.55"), stored + "2026-11-23,6283.10\n",
			`left out its last line 5 (2026-11-24), "2026-11-24,6291.55": ` + unannounced},
		{"chunked, cut", stored, chunked(rows + "2026-11-24,629"), stored + "2026-11-23,6283.10\n",
			`left out its last line 5 (2026-11-24), "2026-11-24,629": ` + unannounced},
		{"chunked, whole", stored, chunked(rows + "2026-11-24,6291.55\n"), stored + "2026-11-23,6283.10\n2026-11-24,6291.55\n", ""},
		{"Content-Length of a cut payload", stored, length(rows + "2026-11-24,629"), stored + "2026-11-23,6283.10\n",
			`left out its last line 5 (2026-11-24), "2026-11-24,629": it ends without a line end, and its last field, Close "629", has 0 decimals where other rows have 2 ("6250.10"); the next update fetches the row again`},
		{"Content-Length of a payload cut in the decimals", stored, length(rows + "2026-11-24,6291.5"), stored + "2026-11-23,6283.10\n",
			`its last field, Close "6291.5", has 1 decimal where other rows have 2 ("6250.10")`},
		{"Content-Length, cut in the date", stored, length(rows + "2026-11-2"), stored + "2026-11-23,6283.10\n",
			`left out its last line 5, "2026-11-2": it ends without a line end after 1 of 2 fields`},
		{"Content-Length, whole but unterminated", stored, length(rows + "2026-11-24,6291.55"), stored + "2026-11-23,6283.10\n2026-11-24,6291.55\n", ""},
		{"Content-Length, unterminated, the stored rows show the decimals", stored, length("Date,Close\n2026-11-20,\n2026-11-24,6291.55"), stored + "2026-11-24,6291.55\n", ""},
		{"gzip, cut", stored, gzipped(rows + "2026-11-24,629"), stored + "2026-11-23,6283.10\n",
			`has 0 decimals where other rows have 2`},
		{"gzip, whole", stored, gzipped(rows + "2026-11-24,6291.55"), stored + "2026-11-23,6283.10\n2026-11-24,6291.55\n", ""},
		{"Content-Length, an integer last field proves nothing", "Date,Close,Volume\n2026-11-20,6263.09,100\n",
			length("Date,Close,Volume\n2026-11-20,6263.09,100\n2026-11-23,6283.10,200\n2026-11-24,6291.55,1928"),
			"Date,Close,Volume\n2026-11-20,6263.09,100\n2026-11-23,6283.10,200\n",
			`its last field, Volume "1928", has no decimals to show it is whole`},
		{"Content-Length, a quoted last field that closed", "\"Date\",\"Price\"\n\"11/20/2026\",\"6263.09\"\n",
			length("Date,Price\n2026-11-20,6263.09\n2026-11-23,\"6283.1\""),
			"\"Date\",\"Price\"\n\"11/20/2026\",\"6263.09\"\n\"11/23/2026\",\"6283.1\"\n", ""},
		{"Content-Length, variable decimals prove nothing", stored, length("Date,Close\n2026-11-19,6250.1\n2026-11-20,6263.09\n2026-11-23,6283.1\n2026-11-24,6291.55"),
			stored + "2026-11-23,6283.1\n", `its last field, Close "6291.55", has 2 decimals where other rows have 1 ("6250.1")`},
		{"an old row cut is left out quietly", stored, http10("Date,Close\n2026-11-23,6283.10\n2026-11-20,6263.09\n2026-11-19,6250.1"),
			stored + "2026-11-23,6283.10\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"prices/SPX.csv": tt.stored})
			f.handle("SPX", tt.handler)
			res, lines, err := f.run(f.options(f.config()))
			if err != nil {
				t.Fatalf("%v\nlines:\n%s", err, strings.Join(lines, "\n"))
			}
			if got := f.read("prices/SPX.csv"); got != tt.want {
				t.Errorf("SPX.csv:\n got %q\nwant %q", got, tt.want)
			}
			notes := 0
			for _, l := range lines {
				if strings.HasPrefix(l, "note: SPX download (") {
					notes++
					if tt.note == "" || !strings.Contains(l, tt.note) {
						t.Errorf("note %q, want one with %q", l, tt.note)
					}
				}
			}
			if tt.note != "" && notes != 1 {
				t.Errorf("%d notes, want 1; lines:\n%s", notes, strings.Join(lines, "\n"))
			}
			if res.Failed != 0 {
				t.Errorf("result %+v", res)
			}
			f.load()
		})
	}
}

// TestCutBodyHTTP10 checks the HTTP/1.0 server of TestCutBody does what it
// says: no Content-Length, and a body that ends at the close.
func TestCutBodyHTTP10(t *testing.T) {
	f := newFixture(t, nil)
	f.handle("X", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := http.NewResponseController(w).Hijack()
		defer conn.Close()
		fmt.Fprint(buf, "HTTP/1.0 200 OK\r\n\r\nDate,Close\n2026-11-24,629")
		buf.Flush()
	})
	resp, err := http.Get(f.srv.URL + "/X.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := bufio.NewReader(resp.Body).ReadString(0)
	if resp.ProtoMinor != 0 || resp.ContentLength != -1 || body != "Date,Close\n2026-11-24,629" {
		t.Errorf("HTTP/1.%d, Content-Length %d, body %q (%v)", resp.ProtoMinor, resp.ContentLength, body, err)
	}
}
