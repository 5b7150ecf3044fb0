package render

import (
	"fmt"
	"slices"
	"time"

	"briefs/internal/content"
	"briefs/internal/diag"
	"briefs/internal/layout"
	"briefs/internal/market"
)

// seriesList is a series in one language: its view and its issues.
type seriesList struct {
	view   layout.SeriesView
	issues []*brief // newest first
}

// issues makes the issues of every series: per period end in the market
// data and per language of its template, a brief dated and computed as of
// the period's last session, published at /<lang>/series/<name>/<period>/.
// The views are indexed by language in r.series.
func (r *renderer) issues() ([]*brief, error) {
	r.series = map[string][]*seriesList{}
	if len(r.in.Series) == 0 {
		return nil, nil
	}
	var out []*brief
	var errs []error
	for _, s := range r.in.Series {
		if r.in.Market == nil {
			errs = append(errs, diag.Errorf(s.Briefs[0].File, 0, 0, "a series needs market data: its issues are the periods in the data"))
			continue
		}
		periods, err := r.in.Market.Issues(s.Every, s.From)
		if err != nil {
			pos := s.Briefs[0].Pos["every"]
			errs = append(errs, diag.Errorf(s.Briefs[0].File, pos.Line, pos.Col, "%v", err))
			continue
		}
		for _, t := range s.Briefs {
			loc := r.in.Locales.Locale(t.Lang)
			list := &seriesList{view: layout.SeriesView{
				Name: s.Name, Title: t.Title, Summary: t.Summary,
				URL: r.u.Rel(seriesPath(t.Lang, s.Name)), Count: len(periods),
			}}
			var prev *layout.IssueView
			for i, p := range periods {
				label, err := r.periodLabel(t.Lang, s.Every, p.Year, p.Number, p.Last)
				if err != nil {
					return nil, diag.Errorf(t.File, 0, 0, "%v", err)
				}
				title, err := loc.T("issueTitle", map[string]any{"Title": t.Title, "Period": label})
				if err != nil {
					return nil, err
				}
				b := *t
				b.Bundle = t.Bundle + "/" + p.Key
				b.Slug = p.Key
				b.Title = title
				b.Date, b.AsOf = p.Last, p.Last
				b.Summary = "" // each issue's own first paragraph
				b.Every, b.From = "", time.Time{}
				b.Sentiment = ""
				if t.Sentiment == content.SentimentAuto {
					b.Sentiment = r.in.Market.Sentiment(p.Last, map[string]string{"day": "1D", "week": "1W", "month": "1M"}[s.Every], t.Tickers)
				}
				path := issuePath(t.Lang, s.Name, p.Key)
				iv := &layout.IssueView{Series: s.Name, Title: t.Title, URL: list.view.URL, Key: p.Key, Period: label, Number: i + 1}
				if prev != nil {
					iv.Prev, iv.PrevPeriod = r.u.Rel(issuePath(t.Lang, s.Name, prev.Key)), prev.Period
					prev.Next, prev.NextPeriod = r.u.Rel(path), label
				}
				prev = iv
				v := &brief{BriefView: layout.BriefView{Src: &b, Path: path, Issue: iv}}
				out = append(out, v)
				list.issues = append(list.issues, v)
			}
			slices.Reverse(list.issues) // newest first
			if len(list.issues) > 0 {
				list.view.Latest = &list.issues[0].BriefView
			}
			r.series[t.Lang] = append(r.series[t.Lang], list)
		}
	}
	return out, diag.Join(errs)
}

// periodLabel names a period in a language: a date for a day, "2026年第7周"
// / "Week 7, 2026" for a week, "2026年2月" / "February 2026" for a month.
func (r *renderer) periodLabel(lang, every string, year, number int, last time.Time) (string, error) {
	loc := r.in.Locales.Locale(lang)
	switch every {
	case "day":
		return loc.Date(last), nil
	case "week":
		return loc.T("periodWeek", map[string]any{"Year": year, "Week": number})
	case "month":
		return loc.T("periodMonth", map[string]any{"Year": year, "Month": number, "MonthName": time.Month(number).String()})
	}
	return "", fmt.Errorf("every %q: expected day, week or month", every)
}

// seriesLists queues the index pages and feeds of each series of lang.
func (r *renderer) seriesLists(lang string, l content.Language) {
	for _, sl := range r.series[lang] {
		name := sl.view.Name
		view := sl.view
		list := func(lang string) string { return seriesPath(lang, name) }
		r.paginate(lang, listSpec{
			kind: "series", list: list, title: view.Title, series: &view, feeds: true,
			count: func(other string) int {
				for _, o := range r.series[other] {
					if o.view.Name == name {
						return len(o.issues)
					}
				}
				return -1 // no such series in that language
			},
			fallback: homePath,
		}, sl.issues)
		desc := view.Summary
		if desc == "" {
			desc = l.Description
		}
		r.feeds(lang, seriesPath(lang, name), view.Title+" · "+l.Title, desc, sl.issues)
	}
}

// latest is what the first home page shows of each series of lang.
func (r *renderer) latest(lang string) []layout.SeriesView {
	var out []layout.SeriesView
	for _, sl := range r.series[lang] {
		if sl.view.Latest != nil {
			out = append(out, sl.view)
		}
	}
	return out
}

// leaveOut takes out of the site the issues of series that could not be
// computed because their market data is not there (a symbol's file ends
// before the period, or starts after it), and says so in r.out.Warnings,
// one warning per series file and cause. A series degrades; a hand-written
// brief with the same error still fails the build. errs holds the error of
// each view; what is returned holds the errors that remain.
func (r *renderer) leaveOut(errs []error) []error {
	type cause struct{ file, why string }
	left := map[*brief]bool{}
	var order []cause
	periods := map[cause][]string{}
	for i, v := range r.views {
		if errs[i] == nil || v.Issue == nil {
			continue
		}
		why, ok := market.Unavailable(errs[i])
		if !ok {
			continue
		}
		left[v] = true
		c := cause{v.Src.File, why}
		if periods[c] == nil {
			order = append(order, c)
		}
		periods[c] = append(periods[c], v.Issue.Key)
		errs[i] = nil
	}
	if len(left) == 0 {
		return errs
	}
	for _, c := range order {
		keys := periods[c]
		what := "issue " + keys[0]
		if len(keys) > 1 {
			what = fmt.Sprintf("%d issues (%s to %s)", len(keys), keys[0], keys[len(keys)-1])
		}
		r.out.Warnings = append(r.out.Warnings, diag.Errorf(c.file, 0, 0, "%s left out: %s", what, c.why))
	}
	diag.Sort(r.out.Warnings)
	r.views = slices.DeleteFunc(r.views, func(v *brief) bool { return left[v] })
	bundles := map[string]bool{}
	for _, lists := range r.series {
		for _, sl := range lists {
			sl.issues = slices.DeleteFunc(sl.issues, func(v *brief) bool { return left[v] })
			sl.view.Count = len(sl.issues)
			sl.view.Latest = nil
			if len(sl.issues) > 0 {
				sl.view.Latest = &sl.issues[0].BriefView
			}
			// Newest first: each issue links the one after it in the list
			// as the previous issue, and the one before it as the next.
			for i, v := range sl.issues {
				v.Issue.Prev, v.Issue.PrevPeriod = "", ""
				v.Issue.Next, v.Issue.NextPeriod = "", ""
				if i+1 < len(sl.issues) {
					prev := sl.issues[i+1]
					v.Issue.Prev, v.Issue.PrevPeriod = prev.URL, prev.Issue.Period
				}
				if i > 0 {
					next := sl.issues[i-1]
					v.Issue.Next, v.Issue.NextPeriod = next.URL, next.Issue.Period
				}
				bundles[v.Src.Bundle] = true
			}
		}
	}
	r.out.Issues = len(bundles)
	return errs
}
