package serve

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
)

// rawHost sends a GET for path with the Host header host.
func rawHost(t *testing.T, addr, host, path string) (int, http.Header, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s for %s: %v", path, host, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// TestHostCheck: a page under another domain name (DNS rebinding) cannot
// read the preview.
func TestHostCheck(t *testing.T) {
	s := start(t, tinyProject(t))
	addr := strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
	_, port, _ := net.SplitHostPort(addr)
	for _, host := range []string{addr, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port, "127.0.0.1", "localhost", "localhost.:" + port} {
		if code, _, _ := rawHost(t, addr, host, "/en/"); code != http.StatusOK {
			t.Errorf("Host %s: %d, want 200", host, code)
		}
	}
	for _, host := range []string{"evil.example:" + port, "evil.example", "localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port, strings.Repeat("x", 300) + ".example"} {
		for _, path := range []string{"/en/", "/_briefs/events", "/_briefs/live.js", "/no-such-page"} {
			code, h, body := rawHost(t, addr, host, path)
			if code != http.StatusMisdirectedRequest || h.Get("Content-Type") != "text/plain; charset=utf-8" ||
				!strings.Contains(body, "DNS rebinding") || !strings.Contains(body, s.url) || len(body) > 600 {
				t.Errorf("Host %.40s, GET %s: %d %s %q", host, path, code, h.Get("Content-Type"), body)
			}
		}
	}
}

func TestAllowedHosts(t *testing.T) {
	me, _ := os.Hostname()
	for _, tc := range []struct {
		bind, host string
		want       bool
	}{
		{"127.0.0.1", "127.0.0.1:1313", true},
		{"127.0.0.1", "localhost:1313", true},
		{"127.0.0.1", "[::1]:1313", true},
		{"127.0.0.1", "[::1]", true},
		{"127.0.0.1", "", true},
		{"127.0.0.1", "example.com:1313", false},
		{"127.0.0.1", "localhost.example.com", false},
		{"127.0.0.1", "[::1", false},
		{"192.168.1.5", "192.168.1.5:1313", true},
		{"preview.lan", "Preview.LAN:1313", true},
		{"preview.lan", "other.lan:1313", false},
		{"0.0.0.0", "10.0.0.7:1313", true},
		{"0.0.0.0", me + ":1313", me != ""},
		{"0.0.0.0", "example.com", false},
		{"::", "[fe80::1%25eth0]:1313", true},
	} {
		if got := allowedHosts(tc.bind)(tc.host); got != tc.want {
			t.Errorf("bound to %s, Host %q: allowed %v, want %v", tc.bind, tc.host, got, tc.want)
		}
	}
}
