package render

import (
	"encoding/hex"
	"sync"

	"briefs/internal/layout"
	"briefs/internal/plot"
)

// Stats says how much of a render was done and how much was reused.
type Stats struct {
	Prepared, PreparedReused int // briefs: Markdown, metrics, charts
	Rendered, RenderedReused int // pages and feeds
}

// key is a SHA-256 digest of the inputs of a piece of output.
type key = layout.Key

// brief is a brief, or an issue of a series, as render prepares it: the
// view layouts see, and what render keeps beside it.
type brief struct {
	layout.BriefView
	key    key                    // the hash of everything the view is made from
	charts map[string]*plot.Chart // the charts of Content, by key
	feed   *lazyFeed              // Content for feeds, made on first use
	inFeed bool                   // in some feed: Content is needed after the page
	// warnings are about the shortcodes of the body left out.
	warnings []error
}

// setKey sets the key of what v is made from.
func (v *brief) setKey(k key) {
	v.key = k
	v.Key = hex.EncodeToString(k[:])
}

type lazyFeed struct {
	once sync.Once
	html string
}

// views returns the views layouts see of briefs.
func views(briefs []*brief) []*layout.BriefView {
	out := make([]*layout.BriefView, len(briefs))
	for i, v := range briefs {
		out[i] = &v.BriefView
	}
	return out
}
