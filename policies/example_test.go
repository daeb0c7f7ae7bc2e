package policies_test

import (
	"fmt"
	"os"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules"
)

// Example shows veredicto embedded in a Go service: compile the policy once,
// then per case normalize the raw provider JSON and evaluate. The compiled
// policy is safe for concurrent use; keep one engine.Facts per goroutine.
func Example() {
	policy, err := rules.Load("mx-onboarding.yaml", normalizers.Catalog())
	if err != nil {
		fmt.Println(err) // every problem, at file:line:column
		return
	}
	raw, _ := os.ReadFile("../fixtures/cases/mx_ofac_hit.json")

	facts := engine.NewFacts(normalizers.Catalog())
	asOf := time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)
	if err := normalizers.Normalize(raw, facts, normalizers.Options{AsOf: asOf}); err != nil {
		fmt.Println(err) // one line: provider and byte offset
		return
	}
	d := policy.Evaluate(facts)
	fmt.Println(d.CaseID, d.Outcome)
	for _, r := range d.Reasons {
		fmt.Printf("%s %s: %s\n", r.Outcome, r.Rule, r.Message)
	}
	// Output:
	// app-000124 reject
	// reject sanctions-hit: Sanctions or wanted-persons match (OFAC passed: false, Interpol passed: true).
	// reject sanctions-match-records: Sanctions list match records (OFAC 1, Interpol unknown).
	// review ofac-potential-match: OFAC name match score 96.4.
	// review official-list-failed: Official lists failed: [ofac]; inconclusive: [].
}

// Example_unknownIsNotFalse: a case that lacks the OFAC check is sent to
// review, and the decision names what was missing.
func Example_unknownIsNotFalse() {
	policy, _ := rules.Load("mx-onboarding.yaml", normalizers.Catalog())
	raw, _ := os.ReadFile("../fixtures/cases/mx_missing_ofac.json")
	facts := engine.NewFacts(normalizers.Catalog())
	_ = normalizers.Normalize(raw, facts, normalizers.Options{})
	d := policy.Evaluate(facts)
	fmt.Println(d.Outcome, d.Missing)
	// Output:
	// review [jaak.ofac.passed]
}
