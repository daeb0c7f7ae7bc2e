package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
	"github.com/veredicto/veredicto/fixtures"
)

// execute runs the command line in-process and returns its exit code as
// run would, with stdout and stderr.
func execute(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetIn(strings.NewReader(stdin))
	err := root.Execute()
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
		errb.WriteString(ee.msg)
	default:
		code = 1
		errb.WriteString(err.Error())
	}
	return code, out.String(), errb.String()
}

const (
	basePolicy = "../internal/batch/testdata/diff/base.yaml"
	candPolicy = "../internal/batch/testdata/diff/candidate.yaml"
)

func TestGenerateRescoreDiff(t *testing.T) {
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases.jsonl.gz")
	code, _, stderr := execute(t, "", "generate", "--seed", "9", "--count", "400", "--out", cases)
	if code != 0 || !strings.Contains(stderr, "generated 400 lines (seed 9, mix mixed)") {
		t.Fatalf("generate: %d %s", code, stderr)
	}
	_, again, _ := execute(t, "", "generate", "--seed", "9", "--count", "400", "-q")
	plain := filepath.Join(dir, "cases.jsonl")
	os.WriteFile(plain, []byte(again), 0o644)

	// rescore reads the gzip output and the plain copy; they decide alike.
	out := filepath.Join(dir, "decisions.jsonl")
	summary := filepath.Join(dir, "summary.json")
	code, _, stderr = execute(t, "", "rescore", "-p", basePolicy, "--as-of", "2025-06-30", "--out", out, "--summary", summary, cases, plain)
	if code != 0 {
		t.Fatalf("rescore: %d %s", code, stderr)
	}
	data, _ := os.ReadFile(out)
	if n := bytes.Count(data, []byte("\n")); n != 800 {
		t.Errorf("%d output lines for 800 input lines", n)
	}
	if !bytes.Contains(data, []byte(`{"input":"`+plain+`","line":400,`)) {
		t.Error("records do not name their input")
	}
	if !strings.Contains(stderr, "rescored 800 cases") {
		t.Errorf("summary: %s", stderr)
	}
	if s, _ := os.ReadFile(summary); !bytes.Contains(s, []byte(`"cases": 800`)) {
		t.Errorf("summary file: %s", s)
	}

	// diff of a policy against itself: nothing changes, exit 0 even with --fail-on-change.
	code, report, stderr := execute(t, "", "diff", "--base", basePolicy, "--candidate", basePolicy, "--fail-on-change", plain)
	if code != 0 || !strings.Contains(report, "outcome changed: 0") {
		t.Errorf("same policy: %d %s %s", code, report, stderr)
	}
	// base → candidate changes outcomes: exit 1 with --fail-on-change, 0 without.
	changes := filepath.Join(dir, "changes.jsonl")
	code, report, _ = execute(t, "", "diff", "--base", basePolicy, "--candidate", candPolicy, "--fail-on-change", "--changes", changes, plain)
	if code != 1 || !strings.Contains(report, "review → rule reject") {
		t.Errorf("changed: exit %d\n%s", code, report)
	}
	if c, _ := os.ReadFile(changes); !bytes.Contains(c, []byte(`"change":"outcome"`)) {
		t.Errorf("changes file: %.300s", c)
	}
	code, report, _ = execute(t, "", "diff", "--base", basePolicy, "--candidate", candPolicy, "--json", plain)
	if code != 0 || !strings.Contains(report, `"outcome_changed"`) {
		t.Errorf("--json: %d %.300s", code, report)
	}
}

// TestRescoreRefusesItsInputAsOutput: --out naming an input, by the same
// path or through a hard link, fails before anything is written.
func TestRescoreRefusesItsInputAsOutput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "cases.jsonl")
	raw, err := os.ReadFile("../../fixtures/sample/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Link(in, link); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{in, link, filepath.Join(dir, ".", "cases.jsonl")} {
		code, _, stderr := execute(t, "", "rescore", "-q", "--policy", "../../policies/mx-onboarding.yaml", "--out", out, in)
		if code != exitUsage || !strings.Contains(stderr, "is the input") {
			t.Errorf("--out %s: exit %d, %q", out, code, stderr)
		}
		if got, _ := os.ReadFile(in); !bytes.Equal(got, raw) {
			t.Fatalf("--out %s: the input was changed", out)
		}
	}
	// A different output file is fine.
	if code, _, stderr := execute(t, "", "rescore", "-q", "--policy", "../../policies/mx-onboarding.yaml", "--out", filepath.Join(dir, "d.jsonl"), in); code != 0 {
		t.Errorf("a separate output: exit %d, %s", code, stderr)
	}
}

func TestBatchExitCodes(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "in.jsonl")
	os.WriteFile(input, []byte("{bad\n\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad lines are records", []string{"rescore", "-p", basePolicy, "-q", input}, 0, ""},
		{"no policy", []string{"rescore", input}, exitUsage, "--policy is required"},
		{"missing policy file", []string{"rescore", "-p", filepath.Join(dir, "none.yaml"), input}, exitUsage, "none.yaml"},
		{"bad as-of", []string{"rescore", "-p", basePolicy, "--as-of", "soon", input}, exitUsage, "--as-of"},
		{"bad flag", []string{"rescore", "-p", basePolicy, "--nope", input}, exitUsage, "unknown flag"},
		{"unreadable input", []string{"rescore", "-p", basePolicy, "-q", filepath.Join(dir, "missing.jsonl")}, exitIO, "could not be read"},
		{"stdin twice", []string{"rescore", "-p", basePolicy, "-", "-"}, exitUsage, "stdin"},
		{"diff without candidate", []string{"diff", "--base", basePolicy, input}, exitUsage, "--candidate"},
		{"diff with a broken policy", []string{"diff", "--base", basePolicy, "--candidate", input, input}, exitUsage, ""},
		{"diff bad flag", []string{"diff", "--base", basePolicy, "--candidate", basePolicy, "--fail-on-chang"}, exitUsage, "unknown flag"},
		{"generate bad mix", []string{"generate", "--mix", "half"}, exitUsage, "--mix"},
		{"unwritable output", []string{"rescore", "-p", basePolicy, "-q", "--out", filepath.Join(dir, "no", "such", "dir.jsonl"), input}, exitIO, "no such file"},
	}
	for _, tt := range tests {
		code, _, stderr := execute(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d (%s), want %d with %q", tt.name, code, stderr, tt.code, tt.want)
		}
	}
	// A mistyped input is named before the others are decided, and they
	// are.
	for _, bad := range []string{filepath.Join(dir, "missing.jsonl"), dir} {
		code, out, stderr := execute(t, "", "rescore", "-p", basePolicy, bad, input)
		warn := strings.Index(stderr, "veredicto: input "+bad+" cannot be read (")
		summary := strings.Index(stderr, "cases")
		if code != exitIO || warn < 0 || summary < warn || strings.Count(out, "\n") != 3 {
			t.Errorf("%s: exit %d, the warning at %d and the summary at %d of\n%s\n%s", bad, code, warn, summary, stderr, out)
		}
	}
	// stdin by default
	code, out, _ := execute(t, "{\"active\":true,\"documentState\":\"x\"}\n", "rescore", "-p", basePolicy, "-q")
	if code != 0 || !strings.HasPrefix(out, `{"line":1,`) {
		t.Errorf("stdin: %d %s", code, out)
	}
}

// TestStoreSource: rescore and diff read the cases a store keeps, as
// envelopes of all their results; a missing SQLite file is an error, not
// an empty store.
func TestStoreSource(t *testing.T) {
	ctx := context.Background()
	addr := storetest.SQLite(t)
	st, err := store.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	decide := func(string, []store.Result) (store.Decision, error) {
		return store.Decision{Outcome: "review", Policy: store.PolicyRef{Name: "p", Version: "1"}, DecidedAt: time.Now(), Body: []byte(`{}`)}, nil
	}
	declined, _ := fixtures.Read("veriff/declined_pep.json")
	resub, _ := fixtures.Read("veriff/session_resubmission_generic.json")
	ofac, _ := fixtures.Read("jaak/ofac_found.json")
	for id, results := range map[string][]store.Result{
		"case-a": {store.NewResult("veriff", "", "api", resub)},
		"case-b": {store.NewResult("veriff", "", "api", declined), store.NewResult("jaak", "ofac", "webhook", ofac)},
		"case-c": {store.NewResult("jaak", "ofac", "webhook", ofac)},
	} {
		if _, err := st.Add(ctx, id, results, decide); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	code, out, stderr := execute(t, "", "rescore", "-p", basePolicy, "--store", addr, "-q")
	if code != 0 {
		t.Fatalf("rescore --store: %d %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"case_id":"case-a"`) || !strings.Contains(lines[1], `"outcome":"reject"`) ||
		!strings.Contains(lines[2], `{"line":3,"case_id":"case-c"`) {
		t.Errorf("rescore --store:\n%s", out)
	}
	code, report, _ := execute(t, "", "diff", "--base", basePolicy, "--candidate", candPolicy, "--store", addr, "--fail-on-change")
	if code != exitChanged || !strings.Contains(report, "outcome changed: 1") {
		t.Errorf("diff --store: %d\n%s", code, report)
	}
	code, _, stderr = execute(t, "", "rescore", "-p", basePolicy, "--store", "sqlite:"+filepath.Join(t.TempDir(), "typo.db"))
	if code != exitIO || !strings.Contains(stderr, "typo.db") {
		t.Errorf("missing store: %d %s", code, stderr)
	}
	code, _, _ = execute(t, "", "rescore", "-p", basePolicy, "--store", addr, "file.jsonl")
	if code != exitUsage {
		t.Errorf("--store with inputs: %d", code)
	}
}
