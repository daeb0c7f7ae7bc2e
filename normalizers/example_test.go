package normalizers_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all" // every provider that ships with veredicto
)

// Normalize reads a bare provider payload (its provider is told by its
// shape) into typed facts. A fact the payload does not report stays
// unknown, never false.
func ExampleNormalize() {
	raw, _ := fixtures.Read("jaak/ofac_found.json") // JAAK's OFAC screening, one match
	facts := engine.NewFacts(normalizers.Catalog()) // one per goroutine; Reset by Normalize
	asOf := time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)
	if err := normalizers.Normalize(raw, facts, normalizers.Options{AsOf: asOf}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(facts.Providers)
	for _, name := range []string{"jaak.ofac.passed", "jaak.ofac.match_count", "jaak.ofac.match_score", "jaak.interpol.passed"} {
		v, _ := facts.Lookup(name)
		fmt.Printf("%s = %v\n", name, v)
	}
	// Output:
	// [jaak]
	// jaak.ofac.passed = false
	// jaak.ofac.match_count = 1
	// jaak.ofac.match_score = 96.4
	// jaak.interpol.passed = unknown
}

// An envelope carries several results of a case; its problems, like a
// payload's, are one line with the provider and the byte offset, and the
// error is a *normalizers.Error.
func ExampleNormalize_error() {
	doc := []byte(`{"case_id": "app-1", "results": [{"provider": "verif", "payload": {}}]}`)
	facts := engine.NewFacts(normalizers.Catalog())
	err := normalizers.Normalize(doc, facts, normalizers.Options{})
	fmt.Println(err)
	var e *normalizers.Error
	if errors.As(err, &e) {
		fmt.Println("offset", e.Offset)
	}
	// Output:
	// byte 33: results[0]: unknown provider "verif" (did you mean veriff?)
	// offset 33
}

// Catalog documents every fact a policy may read: its type, its provider
// and which values are adverse.
func ExampleCatalog() {
	cat := normalizers.Catalog()
	for _, name := range []string{"jaak.ofac.passed", "veriff.status", "case.curp.consistent"} {
		slot, _ := cat.Lookup(name)
		s := cat.Spec(slot)
		fmt.Printf("%s (%s, %s): %s\n", s.Name, s.Kind, s.Provider, s.DescribePolarity())
	}
	// Output:
	// jaak.ofac.passed (bool, jaak): adverse: false
	// veriff.status (string, veriff): adverse: declined, resubmission_requested, expired, abandoned, review
	// case.curp.consistent (bool, case): adverse: false
}
