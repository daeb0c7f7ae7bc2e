// Package check proves properties of a compiled policy without any stored
// case: above all, that it cannot approve an applicant while a provider's
// evidence is adverse. `veredicto check` is its command; a service that
// embeds the engine runs it on its own policies from its `go test`:
//
//	rep, err := check.Policy(p, catalog, nil)
//	if err != nil { t.Fatal(err) }
//	for _, f := range rep.Findings {
//		if f.Severity == check.Error {
//			t.Errorf("%s\n%s", f.Snippet(), f.Case.YAML(2))
//		}
//	}
//
// # What it finds
//
// For every fact the policy reads that has an adverse value (the fact's
// polarity in the catalog: a failed check, a hit on a list, a declined
// status, a number at its documented limit or, for a number with only a
// direction, the worst value the analysis gives it), Policy searches for
// an assignment of the other facts that the policy approves while that fact
// is adverse, and reports each as an error (CodeApproveOnAdverse) at the
// approving rule, with a counterexample: the smallest set of facts found,
// as a test of a suite (Case.YAML) that passes when pasted. An adverse fact
// that nothing deciding reads is an error too when the policy can approve
// at all, unless the policy lists it under informational: with a reason,
// which makes it an accepted risk (CodeAcceptedRisk). Warnings name rules
// that can never fire or only while a requirement is unmet, rules a
// stricter one always overrides, and score thresholds no terms reach.
// Diff compares two policies and reports the classes of cases whose
// outcome changes, each with a counterexample.
//
// # Domains
//
// Every fact ranges over a finite domain: not reported, unreadable,
// conflicting (its adverse value so marked, when it has one), and its
// values: true and false; a string's documented values, plus the literals
// the policy compares it with (and "other" when it has no documented
// values); for a number, each literal t the policy compares it with
// (directly or through a derived fact), t-δ and t+δ (δ half the smallest
// gap between its literals, at most 1) and its documented limit; for a
// list, the empty list, a one-element list per literal and ["other"].
// Report.Assumptions lists what numbers and free strings were given. The
// answer is exact over these domains: every complete assignment is decided
// by the real engine (Policy.Evaluate).
//
// # Search
//
// A depth-first search assigns the deciding facts one by one, those of
// approving rules first and values that cannot be adverse first. It prunes
// with an abstract evaluation of the policy's expressions in which every
// expression is the set of values it can take while the unassigned facts
// range over their domains (a set beyond 64 values becomes "any value"):
// when no outcome the search looks for remains possible, the branch is
// dropped. The abstract evaluation contains every concrete one (the
// property test checks it against the compiled expressions), so pruning
// loses no answer. The searches of one analysis share a budget of nodes
// (Options.Budget, DefaultBudget = 2,000,000); a search that runs out
// reports CodeIncomplete instead of an answer, and never hangs.
package check
