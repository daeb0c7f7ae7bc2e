package trully

import (
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

func TestFactsFilled(t *testing.T) {
	for i, s := range facts {
		if s.Name == "" {
			t.Errorf("fact slot %d is not filled", i)
			continue
		}
		if s.Provider != provider || !strings.HasPrefix(s.Name, provider+".") {
			t.Errorf("fact %s: provider %q, want %q and the %s. namespace", s.Name, s.Provider, provider, provider)
		}
		if s.Kind == engine.Unknown || s.Description == "" {
			t.Errorf("fact %s: kind %v, description %q", s.Name, s.Kind, s.Description)
		}
		if s.Kind == engine.String && len(s.Values) == 0 && s.Name != "trully.curp.error" {
			t.Errorf("fact %s: an enumerated string fact needs Values", s.Name)
		}
	}
	if _, err := engine.NewCatalog(Provider{}.Facts()); err != nil {
		t.Fatal(err)
	}
}

// The document-face and selfie blocks are written through one layout, so the
// same offset must name the same fact in both.
func TestFaceBlocksParallel(t *testing.T) {
	for o := 0; o < faceLen; o++ {
		d := strings.TrimPrefix(facts[fDocFace+o].Name, "trully.document_face.")
		s := strings.TrimPrefix(facts[fSelfie+o].Name, "trully.selfie.")
		if d != s || d == facts[fDocFace+o].Name {
			t.Errorf("offset %d: %s vs %s", o, facts[fDocFace+o].Name, facts[fSelfie+o].Name)
		}
	}
	for i, f := range faceFields {
		if f == "" {
			t.Errorf("face field %d has no name", i)
		}
	}
}

func TestLastYear(t *testing.T) {
	for s, want := range map[string]int{"2033": 2033, "2023 2033": 2033, "VIGENCIA 2023 - 2033": 2033, "2033 02": 2033, " 2030\n": 2030} {
		if y, ok := lastYear(s); !ok || y != want {
			t.Errorf("lastYear(%q) = %d, %v; want %d", s, y, ok, want)
		}
	}
	for _, s := range []string{"", "33", "20333", "abcd", "1850"} {
		if y, ok := lastYear(s); ok {
			t.Errorf("lastYear(%q) = %d, want none", s, y)
		}
	}
}
