// Package policies_test checks the standard policies on realistic cases and
// measures the whole pipeline: raw provider JSON → facts → decision.
package policies_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/policytest"
)

// harness runs the policies' suites with veredicto's providers.
var harness = &policytest.Harness{
	Catalog: normalizers.Catalog(),
	Normalize: func(doc []byte, f *engine.Facts, asOf time.Time) error {
		return normalizers.Normalize(doc, f, normalizers.Options{AsOf: asOf})
	},
	Locate: func(err error) (int, string, string, bool) {
		var ne *normalizers.Error
		if !errors.As(err, &ne) {
			return 0, "", "", false
		}
		return ne.Offset, ne.Provider, ne.Msg, true
	},
	Fixtures: fixtures.FS(),
}

// TestSuites runs every *.test.yaml suite of this directory, each test a
// subtest (go test -run 'TestSuites/.*/OFAC'), and wants every rule,
// requirement and score threshold of each policy exercised.
func TestSuites(t *testing.T) {
	policytest.Run(t, harness, policytest.Config{Paths: []string{"."}, MinCoverage: 100})
}

var asOf = time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)

func load(t testing.TB) *engine.Policy {
	t.Helper()
	p, err := rules.Load("mx-onboarding.yaml", normalizers.Catalog())
	if err != nil {
		t.Fatalf("the standard policy does not load: %v", err)
	}
	return p
}

func decide(t testing.TB, p *engine.Policy, fixture string) engine.Decision {
	t.Helper()
	raw, err := fixtures.Read(fixture)
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(normalizers.Catalog())
	if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
		t.Fatalf("%s: %v", fixture, err)
	}
	return p.Evaluate(f, engine.WithTrace())
}

// TestStandardPolicy: the decisions of the standard policy on full cases and
// on single provider results. fired lists rules that must be among the
// reasons; notFired rules must not fire.
func TestStandardPolicy(t *testing.T) {
	p := load(t)
	tests := []struct {
		fixture  string
		outcome  engine.Outcome
		fired    []string
		notFired []string
		missing  []string
	}{
		{"cases/mx_full_approved.json", engine.Approve, []string{"all-checks-passed"}, []string{"sanctions-hit", "curp-fabricated"}, nil},
		{"cases/mx_ofac_hit.json", engine.Reject, []string{"sanctions-hit"}, []string{"all-checks-passed"}, nil},
		{"cases/mx_missing_ofac.json", engine.Review, []string{"sanctions-screening"}, []string{"all-checks-passed"}, []string{"jaak.ofac.passed"}},
		{"cases/mx_curp_mismatch.json", engine.Reject, []string{"curp-conflict", "curp-fabricated"}, []string{"all-checks-passed"}, nil},
		// RENAPO does not find the CURP that Trully's government check
		// confirms: a contradiction, reviewed, not hidden either way.
		{"cases/mx_renapo_not_found.json", engine.Review, []string{"curp-registries-disagree", "ine-credential-inactive"}, []string{"curp-not-in-registry", "all-checks-passed"}, nil},
		// A lone Veriff approval is not enough: sanctions screening and the
		// CURP registry are required evidence.
		{"veriff/mx_ine_db_verification.json", engine.Review, []string{"sanctions-screening", "curp-registry"}, []string{"all-checks-passed"}, []string{"jaak.ofac.passed"}},
		{"veriff/pending_decision.json", engine.Review, []string{"veriff-decision"}, nil, []string{"veriff.status"}},
		{"veriff/api_error.json", engine.Review, []string{"veriff-decision"}, nil, []string{"veriff.status"}},
		{"veriff/session_declined_generic.json", engine.Reject, []string{"veriff-declined"}, nil, nil},
		{"veriff/declined_pep.json", engine.Reject, []string{"pep-match"}, []string{"veriff-declined"}, nil},
		{"veriff/declined_underage.json", engine.Reject, []string{"veriff-declined", "underage"}, nil, nil},
		{"veriff/mx_curp_deceased.json", engine.Reject, []string{"deceased"}, nil, nil},
		{"veriff/review_9121.json", engine.Review, []string{"veriff-not-final"}, nil, nil},
		{"veriff/status_code_mismatch.json", engine.Review, []string{"veriff-code-conflict"}, nil, nil},
		{"veriff/ine_no_match.json", engine.Reject, []string{"ine-card-invalid", "ine-data-mismatch"}, nil, nil},
		{"trully/potential_threat_fraud_flag.json", engine.Reject, []string{"face-fraud-network", "trully-threat"}, nil, nil},
		{"trully/identity_response.json", engine.Reject, []string{"curp-fabricated"}, nil, nil}, // the seed's CURP has a wrong check digit
		{"jaak/ofac_found.json", engine.Reject, []string{"sanctions-hit"}, nil, nil},
		{"jaak/renapo_not_found.json", engine.Reject, []string{"curp-not-in-registry"}, nil, nil},
		{"jaak/sat69b_found.json", engine.Review, []string{"sat-69b"}, nil, nil},
		{"preventor/completed_rejected.json", engine.Reject, []string{"liveness-rejected"}, nil, nil},
		{"preventor/liveness_retry.json", engine.Review, []string{"liveness-not-completed"}, nil, nil},
		{"veriff_ine/inactive.json", engine.Review, []string{"ine-credential-inactive"}, nil, nil},
	}
	for _, tt := range tests {
		d := decide(t, p, tt.fixture)
		var reasons []string
		for _, r := range d.Reasons {
			reasons = append(reasons, r.Rule)
		}
		if d.Outcome != tt.outcome {
			t.Errorf("%s: %s, want %s; reasons %v", tt.fixture, d.Outcome, tt.outcome, reasons)
		}
		for _, id := range tt.fired {
			if !slices.Contains(reasons, id) {
				t.Errorf("%s: %s did not fire; reasons %v", tt.fixture, id, reasons)
			}
		}
		for _, id := range tt.notFired {
			if slices.Contains(reasons, id) {
				t.Errorf("%s: %s fired; reasons %v", tt.fixture, id, reasons)
			}
		}
		for _, m := range tt.missing {
			if !slices.Contains(d.Missing, m) {
				t.Errorf("%s: %s not named as missing; missing %v", tt.fixture, m, d.Missing)
			}
		}
	}
}

// TestNeverApprovesOnMissingEvidence drops results of the approved full case:
// without any one of them the case must not be approved, except where the
// policy names a substitute (Veriff's INE registry check for JAAK's INE list,
// and the reverse, Veriff's CURP database check for JAAK's RENAPO list);
// dropping a result together with its substitute must not approve either.
func TestNeverApprovesOnMissingEvidence(t *testing.T) {
	p := load(t)
	raw, _ := fixtures.Read("cases/mx_full_approved.json")
	results := gjsonResults(t, raw)
	substitute := map[string]string{"jaak/ine": "veriff_ine/", "veriff_ine/": "jaak/ine", "jaak/renapo": "veriff/"}
	decideWithout := func(drop ...string) engine.Outcome {
		doc := envelopeWithout(results, drop...)
		f := engine.NewFacts(normalizers.Catalog())
		if err := normalizers.Normalize(doc, f, normalizers.Options{AsOf: asOf}); err != nil {
			t.Fatal(err)
		}
		return p.Evaluate(f).Outcome
	}
	for _, r := range results {
		sub, hasSub := substitute[r.name]
		switch got := decideWithout(r.name); {
		case hasSub && got != engine.Approve:
			t.Errorf("without %s (substituted by %s): %s, want approve", r.name, sub, got)
		case !hasSub && got == engine.Approve:
			t.Errorf("approved without %s", r.name)
		}
		if hasSub {
			if got := decideWithout(r.name, sub); got == engine.Approve {
				t.Errorf("approved without %s and %s", r.name, sub)
			}
		}
	}
}

// TestDecisionJSON: every fixture's decision, with and without trace, is
// written by Decision.AppendJSON exactly as encoding/json writes it.
func TestDecisionJSON(t *testing.T) {
	type plain engine.Decision
	p := load(t)
	f := engine.NewFacts(normalizers.Catalog())
	n := 0
	for _, path := range fixtures.Glob("*/*.json") {
		raw, _ := fixtures.Read(path)
		if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
			t.Fatal(err)
		}
		for _, opts := range [][]engine.EvalOption{nil, {engine.WithTrace()}} {
			d := p.Evaluate(f, opts...)
			want, err := json.Marshal(plain(d))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.AppendJSON(nil); string(got) != string(want) {
				t.Fatalf("%s:\n got %s\nwant %s", path, got, want)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d decisions compared", n)
	}
}
