// Package walk reads already-validated JSON in a single pass.
//
// gjson's ForEach finds the end of every container value by scanning it
// before the iterator sees it, so walking a document nested six levels deep
// scans the deepest bytes six times. Here a container's end is found by
// walking it: a handler that descends into a value returns the index just
// past it, and values nobody descends into are skipped once. Scalars are
// read as gjson.Results, so the field package's readers and warnings work
// unchanged. Indexes are byte offsets in the document.
package walk

import (
	"strings"

	"github.com/tidwall/gjson"
)

// Val returns the value starting at s[i] as a gjson.Result located at i. For
// a container only its type is set (Raw is its first byte): never ForEach
// or Get it.
func Val(s string, i int) gjson.Result {
	if i < 0 || i >= len(s) {
		return gjson.Result{}
	}
	switch s[i] {
	case '"':
		e := EndString(s, i)
		raw := s[i:e]
		if len(raw) < 2 {
			break
		}
		str := raw[1 : len(raw)-1]
		if strings.IndexByte(str, '\\') >= 0 {
			break // escapes: let gjson unescape
		}
		return gjson.Result{Type: gjson.String, Raw: raw, Str: str, Index: i}
	case 'n':
		if strings.HasPrefix(s[i:], "null") {
			return gjson.Result{Type: gjson.Null, Raw: s[i : i+4], Index: i}
		}
	case 't':
		if strings.HasPrefix(s[i:], "true") {
			return gjson.Result{Type: gjson.True, Raw: s[i : i+4], Index: i}
		}
	case 'f':
		if strings.HasPrefix(s[i:], "false") {
			return gjson.Result{Type: gjson.False, Raw: s[i : i+5], Index: i}
		}
	case '{', '[':
		return gjson.Result{Type: gjson.JSON, Raw: s[i : i+1], Index: i}
	}
	r := gjson.Parse(s[i:])
	r.Index = i
	return r
}

func SkipWS(s string, i int) int {
	for i < len(s) && s[i] <= ' ' {
		i++
		for i+8 <= len(s) && s[i:i+8] == "        " {
			i += 8
		}
	}
	return i
}

// EndString returns the index just past the string whose quote is s[i].
func EndString(s string, i int) int {
	i++
	for i < len(s) {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			break
		}
		i += j
		bs := 0
		for k := i - 1; k >= 0 && s[k] == '\\'; k-- {
			bs++
		}
		i++
		if bs%2 == 0 {
			return i
		}
	}
	return len(s)
}

// End returns the index just past the value starting at s[i].
func End(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	switch s[i] {
	case '"':
		return EndString(s, i)
	case '{', '[':
		depth := 0
		for i < len(s) {
			switch c := s[i]; c {
			case '"':
				i = EndString(s, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			case ' ', '\n':
				i = SkipWS(s, i)
				continue
			}
			i++
		}
		return len(s)
	}
	for i < len(s) && s[i] > ' ' && s[i] != ',' && s[i] != '}' && s[i] != ']' {
		i++
	}
	return i
}

// Members calls fn for each member of the object starting at s[i] with the
// member's key and the index of its value. fn returns the index just past
// the value when it walked it, or 0 to have it skipped. members returns the
// index just past the object.
func Members(s string, i int, fn func(key string, v int) int) int {
	i = SkipWS(s, i+1)
	for i < len(s) && s[i] != '}' {
		if s[i] != '"' {
			i = SkipWS(s, i+1) // ','
			continue
		}
		ke := EndString(s, i)
		key := s[i+1 : max(i+1, ke-1)]
		if strings.IndexByte(key, '\\') >= 0 {
			key = gjson.Parse(s[i:ke]).Str
		}
		i = SkipWS(s, ke)
		if i < len(s) && s[i] == ':' {
			i = SkipWS(s, i+1)
		}
		if i >= len(s) {
			break
		}
		e := fn(key, i)
		if e <= i {
			e = max(End(s, i), i+1) // always progress, even on broken input
		}
		i = SkipWS(s, e)
	}
	return min(i+1, len(s))
}

// Elements calls fn for each element of the array starting at s[i]; fn
// returns like members'.
func Elements(s string, i int, fn func(v int) int) int {
	i = SkipWS(s, i+1)
	for i < len(s) && s[i] != ']' {
		if s[i] == ',' {
			i = SkipWS(s, i+1)
			continue
		}
		e := fn(i)
		if e <= i {
			e = max(End(s, i), i+1) // always progress, even on broken input
		}
		i = SkipWS(s, e)
	}
	return min(i+1, len(s))
}

func IsObject(s string, i int) bool { return i >= 0 && i < len(s) && s[i] == '{' }
func IsArray(s string, i int) bool  { return i >= 0 && i < len(s) && s[i] == '[' }

// Objects calls fn for the object at s[i], or for each object element of the
// array at s[i]: providers document some fields as "an object or an array of
// objects". It returns the index just past the value, or 0 when it is
// neither.
func Objects(s string, i int, fn func(v int) int) int {
	switch {
	case IsObject(s, i):
		return fn(i)
	case IsArray(s, i):
		return Elements(s, i, func(v int) int {
			if IsObject(s, v) {
				return fn(v)
			}
			return 0
		})
	}
	return 0
}
