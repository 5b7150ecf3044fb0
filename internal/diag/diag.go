// Package diag defines the positioned error every stage reports: a file, a
// line and column inside it, and what was expected there.
//
// Errors from many inputs are gathered with errors.Join; Flatten undoes the
// join so a command can print one error per line.
package diag

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a problem in one input file. Line and Col are 1-based; zero means
// unknown.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
	Err  error // optional cause, for errors.Is / errors.As
}

// Errorf returns an *Error at file:line:col with a formatted message.
func Errorf(file string, line, col int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	var b strings.Builder
	if strings.IndexFunc(e.File, unicode.IsControl) >= 0 {
		// A newline in a file name must not start a line of its own.
		b.WriteString(strconv.Quote(e.File))
	} else {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	msg := e.Msg
	if e.Err != nil && e.Msg == "" {
		msg = e.Err.Error()
	}
	b.WriteString(Clip(msg, maxMessage))
	return b.String()
}

// maxMessage is the longest message an Error prints, in bytes: whatever
// input a message quotes, one line of the report stays readable.
const maxMessage = 1000

// MaxQuote is the most characters of an input a message quotes.
const MaxQuote = 200

// Quote returns s quoted as Go quotes strings, cut to its first MaxQuote
// characters: an input line of megabytes is named, not echoed.
func Quote(s string) string {
	if utf8.RuneCountInString(s) <= MaxQuote {
		return strconv.Quote(s)
	}
	cut, n := s, 0
	for i := range s {
		if n == MaxQuote {
			cut = s[:i]
			break
		}
		n++
	}
	return fmt.Sprintf("%s... (%d bytes in all)", strconv.Quote(cut), len(s))
}

// Clip returns s cut to at most n bytes on a character boundary, saying how
// much was left out.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return fmt.Sprintf("%s... (%d more bytes)", s[:i], len(s)-i)
}

func (e *Error) Unwrap() error { return e.Err }

// Flatten returns the leaves of a tree of joined errors, in order. A nil error
// gives nil.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// Print writes each leaf of err on its own line as "error: ...", and the
// count when there are several: how the commands report problems.
func Print(w io.Writer, err error) {
	errs := Flatten(err)
	for _, e := range errs {
		fmt.Fprintln(w, "error:", e)
	}
	if len(errs) > 1 {
		fmt.Fprintf(w, "%d errors\n", len(errs))
	}
}

// Sort orders errors by file, line and column so reports read top to bottom
// whatever order parallel stages finished in. Errors without a position keep
// their relative order, after the positioned ones.
func Sort(errs []error) {
	slices.SortStableFunc(errs, func(a, b error) int {
		var ea, eb *Error
		okA, okB := errors.As(a, &ea), errors.As(b, &eb)
		switch {
		case okA && okB:
			if c := strings.Compare(ea.File, eb.File); c != 0 {
				return c
			}
			if ea.Line != eb.Line {
				return ea.Line - eb.Line
			}
			return ea.Col - eb.Col
		case okA:
			return -1
		case okB:
			return 1
		}
		return 0
	})
}

// Join flattens errs (nested joins included), sorts the leaves and joins
// them; it returns nil when errs holds none.
func Join(errs []error) error {
	var leaves []error
	for _, e := range errs {
		leaves = append(leaves, Flatten(e)...)
	}
	Sort(leaves)
	return errors.Join(leaves...)
}

// Nearest returns the candidate closest to word by edit distance, if it is
// close enough to be a plausible typo, else "".
func Nearest(word string, candidates []string) string {
	if len(word) > maxNearest {
		return "" // no typo is that long, and the distance costs len*len
	}
	best, bestD := "", -1
	lw := strings.ToLower(word)
	for _, c := range candidates {
		d := distance(lw, strings.ToLower(c))
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := max(1, len([]rune(word))/3)
	if bestD < 0 || bestD > limit {
		return ""
	}
	return best
}

// maxNearest is the longest word Nearest looks for, in bytes.
const maxNearest = 256

// distance is the edit distance between a and b, by runes, counting an
// insertion, deletion, substitution or swap of two neighbours as one edit
// (optimal string alignment), so "titel" is one edit from "title".
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
