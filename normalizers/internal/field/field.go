// Package field reads typed values out of provider JSON for the normalizers:
// numbers that arrive as strings, object-or-array fields, the providers' date
// formats, and warnings located by byte offset when a field has a type that
// cannot be read.
package field

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
)

// Reader writes one payload's fields into a provider's facts. Base is the
// byte offset of the payload in the input, so that warnings point into the
// input document (gjson's Result.Index is relative to the payload).
type Reader struct {
	Sink engine.Sink
	Base int
}

// Present reports whether a field carries a value (it is neither missing nor null).
func Present(r gjson.Result) bool { return r.Exists() && r.Type != gjson.Null }

func (rd Reader) warn(r gjson.Result, what, want string) {
	rd.Sink.Warn(rd.Base+r.Index, what+": "+mismatch(r, want))
}

// Unreadable marks fact i unreadable: field what, at r, is present but not
// of the wanted form.
func (rd Reader) Unreadable(i int, r gjson.Result, what, want string) {
	rd.Sink.Unreadable(i, rd.Base+r.Index, what, mismatch(r, want))
}

// Merge writes v into fact i as read from field what at r.
func (rd Reader) Merge(i int, v engine.Value, r gjson.Result, what string) {
	rd.Sink.Merge(i, v, rd.Base+r.Index, what)
}

// mismatch says what r is when want was expected, with a short excerpt.
func mismatch(r gjson.Result, want string) string {
	got := "string"
	switch r.Type {
	case gjson.Number:
		got = "number"
	case gjson.True, gjson.False:
		got = "bool"
	case gjson.JSON:
		got = "object"
		if r.IsArray() {
			got = "array"
		}
	}
	raw := r.Raw
	if len(raw) > 40 {
		raw = raw[:40] + "…"
	}
	if r.Type == gjson.String || r.Type == gjson.Number {
		return "expected " + want + ", got " + got + " " + raw
	}
	return "expected " + want + ", got " + got
}

// Bool stores a JSON boolean (or the strings "true"/"false") in fact i.
// It reports whether a value was stored.
func (rd Reader) Bool(i int, r gjson.Result, what string) bool {
	if !Present(r) {
		return false
	}
	b, ok := Bool(r)
	if !ok {
		rd.Unreadable(i, r, what, "bool")
		return false
	}
	rd.Merge(i, engine.BoolValue(b), r, what)
	return true
}

// Number stores a JSON number (or a numeric string) in fact i.
func (rd Reader) Number(i int, r gjson.Result, what string) bool {
	if !Present(r) {
		return false
	}
	n, ok := Number(r)
	if !ok {
		rd.Unreadable(i, r, what, "number")
		return false
	}
	rd.Merge(i, engine.NumberValue(n), r, what)
	return true
}

// String stores a non-empty JSON string in fact i; numbers are kept as their
// literal text (a code such as 1101 arrives either way).
func (rd Reader) String(i int, r gjson.Result, what string) bool {
	if !Present(r) {
		return false
	}
	s, ok := String(r)
	if !ok {
		rd.Unreadable(i, r, what, "string")
		return false
	}
	if s == "" {
		return false
	}
	rd.Merge(i, engine.StringValue(s), r, what)
	return true
}

// Object reports whether r is a JSON object; a present value of another type
// adds a warning.
func (rd Reader) Object(r gjson.Result, what string) bool {
	if !Present(r) {
		return false
	}
	if !r.IsObject() {
		rd.warn(r, what, "object")
		return false
	}
	return true
}

// Bool reads a JSON boolean or the strings "true"/"false".
func Bool(r gjson.Result) (bool, bool) {
	switch r.Type {
	case gjson.True:
		return true, true
	case gjson.False:
		return false, true
	case gjson.Number:
		// Some providers send flags as 0 and 1.
		switch r.Num {
		case 1:
			return true, true
		case 0:
			return false, true
		}
	case gjson.String:
		switch strings.ToLower(strings.TrimSpace(r.Str)) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	}
	return false, false
}

// Number reads a JSON number or a string holding one ("99.94", " 100 ").
// "NaN", "Inf" and numbers too large for a float64 are not numbers here.
func Number(r gjson.Result) (float64, bool) {
	switch r.Type {
	case gjson.Number:
		return r.Num, !math.IsInf(r.Num, 0)
	case gjson.String:
		n, err := strconv.ParseFloat(strings.TrimSpace(r.Str), 64)
		return n, err == nil && !math.IsNaN(n) && !math.IsInf(n, 0)
	}
	return 0, false
}

// String reads a JSON string, or the literal text of a JSON number.
func String(r gjson.Result) (string, bool) {
	switch r.Type {
	case gjson.String:
		return r.Str, true
	case gjson.Number:
		return r.Raw, true
	}
	return "", false
}

// Objects calls fn for r when it is an object, or for each object element
// when it is an array: providers document several fields as "an object or
// an array of objects". Elements of other types are skipped.
func Objects(r gjson.Result, fn func(gjson.Result)) {
	switch {
	case r.IsObject():
		fn(r)
	case r.IsArray():
		r.ForEach(func(_, v gjson.Result) bool {
			if v.IsObject() {
				fn(v)
			}
			return true
		})
	}
}

// Strings returns the string elements of a JSON array (nil when r is not one).
func Strings(r gjson.Result) []string {
	if !r.IsArray() {
		return nil
	}
	out := []string{}
	r.ForEach(func(_, v gjson.Result) bool {
		if v.Type == gjson.String {
			out = append(out, v.Str)
		}
		return true
	})
	return out
}

// Date layouts used by the providers.
const (
	ISODate     = "2006-01-02"
	DMY         = "02/01/2006"           // Trully birthdate, RENAPO dob
	MDYTime     = "01/02/2006, 15:04:05" // Trully face-analysis timestamps
	ISODateTime = time.RFC3339Nano
)

// Time parses s with the first layout that fits; times without a zone are UTC.
func Time(s string, layouts ...string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Days is the number of whole days from a to b (negative when b is before a).
func Days(a, b time.Time) float64 {
	return float64(b.Sub(a) / (24 * time.Hour))
}

// Age is the age in whole years on day asOf of a person born on dob.
func Age(dob, asOf time.Time) float64 {
	y := asOf.Year() - dob.Year()
	if asOf.Month() < dob.Month() || (asOf.Month() == dob.Month() && asOf.Day() < dob.Day()) {
		y--
	}
	return float64(y)
}

// Result normalizes a validation result word: lower case, with the
// documented misspelling "sucess" read as "success".
func Result(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "sucess" {
		return "success"
	}
	return s
}
