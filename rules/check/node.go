package check

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules/internal/operator"
)

// op is the operation of a resolved expression node. The operations are
// those of the policy language (rules/expr.go), with every name resolved to
// a catalog slot or a derived fact.
type op uint8

const (
	opLit op = iota
	opFact
	opDerived
	opElem // # inside a predicate
	opNot
	opNeg
	opAnd
	opOr
	opCoalesce
	opInLits // x in [literals]
	opInList // s in list
	opKnown  // x != nil, known(x); x == nil with want false
	opEq
	opNe
	opOrder // < <= > >=
	opConcat
	opArith
	opContains
	opStarts
	opEnds
	opMatches
	opCond
	opReported
	opUnreadable
	opConflicting
	opConfirmed
	opRefuted
	opLen
	opAbs
	opLower
	opUpper
	opTrim
	opMin
	opMax
	opAny
	opAll
	opNone
	opOne
	opCount
)

// node is a resolved expression: the syntax tree of a rule's, a term's or
// a derived fact's source with its names bound.
type node struct {
	op       op
	kind     engine.Kind // the kind of the node's value (Bool for conditions)
	kids     []*node
	lit      engine.Value   // opLit
	lits     []engine.Value // opInLits
	slot     int            // opFact, and the fact of the evidence tests
	index    int            // opDerived
	operator string         // opOrder: < <= > >=; opArith: + - * / % ** ^
	want     bool           // opKnown: true for known(x) and x != nil
	re       *regexp.Regexp // opMatches
}

// resolver binds the names of a policy's expressions.
type resolver struct {
	cat     *engine.Catalog
	derived map[string]int
	kinds   []engine.Kind
}

func newResolver(p *engine.Policy, cat *engine.Catalog) *resolver {
	r := &resolver{cat: cat, derived: map[string]int{}}
	for i, d := range p.Derived {
		r.derived[d.Name] = i
		r.kinds = append(r.kinds, d.Kind)
	}
	return r
}

// parse resolves the source of an expression that the policy compiler
// accepted. A construct it does not know is an error: the analysis must
// never guess at semantics.
func (r *resolver) parse(src string) (*node, error) {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, err
	}
	return r.resolve(tree.Node)
}

func (r *resolver) resolve(n ast.Node) (*node, error) {
	switch x := n.(type) {
	case *ast.BoolNode:
		return litNode(engine.BoolValue(x.Value)), nil
	case *ast.IntegerNode:
		return litNode(engine.NumberValue(float64(x.Value))), nil
	case *ast.FloatNode:
		return litNode(engine.NumberValue(x.Value)), nil
	case *ast.StringNode:
		return litNode(engine.StringValue(x.Value)), nil
	case *ast.IdentifierNode, *ast.MemberNode:
		return r.name(n)
	case *ast.PointerNode:
		return &node{op: opElem, kind: engine.String}, nil
	case *ast.UnaryNode:
		k, err := r.resolve(x.Node)
		if err != nil {
			return nil, err
		}
		switch x.Operator {
		case "not", "!":
			return &node{op: opNot, kind: engine.Bool, kids: []*node{k}}, nil
		case "+":
			return k, nil
		case "-":
			if k.op == opLit {
				return litNode(engine.NumberValue(-k.lit.N)), nil
			}
			return &node{op: opNeg, kind: engine.Number, kids: []*node{k}}, nil
		}
	case *ast.BinaryNode:
		return r.binary(x)
	case *ast.ConditionalNode:
		c, err := r.resolve(x.Cond)
		if err != nil {
			return nil, err
		}
		a, err := r.resolve(x.Exp1)
		if err != nil {
			return nil, err
		}
		b, err := r.resolve(x.Exp2)
		if err != nil {
			return nil, err
		}
		return &node{op: opCond, kind: a.kind, kids: []*node{c, a, b}}, nil
	case *ast.CallNode:
		return r.call(x)
	case *ast.BuiltinNode:
		return r.builtin(x)
	}
	return nil, fmt.Errorf("unsupported expression %T", n)
}

func litNode(v engine.Value) *node { return &node{op: opLit, kind: v.Kind, lit: v} }

// chain flattens a.b.c into "a.b.c", as the compiler does.
func chain(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return x.Value, true
	case *ast.MemberNode:
		p, ok := x.Property.(*ast.StringNode)
		if !ok || x.Optional {
			return "", false
		}
		head, ok := chain(x.Node)
		return head + "." + p.Value, ok
	}
	return "", false
}

func (r *resolver) name(n ast.Node) (*node, error) {
	name, ok := chain(n)
	if !ok {
		return nil, fmt.Errorf("unsupported name")
	}
	if slot, ok := r.cat.Lookup(name); ok {
		return &node{op: opFact, kind: r.cat.Spec(slot).Kind, slot: slot}, nil
	}
	if d, ok := r.derived[name]; ok {
		return &node{op: opDerived, kind: r.kinds[d], index: d}, nil
	}
	return nil, fmt.Errorf("unknown name %s", name)
}

var binaryOps = map[string]op{"==": opEq, "!=": opNe,
	"contains": opContains, "startsWith": opStarts, "endsWith": opEnds, "and": opAnd, "&&": opAnd, "or": opOr, "||": opOr, "??": opCoalesce}

func (r *resolver) binary(x *ast.BinaryNode) (*node, error) {
	if x.Operator == "==" || x.Operator == "!=" {
		for _, pair := range [][2]ast.Node{{x.Left, x.Right}, {x.Right, x.Left}} {
			if _, ok := pair[1].(*ast.NilNode); ok {
				k, err := r.resolve(pair[0])
				if err != nil {
					return nil, err
				}
				return &node{op: opKnown, kind: engine.Bool, want: x.Operator == "!=", kids: []*node{k}}, nil
			}
		}
	}
	l, err := r.resolve(x.Left)
	if err != nil {
		return nil, err
	}
	if x.Operator == "in" {
		if arr, ok := x.Right.(*ast.ArrayNode); ok {
			out := &node{op: opInLits, kind: engine.Bool, kids: []*node{l}}
			for _, el := range arr.Nodes {
				e, err := r.resolve(el)
				if err != nil {
					return nil, err
				}
				if e.op != opLit {
					return nil, fmt.Errorf("non-literal in a list")
				}
				out.lits = append(out.lits, e.lit)
			}
			return out, nil
		}
	}
	if x.Operator == "matches" {
		s, ok := x.Right.(*ast.StringNode)
		if !ok {
			return nil, fmt.Errorf("matches needs a literal")
		}
		re, err := regexp.Compile(s.Value)
		if err != nil {
			return nil, err
		}
		return &node{op: opMatches, kind: engine.Bool, kids: []*node{l}, re: re}, nil
	}
	rt, err := r.resolve(x.Right)
	if err != nil {
		return nil, err
	}
	kids := []*node{l, rt}
	switch x.Operator {
	case "in":
		return &node{op: opInList, kind: engine.Bool, kids: kids}, nil
	case "<", "<=", ">", ">=":
		return &node{op: opOrder, kind: engine.Bool, operator: x.Operator, kids: kids}, nil
	case "+", "-", "*", "/", "%", "**", "^":
		if x.Operator == "+" && l.kind == engine.String && rt.kind == engine.String {
			return &node{op: opConcat, kind: engine.String, kids: kids}, nil
		}
		return &node{op: opArith, kind: engine.Number, operator: x.Operator, kids: kids}, nil
	}
	o, ok := binaryOps[x.Operator]
	if !ok {
		return nil, fmt.Errorf("unsupported operator %s", x.Operator)
	}
	k := engine.Bool
	if o == opCoalesce {
		k = l.kind
	}
	return &node{op: o, kind: k, kids: kids}, nil
}

var callOps = map[string]op{"reported": opReported, "unreadable": opUnreadable, "conflicting": opConflicting,
	"confirmed": opConfirmed, "refuted": opRefuted}

func (r *resolver) call(x *ast.CallNode) (*node, error) {
	id, _ := x.Callee.(*ast.IdentifierNode)
	if id == nil {
		return nil, fmt.Errorf("unsupported call")
	}
	kids, err := r.all(x.Arguments)
	if err != nil {
		return nil, err
	}
	if id.Value == "known" {
		return &node{op: opKnown, kind: engine.Bool, want: true, kids: kids}, nil
	}
	o, ok := callOps[id.Value]
	if !ok {
		return nil, fmt.Errorf("unknown function %s", id.Value)
	}
	return &node{op: o, kind: engine.Bool, kids: kids}, nil
}

var builtinOps = map[string]op{"len": opLen, "abs": opAbs, "lower": opLower, "upper": opUpper, "trim": opTrim,
	"min": opMin, "max": opMax, "any": opAny, "all": opAll, "none": opNone, "one": opOne, "count": opCount}

func (r *resolver) builtin(x *ast.BuiltinNode) (*node, error) {
	o, ok := builtinOps[x.Name]
	if !ok {
		return nil, fmt.Errorf("unsupported builtin %s", x.Name)
	}
	args := x.Arguments
	if o >= opAny {
		if len(args) != 2 {
			return nil, fmt.Errorf("%s takes two arguments", x.Name)
		}
		pn, ok := args[1].(*ast.PredicateNode)
		if !ok {
			return nil, fmt.Errorf("%s needs a predicate", x.Name)
		}
		args = []ast.Node{args[0], pn.Node}
	}
	kids, err := r.all(args)
	if err != nil {
		return nil, err
	}
	k := engine.Number
	switch o {
	case opLower, opUpper, opTrim:
		k = engine.String
	case opAny, opAll, opNone, opOne:
		k = engine.Bool
	}
	return &node{op: o, kind: k, kids: kids}, nil
}

func (r *resolver) all(ns []ast.Node) ([]*node, error) {
	out := make([]*node, len(ns))
	for i, n := range ns {
		k, err := r.resolve(n)
		if err != nil {
			return nil, err
		}
		out[i] = k
	}
	return out, nil
}

// walk calls f on n and every node below it.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}

// apply computes the concrete value of a node from the values of its
// children, exactly as the compiled expression does (rules/expr.go). It is
// not used for opCond, the quantifiers and the names, which need more than
// their children's values.
func (n *node) apply(a []engine.Value) engine.Value {
	switch n.op {
	case opLit:
		return n.lit
	case opNot:
		switch a[0].Tri() {
		case engine.TriTrue:
			return engine.BoolValue(false)
		case engine.TriFalse:
			return engine.BoolValue(true)
		}
		return engine.Value{}
	case opNeg:
		if a[0].Kind != engine.Number {
			return engine.Value{}
		}
		return engine.NumberValue(-a[0].N)
	case opAnd:
		x, y := a[0].Tri(), a[1].Tri()
		switch {
		case x == engine.TriFalse || y == engine.TriFalse:
			return engine.BoolValue(false)
		case x == engine.TriUnknown || y == engine.TriUnknown:
			return engine.Value{}
		}
		return engine.BoolValue(true)
	case opOr:
		x, y := a[0].Tri(), a[1].Tri()
		switch {
		case x == engine.TriTrue || y == engine.TriTrue:
			return engine.BoolValue(true)
		case x == engine.TriUnknown || y == engine.TriUnknown:
			return engine.Value{}
		}
		return engine.BoolValue(false)
	case opCoalesce:
		if a[0].Reported() {
			return a[0]
		}
		return a[1]
	case opInLits:
		if a[0].Kind == engine.Unknown {
			return engine.Value{}
		}
		for _, l := range n.lits {
			if a[0].Equal(l) {
				return engine.BoolValue(true)
			}
		}
		return engine.BoolValue(false)
	case opKnown:
		return engine.BoolValue((a[0].Kind != engine.Unknown) == n.want)
	case opMatches:
		if a[0].Kind == engine.Unknown {
			return engine.Value{}
		}
		return engine.BoolValue(n.re.MatchString(a[0].S))
	case opReported:
		return engine.BoolValue(a[0].Reported())
	case opUnreadable:
		return engine.BoolValue(a[0].E == engine.Unreadable)
	case opConflicting:
		return engine.BoolValue(a[0].E == engine.Conflicting)
	case opConfirmed, opRefuted:
		refuted := n.op == opRefuted
		yes, doubt := false, false
		for _, v := range a {
			switch {
			case v.False():
				return engine.BoolValue(refuted)
			case v.E != engine.Clean:
				doubt = true
			case v.True():
				yes = true
			}
		}
		if !yes || doubt {
			return engine.Value{}
		}
		return engine.BoolValue(!refuted)
	case opLen:
		switch a[0].Kind {
		case engine.String:
			return engine.NumberValue(float64(utf8.RuneCountInString(a[0].S)))
		case engine.List:
			return engine.NumberValue(float64(len(a[0].L)))
		}
		return engine.Value{}
	case opAbs:
		if a[0].Kind != engine.Number {
			return engine.Value{}
		}
		return engine.NumberValue(math.Abs(a[0].N))
	case opLower, opUpper, opTrim:
		if a[0].Kind != engine.String {
			return engine.Value{}
		}
		conv := strings.TrimSpace
		if n.op == opLower {
			conv = strings.ToLower
		} else if n.op == opUpper {
			conv = strings.ToUpper
		}
		return engine.StringValue(conv(a[0].S))
	case opMin, opMax:
		var out float64
		for i, v := range a {
			if v.Kind != engine.Number {
				return engine.Value{}
			}
			if i == 0 || (n.op == opMax && v.N > out) || (n.op == opMin && v.N < out) {
				out = v.N
			}
		}
		return engine.NumberValue(out)
	}
	// The binary operators that are unknown when either side is.
	x, y := a[0], a[1]
	if x.Kind == engine.Unknown || y.Kind == engine.Unknown {
		return engine.Value{}
	}
	switch n.op {
	case opInList:
		return engine.BoolValue(slices.Contains(y.L, x.S))
	case opEq:
		return engine.BoolValue(x.Equal(y))
	case opNe:
		return engine.BoolValue(!x.Equal(y))
	case opOrder:
		return engine.BoolValue(operator.Order(n.operator, x, y))
	case opConcat:
		return engine.StringValue(x.S + y.S)
	case opArith:
		return operator.Arith(n.operator, x.N, y.N)
	case opContains:
		return engine.BoolValue(strings.Contains(x.S, y.S))
	case opStarts:
		return engine.BoolValue(strings.HasPrefix(x.S, y.S))
	case opEnds:
		return engine.BoolValue(strings.HasSuffix(x.S, y.S))
	}
	panic(fmt.Sprintf("check: apply of op %d", n.op))
}

// quantify is the result of a quantifier over a list of n elements of
// which trues made the predicate true and unknowns left it unknown.
func quantify(o op, trues, unknowns, n int) engine.Value {
	falses := n - trues - unknowns
	switch o {
	case opAny:
		if trues > 0 {
			return engine.BoolValue(true)
		}
	case opAll:
		if falses > 0 {
			return engine.BoolValue(false)
		}
	case opNone:
		if trues > 0 {
			return engine.BoolValue(false)
		}
	case opOne:
		if trues > 1 {
			return engine.BoolValue(false)
		}
	}
	if unknowns > 0 {
		return engine.Value{}
	}
	switch o {
	case opAny:
		return engine.BoolValue(false)
	case opAll, opNone:
		return engine.BoolValue(true)
	case opOne:
		return engine.BoolValue(trues == 1)
	}
	return engine.NumberValue(float64(trues))
}

// same reports whether two values are the same value in the same evidence
// state.
func same(a, b engine.Value) bool {
	return a.E == b.E && a.Equal(b)
}
