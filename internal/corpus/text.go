package corpus

// The word banks the briefs are made of. Each entry exists in both
// languages; the generator makes the same choices for zh and en, so the two
// files of a bundle say the same thing. Placeholders ($A, $S ...) are listed
// in fill. Nothing here may contain "{{": brief bodies are Go templates.

// pair is one text in both languages.
type pair struct{ zh, en string }

// asset is a market instrument: its Chinese name, its English name as used
// in a sentence ("the S&P 500") and as a label or table cell ("S&P 500").
type asset struct {
	zh, en, short string
	level         float64 // typical level, for made-up closes
}

var assets = []asset{
	{"标普500指数", "the S&P 500", "S&P 500", 5800},
	{"纳斯达克100指数", "the Nasdaq 100", "Nasdaq 100", 20500},
	{"罗素2000指数", "the Russell 2000", "Russell 2000", 2300},
	{"道琼斯工业平均指数", "the Dow", "Dow Jones", 42000},
	{"十年期美债收益率", "the 10-year Treasury yield", "10-year yield", 4.2},
	{"美元指数", "the dollar index", "Dollar index", 104},
	{"黄金", "gold", "Gold", 2650},
	{"白银", "silver", "Silver", 31},
	{"WTI原油", "WTI crude", "WTI crude", 72},
	{"比特币", "bitcoin", "Bitcoin", 88000},
	{"VIX指数", "the VIX", "VIX", 16},
	{"铜", "copper", "Copper", 4.3},
	{"日经225指数", "the Nikkei 225", "Nikkei 225", 38500},
	{"恒生指数", "the Hang Seng", "Hang Seng", 19800},
	{"欧洲斯托克50指数", "the Euro Stoxx 50", "Euro Stoxx 50", 4900},
	{"高收益债ETF", "the high-yield bond ETF", "High-yield ETF", 79},
}

// sectors are plural in English ("financials rose"), bare in Chinese.
var sectors = []pair{
	{"科技", "technology stocks"},
	{"能源", "energy stocks"},
	{"金融", "financials"},
	{"医疗保健", "health-care stocks"},
	{"公用事业", "utilities"},
	{"必需消费品", "consumer staples"},
	{"可选消费", "consumer discretionary stocks"},
	{"工业", "industrials"},
	{"原材料", "materials stocks"},
	{"房地产", "real-estate stocks"},
	{"通信服务", "communication-services stocks"},
}

var drivers = []pair{
	{"通胀数据", "the inflation data"},
	{"非农就业报告", "the payrolls report"},
	{"美联储议息会议", "the Fed meeting"},
	{"财报季", "earnings season"},
	{"国债拍卖", "the Treasury auctions"},
	{"油价走势", "the path of oil prices"},
	{"美元走势", "the dollar's trend"},
	{"人工智能资本开支", "AI capital spending"},
	{"信贷环境", "credit conditions"},
	{"企业回购", "corporate buybacks"},
	{"地缘政治局势", "geopolitics"},
	{"期权到期日", "options expiry"},
}

// link is an external reference cited in the drivers list.
type link struct{ zh, en, url string }

var links = []link{
	{"美联储", "Federal Reserve", "https://www.federalreserve.gov/"},
	{"美国劳工统计局", "Bureau of Labor Statistics", "https://www.bls.gov/"},
	{"美国财政部", "US Treasury", "https://home.treasury.gov/"},
	{"美国经济分析局", "Bureau of Economic Analysis", "https://www.bea.gov/"},
	{"芝加哥期权交易所", "Cboe", "https://www.cboe.com/"},
	{"美国证券交易委员会", "SEC", "https://www.sec.gov/"},
	{"国际货币基金组织", "IMF", "https://www.imf.org/"},
	{"欧洲央行", "European Central Bank", "https://www.ecb.europa.eu/"},
	{"美国能源信息署", "Energy Information Administration", "https://www.eia.gov/"},
	{"世界黄金协会", "World Gold Council", "https://www.gold.org/"},
}

// tag is a tag key with its labels. The list is ordered by popularity: the
// generator draws tags with weights falling as 1/rank.
type tag struct{ key, zh, en string }

var tags = []tag{
	{"market_analysis", "市场分析", "Market analysis"},
	{"equities", "股票", "Equities"},
	{"sector_rotation", "板块轮动", "Sector rotation"},
	{"market_volatility", "市场波动", "Market volatility"},
	{"federal_reserve", "美联储", "Federal Reserve"},
	{"rates", "利率", "Rates"},
	{"earnings", "财报", "Earnings"},
	{"tech_stocks", "科技股", "Tech stocks"},
	{"inflation", "通胀", "Inflation"},
	{"weekly_wrap", "每周回顾", "Weekly wrap"},
	{"small_caps", "小盘股", "Small caps"},
	{"commodities", "大宗商品", "Commodities"},
	{"us_dollar", "美元", "US dollar"},
	{"investment_strategy", "投资策略", "Investment strategy"},
	{"treasury_yields", "美债收益率", "Treasury yields"},
	{"precious_metals", "贵金属", "Precious metals"},
	{"crude_oil", "原油", "Crude oil"},
	{"defensives", "防御板块", "Defensives"},
	{"credit_markets", "信用市场", "Credit markets"},
	{"implied_volatility", "隐含波动率", "Implied volatility"},
	{"nasdaq", "纳斯达克", "Nasdaq"},
	{"russell_2000", "罗素2000", "Russell 2000"},
	{"emerging_markets", "新兴市场", "Emerging markets"},
	{"crypto", "加密资产", "Crypto"},
	{"china_equities", "中国股市", "China equities"},
	{"japan", "日本市场", "Japan"},
	{"europe", "欧洲市场", "Europe"},
	{"ai_trade", "人工智能交易", "AI trade"},
	{"tech_selloff", "科技股抛售", "Tech selloff"},
	{"housing", "房地产", "Housing"},
}

// Placeholders: $A $B assets, $S $T sectors, $V $W drivers, $U rose/fell,
// $G outperformed/lagged, $M climbs/slips (titles), $P $Q percentages,
// $N a count, $K basis points, $L a level.

var titles = []pair{
	{"$S领涨，$A$M", "$S lead as $A $M"},
	{"$V前夕，$A$M", "$A $M ahead of $V"},
	{"$S与$T分化加剧", "$S and $T diverge further"},
	{"市场聚焦$V，$S承压", "$S under pressure as markets focus on $V"},
	{"每周回顾：$A$M，$S表现突出", "Weekly wrap: $A $M, $S stand out"},
	{"$W重塑市场预期", "$W reshapes market expectations"},
	{"波动率回升，$B成为避险选择", "Volatility returns and $B becomes the haven of choice"},
	{"$S的反弹能否持续？", "Can the rebound in $S last?"},
	{"$A与$B走势背离", "$A and $B part ways"},
	{"资金转向$S，$T遭遇流出", "Money moves into $S as $T see outflows"},
}

var summaries = []pair{
	{"$A本周$U$P，$S$G大盘；市场关注$V。", "$A $U $P this week and $S $G the market; attention turns to $V."},
	{"$V与$W主导市场情绪，$A$U$P。", "$V and $W set the mood, and $A $U $P."},
	{"$S与$T的表现差距扩大至$P，资金轮动仍在继续。", "The gap between $S and $T widened to $P as rotation continued."},
	{"$A收于$L附近，$B$U$Q，跨资产相关性发生变化。", "$A closed near $L and $B $U $Q as cross-asset correlations shifted."},
}

// sentences make up the prose paragraphs.
var sentences = []pair{
	{"$A本周$U$P，$S板块明显$G大盘。", "$A $U $P this week, and $S clearly $G the broader market."},
	{"在$V的影响下，市场风险偏好出现反复，成交量较前一周放大约$Q。", "Driven by $V, risk appetite swung back and forth, and volume rose about $Q from the previous week."},
	{"$S板块连续$N个交易日$G标普500指数，资金轮动迹象愈发清晰。", "$S have $G the S&P 500 for $N straight sessions, a clearer sign of rotation."},
	{"十年期美债收益率本周变动了$K个基点，对高估值板块形成压力。", "The 10-year Treasury yield moved $K basis points this week, pressuring richly valued groups."},
	{"从技术面看，$A仍运行在五十日均线上方，但动能指标已有所放缓。", "Technically, $A is still trading above its 50-day average, though momentum has slowed."},
	{"市场参与者普遍关注$V与$W之间的相互作用，两者共同决定了短期走势。", "Investors are watching the interplay between $V and $W, which together set the short-term tone."},
	{"与此同时，$B$U$Q，显示跨资产之间的相关性正在发生变化。", "Meanwhile, $B $U $Q, a sign that cross-asset correlations are shifting."},
	{"期权市场的隐含波动率维持在相对低位，反映出投资者对尾部风险的定价仍较为温和。", "Implied volatility in the options market stayed relatively low, suggesting that tail risk is still priced modestly."},
	{"如果$V超出预期，$S板块可能面临新一轮获利了结压力。", "If $V surprises, $S could face a fresh round of profit taking."},
	{"回顾过去$N周，$A的累计表现$G同类资产，波动也明显更大。", "Over the past $N weeks $A has $G its peers, with noticeably larger swings."},
	{"机构投资者的仓位数据显示，对$S板块的超配比例已接近年内高点。", "Positioning data show institutional overweights in $S close to their highs for the year."},
	{"市场宽度有所改善，上涨家数与下跌家数之比回升至较为健康的水平。", "Market breadth improved, with the ratio of advancing to declining issues back at a healthier level."},
	{"美元指数的走势对$B构成直接影响，两者的负相关关系在本周再次得到验证。", "The dollar index weighed directly on $B, and their negative correlation held again this week."},
	{"分析人士指出，$W可能成为下一阶段市场定价的核心变量。", "Analysts note that $W may become the key variable for pricing in the next phase."},
	{"盈利预期的上调主要集中在$S板块，而$T板块的预期则出现小幅下修。", "Earnings upgrades were concentrated in $S, while estimates for $T were trimmed slightly."},
	{"$A收于$L附近，距离年内高点仍有约$P的空间。", "$A closed near $L, about $P below its high for the year."},
	{"短期内，市场可能在$V落地之前维持区间震荡。", "In the near term, markets may trade in a range until $V is out of the way."},
	{"从估值角度看，$S板块的市盈率已回到长期均值附近，安全边际有所提升。", "On valuation, $S trade near their long-run average multiple, leaving a wider margin of safety."},
	{"资金流向数据显示，本周流入$S板块相关基金的资金规模为$N周以来最高。", "Fund-flow data show the largest weekly inflows into funds tied to $S in $N weeks."},
	{"信用利差整体保持稳定，高收益债市场并未出现明显的压力信号。", "Credit spreads were broadly stable, and the high-yield market showed no clear signs of stress."},
	{"值得注意的是，$T板块的相对强弱指标已进入超卖区间。", "Notably, the relative-strength reading for $T has moved into oversold territory."},
	{"部分投资者选择通过$B对冲组合风险，这在一定程度上放大了其价格波动。", "Some investors hedged their portfolios through $B, which amplified its price swings."},
	{"整体而言，当前市场仍处于$V主导的阶段，方向性信号尚不明确。", "Overall, the market remains in a phase dominated by $V, with no clear directional signal yet."},
	{"$A与$B的相关系数在过去$N个交易日内明显下降。", "The correlation between $A and $B has fallen markedly over the past $N sessions."},
	{"央行官员的最新表态被市场解读为偏向谨慎，利率期货随之调整了对年内降息次数的预期。", "The latest remarks from central bankers read as cautious, and rate futures adjusted their expectations for cuts this year."},
	{"我们认为，在$W明朗之前，维持均衡配置仍是较为稳妥的选择。", "We think a balanced allocation remains the prudent choice until the picture on $W is clearer."},
	{"$S板块与$T板块之间的表现差距扩大至$P，为近$N个月以来最大。", "The performance gap between $S and $T widened to $P, the largest in $N months."},
	{"尾盘的集中抛售使$A回吐了部分日内涨幅。", "Late-session selling left $A giving back part of its intraday gains."},
	{"海外市场方面，$B的表现对亚洲交易时段的情绪起到了一定的引导作用。", "Overseas, the move in $B helped set the tone for the Asian session."},
	{"综合来看，$V、$W以及季节性因素将共同影响未来几周的市场走向。", "Taken together, $V, $W and seasonal factors will shape the market over the coming weeks."},
	{"从季节性规律看，$A在本月的历史表现通常$G全年平均水平。", "Seasonally, $A has usually $G its full-year average in this month."},
	{"卖方策略师近期纷纷上调了对$S板块的评级，理由是盈利修复好于预期。", "Sell-side strategists have been upgrading $S, citing a better-than-expected earnings recovery."},
	{"$B的期货持仓量升至$N周高位，投机资金的参与度明显提高。", "Open interest in $B futures reached a $N-week high as speculative money piled in."},
	{"收益率曲线的形态变化也值得关注，长短端利差在本周收窄了约$K个基点。", "The shape of the yield curve also deserves attention: the spread between long and short maturities narrowed by about $K basis points this week."},
	{"一些长期投资者借助回调逐步增持$S板块，而短线资金则更偏好$T板块。", "Some long-term investors used the pullback to add to $S, while short-term money preferred $T."},
	{"新兴市场资产的表现相对平稳，汇率波动并未对风险资产形成明显拖累。", "Emerging-market assets were relatively steady, and currency swings did not weigh noticeably on risk assets."},
	{"若$V延续当前趋势，$A有望在未来$N个交易日内测试前期高点。", "If $V keeps its current course, $A could test its earlier high within $N sessions."},
	{"从历史经验看，类似的市场环境往往伴随着板块之间更频繁的轮动。", "Historically, conditions like these have come with more frequent rotation between sectors."},
	{"$T板块的回调幅度已达$P，部分估值指标接近过去$N年的低位。", "The pullback in $T has reached $P, and some valuation measures are near their lows of the past $N years."},
	{"市场对$W的反应相对温和，显示相关风险已在一定程度上被提前定价。", "The market's reaction to $W was muted, suggesting the risk had been partly priced in already."},
}

// bullets follow a bold asset label in the overview list.
var bullets = []pair{
	{"本周$U$P，收于$L附近。", "$U $P this week to close near $L."},
	{"连续$N个交易日$G大盘，上行动能仍在延续。", "$G the broader market for $N straight sessions; momentum is holding."},
	{"波动率回落，日内振幅收窄至$P以内。", "Volatility eased, with intraday ranges narrowing to within $P."},
	{"在$V前夕出现获利了结，回吐$P。", "Saw profit taking ahead of $V, giving back $P."},
	{"较五十日均线高出约$P，短线略显过热。", "About $P above its 50-day average, looking slightly stretched."},
	{"成交额较上周增加$Q，买盘主要来自机构投资者。", "Turnover rose $Q from last week, led by institutional buying."},
	{"与$B的走势出现背离，值得持续跟踪。", "Diverged from $B, a move worth tracking."},
	{"年初至今累计$U$P。", "$U $P year to date."},
}

// driverNotes follow a bold driver label in the numbered list.
var driverNotes = []pair{
	{"本周公布的数据强于预期，推动$A$U$P。", "This week's release beat expectations, and $A $U $P."},
	{"市场对其的预期在过去$N周内反复调整。", "Expectations for it have been revised repeatedly over the past $N weeks."},
	{"其影响主要体现在$S板块与$T板块的相对表现上。", "Its effect shows mainly in the relative performance of $S and $T."},
	{"利率期货定价因此变动了约$K个基点。", "Rate-futures pricing moved by about $K basis points as a result."},
	{"盘中一度引发明显波动，但收盘前大部分影响已被消化。", "It caused sharp intraday swings, but most of the effect faded by the close."},
	{"与$W形成共振，放大了$B的波动。", "Together with $W, it amplified the swings in $B."},
}

// risks follow a bold driver label in the risks list.
var risks = []pair{
	{"若结果明显偏离预期，可能引发波动率快速上升。", "A large surprise could lift volatility quickly."},
	{"可能改变市场对利率路径的判断。", "Could change the market's view of the rate path."},
	{"一旦出现反复，$S板块的涨幅可能首当其冲被回吐。", "If it reverses, the gains in $S would likely be the first to go."},
	{"将考验当前偏高的估值水平。", "Would test today's elevated valuations."},
	{"可能导致资金从$S板块流向防御性资产。", "Could push money out of $S and into defensive assets."},
	{"流动性收紧时，小盘股通常受到更大冲击。", "When liquidity tightens, small caps usually take the bigger hit."},
}

// subheads title the in-depth subsections.
var subheads = []pair{
	{"$S板块观察", "A closer look at $S"},
	{"利率与美元", "Rates and the dollar"},
	{"波动率与期权", "Volatility and options"},
	{"资金流向", "Fund flows"},
	{"技术面分析", "The technical picture"},
	{"估值与盈利", "Valuation and earnings"},
	{"海外市场", "Overseas markets"},
	{"$A的走势", "What $A did"},
}

var footnotes = []pair{
	{"文中价格均为收盘价，涨跌幅按周度计算，未计入分红。", "Prices are closing prices; changes are weekly and exclude dividends."},
	{"资金流向数据来自公开披露的基金持仓统计，存在一定滞后。", "Fund-flow figures come from published fund holdings and lag by a few days."},
	{"估值指标采用未来十二个月预期市盈率。", "Valuations use forward twelve-month price-to-earnings ratios."},
	{"隐含波动率取自平值期权的加权平均。", "Implied volatility is a weighted average of at-the-money options."},
	{"相关系数基于过去六十个交易日的日收益率计算。", "Correlations are computed from daily returns over the past sixty sessions."},
	{"本文不构成投资建议，仅供参考。", "This note is for information only and is not investment advice."},
}

// Fixed section headings.
var (
	hOverview = pair{"市场概览", "Market overview"}
	hTable    = pair{"主要资产表现", "How the main assets did"}
	hDrivers  = pair{"主要驱动因素", "Key drivers"}
	hDepth    = pair{"深度分析", "In depth"}
	hRisks    = pair{"风险提示", "Risks"}
	hOutlook  = pair{"后市展望", "Outlook"}
	tableHead = pair{"| 资产 | 收盘 | 周涨跌 | 年初至今 |", "| Asset | Close | Week | YTD |"}
	tableLead = pair{"下表列出本周主要资产的收盘水平与涨跌幅。", "The table lists this week's closes and changes for the main assets."}
	seeLink   = pair{"详见[$X]($Y)发布的相关资料。", "See the [$X]($Y) for the details."}
	prevLink  = pair{"风险方面的更多讨论可参考[上一期简报]($Y)。", "For more on these risks, see the [previous brief]($Y)."}
	risksLead = pair{"以下风险值得投资者重点关注：", "These are the risks we are watching most closely:"}
)
