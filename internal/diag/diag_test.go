package diag

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestNearest(t *testing.T) {
	cands := []string{"title", "date", "tags", "tickers", "summary", "sources"}
	tests := []struct{ word, want string }{
		{"titel", "title"},
		{"tag", "tags"},
		{"Tags", "tags"},
		{"sumary", "summary"},
		{"author", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := Nearest(tt.word, cands); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{Errorf("a.md", 3, 7, "bad %s", "date"), "a.md:3:7: bad date"},
		{Errorf("a.md", 3, 0, "bad"), "a.md:3: bad"},
		{Errorf("a.md", 0, 0, "bad"), "a.md: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestJoinSortsAndFlattens(t *testing.T) {
	plain := errors.New("plain")
	err := Join([]error{Errorf("b.md", 1, 1, "x"), nil, plain, Join([]error{Errorf("a.md", 9, 1, "y"), Errorf("a.md", 2, 1, "z")})})
	got := Flatten(err)
	want := []string{"a.md:2:1: z", "a.md:9:1: y", "b.md:1:1: x", "plain"}
	if len(got) != len(want) {
		t.Fatalf("Flatten: %d errors, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, got[i], want[i])
		}
	}
	if Join(nil) != nil {
		t.Error("Join(nil) != nil")
	}
	if !errors.Is(err, plain) {
		t.Error("errors.Is lost the plain error")
	}
}

func TestQuoteCutsLongInput(t *testing.T) {
	if got := Quote("SPX"); got != `"SPX"` {
		t.Errorf("Quote(SPX) = %s", got)
	}
	long := strings.Repeat("标", 300)
	got := Quote(long)
	want := strconv.Quote(strings.Repeat("标", MaxQuote)) + "... (900 bytes in all)"
	if got != want {
		t.Errorf("Quote(300 runes) = %s, want %s", got, want)
	}
}

func TestErrorClipsHugeMessage(t *testing.T) {
	e := Errorf("data/x.csv", 1, 0, "bad header %s", strings.Repeat("a", 10<<20))
	s := e.Error()
	if len(s) > maxMessage+100 {
		t.Fatalf("message is %d bytes, want at most about %d", len(s), maxMessage)
	}
	if !strings.HasPrefix(s, "data/x.csv:1: bad header aaa") || !strings.HasSuffix(s, "more bytes)") {
		t.Errorf("clipped message = %.80s...%s", s, s[len(s)-30:])
	}
}

func TestNearestIgnoresHugeWords(t *testing.T) {
	if got := Nearest(strings.Repeat("x", 1<<20), []string{"SPX"}); got != "" {
		t.Errorf("Nearest(huge) = %q", got)
	}
	if got := Nearest("SPY", []string{"SPX"}); got != "SPX" {
		t.Errorf("Nearest(SPY) = %q", got)
	}
}

func TestFileNameWithNewline(t *testing.T) {
	e := Errorf("content/briefs/z\nerror: forged/index.en.md", 4, 1, "unknown key")
	if got, want := e.Error(), `"content/briefs/z\nerror: forged/index.en.md":4:1: unknown key`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
