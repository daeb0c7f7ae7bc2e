package check

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/veredicto/veredicto/engine"
)

// model is a policy prepared for the analysis: its expressions resolved,
// the catalog facts each part reads, and a finite domain for every fact
// that decides.
type model struct {
	p   *engine.Policy
	cat *engine.Catalog

	derived []*node
	rules   []*node
	terms   [][]*node

	derivedBases [][]int // the catalog slots each derived fact reads, transitively
	ruleBases    [][]int
	termBases    [][][]int
	reqBases     [][]int

	// reads lists the slots that a deciding (not shadow) requirement, rule
	// or score reads, in the order the search assigns them: the facts of
	// approving rules first.
	reads  []int
	isRead []bool
	// shadowOnly lists the slots read only by shadow rules and scores.
	shadowOnly []int

	domain  [][]engine.Value // per slot; nil when the slot is not read
	numbers map[int][]float64
	strs    map[int][]string
}

func newModel(p *engine.Policy, cat *engine.Catalog) (*model, error) {
	m := &model{p: p, cat: cat, domain: make([][]engine.Value, cat.Len()), isRead: make([]bool, cat.Len()),
		numbers: map[int][]float64{}, strs: map[int][]string{}}
	r := newResolver(p, cat)
	for _, d := range p.Derived {
		n, err := r.parse(d.Source)
		if err != nil {
			return nil, fmt.Errorf("%s: derived fact %s: %v", d.Pos, d.Name, err)
		}
		m.derived = append(m.derived, n)
		m.derivedBases = append(m.derivedBases, m.bases(d.Refs))
	}
	for _, rule := range p.Rules {
		n, err := r.parse(rule.Source)
		if err != nil {
			return nil, fmt.Errorf("%s: rule %s: %v", rule.Pos, rule.ID, err)
		}
		m.rules = append(m.rules, n)
		m.ruleBases = append(m.ruleBases, m.bases(rule.Refs))
	}
	for _, s := range p.Scores {
		var ns []*node
		var bs [][]int
		for _, t := range s.Terms {
			n, err := r.parse(t.Source)
			if err != nil {
				return nil, fmt.Errorf("%s: score %s: %v", t.Pos, s.ID, err)
			}
			ns = append(ns, n)
			bs = append(bs, m.bases(t.Refs))
		}
		m.terms = append(m.terms, ns)
		m.termBases = append(m.termBases, bs)
	}
	for _, req := range p.Requirements {
		m.reqBases = append(m.reqBases, m.bases(req.Facts))
	}
	m.order()
	m.collectLiterals()
	for _, slot := range m.reads {
		m.domain[slot] = m.domainOf(slot)
	}
	return m, nil
}

// bases returns the catalog slots behind refs, each once, in order.
func (m *model) bases(refs []engine.Ref) []int {
	var out []int
	for _, r := range refs {
		if r.Fact >= 0 {
			out = appendNew(out, r.Fact)
			continue
		}
		for _, s := range m.derivedBases[r.Derived] {
			out = appendNew(out, s)
		}
	}
	return out
}

func appendNew(s []int, v ...int) []int {
	for _, x := range v {
		if !slices.Contains(s, x) {
			s = append(s, x)
		}
	}
	return s
}

// order lists the deciding facts: those of approving rules first, then
// requirements, the other rules and the scores.
func (m *model) order() {
	add := func(slots []int) {
		for _, s := range slots {
			if !m.isRead[s] {
				m.isRead[s] = true
				m.reads = append(m.reads, s)
			}
		}
	}
	for i, r := range m.p.Rules {
		if !r.Shadow && r.Outcome == engine.Approve {
			add(m.ruleBases[i])
		}
	}
	for _, b := range m.reqBases {
		add(b)
	}
	for i, r := range m.p.Rules {
		if !r.Shadow {
			add(m.ruleBases[i])
		}
	}
	for i, s := range m.p.Scores {
		if !s.Shadow {
			for _, b := range m.termBases[i] {
				add(b)
			}
		}
	}
	var shadow []int
	for i, r := range m.p.Rules {
		if r.Shadow {
			shadow = appendNew(shadow, m.ruleBases[i]...)
		}
	}
	for i, s := range m.p.Scores {
		if s.Shadow {
			for _, b := range m.termBases[i] {
				shadow = appendNew(shadow, b...)
			}
		}
	}
	for _, s := range shadow {
		if !m.isRead[s] {
			m.shadowOnly = append(m.shadowOnly, s)
		}
	}
}

// collectLiterals records, per fact, the literals the policy compares it
// with: directly, through derived facts, or (for a list) with # in a
// predicate over it.
func (m *model) collectLiterals() {
	var visit func(n *node, elem [][]int)
	visit = func(n *node, elem [][]int) {
		switch n.op {
		case opAny, opAll, opNone, opOne, opCount:
			visit(n.kids[0], elem)
			visit(n.kids[1], append(elem, m.nodeBases(n.kids[0], elem)))
			return
		case opEq, opNe, opOrder, opContains, opStarts, opEnds, opInList:
			a, b := n.kids[0], n.kids[1]
			if a.op == opLit && b.op != opLit {
				a, b = b, a
			}
			if b.op == opLit && a.op != opLit {
				m.addLiteral(m.nodeBases(a, elem), b.lit)
			}
		case opInLits:
			for _, l := range n.lits {
				m.addLiteral(m.nodeBases(n.kids[0], elem), l)
			}
		}
		for _, k := range n.kids {
			visit(k, elem)
		}
	}
	for _, n := range m.derived {
		visit(n, nil)
	}
	for _, n := range m.rules {
		visit(n, nil)
	}
	for _, ts := range m.terms {
		for _, n := range ts {
			visit(n, nil)
		}
	}
}

// nodeBases returns the slots an expression reads; # stands for the list
// of the innermost predicate.
func (m *model) nodeBases(n *node, elem [][]int) []int {
	var out []int
	n.walk(func(k *node) {
		switch k.op {
		case opFact:
			out = appendNew(out, k.slot)
		case opDerived:
			out = appendNew(out, m.derivedBases[k.index]...)
		case opElem:
			if len(elem) > 0 {
				out = appendNew(out, elem[len(elem)-1]...)
			}
		}
	})
	return out
}

func (m *model) addLiteral(slots []int, v engine.Value) {
	for _, s := range slots {
		switch k := m.cat.Spec(s).Kind; {
		case k == engine.Number && v.Kind == engine.Number:
			if !slices.Contains(m.numbers[s], v.N) {
				m.numbers[s] = append(m.numbers[s], v.N)
			}
		case (k == engine.String || k == engine.List) && v.Kind == engine.String:
			if !slices.Contains(m.strs[s], v.S) {
				m.strs[s] = append(m.strs[s], v.S)
			}
		}
	}
}

// otherString is the value a free string takes besides the literals.
func otherString(lits []string) string {
	o := "other"
	for i := 2; slices.Contains(lits, o); i++ {
		o = "other" + strconv.Itoa(i)
	}
	return o
}

// numberPoints returns the values a number fact takes: each literal t, t-δ
// and t+δ (δ half the smallest gap between literals, at most 1), and the
// fact's Limit; 0 when the policy compares it with nothing.
func (m *model) numberPoints(slot int) []float64 {
	spec := m.cat.Spec(slot)
	lits := slices.Clone(m.numbers[slot])
	sort.Float64s(lits)
	delta := 1.0
	for i := 1; i < len(lits); i++ {
		delta = min(delta, (lits[i]-lits[i-1])/2)
	}
	var out []float64
	for _, t := range lits {
		out = append(out, round(t-delta), t, round(t+delta))
	}
	if spec.Limit != nil {
		out = append(out, *spec.Limit)
	}
	if len(out) == 0 {
		out = []float64{0}
	}
	sort.Float64s(out)
	out = slices.Compact(out)
	if spec.Polarity == engine.LowerWorse {
		slices.Reverse(out) // the better values first
	}
	return out
}

// round drops the noise of binary floating point from t±δ. Twelve digits
// of a finite number never round past the largest float64, so ParseFloat
// cannot fail; an infinity or NaN reads back as itself.
func round(x float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return r
}

// domainOf is the finite domain of a deciding fact, the values that cannot
// be adverse first, then not reported, the adverse values, unreadable and
// conflicting (the adverse value marked so, when the fact has one).
func (m *model) domainOf(slot int) []engine.Value {
	spec := m.cat.Spec(slot)
	var known []engine.Value
	switch spec.Kind {
	case engine.Bool:
		known = []engine.Value{engine.BoolValue(spec.Polarity != engine.AdverseTrue), engine.BoolValue(spec.Polarity == engine.AdverseTrue)}
	case engine.Number:
		for _, n := range m.numberPoints(slot) {
			known = append(known, engine.NumberValue(n))
		}
	case engine.String:
		vals := slices.Clone(spec.Values)
		for _, s := range append(slices.Clone(spec.Adverse), m.strs[slot]...) {
			if !slices.Contains(vals, s) {
				vals = append(vals, s)
			}
		}
		if len(spec.Values) == 0 {
			vals = append(vals, otherString(vals))
		}
		for _, s := range vals {
			known = append(known, engine.StringValue(s))
		}
	case engine.List:
		known = []engine.Value{engine.ListValue([]string{})}
		for _, s := range m.strs[slot] {
			known = append(known, engine.ListValue([]string{s}))
		}
		known = append(known, engine.ListValue([]string{otherString(m.strs[slot])}))
	}
	var good, bad []engine.Value
	worst := m.worst(slot, known)
	for _, v := range known {
		if spec.IsAdverse(v) || worst != nil && same(v, *worst) {
			bad = append(bad, v)
		} else {
			good = append(good, v)
		}
	}
	out := append(good, engine.Value{})
	out = append(out, bad...)
	out = append(out, engine.Value{E: engine.Unreadable})
	if len(bad) > 0 {
		c := bad[0]
		c.E = engine.Conflicting
		out = append(out, c)
	}
	return out
}

// worst is the worst point of a number fact with a direction and no
// limit: its only adverse value for the analysis.
func (m *model) worst(slot int, known []engine.Value) *engine.Value {
	spec := m.cat.Spec(slot)
	if spec.Limit != nil || spec.Polarity != engine.HigherWorse && spec.Polarity != engine.LowerWorse || len(known) == 0 {
		return nil
	}
	w := known[0]
	for _, v := range known[1:] {
		if spec.Polarity == engine.HigherWorse && v.N > w.N || spec.Polarity == engine.LowerWorse && v.N < w.N {
			w = v
		}
	}
	return &w
}

// adverseValues lists the values of a deciding fact that the analysis
// fixes in turn: every adverse value of its domain.
func (m *model) adverseValues(slot int) []engine.Value {
	spec := m.cat.Spec(slot)
	var out []engine.Value
	var known []engine.Value
	for _, v := range m.domain[slot] {
		if v.Known() && v.E == engine.Clean {
			known = append(known, v)
		}
	}
	worst := m.worst(slot, known)
	for _, v := range known {
		if spec.IsAdverse(v) || worst != nil && same(v, *worst) {
			out = append(out, v)
		}
	}
	return out
}

// unreadAdverse is the adverse value shown for a fact no rule reads.
func unreadAdverse(spec engine.FactSpec) (engine.Value, bool) {
	switch spec.Polarity {
	case engine.AdverseFalse:
		return engine.BoolValue(false), true
	case engine.AdverseTrue:
		return engine.BoolValue(true), true
	case engine.AdverseValues:
		return engine.StringValue(spec.Adverse[0]), true
	case engine.HigherWorse, engine.LowerWorse:
		if spec.Limit != nil {
			return engine.NumberValue(*spec.Limit), true
		}
		if spec.Polarity == engine.HigherWorse {
			return engine.NumberValue(1e6), true
		}
		return engine.NumberValue(0), true
	case engine.AdverseNonEmpty:
		return engine.ListValue([]string{"other"}), true
	}
	return engine.Value{}, false
}

// newState returns an empty assignment over the model's domains.
func (m *model) newState() *state {
	n := m.cat.Len()
	return &state{assigned: make([]bool, n), vals: make([]engine.Value, n), domain: m.domain,
		derived: make([]aset, len(m.derived))}
}

// share returns a state of m over the assignment of st (for comparing two
// policies on one assignment).
func (m *model) share(st *state) *state {
	return &state{assigned: st.assigned, vals: st.vals, domain: st.domain, derived: make([]aset, len(m.derived))}
}

// outcome bits: bit o for each engine.Outcome o.
type outcomes uint8

func (o outcomes) has(x engine.Outcome) bool { return o&(1<<x) != 0 }

// possible is the set of outcomes the policy can decide under any
// completion of the assignment (a superset).
func (m *model) possible(st *state) outcomes {
	for i, d := range m.derived {
		st.derived[i] = st.eval(d)
	}
	lower := engine.None
	var union outcomes
	add := func(set outcomes) {
		lo := engine.None
		for o := engine.None; o <= engine.Reject; o++ {
			if set.has(o) {
				lo = o
				break
			}
		}
		lower = max(lower, lo)
		union |= set
	}
	for i, req := range m.p.Requirements {
		may, must := m.unmet(st, req, i)
		switch {
		case must:
			add(1 << req.Outcome)
		case may:
			add(1<<engine.None | 1<<req.Outcome)
		}
	}
	for i, r := range m.p.Rules {
		if r.Shadow {
			continue
		}
		t := st.eval(m.rules[i]).tri()
		var set outcomes
		if t.has(engine.TriTrue) {
			set |= 1 << r.Outcome
		}
		if t.has(engine.TriFalse) {
			set |= 1 << engine.None
		}
		if t.has(engine.TriUnknown) {
			if r.IgnoreUnknown || r.Outcome <= engine.Approve {
				set |= 1 << engine.None
			} else {
				set |= 1 << engine.Review
			}
		}
		add(set)
	}
	for i := range m.p.Scores {
		if !m.p.Scores[i].Shadow {
			add(m.scoreOutcomes(st, i))
		}
	}
	var suspect outcomes
	for _, s := range m.reads {
		if st.assigned[s] {
			if st.vals[s].E != engine.Clean {
				suspect = 1 << engine.Review
				break
			}
		} else if len(m.domain[s]) > 0 && m.domain[s][len(m.domain[s])-1].E != engine.Clean {
			suspect = 1<<engine.None | 1<<engine.Review
		}
	}
	if suspect != 0 {
		add(suspect)
	}
	var out outcomes
	if lower == engine.None {
		out |= 1 << m.p.Default
	}
	for o := max(lower, engine.Approve); o <= engine.Reject; o++ {
		if union.has(o) {
			out |= 1 << o
		}
	}
	return out
}

// unmet says whether requirement i may and must be unmet: a fact it names
// unknown (a derived fact counts when it is unknown and so is a fact
// behind it).
func (m *model) unmet(st *state, req engine.Requirement, i int) (may, must bool) {
	kinds := func(s aset) (mayU, mustU bool) {
		if s.top {
			return true, false
		}
		mustU = true
		for _, v := range s.vals {
			if v.Kind == engine.Unknown {
				mayU = true
			} else {
				mustU = false
			}
		}
		return mayU, mustU
	}
	for _, r := range req.Facts {
		if r.Fact >= 0 {
			a, b := kinds(st.fact(r.Fact))
			may, must = may || a, must || b
			continue
		}
		dMay, dMust := kinds(st.derived[r.Derived])
		for _, s := range m.derivedBases[r.Derived] {
			a, b := kinds(st.fact(s))
			may = may || dMay && a
			must = must || dMust && b
		}
	}
	return may, must
}

// scorePoints is the range [lo, hi] of the points score i can total in
// st, and whether a term with positive points may be unknown.
func (m *model) scorePoints(st *state, i int) (lo, hi float64, unknown bool) {
	for j, t := range m.p.Scores[i].Terms {
		tr := st.eval(m.terms[i][j]).tri()
		switch {
		case tr == 1<<engine.TriTrue:
			lo += t.Points
			hi += t.Points
		case tr.has(engine.TriTrue) && t.Points > 0:
			hi += t.Points
		case tr.has(engine.TriTrue):
			lo += t.Points
		}
		if tr.has(engine.TriUnknown) && t.Points > 0 {
			unknown = true
		}
	}
	return lo, hi, unknown
}

// scoreOutcomes is the set of outcomes score i can contribute.
func (m *model) scoreOutcomes(st *state, i int) outcomes {
	s := &m.p.Scores[i]
	lo, hi, unknown := m.scorePoints(st, i)
	reached := reachedOutcomes(s.Thresholds, lo, hi)
	if unknown && !s.IgnoreUnknown {
		for o := engine.None; o <= engine.Reject; o++ {
			if reached.has(o) {
				reached |= 1 << max(o, engine.Review)
			}
		}
	}
	return reached
}

// reachedOutcomes is the set of outcomes of the thresholds that a total in
// [lo, hi] reaches (None for a total below every threshold).
func reachedOutcomes(ths []engine.Threshold, lo, hi float64) outcomes {
	var out outcomes
	upper := math.Inf(1)
	for _, th := range ths {
		if lo < upper && hi >= th.Min && th.Min < upper {
			out |= 1 << th.Outcome
		}
		upper = min(upper, th.Min)
	}
	if lo < upper {
		out |= 1 << engine.None
	}
	return out
}
