package policytest

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// Suite is a loaded test suite, bound to the compiled policy it tests.
type Suite struct {
	File        string // the suite file, as named to Parse or Load
	PolicyFile  string // the policy file, resolved against the suite's directory
	Description string
	Policy      *engine.Policy
	Tests       []*Test
}

// Test is one test: a case made ready for evaluation and what its decision
// must be.
type Test struct {
	Name        string
	Description string
	Pos         engine.Position // where the test starts in the suite file
	// AsOf is the evaluation time; zero when the case's envelope gives it.
	AsOf   time.Time
	Expect Expect

	facts *engine.Facts // the normalized and edited facts of the case
}

// Expect is what a decision must be. A nil list is no expectation; an empty,
// non-nil Fired, Shadow or Missing says that there must be none.
type Expect struct {
	Outcome   engine.Outcome
	Fired     []string
	NotFired  []string
	Undecided []string // rules and scores whose facts were too unknown to decide
	Shadow    []string
	Missing   []string
	Scores    []ScoreExpect
}

// ScoreExpect is what one score's result must be.
type ScoreExpect struct {
	ID         string
	Points     float64
	HasPoints  bool
	Outcome    engine.Outcome // engine.None: no threshold reached
	HasOutcome bool
}

// DefaultPolicyFile returns the policy a suite file tests when it does not
// say: the file beside it named like the suite without ".test".
func DefaultPolicyFile(suite string) string {
	dir, base := filepath.Split(suite)
	for _, ext := range []string{".test.yaml", ".test.yml"} {
		if strings.HasSuffix(base, ext) {
			return filepath.Join(dir, strings.TrimSuffix(base, ext)+ext[len(".test"):])
		}
	}
	return filepath.Join(dir, strings.TrimSuffix(base, filepath.Ext(base))+".yaml")
}

// IsSuiteFile reports whether a file name is a suite's: *.test.yaml or
// *.test.yml.
func IsSuiteFile(name string) bool {
	return strings.HasSuffix(name, ".test.yaml") || strings.HasSuffix(name, ".test.yml")
}

// idKind is what an id of a policy names: a rule, a requirement or a score.
type idKind uint8

const (
	idRule idKind = iota + 1
	idShadowRule
	idRequirement
	idScore
	idShadowScore
)

func (k idKind) String() string {
	switch k {
	case idRule:
		return "rule"
	case idShadowRule:
		return "shadow rule"
	case idRequirement:
		return "requirement"
	case idScore:
		return "score"
	case idShadowScore:
		return "shadow score"
	}
	return fmt.Sprintf("idKind(%d)", uint8(k))
}

func (k idKind) shadow() bool { return k == idShadowRule || k == idShadowScore }

// policyIDs indexes the ids of a policy's rules, requirements and scores.
func policyIDs(p *engine.Policy) (map[string]idKind, []string) {
	m := map[string]idKind{}
	var all []string
	add := func(id string, k idKind) {
		m[id] = k
		all = append(all, id)
	}
	for _, r := range p.Requirements {
		add(r.ID, idRequirement)
	}
	for _, r := range p.Rules {
		if r.Shadow {
			add(r.ID, idShadowRule)
		} else {
			add(r.ID, idRule)
		}
	}
	for _, s := range p.Scores {
		if s.Shadow {
			add(s.ID, idShadowScore)
		} else {
			add(s.ID, idScore)
		}
	}
	return m, all
}
