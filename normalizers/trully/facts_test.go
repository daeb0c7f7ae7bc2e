package trully

import (
	"slices"
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

func TestOnlyYears(t *testing.T) {
	for s, want := range map[string]bool{"2033": true, "2023 2033": true, "VIGENCIA 2023 - 2033": true, "VIGENTE": true,
		"31/02/2031": false, "2033 02": false, "203": false, "20333": false, "": true} {
		if got := onlyYears(s); got != want {
			t.Errorf("onlyYears(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestMonthYear(t *testing.T) {
	for s, want := range map[string]string{"12/2030": "2030-12-31", "2/2028": "2028-02-29", "06-2025": "2025-06-30", " 01.2031 ": "2031-01-31"} {
		if d, ok := monthYear(s); !ok || d.Format("2006-01-02") != want {
			t.Errorf("monthYear(%q) = %v, %v; want %s", s, d, ok, want)
		}
	}
	for _, s := range []string{"13/2030", "0/2030", "12/30", "123/2030", "ab/2030", "12/20a0", "2030"} {
		if d, ok := monthYear(s); ok {
			t.Errorf("monthYear(%q) = %v, want none", s, d)
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

// TestPolarity pins the polarity of every fact, so that a change is a
// deliberate edit of this table too.
func TestPolarity(t *testing.T) {
	type pol struct {
		p       engine.Polarity
		adverse []string
	}
	want := map[string]pol{
		"trully.label":                    {engine.AdverseValues, []string{"Review", "Potential Threat"}},
		"trully.risk":                     {engine.AdverseValues, []string{"review", "high"}},
		"trully.reasons":                  {engine.Informational, nil},
		"trully.face_match":               {engine.AdverseFalse, nil},
		"trully.document.detected":        {engine.AdverseFalse, nil},
		"trully.document.forensics":       {engine.AdverseValues, []string{"inconclusive", "invalid"}},
		"trully.document.forensics_valid": {engine.AdverseFalse, nil},
		"trully.document.invalid_fields":  {engine.AdverseNonEmpty, nil},
		"trully.document.fields_valid":    {engine.AdverseFalse, nil},
		"trully.document.valid_thru_year": {engine.LowerWorse, nil},
		"trully.document.expired":         {engine.AdverseTrue, nil},
		"trully.selfie.first_seen_image":  {engine.AdverseFalse, nil},
		"trully.curp.government_valid":    {engine.AdverseFalse, nil},
		"trully.curp.name_valid":          {engine.AdverseFalse, nil},
		"trully.curp.deceased":            {engine.AdverseTrue, nil},
		"trully.curp.is_mexican":          {engine.Informational, nil},
		"trully.curp.age":                 {engine.Informational, nil},
		"trully.curp.error":               {engine.Informational, nil},
		"trully.curp.found":               {engine.AdverseFalse, nil},
	}
	for _, ns := range []string{"trully.document_face", "trully.selfie"} {
		want[ns+".match"] = pol{engine.Informational, nil}
		want[ns+".match_fraud_flag"] = pol{engine.AdverseTrue, nil}
		want[ns+".seen_different_companies"] = pol{engine.HigherWorse, nil}
		want[ns+".times_seen_last_month"] = pol{engine.HigherWorse, nil}
		want[ns+".seen_by_your_company"] = pol{engine.Informational, nil}
		want[ns+".times_seen_by_your_company"] = pol{engine.HigherWorse, nil}
		want[ns+".multiple_external_ids"] = pol{engine.AdverseTrue, nil}
		want[ns+".days_since_first_seen"] = pol{engine.Informational, nil}
	}
	if len(want) != len(facts) {
		t.Errorf("%d facts, %d in the table", len(facts), len(want))
	}
	for _, s := range facts {
		w, ok := want[s.Name]
		if !ok {
			t.Errorf("%s: no polarity decided", s.Name)
			continue
		}
		if s.Polarity != w.p || !slices.Equal(s.Adverse, w.adverse) || s.Limit != nil {
			t.Errorf("%s: polarity %v %v, want %v %v", s.Name, s.Polarity, s.Adverse, w.p, w.adverse)
		}
	}
}
