package engine_test

import (
	"fmt"

	"github.com/veredicto/veredicto/engine"
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
