package veriff_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/veriff"
)

// base is where the payloads of these tests sit in the input, so that an
// offset computed from the payload alone is caught.
const base = 1000

// decided is a Veriff decision webhook: status, code and decisionTime
// (JSON values), and the verification's other members in extra (JSON text,
// each with its leading comma).
func decided(status, code, when, extra string) []byte {
	return []byte(`{"status": "success", "verification": {"id": "5e1f0a3c-0000-4000-8000-000000000001", "code": ` + code +
		`, "status": ` + status + `, "decisionTime": ` + when + extra + `}, "technicalData": {"ip": "192.158.1.38"}}`)
}

// session is an approved decision with the verification members in extra.
func session(extra string) []byte {
	return decided(`"approved"`, "9001", `"2025-06-01T10:00:00Z"`, extra)
}

// adv is an approved decision whose additionalVerifiedData is the array of
// elements.
func adv(elements ...string) []byte {
	return session(`, "additionalVerifiedData": [` + strings.Join(elements, ", ") + `]`)
}

// read normalizes the payloads, the first at base and each next one 10000
// bytes further.
func read(t *testing.T, raws ...[]byte) *engine.Facts {
	t.Helper()
	f := newFacts(t)
	in := make([]normalizers.Payload, len(raws))
	for i, r := range raws {
		in[i] = normalizers.Payload{Raw: r, Offset: base + 10000*i}
	}
	if err := (veriff.Provider{}).Normalize(in, f.Sink("veriff")); err != nil {
		t.Fatal(err)
	}
	for _, w := range f.Warnings {
		if !inside(w.Offset, raws) {
			t.Errorf("warning %q at %d, outside the payloads", w.Message, w.Offset)
		}
	}
	return f
}

func inside(offset int, raws [][]byte) bool {
	for i, r := range raws {
		if at := base + 10000*i; offset >= at && offset < at+len(r) {
			return true
		}
	}
	return false
}

// at is the offset in the input of the place marked | in marked, which
// must occur once in raw (the first payload).
func at(t *testing.T, raw []byte, marked string) int {
	t.Helper()
	pre, post, ok := strings.Cut(marked, "|")
	if !ok {
		t.Fatalf("%s has no |", marked)
	}
	if bytes.Count(raw, []byte(pre+post)) != 1 {
		t.Fatalf("%s is not once in %s", pre+post, raw)
	}
	return base + bytes.Index(raw, []byte(pre+post)) + len(pre)
}

// expect checks fact name: its value (nil: unknown) and its evidence.
func expect(t *testing.T, f *engine.Facts, name string, value any, ev engine.Evidence) {
	t.Helper()
	v, ok := f.Lookup(name)
	switch {
	case !ok:
		t.Errorf("no fact %s", name)
		return
	case value == nil && v.Known():
		t.Errorf("%s = %v, want unknown", name, v)
	case value != nil && !same(v, value):
		t.Errorf("%s = %v (%s), want %v", name, v, v.Kind, value)
	}
	if v.E != ev {
		t.Errorf("%s is %v, want %v (evidence %+v)", name, v.E, ev, f.Evidence)
	}
}

// TestCadastroUnico: a beneficiary is one whose isNot…Beneficiary check
// failed; all passing is no benefit, not an unknown one.
func TestCadastroUnico(t *testing.T) {
	cad := func(checks string) []byte {
		return adv(`{"cadastroUnico": {"validations": {"processing": {"result": "success"}, ` + checks + `}, "registryResponse": {}}}`)
	}
	f := read(t, cad(`"isNotBcpBeneficiary": {"result": "success"}, "isNotBolsaFamiliaBeneficiary": {"result": "sucess"}`))
	expect(t, f, "veriff.cadastro.benefits", []string{}, engine.Clean)
	expect(t, f, "veriff.cadastro.is_beneficiary", false, engine.Clean)
	expect(t, f, "veriff.cadastro.processed", true, engine.Clean)

	// A program the table does not name is named from its key.
	f = read(t, cad(`"isNotPeDeMeiaBeneficiary": {"result": "failure"}, "isNotXBeneficiary": {"result": "failure"}, "isNotBeneficiary": {"result": "failure"}, "isUserDataValid": {"result": "failure"}`))
	expect(t, f, "veriff.cadastro.benefits", []string{"pe_de_meia", "x", "unknown"}, engine.Clean)
	expect(t, f, "veriff.cadastro.is_beneficiary", true, engine.Clean)
	expect(t, f, "veriff.cadastro.user_data_valid", false, engine.Clean)

	// Checks that did not run say nothing; keys of other shapes are no checks.
	f = read(t, cad(`"isNotBcpBeneficiary": {"result": "skipped"}, "isBcpBeneficiary": {"result": "failure"}, "notBcpBeneficiary": {"result": "failure"}`))
	expect(t, f, "veriff.cadastro.benefits", nil, engine.Clean)
	expect(t, f, "veriff.cadastro.is_beneficiary", nil, engine.Clean)

	// An undocumented result is unreadable, and so is what is derived from it.
	raw := cad(`"isNotBcpBeneficiary": {"result": "success"}, "isNotBolsaFamiliaBeneficiary": {"result": "pending"}`)
	f = read(t, raw)
	expect(t, f, "veriff.cadastro.benefits", []string{}, engine.Unreadable)
	expect(t, f, "veriff.cadastro.is_beneficiary", false, engine.Unreadable)
	if n, _ := noteOf(f, "veriff.cadastro.benefits"); n.Offset != at(t, raw, `"result": |"pending"`) {
		t.Errorf("evidence %+v", n)
	}
}

// TestProBet: the PIA registry is read from the validation and from the
// registry's record; when they disagree the person is kept on it.
func TestProBet(t *testing.T) {
	pb := func(validations, registry string) []byte {
		return adv(`{"proBet": {"validations": {"processing": {"result": "success"}` + validations + `}, "registryResponse": {` + registry + `}}}`)
	}
	pia := `"piaData": {"isInRegistry": true, "cnpj": "29872262000128", "companyName": "LOTERICA BOM DESTINO LTDA", "type": "CASAS LOTERICAS"}`
	for _, tt := range []struct {
		name, validations, registry string
		value                       any
		ev                          engine.Evidence
	}{
		{"the record alone", "", pia, true, engine.Clean},
		{"the record says not in the registry", "", `"piaData": {"cnpj": "", "isInRegistry": false}`, false, engine.Clean},
		{"the validation alone", `, "isNotOnPia": {"result": "success"}`, "", false, engine.Clean},
		{"both say on it", `, "isNotOnPia": {"result": "failure"}`, pia, true, engine.Clean},
		{"the validation passes, the record lists the person", `, "isNotOnPia": {"result": "success"}`, pia, true, engine.Conflicting},
		{"the validation fails, the record does not list the person", `, "isNotOnPia": {"result": "failure"}`, `"piaData": {"isInRegistry": false}`, true, engine.Conflicting},
		{"the validation skipped", `, "isNotOnPia": {"result": "skipped"}`, pia, true, engine.Clean},
		{"the record of the wrong type", "", `"piaData": {"isInRegistry": "sim"}`, nil, engine.Unreadable},
	} {
		f := read(t, pb(tt.validations, tt.registry))
		t.Run(tt.name, func(t *testing.T) { expect(t, f, "veriff.probet.on_pia", tt.value, tt.ev) })
	}

	// A PEP, artist or influencer record counts only by its name.
	f := read(t, pb("", `"pepData": {"name": " ", "role": "SECRETARIO GERAL"}, "artistData": {"cpf": "12345678901", "occupation": "CANTORA"}, "influencerData": {"name": "MARIA", "socialMediaUrl": "https://x"}`))
	expect(t, f, "veriff.probet.is_pep", false, engine.Clean)
	expect(t, f, "veriff.probet.is_artist", false, engine.Clean)
	expect(t, f, "veriff.probet.is_influencer", false, engine.Clean)
	f = read(t, pb("", `"pepData": {"role": "SECRETARIO GERAL", "name": "MARIA"}, "artistData": {"artisticName": "MARIA"}, "influencerData": "MARIA"`))
	expect(t, f, "veriff.probet.is_pep", true, engine.Clean)
	expect(t, f, "veriff.probet.is_artist", true, engine.Clean)
	expect(t, f, "veriff.probet.is_influencer", false, engine.Clean)
	// When the request was not processed, the record proves nothing.
	f = read(t, adv(`{"proBet": {"validations": {"processing": {"result": "failure"}}, "registryResponse": {"pepData": {"name": "MARIA"}}}}`))
	expect(t, f, "veriff.probet.processed", false, engine.Clean)
	expect(t, f, "veriff.probet.is_pep", nil, engine.Clean)
	// Sections of the wrong type are warned about and read as absent.
	f = read(t, adv(`{"proBet": {"validations": [], "registryResponse": "none"}}`))
	expect(t, f, "veriff.probet.is_pep", nil, engine.Clean)
	if len(f.Warnings) != 2 {
		t.Errorf("warnings %+v", f.Warnings)
	}
}

// TestWrongTypesUnreadable: a value of the wrong type, or an undocumented
// element, is unreadable where it is read, never absent or empty.
func TestWrongTypesUnreadable(t *testing.T) {
	for _, tt := range []struct {
		name, extra, fact string
		value             any // nil: unknown
		ev                engine.Evidence
		marked            string // where the evidence points, "" for no evidence
	}{
		{"bioauth matched", `, "biometricAuthentication": {"matchedSessionId": "d40edb60-6ae6-4475-be72-84b81669cce6"}`, "veriff.bioauth.matched", true, engine.Clean, ""},
		{"bioauth no match", `, "biometricAuthentication": {"matchedSessionId": null, "details": {}}`, "veriff.bioauth.matched", false, engine.Clean, ""},
		{"bioauth blank id", `, "biometricAuthentication": {"matchedSessionId": " "}`, "veriff.bioauth.matched", false, engine.Clean, ""},
		{"bioauth id a number", `, "biometricAuthentication": {"matchedSessionId": 42}`, "veriff.bioauth.matched", nil, engine.Unreadable, `"matchedSessionId": |42`},
		{"bioauth id an object", `, "biometricAuthentication": {"matchedSessionId": {"id": "d40edb60"}}`, "veriff.bioauth.matched", nil, engine.Unreadable, `"matchedSessionId": |{`},
		{"fraud indicators", `, "additionalVerifiedData": {"proofOfAddress": {"fraud": {"riskLevel": "LOW_RISK", "indicators": ["PDF_EDITED"]}}}`, "veriff.poa.fraud_indicators", []string{"PDF_EDITED"}, engine.Clean, ""},
		{"fraud indicators a string", `, "additionalVerifiedData": {"proofOfAddress": {"fraud": {"riskLevel": "LOW_RISK", "indicators": "PDF_EDITED"}}}`, "veriff.poa.fraud_indicators", nil, engine.Unreadable, `"indicators": |"PDF_EDITED"`},
		{"fraud indicators of objects", `, "additionalVerifiedData": {"proofOfAddress": {"fraud": {"indicators": ["FONT_MISMATCH", {"name": "PDF_EDITED"}]}}}`, "veriff.poa.fraud_indicators", []string{"FONT_MISMATCH"}, engine.Unreadable, `"FONT_MISMATCH", |{`},
		{"fraud indicators null", `, "additionalVerifiedData": {"proofOfAddress": {"fraud": {"riskLevel": "LOW_RISK", "indicators": null}}}`, "veriff.poa.fraud_indicators", nil, engine.Clean, ""},
		{"nationality with blanks", `, "person": {"nationality": " MX\t"}`, "veriff.person.nationality", "MX", engine.Clean, ""},
		{"nationality a bool", `, "person": {"nationality": true}`, "veriff.person.nationality", nil, engine.Unreadable, `"nationality": |true`},
		{"gender a bool", `, "person": {"gender": false}`, "veriff.person.gender", nil, engine.Unreadable, `"gender": |false`},
		{"gender lower case", `, "person": {"gender": "f"}`, "veriff.person.gender", "F", engine.Clean, ""},
		{"pepSanctionMatch false", `, "person": {"pepSanctionMatch": false}`, "veriff.person.pep_sanction_match", false, engine.Clean, ""},
		{"pepSanctionMatch true", `, "person": {"pepSanctionMatch": true}`, "veriff.person.pep_sanction_match", true, engine.Clean, ""},
		{"pepSanctionMatch blank", `, "person": {"pepSanctionMatch": " "}`, "veriff.person.pep_sanction_match", nil, engine.Clean, ""},
		{"pepSanctionMatch clear", `, "person": {"pepSanctionMatch": "clear"}`, "veriff.person.pep_sanction_match", false, engine.Clean, ""},
		{"risk score bare", `, "riskScore": 0.2`, "veriff.risk_score", 0.2, engine.Clean, ""},
		{"risk score null", `, "riskScore": {"score": null}`, "veriff.risk_score", nil, engine.Clean, ""},
		{"country exists among other checks", `, "additionalVerifiedData": {"proofOfAddress": {"addressValidationResult": {"validations": {"streetExists": {"result": "failure"}, "countryExists": {"result": "success"}, "cityExists": {"result": "failure"}}}}}`, "veriff.poa.country_exists", true, engine.Clean, ""},
		{"address matching inside proof of address", `, "additionalVerifiedData": {"proofOfAddress": {"addressMatching": {"result": false, "matchPercentage": 40}}}`, "veriff.poa.address_match", false, engine.Clean, ""},
		{"a Brazilian registry under another country", `, "additionalVerifiedData": {"biometricRegistryValidationResults": {"AR": {"isFaceMatch": false}, "br": {"isFaceMatch": true}}}`, "veriff.br_biometric.face_match", true, engine.Clean, ""},
		{"CPF suspended", `, "additionalVerifiedData": {"cpfValidation": {"status": "CPF is suspended"}}`, "veriff.cpf.validated", false, engine.Clean, ""},
		{"CPF date of death", `, "additionalVerifiedData": {"cpfValidation": {"status": "CPF is validated", "dateOfDeath": "2020-01-01"}}`, "veriff.cpf.deceased", true, engine.Clean, ""},
		{"CPF status undocumented", `, "additionalVerifiedData": {"cpfValidation": {"status": "CPF is fine"}}`, "veriff.cpf.status", nil, engine.Unreadable, `"status": |"CPF is fine"`},
		{"undocumented decision code", `, "code": 9999`, "veriff.code_consistent", false, engine.Clean, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw := session(tt.extra)
			f := read(t, raw)
			expect(t, f, tt.fact, tt.value, tt.ev)
			if tt.marked != "" {
				if n, _ := noteOf(f, tt.fact); n.Offset != at(t, raw, tt.marked) {
					t.Errorf("evidence %+v, want it at %d", n, at(t, raw, tt.marked))
				}
			}
		})
	}
}
