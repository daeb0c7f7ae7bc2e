package server

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestReloadCountsRequirementsAndScores: the shrink guard counts rules,
// requirements and scores together: a reload keeping half of them all is
// accepted, fewer refused, and the refusal gives both counts.
func TestReloadCountsRequirementsAndScores(t *testing.T) {
	policy := func(version string, rules, reqs, scores int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "policy: p\nversion: %q\ndefault: review\nrequire:\n", version)
		for i := range reqs {
			fmt.Fprintf(&b, "  - id: q%d\n    description: d\n    facts: [veriff.status]\n    reason: r\n", i)
		}
		b.WriteString("rules:\n")
		for i := range rules {
			fmt.Fprintf(&b, "  - id: r%d\n    description: d\n    when: veriff.status == \"declined\"\n    outcome: reject\n    reason: r\n", i)
		}
		b.WriteString("scores:\n")
		for i := range scores {
			fmt.Fprintf(&b, "  - id: s%d\n    description: d\n    unknown: ignore\n    terms:\n      - description: t\n        when: veriff.risk_score >= 0.7\n        points: 40\n    thresholds:\n      - min: 30\n        outcome: review\n        reason: r\n", i)
		}
		return b.String()
	}
	for _, c := range []struct {
		rules, reqs, scores int
		loaded              bool
	}{
		{1, 2, 2, true},  // 5 of 10
		{2, 1, 1, false}, // 4 of 10
		{1, 1, 3, true},
		{1, 3, 0, false},
	} {
		p, path := testPolicies(t, policy("1", 2, 4, 4), false)
		write(t, path, policy("2", c.rules, c.reqs, c.scores))
		err := p.reload(true)
		if got := p.current().Version == "2"; got != c.loaded {
			t.Errorf("%d rules, %d requirements, %d scores of 2, 4, 4: loaded %v, want %v (%v)", c.rules, c.reqs, c.scores, got, c.loaded, err)
		}
		n := c.rules + c.reqs + c.scores
		if !c.loaded && (err == nil || !strings.Contains(err.Error(), fmt.Sprintf("the new policy has %d rules, requirements and scores where the current one has 10", n))) {
			t.Errorf("%d of 10: %v", n, err)
		}
	}
}

// TestReloadReportsAMissingFileOnce: while polling, a policy file that
// went missing is reported (the status says so) once, not at every poll;
// a forced reload reports it again.
func TestReloadReportsAMissingFileOnce(t *testing.T) {
	p, path := testPolicies(t, small(t), false)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := p.reload(false); err == nil {
		t.Fatal("a missing file reloaded")
	}
	first := p.status.Load()
	if first == nil || !strings.Contains(first.Error, "no such file") {
		t.Fatalf("a missing file is not reported: %+v", first)
	}
	if err := p.reload(false); err == nil || p.status.Load() != first {
		t.Errorf("the same missing file reported again while polling: %v", err)
	}
	if err := p.reload(true); err == nil || p.status.Load() == first {
		t.Errorf("a forced reload of a missing file is not reported: %v", err)
	}
	if p.current().Version != "1" {
		t.Errorf("the policy changed: %s", p.current().Version)
	}
}
