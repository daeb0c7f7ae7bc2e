// Package jsonscan checks that a document is well-formed JSON in one pass,
// without recursion and without allocating, and reports the byte offset of
// the first error. An object that has the same key twice is malformed here:
// a provider payload with "status":"declined","status":"approved" is not
// read as last-wins by one reader and first-wins by another. It bounds nesting depth so that hostile documents (100k
// nested arrays) are rejected quickly instead of exhausting the stack of a
// later recursive reader.
package jsonscan

import (
	"encoding/binary"
	"encoding/json"
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
	// keys holds the keys of every open object, innermost last; starts
	// holds, per open object, the index of its first key in keys.
	var keysSmall [64]keyRef
	var startsSmall [16]int
	keys, starts := keysSmall[:0], startsSmall[:0]
	var big bigKeys
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
			if c == '{' {
				starts = append(starts, len(keys))
			}
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
				if c == '{' {
					keys, starts = big.pop(keys, starts)
				}
				i++
				break
			}
			if c == '{' {
				var err error
				if i, keys, err = big.key(data, i, keys, starts[len(starts)-1], len(starts)-1); err != nil {
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
				if top == '{' {
					keys, starts = big.pop(keys, starts)
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
				if i, keys, err = big.key(data, i, keys, starts[len(starts)-1], len(starts)-1); err != nil {
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

// bigKeys holds a map of the keys of each open object that has more than
// linearKeys keys, by nesting level: smaller objects are searched linearly
// in buffers on Scan's stack, so that the common case does not allocate and
// a hostile object of 100,000 keys still costs linear time.
type bigKeys map[int]map[string]struct{}

type keyRef struct {
	hash       uint64
	start, end int  // the key's bytes, quotes excluded
	escaped    bool // the key has a backslash escape
}

const linearKeys = 32

// pop closes the innermost object.
func (b bigKeys) pop(keys []keyRef, starts []int) ([]keyRef, []int) {
	n := len(starts) - 1
	if b != nil {
		delete(b, n)
	}
	return keys[:starts[n]], starts[:n]
}

// key reads a key of the innermost object (level, whose keys are
// keys[first:]) like key, and fails when the object already has it.
func (b *bigKeys) key(data []byte, i int, keys []keyRef, first, level int) (int, []keyRef, error) {
	next, end, err := key(data, i)
	if err != nil {
		return next, keys, err
	}
	name := data[i+1 : end-1]
	if m := (*b)[level]; m != nil {
		u := string(unescape(name))
		if _, dup := m[u]; dup {
			return i, keys, errAt(i, "duplicate key %q in one object", u)
		}
		m[u] = struct{}{}
		return next, keys, nil
	}
	own := keys[first:]
	h, esc := hash(name), hasEscape(name)
	for _, r := range own {
		same := r.hash == h && string(data[r.start:r.end]) == string(name)
		if !same && (esc || r.escaped) {
			// An escaped key can equal a plain one ("a" and "\\u0061").
			same = string(unescape(data[r.start:r.end])) == string(unescape(name))
		}
		if same {
			return i, keys, errAt(i, "duplicate key %q in one object", unescape(name))
		}
	}
	if len(own) == linearKeys {
		m := make(map[string]struct{}, 2*linearKeys)
		for _, r := range own {
			m[string(unescape(data[r.start:r.end]))] = struct{}{}
		}
		m[string(unescape(name))] = struct{}{}
		if *b == nil {
			*b = bigKeys{}
		}
		(*b)[level] = m
		return next, keys, nil
	}
	return next, append(keys, keyRef{h, i + 1, end - 1, esc}), nil
}

// hash is a cheap fingerprint of a key: its length and first bytes. Equal
// fingerprints are compared byte by byte.
func hash(b []byte) uint64 {
	h := uint64(len(b)) << 56
	for i := 0; i < len(b) && i < 7; i++ {
		h |= uint64(b[i]) << (8 * i)
	}
	return h
}

func hasEscape(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}

// unescape returns a key's bytes with JSON escapes decoded. Keys without a
// backslash are returned as they are, without allocating.
func unescape(b []byte) []byte {
	if !hasEscape(b) {
		return b
	}
	var s string
	if err := json.Unmarshal(append(append([]byte{'"'}, b...), '"'), &s); err != nil {
		return b
	}
	return []byte(s)
}

// key reads `"name" :` and returns the offset of the value that follows
// and the offset just past the key's closing quote.
func key(data []byte, i int) (next, end int, err error) {
	if i >= len(data) {
		return i, i, errAt(i, "unexpected end of input, expecting an object key")
	}
	if data[i] != '"' {
		return i, i, errAt(i, "unexpected %s, expecting an object key", describe(data[i]))
	}
	i, err = str(data, i)
	if err != nil {
		return i, i, err
	}
	end = i
	i = skipSpace(data, i)
	if i >= len(data) || data[i] != ':' {
		if i >= len(data) {
			return i, end, errAt(i, "unexpected end of input, expecting :")
		}
		return i, end, errAt(i, "unexpected %s, expecting :", describe(data[i]))
	}
	return skipSpace(data, i+1), end, nil
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
