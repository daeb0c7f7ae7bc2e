package check

import (
	"slices"
	"strings"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// asOf is the evaluation time of every assignment the analysis evaluates:
// facts are given directly, so no decision depends on it.
var asOf = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// budget counts the nodes (partial assignments) and leaves (complete ones,
// evaluated by the engine) of the searches of one analysis.
type budget struct {
	left, used int
}

// spend takes one node; false when none is left.
func (b *budget) spend() bool {
	if b.left <= 0 {
		return false
	}
	b.left--
	b.used++
	return true
}

// result of a search.
type result uint8

const (
	notFound result = iota
	found
	incomplete
)

// search is a depth-first search over the domains of vars for an
// assignment that reaches a goal. prune says a partial assignment cannot
// reach it (soundly: from the abstract evaluation); sure, when not nil,
// that every completion reaches it, so the rest of the variables take their
// first values; goal tests a complete assignment.
type search struct {
	st    *state
	vars  []int
	b     *budget
	prune func() bool
	sure  func() bool
	goal  func() bool
}

func (s *search) run() result { return s.dfs(0) }

func (s *search) dfs(i int) result {
	if !s.b.spend() {
		return incomplete
	}
	if s.prune() {
		return notFound
	}
	if i == len(s.vars) {
		if s.goal() {
			return found
		}
		return notFound
	}
	if s.sure != nil && s.sure() {
		for _, v := range s.vars[i:] {
			s.st.assigned[v], s.st.vals[v] = true, s.st.domain[v][0]
		}
		if s.goal() {
			return found
		}
		for _, v := range s.vars[i:] {
			s.st.assigned[v], s.st.vals[v] = false, engine.Value{}
		}
	}
	v := s.vars[i]
	s.st.assigned[v] = true
	for _, x := range s.st.domain[v] {
		s.st.vals[v] = x
		if r := s.dfs(i + 1); r != notFound {
			return r
		}
	}
	s.st.assigned[v], s.st.vals[v] = false, engine.Value{}
	return notFound
}

// facts fills f with an assignment, marking unreadable and conflicting
// facts with an evidence note as a normalizer would.
func fillFacts(f *engine.Facts, vals []engine.Value) {
	f.Reset()
	f.AsOf = asOf
	for slot, v := range vals {
		if v.Kind == engine.Unknown && v.E == engine.Clean {
			continue
		}
		e := v.E
		v.E = engine.Clean
		f.Set(slot, v)
		if e != engine.Clean {
			f.Mark(slot, engine.EvidenceNote{State: e, Provider: "check", Offset: -1, Message: "set by the analysis"})
		}
	}
}

// evaluator decides complete assignments with the real engine.
type evaluator struct {
	f *engine.Facts
}

func newEvaluator(cat *engine.Catalog) *evaluator { return &evaluator{f: engine.NewFacts(cat)} }

func (e *evaluator) decide(p *engine.Policy, vals []engine.Value, opts ...engine.EvalOption) engine.Decision {
	fillFacts(e.f, vals)
	return p.Evaluate(e.f, opts...)
}

// minimise drops facts from an assignment, in name order, while keep
// still holds; the slots in fixed are never dropped.
func minimise(cat *engine.Catalog, vals []engine.Value, fixed []int, keep func([]engine.Value) bool) []engine.Value {
	out := slices.Clone(vals)
	var slots []int
	for s, v := range out {
		if (v.Kind != engine.Unknown || v.E != engine.Clean) && !slices.Contains(fixed, s) {
			slots = append(slots, s)
		}
	}
	slices.SortFunc(slots, func(a, b int) int { return strings.Compare(cat.Spec(a).Name, cat.Spec(b).Name) })
	for changed := true; changed; {
		changed = false
		for _, s := range slots {
			if out[s].Kind == engine.Unknown && out[s].E == engine.Clean {
				continue
			}
			was := out[s]
			out[s] = engine.Value{}
			if keep(out) {
				changed = true
			} else {
				out[s] = was
			}
		}
	}
	return out
}
