package policytest

import (
	"encoding/json"
	"strings"
	"testing"
)

// jsonOut is the part of the JSON report the tests read.
type jsonOut struct {
	Suites []struct {
		File   string
		Policy struct{ Name, Version, Hash string }
		Tests  []struct {
			Name     string
			Line     int
			Passed   bool
			Outcome  string
			Failures []string
		}
		Passed, Failed int
	}
	Unloaded []struct {
		File     string
		Error    string
		Problems []struct {
			File         string
			Line, Column int
			Code         string
		}
	}
	Coverage []struct {
		Percent        float64
		Covered, Total int
		Uncovered      []string
		BelowMinimum   bool `json:"below_minimum"`
	}
	Passed, Failed int
	Matched        bool
	Exit           int
}

// TestJSONReport: with JSON set, Main prints one JSON document with every
// suite and test, the suites that did not load with their problems (and
// nothing on stderr), and each policy's coverage; the exit code is the
// text's.
func TestJSONReport(t *testing.T) {
	decode := func(t *testing.T, out string) jsonOut {
		t.Helper()
		var r jsonOut
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("not one JSON document: %v\n%s", err, out)
		}
		return r
	}
	code, out, errOut := mainOut(t, Config{Paths: []string{"testdata/failing", "testdata/mini.test.yaml", "testdata/errors/broken.test.yaml"}, JSON: true})
	r := decode(t, out)
	if code != ExitLoad || r.Exit != code || errOut != "" {
		t.Errorf("exit %d (report %d), stderr %q", code, r.Exit, errOut)
	}
	if len(r.Suites) != 2 || r.Suites[0].Passed != 1 || r.Suites[0].Failed != 3 || r.Suites[1].Passed != 4 || r.Suites[1].Failed != 0 ||
		r.Passed != 5 || r.Failed != 3 || !r.Matched {
		t.Errorf("suites %+v, passed %d, failed %d", r.Suites, r.Passed, r.Failed)
	}
	if p := r.Suites[1].Policy; p.Name == "" || len(p.Hash) != 64 {
		t.Errorf("policy %+v", p)
	}
	wrong := r.Suites[0].Tests[1]
	if wrong.Name != "wrong outcome and rules" || wrong.Passed || wrong.Outcome != "reject" || wrong.Line != 9 || len(wrong.Failures) == 0 {
		t.Errorf("a failed test: %+v", wrong)
	}
	if pass := r.Suites[0].Tests[0]; !pass.Passed || pass.Failures != nil || pass.Outcome != "approve" {
		t.Errorf("a passed test: %+v", pass)
	}
	if len(r.Unloaded) != 1 || len(r.Unloaded[0].Problems) != 2 || r.Unloaded[0].Problems[1].Code != "unknown-fact" ||
		r.Unloaded[0].Problems[1].Line != 7 || r.Unloaded[0].Problems[1].Column != 11 {
		t.Errorf("unloaded %+v", r.Unloaded)
	}
	if len(r.Coverage) != 1 || r.Coverage[0].Total == 0 || r.Coverage[0].Covered > r.Coverage[0].Total || r.Coverage[0].BelowMinimum {
		t.Errorf("coverage %+v", r.Coverage)
	}

	// All passing: exit 0; a minimum not met (5 of 7 covered) is marked
	// and fails.
	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, JSON: true})
	if r := decode(t, out); code != ExitOK || r.Exit != 0 || r.Failed != 0 || r.Unloaded != nil {
		t.Errorf("passing: exit %d, %+v", code, r)
	}
	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, JSON: true, MinCoverage: 100})
	if r := decode(t, out); code != ExitFail || r.Exit != ExitFail || !r.Coverage[0].BelowMinimum || r.Coverage[0].Covered != 5 ||
		r.Coverage[0].Total != 7 || len(r.Coverage[0].Uncovered) != 2 {
		t.Errorf("min coverage: exit %d, %+v", code, r.Coverage)
	}
	// --run matching nothing: matched false, exit 1, no text.
	code, out, _ = mainOut(t, Config{Paths: []string{"testdata/mini.test.yaml"}, JSON: true, Run: "no such test"})
	if r := decode(t, out); code != ExitFail || r.Matched || r.Exit != ExitFail || strings.Contains(out, "FAIL") {
		t.Errorf("--run matching nothing: exit %d, %s", code, out)
	}
}
