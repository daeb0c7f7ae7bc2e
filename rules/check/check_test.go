package check_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/check"
	"github.com/veredicto/veredicto/rules/policytest"
)

func load(t testing.TB, cat *engine.Catalog, path string) *engine.Policy {
	t.Helper()
	p, err := rules.Load(path, cat)
	if err != nil {
		var list engine.ErrorList
		if errors.As(err, &list) {
			t.Fatalf("%s", list.Snippets())
		}
		t.Fatal(err)
	}
	return p
}

func run(t testing.TB, cat *engine.Catalog, path string, opts *check.Options) (*engine.Policy, *check.Report) {
	t.Helper()
	p := load(t, cat, path)
	rep, err := check.Policy(p, cat, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, rep
}

func byCode(rep *check.Report, code string) []check.Finding {
	var out []check.Finding
	for _, f := range rep.Findings {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

// assertApproves evaluates a counterexample with the real engine.
func assertApproves(t *testing.T, p *engine.Policy, cat *engine.Catalog, c *check.Case) {
	t.Helper()
	f, err := c.Facts(cat)
	if err != nil {
		t.Fatal(err)
	}
	if d := p.Evaluate(f); d.Outcome != c.Outcome {
		t.Errorf("%s: the counterexample decides %s, want %s:\n%s", c.Name, d.Outcome, c.Outcome, c.YAML(0))
	}
}

// The ?? of the approving rule hides a failed secondary check: the
// analysis finds it, at the approving rule, with the exact smallest case.
func TestApprovePath(t *testing.T) {
	cat := check.TestCatalog
	p, rep := run(t, cat, "testdata/approve_path.yaml", nil)
	errs := byCode(rep, check.CodeApproveOnAdverse)
	if len(errs) != 1 || rep.Errors() != 1 {
		t.Fatalf("want one approve-on-adverse error, got %+v", rep.Findings)
	}
	f := errs[0]
	if f.Pos.Line != 16 || f.Pos.Column != 11 || f.Rule != "passed" || f.Fact != "t.secondary" || f.Severity != check.Error {
		t.Errorf("finding %s %+v", f.Pos, f)
	}
	want := `testdata/approve_path.yaml:16:11: error: approves although t.secondary is false (rule passed) [approve-on-adverse]
 |     when: t.primary ?? t.secondary
 |           ^`
	if got := f.Snippet(); got != want {
		t.Errorf("snippet:\n%s\nwant:\n%s", got, want)
	}
	wantCase := `  - name: "check: approves although t.secondary is false"
    facts:
      set: {t.primary: true, t.secondary: false}
    expect:
      outcome: approve
`
	if got := f.Case.YAML(2); got != wantCase {
		t.Errorf("counterexample:\n%s\nwant:\n%s", got, wantCase)
	}
	assertApproves(t, p, cat, f.Case)
	// t.primary false is not an approve path: the reject rule sees it.
	for _, f := range rep.Findings {
		if f.Fact == "t.primary" && f.Code == check.CodeApproveOnAdverse {
			t.Errorf("t.primary: %s", f.Snippet())
		}
	}
}

// A policy that approves only on clean evidence has no error; its one
// accepted risk is reported as such, with the reason and the case that
// shows it does not act on it.
func TestNoPathAndAcceptedRisk(t *testing.T) {
	cat := check.TestCatalog
	p, rep := run(t, cat, "testdata/no_path.yaml", nil)
	if rep.Errors() != 0 {
		for _, f := range rep.Findings {
			t.Log(f.Snippet())
		}
		t.Fatalf("%d errors", rep.Errors())
	}
	acc := byCode(rep, check.CodeAcceptedRisk)
	if len(acc) != 1 {
		t.Fatalf("accepted risks: %+v", acc)
	}
	a := acc[0]
	if a.Fact != "t.flag" || a.Severity != check.Info || a.Reason != "The watch list is screened by a person after onboarding." ||
		a.Pos.Line != 26 || a.Case == nil || !a.Case.Set["t.flag"].True() {
		t.Errorf("accepted risk: %s %+v", a.Snippet(), a)
	}
	assertApproves(t, p, cat, a.Case)
	if len(rep.Accepted) != 1 {
		t.Errorf("accepted list: %+v", rep.Accepted)
	}
	var assumed []string
	for _, as := range rep.Assumptions {
		assumed = append(assumed, as.Fact+": "+strings.Join(as.Values, " "))
	}
	want := []string{"t.labels: [] [other]", "t.score: 79 80 81", "t.similarity: 1.9 0.9 -0.1"}
	if !slices.Equal(assumed, want) {
		t.Errorf("assumptions %q, want %q", assumed, want)
	}
}

// The same policy without its informational list: the unread watch-list
// flag is an approval on adverse evidence.
func TestUnreadAdverseFact(t *testing.T) {
	cat := check.TestCatalog
	src, err := os.ReadFile("testdata/no_path.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src = src[:strings.Index(string(src), "informational:")]
	p, err := rules.Compile("weak.yaml", src, cat)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Policy(p, cat, &check.Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	errs := byCode(rep, check.CodeApproveOnAdverse)
	if len(errs) != 1 || errs[0].Fact != "t.flag" || errs[0].Rule != "passed" || errs[0].Pos.Line != 21 {
		t.Fatalf("findings %+v", rep.Findings)
	}
	if !strings.Contains(errs[0].Message, "no rule reads it") || !errs[0].Case.Set["t.flag"].True() {
		t.Errorf("finding %s\n%s", errs[0].Snippet(), errs[0].Case.YAML(0))
	}
	assertApproves(t, p, cat, errs[0].Case)
}

// A policy too large for exact analysis says so instead of hanging.
func TestBudget(t *testing.T) {
	cat := check.TestCatalog
	_, rep := run(t, cat, "testdata/budget.yaml", &check.Options{Budget: 20_000})
	inc := byCode(rep, check.CodeIncomplete)
	if len(inc) != 1 || inc[0].Fact != "t.primary" || inc[0].Severity != check.Warning ||
		!strings.Contains(inc[0].Message, "analysis incomplete: bounded search") {
		t.Fatalf("incomplete findings %+v", inc)
	}
	if rep.Errors() != 0 {
		t.Errorf("errors: %+v", rep.Findings)
	}
	if rep.Nodes > 20_000+10*check.MinSearchNodes {
		t.Errorf("%d nodes spent with a budget of 20000", rep.Nodes)
	}
}

// Diff finds the class of cases the new policy approves and the base did
// not, with its smallest case.
func TestDiff(t *testing.T) {
	cat := check.TestCatalog
	base := load(t, cat, "testdata/diff_base.yaml")
	p := load(t, cat, "testdata/diff_new.yaml")
	rep, err := check.Diff(base, p, cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	ch := byCode(rep, check.CodeOutcomeChange)
	if len(ch) != 1 {
		for _, f := range rep.Findings {
			t.Log(f.Snippet())
		}
		t.Fatalf("want one outcome change, got %d", len(ch))
	}
	c := ch[0]
	if c.Message != "rule passed changed: review → approve when t.primary is true, and nothing else is reported" ||
		c.Pos.Line != 13 || c.Case.Base != engine.Review || c.Case.Outcome != engine.Approve {
		t.Errorf("%s", c.Snippet())
	}
	for _, pol := range []struct {
		p    *engine.Policy
		want engine.Outcome
	}{{base, engine.Review}, {p, engine.Approve}} {
		f, err := c.Case.Facts(cat)
		if err != nil {
			t.Fatal(err)
		}
		if got := pol.p.Evaluate(f).Outcome; got != pol.want {
			t.Errorf("%s %s decides %s, want %s", pol.p.Name, pol.p.Version, got, pol.want)
		}
	}
	// A changed default changes the cases no rule decides.
	src, err := os.ReadFile("testdata/diff_base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.Replace(string(src), "default: review", "default: reject", 1))
	strict, err := rules.Compile("strict.yaml", src, cat)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = check.Diff(base, strict, cat, &check.Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	ch = byCode(rep, check.CodeOutcomeChange)
	if len(ch) != 1 || ch[0].Message != "the default outcome changed from review to reject: review → reject when no fact is reported" || ch[0].Pos.String() != "strict.yaml:3:10" {
		t.Errorf("default change: %+v", rep.Findings)
	}
	// A policy compared with itself changes nothing.
	same, err := check.Diff(p, p, cat, nil)
	if err != nil || len(same.Findings) != 0 {
		t.Errorf("self diff: %v %+v", err, same.Findings)
	}
}

// Warnings: a rule that can never fire, one that a stricter rule always
// overrides, one that fires only while a requirement is unmet, an
// unreachable threshold and an unused derived fact.
func TestWarnings(t *testing.T) {
	cat := check.TestCatalog
	src := []byte(`policy: warnings
version: "1"
default: review
require:
  - id: status
    description: A status.
    facts: [t.status]
derive:
  - name: unused
    description: Nothing reads it.
    expr: t.b0 && t.b1
rules:
  - id: never
    description: Contradiction.
    when: t.b2 && !t.b2
    outcome: reject
    reason: Never.
  - id: soft
    description: Review on a failed primary check.
    when: t.primary == false && t.b3
    outcome: review
    reason: Soft.
    unknown: ignore
  - id: hard
    description: Reject on a failed primary check.
    when: t.primary == false
    outcome: reject
    reason: Hard.
    unknown: ignore
  - id: no-status
    description: Review when there is no status.
    when: t.status == nil
    outcome: review
    reason: No status.
  - id: passed
    description: Approve.
    when: t.primary && t.status == "approved"
    outcome: approve
    reason: Passed.
scores:
  - id: bits
    description: Bits.
    unknown: ignore
    terms:
      - when: t.b4
        points: 10
      - when: t.b5
        points: 10
    thresholds:
      - min: 30
        outcome: reject
        reason: Too many.
      - min: 20
        outcome: review
        reason: Many.
informational:
  - facts: [t.secondary, t.score, t.similarity, t.labels, t.flag]
    reason: Not used.
`)
	p, err := rules.Compile("w.yaml", src, cat)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Policy(p, cat, &check.Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Code != check.CodeAcceptedRisk {
			got = append(got, f.Pos.String()+" "+f.Code+" "+f.Rule+f.Fact)
		}
	}
	want := []string{
		"w.yaml:11:11 unused-fact unused",
		"w.yaml:15:11 unreachable-rule never",
		"w.yaml:20:11 shadowed-rule soft",
		"w.yaml:32:11 unreachable-rule no-status",
		"w.yaml:41:9 unreachable-threshold bits",
	}
	if !slices.Equal(got, want) {
		for _, f := range rep.Findings {
			t.Log(f.Snippet())
		}
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Every counterexample check prints, pasted into a suite, passes: the
// suite runner reads the facts syntax check writes.
func TestCounterexamplesPassAsSuite(t *testing.T) {
	cat := check.TestCatalog
	dir := t.TempDir()
	var tests []string
	for _, name := range []string{"approve_path", "no_path"} {
		_, rep := run(t, cat, filepath.Join("testdata", name+".yaml"), nil)
		var cases []string
		for _, f := range rep.Findings {
			if f.Case != nil {
				cases = append(cases, f.Case.YAML(2))
			}
		}
		// One case with every evidence state, which check prints too.
		if name == "no_path" {
			c := &check.Case{Name: "check: states", Set: map[string]engine.Value{"t.primary": engine.BoolValue(true)},
				Unreadable: []string{"t.secondary"}, Conflicting: map[string]engine.Value{"t.status": engine.StringValue("approved")},
				Outcome: engine.Review}
			cases = append(cases, c.YAML(2))
		}
		if len(cases) == 0 {
			t.Fatalf("%s: no counterexample", name)
		}
		abs, err := filepath.Abs(filepath.Join("testdata", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		suite := "policy: " + abs + "\nas_of: 2025-06-17\ntests:\n" + strings.Join(cases, "")
		path := filepath.Join(dir, name+".test.yaml")
		if err := os.WriteFile(path, []byte(suite), 0o644); err != nil {
			t.Fatal(err)
		}
		tests = append(tests, path)
	}
	h := &policytest.Harness{Catalog: cat, Normalize: func([]byte, *engine.Facts, time.Time) error {
		return errors.New("no provider")
	}}
	var out, errOut strings.Builder
	if code := h.Main(policytest.Config{Paths: tests, Verbose: true}, &out, &errOut); code != 0 {
		t.Errorf("suite exit %d:\n%s\n%s", code, out.String(), errOut.String())
	}
}

// Every policy under policies/ passes the check: no approval on adverse
// evidence, and every counterexample a finding carries approves.
func TestPolicies(t *testing.T) {
	cat := normalizers.Catalog()
	paths, err := filepath.Glob("../../policies/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if policytest.IsSuiteFile(path) {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			p, rep := run(t, cat, path, nil)
			for _, f := range rep.Findings {
				if f.Case != nil {
					assertApproves(t, p, cat, f.Case)
				}
				if f.Severity == check.Error {
					t.Errorf("%s\n%s", f.Snippet(), f.Case.YAML(4))
				}
			}
		})
	}
}
