package check

import (
	"math/rand/v2"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules"
)

// contains reports whether the abstract set holds the concrete value.
func (s aset) contains(v engine.Value) bool {
	if s.top {
		return true
	}
	for _, w := range s.vals {
		if same(w, v) {
			return true
		}
	}
	return false
}

// TestAbstractContainsConcrete is what makes pruning sound: on random
// partial assignments, every completion's concrete results (the compiled
// expressions of package rules, and the engine's decision) are inside the
// abstract results of the partial assignment. It also checks that the
// resolved expressions evaluate exactly like the compiled ones.
func TestAbstractContainsConcrete(t *testing.T) {
	for _, tc := range []struct {
		path string
		cat  *engine.Catalog
	}{
		{"testdata/operators.yaml", TestCatalog},
		{"testdata/approve_path.yaml", TestCatalog},
		{"testdata/no_path.yaml", TestCatalog},
		{"testdata/budget.yaml", TestCatalog},
		{"../../policies/mx-onboarding.yaml", normalizers.Catalog()},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, err := rules.Load(tc.path, tc.cat)
			if err != nil {
				t.Fatal(err)
			}
			m, err := newModel(p, tc.cat)
			if err != nil {
				t.Fatal(err)
			}
			slots := append(append([]int(nil), m.reads...), m.shadowOnly...)
			for _, s := range m.shadowOnly {
				m.domain[s] = m.domainOf(s)
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(tc.path))))
			f := engine.NewFacts(tc.cat)
			for trial := range 3000 {
				st := m.newState()
				for _, s := range slots {
					if rng.IntN(3) > 0 {
						st.assigned[s] = true
						st.vals[s] = m.domain[s][rng.IntN(len(m.domain[s]))]
					}
				}
				possible := m.possible(st)
				derived := append([]aset(nil), st.derived...)
				rulesAbs := make([]tris, len(p.Rules))
				for i := range p.Rules {
					rulesAbs[i] = st.eval(m.rules[i]).tri()
				}
				scoresAbs := make([]outcomes, len(p.Scores))
				for i := range p.Scores {
					scoresAbs[i] = m.scoreOutcomes(st, i)
				}
				for range 4 {
					vals := append([]engine.Value(nil), st.vals...)
					for _, s := range slots {
						if !st.assigned[s] {
							vals[s] = m.domain[s][rng.IntN(len(m.domain[s]))]
						}
					}
					fillFacts(f, vals)
					env := &engine.Env{Facts: f, Derived: make([]engine.Value, len(p.Derived))}
					for i, d := range p.Derived {
						env.Derived[i] = d.Expr(env)
					}
					full := &state{assigned: make([]bool, len(vals)), vals: vals, domain: m.domain}
					for i, d := range p.Derived {
						if !derived[i].contains(env.Derived[i]) {
							t.Fatalf("trial %d: derived %s = %+v, abstract %+v", trial, d.Name, env.Derived[i], derived[i])
						}
						if got := full.concrete(m.derived[i], env.Derived); !same(got, env.Derived[i]) {
							t.Fatalf("trial %d: derived %s resolved %+v, compiled %+v", trial, d.Name, got, env.Derived[i])
						}
					}
					for i, r := range p.Rules {
						c := r.When(env)
						if !rulesAbs[i].has(c) {
							t.Fatalf("trial %d: rule %s is %v, abstract %03b", trial, r.ID, c, rulesAbs[i])
						}
						if got := full.concrete(m.rules[i], env.Derived).Tri(); got != c {
							t.Fatalf("trial %d: rule %s resolved %v, compiled %v", trial, r.ID, got, c)
						}
					}
					for i, s := range p.Scores {
						for j, term := range s.Terms {
							if got, c := full.concrete(m.terms[i][j], env.Derived).Tri(), term.When(env); got != c {
								t.Fatalf("trial %d: score %s term %d resolved %v, compiled %v", trial, s.ID, j, got, c)
							}
						}
					}
					d := p.Evaluate(f)
					if !possible.has(d.Outcome) {
						t.Fatalf("trial %d: decided %s, abstract outcomes %04b", trial, d.Outcome, possible)
					}
					for i, s := range d.Scores {
						if !scoresAbs[i].has(s.Outcome) {
							t.Fatalf("trial %d: score %s gave %s (%s), abstract outcomes %04b", trial, s.ID, s.Outcome, s.Result, scoresAbs[i])
						}
					}
				}
			}
		})
	}
}
