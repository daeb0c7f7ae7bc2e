package policytest_test

import (
	"errors"
	"fmt"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/policytest"
)

// A service keeps its policy's suite beside it and runs it from go test
// with policytest.Run; Harness.Parse and Suite.Run are the same steps for a
// suite held in memory. These tests give facts alone, so the harness needs
// no normalizer; with cases it would be normalizers.Normalize.
func ExampleHarness_Parse() {
	cat, _ := engine.NewCatalog([]engine.FactSpec{
		{Name: "acme.liveness.passed", Kind: engine.Bool, Provider: "acme",
			Description: "The selfie passed the liveness check.", Polarity: engine.AdverseFalse},
	})
	policy, err := rules.Compile("acme.yaml", []byte(`
policy: acme
version: "1"
default: review
rules:
  - id: live
    description: A passed liveness check approves.
    when: acme.liveness.passed
    outcome: approve
    reason: "Liveness passed."
`), cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := &policytest.Harness{Catalog: cat}
	suite, err := h.Parse("acme.test.yaml", []byte(`
as_of: 2025-06-17T12:00:00Z
tests:
  - name: a passed check approves
    facts: {set: {acme.liveness.passed: true}}
    expect: {outcome: approve, fired: [live]}
  - name: no liveness check is not an approval
    facts: {unset: [acme.liveness.passed]}
    expect: {outcome: approve}
`), policy)
	var list engine.ErrorList
	if errors.As(err, &list) {
		fmt.Println(list.Snippets())
		return
	}
	r := suite.Run(policytest.Options{})
	for _, t := range r.Tests {
		fmt.Println(t.Passed(), t.Test.Name, t.Failures)
	}
	cov := policytest.NewCoverage(policy)
	for _, t := range r.Tests {
		cov.Add(&t.Decision)
	}
	fmt.Printf("%d failed, coverage %.0f%%\n", r.Failed(), cov.Percent())
	// Output:
	// true a passed check approves []
	// false no liveness check is not an approval [outcome: want approve, got review]
	// 1 failed, coverage 100%
}
