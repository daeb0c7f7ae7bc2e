package rules

import (
	"fmt"
	"math"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// The tests here pin what each operator and function of the policy
// language means, on every path the compiler has for it, at the edges
// (equal operands, unknown and doubtful facts), and what the compiler
// refuses. Each was run against a hand-made mutant of the code it pins,
// and failed.

var (
	unreadable  = engine.Value{E: engine.Unreadable}
	conflicting = engine.Value{Kind: engine.Bool, B: true, E: engine.Conflicting}
)

// evalIn compiles src as a condition and evaluates it on set.
func evalIn(t *testing.T, src string, set map[string]engine.Value) engine.Value {
	t.Helper()
	f := facts(t, set)
	sc := &scope{cat: f.Catalog(), derived: map[string]int{}, namespaces: map[string]bool{"veriff": true, "jaak": true}}
	c, _, errs := compileExpr(src, sc, engine.Bool)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", src, errs)
	}
	return c.value()(&engine.Env{Facts: f})
}

func same(a, b engine.Value) bool { return a.Kind == b.Kind && a.B == b.B }

type evalCase struct {
	src  string
	want engine.Value
}

func checkAll(t *testing.T, set map[string]engine.Value, cases []evalCase) {
	t.Helper()
	for _, tt := range cases {
		if got := evalIn(t, tt.src, set); !same(got, tt.want) {
			t.Errorf("%s = %v, want %v (facts %v)", tt.src, got, tt.want, set)
		}
	}
}

// TestOrderingBoundaries: < <= > >= at, just below and just above the
// other side, on the fast path (a number fact and a literal), the general
// path (any other number expressions), two facts, and strings.
func TestOrderingBoundaries(t *testing.T) {
	set := map[string]engine.Value{
		"veriff.code": engine.NumberValue(9102), "veriff.risk_score": engine.NumberValue(0.5),
		"veriff.status": engine.StringValue("declined"),
	}
	var cases []evalCase
	for _, lhs := range []string{"veriff.code", "veriff.code + 0", "(veriff.code ?? 0)"} {
		for _, c := range []struct {
			op                  string
			below, equal, above bool // the fact compared with 9103, 9102 and 9101
		}{
			{"<", true, false, false},
			{"<=", true, true, false},
			{">", false, false, true},
			{">=", false, true, true},
		} {
			cases = append(cases,
				evalCase{fmt.Sprintf("%s %s 9103", lhs, c.op), engine.BoolValue(c.below)},
				evalCase{fmt.Sprintf("%s %s 9102", lhs, c.op), engine.BoolValue(c.equal)},
				evalCase{fmt.Sprintf("%s %s 9101", lhs, c.op), engine.BoolValue(c.above)})
		}
	}
	cases = append(cases,
		evalCase{"veriff.code > veriff.risk_score", T},
		evalCase{"veriff.code < veriff.risk_score", F},
		evalCase{"veriff.code >= veriff.code", T},
		evalCase{"veriff.code > veriff.code", F},
		evalCase{"veriff.code < veriff.code", F},
		evalCase{"veriff.code <= veriff.code", T},
		evalCase{"9102 >= veriff.code", T},
		evalCase{`veriff.status < "e"`, T},
		evalCase{`veriff.status < "declined"`, F},
		evalCase{`veriff.status <= "declined"`, T},
		evalCase{`veriff.status > "declined"`, F},
		evalCase{`veriff.status > "a"`, T},
		evalCase{`veriff.status >= "declined"`, T},
		evalCase{`veriff.status >= "e"`, F},
		evalCase{`veriff.status + "" > "a"`, T},
	)
	checkAll(t, set, cases)
	// An unknown side is unknown on every path.
	checkAll(t, map[string]engine.Value{"veriff.risk_score": engine.NumberValue(1)}, []evalCase{
		{"veriff.code > 1", U}, {"veriff.code + 0 <= 1", U}, {"veriff.risk_score < veriff.code", U}, {`veriff.status >= "a"`, U},
	})
}

// TestEqualityAndSigns: == between two facts, unary minus and plus on
// facts and literals, and negative literals in a list.
func TestEqualityAndSigns(t *testing.T) {
	set := map[string]engine.Value{"veriff.code": engine.NumberValue(9102), "jaak.ofac.passed": T, "jaak.renapo.passed": F}
	checkAll(t, set, []evalCase{
		{"jaak.ofac.passed == jaak.renapo.passed", F},
		{"jaak.ofac.passed != jaak.renapo.passed", T},
		{"jaak.ofac.passed == jaak.ofac.passed", T},
		{"-veriff.code == -9102", T},
		{"-veriff.code < 0", T},
		{"+veriff.code == 9102", T},
		{"-2 < 0", T},
		{"-(-2) == 2", T},
		{"veriff.code in [-1, 9102]", T},
		{"-veriff.code in [-9102]", T},
		{"-veriff.risk_score < 0", U},
	})
}

// TestLogicTruthTables: && || and ! over every pair of true, false and
// unknown, each side a fact.
func TestLogicTruthTables(t *testing.T) {
	vals := []engine.Value{T, F, U}
	and := func(a, b engine.Value) engine.Value {
		switch {
		case a.False() || b.False():
			return F
		case a.True() && b.True():
			return T
		}
		return U
	}
	or := func(a, b engine.Value) engine.Value {
		switch {
		case a.True() || b.True():
			return T
		case a.False() && b.False():
			return F
		}
		return U
	}
	for _, a := range vals {
		for _, b := range vals {
			set := map[string]engine.Value{}
			if a.Known() {
				set["jaak.ofac.passed"] = a
			}
			if b.Known() {
				set["jaak.renapo.passed"] = b
			}
			not := U
			if a.Known() {
				not = engine.BoolValue(!a.B)
			}
			checkAll(t, set, []evalCase{
				{"jaak.ofac.passed && jaak.renapo.passed", and(a, b)},
				{"jaak.ofac.passed and jaak.renapo.passed", and(a, b)},
				{"jaak.ofac.passed || jaak.renapo.passed", or(a, b)},
				{"jaak.ofac.passed or jaak.renapo.passed", or(a, b)},
				{"!jaak.ofac.passed", not},
				{"not jaak.ofac.passed", not},
			})
		}
	}
}

// TestCoalesceKeepsKnownFalse: a ?? b is a whenever a is reported: a
// known false is not absent, and an unreadable a stays unknown.
func TestCoalesceKeepsKnownFalse(t *testing.T) {
	for _, tt := range []struct {
		ofac       engine.Value
		bare, cmpr engine.Value // jaak.ofac.passed ?? true, and (… ?? true) == false
	}{
		{F, F, T},
		{T, T, F},
		{U, T, F},
		{unreadable, U, U},
	} {
		set := map[string]engine.Value{"jaak.ofac.passed": tt.ofac}
		checkAll(t, set, []evalCase{
			{"jaak.ofac.passed ?? true", tt.bare},
			{"(jaak.ofac.passed ?? true) == false", tt.cmpr},
		})
		if got := evalIn(t, "!(jaak.ofac.passed ?? true)", set); tt.bare.Known() && !same(got, engine.BoolValue(!tt.bare.B)) {
			t.Errorf("!(%v ?? true) = %v", tt.ofac, got)
		}
	}
	checkAll(t, map[string]engine.Value{"veriff.code": engine.NumberValue(0)}, []evalCase{
		{"(veriff.code ?? 7) == 0", T}, {"(veriff.risk_score ?? 7) == 7", T},
	})
}

// TestInAndMatches: in over literals for a fact and for any expression,
// in a list fact, and matches, with unknown operands.
func TestInAndMatches(t *testing.T) {
	set := map[string]engine.Value{
		"veriff.code": engine.NumberValue(9102), "veriff.status": engine.StringValue("declined"),
		"veriff.risk_labels": engine.ListValue([]string{"a", "b"}),
	}
	checkAll(t, set, []evalCase{
		{"veriff.code + 1 in [9103]", T},
		{"veriff.code + 1 in [9102]", F},
		{`upper(veriff.status) in ["DECLINED"]`, T},
		{`veriff.status in ["approved", "review"]`, F},
		{"veriff.risk_score in [1]", U},
		{`"b" in veriff.risk_labels`, T},
		{`"c" in veriff.risk_labels`, F},
		{`veriff.status in veriff.risk_labels`, F},
		{`veriff.status matches "^decl"`, T},
		{`veriff.status matches "^x"`, F},
		{`lower(veriff.status) matches "ined$"`, T},
	})
	checkAll(t, map[string]engine.Value{}, []evalCase{
		{`"b" in veriff.risk_labels`, U}, {`veriff.status matches "x"`, U}, {`veriff.status in ["x"]`, U},
	})
}

// TestEvidenceFunctions: known, reported, unreadable and conflicting of a
// fact in every evidence state; confirmed and refuted over sources.
func TestEvidenceFunctions(t *testing.T) {
	for _, tt := range []struct {
		name                                     string
		v                                        engine.Value
		known, reported, unreadable, conflicting bool
	}{
		{"true", T, true, true, false, false},
		{"false", F, true, true, false, false},
		{"not reported", U, false, false, false, false},
		{"unreadable", unreadable, false, true, true, false},
		{"conflicting", conflicting, true, true, false, true},
	} {
		set := map[string]engine.Value{"jaak.ofac.passed": tt.v}
		checkAll(t, set, []evalCase{
			{"known(jaak.ofac.passed)", engine.BoolValue(tt.known)},
			{"jaak.ofac.passed != nil", engine.BoolValue(tt.known)},
			{"nil == jaak.ofac.passed", engine.BoolValue(!tt.known)},
			{"reported(jaak.ofac.passed)", engine.BoolValue(tt.reported)},
			{"unreadable(jaak.ofac.passed)", engine.BoolValue(tt.unreadable)},
			{"conflicting(jaak.ofac.passed)", engine.BoolValue(tt.conflicting)},
		})
	}
	// confirmed: at least one yes, no no, no doubt; refuted: any no.
	for _, tt := range []struct {
		a, b               engine.Value
		confirmed, refuted engine.Value
	}{
		{T, T, T, F},
		{T, U, T, F},
		{U, U, U, U},
		{T, F, F, T},
		{F, U, F, T},
		{T, conflicting, U, U},
		{T, unreadable, U, U},
		{unreadable, F, F, T},
	} {
		set := map[string]engine.Value{"jaak.ofac.passed": tt.a, "jaak.renapo.passed": tt.b}
		checkAll(t, set, []evalCase{
			{"confirmed(jaak.ofac.passed, jaak.renapo.passed)", tt.confirmed},
			{"refuted(jaak.ofac.passed, jaak.renapo.passed)", tt.refuted},
		})
	}
	checkAll(t, map[string]engine.Value{"jaak.ofac.passed": T}, []evalCase{
		{"confirmed(jaak.ofac.passed)", T}, {"refuted(jaak.ofac.passed)", F},
	})
}

// TestFunctionsAndPredicates: len, min, max, and the quantifiers with
// all-true, mixed and unknown predicates.
func TestFunctionsAndPredicates(t *testing.T) {
	set := map[string]engine.Value{
		"veriff.code": engine.NumberValue(5), "veriff.status": engine.StringValue("declined"),
		"veriff.risk_labels": engine.ListValue([]string{"ab", "ac"}),
	}
	checkAll(t, set, []evalCase{
		{"len(veriff.status) == 8", T},
		{`len("ñu") == 2`, T},
		{"len(veriff.risk_labels) == 2", T},
		{"max(veriff.code, 1, 9) == 9 && max(veriff.code, 1) == 5 && max(1, veriff.code) == 5", T},
		{"min(veriff.code, 1, 9) == 1 && min(veriff.code, 9) == 5 && min(9, veriff.code) == 5", T},
		{"max(veriff.code, veriff.risk_score) == 5", U},
		{`all(veriff.risk_labels, # startsWith "a")`, T},
		{`all(veriff.risk_labels, # == "ab")`, F},
		{`all(veriff.risk_labels, # == "ab" || jaak.ofac.passed)`, U},
		{`all(veriff.risk_labels, # == "zz" && jaak.ofac.passed)`, F},
		{`any(veriff.risk_labels, # == "zz")`, F},
		{`any(veriff.risk_labels, # == "zz" || jaak.ofac.passed)`, U},
		{`none(veriff.risk_labels, # == "ab")`, F},
		{`none(veriff.risk_labels, # == "zz")`, T},
		{`none(veriff.risk_labels, # == "zz" || jaak.ofac.passed)`, U},
		{`one(veriff.risk_labels, # == "ab")`, T},
		{`one(veriff.risk_labels, # startsWith "a")`, F},
		{`one(veriff.risk_labels, # == "zz")`, F},
		{`one(veriff.risk_labels, # == "ab" || jaak.ofac.passed)`, U},
		{`one(veriff.risk_labels, # startsWith "a" || jaak.ofac.passed)`, F},
		{`count(veriff.risk_labels, # startsWith "a") == 2`, T},
		{`count(veriff.risk_labels, # == "ab" || jaak.ofac.passed) == 1`, U},
		{`any(veriff.risk_labels, # == "ab") && any(veriff.risk_labels, # == "ac")`, T},
	})
	checkAll(t, map[string]engine.Value{}, []evalCase{{`any(veriff.risk_labels, # == "x")`, U}, {"len(veriff.status) > 0", U}})
	// Of equal numbers, min and max give the first: max(0, -0) is 0, which
	// a decision shows as 0, not -0.
	sc := &scope{cat: testCatalog(), derived: map[string]int{}}
	for _, src := range []string{"max(0, -0)", "min(0, -0)"} {
		c, _, errs := compileExpr(src, sc, engine.Number)
		if v := c.value()(&engine.Env{Facts: facts(t, nil)}); len(errs) > 0 || v.N != 0 || math.Signbit(v.N) {
			t.Errorf("%s = %v (%v)", src, v, errs)
		}
	}
}

// TestExpressionErrors: what the compiler refuses, with its code.
func TestExpressionErrors(t *testing.T) {
	sc := &scope{cat: testCatalog(), derived: map[string]int{}, namespaces: map[string]bool{"veriff": true, "jaak": true}}
	for _, tt := range []struct{ src, code, part string }{
		{`veriff.code in ["a", 1]`, engine.CodeType, "cannot look for a number in a list of string"},
		{`veriff.code in [1, veriff.code]`, engine.CodeUnsupported, "holds literals only"},
		{"jaak.ofac.passed < true", engine.CodeType, "cannot order a bool and a bool"},
		{`veriff.code < "a"`, engine.CodeType, "cannot order a number and a string"},
		{"len(veriff.code) == 1", engine.CodeType, "len needs a string or a list, got a number"},
		{"confirmed()", engine.CodeType, "take one or more bool facts"},
		{"confirmed(veriff.code)", engine.CodeType, "confirmed and refuted needs a bool"},
		{"reported(veriff.code + 1)", engine.CodeType, "takes a fact of the catalog"},
		{"unreadable()", engine.CodeType, "unreadable takes one fact"},
		{"known(jaak.ofac.passed, jaak.renapo.passed)", engine.CodeType, "known takes one fact"},
		{"-veriff.status == 1", engine.CodeType, "unary - needs a number"},
		{"veriff.status = 1", engine.CodeSyntax, "= is not a comparison"},
	} {
		_, _, errs := compileExpr(tt.src, sc, engine.Bool)
		if len(errs) != 1 || errs[0].code != tt.code || !strings.Contains(errs[0].msg, tt.part) {
			t.Errorf("%s: %+v, want one %s problem with %q", tt.src, errs, tt.code, tt.part)
		}
	}
	for _, src := range []string{"confirmed(jaak.ofac.passed)", "len(veriff.status) > 1", "veriff.status < veriff.status", `veriff.code in [1, -2]`} {
		if _, _, errs := compileExpr(src, sc, engine.Bool); len(errs) > 0 {
			t.Errorf("%s: %v", src, errs)
		}
	}
}

// reqPolicy has requirements on facts that no rule or score reads.
const reqPolicy = `policy: req
version: "1"
default: approve
require:
  - id: need-code
    description: The Veriff code is needed.
    facts: [veriff.code]
    outcome: reject
    reason: "no code (status {veriff.status})"
  - id: need-score
    description: The risk score is needed
    facts: [veriff.risk_score, jaak.ofac.passed]
rules:
  - id: declined
    description: Veriff declined.
    when: veriff.status == "declined"
    outcome: reject
    reason: declined
`

// TestUnmetRequirementRaisesOutcome: a requirement whose fact no rule
// reads still raises the outcome, to its own outcome (review by default),
// with its reason (or the default reason).
func TestUnmetRequirementRaisesOutcome(t *testing.T) {
	p := mustCompile(t, []byte(reqPolicy))
	all := map[string]engine.Value{
		"veriff.status": engine.StringValue("approved"), "veriff.code": engine.NumberValue(1),
		"veriff.risk_score": engine.NumberValue(0.1), "jaak.ofac.passed": T,
	}
	without := func(names ...string) map[string]engine.Value {
		m := map[string]engine.Value{}
		for k, v := range all {
			if !slices.Contains(names, k) {
				m[k] = v
			}
		}
		return m
	}
	for _, tt := range []struct {
		set     map[string]engine.Value
		outcome engine.Outcome
		reasons []string
	}{
		{all, engine.Approve, nil},
		{without("veriff.risk_score"), engine.Review, []string{"need-score:required evidence missing: The risk score is needed"}},
		{without("jaak.ofac.passed"), engine.Review, []string{"need-score:required evidence missing: The risk score is needed"}},
		{without("veriff.code"), engine.Reject, []string{"need-code:no code (status approved)"}},
		{without("veriff.code", "veriff.risk_score"), engine.Reject, []string{"need-code:no code (status approved)", "need-score:required evidence missing: The risk score is needed"}},
	} {
		d := p.Evaluate(facts(t, tt.set))
		var got []string
		for _, r := range d.Reasons {
			if r.Kind == engine.KindRequirement {
				got = append(got, r.Rule+":"+r.Message)
			}
		}
		if d.Outcome != tt.outcome || !slices.Equal(got, tt.reasons) {
			t.Errorf("facts %v: %s %q, want %s %q", tt.set, d.Outcome, got, tt.outcome, tt.reasons)
		}
	}
	if r := p.Requirements[1]; r.Outcome != engine.Review || len(r.Facts) != 2 || r.Facts[1].Name != "jaak.ofac.passed" {
		t.Errorf("need-score compiled to %+v", r)
	}
	only(t, problems(t, []byte(strings.Replace(reqPolicy, "[veriff.code]", "[veriff.code + 1]", 1))), engine.CodeInvalid, 7, "facts lists fact names, not expressions")
	only(t, problems(t, []byte(strings.Replace(reqPolicy, "[veriff.code]", "[veriff.cod]", 1))), engine.CodeUnknownFact, 7, "unknown fact veriff.cod")
}

// TestScoreThresholdsAtMin: a score exactly at a threshold's min reaches
// it; thresholds may be written in any order, and several may share an
// outcome; outcomes that fall as min rises, or one min twice, are refused.
func TestScoreThresholdsAtMin(t *testing.T) {
	src := func(thresholds string) []byte {
		return []byte(policyHead + oneRule("jaak.ofac.passed == false") + `scores:
  - id: s
    description: d
    terms:
      - when: veriff.code >= 1
        points: 30
      - when: veriff.code >= 2
        points: 50
      - when: veriff.code >= 3
        points: -0.5
    thresholds:
` + thresholds)
	}
	th := func(min, outcome string) string {
		return fmt.Sprintf("      - min: %s\n        outcome: %s\n        reason: at %s\n", min, outcome, min)
	}
	p := mustCompile(t, src(th("30", "review")+th("80", "reject")+th("50", "review")))
	for _, tt := range []struct {
		code    float64
		outcome engine.Outcome
		reason  string
	}{
		{0, engine.Review, ""}, // the default
		{1, engine.Review, "at 30"},
		{2, engine.Reject, "at 80"},
		{3, engine.Review, "at 50"}, // 79.5
	} {
		d := p.Evaluate(facts(t, map[string]engine.Value{"veriff.code": engine.NumberValue(tt.code), "jaak.ofac.passed": T}))
		reason := ""
		for _, r := range d.Reasons {
			if r.Kind == engine.KindScore {
				reason = r.Message
			}
		}
		if d.Outcome != tt.outcome || reason != tt.reason {
			t.Errorf("code %v: %s %q, want %s %q", tt.code, d.Outcome, reason, tt.outcome, tt.reason)
		}
	}
	if mins := []float64{p.Scores[0].Thresholds[0].Min, p.Scores[0].Thresholds[1].Min, p.Scores[0].Thresholds[2].Min}; !slices.Equal(mins, []float64{80, 50, 30}) {
		t.Errorf("thresholds in order %v, want highest first", mins)
	}
	// A milder outcome at a higher min, wherever it is written.
	only(t, problems(t, src(th("80", "review")+th("50", "reject"))), engine.CodeInvalid, 21, "threshold min 80 gives review, milder than reject at min 50 (line 24)")
	only(t, problems(t, src(th("50", "reject")+th("80", "approve")+th("10", "review"))), engine.CodeInvalid, 24, "threshold min 80 gives approve, milder than reject at min 50 (line 21)")
	// Only the severest lower outcome counts: approve after review at 20 is refused too.
	list := problems(t, src(th("10", "review")+th("20", "reject")+th("30", "review")+th("40", "approve")))
	if len(list) != 2 || list[0].Pos.Line != 27 || list[1].Pos.Line != 30 || !strings.Contains(list[1].Msg, "milder than reject at min 20") {
		t.Errorf("two milder thresholds:\n%s", list.Snippets())
	}
	// The severest lower outcome is named by its lowest min.
	list = problems(t, src(th("10", "reject")+th("20", "reject")+th("30", "review")+th("40", "approve")))
	if len(list) != 2 || !strings.Contains(list[0].Msg, "min 30 gives review, milder than reject at min 10 (line 21)") ||
		!strings.Contains(list[1].Msg, "min 40 gives approve, milder than reject at min 10 (line 21)") {
		t.Errorf("milder thresholds after two of the severest outcome:\n%s", list.Snippets())
	}
	// One min twice, and a missing min (0) twice.
	only(t, problems(t, src(th("50", "review")+th("50", "reject"))), engine.CodeDuplicate, 24, "threshold min 50 given twice (first at line 21)")
	list = problems(t, src(th("0", "approve")+"      - outcome: approve\n        reason: r\n"))
	if len(list) != 1 || list[0].Code != engine.CodeDuplicate || list[0].Pos.Line != 24 || list[0].Pos.Column != 9 {
		t.Errorf("min 0 twice:\n%s", list.Snippets())
	}
	// An unknown outcome is reported once, by validation.
	only(t, problems(t, src(th("50", "reject")+th("80", "block"))), engine.CodeInvalid, 25, `outcome must be one of`)
}

// TestCompiledPositionsAndRefs: where the compiled parts say they come
// from, and how references name facts.
func TestCompiledPositionsAndRefs(t *testing.T) {
	src := `policy: pos
version: "1"
default: review
require:
  - id: need
    description: d
    facts: [veriff.status]
derive:
  - name: bad_doc
    description: d
    expr: veriff.document.expired
rules:
  - id: quoted
    description: d
    when: "jaak.ofac.passed && bad_doc"
    outcome: reject
    reason: "codes {veriff.code} and {veriff.risk_score}: {veriff.status}"
  - id: block
    description: d
    when: |

      jaak.renapo.passed
    outcome: review
    reason: r
scores:
  - id: s
    description: d
    terms:
      - when: jaak.ofac.passed
        points: 1
    thresholds:
      - min: 1
        outcome: review
        reason: r
informational:
  - facts: [veriff.*, jaak.renapo.passed]
    reason: "  not used  "
`
	p := mustCompile(t, []byte(src))
	pos := func(e engine.Position) string { return fmt.Sprintf("%d:%d", e.Line, e.Column) }
	for _, tt := range []struct{ what, got, want string }{
		{"requirement", pos(p.Requirements[0].Pos), "5:9"},
		{"derived", pos(p.Derived[0].Pos), "11:11"},
		{"quoted rule", pos(p.Rules[0].Pos), "15:12"},
		{"block rule", pos(p.Rules[1].Pos), "22:7"},
		{"score", pos(p.Scores[0].Pos), "26:9"},
		{"informational", pos(p.Accepted[0].Pos), "36:5"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s at %s, want %s", tt.what, tt.got, tt.want)
		}
	}
	r := p.Rules[0].Refs
	if len(r) != 2 || r[0].Name != "jaak.ofac.passed" || r[0].Fact < 0 || r[0].Derived != -1 || r[1].Name != "bad_doc" || r[1].Fact != -1 || r[1].Derived != 0 {
		t.Errorf("refs %+v: a catalog fact has Derived -1, a derived fact Fact -1", r)
	}
	a := p.Accepted[0]
	if a.Reason != "not used" || !slices.Equal(a.Facts, []string{"veriff.status", "veriff.code", "veriff.risk_score", "veriff.risk_labels", "veriff.document.expired", "jaak.renapo.passed"}) {
		t.Errorf("informational %+v", a)
	}
	d := p.Evaluate(facts(t, map[string]engine.Value{"jaak.ofac.passed": T, "veriff.document.expired": T,
		"veriff.code": engine.NumberValue(7), "veriff.risk_score": engine.NumberValue(0.5), "veriff.status": engine.StringValue("declined"), "jaak.renapo.passed": F}))
	if d.Outcome != engine.Reject || d.Reasons[0].Message != "codes 7 and 0.5: declined" {
		t.Errorf("decision %s %+v", d.Outcome, d.Reasons)
	}
	// An error in a block that starts with a blank line, on the file's last
	// line without a line end, is at its column.
	list := problems(t, []byte(strings.Replace(strings.TrimSuffix(src, "\n"), "    reason: \"  not used  \"", "    reason: x\n    foo: |\n\n      jaak.renapo.passed", 1)))
	only(t, list, engine.CodeUnknownKey, 38, `unknown key "foo"`)
	list = problems(t, []byte(policyHead+"rules:\n  - id: r\n    description: d\n    outcome: reject\n    reason: r\n    when: |\n\n      jaak.ofac.passed &&\n        veriff.nope"))
	if len(list) != 1 || pos(list[0].Pos) != "12:9" || list[0].Source != "        veriff.nope" {
		t.Errorf("error on the last line of a block:\n%s", list.Snippets())
	}
	list = problems(t, []byte(policyHead+"rules:\n  - id: r\n    description: d\n    outcome: reject\n    reason: r\n    when: |\n      veriff.nope"))
	if len(list) != 1 || pos(list[0].Pos) != "10:7" {
		t.Errorf("error in a one-line block at the end of the file:\n%s", list.Snippets())
	}
	// Informational entries that match nothing, with and without a suggestion.
	list = problems(t, []byte(strings.Replace(src, "[veriff.*, jaak.renapo.passed]", "[veriff.stats, zzz.*, jaak.renapo.passed]", 1)))
	if len(list) != 2 || list[0].Msg != `informational: no fact matches "veriff.stats" (did you mean veriff.status?)` || list[1].Msg != `informational: no fact matches "zzz.*"` {
		t.Errorf("informational:\n%s", list.Snippets())
	}
	// A reason's placeholder is reported at its column.
	list = problems(t, []byte(strings.Replace(src, "{veriff.risk_score}", "{veriff..risk}", 1)))
	if len(list) != 2 || list[1].Pos.Line != 17 || list[1].Pos.Column != 47 || list[1].Msg != "unknown name risk in the reason" {
		t.Errorf("placeholder error:\n%s", list.Snippets())
	}
}

// TestYAMLProblemsAtTheirLine: YAML problems on the first and the last
// line carry their source line and hints; a tab is blamed on the first
// tab-indented line from the parser's line on.
func TestYAMLProblemsAtTheirLine(t *testing.T) {
	for _, tt := range []struct {
		name, src   string
		line, col   int
		part, lines string
	}{
		{"colon on line 1", "policy: kyc: onboarding\nversion: \"1\"\n", 1, 12, `quote the text: policy: "kyc: onboarding"`, "policy: kyc: onboarding"},
		{"colon on the last line", policyHead + "rules:\n  - id: a\n    reason: Declined: see", 6, 21, `quote the text: reason: "Declined: see"`, "    reason: Declined: see"},
		{"tab on line 1", "\tpolicy: p\n\tversion: x\n", 1, 1, "a tab indents this line", "\tpolicy: p"},
		{"tab on the last line", "a:\n  b: 1\n\tc: 2", 3, 1, "a tab indents this line", "\tc: 2"},
		{"no tab", "policy: @x\n", 1, 1, "YAML: found character that cannot start any token", "policy: @x"},
		{"no colon in the text", "policy: p\n  version: x\n", 2, 1, "YAML: mapping values are not allowed in this context", "  version: x"},
	} {
		list := problems(t, []byte(tt.src))
		if len(list) != 1 || list[0].Pos.Line != tt.line || list[0].Pos.Column != tt.col || !strings.Contains(list[0].Msg, tt.part) || list[0].Source != tt.lines {
			t.Errorf("%s: want %d:%d %q on %q; got:\n%s", tt.name, tt.line, tt.col, tt.part, tt.lines, list.Snippets())
		}
	}
	// A list left empty is no list; text is not one.
	mustCompile(t, []byte(policyHead+"require:\nderive: ~\n"+oneRule("jaak.ofac.passed")))
	only(t, problems(t, []byte(policyHead+"require: none\n"+oneRule("jaak.ofac.passed"))), engine.CodeInvalid, 4, "require: expected a list")
	// A problem on the last line of a file without a line end shows it.
	list := problems(t, []byte(strings.TrimSuffix(policyHead+oneRule("jaak.ofac.passed"), "\n")+"\n    unknwn: x"))
	if len(list) != 1 || list[0].Source != "    unknwn: x" {
		t.Errorf("last line:\n%s", list.Snippets())
	}
}

// TestLimitsExactly: every count and size limit accepts exactly its
// limit and refuses one more.
func TestLimitsExactly(t *testing.T) {
	// An expression of exactly MaxExprBytes bytes, then one more.
	pad := func(n int) []byte {
		return []byte(policyHead + oneRule("'jaak.ofac.passed"+strings.Repeat(" ", n-len("jaak.ofac.passed"))+"'"))
	}
	mustCompile(t, pad(MaxExprBytes))
	only(t, problems(t, pad(MaxExprBytes+1)), CodeLimit, ruleLine, "the expression has 65537 bytes: the limit is 65536")

	// A source of exactly MaxSourceBytes bytes.
	small := []byte(policyHead + oneRule("jaak.ofac.passed") + "#")
	src := append(small, strings.Repeat("x", MaxSourceBytes-len(small))...)
	mustCompile(t, src)

	// Requirements, terms and informational facts at their limit and one past.
	reqs := func(n int) []byte {
		var b strings.Builder
		b.WriteString(policyHead + "require:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {id: q%d, description: d, facts: [jaak.ofac.passed]}\n", i)
		}
		return []byte(b.String() + oneRule("jaak.ofac.passed"))
	}
	mustCompile(t, reqs(MaxRequirements))
	only(t, problems(t, reqs(MaxRequirements+1)), CodeLimit, 5, "10001 requirements: the limit is 10000")
	mustCompile(t, wide(1, MaxTerms))
	informational := func(n int) []byte {
		return []byte(policyHead + oneRule("jaak.ofac.passed") + "informational:\n  - reason: r\n    facts: [" +
			strings.TrimSuffix(strings.Repeat("jaak.renapo.passed, ", n), ", ") + "]\n")
	}
	mustCompile(t, informational(MaxInformational))
	only(t, problems(t, informational(MaxInformational+1)), CodeLimit, 11, "10001 informational facts: the limit is 10000")
	mustCompile(t, chained(MaxDerived, 50))

	// Text: 31 bytes of the frame and three uses of a long description.
	text := func(extra int) []byte {
		n := (MaxSourceBytes - 31) / 3
		if (MaxSourceBytes-31)%3 != 0 {
			t.Fatal("the frame does not divide")
		}
		return []byte("policy: p" + strings.Repeat("p", extra) + "\nversion: \"1\"\ndefault: review\ndescription: &d " + strings.Repeat("x", n) +
			"\nrules:\n  - id: r\n    description: *d\n    when: jaak.ofac.passed\n    outcome: reject\n    reason: *d\n")
	}
	mustCompile(t, text(0))
	limitOnly(t, problems(t, text(1)), "aliases expanded")
}

// limitOnly asserts one limit problem whose message holds part.
func limitOnly(t *testing.T, list engine.ErrorList, part string) {
	t.Helper()
	if len(list) != 1 || list[0].Code != CodeLimit || !strings.Contains(list[0].Msg, part) {
		t.Errorf("want one limit problem with %q; got:\n%s", part, list.Snippets())
	}
}

// TestPatternLimitsExactly: a pattern of exactly MaxPatternInsts
// instructions, and patterns adding up to exactly MaxPolicyPatternInsts.
func TestPatternLimitsExactly(t *testing.T) {
	// a{1000} nine times and a{n}: each more n is one more instruction.
	base := strings.Repeat("a{1000}", 9)
	one := insts(t, base+"a{1}")
	exact := base + fmt.Sprintf("a{%d}", 1+MaxPatternInsts-one)
	if insts(t, exact) != MaxPatternInsts {
		t.Fatalf("%d instructions, want %d", insts(t, exact), MaxPatternInsts)
	}
	rules := func(patterns ...string) []byte {
		var b strings.Builder
		b.WriteString(policyHead + "rules:\n")
		for i, p := range patterns {
			fmt.Fprintf(&b, "  - id: r%d\n    description: d\n    when: veriff.status matches \"%s\"\n    outcome: review\n    reason: r\n", i, p)
		}
		return []byte(b.String())
	}
	mustCompile(t, rules(exact))
	only(t, problems(t, rules(exact+"a")), CodeLimit, ruleLine, "more than 10000 instructions")
	all := slices.Repeat([]string{exact}, MaxPolicyPatternInsts/MaxPatternInsts)
	mustCompile(t, rules(all...))
	list := problems(t, rules(append(all, "b")...))
	if len(list) != 1 || !strings.Contains(list[0].Msg, "more than 200000 instructions together") {
		t.Errorf("one instruction past the policy's budget:\n%s", list.Snippets())
	}
}

// insts is the number of instructions the pattern compiles to, counted
// as the compiler counts them.
func insts(t *testing.T, pattern string) int {
	t.Helper()
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		t.Fatal(err)
	}
	return len(prog.Inst)
}
