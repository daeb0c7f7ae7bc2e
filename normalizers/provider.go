package normalizers

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
)

// Payload is one provider result inside a case.
type Payload struct {
	// Raw is one JSON value, already validated. It is read-only: Normalize
	// copies the case document once into an immutable string and Raw
	// points into it, so that facts may keep substrings of it.
	Raw    []byte
	Offset int    // byte offset of Raw in the input document
	Hint   string // the envelope's "kind" for this result (e.g. a JAAK list name), "" when none
}

// Parse returns the payload as a gjson value without copying it again.
func (p Payload) Parse() gjson.Result {
	return gjson.Parse(unsafe.String(unsafe.SliceData(p.Raw), len(p.Raw)))
}

// Shape is the top-level view of a bare payload used to detect its provider.
type Shape struct {
	Keys map[string]string // top-level key → the raw JSON of its value
}

// Has reports whether the payload has a top-level key.
func (s Shape) Has(k string) bool { _, ok := s.Keys[k]; return ok }

// Provider turns one provider's raw results into facts.
type Provider interface {
	// Name is the provider's name, also the namespace of its facts.
	Name() string
	// Facts documents the provider's facts. A fact's position in this slice is
	// the local index the provider writes it by.
	Facts() []engine.FactSpec
	// Detect reports whether a bare payload has this provider's shape.
	Detect(Shape) bool
	// Normalize writes the facts of all of a case's results of this provider.
	// A result that cannot be read at all is an error (use Errorf); a single
	// field of the wrong type leaves its fact unknown and adds a warning.
	Normalize(in []Payload, out engine.Sink) error
}

// Error is a problem with a provider payload, located by byte offset.
type Error struct {
	Provider string
	Offset   int
	Msg      string
	// Err classifies the problem when it is ErrNotRead; nil otherwise.
	Err error
}

// ErrNotRead classifies a payload that a provider recognizes as one of its
// other products (another webhook, another API), which it does not read
// because its words mean something else: not a malformed result. A
// webhook receiver acknowledges it without storing it, so that the
// provider does not send it again and again.
var ErrNotRead = errors.New("a product of the provider that is not read")

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// NotReadf returns an *Error classified as ErrNotRead.
func NotReadf(provider string, offset int, format string, args ...any) error {
	return &Error{Provider: provider, Offset: offset, Msg: fmt.Sprintf(format, args...), Err: ErrNotRead}
}

func (e *Error) Error() string {
	if e.Provider == "" {
		return fmt.Sprintf("byte %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("%s: byte %d: %s", e.Provider, e.Offset, e.Msg)
}

// Errorf returns an *Error for provider at offset.
func Errorf(provider string, offset int, format string, args ...any) error {
	return &Error{Provider: provider, Offset: offset, Msg: fmt.Sprintf(format, args...)}
}

var (
	mu        sync.RWMutex
	providers = map[string]Provider{}
	catalog   *engine.Catalog
)

// Register makes a provider available. It panics when the name is taken or
// after the catalog has been built, as both are programming errors.
func Register(p Provider) {
	mu.Lock()
	defer mu.Unlock()
	name := p.Name()
	if _, dup := providers[name]; dup {
		panic("normalizers: provider " + name + " registered twice")
	}
	if catalog != nil {
		panic("normalizers: provider " + name + " registered after the catalog was built")
	}
	for _, f := range p.Facts() {
		if !strings.HasPrefix(f.Name, name+".") || f.Provider != name {
			panic("normalizers: fact " + f.Name + " outside the namespace of provider " + name)
		}
	}
	providers[name] = p
}

// ErrNoProviders is the error of Normalize and Lookup when no provider is
// registered at all: the program forgot the blank import of normalizers/all
// (or of the provider packages it wants). Catalog panics with it.
var ErrNoProviders = errors.New(`normalizers: no provider is registered: import _ "github.com/veredicto/veredicto/normalizers/all" (or the provider packages you use, or call normalizers.Register)`)

// anyRegistered returns ErrNoProviders when no provider is registered.
func anyRegistered() error {
	mu.RLock()
	defer mu.RUnlock()
	if len(providers) == 0 {
		return ErrNoProviders
	}
	return nil
}

// Lookup returns a registered provider by name.
func Lookup(name string) (Provider, error) {
	if err := anyRegistered(); err != nil {
		return nil, err
	}
	mu.RLock()
	p, ok := providers[name]
	mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown provider %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return p, nil
}

// Names lists the registered providers, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(providers))
	for n := range providers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
