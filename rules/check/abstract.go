package check

import (
	"slices"

	"github.com/veredicto/veredicto/engine"
)

// The abstract evaluation: every expression evaluates to the set of values
// it can take while the facts not yet assigned range over their domains.
// The sets are supersets of what any completion of the assignment gives
// (the property test checks it against the compiled expressions), so that
// a search may prune a branch whose sets rule its goal out.
const (
	// maxSet is the largest set kept; a larger one becomes top.
	maxSet = 64
	// maxProduct bounds the combinations of children's values an operator
	// is applied to; more make its result top.
	maxProduct = 4096
)

// aset is a set of possible values. top stands for any value of any kind,
// unknown and in any evidence state.
type aset struct {
	top  bool
	vals []engine.Value
}

var topSet = aset{top: true}

func single(v engine.Value) aset { return aset{vals: []engine.Value{v}} }

func (s *aset) add(v engine.Value) {
	if s.top {
		return
	}
	for _, w := range s.vals {
		if same(w, v) {
			return
		}
	}
	if len(s.vals) == maxSet {
		*s = topSet
		return
	}
	s.vals = append(s.vals, v)
}

func (s *aset) union(t aset) {
	if t.top {
		*s = topSet
		return
	}
	for _, v := range t.vals {
		s.add(v)
	}
}

// tris is a set of truth values, a bit per engine.Tri.
type tris uint8

const allTris tris = 1<<engine.TriUnknown | 1<<engine.TriFalse | 1<<engine.TriTrue

func (t tris) has(x engine.Tri) bool { return t&(1<<x) != 0 }

// tri is the set of truth values of a set.
func (s aset) tri() tris {
	if s.top {
		return allTris
	}
	var t tris
	for _, v := range s.vals {
		t |= 1 << v.Tri()
	}
	return t
}

// triSet is the set of the values of truth values: what a condition's
// children look like to and, or, not and ?:.
func triSet(t tris) aset {
	var s aset
	for _, x := range []engine.Tri{engine.TriTrue, engine.TriFalse, engine.TriUnknown} {
		if t.has(x) {
			s.vals = append(s.vals, x.Value())
		}
	}
	return s
}

// state is a partial assignment of the facts: an assigned slot has its
// value, an unassigned slot with a domain ranges over it, any other slot
// is not reported.
type state struct {
	assigned []bool
	vals     []engine.Value
	domain   [][]engine.Value // per slot, nil when the slot is not a variable
	derived  []aset           // the abstract values of the derived facts
	elem     []engine.Value   // the elements of the enclosing predicates
}

func (st *state) fact(slot int) aset {
	if st.assigned[slot] || st.domain[slot] == nil {
		return single(st.vals[slot])
	}
	return aset{vals: st.domain[slot]}
}

// eval is the abstract value of n.
func (st *state) eval(n *node) aset {
	switch n.op {
	case opLit:
		return single(n.lit)
	case opFact:
		return st.fact(n.slot)
	case opDerived:
		return st.derived[n.index]
	case opElem:
		return single(st.elem[len(st.elem)-1])
	case opCond:
		c := st.eval(n.kids[0]).tri()
		var out aset
		if c.has(engine.TriTrue) {
			out.union(st.eval(n.kids[1]))
		}
		if c.has(engine.TriFalse) {
			out.union(st.eval(n.kids[2]))
		}
		if c.has(engine.TriUnknown) {
			out.add(engine.Value{})
		}
		return out
	case opAny, opAll, opNone, opOne, opCount:
		return st.quantifier(n)
	}
	args := make([]aset, len(n.kids))
	product := 1
	for i, k := range n.kids {
		a := st.eval(k)
		switch n.op {
		case opNot, opAnd, opOr:
			a = triSet(a.tri())
		}
		if a.top {
			return topOf(n)
		}
		args[i] = a
		product *= len(a.vals)
		if product > maxProduct {
			return topSet
		}
	}
	var out aset
	cur := make([]engine.Value, len(args))
	var rec func(i int)
	rec = func(i int) {
		if out.top {
			return
		}
		if i == len(args) {
			out.add(n.apply(cur))
			return
		}
		for _, v := range args[i].vals {
			cur[i] = v
			rec(i + 1)
		}
	}
	rec(0)
	return out
}

// topOf is the value of n when its child i is top: a condition can then
// take any truth value, anything else any value.
func topOf(n *node) aset {
	if n.kind == engine.Bool && n.op != opCoalesce {
		return triSet(allTris)
	}
	return topSet
}

// quantifier evaluates any/all/none/one/count: per list the reachable
// (true, unknown) counts of its elements, each element's predicate
// evaluated with # bound to it.
func (st *state) quantifier(n *node) aset {
	lists := st.eval(n.kids[0])
	if lists.top {
		return topOf(n)
	}
	var out aset
	for _, l := range lists.vals {
		if l.Kind != engine.List {
			out.add(engine.Value{})
			continue
		}
		reach := []count{{}}
		for _, e := range l.L {
			st.elem = append(st.elem, engine.StringValue(e))
			t := st.eval(n.kids[1]).tri()
			st.elem = st.elem[:len(st.elem)-1]
			var next []count
			for _, c := range reach {
				for _, x := range []engine.Tri{engine.TriTrue, engine.TriFalse, engine.TriUnknown} {
					if !t.has(x) {
						continue
					}
					d := c
					switch x {
					case engine.TriTrue:
						d.t++
					case engine.TriUnknown:
						d.u++
					}
					if !slices.Contains(next, d) {
						next = append(next, d)
					}
				}
			}
			reach = next
		}
		for _, c := range reach {
			out.add(quantify(n.op, c.t, c.u, len(l.L)))
		}
	}
	return out
}

// count is how many elements of a list made a predicate true and unknown.
type count struct{ t, u int }

// concrete evaluates n on a complete assignment: the reference semantics
// the abstract evaluation is a superset of, used by the tests.
func (st *state) concrete(n *node, derived []engine.Value) engine.Value {
	switch n.op {
	case opLit:
		return n.lit
	case opFact:
		return st.vals[n.slot]
	case opDerived:
		return derived[n.index]
	case opElem:
		return st.elem[len(st.elem)-1]
	case opCond:
		switch st.concrete(n.kids[0], derived).Tri() {
		case engine.TriTrue:
			return st.concrete(n.kids[1], derived)
		case engine.TriFalse:
			return st.concrete(n.kids[2], derived)
		}
		return engine.Value{}
	case opAny, opAll, opNone, opOne, opCount:
		l := st.concrete(n.kids[0], derived)
		if l.Kind != engine.List {
			return engine.Value{}
		}
		t, u := 0, 0
		for _, e := range l.L {
			st.elem = append(st.elem, engine.StringValue(e))
			switch st.concrete(n.kids[1], derived).Tri() {
			case engine.TriTrue:
				t++
			case engine.TriUnknown:
				u++
			}
			st.elem = st.elem[:len(st.elem)-1]
		}
		return quantify(n.op, t, u, len(l.L))
	}
	args := make([]engine.Value, len(n.kids))
	for i, k := range n.kids {
		args[i] = st.concrete(k, derived)
	}
	return n.apply(args)
}
