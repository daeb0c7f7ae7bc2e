package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

const hexDigits = "0123456789abcdef"

// uuid appends a random version-4 UUID.
func uuid(b []byte, r *rand.Rand) []byte {
	hi, lo := r.Uint64(), r.Uint64()
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	for i := 15; i >= 0; i-- {
		b = append(b, hexDigits[hi>>(uint(i)*4)&0xf])
		if i == 8 || i == 4 {
			b = append(b, '-')
		}
	}
	b = append(b, '-')
	for i := 15; i >= 0; i-- {
		b = append(b, hexDigits[lo>>(uint(i)*4)&0xf])
		if i == 12 {
			b = append(b, '-')
		}
	}
	return b
}

// str appends s quoted; generated text never needs escaping.
func str(b []byte, s string) []byte {
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func num(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

func float(b []byte, f float64, prec int) []byte {
	return strconv.AppendFloat(b, f, 'f', prec, 64)
}

func boolean(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// counter appends a count, as a number or, as Trully sometimes sends it,
// a string.
func counter(b []byte, n int, asString bool) []byte {
	if asString {
		b = append(b, '"')
		b = num(b, n)
		return append(b, '"')
	}
	return num(b, n)
}

func timeRFC(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339)
	return append(b, '"')
}

func (s *scenario) sexWord() string {
	if s.p.male {
		return "HOMBRE"
	}
	return "MUJER"
}

var declineReasons = map[int]string{
	102: "Suspected document tampering",
	103: "Person showing the document does not appear to match document photo",
	105: "Suspicious behaviour",
	106: "Known fraud",
	108: "Velocity/abuse duplicated user",
	126: "Potential PEP match",
	509: "Person showing the document does not match document photo",
	533: "Person is under 18 years old",
	201: "Video and/or photos missing",
	204: "Poor image quality",
	207: "Document expired",
	603: "Video missing",
	619: "Face not clearly visible",
	620: "Presented document expired",
	625: "Unable to read document number",
}

// veriffPayload appends a Veriff decision (GET /sessions/{id}/decision or
// the decision webhook), a pending decision or an API error body.
func (s *scenario) veriffPayload(b []byte, r *rand.Rand) []byte {
	switch s.veriff {
	case vPending:
		return append(b, `{"status":"success","verification":null}`...)
	case vAPIError:
		switch r.IntN(3) {
		case 0:
			return append(b, `{"status":"fail","code":"1101","message":"Resource not found"}`...)
		case 1:
			return append(b, `{"status":"fail","code":"1818","message":"Signature \"x-hmac-signature\" does not match the HMAC-SHA256 of query ID and integration API secret."}`...)
		default:
			return append(b, `{"status":"fail","code":"1102","message":"Mandatory parameters are missing from the request."}`...)
		}
	}
	status, code := "approved", 9001
	switch s.veriff {
	case vDeclined:
		status, code = "declined", 9102
	case vResubmission:
		status, code = "resubmission_requested", 9103
	case vExpired:
		status, code = "expired", 9104
	case vAbandoned:
		status, code = "abandoned", 9121
	case vReview:
		status, code = "review", 9121
	}
	if s.codeMismatch {
		// The status says one thing and the code another, as Veriff's
		// payloads sometimes do.
		code = 9103
		if s.veriff != vApproved {
			code = 9001
		}
	}
	blank := s.veriff == vExpired || s.veriff == vAbandoned // no media: no data
	submitted := s.event.Add(-time.Duration(60+r.IntN(900)) * time.Second)

	b = append(b, `{"status":"success","verification":{"id":"`...)
	b = uuid(b, r)
	b = append(b, `","attemptId":"`...)
	b = uuid(b, r)
	b = append(b, `","acceptanceTime":"`...)
	b = submitted.Add(-time.Duration(r.IntN(3600))*time.Second).AppendFormat(b, "2006-01-02")
	b = append(b, `","submissionTime":`...)
	if blank {
		b = append(b, `null,"decisionTime":`...)
	} else {
		b = timeRFC(b, submitted)
		b = append(b, `,"decisionTime":`...)
	}
	b = timeRFC(b, s.event)
	b = append(b, `,"code":`...)
	if s.codeString {
		b = str(b, strconv.Itoa(code))
	} else {
		b = num(b, code)
	}
	b = append(b, `,"vendorData":`...)
	b = str(b, s.id)
	b = append(b, `,"endUserId":`...)
	if r.IntN(3) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, '"')
		b = uuid(b, r)
		b = append(b, '"')
	}
	b = append(b, `,"status":"`...)
	b = append(b, status...)
	b = append(b, `","reason":`...)
	if s.reason != 0 {
		b = str(b, declineReasons[s.reason])
		b = append(b, `,"reasonCode":`...)
		b = num(b, s.reason)
	} else {
		b = append(b, `null,"reasonCode":null`...)
	}
	if blank {
		b = append(b, `,"person":{"firstName":null,"lastName":null,"citizenship":null,"idNumber":null,"gender":null,"dateOfBirth":null,"yearOfBirth":null,"placeOfBirth":null,"nationality":null,"pepSanctionMatch":null},"document":{"number":null,"type":null,"country":null,"validFrom":null,"validUntil":null,"state":null},"additionalVerifiedData":[],"comments":[]},"technicalData":{"ip":null}}`...)
		return b
	}
	p := &s.p
	b = append(b, `,"person":{"firstName":`...)
	b = str(b, p.givenNames())
	b = append(b, `,"lastName":`...)
	b = str(b, p.paternal+" "+p.maternal)
	b = append(b, `,"citizenship":null,"idNumber":`...)
	b = str(b, p.curp)
	b = append(b, `,"gender":`...)
	if p.male {
		b = append(b, `"M"`...)
	} else {
		b = append(b, `"F"`...)
	}
	b = append(b, `,"dateOfBirth":"`...)
	b = p.dob.AppendFormat(b, "2006-01-02")
	b = append(b, `","yearOfBirth":"`...)
	b = num(b, p.dob.Year())
	b = append(b, `","placeOfBirth":`...)
	if r.IntN(2) == 0 {
		b = append(b, "null"...)
	} else {
		b = str(b, states[p.state].name)
	}
	b = append(b, `,"nationality":"MX","pepSanctionMatch":`...)
	if s.reason == 126 {
		b = append(b, `"possible match"`...)
	} else {
		b = append(b, "null"...)
	}

	// The document: an INE voter card mostly, sometimes a passport.
	validUntil := time.Date(s.event.Year()+1+r.IntN(9), 12, 31, 0, 0, 0, 0, time.UTC)
	if s.docExpired {
		validUntil = s.event.AddDate(0, 0, -1-r.IntN(700)).Truncate(24 * time.Hour)
	}
	validFrom := validUntil.AddDate(-10, 0, 1)
	if r.IntN(5) == 0 {
		b = append(b, `},"document":{"number":"G`...)
		b = num(b, 10000000+r.IntN(90000000))
		b = append(b, `","type":"PASSPORT"`...)
		validFrom = validUntil.AddDate(-6, 0, 0)
	} else {
		b = append(b, `},"document":{"number":"IDMEX`...)
		b = num(b, 1000000000+r.IntN(900000000))
		b = append(b, `","type":"ID_CARD"`...)
	}
	b = append(b, `,"country":"MX","validFrom":"`...)
	b = validFrom.AppendFormat(b, "2006-01-02")
	b = append(b, `","validUntil":"`...)
	b = validUntil.AppendFormat(b, "2006-01-02")
	b = append(b, `","state":null},"additionalVerifiedData":`...)

	// additionalVerifiedData: the Mexican registry checks, as an object or
	// (as some integrations receive it) an array of objects.
	odv := r.IntN(10) < 8 || s.registryNoMatch
	bio := r.IntN(4) == 0 || s.ineBioFail
	switch {
	case !odv && !bio:
		if s.advArray {
			b = append(b, "[]"...)
		} else {
			b = append(b, "{}"...)
		}
	case s.advArray:
		b = append(b, '[')
		if odv {
			b = append(b, `{"officialDatabaseVerification":`...)
			b = s.odv(b, r)
			b = append(b, '}')
		}
		if bio {
			if odv {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = s.ineBiometric(b, r)
			b = append(b, '}')
		}
		b = append(b, ']')
	default:
		b = append(b, '{')
		if odv {
			b = append(b, `"officialDatabaseVerification":`...)
			b = s.odv(b, r)
		}
		if bio {
			if odv {
				b = append(b, ',')
			}
			b = s.ineBiometric(b, r)
		}
		b = append(b, '}')
	}
	b = append(b, `,"comments":[]`...)
	if s.riskScore >= 0 {
		b = append(b, `,"riskScore":{"score":`...)
		b = float(b, s.riskScore, 2)
		b = append(b, `},"riskLabels":`...)
		if s.riskLabels {
			b = append(b, `[{"label":"session_face_crosslinked_with_multiple_sessions","category":"crosslinks","sessionIds":["`...)
			b = uuid(b, r)
			b = append(b, `","`...)
			b = uuid(b, r)
			b = append(b, `"]},{"label":"device_emulator_detected","category":"device","sessionIds":[]}]`...)
		} else {
			b = append(b, "[]"...)
		}
	}
	b = append(b, `},"technicalData":{"ip":"`...)
	b = num(b, 100+r.IntN(100))
	b = append(b, '.')
	b = num(b, r.IntN(256))
	b = append(b, '.')
	b = num(b, r.IntN(256))
	b = append(b, '.')
	b = num(b, 1+r.IntN(254))
	return append(b, `"}}`...)
}

// odv appends Veriff's officialDatabaseVerification: the RENAPO CURP and
// the INE registry checks.
func (s *scenario) odv(b []byte, r *rand.Rand) []byte {
	p := &s.p
	valid, risk, status := "success", "not_applicable", "AN"
	switch {
	case s.curpNotFound:
		valid = "failure"
	case s.deceased:
		risk, status = "failure", "BD"
	}
	b = append(b, `{"curp":{"matchData":{"dateOfBirth":"MATCH","fullName":"MATCH","gender":"NO_INPUT"},"validations":{"processing":{"result":"success"},"curpIsValid":{"result":"`...)
	b = append(b, valid...)
	if risk == "failure" {
		b = append(b, `"},"curpHasNoRiskFactors":{"result":"failure","reasons":["CURP holder registered as deceased"]},"matching":{"result":"success"}},"registryResponse":`...)
	} else {
		b = append(b, `"},"curpHasRiskFactors":{"result":"not_applicable"},"matching":{"result":"sucess"}},"registryResponse":`...)
	}
	if s.curpNotFound {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"curp":`...)
		b = str(b, p.curp)
		b = append(b, `,"paternalSurname":`...)
		b = str(b, p.paternal)
		b = append(b, `,"maternalSurname":`...)
		b = str(b, p.maternal)
		b = append(b, `,"names":`...)
		b = str(b, p.givenNames())
		b = append(b, `,"gender":"`...)
		b = append(b, s.sexWord()...)
		b = append(b, `","dob":"`...)
		b = p.dob.AppendFormat(b, "02/01/2006")
		b = append(b, `","nationality":"MEXICO","supportingDocument":"1","registrationEntity":`...)
		b = str(b, states[p.state].name)
		b = append(b, `,"registrationStateNumber":null,"registrationMunicipalityKey":null,"page":null,"tome":null,"book":null,"minutesNumber":"`...)
		b = num(b, 10000+r.IntN(90000))
		b = append(b, `","crip":null,"registrationEntity2":null,"registrationYear":"`...)
		b = num(b, p.dob.Year())
		b = append(b, `","foreignRegistrationNumber":null,"letterFolio":null,"birthStateKey":`...)
		b = str(b, states[p.state].name)
		b = append(b, `,"issueEntityKey":`...)
		b = str(b, states[p.state].name)
		b = append(b, `,"curpStatus":"`...)
		b = append(b, status...)
		b = append(b, `","certificateFolio":null}`...)
	}
	if s.registryNoMatch {
		b = append(b, `},"ine":{"matchData":{"dateOfBirth":"NO_MATCH","fullName":"NO_MATCH","gender":"MATCH"},"validations":{"processing":{"result":"success","reasons":null},"ineCardIsValid":{"result":"`...)
	} else {
		b = append(b, `},"ine":{"matchData":{"dateOfBirth":"MATCH","fullName":"MATCH","gender":"NO_INPUT"},"validations":{"processing":{"result":"success","reasons":null},"ineCardIsValid":{"result":"`...)
	}
	if s.found[lINE] {
		b = append(b, `success","reasons":null},"ineIsValidForVoting":{"result":"success","reasons":null}`...)
	} else {
		b = append(b, `failure","reasons":["INE credential not found in registry"]},"ineIsValidForVoting":{"result":"failure","reasons":["Credential has no voting rights"]}`...)
	}
	b = append(b, `,"matching":{"result":"sucess"}},"registryResponse":{"electorKey":`...)
	b = str(b, p.electoral)
	b = append(b, `,"issueNumber":"`...)
	b = num(b, 1+r.IntN(4))
	b = append(b, `","registrationYear":"`...)
	b = num(b, max(p.dob.Year()+18, 1995))
	b = append(b, `","issueYear":"`...)
	issue := s.event.Year() - r.IntN(9)
	b = num(b, issue)
	b = append(b, `","validity":"31 de diciembre de `...)
	b = num(b, issue+10)
	b = append(b, `","ocr":"`...)
	b = num(b, 1000000000+r.IntN(900000000))
	b = append(b, `123","cic":"IDMEX`...)
	b = num(b, 1000000000+r.IntN(900000000))
	b = append(b, `","federalDistrict":"`...)
	b = num(b, 1+r.IntN(20))
	return append(b, `"}}}`...)
}

func (s *scenario) ineBiometric(b []byte, r *rand.Rand) []byte {
	pct := 86 + r.IntN(14)
	if s.faceMismatch {
		pct = 40 + r.IntN(40)
	}
	b = append(b, `"ineBiometricValidation":{"faceMatch":`...)
	b = boolean(b, pct > 85)
	b = append(b, `,"faceMatchPercentage":`...)
	if r.IntN(4) == 0 {
		b = str(b, strconv.Itoa(pct))
	} else {
		b = num(b, pct)
	}
	return append(b, `,"responseStatus":"success"}`...)
}

// ineRegistryPayload appends Veriff's INE registry check (GET
// /sessions/{id}/decision/ine-registry).
func (s *scenario) ineRegistryPayload(b []byte) []byte {
	switch {
	case !s.ineActive:
		return append(b, `{"active":false,"documentState":"No se obtuvieron datos de la consulta con los parámetros seleccionados"}`...)
	case s.ineString:
		return append(b, `{"active":"true","documentState":"La Credencial para Votar está vigente como medio de identificación"}`...)
	case s.n%2 == 0:
		return append(b, `{"active":true,"documentState":"...."}`...)
	}
	return append(b, `{"active":true,"documentState":"La Credencial para Votar está vigente como medio de identificación"}`...)
}

var trullyReviewReasons = []string{
	"The document is expired",
	"Some fields of the document could not be validated",
	"The user's face was seen by other companies on the Trully network",
}

var trullyThreatReasons = []string{
	"The user's face on the document was flagged as identity fraud by a company on the Trully network",
	"The document did not pass the forensic analysis",
	"The selfie does not match the face on the document",
}

// trullyPayload appends a Trully identity response.
func (s *scenario) trullyPayload(b []byte, r *rand.Rand) []byte {
	p := &s.p
	if s.curpMismatch {
		p = &s.other
	}
	inquiry := s.event.Add(-time.Duration(r.IntN(600)) * time.Second)
	firstSeen := inquiry
	if s.seenElsewhere {
		firstSeen = inquiry.AddDate(0, 0, -30-r.IntN(600))
	}
	docID := 8100000 + r.IntN(100000)
	validThru := s.event.Year() + 1 + r.IntN(9)
	if s.trullyExpired {
		validThru = s.event.Year() - 1 - r.IntN(3)
	}
	forensics := "valid"
	if s.forensicsBad {
		forensics = "invalid"
	} else if s.invalidFields && r.IntN(2) == 0 {
		forensics = "inconclusive"
	}

	b = append(b, `{"document":{"details":{"detected":true,"forensics":{"is_valid":"`...)
	b = append(b, forensics...)
	b = append(b, `"},"document_id":`...)
	b = num(b, docID)
	b = append(b, `},"front":{"information":{"birthdate":{"text":"`...)
	b = p.dob.AppendFormat(b, "02/01/2006")
	b = append(b, `","valid":true},"sex":{"text":"`...)
	if p.male {
		b = append(b, 'H')
	} else {
		b = append(b, 'M')
	}
	b = append(b, `","valid":true},"registration_year":{"text":"`...)
	b = num(b, max(p.dob.Year()+18, 1995))
	b = append(b, ` 0`...)
	b = num(b, 1+r.IntN(3))
	b = append(b, `","valid":true},"name":{"text":`...)
	b = str(b, p.givenNames())
	b = append(b, `,"valid":true},"mother_last_name":{"text":`...)
	b = str(b, p.maternal)
	b = append(b, `,"valid":true},"last_name":{"text":`...)
	b = str(b, p.paternal)
	b = append(b, `,"valid":true},"electoral_key":{"text":`...)
	b = str(b, p.electoral)
	b = append(b, `,"valid":`...)
	b = boolean(b, !s.invalidFields)
	b = append(b, `},"curp":{"text":`...)
	b = str(b, p.curp)
	b = append(b, `,"valid":true},"address":{"text":"`...)
	b = append(b, pick(r, addresses)...)
	b = append(b, `","valid":`...)
	b = boolean(b, !s.invalidFields || r.IntN(2) == 0)
	b = append(b, `},"complete_name":{"text":`...)
	b = str(b, p.surnameFirst())
	b = append(b, `,"valid":true},"valid_thru":{"text":"`...)
	b = num(b, validThru)
	b = append(b, `","valid":true}},"face_analysis":`...)
	b = s.face(b, r, inquiry, firstSeen, true)
	b = append(b, `},"back":{"mrz":"IDMEX`...)
	b = append(b, plain(p.paternal)...)
	b = append(b, "<<"...)
	b = append(b, plain(p.maternal)...)
	b = append(b, '<')
	b = append(b, plain(p.names[0])...)
	b = append(b, "<<"...)
	b = p.dob.AppendFormat(b, "060102")
	b = append(b, `1H`...)
	b = num(b, validThru%100)
	b = append(b, `12316MEX<08<<12345<6","cic":"`...)
	b = num(b, 100000000+r.IntN(900000000))
	b = append(b, `","citizen_id":"`...)
	b = num(b, 100000000+r.IntN(900000000))
	b = append(b, `"}},"selfie":`...)
	if s.noSelfie {
		b = append(b, `null,"face_match":null`...)
	} else {
		b = s.face(b, r, inquiry, firstSeen, false)
		b = append(b, `,"face_match":`...)
		b = boolean(b, !s.faceMismatch)
	}

	b = append(b, `,"curp":`...)
	if s.curpNotFound {
		b = append(b, `{"curp":`...)
		b = str(b, p.curp)
		b = append(b, `,"state_of_birth":null,"state_iso":null,"date_of_birth":"`...)
		b = p.dob.AppendFormat(b, "02/01/2006")
		b = append(b, `","age":`...)
		b = counter(b, ageAt(p.dob, s.event), s.stringCounters)
		b = append(b, `,"gender":null,"is_mexican":true,"name_to_CURP_valid":false,"government_valid":false,"government_name":null,"deceased":null,"error":"CURP no encontrada"}`...)
	} else {
		b = append(b, `{"curp":`...)
		b = str(b, p.curp)
		b = append(b, `,"state_of_birth":`...)
		b = str(b, states[p.state].name)
		b = append(b, `,"state_iso":"MX-`...)
		b = append(b, states[p.state].code...)
		b = append(b, `","date_of_birth":"`...)
		b = p.dob.AppendFormat(b, "02/01/2006")
		b = append(b, `","age":`...)
		b = counter(b, ageAt(p.dob, s.event), s.stringCounters)
		b = append(b, `,"gender":"`...)
		if p.male {
			b = append(b, 'H')
		} else {
			b = append(b, 'M')
		}
		b = append(b, `","is_mexican":true,"name_to_CURP_valid":true,"government_valid":true,"government_name":`...)
		b = str(b, p.fullName())
		b = append(b, `,"deceased":`...)
		b = boolean(b, s.deceased)
		b = append(b, '}')
	}
	b = append(b, `,"unico":{"process_id":"`...)
	b = uuid(b, r)
	b = append(b, `","result":null},"label":`...)
	var buf [2]string
	reasons := buf[:0]
	switch s.trully {
	case tNoThreat:
		b = append(b, `"No Threat"`...)
	case tReview:
		b = append(b, `"Review"`...)
		reasons = append(reasons, trullyReviewReasons[s.trullyWhy])
	case tThreat:
		b = append(b, `"Potential Threat"`...)
		if s.deceased {
			reasons = append(reasons, "The CURP belongs to a person registered as deceased")
		} else {
			reasons = append(reasons, trullyThreatReasons[s.trullyWhy])
		}
	default:
		b = append(b, "null"...)
	}
	if s.curpNotFound && s.trully != tNull {
		reasons = append(reasons, "The CURP was not found in RENAPO")
	}
	b = append(b, `,"reason":[`...)
	for i, rs := range reasons {
		if i > 0 {
			b = append(b, ',')
		}
		b = str(b, rs)
	}
	b = append(b, `],"request_id":"req_`...)
	for range 12 {
		b = append(b, "abcdefghijklmnopqrstuvwxyz0123456789"[r.IntN(36)])
	}
	return append(b, `"}`...)
}

var addresses = []string{
	"AV. VALLARTA 2440, COL. ARCOS VALLARTA, 44130, GUADALAJARA, JAL.",
	"CTO. INTERIOR AV. REVOLUCION 123, COL. SAN MIGUEL CHAPULTEPEC, 11850, MIGUEL HIDALGO, CDMX",
	"C. 5 DE MAYO 18, COL. CENTRO, 72000, PUEBLA, PUE.",
	"AV. CONSTITUCION 410 PTE, COL. CENTRO, 64000, MONTERREY, N.L.",
	"CALLE 60 NO. 491, COL. CENTRO, 97000, MERIDA, YUC.",
	"BLVD. ADOLFO LOPEZ MATEOS 1501, COL. JARDINES, 37350, LEON, GTO.",
}

func ageAt(dob, at time.Time) int {
	y := at.Year() - dob.Year()
	if at.YearDay() < dob.YearDay() {
		y--
	}
	return y
}

// face appends one of Trully's face analyses (of the document photo or of
// the selfie).
func (s *scenario) face(b []byte, r *rand.Rand, inquiry, firstSeen time.Time, document bool) []byte {
	const layout = "01/02/2006, 15:04:05"
	seen := s.seenElsewhere || s.fraudFlag
	companies, times, ours := 0, 0, 0
	if seen {
		companies, times, ours = 1+r.IntN(5), 1+r.IntN(8), r.IntN(4)
	}
	b = append(b, `{"face_id":`...)
	b = num(b, 9000000+r.IntN(1000000))
	b = append(b, `,"first_seen":"`...)
	b = firstSeen.AppendFormat(b, layout)
	b = append(b, `","unique_face_id_v2":`...)
	b = num(b, 100000+r.IntN(900000))
	b = append(b, `,"face_id_v2":`...)
	b = num(b, 4000000+r.IntN(1000000))
	b = append(b, `,"inquiry_date":"`...)
	b = inquiry.AppendFormat(b, layout)
	b = append(b, `","last_seen":"`...)
	b = inquiry.Add(-time.Duration(times)*24*time.Hour).AppendFormat(b, layout)
	b = append(b, `","last_seen_by_your_company":"`...)
	b = inquiry.AppendFormat(b, layout)
	b = append(b, `","match":`...)
	b = boolean(b, seen)
	b = append(b, `,"match_fraud_flag":`...)
	b = boolean(b, s.fraudFlag)
	b = append(b, `,"seen_by_your_company":`...)
	b = boolean(b, ours > 0)
	b = append(b, `,"seen_different_companies":`...)
	b = counter(b, companies, s.stringCounters)
	b = append(b, `,"times_seen_by_your_company":`...)
	b = counter(b, ours, s.stringCounters)
	b = append(b, `,"times_seen_last_month":`...)
	b = counter(b, times, s.stringCounters)
	b = append(b, `,"warnings":{`...)
	if s.fraudFlag {
		if document {
			b = append(b, `"external_id":"The user's face on the document was found in the company database with another external_id"`...)
		} else {
			b = append(b, `"external_id":"The user's face was found in the company database with another external_id"`...)
		}
	}
	b = append(b, '}')
	if !document {
		b = append(b, `,"first_seen_image":`...)
		b = boolean(b, !seen)
	}
	return append(b, '}')
}

// preventorEvent is one webhook of Preventor's IDV ticket.
type preventorEvent uint8

const (
	evLiveness preventorEvent = iota
	evLivenessRetry
	evLivenessFailed
	evIDProofing
	evIDProofingFailed
	evCompleted
	evCompletedRejected
)

// preventorEvents lists the webhooks a ticket sent, in order.
func (s *scenario) preventorEvents(r *rand.Rand) []preventorEvent {
	var evs []preventorEvent
	if s.preventorRetry {
		evs = append(evs, evLivenessRetry)
	}
	switch s.preventor {
	case pRejected:
		if r.IntN(2) == 0 {
			return append(evs, evLivenessFailed, evCompletedRejected)
		}
		return append(evs, evLiveness, evIDProofingFailed, evCompletedRejected)
	case pInProgress:
		return append(evs, evLiveness)
	}
	return append(evs, evLiveness, evIDProofing, evCompleted)
}

func (s *scenario) preventorPayload(b []byte, r *rand.Rand, ev preventorEvent) []byte {
	// One ticket per case: its id derives from the case.
	ticket := func(b []byte) []byte {
		return strconv.AppendUint(append(b, "762ebbda-0edb-4e48-86bc-"...), uint64(100000000000+s.n), 10)
	}
	b = append(b, `{"ticket":"`...)
	b = ticket(b)
	score := func(b []byte, v float64) []byte {
		if r.IntN(3) == 0 {
			return str(b, strconv.FormatFloat(v, 'f', -1, 64))
		}
		return float(b, v, -1)
	}
	switch ev {
	case evCompleted, evCompletedRejected:
		b = append(b, `","event":"ticket.verification.completed","flow_status":"`...)
		if ev == evCompleted {
			b = append(b, `ACCEPTED","disposition":"PASSED","remaining_attempts":`...)
			b = num(b, 1+r.IntN(3))
			b = append(b, `,"risk_code":"LOW","confidence_score":`...)
			b = score(b, float64(9000+r.IntN(1000))/100)
		} else {
			b = append(b, `REJECTED","disposition":"FAILED","remaining_attempts":0,"risk_code":"`...)
			b = append(b, pick(r, []string{"HIGH", "HIGH", "MEDIUM"})...)
			b = append(b, `","confidence_score":`...)
			b = score(b, float64(500+r.IntN(3500))/100)
		}
		return append(b, '}')
	}
	b = append(b, `","event":"ticket.verification.in_progress","sub_event":"verification.`...)
	switch ev {
	case evLiveness, evLivenessRetry, evLivenessFailed:
		disp, remaining := "PASSED", 3
		switch ev {
		case evLivenessRetry:
			disp, remaining = "RETRY", 2
		case evLivenessFailed:
			disp, remaining = "FAILED", 0
		}
		if ev == evLiveness && s.preventorRetry {
			remaining = 2
		}
		b = append(b, `liveness","flow_status":"IN_PROGRESS","disposition":"`...)
		b = append(b, disp...)
		b = append(b, `","remaining_attempts":`...)
		b = num(b, remaining)
		if ev == evLivenessFailed && r.IntN(2) == 0 {
			return append(b, `,"data":{"facial_analysis":{"status":null,"confidence_score":null,"age_range":null},"liveness_detection":{"status":false,"validation_messages":[]}}}`...)
		}
		b = append(b, `,"data":{"facial_analysis":{"status":true,"confidence_score":`...)
		b = str(b, strconv.Itoa(80+r.IntN(21)))
		lo := max(18, ageAt(s.p.dob, s.event)-5+r.IntN(4))
		b = append(b, `,"age_range":"`...)
		b = num(b, lo)
		b = append(b, '-')
		b = num(b, lo+8)
		b = append(b, `"},"liveness_detection":{"status":`...)
		if disp == "PASSED" {
			return append(b, `true,"validation_messages":["Liveness detected"]}}}`...)
		}
		return append(b, `false,"validation_messages":["Liveness not detected","Face too close to the camera"]}}}`...)
	}
	failed := ev == evIDProofingFailed
	b = append(b, `id_proofing","flow_status":"IN_PROGRESS","disposition":"`...)
	if failed {
		b = append(b, `FAILED","remaining_attempts":0`...)
	} else {
		b = append(b, `PASSED","remaining_attempts":3`...)
	}
	b = append(b, `,"data":{"document_detection":{"status":true},"id_proofing":{"status":`...)
	b = boolean(b, !failed)
	if failed {
		b = append(b, `,"validations":{"recognized_document_type":"VALID","image_quality":"VALID","document_expiry":"INVALID","mrz":"VALID","rfid":"NON_VALIDATED_OR_ABSENT","readability":"VALID","security":"INVALID","general_status":"INVALID","barcode":"NON_VALIDATED_OR_ABSENT","authenticity":"NON_VALIDATED_OR_ABSENT","minimum_required_fields_read":"VALID"}},"photo_matching":{"status":false,"similarity_score":`...)
		b = score(b, float64(2000+r.IntN(3000))/100)
	} else {
		b = append(b, `,"validations":{"recognized_document_type":"VALID","image_quality":"VALID","document_expiry":"VALID","mrz":"VALID","rfid":"NON_VALIDATED_OR_ABSENT","readability":"VALID","security":"VALID","general_status":"VALID","barcode":"NON_VALIDATED_OR_ABSENT","authenticity":"VALID","minimum_required_fields_read":"VALID"}},"photo_matching":{"status":true,"similarity_score":`...)
		b = score(b, float64(8000+r.IntN(2000))/100)
	}
	return append(b, "}}}"...)
}

// jaakPayload appends JAAK's answer for one official list.
func (s *scenario) jaakPayload(b []byte, r *rand.Rand, list int) []byte {
	p := &s.p
	b = append(b, `{"eventId":"`...)
	b = uuid(b, r)
	timeout := s.timeout == list
	b = append(b, `","responseId":"`...)
	if !timeout {
		b = uuid(b, r)
	}
	b = append(b, `","processTime":`...)
	if timeout {
		b = float(b, 30+r.Float64()/100, -1)
	} else {
		b = float(b, 0.1+r.Float64()*2, -1)
	}
	org, service := "", ""
	switch list {
	case lINE:
		org, service = "INE", "listaNominal"
	case lRENAPO:
		org, service = "curp", "validaCurp"
	case lOFAC:
		org, service = "ofac", "sdnList"
		if s.orgUpper {
			org, service = "OFAC", "sdnSearch"
		}
	case lInterpol:
		org, service = "interpol", "redNotices"
	case lSAT69B:
		org, service = "sat", "69b"
		if s.orgUpper {
			org, service = "SAT", "lista69-B"
		}
	case lCDC:
		org, service = "cdc", "rccFico"
	}
	b = append(b, `,"organization":"`...)
	b = append(b, org...)
	b = append(b, `","service":"`...)
	b = append(b, service...)
	b = append(b, `","result":`...)
	found := s.found[list] && !timeout
	switch {
	case !found:
		b = append(b, "null"...)
	case list == lINE:
		b = append(b, `{"claveElector":`...)
		b = str(b, p.electoral)
		b = append(b, `,"numeroEmision":"0`...)
		b = num(b, 1+r.IntN(4))
		b = append(b, `","anioRegistro":"`...)
		b = num(b, max(p.dob.Year()+18, 1995))
		issue := s.event.Year() - r.IntN(9)
		b = append(b, `","anioEmision":"`...)
		b = num(b, issue)
		b = append(b, `","vigencia":"31 de diciembre de `...)
		b = num(b, issue+10)
		b = append(b, `"}`...)
	case list == lRENAPO:
		// RENAPO's record, as JAAK documents it (validaCurp.content).
		b = append(b, `{"validaCurp":{"content":{"codeError":"0","curp":`...)
		b = str(b, p.curp)
		b = append(b, `,"error":"False","errorMessage":"","personalDataBirthDate":"`...)
		b = p.dob.AppendFormat(b, "02/01/2006")
		b = append(b, `","personalDataBirthEntity":`...)
		b = str(b, strings.ToUpper(states[p.state].name))
		b = append(b, `,"personalDataFirstName":`...)
		b = str(b, strings.ToUpper(p.givenNames()))
		b = append(b, `,"personalDataGender":"`...)
		b = append(b, s.sexWord()...)
		b = append(b, `","personalDataLastName":`...)
		b = str(b, strings.ToUpper(p.paternal))
		b = append(b, `,"personalDataNationality":"MEX","personalDataSecondLastName":`...)
		b = str(b, strings.ToUpper(p.maternal))
		b = append(b, `,"valid":`...)
		b = boolean(b, !s.deceased)
		b = append(b, "}}}"...)
	case list == lOFAC:
		b = append(b, `{"0":{"content":{"name":`...)
		b = str(b, p.paternal+" "+p.maternal+", "+p.names[0])
		b = append(b, `,"score":`...)
		b = float(b, 90+float64(r.IntN(100))/10, 1)
		b = append(b, `,"country":"Mexico","programLists":["SDN"],"programs":["SDNTK"],"sanctionProgram":"SDNTK","lookupType":"Individual"}}}`...)
	case list == lInterpol:
		b = append(b, `{"0":{"content":{"entityId":"20`...)
		b = num(b, 10+r.IntN(15))
		b = append(b, '/')
		b = num(b, 10000+r.IntN(90000))
		b = append(b, `","forename":`...)
		b = str(b, p.givenNames())
		b = append(b, `,"name":`...)
		b = str(b, p.paternal+" "+p.maternal)
		b = append(b, `,"nationalities":["MX"]}}}`...)
	case list == lSAT69B:
		b = append(b, `{"0":{"content":{"rfc":"`...)
		b = append(b, p.curp[:10]...)
		b = append(b, "A1"...)
		b = num(b, r.IntN(10))
		b = append(b, `","taxpayerName":`...)
		b = str(b, p.fullName())
		b = append(b, `,"taxpayerStatus":"`...)
		b = append(b, pick(r, []string{"Definitivo", "Presunto"})...)
		b = append(b, `"}}}`...)
	default: // CDC
		b = append(b, `{"folioConsulta":"`...)
		b = num(b, 1000000000+r.IntN(900000000))
		b = append(b, `","score":{"nombreScore":"FICO","valor":`...)
		b = num(b, 450+r.IntN(400))
		b = append(b, "}}"...)
	}
	if timeout {
		return append(b, `,"state":{"message":"Service unavailable, timeout","foundInService":false}}`...)
	}
	b = append(b, `,"state":{"message":"Investigation completed successfully","foundInService":`...)
	b = boolean(b, found)
	b = append(b, `,"mustBeFound":`...)
	b = boolean(b, list == lINE || list == lRENAPO || list == lCDC)
	return append(b, "}}"...)
}
