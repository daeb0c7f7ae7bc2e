package engine

import (
	"slices"
	"strconv"
	"strings"
)

// Kind is the type of a fact or of an expression value.
type Kind uint8

// The kinds a fact can have. The zero Kind marks an unknown value.
const (
	Unknown Kind = iota
	Bool
	Number
	String
	List // a list of strings
)

var kindNames = [...]string{"unknown", "bool", "number", "string", "list"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText renders the kind by name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Value is one typed value. The zero Value is unknown. Values are small and
// passed by value; evaluating an expression allocates nothing.
type Value struct {
	Kind Kind
	B    bool
	// E is the evidence state: Unreadable or Conflicting marks a fact that
	// was reported but cannot be taken at face value.
	E Evidence
	N float64
	S string
	L []string
}

// Constructors for known values.
func BoolValue(b bool) Value      { return Value{Kind: Bool, B: b} }
func NumberValue(n float64) Value { return Value{Kind: Number, N: n} }
func StringValue(s string) Value  { return Value{Kind: String, S: s} }
func ListValue(l []string) Value  { return Value{Kind: List, L: l} }

// Tri is a three-valued truth value: the result of a condition.
type Tri uint8

// The truth values. The zero Tri is unknown.
const (
	TriUnknown Tri = iota
	TriFalse
	TriTrue
)

// TriOf converts a known bool.
func TriOf(b bool) Tri {
	if b {
		return TriTrue
	}
	return TriFalse
}

// Tri returns the truth value of v: unknown unless v is a known bool.
func (v Value) Tri() Tri {
	if v.Kind != Bool {
		return TriUnknown
	}
	return TriOf(v.B)
}

// Value returns the truth value as a Value (the zero Value when unknown).
func (t Tri) Value() Value {
	if t == TriUnknown {
		return Value{}
	}
	return BoolValue(t == TriTrue)
}

// Equal reports whether v and w are the same value of one kind; two
// unknown values are equal. The evidence state is not compared.
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case Bool:
		return v.B == w.B
	case Number:
		return v.N == w.N
	case String:
		return v.S == w.S
	case List:
		return slices.Equal(v.L, w.L)
	}
	return true
}

// Known reports whether the value is known.
func (v Value) Known() bool { return v.Kind != Unknown }

// Reported reports whether the provider sent anything for the fact: a
// value, or something unreadable.
func (v Value) Reported() bool { return v.Kind != Unknown || v.E != Clean }

// Suspect reports whether the fact is unreadable or conflicting.
func (v Value) Suspect() bool { return v.E != Clean }

// True reports whether the value is the known boolean true.
func (v Value) True() bool { return v.Kind == Bool && v.B }

// False reports whether the value is the known boolean false.
func (v Value) False() bool { return v.Kind == Bool && !v.B }

// Interface returns the value as a plain Go value (nil when unknown).
func (v Value) Interface() any {
	switch v.Kind {
	case Bool:
		return v.B
	case Number:
		return v.N
	case String:
		return v.S
	case List:
		if v.L == nil {
			return []string{}
		}
		return v.L
	}
	return nil
}

// String renders the value for people: strings unquoted, unknown as "unknown".
func (v Value) String() string {
	switch v.Kind {
	case Bool:
		return strconv.FormatBool(v.B)
	case Number:
		return strconv.FormatFloat(v.N, 'f', -1, 64)
	case String:
		return v.S
	case List:
		return "[" + strings.Join(v.L, ", ") + "]"
	}
	if v.E == Unreadable {
		return "unreadable"
	}
	return "unknown"
}

// MarshalJSON renders the value as its JSON equivalent, null when unknown.
func (v Value) MarshalJSON() ([]byte, error) {
	e := encoder{}
	e.value(v)
	return e.b, nil
}
