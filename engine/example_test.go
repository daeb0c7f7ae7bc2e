package engine_test

import (
	"fmt"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules"
)

// A provider declares its facts with their polarity, a normalizer writes
// them through a Sink, and a policy (compiled by package rules, built by
// hand here) decides. The liveness check is reported twice with different
// results: the failed one is kept and the fact is conflicting, so the case
// is at least a review even though no rule rejects it.
func Example() {
	cat, err := engine.NewCatalog([]engine.FactSpec{
		{Name: "acme.liveness.passed", Kind: engine.Bool, Provider: "acme",
			Description: "the selfie passed the liveness check", Polarity: engine.AdverseFalse},
		{Name: "acme.watchlist.hit", Kind: engine.Bool, Provider: "acme",
			Description: "the applicant is on a sanctions list", Polarity: engine.AdverseTrue},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	const liveness, watchlist = 0, 1 // acme's local indexes

	f := engine.NewFacts(cat)
	s := f.Sink("acme")
	s.Merge(liveness, engine.BoolValue(true), 17, "checks[0].passed")
	s.Merge(liveness, engine.BoolValue(false), 58, "checks[1].passed")
	s.Bool(watchlist, false)

	ref := func(name string) engine.Ref {
		slot, _ := cat.Lookup(name)
		return engine.Ref{Name: name, Fact: slot, Derived: -1}
	}
	live, hit := ref("acme.liveness.passed"), ref("acme.watchlist.hit")
	p := &engine.Policy{
		Name: "example", Version: "1", Default: engine.Approve, Catalog: cat,
		Requirements: []engine.Requirement{{ID: "liveness-reported", Facts: []engine.Ref{live}, Outcome: engine.Review}},
		Rules: []engine.Rule{{
			ID: "sanctions", Outcome: engine.Reject, Refs: []engine.Ref{hit},
			When:    func(env *engine.Env) engine.Tri { return hit.Value(env).Tri() },
			Message: engine.Template{Text: []string{"on a sanctions list"}},
		}},
	}

	d := p.Evaluate(f)
	fmt.Println(d.Outcome)
	for _, r := range d.Reasons {
		fmt.Printf("%s (%s): %s\n", r.Rule, r.Kind, r.Message)
	}
	fmt.Println(f.Get(live.Fact), f.Get(live.Fact).E)
	// Output:
	// review
	// liveness-reported (evidence): acme.liveness.passed is conflicting (acme checks[1].passed at byte 58): sources disagree [true vs false]
	// false conflicting
}

// NewCatalog checks the providers' declarations and reports every problem
// at once; a provider's facts are code, so a problem is a bug to fix.
func ExampleNewCatalog() {
	_, err := engine.NewCatalog([]engine.FactSpec{
		{Name: "acme.Liveness", Kind: engine.Bool, Provider: "acme", Description: "x"},
		{Name: "acme.risk.score", Kind: engine.Number, Provider: "acme",
			Description: "fraud risk, 0 to 100", Polarity: engine.AdverseTrue},
	})
	fmt.Println(err)
	// Output:
	// fact catalog: fact "acme.Liveness": a name is lower-case dotted words; fact acme.risk.score: polarity adverse-true needs a bool fact
}

// A policy compiled by package rules is evaluated on facts written by hand
// (a normalizer writes them from provider JSON). The decision says why:
// each reason with the facts it read, and, for evidence that cannot be
// taken at face value, where in the input it came from.
func ExamplePolicy_Evaluate() {
	cat, _ := engine.NewCatalog([]engine.FactSpec{
		{Name: "acme.liveness.passed", Kind: engine.Bool, Provider: "acme",
			Description: "the selfie passed the liveness check", Polarity: engine.AdverseFalse},
		{Name: "acme.risk.score", Kind: engine.Number, Provider: "acme",
			Description: "fraud risk, 0 to 100", Polarity: engine.HigherWorse},
	})
	policy, err := rules.Compile("acme.yaml", []byte(`
policy: acme
version: "1"
default: review
rules:
  - id: high-risk
    description: A high fraud risk rejects.
    when: acme.risk.score >= 80
    outcome: reject
    reason: "Risk score {acme.risk.score}."
  - id: clean
    description: A live applicant of low risk is approved.
    when: acme.liveness.passed && acme.risk.score < 30
    outcome: approve
    reason: "Live, risk {acme.risk.score}."
`), cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	const liveness, risk = 0, 1 // acme's local indexes

	f := engine.NewFacts(cat)
	s := f.Sink("acme")
	s.Merge(liveness, engine.BoolValue(true), 12, "checks[0].live")
	s.Merge(risk, engine.NumberValue(10), 40, "risk[0].score")
	s.Merge(risk, engine.NumberValue(85), 77, "risk[1].score") // another element disagrees: the worse is kept

	d := policy.Evaluate(f)
	fmt.Println(d.Outcome)
	for _, r := range d.Reasons {
		fmt.Printf("%s %s (%s): %s %v\n", r.Outcome, r.Rule, r.Kind, r.Message, r.Facts)
	}
	for _, e := range d.Evidence {
		fmt.Printf("%s is %s: %s at byte %d, %v\n", e.Fact, e.State, e.Field, e.Offset, e.Values)
	}
	// Output:
	// reject
	// reject high-risk (rule): Risk score 85. [{acme.risk.score 85}]
	// review high-risk (evidence): acme.risk.score is conflicting (acme risk[1].score at byte 77): sources disagree [10 vs 85] [{acme.risk.score 85}]
	// acme.risk.score is conflicting: risk[1].score at byte 77, [10 85]
}

// Unknown is not false: a fact no provider reported is unknown, and a
// condition on it is undecided. A reject rule that cannot be decided sends
// the case to review and names what was missing; an approve rule that cannot
// be decided approves nobody.
func Example_unknownIsNotFalse() {
	cat, _ := engine.NewCatalog([]engine.FactSpec{
		{Name: "acme.watchlist.hit", Kind: engine.Bool, Provider: "acme",
			Description: "the applicant is on a sanctions list", Polarity: engine.AdverseTrue},
	})
	policy, _ := rules.Compile("acme.yaml", []byte(`
policy: acme
version: "1"
default: approve
rules:
  - id: sanctioned
    description: A sanctions hit rejects.
    when: acme.watchlist.hit
    outcome: reject
    reason: "On a sanctions list."
`), cat)

	f := engine.NewFacts(cat) // nothing reported: acme.watchlist.hit is unknown
	d := policy.Evaluate(f, engine.WithTrace())
	fmt.Println(d.Outcome, d.Missing, d.Trace)

	f.Sink("acme").Bool(0, false) // reported: not on the list
	d = policy.Evaluate(f, engine.WithTrace())
	fmt.Println(d.Outcome, d.Missing, d.Trace)
	// Output:
	// review [acme.watchlist.hit] [{sanctioned indeterminate}]
	// approve [] [{sanctioned not_fired}]
}
