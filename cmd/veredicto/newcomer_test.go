package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// -v is never the version: the root has --version only, and the version
// command reads the build info.
func TestVersion(t *testing.T) {
	if code, out, errs := cli(t, "", "-v"); code == 0 || strings.Contains(out, "veredicto") {
		t.Errorf("-v: exit %d %q %q; want an unknown flag", code, out, errs)
	}
	code, short, _ := cli(t, "", "--version")
	if code != 0 || !strings.HasPrefix(short, "veredicto ") {
		t.Errorf("--version: %d %q", code, short)
	}
	code, out, _ := cli(t, "", "version", "--format", "json")
	var b buildInfo
	if code != 0 || json.Unmarshal([]byte(out), &b) != nil || b.Version == "" || !strings.HasPrefix(b.Go, "go1.") {
		t.Errorf("version --format json: %d %q", code, out)
	}
	if _, text, _ := cli(t, "", "version"); !strings.Contains(text, "go        "+b.Go+"\n") {
		t.Errorf("version: %q", text)
	}
}

// The old output switches still work and say they are deprecated, both in
// the help and on stderr; --format refuses what a command cannot print.
func TestFormatAliases(t *testing.T) {
	for _, tc := range []struct{ old, new []string }{
		{[]string{"facts", "--provider", "jaak", "--json"}, []string{"facts", "--provider", "jaak", "--format", "json"}},
		{[]string{"facts", "--provider", "jaak", "--markdown"}, []string{"facts", "--provider", "jaak", "--format", "markdown"}},
		{[]string{"evaluate", "-p", "policies/mx-onboarding.yaml", "--explain", "fixtures/cases/mx_ofac_hit.json"}, []string{"evaluate", "-p", "policies/mx-onboarding.yaml", "--format", "text", "fixtures/cases/mx_ofac_hit.json"}},
		{[]string{"diff", "-q", "--base", basePolicyRoot, "--candidate", basePolicyRoot, "--json", "fixtures/sample/cases.jsonl"}, []string{"diff", "-q", "--base", basePolicyRoot, "--candidate", basePolicyRoot, "--format", "json", "fixtures/sample/cases.jsonl"}},
	} {
		code, oldOut, oldErr := cli(t, "", tc.old...)
		_, newOut, newErr := cli(t, "", tc.new...)
		if code != 0 || !strings.Contains(oldErr, "has been deprecated, use --format") || strings.Contains(newErr, "deprecated") {
			t.Errorf("%v: exit %d, stderr %q; %v: stderr %q", tc.old, code, oldErr, tc.new, newErr)
		}
		if mask(oldOut) != mask(newOut) {
			t.Errorf("%v prints other than %v", tc.old, tc.new)
		}
		_, help, _ := cli(t, "", tc.old[0], "--help")
		if !strings.Contains(help, "(DEPRECATED: use --format") || strings.Contains(oldOut, "deprecated") {
			t.Errorf("%s --help does not mark the old switch deprecated:\n%s", tc.old[0], help)
		}
	}
	if code, _, errs := cli(t, "", "facts", "--format", "xml"); code != exitUsage || !strings.Contains(errs, `--format "xml": want text, json or markdown`) {
		t.Errorf("facts --format xml: %d %q", code, errs)
	}
	code, out, _ := cli(t, "", "test", "--format", "junit", "policies/")
	if code != 0 || !strings.HasPrefix(out, "<?xml") || strings.Contains(out, "ok    policies") {
		t.Errorf("test --format junit: %d %.200q", code, out)
	}
}

const basePolicyRoot = "cmd/internal/batch/testdata/diff/base.yaml"

// mask hides what differs between two runs: durations and rates.
func mask(s string) string {
	return variable.ReplaceAllString(regexp.MustCompile(`"(elapsed_seconds|cases_per_second)": [\d.e+-]+`).ReplaceAllString(s, "#"), "#")
}

// validate takes directories and prints problems with their codes, in
// text and as JSON.
func TestValidateDirsAndCodes(t *testing.T) {
	code, out, errs := cli(t, "", "validate", "cmd/veredicto/testdata/check", "policies")
	if code != 0 || !strings.Contains(out, "ok cmd/veredicto/testdata/check/confirmed.yaml") || !strings.Contains(out, "ok policies/mx-onboarding.yaml") || strings.Contains(out, ".test.yaml") {
		t.Errorf("validate DIR: %d\n%s%s", code, out, errs)
	}
	if code, _, errs := cli(t, "", "validate", "fixtures/sample"); code != exitUsage || !strings.Contains(errs, "no policies (*.yaml) in fixtures/sample") {
		t.Errorf("a directory with only testdata: %d %q", code, errs)
	}
	_, _, errs = cli(t, "", "validate", "rules/testdata/errors/cycle.yaml")
	if !strings.Contains(errs, `cycle.yaml:7:11: derived fact "a" depends on itself [cycle]`+"\n |") {
		t.Errorf("no code in the text: %q", errs)
	}
	code, out, _ = cli(t, "", "validate", "--format", "json", "rules/testdata/errors/cycle.yaml", "policies/mx-onboarding.yaml")
	var rep struct {
		Policies []struct {
			File     string
			Policy   *struct{ Name string }
			Problems []struct {
				Line, Column  int
				Code, Message string
			}
		}
		Failed int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitUsage || rep.Failed != 1 || len(rep.Policies) != 2 {
		t.Fatalf("validate --format json: %d %v\n%s", code, err, out)
	}
	if p := rep.Policies[0].Problems; len(p) == 0 || p[0].Code != "cycle" || p[0].Line != 7 || p[0].Column != 11 {
		t.Errorf("problems %+v", p)
	}
	if rep.Policies[1].Policy == nil || rep.Policies[1].Policy.Name != "mx-onboarding" {
		t.Errorf("the good policy: %+v", rep.Policies[1])
	}
}

// evaluate prints one JSON line per case however many, goes on past a case
// it cannot read and fails at the end; --format text prints the trace.
func TestEvaluateSeveralCases(t *testing.T) {
	p := "policies/mx-onboarding.yaml"
	_, one, _ := cli(t, "", "evaluate", "-p", p, "fixtures/cases/mx_ofac_hit.json")
	_, two, _ := cli(t, "", "evaluate", "-p", p, "fixtures/cases/mx_full_approved.json")
	code, all, errs := cli(t, "", "evaluate", "-p", p, "fixtures/cases/mx_ofac_hit.json", "nope.json", "fixtures/cases/mx_full_approved.json")
	if all != one+two || strings.Count(one, "\n") != 1 {
		t.Errorf("several cases do not print the JSON lines of each:\n%.300s", all)
	}
	if code != 1 || !strings.Contains(errs, "veredicto: nope.json: no such file or directory\n") || !strings.HasSuffix(errs, "veredicto: 1 of 3 cases could not be decided (above)\n") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	_, text, _ := cli(t, "", "evaluate", "-p", p, "--format", "text", "--trace", "fixtures/cases/mx_ofac_hit.json")
	if !strings.Contains(text, "Trace (every rule, requirement and score):\n") || !strings.Contains(text, "  sanctions-hit  ") {
		t.Errorf("--format text --trace prints no trace:\n%s", text)
	}
}

// rescore names an input it cannot read on stderr, and still writes one
// record per input line.
func TestRescoreNamesUnreadableInput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "d.jsonl")
	code, _, errs := cli(t, "", "rescore", "-q", "-p", "policies/mx-onboarding.yaml", "--as-of", "2025-06-30", "--out", out, "fixtures/sample/cases.jsonl", "fixtures/sample/mistyped.jsonl")
	if code != exitIO || !strings.Contains(errs, "fixtures/sample/mistyped.jsonl (open fixtures/sample/mistyped.jsonl: no such file or directory)") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	data, _ := os.ReadFile(out)
	if n := strings.Count(string(data), "\n"); n != 1001 {
		t.Errorf("%d records for 1,000 lines and an unreadable input", n)
	}
}
