package rules

import "github.com/veredicto/veredicto/engine"

// testCatalog is a small catalog shaped like the real one, so that the
// compiler is tested without the providers.
func testCatalog() *engine.Catalog {
	cat, err := engine.NewCatalog(
		[]engine.FactSpec{
			{Name: "veriff.status", Kind: engine.String, Provider: "veriff", Description: "status", Values: []string{"approved", "declined", "resubmission_requested", "expired", "abandoned", "review"}},
			{Name: "veriff.code", Kind: engine.Number, Provider: "veriff", Description: "code"},
			{Name: "veriff.risk_score", Kind: engine.Number, Provider: "veriff", Description: "score"},
			{Name: "veriff.risk_labels", Kind: engine.List, Provider: "veriff", Description: "labels"},
			{Name: "veriff.document.expired", Kind: engine.Bool, Provider: "veriff", Description: "expired"},
		},
		[]engine.FactSpec{
			{Name: "jaak.ofac.passed", Kind: engine.Bool, Provider: "jaak", Description: "ofac"},
			{Name: "jaak.renapo.passed", Kind: engine.Bool, Provider: "jaak", Description: "renapo"},
		},
	)
	if err != nil {
		panic(err)
	}
	return cat
}
