// Package operator is the ordering and arithmetic of the policy language's
// values, shared by the compiled expressions (package rules) and their
// analysis (package rules/check), so that a proof is about the operators
// the engine applies.
package operator

import (
	"math"
	"strings"

	"github.com/veredicto/veredicto/engine"
)

// Order reports whether a op b holds, op being one of < <= > >=: numbers
// by value, strings byte by byte. The policy compiler orders only two
// numbers or two strings; of two other values, a's kind decides how both
// are read. NaN is neither less nor greater than a number, so it orders as
// equal to it.
func Order(op string, a, b engine.Value) bool {
	var cmp int
	if a.Kind != engine.Number {
		cmp = strings.Compare(a.S, b.S)
	} else if a.N < b.N {
		cmp = -1
	} else if a.N > b.N {
		cmp = 1
	}
	switch op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	}
	return cmp >= 0
}

// Arith is a op b, op being one of + - * / % and ** or ^ (both the power).
// A result that is not a finite number (a division by zero, an overflow)
// has no value: it is unknown.
func Arith(op string, a, b float64) engine.Value {
	var n float64
	switch op {
	case "+":
		n = a + b
	case "-":
		n = a - b
	case "*":
		n = a * b
	case "/":
		n = a / b
	case "%":
		n = math.Mod(a, b)
	default:
		n = math.Pow(a, b)
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return engine.Value{}
	}
	return engine.NumberValue(n)
}
