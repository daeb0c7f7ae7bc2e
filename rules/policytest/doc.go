// Package policytest runs policy test suites: YAML files, kept beside a
// policy, that decide cases with it and check the decisions, like `opa test`
// for OPA or `go test` for Go. `veredicto test` is its command, and a
// service that embeds the engine runs its own policies' suites from its
// `go test` with Run. The fact catalog and the step that turns a case into
// facts are injected through a Harness, so the package knows no provider.
//
// # Suite files
//
// A suite is a file named <name>.test.yaml (or .test.yml). It tests one
// policy: by default the file beside it named like the suite without
// ".test" (mx-onboarding.test.yaml tests mx-onboarding.yaml), or the file
// that its `policy` key names, relative to the suite.
//
//	policy: mx-onboarding.yaml       # optional: the default shown
//	as_of: 2025-06-17T12:00:00Z      # evaluation time of every test
//	description: Decisions the standard policy must keep.
//	tests:
//	  - name: full Mexican case is approved
//	    fixture: cases/mx_full_approved.json
//	    expect:
//	      outcome: approve
//	      fired: [all-checks-passed]
//	      missing: []
//
//	  - name: an OFAC hit rejects whatever else passed
//	    fixture: cases/mx_full_approved.json
//	    facts:
//	      set: {jaak.ofac.passed: false}
//	    expect:
//	      outcome: reject
//	      fired: [sanctions-hit]
//	      not_fired: [all-checks-passed]
//
//	  - name: no Veriff decision yet
//	    fixture: cases/mx_full_approved.json
//	    facts:
//	      unset: [veriff.status]
//	    expect:
//	      outcome: review
//	      fired: [veriff-decision]
//	      missing: [veriff.status]
//
//	  - name: a declined Veriff session, inline
//	    as_of: 2025-01-31
//	    case:
//	      status: success
//	      verification: {id: s-1, status: declined, code: 9102, reasonCode: 102}
//	    expect:
//	      outcome: reject
//	      fired: [veriff-declined]
//
//	  - name: an unreadable Veriff status is never an approval
//	    facts:
//	      set: {jaak.ofac.passed: true}
//	      unreadable: [veriff.status]
//	    expect:
//	      outcome: review
//	      not_fired: [all-checks-passed]
//
//	  - name: fraud signals of two providers add up
//	    results:
//	      - provider: veriff
//	        fixture: veriff/risk_labels.json
//	      - provider: preventor
//	        fixture: preventor/completed_rejected.json
//	      - provider: jaak
//	        kind: ofac
//	        fixture: jaak/ofac_not_found.json
//	    expect:
//	      outcome: reject
//	      fired: [fraud-signals, liveness-rejected]
//	      not_fired: [sanctions-hit]
//	      scores: {fraud-signals: {points: 100, outcome: reject}}
//
// The keys of a suite:
//
//	policy       the policy file, relative to the suite (default: see above)
//	as_of        default evaluation time of the tests
//	description  free text
//	tests        the tests, at least one
//
// The keys of a test (name, expect and exactly one of case, fixture and
// results, or facts alone, are required):
//
//	name         unique in the suite; --run selects tests by it
//	description  free text
//	case         the case inline, in YAML or JSON: a bare provider payload
//	             (its provider is told from its shape) or an envelope
//	             {case_id, as_of, results: [{provider, kind, payload}]}
//	fixture      a file holding the case: relative to the suite, else one of
//	             the fixtures built into veredicto (the repository's
//	             fixtures/ directory, e.g. cases/mx_full_approved.json)
//	results      provider results that make up the case, each
//	             {provider, kind, payload} or {provider, kind, fixture};
//	             provider may be left out when the payload's shape tells it,
//	             kind is the hint some providers need (a JAAK list)
//	as_of        the evaluation time, RFC 3339 or YYYY-MM-DD (midnight UTC)
//	facts        edits of the case's facts after normalization, or, without
//	             a case, the facts of the test, from an empty fact set at
//	             the test's (else the suite's) as_of:
//	             set: {fact: value}          gives a fact a value of its type
//	             unset: [fact]               makes a fact not reported
//	             unreadable: [fact]          makes a fact reported but unreadable
//	             conflicting: {fact: value}  gives a fact a value and marks it
//	                                         conflicting (sources disagree)
//	expect       what the decision must be
//
// The evaluation time is the test's as_of, else the suite's as_of, else the
// envelope's own as_of; a test with none of them does not load: decisions
// depend on it (document expiry, age) and must be reproducible, so a suite
// never evaluates "now".
//
// Fact edits make it cheap to exercise every rule from one realistic case,
// and a test of facts alone is the shape in which `veredicto check` prints
// a counterexample: pasted into a suite, it passes or fails like any test.
// An edited fact loses what normalization said of it (its value and its
// evidence note) and takes the edit's value and state; a fact named under
// two of set, unset, unreadable and conflicting is an error.
// Names are catalog facts (`veredicto facts` lists them); a string fact with
// documented values takes one of them. Edits are applied after
// normalization: the cross-provider facts (case.*) are not recomputed from
// edited provider facts, so set them directly when a rule reads them.
// Derived facts of the policy cannot be set: set the facts they derive from.
//
// The keys of expect (outcome is required, the rest are optional):
//
//	outcome    approve, review or reject
//	fired      ids that must contribute to the decision: rules that fire,
//	           scores that reach a threshold, requirements that are unmet
//	not_fired  ids that must not (a rule whose condition is unknown did not
//	           fire)
//	undecided  rules and scores that must be undecided: a fact they need is
//	           unknown (a review or reject rule then sends the case to
//	           review, unless it says unknown: ignore)
//	shadow     shadow rules and scores that must fire (they never decide)
//	missing    facts that the decision must name as missing
//	scores     per score id: points (the total of the terms that are
//	           true) and outcome (of the highest threshold those points
//	           reach: approve, review, reject, or none)
//
// fired, shadow and missing list what must be present, not all that is: the
// empty list says that there must be none (`missing: []`: no evidence
// lacks; `fired: []`: no rule, score or requirement contributes).
// Every id is checked against the compiled policy when the suite loads.
//
// # Running
//
// `veredicto test [PATH ...]` runs the suites in each PATH: a suite file, or
// a directory searched recursively for *.test.yaml files, skipping
// directories named testdata or starting with . or _ (as `go test ./...`
// does). Without PATH it searches the current directory. Each failing test
// is printed with the expectations it missed, at the test's position, and
// the decision it got; -v lists passed tests too. Then one line per suite:
//
//	--- FAIL  SAT 69-B listing rejects (42µs)
//	    policies/mx-onboarding.test.yaml:57:5: outcome: want reject, got review
//	    got review
//	      [review] sat-69b (rule): Listed by SAT under article 69-B.
//	      undecided, let pass: ine-biometric-mismatch, pep-match, face-mismatch
//	FAIL  policies/mx-onboarding.test.yaml  58 tests, 1 failed  (1.2ms)
//
// and when all pass:
//
//	ok    policies/mx-onboarding.test.yaml  58 tests  (1.1ms)
//
// --run REGEX runs only the tests whose name matches, ignoring case; when
// it matches no test of any suite, one line says so instead of the suites':
//
//	FAIL  --run "sanctoins" matched no test: 0 of 58 tests matched
//
// --coverage adds, per
// policy, the share of its parts that the tests exercised and lists those
// they did not; --min-coverage P fails the run below P percent:
//
//	coverage: 96.7% of mx-onboarding 2026.11.1 (policies/mx-onboarding.yaml): 29 of 30 exercised in 57 tests
//	    never fired:   rule pep-match
//
// --junit FILE writes a JUnit XML report (testsuites, a testsuite per suite
// file with the policy's name, version and hash as properties, a testcase
// per test with its failure, and an error for a suite that did not load).
//
// Exit status: 0 when every test passed, 1 when one failed (or coverage is
// below --min-coverage, or --run selected no test), 2 when a suite or its
// policy does not load; every load problem is shown at file:line:column
// with the source line and a caret.
//
// Coverage counts, per policy over all the suites that test it, the rules
// (shadow rules included) that fired, the requirements that were unmet and
// the score thresholds that were reached, in at least one test that ran.
//
// # Library use
//
// A Harness names the catalog and the normalizing step (and, optionally,
// where a normalizing error points and the built-in fixtures). Harness.Parse
// reads a suite against a compiled policy, Harness.NewLoader loads suite
// files and their policies, Suite.Run evaluates the tests with tracing so
// that not_fired and coverage are exact, Coverage adds decisions up, and
// WriteJUnit writes JUnit XML. Harness.Main is the whole command.
//
// Run runs suites from a Go test, each test a subtest:
//
//	var harness = &policytest.Harness{
//		Catalog:   myCatalog,
//		Normalize: func(doc []byte, f *engine.Facts, asOf time.Time) error { return myNormalize(doc, f, asOf) },
//	}
//
//	func TestPolicies(t *testing.T) {
//		policytest.Run(t, harness, policytest.Config{Paths: []string{"policies"}, MinCoverage: 100})
//	}
package policytest
