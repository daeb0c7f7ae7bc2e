package policytest

import (
	"errors"
	"io/fs"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// Harness connects the runner to the program that embeds it: the fact
// catalog that policies are compiled against, and the step that turns a
// test's case into facts. veredicto's own command injects its providers'
// catalog and normalizer; a service that embeds the engine injects its own,
// so that its policies' suites run from its `go test` (see Run).
type Harness struct {
	// Catalog is the catalog policies are compiled against and suites
	// name facts from. Required.
	Catalog *engine.Catalog
	// Normalize reads a case document, JSON (a provider payload or an
	// envelope {case_id, as_of, results}), into f, evaluated at asOf (zero:
	// the envelope's own as_of). Required by tests that give a case,
	// fixture or results; tests with facts only do without it.
	Normalize func(doc []byte, f *engine.Facts, asOf time.Time) error
	// Locate, when set, says where a Normalize error points in the case
	// document: the byte offset, the provider (or "") and the message
	// without the position; the problem is then reported at the suite line
	// that wrote that byte.
	Locate func(err error) (offset int, provider, msg string, ok bool)
	// Fixtures holds the built-in fixtures a suite may name when the file
	// is not beside the suite; nil: none.
	Fixtures fs.FS
}

// check reports a harness that cannot run suites.
func (h *Harness) check() error {
	if h == nil || h.Catalog == nil {
		return errors.New("policytest: the harness has no fact catalog")
	}
	return nil
}
