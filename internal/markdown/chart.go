package markdown

import (
	"bytes"
	"errors"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// ChartFunc turns the spec of a ```chart block into the HTML that replaces
// it. An error that has a Line() int method is placed at that line of the
// spec (1 = the first line inside the fence).
type ChartFunc func(spec []byte) (html string, err error)

// Chart is a ```chart block, replaced by the HTML of its figure.
type Chart struct {
	ast.BaseBlock
	HTML string
}

// KindChart is the ast.NodeKind of Chart.
var KindChart = ast.NewNodeKind("Chart")

// Kind implements ast.Node.
func (n *Chart) Kind() ast.NodeKind { return KindChart }

// Dump implements ast.Node.
func (n *Chart) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// charts is the goldmark extension for chart blocks: an AST transformer
// replaces each fenced block whose info string is "chart" by a Chart node,
// and a node renderer writes its figure.
type charts struct{}

func (charts) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(chartTransformer{}, 400)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(chartRenderer{}, 500)))
}

type chartTransformer struct{}

func (chartTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := stateOf(pc)
	src := reader.Source()
	var blocks []*ast.FencedCodeBlock
	if !bytes.Contains(src, []byte("chart")) { // no chart block can be there
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fb, ok := n.(*ast.FencedCodeBlock); ok && entering && string(fb.Language(src)) == "chart" {
			blocks = append(blocks, fb)
		}
		return blocksOnly(n), nil
	})
	for _, fb := range blocks {
		var spec bytes.Buffer
		lines := fb.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			spec.Write(seg.Value(src))
		}
		offset := 0
		if fb.Info != nil {
			offset = fb.Info.Segment.Start
		}
		if lines.Len() > 0 {
			offset = lines.At(0).Start
		}
		node := &Chart{}
		var err error
		if st == nil || st.opt.Chart == nil {
			err = errors.New("chart blocks need market data: this site has none")
		} else {
			node.HTML, err = st.opt.Chart(spec.Bytes())
		}
		if err != nil {
			at := offset
			var le interface{ Line() int }
			if errors.As(err, &le) && le.Line() >= 1 && le.Line() <= lines.Len() {
				at = lines.At(le.Line() - 1).Start
			}
			if st != nil {
				st.errs = append(st.errs, problem{offset: at, msg: err.Error()})
			}
		}
		fb.Parent().ReplaceChild(fb.Parent(), fb, node)
	}
}

type chartRenderer struct{}

func (chartRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindChart, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(n.(*Chart).HTML)
			_ = w.WriteByte('\n')
		}
		return ast.WalkSkipChildren, nil
	})
}
