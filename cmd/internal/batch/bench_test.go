package batch

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/gen"
	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
)

// benchPolicy is the standard policy, or the tests' own until it exists.
func benchPolicy(b *testing.B) *engine.Policy {
	path := "../../../policies/mx-onboarding.yaml"
	if _, err := os.Stat(path); err != nil {
		path = "testdata/onboarding.yaml"
	}
	return loadPolicy(b, path)
}

// benchLines generates n lines of mix (no malformed lines).
func benchLines(b *testing.B, mix gen.Mix, n int) [][]byte {
	g := gen.New(gen.Config{Seed: 1, Mix: mix})
	lines := make([][]byte, n)
	for i := range lines {
		lines[i] = g.Line(nil)
	}
	return lines
}

var mixes = []gen.Mix{gen.MixSingle, gen.MixFull, gen.MixMixed}

// BenchmarkStages measures each step of deciding one case on one
// goroutine: reading it into facts, evaluating the policy, encoding the
// decision. ns/case is per case, averaged over generated cases.
func BenchmarkStages(b *testing.B) {
	p := benchPolicy(b)
	at := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, mix := range mixes {
		lines := benchLines(b, mix, 2000)
		f := engine.NewFacts(normalizers.Catalog())
		b.Run(mix.String()+"/normalize", func(b *testing.B) {
			i := 0
			for b.Loop() {
				if err := normalizers.Normalize(lines[i%len(lines)], f, normalizers.Options{AsOf: at}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(mix.String()+"/evaluate", func(b *testing.B) {
			i := 0
			for b.Loop() {
				b.StopTimer()
				normalizers.Normalize(lines[i%len(lines)], f, normalizers.Options{AsOf: at})
				b.StartTimer()
				p.Evaluate(f)
				i++
			}
		})
		b.Run(mix.String()+"/encode", func(b *testing.B) {
			ds := make([]engine.Decision, 200)
			facts := make([]*engine.Facts, len(ds))
			for j := range ds {
				facts[j] = engine.NewFacts(normalizers.Catalog())
				normalizers.Normalize(lines[j], facts[j], normalizers.Options{AsOf: at})
				ds[j] = p.Evaluate(facts[j])
			}
			var buf []byte
			i := 0
			for b.Loop() {
				buf = ds[i%len(ds)].AppendJSON(buf[:0])
				i++
			}
			b.SetBytes(int64(len(buf)))
		})
	}
}

// writeBenchFile writes n generated lines of mix to a file.
func writeBenchFile(b *testing.B, mix gen.Mix, n int) string {
	path := filepath.Join(b.TempDir(), mix.String()+".jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := gen.Generate(f, gen.Config{Seed: 1, Count: n, Mix: mix, Malformed: 0.01}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// BenchmarkRescore runs the whole pipeline on a generated file: read,
// decide on every CPU, encode, write in order. cases/s is the throughput.
func BenchmarkRescore(b *testing.B) {
	p := benchPolicy(b)
	for _, mix := range mixes {
		path := writeBenchFile(b, mix, 20000)
		for _, asOf := range []AsOf{{Mode: AsOfFixed, At: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}, {Mode: AsOfOriginal}} {
			name := mix.String() + "/as-of-original"
			if asOf.Mode == AsOfFixed {
				name = mix.String() + "/as-of-date"
			}
			b.Run(name, func(b *testing.B) {
				var cases int64
				for b.Loop() {
					src := OpenFiles([]string{path}, nil, 0)
					s, err := Rescore(context.Background(), src, p, io.Discard, Options{AsOf: asOf})
					src.Close()
					if err != nil {
						b.Fatal(err)
					}
					cases += s.Cases
				}
				b.ReportMetric(float64(cases)/b.Elapsed().Seconds(), "cases/s")
			})
		}
	}
}

// BenchmarkDiff runs diff on the same files: each case read once and
// evaluated by two policies.
func BenchmarkDiff(b *testing.B) {
	p := benchPolicy(b)
	for _, mix := range mixes {
		path := writeBenchFile(b, mix, 20000)
		b.Run(mix.String(), func(b *testing.B) {
			var cases int64
			for b.Loop() {
				src := OpenFiles([]string{path}, nil, 0)
				var changes bytes.Buffer
				r, err := Diff(context.Background(), src, p, p, &changes, Options{AsOf: AsOf{Mode: AsOfFixed, At: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}})
				src.Close()
				if err != nil {
					b.Fatal(err)
				}
				cases += r.Cases
			}
			b.ReportMetric(float64(cases)/b.Elapsed().Seconds(), "cases/s")
		})
	}
}
