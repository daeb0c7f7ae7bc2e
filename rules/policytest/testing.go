package policytest

import (
	"strings"
	"testing"
)

// Run runs the suites that cfg.Paths name (see Find) from a Go test: each
// suite file is a subtest, and each of its tests a subtest of that, so that
// `go test -run 'TestPolicies/mx-onboarding.test.yaml/OFAC'` selects them
// and a failure reads like `veredicto test`'s. A suite that does not load
// fails t with every problem at file:line:column. cfg.Run narrows the tests
// as --run does; cfg.MinCoverage, when positive, fails t when a policy's
// coverage over its suites is below it (checked only when every test of
// the policy ran); cfg.Coverage logs the coverage. Verbose and JUnit are
// not used: go test has -v and its own reports.
//
//	func TestPolicies(t *testing.T) {
//		policytest.Run(t, harness, policytest.Config{Paths: []string{"."}, MinCoverage: 100})
//	}
func Run(t *testing.T, h *Harness, cfg Config) {
	t.Helper()
	if err := h.check(); err != nil {
		t.Fatal(err)
	}
	sel, err := selector(cfg.Run)
	if err != nil {
		t.Fatalf("policytest: Run: %v", err)
	}
	files, err := Find(cfg.Paths)
	if err != nil {
		t.Fatalf("policytest: %v", err)
	}
	type policyRun struct {
		cov        *Coverage
		ran, total int
	}
	var order []*policyRun
	byPolicy := map[string]*policyRun{}
	ld := h.NewLoader()
	for _, file := range files {
		s, err := ld.Load(file)
		if err != nil {
			t.Errorf("suite %s does not load:\n%s", file, LoadError{File: file, Err: err}.Snippets())
			continue
		}
		key := s.PolicyFile + "\x00" + s.Policy.Hash
		pr := byPolicy[key]
		if pr == nil {
			pr = &policyRun{cov: NewCoverage(s.Policy)}
			byPolicy[key] = pr
			order = append(order, pr)
		}
		pr.total += len(s.Tests)
		t.Run(file, func(t *testing.T) {
			for _, test := range s.Tests {
				if sel != nil && !sel.MatchString(test.Name) {
					continue
				}
				t.Run(test.Name, func(t *testing.T) {
					r := s.RunTest(test)
					pr.ran++
					pr.cov.Add(&r.Decision)
					if !r.Passed() {
						var b strings.Builder
						WriteTest(&b, &r, false)
						t.Error("\n" + b.String())
					}
				})
			}
		})
	}
	for _, pr := range order {
		c := pr.cov
		if cfg.Coverage {
			var b strings.Builder
			WriteCoverage(&b, c, false)
			t.Log(strings.TrimSuffix(b.String(), "\n"))
		}
		if cfg.MinCoverage > 0 && pr.ran == pr.total && c.Percent() < cfg.MinCoverage {
			var b strings.Builder
			WriteCoverage(&b, c, false)
			t.Errorf("coverage %.1f%% of %s is below %g%%:\n%s", c.Percent(), c.Policy.File, cfg.MinCoverage, b.String())
		}
	}
}
