package veriff

import (
	"strings"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers/internal/field"
	"github.com/veredicto/veredicto/normalizers/internal/walk"
)

const secADV = "verification.additionalVerifiedData"

// additionalElements reads additionalVerifiedData as an array at s[i] and
// returns its end. Object elements are read and merged; a nested array is
// read the same way, but every fact it sets is marked unreadable (it is no
// documented shape, and dropping it would hide what it says); an element of
// another type is warned about.
func (n *norm) additionalElements(i int) int {
	s := n.s
	return walk.Elements(s, i, func(v int) int {
		switch {
		case walk.IsObject(s, v):
			return n.additional(v)
		case walk.IsArray(s, v):
			outer := n.out.nested
			if outer == 0 {
				n.out.nested = 1 + n.base + v
				// The same words as the facts' marks, so it warns once.
				n.out.Warn(n.base+v, secADV+": "+nestedMsg)
			}
			e := n.additionalElements(v)
			n.out.nested = outer
			return e
		}
		if r := walk.Val(s, v); field.Present(r) {
			n.warnType(r, secADV, "[]", "object")
		}
		return 0
	})
}

// additional reads one object of additionalVerifiedData at s[i] and returns
// its end.
func (n *norm) additional(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "estimatedAge":
			n.setNumber(fEstimatedAge, walk.Val(s, v), secADV, "estimatedAge", 0, 150)
		case "estimatedGender":
			n.setNumber(fEstimatedGender, walk.Val(s, v), secADV, "estimatedGender", 0, 1)
		case "faceMatch":
			n.setEnum(fSelfieMatch, walk.Val(s, v), secADV, "faceMatch", selfieMatchValues)
		case "proofOfAddress":
			if n.object(v, secADV, "proofOfAddress") {
				return n.proofOfAddress(v)
			}
		case "addressMatching":
			if n.object(v, secADV, "addressMatching") {
				return n.addressMatching(v)
			}
		case "validationResults":
			return n.validationResults(v)
		case "registryValidation":
			if n.object(v, secADV, "registryValidation") {
				return n.registryValidation(v)
			}
		case "biometricRegistryValidationResults":
			if n.object(v, secADV, "biometricRegistryValidationResults") {
				return n.biometricRegistry(v)
			}
		case "cpfValidation":
			if n.object(v, secADV, "cpfValidation") {
				return n.cpfValidation(v)
			}
		case "cadastroUnico":
			if n.object(v, secADV, "cadastroUnico") {
				return n.cadastroUnico(v)
			}
		case "proBet":
			if n.object(v, secADV, "proBet") {
				return n.proBet(v)
			}
		case "officialDatabaseVerification":
			if n.object(v, secADV, "officialDatabaseVerification") {
				return walk.Members(s, v, func(key string, w int) int {
					switch key {
					case "ine":
						if n.object(w, secODV, "ine") {
							return n.ine(w)
						}
					case "curp":
						if n.object(w, secODV, "curp") {
							return n.curp(w)
						}
					}
					return 0
				})
			}
		case "ineBiometricValidation":
			if n.object(v, secADV, "ineBiometricValidation") {
				return n.ineBiometric(v)
			}
		}
		return 0
	})
}

const (
	secODV      = secADV + ".officialDatabaseVerification"
	secINE      = secODV + ".ine"
	secINEMatch = secINE + ".matchData"
	secINEVal   = secINE + ".validations"
	secINEReg   = secINE + ".registryResponse"
)

func (n *norm) ine(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "matchData":
			if n.object(v, secINE, "matchData") {
				return n.matchData(v, secINEMatch, fINEFullNameMatch, fINEDOBMatch, fINEGenderMatch)
			}
		case "validations":
			if n.object(v, secINE, "validations") {
				return n.validations(v, secINEVal, ineValidations)
			}
		case "registryResponse":
			if n.object(v, secINE, "registryResponse") {
				return walk.Members(s, v, func(key string, w int) int {
					if key == "validity" {
						n.ineValidity(walk.Val(s, w))
					}
					return 0
				})
			}
		}
		return 0
	})
}

// The registries' validation checks and the facts they set. The risk-factor
// check is named curpHasRiskFactors in Veriff's example and
// curpHasNoRiskFactors in its schema; either way success means it passed.
var (
	ineValidations = map[string]int{
		"processing": fINEProcessed, "ineCardIsValid": fINECardValid, "ineIsValidForVoting": fINEValidForVoting,
	}
	curpValidations = map[string]int{
		"processing": fCURPProcessed, "curpIsValid": fCURPValid,
		"curpHasNoRiskFactors": fCURPNoRiskFactors, "curpHasRiskFactors": fCURPNoRiskFactors,
	}
)

// validations reads a registry's validations object: the result of each
// known check (success / failure, "sucess" included) into its fact.
func (n *norm) validations(i int, sect string, facts map[string]int) int {
	return walk.Members(n.s, i, func(key string, w int) int {
		if f, ok := facts[key]; ok {
			n.setResult(f, w, sect, key, false)
		}
		return 0
	})
}

// ineValidity reads the INE credential's validity: documented as a
// Spanish long date, also sent abbreviated, numeric (day first) or as a
// bare year (see field.Date).
func (n *norm) ineValidity(r gjson.Result) {
	// The documented long form without allocating; field.Date for the rest.
	t, ok := parseSpanishDate(r.Str)
	if r.Type != gjson.String || !ok {
		if t, ok = n.date(r, secINEReg, "validity", fINEValidUntil, fINEExpired); !ok {
			return
		}
	}
	n.out.String(fINEValidUntil, isoDate(r.Str, t))
	if !n.asOf.IsZero() {
		n.out.Bool(fINEExpired, n.asOf.After(t))
	}
}

// matchData reads the MX registries' match levels.
func (n *norm) matchData(i int, sect string, fName, fDOB, fGender int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "fullName":
			n.setEnum(fName, walk.Val(s, v), sect, "fullName", mxMatchValues)
		case "dateOfBirth":
			n.setEnum(fDOB, walk.Val(s, v), sect, "dateOfBirth", mxMatchValues)
		case "gender":
			n.setEnum(fGender, walk.Val(s, v), sect, "gender", mxMatchValues)
		}
		return 0
	})
}

const (
	secCURP      = secODV + ".curp"
	secCURPMatch = secCURP + ".matchData"
	secCURPVal   = secCURP + ".validations"
	secCURPReg   = secCURP + ".registryResponse"
)

func (n *norm) curp(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "matchData":
			if n.object(v, secCURP, "matchData") {
				return n.matchData(v, secCURPMatch, fCURPFullNameMatch, fCURPDOBMatch, fCURPGenderMatch)
			}
		case "validations":
			if n.object(v, secCURP, "validations") {
				return n.validations(v, secCURPVal, curpValidations)
			}
		case "registryResponse":
			if n.object(v, secCURP, "registryResponse") {
				return n.curpRegistry(v)
			}
		}
		return 0
	})
}

func (n *norm) curpRegistry(i int) int {
	s := n.s
	var curp, names, paternal, maternal, dob string
	var dobR gjson.Result
	e := walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "curpStatus":
			r := walk.Val(s, v)
			if field.Present(r) && r.Type != gjson.String {
				// A RENAPO status is a code word, never a number.
				n.bad(fCURPRegistryStatus, r, secCURPReg, "curpStatus", "expected a string, got "+kindOf(r))
				n.bad(fCURPDeceased, r, secCURPReg, "curpStatus", "expected a string, got "+kindOf(r))
				break
			}
			if st := n.setString(fCURPRegistryStatus, r, secCURPReg, "curpStatus"); st != "" {
				n.out.Bool(fCURPDeceased, eqFold(st, "BD"))
			}
		case "curp":
			curp = n.str(walk.Val(s, v), secCURPReg, "curp")
		case "names":
			names = n.str(walk.Val(s, v), secCURPReg, "names")
		case "paternalSurname":
			paternal = n.str(walk.Val(s, v), secCURPReg, "paternalSurname")
		case "maternalSurname":
			maternal = n.str(walk.Val(s, v), secCURPReg, "maternalSurname")
		case "dob":
			dobR = walk.Val(s, v)
		}
		return 0
	})

	if t, ok := n.date(dobR, secCURPReg, "dob"); ok {
		dob = t.Format(field.ISODate)
	} else if field.Present(dobR) && (dobR.Type != gjson.String || trimSpace(dobR.Str) != "") {
		// Personal data only, no fact: the warning says it was not read.
		n.warn(dobR, secCURPReg, "dob", "unreadable date")
	}
	name := joinName(names, paternal, maternal)
	if curp != "" || name != "" || dob != "" {
		n.out.Identity(engine.Identity{Source: provider + ".curp_registry", CURP: strings.ToUpper(curp), DOB: dob, Name: name})
	}
	return e
}

const secINEBio = secADV + ".ineBiometricValidation"

// ineMatchAbove is the INE biometric similarity above which Veriff calls
// the selfie a match ("values >85 indicate a match; values <85 indicate
// that images do not match"): 85 itself is not a match.
const ineMatchAbove = 85

// ineBiometric reads the INE biometric check. Veriff decides faceMatch
// from faceMatchPercentage: when faceMatch is null the percentage decides,
// and when both are sent and disagree the fact is conflicting, no match.
func (n *norm) ineBiometric(i int) int {
	s := n.s
	var pct gjson.Result
	e := walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "faceMatch":
			n.setBool(fINEBioFaceMatch, walk.Val(s, v), secINEBio, "faceMatch")
		case "faceMatchPercentage":
			pct = walk.Val(s, v)
			n.setNumber(fINEBioFaceMatchPct, pct, secINEBio, "faceMatchPercentage", 0, 100)
		case "responseStatus":
			n.setEnum(fINEBioResponseStatus, walk.Val(s, v), secINEBio, "responseStatus", responseStatValues)
		}
		return 0
	})
	if p, ok := field.Number(pct); ok && p >= 0 && p <= 100 {
		n.out.Merge(fINEBioFaceMatch, engine.BoolValue(p > ineMatchAbove), n.base+pct.Index, secINEBio+".faceMatchPercentage")
	}
	return e
}

const (
	secPOA      = secADV + ".proofOfAddress"
	secPOAFraud = secPOA + ".fraud"
	secPOAAVR   = secPOA + ".addressValidationResult"
	secAM       = secADV + ".addressMatching"
)

func (n *norm) proofOfAddress(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "nameMatch":
			n.setBool(fPOANameMatch, walk.Val(s, v), secPOA, "nameMatch")
		case "nameMatchPercentage":
			n.setNumber(fPOANameMatchPct, walk.Val(s, v), secPOA, "nameMatchPercentage", 0, 100)
		case "documentType":
			n.setString(fPOADocumentType, walk.Val(s, v), secPOA, "documentType")
		case "issueDate":
			t, ok := n.date(walk.Val(s, v), secPOA, "issueDate", fPOADaysSinceIssue)
			if ok && !n.asOf.IsZero() {
				n.out.Number(fPOADaysSinceIssue, field.Days(t, n.asOf))
			}
		case "fraud":
			if n.object(v, secPOA, "fraud") {
				return n.poaFraud(v)
			}
		case "addressValidationResult":
			if n.object(v, secPOA, "addressValidationResult") {
				return n.addressValidation(v)
			}
		case "addressMatching":
			if n.object(v, secPOA, "addressMatching") {
				return n.addressMatching(v)
			}
		}
		return 0
	})
}

func (n *norm) poaFraud(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "riskLevel":
			n.setEnum(fPOAFraudRiskLevel, walk.Val(s, v), secPOAFraud, "riskLevel", riskLevelValues)
		case "reason":
			n.setString(fPOAFraudReason, walk.Val(s, v), secPOAFraud, "reason")
		case "indicators":
			if !walk.IsArray(s, v) {
				if r := walk.Val(s, v); field.Present(r) {
					n.bad(fPOAFraudIndicators, r, secPOAFraud, "indicators", "expected an array, got "+kindOf(r))
				}
				break
			}
			// An indicator that is no string is unreadable, never dropped:
			// the list would read as fewer risk factors than were sent.
			l := []string{}
			e := walk.Elements(s, v, func(x int) int {
				if r := walk.Val(s, x); r.Type == gjson.String {
					l = append(l, r.Str)
				} else {
					n.bad(fPOAFraudIndicators, r, secPOAFraud, "indicators[]", "expected a string, got "+kindOf(r))
				}
				return 0
			})
			n.out.List(fPOAFraudIndicators, l)
			return e
		}
		return 0
	})
}

func (n *norm) addressValidation(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "addressType":
			n.setEnum(fPOAAddressType, walk.Val(s, v), secPOAAVR, "addressType", addressTypeValues)
		case "validations":
			if n.object(v, secPOAAVR, "validations") {
				return walk.Members(s, v, func(key string, w int) int {
					if key == "countryExists" {
						n.setResult(fPOACountryExists, w, secPOAAVR+".validations", "countryExists", false)
					}
					return 0
				})
			}
		}
		return 0
	})
}

func (n *norm) addressMatching(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "result":
			n.setBool(fPOAAddressMatch, walk.Val(s, v), secAM, "result")
		case "matchPercentage":
			n.setNumber(fPOAAddressMatchPct, walk.Val(s, v), secAM, "matchPercentage", 0, 100)
		case "matchThreshold":
			n.setNumber(fPOAAddressMatchThreshold, walk.Val(s, v), secAM, "matchThreshold", 0, 100)
		}
		return 0
	})
}

// dbState combines the database registries' match levels per field: the
// best level, and the adverse one (NO_MATCH or INVALID) that wins over it.
type dbState struct {
	rank       [9]int8
	adverse    [9]int8 // rank of the adverse level seen, 0 when none
	adverseAt  [9]int  // its offset in the input
	positive   [9]bool // a registry said MATCH or PARTIAL_MATCH
	nested     [9]int  // 1 + offset of a nested array the level came from
	registries []string
}

const secDB = secADV + ".validationResults[]"

// dbFields is built by a function so that mutation testing, which cannot
// see the coverage of package-level initializers, sees it (as facts).
var dbFields = func() [9]dbField {
	return [9]dbField{
		{"firstName", secDB + ".firstName", fDBFirstNameMatch},
		{"lastName", secDB + ".lastName", fDBLastNameMatch},
		{"dateOfBirth", secDB + ".dateOfBirth", fDBDOBMatch},
		{"address", secDB + ".address", fDBAddressMatch},
		{"city", secDB + ".city", fDBCityMatch},
		{"state", secDB + ".state", fDBStateMatch},
		{"zip", secDB + ".zip", fDBZipMatch},
		{"idNumber", secDB + ".idNumber", fDBIDNumberMatch},
		{"phoneNumber", secDB + ".phoneNumber", fDBPhoneMatch},
	}
}()

// dbField is a field of a database registry's result and its fact.
type dbField struct {
	key, path string
	fact      int
}

func (n *norm) validationResults(i int) int {
	s := n.s
	if !walk.IsArray(s, i) && !walk.IsObject(s, i) {
		if r := walk.Val(s, i); field.Present(r) {
			n.warnType(r, secADV, "validationResults", "array")
		}
		return 0
	}
	if !n.dbSeen {
		n.dbSeen = true
		n.db.registries = []string{}
	}
	return walk.Objects(s, i, func(reg int) int {
		return walk.Members(s, reg, func(key string, v int) int {
			if key == "registryName" {
				if x := n.str(walk.Val(s, v), secDB, "registryName"); x != "" {
					n.db.registries = addDistinct(n.db.registries, x)
				}
				return 0
			}
			for f := range dbFields {
				if dbFields[f].key != key {
					continue
				}
				r := walk.Val(s, v)
				x := n.str(r, secDB, key)
				if x == "" {
					break
				}
				rank := matchRank(x)
				if rank == 0 {
					n.bad(dbFields[f].fact, r, secDB, key, "undocumented value "+quote(x))
					break
				}
				n.db.see(f, rank, n.base+r.Index, n.out.nested)
				break
			}
			return 0
		})
	})
}

// see records match level rank of field f, read at offset.
func (d *dbState) see(f int, rank int8, offset, nested int) {
	switch rankCanon[rank] {
	case mNoMatch, mInvalid:
		if d.adverse[f] == 0 || rank < d.adverse[f] {
			d.adverse[f], d.adverseAt[f] = rank, offset
		}
	case mMatch, mPartialMatch:
		d.positive[f] = true
	}
	if rank > d.rank[f] {
		d.rank[f] = rank
	}
	if nested > 0 {
		d.nested[f] = nested
	}
}

// write stores the combined levels: an adverse level from any registry
// wins, conflicting when another registry matched.
func (d *dbState) write(out *sink) {
	for i, r := range d.rank {
		f := dbFields[i]
		switch {
		case d.adverse[i] > 0:
			out.Merge(f.fact, engine.StringValue(rankCanon[d.adverse[i]]), d.adverseAt[i], f.path)
			if d.positive[i] {
				out.Conflict(f.fact, d.adverseAt[i], f.path, "one registry matched, another did not")
			}
		case r > 0:
			out.String(f.fact, rankCanon[r])
		default:
			continue
		}
		if d.nested[i] > 0 {
			out.Unreadable(f.fact, d.nested[i]-1, secADV, nestedMsg)
		}
	}
	out.List(fDBRegistries, d.registries)
}

const secCO = secADV + ".registryValidation"

func (n *norm) registryValidation(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "documentValid":
			n.setBool(fCODocumentValid, walk.Val(s, v), secCO, "documentValid")
		case "personIsAlive":
			n.setBool(fCOPersonAlive, walk.Val(s, v), secCO, "personIsAlive")
		case "fullNameSimilarity":
			n.setNumber(fCOFullNameSimilarity, walk.Val(s, v), secCO, "fullNameSimilarity", 0, 100)
		case "registryName":
			n.setString(fCORegistryName, walk.Val(s, v), secCO, "registryName")
		case "countryRegistry":
			n.setString(fCOCountry, walk.Val(s, v), secCO, "countryRegistry")
		}
		return 0
	})
}

const secBR = secADV + ".biometricRegistryValidationResults.BR"

func (n *norm) biometricRegistry(i int) int {
	s := n.s
	return walk.Members(s, i, func(country string, v int) int {
		if !eqFold(country, "BR") || !n.object(v, secADV+".biometricRegistryValidationResults", country) {
			return 0
		}
		return walk.Members(s, v, func(key string, w int) int {
			switch key {
			case "isFirstNameMatch":
				n.setBool(fBRFirstNameMatch, walk.Val(s, w), secBR, "isFirstNameMatch")
			case "isLastNameMatch":
				n.setBool(fBRLastNameMatch, walk.Val(s, w), secBR, "isLastNameMatch")
			case "isDobMatch":
				n.setBool(fBRDOBMatch, walk.Val(s, w), secBR, "isDobMatch")
			case "isFaceMatch":
				n.setBool(fBRFaceMatch, walk.Val(s, w), secBR, "isFaceMatch")
			}
			return 0
		})
	})
}

const secCPF = secADV + ".cpfValidation"

func (n *norm) cpfValidation(i int) int {
	s := n.s
	var name, dob string
	var statusR, dobR, deathR gjson.Result
	e := walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "status":
			statusR = walk.Val(s, v)
		case "name":
			name = n.str(walk.Val(s, v), secCPF, "name")
		case "dateOfBirth":
			dobR = walk.Val(s, v)
		case "dateOfDeath":
			deathR = walk.Val(s, v)
		}
		return 0
	})

	status := n.setEnum(fCPFStatus, statusR, secCPF, "status", cpfStatusValues)
	death := n.str(deathR, secCPF, "dateOfDeath")
	if status != "" {
		n.out.Bool(fCPFValidated, status == cpfValidated)
	}
	switch {
	case status == cpfDeceased || death != "":
		n.out.Bool(fCPFDeceased, true)
	case status != "":
		n.out.Bool(fCPFDeceased, false)
	}
	if t, ok := n.date(dobR, secCPF, "dateOfBirth"); ok {
		dob = isoDate(dobR.Str, t)
	} else if field.Present(dobR) && (dobR.Type != gjson.String || trimSpace(dobR.Str) != "") {
		// Personal data only, no fact: the warning says it was not read.
		n.warn(dobR, secCPF, "dateOfBirth", "unreadable date")
	}
	if name != "" || dob != "" {
		n.out.Identity(engine.Identity{Source: provider + ".cpf_registry", Name: name, DOB: dob})
	}
	return e
}

const secCad = secADV + ".cadastroUnico.validations"

// cadastroPrograms names the Cadastro Único programs by their check's key.
var cadastroPrograms = [...]struct{ key, name string }{
	{"isNotBcpBeneficiary", "bcp"},
	{"isNotBolsaFamiliaBeneficiary", "bolsa_familia"},
	{"isNotSeguroDefesoBeneficiary", "seguro_defeso"},
	{"isNotCadastroUnicoBeneficiary", "cadastro_unico"},
	{"isNotAuxilioEmergencialBeneficiary", "auxilio_emergencial"},
}

// cadastroUnico reads the validations; registryResponse (benefit details:
// amounts, municipalities, beneficiary names and numbers) is not read.
func (n *norm) cadastroUnico(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		if key != "validations" || !n.object(v, secADV+".cadastroUnico", "validations") {
			return 0
		}
		var benefits []string
		reported := false
		e := walk.Members(s, v, func(key string, w int) int {
			switch key {
			case "processing":
				n.setResult(fCadProcessed, w, secCad, "processing", false)
				return 0
			case "isUserDataValid":
				n.setResult(fCadUserDataValid, w, secCad, "isUserDataValid", false)
				return 0
			}
			if !strings.HasPrefix(key, "isNot") || !strings.HasSuffix(key, "Beneficiary") {
				return 0
			}
			res, bad, r := n.result(w)
			if bad != "" {
				// Both facts are derived from every check.
				n.bad(fCadBenefits, r, secCad, key+".result", bad)
				n.bad(fCadIsBeneficiary, r, secCad, key+".result", bad)
			}
			switch res {
			case "success":
				reported = true
			case "failure":
				reported = true
				benefits = append(benefits, programName(key))
			}
			return 0
		})

		if reported {
			if benefits == nil {
				benefits = []string{}
			}
			n.out.List(fCadBenefits, benefits)
			n.out.Bool(fCadIsBeneficiary, len(benefits) > 0)
		}
		return e
	})
}

// programName returns the snake_case program name of an isNot…Beneficiary key.
func programName(key string) string {
	for _, p := range cadastroPrograms {
		if p.key == key {
			return p.name
		}
	}
	mid := key[len("isNot") : len(key)-len("Beneficiary")]
	b := make([]byte, 0, len(mid)+4)
	for i := 0; i < len(mid); i++ {
		c := mid[i]
		if 'A' <= c && c <= 'Z' {
			if i > 0 {
				b = append(b, '_')
			}
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	if len(b) == 0 {
		return "unknown"
	}
	return string(b)
}

const (
	secPB    = secADV + ".proBet"
	secPBVal = secPB + ".validations"
	secPBReg = secPB + ".registryResponse"
)

func (n *norm) proBet(i int) int {
	s := n.s
	processing := ""
	hasReg := false
	var pep, artist, influencer bool
	var piaR gjson.Result
	e := walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "validations":
			if !n.object(v, secPB, "validations") {
				break
			}
			return walk.Members(s, v, func(key string, w int) int {
				switch key {
				case "processing":
					processing = n.setResult(fPBProcessed, w, secPBVal, "processing", false)
				case "isUserDataValid":
					n.setResult(fPBUserDataValid, w, secPBVal, "isUserDataValid", false)
				case "isNotOnPia":
					n.setResult(fPBOnPIA, w, secPBVal, "isNotOnPia", true)
				case "isNotOnProBet":
					n.setResult(fPBOnProBet, w, secPBVal, "isNotOnProBet", true)
				}
				return 0
			})

		case "registryResponse":
			if !n.object(v, secPB, "registryResponse") {
				break
			}
			hasReg = true
			return walk.Members(s, v, func(key string, w int) int {
				switch key {
				case "pepData":
					pep = hasText(s, w, "name")
				case "artistData":
					artist = hasText(s, w, "name", "artisticName")
				case "influencerData":
					influencer = hasText(s, w, "artisticName")
				case "piaData":
					if walk.IsObject(s, w) {
						return walk.Members(s, w, func(key string, x int) int {
							if key == "isInRegistry" {
								piaR = walk.Val(s, x)
							}
							return 0
						})
					}
				case "scoreData":
					if n.object(w, secPBReg, "scoreData") {
						return walk.Members(s, w, func(key string, x int) int {
							if key == "isAllowedToBet" {
								n.setBool(fPBAllowedToBet, walk.Val(s, x), secPBReg+".scoreData", "isAllowedToBet")
							}
							return 0
						})
					}
				}
				return 0
			})
		}
		return 0
	})

	// The record is the same evidence as the validation: merged with it, so
	// that a record listing the person is never hidden by a passed check.
	n.setBool(fPBOnPIA, piaR, secPBReg+".piaData", "isInRegistry")
	if hasReg && processing != "failure" {
		n.out.Bool(fPBIsPEP, pep)
		n.out.Bool(fPBIsArtist, artist)
		n.out.Bool(fPBIsInfluencer, influencer)
	}
	return e
}

// hasText reports whether the object at s[i] has a non-blank string at one
// of keys.
func hasText(s string, i int, keys ...string) bool {
	if !walk.IsObject(s, i) {
		return false
	}
	found := false
	walk.Members(s, i, func(key string, v int) int {
		for _, k := range keys {
			if key == k {
				if r := walk.Val(s, v); r.Type == gjson.String && trimSpace(r.Str) != "" {
					found = true
				}
			}
		}
		return 0
	})

	return found
}
