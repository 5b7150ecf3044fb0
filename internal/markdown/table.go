package markdown

import (
	"fmt"
	"html"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// TableWrap is the box a table scrolls in when it is wider than the
// screen: a labelled region readers can focus and scroll with the keys.
type TableWrap struct {
	ast.BaseBlock
	Label string
}

// KindTableWrap is the ast.NodeKind of TableWrap.
var KindTableWrap = ast.NewNodeKind("TableWrap")

// Kind implements ast.Node.
func (n *TableWrap) Kind() ast.NodeKind { return KindTableWrap }

// Dump implements ast.Node.
func (n *TableWrap) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// tables is the goldmark extension that puts each table in a TableWrap.
type tables struct{}

func (tables) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(tableTransformer{}, 600)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(tableWrapRenderer{}, 500)))
}

type tableTransformer struct{}

func (tableTransformer) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	var found []*east.Table
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*east.Table); ok {
			if entering {
				found = append(found, t)
			}
			return ast.WalkSkipChildren, nil
		}
		return blocksOnly(n), nil
	})
	label := "Table"
	if st := stateOf(pc); st != nil && st.opt.TableLabel != "" {
		label = st.opt.TableLabel
	}
	for i, t := range found {
		w := &TableWrap{Label: fmt.Sprintf("%s %d", label, i+1)}
		t.Parent().ReplaceChild(t.Parent(), t, w)
		w.AppendChild(w, t)
	}
}

type tableWrapRenderer struct{}

func (tableWrapRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTableWrap, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			fmt.Fprintf(w, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"%s\">\n", html.EscapeString(n.(*TableWrap).Label))
		} else {
			_, _ = w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	})
}
