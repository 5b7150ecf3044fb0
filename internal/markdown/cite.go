package markdown

import (
	"fmt"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Citation is an inline [n] that refers to source n of the brief.
type Citation struct {
	ast.BaseInline
	Index int
	Title string
}

// KindCitation is the ast.NodeKind of Citation.
var KindCitation = ast.NewNodeKind("Citation")

// Kind implements ast.Node.
func (n *Citation) Kind() ast.NodeKind { return KindCitation }

// Dump implements ast.Node.
func (n *Citation) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Index": strconv.Itoa(n.Index)}, nil)
}

// citations is the goldmark extension for [n] citations. It only acts in a
// document that has sources, so a plain corpus keeps its literal brackets,
// and it yields to links: [0](url), [0][ref] and a defined [0]: reference.
type citations struct{}

func (citations) Extend(m goldmark.Markdown) {
	// Before the link parser (200), after footnote references (101).
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(citeParser{}, 150)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(citeRenderer{}, 500)))
}

type citeParser struct{}

func (citeParser) Trigger() []byte { return []byte{'['} }

func (citeParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	st := stateOf(pc)
	if st == nil || len(st.opt.Sources) == 0 {
		return nil
	}
	line, seg := block.PeekLine()
	// line starts at '['; digits; ']'
	i := 1
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 1 || i > 4 || i >= len(line) || line[i] != ']' {
		return nil
	}
	// "[0](url)" is a link, and "[text][1]" a reference link when a [1]:
	// definition exists; "[0][1]" without one is two citations. A "[3]:"
	// that reaches the inline parser is no definition (those are read as
	// blocks, at the start of a line): a citation before a colon.
	if i+1 < len(line) && line[i+1] == '(' {
		return nil
	}
	if i+1 < len(line) && line[i+1] == '[' {
		j := i + 2
		for j < len(line) && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		if j == i+2 || j >= len(line) || line[j] != ']' {
			return nil
		}
		if _, ok := pc.Reference(string(line[i+2 : j])); ok {
			return nil
		}
	}
	label := line[1:i]
	if _, ok := pc.Reference(string(label)); ok {
		return nil
	}
	n, _ := strconv.Atoi(string(label))
	node := &Citation{Index: n}
	if n >= len(st.opt.Sources) {
		st.errs = append(st.errs, problem{offset: seg.Start,
			msg: fmt.Sprintf("citation [%d] has no source: the front matter lists %d (expected [0] to [%d])", n, len(st.opt.Sources), len(st.opt.Sources)-1)})
	} else {
		node.Title = st.opt.Sources[n]
	}
	block.Advance(i + 1)
	return node
}

type citeRenderer struct{}

func (citeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCitation, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*Citation)
		fmt.Fprintf(w, `<a class="cite" href="#source-%d" title="`, n.Index)
		w.Write(util.EscapeHTML([]byte(n.Title)))
		fmt.Fprintf(w, `">[%d]</a>`, n.Index)
		return ast.WalkSkipChildren, nil
	})
}

var _ renderer.NodeRenderer = citeRenderer{}
