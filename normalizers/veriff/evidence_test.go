package veriff_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/veriff"
)

// edited returns fixture name with old replaced by new once; the test
// fails when old is not in the fixture, so an edit cannot silently miss.
func edited(t *testing.T, name, old, new string) []byte {
	t.Helper()
	raw := fixture(t, name)
	out := bytes.Replace(raw, []byte(old), []byte(new), 1)
	if bytes.Equal(out, raw) {
		t.Fatalf("%s: %q is not in the fixture", name, old)
	}
	return out
}

// noteOf returns the evidence note of a fact.
func noteOf(f *engine.Facts, fact string) (engine.EvidenceNote, bool) {
	for _, n := range f.Evidence {
		if n.Fact == fact {
			return n, true
		}
	}
	return engine.EvidenceNote{}, false
}

// Snippets of the fixtures that the edits below replace.
const (
	ineCard   = "\"ineCardIsValid\": {\n              \"result\": \"success\","
	ineVoting = "\"ineIsValidForVoting\": {\n              \"result\": \"success\","
	ineProc   = "\"processing\": {\n              \"result\": \"success\","
	bioPair   = "\"faceMatch\": true,\n          \"faceMatchPercentage\": 89"
	advOpen   = "\"additionalVerifiedData\": [\n      {"
	insights  = `"state": "NY", "specimen": {"hasSecurityRisk": true, "legalStatus": "tertiary", "temporaryEmergencyDocument": true}, "nfcValidated": false, "portraitIsVisible": false`
)

// ineElement is an additionalVerifiedData element with one INE card result.
func ineElement(result string) string {
	return `{"officialDatabaseVerification": {"ine": {"validations": {"ineCardIsValid": {"result": "` + result + `"}}}}},`
}

// TestEvidence edits one field of a real payload at a time and checks the
// fact's value and its evidence state; at, when set, is the text of the
// edited payload where the unreadable or conflicting evidence must point.
func TestEvidence(t *testing.T) {
	const (
		ine  = "mx_ine_db_verification"
		curp = "mx_curp_db_verification"
		bio  = "mx_ine_biometric"
		idv  = "idv_doc_selfie"
		risk = "risk_labels"
	)
	type edit struct{ name, old, new string }
	for _, tc := range []struct {
		name  string
		edit  edit
		fact  string
		value any // nil: unknown
		ev    engine.Evidence
		at    string
	}{
		// Dates in every documented form; an unreadable one is unreadable.
		{"validUntil as a date-time", edit{idv, `"validUntil": "2028-04-20"`, `"validUntil": "2020-01-01T00:00:00Z"`}, "veriff.document.expired", true, engine.Clean, ""},
		{"validUntil on the evaluation day", edit{idv, `"validUntil": "2028-04-20"`, `"validUntil": "2026-03-01"`}, "veriff.document.expired", false, engine.Clean, ""},
		{"validUntil the day before", edit{idv, `"validUntil": "2028-04-20"`, `"validUntil": "2026-02-28"`}, "veriff.document.expired", true, engine.Clean, ""},
		{"validUntil day first", edit{idv, `"validUntil": "2028-04-20"`, `"validUntil": "28/02/2026"`}, "veriff.document.days_to_expiry", -1, engine.Clean, ""},
		{"validUntil not a date", edit{idv, `"validUntil": "2028-04-20"`, `"validUntil": "pronto"`}, "veriff.document.expired", nil, engine.Unreadable, `"pronto"`},
		{"validUntil a number", edit{idv, `"validUntil": "2028-04-20"`, `"validUntil": 20280420`}, "veriff.document.days_to_expiry", nil, engine.Unreadable, `20280420`},
		{"validUntil a day that does not exist", edit{idv, `"validUntil": "2028-04-20"`, `"validUntil": "2028-02-30"`}, "veriff.document.valid_until", nil, engine.Unreadable, `"2028-02-30"`},
		{"validFrom tomorrow", edit{idv, `"validFrom": "2018-04-20"`, `"validFrom": "2026-03-02"`}, "veriff.document.not_yet_valid", true, engine.Clean, ""},
		{"validFrom today", edit{idv, `"validFrom": "2018-04-20"`, `"validFrom": "2026-03-01"`}, "veriff.document.not_yet_valid", false, engine.Clean, ""},
		{"validFrom in the past", edit{idv, `"validFrom": "2018-04-20"`, `"validFrom": "2018-04-21"`}, "veriff.document.not_yet_valid", false, engine.Clean, ""},
		{"validFrom not a date", edit{idv, `"validFrom": "2018-04-20"`, `"validFrom": "soon"`}, "veriff.document.not_yet_valid", nil, engine.Unreadable, `"soon"`},
		{"INE validity abbreviated", edit{ine, `"validity": "31 de diciembre de 2028"`, `"validity": "31-DIC-2025"`}, "veriff.ine.expired", true, engine.Clean, ""},
		{"INE validity numeric", edit{ine, `"validity": "31 de diciembre de 2028"`, `"validity": "31/12/2025"`}, "veriff.ine.expired", true, engine.Clean, ""},
		{"INE validity a bare year", edit{ine, `"validity": "31 de diciembre de 2028"`, `"validity": "2025"`}, "veriff.ine.expired", true, engine.Clean, ""},
		{"INE validity not a date", edit{ine, `"validity": "31 de diciembre de 2028"`, `"validity": "vigente"`}, "veriff.ine.expired", nil, engine.Unreadable, `"vigente"`},
		{"dateOfBirth unreadable, yearOfBirth read", edit{idv, `"dateOfBirth": "1967-03-30"`, `"dateOfBirth": "ayer"`}, "veriff.person.age", 58, engine.Unreadable, `"ayer"`},
		{"issueDate unreadable", edit{"poa_address_matching", `"issueDate": "2025-09-01"`, `"issueDate": "septiembre"`}, "veriff.poa.days_since_issue", nil, engine.Unreadable, `"septiembre"`},

		// Wrong types and undocumented words are unreadable, not absent.
		{"status of the wrong type", edit{idv, `"status": "approved"`, `"status": true`}, "veriff.status", nil, engine.Unreadable, `true,`},
		{"status unreadable: consistency too", edit{idv, `"status": "approved"`, `"status": "kinda"`}, "veriff.code_consistent", nil, engine.Unreadable, `"kinda"`},
		{"code not a number", edit{idv, `"code": 9001`, `"code": "ok"`}, "veriff.code_status", nil, engine.Unreadable, `"ok"`},
		{"reasonCode a fraction", edit{"declined_pep", `"reasonCode": 126`, `"reasonCode": 126.5`}, "veriff.reason_category", nil, engine.Unreadable, `126.5`},
		{"INE result an object", edit{ine, ineCard, "\"ineCardIsValid\": {\n              \"result\": {\"result\": \"failed\"},"}, "veriff.ine.card_valid", nil, engine.Unreadable, `{"result": "failed"}`},
		{"INE result undocumented", edit{ine, ineCard, "\"ineCardIsValid\": {\n              \"result\": \"failed\","}, "veriff.ine.card_valid", nil, engine.Unreadable, `"failed"`},
		{"matchData undocumented", edit{ine, `"fullName": "MATCH"`, `"fullName": "MAYBE"`}, "veriff.ine.full_name_match", nil, engine.Unreadable, `"MAYBE"`},
		{"document type undocumented", edit{idv, `"type": "DRIVERS_LICENSE"`, `"type": "LIBRARY_CARD"`}, "veriff.document.type", nil, engine.Unreadable, `"LIBRARY_CARD"`},
		{"curpStatus a number", edit{curp, `"curpStatus": "RNC"`, `"curpStatus": 7`}, "veriff.curp.deceased", nil, engine.Unreadable, `"curpStatus": |7`},
		{"curpStatus a deregistration", edit{curp, `"curpStatus": "RNC"`, `"curpStatus": "BD"`}, "veriff.curp.deceased", true, engine.Clean, ""},
		{"faceMatchPercentage out of range", edit{bio, `"faceMatchPercentage": 89`, `"faceMatchPercentage": 189`}, "veriff.ine_biometric.face_match_pct", nil, engine.Unreadable, `189`},
		{"estimatedAge out of range", edit{"age_estimation", `"estimatedAge": 28`, `"estimatedAge": 280`}, "veriff.estimated_age", nil, engine.Unreadable, `280`},
		{"pepSanctionMatch a number", edit{"declined_pep", `"pepSanctionMatch": "possible match"`, `"pepSanctionMatch": 1`}, "veriff.person.pep_sanction_match", nil, engine.Unreadable, `"pepSanctionMatch": |1`},
		{"pepSanctionMatch no match", edit{"declined_pep", `"pepSanctionMatch": "possible match"`, `"pepSanctionMatch": "No Match"`}, "veriff.person.pep_sanction_match", false, engine.Clean, ""},

		// Risk score on both scales, bounds and one past them.
		{"risk score on the portal scale", edit{risk, `"score": 0.87`, `"score": 87`}, "veriff.risk_score", 0.87, engine.Clean, ""},
		{"risk score exactly 1", edit{risk, `"score": 0.87`, `"score": 1`}, "veriff.risk_score", 1.0, engine.Clean, ""},
		{"risk score exactly 100", edit{risk, `"score": 0.87`, `"score": 100`}, "veriff.risk_score", 1.0, engine.Clean, ""},
		{"risk score 0", edit{risk, `"score": 0.87`, `"score": 0`}, "veriff.risk_score", 0, engine.Clean, ""},
		{"risk score past 100", edit{risk, `"score": 0.87`, `"score": 100.5`}, "veriff.risk_score", nil, engine.Unreadable, `100.5`},
		{"risk score negative", edit{risk, `"score": 0.87`, `"score": -0.01`}, "veriff.risk_score", nil, engine.Unreadable, `-0.01`},

		// Risk labels: what cannot be read is never 0 or empty.
		{"sessionIds a string", edit{risk, "\"sessionIds\": [\n          \"0b1f6a4e-1111-4c1e-9a3b-000000000001\",\n          \"0b1f6a4e-1111-4c1e-9a3b-000000000002\"\n        ]", `"sessionIds": "0b1f6a4e-1111-4c1e-9a3b-000000000001,0b1f6a4e"`}, "veriff.risk_linked_sessions", 2, engine.Unreadable, `"0b1f6a4e-1111-4c1e-9a3b-000000000001,0b1f6a4e"`},
		{"sessionIds element a number", edit{risk, `"0b1f6a4e-1111-4c1e-9a3b-000000000001",`, `17,`}, "veriff.risk_linked_sessions", 2, engine.Unreadable, `17,`},
		{"riskLabels not an array", edit{"biometric_liveness", `"riskLabels": []`, `"riskLabels": "none"`}, "veriff.risk_labels", nil, engine.Unreadable, `"none"`},
		{"riskLabels not an array: groups too", edit{"biometric_liveness", `"riskLabels": []`, `"riskLabels": {}`}, "veriff.risk_label_groups", nil, engine.Unreadable, `"riskLabels": |{}`},
		{"risk label element not an object", edit{"biometric_liveness", `"riskLabels": []`, `"riskLabels": ["document_crosslinked_with_fraud"]`}, "veriff.risk_linked_sessions", 0, engine.Unreadable, `"document_crosslinked_with_fraud"`},
		{"risk label category undocumented", edit{risk, `"category": "device"`, `"category": "gremlins"`}, "veriff.risk_label_categories", []string{"crosslinks"}, engine.Unreadable, `"gremlins"`},
		{"risk label groups", edit{risk, `"label": "device_emulator_detected"`, `"label": "document_crosslinked_with_fraud"`}, "veriff.risk_label_groups", []string{"crosslink", "device", "document", "fraud_crosslink"}, engine.Clean, ""},
		{"risk label groups by category", fixtureEdit(risk), "veriff.risk_label_groups", []string{"crosslink", "device", "document"}, engine.Clean, ""},

		// Elements of additionalVerifiedData merge adverse-wins, conflicting.
		{"INE failing then passing", edit{bio, advOpen, "\"additionalVerifiedData\": [\n      " + ineElement("failure") + ineElement("success") + "{"}, "veriff.ine.card_valid", false, engine.Conflicting, `"ineCardIsValid": {"result": |"success"`},
		{"INE passing then failing", edit{bio, advOpen, "\"additionalVerifiedData\": [\n      " + ineElement("success") + ineElement("failure") + "{"}, "veriff.ine.card_valid", false, engine.Conflicting, `}}}}},{"officialDatabaseVerification": {"ine": {"validations": {"ineCardIsValid": {"result": |"failure"`},
		{"INE the same answer twice", edit{bio, advOpen, "\"additionalVerifiedData\": [\n      " + ineElement("success") + ineElement("success") + "{"}, "veriff.ine.card_valid", true, engine.Clean, ""},
		{"nested array", edit{bio, advOpen, "\"additionalVerifiedData\": [\n      [" + strings.TrimSuffix(ineElement("success"), ",") + "],\n      {"}, "veriff.ine.card_valid", true, engine.Unreadable, `[{"officialDatabaseVerification"`},
		{"nested array keeps the adverse side", edit{bio, advOpen, "\"additionalVerifiedData\": [\n      [{\"ineBiometricValidation\": {\"faceMatch\": false}}],\n      {"}, "veriff.ine_biometric.face_match", false, engine.Conflicting, ""},
		{"US registries disagree", edit{"us_database", `"firstName": "MATCH",`, `"firstName": "MATCH"}, {"registryName": "second", "firstName": "NO_MATCH",`}, "veriff.db.first_name_match", "NO_MATCH", engine.Conflicting, `"NO_MATCH"`},
		{"US registries: NO_MATCH first", fixtureEdit("adv_array_multi"), "veriff.db.first_name_match", "NO_MATCH", engine.Conflicting, ""},
		{"US registries: NO_MATCH last", fixtureEdit("adv_array_multi"), "veriff.db.last_name_match", "NO_MATCH", engine.Conflicting, ""},
		{"US registries: INVALID alone", fixtureEdit("adv_array_multi"), "veriff.db.phone_match", "INVALID", engine.Clean, ""},
		{"US registry no data beside a match", edit{"us_database", `"firstName": "MATCH",`, `"firstName": "MATCH"}, {"registryName": "second", "firstName": "NO_DATA",`}, "veriff.db.first_name_match", "MATCH", engine.Clean, ""},
		{"US registry undocumented level", edit{"us_database", `"firstName": "MATCH",`, `"firstName": "NEARLY",`}, "veriff.db.first_name_match", nil, engine.Unreadable, `"NEARLY"`},

		// Negative facts of the payload are read.
		{"INE processing failure", edit{ine, ineProc, "\"processing\": {\n              \"result\": \"failure\","}, "veriff.ine.processed", false, engine.Clean, ""},
		{"INE not valid for voting", edit{ine, ineVoting, "\"ineIsValidForVoting\": {\n              \"result\": \"failure\","}, "veriff.ine.valid_for_voting", false, engine.Clean, ""},
		{"CURP risk factors", edit{curp, `"result": "not_applicable"`, `"result": "failure"`}, "veriff.curp.no_risk_factors", false, engine.Clean, ""},
		{"biometric service failure", edit{bio, `"responseStatus": "success"`, `"responseStatus": "failure"`}, "veriff.ine_biometric.response_status", "failure", engine.Clean, ""},
		{"biometric service undocumented", edit{bio, `"responseStatus": "success"`, `"responseStatus": "timeout"`}, "veriff.ine_biometric.response_status", nil, engine.Unreadable, `"timeout"`},
		{"biometric 84 without faceMatch", edit{bio, bioPair, "\"faceMatch\": null,\n          \"faceMatchPercentage\": 84"}, "veriff.ine_biometric.face_match", false, engine.Clean, ""},
		{"biometric 85 without faceMatch", edit{bio, bioPair, "\"faceMatch\": null,\n          \"faceMatchPercentage\": 85"}, "veriff.ine_biometric.face_match", false, engine.Clean, ""},
		{"biometric 86 without faceMatch", edit{bio, bioPair, "\"faceMatch\": null,\n          \"faceMatchPercentage\": 86"}, "veriff.ine_biometric.face_match", true, engine.Clean, ""},
		{"biometric match with 40%", edit{bio, `"faceMatchPercentage": 89`, `"faceMatchPercentage": 40`}, "veriff.ine_biometric.face_match", false, engine.Conflicting, `"faceMatchPercentage": |40`},
		{"biometric no match with 89%", edit{bio, `"faceMatch": true`, `"faceMatch": 0`}, "veriff.ine_biometric.face_match", false, engine.Conflicting, `"faceMatchPercentage": |89`},
		{"biometric both null", edit{bio, bioPair, "\"faceMatch\": null,\n          \"faceMatchPercentage\": null"}, "veriff.ine_biometric.face_match", nil, engine.Clean, ""},
		{"Document Insights security risk", edit{idv, `"state": "NY"`, insights}, "veriff.document.has_security_risk", true, engine.Clean, ""},
		{"Document Insights temporary document", edit{idv, `"state": "NY"`, insights}, "veriff.document.temporary_emergency", true, engine.Clean, ""},
		{"Document Insights legal status", edit{idv, `"state": "NY"`, insights}, "veriff.document.legal_status", "tertiary", engine.Clean, ""},
		{"Document Insights NFC", edit{idv, `"state": "NY"`, insights}, "veriff.document.nfc_validated", false, engine.Clean, ""},
		{"Document Insights portrait", edit{idv, `"state": "NY"`, insights}, "veriff.document.portrait_visible", false, engine.Clean, ""},
		{"legal status undocumented", edit{idv, `"state": "NY"`, `"state": "NY", "specimen": {"legalStatus": "quaternary"}`}, "veriff.document.legal_status", nil, engine.Unreadable, `"quaternary"`},
		{"security risk of the wrong type", edit{idv, `"state": "NY"`, `"state": "NY", "specimen": {"hasSecurityRisk": "maybe"}`}, "veriff.document.has_security_risk", nil, engine.Unreadable, `"maybe"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var raw []byte
			if tc.edit.old == "" {
				raw = fixture(t, tc.edit.name)
			} else {
				raw = edited(t, tc.edit.name, tc.edit.old, tc.edit.new)
			}
			const base = 1000
			f := newFacts(t)
			if err := (veriff.Provider{}).Normalize([]normalizers.Payload{{Raw: raw, Offset: base}}, f.Sink("veriff")); err != nil {
				t.Fatal(err)
			}
			v, ok := f.Lookup(tc.fact)
			if !ok {
				t.Fatalf("no fact %s", tc.fact)
			}
			if tc.value == nil {
				if v.Known() {
					t.Errorf("%s = %v, want unknown", tc.fact, v)
				}
			} else if !same(v, tc.value) {
				t.Errorf("%s = %v, want %v", tc.fact, v, tc.value)
			}
			if v.E != tc.ev {
				t.Errorf("%s is %v, want %v (warnings %v)", tc.fact, v.E, tc.ev, f.Warnings)
			}
			if tc.at != "" {
				n, _ := noteOf(f, tc.fact)
				// at may mark the exact place with |: `"key": |7`.
				pre, _, _ := strings.Cut(tc.at, "|")
				i := bytes.Index(raw, []byte(strings.Replace(tc.at, "|", "", 1)))
				if i < 0 {
					t.Fatalf("%s is not in the payload", tc.at)
				}
				if want := base + i + len(pre); !strings.Contains(tc.at, "|") && n.Offset != base+i || strings.Contains(tc.at, "|") && n.Offset != want {
					t.Errorf("%s: evidence at %d, want %d (%s): %+v", tc.fact, n.Offset, want, tc.at, n)
				}
			}
		})
	}
}

// fixtureEdit names a fixture read as it is.
func fixtureEdit(name string) struct{ name, old, new string } {
	return struct{ name, old, new string }{name, "", ""}
}

// TestNotDecided: a session-creation response and a session event webhook
// carry no decision; beside a decision they change nothing.
func TestNotDecided(t *testing.T) {
	for _, name := range []string{"session_created", "session_created_legacy", "event_submitted", "event_started"} {
		t.Run(name, func(t *testing.T) {
			raw := fixture(t, name)
			if !(veriff.Provider{}).Detect(shape(t, raw)) {
				t.Error("not detected")
			}
			f, err := run(t, raw)
			if err != nil {
				t.Fatal(err)
			}
			check(t, f, want{"veriff.decision_available": false, "veriff.api_error": false},
				[]string{"veriff.status", "veriff.code", "veriff.code_status", "veriff.code_consistent", "veriff.prior_declines"})
			if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].Message, "no decision") {
				t.Errorf("warnings %+v", f.Warnings)
			}
			if strings.HasPrefix(name, "event") && !strings.HasPrefix(f.Warnings[0].Message, veriff.EventNoDecision) {
				t.Errorf("event warning %q does not say %q", f.Warnings[0].Message, veriff.EventNoDecision)
			}
			// Beside a decision, in any order, it is ignored: no conflict,
			// and with a single decision no prior declines.
			for _, order := range [][][]byte{{raw, fixture(t, "idv_doc_selfie")}, {fixture(t, "idv_doc_selfie"), raw}} {
				f, err := run(t, order...)
				if err != nil {
					t.Fatal(err)
				}
				check(t, f, want{"veriff.decision_available": true, "veriff.status": "approved"}, []string{"veriff.prior_declines"})
				for _, n := range f.Evidence {
					t.Errorf("evidence %+v", n)
				}
			}
		})
	}
}

// TestPriorDeclines: an older decline for fraud stays visible after a newer
// approval, by its reason category.
func TestPriorDeclines(t *testing.T) {
	fraud := edited(t, "declined_pep", `"reasonCode": 126`, `"reasonCode": 106`) // known fraud, 2025-03-10
	approve := edited(t, "idv_doc_selfie", `"decisionTime": "2024-01-01T00:07:45Z"`, `"decisionTime": "2025-04-01T00:00:00Z"`)
	for _, order := range [][][]byte{{fraud, approve}, {approve, fraud}} {
		f, err := run(t, order...)
		if err != nil {
			t.Fatal(err)
		}
		check(t, f, want{"veriff.status": "approved", "veriff.prior_declines": []string{"known_fraud"}}, nil)
	}
}

// TestPolarity: every fact declares whether and how it is adverse; only
// these are informational, each because no value is evidence against the
// applicant (or, for decision_available, because the decision facts are
// unknown whenever it is false).
func TestPolarity(t *testing.T) {
	informational := []string{
		"veriff.decision_available", "veriff.api_error_code", "veriff.code", "veriff.reason_code", "veriff.reason",
		"veriff.person.gender", "veriff.person.nationality",
		"veriff.document.type", "veriff.document.country", "veriff.document.state", "veriff.document.valid_until",
		"veriff.estimated_gender", "veriff.ine.valid_until",
		"veriff.poa.document_type", "veriff.poa.days_since_issue", "veriff.poa.fraud_reason", "veriff.poa.address_type", "veriff.poa.address_match_threshold",
		"veriff.db.registries", "veriff.co_registry.registry_name", "veriff.co_registry.country",
		"veriff.cadastro.benefits", "veriff.cadastro.is_beneficiary", "veriff.probet.is_artist", "veriff.probet.is_influencer",
	}
	for _, s := range (veriff.Provider{}).Facts() {
		if got, want := s.Polarity == engine.Informational, slices.Contains(informational, s.Name); got != want {
			t.Errorf("%s: polarity %v", s.Name, s.Polarity)
		}
		if s.Polarity == engine.AdverseValues && len(s.Adverse) == 0 {
			t.Errorf("%s: no adverse values", s.Name)
		}
	}
	// Spot checks of the adverse side of each kind.
	for fact, v := range map[string]engine.Value{
		"veriff.status":                       engine.StringValue("review"),
		"veriff.reason_category":              engine.StringValue("known_fraud"),
		"veriff.ine.full_name_match":          engine.StringValue("NO_MATCH"),
		"veriff.db.phone_match":               engine.StringValue("INVALID"),
		"veriff.curp.registry_status":         engine.StringValue("BD"),
		"veriff.cpf.status":                   engine.StringValue("CPF is suspended"),
		"veriff.document.legal_status":        engine.StringValue("secondary"),
		"veriff.person.pep_sanction_match":    engine.BoolValue(true),
		"veriff.ine.card_valid":               engine.BoolValue(false),
		"veriff.ine_biometric.face_match_pct": engine.NumberValue(85),
		"veriff.risk_label_groups":            engine.ListValue([]string{"device"}),
		"veriff.prior_declines":               engine.ListValue([]string{"pep"}),
	} {
		spec := specOf(t, fact)
		if !spec.IsAdverse(v) {
			t.Errorf("%s = %v is not adverse", fact, v)
		}
	}
	for fact, v := range map[string]engine.Value{
		"veriff.status":                       engine.StringValue("approved"),
		"veriff.cpf.status":                   engine.StringValue("CPF is validated"),
		"veriff.document.legal_status":        engine.StringValue("primary"),
		"veriff.ine_biometric.face_match_pct": engine.NumberValue(86),
		"veriff.db.phone_match":               engine.StringValue("PARTIAL_MATCH"),
		"veriff.curp.registry_status":         engine.StringValue("AN"),
		"veriff.risk_label_groups":            engine.ListValue([]string{}),
	} {
		if specOf(t, fact).IsAdverse(v) {
			t.Errorf("%s = %v is adverse", fact, v)
		}
	}
}

func specOf(t *testing.T, name string) engine.FactSpec {
	t.Helper()
	for _, s := range (veriff.Provider{}).Facts() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no fact %s", name)
	return engine.FactSpec{}
}
