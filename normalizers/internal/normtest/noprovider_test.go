package normtest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

// This test binary registers no provider (normtest imports no provider
// package, nor normalizers/all): it is a program that forgot the blank
// import, and what it gets must say how to fix that.
const wantImport = `import _ "github.com/veredicto/veredicto/normalizers/all"`

func TestNormalizeWithoutProvidersSaysWhatToImport(t *testing.T) {
	if names := normalizers.Names(); len(names) != 0 {
		t.Fatalf("providers %v registered: this test needs a binary without any", names)
	}
	cat, err := engine.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(cat)
	f.CaseID = "left over from the previous case"
	for _, doc := range []string{
		`{"verification": {"id": "1", "status": "approved"}}`,                        // a bare payload
		`{"case_id": "a", "results": [{"provider": "veriff", "payload": {"x": 1}}]}`, // an envelope naming one
	} {
		err := normalizers.Normalize([]byte(doc), f, normalizers.Options{})
		if !errors.Is(err, normalizers.ErrNoProviders) {
			t.Fatalf("Normalize(%s) = %v, want ErrNoProviders", doc, err)
		}
		if msg := err.Error(); !strings.Contains(msg, wantImport) || strings.Contains(msg, "\n") {
			t.Errorf("the error is not one line naming the import: %q", msg)
		}
		if f.CaseID != "" {
			t.Error("Normalize did not reset the facts before failing")
		}
	}
	if _, err := normalizers.Lookup("veriff"); !errors.Is(err, normalizers.ErrNoProviders) {
		t.Errorf("Lookup = %v, want ErrNoProviders", err)
	}
}

// Catalog cannot return an error, and a policy compiled against a catalog
// without providers would report every fact it reads as unknown: it panics
// with the same one line instead.
func TestCatalogWithoutProvidersPanicsWithWhatToImport(t *testing.T) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, normalizers.ErrNoProviders) {
			t.Fatalf("Catalog() panicked with %v, want ErrNoProviders", r)
		}
		if !strings.Contains(err.Error(), wantImport) {
			t.Errorf("the panic does not name the import: %v", err)
		}
	}()
	normalizers.Catalog()
}
