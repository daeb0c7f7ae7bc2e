package rules

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// FuzzCompile: no policy source may panic or hang the loader, and a policy
// that fails to load is never half-loaded.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/errors/*.yaml")
	seeds = append(seeds, "../policies/mx-onboarding.yaml")
	for _, s := range seeds {
		src, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(evalPolicy))
	// The hostile shapes of limits_test.go, each at and past its limit.
	for _, src := range [][]byte{
		doublingChain(`"x"`, 16), doublingChain("veriff.status", 40), stringDiamond(40), diamond(40),
		chained(MaxDerivedDepth+1, MaxDerivedDepth+1), chained(2_000, 50), wide(200, 200),
		deepExpr(MaxExprNodes/2+1, false), deepExpr(5_000, true),
		[]byte(policyHead + oneRule(`'veriff.status matches "(abcdefghijklmnopqrst){1000}"'`)),
	} {
		f.Add(src)
	}
	cat := testCatalog()
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Compile("fuzz.yaml", src, cat)
		if (p == nil) == (err == nil) {
			t.Fatalf("policy %v with error %v", p != nil, err)
		}
		var list engine.ErrorList
		if err != nil && errors.As(err, &list) && len(list) == 0 {
			t.Fatal("empty error list")
		}
		if p != nil {
			p.Evaluate(engine.NewFacts(cat))
		}
	})
}
