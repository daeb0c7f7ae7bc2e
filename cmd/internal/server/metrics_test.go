package server_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// TestDecisionMetrics: stored decisions are counted by outcome, rejects
// included, and by where they came from; rule fires count rules and
// scores, never requirements; the policy's load time is a Unix time.
func TestDecisionMetrics(t *testing.T) {
	e := decisionServer(t)
	// A stored reject through the API, and one by webhook.
	if r := e.api("POST", "/v1/cases/m1/results?provider=jaak&kind=ofac", fixture(t, "jaak/ofac_found.json")); r.status != 201 || !strings.Contains(string(r.body), `"outcome":"reject"`) {
		t.Fatalf("API result: %d %.200s", r.status, r.body)
	}
	decline := veriffDecision(t, "m2", "declined", 9102, "2025-06-01T10:00:00Z")
	if r := e.do("POST", "/v1/webhooks/veriff", decline, signed(decline)...); r.status != 200 {
		t.Fatalf("webhook: %d %s", r.status, r.body)
	}
	for series, want := range map[string]float64{
		`veredicto_decisions_total{outcome="reject",source="case"}`:    1,
		`veredicto_decisions_total{outcome="reject",source="webhook"}`: 1,
		`veredicto_decisions_total{outcome="review",source="case"}`:    0,
		`veredicto_rule_fires_total{rule="sanctions"}`:                 1,
		`veredicto_rule_fires_total{rule="veriff-declined"}`:           1,
	} {
		if got := e.metric(series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if loaded := e.metric("veredicto_policy_loaded_timestamp_seconds"); math.Abs(loaded-float64(time.Now().Unix())) > 600 {
		t.Errorf("policy loaded at %v, not a Unix time of now", loaded)
	}

	// The standard policy: a case without a Veriff decision is missing a
	// requirement, which is a reason of the decision but no rule fire.
	s := start(t, storetest.SQLite(t))
	r := s.api("POST", "/v1/decisions", fixture(t, "jaak/ofac_not_found.json"))
	if r.status != 200 || !strings.Contains(string(r.body), `"rule":"veriff-decision","kind":"requirement"`) {
		t.Fatalf("a case without Veriff: %d %.300s", r.status, r.body)
	}
	if got := s.metric(`veredicto_rule_fires_total{rule="veriff-decision"}`); got != 0 {
		t.Errorf("a missing requirement counted as a rule fire: %v", got)
	}
}
