// Package jsonscan checks that a document is well-formed JSON in one pass,
// without recursion and without allocating, and reports the byte offset of
// the first error. It bounds nesting depth so that hostile documents (100k
// nested arrays) are rejected quickly instead of exhausting the stack of a
// later recursive reader.
package jsonscan

import (
	"encoding/binary"
	"fmt"
)

// SyntaxError is a well-formedness error at a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("byte %d: %s", e.Offset, e.Msg) }

func errAt(off int, format string, args ...any) error {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func describe(b byte) string {
	if b >= 0x20 && b < 0x7f {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("byte 0x%02x", b)
}

// Span is where a container value starts and ends (just past its last
// byte) in the document.
type Span struct{ Start, End int }

// Valid checks data. maxDepth bounds the nesting of arrays and objects.
func Valid(data []byte, maxDepth int) error { return Scan(data, maxDepth, 0, nil) }

// Scan checks data like Valid and, while at it, appends to *spans the span
// of every array and object nested at most record levels deep (1: the top
// level), in the order they start. A reader can then step over those values
// without scanning them again.
func Scan(data []byte, maxDepth, record int, spans *[]Span) error {
	// stack holds '{' or '[' per open container; depth is bounded, so a
	// fixed array covers the common case without allocating. open holds
	// the index in *spans of the recorded containers still open.
	var small [64]byte
	stack := small[:0]
	var openSmall [8]int
	open := openSmall[:0]
	i := skipSpace(data, 0)
	if i == len(data) {
		return errAt(i, "empty document")
	}
	for {
		// Expect a value at i.
		if i >= len(data) {
			return errAt(i, "unexpected end of input, expecting a value")
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return errAt(i, "nesting deeper than %d levels", maxDepth)
			}
			stack = append(stack, c)
			if len(stack) <= record {
				open = append(open, len(*spans))
				*spans = append(*spans, Span{Start: i})
			}
			i = skipSpace(data, i+1)
			if i < len(data) && ((c == '{' && data[i] == '}') || (c == '[' && data[i] == ']')) {
				if len(stack) <= record {
					(*spans)[open[len(open)-1]].End = i + 1
					open = open[:len(open)-1]
				}
				stack = stack[:len(stack)-1]
				i++
				break
			}
			if c == '{' {
				var err error
				if i, err = key(data, i); err != nil {
					return err
				}
			}
			continue
		case c == '"':
			var err error
			if i, err = str(data, i); err != nil {
				return err
			}
		case c == '-' || (c >= '0' && c <= '9'):
			var err error
			if i, err = number(data, i); err != nil {
				return err
			}
		case c == 't':
			if !lit(data, i, "true") {
				return errAt(i, "invalid literal, expecting true")
			}
			i += 4
		case c == 'f':
			if !lit(data, i, "false") {
				return errAt(i, "invalid literal, expecting false")
			}
			i += 5
		case c == 'n':
			if !lit(data, i, "null") {
				return errAt(i, "invalid literal, expecting null")
			}
			i += 4
		default:
			return errAt(i, "unexpected %s, expecting a value", describe(c))
		}
		// After a value: close containers or move to the next element.
		for {
			i = skipSpace(data, i)
			if len(stack) == 0 {
				if i != len(data) {
					return errAt(i, "unexpected %s after the end of the document", describe(data[i]))
				}
				return nil
			}
			if i >= len(data) {
				return errAt(i, "unexpected end of input, expecting , or %c", closer(stack[len(stack)-1]))
			}
			top := stack[len(stack)-1]
			c := data[i]
			if c == closer(top) {
				if len(stack) <= record {
					(*spans)[open[len(open)-1]].End = i + 1
					open = open[:len(open)-1]
				}
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if c != ',' {
				return errAt(i, "unexpected %s, expecting , or %c", describe(c), closer(top))
			}
			i = skipSpace(data, i+1)
			if i < len(data) && (data[i] == ']' || data[i] == '}') {
				return errAt(i, "trailing comma before %s", describe(data[i]))
			}
			if i < len(data) && data[i] == ',' {
				return errAt(i, "double comma")
			}
			if top == '{' {
				var err error
				if i, err = key(data, i); err != nil {
					return err
				}
			}
			break
		}
	}
}

func closer(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

// key reads `"name" :` and returns the offset of the value that follows.
func key(data []byte, i int) (int, error) {
	if i >= len(data) {
		return i, errAt(i, "unexpected end of input, expecting an object key")
	}
	if data[i] != '"' {
		return i, errAt(i, "unexpected %s, expecting an object key", describe(data[i]))
	}
	i, err := str(data, i)
	if err != nil {
		return i, err
	}
	i = skipSpace(data, i)
	if i >= len(data) || data[i] != ':' {
		if i >= len(data) {
			return i, errAt(i, "unexpected end of input, expecting :")
		}
		return i, errAt(i, "unexpected %s, expecting :", describe(data[i]))
	}
	return skipSpace(data, i+1), nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
			// Indentation of pretty-printed documents: eight spaces at a time.
			for i+8 <= len(data) && string(data[i:i+8]) == "        " {
				i += 8
			}
		default:
			return i
		}
	}
	return i
}

func lit(data []byte, i int, s string) bool {
	return len(data)-i >= len(s) && string(data[i:i+len(s)]) == s
}

// str reads a string starting at the quote at i and returns the offset after it.
func str(data []byte, i int) (int, error) {
	start := i
	i++
	for i < len(data) {
		// Fast path: plain string bytes, eight at a time, then one by one.
		for i+8 <= len(data) && !special(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		for i < len(data) && plain[data[i]] {
			i++
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c == '\\':
			if i+1 >= len(data) {
				return i, errAt(i, "unterminated escape")
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if len(data)-i < 6 || !hex4(data[i+2:i+6]) {
					return i, errAt(i, "invalid \\u escape")
				}
				i += 6
			default:
				return i, errAt(i, "invalid escape \\%c", data[i+1])
			}
		case c < 0x20:
			return i, errAt(i, "control character %s in string", describe(c))
		default:
			i++
		}
	}
	return i, errAt(start, "unterminated string")
}

// special reports whether any of the eight bytes in x is a quote, a
// backslash or a control character (SWAR: each test sets the high bit of
// the bytes that match).
func special(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - ones) & ^v & highs }
	return (zero(x^(ones*'"')) | zero(x^(ones*'\\')) | ((x - ones*0x20) &^ x & highs)) != 0
}

// plain marks the bytes that need no attention inside a string.
var plain = func() (t [256]bool) {
	for i := 0x20; i < 256; i++ {
		t[i] = i != '"' && i != '\\'
	}
	return t
}()

func hex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func number(data []byte, i int) (int, error) {
	start := i
	if data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else if digits() == 0 {
		return i, errAt(start, "invalid number")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if digits() == 0 {
			return i, errAt(start, "invalid number")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if digits() == 0 {
			return i, errAt(start, "invalid number")
		}
	}
	return i, nil
}
