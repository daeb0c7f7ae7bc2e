package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the command in-process from the repository root.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir("../.."); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	code = runIO(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestEvaluate(t *testing.T) {
	code, out, errs := cli(t, "", "evaluate", "--policy", "policies/mx-onboarding.yaml", "fixtures/cases/mx_ofac_hit.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d struct {
		Outcome string `json:"outcome"`
		CaseID  string `json:"case_id"`
		Policy  struct{ Name, Version, Hash string }
		Reasons []struct {
			Rule  string
			Facts []struct{ Name string }
		}
		EvaluatedAt string `json:"evaluated_at"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if d.Outcome != "reject" || d.CaseID != "app-000124" || d.Policy.Name != "mx-onboarding" || len(d.Policy.Hash) != 64 || d.EvaluatedAt != "2025-06-17T12:00:00Z" {
		t.Errorf("decision: %+v", d)
	}
	if len(d.Reasons) == 0 || d.Reasons[0].Rule != "sanctions-hit" || len(d.Reasons[0].Facts) == 0 {
		t.Errorf("reasons: %+v", d.Reasons)
	}
}

func TestEvaluateStdinAndExplain(t *testing.T) {
	raw, err := os.ReadFile("../../fixtures/veriff/session_declined_generic.json")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, string(raw), "evaluate", "-p", "policies/mx-onboarding.yaml", "--explain", "--as-of", "2025-06-17")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"REJECT", "veriff-declined", "veriff.status = declined", "Evidence the rules needed but did not have:"} {
		if !strings.Contains(out, want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out)
		}
	}
}

func TestFailures(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte("policy: p\nversion: '1'\ndefault: review\nrules:\n  - id: a\n    description: d\n    when: veriff.stauts == 'approved'\n    outcome: approve\n    reason: r\n"), 0o644)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"verification": {"id": "x",}}`), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"malformed case", []string{"evaluate", "-p", "policies/mx-onboarding.yaml", bad}, 1, "bad.json: veriff: byte 28: malformed JSON: trailing comma"},
		{"missing file", []string{"evaluate", "-p", "policies/mx-onboarding.yaml", "nope.json"}, 1, "nope.json: no such file"},
		{"broken policy", []string{"evaluate", "-p", broken, "fixtures/cases/mx_ofac_hit.json"}, 2, "unknown fact veriff.stauts (did you mean veriff.status?)"},
		{"validate broken", []string{"validate", broken}, 2, "broken.yaml:7:11: unknown fact veriff.stauts"},
		{"no policy flag", []string{"evaluate", "x.json"}, 1, `required flag(s) "policy" not set`},
		{"bad as-of", []string{"normalize", "--as-of", "yesterday", "fixtures/jaak/ofac_found.json"}, 1, "--as-of \"yesterday\""},
		{"unknown provider facts", []string{"facts", "--provider", "nope"}, 1, `no facts for provider "nope"`},
	}
	for _, tt := range tests {
		code, _, errs := cli(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tt.name, code, errs, tt.code, tt.stderr)
		}
		if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
			t.Errorf("%s: stack trace on stderr", tt.name)
		}
		last := strings.TrimSpace(errs)
		if i := strings.LastIndexByte(last, '\n'); i >= 0 {
			last = last[i+1:]
		}
		if !strings.HasPrefix(last, "veredicto: ") && !strings.HasPrefix(last, "Error: ") {
			t.Errorf("%s: the last line of stderr is not a one-line reason: %q", tt.name, last)
		}
	}
}

func TestValidateAndFacts(t *testing.T) {
	code, out, errs := cli(t, "", "validate", "policies/mx-onboarding.yaml")
	if code != 0 || !strings.HasPrefix(out, "ok policies/mx-onboarding.yaml: mx-onboarding") {
		t.Fatalf("validate: %d %q %q", code, out, errs)
	}
	code, out, _ = cli(t, "", "facts", "--json")
	var specs []struct{ Name, Type, Provider, Description string }
	if code != 0 || json.Unmarshal([]byte(out), &specs) != nil || len(specs) < 150 {
		t.Fatalf("facts --json: exit %d, %d facts", code, len(specs))
	}
	code, out, _ = cli(t, "", "normalize", "--as-of", "2025-06-17", "fixtures/jaak/ofac_found.json")
	if code != 0 || !strings.Contains(out, `"jaak.ofac.passed": false`) {
		t.Fatalf("normalize: %d %s", code, out)
	}
}

// TestREADMECatalog keeps README's fact catalog in sync with the code.
func TestREADMECatalog(t *testing.T) {
	_, table, _ := cli(t, "", "facts", "--markdown")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- facts:begin -->\n", "<!-- facts:end -->"
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README has no facts:begin/facts:end markers")
	}
	if got := s[i+len(begin) : j]; got != table {
		if os.Getenv("UPDATE_README") != "" {
			os.WriteFile("../../README.md", []byte(s[:i+len(begin)]+table+s[j:]), 0o644)
			return
		}
		t.Error("README's fact catalog is out of date: run UPDATE_README=1 go test ./cmd/veredicto -run TestREADMECatalog")
	}
}

// TestServeFlagsFromEnvironment: every serve flag can come from
// VEREDICTO_<FLAG>, a flag on the command line wins, and a bad value names
// its variable.
func TestServeFlagsFromEnvironment(t *testing.T) {
	cmd := newServe()
	t.Setenv("VEREDICTO_ADDR", "127.0.0.1:9999")
	t.Setenv("VEREDICTO_RELOAD_INTERVAL", "7s")
	t.Setenv("VEREDICTO_STORE", "sqlite:from-env.db")
	if err := cmd.ParseFlags([]string{"--store", "sqlite:from-flag.db"}); err != nil {
		t.Fatal(err)
	}
	if err := flagsFromEnv(cmd); err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{"addr": "127.0.0.1:9999", "reload-interval": "7s", "store": "sqlite:from-flag.db", "log-level": "info"} {
		if got := cmd.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q", flag, got, want)
		}
	}
	bad := newServe()
	t.Setenv("VEREDICTO_MAX_BODY", "lots")
	if err := flagsFromEnv(bad); err == nil || !strings.Contains(err.Error(), "VEREDICTO_MAX_BODY") {
		t.Errorf("a bad value: %v", err)
	}
	t.Setenv("VEREDICTO_MAX_BODY", "1000")
	if code, _, stderr := execute(t, "", "serve"); code != exitUsage || !strings.Contains(stderr, "VEREDICTO_POLICY") {
		t.Errorf("serve without a policy: exit %d, %q", code, stderr)
	}
}
