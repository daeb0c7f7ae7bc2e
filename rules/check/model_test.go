package check

import (
	"math"
	"testing"
)

// round keeps twelve significant digits, and the extremes as they are.
func TestRound(t *testing.T) {
	for x, want := range map[float64]float64{
		0.30000000000000004:         0.3,
		79.99999999999999:           80,
		-0.30000000000000004:        -0.3,
		1.5:                         1.5,
		math.MaxFloat64:             1.79769313486e308,
		-math.MaxFloat64:            -1.79769313486e308,
		math.SmallestNonzeroFloat64: 4.94065645841e-324,
		math.Inf(1):                 math.Inf(1),
		math.Inf(-1):                math.Inf(-1),
	} {
		if got := round(x); got != want {
			t.Errorf("round(%v) = %v, want %v", x, got, want)
		}
	}
	if got := round(math.NaN()); !math.IsNaN(got) {
		t.Errorf("round(NaN) = %v", got)
	}
}
