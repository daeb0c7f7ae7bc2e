package policytest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// Options select and configure a run.
type Options struct {
	// Run selects the tests whose name it matches; nil runs every test.
	Run *regexp.Regexp
}

// SuiteResult is the outcome of running a suite.
type SuiteResult struct {
	Suite   *Suite
	Tests   []TestResult // the tests that ran, in suite order
	Start   time.Time
	Elapsed time.Duration
}

// Failed returns how many tests failed.
func (r *SuiteResult) Failed() int {
	n := 0
	for i := range r.Tests {
		if !r.Tests[i].Passed() {
			n++
		}
	}
	return n
}

// TestResult is the outcome of one test.
type TestResult struct {
	Test     *Test
	Decision engine.Decision // evaluated with engine.WithTrace
	// Failures says, one line each, which expectations the decision missed.
	Failures []string
	Elapsed  time.Duration
}

// Passed reports whether the decision met every expectation.
func (r *TestResult) Passed() bool { return len(r.Failures) == 0 }

// Run evaluates the suite's tests with its policy and checks each decision.
func (s *Suite) Run(opts Options) *SuiteResult {
	start := time.Now()
	res := &SuiteResult{Suite: s, Start: start}
	for _, t := range s.Tests {
		if opts.Run != nil && !opts.Run.MatchString(t.Name) {
			continue
		}
		res.Tests = append(res.Tests, s.RunTest(t))
	}
	res.Elapsed = time.Since(start)
	return res
}

// RunTest evaluates one test of the suite and checks its decision.
func (s *Suite) RunTest(t *Test) TestResult {
	t0 := time.Now()
	d := s.Policy.Evaluate(t.facts, engine.WithTrace())
	failures := check(s.Policy, t, &d)
	return TestResult{Test: t, Decision: d, Failures: failures, Elapsed: time.Since(t0)}
}

// check compares a decision with what a test expects.
func check(p *engine.Policy, t *Test, d *engine.Decision) []string {
	e := &t.Expect
	var out []string
	fail := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	if d.Outcome != e.Outcome {
		fail("outcome: want %s, got %s", e.Outcome, d.Outcome)
	}
	result := func(id string) string {
		for _, te := range d.Trace {
			if te.ID == id {
				return te.Result
			}
		}
		return ""
	}
	contributed := contributors(d)

	for _, id := range e.Fired {
		if r := result(id); r != engine.ResultFired && r != engine.ResultUnmet {
			fail("fired: %s %s", id, why(p, t.facts, d, id, r))
		}
	}
	if e.Fired != nil && len(e.Fired) == 0 && len(contributed) > 0 {
		fail("fired: want nothing to fire, got %s", strings.Join(contributed, ", "))
	}
	for _, id := range e.NotFired {
		if r := result(id); r == engine.ResultFired || r == engine.ResultUnmet {
			fail("not_fired: %s %s", id, firedText(d, id))
		}
	}
	for _, id := range e.Undecided {
		if r := result(id); r != engine.ResultIndeterminate {
			fail("undecided: %s %s", id, decidedText(d, id, r))
		}
	}
	for _, id := range e.Shadow {
		if r := result(id); r != engine.ResultFired {
			fail("shadow: %s %s", id, why(p, t.facts, d, id, r))
		}
	}
	if e.Shadow != nil && len(e.Shadow) == 0 {
		var ids []string
		for _, r := range d.Shadow {
			if r.Kind != engine.KindIndeterminate {
				ids = append(ids, r.Rule)
			}
		}
		if len(ids) > 0 {
			fail("shadow: want no shadow rule to fire, got %s", strings.Join(ids, ", "))
		}
	}
	for _, name := range e.Missing {
		if !slices.Contains(d.Missing, name) {
			fail("missing: want %s among the missing facts, got %s", name, listOrNone(d.Missing))
		}
	}
	if e.Missing != nil && len(e.Missing) == 0 && len(d.Missing) > 0 {
		fail("missing: want no missing fact, got %s", strings.Join(d.Missing, ", "))
	}
	for _, se := range e.Scores {
		var got *engine.ScoreResult
		for i := range d.Scores {
			if d.Scores[i].ID == se.ID {
				got = &d.Scores[i]
			}
		}
		if got == nil {
			fail("scores: %s was not computed", se.ID)
			continue
		}
		if se.HasPoints && got.Points != se.Points {
			fail("scores: %s: want %s points, got %s", se.ID, num(se.Points), num(got.Points))
		}
		if se.HasOutcome {
			out := engine.None
			if i := reached(p, se.ID, got.Points); i >= 0 {
				out = scoreThresholds(p, se.ID)[i].Outcome
			}
			if out != se.Outcome {
				fail("scores: %s: want outcome %s, got %s (%s points, %s)", se.ID, se.Outcome, out, num(got.Points), got.Result)
			}
		}
	}
	return out
}

// contributors lists what fired in a decision, requirements unmet included,
// shadow rules excluded.
func contributors(d *engine.Decision) []string {
	var ids []string
	for _, r := range d.Reasons {
		if r.Kind != engine.KindIndeterminate {
			ids = append(ids, r.Rule)
		}
	}
	return ids
}

// why explains that an id did not fire, from its trace result.
func why(p *engine.Policy, f *engine.Facts, d *engine.Decision, id, result string) string {
	switch result {
	case engine.ResultNotFired:
		for _, s := range d.Scores {
			if s.ID == id {
				return fmt.Sprintf("did not fire: %s points reach no threshold", num(s.Points))
			}
		}
		return "did not fire: its condition was false"
	case engine.ResultSatisfied:
		return "was met: none of its facts is missing"
	case engine.ResultIndeterminate:
		if miss := unknownFacts(p, f, id); len(miss) > 0 {
			return "did not fire: undecided, " + strings.Join(miss, ", ") + " unknown"
		}
		return "did not fire: undecided for unknown facts"
	}
	return "was not evaluated"
}

func firedText(d *engine.Decision, id string) string {
	for _, list := range [][]engine.Reason{d.Reasons, d.Shadow} {
		for _, r := range list {
			if r.Rule == id {
				if r.Kind == engine.KindRequirement {
					return "was unmet: " + r.Message
				}
				return "fired: " + r.Message
			}
		}
	}
	return "fired"
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

func num(x float64) string { return engine.NumberValue(x).String() }

// unknownFacts lists the catalog facts that a rule or score reads and that
// are unknown in f; an unknown derived fact stands for the facts it derives
// from.
func unknownFacts(p *engine.Policy, f *engine.Facts, id string) []string {
	var refs []engine.Ref
	for _, r := range p.Rules {
		if r.ID == id {
			refs = r.Refs
		}
	}
	for _, s := range p.Scores {
		if s.ID == id {
			for _, t := range s.Terms {
				refs = append(refs, t.Refs...)
			}
		}
	}
	env := &engine.Env{Facts: f, Derived: make([]engine.Value, len(p.Derived))}
	for i := range p.Derived {
		env.Derived[i] = p.Derived[i].Expr(env)
	}
	var out []string
	walked := map[int]bool{} // derived facts: each is walked once, however many paths lead to it
	var walk func(r engine.Ref)
	walk = func(r engine.Ref) {
		switch {
		case r.Value(env).Known():
		case r.Fact >= 0:
			if !slices.Contains(out, r.Name) {
				out = append(out, r.Name)
			}
		case !walked[r.Derived]:
			walked[r.Derived] = true
			for _, from := range p.Derived[r.Derived].Refs {
				walk(from)
			}
		}
	}
	for _, r := range refs {
		walk(r)
	}
	return out
}

// decidedText says how a rule or score that was expected undecided came out.
func decidedText(d *engine.Decision, id, result string) string {
	if result == engine.ResultFired {
		return firedText(d, id)
	}
	return "was decided: it did not fire"
}
