package trully_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/normtest"
	"github.com/veredicto/veredicto/normalizers/trully"
)

var asOf = time.Date(2025, 6, 18, 12, 0, 0, 0, time.UTC)

func newFacts(t testing.TB) *engine.Facts {
	t.Helper()
	cat, err := engine.NewCatalog(trully.Provider{}.Facts())
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(cat)
	f.AsOf = asOf
	return f
}

func run(t testing.TB, in ...normalizers.Payload) (*engine.Facts, error) {
	t.Helper()
	f := newFacts(t)
	err := trully.Provider{}.Normalize(in, f.Sink("trully"))
	return f, err
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fixtures.Read("trully/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// face returns the expected facts of one face-network block.
func face(ns string, match, fraud bool, companies, month float64, seen bool, times float64, multi bool, days float64) map[string]any {
	return map[string]any{
		ns + ".match": match, ns + ".match_fraud_flag": fraud,
		ns + ".seen_different_companies": companies, ns + ".times_seen_last_month": month,
		ns + ".seen_by_your_company": seen, ns + ".times_seen_by_your_company": times,
		ns + ".multiple_external_ids": multi, ns + ".days_since_first_seen": days,
	}
}

func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var (
	docFaceFacts = []string{"trully.document_face.match", "trully.document_face.match_fraud_flag",
		"trully.document_face.seen_different_companies", "trully.document_face.times_seen_last_month",
		"trully.document_face.seen_by_your_company", "trully.document_face.times_seen_by_your_company",
		"trully.document_face.multiple_external_ids", "trully.document_face.days_since_first_seen"}
	selfieFacts = []string{"trully.selfie.match", "trully.selfie.match_fraud_flag",
		"trully.selfie.seen_different_companies", "trully.selfie.times_seen_last_month",
		"trully.selfie.seen_by_your_company", "trully.selfie.times_seen_by_your_company",
		"trully.selfie.multiple_external_ids", "trully.selfie.days_since_first_seen",
		"trully.selfie.first_seen_image"}
	curpFacts = []string{"trully.curp.government_valid", "trully.curp.name_valid", "trully.curp.deceased",
		"trully.curp.is_mexican", "trully.curp.age", "trully.curp.error", "trully.curp.found"}
)

type fixtureCase struct {
	want       map[string]any
	unknown    []string
	identities []engine.Identity
	caseID     string
	eventTime  time.Time
}

var seedReasons = []string{
	"The user's face was found in the company database with another external_id",
	"The user's face on the document was flagged as identity fraud by a company on the Trully network",
	"The user's face on the document was found in the company database with another external_id",
}

var fixtureCases = map[string]fixtureCase{
	"identity_response": {
		want: merge(map[string]any{
			"trully.label": "Potential Threat", "trully.risk": "high", "trully.reasons": seedReasons,
			"trully.face_match": true, "trully.document.detected": true,
			"trully.document.forensics": "valid", "trully.document.forensics_valid": true,
			"trully.document.invalid_fields": []string{}, "trully.document.fields_valid": true,
			"trully.document.valid_thru_year": 2033.0, "trully.document.expired": false,
			"trully.selfie.first_seen_image": false,
			"trully.curp.government_valid":   true, "trully.curp.name_valid": true, "trully.curp.deceased": false,
			"trully.curp.is_mexican": true, "trully.curp.age": 30.0, "trully.curp.found": true,
		},
			// first_seen "01/10/2024, 10:15:20" is January 10 (month first): 525 days, not 260.
			face("trully.document_face", true, false, 1, 1, true, 3, false, 525),
			face("trully.selfie", true, false, 1, 1, true, 3, false, 525)),
		unknown: []string{"trully.curp.error"},
		identities: []engine.Identity{
			{Source: "trully.document", CURP: "MEGA950415MDFRRN07", DOB: "1995-04-15", Name: "SOFIA ELENA MENDOZA GARCIA"},
			{Source: "trully.curp", CURP: "MEGA950415MDFRRN07", DOB: "1995-04-15", Name: "SOFIA ELENA MENDOZA GARCIA"},
		},
		caseID:    "req_abc123def456ghi789",
		eventTime: time.Date(2025, 6, 17, 11, 20, 5, 0, time.UTC),
	},
	"no_threat": {
		want: merge(map[string]any{
			"trully.label": "No Threat", "trully.risk": "low", "trully.reasons": []string{},
			"trully.face_match": true, "trully.document.forensics_valid": true,
			"trully.document.invalid_fields": []string{}, "trully.document.fields_valid": true,
			"trully.document.valid_thru_year": 2031.0, "trully.document.expired": false,
			"trully.selfie.first_seen_image": true, "trully.curp.found": true, "trully.curp.age": 36.0,
		},
			face("trully.document_face", false, false, 0, 0, false, 0, false, 1),
			face("trully.selfie", false, false, 0, 0, false, 0, false, 1)),
		unknown: []string{"trully.curp.error"},
		identities: []engine.Identity{
			{Source: "trully.document", CURP: "ROLJ880912HJCDPN04", DOB: "1988-09-12", Name: "JUAN CARLOS RODRIGUEZ LOPEZ"},
			{Source: "trully.curp", CURP: "ROLJ880912HJCDPN04", DOB: "1988-09-12", Name: "JUAN CARLOS RODRIGUEZ LOPEZ"},
		},
		caseID:    "req_7f3k2m9q1w8e",
		eventTime: time.Date(2025, 6, 17, 9, 2, 11, 0, time.UTC),
	},
	"review_invalid_fields": {
		want: merge(map[string]any{
			"trully.label": "Review", "trully.risk": "review",
			"trully.reasons":                 []string{"Some fields of the document could not be validated", "The document forensic analysis was inconclusive"},
			"trully.document.forensics":      "inconclusive",
			"trully.document.invalid_fields": []string{"electoral_key", "address"}, "trully.document.fields_valid": false,
			"trully.document.valid_thru_year": 2030.0, "trully.document.expired": false,
		},
			face("trully.document_face", false, false, 0, 0, true, 2, false, 201),
			face("trully.selfie", false, false, 0, 0, true, 2, false, 201)),
		unknown: []string{"trully.document.forensics_valid", "trully.curp.error"},
		caseID:  "req_q2w3e4r5t6y7",
	},
	"potential_threat_fraud_flag": {
		want: merge(map[string]any{
			"trully.label": "Potential Threat", "trully.risk": "high", "trully.face_match": false,
			"trully.document.forensics": "invalid", "trully.document.forensics_valid": false,
			"trully.curp.name_valid": false, "trully.curp.government_valid": true, "trully.curp.found": true,
		},
			face("trully.document_face", true, true, 4, 5, true, 7, true, 866),
			face("trully.selfie", true, true, 4, 5, true, 7, true, 866)),
		identities: []engine.Identity{
			{Source: "trully.document", CURP: "GOPL900101HDFNRS09", DOB: "1990-01-01", Name: "LUIS GONZALEZ PEREZ"},
			{Source: "trully.curp", CURP: "GOPL900101HDFNRS09", DOB: "1990-01-01", Name: "LUIS ALBERTO GONZALEZ PEREZ"},
		},
		caseID: "req_z9x8c7v6b5n4",
	},
	"label_null": {
		want:    map[string]any{"trully.reasons": []string{}, "trully.face_match": true, "trully.selfie.first_seen_image": true},
		unknown: []string{"trully.label", "trully.risk"},
		caseID:  "req_n0l4b3l00001",
	},
	"curp_not_found": {
		want: map[string]any{
			"trully.label": "Review", "trully.curp.error": "CURP no encontrada", "trully.curp.found": false,
			"trully.curp.government_valid": false, "trully.curp.name_valid": false,
			"trully.curp.is_mexican": true, "trully.curp.age": 40.0,
		},
		unknown: []string{"trully.curp.deceased"},
		identities: []engine.Identity{
			{Source: "trully.document", CURP: "MOTR850214HVZRRB01", DOB: "1985-02-14", Name: "ROBERTO MORALES TORRES"},
			{Source: "trully.curp", CURP: "MOTR850214HVZRRB01", DOB: "1985-02-14"},
		},
	},
	"deceased": {
		want: map[string]any{
			"trully.label": "Potential Threat", "trully.curp.deceased": true, "trully.curp.found": true,
			"trully.document.valid_thru_year": 2026.0, "trully.document.expired": false,
			"trully.selfie.seen_by_your_company": true, "trully.selfie.times_seen_by_your_company": 1.0,
			"trully.selfie.days_since_first_seen": 18.0, "trully.curp.age": 76.0,
		},
		unknown: []string{"trully.curp.error"},
	},
	"missing_selfie": {
		want: merge(map[string]any{"trully.label": "No Threat", "trully.risk": "low", "trully.curp.found": true},
			face("trully.document_face", false, false, 0, 0, false, 0, false, 0)),
		unknown:   append([]string{"trully.face_match"}, selfieFacts...),
		caseID:    "req_nsf000000004",
		eventTime: time.Date(2025, 6, 17, 15, 45, 12, 0, time.UTC),
	},
	"document_not_detected": {
		want: map[string]any{
			"trully.label": "Review", "trully.document.detected": false, "trully.face_match": false,
			"trully.selfie.match": false, "trully.selfie.first_seen_image": true, "trully.selfie.days_since_first_seen": 0.0,
		},
		unknown: append(append([]string{"trully.document.forensics", "trully.document.forensics_valid",
			"trully.document.invalid_fields", "trully.document.fields_valid",
			"trully.document.valid_thru_year", "trully.document.expired"}, docFaceFacts...), curpFacts...),
		identities: []engine.Identity{},
		caseID:     "req_ndd000000005",
	},
	"string_counters": {
		want: merge(map[string]any{"trully.curp.age": 32.0},
			face("trully.document_face", true, false, 2, 1, true, 3, false, 525),
			face("trully.selfie", true, false, 2, 1, true, 3, false, 525)),
	},
	"sdk_web_handle_data": {
		// The web SDK's handleData object: the response in raw_data, its
		// label, reason and request_id repeated beside it (the same: clean).
		want: map[string]any{
			"trully.label": "Review", "trully.risk": "review",
			"trully.reasons":                 []string{"Some fields of the document could not be validated"},
			"trully.document.invalid_fields": []string{"address"}, "trully.document.fields_valid": false,
			"trully.document.valid_thru_year": 2029.0, "trully.document.expired": false,
			"trully.face_match": true, "trully.curp.found": true, "trully.curp.age": 32.0,
		},
		identities: []engine.Identity{
			{Source: "trully.document", CURP: "HERA921103MNLRZN05", DOB: "1992-11-03", Name: "ANA LUCIA HERNANDEZ RUIZ"},
			{Source: "trully.curp", CURP: "HERA921103MNLRZN05", DOB: "1992-11-03", Name: "ANA LUCIA HERNANDEZ RUIZ"},
		},
		caseID:    "req_w3b5dk0000a1",
		eventTime: time.Date(2025, 6, 16, 16, 40, 2, 0, time.UTC),
	},
	"sdk_android_result": {
		// The Android SDK's result: the response in decisionMaker, a summary
		// in shortResponse.
		want: merge(map[string]any{
			"trully.label": "No Threat", "trully.risk": "low", "trully.reasons": []string{},
			"trully.document.forensics": "valid", "trully.curp.government_valid": true,
		},
			face("trully.document_face", false, false, 0, 0, false, 0, false, 1)),
		identities: []engine.Identity{
			{Source: "trully.document", CURP: "ROLJ880912HJCDPN04", DOB: "1988-09-12", Name: "JUAN CARLOS RODRIGUEZ LOPEZ"},
			{Source: "trully.curp", CURP: "ROLJ880912HJCDPN04", DOB: "1988-09-12", Name: "JUAN CARLOS RODRIGUEZ LOPEZ"},
		},
		caseID:    "req_andr0id00b2",
		eventTime: time.Date(2025, 6, 17, 8, 10, 44, 0, time.UTC),
	},
	"valid_thru_date": {
		// A vigencia printed as a full day-first date: valid through that
		// day, not through the end of its year.
		want: map[string]any{"trully.document.valid_thru_year": 2025.0, "trully.document.expired": true,
			"trully.label": "Review", "trully.document.fields_valid": true},
		caseID: "req_vtd000000006",
	},
	"numeric_flags": {
		// Flags as 0/1 (1 is true) and counters as numeric strings.
		want: merge(map[string]any{
			"trully.label": "Potential Threat", "trully.document.detected": true, "trully.face_match": false,
			"trully.selfie.match": true, "trully.selfie.match_fraud_flag": false, "trully.selfie.first_seen_image": false,
			"trully.curp.government_valid": true, "trully.curp.deceased": false, "trully.curp.found": true,
		},
			face("trully.document_face", true, true, 2, 3, false, 0, false, 1)),
		caseID: "req_flags0000007",
	},
	"expired_document": {
		want: map[string]any{
			"trully.document.valid_thru_year": 2024.0, "trully.document.expired": true,
			"trully.document.fields_valid": true, "trully.document_face.days_since_first_seen": 1191.0,
		},
		identities: []engine.Identity{
			{Source: "trully.document", CURP: "NUPM700923MOCXRR07", DOB: "1970-09-23", Name: "MARIA DEL CARMEN NUNEZ PEREZ"},
			{Source: "trully.curp", CURP: "NUPM700923MOCXRR07", DOB: "1970-09-23", Name: "MARIA DEL CARMEN NUNEZ PEREZ"},
		},
	},
}

func TestFixtures(t *testing.T) {
	paths := fixtures.Glob("trully/*.json")
	if len(paths) < len(fixtureCases) {
		t.Fatalf("%d fixtures, %d cases", len(paths), len(fixtureCases))
	}
	for _, p := range paths {
		name := fixtures.Name(p)
		t.Run(name, func(t *testing.T) {
			tc, ok := fixtureCases[name]
			if !ok {
				t.Fatalf("fixture %s has no test case", p)
			}
			f, err := run(t, normalizers.Payload{Raw: fixture(t, name)})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Warnings) > 0 || len(f.Evidence) > 0 {
				t.Errorf("warnings: %+v, evidence: %+v", f.Warnings, f.Evidence)
			}
			normtest.Some(t, f, tc.want, tc.unknown)
			if tc.identities != nil && !slices.Equal(f.Identities, tc.identities) {
				t.Errorf("identities:\n got %+v\nwant %+v", f.Identities, tc.identities)
			}
			if tc.caseID != "" && f.CaseID != tc.caseID {
				t.Errorf("case id %q, want %q", f.CaseID, tc.caseID)
			}
			if !tc.eventTime.IsZero() && !f.EventTime.Equal(tc.eventTime) {
				t.Errorf("event time %v, want %v", f.EventTime, tc.eventTime)
			}
		})
	}
}

// The seed's example has a trailing comma in "reason": the registry rejects
// it as invalid JSON before calling the normalizer; the fixture is the same
// text without that comma.
func TestSeedTrailingComma(t *testing.T) {
	broken, err := os.ReadFile("testdata/seed_trailing_comma.json")
	if err != nil {
		t.Fatal(err)
	}
	if json.Valid(broken) {
		t.Fatal("the seed's example should be invalid JSON")
	}
	fixed := fixture(t, "identity_response")
	if !json.Valid(fixed) {
		t.Fatal("the corrected fixture is not valid JSON")
	}
	if want := bytes.Replace(broken, []byte("external_id\",\n]"), []byte("external_id\"\n]"), 1); !bytes.Equal(want, fixed) {
		t.Error("the fixture should be the seed's example with only the trailing comma removed")
	}
	f, err := run(t, normalizers.Payload{Raw: fixed})
	if err != nil {
		t.Fatal(err)
	}
	normtest.Some(t, f, map[string]any{"trully.reasons": seedReasons}, nil)
}

// Every response of a case is read: an earlier response's facts are not
// dropped, and where two responses disagree the adverse side is kept and
// marked conflicting, whatever their order.
func TestSeveralResponses(t *testing.T) {
	first := fixture(t, "potential_threat_fraud_flag")
	last := fixture(t, "missing_selfie")
	f, err := run(t, normalizers.Payload{Raw: first}, normalizers.Payload{Raw: last, Offset: len(first) + 1})
	if err != nil {
		t.Fatal(err)
	}
	normtest.Some(t, f, map[string]any{"trully.label": "Potential Threat", "trully.risk": "high",
		"trully.document_face.match_fraud_flag": true, "trully.selfie.match_fraud_flag": true, "trully.face_match": false}, nil)
	for _, n := range []string{"trully.label", "trully.risk", "trully.document_face.match_fraud_flag"} {
		if v, _ := f.Lookup(n); v.E != engine.Conflicting {
			t.Errorf("%s: evidence %v, want conflicting", n, v.E)
		}
	}
	// Only the first response reports a selfie: nothing disagrees.
	if v, _ := f.Lookup("trully.selfie.match_fraud_flag"); v.E != engine.Clean {
		t.Errorf("selfie.match_fraud_flag: evidence %v, want clean", v.E)
	}
	if f.CaseID != "req_z9x8c7v6b5n4" {
		t.Errorf("case id %q, want the first response's", f.CaseID)
	}
	if len(f.Identities) != 4 {
		t.Errorf("%d identities, want 4 (2 per response): %+v", len(f.Identities), f.Identities)
	}
}

func TestErrors(t *testing.T) {
	notObject, err := os.ReadFile("testdata/not_object.json")
	if err != nil {
		t.Fatal(err)
	}
	const base = 500
	for _, tc := range []struct {
		name, raw, at, msg string
	}{
		{"top-level array", string(notObject), "[", "JSON object"},
		{"top-level string", `"No Threat"`, `"No Threat"`, "JSON object"},
		{"document string", `{"label":"Review","document":"INE","request_id":"r1"}`, `"INE"`, "document"},
		{"selfie number", `{"label":"Review","selfie":12,"request_id":"r1"}`, `12`, "selfie"},
		{"curp array", `{"label":"Review","curp":["MEGA950415MDFRRN07"]}`, `["MEGA`, "curp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, normalizers.Payload{Raw: []byte(tc.raw), Offset: base})
			var e *normalizers.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want a *normalizers.Error", err)
			}
			if e.Provider != "trully" || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error %v, want provider trully and %q", e, tc.msg)
			}
			if want := base + strings.Index(tc.raw, tc.at); e.Offset != want {
				t.Errorf("offset %d, want %d", e.Offset, want)
			}
		})
	}
	t.Run("earlier response not an object", func(t *testing.T) {
		_, err := run(t, normalizers.Payload{Raw: notObject, Offset: 7}, normalizers.Payload{Raw: fixture(t, "no_threat"), Offset: 100})
		var e *normalizers.Error
		if !errors.As(err, &e) || e.Offset != 7 {
			t.Fatalf("error %v, want one at offset 7", err)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		if _, err := run(t); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWarnings(t *testing.T) {
	raw := `{
  "label": 7,
  "reason": {"a": 1},
  "face_match": "yes",
  "request_id": {"id": 1},
  "document": {
    "details": {"detected": "maybe", "forensics": "valid"},
    "front": {
      "information": {
        "birthdate": {"text": "15/13/1995", "valid": true},
        "sex": "M",
        "address": {"text": "CALLE 1", "valid": "si"},
        "valid_thru": {"text": "VIGENTE", "valid": true}
      },
      "face_analysis": {
        "match": 2,
        "seen_different_companies": "two",
        "first_seen": "2024-13-10T10:15:20Z",
        "warnings": ["external_id"]
      }
    }
  },
  "selfie": {"times_seen_last_month": true, "inquiry_date": "17/06/2025, 11:20:05", "first_seen_image": "no"},
  "curp": {"age": "thirty", "deceased": "N", "date_of_birth": "1995/15/04", "error": false}
}`
	if !json.Valid([]byte(raw)) {
		t.Fatal("test payload is not JSON")
	}
	const base = 1000
	f, err := run(t, normalizers.Payload{Raw: []byte(raw), Offset: base})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ msg, at string }{
		{"label", `7,`},
		{"reason", `{"a": 1}`},
		{"face_match", `"yes"`},
		{"request_id", `{"id": 1}`},
		{"document.details.detected", `"maybe"`},
		{"document.details.forensics", `"valid"}`},
		{"birthdate", `"15/13/1995"`},
		{"document.front.information.sex", `"M"`},
		{"address.valid", `"si"`},
		{"valid_thru", `"VIGENTE"`},
		{"document.front.face_analysis.match", `2,`},
		{"document.front.face_analysis.seen_different_companies", `"two"`},
		{"document.front.face_analysis.first_seen", `"2024-13-10T10:15:20Z"`},
		{"document.front.face_analysis.warnings", `["external_id"]`},
		{"selfie.times_seen_last_month", `true`},
		{"selfie.inquiry_date", `"17/06/2025`},
		{"selfie.first_seen_image", `"no"`},
		{"curp.age", `"thirty"`},
		{"curp.deceased", `"N"`},
		{"curp.date_of_birth", `"1995/15/04"`},
		{"curp.error", `false`},
	}
	// Each warning is about one of the fields above (a field that feeds
	// several facts warns once per fact).
	for _, got := range f.Warnings {
		ok := false
		for _, w := range want {
			if at := got.Offset - base; strings.Contains(got.Message, w.msg) && at >= 0 && at < len(raw) && strings.HasPrefix(raw[at:], w.at) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("unexpected warning %d %s", got.Offset, got.Message)
		}
	}
	for _, w := range want {
		found := false
		for _, got := range f.Warnings {
			if got.Provider == "trully" && strings.Contains(got.Message, w.msg) {
				found = true
				if at := got.Offset - base; at < 0 || at >= len(raw) || !strings.HasPrefix(raw[at:], w.at) {
					t.Errorf("warning %q at %d, want it at %q", got.Message, got.Offset, w.at)
				}
				break
			}
		}
		if !found {
			t.Errorf("no warning about %s", w.msg)
		}
	}
	// Every field above is of the wrong type: its fact stays unknown and is
	// marked unreadable, and the rest of the payload is still read.
	bad := []string{"trully.label", "trully.risk", "trully.reasons", "trully.face_match",
		"trully.document.detected", "trully.document.forensics", "trully.document.forensics_valid",
		"trully.document.invalid_fields", "trully.document.fields_valid", "trully.document.valid_thru_year",
		"trully.document.expired", "trully.document_face.match", "trully.document_face.seen_different_companies",
		"trully.document_face.days_since_first_seen", "trully.document_face.multiple_external_ids",
		"trully.selfie.times_seen_last_month", "trully.selfie.first_seen_image",
		"trully.curp.age", "trully.curp.deceased", "trully.curp.error", "trully.curp.found"}
	normtest.Some(t, f, nil, append(append(bad, docFaceFacts...), selfieFacts...))
	for _, n := range bad {
		if v, _ := f.Lookup(n); v.E != engine.Unreadable {
			t.Errorf("%s: evidence %v, want unreadable", n, v.E)
		}
	}
	if f.CaseID != "" || len(f.Identities) != 0 {
		t.Errorf("case id %q, identities %+v", f.CaseID, f.Identities)
	}
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		raw         string
		label, risk string
		warn        bool
	}{
		{`"No Threat"`, "No Threat", "low", false},
		{`" no threat "`, "No Threat", "low", false},
		{`"REVIEW"`, "Review", "review", false},
		{`"Potential Threat"`, "Potential Threat", "high", false},
		{`"Threat"`, "", "", true},
		{`null`, "", "", false},
		{`""`, "", "", true},
		{`"No  Threat"`, "", "", true},
	} {
		f, err := run(t, normalizers.Payload{Raw: []byte(`{"label":` + tc.raw + `,"request_id":"r"}`)})
		if err != nil {
			t.Fatal(err)
		}
		label, _ := f.Lookup("trully.label")
		risk, _ := f.Lookup("trully.risk")
		if label.S != tc.label || risk.S != tc.risk || label.Known() != (tc.label != "") || risk.Known() != (tc.risk != "") {
			t.Errorf("label %s: got %v / %v, want %q / %q", tc.raw, label, risk, tc.label, tc.risk)
		}
		if (len(f.Warnings) > 0) != tc.warn {
			t.Errorf("label %s: warnings %+v", tc.raw, f.Warnings)
		}
		if want := map[bool]engine.Evidence{true: engine.Unreadable, false: engine.Clean}[tc.warn]; label.E != want || risk.E != want {
			t.Errorf("label %s: evidence %v / %v, want %v", tc.raw, label.E, risk.E, want)
		}
	}
}

func TestForensics(t *testing.T) {
	for _, tc := range []struct {
		raw      string
		word     any // trully.document.forensics; nil: unknown
		valid    any // trully.document.forensics_valid; nil: unknown
		evidence engine.Evidence
	}{
		{`"valid"`, "valid", true, engine.Clean},
		{`" Valid "`, "valid", true, engine.Clean},
		{`"invalid"`, "invalid", false, engine.Clean},
		{`"INCONCLUSIVE"`, "inconclusive", nil, engine.Clean},
		{`true`, "valid", true, engine.Clean},
		{`false`, "invalid", false, engine.Clean},
		{`1`, "valid", true, engine.Clean},
		{`0`, "invalid", false, engine.Clean},
		{`null`, nil, nil, engine.Clean},
		{`"fraud"`, nil, nil, engine.Unreadable},
		{`"unknown"`, nil, nil, engine.Unreadable},
		{`""`, nil, nil, engine.Unreadable},
		{`2`, nil, nil, engine.Unreadable},
		{`{"result":"valid"}`, nil, nil, engine.Unreadable},
	} {
		f, err := run(t, normalizers.Payload{Raw: []byte(`{"document":{"details":{"forensics":{"is_valid":` + tc.raw + `}}},"label":"Review"}`)})
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]any{"trully.document.forensics": tc.word, "trully.document.forensics_valid": tc.valid} {
			v, _ := f.Lookup(name)
			if want == nil && v.Known() || want != nil && !normtest.Equal(v, want) {
				t.Errorf("is_valid %s: %s = %v, want %v", tc.raw, name, v, want)
			}
			if v.E != tc.evidence {
				t.Errorf("is_valid %s: %s evidence %v, want %v", tc.raw, name, v.E, tc.evidence)
			}
		}
	}
}

func TestExternalIDWarnings(t *testing.T) {
	for raw, want := range map[string]any{
		`{}`: false, `{"other":"x"}`: false, `{"external_id":"seen with another external_id"}`: true,
		`{"external_id":["ext-1","ext-2"]}`: true, `{"external_id":[ ]}`: false, `{"external_id":true}`: true,
		`{"external_id":""}`: false, `{"external_id":null}`: false, `{"external_id":false}`: false, `null`: nil,
	} {
		f, err := run(t, normalizers.Payload{Raw: []byte(`{"selfie":{"warnings":` + raw + `},"label":"Review"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			normtest.Some(t, f, nil, []string{"trully.selfie.multiple_external_ids"})
		} else {
			normtest.Some(t, f, map[string]any{"trully.selfie.multiple_external_ids": want}, nil)
		}
	}
	f, _ := run(t, normalizers.Payload{Raw: []byte(`{"selfie":{"match":true},"label":"Review"}`)})
	normtest.Some(t, f, nil, []string{"trully.selfie.multiple_external_ids"}) // missing warnings: unknown
}

func TestCurpFound(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want any
	}{
		{`{"government_valid":true}`, true},
		{`{"government_valid":false}`, true},
		{`{"government_valid":false,"error":"CURP no encontrada"}`, false},
		{`{"error":"La CURP no existe en RENAPO"}`, false},
		{`{"government_valid":null,"error":"CURP not found"}`, false},
		{`{"government_valid":false,"error":"Servicio de RENAPO no disponible"}`, nil},
		{`{"government_valid":null}`, nil},
		{`{"deceased":false}`, nil},
	} {
		f, err := run(t, normalizers.Payload{Raw: []byte(`{"curp":` + tc.raw + `,"label":"Review"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if tc.want == nil {
			normtest.Some(t, f, nil, []string{"trully.curp.found"})
		} else {
			normtest.Some(t, f, map[string]any{"trully.curp.found": tc.want}, nil)
		}
	}
}

// The INE vigencia runs through December 31 of its year, Mexico City time.
func TestExpiryBoundary(t *testing.T) {
	raw := []byte(`{"document":{"front":{"information":{"valid_thru":{"text":"2025","valid":true}}}},"label":"Review"}`)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2025, 12, 31, 23, 59, 0, 0, time.FixedZone("CST", -6*3600)), false},
		{time.Date(2026, 1, 1, 5, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC), true},
		{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		f := newFacts(t)
		f.AsOf = tc.at
		if err := (trully.Provider{}).Normalize([]normalizers.Payload{{Raw: raw}}, f.Sink("trully")); err != nil {
			t.Fatal(err)
		}
		normtest.Some(t, f, map[string]any{"trully.document.expired": tc.want, "trully.document.valid_thru_year": 2025.0}, nil)
	}
}

func TestEmptyTexts(t *testing.T) {
	f, err := run(t, normalizers.Payload{Raw: []byte(`{"label":"Review","document":{"front":{"information":{
		"valid_thru":{"text":"","valid":false},"birthdate":{"text":" ","valid":true},"curp":{"text":null,"valid":true}}}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Identities) > 0 {
		t.Errorf("identities %+v", f.Identities)
	}
	normtest.Some(t, f, map[string]any{"trully.document.invalid_fields": []string{"valid_thru"}, "trully.document.fields_valid": false},
		[]string{"trully.document.valid_thru_year", "trully.document.expired"})
	// A blank vigencia was sent but says nothing: unreadable, not "not
	// reported". Blank identity fields only make no identity.
	for _, n := range []string{"trully.document.valid_thru_year", "trully.document.expired"} {
		if v, _ := f.Lookup(n); v.E != engine.Unreadable {
			t.Errorf("%s: evidence %v, want unreadable", n, v.E)
		}
	}
	if len(f.Warnings) != 1 {
		t.Errorf("warnings %+v, want one for the vigencia field", f.Warnings)
	}
}

func TestNoAsOf(t *testing.T) {
	f := newFacts(t)
	f.AsOf = time.Time{}
	if err := (trully.Provider{}).Normalize([]normalizers.Payload{{Raw: fixture(t, "identity_response")}}, f.Sink("trully")); err != nil {
		t.Fatal(err)
	}
	normtest.Some(t, f, map[string]any{"trully.document.valid_thru_year": 2033.0},
		[]string{"trully.document.expired", "trully.document_face.days_since_first_seen", "trully.selfie.days_since_first_seen"})
}

func shape(t testing.TB, raw string) normalizers.Shape {
	t.Helper()
	s := normalizers.Shape{Keys: map[string]string{}}
	gjson.Parse(raw).ForEach(func(k, v gjson.Result) bool {
		s.Keys[k.Str] = v.Raw
		return true
	})
	return s
}

func TestDetect(t *testing.T) {
	for _, p := range fixtures.Glob("trully/*.json") {
		b, _ := fixtures.Read(p)
		if !(trully.Provider{}).Detect(shape(t, string(b))) {
			t.Errorf("%s not detected", p)
		}
	}
	for _, raw := range []string{
		`{"status":"success","verification":{"id":"f04bdb47","status":"approved","document":{"number":"X"}}}`,
		`{"status":"fail","code":1102,"message":"Mandatory parameters are missing from the request."}`,
		`{"active":true,"documentState":"...."}`,
		`{"ticket":{"id":"t1","curp":"X"},"event":"ticket.verification.completed"}`,
		`{"eventId":"e1","organization":"o","service":"RENAPO","state":{"foundInService":true,"mustBeFound":true},"document":{}}`,
		`{"label":"Review"}`,
		`{"document":{}}`,
		`{}`,
	} {
		if (trully.Provider{}).Detect(shape(t, raw)) {
			t.Errorf("detected %s", raw)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, p := range fixtures.Glob("trully/*.json") {
		b, _ := fixtures.Read(p)
		f.Add(b)
	}
	for _, name := range []string{"testdata/seed_trailing_comma.json", "testdata/not_object.json"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"label":null,"reason":"x","document":{"front":{"information":{"valid_thru":{"text":9999}}}}}`))
	normtest.Fuzz(f, trully.Provider{}, asOf)
}

func BenchmarkNormalize(b *testing.B) {
	for _, p := range fixtures.Glob("trully/*.json") {
		raw, _ := fixtures.Read(p)
		b.Run(fixtures.Name(p), func(b *testing.B) {
			f := newFacts(b)
			in := []normalizers.Payload{{Raw: raw}}
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				f.Reset()
				f.AsOf = asOf
				if err := (trully.Provider{}).Normalize(in, f.Sink("trully")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A vigencia is read from 1990 to 2100 inclusive, as a bare year, as a
// year among years, or as a date; a year outside is unreadable, and a
// response that is not an object is an error at its first byte.
func TestVigenciaYears(t *testing.T) {
	for _, tc := range []struct {
		text string
		year float64 // 0: unreadable
	}{
		{"1990", 1990}, {"2100", 2100}, {"1989", 0}, {"2101", 0}, {"2029", 2029}, {"1999", 1999},
		{"VIGENCIA 1990 - 2100", 2100}, {"2023 2101", 2023}, {"1989 1990", 1990},
		{"31/12/1990", 1990}, {"01/01/2100", 2100}, {"31/12/1989", 0}, {"01/01/2101", 0},
	} {
		raw := []byte(`{"document":{"front":{"information":{"valid_thru":{"text":"` + tc.text + `","valid":true}}}},"label":"Review"}`)
		f, err := run(t, normalizers.Payload{Raw: raw})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.Lookup("trully.document.valid_thru_year")
		if tc.year == 0 {
			if v.Known() || v.E != engine.Unreadable {
				t.Errorf("vigencia %q: year %v (%v), want unreadable", tc.text, v, v.E)
			}
		} else if !v.Equal(engine.NumberValue(tc.year)) {
			t.Errorf("vigencia %q: year %v, want %v", tc.text, v, tc.year)
		}
	}
	_, err := run(t, normalizers.Payload{Raw: []byte("\n\t[1]"), Offset: 10})
	var e *normalizers.Error
	if !errors.As(err, &e) || e.Offset != 12 {
		t.Errorf("a response that is an array after space: %v, want an error at byte 12", err)
	}
}
