package layout

import (
	"fmt"
	"html"
	"strings"

	"briefs/internal/locale"
)

// FeedItemHTML is a brief's HTML as a feed item carries it, before its
// URLs are made absolute: its text, its sources list (citations link to
// it), and what its page shows beside the text (feedExtras). loc is the
// brief's language; dataNote and disclaimer are the site's, in it.
func FeedItemHTML(v *BriefView, loc *locale.Locale, dataNote, disclaimer string) string {
	s := string(v.Content)
	if len(v.Sources) > 0 {
		var b strings.Builder
		b.WriteString(s)
		heading, _ := loc.T("sources", nil)
		fmt.Fprintf(&b, "<h2>%s</h2>\n<ol start=\"0\">\n", html.EscapeString(heading))
		for i, src := range v.Sources {
			title := html.EscapeString(src.Title)
			if src.URL != "" {
				title = fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(src.URL), title)
			}
			fmt.Fprintf(&b, "<li id=\"source-%d\">%s</li>\n", i, title)
		}
		b.WriteString("</ol>\n")
		s = b.String()
	}
	return s + feedExtras(v, loc, dataNote, disclaimer)
}

// feedExtras is what a brief's page shows beside its text and a feed item
// must carry too: the related tickers as a table (aligned with align
// attributes, which feed readers keep, where a page uses classes), the
// as-of date with the data's note, and the site's disclaimer.
func feedExtras(v *BriefView, loc *locale.Locale, dataNote, disclaimer string) string {
	t := func(id string, kv ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
		s, _ := loc.T(id, data)
		return html.EscapeString(s)
	}
	var b strings.Builder
	if len(v.Tickers) > 0 {
		fmt.Fprintf(&b, "<h2>%s</h2>\n", t("relatedTickers"))
		if !v.AsOf.IsZero() {
			fmt.Fprintf(&b, "<p>%s</p>\n", t("tickersAsOf", "Date", loc.Date(v.AsOf)))
		}
		b.WriteString("<table>\n<tbody>\n")
		for _, tk := range v.Tickers {
			name := strings.TrimSpace(tk.Name + " " + tk.Symbol)
			change := html.EscapeString(tk.Change)
			if tk.ChangeTitle != "" {
				change = map[string]string{"up": "▲ ", "down": "▼ "}[tk.Dir] + change + " " + t("changePeriod")
			}
			fmt.Fprintf(&b, "<tr><td>%s</td><td align=\"right\">%s</td><td align=\"right\">%s</td></tr>\n",
				html.EscapeString(name), html.EscapeString(tk.Close), change)
		}
		b.WriteString("</tbody>\n</table>\n")
	}
	if !v.AsOf.IsZero() {
		note := ""
		if dataNote != "" {
			note = " · " + html.EscapeString(dataNote)
		}
		fmt.Fprintf(&b, "<p><small>%s%s</small></p>\n", t("asOf", "Date", loc.Date(v.AsOf)), note)
	}
	if disclaimer != "" {
		colon := ": "
		if v.Src.Lang == "zh" {
			colon = "："
		}
		fmt.Fprintf(&b, "<p><small>%s%s%s</small></p>\n", t("disclaimer"), colon, html.EscapeString(disclaimer))
	}
	return b.String()
}
