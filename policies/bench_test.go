package policies_test

import (
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/policytest"
)

// BenchmarkEvaluate: the standard policy on normalized facts, of the full
// approved Mexican case (every rule has its facts) and of W1 alone (most
// rules lack theirs and are reported as undecided).
func BenchmarkEvaluate(b *testing.B) { benchEvaluate(b, "cases/mx_full_approved.json") }

func BenchmarkEvaluateW1(b *testing.B) { benchEvaluate(b, "veriff/mx_ine_db_verification.json") }

func benchEvaluate(b *testing.B, fixture string) {
	p := load(b)
	raw, _ := fixtures.Read(fixture)
	f := engine.NewFacts(normalizers.Catalog())
	if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		p.Evaluate(f)
	}
	reportCPU(b, cpu)
}

// cpuTime is the process's user+system CPU time. Benchmarks report it per
// operation as cpu-ns/op next to the wall-clock ns/op: on a shared machine
// the wall clock also counts time spent waiting for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
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
	cpu := cpuTime()
	for b.Loop() {
		if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
			b.Fatal(err)
		}
		p.Evaluate(f)
	}
	reportCPU(b, cpu)
}

// BenchmarkPipelineW1: the seed's mx_ine_db_verification Veriff payload,
// raw bytes to decision.
func BenchmarkPipelineW1(b *testing.B) { benchPipeline(b, "veriff/mx_ine_db_verification.json") }

// BenchmarkPipelineW2: a full Mexican case (Veriff decision, INE registry,
// Trully, Preventor completed, five JAAK lists), raw bytes to decision.
func BenchmarkPipelineW2(b *testing.B) { benchPipeline(b, "cases/mx_full_approved.json") }

// BenchmarkNormalizeW1 and BenchmarkNormalizeW2 isolate the normalizing
// half of the pipeline.
func BenchmarkNormalizeW1(b *testing.B) { benchNormalize(b, "veriff/mx_ine_db_verification.json") }
func BenchmarkNormalizeW2(b *testing.B) { benchNormalize(b, "cases/mx_full_approved.json") }

func benchNormalize(b *testing.B, fixture string) {
	raw, err := fixtures.Read(fixture)
	if err != nil {
		b.Fatal(err)
	}
	f := engine.NewFacts(normalizers.Catalog())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkCompile: loading the standard policy (what validate, serve's
// hot reload and every command pay once).
func BenchmarkCompile(b *testing.B) {
	src, err := os.ReadFile("mx-onboarding.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Compile("mx-onboarding.yaml", src, normalizers.Catalog()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunSuite: every test of the standard suite, already loaded.
func BenchmarkRunSuite(b *testing.B) {
	s, err := harness.NewLoader().Load("mx-onboarding.test.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if r := s.Run(policytest.Options{}); r.Failed() != 0 {
			b.Fatal("a test failed")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(s.Tests)), "ns/test")
}

// BenchmarkLoadSuite: reading the standard suite, compiling its policy and
// normalizing its cases.
func BenchmarkLoadSuite(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := harness.NewLoader().Load("mx-onboarding.test.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
