package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The gallery draws its charts as PNGs and rewrites only the README's
// block, the same bytes on a second run.
func TestGallery(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("Date,Open,High,Low,Close,Volume\n")
	p := 100.0
	for d := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2026, 2, 12, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		o := p
		p *= 1 + float64(d.YearDay()%9-4)/400
		csv.WriteString(d.Format(time.DateOnly) + "," + ftoa(o) + "," + ftoa(max(o, p)+1) + "," + ftoa(min(o, p)-1) + "," + ftoa(p) + ",1000\n")
	}
	files := map[string]string{
		"tickers.toml": "[symbols.A]\nfile = \"a.csv\"\nname = { en = \"A Co\" }\nkind = \"index\"\n",
		"a.csv":        csv.String(),
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(data, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	readme := filepath.Join(dir, "README.md")
	before, after := "# Title\n\nBefore.\n\n", "\n\nAfter.\n"
	if err := os.WriteFile(readme, []byte(before+startMark+"\nold\n"+endMark+after), 0o644); err != nil {
		t.Fatal(err)
	}
	charts := []entry{{"candlestick", "type: candlestick\nsymbols: [A]\nperiod: 3M\n"}, {"line", "type: line\nsymbols: [A]\nperiod: 6M\noverlays: [sma20]\n"}}
	out := filepath.Join(dir, "gallery")
	run := func() ([]byte, []byte) {
		t.Helper()
		if err := draw(charts, data, out, readme, "../..", time.Date(2026, 2, 11, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		md, _ := os.ReadFile(readme)
		png, _ := os.ReadFile(filepath.Join(out, "candlestick.png"))
		return md, png
	}
	md, png := run()
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("candlestick.png is not a PNG")
	}
	s := string(md)
	if !strings.HasPrefix(s, before+startMark) || !strings.HasSuffix(s, endMark+after) || strings.Count(s, "<img ") != 2 || strings.Contains(s, "old") {
		t.Errorf("README:\n%s", s)
	}
	md2, png2 := run()
	if !bytes.Equal(md, md2) || !bytes.Equal(png, png2) {
		t.Errorf("a second run wrote other bytes")
	}
	if err := os.WriteFile(readme, []byte("no block\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := draw(charts, data, out, readme, "../..", time.Date(2026, 2, 11, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "no gallery block") {
		t.Errorf("a README without the block: %v", err)
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
