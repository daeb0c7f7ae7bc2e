package check

import (
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// freeState is a state over TestCatalog in which the named facts range
// over the given domains and nothing is assigned.
func freeState(t *testing.T, domains map[string][]engine.Value) *state {
	t.Helper()
	n := TestCatalog.Len()
	st := &state{assigned: make([]bool, n), vals: make([]engine.Value, n), domain: make([][]engine.Value, n)}
	for name, d := range domains {
		slot, ok := TestCatalog.Lookup(name)
		if !ok {
			t.Fatalf("no fact %s", name)
		}
		st.domain[slot] = d
	}
	return st
}

func numbers(from, n int) []engine.Value {
	out := make([]engine.Value, n)
	for i := range out {
		out[i] = engine.NumberValue(float64(from + i))
	}
	return out
}

// An operator is evaluated over every combination of its children's
// values up to maxProduct combinations, and is top beyond.
func TestEvalProductLimit(t *testing.T) {
	r := operatorsResolver(t)
	n, err := r.parse("min(t.score, t.similarity)")
	if err != nil {
		t.Fatal(err)
	}
	// 64 × 64 = maxProduct combinations: evaluated, t.score is always the
	// smaller.
	st := freeState(t, map[string][]engine.Value{"t.score": numbers(0, 64), "t.similarity": numbers(100, 64)})
	if got := st.eval(n); got.top || len(got.vals) != 64 {
		t.Errorf("at maxProduct: top %v, %d values, want the 64 of t.score", got.top, len(got.vals))
	}
	// One combination more: top.
	st = freeState(t, map[string][]engine.Value{"t.score": numbers(0, 64), "t.similarity": numbers(100, 65)})
	if got := st.eval(n); !got.top {
		t.Errorf("beyond maxProduct: %d values, want top", len(got.vals))
	}
}

// A top child makes a condition take any truth value, and anything else,
// a coalesce of conditions included (its value is its right side's, in
// any evidence state), any value.
func TestTopOf(t *testing.T) {
	for _, tc := range []struct {
		n   *node
		top bool
	}{
		{&node{op: opAnd, kind: engine.Bool}, false},
		{&node{op: opOrder, kind: engine.Bool}, false},
		{&node{op: opCoalesce, kind: engine.Bool}, true},
		{&node{op: opCoalesce, kind: engine.Number}, true},
		{&node{op: opArith, kind: engine.Number}, true},
	} {
		got := topOf(tc.n)
		if got.top != tc.top {
			t.Errorf("op %d kind %s: top %v, want %v", tc.n.op, tc.n.kind, got.top, tc.top)
		}
		if !tc.top && got.tri() != allTris {
			t.Errorf("op %d: truth values %03b, want all", tc.n.op, got.tri())
		}
	}
}
