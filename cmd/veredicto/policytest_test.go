package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCaptured runs the command line and returns its exit code and what it
// wrote to stdout and stderr.
func runCaptured(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = outW, errW
	outC, errC := make(chan string), make(chan string)
	go func() { b, _ := io.ReadAll(outR); outC <- string(b) }()
	go func() { b, _ := io.ReadAll(errR); errC <- string(b) }()
	code := run(args)
	os.Stdout, os.Stderr = stdout, stderr
	outW.Close()
	errW.Close()
	return code, <-outC, <-errC
}

const testdata = "../../rules/policytest/testdata/"

// TestTestCommand: the exit codes of veredicto test.
func TestTestCommand(t *testing.T) {
	junit := filepath.Join(t.TempDir(), "report.xml")
	tests := []struct {
		args []string
		code int
		out  string // part of stdout
		err  string // part of stderr
	}{
		{[]string{"test", "../../policies"}, 0, "ok    ../../policies/mx-onboarding.test.yaml  ", ""},
		{[]string{"test", "--coverage", "--min-coverage", "100", "../../policies/"}, 0, "coverage: 100.0% of mx-onboarding", ""},
		{[]string{"test", "--junit", junit, "../../policies/mx-onboarding.test.yaml"}, 0, "", ""},
		{[]string{"test", "-v", "--run", "^OFAC hit rejects$", "../../policies"}, 0, "--- ok    OFAC hit rejects (", ""},
		{[]string{"test", testdata + "failing"}, 1, "--- FAIL  wrong outcome and rules", ""},
		{[]string{"test", "--min-coverage", "90", testdata + "mini.test.yaml"}, 1, "is below --min-coverage 90%", ""},
		{[]string{"test", "--run", "no such test", testdata + "mini.test.yaml"}, 1, "matched no test", ""},
		{[]string{"test", testdata + "errors/ids.test.yaml"}, 2, "[load failed]", "ids.test.yaml:8:15: fired: the policy mini has no rule"},
		{[]string{"test", testdata + "failing", testdata + "errors/keys.test.yaml"}, 2, "FAIL  " + testdata + "failing/failing.test.yaml", "did you mean fixture?"},
		{[]string{"test", "--run", "(", "../../policies"}, 2, "", "--run: error parsing regexp"},
		{[]string{"test", "--min-coverage", "-1", "../../policies"}, 2, "", "--min-coverage: want a percentage"},
		{[]string{"test"}, 2, "", "no test suites (*.test.yaml) in ."},
		{[]string{"test", "../../policies/mx-onboarding.yaml"}, 2, "", "is not a test suite"},
	}
	for _, tt := range tests {
		code, out, errOut := runCaptured(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
			t.Errorf("veredicto %s: exit %d, want %d (stdout must hold %q, stderr %q)\nstdout:\n%s\nstderr:\n%s",
				strings.Join(tt.args, " "), code, tt.code, tt.out, tt.err, out, errOut)
		}
	}
	data, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(data), `<testsuite name="../../policies/mx-onboarding.test.yaml"`) {
		t.Errorf("--junit wrote %q, %v", data, err)
	}
}
