package check_test

import (
	"fmt"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/check"
)

// A policy approves when the registry confirmed the applicant, asking a
// second registry when the first was not consulted; but `??` also hides a
// failure of the second registry whenever the first one answered. The
// analysis finds it and prints the case as a suite test.
func ExamplePolicy() {
	cat, err := engine.NewCatalog([]engine.FactSpec{
		{Name: "renapo.passed", Kind: engine.Bool, Provider: "renapo", Description: "RENAPO confirmed the CURP", Polarity: engine.AdverseFalse},
		{Name: "renapo.backup_passed", Kind: engine.Bool, Provider: "renapo", Description: "a second registry confirmed it", Polarity: engine.AdverseFalse},
	})
	if err != nil {
		panic(err)
	}
	src := []byte(`policy: example
version: "1"
default: review
rules:
  - id: confirmed
    description: A registry confirmed the CURP.
    when: renapo.passed ?? renapo.backup_passed
    outcome: approve
    reason: Confirmed.
  - id: denied
    description: RENAPO denied the CURP.
    when: renapo.passed == false
    outcome: reject
    reason: Denied.
    unknown: ignore
`)
	p, err := rules.Compile("example.yaml", src, cat)
	if err != nil {
		panic(err)
	}
	rep, err := check.Policy(p, cat, &check.Options{Source: src})
	if err != nil {
		panic(err)
	}
	for _, f := range rep.Findings {
		fmt.Println(f.Snippet())
		if f.Case != nil {
			fmt.Print(f.Case.YAML(2))
		}
	}
	// Output:
	// example.yaml:7:11: error: approves although renapo.backup_passed is false (rule confirmed) [approve-on-adverse]
	//  |     when: renapo.passed ?? renapo.backup_passed
	//  |           ^
	//   - name: "check: approves although renapo.backup_passed is false"
	//     facts:
	//       set: {renapo.backup_passed: false, renapo.passed: true}
	//     expect:
	//       outcome: approve
}
