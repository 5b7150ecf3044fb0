package tmpl

import (
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"briefs/internal/diag"
)

// Source is a template as its author wrote it, and where: what turns the
// errors text/template reports about it into messages at the file, line
// and column they are about, in the author's terms. It is the one mapping
// of template errors for a brief's body, its title and summary, and the
// archetypes of `briefs new`.
type Source struct {
	// Name is text/template's name of the template, which its errors
	// carry: "body", "title", "archetype".
	Name string
	Text string // as written
	File string
	// Line and Col are where Text begins in File, 1-based, the column in
	// characters. A zero Line places errors at the file alone.
	Line, Col int
	// Prefix starts every message: "title: " for a front matter value.
	Prefix string
	// Left and Right are the action delimiters: {{ and }} when empty.
	Left, Right string
	// Funcs are the functions the template may call, for suggesting the
	// nearest to an unknown one.
	Funcs template.FuncMap
	// Data is what the template runs on, if anything, and DataName what
	// messages call it ("an archetype"): its fields are suggested for a
	// misspelled one.
	Data     any
	DataName string
}

func (s *Source) delims() (left, right string) {
	if s.Left == "" {
		return "{{", "}}"
	}
	return s.Left, s.Right
}

// act writes an action as an author would: act("end") is "{{ end }}".
func (s *Source) act(text string) string {
	l, r := s.delims()
	return l + " " + text + " " + r
}

// line returns line n (1-based) of the template, without its newline.
func (s *Source) line(n int) string {
	text := s.Text
	for range n - 1 {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return ""
		}
		text = text[i+1:]
	}
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	return text
}

// at turns a position as text/template counts it, line n (1-based) and
// byte offset off within it (0-based; < 0 for none), into the file's line
// and character column (0 for none).
func (s *Source) at(n, off int) (line, col int) {
	if s.Line == 0 || n < 1 {
		return 0, 0
	}
	line = s.Line + n - 1
	if off < 0 {
		return line, 0
	}
	l := s.line(n)
	off = min(off, len(l))
	col = utf8.RuneCountInString(l[:off]) + 1
	if n == 1 && s.Col > 1 {
		col += s.Col - 1
	}
	return line, col
}

// offset turns a byte offset in Text into text/template's line and offset
// within it.
func (s *Source) offset(i int) (n, off int) {
	i = min(max(i, 0), len(s.Text))
	before := s.Text[:i]
	return strings.Count(before, "\n") + 1, i - (strings.LastIndexByte(before, '\n') + 1)
}

// errorAt makes the message at line n, offset off of the template.
func (s *Source) errorAt(n, off int, err error, format string, args ...any) *diag.Error {
	line, col := s.at(n, off)
	return &diag.Error{File: s.File, Line: line, Col: col, Msg: s.Prefix + fmt.Sprintf(format, args...), Err: err}
}

// nodeError makes the message at a node of t, a template parsed from s.
func (s *Source) nodeError(t *template.Template, node parse.Node, format string, args ...any) *diag.Error {
	loc, _ := t.ErrorContext(node)
	n, off := -1, -1
	if m := contextRe.FindStringSubmatch(loc); m != nil {
		n, _ = strconv.Atoi(m[1])
		off, _ = strconv.Atoi(m[2])
	}
	return s.errorAt(n, off, nil, format, args...)
}

var (
	contextRe = regexp.MustCompile(`:(\d+):(\d+)$`)
	execRe    = regexp.MustCompile(`(?s)^template: [^:]*:(\d+):(\d+): executing "[^"]*" at <(.*?)>: (?:error calling \w+: )?(.*)$`)
	parseRe   = regexp.MustCompile(`(?s)^template: [^:]*:(\d+): (.*)$`)
	startedRe = regexp.MustCompile(`(?: in action)? started at [^:]*:(\d+)$`)
	quotedRe  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'[^']*'`)
)

// Error turns an error of text/template about s, from parsing or running
// it, into a diag.Error at the place it is about. Other errors are
// returned as they are.
func (s *Source) Error(err error) error {
	msg := err.Error()
	if m := execRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		off, _ := strconv.Atoi(m[2])
		node, detail := m[3], m[4]
		if s.funcs()[node] {
			node = s.callAt(n, off) // the call, not the name alone
		} else if expectedRe.MatchString(detail) || wrongTypeRe.MatchString(detail) {
			node = s.callAt(n, s.callStart(n, off)) // the call the argument is given to
		}
		return s.errorAt(n, off, err, "%s: %s", s.act(diag.Clip(node, diag.MaxQuote)), s.execDetail(detail))
	}
	m := parseRe.FindStringSubmatch(msg)
	if m == nil {
		return err
	}
	n, _ := strconv.Atoi(m[1])
	detail := m[2]
	if st := startedRe.FindStringSubmatch(detail); st != nil {
		n, _ = strconv.Atoi(st[1])
		detail = strings.TrimSuffix(detail, st[0])
	}
	if f := undefinedRe.FindStringSubmatch(detail); f != nil {
		return s.unknownFunc(n, f[1], err)
	}
	switch detail {
	case "unexpected EOF":
		if i, action, ok := s.unclosed(); ok {
			n, off := s.offset(i)
			return s.errorAt(n, off, err, "%s is never closed: expected an %s after its content", s.act(diag.Clip(action, 60)), s.act("end"))
		}
	case "unclosed action":
		l, r := s.delims()
		line := s.line(n)
		if i := strings.LastIndex(line, l); i >= 0 {
			return s.errorAt(n, i, err, "the action %s is never closed: expected %s at its end", diag.Clip(strings.TrimSpace(line[i:]), 60), r)
		}
	}
	return s.syntax(n, detail, err)
}

// funcs are the names the template may call: its own and text/template's.
func (s *Source) funcs() map[string]bool {
	m := map[string]bool{}
	for name := range s.Funcs {
		m[name] = true
	}
	for _, name := range builtins {
		m[name] = true
	}
	return m
}

// builtins are text/template's own functions.
var builtins = []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ne", "lt", "le", "gt", "ge"}

// callAt returns the call that starts at line n, offset off: up to the
// end of its parentheses, its pipeline stage or its action.
func (s *Source) callAt(n, off int) string {
	_, r := s.delims()
	rest := s.line(n)
	if off > len(rest) {
		return ""
	}
	rest = rest[off:]
	depth, quote := 0, byte(0)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return strings.TrimSpace(rest[:i])
			}
			depth--
		case c == '|' && depth == 0, strings.HasPrefix(rest[i:], r), strings.HasPrefix(rest[i:], "-"+r):
			return strings.TrimSpace(rest[:i])
		}
	}
	return strings.TrimSpace(rest)
}

// callStart returns the offset in line n of the call that holds the
// argument at offset off: after the innermost "(" still open before it,
// the last "|" or the action's left delimiter.
func (s *Source) callStart(n, off int) int {
	l, _ := s.delims()
	line := s.line(n)
	off = min(off, len(line))
	start := strings.LastIndex(line[:off], l)
	if start < 0 {
		return off
	}
	start += len(l)
	var opens []int // offsets after each "(" still open
	quote := byte(0)
	for i := start; i < off; i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
		case c == '(':
			opens = append(opens, i+1)
		case c == ')' && len(opens) > 0:
			opens = opens[:len(opens)-1]
		case c == '|' && len(opens) == 0:
			start = i + 1
		}
	}
	if len(opens) > 0 {
		start = opens[len(opens)-1]
	}
	for start < off && line[start] == ' ' {
		start++
	}
	return start
}

var (
	wrongArgsRe = regexp.MustCompile(`^wrong number of args for (\w+): want (at least )?(\d+) got (\d+)$`)
	fieldRe     = regexp.MustCompile(`^can't evaluate field (\w+) in type (\S+)$`)
	noKeyRe     = regexp.MustCompile(`^(?:nil data; )?(?:map has )?no entry for key "(\w+)"$`)
	expectedRe  = regexp.MustCompile(`^expected (integer|unsigned integer|float|complex|string|bool); found (.*)$`)
	wrongTypeRe = regexp.MustCompile(`^wrong type for value; expected (\S+); got (\S+)$`)
)

// execDetail says what went wrong running a call, in an author's terms.
func (s *Source) execDetail(detail string) string {
	if m := wrongArgsRe.FindStringSubmatch(detail); m != nil {
		want, _ := strconv.Atoi(m[3])
		got, _ := strconv.Atoi(m[4])
		msg := fmt.Sprintf("%s takes %s%s, got %d", m[1], m[2], plural(want, "argument"), got)
		if u, ok := usage[m[1]]; ok {
			msg += ": expected " + u
		}
		return msg
	}
	if m := fieldRe.FindStringSubmatch(detail); m != nil {
		return s.unknownField(m[1], m[2])
	}
	if m := noKeyRe.FindStringSubmatch(detail); m != nil {
		if s.Data != nil {
			return s.unknownField(m[1], "")
		}
		return fmt.Sprintf("unknown field .%s: the %s has no fields; a field such as .Name is for the rows of %s", m[1], s.Name, s.act(`range rank "GROUP" "PERIOD"`))
	}
	if m := expectedRe.FindStringSubmatch(detail); m != nil {
		msg := fmt.Sprintf("expected %s, found %s", kindName(m[1]), m[2])
		if strings.HasPrefix(m[2], `"`) && m[1] != "string" {
			msg += ": write numbers without quotes"
		}
		return msg
	}
	if m := wrongTypeRe.FindStringSubmatch(detail); m != nil {
		return fmt.Sprintf("expected %s, got %s", typeName(m[1]), typeName(m[2]))
	}
	return plainTypes.Replace(detail)
}

// unknownField names a field a value of type typ lacks ("" for the
// template's data), with the nearest it has.
func (s *Source) unknownField(name, typ string) string {
	what, fields := s.fields(typ)
	msg := "unknown field ." + name
	if near := diag.Nearest(name, fields); near != "" {
		msg += fmt.Sprintf(" (did you mean .%s?)", near)
	}
	if len(fields) > 0 {
		msg += fmt.Sprintf("; %s has .%s", what, strings.Join(fields, ", ."))
	}
	return msg
}

// fields returns what a value of Go type typ is called and its fields:
// the template's data ("" or its type), a ranking row or a figure.
func (s *Source) fields(typ string) (what string, fields []string) {
	for _, v := range []struct {
		value any
		what  string
	}{{s.Data, s.DataName}, {RankRow{}, "a ranking row"}, {Figure{}, "a figure"}} {
		t := reflect.TypeOf(v.value)
		if t == nil {
			continue
		}
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if typ != "" && typ != t.String() && typ != "*"+t.String() || t.Kind() != reflect.Struct {
			continue
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				fields = append(fields, f.Name)
			}
		}
		return v.what, fields
	}
	return plainTypes.Replace(typ), nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// kindName names a kind of value text/template expects.
func kindName(kind string) string {
	switch kind {
	case "integer", "unsigned integer":
		return "a whole number"
	case "float", "complex":
		return "a number"
	case "string":
		return `a string in double quotes ("RTY")`
	case "bool":
		return "true or false"
	}
	return kind
}

// typeName names a Go type of the template language as an author knows it.
func typeName(t string) string {
	switch t {
	case "int", "int64", "float64", "uint":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	}
	return plainTypes.Replace(t)
}

// plainTypes names the Go types of the template language as an author
// knows them.
var plainTypes = strings.NewReplacer(
	reflect.TypeFor[[]RankRow]().String(), "a ranking (rank, top, bottom)",
	reflect.TypeFor[RankRow]().String(), "a ranking row (.Rank .Symbol .Name .Value)",
	reflect.TypeFor[Figure]().String(), "a figure",
	"time.Time", "a date",
	"float64", "number",
	"interface {}", "value",
)

var undefinedRe = regexp.MustCompile(`^function "([^"]*)" not defined$`)

// symbolLike matches what looks like a ticker symbol written as a word.
var symbolLike = regexp.MustCompile(`^[A-Z][A-Z0-9]*$`)

// unknownFunc is an unknown function name at line n: placed at the call,
// with the nearest known name.
func (s *Source) unknownFunc(n int, name string, err error) error {
	text := fmt.Sprintf("unknown function %s", diag.Quote(name))
	switch near := diag.Nearest(name, slices.Sorted(maps.Keys(s.funcs()))); {
	case symbolLike.MatchString(name):
		text += fmt.Sprintf(": a symbol is written in double quotes, %q", name)
	case near != "":
		text += fmt.Sprintf(" (did you mean %q?)", near)
	case s.Funcs != nil:
		text += ": see the README's list of template functions"
	}
	off := -1
	for _, a := range s.actions(n) {
		if i := identIndex(s.Text[a[0]:a[1]], name); i >= 0 {
			_, off = s.offset(a[0] + i)
			break
		}
	}
	return s.errorAt(n, off, err, "%s", text)
}

// syntax places a parse error text/template gives only the line of: at
// the first action of the line that fails alone the same way, or at the
// token the message quotes within it.
func (s *Source) syntax(n int, detail string, err error) error {
	actions := s.actions(n)
	l, r := s.delims()
	var at []int // the action at fault, as a byte range of Text
	for _, a := range actions {
		one := template.New(s.Name).Delims(l, r).Funcs(stubs(s.funcs()))
		if _, e := one.Parse(s.Text[a[0]:a[1]]); e != nil {
			if m := parseRe.FindStringSubmatch(e.Error()); m != nil && startedRe.ReplaceAllString(m[2], "") == detail {
				at = a
				break
			}
		}
	}
	if at == nil && len(actions) > 0 {
		at = actions[0]
	}
	if at == nil {
		return s.errorAt(n, -1, err, "%s", s.syntaxHint(detail))
	}
	action := s.Text[at[0]:at[1]]
	start := at[0]
	if m := quotedRe.FindString(detail); m != "" {
		token := m
		if strings.HasPrefix(m, `"`) {
			token, _ = strconv.Unquote(m)
		}
		if i := strings.Index(action[len(l):], token); token != "" && i >= 0 {
			start = at[0] + len(l) + i
		}
	}
	inner := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(action, l), r))
	ln, off := s.offset(start)
	return s.errorAt(ln, off, err, "%s: %s", s.act(diag.Clip(inner, diag.MaxQuote)), s.syntaxHint(detail))
}

var (
	unexpectedRe = regexp.MustCompile(`^unexpected (.*) in (?:operand|command|input|end|parenthesized pipeline)$`)
	undefVarRe   = regexp.MustCompile(`^undefined variable "(.*)"$`)
	charConstRe  = regexp.MustCompile(`^(?:malformed|unterminated) character constant(?:: '(.*)')?$`)
)

// syntaxHint says what a parse error means and how to fix it.
func (s *Source) syntaxHint(detail string) string {
	_, r := s.delims()
	switch {
	case detail == "unexpected {{end}}":
		return fmt.Sprintf("this %s closes nothing: no %s, %s or %s is open before it", s.act("end"), s.act("if"), s.act("range"), s.act("with"))
	case detail == "unexpected {{else}}":
		return fmt.Sprintf("this %s is outside any %s, %s or %s", s.act("else"), s.act("if"), s.act("range"), s.act("with"))
	case detail == "unterminated quoted string":
		return `a string is not closed: expected a closing "`
	case detail == "unclosed left paren":
		return "a ( is not closed: expected a ) before " + r
	case detail == "unexpected right paren":
		return "a ) closes nothing: remove it, or add the ( it closes"
	case strings.HasPrefix(detail, "missing value for "):
		return fmt.Sprintf("%s needs a value: %s", strings.TrimPrefix(detail, "missing value for "), s.act(`if gt (ret "RTY" "1M") 0.0`))
	}
	if m := unexpectedRe.FindStringSubmatch(detail); m != nil {
		if m[1] == `"}"` || m[1] == `"]"` {
			return fmt.Sprintf("unexpected %s: an action ends with %s", m[1], r)
		}
		return "unexpected " + m[1]
	}
	if m := undefVarRe.FindStringSubmatch(detail); m != nil {
		return fmt.Sprintf("variable %s is not set: set it first, %s", m[1], s.act(m[1]+` := ret "RTY" "1M"`))
	}
	if m := charConstRe.FindStringSubmatch(detail); m != nil {
		return fmt.Sprintf(`single quotes: write strings in double quotes, "%s"`, m[1])
	}
	return detail
}

// stubs are functions of the given names that do nothing: enough to parse.
func stubs(names map[string]bool) template.FuncMap {
	fm := template.FuncMap{}
	for name := range names {
		if !slices.Contains(builtins, name) {
			fm[name] = func(...any) any { return nil }
		}
	}
	return fm
}

// actions returns the byte ranges in Text of the actions that begin or
// end on line n, delimiters included; an action left open runs to the
// end of the line.
func (s *Source) actions(n int) [][]int {
	l, r := s.delims()
	var out [][]int
	for i := 0; i < len(s.Text); {
		j := strings.Index(s.Text[i:], l)
		if j < 0 {
			break
		}
		start := i + j
		end := len(s.Text)
		if k := strings.Index(s.Text[start+len(l):], r); k >= 0 {
			end = start + len(l) + k + len(r)
		}
		first, _ := s.offset(start)
		last, _ := s.offset(end)
		if first > n {
			break
		}
		if first == n || last == n {
			if end == len(s.Text) && first == n {
				if nl := strings.IndexByte(s.Text[start:], '\n'); nl >= 0 {
					end = start + nl
				}
			}
			out = append(out, []int{start, end})
		}
		i = end
	}
	return out
}

// identIndex returns the byte index of name in an action as a whole word,
// or -1.
func identIndex(action, name string) int {
	for off := 0; ; {
		i := strings.Index(action[off:], name)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(name)
		if (i == 0 || !isIdent(action[i-1])) && (end == len(action) || !isIdent(action[end])) {
			return i
		}
		off = end
	}
}

func isIdent(c byte) bool {
	return c == '_' || c == '.' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// unclosed finds the innermost {{ if }}, {{ range }}, {{ with }}, {{ block }}
// or {{ define }} left without its {{ end }}: its byte offset in Text and
// its text.
func (s *Source) unclosed() (at int, action string, ok bool) {
	l, r := s.delims()
	re := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(l) + `-?\s*(/\*.*?\*/|.*?)\s*-?` + regexp.QuoteMeta(r))
	type open struct {
		at   int
		text string
	}
	var stack []open
	for _, m := range re.FindAllStringSubmatchIndex(s.Text, -1) {
		text := s.Text[m[2]:m[3]]
		word, _, _ := strings.Cut(text, " ")
		switch word {
		case "if", "range", "with", "block", "define", "while":
			stack = append(stack, open{m[0], text})
		case "end":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 {
		return 0, "", false
	}
	o := stack[len(stack)-1]
	return o.at, o.text, true
}

// usage is how each function of the language is called, for messages.
var usage = map[string]string{
	"close": "close SYMBOL [DATE]", "ret": `ret SYMBOL PERIOD or ret SYMBOL "YYYY-MM-DD" "YYYY-MM-DD"`,
	"sma": "sma SYMBOL N", "ema": "ema SYMBOL N", "vol": "vol SYMBOL N",
	"drawdown": "drawdown SYMBOL PERIOD", "high": "high SYMBOL PERIOD", "low": "low SYMBOL PERIOD",
	"pctrank": "pctrank SYMBOL PERIOD", "spread": "spread A B PERIOD",
	"corr": "corr A B N", "beta": "beta A B N", "breadth": "breadth GROUP N",
	"rank": "rank GROUP PERIOD", "rankof": "rankof SYMBOL GROUP PERIOD",
	"change": "change SYMBOL PERIOD", "annret": "annret SYMBOL PERIOD",
	"asof": "asof [SYMBOL]", "vs": "vs A B", "div": "div A B",
	"add": "add A B", "sub": "sub A B", "mul": "mul A B", "abs": "abs VALUE",
	"top": "top N RANKING", "bottom": "bottom N RANKING",
	"pct": "pct [DECIMALS] VALUE", "pp": "pp [DECIMALS] VALUE", "bp": "bp [DECIMALS] VALUE",
	"num": "num [DECIMALS] VALUE", "price": "price [DECIMALS] VALUE",
	"date": `date DATE or date "YYYY-MM-DD"`, "name": "name SYMBOL", "updown": "updown VALUE [FLAT]",
	"bysign": "bysign VALUE POSITIVE NEGATIVE [ZERO]", "T": "T ID [KEY VALUE]...",
	"printf": "printf FORMAT VALUE...",
}
