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
package rules
