package content

import (
	"strings"
	"testing"
)

func TestHandTyped(t *testing.T) {
	body := strings.Join([]string{
		"## 综合分析", // 10
		"",        // 11
		"罗素2000指数收于2689.05点，VIX为17.8，较前日下跌3.2%。",                                  // 12
		"RTY rose {{ ret \"RTY\" \"1D\" }} to {{ close \"RTY\" }} on 2026-02-09.", // 13
		"Spread widened by 10.12 pp; SPX at 6,941 and $5 billion.",                // 14
		"2026年2月9日，20日均线与50日均线，11个板块，S&P 500，Q4，3个月[0][^1]。",                      // 15
		"```",            // 16
		"code 1.5% here", // 17
		"```",            // 18
		"`inline 2.5%` and [a link](https://x.org/12.5%) and <span title=\"3.5%\">x</span>", // 19
		"The Fed cut rates by 0.25%. <!-- check:ignore -->",                                 // 20
		"<!-- check:ignore -->",                   // 21
		"Quoted: inflation at 2.9%.",              // 22
		"{{ if gt (ret \"RTY\" \"1D\")",           // 23
		"   0.5 }}up{{ end }} then 4.5% at 16:00", // 24
		"~~~~chart",   // 25
		"period: 3.5", // 26
		"~~~~",        // 27
		"小盘股跑赢大盘7个百分点，波动率处于历史12%分位。",                           // 28
		"{{ bysign (ret \"T\" \"1D\")",                         // 29
		"  \"上涨\" \"下跌\" }} 5.5% here",                         // 30
		"北京时间21点30分，以下3点值得关注；rose 2 percent, 25 basis points.", // 31
		"<!-- a comment",                               // 32
		"with 3.5% inside -->",                         // 33
		"See [2.5%](https://x.org) and footnote[^n1].", // 34
	}, "\n")
	b := &Brief{File: "content/briefs/x/index.zh.md", BodyLine: 10, Body: []byte(body)}
	var got []string
	for _, w := range HandTyped(b) {
		s := w.Error()
		got = append(got, s[:strings.Index(s, ": compute")])
	}
	want := []string{
		`content/briefs/x/index.zh.md:12:11: hand-typed figure "2689.05"`,
		`content/briefs/x/index.zh.md:12:24: hand-typed figure "17.8"`,
		`content/briefs/x/index.zh.md:12:34: hand-typed figure "3.2%"`,
		`content/briefs/x/index.zh.md:14:19: hand-typed figure "10.12 pp"`,
		`content/briefs/x/index.zh.md:14:36: hand-typed figure "6,941"`,
		`content/briefs/x/index.zh.md:14:46: hand-typed figure "$5"`,
		`content/briefs/x/index.zh.md:24:27: hand-typed figure "4.5%"`,
		`content/briefs/x/index.zh.md:28:8: hand-typed figure "7个百分点"`,
		`content/briefs/x/index.zh.md:28:21: hand-typed figure "12%"`,
		`content/briefs/x/index.zh.md:30:16: hand-typed figure "5.5%"`,
		`content/briefs/x/index.zh.md:31:26: hand-typed figure "2 percent"`,
		`content/briefs/x/index.zh.md:31:37: hand-typed figure "25 basis points"`,
		`content/briefs/x/index.zh.md:34:6: hand-typed figure "2.5%"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
