// Package policies ships veredicto's standard policies, embedded in the
// binary, so that a service need not copy their YAML:
//
//	policy, err := policies.MXOnboarding()
//
// The policies read the facts of every provider of normalizers/all, which
// this package imports: a service that uses it has the providers
// registered, and normalizers.Catalog() is the catalog they compile against.
//
// Each policy's test suite (mx-onboarding.test.yaml) lives beside it and is
// run by this package's tests, which want every rule, requirement and score
// threshold exercised.
package policies

import (
	_ "embed"
	"sync"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all" // the providers the policies read
	"github.com/veredicto/veredicto/rules"
)

//go:embed mx-onboarding.yaml
var mxOnboarding []byte

// MXOnboardingYAML returns the source of the standard policy for onboarding
// individuals in Mexico: a copy, so the caller may change it (to show it,
// or to compile a variant with rules.Compile).
func MXOnboardingYAML() []byte { return append([]byte(nil), mxOnboarding...) }

var mxOnboardingPolicy = sync.OnceValues(func() (*engine.Policy, error) {
	return rules.Compile("mx-onboarding.yaml", mxOnboarding, normalizers.Catalog())
})

// MXOnboarding returns the standard policy for onboarding individuals in
// Mexico, compiled against normalizers.Catalog(). It is compiled once, on
// the first call; every call returns the same *engine.Policy, which is
// immutable and safe for concurrent use. The error is the compiler's
// (an engine.ErrorList) and is only possible if the embedded policy and
// the providers' facts disagree, which this package's tests rule out.
func MXOnboarding() (*engine.Policy, error) { return mxOnboardingPolicy() }
