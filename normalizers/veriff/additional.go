package veriff

import (
	"strings"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers/internal/field"
)

const secADV = "verification.additionalVerifiedData"

// additional reads one object of additionalVerifiedData at s[i] and returns
// its end.
func (n *norm) additional(i int) int {
	s := n.s
	return members(s, i, func(key string, v int) int {
		switch key {
		case "estimatedAge":
			n.setNumber(fEstimatedAge, val(s, v), secADV, "estimatedAge", 0, 150)
		case "estimatedGender":
			n.setNumber(fEstimatedGender, val(s, v), secADV, "estimatedGender", 0, 1)
		case "faceMatch":
			n.setEnum(fSelfieMatch, val(s, v), secADV, "faceMatch", selfieMatchValues)
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
				return members(s, v, func(key string, w int) int {
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
	return members(s, i, func(key string, v int) int {
		switch key {
		case "matchData":
			if n.object(v, secINE, "matchData") {
				return n.matchData(v, secINEMatch, fINEFullNameMatch, fINEDOBMatch, fINEGenderMatch)
			}
		case "validations":
			if n.object(v, secINE, "validations") {
				return members(s, v, func(key string, w int) int {
					switch key {
					case "processing":
						n.setResult(fINEProcessed, w, secINEVal, "processing", false)
					case "ineCardIsValid":
						n.setResult(fINECardValid, w, secINEVal, "ineCardIsValid", false)
					case "ineIsValidForVoting":
						n.setResult(fINEValidForVoting, w, secINEVal, "ineIsValidForVoting", false)
					}
					return 0
				})
			}
		case "registryResponse":
			// electorKey, cic and ocr identify the person: not facts.
			if n.object(v, secINE, "registryResponse") {
				return members(s, v, func(key string, w int) int {
					if key == "validity" {
						n.ineValidity(val(s, w))
					}
					return 0
				})
			}
		}
		return 0
	})
}

func (n *norm) ineValidity(r gjson.Result) {
	d := n.str(r, secINEReg, "validity")
	if d == "" {
		return
	}
	t, ok := parseSpanishDate(d)
	if !ok {
		n.warn(r, secINEReg, "validity", "unreadable date "+quote(d))
		return
	}
	n.out.String(fINEValidUntil, isoDate(d, t))
	if !n.asOf.IsZero() {
		n.out.Bool(fINEExpired, n.asOf.After(t))
	}
}

// matchData reads the MX registries' match levels.
func (n *norm) matchData(i int, sect string, fName, fDOB, fGender int) int {
	s := n.s
	return members(s, i, func(key string, v int) int {
		switch key {
		case "fullName":
			n.setEnum(fName, val(s, v), sect, "fullName", mxMatchValues)
		case "dateOfBirth":
			n.setEnum(fDOB, val(s, v), sect, "dateOfBirth", mxMatchValues)
		case "gender":
			n.setEnum(fGender, val(s, v), sect, "gender", mxMatchValues)
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
	return members(s, i, func(key string, v int) int {
		switch key {
		case "matchData":
			if n.object(v, secCURP, "matchData") {
				return n.matchData(v, secCURPMatch, fCURPFullNameMatch, fCURPDOBMatch, fCURPGenderMatch)
			}
		case "validations":
			if n.object(v, secCURP, "validations") {
				return members(s, v, func(key string, w int) int {
					switch key {
					case "processing":
						n.setResult(fCURPProcessed, w, secCURPVal, "processing", false)
					case "curpIsValid":
						n.setResult(fCURPValid, w, secCURPVal, "curpIsValid", false)
					case "curpHasNoRiskFactors", "curpHasRiskFactors":
						// One check under two names (schema vs example):
						// success means it passed, i.e. no risk factors.
						n.setResult(fCURPNoRiskFactors, w, secCURPVal, key, false)
					}
					return 0
				})
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
	e := members(s, i, func(key string, v int) int {
		switch key {
		case "curpStatus":
			if st := n.setString(fCURPRegistryStatus, val(s, v), secCURPReg, "curpStatus"); st != "" {
				n.out.Bool(fCURPDeceased, eqFold(st, "BD"))
			}
		case "curp":
			curp = n.str(val(s, v), secCURPReg, "curp")
		case "names":
			names = n.str(val(s, v), secCURPReg, "names")
		case "paternalSurname":
			paternal = n.str(val(s, v), secCURPReg, "paternalSurname")
		case "maternalSurname":
			maternal = n.str(val(s, v), secCURPReg, "maternalSurname")
		case "dob":
			dobR = val(s, v)
		}
		return 0
	})
	if d := n.str(dobR, secCURPReg, "dob"); d != "" {
		if t, ok := parseDate(d); ok {
			dob = t.Format(field.ISODate)
		} else {
			n.warn(dobR, secCURPReg, "dob", "unreadable date")
		}
	}
	name := joinName(names, paternal, maternal)
	if curp != "" || name != "" || dob != "" {
		n.out.Identity(engine.Identity{Source: provider + ".curp_registry", CURP: strings.ToUpper(curp), DOB: dob, Name: name})
	}
	return e
}

const secINEBio = secADV + ".ineBiometricValidation"

func (n *norm) ineBiometric(i int) int {
	s := n.s
	return members(s, i, func(key string, v int) int {
		switch key {
		case "faceMatch":
			n.setBool(fINEBioFaceMatch, val(s, v), secINEBio, "faceMatch")
		case "faceMatchPercentage":
			n.setNumber(fINEBioFaceMatchPct, val(s, v), secINEBio, "faceMatchPercentage", 0, 100)
		case "responseStatus":
			n.setEnum(fINEBioResponseStatus, val(s, v), secINEBio, "responseStatus", responseStatValues)
		}
		return 0
	})
}

const (
	secPOA      = secADV + ".proofOfAddress"
	secPOAFraud = secPOA + ".fraud"
	secPOAAVR   = secPOA + ".addressValidationResult"
	secAM       = secADV + ".addressMatching"
)

func (n *norm) proofOfAddress(i int) int {
	s := n.s
	return members(s, i, func(key string, v int) int {
		switch key {
		case "nameMatch":
			n.setBool(fPOANameMatch, val(s, v), secPOA, "nameMatch")
		case "nameMatchPercentage":
			n.setNumber(fPOANameMatchPct, val(s, v), secPOA, "nameMatchPercentage", 0, 100)
		case "documentType":
			n.setString(fPOADocumentType, val(s, v), secPOA, "documentType")
		case "issueDate":
			r := val(s, v)
			d := n.str(r, secPOA, "issueDate")
			if d == "" {
				break
			}
			t, ok := parseDate(d)
			if !ok {
				n.warn(r, secPOA, "issueDate", "unreadable date")
				break
			}
			if !n.asOf.IsZero() {
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
	return members(s, i, func(key string, v int) int {
		switch key {
		case "riskLevel":
			n.setEnum(fPOAFraudRiskLevel, val(s, v), secPOAFraud, "riskLevel", riskLevelValues)
		case "reason":
			n.setString(fPOAFraudReason, val(s, v), secPOAFraud, "reason")
		case "indicators":
			if isArray(s, v) {
				l, e := stringList(s, v)
				n.out.List(fPOAFraudIndicators, l)
				return e
			}
			if r := val(s, v); field.Present(r) {
				n.warnType(r, secPOAFraud, "indicators", "array")
			}
		}
		return 0
	})
}

func (n *norm) addressValidation(i int) int {
	s := n.s
	return members(s, i, func(key string, v int) int {
		switch key {
		case "addressType":
			n.setEnum(fPOAAddressType, val(s, v), secPOAAVR, "addressType", addressTypeValues)
		case "validations":
			if n.object(v, secPOAAVR, "validations") {
				return members(s, v, func(key string, w int) int {
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
	return members(s, i, func(key string, v int) int {
		switch key {
		case "result":
			n.setBool(fPOAAddressMatch, val(s, v), secAM, "result")
		case "matchPercentage":
			n.setNumber(fPOAAddressMatchPct, val(s, v), secAM, "matchPercentage", 0, 100)
		case "matchThreshold":
			n.setNumber(fPOAAddressMatchThreshold, val(s, v), secAM, "matchThreshold", 0, 100)
		}
		return 0
	})
}

// dbState combines the database registries' match levels per field.
type dbState struct {
	rank       [9]int8
	registries []string
}

const secDB = secADV + ".validationResults[]"

var dbFields = [9]struct {
	key  string
	fact int
}{
	{"firstName", fDBFirstNameMatch},
	{"lastName", fDBLastNameMatch},
	{"dateOfBirth", fDBDOBMatch},
	{"address", fDBAddressMatch},
	{"city", fDBCityMatch},
	{"state", fDBStateMatch},
	{"zip", fDBZipMatch},
	{"idNumber", fDBIDNumberMatch},
	{"phoneNumber", fDBPhoneMatch},
}

func (n *norm) validationResults(i int) int {
	s := n.s
	if !isArray(s, i) && !isObject(s, i) {
		if r := val(s, i); field.Present(r) {
			n.warnType(r, secADV, "validationResults", "array")
		}
		return 0
	}
	if !n.dbSeen {
		n.dbSeen = true
		n.db.registries = []string{}
	}
	return objects(s, i, func(reg int) int {
		return members(s, reg, func(key string, v int) int {
			if key == "registryName" {
				if x := n.str(val(s, v), secDB, "registryName"); x != "" {
					n.db.registries = addDistinct(n.db.registries, x)
				}
				return 0
			}
			for f := range dbFields {
				if dbFields[f].key != key {
					continue
				}
				r := val(s, v)
				x := n.str(r, secDB, key)
				if x == "" {
					break
				}
				rank := matchRank(x)
				if rank == 0 {
					n.warn(r, secDB, key, "undocumented value "+quote(x))
				} else if rank > n.db.rank[f] {
					n.db.rank[f] = rank
				}
				break
			}
			return 0
		})
	})
}

func (d *dbState) write(out engine.Sink) {
	for i, r := range d.rank {
		if r > 0 {
			out.String(dbFields[i].fact, rankCanon[r])
		}
	}
	out.List(fDBRegistries, d.registries)
}

const secCO = secADV + ".registryValidation"

func (n *norm) registryValidation(i int) int {
	s := n.s
	return members(s, i, func(key string, v int) int {
		switch key {
		case "documentValid":
			n.setBool(fCODocumentValid, val(s, v), secCO, "documentValid")
		case "personIsAlive":
			n.setBool(fCOPersonAlive, val(s, v), secCO, "personIsAlive")
		case "fullNameSimilarity":
			n.setNumber(fCOFullNameSimilarity, val(s, v), secCO, "fullNameSimilarity", 0, 100)
		case "registryName":
			n.setString(fCORegistryName, val(s, v), secCO, "registryName")
		case "countryRegistry":
			n.setString(fCOCountry, val(s, v), secCO, "countryRegistry")
		}
		return 0
	})
}

const secBR = secADV + ".biometricRegistryValidationResults.BR"

func (n *norm) biometricRegistry(i int) int {
	s := n.s
	return members(s, i, func(country string, v int) int {
		if !eqFold(country, "BR") || !n.object(v, secADV+".biometricRegistryValidationResults", country) {
			return 0 // other countries have no facts yet
		}
		return members(s, v, func(key string, w int) int {
			switch key {
			case "isFirstNameMatch":
				n.setBool(fBRFirstNameMatch, val(s, w), secBR, "isFirstNameMatch")
			case "isLastNameMatch":
				n.setBool(fBRLastNameMatch, val(s, w), secBR, "isLastNameMatch")
			case "isDobMatch":
				n.setBool(fBRDOBMatch, val(s, w), secBR, "isDobMatch")
			case "isFaceMatch":
				n.setBool(fBRFaceMatch, val(s, w), secBR, "isFaceMatch")
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
	e := members(s, i, func(key string, v int) int {
		switch key {
		case "status":
			statusR = val(s, v)
		case "name":
			name = n.str(val(s, v), secCPF, "name")
		case "dateOfBirth":
			dobR = val(s, v)
		case "dateOfDeath":
			deathR = val(s, v)
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
	if d := n.str(dobR, secCPF, "dateOfBirth"); d != "" {
		if t, ok := parseDate(d); ok {
			dob = isoDate(d, t)
		} else {
			n.warn(dobR, secCPF, "dateOfBirth", "unreadable date")
		}
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
	return members(s, i, func(key string, v int) int {
		if key != "validations" || !n.object(v, secADV+".cadastroUnico", "validations") {
			return 0
		}
		var benefits []string
		reported := false
		e := members(s, v, func(key string, w int) int {
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
			switch n.result(w, secCad, key) {
			case "success":
				reported = true
			case "failure": // the person IS a beneficiary
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
	onPIA := false
	hasReg := false
	var pep, artist, influencer bool
	var piaR gjson.Result
	e := members(s, i, func(key string, v int) int {
		switch key {
		case "validations":
			if !n.object(v, secPB, "validations") {
				break
			}
			return members(s, v, func(key string, w int) int {
				switch key {
				case "processing":
					processing = n.setResult(fPBProcessed, w, secPBVal, "processing", false)
				case "isUserDataValid":
					n.setResult(fPBUserDataValid, w, secPBVal, "isUserDataValid", false)
				case "isNotOnPia": // failure: IS on the PIA registry
					r := n.setResult(fPBOnPIA, w, secPBVal, "isNotOnPia", true)
					onPIA = r == "success" || r == "failure"
				case "isNotOnProBet": // failure: IS on the ProBet registry
					n.setResult(fPBOnProBet, w, secPBVal, "isNotOnProBet", true)
				}
				return 0
			})
		case "registryResponse":
			if !n.object(v, secPB, "registryResponse") {
				break
			}
			hasReg = true
			return members(s, v, func(key string, w int) int {
				switch key {
				case "pepData":
					pep = hasText(s, w, "name")
				case "artistData":
					artist = hasText(s, w, "name", "artisticName")
				case "influencerData":
					influencer = hasText(s, w, "artisticName")
				case "piaData":
					if isObject(s, w) {
						return members(s, w, func(key string, x int) int {
							if key == "isInRegistry" {
								piaR = val(s, x)
							}
							return 0
						})
					}
				case "scoreData":
					if n.object(w, secPBReg, "scoreData") {
						return members(s, w, func(key string, x int) int {
							if key == "isAllowedToBet" {
								n.setBool(fPBAllowedToBet, val(s, x), secPBReg+".scoreData", "isAllowedToBet")
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
	if !onPIA {
		n.setBool(fPBOnPIA, piaR, secPBReg+".piaData", "isInRegistry")
	}
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
	if !isObject(s, i) {
		return false
	}
	found := false
	members(s, i, func(key string, v int) int {
		for _, k := range keys {
			if key == k {
				if r := val(s, v); r.Type == gjson.String && trimSpace(r.Str) != "" {
					found = true
				}
			}
		}
		return 0
	})
	return found
}
