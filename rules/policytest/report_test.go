package policytest

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/rules"
)

// failedOutput runs a suite of the mini policy and returns what WriteTest
// prints for each test.
func failedOutput(t *testing.T, src string) []string {
	t.Helper()
	s, err := testHarness.Parse("testdata/x.test.yaml", []byte(src), miniPolicy(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range s.Run(Options{}).Tests {
		var b strings.Builder
		WriteTest(&b, &r, false)
		// The elapsed time varies; the rest is exact.
		text := b.String()
		if i, j := strings.Index(text, " ("), strings.Index(text, ")\n"); i >= 0 && j > i {
			text = text[:i] + text[j+1:]
		}
		out = append(out, text)
	}
	return out
}

// A failed test shows the decision it got: the reasons, the shadow rules
// that fired, the missing facts, the payload's warnings, the rules let
// pass undecided, and whether the default decided.
func TestWriteDecision(t *testing.T) {
	got := failedOutput(t, `as_of: 2025-06-17
tests:
  - name: approved with a shadow rule and a skipped one
    facts:
      set: {veriff.status: approved, veriff.risk_score: 0.6}
    expect: {outcome: reject}
  - name: no decision
    facts:
      set: {jaak.ofac.passed: true}
    expect: {outcome: approve}
  - name: the default
    facts:
      set: {veriff.status: expired, jaak.ofac.passed: true}
    expect: {outcome: approve}
  - name: a payload with a warning
    case: {status: success, verification: {status: approved, code: "x"}}
    expect: {outcome: reject}
  - name: nothing let pass
    facts:
      set: {veriff.status: declined, jaak.ofac.passed: true, veriff.risk_score: 0.1, veriff.risk_linked_sessions: 0}
    expect: {outcome: approve}
  - name: passes
    facts:
      set: {veriff.status: declined}
    expect: {outcome: reject}
`)
	want := []string{
		`--- FAIL  approved with a shadow rule and a skipped one
    testdata/x.test.yaml:3:5: outcome: want reject, got approve
    got approve
      [approve] approved (rule): Veriff approved.
      [shadow review] trial-risk (rule): Risk score 0.6.
      undecided, let pass: ofac-hit, risk
`,
		`--- FAIL  no decision
    testdata/x.test.yaml:7:5: outcome: want approve, got review
    got review
      [review] veriff-decision (requirement): required evidence missing: A Veriff decision.
      [shadow review] trial-risk (indeterminate): not decided: veriff.risk_score unknown
      missing: veriff.status
      undecided, let pass: approved, risk
`,
		`--- FAIL  the default
    testdata/x.test.yaml:11:5: outcome: want approve, got review
    got review (the policy's default: nothing fired)
      [shadow review] trial-risk (indeterminate): not decided: veriff.risk_score unknown
      undecided, let pass: risk
`,
		`--- FAIL  a payload with a warning
    testdata/x.test.yaml:15:5: outcome: want reject, got approve
    got approve
      [approve] approved (rule): Veriff approved.
      [shadow review] trial-risk (indeterminate): not decided: veriff.risk_score unknown
      warning: veriff: byte 63: verification.code: expected a whole number, got string
      undecided, let pass: ofac-hit, risk
`,
		`--- FAIL  nothing let pass
    testdata/x.test.yaml:18:5: outcome: want approve, got reject
    got reject
      [reject] declined (rule): Veriff declined (unknown).
`,
		"",
	}
	if len(got) != len(want) {
		t.Fatalf("%d tests ran, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("test %d:\n%s\nwant:\n%s", i, got[i], want[i])
		}
	}
}

// WriteTest: a passed test is printed only when verbose.
func TestWriteTestVerbose(t *testing.T) {
	r := &TestResult{Test: &Test{Name: "t"}, Elapsed: 1500 * time.Microsecond}
	var quiet, verbose strings.Builder
	WriteTest(&quiet, r, false)
	WriteTest(&verbose, r, true)
	if quiet.String() != "" || verbose.String() != "--- ok    t (1.5ms)\n" {
		t.Errorf("quiet %q, verbose %q", quiet.String(), verbose.String())
	}
}

func TestDur(t *testing.T) {
	for d, want := range map[time.Duration]string{
		999_400:                "999µs",
		999_600:                "1ms",
		time.Millisecond:       "1ms",
		1_234_567:              "1.23ms",
		2*time.Second + 55_000: "2.00006s",
		0:                      "0s",
	} {
		if got := dur(d); got != want {
			t.Errorf("dur(%d) = %s, want %s", d, got, want)
		}
	}
}

// The summary line says "of N" only when a filter left tests out.
func TestWriteSummary(t *testing.T) {
	s := &Suite{File: "a.test.yaml", Tests: make([]*Test, 2)}
	pass := TestResult{Test: &Test{}}
	fail := TestResult{Test: &Test{}, Failures: []string{"x"}}
	for _, tc := range []struct {
		tests    []TestResult
		filtered bool
		want     string
	}{
		{[]TestResult{pass, pass}, true, "ok    a.test.yaml  2 tests  (0s)\n"},
		{[]TestResult{pass}, true, "ok    a.test.yaml  1 test of 2  (0s)\n"},
		{[]TestResult{pass}, false, "ok    a.test.yaml  1 test  (0s)\n"},
		{[]TestResult{fail, pass}, false, "FAIL  a.test.yaml  2 tests, 1 failed  (0s)\n"},
		{[]TestResult{fail}, true, "FAIL  a.test.yaml  1 test, 1 failed of 2  (0s)\n"},
	} {
		var b strings.Builder
		WriteSummary(&b, &SuiteResult{Suite: s, Tests: tc.tests}, tc.filtered)
		if b.String() != tc.want {
			t.Errorf("%q, want %q", b.String(), tc.want)
		}
	}
}

// Verbose coverage lists every item with its count; never-exercised items
// say how each kind is exercised: a requirement unmet, a threshold
// reached, a rule fired.
func TestWriteCoverageVerbose(t *testing.T) {
	p := miniPolicy(t)
	c := NewCoverage(p)
	c.Tests = 3
	c.Items[1].Hits = 1 // declined
	c.Items[3].Hits = 2 // approved
	c.Items[6].Hits = 1 // risk >= 20
	var b strings.Builder
	WriteCoverage(&b, c, true)
	want := `coverage: 42.9% of mini 1 (testdata/mini.yaml): 3 of 7 exercised in 3 tests
    never unmet:   requirement veriff-decision
    1 test:        rule declined
    never fired:   rule ofac-hit
    2 tests:       rule approved
    never fired:   shadow rule trial-risk
    never reached: score risk >= 60 (reject)
    1 test:        score risk >= 20 (review)
`
	if b.String() != want {
		t.Errorf("verbose coverage:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	WriteCoverage(&b, c, false)
	if strings.Contains(b.String(), "1 test:") || !strings.Contains(b.String(), "never unmet:   requirement veriff-decision") {
		t.Errorf("coverage:\n%s", b.String())
	}
	// Main prints every item only with both --coverage and -v.
	for _, tc := range []struct {
		cfg  Config
		want bool
	}{{Config{Coverage: true, Verbose: true}, true}, {Config{Coverage: true}, false}, {Config{Verbose: true, MinCoverage: 50}, false}} {
		tc.cfg.Paths = []string{"testdata/mini.test.yaml"}
		if tc.cfg.MinCoverage == 0 {
			tc.cfg.MinCoverage = NoMinimum
		}
		var out strings.Builder
		testHarness.Main(tc.cfg, &out, &out)
		if got := strings.Contains(out.String(), "    2 tests:       rule approved\n"); got != tc.want {
			t.Errorf("%+v: every item listed %v:\n%s", tc.cfg, got, out.String())
		}
	}
}

// TestRunMinCoverage: under go test, a policy's coverage below MinCoverage
// fails the test, a coverage equal to it passes, and the minimum is not
// checked when a filter left tests out (seen from child processes).
func TestRunMinCoverage(t *testing.T) {
	if min := os.Getenv("POLICYTEST_MIN"); min != "" {
		m, err := strconv.ParseFloat(min, 64)
		if err != nil {
			t.Fatal(err)
		}
		Run(t, testHarness, Config{Paths: []string{"testdata/mini.test.yaml"}, MinCoverage: m, Run: os.Getenv("POLICYTEST_RUN")})
		return
	}
	for _, tc := range []struct {
		min, run string
		fails    bool
	}{
		{"72", "", true},
		{strconv.FormatFloat(500.0/7, 'g', -1, 64), "", false},
		{"100", "declined", false},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRunMinCoverage$")
		cmd.Env = append(os.Environ(), "POLICYTEST_MIN="+tc.min, "POLICYTEST_RUN="+tc.run)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != tc.fails {
			t.Errorf("MinCoverage %s, Run %q: failed %v, want %v:\n%s", tc.min, tc.run, failed, tc.fails, out)
		}
		if tc.fails && (!strings.Contains(string(out), "coverage 71.4% of testdata/mini.yaml is below 72%:\n") || !strings.Contains(string(out), "coverage: 71.4% of mini 1")) {
			t.Errorf("MinCoverage %s: output\n%s", tc.min, out)
		}
	}
}

// why and the empty expectations: a rule undecided although every fact it
// reads is known (a division by zero) says so; fired: [] passes when
// nothing fired.
func TestUndecidedWithoutUnknownFacts(t *testing.T) {
	src := []byte(`policy: div
version: "1"
default: review
rules:
  - id: ratio
    description: A ratio.
    when: veriff.risk_score / veriff.code > 1
    outcome: reject
    reason: Ratio.
`)
	p, err := rules.Compile("div.yaml", src, testHarness.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	s, err := testHarness.Parse("div.test.yaml", []byte(`as_of: 2025-06-17
tests:
  - name: zero
    facts: {set: {veriff.risk_score: 0.5, veriff.code: 0}}
    expect: {outcome: reject, fired: [ratio]}
  - name: nothing fires
    facts: {set: {veriff.risk_score: 0.5, veriff.code: 1}}
    expect: {outcome: review, fired: [], shadow: [], missing: []}
`), p)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Run(Options{})
	if f := r.Tests[0].Failures; len(f) != 2 || f[1] != "fired: ratio did not fire: undecided for unknown facts" {
		t.Errorf("failures %q", f)
	}
	if !r.Tests[1].Passed() {
		t.Errorf("nothing fires: %q", r.Tests[1].Failures)
	}
}

// Run fails the Go test at once for a harness without a catalog, a --run
// that does not compile and a path that does not exist.
func TestRunFatal(t *testing.T) {
	switch os.Getenv("POLICYTEST_FATAL") {
	case "harness":
		Run(t, &Harness{}, Config{Paths: []string{"testdata/mini.test.yaml"}})
		return
	case "run":
		Run(t, testHarness, Config{Paths: []string{"testdata/mini.test.yaml"}, Run: "("})
		return
	case "paths":
		Run(t, testHarness, Config{Paths: []string{"testdata/nothing-here"}})
		return
	case "load":
		Run(t, testHarness, Config{Paths: []string{"testdata/errors/ids.test.yaml", "testdata/mini.test.yaml"}})
		return
	}
	for mode, want := range map[string]string{
		"harness": "policytest: the harness has no fact catalog",
		"run":     "policytest: Run: error parsing regexp",
		"paths":   "policytest: stat testdata/nothing-here: no such file or directory",
		"load":    "suite testdata/errors/ids.test.yaml does not load:\n",
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRunFatal$", "-test.v")
		cmd.Env = append(os.Environ(), "POLICYTEST_FATAL="+mode)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("%s: %v, output lacks %q:\n%s", mode, err, want, out)
		}
		if mode == "load" && !strings.Contains(string(out), "--- PASS: TestRunFatal/testdata/mini.test.yaml/no_decision") {
			t.Errorf("the suites after one that does not load do not run:\n%s", out)
		}
	}
}
