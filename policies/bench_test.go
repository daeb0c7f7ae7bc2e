package policies_test

import (
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
)

// BenchmarkEvaluate: the standard policy on normalized facts (the full
// approved Mexican case: every rule has its facts).
func BenchmarkEvaluate(b *testing.B) {
	p := load(b)
	raw, _ := fixtures.Read("cases/mx_full_approved.json")
	f := engine.NewFacts(normalizers.Catalog())
	if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Evaluate(f)
	}
}

func benchPipeline(b *testing.B, fixture string) {
	p := load(b)
	raw, err := fixtures.Read(fixture)
	if err != nil {
		b.Fatal(err)
	}
	f := engine.NewFacts(normalizers.Catalog())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
			b.Fatal(err)
		}
		p.Evaluate(f)
	}
}

// BenchmarkPipelineW1: the seed's mx_ine_db_verification Veriff payload,
// raw bytes to decision.
func BenchmarkPipelineW1(b *testing.B) { benchPipeline(b, "veriff/mx_ine_db_verification.json") }

// BenchmarkPipelineW2: a full Mexican case (Veriff decision, INE registry,
// Trully, Preventor completed, five JAAK lists), raw bytes to decision.
func BenchmarkPipelineW2(b *testing.B) { benchPipeline(b, "cases/mx_full_approved.json") }
