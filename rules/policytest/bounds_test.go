package policytest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// parseErr parses a suite of the mini policy and returns its problems, one
// a line as file:line:column: message.
func parseErr(t *testing.T, h *Harness, src string) string {
	t.Helper()
	_, err := h.Parse("testdata/x.test.yaml", []byte(src), miniPolicy(t))
	if err == nil {
		return ""
	}
	var list engine.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v, want an ErrorList", err)
	}
	var lines []string
	for _, e := range list {
		lines = append(lines, e.Pos.String()+": "+e.Msg)
	}
	return strings.Join(lines, "\n")
}

// caseJSON is the JSON document a test's inline case becomes.
func caseJSON(t *testing.T, yamlCase string) (string, string) {
	t.Helper()
	src := []byte("tests:\n  - case: " + yamlCase + "\n")
	l := testHarness.newLoader("x.test.yaml", src)
	top := l.root(src)
	if top == nil {
		t.Fatalf("%s", l.errs.Snippets())
	}
	f, _ := l.mapping(top, "suite", suiteKeys)
	tf, _ := l.mapping(f.val("tests").Content[0], "test", testKeys)
	doc, _ := l.caseOf(tf, tf.node, "test")
	var msgs []string
	for _, e := range l.errs {
		msgs = append(msgs, e.Msg)
	}
	return string(doc), strings.Join(msgs, "\n")
}

// Numbers keep the text they were written in when it is JSON, and are
// written as JSON otherwise; booleans, nulls and text keep their meaning.
func TestCaseScalars(t *testing.T) {
	for _, tc := range []struct{ yaml, json string }{
		{"{a: 1.50}", `{"a":1.50}`},
		{"{a: -0}", `{"a":-0}`},
		{"{a: 1e3}", `{"a":1e3}`},
		{"{a: -7}", `{"a":-7}`},
		{"{a: 0x1F}", `{"a":31}`},
		{"{a: +5}", `{"a":5}`},
		{"{a: .5}", `{"a":0.5}`},
		{"{a: 0o17}", `{"a":15}`},
		{"{a: true, b: False, c: null, d: ~}", `{"a":true,"b":false,"c":null,"d":null}`},
		{`{a: "12", b: x y, c: 2025-06-17}`, `{"a":"12","b":"x y","c":"2025-06-17"}`},
		{"{a: [1, [2, {b: c}]], d: {}}", `{"a":[1,[2,{"b":"c"}]],"d":{}}`},
	} {
		got, errs := caseJSON(t, tc.yaml)
		if got != tc.json || errs != "" {
			t.Errorf("%s: %s %q, want %s", tc.yaml, got, errs, tc.json)
		}
	}
	for _, tc := range []struct{ yaml, msg string }{
		{"{a: .inf}", "case: .inf is not a JSON number"},
		{"{a: -.inf}", "case: -.inf is not a JSON number"},
		{"{a: .nan}", "case: .nan is not a JSON number"},
		{"{a: !!int null}", "case: null is not a JSON number"},
		{"{a: !!float true}", "case: true is not a JSON number"},
		{`{a: !!bool "maybe"}`, `case: "maybe" is not true or false`},
	} {
		if got, errs := caseJSON(t, tc.yaml); errs != tc.msg {
			t.Errorf("%s: %s %q, want the problem %q", tc.yaml, got, errs, tc.msg)
		}
	}
}

func TestIsNumber(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "9": true, "-1": true, "5e2": true, "": false, "+1": false, ".5": false,
		"/": false, ":": false, "null": false, "true": false} {
		if got := isNumber(s); got != want {
			t.Errorf("isNumber(%q) = %v", s, got)
		}
	}
}

// nested is a case mapping nested n levels deep below the case itself.
func nested(n int) string {
	return strings.Repeat("{a: ", n) + "1" + strings.Repeat("}", n)
}

// A case may nest 64 levels, in a mapping or a list, not 65.
func TestCaseDepth(t *testing.T) {
	if _, errs := caseJSON(t, nested(64)); errs != "" {
		t.Errorf("64 levels: %s", errs)
	}
	if _, errs := caseJSON(t, nested(65)); errs != "case: nested deeper than 64 levels" {
		t.Errorf("65 levels: %q", errs)
	}
	list := "{a: " + strings.Repeat("[", 63) + "1" + strings.Repeat("]", 63) + "}"
	if _, errs := caseJSON(t, list); errs != "" {
		t.Errorf("64 levels of lists: %s", errs)
	}
	list = "{a: " + strings.Repeat("[", 64) + "1" + strings.Repeat("]", 64) + "}"
	if _, errs := caseJSON(t, list); errs != "case: nested deeper than 64 levels" {
		t.Errorf("65 levels of lists: %q", errs)
	}
	// A payload of results starts one level down.
	src := "as_of: 2025-06-17\ntests:\n  - name: deep\n    results:\n      - provider: veriff\n        payload: " + nested(64) +
		"\n    expect: {outcome: review}\n"
	if got := parseErr(t, testHarness, src); got != "testdata/x.test.yaml:6:274: case: nested deeper than 64 levels" {
		t.Errorf("a payload 64 levels deep in results: %q", got)
	}
}

// Aliases cannot make a case larger than 100,000 values or 1 MiB.
func TestCaseSize(t *testing.T) {
	var b strings.Builder
	b.WriteString("as_of: 2025-06-17\ntests:\n  - name: big\n    case:\n      x0: &l0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n")
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&b, "      x%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	src := b.String() + "    expect: {outcome: review}\n"
	_, err := testHarness.Parse("x.test.yaml", []byte(src), miniPolicy(t))
	if err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes or 100000 values as JSON") {
		t.Errorf("a case of a million values: %v", err)
	}
}

// A normalizer's error is reported at the suite line that wrote the byte
// it points at, and in a fixture at its own byte offset.
func TestCaseErrorPositions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"status": "success", "verification": {"status": "approved",}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fixture := filepath.Join(dir, "bad.json")
	for _, tc := range []struct{ name, src, want string }{
		{"inline", "    case:\n      foo: {bar: 1}\n",
			"testdata/x.test.yaml:5:7: case: "},
		{"fixture after a payload", "    results:\n      - provider: jaak\n        kind: ofac\n        payload: {organization: ofac, state: {foundInService: false, mustBeFound: false}}\n      - provider: veriff\n        fixture: " + fixture + "\n",
			"testdata/x.test.yaml:9:18: fixture " + fixture + ": case: byte 60: malformed JSON: trailing comma before '}'"},
	} {
		src := "as_of: 2025-06-17\ntests:\n  - name: t\n" + tc.src + "    expect: {outcome: review}\n"
		got := parseErr(t, testHarness, src)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: %q, want it to start %q", tc.name, got, tc.want)
		}
	}
	// Without Locate, the error is at the case.
	h := *testHarness
	h.Locate = nil
	got := parseErr(t, &h, "as_of: 2025-06-17\ntests:\n  - name: t\n    case: {foo: {bar: 1}}\n    expect: {outcome: review}\n")
	if !strings.HasPrefix(got, "testdata/x.test.yaml:4:11: case: ") {
		t.Errorf("without Locate: %q", got)
	}
}

// A harness without a normalizer refuses a case, a fixture and results.
func TestHarnessWithoutNormalizerCase(t *testing.T) {
	h := &Harness{Catalog: testHarness.Catalog}
	for _, c := range []string{"case: {status: success}", "results: [{provider: veriff, payload: {status: success}}]"} {
		got := parseErr(t, h, "as_of: 2025-06-17\ntests:\n  - name: t\n    "+c+"\n    expect: {outcome: review}\n")
		if got != `testdata/x.test.yaml:3:5: test "t": this harness cannot read cases: give facts only` {
			t.Errorf("%s: %q", c, got)
		}
	}
}

// YAML mapping keys: an unknown one with no near name lists the keys; a
// quoted "<<" is a key like any other, not a merge; a test may merge 16 levels of
// mappings, not 17.
func TestSuiteKeys(t *testing.T) {
	got := parseErr(t, testHarness, "as_of: 2025-06-17\nzzzzzzzz: 1\ntests:\n  - name: t\n    facts: {set: {veriff.status: approved}}\n    expect: {outcome: approve}\n")
	if got != `testdata/x.test.yaml:2:1: unknown key "zzzzzzzz" in suite (want one of policy, as_of, description, tests)` {
		t.Errorf("unknown key: %q", got)
	}
	got = parseErr(t, testHarness, "as_of: 2025-06-17\ntests:\n  - name: t\n    \"<<\": {name: u}\n    facts: {set: {veriff.status: approved}}\n    expect: {outcome: approve}\n")
	if !strings.HasPrefix(got, `testdata/x.test.yaml:4:5: unknown key "<<" in test "t"`) {
		t.Errorf("a quoted <<: %q", got)
	}
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString("as_of: 2025-06-17\nm0: &m0 {expect: {outcome: approve}}\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "m%d: &m%d {<<: *m%d}\n", i, i, i-1)
		}
		fmt.Fprintf(&b, "tests:\n  - name: t\n    facts: {set: {veriff.status: approved}}\n    <<: *m%d\n", n)
		return b.String()
	}
	// The suite's own keys m0... are unknown keys; only the depth matters.
	if got := parseErr(t, testHarness, chain(15)); strings.Contains(got, "nested too deep") {
		t.Errorf("a test and 16 merged mappings: %q", got)
	}
	if got := parseErr(t, testHarness, chain(16)); !strings.Contains(got, "testdata/x.test.yaml:2:5: merge keys (<<) nested too deep") {
		t.Errorf("a test and 17 merged mappings: %q", got)
	}
}

// A policy that cannot be read for another reason than its absence is
// named with the error.
func TestPolicyUnreadable(t *testing.T) {
	dir := t.TempDir()
	suite := filepath.Join(dir, "a.test.yaml")
	if err := os.Mkdir(filepath.Join(dir, "a.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(suite, []byte("as_of: 2025-06-17\ntests:\n  - name: t\n    facts: {set: {veriff.status: approved}}\n    expect: {outcome: approve}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := testHarness.NewLoader().Load(suite)
	if err == nil || !strings.Contains(err.Error(), "policy "+filepath.Join(dir, "a.yaml")+": ") || strings.Contains(err.Error(), "not found") {
		t.Errorf("a policy that is a directory: %v", err)
	}
}

// A load error that is not a list of problems renders as file: error.
func TestLoadErrorSnippets(t *testing.T) {
	if got := (LoadError{File: "a.test.yaml", Err: errors.New("boom")}).Snippets(); got != "a.test.yaml: boom\n" {
		t.Errorf("%q", got)
	}
}

// Coverage items: requirements and rules have no threshold (-1), a score
// one item per threshold; a label of a score the policy does not have
// falls back to kind and id.
func TestCoverageItems(t *testing.T) {
	c := NewCoverage(miniPolicy(t))
	var got []string
	for _, it := range c.Items {
		got = append(got, fmt.Sprintf("%s/%s/%d", it.Kind, it.ID, it.Threshold))
	}
	want := []string{"requirement/veriff-decision/-1", "rule/declined/-1", "rule/ofac-hit/-1", "rule/approved/-1",
		"shadow rule/trial-risk/-1", "score/risk/0", "score/risk/1"}
	if !slices.Equal(got, want) {
		t.Errorf("items %q, want %q", got, want)
	}
	if got := c.Label(CoverageItem{Kind: "score", ID: "gone", Threshold: 0}); got != "score gone" {
		t.Errorf("label %q", got)
	}
	if got := (&Coverage{}).Percent(); got != 100 {
		t.Errorf("a policy with nothing to cover: %v%%", got)
	}
}

// An edit's evidence note has no byte offset: the test, not a payload,
// set it.
func TestEditNoteOffset(t *testing.T) {
	f := engine.NewFacts(testHarness.Catalog)
	slot, _ := f.Catalog().Lookup("veriff.status")
	applyEdits(f, []edit{{slot: slot, state: engine.Unreadable}})
	if len(f.Evidence) != 1 || f.Evidence[0].Offset != -1 || f.Evidence[0].Provider != "test" || f.Evidence[0].Field != "facts.unreadable" {
		t.Errorf("evidence %+v", f.Evidence)
	}
}

// --min-coverage: 100 is a valid minimum, a coverage equal to the minimum
// passes, and 0 prints the coverage although it cannot fail.
func TestMinCoverageLimits(t *testing.T) {
	exact := 500.0 / 7 // mini.test.yaml covers 5 of 7
	for _, tc := range []struct {
		min  float64
		code int
	}{{exact, ExitOK}, {exact + 1e-9, ExitFail}, {0, ExitOK}, {100, ExitFail}, {100.0001, ExitLoad}} {
		var out, errOut strings.Builder
		code := testHarness.Main(Config{Paths: []string{"testdata/mini.test.yaml"}, MinCoverage: tc.min}, &out, &errOut)
		if code != tc.code {
			t.Errorf("--min-coverage %v: exit %d, want %d\n%s%s", tc.min, code, tc.code, out.String(), errOut.String())
		}
		if tc.code != ExitLoad && !strings.Contains(out.String(), "coverage: 71.4% of mini 1") {
			t.Errorf("--min-coverage %v prints no coverage:\n%s", tc.min, out.String())
		}
	}
	var out strings.Builder
	if code := testHarness.Main(Config{Paths: []string{"testdata/mini.test.yaml"}, MinCoverage: NoMinimum}, &out, &out); code != ExitOK || strings.Contains(out.String(), "coverage") {
		t.Errorf("no minimum: exit %d\n%s", code, out.String())
	}
}

// Points may be fractional; a list expectation that is not a list is a
// problem.
func TestExpectForms(t *testing.T) {
	ok := "as_of: 2025-06-17\ntests:\n  - name: t\n    facts: {set: {veriff.status: approved}}\n    expect: {outcome: approve, scores: {risk: {points: 12.5}}}\n"
	if got := parseErr(t, testHarness, ok); got != "" {
		t.Errorf("fractional points: %q", got)
	}
	for _, tc := range []struct{ expect, want string }{
		{"{outcome: approve, fired: approved}", "testdata/x.test.yaml:5:39: fired: expected a list (write [] for none)"},
		{`{outcome: approve, scores: {risk: {points: "5"}}}`, "testdata/x.test.yaml:5:56: scores.risk.points: expected a number"},
		{"{outcome: approve, scores: {risk: {points: [5]}}}", "testdata/x.test.yaml:5:56: scores.risk.points: expected a number"},
	} {
		src := "as_of: 2025-06-17\ntests:\n  - name: t\n    facts: {set: {veriff.status: approved}}\n    expect: " + tc.expect + "\n"
		if got := parseErr(t, testHarness, src); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.expect, got, tc.want)
		}
	}
}

func TestDefaultPolicyFile(t *testing.T) {
	for suite, want := range map[string]string{
		"p/a.test.yaml": "p/a.yaml",
		"p/a.test.yml":  "p/a.yml",
		"a.yaml":        "a.yaml",
		"p/a.json":      "p/a.yaml",
	} {
		if got := DefaultPolicyFile(suite); got != filepath.FromSlash(want) {
			t.Errorf("DefaultPolicyFile(%s) = %s, want %s", suite, got, want)
		}
	}
}

func TestIDKinds(t *testing.T) {
	for k, want := range map[idKind]string{idRule: "rule", idShadowRule: "shadow rule", idRequirement: "requirement",
		idScore: "score", idShadowScore: "shadow score", 9: "idKind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("%d: %s, want %s", k, got, want)
		}
		if got := k.shadow(); got != strings.HasPrefix(want, "shadow") {
			t.Errorf("%s: shadow %v", want, got)
		}
	}
}

// A problem on the first line of a suite shows that line, and one on the
// last line too.
func TestFirstLineSource(t *testing.T) {
	_, err := testHarness.Parse("x.test.yaml", []byte("zzzzzzzz: 1\nas_of: 2025-06-17\ntests:\n  - name: t\n    facts: {set: {veriff.status: approved}}\n    expect: {outcome: approve}\n"), miniPolicy(t))
	var list engine.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Pos.Line != 1 || list[0].Source != "zzzzzzzz: 1" {
		t.Errorf("%v", err)
	}
	// And on the last line of a suite without a final newline.
	_, err = testHarness.Parse("x.test.yaml", []byte("as_of: 2025-06-17\ntests:\n  - name: t\n    facts: {set: {veriff.status: approved}}\n    expect: {outcome: approve, zzz: 1}"), miniPolicy(t))
	if !errors.As(err, &list) || len(list) != 1 || list[0].Pos.Line != 5 || list[0].Source != "    expect: {outcome: approve, zzz: 1}" {
		t.Errorf("%v", err)
	}
}

// failAfter is a writer that takes n bytes, then fails.
type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

// WriteJUnit reports a writer that fails at the header, in the document
// or at its last newline.
func TestWriteJUnitErrors(t *testing.T) {
	s := loadSuite(t, "testdata/mini.test.yaml", miniPolicy(t))
	results := []*SuiteResult{s.Run(Options{})}
	var full strings.Builder
	if err := WriteJUnit(&full, results, nil); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, full.Len() / 2, full.Len() - 1} {
		if err := WriteJUnit(&failAfter{n}, results, nil); err == nil || err.Error() != "disk full" {
			t.Errorf("a writer failing after %d of %d bytes: %v", n, full.Len(), err)
		}
	}
	if err := WriteJUnit(&failAfter{full.Len()}, results, nil); err != nil {
		t.Errorf("a writer that takes the whole report: %v", err)
	}
	if !strings.HasSuffix(full.String(), "</testsuites>\n") {
		t.Errorf("the report does not end with a newline: %q", full.String()[max(0, full.Len()-20):])
	}
}
