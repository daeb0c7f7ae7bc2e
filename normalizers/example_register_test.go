package normalizers_test

import (
	"fmt"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

// acme is a provider of one liveness check. Its payload is
// {"acme_check": {"live": true}}.
type acme struct{}

// The interface guard: the build fails if acme stops being a Provider.
var _ normalizers.Provider = acme{}

// A provider registers itself in init, as Caddy modules do; a program gets
// it with a blank import of its package.
func init() { normalizers.Register(acme{}) }

const acmeLive = 0 // the local index of acme.liveness.passed in Facts

func (acme) Name() string { return "acme" }

func (acme) Facts() []engine.FactSpec {
	return []engine.FactSpec{
		{Name: "acme.liveness.passed", Kind: engine.Bool, Provider: "acme",
			Description: "The selfie passed Acme's liveness check.", Polarity: engine.AdverseFalse},
	}
}

func (acme) Detect(s normalizers.Shape) bool { return s.Has("acme_check") }

func (acme) Normalize(in []normalizers.Payload, out engine.Sink) error {
	for _, p := range in {
		live := p.Parse().Get("acme_check.live")
		if !live.IsBool() {
			// The field is there but cannot be read: the fact is unreadable,
			// and a policy that reads it decides at least a review.
			out.Unreadable(acmeLive, p.Offset, "acme_check.live", "expected true or false")
			continue
		}
		out.Merge(acmeLive, engine.BoolValue(live.Bool()), p.Offset, "acme_check.live")
	}
	return nil
}

// A registered provider's payloads are normalized like any other's, and
// its facts are in the catalog that policies compile against.
func ExampleRegister() {
	facts := engine.NewFacts(normalizers.Catalog())
	for _, doc := range []string{
		`{"acme_check": {"live": false}}`,
		`{"acme_check": {"live": "maybe"}}`,
	} {
		if err := normalizers.Normalize([]byte(doc), facts, normalizers.Options{}); err != nil {
			fmt.Println(err)
			return
		}
		v, _ := facts.Lookup("acme.liveness.passed")
		fmt.Printf("%v known=%v evidence=%v\n", v, v.Known(), v.E)
	}
	// Output:
	// false known=true evidence=clean
	// unreadable known=false evidence=unreadable
}
