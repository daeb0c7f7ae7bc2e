package rules_test

import (
	"errors"
	"fmt"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules"
)

// exampleCatalog is the facts of one provider, as a normalizer declares
// them; a service uses normalizers.Catalog().
func exampleCatalog() *engine.Catalog {
	cat, err := engine.NewCatalog([]engine.FactSpec{
		{Name: "acme.liveness.passed", Kind: engine.Bool, Provider: "acme",
			Description: "The selfie passed the liveness check.", Polarity: engine.AdverseFalse},
		{Name: "acme.risk.score", Kind: engine.Number, Provider: "acme",
			Description: "Fraud risk, 0 to 100.", Polarity: engine.HigherWorse},
	})
	if err != nil {
		panic(err)
	}
	return cat
}

// Compile turns policy source into an *engine.Policy: compile it once, then
// evaluate any number of cases, from any number of goroutines. Load does the
// same from a file.
func ExampleCompile() {
	src := []byte(`
policy: acme-onboarding
version: "1"
default: review
rules:
  - id: liveness-failed
    description: A failed liveness check rejects.
    when: acme.liveness.passed == false
    outcome: reject
    reason: "Liveness passed: {acme.liveness.passed}."
  - id: low-risk
    description: A passed check with a low risk approves.
    when: acme.liveness.passed && acme.risk.score < 30
    outcome: approve
    reason: "Risk score {acme.risk.score}."
`)
	cat := exampleCatalog()
	policy, err := rules.Compile("acme.yaml", src, cat)
	if err != nil {
		fmt.Println(err)
		return
	}

	facts := engine.NewFacts(cat)
	s := facts.Sink("acme")
	s.Bool(0, false) // acme.liveness.passed
	d := policy.Evaluate(facts)
	fmt.Println(d.Outcome, d.Reasons[0].Message)

	// The risk score was not reported: low-risk is undecided, not false,
	// and nothing approves the case, so the default applies.
	facts.Reset()
	facts.Sink("acme").Bool(0, true)
	d = policy.Evaluate(facts, engine.WithTrace())
	fmt.Println(d.Outcome, d.DefaultApplied, d.Trace)
	// Output:
	// reject Liveness passed: false.
	// review true [{liveness-failed not_fired} {low-risk indeterminate}]
}

// Compile reports every problem of a policy at file:line:column, with the
// source line and a caret; the error is an engine.ErrorList, whose codes
// tools may match on. A policy with a problem is not returned at all.
func ExampleCompile_error() {
	src := []byte(`policy: acme-onboarding
version: "1"
default: review
rules:
  - id: liveness-failed
    description: A failed liveness check rejects.
    when: acme.liveness.pased == false
    outcome: reject
`)
	_, err := rules.Compile("acme.yaml", src, exampleCatalog())
	var list engine.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Println(e.Code)
		}
		fmt.Println(list.Snippets())
	}
	// Output:
	// missing
	// unknown-fact
	// acme.yaml:5:5: missing reason in rules[0]
	//  |   - id: liveness-failed
	//  |     ^
	// acme.yaml:7:11: unknown fact acme.liveness.pased (did you mean acme.liveness.passed?)
	//  |     when: acme.liveness.pased == false
	//  |           ^
}
