package veriff_test

import (
	"bytes"
	"errors"
	"slices"
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

// identities returns the identities reported by source.
func identities(f *engine.Facts, source string) []engine.Identity {
	var out []engine.Identity
	for _, id := range f.Identities {
		if id.Source == source {
			out = append(out, id)
		}
	}
	return out
}

// TestDateForms: every form of a date the normalizer reads comes out as
// YYYY-MM-DD, whatever separators it was sent with.
func TestDateForms(t *testing.T) {
	for in, want := range map[string]string{
		"2028-04-20":           "2028-04-20",
		" 2028-04-20 ":         "2028-04-20",
		"2028-04-20T23:59:59Z": "2028-04-20",
		"2028-04-20 10:00:00":  "2028-04-20",
		"20/04/2028":           "2028-04-20",
		"20-04-2028":           "2028-04-20",
		"20.04.2028":           "2028-04-20",
		"2028/04/20":           "2028-04-20",
		"2028/04-20":           "2028-04-20",
		"2028-04/20":           "2028-04-20",
		"20 de abril de 2028":  "2028-04-20",
		"20-ABR-2028":          "2028-04-20",
	} {
		f := read(t, session(`, "document": {"validUntil": "`+in+`"}`))
		expect(t, f, "veriff.document.valid_until", want, engine.Clean)
		expect(t, f, "veriff.document.expired", false, engine.Clean)
	}
	// The INE validity: the documented Spanish long date, with the
	// abbreviations a clerk writes ("febr.", "sept.", "set."), or a bare year.
	for in, want := range map[string]string{
		"31 de diciembre de 2028": "2028-12-31",
		"28 de febr. de 2029":     "2029-02-28",
		"15 de sept. de 2027":     "2027-09-15",
		"30 set 2026":             "2026-09-30",
		"1 de enero del 2030":     "2030-01-01",
		"31, dic, 2028":           "2028-12-31",
		"2029":                    "2029-12-31",
		"31/12/2028":              "2028-12-31",
	} {
		f := read(t, adv(`{"officialDatabaseVerification": {"ine": {"registryResponse": {"validity": "`+in+`"}}}}`))
		expect(t, f, "veriff.ine.valid_until", want, engine.Clean)
		expect(t, f, "veriff.ine.expired", false, engine.Clean)
	}
	for _, in := range []string{`"31 de diciembre"`, `"31 de di de 2028"`, `"31 de diciembre de 28"`, `"31 12 2028 2029"`, `2028`} {
		raw := adv(`{"officialDatabaseVerification": {"ine": {"registryResponse": {"validity": ` + in + `}}}}`)
		f := read(t, raw)
		expect(t, f, "veriff.ine.valid_until", nil, engine.Unreadable)
		expect(t, f, "veriff.ine.expired", nil, engine.Unreadable)
		if n, _ := noteOf(f, "veriff.ine.expired"); n.Offset != at(t, raw, `"validity": |`+in) {
			t.Errorf("validity %s: evidence at %d", in, n.Offset)
		}
	}
}

// TestInclusiveLimits: a number exactly at a documented bound is read, one
// step past it is unreadable.
func TestInclusiveLimits(t *testing.T) {
	for _, tt := range []struct {
		element, fact string
		value         any // nil: unreadable
	}{
		{`{"estimatedAge": 0}`, "veriff.estimated_age", 0},
		{`{"estimatedAge": 150}`, "veriff.estimated_age", 150},
		{`{"estimatedAge": -0.5}`, "veriff.estimated_age", nil},
		{`{"estimatedAge": 150.5}`, "veriff.estimated_age", nil},
		{`{"estimatedGender": 0}`, "veriff.estimated_gender", 0},
		{`{"estimatedGender": 1}`, "veriff.estimated_gender", 1},
		{`{"estimatedGender": 1.01}`, "veriff.estimated_gender", nil},
		{`{"proofOfAddress": {"nameMatchPercentage": 0}}`, "veriff.poa.name_match_pct", 0},
		{`{"proofOfAddress": {"nameMatchPercentage": 100}}`, "veriff.poa.name_match_pct", 100},
		{`{"proofOfAddress": {"nameMatchPercentage": 100.1}}`, "veriff.poa.name_match_pct", nil},
		{`{"registryValidation": {"fullNameSimilarity": -1}}`, "veriff.co_registry.full_name_similarity", nil},
		// Without faceMatch, the percentage decides at both ends of its range.
		{`{"ineBiometricValidation": {"faceMatch": null, "faceMatchPercentage": 0}}`, "veriff.ine_biometric.face_match", false},
		{`{"ineBiometricValidation": {"faceMatch": null, "faceMatchPercentage": 100}}`, "veriff.ine_biometric.face_match", true},
		{`{"ineBiometricValidation": {"faceMatch": null, "faceMatchPercentage": 100.5}}`, "veriff.ine_biometric.face_match_pct", nil},
	} {
		f := read(t, adv(tt.element))
		if tt.value == nil {
			expect(t, f, tt.fact, nil, engine.Unreadable)
		} else {
			expect(t, f, tt.fact, tt.value, engine.Clean)
		}
	}
	// Out of range, the percentage decides nothing.
	f := read(t, adv(`{"ineBiometricValidation": {"faceMatch": null, "faceMatchPercentage": 101}}`))
	expect(t, f, "veriff.ine_biometric.face_match", nil, engine.Clean)
}

// TestConflictsPointAtTheSecondValue: when two elements disagree, the
// adverse value is kept and the evidence names the field by its full path
// and points at the value that disagreed.
func TestConflictsPointAtTheSecondValue(t *testing.T) {
	for _, tt := range []struct {
		first, second, fact string
		kept                any
		field, marked       string
	}{
		{`{"registryValidation": {"registryName": "resigo"}}`, `{"registryValidation": {"registryName": "otro"}}`,
			"veriff.co_registry.registry_name", "resigo", "verification.additionalVerifiedData.registryValidation.registryName", `"registryName": |"otro"`},
		{`{"faceMatch": "strong_match"}`, `{"faceMatch": "weak_match"}`,
			"veriff.selfie_match", "weak_match", "verification.additionalVerifiedData.faceMatch", `"faceMatch": |"weak_match"`},
		{`{"registryValidation": {"documentValid": true}}`, `{"registryValidation": {"documentValid": false}}`,
			"veriff.co_registry.document_valid", false, "verification.additionalVerifiedData.registryValidation.documentValid", `"documentValid": |false`},
		{`{"estimatedAge": 31}`, `{"estimatedAge": 16}`,
			"veriff.estimated_age", 16, "verification.additionalVerifiedData.estimatedAge", `"estimatedAge": |16`},
		{ineElement("success"), strings.TrimSuffix(ineElement("failure"), ","),
			"veriff.ine.card_valid", false, "verification.additionalVerifiedData.officialDatabaseVerification.ine.validations.ineCardIsValid.result", `"result": |"failure"`},
	} {
		raw := adv(strings.TrimSuffix(tt.first, ","), tt.second)
		f := read(t, raw)
		expect(t, f, tt.fact, tt.kept, engine.Conflicting)
		n, _ := noteOf(f, tt.fact)
		if n.Field != tt.field || n.Offset != at(t, raw, tt.marked) {
			t.Errorf("%s: evidence %+v, want field %s at %d", tt.fact, n, tt.field, at(t, raw, tt.marked))
		}
	}

	// Two decisions that cannot be ordered: the second payload's code
	// disagrees, and the evidence points into that payload.
	first := decided(`"approved"`, "9001", `"soon"`, "")
	second := decided(`"declined"`, "9102", `"2025-06-02T10:00:00Z"`, "")
	f := read(t, first, second)
	expect(t, f, "veriff.status", "declined", engine.Conflicting)
	n, _ := noteOf(f, "veriff.code")
	if want := base + 10000 + bytes.Index(second, []byte("9102")); n.Offset != want || n.Field != "verification.code" {
		t.Errorf("veriff.code: evidence %+v, want verification.code at %d", n, want)
	}
}

// TestRegistriesCombined: the US database registries' levels combine the
// same in any order; the first adverse reading is the evidence.
func TestRegistriesCombined(t *testing.T) {
	reg := func(name, level string) string {
		return `{"registryName": "` + name + `", "firstName": "` + level + `"}`
	}
	results := func(regs ...string) string {
		return `{"validationResults": [` + strings.Join(regs, ", ") + `]}`
	}
	for _, order := range [][]string{{"INVALID", "NO_MATCH"}, {"NO_MATCH", "INVALID"}} {
		f := read(t, adv(results(reg("a", order[0]), reg("b", order[1]))))
		expect(t, f, "veriff.db.first_name_match", "INVALID", engine.Clean)
	}
	raw := adv(results(reg("a", "NO_MATCH"), reg("b", "no_match"), reg("c", "MATCH")))
	f := read(t, raw)
	expect(t, f, "veriff.db.first_name_match", "NO_MATCH", engine.Conflicting)
	if n, _ := noteOf(f, "veriff.db.first_name_match"); n.Offset != at(t, raw, `"firstName": |"NO_MATCH"`) {
		t.Errorf("evidence %+v, want the first NO_MATCH", n)
	}
	expect(t, f, "veriff.db.registries", []string{"a", "b", "c"}, engine.Clean)

	// A level read from a nested array stays untrusted when a documented
	// element repeats it, whichever comes first.
	nested := `[` + results(reg("a", "MATCH")) + `]`
	for _, elements := range [][]string{{nested, results(reg("b", "MATCH"))}, {results(reg("b", "MATCH")), nested}} {
		raw := adv(elements...)
		f := read(t, raw)
		expect(t, f, "veriff.db.first_name_match", "MATCH", engine.Unreadable)
		expect(t, f, "veriff.db.last_name_match", nil, engine.Clean)
		if n, _ := noteOf(f, "veriff.db.first_name_match"); n.Offset != at(t, raw, `|[{"validationResults": [{"registryName": "a"`) {
			t.Errorf("evidence %+v, want it at the nested array", n)
		}
	}

	// A blank level is no reading; an object of registries is read too.
	f = read(t, adv(`{"validationResults": {"registryName": "a", "firstName": " ", "lastName": "MATCH"}}`))
	expect(t, f, "veriff.db.first_name_match", nil, engine.Clean)
	expect(t, f, "veriff.db.last_name_match", "MATCH", engine.Clean)
	f = read(t, adv(`{"validationResults": "US15"}`))
	expect(t, f, "veriff.db.registries", nil, engine.Clean)
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].Message, "validationResults: expected array, got string") {
		t.Errorf("warnings %+v", f.Warnings)
	}
}

// TestRegistryIdentities: a registry record gives an identity only when it
// carries personal data, and every part of a name is kept.
func TestRegistryIdentities(t *testing.T) {
	curp := func(record string) []byte {
		return adv(`{"officialDatabaseVerification": {"curp": {"registryResponse": {` + record + `}}}}`)
	}
	for _, tt := range []struct {
		name string
		raw  []byte
		want []engine.Identity
	}{
		{"CURP registry, status only", curp(`"curpStatus": "AN"`), nil},
		{"CURP registry, CURP only", curp(`"curp": "vish560427msrlnl06"`), []engine.Identity{{Source: "veriff.curp_registry", CURP: "VISH560427MSRLNL06"}}},
		{"CURP registry, names only", curp(`"names": "GLORIA", "paternalSurname": "Y", "maternalSurname": null`), []engine.Identity{{Source: "veriff.curp_registry", Name: "GLORIA Y"}}},
		{"CURP registry, birth date only", curp(`"dob": "27/04/1956"`), []engine.Identity{{Source: "veriff.curp_registry", DOB: "1956-04-27"}}},
		{"CURP registry, unreadable birth date", curp(`"curp": "VISH560427MSRLNL06", "dob": "ayer"`), []engine.Identity{{Source: "veriff.curp_registry", CURP: "VISH560427MSRLNL06"}}},
		{"CPF registry, status only", adv(`{"cpfValidation": {"status": "CPF is validated", "name": null}}`), nil},
		{"CPF registry, name only", adv(`{"cpfValidation": {"name": "J"}}`), []engine.Identity{{Source: "veriff.cpf_registry", Name: "J"}}},
		{"CPF registry, birth date only", adv(`{"cpfValidation": {"dateOfBirth": "15/01/1990"}}`), []engine.Identity{{Source: "veriff.cpf_registry", DOB: "1990-01-15"}}},
		{"CPF registry, birth date a number", adv(`{"cpfValidation": {"name": "JOÃO SILVA", "dateOfBirth": 19900115}}`), []engine.Identity{{Source: "veriff.cpf_registry", Name: "JOÃO SILVA"}}},
		{"CPF registry, unreadable birth date", adv(`{"cpfValidation": {"name": "JOÃO SILVA", "dateOfBirth": "ontem"}}`), []engine.Identity{{Source: "veriff.cpf_registry", Name: "JOÃO SILVA"}}},
		{"CURP registry, birth date a number", curp(`"curp": "VISH560427MSRLNL06", "dob": 19560427`), []engine.Identity{{Source: "veriff.curp_registry", CURP: "VISH560427MSRLNL06"}}},
		{"CURP registry, blank birth date", curp(`"curp": "VISH560427MSRLNL06", "dob": " "`), []engine.Identity{{Source: "veriff.curp_registry", CURP: "VISH560427MSRLNL06"}}},
	} {
		f := read(t, tt.raw)
		source := "veriff.curp_registry"
		if strings.HasPrefix(tt.name, "CPF") {
			source = "veriff.cpf_registry"
		}
		if got := identities(f, source); !slices.Equal(got, tt.want) {
			t.Errorf("%s: identities %+v, want %+v", tt.name, got, tt.want)
		}
		unreadable := strings.Contains(tt.name, "unreadable") || strings.Contains(tt.name, "a number")
		if got := slices.ContainsFunc(f.Warnings, func(w engine.Warning) bool { return strings.Contains(w.Message, "unreadable date") }); got != unreadable {
			t.Errorf("%s: warnings %+v", tt.name, f.Warnings)
		}
	}
	// The document's person: a one-letter name, and a blank birth date is
	// no birth date.
	f := read(t, session(`, "person": {"firstName": "J", "lastName": null, "dateOfBirth": " "}`))
	if got, want := identities(f, "veriff"), []engine.Identity{{Source: "veriff", Name: "J"}}; !slices.Equal(got, want) {
		t.Errorf("identities %+v, want %+v", got, want)
	}
	expect(t, f, "veriff.person.age", nil, engine.Clean)
	f = read(t, session(`, "person": {"fullName": "SARAH JANE MORGAN", "firstName": "SARAH", "lastName": "MORGAN", "idNumber": "GARC850101HDFRRL09"}`))
	if got, want := identities(f, "veriff"), []engine.Identity{{Source: "veriff", Name: "SARAH JANE MORGAN", CURP: "GARC850101HDFRRL09"}}; !slices.Equal(got, want) {
		t.Errorf("identities %+v, want %+v", got, want)
	}
}

// TestYearOfBirth: yearOfBirth is a year, or a date as the schema types it;
// anything shorter than a year is unreadable.
func TestYearOfBirth(t *testing.T) {
	for in, want := range map[string]any{
		`"2001"`:       24,
		`"2001-05-01"`: 24,
		`" 2008 "`:     17,
		`2008`:         17,
		`"99"`:         nil,
		`"200"`:        nil,
		`"20x1"`:       nil,
		`true`:         nil,
	} {
		f := read(t, session(`, "person": {"dateOfBirth": null, "yearOfBirth": `+in+`}`))
		if want == nil {
			expect(t, f, "veriff.person.age", nil, engine.Unreadable)
		} else {
			expect(t, f, "veriff.person.age", want, engine.Clean)
		}
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
	f = read(t, cad(`"isNotPeDeMeiaBeneficiary": {"result": "failure"}, "isNotAZBeneficiary": {"result": "failure"}, "isNotZonaAzulBeneficiary": {"result": "failure"}, "isNotBeneficiary": {"result": "failure"}, "isUserDataValid": {"result": "failure"}`))
	expect(t, f, "veriff.cadastro.benefits", []string{"pe_de_meia", "a_z", "zona_azul", "unknown"}, engine.Clean)
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

// TestRiskLabelGroups: a label is grouped by its name and category only;
// an element without either adds no group.
func TestRiskLabelGroups(t *testing.T) {
	for _, tt := range []struct {
		labels string
		groups []string
	}{
		{`{"label": "device_emulator_detected", "category": "device"}`, []string{"device"}},
		{`{"label": "vpn_detected", "category": "network"}`, []string{"device"}},
		{`{"label": "selfie_mismatch", "category": "images"}`, []string{"person"}},
		{`{"label": "data_mismatch", "category": "client_data_mismatch"}`, []string{"person"}},
		{`{"label": "high_risk_score", "category": "risk-score"}`, []string{"session"}},
		{`{"label": "document_number_crosslinked", "category": "crosslinks"}`, []string{"crosslink", "document"}},
		{`{"label": "session_crosslinked_with_declines", "category": "crosslinks"}`, []string{"crosslink", "fraud_crosslink"}},
		{`{"label": "custom_label"}`, []string{"other"}},
		{`{"category": "person"}`, []string{"person"}},
		{`{"sessionIds": []}`, []string{}},
		{`{"label": " ", "category": null}`, []string{}},
	} {
		f := read(t, session(`, "riskLabels": [`+tt.labels+`]`))
		expect(t, f, "veriff.risk_label_groups", tt.groups, engine.Clean)
	}
	// A label that is not a string is unreadable, in the labels and the groups.
	raw := session(`, "riskLabels": [{"label": 7, "category": "device"}]`)
	f := read(t, raw)
	expect(t, f, "veriff.risk_labels", []string{}, engine.Unreadable)
	expect(t, f, "veriff.risk_label_groups", []string{"device"}, engine.Unreadable)
	expect(t, f, "veriff.risk_label_categories", []string{"device"}, engine.Clean)
	f = read(t, session(`, "riskLabels": [{"label": "x", "category": 7, "sessionIds": null}]`))
	expect(t, f, "veriff.risk_label_categories", []string{}, engine.Unreadable)
	expect(t, f, "veriff.risk_linked_sessions", 0, engine.Clean)
	f = read(t, session(`, "riskLabels": null`))
	expect(t, f, "veriff.risk_labels", nil, engine.Clean)
	expect(t, f, "veriff.risk_linked_sessions", nil, engine.Clean)
	f = read(t, session(`, "riskLabels": [{"label": "x", "sessionIds": ["", " a ", "a"]}]`))
	expect(t, f, "veriff.risk_linked_sessions", 1, engine.Clean)
}

// TestPriorDeclinesUnordered: when decisions cannot be ordered there is no
// deciding one, so every decline is listed, by its reason code's category
// (declined without one).
func TestPriorDeclinesUnordered(t *testing.T) {
	approve := decided(`"approved"`, "9001", `"next tuesday"`, "")
	for _, tt := range []struct {
		reason string
		want   []string
	}{
		{`, "reasonCode": null`, []string{"declined"}},
		{``, []string{"declined"}},
		{`, "reasonCode": "106"`, []string{"known_fraud"}},
		{`, "reasonCode": 0`, []string{"other"}},
		{`, "reasonCode": 106.5`, []string{"declined"}},
	} {
		decline := decided(`"declined"`, "9102", `"2025-06-02T10:00:00Z"`, tt.reason)
		for _, order := range [][][]byte{{approve, decline}, {decline, approve}} {
			f := read(t, order...)
			expect(t, f, "veriff.status", "declined", engine.Conflicting)
			expect(t, f, "veriff.prior_declines", tt.want, engine.Clean)
		}
	}
	// Ordered, the newer decline decides and the older one is listed; the
	// deciding one is not.
	older := decided(`"declined"`, "9102", `"2025-05-01T10:00:00Z"`, `, "reasonCode": 102`)
	newer := decided(`"declined"`, "9102", `"2025-06-01T10:00:00Z"`, `, "reasonCode": 126`)
	for _, order := range [][][]byte{{older, newer}, {newer, older}} {
		f := read(t, order...)
		expect(t, f, "veriff.reason_category", "pep", engine.Clean)
		expect(t, f, "veriff.prior_declines", []string{"document_tampering"}, engine.Clean)
	}
	// Only the submission time known: it orders.
	sub := func(status, when string) []byte {
		return []byte(`{"status": "success", "verification": {"id": "s", "code": 9001, "status": "` + status + `", "decisionTime": null, "submissionTime": "` + when + `"}}`)
	}
	for _, order := range [][][]byte{{sub("declined", "2025-05-01T10:00:00Z"), sub("approved", "2025-06-01T10:00:00Z")}, {sub("approved", "2025-06-01T10:00:00Z"), sub("declined", "2025-05-01T10:00:00Z")}} {
		f := read(t, order...)
		expect(t, f, "veriff.status", "approved", engine.Clean)
		expect(t, f, "veriff.prior_declines", []string{"declined"}, engine.Clean)
	}
}

// TestSessionShapes: the session-creation response is told by its url or
// sessionToken without a status or code; either one alone is enough, and a
// code makes it a decision.
func TestSessionShapes(t *testing.T) {
	for _, tt := range []struct {
		members string
		decided bool
	}{
		{`"url": "https://alchemy.veriff.com/v/x"`, false},
		{`"sessionToken": "eyJhbGciOiJIUzI1NiJ9"`, false},
		{`"url": "https://alchemy.veriff.com/v/x", "sessionToken": "eyJhbGciOiJIUzI1NiJ9"`, false},
		{`"url": "https://alchemy.veriff.com/v/x", "code": 9001`, true},
		{`"sessionToken": "eyJhbGciOiJIUzI1NiJ9", "code": 9102`, true},
		{`"url": null, "sessionToken": null, "code": 9001`, true},
	} {
		raw := []byte(`{"status": "success", "verification": {"id": "f04bdb47-d3be-4b28-b028-a652feb060b5", ` + tt.members + `}}`)
		f := read(t, raw)
		expect(t, f, "veriff.decision_available", tt.decided, engine.Clean)
		if tt.decided {
			if v, _ := f.Lookup("veriff.code"); !v.Known() {
				t.Errorf("%s: no code read", tt.members)
			}
			continue
		}
		expect(t, f, "veriff.code", nil, engine.Clean)
		if len(f.Warnings) != 1 || f.Warnings[0].Offset != at(t, raw, `"verification": |{`) || !strings.Contains(f.Warnings[0].Message, "created: no decision yet") {
			t.Errorf("%s: warnings %+v", tt.members, f.Warnings)
		}
		// Beside a decision it is no decision either.
		f = read(t, raw, fixture(t, "declined_pep"))
		expect(t, f, "veriff.status", "declined", engine.Clean)
		expect(t, f, "veriff.prior_declines", nil, engine.Clean)
	}
}

// TestEvents: a session event's warning names its action; an action that
// is not a word is shown as "?".
func TestEvents(t *testing.T) {
	for action, shown := range map[string]string{`"started"`: `"started"`, `" submitted "`: `"submitted"`, `""`: `"?"`, `7`: `"?"`, `null`: `"?"`} {
		raw := []byte(`{"id": "f04bdb47-d3be-4b28-b028-a652feb060b5", "feature": "selfid", "code": 7001, "action": ` + action + `}`)
		if !(veriff.Provider{}).Detect(shape(t, raw)) {
			t.Errorf("action %s: not detected", action)
		}
		f := read(t, raw)
		expect(t, f, "veriff.decision_available", false, engine.Clean)
		expect(t, f, "veriff.code", nil, engine.Clean)
		if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].Message, "(action "+shown+")") || f.Warnings[0].Offset != base {
			t.Errorf("action %s: warnings %+v", action, f.Warnings)
		}
	}
}

// TestStructureErrorsOffset: an error about the payload's structure points
// past its leading blanks, in the input.
func TestStructureErrorsOffset(t *testing.T) {
	for _, raw := range []string{"\n  {\"status\": \"success\"}", " \t{\"status\": \"fail\", \"message\": \"no code\"}"} {
		f := newFacts(t)
		err := veriff.Provider{}.Normalize([]normalizers.Payload{{Raw: []byte(raw), Offset: base}}, f.Sink("veriff"))
		var e *normalizers.Error
		if !errors.As(err, &e) || e.Offset != base+strings.IndexByte(raw, '{') {
			t.Errorf("%q: error %v, want one at %d", raw, err, base+strings.IndexByte(raw, '{'))
		}
	}
}

// TestDetectBlank: a verification member with a blank value is no decision.
func TestDetectBlank(t *testing.T) {
	for _, v := range []string{"", " ", "\n\t"} {
		if (veriff.Provider{}).Detect(normalizers.Shape{Keys: map[string]string{"verification": v}}) {
			t.Errorf("verification %q detected", v)
		}
	}
	if !(veriff.Provider{}).Detect(normalizers.Shape{Keys: map[string]string{"verification": " {}\n"}}) {
		t.Error("verification {} among blanks not detected")
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

// TestMessagesQuoteValues: an undocumented value is quoted in full up to
// 40 bytes, and cut after them.
func TestMessagesQuoteValues(t *testing.T) {
	forty := strings.Repeat("X", 40)
	for value, quoted := range map[string]string{forty: `"` + forty + `"`, forty + "Y": `"` + forty + `…"`} {
		f := read(t, session(`, "document": {"type": "`+value+`"}`))
		expect(t, f, "veriff.document.type", nil, engine.Unreadable)
		if len(f.Warnings) != 1 || !strings.HasSuffix(f.Warnings[0].Message, "undocumented value "+quoted) {
			t.Errorf("%d bytes: warnings %+v", len(value), f.Warnings)
		}
	}
}

// TestAdditionalElements: elements of additionalVerifiedData that are no
// object are warned about and the others still read; sections of another
// type are warned about.
func TestAdditionalElements(t *testing.T) {
	raw := adv(`"estimatedAge"`, `{"estimatedAge": 40}`, `null`, `{"officialDatabaseVerification": {"rfc": {"valid": true}, "ine": {"validations": {"processing": {"result": "success"}, "other": {"result": "failure"}}}}}`)
	f := read(t, raw)
	expect(t, f, "veriff.estimated_age", 40, engine.Clean)
	expect(t, f, "veriff.ine.processed", true, engine.Clean)
	if len(f.Warnings) != 1 || f.Warnings[0].Offset != at(t, raw, `[|"estimatedAge"`) || !strings.Contains(f.Warnings[0].Message, "expected object, got string") {
		t.Errorf("warnings %+v", f.Warnings)
	}
	raw = session(`, "additionalVerifiedData": "none", "person": [], "document": "PASSPORT", "biometricAuthentication": 1`)
	f = read(t, raw)
	expect(t, f, "veriff.status", "approved", engine.Clean)
	if len(f.Warnings) != 4 {
		t.Errorf("warnings %+v", f.Warnings)
	}
	for _, section := range []string{`{"officialDatabaseVerification": {"curp": {"matchData": "MATCH", "validations": [], "registryResponse": 1}}}`, `{"officialDatabaseVerification": {"ine": {"matchData": "MATCH", "validations": [], "registryResponse": 1}}}`} {
		f = read(t, adv(section))
		if len(f.Warnings) != 3 {
			t.Errorf("%s: warnings %+v", section, f.Warnings)
		}
	}
}
