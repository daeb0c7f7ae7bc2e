package veriff_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/veriff"
)

var asOf = time.Date(2026, 3, 1, 15, 4, 5, 0, time.UTC)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := fixtures.Read("veriff/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// allFixtures returns every Veriff fixture by name.
func allFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range fixtures.Glob("veriff/*.json") {
		raw, err := fixtures.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		out[fixtures.Name(p)] = raw
	}
	if len(out) < 30 {
		t.Fatalf("only %d Veriff fixtures", len(out))
	}
	return out
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func newFacts(t testing.TB) *engine.Facts {
	t.Helper()
	cat, err := engine.NewCatalog(veriff.Provider{}.Facts())
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(cat)
	f.AsOf = asOf
	return f
}

func run(t testing.TB, raws ...[]byte) (*engine.Facts, error) {
	t.Helper()
	f := newFacts(t)
	in := make([]normalizers.Payload, len(raws))
	for i, r := range raws {
		in[i] = normalizers.Payload{Raw: r}
	}
	err := veriff.Provider{}.Normalize(in, f.Sink("veriff"))
	return f, err
}

type want = map[string]any

// decision facts of a plain approved 9001 session.
func approved(extra want) want {
	w := want{
		"veriff.decision_available": true,
		"veriff.api_error":          false,
		"veriff.status":             "approved",
		"veriff.code":               9001,
		"veriff.code_status":        "approved",
		"veriff.code_consistent":    true,
	}
	for k, v := range extra {
		w[k] = v
	}
	return w
}

var noReason = []string{"veriff.reason_code", "veriff.reason", "veriff.reason_group", "veriff.reason_category", "veriff.api_error_code"}

var sarah = engine.Identity{Source: "veriff", Name: "SARAH MORGAN", DOB: "1967-03-30"}

type tcase struct {
	name    string
	want    want
	unknown []string
	caseID  string
	event   string // RFC 3339; "" for the seed examples' time, "-" for none
	ids     []engine.Identity
	warns   int
}

var cases = []tcase{
	{
		name: "mx_ine_db_verification",
		want: approved(want{
			"veriff.ine.full_name_match":  "MATCH",
			"veriff.ine.dob_match":        "MATCH",
			"veriff.ine.gender_match":     "NO_INPUT",
			"veriff.ine.processed":        true,
			"veriff.ine.card_valid":       true,
			"veriff.ine.valid_for_voting": true,
			"veriff.ine.valid_until":      "2028-12-31",
			"veriff.ine.expired":          false,
		}),
		unknown: append([]string{"veriff.document.type", "veriff.document.expired", "veriff.person.age",
			"veriff.curp.valid", "veriff.curp.full_name_match", "veriff.person.pep_sanction_match"}, noReason...),
		caseID: "1234567890",
		event:  "2024-01-01T00:07:45Z",
	},
	{
		name: "idv_doc_selfie",
		want: approved(want{
			"veriff.person.gender":           "F",
			"veriff.person.nationality":      "US",
			"veriff.person.age":              58,
			"veriff.document.type":           "DRIVERS_LICENSE",
			"veriff.document.country":        "US",
			"veriff.document.state":          "NY",
			"veriff.document.valid_until":    "2028-04-20",
			"veriff.document.expired":        false,
			"veriff.document.days_to_expiry": 781,
		}),
		unknown: append([]string{"veriff.person.pep_sanction_match", "veriff.risk_score", "veriff.risk_labels",
			"veriff.bioauth.matched", "veriff.estimated_age", "veriff.selfie_match"}, noReason...),
		caseID: "1234567890",
		event:  "2024-01-01T00:07:45Z",
		ids:    []engine.Identity{sarah},
	},
	{
		name:    "age_estimation",
		want:    approved(want{"veriff.estimated_age": 28, "veriff.estimated_gender": 0.9}),
		unknown: []string{"veriff.person.gender", "veriff.person.age", "veriff.document.type", "veriff.selfie_match"},
		caseID:  "1234567890",
		event:   "2024-01-01T00:07:45Z",
	},
	{
		name:    "bioauth",
		want:    approved(want{"veriff.bioauth.matched": true, "veriff.document.type": "DRIVERS_LICENSE"}),
		unknown: []string{"veriff.estimated_age", "veriff.risk_labels"},
		caseID:  "1234567890",
		event:   "2024-01-01T00:07:45Z",
		ids:     []engine.Identity{sarah},
	},
	{
		name: "biometric_db_verification",
		want: approved(want{
			"veriff.br_biometric.first_name_match": true,
			"veriff.br_biometric.last_name_match":  true,
			"veriff.br_biometric.dob_match":        true,
			"veriff.br_biometric.face_match":       true,
			"veriff.person.age":                    36,
		}),
		unknown: []string{"veriff.cpf.status", "veriff.document.type"},
		caseID:  "1234567890",
		event:   "2024-01-01T00:07:45Z",
		ids:     []engine.Identity{{Source: "veriff", Name: "JOÃO SILVA", DOB: "1990-01-15"}},
	},
	{
		name: "biometric_liveness",
		want: approved(want{
			"veriff.risk_labels":           []string{},
			"veriff.risk_label_categories": []string{},
			"veriff.risk_linked_sessions":  0,
		}),
		unknown: []string{"veriff.risk_score", "veriff.bioauth.matched"},
		caseID:  "1234567890",
	},
	{
		name: "br_cadastro_db_verification",
		want: approved(want{
			"veriff.cadastro.processed":       true,
			"veriff.cadastro.user_data_valid": true,
			"veriff.cadastro.benefits":        []string{"bcp", "seguro_defeso", "auxilio_emergencial"},
			"veriff.cadastro.is_beneficiary":  true,
			"veriff.document.type":            "ID_CARD",
			"veriff.document.country":         "BR",
			"veriff.document.state":           "DF",
		}),
		unknown: []string{"veriff.document.expired", "veriff.person.pep_sanction_match", "veriff.probet.processed"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "MARIA SILVA SANTOS", DOB: "1990-01-15"}},
	},
	{
		name: "br_cpf_validation",
		want: approved(want{
			"veriff.cpf.status":    "CPF is validated",
			"veriff.cpf.validated": true,
			"veriff.cpf.deceased":  false,
		}),
		unknown: []string{"veriff.cadastro.processed"},
		caseID:  "1234567890",
		ids: []engine.Identity{
			{Source: "veriff", Name: "JOÃO SILVA", DOB: "1990-01-15"},
			{Source: "veriff.cpf_registry", Name: "JOÃO SILVA", DOB: "1990-01-15"},
		},
	},
	{
		name: "br_probet_db_verification",
		want: approved(want{
			"veriff.probet.processed":       true,
			"veriff.probet.user_data_valid": true,
			"veriff.probet.on_pia":          true,
			"veriff.probet.on_probet":       true,
			"veriff.probet.allowed_to_bet":  false,
			"veriff.probet.is_pep":          true,
			"veriff.probet.is_artist":       true,
			"veriff.probet.is_influencer":   true,
		}),
		unknown: []string{"veriff.cadastro.is_beneficiary"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "MARIA SILVA SANTOS", DOB: "1990-01-15"}},
	},
	{
		name: "mx_curp_db_verification",
		want: approved(want{
			"veriff.curp.full_name_match": "MATCH",
			"veriff.curp.dob_match":       "MATCH",
			"veriff.curp.gender_match":    "NO_INPUT",
			"veriff.curp.processed":       true,
			"veriff.curp.valid":           true,
			"veriff.curp.registry_status": "RNC",
			"veriff.curp.deceased":        false,
		}),
		// curpHasRiskFactors is not_applicable: unknown, not false.
		unknown: []string{"veriff.curp.no_risk_factors", "veriff.ine.processed"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff.curp_registry", CURP: "VISH560427MSRLNL06", DOB: "1956-04-27", Name: "GLORIA VILLA SANCHES"}},
	},
	{
		name: "mx_ine_biometric",
		want: approved(want{
			"veriff.ine_biometric.face_match":      true,
			"veriff.ine_biometric.face_match_pct":  89,
			"veriff.ine_biometric.response_status": "success",
			"veriff.document.type":                 "DRIVERS_LICENSE",
		}),
		unknown: []string{"veriff.ine.card_valid", "veriff.document.expired"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "SARAH MORGAN"}},
	},
	{
		name: "poa_address_matching",
		want: approved(want{
			"veriff.poa.document_type":           "UTILITY_BILL",
			"veriff.poa.days_since_issue":        181,
			"veriff.poa.address_match":           true,
			"veriff.poa.address_match_pct":       90,
			"veriff.poa.address_match_threshold": 80,
		}),
		unknown: []string{"veriff.poa.name_match", "veriff.poa.name_match_pct", "veriff.poa.fraud_risk_level", "veriff.poa.address_type"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "SARAH MORGAN"}},
	},
	{
		name: "poa_address_validation",
		want: approved(want{
			"veriff.poa.document_type": "ELECTRICITY_BILL",
			"veriff.poa.address_type":  "residential",
		}),
		// countryExists was skipped.
		unknown: []string{"veriff.poa.country_exists", "veriff.poa.name_match", "veriff.poa.days_since_issue", "veriff.poa.address_match"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "SARAH MORGAN"}},
	},
	{
		name: "poa_basic",
		want: approved(want{
			"veriff.poa.name_match":     true,
			"veriff.poa.name_match_pct": 89,
			"veriff.poa.document_type":  "UTILITY_BILL",
		}),
		unknown: []string{"veriff.poa.fraud_risk_level", "veriff.poa.fraud_indicators"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "SARAH MORGAN"}},
	},
	{
		name: "poa_with_fraud",
		want: approved(want{
			"veriff.poa.name_match":       true,
			"veriff.poa.fraud_risk_level": "HIGH_RISK",
			"veriff.poa.fraud_reason":     "PDF_PROCESSED_BY_EDITOR",
			"veriff.poa.fraud_indicators": []string{},
		}),
		caseID: "1234567890",
		ids:    []engine.Identity{{Source: "veriff", Name: "SARAH MORGAN"}},
	},
	{
		name:    "selfie2selfie_biometric",
		want:    approved(want{"veriff.selfie_match": "strong_match"}),
		unknown: []string{"veriff.ine_biometric.face_match"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "SARAH MORGAN"}},
	},
	{
		name: "session_abandoned_generic",
		want: want{
			"veriff.decision_available": true,
			"veriff.status":             "abandoned",
			"veriff.code":               9121,
			"veriff.code_status":        "abandoned",
			"veriff.code_consistent":    true,
		},
		unknown: noReason,
		event:   "-",
		caseID:  "12df6045-3846-3e45-946a-14fa6136d78b", // no vendorData nor endUserId
	},
	{
		name: "session_declined_generic",
		want: want{
			"veriff.status":          "declined",
			"veriff.code":            9102,
			"veriff.code_status":     "declined",
			"veriff.code_consistent": true,
			"veriff.reason_code":     102,
			"veriff.reason":          "Document expired", // as reported...
			"veriff.reason_group":    "decline",
			"veriff.reason_category": "document_tampering", // ...but the code wins
		},
		unknown: []string{"veriff.document.expired"},
		caseID:  "12df6045-3846-3e45-946a-14fa6136d78b",
		event:   "2024-01-01T00:06:15Z",
	},
	{
		name: "session_expired_generic",
		want: want{
			"veriff.status":          "expired",
			"veriff.code":            9104,
			"veriff.code_status":     "expired",
			"veriff.code_consistent": true,
		},
		unknown: noReason,
		caseID:  "12df6045-3846-3e45-946a-14fa6136d78b",
		event:   "2024-01-08T00:00:00Z",
	},
	{
		name: "session_resubmission_generic",
		want: want{
			"veriff.status":          "resubmission_requested",
			"veriff.code":            9103,
			"veriff.code_status":     "resubmission_requested",
			"veriff.code_consistent": true,
			"veriff.reason_code":     201,
			"veriff.reason":          "Document image unclear",
			"veriff.reason_group":    "resubmission",
			"veriff.reason_category": "missing_media",
		},
		caseID: "12df6045-3846-3e45-946a-14fa6136d78b",
		event:  "2024-01-01T00:06:15Z",
	},
	{
		name: "us_database",
		want: approved(want{
			"veriff.db.first_name_match": "MATCH",
			"veriff.db.last_name_match":  "MATCH",
			"veriff.db.dob_match":        "NO_INPUT",
			"veriff.db.address_match":    "PARTIAL_MATCH",
			"veriff.db.city_match":       "MATCH",
			"veriff.db.state_match":      "MATCH",
			"veriff.db.zip_match":        "MATCH",
			"veriff.db.id_number_match":  "NO_DATA",
			"veriff.db.registries":       []string{"USA - Credit + US Identity Graph (US15)"},
			"veriff.document.state":      "NY",
		}),
		unknown: []string{"veriff.db.phone_match", "veriff.document.type"},
		caseID:  "1234567890",
		ids:     []engine.Identity{{Source: "veriff", Name: "SARAH MORGAN"}},
	},

	// Variants.
	{
		name: "api_error",
		want: want{
			"veriff.api_error":          true,
			"veriff.api_error_code":     "1101",
			"veriff.decision_available": false,
		},
		unknown: []string{"veriff.status", "veriff.code", "veriff.code_status", "veriff.code_consistent"},
		event:   "-",
	},
	{
		name: "pending_decision",
		want: want{
			"veriff.decision_available": false,
			"veriff.api_error":          false,
		},
		unknown: []string{"veriff.status", "veriff.code", "veriff.code_consistent", "veriff.api_error_code", "veriff.reason_code"},
		event:   "-",
	},
	{
		name: "declined_pep",
		want: want{
			"veriff.status":                    "declined",
			"veriff.code_consistent":           true,
			"veriff.reason_code":               126,
			"veriff.reason":                    "Potential PEP match",
			"veriff.reason_group":              "decline",
			"veriff.reason_category":           "pep",
			"veriff.person.pep_sanction_match": true, // "possible match"
			"veriff.person.age":                55,
			"veriff.person.gender":             "M",
			"veriff.person.nationality":        "MX",
			"veriff.document.type":             "PASSPORT",
			"veriff.document.expired":          false,
			"veriff.document.days_to_expiry":   1798,
		},
		caseID: "cust-48213",
		event:  "2025-03-10T14:22:31.123456Z",
		ids:    []engine.Identity{{Source: "veriff", Name: "ROBERTO MENDOZA RUIZ", DOB: "1970-08-12", CURP: "MERR700812HDFNZB09"}},
	},
	{
		name: "declined_underage",
		want: want{
			"veriff.status":                  "declined",
			"veriff.reason_code":             531,
			"veriff.reason_group":            "decline",
			"veriff.reason_category":         "underage",
			"veriff.person.age":              13,
			"veriff.document.expired":        true,
			"veriff.document.days_to_expiry": -425,
			"veriff.document.valid_until":    "2024-12-31",
		},
		caseID: "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f", // endUserId, vendorData is null
		event:  "2025-06-02T09:15:00Z",
		ids:    []engine.Identity{{Source: "veriff", Name: "LUCIA HERRERA", DOB: "2012-05-01"}},
	},
	{
		name: "ine_no_match",
		want: want{
			"veriff.status":               "declined",
			"veriff.reason_category":      "registry_check",
			"veriff.ine.full_name_match":  "NO_MATCH",
			"veriff.ine.dob_match":        "NO_MATCH",
			"veriff.ine.gender_match":     "MATCH",
			"veriff.ine.processed":        true,
			"veriff.ine.card_valid":       false,
			"veriff.ine.valid_for_voting": false,
			"veriff.ine.valid_until":      "2023-12-31",
			"veriff.ine.expired":          true,
		},
		caseID: "mx-77120",
		event:  "2025-01-20T18:03:11.5Z",
	},
	{
		name: "risk_labels",
		want: approved(want{
			"veriff.risk_score":            0.87,
			"veriff.risk_labels":           []string{"session_face_crosslinked_with_multiple_sessions", "device_emulator_detected", "document_number_crosslinked"},
			"veriff.risk_label_categories": []string{"crosslinks", "device"},
			"veriff.risk_linked_sessions":  3,
		}),
		caseID: "1234567890",
		event:  "2025-02-11T10:00:00Z",
		ids:    []engine.Identity{sarah},
	},
	{
		name: "adv_array_multi",
		want: approved(want{
			"veriff.estimated_age":                 31,
			"veriff.estimated_gender":              0.12,
			"veriff.ine_biometric.face_match":      false,
			"veriff.ine_biometric.face_match_pct":  62,
			"veriff.ine_biometric.response_status": "success",
			// One registry's NO_MATCH wins over another's (PARTIAL_)MATCH,
			// conflicting (see TestEvidence).
			"veriff.db.first_name_match":              "NO_MATCH",
			"veriff.db.last_name_match":               "NO_MATCH",
			"veriff.db.dob_match":                     "NO_DATA",
			"veriff.db.address_match":                 "NO_MATCH",
			"veriff.db.city_match":                    "NO_MATCH",
			"veriff.db.state_match":                   "MATCH",
			"veriff.db.zip_match":                     "NO_INPUT",
			"veriff.db.id_number_match":               "NO_DATA",
			"veriff.db.phone_match":                   "INVALID",
			"veriff.db.registries":                    []string{"USA - Credit (US01)", "USA - Identity Graph (US15)"},
			"veriff.co_registry.document_valid":       true,
			"veriff.co_registry.person_alive":         true,
			"veriff.co_registry.full_name_similarity": 80,
			"veriff.co_registry.registry_name":        "resigo",
			"veriff.co_registry.country":              "CO",
			"veriff.selfie_match":                     "possible_match",
			"veriff.poa.name_match":                   false,
			"veriff.poa.name_match_pct":               41.5,
			"veriff.poa.document_type":                "BANK_STATEMENT",
			"veriff.poa.days_since_issue":             410,
			"veriff.poa.fraud_risk_level":             "LOW_RISK",
			"veriff.poa.fraud_indicators":             []string{},
			"veriff.poa.address_match":                false,
			"veriff.poa.address_match_pct":            55,
			"veriff.poa.address_match_threshold":      80,
			"veriff.document.expired":                 true,
			"veriff.document.days_to_expiry":          -609,
		}),
		unknown: []string{"veriff.poa.fraud_reason", "veriff.poa.country_exists"},
		caseID:  "multi-001",
		event:   "2025-04-01T10:30:00.25Z",
		ids:     []engine.Identity{sarah},
	},
	{
		name: "review_9121",
		want: want{
			"veriff.status":          "review",
			"veriff.code":            9121,
			"veriff.code_status":     "abandoned",
			"veriff.code_consistent": true,
		},
		unknown: noReason,
		event:   "2025-05-05T08:00:00Z",
		caseID:  "1234567890",
		ids:     []engine.Identity{sarah},
	},
	{
		name: "status_code_mismatch",
		want: want{
			"veriff.status":          "approved",
			"veriff.code":            9102,
			"veriff.code_status":     "declined",
			"veriff.code_consistent": false,
		},
		event:  "2025-05-06T08:00:00Z",
		caseID: "1234567890",
		ids:    []engine.Identity{sarah},
	},
	{
		name:   "string_code",
		want:   approved(nil),
		caseID: "1234567890",
		event:  "2024-01-08T00:00:00Z",
		ids:    []engine.Identity{sarah},
	},
	{
		name: "mx_curp_deceased",
		want: want{
			"veriff.reason_code":          123,
			"veriff.reason_category":      "registry_check",
			"veriff.curp.processed":       true,
			"veriff.curp.valid":           true,
			"veriff.curp.no_risk_factors": false,
			"veriff.curp.registry_status": "BD",
			"veriff.curp.deceased":        true,
			"veriff.curp.gender_match":    "MATCH",
		},
		event:  "2025-07-01T00:00:00Z",
		caseID: "12df6045-3846-3e45-946a-14fa6136d78b",
		ids:    []engine.Identity{{Source: "veriff.curp_registry", CURP: "VISH560427MSRLNL06", DOB: "1956-04-27", Name: "GLORIA VILLA SANCHES"}},
	},
	{
		name: "br_cpf_deceased",
		want: want{
			"veriff.cpf.status":    "CPF holder is deceased",
			"veriff.cpf.validated": false,
			"veriff.cpf.deceased":  true,
		},
		event:  "2025-07-02T00:00:00Z",
		caseID: "1234567890",
		ids: []engine.Identity{
			{Source: "veriff", Name: "JOÃO SILVA", DOB: "1990-01-15"},
			{Source: "veriff.cpf_registry", Name: "JOÃO SILVA", DOB: "1990-01-15"},
		},
	},
	{
		name: "co_registry_year_only",
		want: approved(want{
			"veriff.person.age":                       24, // born 2001: at least 24 on 2026-03-01
			"veriff.document.type":                    "ID_CARD",
			"veriff.document.country":                 "CO",
			"veriff.co_registry.document_valid":       false,
			"veriff.co_registry.full_name_similarity": 64.5,
		}),
		unknown: []string{"veriff.co_registry.person_alive", "veriff.document.expired", "veriff.document.valid_until"},
		event:   "2025-08-01T00:00:00Z",
		caseID:  "12df6045-3846-3e45-946a-14fa6136d78b", // vendorData "" and endUserId null
	},

	// Not decided yet: no decision fact (see TestNotDecided).
	{
		name:    "session_created",
		want:    want{"veriff.decision_available": false, "veriff.api_error": false},
		unknown: []string{"veriff.status", "veriff.code", "veriff.code_status"},
		event:   "-",
		caseID:  "1234567890",
		warns:   1,
	},
	{
		name:    "session_created_legacy",
		want:    want{"veriff.decision_available": false, "veriff.api_error": false},
		unknown: []string{"veriff.status", "veriff.code"},
		event:   "-",
		caseID:  "f04bdb47-d3be-4b28-b028-a652feb060b5",
		warns:   1,
	},
	{
		name:    "event_started",
		want:    want{"veriff.decision_available": false, "veriff.api_error": false},
		unknown: []string{"veriff.status", "veriff.code"},
		event:   "-",
		warns:   1,
	},
	{
		name:    "event_submitted",
		want:    want{"veriff.decision_available": false, "veriff.api_error": false},
		unknown: []string{"veriff.status", "veriff.code"},
		event:   "-",
		warns:   1,
	},
}

func check(t *testing.T, f *engine.Facts, w want, unknown []string) {
	t.Helper()
	for name, exp := range w {
		got, ok := f.Lookup(name)
		if !ok {
			t.Errorf("%s: no such fact", name)
			continue
		}
		if !same(got, exp) {
			t.Errorf("%s = %v (%s), want %v", name, got, got.Kind, exp)
		}
	}
	for _, name := range unknown {
		got, ok := f.Lookup(name)
		if !ok {
			t.Errorf("%s: no such fact", name)
		} else if got.Known() {
			t.Errorf("%s = %v, want unknown", name, got)
		}
	}
}

func same(v engine.Value, exp any) bool {
	switch e := exp.(type) {
	case bool:
		return v.Kind == engine.Bool && v.B == e
	case int:
		return v.Kind == engine.Number && v.N == float64(e)
	case float64:
		return v.Kind == engine.Number && v.N == e
	case string:
		return v.Kind == engine.String && v.S == e
	case []string:
		return v.Kind == engine.List && v.L != nil && slices.Equal(v.L, e)
	}
	return false
}

func TestNormalize(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := run(t, fixture(t, tc.name))
			if err != nil {
				t.Fatal(err)
			}
			check(t, f, tc.want, tc.unknown)
			if f.CaseID != tc.caseID {
				t.Errorf("case id %q, want %q", f.CaseID, tc.caseID)
			}
			var ev time.Time
			switch tc.event {
			case "": // the seed examples' decision time
				ev = time.Date(2024, 1, 1, 0, 7, 45, 0, time.UTC)
			case "-":
			default:
				ev, _ = time.Parse(time.RFC3339Nano, tc.event)
			}
			if !f.EventTime.Equal(ev) {
				t.Errorf("event time %v, want %v", f.EventTime, ev)
			}
			if !reflect.DeepEqual(f.Identities, tc.ids) && (len(f.Identities) > 0 || len(tc.ids) > 0) {
				t.Errorf("identities %+v, want %+v", f.Identities, tc.ids)
			}
			if len(f.Warnings) != tc.warns {
				t.Errorf("warnings %+v, want %d", f.Warnings, tc.warns)
			}
			// Personal data never becomes a fact.
			for name, v := range f.Known() {
				for _, id := range f.Identities {
					for _, pd := range []string{id.Name, id.CURP, id.DOB} {
						if pd != "" && strings.Contains(v.String(), pd) {
							t.Errorf("%s = %v carries personal data", name, v)
						}
					}
				}
			}
		})
	}
}

// Every fixture has a table case, so a new fixture cannot go untested.
func TestEveryFixtureHasACase(t *testing.T) {
	for name := range allFixtures(t) {
		if !slices.ContainsFunc(cases, func(c tcase) bool { return c.name == name }) {
			t.Errorf("fixture %s has no test case", name)
		}
	}
}

// The benchmark payload W1 is the seed's example byte for byte.
func TestW1IsTheSeedExample(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seeds", "veriff-decision-api.txt"))
	if err != nil {
		t.Skip("seed not available:", err)
	}
	raw := fixture(t, "mx_ine_db_verification")
	body := strings.TrimSuffix(string(raw), "\n")
	if !bytes.Contains(seed, []byte("mx_ine_db_verification\n\nApproved Mexican INE voter registry database verification with data matching results\n\n"+body+"\n")) {
		t.Error("fixtures/veriff/mx_ine_db_verification.json differs from the seed's example")
	}
}

// Enumerated facts only take documented values on the fixtures.
func TestEnumValues(t *testing.T) {
	for name, raw := range allFixtures(t) {
		f, err := run(t, raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, s := range (veriff.Provider{}).Facts() {
			v, _ := f.Lookup(s.Name)
			if s.Values != nil && v.Known() && !slices.Contains(s.Values, v.S) {
				t.Errorf("%s: %s = %q not in %v", name, s.Name, v.S, s.Values)
			}
		}
	}
}

func TestFactsFilled(t *testing.T) {
	specs := veriff.Provider{}.Facts()
	if len(specs) < 90 {
		t.Errorf("only %d facts", len(specs))
	}
	for i, s := range specs {
		if s.Name == "" {
			t.Errorf("fact slot %d is not filled", i)
			continue
		}
		if !strings.HasPrefix(s.Name, "veriff.") || s.Provider != "veriff" || s.Description == "" || s.Kind == engine.Unknown {
			t.Errorf("fact %d %+v is incomplete", i, s)
		}
		if s.Values != nil && s.Kind != engine.String {
			t.Errorf("%s: values on a %s fact", s.Name, s.Kind)
		}
	}
	if _, err := engine.NewCatalog(specs); err != nil {
		t.Fatal(err)
	}
	if (veriff.Provider{}).Name() != "veriff" {
		t.Error("name")
	}
}

func TestSeveralDecisions(t *testing.T) {
	pep := fixture(t, "declined_pep")                    // decided 2025-03-10
	risk := fixture(t, "risk_labels")                    // decided 2025-02-11
	abandoned := fixture(t, "session_abandoned_generic") // no decision time, accepted 2024-01-01
	pending := fixture(t, "pending_decision")
	apiErr := fixture(t, "api_error")

	for _, order := range [][][]byte{{pep, risk}, {risk, pep}, {pep, abandoned}, {abandoned, pep}, {pending, pep, apiErr}} {
		f, err := run(t, order...)
		if err != nil {
			t.Fatal(err)
		}
		check(t, f, want{"veriff.status": "declined", "veriff.reason_category": "pep"},
			// Nothing of the losing sessions leaks in.
			[]string{"veriff.risk_score", "veriff.risk_labels", "veriff.api_error_code"})
		if f.CaseID != "cust-48213" {
			t.Errorf("case id %q", f.CaseID)
		}
		if len(f.Identities) != 1 {
			t.Errorf("identities %+v", f.Identities)
		}
	}

	// Two decisions at one instant have no order: both are read and the
	// adverse status is kept, conflicting, whatever the order of arrival.
	mismatch := fixture(t, "status_code_mismatch") // 2025-05-06T08:00:00Z
	same := bytes.Replace(fixture(t, "review_9121"), []byte("2025-05-05T08:00:00Z"), []byte("2025-05-06T08:00:00Z"), 1)
	for _, order := range [][][]byte{{mismatch, same}, {same, mismatch}} {
		f, err := run(t, order...)
		if err != nil {
			t.Fatal(err)
		}
		check(t, f, want{"veriff.status": "review"}, nil)
		if v, _ := f.Lookup("veriff.status"); v.E != engine.Conflicting {
			t.Errorf("a tie: status %v is %v, want conflicting", v, v.E)
		}
	}

	// Only "no decision" payloads: the last one wins.
	f, _ := run(t, pending, apiErr)
	check(t, f, want{"veriff.api_error": true}, nil)
	f, _ = run(t, apiErr, pending)
	check(t, f, want{"veriff.api_error": false, "veriff.decision_available": false}, []string{"veriff.api_error_code"})

	// A broken payload anywhere is an error.
	if _, err := run(t, pep, testdata(t, "verification_string")); err == nil {
		t.Error("broken second payload: no error")
	}
	if f, err := run(t); err != nil || len(f.Known()) != 0 {
		t.Errorf("no payloads: %v %v", err, f.Known())
	}
}

// TestUntrustedTimes: a decision time that cannot be parsed, or that lies
// after the evaluation time plus five minutes, orders nothing: a decline
// is never beaten by it. An older decline stays in veriff.prior_declines.
func TestUntrustedTimes(t *testing.T) {
	decline := fixture(t, "declined_pep") // decided 2025-03-10T14:22:31Z, reason 126 (pep)
	at := func(raw []byte, old, at string) []byte { return bytes.Replace(raw, []byte(old), []byte(at), 1) }
	approve := func(when string) []byte {
		return at(fixture(t, "idv_doc_selfie"), `"decisionTime": "2024-01-01T00:07:45Z"`, `"decisionTime": "`+when+`"`)
	}
	limit := asOf.Add(5 * time.Minute)
	for _, tt := range []struct {
		name    string
		approve []byte
		status  string
		merged  bool
	}{
		{"a later trusted approval decides", approve("2025-04-01T00:00:00Z"), "approved", false},
		{"exactly at the skew limit still orders", approve(limit.Format(time.RFC3339)), "approved", false},
		{"one second past the limit does not", approve(limit.Add(time.Second).Format(time.RFC3339)), "declined", true},
		{"a decision in 2099", approve("2099-01-01T00:00:00Z"), "declined", true},
		{"an unparsable decision time", approve("next tuesday"), "declined", true},
	} {
		for _, order := range [][][]byte{{decline, tt.approve}, {tt.approve, decline}} {
			f, err := run(t, order...)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := f.Lookup("veriff.status")
			if st.S != tt.status || (st.E == engine.Conflicting) != tt.merged {
				t.Errorf("%s: status %v (%v), want %s merged %v", tt.name, st, st.E, tt.status, tt.merged)
			}
			prior, _ := f.Lookup("veriff.prior_declines")
			if want := []string{"pep"}; tt.status == "approved" && !slices.Equal(prior.L, want) {
				t.Errorf("%s: prior declines %v, want %v", tt.name, prior, want)
			}
		}
	}
	// One decision: prior declines are unknown; two approvals: none.
	f, _ := run(t, decline)
	if v, _ := f.Lookup("veriff.prior_declines"); v.Known() {
		t.Errorf("a single decision: prior declines %v", v)
	}
	f, _ = run(t, approve("2025-04-01T00:00:00Z"), approve("2025-05-01T00:00:00Z"))
	if v, _ := f.Lookup("veriff.prior_declines"); !v.Known() || len(v.L) != 0 {
		t.Errorf("two approvals: prior declines %v", v)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset int // offset within the payload
		msg    string
	}{
		{"top_array", 0, "JSON object"},
		{"top_string", 0, "JSON object"},
		{"verification_string", strings.Index(`{"status":"success","verification":"approved"}`, `"approved"`), "verification"},
		{"verification_array", strings.Index(`{"status":"success","verification":[]}`, `[]`), "verification"},
		{"no_verification", 0, "verification"},
		{"fail_without_code", 0, "verification"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFacts(t)
			err := veriff.Provider{}.Normalize([]normalizers.Payload{{Raw: testdata(t, tc.name), Offset: 1000}}, f.Sink("veriff"))
			var e *normalizers.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want *normalizers.Error", err)
			}
			if e.Provider != "veriff" || e.Offset != 1000+tc.offset || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error %+v, want offset %d and %q", e, 1000+tc.offset, tc.msg)
			}
		})
	}
	// Leading blanks are counted in the offset.
	f := newFacts(t)
	err := veriff.Provider{}.Normalize([]normalizers.Payload{{Raw: []byte("  \n[1]")}}, f.Sink("veriff"))
	var e *normalizers.Error
	if !errors.As(err, &e) || e.Offset != 3 {
		t.Errorf("error %v, want offset 3", err)
	}
}

func TestWarnings(t *testing.T) {
	raw := testdata(t, "wrong_types")
	const base = 500
	f := newFacts(t)
	if err := (veriff.Provider{}).Normalize([]normalizers.Payload{{Raw: raw, Offset: base}}, f.Sink("veriff")); err != nil {
		t.Fatal(err)
	}
	at := func(s string) int {
		i := bytes.Index(raw, []byte(s))
		if i < 0 {
			t.Fatalf("%s not in payload", s)
		}
		return base + i
	}
	exp := []struct {
		offset int
		field  string
	}{
		{at(`"yesterday"`), "verification.decisionTime"},
		{at(`"abc"`), "verification.reasonCode"},
		{at(`"SARAH MORGAN"`), "verification.person"},
		{at(`20280420`), "verification.document.validUntil"},
		{at(`"old"`), "verification.additionalVerifiedData.estimatedAge"},
		{at(`"yes"`), "ineBiometricValidation.faceMatch"},
		{at(`true}`), "ineBiometricValidation.faceMatchPercentage"},
		{at(`"maybe"`), "ineCardIsValid.result"},
		{at(`"pronto"`), "registryResponse.validity"},
		{at(`"high"`), "verification.riskScore.score"},
	}
	for _, e := range exp {
		if !slices.ContainsFunc(f.Warnings, func(w engine.Warning) bool {
			return w.Offset == e.offset && strings.Contains(w.Message, e.field) && w.Provider == "veriff"
		}) {
			t.Errorf("no warning for %s at %d in %+v", e.field, e.offset, f.Warnings)
		}
	}
	if len(f.Warnings) != len(exp) {
		t.Errorf("%d warnings, want %d: %+v", len(f.Warnings), len(exp), f.Warnings)
	}
	// The facts of the fields in error stay unknown; the others are read.
	check(t, f, want{"veriff.status": "approved", "veriff.code_consistent": true, "veriff.document.type": "PASSPORT"},
		[]string{"veriff.reason_code", "veriff.document.valid_until", "veriff.document.expired", "veriff.estimated_age",
			"veriff.ine_biometric.face_match", "veriff.ine_biometric.face_match_pct", "veriff.ine.card_valid",
			"veriff.ine.valid_until", "veriff.risk_score", "veriff.person.age"})
	if !f.EventTime.IsZero() {
		t.Errorf("event time %v from an unreadable decisionTime", f.EventTime)
	}
}

// Without an evaluation time, time-relative facts stay unknown rather than
// being computed against year 1.
func TestNoAsOf(t *testing.T) {
	f := newFacts(t)
	f.AsOf = time.Time{}
	if err := (veriff.Provider{}).Normalize([]normalizers.Payload{{Raw: fixture(t, "idv_doc_selfie")}}, f.Sink("veriff")); err != nil {
		t.Fatal(err)
	}
	check(t, f, want{"veriff.document.valid_until": "2028-04-20"},
		[]string{"veriff.document.expired", "veriff.document.days_to_expiry", "veriff.person.age"})
}

func shape(t testing.TB, raw []byte) normalizers.Shape {
	t.Helper()
	s := normalizers.Shape{Keys: map[string]string{}}
	gjson.ParseBytes(raw).ForEach(func(k, v gjson.Result) bool {
		s.Keys[k.Str] = v.Raw
		return true
	})
	return s
}

func TestDetect(t *testing.T) {
	for name, raw := range allFixtures(t) {
		if !(veriff.Provider{}).Detect(shape(t, raw)) {
			t.Errorf("%s not detected", name)
		}
	}
	// No other provider's fixture looks like a Veriff decision.
	for _, p := range fixtures.Glob("*/*.json") {
		if strings.HasPrefix(p, "veriff/") || strings.HasPrefix(p, "cases/") {
			continue
		}
		raw, _ := fixtures.Read(p)
		if (veriff.Provider{}).Detect(shape(t, raw)) {
			t.Errorf("%s detected as a Veriff decision", p)
		}
	}
	for _, other := range []string{
		`{"active": false, "documentState": "No se obtuvieron datos"}`,
		`{"label": "No Threat", "face_match": true, "document": {}, "selfie": {}, "curp": {}, "request_id": "x"}`,
		`{"ticket": {"id": 1}, "event": "ticket.verification.completed"}`,
		`{"eventId": "e", "organization": "o", "service": "s", "state": {"foundInService": false, "mustBeFound": false}}`,
		`{"status": "success"}`,
		`{"status": "fail", "message": "no code"}`,
		`{"status": "success", "code": "1101"}`,
		`{"verification": "approved"}`,
		`{"verification": [1]}`,
	} {
		if (veriff.Provider{}).Detect(shape(t, []byte(other))) {
			t.Errorf("detected %s", other)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, raw := range allFixtures(f) {
		f.Add(raw)
	}
	tds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range tds {
		raw, _ := os.ReadFile(p)
		f.Add(raw)
	}
	cat, err := engine.NewCatalog(veriff.Provider{}.Facts())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			t.Skip()
		}
		facts := engine.NewFacts(cat)
		facts.AsOf = asOf
		start := time.Now()
		_ = veriff.Provider{}.Normalize([]normalizers.Payload{{Raw: raw}, {Raw: raw}}, facts.Sink("veriff"))
		if d := time.Since(start); d > time.Second {
			t.Errorf("Normalize took %v", d)
		}
		for _, w := range facts.Warnings {
			if w.Offset < 0 || w.Offset > 2*len(raw) {
				t.Errorf("warning offset %d out of the payload", w.Offset)
			}
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, name := range []string{
		"mx_ine_db_verification", // W1
		"idv_doc_selfie",
		"mx_curp_db_verification",
		"br_cadastro_db_verification",
		"br_probet_db_verification",
		"us_database",
		"adv_array_multi",
		"risk_labels",
	} {
		raw := fixture(b, name)
		b.Run(name, func(b *testing.B) {
			f := newFacts(b)
			sink := f.Sink("veriff")
			in := []normalizers.Payload{{Raw: raw}}
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if err := (veriff.Provider{}).Normalize(in, sink); err != nil {
					b.Fatal(err)
				}
				if len(f.Identities) > 64 {
					f.Identities = f.Identities[:0]
				}
			}
		})
	}
}

// TestReadingBreadth: a session that is not decided yet satisfies no
// decision fact; an undocumented status or an out-of-range risk score is
// unreadable, not absent; the portal's 1-100 risk scale is read.
func TestReadingBreadth(t *testing.T) {
	created := []byte(`{"status":"success","verification":{"id":"f04bdb47-d3be-4b28-b028-a652feb060b5","url":"https://alchemy.veriff.com/v/x","vendorData":"app-1","host":"https://alchemy.veriff.com","status":"created","sessionToken":"t"}}`)
	f, err := run(t, created)
	if err != nil {
		t.Fatal(err)
	}
	check(t, f, want{"veriff.decision_available": false}, []string{"veriff.status"})
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].Message, "created: no decision yet") {
		t.Errorf("warnings %v", f.Warnings)
	}
	base := fixture(t, "risk_labels")
	for _, tt := range []struct {
		name, old, new, fact string
		value                any // nil: unreadable
	}{
		{"undocumented status", `"status": "approved"`, `"status": "kinda"`, "veriff.status", nil},
		{"status of the wrong type", `"status": "approved"`, `"status": 7`, "veriff.status", nil},
		{"portal scale", `"score": 0.87`, `"score": 45`, "veriff.risk_score", 0.45},
		{"exactly 100 on the portal scale", `"score": 0.87`, `"score": 100`, "veriff.risk_score", 1.0},
		{"past 100", `"score": 0.87`, `"score": 100.5`, "veriff.risk_score", nil},
		{"negative", `"score": 0.87`, `"score": -0.1`, "veriff.risk_score", nil},
		{"exactly 1", `"score": 0.87`, `"score": 1`, "veriff.risk_score", 1.0},
		{"an expiry as an ISO date-time is read", `"validUntil": "2028-04-20"`, `"validUntil": "2020-01-01T00:00:00Z"`, "veriff.document.days_to_expiry", -2251.0},
		{"an expiry in words that mean nothing", `"validUntil": "2028-04-20"`, `"validUntil": "pronto"`, "veriff.document.expired", nil},
	} {
		raw := bytes.Replace(base, []byte(tt.old), []byte(tt.new), 1)
		if bytes.Equal(raw, base) {
			t.Fatalf("%s: %s is not in the fixture", tt.name, tt.old)
		}
		f, err := run(t, raw)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.Lookup(tt.fact)
		switch {
		case tt.value == nil && (v.Known() || v.E != engine.Unreadable):
			t.Errorf("%s: %s = %v (%v), want unreadable", tt.name, tt.fact, v, v.E)
		case tt.value != nil && (v.N != tt.value.(float64) || v.E != engine.Clean):
			t.Errorf("%s: %s = %v (%v), want %v", tt.name, tt.fact, v, v.E, tt.value)
		}
	}
}
