package engine

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// The test catalog: one provider "p" whose facts cover every kind and
// polarity. The slots are the constants below.
const (
	slotOK     = iota // p.ok: bool, adverse false
	slotFlag          // p.flag: bool, adverse true
	slotRisk          // p.risk: number, higher worse, limit 70
	slotMatch         // p.match: number, lower worse, limit 0.5
	slotStatus        // p.status: string, adverse "declined"
	slotLabels        // p.labels: list, adverse non-empty
	slotDoc           // p.doc: string, informational
)

var testNames = []string{"p.ok", "p.flag", "p.risk", "p.match", "p.status", "p.labels", "p.doc"}

func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	seventy, half := 70.0, 0.5
	c, err := NewCatalog([]FactSpec{
		{Name: "p.ok", Kind: Bool, Provider: "p", Description: "a check passed", Polarity: AdverseFalse},
		{Name: "p.flag", Kind: Bool, Provider: "p", Description: "a fraud flag", Polarity: AdverseTrue},
		{Name: "p.risk", Kind: Number, Provider: "p", Description: "a risk score", Polarity: HigherWorse, Limit: &seventy},
		{Name: "p.match", Kind: Number, Provider: "p", Description: "a similarity", Polarity: LowerWorse, Limit: &half},
		{Name: "p.status", Kind: String, Provider: "p", Description: "a status", Polarity: AdverseValues,
			Values: []string{"approved", "declined", "pending"}, Adverse: []string{"declined"}},
		{Name: "p.labels", Kind: List, Provider: "p", Description: "risk labels", Polarity: AdverseNonEmpty},
		{Name: "p.doc", Kind: String, Provider: "p", Description: "a document type"},
	}, []FactSpec{
		{Name: "q.seen", Kind: Bool, Provider: "q", Description: "another provider's fact"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ref names a catalog fact of the test catalog.
func ref(slot int) Ref { return Ref{Name: testNames[slot], Fact: slot, Derived: -1} }

// dref names derived fact d of a policy.
func dref(name string, d int) Ref { return Ref{Name: name, Fact: -1, Derived: d} }

// isTrue is "slot", isFalse is "not slot": unknown when the fact is.
func isTrue(r Ref) Cond  { return func(env *Env) Tri { return r.Value(env).Tri() } }
func isFalse(r Ref) Cond { return not(isTrue(r)) }

func not(c Cond) Cond {
	return func(env *Env) Tri {
		switch c(env) {
		case TriTrue:
			return TriFalse
		case TriFalse:
			return TriTrue
		}
		return TriUnknown
	}
}

// and is Kleene conjunction.
func and(cs ...Cond) Cond {
	return func(env *Env) Tri {
		out := TriTrue
		for _, c := range cs {
			switch c(env) {
			case TriFalse:
				return TriFalse
			case TriUnknown:
				out = TriUnknown
			}
		}
		return out
	}
}

// atLeast is "slot >= n": unknown when the fact is not a known number.
func atLeast(r Ref, n float64) Cond {
	return func(env *Env) Tri {
		v := r.Value(env)
		if v.Kind != Number {
			return TriUnknown
		}
		return TriOf(v.N >= n)
	}
}

// always is a condition with a fixed result.
func always(t Tri) Cond { return func(*Env) Tri { return t } }

func text(s string) Template { return Template{Text: []string{s}} }

// rule builds a deciding rule.
func rule(id string, o Outcome, when Cond, refs ...Ref) Rule {
	return Rule{ID: id, Outcome: o, When: when, Refs: refs, Message: text(id + " fired")}
}

func policy(t testing.TB, def Outcome) *Policy {
	return &Policy{Name: "test", Version: "1", Hash: "h", Default: def, Catalog: testCatalog(t)}
}

// facts returns a fact set of the policy's catalog with the given values.
func facts(p *Policy, vals map[int]Value) *Facts {
	f := NewFacts(p.Catalog)
	s := f.Sink("p")
	for i, v := range vals {
		s.Replace(i, v)
	}
	return f
}

func reasonIDs(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Rule+":"+r.Kind+":"+r.Outcome.String())
	}
	return out
}

func skipIDs(ss []Skip) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Rule+":"+s.Outcome.String()+":"+strings.Join(s.Missing, ","))
	}
	return out
}

// check compares a decision with what a test expects of it.
type want struct {
	outcome Outcome
	deflt   bool
	reasons []string // rule:kind:outcome, in order
	shadow  []string
	missing []string
	skipped []string // rule:outcome:missing,...
}

func (w want) check(t *testing.T, d Decision) {
	t.Helper()
	if d.Outcome != w.outcome {
		t.Errorf("outcome = %s, want %s", d.Outcome, w.outcome)
	}
	if d.DefaultApplied != w.deflt {
		t.Errorf("DefaultApplied = %v, want %v", d.DefaultApplied, w.deflt)
	}
	if got := reasonIDs(d.Reasons); !slices.Equal(got, w.reasons) {
		t.Errorf("reasons = %q, want %q", got, w.reasons)
	}
	if got := reasonIDs(d.Shadow); !slices.Equal(got, w.shadow) {
		t.Errorf("shadow = %q, want %q", got, w.shadow)
	}
	if !slices.Equal(d.Missing, w.missing) {
		t.Errorf("missing = %q, want %q", d.Missing, w.missing)
	}
	if got := skipIDs(d.Skipped); !slices.Equal(got, w.skipped) {
		t.Errorf("skipped = %q, want %q", got, w.skipped)
	}
}

func TestRequirements(t *testing.T) {
	tests := []struct {
		name string
		out  Outcome
		vals map[int]Value
		want want
	}{
		{"met", Review, map[int]Value{slotOK: BoolValue(true), slotDoc: StringValue("ine")},
			want{outcome: Approve, deflt: true}},
		{"a known false meets it", Review, map[int]Value{slotOK: BoolValue(false), slotDoc: StringValue("ine")},
			want{outcome: Approve, deflt: true}},
		{"unmet review", Review, map[int]Value{slotOK: BoolValue(true)},
			want{outcome: Review, reasons: []string{"req:requirement:review"}, missing: []string{"p.doc"}}},
		{"unmet reject", Reject, map[int]Value{slotDoc: StringValue("ine")},
			want{outcome: Reject, reasons: []string{"req:requirement:reject"}, missing: []string{"p.ok"}}},
		{"both unknown", Reject, nil,
			want{outcome: Reject, reasons: []string{"req:requirement:reject"}, missing: []string{"p.doc", "p.ok"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy(t, Approve)
			// No rule reads the required facts: the requirement alone decides.
			p.Requirements = []Requirement{{ID: "req", Facts: []Ref{ref(slotOK), ref(slotDoc)}, Outcome: tt.out,
				Message: Template{Text: []string{"need ok (", ")"}, Refs: []Ref{ref(slotOK)}}}}
			p.Rules = []Rule{rule("other", Reject, isTrue(ref(slotFlag)), ref(slotFlag))}
			vals := map[int]Value{slotFlag: BoolValue(false)}
			for k, v := range tt.vals {
				vals[k] = v
			}
			d := p.Evaluate(facts(p, vals))
			tt.want.check(t, d)
			if len(d.Reasons) == 1 {
				r := d.Reasons[0]
				if want := "need ok (" + vals[slotOK].String() + ")"; r.Message != want {
					t.Errorf("message = %q, want %q", r.Message, want)
				}
				// The reason lists the unknown facts in the requirement's order.
				var inOrder []string
				for _, n := range []string{"p.ok", "p.doc"} {
					if slices.Contains(tt.want.missing, n) {
						inOrder = append(inOrder, n)
					}
				}
				if !slices.Equal(r.Missing, inOrder) {
					t.Errorf("reason missing = %q, want %q", r.Missing, inOrder)
				}
			}
		})
	}
}

func TestRules(t *testing.T) {
	ok, flag, risk := ref(slotOK), ref(slotFlag), ref(slotRisk)
	tests := []struct {
		name  string
		rules []Rule
		def   Outcome
		vals  map[int]Value
		want  want
	}{
		{"reject fires", []Rule{rule("r", Reject, isTrue(flag), flag)}, Approve,
			map[int]Value{slotFlag: BoolValue(true)},
			want{outcome: Reject, reasons: []string{"r:rule:reject"}}},
		{"review fires", []Rule{rule("r", Review, isFalse(ok), ok)}, Approve,
			map[int]Value{slotOK: BoolValue(false)},
			want{outcome: Review, reasons: []string{"r:rule:review"}}},
		{"false does nothing", []Rule{rule("r", Reject, isTrue(flag), flag)}, Approve,
			map[int]Value{slotFlag: BoolValue(false)},
			want{outcome: Approve, deflt: true}},
		{"default review when nothing decides", []Rule{rule("r", Reject, isTrue(flag), flag)}, Review,
			map[int]Value{slotFlag: BoolValue(false)},
			want{outcome: Review, deflt: true}},
		{"approve rule beats a review default", []Rule{rule("a", Approve, isTrue(ok), ok)}, Review,
			map[int]Value{slotOK: BoolValue(true)},
			want{outcome: Approve, reasons: []string{"a:rule:approve"}}},
		{"undecided review", []Rule{rule("r", Review, isFalse(ok), ok)}, Approve, nil,
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.ok"}}},
		{"undecided reject is a review", []Rule{rule("r", Reject, isTrue(flag), flag)}, Approve, nil,
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.flag"}}},
		{"undecided reject, unknown ignored", []Rule{func() Rule {
			r := rule("r", Reject, isTrue(flag), flag)
			r.IgnoreUnknown = true
			return r
		}()}, Approve, nil,
			want{outcome: Approve, deflt: true, skipped: []string{"r:reject:p.flag"}}},
		{"undecided review, unknown ignored", []Rule{func() Rule {
			r := rule("r", Review, isFalse(ok), ok)
			r.IgnoreUnknown = true
			return r
		}()}, Approve, nil,
			want{outcome: Approve, deflt: true, skipped: []string{"r:review:p.ok"}}},
		{"undecided approve is skipped", []Rule{rule("a", Approve, isTrue(ok), ok)}, Review, nil,
			want{outcome: Review, deflt: true, skipped: []string{"a:approve:p.ok"}}},
		{"undecided approve with a known fact", []Rule{rule("a", Approve, and(isTrue(ok), atLeast(risk, 0)), ok, risk)}, Review,
			map[int]Value{slotRisk: NumberValue(3)},
			want{outcome: Review, deflt: true, skipped: []string{"a:approve:p.ok"}}},
		{"reasons sorted by outcome, stable", []Rule{
			rule("rev1", Review, isFalse(ok), ok),
			rule("rej", Reject, isTrue(flag), flag),
			rule("app", Approve, atLeast(risk, 0), risk),
			rule("rev2", Review, atLeast(risk, 5), risk),
		}, Approve, map[int]Value{slotOK: BoolValue(false), slotFlag: BoolValue(true), slotRisk: NumberValue(5)},
			want{outcome: Reject, reasons: []string{"rej:rule:reject", "rev1:rule:review", "rev2:rule:review", "app:rule:approve"}}},
		{"a fired reject beats an undecided rule", []Rule{
			rule("u", Review, isFalse(ok), ok),
			rule("rej", Reject, isTrue(flag), flag),
		}, Approve, map[int]Value{slotFlag: BoolValue(true)},
			want{outcome: Reject, reasons: []string{"rej:rule:reject", "u:indeterminate:review"}, missing: []string{"p.ok"}}},
		{"missing sorted and once", []Rule{
			rule("u1", Review, and(isFalse(ok), isTrue(flag)), ok, flag),
			rule("u2", Review, isTrue(flag), flag),
		}, Approve, nil,
			want{outcome: Review, reasons: []string{"u1:indeterminate:review", "u2:indeterminate:review"}, missing: []string{"p.flag", "p.ok"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy(t, tt.def)
			p.Rules = tt.rules
			d := p.Evaluate(facts(p, tt.vals))
			tt.want.check(t, d)
		})
	}
}

func TestRuleReasonContents(t *testing.T) {
	p := policy(t, Approve)
	risk, ok := ref(slotRisk), ref(slotOK)
	r := rule("high", Reject, atLeast(risk, 70), risk, ok)
	r.Message = Template{Text: []string{"risk ", " (ok: ", ")"}, Refs: []Ref{risk, ok}}
	p.Rules = []Rule{r, rule("und", Review, and(isFalse(ok), atLeast(risk, 0)), ok, risk)}
	d := p.Evaluate(facts(p, map[int]Value{slotRisk: NumberValue(70)}))
	if len(d.Reasons) != 2 {
		t.Fatalf("reasons = %q", reasonIDs(d.Reasons))
	}
	fired := d.Reasons[0]
	if fired.Message != "risk 70 (ok: unknown)" {
		t.Errorf("message = %q", fired.Message)
	}
	wantFacts := []FactValue{{"p.risk", NumberValue(70)}, {"p.ok", Value{}}}
	if !slices.EqualFunc(fired.Facts, wantFacts, func(a, b FactValue) bool { return a.Name == b.Name && a.Value.Equal(b.Value) }) {
		t.Errorf("facts = %v, want %v", fired.Facts, wantFacts)
	}
	if fired.Missing != nil {
		t.Errorf("a fired rule lists missing facts %q", fired.Missing)
	}
	und := d.Reasons[1]
	if und.Message != "not decided: p.ok unknown" || !slices.Equal(und.Missing, []string{"p.ok"}) || len(und.Facts) != 2 {
		t.Errorf("undecided reason = %+v", und)
	}
}

// A requirement that already names an undecided rule's facts and asks for
// review makes the rule's reason redundant; facts beyond it do not.
func TestRequirementCoversUndecidedRule(t *testing.T) {
	ok, flag := ref(slotOK), ref(slotFlag)
	tests := []struct {
		name  string
		req   []Ref
		rules []Rule
		want  want
	}{
		{"covered", []Ref{ok}, []Rule{rule("r", Reject, isFalse(ok), ok)},
			want{outcome: Review, reasons: []string{"req:requirement:review"}, missing: []string{"p.ok"}}},
		{"not covered", []Ref{ok}, []Rule{rule("r", Reject, and(isFalse(ok), isTrue(flag)), ok, flag)},
			want{outcome: Review, reasons: []string{"req:requirement:review", "r:indeterminate:review"}, missing: []string{"p.flag", "p.ok"}}},
		{"an undecided rule does not cover another", []Ref{ref(slotDoc)}, []Rule{
			rule("r1", Reject, isTrue(flag), flag),
			rule("r2", Review, isTrue(flag), flag),
		}, want{outcome: Review, reasons: []string{"req:requirement:review", "r1:indeterminate:review", "r2:indeterminate:review"},
			missing: []string{"p.doc", "p.flag"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy(t, Approve)
			p.Requirements = []Requirement{{ID: "req", Facts: tt.req, Outcome: Review}}
			p.Rules = tt.rules
			tt.want.check(t, p.Evaluate(facts(p, nil)))
		})
	}
}

func TestShadowIsolation(t *testing.T) {
	flag, ok := ref(slotFlag), ref(slotOK)
	shadow := func(r Rule) Rule { r.Shadow = true; return r }
	tests := []struct {
		name  string
		def   Outcome
		rules []Rule
		vals  map[int]Value
		want  want
	}{
		{"fired reject", Approve, []Rule{shadow(rule("s", Reject, isTrue(flag), flag))},
			map[int]Value{slotFlag: BoolValue(true)},
			want{outcome: Approve, deflt: true, shadow: []string{"s:rule:reject"}}},
		{"fired approve", Review, []Rule{shadow(rule("s", Approve, isTrue(ok), ok))},
			map[int]Value{slotOK: BoolValue(true)},
			want{outcome: Review, deflt: true, shadow: []string{"s:rule:approve"}}},
		{"undecided", Approve, []Rule{shadow(rule("s", Reject, isTrue(flag), flag))}, nil,
			want{outcome: Approve, deflt: true, shadow: []string{"s:indeterminate:reject"}}},
		{"undecided, unknown ignored", Approve, []Rule{func() Rule {
			r := shadow(rule("s", Reject, isTrue(flag), flag))
			r.IgnoreUnknown = true
			return r
		}()}, nil,
			want{outcome: Approve, deflt: true, shadow: []string{"s:indeterminate:reject"}}},
		{"beside a deciding rule", Approve, []Rule{
			shadow(rule("s", Reject, isTrue(flag), flag)),
			rule("r", Review, isFalse(ok), ok),
		}, map[int]Value{slotFlag: BoolValue(true), slotOK: BoolValue(false)},
			want{outcome: Review, reasons: []string{"r:rule:review"}, shadow: []string{"s:rule:reject"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy(t, tt.def)
			p.Rules = tt.rules
			d := p.Evaluate(facts(p, tt.vals))
			tt.want.check(t, d)
			if got := d.Fired(); tt.vals != nil && !slices.Contains(got, "s") {
				t.Errorf("Fired = %q, want the shadow rule", got)
			}
		})
	}
	p := policy(t, Approve)
	p.Rules = []Rule{shadow(rule("s", Reject, isTrue(flag), flag))}
	if d := p.Evaluate(facts(p, nil)); d.Shadow[0].Message != "not decided: p.flag unknown" || !slices.Equal(d.Shadow[0].Missing, []string{"p.flag"}) {
		t.Errorf("undecided shadow = %+v", d.Shadow[0])
	}
}

// scorePolicy: a score with a reject threshold at 10 and a review one at
// 5; term i adds points[i] when its condition (always cond[i]) holds.
func scorePolicy(t *testing.T, cond []Tri, points []float64) *Policy {
	p := policy(t, Approve)
	s := Score{ID: "s", Thresholds: []Threshold{
		{Min: 10, Outcome: Reject, Message: text("reached 10")},
		{Min: 5, Outcome: Review, Message: Template{Text: []string{"reached 5, risk ", ""}, Refs: []Ref{ref(slotRisk)}}},
	}}
	for i := range cond {
		s.Terms = append(s.Terms, Term{When: always(cond[i]), Points: points[i], Refs: []Ref{ref(i)}})
	}
	p.Scores = []Score{s}
	return p
}

func TestScores(t *testing.T) {
	T, F, U := TriTrue, TriFalse, TriUnknown
	tests := []struct {
		name    string
		cond    []Tri
		points  []float64
		ignore  bool
		shadow  bool
		res     ScoreResult
		want    want
		message string
	}{
		{"nothing", []Tri{F, F}, []float64{5, 5}, false, false,
			ScoreResult{ID: "s", Result: ResultNotFired}, want{outcome: Approve, deflt: true}, ""},
		{"just below review", []Tri{T, F}, []float64{4.99, 5}, false, false,
			ScoreResult{ID: "s", Points: 4.99, Result: ResultNotFired}, want{outcome: Approve, deflt: true}, ""},
		{"exactly review", []Tri{T, F}, []float64{5, 5}, false, false,
			ScoreResult{ID: "s", Points: 5, Result: ResultFired, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:score:review"}}, "reached 5, risk unknown"},
		{"just below reject", []Tri{T, T}, []float64{5, 4.99}, false, false,
			ScoreResult{ID: "s", Points: 9.99, Result: ResultFired, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:score:review"}}, "reached 5, risk unknown"},
		{"exactly reject", []Tri{T, T}, []float64{5, 5}, false, false,
			ScoreResult{ID: "s", Points: 10, Result: ResultFired, Outcome: Reject},
			want{outcome: Reject, reasons: []string{"s:score:reject"}}, "reached 10"},
		{"negative points", []Tri{T, T, T}, []float64{10, 5, -6}, false, false,
			ScoreResult{ID: "s", Points: 9, Result: ResultFired, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:score:review"}}, "reached 5, risk unknown"},
		{"unknown could reach reject", []Tri{T, U}, []float64{5, 5}, false, false,
			ScoreResult{ID: "s", Points: 5, UnknownPoints: 5, Result: ResultIndeterminate, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:indeterminate:review"}, missing: []string{"p.flag"}},
			"score 5 could reach 10 (reject): p.flag unknown"},
		{"unknown could reach review", []Tri{U, F}, []float64{5, 5}, false, false,
			ScoreResult{ID: "s", UnknownPoints: 5, Result: ResultIndeterminate, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:indeterminate:review"}, missing: []string{"p.ok"}},
			"score 0 could reach 5 (review): p.ok unknown"},
		{"unknown falls just short", []Tri{T, U}, []float64{5, 4.99}, false, false,
			ScoreResult{ID: "s", Points: 5, UnknownPoints: 4.99, Result: ResultFired, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:score:review"}}, "reached 5, risk unknown"},
		{"unknown cannot pass the strictest", []Tri{T, U}, []float64{10, 5}, false, false,
			ScoreResult{ID: "s", Points: 10, UnknownPoints: 5, Result: ResultFired, Outcome: Reject},
			want{outcome: Reject, reasons: []string{"s:score:reject"}}, "reached 10"},
		{"unknown below every threshold", []Tri{U, F}, []float64{4.99, 5}, false, false,
			ScoreResult{ID: "s", UnknownPoints: 4.99, Result: ResultNotFired}, want{outcome: Approve, deflt: true}, ""},
		{"unknown negative points count nothing", []Tri{T, U}, []float64{5, -5}, false, false,
			ScoreResult{ID: "s", Points: 5, Result: ResultFired, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:score:review"}}, "reached 5, risk unknown"},
		{"ignored unknown, below", []Tri{U, F}, []float64{5, 5}, true, false,
			ScoreResult{ID: "s", UnknownPoints: 5, Result: ResultNotFired},
			want{outcome: Approve, deflt: true, skipped: []string{"s:review:p.ok"}}, ""},
		{"ignored unknown, reached", []Tri{T, U}, []float64{5, 5}, true, false,
			ScoreResult{ID: "s", Points: 5, UnknownPoints: 5, Result: ResultFired, Outcome: Review},
			want{outcome: Review, reasons: []string{"s:score:review"}, skipped: []string{"s:reject:p.flag"}}, "reached 5, risk unknown"},
		{"ignored unknown that could not matter", []Tri{T, U}, []float64{10, 5}, true, false,
			ScoreResult{ID: "s", Points: 10, UnknownPoints: 5, Result: ResultFired, Outcome: Reject},
			want{outcome: Reject, reasons: []string{"s:score:reject"}}, "reached 10"},
		{"shadow reached", []Tri{T, T}, []float64{5, 5}, false, true,
			ScoreResult{ID: "s", Points: 10, Result: ResultFired, Outcome: Reject},
			want{outcome: Approve, deflt: true, shadow: []string{"s:score:reject"}}, ""},
		{"shadow undecided", []Tri{U, U}, []float64{5, 5}, false, true,
			ScoreResult{ID: "s", UnknownPoints: 10, Result: ResultIndeterminate, Outcome: Review},
			want{outcome: Approve, deflt: true, shadow: []string{"s:indeterminate:review"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scorePolicy(t, tt.cond, tt.points)
			p.Scores[0].IgnoreUnknown, p.Scores[0].Shadow = tt.ignore, tt.shadow
			d := p.Evaluate(facts(p, nil))
			tt.want.check(t, d)
			if len(d.Scores) != 1 || d.Scores[0] != tt.res {
				t.Errorf("scores = %+v, want %+v", d.Scores, tt.res)
			}
			if tt.message != "" && (len(d.Reasons) == 0 || d.Reasons[0].Message != tt.message) {
				t.Errorf("reasons = %+v, want message %q", d.Reasons, tt.message)
			}
		})
	}
}

// The facts of a score's reason are those of its true terms.
func TestScoreReasonFacts(t *testing.T) {
	p := scorePolicy(t, []Tri{TriTrue, TriFalse, TriTrue}, []float64{5, 5, 0})
	d := p.Evaluate(facts(p, nil))
	var names []string
	for _, f := range d.Reasons[0].Facts {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"p.ok", "p.risk"}) {
		t.Errorf("score reason facts = %q", names)
	}
	if got := d.Fired(); !slices.Equal(got, []string{"s"}) {
		t.Errorf("Fired = %q", got)
	}
}

// Only the unknown terms' facts are missing, and a requirement that names
// them too leaves each listed once.
func TestScoreMissing(t *testing.T) {
	p := scorePolicy(t, []Tri{TriTrue, TriUnknown, TriFalse, TriUnknown}, []float64{5, 3, 5, 3})
	p.Requirements = []Requirement{{ID: "req", Facts: []Ref{ref(slotFlag)}, Outcome: Review}}
	d := p.Evaluate(facts(p, map[int]Value{slotOK: BoolValue(true), slotRisk: NumberValue(1)}))
	want{outcome: Review, reasons: []string{"req:requirement:review", "s:indeterminate:review"},
		missing: []string{"p.flag", "p.match"}}.check(t, d)
	if r := d.Reasons[1]; !slices.Equal(r.Missing, []string{"p.flag", "p.match"}) {
		t.Errorf("score missing = %q", r.Missing)
	}
}

func TestScoreApproveThreshold(t *testing.T) {
	p := policy(t, Review)
	p.Scores = []Score{{ID: "s", Thresholds: []Threshold{{Min: 5, Outcome: Review}, {Min: 1, Outcome: Approve}},
		Terms: []Term{{When: always(TriTrue), Points: 1}, {When: always(TriUnknown), Points: 3, Refs: []Ref{ref(slotOK)}}}}}
	// 1 known point reaches approve; 4 in all could not reach review.
	d := p.Evaluate(facts(p, nil))
	want{outcome: Approve, reasons: []string{"s:score:approve"}}.check(t, d)
	// An unknown term that could only reach approve is not a review.
	p = policy(t, Review)
	p.Scores = []Score{{ID: "s", Thresholds: []Threshold{{Min: 1, Outcome: Approve}},
		Terms: []Term{{When: always(TriUnknown), Points: 3, Refs: []Ref{ref(slotOK)}}}}}
	d = p.Evaluate(facts(p, nil))
	want{outcome: Review, deflt: true}.check(t, d)
	if d.Scores[0].Result != ResultNotFired {
		t.Errorf("score = %+v", d.Scores[0])
	}
}

func TestDerivedFacts(t *testing.T) {
	ok, flag, risk := ref(slotOK), ref(slotFlag), ref(slotRisk)
	// clean = ok and not flag; risky = not clean or risk >= 70.
	clean := Derived{Name: "clean", Kind: Bool, Refs: []Ref{ok, flag},
		Expr: func(env *Env) Value { return and(isTrue(ok), isFalse(flag))(env).Value() }}
	risky := Derived{Name: "risky", Kind: Bool, Refs: []Ref{dref("clean", 0), risk},
		Expr: func(env *Env) Value {
			c, r := not(isTrue(dref("clean", 0)))(env), atLeast(risk, 70)(env)
			if c == TriTrue || r == TriTrue {
				return BoolValue(true)
			}
			if c == TriFalse && r == TriFalse {
				return BoolValue(false)
			}
			return Value{}
		}}
	tests := []struct {
		name string
		rule Rule
		vals map[int]Value
		want want
	}{
		{"fires through two levels", rule("r", Reject, isTrue(dref("risky", 1)), dref("risky", 1)),
			map[int]Value{slotOK: BoolValue(false)},
			want{outcome: Reject, reasons: []string{"r:rule:reject"}}},
		{"false through two levels", rule("r", Reject, isTrue(dref("risky", 1)), dref("risky", 1)),
			map[int]Value{slotOK: BoolValue(true), slotFlag: BoolValue(false), slotRisk: NumberValue(69)},
			want{outcome: Approve, deflt: true}},
		{"missing names the base facts", rule("r", Reject, isTrue(dref("risky", 1)), dref("risky", 1)),
			map[int]Value{slotOK: BoolValue(true), slotFlag: BoolValue(false)},
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.risk"}}},
		{"missing names every unknown base fact", rule("r", Reject, isTrue(dref("risky", 1)), dref("risky", 1)),
			nil,
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.flag", "p.ok", "p.risk"}}},
		{"a known derived fact needs nothing more", rule("r", Review, and(isTrue(dref("clean", 0)), atLeast(risk, 0)), dref("clean", 0), risk),
			map[int]Value{slotOK: BoolValue(true), slotFlag: BoolValue(false)},
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.risk"}}},
		{"a known false derived fact hides its unknown bases", rule("r", Review, and(isFalse(dref("clean", 0)), atLeast(risk, 0)), dref("clean", 0), risk),
			map[int]Value{slotFlag: BoolValue(true)},
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.risk"}}},
		{"a known false derived fact decides", rule("r", Review, and(isTrue(dref("clean", 0)), isTrue(ok)), dref("clean", 0), ok),
			map[int]Value{slotFlag: BoolValue(true)},
			want{outcome: Approve, deflt: true}},
		{"read directly and through a known derived fact", rule("r", Review, and(isFalse(dref("clean", 0)), isTrue(ok)), dref("clean", 0), ok),
			map[int]Value{slotFlag: BoolValue(true)},
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.ok"}}},
		{"read through a known derived fact, then directly", rule("r", Review, and(isTrue(ok), isFalse(dref("clean", 0))), ok, dref("clean", 0)),
			map[int]Value{slotFlag: BoolValue(true)},
			want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.ok"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy(t, Approve)
			p.Derived = []Derived{clean, risky}
			p.Rules = []Rule{tt.rule}
			tt.want.check(t, p.Evaluate(facts(p, tt.vals)))
		})
	}
}

// The derived facts of one evaluation never leak into the next (the
// evaluation state is pooled).
func TestEvaluateReusesNoState(t *testing.T) {
	flag := ref(slotFlag)
	p := policy(t, Approve)
	p.Derived = []Derived{{Name: "d", Kind: Bool, Refs: []Ref{flag}, Expr: func(env *Env) Value { return flag.Value(env) }}}
	p.Rules = []Rule{rule("r", Reject, isTrue(dref("d", 0)), dref("d", 0))}
	for i := 0; i < 3; i++ {
		if d := p.Evaluate(facts(p, map[int]Value{slotFlag: BoolValue(true)})); d.Outcome != Reject {
			t.Fatalf("run %d: %s", i, d.Outcome)
		}
		if d := p.Evaluate(facts(p, nil)); d.Outcome != Review {
			t.Fatalf("run %d: unknown flag gives %s", i, d.Outcome)
		}
	}
}

func TestDecisionMetadata(t *testing.T) {
	p := policy(t, Approve)
	f := facts(p, nil)
	f.CaseID, f.AsOf = "case-1", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Sink("p").Warn(12, "w")
	d := p.Evaluate(f)
	if d.CaseID != "case-1" || !d.EvaluatedAt.Equal(f.AsOf) || d.Policy != (PolicyRef{"test", "1", "h"}) {
		t.Errorf("decision = %+v", d)
	}
	if !slices.Equal(d.Providers, []string{"p"}) || len(d.Warnings) != 1 || d.Warnings[0] != (Warning{Provider: "p", Offset: 12, Message: "w"}) {
		t.Errorf("providers %q, warnings %+v", d.Providers, d.Warnings)
	}
	if d.Reasons == nil || d.Scores != nil || d.Trace != nil || d.Evidence != nil {
		t.Errorf("empty policy: %+v", d)
	}
}

func TestTrace(t *testing.T) {
	ok, flag := ref(slotOK), ref(slotFlag)
	p := scorePolicy(t, []Tri{TriTrue}, []float64{5})
	p.Requirements = []Requirement{
		{ID: "met", Facts: []Ref{ok}, Outcome: Review},
		{ID: "unmet", Facts: []Ref{ref(slotDoc)}, Outcome: Review},
	}
	p.Rules = []Rule{
		rule("fired", Review, isTrue(ok), ok),
		rule("not", Reject, isTrue(flag), flag),
		rule("undecided", Reject, isTrue(ref(slotStatus)), ref(slotStatus)),
	}
	f := facts(p, map[int]Value{slotOK: BoolValue(true), slotFlag: BoolValue(false)})
	d := p.Evaluate(f, WithTrace())
	want := []TraceEntry{{"met", ResultSatisfied}, {"unmet", ResultUnmet}, {"fired", ResultFired},
		{"not", ResultNotFired}, {"undecided", ResultIndeterminate}, {"s", ResultFired}}
	if !slices.Equal(d.Trace, want) {
		t.Errorf("trace = %v, want %v", d.Trace, want)
	}
	if d := p.Evaluate(f); d.Trace != nil {
		t.Errorf("trace without WithTrace: %v", d.Trace)
	}
}

// A decision produced by Evaluate, with every field set, encodes as
// encoding/json encodes it.
func TestEvaluatedDecisionJSON(t *testing.T) {
	ok, flag := ref(slotOK), ref(slotFlag)
	p := scorePolicy(t, []Tri{TriTrue, TriUnknown}, []float64{5, 5})
	p.Default = Review
	p.Requirements = []Requirement{{ID: "req", Facts: []Ref{ref(slotDoc)}, Outcome: Review}}
	sh := rule("sh", Reject, isTrue(flag), flag)
	sh.Shadow = true
	ig := rule("ig", Reject, isTrue(ref(slotMatch)), ref(slotMatch))
	ig.IgnoreUnknown = true
	p.Rules = []Rule{rule("r", Review, isTrue(ok), ok), sh, ig}
	f := facts(p, map[int]Value{slotOK: BoolValue(true), slotFlag: BoolValue(true)})
	f.CaseID, f.AsOf = "c<1>", time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	f.Sink("p").Unreadable(slotOK, 7, "checks.ok", "not a bool")
	d := p.Evaluate(f, WithTrace())
	if d.Shadow == nil || d.Missing == nil || d.Skipped == nil || d.Scores == nil || d.Warnings == nil || d.Evidence == nil || d.Trace == nil {
		t.Fatalf("decision lacks a field: %+v", d)
	}
	type plain Decision
	want, err := json.Marshal(plain(d))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AppendJSON(nil); string(got) != string(want) {
		t.Errorf("AppendJSON:\n got %s\nwant %s", got, want)
	}
}

func TestTemplateRender(t *testing.T) {
	env := &Env{Facts: NewFacts(testCatalog(t)), Derived: []Value{StringValue("d")}}
	env.Facts.Set(slotRisk, NumberValue(1.5))
	tests := []struct {
		t    Template
		want string
	}{
		{Template{}, ""},
		{text("plain"), "plain"},
		{Template{Text: []string{"a ", " b ", "."}, Refs: []Ref{ref(slotRisk), dref("x", 0)}}, "a 1.5 b d."},
		{Template{Text: []string{"", ""}, Refs: []Ref{ref(slotOK)}}, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.t.Render(env); got != tt.want {
			t.Errorf("Render(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// Every rule and score that the policy lets pass is listed, in order.
func TestSkippedKeepsEveryEntry(t *testing.T) {
	ig := func(r Rule) Rule { r.IgnoreUnknown = true; return r }
	p := scorePolicy(t, []Tri{TriUnknown}, []float64{5})
	p.Scores[0].IgnoreUnknown = true
	p.Rules = []Rule{
		ig(rule("r1", Reject, isTrue(ref(slotFlag)), ref(slotFlag))),
		rule("r2", Approve, isTrue(ref(slotOK)), ref(slotOK)),
	}
	d := p.Evaluate(facts(p, nil))
	want{outcome: Approve, deflt: true, skipped: []string{"r1:reject:p.flag", "r2:approve:p.ok", "s:review:p.ok"}}.check(t, d)
}

// A score none of whose terms is unknown is decided by its known points,
// whatever the order of its thresholds' outcomes.
func TestScoreWithoutUnknownTermsIsDecided(t *testing.T) {
	p := policy(t, Approve)
	p.Scores = []Score{{ID: "s", Thresholds: []Threshold{{Min: 10, Outcome: Review}, {Min: 5, Outcome: Reject}},
		Terms: []Term{{When: always(TriTrue), Points: 10, Refs: []Ref{ref(slotOK)}}, {When: always(TriFalse), Points: 5}}}}
	d := p.Evaluate(facts(p, nil))
	want{outcome: Review, reasons: []string{"s:score:review"}}.check(t, d)
	if d.Scores[0].Result != ResultFired {
		t.Errorf("score = %+v", d.Scores[0])
	}
}

// A fact read through two derived facts, both known, is not missing even
// when it is unknown itself.
func TestDerivedFactReachedTwice(t *testing.T) {
	ok, flag, match := ref(slotOK), ref(slotFlag), ref(slotMatch)
	clean, notClean := dref("clean", 0), dref("not_clean", 1)
	p := policy(t, Approve)
	p.Derived = []Derived{
		{Name: "clean", Kind: Bool, Refs: []Ref{ok, flag}, Expr: func(env *Env) Value { return and(isTrue(ok), isFalse(flag))(env).Value() }},
		{Name: "not_clean", Kind: Bool, Refs: []Ref{clean}, Expr: func(env *Env) Value { return not(isTrue(clean))(env).Value() }},
	}
	p.Rules = []Rule{rule("r", Review, and(isTrue(notClean), isFalse(clean), atLeast(match, 0.5)), notClean, clean, match)}
	d := p.Evaluate(facts(p, map[int]Value{slotFlag: BoolValue(true)}))
	want{outcome: Review, reasons: []string{"r:indeterminate:review"}, missing: []string{"p.match"}}.check(t, d)
}

// A fact set reused after Reset carries none of the last case's evidence.
func TestResetFactsDecideAfresh(t *testing.T) {
	p := suspectPolicy(t)
	f := NewFacts(p.Catalog)
	s := f.Sink("p")
	s.Unreadable(slotOK, 1, "ok", "bad")
	if d := p.Evaluate(f); d.Outcome != Review || len(d.Evidence) != 1 {
		t.Fatalf("unreadable: %+v", d)
	}
	f.Reset()
	s = f.Sink("p")
	s.Bool(slotOK, true)
	s.Bool(slotFlag, false)
	if d := p.Evaluate(f); d.Outcome != Approve || d.Evidence != nil || len(d.Reasons) != 0 {
		t.Errorf("after Reset: %+v", d)
	}
}

func TestFired(t *testing.T) {
	d := Decision{
		Reasons: []Reason{{Rule: "rule", Kind: KindRule}, {Rule: "req", Kind: KindRequirement}, {Rule: "score", Kind: KindScore},
			{Rule: "und", Kind: KindIndeterminate}, {Rule: "ev", Kind: KindEvidence}},
		Shadow: []Reason{{Rule: "s-und", Kind: KindIndeterminate}, {Rule: "s-score", Kind: KindScore}, {Rule: "s-rule", Kind: KindRule}},
	}
	if got := d.Fired(); !slices.Equal(got, []string{"rule", "score", "s-score", "s-rule"}) {
		t.Errorf("Fired = %q", got)
	}
	if got := (&Decision{}).Fired(); got != nil {
		t.Errorf("Fired of nothing = %q", got)
	}
}

func TestExplain(t *testing.T) {
	ok := ref(slotOK)
	p := scorePolicy(t, []Tri{TriTrue, TriUnknown}, []float64{5, 5})
	p.Default = Review
	p.Requirements = []Requirement{{ID: "req", Facts: []Ref{ref(slotDoc)}, Outcome: Review, Message: text("a document is needed")}}
	sh := rule("sh", Reject, isTrue(ok), ok)
	sh.Shadow = true
	ig := rule("ig", Reject, isTrue(ref(slotMatch)), ref(slotMatch))
	ig.IgnoreUnknown = true
	p.Rules = []Rule{sh, ig}
	f := facts(p, map[int]Value{slotOK: BoolValue(true)})
	f.CaseID, f.AsOf = "c1", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Sink("p").Warn(9, "a field")
	d := p.Evaluate(f)
	var b strings.Builder
	if err := d.Explain(&b); err != nil {
		t.Fatal(err)
	}
	want := `REVIEW  case c1
policy test 1 (sha256 h), evaluated at 2025-01-02T03:04:05Z
providers: p

Why:
  [review] req (requirement): a document is needed
  [review] s (indeterminate): score 5 could reach 10 (reject): p.flag unknown
      p.ok = true

Shadow rules (reported, not deciding):
  [reject] sh (rule): sh fired
      p.ok = true

Scores:
  s                        5 points (+5 unknown) → review

Evidence the rules needed but did not have:
  - p.doc
  - p.flag

Not checked (facts unknown; the policy lets these pass):
  - ig: p.match unknown

Fields that could not be read (left unknown):
  - p, byte 9: a field
`
	if b.String() != want {
		t.Errorf("Explain:\n%s\nwant:\n%s", b.String(), want)
	}

	// The default, and a score with no outcome.
	p = scorePolicy(t, []Tri{TriFalse}, []float64{5})
	d = p.Evaluate(facts(p, nil))
	b.Reset()
	if err := d.Explain(&b); err != nil {
		t.Fatal(err)
	}
	want = `APPROVE
policy test 1 (sha256 h), evaluated at 0001-01-01T00:00:00Z
providers: p

No rule decided the case: the policy's default outcome (approve) applies.

Scores:
  s                        0 points
`
	if b.String() != want {
		t.Errorf("Explain:\n%s\nwant:\n%s", b.String(), want)
	}
}

// Sections with nothing to show are left out.
func TestExplainLeavesOutEmptySections(t *testing.T) {
	p := policy(t, Approve)
	p.Rules = []Rule{rule("r", Reject, isTrue(ref(slotFlag)), ref(slotFlag))}
	d := p.Evaluate(facts(p, map[int]Value{slotFlag: BoolValue(true)}))
	var b strings.Builder
	if err := d.Explain(&b); err != nil {
		t.Fatal(err)
	}
	want := `REJECT
policy test 1 (sha256 h), evaluated at 0001-01-01T00:00:00Z
providers: p

Why:
  [reject] r (rule): r fired
      p.flag = true
`
	if b.String() != want {
		t.Errorf("Explain:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestPositionString(t *testing.T) {
	for _, tt := range []struct {
		p    Position
		want string
	}{
		{Position{}, "<input>"},
		{Position{File: "p.yaml"}, "p.yaml"},
		{Position{File: "p.yaml", Column: 4}, "p.yaml"},
		{Position{File: "p.yaml", Line: 1}, "p.yaml:1"},
		{Position{File: "p.yaml", Line: 2, Column: 1}, "p.yaml:2:1"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
	e := &Error{Pos: Position{File: "p.yaml", Line: 2, Column: 1}, Msg: "m", Source: "x: y"}
	if got, want := e.Snippet(), "p.yaml:2:1: m\n | x: y\n | ^"; got != want {
		t.Errorf("snippet at column 1:\n%s\nwant:\n%s", got, want)
	}
	e.Pos.Column = 0
	if got := e.Snippet(); got != "p.yaml:2: m" {
		t.Errorf("snippet without a column = %q", got)
	}
}

func TestErrorListSort(t *testing.T) {
	var l ErrorList
	add := func(file string, line, col int, msg string) {
		l.Add(Position{File: file, Line: line, Column: col}, CodeInvalid, msg, "")
	}
	add("b.yaml", 1, 1, "b1")
	add("a.yaml", 3, 2, "a32")
	add("a.yaml", 3, 1, "a31")
	add("a.yaml", 2, 9, "a29")
	add("a.yaml", 3, 1, "a31")
	add("a.yaml", 3, 1, "other")
	l.Sort()
	var got []string
	for _, e := range l {
		got = append(got, e.Msg)
	}
	if want := []string{"a29", "a31", "other", "a32", "b1"}; !slices.Equal(got, want) {
		t.Errorf("sorted = %q, want %q", got, want)
	}
	if !strings.HasPrefix(l.Snippets(), "a.yaml:2:9: a29\na.yaml:3:1: a31\n") || strings.Count(l.Snippets(), "\n") != 5 {
		t.Errorf("snippets = %q", l.Snippets())
	}
	if l.Err() == nil || ErrorList(nil).Error() != "no errors" || l[:1].Error() != "a.yaml:2:9: a29" {
		t.Errorf("errors: %v, %q, %q", l.Err(), ErrorList(nil).Error(), l[:1].Error())
	}
}
