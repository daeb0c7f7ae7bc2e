package check

import (
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules"
)

func operatorsResolver(t *testing.T) *resolver {
	t.Helper()
	p, err := rules.Load("testdata/operators.yaml", TestCatalog)
	if err != nil {
		t.Fatal(err)
	}
	return newResolver(p, TestCatalog)
}

// The resolver refuses, with a reason, every construct it does not know,
// wherever it stands in the expression: the analysis never guesses.
func TestResolverRefuses(t *testing.T) {
	r := operatorsResolver(t)
	for src, want := range map[string]string{
		"t.primary &&":                 "unexpected token EOF",
		"t.nope":                       "unknown name t.nope",
		"t.labels[0]":                  "unsupported name",
		"t?.primary":                   "unsupported expression *ast.ChainNode",
		"[1, 2]":                       "unsupported expression *ast.ArrayNode",
		"-t.nope":                      "unknown name t.nope",
		"!t.nope":                      "unknown name t.nope",
		"t.nope ? 1 : 2":               "unknown name t.nope",
		"t.primary ? t.nope : 2":       "unknown name t.nope",
		"t.primary ? 1 : t.nope":       "unknown name t.nope",
		"t.nope == nil":                "unknown name t.nope",
		"nil != t.nope":                "unknown name t.nope",
		"t.nope == 1":                  "unknown name t.nope",
		"1 == t.nope":                  "unknown name t.nope",
		"t.nope in [1]":                "unknown name t.nope",
		`t.name in [t.status]`:         "non-literal in a list",
		`t.name in ["a", t.nope]`:      "unknown name t.nope",
		`t.name matches t.status`:      "matches needs a literal",
		`t.name matches "("`:           "missing closing )",
		"t.score .. 3":                 "unsupported operator ..",
		"t.score(1)":                   "unsupported call",
		"foo(t.primary)":               "unknown function foo",
		"known(t.nope)":                "unknown name t.nope",
		"len(t.nope)":                  "unknown name t.nope",
		"filter(t.labels, # == \"x\")": "unsupported builtin filter",
		"any(t.labels, # == t.nope)":   "unknown name t.nope",
		"map(t.labels, #)":             "unsupported builtin map",
		"sum(t.labels)":                "unsupported builtin sum",
	} {
		n, err := r.parse(src)
		if err == nil || !strings.Contains(err.Error(), want) || n != nil {
			t.Errorf("%s: %v, %v; want the error %q", src, n, err, want)
		}
	}
}

// What the resolver makes of the constructs it knows: names bound to
// slots and derived facts, literals folded, and the kind of each node.
func TestResolverNodes(t *testing.T) {
	r := operatorsResolver(t)
	score, _ := TestCatalog.Lookup("t.score")
	for src, want := range map[string]struct {
		op   op
		kind engine.Kind
	}{
		"-3":                          {opLit, engine.Number},
		"-2.5":                        {opLit, engine.Number},
		"+t.score":                    {opFact, engine.Number},
		"-t.score":                    {opNeg, engine.Number},
		"not t.primary":               {opNot, engine.Bool},
		"total":                       {opDerived, engine.Number},
		"tag":                         {opDerived, engine.String},
		"t.primary ? t.name : \"x\"":  {opCond, engine.String},
		"t.score < 3":                 {opOrder, engine.Bool},
		"t.score ** 2":                {opArith, engine.Number},
		"t.name + \"x\"":              {opConcat, engine.String},
		"t.status ?? \"approved\"":    {opCoalesce, engine.String},
		"t.score ?? 1":                {opCoalesce, engine.Number},
		"nil == t.name":               {opKnown, engine.Bool},
		"known(t.name)":               {opKnown, engine.Bool},
		"confirmed(t.primary, t.b0)":  {opConfirmed, engine.Bool},
		"lower(t.name)":               {opLower, engine.String},
		"trim(t.name)":                {opTrim, engine.String},
		"upper(t.name)":               {opUpper, engine.String},
		"len(t.labels)":               {opLen, engine.Number},
		"count(t.labels, # == \"x\")": {opCount, engine.Number},
		"one(t.labels, # == \"x\")":   {opOne, engine.Bool},
		"min(t.score, 2)":             {opMin, engine.Number},
	} {
		n, err := r.parse(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if n.op != want.op || n.kind != want.kind {
			t.Errorf("%s: op %d kind %s, want op %d kind %s", src, n.op, n.kind, want.op, want.kind)
		}
	}
	n, err := r.parse("-3")
	if err != nil || n.lit.N != -3 {
		t.Errorf("-3: %+v %v", n, err)
	}
	n, err = r.parse("+t.score")
	if err != nil || n.slot != score {
		t.Errorf("+t.score: %+v %v", n, err)
	}
	n, err = r.parse("nil == t.name")
	if err != nil || n.want {
		t.Errorf("nil == t.name: %+v %v", n, err)
	}
	n, err = r.parse("t.name != nil")
	if err != nil || !n.want {
		t.Errorf("t.name != nil: %+v %v", n, err)
	}
}
