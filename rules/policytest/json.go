package policytest

import (
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// The JSON report of a run (`veredicto test --format json`).
type (
	jsonReport struct {
		Suites   []jsonSuite    `json:"suites"`
		Unloaded []jsonUnloaded `json:"unloaded,omitempty"`
		Coverage []jsonCoverage `json:"coverage,omitempty"`
		Passed   int            `json:"passed"`
		Failed   int            `json:"failed"`
		// Matched is false when --run selected no test at all.
		Matched bool `json:"matched"`
		Exit    int  `json:"exit"`
	}
	jsonSuite struct {
		File      string           `json:"file"`
		Policy    engine.PolicyRef `json:"policy"`
		PolicyAt  string           `json:"policy_file"`
		Tests     []jsonTest       `json:"tests"`
		Passed    int              `json:"passed"`
		Failed    int              `json:"failed"`
		ElapsedMS float64          `json:"elapsed_ms"`
	}
	jsonTest struct {
		Name      string   `json:"name"`
		Line      int      `json:"line"`
		Passed    bool     `json:"passed"`
		Outcome   string   `json:"outcome"`
		Failures  []string `json:"failures,omitempty"`
		ElapsedMS float64  `json:"elapsed_ms"`
	}
	jsonUnloaded struct {
		File     string        `json:"file"`
		Problems []jsonProblem `json:"problems,omitempty"`
		Error    string        `json:"error,omitempty"`
	}
	jsonProblem struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	jsonCoverage struct {
		Policy    engine.PolicyRef `json:"policy"`
		File      string           `json:"file"`
		Percent   float64          `json:"percent"`
		Covered   int              `json:"covered"`
		Total     int              `json:"total"`
		Uncovered []string         `json:"uncovered"`
		// BelowMinimum is set when --min-coverage failed the run for it.
		BelowMinimum bool `json:"below_minimum,omitempty"`
	}
)

// writeJSON writes the report of a run as one indented JSON document.
func writeJSON(w io.Writer, results []*SuiteResult, failed []LoadError, covs []*Coverage, minCoverage float64, matched bool, code int) error {
	rep := jsonReport{Suites: []jsonSuite{}, Matched: matched, Exit: code}
	for _, r := range results {
		s := jsonSuite{File: r.Suite.File, PolicyAt: r.Suite.PolicyFile, Tests: []jsonTest{}, ElapsedMS: ms(r.Elapsed),
			Policy: engine.PolicyRef{Name: r.Suite.Policy.Name, Version: r.Suite.Policy.Version, Hash: r.Suite.Policy.Hash}}
		for i := range r.Tests {
			t := &r.Tests[i]
			s.Tests = append(s.Tests, jsonTest{Name: t.Test.Name, Line: t.Test.Pos.Line, Passed: t.Passed(),
				Outcome: t.Decision.Outcome.String(), Failures: t.Failures, ElapsedMS: ms(t.Elapsed)})
			if t.Passed() {
				s.Passed++
			} else {
				s.Failed++
			}
		}
		rep.Passed += s.Passed
		rep.Failed += s.Failed
		rep.Suites = append(rep.Suites, s)
	}
	for _, le := range failed {
		u := jsonUnloaded{File: le.File}
		var list engine.ErrorList
		if errors.As(le.Err, &list) {
			for _, e := range list {
				u.Problems = append(u.Problems, jsonProblem{File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Column, Code: e.Code, Message: e.Msg})
			}
		} else {
			u.Error = le.Err.Error()
		}
		rep.Unloaded = append(rep.Unloaded, u)
	}
	for _, c := range covs {
		jc := jsonCoverage{Policy: engine.PolicyRef{Name: c.Policy.Name, Version: c.Policy.Version, Hash: c.Policy.Hash},
			File: c.Policy.File, Percent: c.Percent(), Covered: c.Covered(), Total: len(c.Items), Uncovered: []string{},
			BelowMinimum: minCoverage >= 0 && c.Percent() < minCoverage}
		for _, it := range c.Uncovered() {
			jc.Uncovered = append(jc.Uncovered, c.Label(it))
		}
		rep.Coverage = append(rep.Coverage, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// ms is a duration in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
