package content

import (
	"bytes"
	"errors"
	"strings"

	"briefs/internal/diag"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"
)

// TOML front matter (between +++ lines, as Hugo writes it) is read into
// the same YAML node tree as YAML front matter, with the positions of its
// keys and values, so that one set of checks serves both.

// tomlNode parses data, the TOML between the +++ lines, into a YAML
// document node. Lines are counted from the first line of data. file and
// first (the file line of data's first line) place syntax errors.
func tomlNode(file string, data []byte, first int) (*yaml.Node, error) {
	// The decoder checks what the syntax alone does not: a key set twice,
	// a table defined twice.
	var check map[string]any
	if err := toml.Unmarshal(data, &check); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, &diag.Error{File: file, Line: line + first - 1, Col: col, Msg: "invalid TOML front matter: " + de.Error(), Err: err}
		}
		return nil, &diag.Error{File: file, Line: first, Msg: "invalid TOML front matter: " + err.Error(), Err: err}
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	var p unstable.Parser
	p.Reset(data)
	cur := root
	pos := func(r unstable.Range) (int, int) {
		s := p.Shape(r).Start
		return s.Line, s.Column
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			parent, key := descend(cur, keyParts(e, pos))
			v := tomlValue(&p, e.Value(), valuePos(&p, e))
			parent.Content = append(parent.Content, key, v)
		case unstable.Table:
			parts := keyParts(e, pos)
			parent, key := descend(root, parts)
			if m := mapValue(parent, key.Value); m != nil && m.Kind == yaml.MappingNode {
				cur = m
				continue
			}
			m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: key.Line, Column: key.Column}
			parent.Content = append(parent.Content, key, m)
			cur = m
		case unstable.ArrayTable:
			parts := keyParts(e, pos)
			parent, key := descend(root, parts)
			seq := mapValue(parent, key.Value)
			if seq == nil {
				seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: key.Line, Column: key.Column}
				parent.Content = append(parent.Content, key, seq)
			}
			m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: key.Line, Column: key.Column}
			seq.Content = append(seq.Content, m)
			cur = m
		}
	}
	if err := p.Error(); err != nil {
		return nil, &diag.Error{File: file, Line: first, Msg: "invalid TOML front matter: " + err.Error(), Err: err}
	}
	return doc, nil
}

// keyParts returns the parts of a dotted key as YAML key nodes.
func keyParts(e *unstable.Node, pos func(unstable.Range) (int, int)) []*yaml.Node {
	var parts []*yaml.Node
	it := e.Key()
	for it.Next() {
		k := it.Node()
		line, col := pos(k.Raw)
		parts = append(parts, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: string(k.Data), Line: line, Column: col})
	}
	return parts
}

// descend walks from m down the dotted key parts but the last,
// making tables as needed, and returns the table and the last part.
func descend(m *yaml.Node, parts []*yaml.Node) (*yaml.Node, *yaml.Node) {
	for _, k := range parts[:len(parts)-1] {
		next := mapValue(m, k.Value)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: k.Line, Column: k.Column}
			m.Content = append(m.Content, k, next)
		}
		if next.Kind == yaml.SequenceNode && len(next.Content) > 0 {
			next = next.Content[len(next.Content)-1] // the last [[table]]
		}
		m = next
	}
	return m, parts[len(parts)-1]
}

// mapValue returns the value of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// valuePos is where the value of a key/value expression starts: past the
// = after its key. Arrays and inline tables carry no range of their own.
func valuePos(p *unstable.Parser, e *unstable.Node) [2]int {
	it := e.Key()
	var last *unstable.Node
	for it.Next() {
		last = it.Node()
	}
	data := p.Data()
	off := int(last.Raw.Offset + last.Raw.Length)
	if i := bytes.IndexByte(data[off:], '='); i >= 0 {
		off += i + 1
		for off < len(data) && (data[off] == ' ' || data[off] == '\t') {
			off++
		}
	}
	s := p.Shape(unstable.Range{Offset: uint32(off)})
	return [2]int{s.Start.Line, s.Start.Column}
}

// tomlValue converts a TOML value to a YAML node placed at at, or at its
// own range when it has one.
func tomlValue(p *unstable.Parser, v *unstable.Node, at [2]int) *yaml.Node {
	n := &yaml.Node{Line: at[0], Column: at[1]}
	if v.Raw.Length > 0 {
		s := p.Shape(v.Raw).Start
		n.Line, n.Column = s.Line, s.Column
	}
	switch v.Kind {
	case unstable.String:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", string(v.Data)
	case unstable.Bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", string(v.Data)
	case unstable.Integer:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", strings.ReplaceAll(string(v.Data), "_", "")
	case unstable.Float:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!float", strings.ReplaceAll(string(v.Data), "_", "")
	case unstable.LocalDate, unstable.LocalDateTime, unstable.DateTime:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!timestamp", string(v.Data)
	case unstable.LocalTime:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", string(v.Data)
	case unstable.Array:
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			n.Content = append(n.Content, tomlValue(p, c, at))
		}
	case unstable.InlineTable:
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			if kv.Kind != unstable.KeyValue {
				continue
			}
			parent, key := descend(n, keyParts(kv, func(r unstable.Range) (int, int) {
				s := p.Shape(r).Start
				return s.Line, s.Column
			}))
			parent.Content = append(parent.Content, key, tomlValue(p, kv.Value(), valuePos(p, kv)))
		}
	}
	return n
}
