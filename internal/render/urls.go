package render

import "briefs/internal/layout"

// The site's paths (layout's URL scheme).
var (
	homePath   = layout.HomePath
	briefPath  = layout.BriefPath
	tagsPath   = layout.TagsPath
	tagPath    = layout.TagPath
	seriesPath = layout.SeriesPath
	issuePath  = layout.IssuePath
	pagePath   = layout.PagePath
)
