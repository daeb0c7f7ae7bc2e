// Package normtest holds the assertions the provider normalizers' tests
// share: that a fact set holds exactly the expected known facts and leaves
// the named ones unknown.
package normtest

import (
	"slices"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// Facts asserts that the known facts of f are exactly want (values given as
// bool, int, float64, string or []string) and that every fact in unknown is
// unknown.
func Facts(t testing.TB, f *engine.Facts, want map[string]any, unknown []string) {
	t.Helper()
	Some(t, f, want, unknown)
	for n, v := range f.Known() {
		if _, ok := want[n]; !ok {
			t.Errorf("%s = %v, not expected to be known", n, v)
		}
	}
}

// Some asserts that f has the known facts in want, and that every fact in
// unknown is unknown; other facts may be known.
func Some(t testing.TB, f *engine.Facts, want map[string]any, unknown []string) {
	t.Helper()
	for n, w := range want {
		v, ok := f.Lookup(n)
		if !ok {
			t.Errorf("%s: not in the catalog", n)
			continue
		}
		if !Equal(v, w) {
			t.Errorf("%s = %v (%s), want %v", n, v, v.Kind, w)
		}
	}
	for _, n := range unknown {
		v, ok := f.Lookup(n)
		if !ok {
			t.Errorf("%s: not in the catalog", n)
		} else if v.Known() {
			t.Errorf("%s = %v, want unknown", n, v)
		}
	}
}

// Equal reports whether v is the known value w.
func Equal(v engine.Value, w any) bool {
	switch w := w.(type) {
	case bool:
		return v.Kind == engine.Bool && v.B == w
	case float64:
		return v.Kind == engine.Number && v.N == w
	case int:
		return v.Kind == engine.Number && v.N == float64(w)
	case string:
		return v.Kind == engine.String && v.S == w
	case []string:
		return v.Kind == engine.List && slices.Equal(v.L, w)
	}
	return false
}
