package tmpl

import (
	"regexp"
	"strings"
)

// The market package describes how each figure was computed in English
// ("RTY close 2025-11-07 2021.37 -> 2026-02-09 2117.54"); Describe says it
// in the language of the page. The descriptions are made from a small set
// of phrases (internal/market/metrics.go and the body functions), which
// nest: a spread holds two returns, a rank a return. Each phrase has a rule
// here; TestDescribeChinese runs every metric to keep them in step.

// phrase rewrites one English phrase of a description.
type phrase struct {
	re   *regexp.Regexp
	with string
}

// rules builds the phrases of one language from patterns in which SYM
// stands for a symbol or group key, D for a date and N for a number.
func rules(pairs ...string) []phrase {
	r := strings.NewReplacer("SYM", `([^\s,;:()]+)`, "D", `(\d{4}-\d{2}-\d{2})`, "N", `(-?[0-9.]+(?:e[+-]?[0-9]+)?)`)
	group := regexp.MustCompile(`\$(\d)`) // $1 -> ${1}: Chinese letters may follow
	out := make([]phrase, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, phrase{regexp.MustCompile(r.Replace(pairs[i])), group.ReplaceAllString(pairs[i+1], "$${$1}")})
	}
	return out
}

// zhPhrases say the descriptions in Chinese, most specific first.
var zhPhrases = rules(
	`SYM close D N is >= N of N closes D \.\. D`, "$1 $2 收盘价 $3，不低于 $6 至 $7 期间 $5 个收盘价中的 $4 个",
	`SYM high close D N, in D \.\. D`, "$4 至 $5 期间 $1 最高收盘价：$2 $3",
	`SYM low close D N, in D \.\. D`, "$4 至 $5 期间 $1 最低收盘价：$2 $3",
	`SYM peak D N -> trough D N, in D \.\. D`, "$6 至 $7 期间 $1 由高点（$2 $3）至低点（$4 $5）的最大回撤",
	`SYM mean of N closes D \.\. D`, "$1 $3 至 $4 共 $2 个收盘价的均值",
	`SYM EMA\(N\) of closes D \.\. D, seeded with the mean of the first N`, "$1 $3 至 $4 收盘价的 $2 日指数移动平均（以前 $5 个收盘价的均值为起点）",
	`SYM stdev of N daily log returns D \.\. D x sqrt\(252\)`, "$1 $3 至 $4 共 $2 个日对数收益率的标准差 × √252（年化）",
	`correlation of N daily returns of SYM and SYM, D \.\. D`, "$2 与 $3 在 $4 至 $5 期间 $1 个日收益率的相关系数",
	`beta of SYM on SYM, N daily returns D \.\. D`, "$1 相对 $2 的贝塔系数（$4 至 $5 期间 $3 个日收益率）",
	`N of N members of SYM close above their N-day average as of D`, "截至 $5，$3 的 $2 个成分中有 $1 个收于 $4 日均线之上",
	`, leaving out those without N closes yet: `, "；不计尚无 $1 个收盘价的成分：",
	`; SYM ranks N of its N members, leaving out those not listed for the whole period: `, "；$1 只对其 $3 个成分中的 $2 个排名，不计未覆盖整个区间的成分：",
	`SYM ranks N of N in SYM by SYM return: `, "$1 在 $4 的 $3 个成分中按 $5 收益率排第 $2 位：",
	` \(no data by D\)`, "（$1 前无数据）",
	` \(data from D\)`, "（数据始于 $1）",
	`SYM ([+-][0-9.]+%) minus SYM ([+-][0-9.]+%): `, "$1 $2 减 $3 $4：",
	`, N days, annualized`, "，$1 个自然日，年化",
	`SYM close D N`, "$1 $2 收盘价 $3",
	` -> `, " → ",
	` vs `, " 相对于 ",
	`\) x \(`, ") × (",
	`; `, "；",
)

// Describe is a figure's description in the language lang: as it is for
// English, else each phrase rewritten.
func Describe(desc, lang string) string {
	if lang != "zh" || desc == "" {
		return desc
	}
	for _, p := range zhPhrases {
		desc = p.re.ReplaceAllString(desc, p.with)
	}
	return desc
}
