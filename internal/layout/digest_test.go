package layout

import (
	"reflect"
	"slices"
	"testing"
)

// TestDigestsCoverFields guards the memo: a page is reused when its key is
// unchanged, so every field a layout can reach must be in the key. Adding
// a field fails here until it is hashed (PageKey, or in render the site
// key or the brief key) and listed.
func TestDigestsCoverFields(t *testing.T) {
	covered := map[reflect.Type][]string{
		reflect.TypeFor[Page](): {"Kind", "Site", "Lang", "Title", "Description", "Path", "URL", "Permalink", "Alternates", "Switch", "Feeds",
			"NoIndex", "Brief", "List", "Tags", "Locale"},
		// The site key: configuration digest (languages), base URL,
		// stylesheet, data note; u is made from the base URL.
		reflect.TypeFor[SiteInfo](): {"BaseURL", "Languages", "Default", "Stylesheet", "Icon", "DataNote", "u"},
		reflect.TypeFor[Link]():     {"Lang", "Code", "Name", "URL", "Type", "Current", "Missing"},
		reflect.TypeFor[TagView]():  {"Key", "Slug", "Name", "URL", "Count"},
		// Issues are the list's briefs that are issues, hashed with them.
		reflect.TypeFor[ListView]():     {"Briefs", "Issues", "Pager", "Tag", "Series", "Latest", "Snapshot"},
		reflect.TypeFor[SnapshotView](): {"AsOf", "Tickers"},
		reflect.TypeFor[TickerView]():   {"Symbol", "Name", "Close", "Change", "CloseValue", "ChangeValue", "CloseTitle", "ChangeTitle", "Dir"},
		reflect.TypeFor[IssueView]():    {"Series", "Title", "URL", "Key", "Period", "Number", "Prev", "PrevPeriod", "Next", "NextPeriod"},
		// Latest is covered by its key and path, and its Issue.
		reflect.TypeFor[SeriesView](): {"Name", "Title", "Summary", "URL", "Count", "Latest"},
		reflect.TypeFor[Pager]():      {"Number", "Total", "Prev", "Next", "Pages"},
		reflect.TypeFor[PagerLink]():  {"Number", "URL", "Current", "Gap"},
		// Everything but Src (whose digest, bundle and language are in
		// the key) is made by render from the inputs of its Key.
		reflect.TypeFor[BriefView](): {"Src", "Title", "Date", "AsOf", "Path", "URL", "Permalink", "Summary", "Content", "Market", "Sentiment",
			"Tags", "Tickers", "Sources", "Issue", "Author", "Figures", "Nav", "Key", "Lastmod", "Keywords", "Images"},
		// Author and Figures are made by prepare; Nav is hashed by pageKey
		// and the brief page's key.
		reflect.TypeFor[BriefNav](): {"Prev", "Next", "Related"},
		reflect.TypeFor[NavLink]():  {"Title", "URL", "Date"},
	}
	for rt, names := range covered {
		var fields []string
		for i := range rt.NumField() {
			fields = append(fields, rt.Field(i).Name)
		}
		for _, f := range fields {
			if !slices.Contains(names, f) {
				t.Errorf("%s.%s is not covered by the memo keys: hash it and list it here", rt.Name(), f)
			}
		}
		for _, n := range names {
			if !slices.Contains(fields, n) {
				t.Errorf("%s has no field %s any more: update this list", rt.Name(), n)
			}
		}
	}
}
