package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// diffInput is a hand-made input whose outcomes under testdata/diff are
// known: see the comments.
func diffInput(t *testing.T) string {
	lines := []string{
		fixtureLine(t, "veriff/declined_pep.json"),                 // reject → reject (declined)
		fixtureLine(t, "veriff/session_resubmission_generic.json"), // review → reject (unfinished)
		fixtureLine(t, "veriff/session_expired_generic.json"),      // review → reject (unfinished)
		fixtureLine(t, "veriff/mx_curp_db_verification.json"),      // approve → approve
		fixtureLine(t, "veriff/risk_labels.json"),                  // approve → approve; the shadow rule (risk 0.87) stops firing
		fixtureLine(t, "jaak/sat69b_found.json"),                   // approve → review (sat69b is new)
		fixtureLine(t, "jaak/ofac_found.json"),                     // reject → reject (ofac)
		`{"status":"success",`,                                     // malformed
		``,                                                         // empty
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestDiff(t *testing.T) {
	base := loadPolicy(t, "testdata/diff/base.yaml")
	cand := loadPolicy(t, "testdata/diff/candidate.yaml")
	for _, workers := range []int{1, 4} {
		var changes bytes.Buffer
		src := OpenFiles([]string{"-"}, strings.NewReader(diffInput(t)), 0)
		r, err := Diff(context.Background(), src, base, cand, &changes, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]int64{
			"approve": {"approve": 2, "review": 1, "reject": 0},
			"review":  {"approve": 0, "review": 0, "reject": 2},
			"reject":  {"approve": 0, "review": 0, "reject": 2},
		}
		for from, row := range want {
			for to, n := range row {
				if got := r.Matrix[from][to]; got != n {
					t.Errorf("workers=%d %s→%s: %d, want %d", workers, from, to, got, n)
				}
			}
		}
		if r.Cases != 9 || r.Errors[KindMalformed] != 1 || r.Errors[KindEmpty] != 1 || r.OutcomeChanged != 3 || r.ReasonsChanged != 1 {
			t.Errorf("cases %d, errors %v, changed %d/%d", r.Cases, r.Errors, r.OutcomeChanged, r.ReasonsChanged)
		}

		type counts struct{ base, cand, delta int64 }
		wantRules := map[string]counts{
			"declined": {1, 1, 0}, "unfinished": {2, 2, 0}, "ofac": {1, 1, 0},
			"risk-trial": {1, 0, -1}, "sat69b": {-1, 1, 1},
		}
		if len(r.Rules) != len(wantRules) {
			t.Errorf("rules %+v", r.Rules)
		}
		for _, rd := range r.Rules {
			w, ok := wantRules[rd.ID]
			if !ok {
				t.Errorf("unexpected rule %s", rd.ID)
				continue
			}
			b := int64(-1)
			if rd.Base != nil {
				b = rd.Base.Fired
			}
			if b != w.base || rd.Candidate == nil || rd.Candidate.Fired != w.cand || rd.Delta != w.delta {
				t.Errorf("rule %s: base %d candidate %+v delta %d, want %+v", rd.ID, b, rd.Candidate, rd.Delta, w)
			}
		}
		if rd := r.Rules[1]; rd.Base.Outcome != "review" || rd.Candidate.Outcome != "reject" {
			t.Errorf("unfinished outcomes: %s → %s", rd.Base.Outcome, rd.Candidate.Outcome)
		}
		if rd := r.Rules[3]; !rd.Base.Shadow || !rd.Candidate.Shadow {
			t.Errorf("risk-trial should be shadow in both: %+v", rd)
		}

		// The changes file: one line per changed case, in input order, with both decisions.
		type change struct {
			Line      int           `json:"line"`
			Change    string        `json:"change"`
			Base      *testDecision `json:"base"`
			Candidate *testDecision `json:"candidate"`
		}
		var got []change
		sc := bufio.NewScanner(&changes)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c change
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatalf("changes line: %v: %s", err, sc.Bytes())
			}
			got = append(got, c)
		}
		wantChanges := []struct {
			line     int
			change   string
			from, to string
		}{{2, "outcome", "review", "reject"}, {3, "outcome", "review", "reject"}, {5, "reasons", "approve", "approve"}, {6, "outcome", "approve", "review"}}
		if len(got) != len(wantChanges) {
			t.Fatalf("workers=%d: %d changes, want %d", workers, len(got), len(wantChanges))
		}
		for i, w := range wantChanges {
			g := got[i]
			if g.Line != w.line || g.Change != w.change || g.Base.Outcome.String() != w.from || g.Candidate.Outcome.String() != w.to ||
				g.Base.Policy.Version != "1" || g.Candidate.Policy.Version != "2" {
				t.Errorf("change %d: line %d %s %s→%s, want %+v", i, g.Line, g.Change, g.Base.Outcome, g.Candidate.Outcome, w)
			}
		}
	}
}

func TestDiffReportText(t *testing.T) {
	base := loadPolicy(t, "testdata/diff/base.yaml")
	cand := loadPolicy(t, "testdata/diff/candidate.yaml")
	r, err := Diff(context.Background(), OpenFiles([]string{"-"}, strings.NewReader(diffInput(t)), 0), base, cand, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"9 cases as of original: 7 decided, 2 errors",
		"outcome changed: 3 (42.9% of decided); same outcome, other reasons: 1",
		"  approve        2       1       0      3",
		"  unfinished  rule review → rule reject     2          2       0",
		"  risk-trial  rule (shadow) reject          1          0      -1",
		"  sat69b      rule review                   -          1      +1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

// TestDiffSamePolicy: a policy against itself changes nothing.
func TestDiffSamePolicy(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	var in strings.Builder
	for range 20 {
		in.WriteString(fixtureLine(t, "cases/mx_curp_mismatch.json") + "\n" + fixtureLine(t, "trully/potential_threat_fraud_flag.json") + "\n")
	}
	var changes bytes.Buffer
	r, err := Diff(context.Background(), OpenFiles([]string{"-"}, strings.NewReader(in.String()), 0), p, p, &changes, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.OutcomeChanged != 0 || r.ReasonsChanged != 0 || changes.Len() != 0 || r.Cases != 40 {
		t.Errorf("changed %d/%d, %d bytes of changes, %d cases", r.OutcomeChanged, r.ReasonsChanged, changes.Len(), r.Cases)
	}
	for _, rd := range r.Rules {
		if rd.Delta != 0 || rd.Base.Fired != rd.Candidate.Fired {
			t.Errorf("rule %s: %+v", rd.ID, rd)
		}
	}
}

// TestDiffExplainsUnknownReviews: a candidate rule without unknown: ignore
// sends the cases without its fact to review, and the text report names the
// rule with that count, so that approve → review is explained; and a
// candidate with the base's name and version but other content is warned
// about.
func TestDiffExplainsUnknownReviews(t *testing.T) {
	base := loadPolicy(t, "testdata/diff/base.yaml")
	cand := loadPolicy(t, "testdata/diff/unknown.yaml")
	src := OpenFiles([]string{"-"}, strings.NewReader(diffInput(t)), 0)
	r, err := Diff(context.Background(), src, base, cand, nil, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Of the three approvals, the SAT 69-B hit fires and the two cases
	// without a SAT answer go to review for their unknown fact.
	if got := r.Matrix["approve"]["review"]; got != 3 {
		t.Errorf("approve → review %d, want 3", got)
	}
	var sat *RuleDiff
	for i := range r.Rules {
		switch rd := &r.Rules[i]; rd.ID {
		case "sat69b":
			sat = rd
		case "risk-trial":
			// A shadow rule never sends a case anywhere.
			if rd.Base.Indeterminate == 0 || rd.Base.IndeterminateReview != 0 {
				t.Errorf("shadow risk-trial: %+v", rd.Base)
			}
		}
	}
	// Six decided cases have no SAT answer: the approvals and the cases
	// that other rules reject.
	if sat == nil || sat.Candidate.Fired != 1 || sat.Candidate.IndeterminateReview != 6 {
		t.Fatalf("sat69b: %+v", sat)
	}
	var text strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  sat69b      rule review                   -          1      +1  - → 6\n",
		"  declined    rule reject                   1          1       0\n", // no trailing blanks
		"warning: base and candidate are both diff-test 1, but their files differ",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, text.String())
		}
	}
	if len(r.Warnings) != 1 {
		t.Errorf("warnings %q", r.Warnings)
	}
	// The same policy twice is no warning.
	again, err := Diff(context.Background(), OpenFiles([]string{"-"}, strings.NewReader(diffInput(t)), 0), base, base, nil, Options{Workers: 1})
	if err != nil || len(again.Warnings) != 0 {
		t.Errorf("base against itself: %q, %v", again.Warnings, err)
	}
}
