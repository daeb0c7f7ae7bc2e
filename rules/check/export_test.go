package check

import (
	"fmt"

	"github.com/veredicto/veredicto/engine"
)

// TestCatalog is the small catalog of the package's tests and testdata
// policies: one fact of every polarity, and twenty bits for a policy too
// large for exact analysis.
var TestCatalog = func() *engine.Catalog {
	limit := 80.0
	specs := []engine.FactSpec{
		{Name: "t.primary", Kind: engine.Bool, Description: "primary check passed", Polarity: engine.AdverseFalse},
		{Name: "t.secondary", Kind: engine.Bool, Description: "secondary check passed", Polarity: engine.AdverseFalse},
		{Name: "t.status", Kind: engine.String, Description: "status", Values: []string{"approved", "declined", "review"},
			Polarity: engine.AdverseValues, Adverse: []string{"declined", "review"}},
		{Name: "t.score", Kind: engine.Number, Description: "risk score", Polarity: engine.HigherWorse, Limit: &limit},
		{Name: "t.similarity", Kind: engine.Number, Description: "face similarity", Polarity: engine.LowerWorse},
		{Name: "t.labels", Kind: engine.List, Description: "risk labels", Polarity: engine.AdverseNonEmpty},
		{Name: "t.name", Kind: engine.String, Description: "a free name"},
		{Name: "t.flag", Kind: engine.Bool, Description: "on a watch list", Polarity: engine.AdverseTrue},
	}
	for i := range 20 {
		specs = append(specs, engine.FactSpec{Name: fmt.Sprintf("t.b%d", i), Kind: engine.Bool, Description: "a bit"})
	}
	for i := range specs {
		specs[i].Provider = "t"
	}
	cat, err := engine.NewCatalog(specs)
	if err != nil {
		panic(err)
	}
	return cat
}()
