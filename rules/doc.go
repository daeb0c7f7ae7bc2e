// Package rules compiles a YAML policy into an *engine.Policy.
//
// A policy is written by a compliance team:
//
//	policy: mx-onboarding
//	version: "2026.11"
//	default: review
//	require:
//	  - id: veriff-decision
//	    description: A final Veriff decision is needed.
//	    facts: [veriff.status]
//	derive:
//	  - name: sanctions_hit
//	    description: Found on a sanctions or wanted-persons list.
//	    expr: jaak.ofac.passed == false || jaak.interpol.passed == false
//	rules:
//	  - id: sanctions
//	    description: Sanctioned or wanted persons are rejected.
//	    when: sanctions_hit
//	    outcome: reject
//	    reason: "OFAC passed: {jaak.ofac.passed}"
//
// Expressions use the expr language (github.com/expr-lang/expr): expr parses
// them, and this package resolves fact names against the catalog,
// type-checks them and compiles them into closures over typed fact slots
// with three-valued logic, so that an unknown fact never reads as false.
//
// Compile reports every problem it finds, sorted, each at file:line:column
// with the source line and a caret, including problems inside expressions;
// a policy with any problem is not returned at all.
//
// # Limits
//
// A policy that compiles cannot exhaust the machine that evaluates it.
// Compiling takes time and memory linear in the policy's size; evaluating a
// case computes every derived fact once and runs every expression once,
// each bounded in size, so its cost is linear in the compiled policy. Compile
// refuses, with a problem of code "limit" (CodeLimit) at the part that
// exceeds it:
//
//	MaxSourceBytes         4 MiB   source, and text once YAML aliases are expanded
//	MaxYAMLNodes           1 Mi    YAML nodes, aliases counted at every use
//	MaxRules               10,000  rules
//	MaxRequirements        10,000  requirements
//	MaxDerived             10,000  derived facts
//	MaxTerms               10,000  score terms, all scores together
//	MaxInformational       10,000  entries of the informational list
//	MaxExprBytes           64 KiB  source of one expression
//	MaxExprNodes           2,000   syntax-tree nodes of one expression
//	MaxDerivedDepth        64      derived facts in a chain (a reads b reads c ...)
//	MaxStringBytes         64 KiB  longest string any expression can build
//	MaxPatternBytes        1,000   bytes of a matches pattern
//	MaxPatternInsts        10,000  instructions of one compiled pattern
//	MaxPolicyPatternInsts  200,000 instructions of all patterns together
//	MaxProblems            1,000   problems reported before Compile stops
//
// The longest string is bounded statically: a literal counts its length, a
// catalog fact (and the element # of a list) AssumedFactBytes (4 KiB), a
// derived fact the bound of its expression, + the sum of its sides, lower
// and upper three times their argument (invalid UTF-8 becomes U+FFFD), ??
// and ?: the longer side. So a derived fact that doubles a string is
// refused at the fifth doubling of a fact, or the seventeenth of a
// one-letter literal. The standard policy is far below every limit.
package rules
