package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkReport is the part of `check --format json` the tests read.
type checkReport struct {
	Reports []struct {
		File     string
		Findings []struct {
			Code, Severity, File, Message, Rule, Fact string
			Line, Column                              int
			Counterexample                            *struct {
				Name    string
				Set     map[string]any
				Outcome string
				Test    string
			}
		}
	}
	Errors int
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// A deliberately weakened copy of the standard policy, which confirms the
// CURP with the old ?? chain (JAAK first, then Veriff, then Trully) instead
// of confirmed(...), fails the check with the counterexample of Trully's
// "not valid" hidden by JAAK's "passed"; and every counterexample check
// prints passes when pasted into a suite run by veredicto test.
func TestCheckWeakenedStandardPolicy(t *testing.T) {
	src, err := os.ReadFile("../../policies/mx-onboarding.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const strong = "confirmed(jaak.renapo.passed, veriff.curp.valid, veriff_ine.curp.found, trully.curp.government_valid)"
	if !strings.Contains(string(src), strong) {
		t.Fatal("the standard policy no longer confirms the CURP as this test weakens it")
	}
	weak := writeFile(t, filepath.Join(dir, "weak.yaml"), strings.Replace(string(src), strong, "jaak.renapo.passed ?? (veriff.curp.valid ?? trully.curp.government_valid)", 1))
	code, out, errs := cli(t, "", "check", "--format", "json", weak)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs)
	}
	var rep checkReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var tests []string
	hidden := false
	for _, f := range rep.Reports[0].Findings {
		if f.Code != "approve-on-adverse" {
			continue
		}
		if f.Severity != "error" || f.Counterexample == nil || f.Counterexample.Outcome != "approve" || f.Line == 0 {
			t.Errorf("finding %+v", f)
			continue
		}
		tests = append(tests, f.Counterexample.Test)
		if f.Fact == "trully.curp.government_valid" {
			hidden = f.Counterexample.Set["trully.curp.government_valid"] == false &&
				strings.Contains(f.Counterexample.Test, "name: \"check: approves although trully.curp.government_valid is false\"")
		}
	}
	if !hidden || rep.Errors != len(tests) {
		t.Fatalf("no approval on trully.curp.government_valid = false among %d errors:\n%s", rep.Errors, out)
	}
	var suite strings.Builder
	suite.WriteString("policy: " + weak + "\nas_of: 2025-06-17\ntests:\n")
	for _, test := range tests {
		for _, line := range strings.SplitAfter(test, "\n") {
			if line != "" {
				suite.WriteString("  " + line)
			}
		}
	}
	path := writeFile(t, filepath.Join(dir, "weak.test.yaml"), suite.String())
	if code, out, errs := cli(t, "", "test", path); code != 0 {
		t.Errorf("the printed counterexamples fail as a suite: exit %d\n%s\n%s", code, out, errs)
	}
}

// The text output: file:line:column, the source line with a caret, and
// the counterexample as a suite test.
func TestCheckText(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "p.yaml"), `policy: p
version: "1"
default: review
rules:
  - id: screened
    description: Screened through OFAC, or Interpol when OFAC was not asked.
    when: jaak.ofac.passed ?? jaak.interpol.passed
    outcome: approve
    reason: Screened.
  - id: ofac-hit
    description: OFAC hit.
    when: jaak.ofac.passed == false
    outcome: reject
    reason: Hit.
    unknown: ignore
`)
	code, out, _ := cli(t, "", "check", "--explain", p)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		p + ":7:11: error: approves although jaak.interpol.passed is false (rule screened) [approve-on-adverse]\n" +
			" |     when: jaak.ofac.passed ?? jaak.interpol.passed\n" +
			" |           ^\n" +
			"   counterexample (paste under tests: of a suite with an as_of):\n" +
			"    - name: \"check: approves although jaak.interpol.passed is false\"\n" +
			"      facts:\n" +
			"        set: {jaak.interpol.passed: false, jaak.ofac.passed: true}\n" +
			"      expect:\n" +
			"        outcome: approve\n",
		p + ": ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "jaak.ofac.passed is false") {
		t.Errorf("an OFAC failure rejects, it is no approve path:\n%s", out)
	}
}

// --base lists the classes of cases whose outcome changes; the exit code
// is 0 (changes are not errors).
func TestCheckBase(t *testing.T) {
	dir := t.TempDir()
	policy := func(name, when string) string {
		return writeFile(t, filepath.Join(dir, name), `policy: p
version: "`+name+`"
default: review
rules:
  - id: screened
    description: Screened.
    when: `+when+`
    outcome: approve
    reason: Screened.
`)
	}
	base := policy("base.yaml", "jaak.ofac.passed && jaak.interpol.passed")
	cand := policy("new.yaml", "jaak.ofac.passed")
	code, out, errs := cli(t, "", "check", "--base", base, cand)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := cand + ":7:11: info: rule screened changed: review → approve when jaak.ofac.passed is true, and nothing else is reported [outcome-change]"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

func TestCheckUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"check", "--format", "xml", "policies/mx-onboarding.yaml"}, 2, `--format "xml": want text or json`},
		{[]string{"check", "--base", "policies/mx-onboarding.yaml", "a.yaml", "b.yaml"}, 2, "--base compares one POLICY"},
		{[]string{"check", "nope.yaml"}, 2, "1 of 1 policies did not load"},
	} {
		code, _, errs := cli(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d %q, want %d %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}

// A policy that does not load is reported in check's own format, with the
// problems validate gives, and the other policies are still checked; the
// exit status is 2 then, even when another policy approves on adverse
// evidence.
func TestCheckUnloadable(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, filepath.Join(dir, "bad.yaml"), "policy: x\nversion: \"1\"\ndefault: review\nrules:\n  - id: a\n    description: d\n    outcome: reject\n    reason: r\n    when: veriff.status ==\n")
	missing := filepath.Join(dir, "missing.yaml")
	good := "policies/mx-onboarding.yaml"

	code, out, errs := cli(t, "", "check", "--format", "json", bad, good, missing)
	if code != 2 || !strings.Contains(errs, "2 of 3 policies did not load") {
		t.Fatalf("json: exit %d %q", code, errs)
	}
	if strings.Contains(errs, "bad.yaml:") {
		t.Errorf("json: the problems were printed as text: %s", errs)
	}
	var rep struct {
		Reports  []struct{ File string }
		Unloaded []struct {
			File     string
			Error    string
			Problems []struct {
				Line, Column int
				Code         string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(rep.Reports) != 1 || !strings.HasSuffix(rep.Reports[0].File, good) {
		t.Errorf("json: the loadable policy was not checked: %+v", rep.Reports)
	}
	if len(rep.Unloaded) != 2 || rep.Unloaded[0].File != bad || len(rep.Unloaded[0].Problems) != 1 ||
		rep.Unloaded[0].Problems[0] != (struct {
			Line, Column int
			Code         string
		}{9, 26, "syntax"}) || rep.Unloaded[1].File != missing || !strings.Contains(rep.Unloaded[1].Error, "no such file") {
		t.Errorf("json: unloaded %+v", rep.Unloaded)
	}

	code, out, errs = cli(t, "", "check", bad, good)
	if code != 2 || !strings.Contains(errs, "bad.yaml:9:26: ") || !strings.Contains(errs, "[syntax]") ||
		!strings.Contains(out, "mx-onboarding.yaml: 0 error(s)") {
		t.Errorf("text: exit %d\n%s\n%s", code, out, errs)
	}

	// An approval on adverse evidence and a policy that does not load: 2,
	// and the message says both.
	src, err := os.ReadFile("../../policies/mx-onboarding.yaml")
	if err != nil {
		t.Fatal(err)
	}
	weak := writeFile(t, filepath.Join(dir, "weak.yaml"), strings.Replace(string(src),
		"confirmed(jaak.renapo.passed, veriff.curp.valid, veriff_ine.curp.found, trully.curp.government_valid)",
		"jaak.renapo.passed ?? (veriff.curp.valid ?? trully.curp.government_valid)", 1))
	code, _, errs = cli(t, "", "check", weak, bad)
	if code != 2 || !strings.Contains(errs, "approval(s) on adverse evidence; 1 of 2 policies did not load") {
		t.Errorf("both: exit %d %q", code, errs)
	}

	// A base that does not load: nothing to compare.
	code, out, errs = cli(t, "", "check", "--base", bad, good)
	if code != 2 || out != "" || !strings.Contains(errs, "1 of 1 policies did not load") {
		t.Errorf("--base: exit %d\n%s\n%s", code, out, errs)
	}
}

// veredicto facts shows each fact's polarity in every format.
func TestFactsPolarity(t *testing.T) {
	_, text, _ := cli(t, "", "facts", "--provider", "jaak")
	_, md, _ := cli(t, "", "facts", "--provider", "jaak", "--markdown")
	_, js, _ := cli(t, "", "facts", "--provider", "jaak", "--json")
	var specs []struct{ Name, Polarity, PolarityDescription string }
	if err := json.Unmarshal([]byte(js), &specs); err != nil {
		t.Fatal(err)
	}
	var ofac string
	for _, s := range specs {
		if s.Name == "jaak.ofac.passed" {
			ofac = s.Polarity
		}
	}
	if ofac != "adverse-false" || !strings.Contains(js, `"polarity_description": "adverse: false"`) {
		t.Errorf("json: jaak.ofac.passed polarity %q", ofac)
	}
	if !strings.Contains(md, "| fact | type | adverse | meaning |") || !strings.Contains(md, "| `jaak.ofac.passed` | bool | false |") {
		t.Errorf("markdown:\n%.400s", md)
	}
	found := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "jaak.ofac.passed ") && strings.Contains(line, "adverse: false") {
			found = true
		}
	}
	if !found {
		t.Errorf("text:\n%.400s", text)
	}
}

// TestREADMECheckExample: README's worked example of check is the output
// of a real run on the policy it names.
func TestREADMECheckExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := cli(t, "", "check", "cmd/veredicto/testdata/check/onboarding.yaml")
	if code != 1 || !strings.Contains(out, "approves although trully.curp.government_valid is false") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(string(readme), "$ veredicto check cmd/veredicto/testdata/check/onboarding.yaml\n"+out) {
		t.Errorf("README's check example differs from a real run; it prints:\n%s", out)
	}
}
