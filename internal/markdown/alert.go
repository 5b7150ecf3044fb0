package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// AlertKinds are the kinds of GitHub's alerts, in the order GitHub lists
// them: a blockquote whose first line is [!NOTE], [!TIP], [!IMPORTANT],
// [!WARNING] or [!CAUTION] (in any case) is a callout of that kind.
var AlertKinds = []string{"note", "tip", "important", "warning", "caution"}

// alertTitles are the titles of the kinds when Options.AlertTitles has none.
var alertTitles = map[string]string{"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}

// Alert is a callout: a blockquote that starts with [!KIND].
type Alert struct {
	ast.BaseBlock
	AlertKind string // "note", "tip", ...
}

// AlertTitle is the first line of an Alert: the text written after the
// marker ("> [!TIP] Before the open"), or else Title.
type AlertTitle struct {
	ast.BaseBlock
	Title string
}

// KindAlert and KindAlertTitle are the ast.NodeKinds of Alert and AlertTitle.
var (
	KindAlert      = ast.NewNodeKind("Alert")
	KindAlertTitle = ast.NewNodeKind("AlertTitle")
)

// Kind implements ast.Node.
func (n *Alert) Kind() ast.NodeKind { return KindAlert }

// Dump implements ast.Node.
func (n *Alert) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"AlertKind": n.AlertKind}, nil)
}

// Kind implements ast.Node.
func (n *AlertTitle) Kind() ast.NodeKind { return KindAlertTitle }

// Dump implements ast.Node.
func (n *AlertTitle) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// alerts is the goldmark extension for GitHub-style alerts. As in Hugo, a
// title may follow the marker, and a + or - after it (Obsidian's foldable
// callouts) is accepted and has no effect. A blockquote with another word
// in the marker ([!INFO]) stays a blockquote, as on GitHub.
type alerts struct{}

func (alerts) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(alertTransformer{}, 450)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(alertRenderer{}, 500)))
}

var alertMarker = regexp.MustCompile(`^\[!([A-Za-z]+)\][+-]?[ \t]*`)

type alertTransformer struct{}

func (alertTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("[!")) {
		return
	}
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		return blocksOnly(n), nil
	})
	var titles map[string]string
	if st := stateOf(pc); st != nil {
		titles = st.opt.AlertTitles
	}
	for _, q := range quotes {
		p, ok := q.FirstChild().(*ast.Paragraph)
		if !ok || p.Lines().Len() == 0 {
			continue
		}
		first := p.Lines().At(0)
		m := alertMarker.FindSubmatchIndex(first.Value(src))
		if m == nil {
			continue
		}
		kind := strings.ToLower(string(first.Value(src)[m[2]:m[3]]))
		if alertTitles[kind] == "" {
			continue
		}
		title := &AlertTitle{Title: titles[kind]}
		if title.Title == "" {
			title.Title = alertTitles[kind]
		}
		takeTitle(p, title, first.Start+m[1], src)
		a := &Alert{AlertKind: kind}
		a.AppendChild(a, title)
		if p.ChildCount() == 0 {
			q.RemoveChild(q, p)
		}
		for c := q.FirstChild(); c != nil; c = q.FirstChild() {
			a.AppendChild(a, c)
		}
		q.Parent().ReplaceChild(q.Parent(), q, a)
	}
}

// takeTitle removes the first line of p, up to its line break: what comes
// before offset end (the marker) is dropped, the rest moves into title.
func takeTitle(p *ast.Paragraph, title *AlertTitle, end int, src []byte) {
	inTitle, pastMarker := false, false
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		if !inTitle {
			start := inlineStart(c)
			t, isText := c.(*ast.Text)
			switch {
			case start >= end, start < 0 && pastMarker: // a String has no place
				inTitle = true
			case isText && t.Segment.Stop > end:
				t.Segment = t.Segment.WithStart(end)
				inTitle = true
			}
			pastMarker = pastMarker || isText && t.Segment.Stop >= end
		}
		t, isText := c.(*ast.Text)
		lastOfLine := isText && (t.SoftLineBreak() || t.HardLineBreak())
		p.RemoveChild(p, c)
		if inTitle {
			if lastOfLine {
				t.SetSoftLineBreak(false)
				t.SetHardLineBreak(false)
				t.Segment = t.Segment.TrimRightSpace(src)
			}
			title.AppendChild(title, c)
		}
		if lastOfLine {
			break
		}
		c = next
	}
}

// inlineStart is the source offset where inline node n starts, or -1 if it
// has no place in the source (a String).
func inlineStart(n ast.Node) int {
	for ; n != nil; n = n.FirstChild() {
		switch n := n.(type) {
		case *ast.Text:
			return n.Segment.Start
		case *ast.RawHTML:
			if n.Segments.Len() > 0 {
				return n.Segments.At(0).Start
			}
		}
	}
	return -1
}

type alertRenderer struct{}

func (alertRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindAlert, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			kind := n.(*Alert).AlertKind
			_, _ = w.WriteString(`<div class="alert alert-` + kind + `" role="note">` + "\n")
		} else {
			_, _ = w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(KindAlertTitle, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch {
		case entering && n.HasChildren():
			_, _ = w.WriteString(`<p class="alert-title">`)
		case entering:
			_, _ = w.WriteString(`<p class="alert-title">` + html.EscapeString(n.(*AlertTitle).Title) + "</p>\n")
			return ast.WalkSkipChildren, nil
		case n.HasChildren():
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	})
}
