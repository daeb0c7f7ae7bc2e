package check_test

import (
	"testing"

	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules/check"
)

const standard = "../../policies/mx-onboarding.yaml"

// BenchmarkStandard is the whole analysis of the standard policy, as
// `veredicto check policies/mx-onboarding.yaml` runs it.
func BenchmarkStandard(b *testing.B) {
	cat := normalizers.Catalog()
	p := load(b, cat, standard)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := check.Policy(p, cat, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiffStandard compares the standard policy with itself.
func BenchmarkDiffStandard(b *testing.B) {
	cat := normalizers.Catalog()
	p := load(b, cat, standard)
	for b.Loop() {
		if _, err := check.Diff(p, p, cat, nil); err != nil {
			b.Fatal(err)
		}
	}
}
