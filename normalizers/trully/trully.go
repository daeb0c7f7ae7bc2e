// Package trully normalizes the response of Trully's identity-verification
// API (document + selfie + CURP analysis of a Mexican applicant) into the
// "trully.*" facts.
//
// The response is one JSON object with document, selfie, face_match, curp,
// unico, label, reason and request_id. How it is read:
//
//   - label is "No Threat", "Review" or "Potential Threat" (matched without
//     regard to case or surrounding space) and may be null: null leaves
//     trully.label and trully.risk unknown. Another word is kept in
//     trully.label with a warning, and trully.risk stays unknown.
//   - reason (singular in the payload) becomes trully.reasons; [] is a known
//     empty list, null is unknown.
//   - document.front.information holds {text, valid} pairs. The valid flags
//     give trully.document.invalid_fields / fields_valid; valid_thru.text is
//     the INE "vigencia" year, valid through December 31 of that year in
//     Mexico City (UTC-6), compared with the evaluation time (AsOf).
//   - document.front.face_analysis and selfie share one structure (the
//     network's memory of the face) and so one fact layout:
//     trully.document_face.* and trully.selfie.*. Counters may arrive as
//     numeric strings ("3"). warnings {} means no warning (false);
//     warnings.external_id present means the face is linked to several
//     external ids (true); no warnings object leaves it unknown.
//   - Timestamps are US month-first "MM/DD/YYYY, hh:mm:ss" (read as UTC),
//     while birth dates are day-first "DD/MM/YYYY": the two are read with
//     different layouts. inquiry_date is the provider's decision time.
//   - curp.error (e.g. "CURP no encontrada") is kept as reported; an error
//     saying the CURP was not found or does not exist makes
//     trully.curp.found false, a reported government_valid without error
//     makes it true.
//   - Names, CURP and birth dates (of the document and of RENAPO) are never
//     facts: they are reported as identities "trully.document" and
//     "trully.curp". The document's name is composed given names first
//     ("SOFIA ELENA MENDOZA GARCIA") from name, last_name and
//     mother_last_name, like RENAPO's government_name, falling back to
//     complete_name (which Trully prints surname first).
//   - unico (an internal process id, result always null) and document.back
//     (MRZ, CIC: personal) are ignored; request_id is the case id.
//
// Several Trully responses in one case: the last one wins. Earlier ones are
// only checked to be JSON objects; their facts, identities and ids are not
// used.
package trully

import (
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/field"
)

const provider = "trully"

// Provider normalizes Trully identity-verification responses.
type Provider struct{}

var _ normalizers.Provider = Provider{}

func init() { normalizers.Register(Provider{}) }

// Name is the provider's name and fact namespace.
func (Provider) Name() string { return provider }

// detectKeys are the top-level keys typical of a Trully response.
var detectKeys = [...]string{"label", "face_match", "document", "selfie", "curp", "request_id", "unico"}

// Detect reports whether a payload has at least two of Trully's top-level
// keys and none of the keys that mark the other providers' shapes.
func (Provider) Detect(s normalizers.Shape) bool {
	if s.Has("verification") || s.Has("documentState") || s.Has("ticket") || s.Has("eventId") {
		return false
	}
	n := 0
	for _, k := range detectKeys {
		if s.Has(k) {
			n++
		}
	}
	return n >= 2
}

// mexicoCity is the zone an INE vigencia ends in: Mexico City has kept UTC-6
// all year since 2022.
var mexicoCity = time.FixedZone("UTC-6", -6*60*60)

// faceBlock locates one face-network object: its first fact slot and the
// field paths used in warnings (built once, so the happy path does not
// concatenate strings).
type faceBlock struct {
	base       int
	firstImage int // slot of first_seen_image, -1 when the block has none
	what       [nFaceFields]string
}

const (
	wMatch = iota
	wMatchFraudFlag
	wSeenDifferentCompanies
	wTimesSeenLastMonth
	wSeenByYourCompany
	wTimesSeenByYourCompany
	wWarnings
	wFirstSeen
	wInquiryDate
	wFirstSeenImage
	nFaceFields
)

var faceFields = [nFaceFields]string{
	wMatch:                  "match",
	wMatchFraudFlag:         "match_fraud_flag",
	wSeenDifferentCompanies: "seen_different_companies",
	wTimesSeenLastMonth:     "times_seen_last_month",
	wSeenByYourCompany:      "seen_by_your_company",
	wTimesSeenByYourCompany: "times_seen_by_your_company",
	wWarnings:               "warnings",
	wFirstSeen:              "first_seen",
	wInquiryDate:            "inquiry_date",
	wFirstSeenImage:         "first_seen_image",
}

func newFaceBlock(base, firstImage int, path string) *faceBlock {
	b := &faceBlock{base: base, firstImage: firstImage}
	for i, f := range faceFields {
		b.what[i] = path + "." + f
	}
	return b
}

var (
	docFace    = newFaceBlock(fDocFace, -1, "document.front.face_analysis")
	selfieFace = newFaceBlock(fSelfie, fSelfieFirstSeenImage, "selfie")
)

// Normalize writes the facts of the last Trully response of a case.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	if len(in) == 0 {
		return nil
	}
	for _, p := range in[:len(in)-1] {
		if !isObject(p.Raw) {
			return normalizers.Errorf(provider, p.Offset, "a Trully response must be a JSON object")
		}
	}
	p := in[len(in)-1]
	top := p.Parse()
	if !top.IsObject() {
		return normalizers.Errorf(provider, p.Offset+top.Index, "a Trully response must be a JSON object")
	}
	n := norm{rd: field.Reader{Sink: out, Base: p.Offset}, out: out, asOf: out.AsOf()}
	var err error
	top.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "label":
			n.label(v)
		case "reason":
			n.reasons(v)
		case "face_match":
			n.rd.Bool(fFaceMatch, v, "face_match")
		case "request_id":
			if s, ok := n.text(v, "request_id"); ok {
				out.CaseID(s)
			}
		case "document":
			if err = n.object(v, "document"); err == nil {
				n.document(v)
			}
		case "selfie":
			if err = n.object(v, "selfie"); err == nil {
				n.face(v, selfieFace)
			}
		case "curp":
			if err = n.object(v, "curp"); err == nil {
				n.curp(v)
			}
		}
		return err == nil
	})
	return err
}

// isObject reports whether a JSON value is an object.
func isObject(raw []byte) bool {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '{'
	}
	return false
}

// norm reads one response.
type norm struct {
	rd   field.Reader
	out  engine.Sink
	asOf time.Time
}

func (n *norm) warn(r gjson.Result, msg string) { n.out.Warn(n.rd.Base+r.Index, msg) }

// object checks one of the main sub-objects (document, selfie, curp): null
// or missing is fine (the facts stay unknown), another type is an error.
func (n *norm) object(v gjson.Result, what string) error {
	if !field.Present(v) || v.IsObject() {
		return nil
	}
	return normalizers.Errorf(provider, n.rd.Base+v.Index, "%s: expected an object", what)
}

// text returns a non-empty string (or the literal of a number); a value of
// another type adds a warning.
func (n *norm) text(v gjson.Result, what string) (string, bool) {
	if !field.Present(v) {
		return "", false
	}
	s, ok := field.String(v)
	if !ok {
		n.warn(v, what+": expected a string")
		return "", false
	}
	s = strings.TrimSpace(s)
	return s, s != ""
}

// when reads a face-network timestamp, "MM/DD/YYYY, hh:mm:ss".
func (n *norm) when(v gjson.Result, what string) (time.Time, bool) {
	s, ok := n.text(v, what)
	if !ok {
		return time.Time{}, false
	}
	t, ok := field.Time(s, field.MDYTime)
	if !ok {
		n.warn(v, what+": expected MM/DD/YYYY, hh:mm:ss")
	}
	return t, ok
}

// isoDate converts a day-first "DD/MM/YYYY" date to "YYYY-MM-DD".
func (n *norm) isoDate(v gjson.Result, s, what string) string {
	t, ok := field.Time(s, field.DMY, "2/1/2006")
	if !ok {
		n.warn(v, what+": expected DD/MM/YYYY")
		return ""
	}
	return t.Format(field.ISODate)
}

func (n *norm) label(v gjson.Result) {
	if !field.Present(v) {
		return
	}
	if v.Type != gjson.String {
		n.warn(v, "label: expected a string")
		return
	}
	s := strings.TrimSpace(v.Str)
	if s == "" {
		return
	}
	var risk string
	switch {
	case strings.EqualFold(s, labelNoThreat):
		s, risk = labelNoThreat, "low"
	case strings.EqualFold(s, labelReview):
		s, risk = labelReview, "review"
	case strings.EqualFold(s, labelPotentialThreat):
		s, risk = labelPotentialThreat, "high"
	default:
		n.warn(v, "label: not one of No Threat, Review, Potential Threat")
	}
	n.out.String(fLabel, s)
	if risk != "" {
		n.out.String(fRisk, risk)
	}
}

func (n *norm) reasons(v gjson.Result) {
	switch {
	case !field.Present(v):
	case v.IsArray():
		n.out.List(fReasons, field.Strings(v))
	case v.Type == gjson.String: // a lone reason
		n.out.List(fReasons, []string{v.Str})
	default:
		n.warn(v, "reason: expected an array of strings")
	}
}

func (n *norm) document(d gjson.Result) {
	d.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "details":
			if n.rd.Object(v, "document.details") {
				n.details(v)
			}
		case "front":
			if n.rd.Object(v, "document.front") {
				n.front(v)
			}
		}
		return true
	})
}

func (n *norm) details(d gjson.Result) {
	d.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "detected":
			n.rd.Bool(fDocDetected, v, "document.details.detected")
		case "forensics":
			if n.rd.Object(v, "document.details.forensics") {
				v.ForEach(func(k, v gjson.Result) bool {
					if k.Str == "is_valid" {
						n.forensics(v)
					}
					return true
				})
			}
		}
		return true
	})
}

// forensics reads is_valid: documented as a string ("valid",
// "inconclusive", "invalid"); a JSON boolean is read as valid/invalid.
func (n *norm) forensics(v gjson.Result) {
	if b, ok := field.Bool(v); ok && v.Type != gjson.String {
		n.out.Bool(fDocForensicsValid, b)
		return
	}
	s, ok := n.text(v, "document.details.forensics.is_valid")
	if !ok {
		return
	}
	s = strings.ToLower(s)
	n.out.String(fDocForensics, s)
	switch s {
	case "valid":
		n.out.Bool(fDocForensicsValid, true)
	case "invalid", "not_valid", "not valid", "fraud", "fraudulent", "tampered", "altered", "fake":
		n.out.Bool(fDocForensicsValid, false)
	}
}

func (n *norm) front(f gjson.Result) {
	f.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "information":
			if n.rd.Object(v, "document.front.information") {
				n.information(v)
			}
		case "face_analysis":
			if n.rd.Object(v, "document.front.face_analysis") {
				n.face(v, docFace)
			}
		}
		return true
	})
}

// information reads the {text, valid} fields of the document's front.
func (n *norm) information(info gjson.Result) {
	var (
		invalid                []string
		reported, unreadable   bool
		given, last, mother    string
		complete, curp, dob    string
		dobValue, validThru    gjson.Result
		validThruText, dobText string
	)
	info.ForEach(func(k, v gjson.Result) bool {
		if !field.Present(v) {
			return true
		}
		if !v.IsObject() {
			n.warn(v, "document.front.information."+k.Str+": expected an object with text and valid")
			return true
		}
		var text, valid gjson.Result
		v.ForEach(func(k, v gjson.Result) bool {
			switch k.Str {
			case "text":
				text = v
			case "valid":
				valid = v
			}
			return true
		})
		if field.Present(valid) {
			if b, ok := field.Bool(valid); ok {
				reported = true
				if !b {
					invalid = append(invalid, k.Str)
				}
			} else {
				unreadable = true
				n.warn(valid, "document.front.information."+k.Str+".valid: expected a bool")
			}
		}
		if !field.Present(text) {
			return true
		}
		s, ok := field.String(text)
		if !ok {
			n.warn(text, "document.front.information."+k.Str+".text: expected a string")
			return true
		}
		s = strings.TrimSpace(s)
		switch k.Str {
		case "name":
			given = s
		case "last_name":
			last = s
		case "mother_last_name":
			mother = s
		case "complete_name":
			complete = s
		case "curp":
			curp = s
		case "birthdate":
			dob, dobValue = s, text
		case "valid_thru":
			validThruText, validThru = s, text
		}
		return true
	})
	// An unreadable valid flag leaves the list incomplete and "all valid"
	// unproven; one invalid field still makes fields_valid false.
	switch {
	case len(invalid) > 0:
		n.out.Bool(fDocFieldsValid, false)
		if !unreadable {
			n.out.List(fDocInvalidFields, invalid)
		}
	case reported && !unreadable:
		n.out.List(fDocInvalidFields, []string{})
		n.out.Bool(fDocFieldsValid, true)
	}
	if validThruText != "" {
		n.validThru(validThru, validThruText)
	}
	if dob != "" {
		dobText = n.isoDate(dobValue, dob, "document.front.information.birthdate.text")
	}
	name := complete
	switch {
	case given != "" && last != "" && mother != "":
		name = given + " " + last + " " + mother
	case given != "" && last != "":
		name = given + " " + last
	}
	if curp != "" || dobText != "" || name != "" {
		n.out.Identity(engine.Identity{Source: "trully.document", CURP: strings.ToUpper(curp), DOB: dobText, Name: name})
	}
}

// validThru reads the vigencia year: the last four-digit number of the text
// ("2033", or "2023 2033" when both years are printed).
func (n *norm) validThru(v gjson.Result, s string) {
	y, ok := lastYear(s)
	if !ok {
		n.warn(v, "document.front.information.valid_thru.text: no year")
		return
	}
	n.out.Number(fDocValidThruYear, float64(y))
	if !n.asOf.IsZero() {
		n.out.Bool(fDocExpired, !n.asOf.Before(time.Date(y+1, time.January, 1, 0, 0, 0, 0, mexicoCity)))
	}
}

// lastYear returns the last run of exactly four digits in s that reads as a
// plausible INE year.
func lastYear(s string) (int, bool) {
	end := len(s)
	for end > 0 {
		for end > 0 && !isDigit(s[end-1]) {
			end--
		}
		start := end
		for start > 0 && isDigit(s[start-1]) {
			start--
		}
		if end-start == 4 {
			y := 0
			for i := start; i < end; i++ {
				y = y*10 + int(s[i]-'0')
			}
			if y >= 1990 && y <= 2100 {
				return y, true
			}
		}
		end = start
	}
	return 0, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// face reads a face-network object (document.front.face_analysis or selfie).
func (n *norm) face(f gjson.Result, b *faceBlock) {
	f.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "match":
			n.rd.Bool(b.base+oMatch, v, b.what[wMatch])
		case "match_fraud_flag":
			n.rd.Bool(b.base+oMatchFraudFlag, v, b.what[wMatchFraudFlag])
		case "seen_different_companies":
			n.rd.Number(b.base+oSeenDifferentCompanies, v, b.what[wSeenDifferentCompanies])
		case "times_seen_last_month":
			n.rd.Number(b.base+oTimesSeenLastMonth, v, b.what[wTimesSeenLastMonth])
		case "seen_by_your_company":
			n.rd.Bool(b.base+oSeenByYourCompany, v, b.what[wSeenByYourCompany])
		case "times_seen_by_your_company":
			n.rd.Number(b.base+oTimesSeenByYourCompany, v, b.what[wTimesSeenByYourCompany])
		case "warnings":
			n.faceWarnings(v, b)
		case "first_seen":
			if t, ok := n.when(v, b.what[wFirstSeen]); ok && !n.asOf.IsZero() {
				n.out.Number(b.base+oDaysSinceFirstSeen, field.Days(t, n.asOf))
			}
		case "inquiry_date":
			if t, ok := n.when(v, b.what[wInquiryDate]); ok {
				n.out.EventTime(t)
			}
		case "first_seen_image":
			if b.firstImage >= 0 {
				n.rd.Bool(b.firstImage, v, b.what[wFirstSeenImage])
			}
		}
		return true
	})
}

// faceWarnings: {} → no warning; external_id present (a message) → the face
// is linked to several external ids.
func (n *norm) faceWarnings(w gjson.Result, b *faceBlock) {
	if !field.Present(w) {
		return
	}
	if !w.IsObject() {
		n.warn(w, b.what[wWarnings]+": expected an object")
		return
	}
	multiple := false
	w.ForEach(func(k, v gjson.Result) bool {
		if k.Str == "external_id" {
			switch v.Type {
			case gjson.Null, gjson.False:
			case gjson.String:
				multiple = strings.TrimSpace(v.Str) != ""
			default:
				multiple = true
			}
		}
		return true
	})
	n.out.Bool(b.base+oMultipleExternalIDs, multiple)
}

func (n *norm) curp(c gjson.Result) {
	var (
		curp, name, dob string
		dobValue        gjson.Result
		errText         string
		govReported     bool
	)
	c.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "curp":
			curp, _ = n.text(v, "curp.curp")
		case "date_of_birth":
			dob, _ = n.text(v, "curp.date_of_birth")
			dobValue = v
		case "government_name":
			name, _ = n.text(v, "curp.government_name")
		case "age":
			n.rd.Number(fCurpAge, v, "curp.age")
		case "is_mexican":
			n.rd.Bool(fCurpIsMexican, v, "curp.is_mexican")
		case "name_to_CURP_valid":
			n.rd.Bool(fCurpNameValid, v, "curp.name_to_CURP_valid")
		case "government_valid":
			govReported = n.rd.Bool(fCurpGovernmentValid, v, "curp.government_valid")
		case "deceased":
			n.rd.Bool(fCurpDeceased, v, "curp.deceased")
		case "error":
			if s, ok := n.text(v, "curp.error"); ok {
				errText = s
				n.out.String(fCurpError, s)
			}
		}
		return true
	})
	switch {
	case errText != "":
		if notFound(errText) {
			n.out.Bool(fCurpFound, false)
		}
	case govReported:
		n.out.Bool(fCurpFound, true)
	}
	if dob != "" {
		dob = n.isoDate(dobValue, dob, "curp.date_of_birth")
	}
	if curp != "" || dob != "" || name != "" {
		n.out.Identity(engine.Identity{Source: "trully.curp", CURP: strings.ToUpper(curp), DOB: dob, Name: name})
	}
}

// notFoundWords are the phrases of a RENAPO lookup error meaning the CURP
// does not exist (Spanish and English).
var notFoundWords = [...]string{"no encontr", "no se encontr", "no existe", "inexistente", "not found", "not exist"}

func notFound(s string) bool {
	s = strings.ToLower(s)
	for _, w := range notFoundWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
