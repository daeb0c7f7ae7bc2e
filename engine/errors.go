package engine

import (
	"fmt"
	"sort"
	"strings"
)

// Position is a place in a source file, printed as file:line:column like
// go/token.Position. Line and Column are 1-based; zero means unknown.
type Position struct {
	File   string
	Line   int
	Column int
}

func (p Position) String() string {
	s := p.File
	if s == "" {
		s = "<input>"
	}
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	return s
}

// Error codes are stable: tools and tests may match on them.
const (
	CodeSyntax      = "syntax"       // YAML or expression syntax
	CodeUnknownKey  = "unknown-key"  // a YAML key the policy format does not have
	CodeMissing     = "missing"      // a required field is absent or empty
	CodeInvalid     = "invalid"      // a field's value is not allowed
	CodeDuplicate   = "duplicate"    // two rules, requirements or derived facts share an id
	CodeUnknownFact = "unknown-fact" // an expression names a fact that the catalog does not have
	CodeType        = "type"         // an expression does not type-check
	CodeUnsupported = "unsupported"  // an expression uses a construct policies do not allow
	CodeCycle       = "cycle"        // derived facts depend on each other
)

// Error is one problem in a source file, with the offending line so that it
// can be shown with a caret.
type Error struct {
	Pos    Position
	Code   string
	Msg    string
	Source string // the source line, without its newline; "" when unknown
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Snippet returns the error, the source line and a caret under the column.
func (e *Error) Snippet() string {
	if e.Source == "" || e.Pos.Column < 1 {
		return e.Error()
	}
	pad := make([]byte, 0, e.Pos.Column)
	for i, r := range e.Source {
		if i >= e.Pos.Column-1 {
			break
		}
		if r == '\t' {
			pad = append(pad, '\t')
		} else {
			pad = append(pad, ' ')
		}
	}
	return e.Error() + "\n | " + e.Source + "\n | " + string(pad) + "^"
}

// ErrorList collects every problem found, like go/scanner.ErrorList.
type ErrorList []*Error

// Add appends an error.
func (l *ErrorList) Add(pos Position, code, msg, source string) {
	*l = append(*l, &Error{Pos: pos, Code: code, Msg: msg, Source: source})
}

// Sort orders the list by file, line and column, and drops exact duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Pos, s[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	out := s[:0]
next:
	for _, e := range s {
		// Errors at one position are adjacent after the sort: compare e
		// with those already kept there, not only with the last one.
		for j := len(out) - 1; j >= 0 && out[j].Pos == e.Pos; j-- {
			if out[j].Msg == e.Msg {
				continue next
			}
		}
		out = append(out, e)
	}
	*l = out
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Snippets renders every error with its source line and caret.
func (l ErrorList) Snippets() string {
	var b strings.Builder
	for _, e := range l {
		b.WriteString(e.Snippet())
		b.WriteByte('\n')
	}
	return b.String()
}
