package policytest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testHarness runs suites with veredicto's providers, as the command does.
var testHarness = &Harness{
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

func miniPolicy(t testing.TB) *engine.Policy {
	t.Helper()
	p, err := rules.Load("testdata/mini.yaml", normalizers.Catalog())
	if err != nil {
		t.Fatalf("testdata/mini.yaml: %v", err)
	}
	return p
}

func mainOut(t *testing.T, cfg Config) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if cfg.MinCoverage == 0 {
		cfg.MinCoverage = NoMinimum
	}
	code := testHarness.Main(cfg, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestLoadErrors: every problem of the broken suites in testdata/errors is
// reported at file:line:column with its source line and a caret. The golden
// file is rewritten with go test -update.
func TestLoadErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.test.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no suites in testdata/errors: %v", err)
	}
	var got strings.Builder
	for _, f := range files {
		_, err := testHarness.NewLoader().Load(f)
		var list engine.ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: loaded with error %v, want an ErrorList", f, err)
			continue
		}
		for _, e := range list {
			if e.Pos.File == "" || e.Pos.Line < 1 || e.Pos.Column < 1 {
				t.Errorf("%s: error without a full position: %v", f, e)
			}
			if e.Code == "" {
				t.Errorf("%s: error without a code: %v", f, e)
			}
		}
		got.WriteString("== " + filepath.ToSlash(f) + "\n")
		got.WriteString(filepath.ToSlash(list.Snippets()))
	}
	golden := "testdata/errors.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got.String() != string(want) {
		t.Errorf("load errors differ from %s (go test -update rewrites it):\n%s", golden, lineDiff(string(want), got.String()))
	}
}

// lineDiff shows the first lines where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

func itoa(i int) string { return num(float64(i)) }

// TestLoadErrorsNamed checks a few of the golden errors by meaning, so that
// a careless -update cannot hide a regression.
func TestLoadErrorsNamed(t *testing.T) {
	tests := []struct {
		file string
		want []string // "line:column: message part"
	}{
		{"testdata/errors/keys.test.yaml", []string{
			`3:1: unknown key "descripton" in suite (did you mean description?)`,
			`6:5: unknown key "fixtrue" in test "unknown keys" (did you mean fixture?)`,
			`9:7: unknown key "fierd" in expect (did you mean fired?)`,
			`12:5: key "fixture" given twice`,
			`14:5: tests[2]: missing name`,
			`16:5: test "no expect": missing expect`,
			`18:11: test name "no expect" already used at line 16`,
			`20:23: outcome "rejected": did you mean reject?`,
			`23:13: expect: missing outcome`,
			`24:5: test "no case": no case: give one of case, fixture or results`,
			`27:5: test "two cases": give only one of case, fixture or results`,
			`30:5: tests[8]: expected a mapping`,
		}},
		{"testdata/errors/ids.test.yaml", []string{
			`8:15: fired: the policy mini has no rule, requirement or score "decline" (did you mean declined?)`,
			`8:24: fired: trial-risk is a shadow rule: list it under shadow`,
			`8:63: fired: declined listed twice`,
			`9:19: not_fired: declined is also expected to fire`,
			`9:29: not_fired: the policy mini has no rule, requirement or score "ofac"`,
			`10:16: shadow: approved is a rule, not a shadow one`,
			`10:26: shadow: the policy mini has no rule, requirement or score "trial-rsk" (did you mean trial-risk?)`,
			`11:17: missing: unknown fact "veriff.stats" (did you mean veriff.status?)`,
			`11:31: missing: risky is derived by the policy from veriff.risk_score`,
			`13:9: scores: the policy mini has no rule, requirement or score "rsk" (did you mean risk?)`,
			`14:9: scores: declined is a rule, not a score`,
			`15:24: scores.risk.points: expected a number`,
			`15:39: outcome "maybe": want approve, review, reject, none`,
			`21:18: not_fired: an empty list checks nothing`,
			`22:19: undecided: veriff-decision is a requirement: it is met or unmet, never undecided`,
			`22:36: undecided: declined is also expected to fire`,
			`23:15: missing: expected a list (write [] for none)`,
			`24:22: scores.risk: give points, outcome or both`,
		}},
		{"testdata/errors/facts.test.yaml", []string{
			`8:27: facts.set: jaak.ofac.passed is a bool fact: expected true or false`,
			`9:24: facts.set: veriff.status: "Declined" is not one of its values (did you mean declined?)`,
			`10:28: facts.set: veriff.risk_score is a number fact: expected a number`,
			`12:24: facts.set: veriff.reason is a string fact: expected text (quote it)`,
			`13:29: facts.set: veriff.risk_labels is a list fact: expected a list of text`,
			`14:9: facts.set: risky is derived by the policy from veriff.risk_score; edit those facts instead`,
			`15:9: facts.set: unknown fact "veriff.risk_scor" (did you mean veriff.risk_score?)`,
			`16:29: facts.set: veriff.reason_code: a fact is made unknown with unset, not null`,
			`17:35: facts.unset: unknown fact "veriff.decison"`,
			`17:51: facts.unset: jaak.ofac.passed is also under set`,
			`21:57: unknown key "reset" in facts (did you mean set?)`,
		}},
		{"testdata/errors/cases.test.yaml", []string{
			`3:5: test "no evaluation time": no evaluation time: give as_of`,
			`7:12: as_of "17/06/2025": want an RFC 3339 time`,
			`12:14: fixture veriff/session_declined_generik.json not found: neither in testdata/errors nor among the built-in fixtures (did you mean veriff/session_declined_generic.json?)`,
			`21:27: case: veriff: verification must be an object or null, got array`,
			`30:50: case: veriff: verification must be an object or null, got string`,
			`34:11: case: no provider has this payload shape (top-level keys: hello)`,
			`40:11: case: results[0]: unknown provider "verif" (did you mean veriff?)`,
			`50:9: results[1]: give payload or fixture`,
			`54:9: results[2]: give payload or fixture, not both`,
			`56:18: results[3].payload: expected a mapping`,
			`60:14: fixture ../payloads/not_a_case.json: veriff: byte 85: verification must be an object or null, got number`,
			`64:11: case: expected a mapping`,
			`69:29: case: larger than 1048576 bytes or 100000 values as JSON`,
		}},
		{"testdata/errors/syntax.test.yaml", []string{`3:1: YAML: found unexpected end of stream`}},
		{"testdata/errors/nopolicy.test.yaml", []string{`1:9: policy file testdata/absent.yaml not found`}},
		{"testdata/errors/broken.test.yaml", []string{
			`1:1: the policy testdata/errors/broken.yaml does not load (1 problem)`,
			`testdata/errors/broken.yaml:7:11: unknown fact veriff.statsu (did you mean veriff.status?)`,
		}},
		{"testdata/errors/empty.test.yaml", []string{`1:1: empty suite`}},
		{"testdata/errors/badtime.test.yaml", []string{`2:8: as_of "yesterday": want an RFC 3339 time`}},
		{"testdata/errors/notests.test.yaml", []string{`2:8: tests: expected a list of at least one test`}},
		{"testdata/errors/list.test.yaml", []string{`1:1: a suite is a mapping of policy, as_of, description, tests`}},
	}
	for _, tt := range tests {
		_, err := testHarness.NewLoader().Load(tt.file)
		var list engine.ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: error %v, want an ErrorList", tt.file, err)
			continue
		}
		if strings.HasSuffix(tt.file, "badtime.test.yaml") && len(list) != 1 {
			t.Errorf("%s: %d errors, want only the bad as_of: %v", tt.file, len(list), list)
		}
		got := make([]string, len(list))
		for i, e := range list {
			got[i] = filepath.ToSlash(e.Error())
		}
		for _, w := range tt.want {
			full := w
			if !strings.HasPrefix(w, "testdata/") {
				full = tt.file + ":" + w
			}
			if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, full) }) {
				t.Errorf("%s: no error %q among:\n  %s", tt.file, full, strings.Join(got, "\n  "))
			}
		}
	}
}

// TestFailingSuite: a suite that fails on purpose fails with the expected
// and the actual decision, and exit code 1.
func TestFailingSuite(t *testing.T) {
	code, out, errOut := mainOut(t, Config{Paths: []string{"testdata/failing"}})
	if code != ExitFail {
		t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitFail, out, errOut)
	}
	for _, want := range []string{
		"--- FAIL  wrong outcome and rules (",
		"    testdata/failing/failing.test.yaml:9:5: outcome: want approve, got reject\n",
		"    testdata/failing/failing.test.yaml:9:5: fired: approved did not fire: its condition was false\n",
		"    testdata/failing/failing.test.yaml:9:5: fired: risk did not fire: 0 points reach no threshold\n",
		"    testdata/failing/failing.test.yaml:9:5: not_fired: declined fired: Veriff declined (102).\n",
		"    testdata/failing/failing.test.yaml:9:5: missing: want jaak.ofac.passed among the missing facts, got none\n",
		"    got reject\n      [reject] declined (rule): Veriff declined (102).\n",
		"    testdata/failing/failing.test.yaml:17:5: fired: want nothing to fire, got risk, approved\n",
		"    testdata/failing/failing.test.yaml:17:5: shadow: want no shadow rule to fire, got trial-risk\n",
		"    testdata/failing/failing.test.yaml:17:5: scores: risk: want 50 points, got 70\n",
		"    testdata/failing/failing.test.yaml:17:5: scores: risk: want outcome review, got reject (70 points, fired)\n",
		"    testdata/failing/failing.test.yaml:29:5: fired: declined did not fire: undecided, veriff.status unknown\n",
		"    testdata/failing/failing.test.yaml:17:5: undecided: approved fired: Veriff approved.\n",
		"FAIL  testdata/failing/failing.test.yaml  4 tests, 3 failed  (",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "--- ok") || strings.Contains(out, "passes") {
		t.Errorf("a passed test is printed without -v:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}

	// The same through the library: exactly the three tests fail.
	p := miniPolicy(t)
	src, err := os.ReadFile("testdata/failing/failing.test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Parse resolves fixtures against the suite's own directory.
	s, err := testHarness.Parse("testdata/failing/failing.test.yaml", src, p)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Run(Options{})
	var failed []string
	for _, tr := range r.Tests {
		if !tr.Passed() {
			failed = append(failed, tr.Test.Name)
		}
	}
	if want := []string{"wrong outcome and rules", "nothing was to fire", "undecided rule"}; !slices.Equal(failed, want) {
		t.Errorf("failed %q, want %q", failed, want)
	}
}

// TestPassingSuite: with -v each passing test is listed, then the summary.
func TestPassingSuite(t *testing.T) {
	code, out, errOut := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, Verbose: true})
	if code != ExitOK {
		t.Fatalf("exit code %d\n%s%s", code, out, errOut)
	}
	re := regexp.MustCompile(`(?m)^--- ok    (.+) \(\d+(\.\d+)?(µs|ms|s)\)$`)
	if got := len(re.FindAllString(out, -1)); got != 4 {
		t.Errorf("%d passing tests listed, want 4:\n%s", got, out)
	}
	if !regexp.MustCompile(`(?m)^ok    testdata/mini.test.yaml  4 tests  \(\d+(\.\d+)?(µs|ms|s)\)$`).MatchString(out) {
		t.Errorf("no summary line:\n%s", out)
	}
	if strings.Contains(out, "coverage") {
		t.Errorf("coverage printed without --coverage:\n%s", out)
	}
}

func TestRunFilter(t *testing.T) {
	code, out, _ := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, Run: "^no decision$", Verbose: true})
	if code != ExitOK || strings.Count(out, "--- ok") != 1 || !strings.Contains(out, "--- ok    no decision") {
		t.Errorf("--run ^no decision$: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "  1 test of 4  (") {
		t.Errorf("summary does not say 1 test of 4:\n%s", out)
	}

	// A filter that leaves out the failing tests passes.
	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/failing"}, Run: "pass"})
	if code != ExitOK || !strings.Contains(out, "ok    testdata/failing/failing.test.yaml  1 test of 4") {
		t.Errorf("--run pass on the failing suite: exit %d\n%s", code, out)
	}

	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, Run: "nothing like this"})
	if code != ExitFail || !strings.Contains(out, `--run "nothing like this" matched no test`) {
		t.Errorf("--run matching nothing: exit %d\n%s", code, out)
	}

	code, _, errOut := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, Run: "("})
	if code != ExitLoad || !strings.Contains(errOut, "--run: error parsing regexp") {
		t.Errorf("--run (: exit %d, stderr %q", code, errOut)
	}
}

func TestCoverage(t *testing.T) {
	p := miniPolicy(t)
	s := loadSuite(t, "testdata/mini.test.yaml", p)
	c := NewCoverage(p)
	r := s.Run(Options{})
	for i := range r.Tests {
		c.Add(&r.Tests[i].Decision)
	}
	if len(c.Items) != 7 || c.Covered() != 5 || c.Tests != 4 {
		t.Errorf("coverage %d of %d in %d tests, want 5 of 7 in 4", c.Covered(), len(c.Items), c.Tests)
	}
	if math.Abs(c.Percent()-500.0/7) > 1e-9 {
		t.Errorf("percent %v, want %v", c.Percent(), 500.0/7)
	}
	var un []string
	for _, it := range c.Uncovered() {
		un = append(un, c.Label(it))
	}
	if want := []string{"rule ofac-hit", "score risk >= 60 (reject)"}; !slices.Equal(un, want) {
		t.Errorf("uncovered %q, want %q", un, want)
	}
	hits := map[string]int{}
	for _, it := range c.Items {
		hits[c.Label(it)] = it.Hits
	}
	if hits["rule approved"] != 2 || hits["requirement veriff-decision"] != 1 || hits["score risk >= 20 (review)"] != 1 || hits["shadow rule trial-risk"] != 1 {
		t.Errorf("hits %v", hits)
	}

	// --run narrows coverage to the tests that ran.
	c2 := NewCoverage(p)
	r2 := s.Run(Options{Run: regexp.MustCompile("declined")})
	for i := range r2.Tests {
		c2.Add(&r2.Tests[i].Decision)
	}
	if c2.Covered() != 1 {
		t.Errorf("one test covers %d items, want 1 (rule declined)", c2.Covered())
	}

	code, out, _ := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, Coverage: true})
	if code != ExitOK {
		t.Errorf("--coverage alone: exit %d", code)
	}
	for _, want := range []string{
		"coverage: 71.4% of mini 1 (testdata/mini.yaml): 5 of 7 exercised in 4 tests\n",
		"    never fired:   rule ofac-hit\n",
		"    never reached: score risk >= 60 (reject)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--coverage output lacks %q:\n%s", want, out)
		}
	}
	code, _, _ = mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, MinCoverage: 71})
	if code != ExitOK {
		t.Errorf("--min-coverage 71 at 71.4%%: exit %d", code)
	}
	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, MinCoverage: 72})
	if code != ExitFail || !strings.Contains(out, "FAIL  coverage 71.4% of testdata/mini.yaml is below --min-coverage 72%") {
		t.Errorf("--min-coverage 72 at 71.4%%: exit %d\n%s", code, out)
	}
	code, _, errOut := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, MinCoverage: 101})
	if code != ExitLoad || !strings.Contains(errOut, "--min-coverage 101") {
		t.Errorf("--min-coverage 101: exit %d %q", code, errOut)
	}
}

// TestCoverageAcrossSuites: two suites of one policy add up.
func TestCoverageAcrossSuites(t *testing.T) {
	_, out, _ := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml", "testdata/failing"}, Coverage: true})
	if strings.Count(out, "coverage: ") != 1 || !strings.Contains(out, "6 of 7 exercised in 8 tests") {
		t.Errorf("coverage of two suites of one policy:\n%s", out)
	}
}

func loadSuite(t testing.TB, file string, p *engine.Policy) *Suite {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := testHarness.Parse(file, src, p)
	if err != nil {
		var list engine.ErrorList
		if errors.As(err, &list) {
			t.Fatalf("%s", list.Snippets())
		}
		t.Fatal(err)
	}
	return s
}

// TestJUnit: the report is well-formed XML with the right counts, a failure
// per failed test and an error per suite that did not load.
func TestJUnit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report.xml")
	code, _, _ := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml", "testdata/failing", "testdata/errors/ids.test.yaml"}, JUnit: file})
	if code != ExitLoad {
		t.Errorf("exit %d, want %d (a suite did not load)", code, ExitLoad)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed: every token decodes.
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
	}
	var doc junitSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 9 || doc.Failures != 3 || doc.Errors != 1 || len(doc.Suites) != 3 {
		t.Fatalf("testsuites: tests=%d failures=%d errors=%d suites=%d, want 9 3 1 3", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
	}
	mini, failing, broken := doc.Suites[0], doc.Suites[1], doc.Suites[2]
	if mini.Name != "testdata/mini.test.yaml" || mini.Tests != 4 || mini.Failures != 0 || len(mini.Cases) != 4 {
		t.Errorf("mini suite %+v", mini)
	}
	if _, err := time.Parse("2006-01-02T15:04:05", mini.Timestamp); err != nil {
		t.Errorf("timestamp %q: %v", mini.Timestamp, err)
	}
	props := map[string]string{}
	for _, p := range mini.Properties {
		props[p.Name] = p.Value
	}
	if props["policy"] != "mini" || props["policy.version"] != "1" || len(props["policy.hash"]) != 64 {
		t.Errorf("properties %v", props)
	}
	if failing.Tests != 4 || failing.Failures != 3 {
		t.Errorf("failing suite tests=%d failures=%d", failing.Tests, failing.Failures)
	}
	var wrong *junitCase
	for i := range failing.Cases {
		c := &failing.Cases[i]
		if c.Classname != "testdata/failing/failing.test.yaml" || c.Time == "" {
			t.Errorf("case %+v", c)
		}
		if c.Name == "wrong outcome and rules" {
			wrong = c
		}
		if c.Name == "passes" && c.Failure != nil {
			t.Errorf("the passing test has a failure")
		}
	}
	if wrong == nil || wrong.Failure == nil || wrong.Line != 9 {
		t.Fatalf("no failure for the wrong test: %+v", wrong)
	}
	if wrong.Failure.Message != "outcome: want approve, got reject" || !strings.Contains(wrong.Failure.Text, "not_fired: declined fired") {
		t.Errorf("failure %+v", wrong.Failure)
	}
	if broken.Errors != 1 || len(broken.Cases) != 1 || broken.Cases[0].Error == nil ||
		!strings.Contains(broken.Cases[0].Error.Text, "testdata/errors/ids.test.yaml:8:15: fired: the policy mini has no rule") {
		t.Errorf("load error suite %+v", broken)
	}

	// An unwritable report is an error of its own.
	code, _, errOut := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, JUnit: filepath.Join(t.TempDir(), "no", "such", "dir.xml")})
	if code != ExitLoad || !strings.Contains(errOut, "--junit:") {
		t.Errorf("unwritable --junit: exit %d %q", code, errOut)
	}
}

// TestJUnitEscapes: names and messages with XML's special characters and
// control characters still give a document that reads back the same.
func TestJUnitEscapes(t *testing.T) {
	p := miniPolicy(t)
	src := []byte("as_of: 2025-06-17\ntests:\n  - name: \"<a & b> \\\"quoted\\\" \\x01\"\n    fixture: payloads/approved.json\n    expect: {outcome: reject}\n")
	s, err := testHarness.Parse("testdata/escape.test.yaml", src, p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, []*SuiteResult{s.Run(Options{})}, nil); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if got := doc.Suites[0].Cases[0].Name; !strings.HasPrefix(got, `<a & b> "quoted" `) {
		t.Errorf("name read back as %q", got)
	}
}

// TestFactEdits: set and unset change the normalized facts; the case facts
// are not recomputed.
func TestFactEdits(t *testing.T) {
	p := miniPolicy(t)
	src := []byte(`
as_of: 2025-06-17
tests:
  - name: edited
    fixture: cases/mx_full_approved.json
    facts:
      set: {jaak.ofac.passed: false, veriff.risk_score: 0.25, veriff.person.age: 15, veriff.risk_labels: [a, b], veriff.document.valid_until: 2020-01-01}
      unset: [veriff.status]
    expect: {outcome: review}
`)
	s, err := testHarness.Parse("testdata/edits.test.yaml", src, p)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Tests[0].facts
	check := func(name string, want engine.Value) {
		t.Helper()
		got, ok := f.Lookup(name)
		if !ok || got.Kind != want.Kind || got.String() != want.String() {
			t.Errorf("%s = %v (%s), want %v (%s)", name, got, got.Kind, want, want.Kind)
		}
	}
	check("jaak.ofac.passed", engine.BoolValue(false))
	check("veriff.risk_score", engine.NumberValue(0.25))
	check("veriff.person.age", engine.NumberValue(15))
	check("veriff.risk_labels", engine.ListValue([]string{"a", "b"}))
	check("veriff.document.valid_until", engine.StringValue("2020-01-01"))
	check("veriff.status", engine.Value{})
	check("case.age", engine.NumberValue(36)) // not recomputed
	check("jaak.interpol.passed", engine.BoolValue(true))
}

// TestAsOf: the test's as_of wins over the suite's, which wins over the
// envelope's own.
func TestAsOf(t *testing.T) {
	p := miniPolicy(t)
	src := []byte(`
as_of: 2030-01-01
tests:
  - name: suite
    fixture: cases/mx_full_approved.json
    expect: {outcome: approve}
  - name: test
    as_of: 2031-02-03T04:05:06Z
    fixture: cases/mx_full_approved.json
    expect: {outcome: approve}
`)
	s, err := testHarness.Parse("testdata/asof.test.yaml", src, p)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Run(Options{})
	if got := r.Tests[0].Decision.EvaluatedAt; !got.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("suite as_of: evaluated at %v", got)
	}
	if got := r.Tests[1].Decision.EvaluatedAt; !got.Equal(time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Errorf("test as_of: evaluated at %v", got)
	}
	src = []byte("tests:\n  - name: envelope\n    fixture: cases/mx_full_approved.json\n    expect: {outcome: approve}\n")
	s, err = testHarness.Parse("testdata/asof.test.yaml", src, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Run(Options{}).Tests[0].Decision.EvaluatedAt; !got.Equal(time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("envelope as_of: evaluated at %v", got)
	}
}

// TestMergeKeys: YAML anchors and merge keys share parts of tests.
func TestMergeKeys(t *testing.T) {
	p := miniPolicy(t)
	src := []byte(`
as_of: 2025-06-17
tests:
  - &declined
    name: base
    fixture: veriff/session_declined_generic.json
    expect: {outcome: reject, fired: [declined]}
  - <<: *declined
    name: copy
`)
	s, err := testHarness.Parse("testdata/merge.test.yaml", src, p)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Run(Options{})
	if len(r.Tests) != 2 || r.Failed() != 0 || r.Tests[1].Test.Name != "copy" {
		t.Errorf("merged tests: %d tests, %d failed", len(r.Tests), r.Failed())
	}
}

func TestFind(t *testing.T) {
	got, err := Find([]string{"testdata/tree"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"testdata/tree/e.test.yaml", "testdata/tree/sub/a.test.yml"}
	for i := range got {
		got[i] = filepath.ToSlash(got[i])
	}
	if !slices.Equal(got, want) {
		t.Errorf("Find = %q, want %q", got, want)
	}
	if got, err := Find([]string{"testdata/tree/..."}); err != nil || len(got) != 2 {
		t.Errorf("Find(testdata/tree/...) = %q, %v", got, err)
	}
	// An explicit file is taken even inside a skipped directory, once.
	got, err = Find([]string{"testdata/tree/testdata/b.test.yaml", "testdata/tree/testdata/b.test.yaml"})
	if err != nil || len(got) != 1 {
		t.Errorf("explicit file: %q, %v", got, err)
	}
	for _, bad := range []struct{ path, msg string }{
		{"testdata/tree/sub/not_a_suite.yaml", "is not a test suite"},
		{"testdata/payloads", "no test suites (*.test.yaml) in testdata/payloads"},
		{"testdata/absent", "no such file"},
	} {
		if _, err := Find([]string{bad.path}); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("Find(%s) error %v, want %q", bad.path, err, bad.msg)
		}
		code, _, errOut := mainOut(t, Config{Paths: []string{bad.path}})
		if code != ExitLoad || !strings.Contains(errOut, bad.msg) {
			t.Errorf("testHarness.Main(%s): exit %d %q", bad.path, code, errOut)
		}
	}
}

func TestParseNeedsPolicy(t *testing.T) {
	if _, err := testHarness.Parse("x.test.yaml", []byte("tests: []"), nil); err == nil {
		t.Error("Parse without a policy succeeded")
	}
	other, err := engine.NewCatalog([]engine.FactSpec{{Name: "x.y", Kind: engine.Bool, Provider: "x", Description: "d"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := rules.Compile("p.yaml", []byte("policy: p\nversion: '1'\ndefault: review\nrules:\n  - {id: r, description: d, when: x.y, outcome: reject, reason: r}\n"), other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testHarness.Parse("x.test.yaml", []byte("tests: []"), p); err == nil || !strings.Contains(err.Error(), "catalog") {
		t.Errorf("Parse with another catalog: %v", err)
	}
}

// TestLoaderCompilesOnce: suites of one policy share the compiled policy,
// and a broken policy's problems are reported with the first suite only.
func TestLoaderCompilesOnce(t *testing.T) {
	ld := testHarness.NewLoader()
	a, err := ld.Load("testdata/mini.test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ld.Load("testdata/failing/failing.test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if a.Policy != b.Policy {
		t.Error("the policy was compiled twice")
	}
	_, err1 := ld.Load("testdata/errors/broken.test.yaml")
	_, err2 := ld.Load("testdata/errors/broken.test.yaml")
	var l1, l2 engine.ErrorList
	if !errors.As(err1, &l1) || !errors.As(err2, &l2) || len(l1) != 2 || len(l2) != 1 {
		t.Errorf("broken policy: %d then %d errors, want 2 then 1:\n%v\n%v", len(l1), len(l2), err1, err2)
	}
}

// TestDocExample: the suite shown in the package documentation loads and
// passes against the standard policy.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	in := false
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "//\tpolicy: mx-onboarding.yaml") {
			in = true
		}
		if in && strings.HasPrefix(line, "// The keys of a suite:") {
			break
		}
		if in {
			src.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "//"), "\t") + "\n")
		}
	}
	if !in {
		t.Fatal("no example in doc.go")
	}
	p, err := rules.Load("../../policies/mx-onboarding.yaml", normalizers.Catalog())
	if err != nil {
		t.Fatal(err)
	}
	s, err := testHarness.Parse("../../policies/doc-example.test.yaml", []byte(src.String()), p)
	if err != nil {
		var list engine.ErrorList
		errors.As(err, &list)
		t.Fatalf("the documented example does not load:\n%s\n%s", list.Snippets(), src.String())
	}
	r := s.Run(Options{})
	if len(r.Tests) != 6 {
		t.Errorf("%d tests in the example, want 6", len(r.Tests))
	}
	for i := range r.Tests {
		if !r.Tests[i].Passed() {
			var b strings.Builder
			WriteTest(&b, &r.Tests[i], false)
			t.Errorf("the documented example fails:\n%s", b.String())
		}
	}
}

// TestFactsOnly: a test with facts and no case starts from an empty fact set
// at the suite's as_of; unreadable and conflicting set the evidence state,
// as the analysis prints its counterexamples.
func TestFactsOnly(t *testing.T) {
	p := miniPolicy(t)
	src := []byte(`
as_of: 2025-06-17
tests:
  - name: approved with nothing else
    facts:
      set: {veriff.status: approved}
    expect: {outcome: approve, fired: [approved], missing: []}
  - name: an unreadable status is never an approval
    facts:
      set: {veriff.risk_score: 0.1}
      unreadable: [veriff.status]
    expect: {outcome: review, not_fired: [approved]}
  - name: a conflicting approval reviews
    as_of: 2030-01-02
    facts:
      conflicting: {veriff.status: approved}
    expect: {outcome: review, fired: [approved]}
`)
	s, err := testHarness.Parse("testdata/factsonly.test.yaml", src, p)
	if err != nil {
		var list engine.ErrorList
		errors.As(err, &list)
		t.Fatalf("%v\n%s", err, list.Snippets())
	}
	r := s.Run(Options{})
	for i := range r.Tests {
		if !r.Tests[i].Passed() {
			var b strings.Builder
			WriteTest(&b, &r.Tests[i], false)
			t.Error(b.String())
		}
	}
	f0, f1, f2 := s.Tests[0].facts, s.Tests[1].facts, s.Tests[2].facts
	if !f0.AsOf.Equal(time.Date(2025, 6, 17, 0, 0, 0, 0, time.UTC)) || !f2.AsOf.Equal(time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("as_of %v and %v", f0.AsOf, f2.AsOf)
	}
	if known := f0.Known(); len(known) != 1 || len(f0.Providers) != 0 {
		t.Errorf("facts-only test starts with %v from %v, want only veriff.status", known, f0.Providers)
	}
	if v, _ := f1.Lookup("veriff.status"); v.Known() || v.E != engine.Unreadable || len(f1.Evidence) != 1 || f1.Evidence[0].State != engine.Unreadable {
		t.Errorf("unreadable: %+v, evidence %+v", v, f1.Evidence)
	}
	if v, _ := f2.Lookup("veriff.status"); v.S != "approved" || v.E != engine.Conflicting || len(f2.Evidence) != 1 || f2.Evidence[0].Fact != "veriff.status" {
		t.Errorf("conflicting: %+v, evidence %+v", v, f2.Evidence)
	}
	if d := r.Tests[1].Decision; d.Outcome != engine.Review || len(d.Evidence) != 1 {
		t.Errorf("unreadable status: %s with evidence %+v", d.Outcome, d.Evidence)
	}
}

// TestEditsReplaceEvidence: an edited fact loses the evidence note that
// normalization gave it, so unset makes a conflicting fact plainly unknown.
func TestEditsReplaceEvidence(t *testing.T) {
	cat := normalizers.Catalog()
	f := engine.NewFacts(cat)
	status, _ := cat.Lookup("veriff.status")
	code, _ := cat.Lookup("veriff.code")
	sink := f.Sink("veriff")
	base, _ := cat.Base("veriff")
	sink.String(status-base, "approved")
	sink.String(status-base, "declined")
	sink.Unreadable(code-base, 10, "code", "not a number")
	applyEdits(f, []edit{{slot: status}, {slot: code, v: engine.NumberValue(9001), state: engine.Conflicting}})
	if v := f.Get(status); v.Known() || v.E != engine.Clean {
		t.Errorf("unset conflicting status: %+v", v)
	}
	if v := f.Get(code); v.N != 9001 || v.E != engine.Conflicting {
		t.Errorf("code: %+v", v)
	}
	if len(f.Evidence) != 1 || f.Evidence[0].Fact != "veriff.code" || f.Evidence[0].State != engine.Conflicting || f.Evidence[0].Provider != "test" {
		t.Errorf("evidence %+v", f.Evidence)
	}
}

// TestFactsOnlyErrors: the problems of fact edits and facts-only tests.
func TestFactsOnlyErrors(t *testing.T) {
	p := miniPolicy(t)
	src := []byte(`tests:
  - name: no time
    facts: {set: {veriff.status: approved}}
    expect: {outcome: approve}
  - name: clashes
    as_of: 2025-06-17
    facts:
      set: {veriff.status: approved}
      conflicting: {veriff.status: declined, jaak.ofac.passed: maybe, veriff.stauts: approved}
      unreadable: [veriff.status, risky]
      unset: [jaak.renapo.passed, jaak.renapo.passed]
    expect: {outcome: review}
`)
	_, err := testHarness.Parse("x.test.yaml", src, p)
	var list engine.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("parsed with %v", err)
	}
	var lines []string
	for _, e := range list {
		lines = append(lines, e.Error())
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		`x.test.yaml:2:5: test "no time": no evaluation time`,
		`x.test.yaml:9:21: facts.conflicting: veriff.status is also under set`,
		`x.test.yaml:9:64: facts.conflicting: jaak.ofac.passed is a bool fact: expected true or false`,
		`x.test.yaml:9:71: facts.conflicting: unknown fact "veriff.stauts" (did you mean veriff.status?)`,
		`x.test.yaml:10:20: facts.unreadable: veriff.status is also under set`,
		`x.test.yaml:10:35: facts.unreadable: risky is derived by the policy`,
		`x.test.yaml:11:35: facts.unset: jaak.renapo.passed listed twice`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no problem %q among:\n%s", want, got)
		}
	}
}

// TestRunIgnoresCase and says how many tests a filter that matches nothing
// left out, without an "ok" line before the FAIL.
func TestRunIgnoresCase(t *testing.T) {
	code, out, _ := mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, Run: "^NO DECISION$", Verbose: true})
	if code != ExitOK || !strings.Contains(out, "--- ok    no decision") {
		t.Errorf("--run ^NO DECISION$: exit %d\n%s", code, out)
	}
	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml", "testdata/failing"}, Run: "nothing like this"})
	if code != ExitFail || out != "FAIL  --run \"nothing like this\" matched no test: 0 of 8 tests matched\n" {
		t.Errorf("--run matching nothing: exit %d\n%s", code, out)
	}
	// A suite that the filter leaves empty is listed when another matched.
	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/failing", "testdata/mini.test.yaml"}, Run: "^no decision$"})
	if code != ExitOK || !strings.Contains(out, "ok    testdata/failing/failing.test.yaml  0 tests of 4") || !strings.Contains(out, "ok    testdata/mini.test.yaml  1 test of 4") {
		t.Errorf("--run matching one suite: exit %d\n%s", code, out)
	}
}

// TestRun: the suites run as subtests of a Go test, and a failing suite
// fails it (seen from a child process that runs the failing suite).
func TestRun(t *testing.T) {
	if os.Getenv("POLICYTEST_FAILING") != "" {
		Run(t, testHarness, Config{Paths: []string{"testdata/failing"}})
		return
	}
	Run(t, testHarness, Config{Paths: []string{"testdata/mini.test.yaml"}, MinCoverage: 70, Coverage: true})
	cmd := exec.Command(os.Args[0], "-test.run=^TestRun$", "-test.v")
	cmd.Env = append(os.Environ(), "POLICYTEST_FAILING=1")
	out, err := cmd.CombinedOutput()
	for _, want := range []string{
		"--- FAIL: TestRun/testdata/failing/failing.test.yaml/wrong_outcome_and_rules",
		"testdata/failing/failing.test.yaml:9:5: outcome: want approve, got reject",
		"--- PASS: TestRun/testdata/failing/failing.test.yaml/passes",
	} {
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("the failing suite under go test: %v, output lacks %q:\n%s", err, want, out)
		}
	}
}

// TestHarnessWithoutNormalizer: a harness without a normalizer runs tests of
// facts only, and says so of a test with a case.
func TestHarnessWithoutNormalizer(t *testing.T) {
	h := &Harness{Catalog: normalizers.Catalog()}
	p := miniPolicy(t)
	src := []byte("as_of: 2025-06-17\ntests:\n  - name: a\n    facts: {set: {veriff.status: declined}}\n    expect: {outcome: reject}\n  - name: b\n    fixture: payloads/approved.json\n    expect: {outcome: approve}\n")
	_, err := h.Parse("testdata/x.test.yaml", src, p)
	if err == nil || !strings.Contains(err.Error(), "testdata/x.test.yaml:6:5: test \"b\": this harness cannot read cases") {
		t.Errorf("got %v", err)
	}
	if _, err := (&Harness{}).Parse("x.test.yaml", src, p); err == nil || !strings.Contains(err.Error(), "no fact catalog") {
		t.Errorf("harness without a catalog: %v", err)
	}
}
