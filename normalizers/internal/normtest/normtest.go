// Package normtest holds what the provider normalizers' tests share: the
// assertion that a fact set holds the expected known facts and leaves the
// named ones unknown, and the body of their fuzz targets.
package normtest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
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

// Fuzz runs the body of a provider's fuzz target, after the caller has
// added its seeds: on any well-formed JSON, Normalize must return within a
// second and every warning must point inside the payload.
func Fuzz(f *testing.F, p normalizers.Provider, asOf time.Time) {
	cat, err := engine.NewCatalog(p.Facts())
	if err != nil {
		f.Fatal(err)
	}
	const offset = 3 // the payload as if it sat inside an envelope
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			t.Skip()
		}
		facts := engine.NewFacts(cat)
		facts.AsOf = asOf
		start := time.Now()
		_ = p.Normalize([]normalizers.Payload{{Raw: raw, Offset: offset}}, facts.Sink(p.Name()))
		if d := time.Since(start); d > time.Second {
			t.Fatalf("Normalize took %v on %d bytes", d, len(raw))
		}
		for _, w := range facts.Warnings {
			if w.Offset < offset || w.Offset >= offset+len(raw) {
				t.Fatalf("warning %q at %d, outside the payload", w.Message, w.Offset)
			}
		}
	})
}
