package server

import (
	"encoding/json"
	"path"
	"reflect"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules"
)

// TestFastEncoding checks that appendDecision still matches
// engine.Decision, and writes what encoding/json writes for every fixture
// decided by both policies, with and without trace.
func TestFastEncoding(t *testing.T) {
	if !fastEncoding {
		for i, typ := range []any{engine.Decision{}, engine.PolicyRef{}, engine.Reason{}, engine.Skip{}, engine.FactValue{},
			engine.ScoreResult{}, engine.Warning{}, engine.TraceEntry{}, engine.Value{}} {
			if got := shapeOf(reflectType(typ)); got != decisionShape[i] {
				t.Errorf("engine changed:\n got %s\nwant %s", got, decisionShape[i])
			}
		}
		t.Fatal("appendDecision no longer matches engine.Decision: update encode.go (decisions fall back to encoding/json)")
	}
	f := engine.NewFacts(normalizers.Catalog())
	n := 0
	for _, policy := range []string{"../../../policies/mx-onboarding.yaml", "testdata/small.yaml"} {
		pol, err := rules.Load(policy, normalizers.Catalog())
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range []string{"cases", "veriff", "veriff_ine", "trully", "preventor", "jaak"} {
			for _, p := range fixtures.Glob(dir + "/*.json") {
				doc, _ := fixtures.Read(p)
				if err := normalizers.Normalize(doc, f, normalizers.Options{AsOf: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}); err != nil {
					continue // fixtures of input errors
				}
				for _, opts := range [][]engine.EvalOption{nil, {engine.WithTrace()}} {
					d := pol.Evaluate(f, opts...)
					want, err := json.Marshal(&d)
					if err != nil {
						t.Fatal(err)
					}
					got, err := marshalDecision(nil, &d)
					if err != nil || string(got) != string(want) {
						t.Fatalf("%s with %s:\n got %s\nwant %s", p, path.Base(policy), got, want)
					}
					n++
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d decisions compared", n)
	}
	// What only encoding/json can report falls back to it.
	bad := engine.Decision{Scores: []engine.ScoreResult{{Points: nan()}}}
	if _, ok := appendDecision(nil, &bad); ok {
		t.Fatal("NaN encoded")
	}
	if _, err := marshalDecision(nil, &bad); err == nil {
		t.Fatal("NaN: no error")
	}
}

func reflectType(v any) reflect.Type { return reflect.TypeOf(v) }

func nan() float64 { z := 0.0; return z / z }
