package policies_test

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/policies"
)

// ExampleMXOnboarding embeds the standard policy: no YAML to copy, no
// provider import to remember. Compile it once at start-up and share it.
func ExampleMXOnboarding() {
	policy, err := policies.MXOnboarding()
	if err != nil {
		fmt.Println(err)
		return
	}
	raw, _ := fixtures.Read("cases/mx_full_approved.json")
	facts := engine.NewFacts(normalizers.Catalog())
	asOf := time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)
	if err := normalizers.Normalize(raw, facts, normalizers.Options{AsOf: asOf}); err != nil {
		fmt.Println(err)
		return
	}
	d := policy.Evaluate(facts)
	fmt.Println(policy.Name, d.Outcome, d.Fired())
	// Output:
	// mx-onboarding approve [all-checks-passed]
}

// The embedded bytes are the file: a build never ships a stale policy.
func TestMXOnboardingYAMLIsTheFile(t *testing.T) {
	file, err := os.ReadFile("mx-onboarding.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := policies.MXOnboardingYAML()
	if !bytes.Equal(got, file) {
		t.Fatalf("MXOnboardingYAML() (%d bytes) differs from mx-onboarding.yaml (%d bytes)", len(got), len(file))
	}
	// A caller that edits its copy does not change the next one's.
	got[0] ^= 0xff
	if !bytes.Equal(policies.MXOnboardingYAML(), file) {
		t.Fatal("changing the returned bytes changed the embedded policy")
	}
}

// The compiled policy is the file compiled: same name, version and source
// hash as rules.Load gives, so decisions name the same policy either way.
func TestMXOnboardingIsTheFileCompiled(t *testing.T) {
	p, err := policies.MXOnboarding()
	if err != nil {
		t.Fatal(err)
	}
	want := load(t)
	if p.Name != want.Name || p.Version != want.Version || p.Hash != want.Hash {
		t.Errorf("MXOnboarding() is %s %s %s, the file compiles to %s %s %s",
			p.Name, p.Version, p.Hash, want.Name, want.Version, want.Hash)
	}
	if p.File != "mx-onboarding.yaml" {
		t.Errorf("File = %q, want mx-onboarding.yaml", p.File)
	}
	if p.Catalog != normalizers.Catalog() {
		t.Error("the policy is not compiled against normalizers.Catalog()")
	}
}

// Compiled once: every caller, concurrent ones included, gets the same
// policy, and evaluating it from many goroutines decides alike (run with
// -race to see the sharing is safe).
func TestMXOnboardingCompiledOnceAndShared(t *testing.T) {
	raw, err := fixtures.Read("cases/mx_ofac_hit.json")
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	got := make([]*engine.Policy, n)
	outcomes := make([]engine.Outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			p, err := policies.MXOnboarding()
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = p
			f := engine.NewFacts(normalizers.Catalog())
			if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
				t.Error(err)
				return
			}
			outcomes[i] = p.Evaluate(f).Outcome
		})
	}
	wg.Wait()
	for i := range n {
		if got[i] != got[0] {
			t.Fatalf("call %d returned another *engine.Policy: compiled more than once", i)
		}
		if outcomes[i] != engine.Reject {
			t.Errorf("goroutine %d decided %s, want reject", i, outcomes[i])
		}
	}
	if a := testing.AllocsPerRun(10, func() { _, _ = policies.MXOnboarding() }); a != 0 {
		t.Errorf("MXOnboarding allocates %v times after the first call: it compiles again", a)
	}
}
