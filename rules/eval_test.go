package rules

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
)

func facts(t testing.TB, set map[string]engine.Value) *engine.Facts {
	t.Helper()
	cat := testCatalog()
	f := engine.NewFacts(cat)
	f.AsOf = time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)
	for name, v := range set {
		i, ok := cat.Lookup(name)
		if !ok {
			t.Fatalf("no fact %s", name)
		}
		f.Set(i, v)
	}
	return f
}

var (
	T = engine.BoolValue(true)
	F = engine.BoolValue(false)
	U = engine.Value{}
)

// TestThreeValuedLogic: unknown facts never read as false.
func TestThreeValuedLogic(t *testing.T) {
	known := map[string]engine.Value{
		"veriff.status":      engine.StringValue("declined"),
		"veriff.code":        engine.NumberValue(9102),
		"veriff.risk_labels": engine.ListValue([]string{"crosslinks_session", "device_emulator"}),
		"jaak.ofac.passed":   F,
	}
	tests := []struct {
		src  string
		want engine.Value
	}{
		{`veriff.status == "declined"`, T},
		{`veriff.status != "declined"`, F},
		{`veriff.risk_score > 0.5`, U}, // unknown, not false
		{`!(veriff.risk_score > 0.5)`, U},
		{`veriff.risk_score > 0.5 || veriff.code == 9102`, T},
		{`veriff.risk_score > 0.5 || veriff.code == 9001`, U},
		{`veriff.risk_score > 0.5 && veriff.code == 9001`, F},
		{`veriff.risk_score > 0.5 && veriff.code == 9102`, U},
		{`jaak.renapo.passed == false`, U},
		{`not jaak.ofac.passed`, T},
		{`known(veriff.risk_score)`, F},
		{`veriff.risk_score == nil`, T},
		{`veriff.code != nil`, T},
		{`(veriff.risk_score ?? 0) > 0.5`, F},
		{`veriff.code in [9102, 9103]`, T},
		{`veriff.status in ["approved"]`, F},
		{`veriff.document.expired in [true]`, U},
		{`"device_emulator" in veriff.risk_labels`, T},
		{`any(veriff.risk_labels, # startsWith "crosslinks")`, T},
		{`all(veriff.risk_labels, # startsWith "crosslinks")`, F},
		{`none(veriff.risk_labels, # == "x")`, T},
		{`count(veriff.risk_labels, # contains "_") == 2`, T},
		{`any(veriff.risk_labels, # == "x" || veriff.document.expired)`, U},
		{`len(veriff.risk_labels) == 2`, T},
		{`veriff.code / 0 > 1`, U},
		{`veriff.code % 100 == 2`, T},
		{`max(veriff.code, 1) == 9102 && min(1, 2, 3) == 1 && abs(-2) == 2`, T},
		{`upper(veriff.status) == "DECLINED" && lower("A") == "a" && trim(" a ") == "a"`, T},
		{`veriff.status matches "^decl"`, T},
		{`veriff.document.expired ? veriff.code > 1 : false`, U},
		{`jaak.ofac.passed ? false : veriff.code > 1`, T},
		{`veriff.status + "!" == "declined!"`, T},
	}
	f := facts(t, known)
	sc := &scope{cat: f.Catalog(), derived: map[string]int{}, namespaces: map[string]bool{"veriff": true, "jaak": true}}
	for _, tt := range tests {
		c, _, errs := compileExpr(tt.src, sc, engine.Bool)
		if len(errs) > 0 {
			t.Errorf("%s: %v", tt.src, errs)
			continue
		}
		got := c.value()(&engine.Env{Facts: f})
		if got.Kind != tt.want.Kind || got.B != tt.want.B {
			t.Errorf("%s = %v, want %v", tt.src, got, tt.want)
		}
	}
}

const evalPolicy = `
policy: eval-test
version: "7"
default: approve
require:
  - id: need-veriff
    description: A Veriff decision is required.
    facts: [veriff.status]
derive:
  - name: sanctioned
    description: Failed OFAC.
    expr: jaak.ofac.passed == false
rules:
  - id: declined
    description: Veriff declined.
    when: veriff.status == "declined"
    outcome: reject
    reason: "Veriff declined (code {veriff.code})"
  - id: sanctions
    description: OFAC hit.
    when: sanctioned
    outcome: reject
    reason: OFAC hit
  - id: renapo
    description: RENAPO must confirm, but only when checked.
    when: jaak.renapo.passed == false
    outcome: review
    reason: RENAPO did not confirm
    unknown: ignore
  - id: expired-doc
    description: Expired documents are reviewed.
    when: veriff.document.expired
    outcome: review
    reason: expired
  - id: new-score-rule
    description: Trying a stricter threshold.
    when: veriff.risk_score > 0.2
    outcome: reject
    reason: "score {veriff.risk_score}"
    shadow: true
scores:
  - id: risk
    description: Risk points.
    terms:
      - when: veriff.risk_score > 0.5
        points: 50
      - when: '"device_emulator" in veriff.risk_labels'
        points: 30
    thresholds:
      - min: 80
        outcome: reject
        reason: high risk
      - min: 30
        outcome: review
        reason: medium risk
`

func compileEval(t testing.TB) *engine.Policy {
	p, err := Compile("eval.yaml", []byte(evalPolicy), testCatalog())
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return p
}

func TestPolicyDecisions(t *testing.T) {
	p := compileEval(t)
	clean := map[string]engine.Value{
		"veriff.status":           engine.StringValue("approved"),
		"veriff.code":             engine.NumberValue(9001),
		"veriff.document.expired": F,
		"veriff.risk_score":       engine.NumberValue(0.1),
		"veriff.risk_labels":      engine.ListValue([]string{}),
		"jaak.ofac.passed":        T,
	}
	with := func(kv ...any) map[string]engine.Value {
		m := map[string]engine.Value{}
		for k, v := range clean {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if v, ok := kv[i+1].(engine.Value); ok && v.Known() {
				m[kv[i].(string)] = v
			} else {
				delete(m, kv[i].(string))
			}
		}
		return m
	}
	tests := []struct {
		name    string
		facts   map[string]engine.Value
		outcome engine.Outcome
		fired   []string
		missing []string
		shadow  []string
	}{
		{"clean approves by default", clean, engine.Approve, nil, nil, nil},
		{"declined rejects", with("veriff.status", engine.StringValue("declined"), "veriff.code", engine.NumberValue(9102)), engine.Reject, []string{"declined"}, nil, nil},
		{"missing Veriff is a review, never an approval", with("veriff.status", U), engine.Review, nil, []string{"veriff.status"}, nil},
		{"unknown OFAC through a derived fact is a review", with("jaak.ofac.passed", U), engine.Review, nil, []string{"jaak.ofac.passed"}, nil},
		{"unknown RENAPO is ignored where the rule says so", clean, engine.Approve, nil, nil, nil},
		{"RENAPO failure reviews", with("jaak.renapo.passed", F), engine.Review, []string{"renapo"}, nil, nil},
		{"reject beats review", with("jaak.renapo.passed", F, "jaak.ofac.passed", F), engine.Reject, []string{"sanctions", "renapo"}, nil, nil},
		{"shadow rule reports but does not decide", with("veriff.risk_score", engine.NumberValue(0.3)), engine.Approve, nil, nil, []string{"new-score-rule"}},
		{"score threshold reached", with("veriff.risk_score", engine.NumberValue(0.6), "veriff.risk_labels", engine.ListValue([]string{"device_emulator"})), engine.Reject, []string{"risk"}, nil, []string{"new-score-rule"}},
		{"score middle threshold", with("veriff.risk_labels", engine.ListValue([]string{"device_emulator"})), engine.Review, []string{"risk"}, nil, nil},
		{"unknown score terms that could reach a threshold ask for review", with("veriff.risk_score", U), engine.Review, nil, []string{"veriff.risk_score"}, nil},
	}
	for _, tt := range tests {
		d := p.Evaluate(facts(t, tt.facts))
		if _, known := tt.facts["jaak.renapo.passed"]; !known {
			if len(d.Skipped) != 1 || d.Skipped[0].Rule != "renapo" || !slices.Equal(d.Skipped[0].Missing, []string{"jaak.renapo.passed"}) {
				t.Errorf("%s: the unchecked RENAPO rule is not listed as skipped: %+v", tt.name, d.Skipped)
			}
		}
		var fired []string
		for _, r := range d.Reasons {
			if r.Kind == engine.KindRule || r.Kind == engine.KindScore {
				fired = append(fired, r.Rule)
			}
		}
		var shadow []string
		for _, r := range d.Shadow {
			if r.Kind != engine.KindIndeterminate {
				shadow = append(shadow, r.Rule)
			}
		}
		if d.Outcome != tt.outcome || !slices.Equal(fired, tt.fired) || !slices.Equal(d.Missing, tt.missing) || !slices.Equal(shadow, tt.shadow) {
			t.Errorf("%s: got %s fired=%v missing=%v shadow=%v; want %s fired=%v missing=%v shadow=%v\nreasons: %+v",
				tt.name, d.Outcome, fired, d.Missing, shadow, tt.outcome, tt.fired, tt.missing, tt.shadow, d.Reasons)
		}
	}
}

func TestDecisionExplains(t *testing.T) {
	p := compileEval(t)
	d := p.Evaluate(facts(t, map[string]engine.Value{
		"veriff.status": engine.StringValue("declined"), "veriff.code": engine.NumberValue(9102), "jaak.ofac.passed": T,
		"veriff.document.expired": F, "veriff.risk_score": engine.NumberValue(0), "veriff.risk_labels": engine.ListValue(nil),
	}), engine.WithTrace())
	if len(d.Reasons) != 1 {
		t.Fatalf("reasons: %+v", d.Reasons)
	}
	r := d.Reasons[0]
	if r.Message != "Veriff declined (code 9102)" || r.Outcome != engine.Reject {
		t.Errorf("reason = %+v", r)
	}
	if len(r.Facts) != 1 || r.Facts[0].Name != "veriff.status" || r.Facts[0].Value.S != "declined" {
		t.Errorf("facts used = %+v", r.Facts)
	}
	if d.Policy.Name != "eval-test" || d.Policy.Version != "7" || len(d.Policy.Hash) != 64 {
		t.Errorf("policy ref = %+v", d.Policy)
	}
	if len(d.Trace) != 1+5+1 {
		t.Errorf("trace has %d entries: %+v", len(d.Trace), d.Trace)
	}
}

// TestConcurrentEvaluation: one compiled policy, many goroutines (run with -race).
func TestConcurrentEvaluation(t *testing.T) {
	p := compileEval(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			status := "approved"
			want := engine.Approve
			if g%2 == 1 {
				status, want = "declined", engine.Reject
			}
			f := facts(t, map[string]engine.Value{"veriff.status": engine.StringValue(status), "jaak.ofac.passed": T,
				"veriff.document.expired": F, "veriff.risk_score": engine.NumberValue(0), "veriff.risk_labels": engine.ListValue(nil)})
			for i := 0; i < 500; i++ {
				if d := p.Evaluate(f); d.Outcome != want {
					t.Errorf("goroutine %d: %s, want %s", g, d.Outcome, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
