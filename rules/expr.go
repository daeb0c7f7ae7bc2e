package rules

import (
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules/internal/operator"
)

// scope is what names an expression may use: the catalog's facts and the
// policy's derived facts compiled so far.
type scope struct {
	cat        *engine.Catalog
	derived    map[string]int // name → index into derivedK
	derivedK   []engine.Kind
	derivedMax []int           // the bound on the length of each string derived fact
	names      []string        // derived names, for suggestions
	declared   map[string]bool // derived names, compiled or not
	namespaces map[string]bool
	quiet      bool // enough problems reported: no suggestions
	// patternInsts counts the instructions of the patterns compiled so far.
	patternInsts int
}

// exprError is a problem at a rune offset of an expression's source.
type exprError struct {
	at   int // rune offset
	code string
	msg  string
}

// compiled is a compiled (sub)expression. A bool expression has cond, and
// fn only when it is a fact; other kinds have fn. value and test give
// either form.
type compiled struct {
	fn    engine.Expr
	cond  engine.Cond
	kind  engine.Kind
	lit   *engine.Value // set for literals, so that comparisons can check them
	isNil bool
	fact  *engine.FactSpec // set when the expression is one catalog fact
	slot  int              // the catalog slot of fact, for direct reads
	// maxLen bounds the length in bytes of a string expression's value.
	maxLen int
}

func (c compiled) value() engine.Expr {
	if c.fn != nil {
		return c.fn
	}
	cond := c.cond
	return func(env *engine.Env) engine.Value { return cond(env).Value() }
}

func (c compiled) test() engine.Cond {
	if c.cond != nil {
		return c.cond
	}
	fn := c.fn
	return func(env *engine.Env) engine.Tri { return fn(env).Tri() }
}

func boolean(cond engine.Cond) compiled { return compiled{kind: engine.Bool, cond: cond} }

type exprCompiler struct {
	sc     *scope
	errs   []exprError
	refs   []engine.Ref
	seen   map[string]bool // the names in refs, once there are many
	inPred bool            // compiling a predicate, where # is the element
}

// compileExpr parses and compiles src. want is the kind the result must
// have (Unknown: any kind).
func compileExpr(src string, sc *scope, want engine.Kind) (compiled, []engine.Ref, []exprError) {
	tree, errs := parseExpr(src)
	if len(errs) > 0 {
		return bad, nil, errs
	}
	return compileTree(tree, sc, want)
}

// parseExpr parses src within MaxExprBytes and MaxExprNodes.
func parseExpr(src string) (ast.Node, []exprError) {
	if len(src) > MaxExprBytes {
		return nil, []exprError{{code: CodeLimit, msg: fmt.Sprintf("the expression has %d bytes: the limit is %d", len(src), MaxExprBytes)}}
	}
	tree, err := parser.ParseWithConfig(src, &conf.Config{MaxNodes: MaxExprNodes})
	if err != nil {
		fe, ok := err.(*file.Error)
		switch {
		case ok && strings.Contains(fe.Message, "exceeds maximum allowed nodes"):
			return nil, []exprError{{code: CodeLimit, msg: fmt.Sprintf("the expression has more than %d nodes (names, literals, operators, calls): the limit is %d", MaxExprNodes, MaxExprNodes)}}
		case ok && fe.Message == `unexpected token Operator("=")`:
			return nil, []exprError{{at: fe.From, code: engine.CodeSyntax, msg: "= is not a comparison: use == (and != for not equal)"}}
		case ok:
			return nil, []exprError{{at: fe.From, code: engine.CodeSyntax, msg: fe.Message}}
		}
		return nil, []exprError{{code: engine.CodeSyntax, msg: err.Error()}}
	}
	return tree.Node, nil
}

// compileTree compiles a parsed expression.
func compileTree(tree ast.Node, sc *scope, want engine.Kind) (compiled, []engine.Ref, []exprError) {
	c := &exprCompiler{sc: sc}
	out := c.compile(tree)
	if len(c.errs) == 0 && want != engine.Unknown && out.kind != engine.Unknown && out.kind != want {
		c.errorf(tree, engine.CodeType, "expression is a %s, want a %s", out.kind, want)
	}
	return out, c.refs, c.errs
}

// nodes lists the nodes of a syntax tree, children before their parent.
type nodes []ast.Node

func (ns *nodes) Visit(n *ast.Node) { *ns = append(*ns, *n) }

// identifiers returns the bare names an expression reads: identifiers that
// are neither the head of a dotted fact name nor a function's name.
func identifiers(tree ast.Node) []string {
	var all nodes
	ast.Walk(&tree, &all)
	skip := map[ast.Node]bool{}
	for _, n := range all {
		switch x := n.(type) {
		case *ast.MemberNode:
			skip[x.Node] = true
		case *ast.CallNode:
			skip[x.Callee] = true
		}
	}
	var out []string
	for _, n := range all {
		if id, ok := n.(*ast.IdentifierNode); ok && !skip[n] {
			out = append(out, id.Value)
		}
	}
	return out
}

// grow adds string length bounds, saturating.
func grow(a, b int) int { return min(a+b, math.MaxInt32) }

// checkLen reports a string expression whose bound exceeds MaxStringBytes.
func (c *exprCompiler) checkLen(n ast.Node, e compiled) bool {
	if e.maxLen <= MaxStringBytes {
		return true
	}
	c.errorf(n, CodeLimit, "this string can grow to %d bytes: the limit is %d (catalog facts' strings count as %d bytes; lower and upper triple a length)", e.maxLen, MaxStringBytes, AssumedFactBytes)
	return false
}

func (c *exprCompiler) errorf(n ast.Node, code, format string, args ...any) {
	c.errs = append(c.errs, exprError{at: start(n), code: code, msg: fmt.Sprintf(format, args...)})
}

// start is the rune offset where the text of n begins.
func start(n ast.Node) int {
	switch x := n.(type) {
	case *ast.MemberNode:
		return start(x.Node)
	case *ast.BinaryNode:
		return x.Location().From
	case *ast.ChainNode:
		return start(x.Node)
	}
	return n.Location().From
}

var bad = compiled{
	fn:   func(*engine.Env) engine.Value { return engine.Value{} },
	cond: func(*engine.Env) engine.Tri { return engine.TriUnknown },
}

func (c *exprCompiler) compile(n ast.Node) compiled {
	switch x := n.(type) {
	case *ast.NilNode:
		return compiled{fn: bad.fn, cond: bad.cond, isNil: true}
	case *ast.BoolNode:
		return literal(engine.BoolValue(x.Value))
	case *ast.IntegerNode:
		return literal(engine.NumberValue(float64(x.Value)))
	case *ast.FloatNode:
		return literal(engine.NumberValue(x.Value))
	case *ast.StringNode:
		return literal(engine.StringValue(x.Value))
	case *ast.ConstantNode:
		c.errorf(n, engine.CodeUnsupported, "constant expressions are not supported in policies")
		return bad
	case *ast.IdentifierNode, *ast.MemberNode:
		return c.name(n)
	case *ast.PointerNode:
		if !c.inPred || x.Name != "" {
			c.errorf(n, engine.CodeUnsupported, "# is only allowed inside any, all, none, one or count")
			return bad
		}
		return compiled{kind: engine.String, maxLen: AssumedFactBytes, fn: func(env *engine.Env) engine.Value { return elem(env) }}
	case *ast.UnaryNode:
		return c.unary(x)
	case *ast.BinaryNode:
		return c.binary(x)
	case *ast.ConditionalNode:
		return c.conditional(x)
	case *ast.BuiltinNode:
		return c.builtin(x)
	case *ast.CallNode:
		return c.call(x)
	case *ast.ArrayNode:
		c.errorf(n, engine.CodeUnsupported, "a list is only allowed after in: x in [\"a\", \"b\"]")
		return bad
	}
	c.errorf(n, engine.CodeUnsupported, "%s is not supported in policies", describeNode(n))
	return bad
}

func describeNode(n ast.Node) string {
	switch n.(type) {
	case *ast.MapNode, *ast.PairNode:
		return "a map"
	case *ast.SliceNode:
		return "slicing"
	case *ast.VariableDeclaratorNode:
		return "let"
	case *ast.SequenceNode:
		return "a sequence (;)"
	case *ast.ChainNode:
		return "optional chaining (?.)"
	case *ast.PredicateNode:
		return "a predicate"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", n), "*ast.")
}

func literal(v engine.Value) compiled {
	c := compiled{kind: v.Kind, lit: &v, maxLen: len(v.S), fn: func(*engine.Env) engine.Value { return v }}
	if v.Kind == engine.Bool {
		t := v.Tri()
		c.cond = func(*engine.Env) engine.Tri { return t }
	}
	return c
}

// chain flattens a.b.c into "a.b.c"; ok is false for anything but plain
// identifiers joined by dots.
func chain(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return x.Value, true
	case *ast.MemberNode:
		if x.Optional {
			return "", false
		}
		p, ok := x.Property.(*ast.StringNode)
		if !ok {
			return "", false
		}
		head, ok := chain(x.Node)
		return head + "." + p.Value, ok
	}
	return "", false
}

func (c *exprCompiler) name(n ast.Node) compiled {
	name, ok := chain(n)
	if !ok {
		c.errorf(n, engine.CodeUnsupported, "only fact names may be accessed with dots (no indexing or optional chaining)")
		return bad
	}
	if slot, ok := c.sc.cat.Lookup(name); ok {
		spec := c.sc.cat.Spec(slot)
		c.addRef(engine.Ref{Name: name, Fact: slot, Derived: -1})
		out := compiled{kind: spec.Kind, fact: &spec, slot: slot, maxLen: AssumedFactBytes, fn: func(env *engine.Env) engine.Value { return env.Facts.Get(slot) }}
		if spec.Kind == engine.Bool {
			out.cond = func(env *engine.Env) engine.Tri { return env.Facts.Get(slot).Tri() }
		}
		return out
	}
	if d, ok := c.sc.derived[name]; ok {
		c.addRef(engine.Ref{Name: name, Fact: -1, Derived: d})
		out := compiled{kind: c.sc.derivedK[d], maxLen: c.sc.derivedMax[d], fn: func(env *engine.Env) engine.Value { return env.Derived[d] }}
		if out.kind == engine.Bool {
			out.cond = func(env *engine.Env) engine.Tri { return env.Derived[d].Tri() }
		}
		return out
	}
	if c.sc.declared[name] {
		return bad // a derived fact that failed to compile: reported where it is defined
	}
	msg := "unknown fact " + name
	if !strings.Contains(name, ".") {
		if c.sc.namespaces[name] {
			c.errorf(n, engine.CodeUnknownFact, "%s is a namespace, not a fact (e.g. %s)", name, c.example(name))
			return bad
		}
		msg = "unknown name " + name
	}
	if c.sc.quiet {
		// Enough problems: no more suggestions, which cost a look at every name.
	} else if s := c.sc.cat.Suggest(name, c.sc.names...); s != "" {
		msg += " (did you mean " + s + "?)"
	}
	c.errorf(n, engine.CodeUnknownFact, "%s", msg)
	return bad
}

func (c *exprCompiler) example(ns string) string {
	for _, s := range c.sc.cat.Specs() {
		if strings.HasPrefix(s.Name, ns+".") {
			return s.Name
		}
	}
	return ns + ".…"
}

func (c *exprCompiler) addRef(r engine.Ref) {
	if c.seen != nil {
		if c.seen[r.Name] {
			return
		}
		c.seen[r.Name] = true
		c.refs = append(c.refs, r)
		return
	}
	for _, q := range c.refs {
		if q.Name == r.Name {
			return
		}
	}
	c.refs = append(c.refs, r)
	if len(c.refs) > 16 {
		c.seen = make(map[string]bool, 2*len(c.refs))
		for _, q := range c.refs {
			c.seen[q.Name] = true
		}
	}
}

func (c *exprCompiler) expect(n ast.Node, e compiled, k engine.Kind, what string) bool {
	if e.kind == k || e.kind == engine.Unknown && !e.isNil {
		return e.kind == k
	}
	c.errorf(n, engine.CodeType, "%s needs a %s, got a %s", what, k, kindOf(e))
	return false
}

func kindOf(e compiled) string {
	if e.isNil {
		return "nil"
	}
	return e.kind.String()
}

func (c *exprCompiler) unary(x *ast.UnaryNode) compiled {
	e := c.compile(x.Node)
	switch x.Operator {
	case "not", "!":
		if !c.expect(x.Node, e, engine.Bool, "not") {
			return bad
		}
		f := e.test()
		return boolean(func(env *engine.Env) engine.Tri {
			switch f(env) {
			case engine.TriTrue:
				return engine.TriFalse
			case engine.TriFalse:
				return engine.TriTrue
			}
			return engine.TriUnknown
		})
	case "-", "+":
		if !c.expect(x.Node, e, engine.Number, "unary "+x.Operator) {
			return bad
		}
		if x.Operator == "+" {
			return e
		}
		if e.lit != nil {
			return literal(engine.NumberValue(-e.lit.N))
		}
		f := e.value()
		return compiled{kind: engine.Number, fn: func(env *engine.Env) engine.Value {
			v := f(env)
			if v.Kind != engine.Number {
				return engine.Value{}
			}
			return engine.NumberValue(-v.N)
		}}
	}
	c.errorf(x, engine.CodeUnsupported, "operator %s is not supported", x.Operator)
	return bad
}

func (c *exprCompiler) binary(x *ast.BinaryNode) compiled {
	switch x.Operator {
	case "and", "&&", "or", "||":
		return c.logical(x)
	case "??":
		return c.coalesce(x)
	case "in":
		return c.in(x)
	}
	// x == nil and x != nil ask whether x is known.
	if x.Operator == "==" || x.Operator == "!=" {
		if _, ok := x.Right.(*ast.NilNode); ok {
			return c.knownTest(x.Left, x.Operator == "!=")
		}
		if _, ok := x.Left.(*ast.NilNode); ok {
			return c.knownTest(x.Right, x.Operator == "!=")
		}
	}
	if w, other, ok := c.bareWord(x); ok {
		// x == NO: the word was meant as text.
		if o := c.compile(other); o.kind == engine.String {
			c.errorf(w, engine.CodeUnknownFact, "unknown name %s: text is quoted (did you mean %q?)", w.Value, quoteAs(w.Value, o))
		} else {
			c.compile(w)
		}
		return bad
	}
	l, r := c.compile(x.Left), c.compile(x.Right)
	if l.kind == engine.Unknown || r.kind == engine.Unknown {
		return bad // already reported
	}
	lf, rf := l.value(), r.value()
	switch x.Operator {
	case "==", "!=":
		if l.kind != r.kind {
			c.errorf(x, engine.CodeType, "cannot compare a %s with a %s using %s", l.kind, r.kind, x.Operator)
			return bad
		}
		c.checkEnum(l, r, x.Right)
		c.checkEnum(r, l, x.Left)
		neg := x.Operator == "!="
		if l.lit != nil && r.fact != nil {
			l, r = r, l
		}
		if l.fact != nil && r.lit != nil {
			return boolean(equalsLiteral(l.slot, *r.lit, neg))
		}
		lf, rf := l.value(), r.value()
		return boolean(func(env *engine.Env) engine.Tri {
			a, b := lf(env), rf(env)
			if a.Kind == engine.Unknown || b.Kind == engine.Unknown {
				return engine.TriUnknown
			}
			return engine.TriOf(a.Equal(b) != neg)
		})
	case "<", "<=", ">", ">=":
		if l.kind != r.kind || (l.kind != engine.Number && l.kind != engine.String) {
			c.errorf(x, engine.CodeType, "cannot order a %s and a %s with %s", l.kind, r.kind, x.Operator)
			return bad
		}
		op := x.Operator
		if l.fact != nil && r.lit != nil && l.kind == engine.Number {
			return boolean(orderLiteral(l.slot, op, r.lit.N))
		}
		return boolean(func(env *engine.Env) engine.Tri {
			a, b := lf(env), rf(env)
			if a.Kind == engine.Unknown || b.Kind == engine.Unknown {
				return engine.TriUnknown
			}
			return engine.TriOf(operator.Order(op, a, b))
		})
	case "+", "-", "*", "/", "%", "**", "^":
		if x.Operator == "+" && l.kind == engine.String && r.kind == engine.String {
			out := compiled{kind: engine.String, maxLen: grow(l.maxLen, r.maxLen)}
			if !c.checkLen(x, out) {
				return bad
			}
			out.fn = func(env *engine.Env) engine.Value {
				a, b := lf(env), rf(env)
				if a.Kind == engine.Unknown || b.Kind == engine.Unknown {
					return engine.Value{}
				}
				return engine.StringValue(a.S + b.S)
			}
			return out
		}
		if !c.expect(x.Left, l, engine.Number, x.Operator) || !c.expect(x.Right, r, engine.Number, x.Operator) {
			return bad
		}
		op := x.Operator
		return compiled{kind: engine.Number, fn: func(env *engine.Env) engine.Value {
			a, b := lf(env), rf(env)
			if a.Kind == engine.Unknown || b.Kind == engine.Unknown {
				return engine.Value{}
			}
			return operator.Arith(op, a.N, b.N)
		}}
	case "contains", "startsWith", "endsWith":
		if !c.expect(x.Left, l, engine.String, x.Operator) || !c.expect(x.Right, r, engine.String, x.Operator) {
			return bad
		}
		var test func(a, b string) bool
		switch x.Operator {
		case "contains":
			test = strings.Contains
		case "startsWith":
			test = strings.HasPrefix
		default:
			test = strings.HasSuffix
		}
		return boolean(func(env *engine.Env) engine.Tri {
			a, b := lf(env), rf(env)
			if a.Kind == engine.Unknown || b.Kind == engine.Unknown {
				return engine.TriUnknown
			}
			return engine.TriOf(test(a.S, b.S))
		})
	case "matches":
		if !c.expect(x.Left, l, engine.String, "matches") {
			return bad
		}
		if r.lit == nil || r.kind != engine.String {
			c.errorf(x.Right, engine.CodeUnsupported, "matches needs a string literal pattern")
			return bad
		}
		re, ok := c.pattern(x.Right, r.lit.S)
		if !ok {
			return bad
		}
		return boolean(func(env *engine.Env) engine.Tri {
			a := lf(env)
			if a.Kind == engine.Unknown {
				return engine.TriUnknown
			}
			return engine.TriOf(re.MatchString(a.S))
		})
	}
	c.errorf(x, engine.CodeUnsupported, "operator %s is not supported in policies", x.Operator)
	return bad
}

// pattern compiles the pattern of matches within MaxPatternBytes and
// MaxPatternInsts.
func (c *exprCompiler) pattern(n ast.Node, src string) (*regexp.Regexp, bool) {
	if len(src) > MaxPatternBytes {
		c.errorf(n, CodeLimit, "the pattern has %d bytes: the limit is %d", len(src), MaxPatternBytes)
		return nil, false
	}
	re, err := regexp.Compile(src)
	if err != nil {
		c.errorf(n, engine.CodeInvalid, "invalid pattern: %v", err)
		return nil, false
	}
	// regexp.Compile accepted it, so syntax does too.
	parsed, _ := syntax.Parse(src, syntax.Perl)
	prog, err := syntax.Compile(parsed.Simplify())
	if err != nil || len(prog.Inst) > MaxPatternInsts {
		c.errorf(n, CodeLimit, "the pattern compiles to more than %d instructions (a repetition multiplies what it repeats): the limit is %d", MaxPatternInsts, MaxPatternInsts)
		return nil, false
	}
	c.sc.patternInsts += len(prog.Inst)
	if c.sc.patternInsts > MaxPolicyPatternInsts {
		c.errorf(n, CodeLimit, "the policy's patterns compile to more than %d instructions together: the limit is %d", MaxPolicyPatternInsts, MaxPolicyPatternInsts)
		return nil, false
	}
	return re, true
}

// bareWord returns the side of a comparison that is a bare word naming
// nothing (no fact, derived fact or namespace), and the other side.
func (c *exprCompiler) bareWord(x *ast.BinaryNode) (*ast.IdentifierNode, ast.Node, bool) {
	switch x.Operator {
	case "==", "!=", "<", "<=", ">", ">=":
	default:
		return nil, nil, false
	}
	for _, side := range [2][2]ast.Node{{x.Right, x.Left}, {x.Left, x.Right}} {
		id, ok := side[0].(*ast.IdentifierNode)
		if !ok {
			continue
		}
		if _, fact := c.sc.cat.Lookup(id.Value); fact {
			continue
		}
		if _, derived := c.sc.derived[id.Value]; derived || c.sc.declared[id.Value] || c.sc.namespaces[id.Value] {
			continue
		}
		return id, side[1], true
	}
	return nil, nil, false
}

// quoteAs is the text a bare word compared with e was meant to be: the
// documented value of e's fact that it spells, ignoring case, else itself.
func quoteAs(word string, e compiled) string {
	if e.fact != nil {
		for _, v := range e.fact.Values {
			if strings.EqualFold(v, word) {
				return v
			}
		}
	}
	return word
}

// checkEnum reports a literal compared with an enumerated fact that is
// close to, but not, one of the fact's documented values: a typo.
func (c *exprCompiler) checkEnum(f, lit compiled, litNode ast.Node) {
	if f.fact == nil || len(f.fact.Values) == 0 || lit.lit == nil || lit.kind != engine.String {
		return
	}
	if slices.Contains(f.fact.Values, lit.lit.S) {
		return
	}
	if s := engine.SuggestString(lit.lit.S, f.fact.Values); s != "" {
		c.errorf(litNode, engine.CodeInvalid, "%s is never %q (did you mean %q?)", f.fact.Name, lit.lit.S, s)
	}
}

// logical compiles and/or with three-valued logic: false and unknown is
// false, true or unknown is true, anything else with unknown is unknown.
func (c *exprCompiler) logical(x *ast.BinaryNode) compiled {
	l, r := c.compile(x.Left), c.compile(x.Right)
	if !c.expect(x.Left, l, engine.Bool, x.Operator) || !c.expect(x.Right, r, engine.Bool, x.Operator) {
		return bad
	}
	lf, rf := l.test(), r.test()
	if x.Operator == "and" || x.Operator == "&&" {
		return boolean(func(env *engine.Env) engine.Tri {
			a := lf(env)
			if a == engine.TriFalse {
				return engine.TriFalse
			}
			b := rf(env)
			if b == engine.TriFalse {
				return engine.TriFalse
			}
			if a == engine.TriUnknown || b == engine.TriUnknown {
				return engine.TriUnknown
			}
			return engine.TriTrue
		})
	}
	return boolean(func(env *engine.Env) engine.Tri {
		a := lf(env)
		if a == engine.TriTrue {
			return engine.TriTrue
		}
		b := rf(env)
		if b == engine.TriTrue {
			return engine.TriTrue
		}
		if a == engine.TriUnknown || b == engine.TriUnknown {
			return engine.TriUnknown
		}
		return engine.TriFalse
	})
}

// equalsLiteral compiles fact == literal (or !=) into one closure that reads
// the fact's slot directly: the most common shape of a policy condition.
func equalsLiteral(slot int, lit engine.Value, neg bool) engine.Cond {
	switch lit.Kind {
	case engine.String:
		s := lit.S
		return func(env *engine.Env) engine.Tri {
			v := env.Facts.Get(slot)
			if v.Kind == engine.Unknown {
				return engine.TriUnknown
			}
			return engine.TriOf((v.S == s) != neg)
		}
	case engine.Number:
		n := lit.N
		return func(env *engine.Env) engine.Tri {
			v := env.Facts.Get(slot)
			if v.Kind == engine.Unknown {
				return engine.TriUnknown
			}
			return engine.TriOf((v.N == n) != neg)
		}
	}
	b := lit.B
	return func(env *engine.Env) engine.Tri {
		v := env.Facts.Get(slot)
		if v.Kind == engine.Unknown {
			return engine.TriUnknown
		}
		return engine.TriOf((v.B == b) != neg)
	}
}

// orderLiteral compiles a number fact compared with a number literal.
func orderLiteral(slot int, op string, n float64) engine.Cond {
	var test func(a float64) bool
	switch op {
	case "<":
		test = func(a float64) bool { return a < n }
	case "<=":
		test = func(a float64) bool { return a <= n }
	case ">":
		test = func(a float64) bool { return a > n }
	default:
		test = func(a float64) bool { return a >= n }
	}
	return func(env *engine.Env) engine.Tri {
		v := env.Facts.Get(slot)
		if v.Kind == engine.Unknown {
			return engine.TriUnknown
		}
		return engine.TriOf(test(v.N))
	}
}

// coalesce compiles a ?? b: a when reported, else b. An unreadable a is
// reported: it stays unreadable (unknown) instead of falling through to b,
// so that a value that could not be read never passes for "not reported".
func (c *exprCompiler) coalesce(x *ast.BinaryNode) compiled {
	l, r := c.compile(x.Left), c.compile(x.Right)
	if l.kind == engine.Unknown || r.kind == engine.Unknown {
		return bad
	}
	if l.kind != r.kind {
		c.errorf(x.Right, engine.CodeType, "?? needs both sides of one type, got a %s and a %s", l.kind, r.kind)
		return bad
	}
	lf, rf := l.value(), r.value()
	out := compiled{kind: l.kind, maxLen: max(l.maxLen, r.maxLen), fn: func(env *engine.Env) engine.Value {
		if v := lf(env); v.Reported() {
			return v
		}
		return rf(env)
	}}
	if l.kind == engine.Bool {
		rc := r.test()
		out.cond = func(env *engine.Env) engine.Tri {
			if v := lf(env); v.Reported() {
				return v.Tri()
			}
			return rc(env)
		}
	}
	return out
}

// knownTest compiles x != nil (known) and x == nil (not known).
func (c *exprCompiler) knownTest(n ast.Node, known bool) compiled {
	e := c.compile(n)
	if e.kind == engine.Unknown {
		return bad
	}
	f := e.value()
	return boolean(func(env *engine.Env) engine.Tri {
		return engine.TriOf((f(env).Kind != engine.Unknown) == known)
	})
}

// in compiles x in [literals] and s in list.
func (c *exprCompiler) in(x *ast.BinaryNode) compiled {
	l := c.compile(x.Left)
	if arr, ok := x.Right.(*ast.ArrayNode); ok {
		var set []engine.Value
		for _, el := range arr.Nodes {
			e := c.compile(el)
			if e.lit == nil {
				c.errorf(el, engine.CodeUnsupported, "the list after in holds literals only")
				return bad
			}
			if l.kind != engine.Unknown && e.kind != l.kind {
				c.errorf(el, engine.CodeType, "cannot look for a %s in a list of %s", l.kind, e.kind)
				return bad
			}
			c.checkEnum(l, e, el)
			set = append(set, *e.lit)
		}
		if l.kind == engine.Unknown {
			return bad
		}
		lf := l.value()
		if l.fact != nil {
			slot := l.slot
			lf = func(env *engine.Env) engine.Value { return env.Facts.Get(slot) }
		}
		return boolean(func(env *engine.Env) engine.Tri {
			v := lf(env)
			if v.Kind == engine.Unknown {
				return engine.TriUnknown
			}
			for i := range set {
				if v.Equal(set[i]) {
					return engine.TriTrue
				}
			}
			return engine.TriFalse
		})
	}
	r := c.compile(x.Right)
	if l.kind == engine.Unknown || r.kind == engine.Unknown {
		return bad
	}
	if r.kind != engine.List || l.kind != engine.String {
		c.errorf(x, engine.CodeType, "in needs a string and a list, got a %s and a %s", l.kind, r.kind)
		return bad
	}
	lf, rf := l.value(), r.value()
	return boolean(func(env *engine.Env) engine.Tri {
		a, b := lf(env), rf(env)
		if a.Kind == engine.Unknown || b.Kind == engine.Unknown {
			return engine.TriUnknown
		}
		return engine.TriOf(slices.Contains(b.L, a.S))
	})
}

// conditional compiles c ? a : b; an unknown condition gives unknown.
func (c *exprCompiler) conditional(x *ast.ConditionalNode) compiled {
	cond, a, b := c.compile(x.Cond), c.compile(x.Exp1), c.compile(x.Exp2)
	if !c.expect(x.Cond, cond, engine.Bool, "the condition of ?:") || a.kind == engine.Unknown || b.kind == engine.Unknown {
		return bad
	}
	if a.kind != b.kind {
		c.errorf(x.Exp2, engine.CodeType, "both branches of ?: need one type, got a %s and a %s", a.kind, b.kind)
		return bad
	}
	cf, af, bf := cond.test(), a.value(), b.value()
	return compiled{kind: a.kind, maxLen: max(a.maxLen, b.maxLen), fn: func(env *engine.Env) engine.Value {
		switch cf(env) {
		case engine.TriTrue:
			return af(env)
		case engine.TriFalse:
			return bf(env)
		}
		return engine.Value{}
	}}
}

// The functions that are not expr builtins: the evidence tests and the
// agreement of several sources.
var evidenceFuncs = map[string]func(engine.Value) bool{
	"known":       engine.Value.Known,
	"reported":    engine.Value.Reported,
	"unreadable":  func(v engine.Value) bool { return v.E == engine.Unreadable },
	"conflicting": func(v engine.Value) bool { return v.E == engine.Conflicting },
}

// call compiles known(x), reported(x), unreadable(x), conflicting(x),
// confirmed(a, ...) and refuted(a, ...).
func (c *exprCompiler) call(x *ast.CallNode) compiled {
	id, ok := x.Callee.(*ast.IdentifierNode)
	name := "this function"
	if ok {
		name = id.Value
	}
	switch {
	case name == "known":
		if len(x.Arguments) != 1 {
			c.errorf(x, engine.CodeType, "known takes one fact")
			return bad
		}
		return c.knownTest(x.Arguments[0], true)
	case evidenceFuncs[name] != nil:
		return c.evidenceTest(x, name)
	case name == "confirmed" || name == "refuted":
		return c.agreement(x, name == "refuted")
	}
	c.errorf(x, engine.CodeUnsupported, "unknown function %s (policies have known, reported, unreadable, conflicting, confirmed, refuted, len, lower, upper, trim, abs, min, max, any, all, none, one, count)", name)
	return bad
}

// evidenceTest compiles reported(f), unreadable(f) and conflicting(f) for a
// catalog fact f: they ask about what the provider sent, which a derived
// fact does not have.
func (c *exprCompiler) evidenceTest(x *ast.CallNode, name string) compiled {
	if len(x.Arguments) != 1 {
		c.errorf(x, engine.CodeType, "%s takes one fact", name)
		return bad
	}
	e := c.compile(x.Arguments[0])
	if e.kind == engine.Unknown {
		return bad
	}
	if e.fact == nil {
		c.errorf(x.Arguments[0], engine.CodeType, "%s takes a fact of the catalog, not an expression or a derived fact", name)
		return bad
	}
	slot, test := e.slot, evidenceFuncs[name]
	return boolean(func(env *engine.Env) engine.Tri { return engine.TriOf(test(env.Facts.Get(slot))) })
}

// agreement compiles confirmed(a, b, ...), true when at least one source
// said yes and none said no, false as soon as one said no, and unknown
// otherwise: when none answered, or when one is unreadable or conflicting
// (a doubtful source never confirms). refuted(...) is its negation: true as
// soon as one source said no.
func (c *exprCompiler) agreement(x *ast.CallNode, refuted bool) compiled {
	if len(x.Arguments) == 0 {
		c.errorf(x, engine.CodeType, "confirmed and refuted take one or more bool facts")
		return bad
	}
	fs := make([]engine.Expr, 0, len(x.Arguments))
	for _, a := range x.Arguments {
		e := c.compile(a)
		if !c.expect(a, e, engine.Bool, "confirmed and refuted") {
			return bad
		}
		fs = append(fs, e.value())
	}
	return boolean(func(env *engine.Env) engine.Tri {
		yes, doubt := false, false
		for _, f := range fs {
			v := f(env)
			switch {
			case v.False():
				if refuted {
					return engine.TriTrue
				}
				return engine.TriFalse
			case v.E != engine.Clean:
				doubt = true
			case v.True():
				yes = true
			}
		}
		if !yes || doubt {
			return engine.TriUnknown
		}
		return engine.TriOf(!refuted)
	})
}

func (c *exprCompiler) builtin(x *ast.BuiltinNode) compiled {
	args := x.Arguments
	switch x.Name {
	case "len", "lower", "upper", "trim", "abs":
		if len(args) != 1 {
			c.errorf(x, engine.CodeType, "%s takes one argument", x.Name)
			return bad
		}
		a := c.compile(args[0])
		if a.kind == engine.Unknown {
			return bad
		}
		f := a.value()
		switch x.Name {
		case "len":
			if a.kind != engine.String && a.kind != engine.List {
				c.errorf(args[0], engine.CodeType, "len needs a string or a list, got a %s", a.kind)
				return bad
			}
			return compiled{kind: engine.Number, fn: func(env *engine.Env) engine.Value {
				v := f(env)
				switch v.Kind {
				case engine.String:
					return engine.NumberValue(float64(utf8.RuneCountInString(v.S)))
				case engine.List:
					return engine.NumberValue(float64(len(v.L)))
				}
				return engine.Value{}
			}}
		case "abs":
			if !c.expect(args[0], a, engine.Number, "abs") {
				return bad
			}
			return compiled{kind: engine.Number, fn: func(env *engine.Env) engine.Value {
				v := f(env)
				if v.Kind != engine.Number {
					return engine.Value{}
				}
				return engine.NumberValue(math.Abs(v.N))
			}}
		}
		if !c.expect(args[0], a, engine.String, x.Name) {
			return bad
		}
		conv := map[string]func(string) string{"lower": strings.ToLower, "upper": strings.ToUpper, "trim": strings.TrimSpace}[x.Name]
		// Case mapping can lengthen a rune, and writes every invalid byte
		// as U+FFFD (3 bytes).
		out := compiled{kind: engine.String, maxLen: a.maxLen}
		if x.Name != "trim" {
			out.maxLen = min(3*a.maxLen, math.MaxInt32)
		}
		if !c.checkLen(x, out) {
			return bad
		}
		out.fn = func(env *engine.Env) engine.Value {
			v := f(env)
			if v.Kind != engine.String {
				return engine.Value{}
			}
			return engine.StringValue(conv(v.S))
		}
		return out
	case "min", "max":
		if len(args) < 2 {
			c.errorf(x, engine.CodeType, "%s takes two or more numbers", x.Name)
			return bad
		}
		var fs []engine.Expr
		for _, a := range args {
			e := c.compile(a)
			if !c.expect(a, e, engine.Number, x.Name) {
				return bad
			}
			fs = append(fs, e.value())
		}
		isMax := x.Name == "max"
		return compiled{kind: engine.Number, fn: func(env *engine.Env) engine.Value {
			var out float64
			for i, f := range fs {
				v := f(env)
				if v.Kind != engine.Number {
					return engine.Value{}
				}
				if i == 0 || (isMax && v.N > out) || (!isMax && v.N < out) {
					out = v.N
				}
			}
			return engine.NumberValue(out)
		}}
	case "any", "all", "none", "one", "count":
		return c.predicate(x)
	}
	c.errorf(x, engine.CodeUnsupported, "%s is not supported in policies", x.Name)
	return bad
}

// predicate compiles any/all/none/one/count over a list fact, with # as the
// element. The element is always known; the predicate may still be unknown
// through other facts, and the quantifiers follow three-valued logic.
func (c *exprCompiler) predicate(x *ast.BuiltinNode) compiled {
	if len(x.Arguments) != 2 {
		c.errorf(x, engine.CodeType, "%s takes a list and a predicate", x.Name)
		return bad
	}
	list := c.compile(x.Arguments[0])
	if !c.expect(x.Arguments[0], list, engine.List, x.Name) {
		return bad
	}
	pn, ok := x.Arguments[1].(*ast.PredicateNode)
	if !ok {
		c.errorf(x.Arguments[1], engine.CodeType, "%s needs a predicate such as # startsWith \"x\"", x.Name)
		return bad
	}
	outer := c.inPred
	c.inPred = true
	pred := c.compile(pn.Node)
	c.inPred = outer
	if !c.expect(pn.Node, pred, engine.Bool, "the predicate of "+x.Name) {
		return bad
	}
	lf, pf, name := list.value(), pred.test(), x.Name
	kind := engine.Bool
	if name == "count" {
		kind = engine.Number
	}
	return compiled{kind: kind, fn: func(env *engine.Env) engine.Value {
		l := lf(env)
		if l.Kind != engine.List {
			return engine.Value{}
		}
		saved := env.Elem
		trues, unknowns := 0, 0
		for _, s := range l.L {
			env.Elem = engine.StringValue(s)
			switch pf(env) {
			case engine.TriTrue:
				trues++
			case engine.TriUnknown:
				unknowns++
			}
		}
		env.Elem = saved
		falses := len(l.L) - trues - unknowns
		switch name {
		case "any":
			if trues > 0 {
				return engine.BoolValue(true)
			}
		case "all":
			if falses > 0 {
				return engine.BoolValue(false)
			}
		case "none":
			if trues > 0 {
				return engine.BoolValue(false)
			}
		case "one":
			if trues > 1 {
				return engine.BoolValue(false)
			}
		}
		if unknowns > 0 {
			return engine.Value{}
		}
		switch name {
		case "any":
			return engine.BoolValue(false)
		case "all", "none":
			return engine.BoolValue(true)
		case "one":
			return engine.BoolValue(trues == 1)
		}
		return engine.NumberValue(float64(trues))
	}}
}

func elem(env *engine.Env) engine.Value { return env.Elem }
