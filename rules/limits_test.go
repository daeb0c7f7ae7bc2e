package rules

import (
	"errors"
	"fmt"
	"os"
	"regexp/syntax"
	"runtime"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// The hostile shapes: small policies that, unbounded, exhaust the machine
// that compiles or evaluates them. Each generator writes a policy source.

// policyHead starts a policy; derive follows.
const policyHead = "policy: hostile\nversion: \"1\"\ndefault: review\n"

// oneRule ends a policy with a rule that reads name.
func oneRule(when string) string {
	return "rules:\n  - id: r\n    description: d\n    when: " + when + "\n    outcome: reject\n    reason: r\n"
}

func derive(b *strings.Builder, name, expr string) {
	fmt.Fprintf(b, "  - name: %s\n    description: d\n    expr: '%s'\n", name, expr)
}

// doublingChain: d0 = seed; di = di-1 + di-1; the rule reads the last one.
func doublingChain(seed string, levels int) []byte {
	var b strings.Builder
	b.WriteString(policyHead + "derive:\n")
	derive(&b, "d0", seed)
	for i := 1; i <= levels; i++ {
		derive(&b, fmt.Sprintf("d%d", i), fmt.Sprintf("d%d + d%d", i-1, i-1))
	}
	b.WriteString(oneRule(fmt.Sprintf(`d%d == "x"`, levels)))
	return []byte(b.String())
}

// diamond: aN = aN-1 + bN-1; bN = aN-1 - bN-1 over numbers: 2^levels paths
// from the rule to the facts, 2·levels derived facts.
func diamond(levels int) []byte {
	var b strings.Builder
	b.WriteString(policyHead + "derive:\n")
	derive(&b, "a0", "veriff.code")
	derive(&b, "b0", "veriff.risk_score")
	for i := 1; i <= levels; i++ {
		derive(&b, fmt.Sprintf("a%d", i), fmt.Sprintf("a%d + b%d", i-1, i-1))
		derive(&b, fmt.Sprintf("b%d", i), fmt.Sprintf("a%d - b%d", i-1, i-1))
	}
	b.WriteString(oneRule(fmt.Sprintf("a%d > 1 || b%d > 1", levels, levels)))
	return []byte(b.String())
}

// stringDiamond is the diamond over strings: each level doubles.
func stringDiamond(levels int) []byte {
	var b strings.Builder
	b.WriteString(policyHead + "derive:\n")
	derive(&b, "a0", "veriff.status")
	derive(&b, "b0", `"x"`)
	for i := 1; i <= levels; i++ {
		derive(&b, fmt.Sprintf("a%d", i), fmt.Sprintf("a%d + b%d", i-1, i-1))
		derive(&b, fmt.Sprintf("b%d", i), fmt.Sprintf("b%d + a%d", i-1, i-1))
	}
	b.WriteString(oneRule(fmt.Sprintf(`a%d == "x"`, levels)))
	return []byte(b.String())
}

// chained: n derived facts, each reading the one before, restarting every
// run facts (run ≥ n: one chain n deep).
func chained(n, run int) []byte {
	var b strings.Builder
	b.WriteString(policyHead + "derive:\n")
	for i := 0; i < n; i++ {
		expr := "jaak.ofac.passed"
		if i%run != 0 {
			expr = fmt.Sprintf("c%d && jaak.renapo.passed", i-1)
		}
		derive(&b, fmt.Sprintf("c%d", i), expr)
	}
	b.WriteString(oneRule(fmt.Sprintf("c%d", n-1)))
	return []byte(b.String())
}

// wide: n rules, each a small condition, and a score of n terms.
func wide(rules, terms int) []byte {
	var b strings.Builder
	b.WriteString(policyHead + "rules:\n")
	for i := 0; i < rules; i++ {
		fmt.Fprintf(&b, "  - id: r%d\n    description: d\n    when: veriff.code == %d && veriff.status != \"declined\"\n    outcome: review\n    reason: \"code {veriff.code}\"\n", i, i)
	}
	if terms > 0 {
		b.WriteString("scores:\n  - id: s\n    description: d\n    terms:\n")
		for i := 0; i < terms; i++ {
			fmt.Fprintf(&b, "      - when: veriff.code == %d\n        points: 1\n", i)
		}
		b.WriteString("    thresholds:\n      - min: 1\n        outcome: review\n        reason: r\n")
	}
	return []byte(b.String())
}

// deepExpr: one rule whose condition nests n parentheses around a fact, or
// joins n literals with && (2n-1 nodes).
func deepExpr(n int, nested bool) []byte {
	var when string
	if nested {
		when = strings.Repeat("(", n) + "jaak.ofac.passed" + strings.Repeat(")", n)
	} else {
		when = strings.TrimSuffix(strings.Repeat("true && ", n), " && ")
	}
	return []byte(policyHead + oneRule("'"+when+"'"))
}

// problems compiles src and returns its problems, failing when it compiles.
func problems(t testing.TB, src []byte) engine.ErrorList {
	t.Helper()
	p, err := Compile("hostile.yaml", src, testCatalog())
	var list engine.ErrorList
	if p != nil || !errors.As(err, &list) {
		t.Fatalf("compiled (%v); want problems", err)
	}
	return list
}

func mustCompile(t testing.TB, src []byte) *engine.Policy {
	t.Helper()
	p, err := Compile("hostile.yaml", src, testCatalog())
	if err != nil {
		var list engine.ErrorList
		errors.As(err, &list)
		t.Fatalf("does not compile:\n%s", list.Snippets())
	}
	return p
}

// only asserts one problem, of code, at line and whose message holds part.
func only(t *testing.T, list engine.ErrorList, code string, line int, part string) {
	t.Helper()
	if len(list) != 1 || list[0].Code != code || list[0].Pos.Line != line || !strings.Contains(list[0].Msg, part) {
		t.Errorf("want one %s problem at line %d with %q; got:\n%s", code, line, part, list.Snippets())
	}
}

// lineOf is the line of derive[i].expr in the generators' layout, and
// ruleLine that of the condition of a policy's only rule when there is no
// derive.
func lineOf(i int) int { return 5 + 3*i + 2 }

const ruleLine = 7

func TestStringGrowthLimit(t *testing.T) {
	// "x" doubled 16 times is exactly MaxStringBytes: allowed; 17 times is one past.
	mustCompile(t, doublingChain(`"x"`, 16))
	only(t, problems(t, doublingChain(`"x"`, 17)), CodeLimit, lineOf(17), "can grow to 131072 bytes: the limit is 65536")

	// A catalog string counts AssumedFactBytes: 4 KiB · 2^4 = 64 KiB, 2^5 too much.
	mustCompile(t, doublingChain("veriff.status", 4))
	list := problems(t, doublingChain("veriff.status", 40))
	only(t, list, CodeLimit, lineOf(5), "can grow to 131072 bytes")
	if list[0].Pos.Column != 15 {
		t.Errorf("reported at column %d, want 15 (the +)", list[0].Pos.Column)
	}

	// Strings through a diamond double at every level too: a5 and b5 are
	// both too long, and nothing after them is reported.
	list = problems(t, stringDiamond(40))
	if len(list) != 2 || list[0].Pos.Line != lineOf(2*5) || list[1].Pos.Line != lineOf(2*5+1) || list[0].Code != CodeLimit {
		t.Errorf("string diamond:\n%s", list.Snippets())
	}

	// upper and lower may triple a string; trim never grows one.
	big := func(fn string) []byte {
		s := strings.Repeat("x", MaxStringBytes/3)
		return []byte(policyHead + oneRule(fmt.Sprintf(`'%s("%s" + "x") == "x"'`, fn, s)))
	}
	only(t, problems(t, big("upper")), CodeLimit, ruleLine, "can grow to 65538 bytes")
	mustCompile(t, big("trim"))
	mustCompile(t, []byte(policyHead+oneRule(fmt.Sprintf(`'upper("%s") == "x"'`, strings.Repeat("x", MaxStringBytes/3)))))
}

func TestDerivedDepthLimit(t *testing.T) {
	mustCompile(t, chained(MaxDerivedDepth, MaxDerivedDepth))
	only(t, problems(t, chained(MaxDerivedDepth+1, MaxDerivedDepth+1)), CodeLimit, lineOf(MaxDerivedDepth), "chain of 65 derived facts: the limit is 64")
	// Deep chains are refused once, at the first fact too deep.
	only(t, problems(t, chained(MaxDerived, MaxDerived)), CodeLimit, lineOf(MaxDerivedDepth), "chain of 65")
}

func TestCountLimits(t *testing.T) {
	mustCompile(t, wide(MaxRules, 0))
	only(t, problems(t, wide(MaxRules+1, 0)), CodeLimit, 5, "10001 rules: the limit is 10000")
	only(t, problems(t, wide(1, MaxTerms+1)), CodeLimit, 11, "10001 score terms")
	only(t, problems(t, chained(MaxDerived+1, 10)), CodeLimit, 5, "10001 derived facts")
	only(t, problems(t, chained(20_000, 20_000)), CodeLimit, 5, "20000 derived facts")
	// 100,000 rules in 400 KB through an alias are refused before any is read.
	src := policyHead + "rules:\n  - &r {id: r, description: d, when: jaak.ofac.passed, outcome: reject, reason: r}\n" +
		strings.Repeat("  - *r\n", 99_999)
	if a := testing.AllocsPerRun(1, func() { _, _ = Compile("p.yaml", []byte(src), testCatalog()) }); a > 1_000_000 {
		t.Errorf("refusing 100,000 aliased rules takes %v allocations", a)
	}
	only(t, problems(t, []byte(src)), CodeLimit, 5, "100000 rules")
}

func TestExpressionLimits(t *testing.T) {
	// n && comparisons are 2n-1 nodes.
	mustCompile(t, deepExpr(MaxExprNodes/2, false))
	only(t, problems(t, deepExpr(MaxExprNodes/2+1, false)), CodeLimit, ruleLine, "more than 2000 nodes")
	// Nesting that would overflow the parser's stack is refused by size.
	only(t, problems(t, deepExpr(MaxExprBytes, true)), CodeLimit, ruleLine, "bytes: the limit is 65536")
	mustCompile(t, deepExpr(500, true))
}

func TestPatternLimits(t *testing.T) {
	rule := func(pattern string) []byte {
		return []byte(policyHead + oneRule(fmt.Sprintf(`'veriff.status matches "%s"'`, pattern)))
	}
	mustCompile(t, rule(strings.Repeat("a", MaxPatternBytes)))
	only(t, problems(t, rule(strings.Repeat("a", MaxPatternBytes+1))), CodeLimit, ruleLine, "1001 bytes: the limit is 1000")
	// 28 bytes that compile to 20,000 instructions.
	only(t, problems(t, rule("(abcdefghijklmnopqrst){1000}")), CodeLimit, ruleLine, "more than 10000 instructions")
	const fits = "(abcd){1000}"
	mustCompile(t, rule(fits))
	// Patterns under the limit add up over the policy: the first that
	// brings the total past it is refused.
	re, _ := syntax.Parse(fits, syntax.Perl)
	prog, _ := syntax.Compile(re.Simplify())
	var b strings.Builder
	b.WriteString(policyHead + "rules:\n")
	for i := 0; i < MaxPolicyPatternInsts/len(prog.Inst)+1; i++ {
		fmt.Fprintf(&b, "  - id: r%d\n    description: d\n    when: veriff.status matches \"%s\"\n    outcome: review\n    reason: r\n", i, fits)
	}
	list := problems(t, []byte(b.String()))
	if len(list) != 1 || !strings.Contains(list[0].Msg, "more than 200000 instructions together") {
		t.Errorf("patterns over the policy's budget:\n%s", list.Snippets())
	}
}

func TestSourceLimits(t *testing.T) {
	only(t, problems(t, make([]byte, MaxSourceBytes+1)), CodeLimit, 1, "more than 4194304 bytes")
	path := t.TempDir() + "/big.yaml"
	if err := os.WriteFile(path, append(wide(1, 0), make([]byte, MaxSourceBytes)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, testCatalog()); err == nil || !strings.Contains(err.Error(), "more than 4194304 bytes") {
		t.Errorf("Load of a file over the limit: %v", err)
	}
	// Aliases that expand a small document past the limits.
	var b strings.Builder
	b.WriteString(policyHead + "require:\n  - &q\n    id: q\n    description: d\n    facts: &f [")
	b.WriteString(strings.TrimSuffix(strings.Repeat("jaak.ofac.passed, ", 2000), ", "))
	b.WriteString("]\n")
	for i := 0; i < 1000; i++ {
		b.WriteString("  - {id: q" + fmt.Sprint(i) + ", description: d, facts: *f}\n")
	}
	b.WriteString(oneRule("jaak.ofac.passed"))
	list := problems(t, []byte(b.String()))
	if len(list) != 1 || list[0].Code != CodeLimit || !strings.Contains(list[0].Msg, "aliases expanded") {
		t.Errorf("alias expansion:\n%s", list.Snippets())
	}
}

func TestProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(policyHead + "rules:\n")
	for i := 0; i < 3*MaxProblems; i++ {
		fmt.Fprintf(&b, "  - id: r%d\n    description: d\n    when: veriff.nope%d\n    outcome: review\n    reason: r\n", i, i)
	}
	list := problems(t, []byte(b.String()))
	if len(list) != MaxProblems+1 || list[len(list)-1].Code != CodeLimit {
		t.Errorf("%d problems, the last %v; want %d and a limit", len(list), list[len(list)-1], MaxProblems+1)
	}
}

// TestDiamondEvaluatesOnce: every derived fact is computed once per case,
// whatever the number of paths to it, and undecided rules name the facts
// behind a diamond without walking its paths.
func TestDiamondEvaluatesOnce(t *testing.T) {
	p := mustCompile(t, diamond(40))
	calls := 0
	for i := range p.Derived {
		expr := p.Derived[i].Expr
		p.Derived[i].Expr = func(env *engine.Env) engine.Value { calls++; return expr(env) }
	}
	f := facts(t, map[string]engine.Value{"veriff.code": engine.NumberValue(1)})
	d := p.Evaluate(f)
	if calls != len(p.Derived) || len(p.Derived) != 82 {
		t.Errorf("%d derived facts computed %d times; want each once", len(p.Derived), calls)
	}
	if d.Outcome != engine.Review || len(d.Missing) != 1 || d.Missing[0] != "veriff.risk_score" {
		t.Errorf("decision %s, missing %v; want review for veriff.risk_score", d.Outcome, d.Missing)
	}
	if a := testing.AllocsPerRun(20, func() { p.Evaluate(f) }); a > 12 {
		t.Errorf("%v allocations per evaluation of the diamond, want at most 12", a)
	}
}

// allocated returns the allocations and bytes of one run of fn.
func allocated(fn func()) (allocs, bytes uint64) {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.Mallocs - a.Mallocs, b.TotalAlloc - a.TotalAlloc
}

// TestCompileIsLinear: doubling a hostile policy at most about doubles what
// compiling (or refusing) it allocates, and bounds it per byte of source.
func TestCompileIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles policies of megabytes")
	}
	cat := testCatalog()
	shapes := []struct {
		name string
		gen  func(n int) []byte
		n    int
	}{
		{"chained derived facts, 50 deep", func(n int) []byte { return chained(n, 50) }, MaxDerived / 2},
		{"derived chain refused by depth", func(n int) []byte { return chained(n, n) }, MaxDerived / 2},
		{"rules", func(n int) []byte { return wide(n, 0) }, MaxRules / 2},
		{"rules refused by count", func(n int) []byte { return wide(n, 0) }, 6 * MaxRules / 5},
		{"score terms", func(n int) []byte { return wide(1, n) }, MaxTerms / 2},
		{"diamond levels", diamond, 30},
	}
	for _, s := range shapes {
		small, large := s.gen(s.n), s.gen(2*s.n)
		a1, b1 := allocated(func() { _, _ = Compile("p.yaml", small, cat) })
		a2, b2 := allocated(func() { _, _ = Compile("p.yaml", large, cat) })
		t.Logf("%s: %d → %d: %d → %d allocs, %d → %d bytes (%.0f bytes per source byte)", s.name, s.n, 2*s.n, a1, a2, b1, b2, float64(b2)/float64(len(large)))
		if float64(a2) > 2.3*float64(a1) || float64(b2) > 2.3*float64(b1) {
			t.Errorf("%s: doubling the policy from %d to %d multiplies allocations by %.2f and bytes by %.2f", s.name, s.n, 2*s.n, float64(a2)/float64(a1), float64(b2)/float64(b1))
		}
		if per := float64(b2) / float64(len(large)); per > 400 {
			t.Errorf("%s: %.0f bytes allocated per byte of source, want at most 400", s.name, per)
		}
	}
}

func benchCompile(b *testing.B, src []byte) {
	cat := testCatalog()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Compile("p.yaml", src, cat)
	}
}

func benchEvaluate(b *testing.B, src []byte, set map[string]engine.Value) {
	p := mustCompile(b, src)
	f := facts(b, set)
	b.ReportAllocs()
	for b.Loop() {
		p.Evaluate(f)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(1, len(p.Derived))), "ns/derived")
}

// The hostile shapes, compiled (or refused) and evaluated. ns/derived and
// ns/rule are the costs per part of the policy: they stay flat as the
// policy grows.
func BenchmarkCompileDoublingChain(b *testing.B) { benchCompile(b, doublingChain("veriff.status", 40)) }
func BenchmarkCompileDiamond(b *testing.B)       { benchCompile(b, diamond(40)) }
func BenchmarkCompileChained(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			benchCompile(b, chained(n, 50))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/derived")
		})
	}
}
func BenchmarkCompileChain20000(b *testing.B) { benchCompile(b, chained(20_000, 20_000)) }
func BenchmarkCompileRules(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			benchCompile(b, wide(n, 0))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/rule")
		})
	}
}
func BenchmarkEvaluateDiamond(b *testing.B) {
	benchEvaluate(b, diamond(40), map[string]engine.Value{"veriff.code": engine.NumberValue(1), "veriff.risk_score": engine.NumberValue(0.5)})
}
func BenchmarkEvaluateDiamondUnknown(b *testing.B) {
	benchEvaluate(b, diamond(40), map[string]engine.Value{"veriff.code": engine.NumberValue(1)})
}
func BenchmarkEvaluateLongestString(b *testing.B) {
	benchEvaluate(b, doublingChain(`"x"`, 16), nil)
}
func BenchmarkEvaluateChained(b *testing.B) {
	benchEvaluate(b, chained(10_000, 50), map[string]engine.Value{"jaak.ofac.passed": T, "jaak.renapo.passed": T})
}
