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
//   - The response is read in one pass with the walk package: gjson's
//     ForEach would scan each container to its end before iterating it,
//     once per nesting level. Scalars are still gjson.Results, read by the
//     field package.
//
// Several Trully responses in one case: the last one wins. Earlier ones are
// only checked to be JSON objects; their facts, identities and ids are not
// used.
package trully

import (
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/field"
	"github.com/veredicto/veredicto/normalizers/internal/walk"
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
	s := rawString(p)
	lead := walk.SkipWS(s, 0)
	if !walk.IsObject(s, lead) {
		return normalizers.Errorf(provider, p.Offset+p.Parse().Index, "a Trully response must be a JSON object")
	}
	n := norm{s: s, rd: field.Reader{Sink: out, Base: p.Offset}, out: out, asOf: out.AsOf()}
	var err error
	walk.Members(s, lead, func(key string, v int) int {
		if err != nil {
			return 0 // the first bad sub-object ends the reading
		}
		switch key {
		case "label":
			r := walk.Val(s, v)
			n.label(r)
			return past(r)
		case "reason":
			return n.reasons(v)
		case "face_match":
			r := walk.Val(s, v)
			n.rd.Bool(fFaceMatch, r, "face_match")
			return past(r)
		case "request_id":
			r := walk.Val(s, v)
			if id, ok := n.text(r, "request_id"); ok {
				out.CaseID(id)
			}
			return past(r)
		case "document":
			if err = n.object(v, "document"); err == nil && walk.IsObject(s, v) {
				return n.document(v)
			}
		case "selfie":
			if err = n.object(v, "selfie"); err == nil && walk.IsObject(s, v) {
				return n.face(v, selfieFace)
			}
		case "curp":
			if err = n.object(v, "curp"); err == nil && walk.IsObject(s, v) {
				return n.curp(v)
			}
		}
		return 0
	})
	return err
}

// rawString views the payload as a string without copying it: Payload.Raw
// is read-only and points into the case's immutable document, so facts may
// keep substrings of it (see normalizers.Payload and Payload.Parse).
func rawString(p normalizers.Payload) string {
	return unsafe.String(unsafe.SliceData(p.Raw), len(p.Raw))
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

// norm reads one response. The response is read in one pass with the walk
// package: methods that take an index read the value starting at s[i] and
// return the index just past it (0 to have the walker skip it).
type norm struct {
	s    string // the response
	rd   field.Reader
	out  engine.Sink
	asOf time.Time
}

func (n *norm) warn(r gjson.Result, msg string) { n.out.Warn(n.rd.Base+r.Index, msg) }

// object checks one of the main sub-objects (document, selfie, curp) at
// s[i]: null or missing is fine (the facts stay unknown), another type is an
// error.
func (n *norm) object(i int, what string) error {
	if walk.IsObject(n.s, i) {
		return nil
	}
	v := walk.Val(n.s, i)
	if !field.Present(v) {
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

func (n *norm) reasons(i int) int {
	if walk.IsArray(n.s, i) {
		l, e := walk.StringList(n.s, i)
		n.out.List(fReasons, l)
		return e
	}
	switch v := walk.Val(n.s, i); {
	case !field.Present(v):
	case v.Type == gjson.String: // a lone reason
		n.out.List(fReasons, []string{v.Str})
	default:
		n.warn(v, "reason: expected an array of strings")
	}
	return 0
}

// past returns the index just past the scalar r that walk.Val read, so that
// the walker does not scan it again; 0 (let the walker skip it) for a
// container, of which r holds only the first byte.
func past(r gjson.Result) int {
	if r.Type == gjson.JSON {
		return 0
	}
	return r.Index + len(r.Raw)
}

// objectField reports whether the value at s[i] is an object; another
// present type adds a warning.
func (n *norm) objectField(i int, what string) bool {
	if walk.IsObject(n.s, i) {
		return true
	}
	n.rd.Object(walk.Val(n.s, i), what)
	return false
}

func (n *norm) document(i int) int {
	return walk.Members(n.s, i, func(key string, v int) int {
		switch key {
		case "details":
			if n.objectField(v, "document.details") {
				return n.details(v)
			}
		case "front":
			if n.objectField(v, "document.front") {
				return n.front(v)
			}
		}
		return 0
	})
}

func (n *norm) details(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "detected":
			r := walk.Val(s, v)
			n.rd.Bool(fDocDetected, r, "document.details.detected")
			return past(r)
		case "forensics":
			if n.objectField(v, "document.details.forensics") {
				return walk.Members(s, v, func(key string, w int) int {
					if key == "is_valid" {
						r := walk.Val(s, w)
						n.forensics(r)
						return past(r)
					}
					return 0
				})
			}
		}
		return 0
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

func (n *norm) front(i int) int {
	return walk.Members(n.s, i, func(key string, v int) int {
		switch key {
		case "information":
			if n.objectField(v, "document.front.information") {
				return n.information(v)
			}
		case "face_analysis":
			if n.objectField(v, "document.front.face_analysis") {
				return n.face(v, docFace)
			}
		}
		return 0
	})
}

// information reads the {text, valid} fields of the document's front.
func (n *norm) information(i int) int {
	s := n.s
	var (
		invalid                []string
		reported, unreadable   bool
		given, last, mother    string
		complete, curp, dob    string
		dobValue, validThru    gjson.Result
		validThruText, dobText string
	)
	end := walk.Members(s, i, func(key string, v int) int {
		if !walk.IsObject(s, v) {
			r := walk.Val(s, v)
			if field.Present(r) {
				n.warn(r, "document.front.information."+key+": expected an object with text and valid")
			}
			return past(r)
		}
		var text, valid gjson.Result
		e := walk.Members(s, v, func(k string, w int) int {
			switch k {
			case "text":
				text = walk.Val(s, w)
				return past(text)
			case "valid":
				valid = walk.Val(s, w)
				return past(valid)
			}
			return 0
		})
		if field.Present(valid) {
			if b, ok := field.Bool(valid); ok {
				reported = true
				if !b {
					invalid = append(invalid, key)
				}
			} else {
				unreadable = true
				n.warn(valid, "document.front.information."+key+".valid: expected a bool")
			}
		}
		if !field.Present(text) {
			return e
		}
		t, ok := field.String(text)
		if !ok {
			n.warn(text, "document.front.information."+key+".text: expected a string")
			return e
		}
		t = strings.TrimSpace(t)
		switch key {
		case "name":
			given = t
		case "last_name":
			last = t
		case "mother_last_name":
			mother = t
		case "complete_name":
			complete = t
		case "curp":
			curp = t
		case "birthdate":
			dob, dobValue = t, text
		case "valid_thru":
			validThruText, validThru = t, text
		}
		return e
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
	return end
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
func (n *norm) face(i int, b *faceBlock) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		var r gjson.Result
		switch key {
		case "match":
			r = walk.Val(s, v)
			n.rd.Bool(b.base+oMatch, r, b.what[wMatch])
		case "match_fraud_flag":
			r = walk.Val(s, v)
			n.rd.Bool(b.base+oMatchFraudFlag, r, b.what[wMatchFraudFlag])
		case "seen_different_companies":
			r = walk.Val(s, v)
			n.rd.Number(b.base+oSeenDifferentCompanies, r, b.what[wSeenDifferentCompanies])
		case "times_seen_last_month":
			r = walk.Val(s, v)
			n.rd.Number(b.base+oTimesSeenLastMonth, r, b.what[wTimesSeenLastMonth])
		case "seen_by_your_company":
			r = walk.Val(s, v)
			n.rd.Bool(b.base+oSeenByYourCompany, r, b.what[wSeenByYourCompany])
		case "times_seen_by_your_company":
			r = walk.Val(s, v)
			n.rd.Number(b.base+oTimesSeenByYourCompany, r, b.what[wTimesSeenByYourCompany])
		case "warnings":
			return n.faceWarnings(v, b)
		case "first_seen":
			r = walk.Val(s, v)
			if t, ok := n.when(r, b.what[wFirstSeen]); ok && !n.asOf.IsZero() {
				n.out.Number(b.base+oDaysSinceFirstSeen, field.Days(t, n.asOf))
			}
		case "inquiry_date":
			r = walk.Val(s, v)
			if t, ok := n.when(r, b.what[wInquiryDate]); ok {
				n.out.EventTime(t)
			}
		case "first_seen_image":
			if b.firstImage < 0 {
				return 0
			}
			r = walk.Val(s, v)
			n.rd.Bool(b.firstImage, r, b.what[wFirstSeenImage])
		default:
			return 0
		}
		return past(r)
	})
}

// faceWarnings: {} → no warning; external_id present (a message) → the face
// is linked to several external ids.
func (n *norm) faceWarnings(i int, b *faceBlock) int {
	s := n.s
	if !walk.IsObject(s, i) {
		if w := walk.Val(s, i); field.Present(w) {
			n.warn(w, b.what[wWarnings]+": expected an object")
		}
		return 0
	}
	multiple := false
	e := walk.Members(s, i, func(key string, v int) int {
		if key != "external_id" {
			return 0
		}
		r := walk.Val(s, v)
		switch r.Type {
		case gjson.Null, gjson.False:
		case gjson.String:
			multiple = strings.TrimSpace(r.Str) != ""
		default:
			multiple = true
		}
		return past(r)
	})
	n.out.Bool(b.base+oMultipleExternalIDs, multiple)
	return e
}

func (n *norm) curp(i int) int {
	s := n.s
	var (
		curp, name, dob string
		dobValue        gjson.Result
		errText         string
		govReported     bool
	)
	e := walk.Members(s, i, func(key string, v int) int {
		var r gjson.Result
		switch key {
		case "curp":
			r = walk.Val(s, v)
			curp, _ = n.text(r, "curp.curp")
		case "date_of_birth":
			r = walk.Val(s, v)
			dob, _ = n.text(r, "curp.date_of_birth")
			dobValue = r
		case "government_name":
			r = walk.Val(s, v)
			name, _ = n.text(r, "curp.government_name")
		case "age":
			r = walk.Val(s, v)
			n.rd.Number(fCurpAge, r, "curp.age")
		case "is_mexican":
			r = walk.Val(s, v)
			n.rd.Bool(fCurpIsMexican, r, "curp.is_mexican")
		case "name_to_CURP_valid":
			r = walk.Val(s, v)
			n.rd.Bool(fCurpNameValid, r, "curp.name_to_CURP_valid")
		case "government_valid":
			r = walk.Val(s, v)
			govReported = n.rd.Bool(fCurpGovernmentValid, r, "curp.government_valid")
		case "deceased":
			r = walk.Val(s, v)
			n.rd.Bool(fCurpDeceased, r, "curp.deceased")
		case "error":
			r = walk.Val(s, v)
			if t, ok := n.text(r, "curp.error"); ok {
				errText = t
				n.out.String(fCurpError, t)
			}
		default:
			return 0
		}
		return past(r)
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
	return e
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
