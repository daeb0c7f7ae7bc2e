package normalizers

import (
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// fake is a provider whose name, facts and shape a test chooses.
type fake struct {
	name  string
	facts []engine.FactSpec
	key   string // Detect: the payload has this top-level key
}

func (p fake) Name() string                                  { return p.name }
func (p fake) Facts() []engine.FactSpec                      { return p.facts }
func (p fake) Detect(s Shape) bool                           { return s.Has(p.key) }
func (p fake) Normalize(in []Payload, out engine.Sink) error { return nil }

// emptyRegistry gives the test a registry with no provider and no catalog,
// as at the start of a program, and restores the real one after it (built
// first, so that the test cannot be the one that builds it).
func emptyRegistry(t *testing.T) {
	Catalog()
	mu.Lock()
	savedProviders, savedCatalog, savedOrdered := providers, catalog, ordered
	providers, catalog, ordered = map[string]Provider{}, nil, nil
	mu.Unlock()
	t.Cleanup(func() {
		mu.Lock()
		providers, catalog, ordered = savedProviders, savedCatalog, savedOrdered
		mu.Unlock()
	})
}

func panics(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(string)
		}
	}()
	f()
	return ""
}

// Register refuses, by panicking at start-up, what would make facts
// ambiguous: a name taken twice, a fact outside the provider's namespace,
// a provider added after policies were compiled against the catalog.
func TestRegisterRefuses(t *testing.T) {
	emptyRegistry(t)
	spec := func(name, provider string) engine.FactSpec {
		return engine.FactSpec{Name: name, Kind: engine.Bool, Provider: provider, Description: "d"}
	}
	Register(fake{name: "acme", facts: []engine.FactSpec{spec("acme.ok", "acme")}})
	if got := Names(); len(got) != 1 || got[0] != "acme" {
		t.Fatalf("Names() = %v", got)
	}
	for _, tt := range []struct {
		name string
		p    fake
		want string
	}{
		{"a name taken", fake{name: "acme"}, "normalizers: provider acme registered twice"},
		{"a fact of another namespace", fake{name: "acm", facts: []engine.FactSpec{spec("acme.ok", "acm")}},
			"normalizers: fact acme.ok outside the namespace of provider acm"},
		{"a fact without the namespace's dot", fake{name: "acme2", facts: []engine.FactSpec{spec("acme2ok", "acme2")}},
			"normalizers: fact acme2ok outside the namespace of provider acme2"},
		{"a fact declared for another provider", fake{name: "beta", facts: []engine.FactSpec{spec("beta.a", "beta"), spec("beta.ok", "acme")}},
			"normalizers: fact beta.ok outside the namespace of provider beta"},
	} {
		if got := panics(func() { Register(tt.p) }); got != tt.want {
			t.Errorf("%s: panic %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := Names(); len(got) != 1 {
		t.Errorf("a refused provider was registered: %v", got)
	}
	Register(fake{name: "beta", facts: []engine.FactSpec{spec("beta.ok", "beta")}})
	if got := strings.Join(Names(), ","); got != "acme,beta" {
		t.Errorf("Names() = %s, want sorted", got)
	}

	mu.Lock()
	catalog = &engine.Catalog{} // as if Catalog() had been called
	mu.Unlock()
	if got, want := panics(func() { Register(fake{name: "late"}) }), "normalizers: provider late registered after the catalog was built"; got != want {
		t.Errorf("panic %q, want %q", got, want)
	}
}

// A bare payload whose shape two providers claim is refused rather than
// given to either.
func TestDetectAmbiguous(t *testing.T) {
	emptyRegistry(t)
	for _, p := range []fake{{name: "a", key: "id"}, {name: "b", key: "id"}, {name: "c", key: "other"}} {
		providers[p.name] = p
		ordered = append(ordered, p)
	}
	_, err := detect(`{"id":1}`, 5, Shape{Keys: map[string]string{"id": "1"}})
	want := "byte 5: ambiguous payload shape: it looks like a and b; wrap it in an envelope and name its provider"
	if err == nil || err.Error() != want {
		t.Errorf("detect = %v, want %q", err, want)
	}
	r, err := detect(`{"other":1}`, 5, Shape{Keys: map[string]string{"other": "1"}})
	if err != nil || r.Provider != "c" || r.offset != 5 || string(r.Payload) != `{"other":1}` {
		t.Errorf("detect = %+v, %v", r, err)
	}
}
