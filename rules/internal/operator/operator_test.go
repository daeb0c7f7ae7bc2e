package operator

import (
	"math"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

func TestOrder(t *testing.T) {
	num, str := engine.NumberValue, engine.StringValue
	nan := num(math.NaN())
	// Each row: a, b, and a < b, a <= b, a > b, a >= b.
	for _, tc := range []struct {
		name           string
		a, b           engine.Value
		lt, le, gt, ge bool
	}{
		{"less", num(1), num(2), true, true, false, false},
		{"greater", num(2), num(1), false, false, true, true},
		{"equal", num(2), num(2), false, true, false, true},
		{"an integer and the same float", num(float64(3)), num(3.0), false, true, false, true},
		{"an integer and a float just above it", num(3), num(3.000001), true, true, false, false},
		{"a float just below an integer", num(2.999999), num(3), true, true, false, false},
		{"negative", num(-1), num(0), true, true, false, false},
		{"zero and negative zero", num(0), num(math.Copysign(0, -1)), false, true, false, true},
		{"infinities", num(math.Inf(-1)), num(math.Inf(1)), true, true, false, false},
		{"NaN and a number", nan, num(1), false, true, false, true},
		{"a number and NaN", num(1), nan, false, true, false, true},
		{"strings", str("a"), str("b"), true, true, false, false},
		{"equal strings", str("abc"), str("abc"), false, true, false, true},
		{"a prefix", str("ab"), str("abc"), true, true, false, false},
		{"bytes, not case", str("B"), str("a"), true, true, false, false},
		{"the empty string", str(""), str("a"), true, true, false, false},
		{"numbers by value, not as text", num(10), num(9), false, false, true, true},
		{"strings as text, not by value", str("10"), str("9"), true, true, false, false},
		{"a number and a string: as numbers", num(1), str("0"), false, false, true, true},
		{"a string and a number: as strings", str("0"), num(1), false, false, true, true},
		{"two booleans: as strings", engine.BoolValue(false), engine.BoolValue(true), false, true, false, true},
	} {
		for _, c := range []struct {
			op   string
			want bool
		}{{"<", tc.lt}, {"<=", tc.le}, {">", tc.gt}, {">=", tc.ge}} {
			if got := Order(c.op, tc.a, tc.b); got != c.want {
				t.Errorf("%s: %v %s %v = %v, want %v", tc.name, tc.a, c.op, tc.b, got, c.want)
			}
		}
	}
}

func TestArith(t *testing.T) {
	for _, tc := range []struct {
		op   string
		a, b float64
		want float64
	}{
		{"+", 2, 3, 5},
		{"+", 0.5, -0.25, 0.25},
		{"-", 2, 3, -1},
		{"-", 3, 3, 0},
		{"*", 2, 3, 6},
		{"*", -2, 0.5, -1},
		{"/", 7, 2, 3.5},
		{"/", 6, 3, 2},
		{"/", 0, 5, 0},
		{"%", 7, 2, 1},
		{"%", -7, 2, -1},
		{"%", 7.5, 2, 1.5},
		{"%", 6, 3, 0},
		{"**", 2, 10, 1024},
		{"**", 4, 0.5, 2},
		{"**", 2, -1, 0.5},
		{"^", 3, 2, 9},
		{"^", 5, 0, 1},
	} {
		got := Arith(tc.op, tc.a, tc.b)
		if got.Kind != engine.Number || got.N != tc.want {
			t.Errorf("%v %s %v = %+v, want the number %v", tc.a, tc.op, tc.b, got, tc.want)
		}
	}
}

// TestArithNotFinite: a result that is not a finite number is unknown,
// never a number a rule could compare.
func TestArithNotFinite(t *testing.T) {
	for _, tc := range []struct {
		op   string
		a, b float64
	}{
		{"/", 1, 0},
		{"/", -1, 0},
		{"/", 0, 0},
		{"%", 1, 0},
		{"*", math.MaxFloat64, 2},
		{"+", math.MaxFloat64, math.MaxFloat64},
		{"-", -math.MaxFloat64, math.MaxFloat64},
		{"**", 10, 400},
		{"^", -8, 1.0 / 3},
		{"**", 0, -1},
		{"+", math.NaN(), 1},
		{"-", math.Inf(1), math.Inf(1)},
	} {
		if got := Arith(tc.op, tc.a, tc.b); got.Kind != engine.Unknown {
			t.Errorf("%v %s %v = %+v, want unknown", tc.a, tc.op, tc.b, got)
		}
	}
}
