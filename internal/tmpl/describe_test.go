package tmpl

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"briefs/internal/market"
)

// TestDescribeChinese runs every metric on a zh page: no English phrase
// is left in how a figure was computed, and the dates and numbers stay.
func TestDescribeChinese(t *testing.T) {
	u := universe()
	late := &market.Series{Symbol: "L", File: "L.csv", Dates: []time.Time{day("2026-01-08"), day("2026-01-09")}, Closes: []float64{10, 11}}
	u.Symbols["L"] = &market.Symbol{Key: "L", Kind: "stock", Name: map[string]string{"zh": "迟", "en": "Late"}, Series: late}
	u.Groups["trio"] = &market.Group{Key: "trio", Name: map[string]string{"zh": "三只", "en": "The trio"}, Members: []string{"T", "U", "L"}}
	body := `{{ close "T" }} {{ close "T" "2026-01-06" }} {{ ret "T" "1D" }} {{ ret "T" "2026-01-05" "2026-01-08" }}
{{ sma "T" 3 }} {{ ema "T" 2 }} {{ vol "T" 3 }} {{ drawdown "T" "3D" }} {{ high "T" "3D" }} {{ low "T" "3D" }}
{{ pctrank "T" "3D" }} {{ spread "T" "U" "1D" }} {{ corr "T" "U" 3 }} {{ beta "T" "U" 3 }} {{ breadth "trio" 3 }}
{{ (index (rank "trio" "3D") 0).Value }} {{ vs (close "U") (close "T") }} {{ div (close "U") (close "T") }}
{{ mul (ret "T" "1D") 2 }} {{ change "T" "1D" }} {{ rankof "T" "pair" "1D" }} {{ annret "T" "3D" }}`
	got, err := run(t, u, "zh", "2026-01-09", body)
	if err != nil {
		t.Fatal(err)
	}
	titles := regexp.MustCompile(`title="([^"]*)"`).FindAllStringSubmatch(got, -1)
	if len(titles) < 22 {
		t.Fatalf("%d titles in %s", len(titles), got)
	}
	english := regexp.MustCompile(`[A-Za-z]{2,}`)
	for _, m := range titles {
		title := html.UnescapeString(m[1])
		if w := english.FindString(strings.NewReplacer("trio", "", "pair", "").Replace(title)); w != "" {
			t.Errorf("%q is not said in Chinese (%q)", title, w)
		}
	}
	for _, want := range []string{
		`T 2026-01-08 收盘价 121.00 → 2026-01-09 121.00`,
		`T 2026-01-06 至 2026-01-09 共 3 个日对数收益率的标准差 × √252（年化）`,
		`截至 2026-01-09，trio 的 2 个成分中有`,
		`不计尚无 3 个收盘价的成分：L（数据始于 2026-01-08）`,
		`2026-01-06 至 2026-01-09 期间 T 最高收盘价：2026-01-08 121.00`,
		`；trio 只对其 3 个成分中的 2 个排名，不计未覆盖整个区间的成分：L（数据始于 2026-01-08）`,
		`T +0.00% 减 U -20.00%：T 2026-01-08 收盘价 121.00 → 2026-01-09 121.00；U 2026-01-08 收盘价 55.00 → 2026-01-09 44.00`,
	} {
		if !strings.Contains(html.UnescapeString(got), want) {
			t.Errorf("no %q in\n%s", want, html.UnescapeString(got))
		}
	}
	if testing.Verbose() {
		for _, m := range titles {
			t.Log(html.UnescapeString(m[1]))
		}
	}
	if en, _ := run(t, u, "en", "2026-01-09", `{{ vol "T" 3 }}`); !strings.Contains(en, "stdev of 3 daily log returns") {
		t.Errorf("en description changed: %s", en)
	}
}
