// Package trully normalizes the response of Trully's identity-verification
// API, the Decision Maker (document + selfie + CURP analysis of a Mexican
// applicant), into the "trully.*" facts.
//
// The response is one JSON object with document, selfie, face_match, curp,
// unico, label, reason and request_id. How it is read:
//
//   - label is "No Threat", "Review" or "Potential Threat" (matched without
//     regard to case or surrounding space) and may be null: null leaves
//     trully.label and trully.risk unknown. Any other word, an empty
//     string or another type makes both unreadable.
//   - reason (singular in the payload) becomes trully.reasons; [] is a known
//     empty list, null is unknown, an element that is not a string makes it
//     unreadable.
//   - document.details.forensics.is_valid is valid, inconclusive or invalid;
//     another word is unreadable.
//   - document.front.information holds {text, valid} pairs. The valid flags
//     give trully.document.invalid_fields / fields_valid; valid_thru.text is
//     the INE "vigencia", a year (valid through December 31 of that year)
//     or a full date (day first), ending in Mexico City (UTC-6), compared
//     with the evaluation time (AsOf).
//   - document.front.face_analysis and selfie share one structure (the
//     network's memory of the face) and so one fact layout:
//     trully.document_face.* and trully.selfie.*. Flags may arrive as 0/1,
//     counters as numeric strings ("3"); a counter that is not a whole
//     number ≥ 0 is unreadable. warnings {} means no warning (false);
//     warnings.external_id present means the face is linked to several
//     external ids (true); no warnings object leaves it unknown.
//   - Timestamps are US month-first "MM/DD/YYYY, hh:mm:ss" (read as UTC),
//     while birth dates and a dated vigencia are day-first "DD/MM/YYYY":
//     each is read with field.Date in its documented order, never guessed.
//     inquiry_date is the provider's decision time; one more than a day
//     after the evaluation time is not used.
//   - curp.error (e.g. "CURP no encontrada") is kept as reported; an error
//     saying the CURP was not found or does not exist makes
//     trully.curp.found false (and a government_valid true beside it
//     conflicting), a reported government_valid without error makes it
//     true. A curp.date_of_birth after the evaluation time makes
//     trully.curp.age unreadable.
//   - Names, CURP and birth dates (of the document and of RENAPO) are never
//     facts: they are reported as identities "trully.document" and
//     "trully.curp". The document's name is composed given names first
//     ("SOFIA ELENA MENDOZA GARCIA") from name, last_name and
//     mother_last_name, like RENAPO's government_name, falling back to
//     complete_name (which Trully prints surname first). Warnings about
//     these fields never quote them.
//   - unico (an internal process id, result always null) and document.back
//     (MRZ, CIC: personal) are ignored; request_id is the case id.
//   - Trully's SDKs hand the same response wrapped: the web SDK's
//     handleData object (and its webhook) carries it in raw_data beside
//     label, reason and request_id; the Android SDK's result carries it in
//     decisionMaker beside shortResponse {request_id, label, reason}. The
//     wrapped response is read as a response, and the wrapper's own label
//     and reason are merged with it (a disagreement is conflicting). Images
//     (base64), ip, location and the user ids are not read.
//   - The response is read in one pass with the walk package: gjson's
//     ForEach would scan each container to its end before iterating it,
//     once per nesting level. Scalars are still gjson.Results, read by the
//     field package.
//
// Several Trully responses in one case are all read and merged through the
// Sink: an identical re-delivery changes nothing, a disagreement marks the
// fact conflicting and keeps the adverse side (a "Potential Threat" is never
// overwritten by a later "No Threat"). Identities are reported once per
// distinct identity; the first request_id is the case id.
package trully

import (
	"math"
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
// keys and none of the keys that mark the other providers' shapes, or is
// the Android SDK's result (decisionMaker beside shortResponse or images).
func (Provider) Detect(s normalizers.Shape) bool {
	if s.Has("verification") || s.Has("documentState") || s.Has("ticket") || s.Has("eventId") {
		return false
	}
	if s.Has("decisionMaker") && (s.Has("shortResponse") || s.Has("images")) {
		return true
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

// skew is how far after the evaluation time a provider timestamp may lie
// and still be trusted (clocks, and timestamps without a zone read as UTC).
const skew = 24 * time.Hour

// The facts a container of the wrong type leaves unreadable.
var (
	detailsFacts   = [...]int{fDocDetected, fDocForensics, fDocForensicsValid}
	forensicsFacts = [...]int{fDocForensics, fDocForensicsValid}
	infoFacts      = [...]int{fDocInvalidFields, fDocFieldsValid, fDocValidThruYear, fDocExpired}
	flagFacts      = [...]int{fDocInvalidFields, fDocFieldsValid}
	vigenciaFacts  = [...]int{fDocValidThruYear, fDocExpired}
	docFaceFacts   = [...]int{fDocFace + oMatch, fDocFace + oMatchFraudFlag, fDocFace + oSeenDifferentCompanies,
		fDocFace + oTimesSeenLastMonth, fDocFace + oSeenByYourCompany, fDocFace + oTimesSeenByYourCompany,
		fDocFace + oMultipleExternalIDs, fDocFace + oDaysSinceFirstSeen}
)

// Normalize reads every Trully response of a case and merges their facts.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	for _, p := range in {
		s := rawString(p)
		if lead := walk.SkipWS(s, 0); !walk.IsObject(s, lead) {
			return normalizers.Errorf(provider, p.Offset+lead, "a Trully response must be a JSON object")
		}
	}
	var seen *[]engine.Identity // identities already reported, when several responses
	if len(in) > 1 {
		seen = new([]engine.Identity)
	}
	for _, p := range in {
		s := rawString(p)
		n := norm{s: s, rd: field.Reader{Sink: out, Base: p.Offset}, out: out, asOf: out.AsOf(), seen: seen}
		if _, err := n.response(walk.SkipWS(s, 0), false); err != nil {
			return err
		}
	}
	return nil
}

// rawString views the payload as a string without copying it: Payload.Raw
// is read-only and points into the case's immutable document, so facts may
// keep substrings of it (see normalizers.Payload and Payload.Parse).
func rawString(p normalizers.Payload) string {
	return unsafe.String(unsafe.SliceData(p.Raw), len(p.Raw))
}

// norm reads one response. The response is read in one pass with the walk
// package: methods that take an index read the value starting at s[i] and
// return the index just past it (0 to have the walker skip it).
type norm struct {
	s    string // the response
	rd   field.Reader
	out  engine.Sink
	asOf time.Time
	seen *[]engine.Identity // identities reported by earlier responses; nil when the case has one
}

func (n *norm) warn(r gjson.Result, msg string) { n.out.Warn(n.rd.Base+r.Index, msg) }

// unreadable marks every fact in fs unreadable: field what, at r, is not
// of the wanted form. A missing or null value marks nothing.
func (n *norm) unreadable(r gjson.Result, what, want string, fs ...int) {
	if !field.Present(r) {
		return
	}
	for _, f := range fs {
		n.rd.Unreadable(f, r, what, want)
	}
}

// identity reports id, once per distinct identity over the case's responses.
func (n *norm) identity(id engine.Identity) {
	if n.seen != nil {
		for _, q := range *n.seen {
			if q == id {
				return
			}
		}
		*n.seen = append(*n.seen, id)
	}
	n.out.Identity(id)
}

// response reads the response object at s[i]; inner is set inside an SDK
// wrapper, whose response is not itself wrapped.
func (n *norm) response(i int, inner bool) (int, error) {
	s := n.s
	var err error
	end := walk.Members(s, i, func(key string, v int) int {
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
				n.out.CaseID(id)
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
		case "raw_data", "decisionMaker", "shortResponse": // SDK wrappers
			if inner {
				return 0
			}
			if err = n.object(v, key); err == nil && walk.IsObject(s, v) {
				var e int
				e, err = n.response(v, true)
				return e
			}
		}
		return 0
	})
	return end, err
}

// object checks one of the main sub-objects (document, selfie, curp, a
// wrapped response) at s[i]: null or missing is fine (the facts stay
// unknown), another type is an error.
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

// bareYear reports whether s is only a year: field.Date reads one as
// December 31, right for a vigencia but not for a birth date or a time.
func bareYear(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) == 4 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3])
}

// when reads a face-network timestamp, documented "MM/DD/YYYY, hh:mm:ss";
// ISO date-times and month-first dates are read too.
func when(s string) (time.Time, bool) {
	if t, ok := field.Time(s, field.MDYTime, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"); ok {
		return t, true
	}
	if bareYear(s) {
		return time.Time{}, false
	}
	return field.Date(s, field.MonthFirst)
}

// birthDate reads a day-first birth date ("DD/MM/YYYY", ISO and Spanish
// forms too). The documented form is tried first, without allocating.
func birthDate(s string) (time.Time, bool) {
	if t, ok := field.Time(s, field.DMY); ok {
		return t, true
	}
	if bareYear(s) {
		return time.Time{}, false
	}
	return field.Date(s, field.DayFirst)
}

func (n *norm) label(v gjson.Result) {
	if !field.Present(v) {
		return
	}
	var label, risk string
	if v.Type == gjson.String {
		switch s := strings.TrimSpace(v.Str); {
		case strings.EqualFold(s, labelNoThreat):
			label, risk = labelNoThreat, "low"
		case strings.EqualFold(s, labelReview):
			label, risk = labelReview, "review"
		case strings.EqualFold(s, labelPotentialThreat):
			label, risk = labelPotentialThreat, "high"
		}
	}
	if label == "" {
		n.unreadable(v, "label", "one of No Threat, Review, Potential Threat", fLabel, fRisk)
		return
	}
	n.rd.Merge(fLabel, engine.StringValue(label), v, "label")
	n.rd.Merge(fRisk, engine.StringValue(risk), v, "label")
}

func (n *norm) reasons(i int) int {
	s := n.s
	if walk.IsArray(s, i) {
		l := []string{}
		bad := gjson.Result{}
		e := walk.Elements(s, i, func(v int) int {
			r := walk.Val(s, v)
			if r.Type == gjson.String {
				l = append(l, r.Str)
			} else if !bad.Exists() {
				bad = r
			}
			return past(r)
		})
		if bad.Exists() {
			n.rd.Unreadable(fReasons, bad, "reason", "an array of strings")
		}
		n.rd.Merge(fReasons, engine.ListValue(l), walk.Val(s, i), "reason")
		return e
	}
	switch v := walk.Val(s, i); {
	case !field.Present(v):
	case v.Type == gjson.String: // a lone reason
		n.rd.Merge(fReasons, engine.ListValue([]string{v.Str}), v, "reason")
	default:
		n.rd.Unreadable(fReasons, v, "reason", "an array of strings")
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

func (n *norm) document(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "details":
			if walk.IsObject(s, v) {
				return n.details(v)
			}
			n.unreadable(walk.Val(s, v), "document.details", "object", detailsFacts[:]...)
		case "front":
			if walk.IsObject(s, v) {
				return n.front(v)
			}
			r := walk.Val(s, v)
			n.unreadable(r, "document.front", "object", infoFacts[:]...)
			n.unreadable(r, "document.front", "object", docFaceFacts[:]...)
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
			if !walk.IsObject(s, v) {
				n.unreadable(walk.Val(s, v), "document.details.forensics", "object", forensicsFacts[:]...)
				return 0
			}
			return walk.Members(s, v, func(key string, w int) int {
				if key == "is_valid" {
					r := walk.Val(s, w)
					n.forensics(r)
					return past(r)
				}
				return 0
			})
		}
		return 0
	})
}

// forensics reads is_valid: documented as a string ("valid",
// "inconclusive", "invalid"); a JSON boolean (or 0/1) is read as
// valid/invalid. Anything else is unreadable.
func (n *norm) forensics(v gjson.Result) {
	const what = "document.details.forensics.is_valid"
	if !field.Present(v) {
		return
	}
	word := ""
	if v.Type == gjson.String {
		word = strings.ToLower(strings.TrimSpace(v.Str))
	} else if b, ok := field.Bool(v); ok {
		word = "invalid"
		if b {
			word = "valid"
		}
	}
	switch word {
	case "valid":
		n.rd.Merge(fDocForensicsValid, engine.BoolValue(true), v, what)
	case "invalid":
		n.rd.Merge(fDocForensicsValid, engine.BoolValue(false), v, what)
	case "inconclusive":
	default:
		n.unreadable(v, what, "valid, inconclusive or invalid", forensicsFacts[:]...)
		return
	}
	n.rd.Merge(fDocForensics, engine.StringValue(word), v, what)
}

func (n *norm) front(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "information":
			if walk.IsObject(s, v) {
				return n.information(v)
			}
			n.unreadable(walk.Val(s, v), "document.front.information", "object", infoFacts[:]...)
		case "face_analysis":
			if walk.IsObject(s, v) {
				return n.face(v, docFace)
			}
			n.unreadable(walk.Val(s, v), "document.front.face_analysis", "object", docFaceFacts[:]...)
		}
		return 0
	})
}

// information reads the {text, valid} fields of the document's front.
func (n *norm) information(i int) int {
	s := n.s
	var (
		invalid              []string
		reported, unreadable bool
		given, last, mother  string
		complete, curp, dob  string
		dobValue             gjson.Result
	)
	end := walk.Members(s, i, func(key string, v int) int {
		if !walk.IsObject(s, v) {
			r := walk.Val(s, v)
			if field.Present(r) {
				unreadable = true
				what := "document.front.information." + key
				n.unreadable(r, what, "an object with text and valid", flagFacts[:]...)
				if key == "valid_thru" {
					n.unreadable(r, what, "an object with text and valid", vigenciaFacts[:]...)
				}
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
				n.unreadable(valid, "document.front.information."+key+".valid", "bool", flagFacts[:]...)
			}
		}
		if !field.Present(text) {
			return e
		}
		t, ok := field.String(text)
		if !ok {
			if key == "valid_thru" {
				n.unreadable(text, "document.front.information.valid_thru.text", "a year or a date", vigenciaFacts[:]...)
			} else {
				n.warn(text, "document.front.information."+key+".text: expected a string")
			}
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
			n.validThru(text, t)
		}
		return e
	})
	// An unreadable flag leaves the list incomplete and "all valid"
	// unproven; a readable invalid field still makes fields_valid false.
	switch {
	case len(invalid) > 0:
		n.out.Bool(fDocFieldsValid, false)
		n.out.List(fDocInvalidFields, invalid)
	case reported && !unreadable:
		n.out.List(fDocInvalidFields, []string{})
		n.out.Bool(fDocFieldsValid, true)
	}
	dobText := ""
	if dob != "" {
		if t, ok := birthDate(dob); ok {
			dobText = t.Format(field.ISODate)
		} else {
			n.warn(dobValue, "document.front.information.birthdate.text: expected a date DD/MM/YYYY")
		}
	}
	name := complete
	switch {
	case given != "" && last != "" && mother != "":
		name = given + " " + last + " " + mother
	case given != "" && last != "":
		name = given + " " + last
	}
	if curp != "" || dobText != "" || name != "" {
		n.identity(engine.Identity{Source: "trully.document", CURP: strings.ToUpper(curp), DOB: dobText, Name: name})
	}
	return end
}

// validThru reads the vigencia from its text t: a full date (day first, ISO
// or Spanish), a month and year ("12/2030", valid through the month's last
// day), or the last plausible year of a text whose numbers are all years
// ("2033", "2023 2033", "VIGENCIA 2023 - 2033"), valid through December 31.
// A text with other numbers that is not a date ("31/02/2031") is
// unreadable, not read by its year.
func (n *norm) validThru(v gjson.Result, t string) {
	const what = "document.front.information.valid_thru.text"
	d, ok := field.Date(t, field.DayFirst)
	if !ok {
		d, ok = monthYear(t)
	}
	if !ok && onlyYears(t) {
		if y, yok := lastYear(t); yok {
			d, ok = time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC), true
		}
	}
	if !ok || d.Year() < minYear || d.Year() > maxYear {
		n.unreadable(v, what, "a year or a date", vigenciaFacts[:]...)
		return
	}
	n.rd.Merge(fDocValidThruYear, engine.NumberValue(float64(d.Year())), v, what)
	if !n.asOf.IsZero() {
		endOfDay := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, mexicoCity)
		n.rd.Merge(fDocExpired, engine.BoolValue(!n.asOf.Before(endOfDay)), v, what)
	}
}

// The plausible years of an INE vigencia.
const (
	minYear = 1990
	maxYear = 2100
)

// monthYear reads "MM/YYYY" (or with -, .) as the last day of that month.
func monthYear(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	k := strings.IndexAny(s, "/-.")
	if k < 1 || k > 2 || len(s)-k-1 != 4 {
		return time.Time{}, false
	}
	m, y := 0, 0
	for _, c := range []byte(s[:k]) {
		if !isDigit(c) {
			return time.Time{}, false
		}
		m = m*10 + int(c-'0')
	}
	for _, c := range []byte(s[k+1:]) {
		if !isDigit(c) {
			return time.Time{}, false
		}
		y = y*10 + int(c-'0')
	}
	if m < 1 || m > 12 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC), true
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
			if y >= minYear && y <= maxYear {
				return y, true
			}
		}
		end = start
	}
	return 0, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// onlyYears reports whether every run of digits in s has four digits.
func onlyYears(s string) bool {
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isDigit(s[i]) {
			run++
			continue
		}
		if run != 0 && run != 4 {
			return false
		}
		run = 0
	}
	return true
}

// count stores a whole count ≥ 0 (a number or a numeric string) in fact i.
func (n *norm) count(i int, r gjson.Result, what string) {
	if !field.Present(r) {
		return
	}
	x, ok := field.Number(r)
	if !ok || x < 0 || x != math.Trunc(x) {
		n.rd.Unreadable(i, r, what, "a whole count ≥ 0")
		return
	}
	n.rd.Merge(i, engine.NumberValue(x), r, what)
}

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
			n.count(b.base+oSeenDifferentCompanies, r, b.what[wSeenDifferentCompanies])
		case "times_seen_last_month":
			r = walk.Val(s, v)
			n.count(b.base+oTimesSeenLastMonth, r, b.what[wTimesSeenLastMonth])
		case "seen_by_your_company":
			r = walk.Val(s, v)
			n.rd.Bool(b.base+oSeenByYourCompany, r, b.what[wSeenByYourCompany])
		case "times_seen_by_your_company":
			r = walk.Val(s, v)
			n.count(b.base+oTimesSeenByYourCompany, r, b.what[wTimesSeenByYourCompany])
		case "warnings":
			return n.faceWarnings(v, b)
		case "first_seen":
			r = walk.Val(s, v)
			n.firstSeen(r, b)
		case "inquiry_date":
			r = walk.Val(s, v)
			n.inquiryDate(r, b.what[wInquiryDate])
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

// firstSeen gives the whole days from first_seen to the evaluation time;
// a first sighting more than skew after it is impossible, so unreadable.
func (n *norm) firstSeen(r gjson.Result, b *faceBlock) {
	if !field.Present(r) {
		return
	}
	i, what := b.base+oDaysSinceFirstSeen, b.what[wFirstSeen]
	t, ok := time.Time{}, false
	if r.Type == gjson.String {
		t, ok = when(r.Str)
	}
	switch {
	case !ok:
		n.rd.Unreadable(i, r, what, "MM/DD/YYYY, hh:mm:ss")
	case n.asOf.IsZero():
	case t.After(n.asOf.Add(skew)):
		n.out.Unreadable(i, n.rd.Base+r.Index, what, "after the evaluation time")
	default:
		n.rd.Merge(i, engine.NumberValue(max(0, field.Days(t, n.asOf))), r, what)
	}
}

// inquiryDate offers the inquiry's time as the case's decision time, unless
// it lies more than skew after the evaluation time.
func (n *norm) inquiryDate(r gjson.Result, what string) {
	s, ok := n.text(r, what)
	if !ok {
		return
	}
	t, ok := when(s)
	switch {
	case !ok:
		n.warn(r, what+": expected MM/DD/YYYY, hh:mm:ss")
	case !n.asOf.IsZero() && t.After(n.asOf.Add(skew)):
		n.warn(r, what+": after the evaluation time, not used as the decision time")
	default:
		n.out.EventTime(t)
	}
}

// faceWarnings: {} → no warning; external_id present (a message, a
// non-empty array, true) → the face is linked to several external ids.
func (n *norm) faceWarnings(i int, b *faceBlock) int {
	s := n.s
	f := b.base + oMultipleExternalIDs
	if !walk.IsObject(s, i) {
		n.unreadable(walk.Val(s, i), b.what[wWarnings], "object", f)
		return 0
	}
	multiple, bad := false, gjson.Result{}
	e := walk.Members(s, i, func(key string, v int) int {
		if key != "external_id" {
			return 0
		}
		r := walk.Val(s, v)
		switch r.Type {
		case gjson.Null, gjson.False:
		case gjson.True:
			multiple = true
		case gjson.String:
			multiple = strings.TrimSpace(r.Str) != ""
		default:
			if walk.IsArray(s, v) {
				j := walk.SkipWS(s, v+1)
				multiple = j < len(s) && s[j] != ']'
			} else {
				bad = r
			}
		}
		return past(r)
	})
	if bad.Exists() {
		n.rd.Unreadable(f, bad, b.what[wWarnings]+".external_id", "a message")
		return e
	}
	n.rd.Merge(f, engine.BoolValue(multiple), walk.Val(s, i), b.what[wWarnings])
	return e
}

func (n *norm) curp(i int) int {
	s := n.s
	var (
		curp, name, dob  string
		dobValue, age    gjson.Result
		errText          string
		errValue, gov    gjson.Result
		errBad, govTrue  bool
		govRead, noMatch bool
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
			age = r
		case "is_mexican":
			r = walk.Val(s, v)
			n.rd.Bool(fCurpIsMexican, r, "curp.is_mexican")
		case "name_to_CURP_valid":
			r = walk.Val(s, v)
			n.rd.Bool(fCurpNameValid, r, "curp.name_to_CURP_valid")
		case "government_valid":
			r = walk.Val(s, v)
			if govRead = n.rd.Bool(fCurpGovernmentValid, r, "curp.government_valid"); govRead {
				govTrue, _ = field.Bool(r)
				gov = r
			}
		case "deceased":
			r = walk.Val(s, v)
			n.rd.Bool(fCurpDeceased, r, "curp.deceased")
		case "error":
			r = walk.Val(s, v)
			if !field.Present(r) {
				break
			}
			if t, ok := field.String(r); ok {
				errText, errValue = strings.TrimSpace(t), r
			} else {
				errBad = true
				n.unreadable(r, "curp.error", "string", fCurpError, fCurpFound)
			}
		default:
			return 0
		}
		return past(r)
	})
	switch {
	case errText != "":
		n.rd.Merge(fCurpError, engine.StringValue(errText), errValue, "curp.error")
		if noMatch = notFound(errText); noMatch {
			n.rd.Merge(fCurpFound, engine.BoolValue(false), errValue, "curp.error")
		}
	case govRead && !errBad:
		n.rd.Merge(fCurpFound, engine.BoolValue(true), gov, "curp.government_valid")
	}
	if noMatch && govTrue {
		n.out.Conflict(fCurpGovernmentValid, n.rd.Base+gov.Index, "curp.government_valid", "true while curp.error says the CURP was not found")
	}
	var born time.Time
	if dob != "" {
		t, ok := birthDate(dob)
		if ok {
			born, dob = t, t.Format(field.ISODate)
		} else {
			dob = ""
			n.warn(dobValue, "curp.date_of_birth: expected a date DD/MM/YYYY")
		}
	}
	n.age(age, born, dobValue)
	if curp != "" || dob != "" || name != "" {
		n.identity(engine.Identity{Source: "trully.curp", CURP: strings.ToUpper(curp), DOB: dob, Name: name})
	}
	return e
}

// maxAge is the largest age read as plausible.
const maxAge = 130

// age stores curp.age, a whole number of years in 0–maxAge, unless the
// CURP's birth date (born, read from dobValue) lies after the evaluation
// time: then no age is right, and the fact is unreadable.
func (n *norm) age(r gjson.Result, born time.Time, dobValue gjson.Result) {
	if !field.Present(r) {
		return
	}
	if !born.IsZero() && !n.asOf.IsZero() && born.After(n.asOf) {
		n.out.Unreadable(fCurpAge, n.rd.Base+dobValue.Index, "curp.date_of_birth", "birth date after the evaluation time")
		return
	}
	x, ok := field.Number(r)
	if !ok || x < 0 || x > maxAge || x != math.Trunc(x) {
		n.rd.Unreadable(fCurpAge, r, "curp.age", "a whole number of years 0–130")
		return
	}
	n.rd.Merge(fCurpAge, engine.NumberValue(x), r, "curp.age")
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
