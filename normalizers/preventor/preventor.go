// Package preventor normalizes Preventor "IDV Tickets" webhooks into facts.
//
// Preventor runs an identity-verification flow (a "ticket") made of
// sub-processes and notifies its progress with two webhook events:
//
//   - ticket.verification.in_progress, sent after a group of sub-processes ran
//     (sub_event verification.liveness: facial analysis and liveness detection;
//     sub_event verification.id_proofing: document detection, ID proofing and
//     photo matching), with flow_status IN_PROGRESS, the disposition of that
//     step (PASSED, FAILED or RETRY), remaining_attempts and the sub-process
//     results under data;
//   - ticket.verification.completed, sent once at the end, with flow_status
//     ACCEPTED or REJECTED, disposition PASSED or FAILED, remaining_attempts,
//     risk_code and confidence_score, and no sub-process results.
//
// Several events of one ticket form one result. Normalize receives all of a
// case's Preventor payloads in arrival order, which is not necessarily the
// order the events happened in, and payloads carry no timestamp, so "which
// event is later" is decided as follows:
//
//   - a completed event is later than any in_progress event, whatever order
//     they arrived in: it supplies flow_status, disposition,
//     remaining_attempts, risk_code and confidence_score (a field the completed
//     event lacks stays unknown; it is not filled in from an in_progress event);
//   - between two in_progress events of the same sub_event, a PASSED or FAILED
//     one is later than a RETRY one (a RETRY is always followed by another
//     attempt of the same step), then the one with fewer remaining_attempts is
//     later, then the one received last;
//   - otherwise the one received last is later.
//
// Sub-process results accumulate across events: the liveness facts come from
// the latest verification.liveness event and the ID facts from the latest
// verification.id_proofing event; a later event of a sub_event replaces the
// earlier one's results as a whole (RETRY then PASSED reads the PASSED data).
//
// Quirks handled:
//   - scores arrive as strings ("100", "99.94") in some places and as numbers
//     (99.99) in others; both are read everywhere. A score outside 0..100 is
//     a warning and stays unknown;
//   - age_range is a string "22-30" (also "22 - 30", "60+" or a single age),
//     split into age_min and age_max;
//   - the ID-proofing validations are words: VALID, NON_VALIDATED_OR_ABSENT
//     (the check was not run, e.g. no RFID chip: not a failure, so it is
//     listed as unverified and leaves booleans unknown) and anything else
//     (INVALID, ...) which is a failed check. Words are compared
//     case-insensitively;
//   - the documentation's completed example has a double comma (invalid
//     JSON); payloads are validated by the caller, so it never reaches here;
//   - enumerated words are stored upper-cased as documented when they match a
//     documented value case-insensitively, otherwise as reported.
//
// The ticket id becomes the case id. Payloads of different tickets in one
// case, a payload without a ticket, or an unknown event name are errors. The
// webhook carries no personal data, so no Identity is reported.
package preventor

import (
	"strconv"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/field"
	"github.com/veredicto/veredicto/normalizers/internal/walk"
)

const name = "preventor"

// Provider is the Preventor IDV Tickets normalizer.
type Provider struct{}

var _ normalizers.Provider = Provider{}

func init() { normalizers.Register(Provider{}) }

// Local fact indexes.
const (
	fFlowStatus = iota
	fCompleted
	fAccepted
	fDisposition
	fRemainingAttempts
	fRiskCode
	fConfidenceScore
	fEvents
	fLivenessPassed
	fLivenessDisposition
	fLivenessMessages
	fFacialPassed
	fFacialConfidence
	fFacialAgeMin
	fFacialAgeMax
	fDocumentDetected
	fIDPassed
	fIDDisposition
	fIDGeneralStatus
	fIDFailedChecks
	fIDUnverifiedChecks
	fIDExpiryValid
	fPhotoPassed
	fPhotoSimilarity
	numFacts
)

var (
	flowValues        = []string{"IN_PROGRESS", "ACCEPTED", "REJECTED"}
	dispositionValues = []string{"PASSED", "FAILED", "RETRY"}
	riskValues        = []string{"LOW", "MEDIUM", "HIGH"}
	validationValues  = []string{"VALID", "NON_VALIDATED_OR_ABSENT", "INVALID"}
)

func spec(n string, k engine.Kind, desc string, values ...string) engine.FactSpec {
	return engine.FactSpec{Name: n, Kind: k, Provider: name, Description: desc, Values: values}
}

var facts = [...]engine.FactSpec{
	fFlowStatus: spec("preventor.flow_status", engine.String,
		"State of the ticket's flow (flow_status) from the completed event when one was received, otherwise from the latest in_progress event. Unknown when not reported.",
		flowValues...),
	fCompleted: spec("preventor.completed", engine.Bool,
		"Whether a ticket.verification.completed event was received for the ticket; false when only in_progress events were received. Unknown only when no Preventor payload was received."),
	fAccepted: spec("preventor.accepted", engine.Bool,
		"Whether the completed event's flow_status is ACCEPTED (false when REJECTED). Unknown when no completed event was received or its flow_status is another word."),
	fDisposition: spec("preventor.disposition", engine.String,
		"State of the last executed step (disposition): from the completed event when received (PASSED or FAILED), otherwise from the latest in_progress event (PASSED, FAILED or RETRY). Unknown when not reported.",
		dispositionValues...),
	fRemainingAttempts: spec("preventor.remaining_attempts", engine.Number,
		"Attempts the applicant has left (remaining_attempts, a count >= 0) from the completed event when received, otherwise from the latest in_progress event. Unknown when that event does not report it."),
	fRiskCode: spec("preventor.risk_code", engine.String,
		"Risk of the whole flow (risk_code of the completed event), as reported upper-cased; other codes than the documented ones are kept as reported. Unknown when not reported.",
		riskValues...),
	fConfidenceScore: spec("preventor.confidence_score", engine.Number,
		"Confidence of the whole flow, 0..100 (confidence_score of the completed event, a number or a numeric string); it decides ACCEPTED or REJECTED. Unknown when not reported or unreadable."),
	fEvents: spec("preventor.events", engine.Number,
		"Number of Preventor events (payloads) received for the ticket, duplicates included."),
	fLivenessPassed: spec("preventor.liveness.passed", engine.Bool,
		"Whether liveness detection passed (data.liveness_detection.status of the latest verification.liveness event). Unknown when not reported or null."),
	fLivenessDisposition: spec("preventor.liveness.disposition", engine.String,
		"disposition of the latest verification.liveness event (PASSED, FAILED or RETRY). Unknown when no liveness event was received.",
		dispositionValues...),
	fLivenessMessages: spec("preventor.liveness.messages", engine.List,
		"Liveness validation messages (data.liveness_detection.validation_messages of the latest verification.liveness event), e.g. \"Liveness detected\". Unknown when not reported or null; empty when reported empty."),
	fFacialPassed: spec("preventor.facial_analysis.passed", engine.Bool,
		"Whether facial analysis passed (data.facial_analysis.status of the latest verification.liveness event). Unknown when not reported or null."),
	fFacialConfidence: spec("preventor.facial_analysis.confidence", engine.Number,
		"Facial-analysis confidence, 0..100 (data.facial_analysis.confidence_score, a string or a number). Unknown when not reported or unreadable."),
	fFacialAgeMin: spec("preventor.facial_analysis.age_min", engine.Number,
		"Lower bound in years of the estimated age (data.facial_analysis.age_range, \"22-30\" gives 22). Unknown when not reported or unreadable."),
	fFacialAgeMax: spec("preventor.facial_analysis.age_max", engine.Number,
		"Upper bound in years of the estimated age (data.facial_analysis.age_range, \"22-30\" gives 30). Unknown when not reported, unreadable or open-ended (\"60+\")."),
	fDocumentDetected: spec("preventor.document.detected", engine.Bool,
		"Whether an identity document was detected (data.document_detection.status of the latest verification.id_proofing event). Unknown when not reported or null."),
	fIDPassed: spec("preventor.id_proofing.passed", engine.Bool,
		"Whether ID proofing of the document passed (data.id_proofing.status of the latest verification.id_proofing event). Unknown when not reported or null."),
	fIDDisposition: spec("preventor.id_proofing.disposition", engine.String,
		"disposition of the latest verification.id_proofing event (PASSED, FAILED or RETRY). Unknown when no id_proofing event was received.",
		dispositionValues...),
	fIDGeneralStatus: spec("preventor.id_proofing.general_status", engine.String,
		"Overall result of the document validations (data.id_proofing.validations.general_status). Unknown when not reported.",
		validationValues...),
	fIDFailedChecks: spec("preventor.id_proofing.failed_checks", engine.List,
		"Names of the document validations (keys of data.id_proofing.validations, general_status included) whose value is neither VALID nor NON_VALIDATED_OR_ABSENT, e.g. [security, document_expiry]. Empty when all passed; unknown when validations were not reported."),
	fIDUnverifiedChecks: spec("preventor.id_proofing.unverified_checks", engine.List,
		"Names of the document validations reported NON_VALIDATED_OR_ABSENT (not run or not applicable, e.g. rfid), in document order. Unknown when validations were not reported."),
	fIDExpiryValid: spec("preventor.id_proofing.document_expiry_valid", engine.Bool,
		"Whether the document is not expired (validations.document_expiry is VALID; false for INVALID or any other failing word). Unknown when not reported or NON_VALIDATED_OR_ABSENT."),
	fPhotoPassed: spec("preventor.photo_matching.passed", engine.Bool,
		"Whether the selfie matched the document photo (data.photo_matching.status of the latest verification.id_proofing event). Unknown when not reported or null."),
	fPhotoSimilarity: spec("preventor.photo_matching.similarity", engine.Number,
		"Similarity of selfie and document photo, 0..100 (data.photo_matching.similarity_score, a string or a number). Unknown when not reported or unreadable."),
}

// Name implements normalizers.Provider.
func (Provider) Name() string { return name }

// Facts implements normalizers.Provider.
func (Provider) Facts() []engine.FactSpec { return facts[:] }

// Detect reports a payload with a ticket and an event named
// ticket.verification.*.
func (Provider) Detect(s normalizers.Shape) bool {
	return s.Has("ticket") && strings.HasPrefix(s.Keys["event"], `"ticket.verification.`)
}

type eventKind uint8

const (
	inProgress eventKind = iota + 1
	completed
)

type subEvent uint8

const (
	subNone subEvent = iota // a completed event
	subLiveness
	subIDProofing
	subOther // an in_progress event with a missing or unknown sub_event
	numSubs
)

// event is the top level of one payload, read once.
type event struct {
	s       string // the payload
	base    int    // byte offset of the payload in the input
	seq     int    // arrival position
	kind    eventKind
	sub     subEvent
	ticket  gjson.Result
	rem     float64
	hasRem  bool
	final   bool // disposition PASSED or FAILED
	flow    gjson.Result
	disp    gjson.Result
	remRaw  gjson.Result
	risk    gjson.Result
	score   gjson.Result
	data    gjson.Result // as walk.Val returned it: read it with readData
	present bool
}

// later reports whether a happened after b (see the package comment).
func later(a, b *event) bool {
	if a.kind != b.kind {
		return a.kind == completed
	}
	if a.sub == b.sub {
		if a.kind == inProgress && a.final != b.final {
			return a.final
		}
		if a.hasRem && b.hasRem && a.rem != b.rem {
			return a.rem < b.rem
		}
	}
	return a.seq > b.seq
}

// parse reads the top level of one payload.
func parse(p normalizers.Payload, seq int, out engine.Sink) (event, error) {
	s := rawString(p)
	ev := event{s: s, base: p.Offset, seq: seq, present: true}
	lead := walk.SkipWS(s, 0)
	if !walk.IsObject(s, lead) {
		return ev, normalizers.Errorf(name, p.Offset, "payload: expected a JSON object")
	}
	var evName, sub gjson.Result
	walk.Members(s, lead, func(key string, v int) int {
		var r *gjson.Result
		switch key {
		case "ticket":
			r = &ev.ticket
		case "event":
			r = &evName
		case "sub_event":
			r = &sub
		case "flow_status":
			r = &ev.flow
		case "disposition":
			r = &ev.disp
		case "remaining_attempts":
			r = &ev.remRaw
		case "risk_code":
			r = &ev.risk
		case "confidence_score":
			r = &ev.score
		case "data":
			// Only the latest events' data is read, once the order of the
			// events is known.
			r = &ev.data
		default:
			return 0
		}
		*r = walk.Val(s, v)
		return past(*r)
	})
	switch {
	case !field.Present(ev.ticket):
		return ev, normalizers.Errorf(name, p.Offset, "ticket: missing")
	case ev.ticket.Type != gjson.String:
		return ev, normalizers.Errorf(name, p.Offset+ev.ticket.Index, "ticket: expected a string")
	case strings.TrimSpace(ev.ticket.Str) == "":
		return ev, normalizers.Errorf(name, p.Offset+ev.ticket.Index, "ticket: empty")
	case !field.Present(evName):
		return ev, normalizers.Errorf(name, p.Offset, "event: missing")
	case evName.Type != gjson.String:
		return ev, normalizers.Errorf(name, p.Offset+evName.Index, "event: expected a string")
	}
	switch e := strings.TrimSpace(evName.Str); {
	case strings.EqualFold(e, "ticket.verification.in_progress"):
		ev.kind = inProgress
	case strings.EqualFold(e, "ticket.verification.completed"):
		ev.kind = completed
	default:
		return ev, normalizers.Errorf(name, p.Offset+evName.Index, "event: unknown event %q", evName.Str)
	}
	if field.Present(ev.data) && !ev.data.IsObject() {
		return ev, normalizers.Errorf(name, p.Offset+ev.data.Index, "data: expected an object")
	}
	if ev.kind == inProgress {
		switch s, _ := field.String(sub); {
		case strings.EqualFold(s, "verification.liveness"):
			ev.sub = subLiveness
		case strings.EqualFold(s, "verification.id_proofing"):
			ev.sub = subIDProofing
		case !field.Present(sub):
			ev.sub = subOther
			out.Warn(p.Offset, "sub_event: missing in an in_progress event; its data is read as an unknown step")
		default:
			ev.sub = subOther
			out.Warn(p.Offset+sub.Index, "sub_event: unknown sub-event; its data is read as an unknown step")
		}
	}
	ev.rem, ev.hasRem = field.Number(ev.remRaw)
	if d, ok := field.String(ev.disp); ok {
		d = strings.TrimSpace(d)
		ev.final = strings.EqualFold(d, "PASSED") || strings.EqualFold(d, "FAILED")
	}
	return ev, nil
}

// Normalize implements normalizers.Provider. All payloads must be events of
// one ticket.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	if len(in) == 0 {
		return nil
	}
	var (
		last       event // latest completed event, else latest in_progress one
		done       event // latest completed event
		subs       [numSubs]event
		firstEvent event
	)
	for i, p := range in {
		ev, err := parse(p, i, out)
		if err != nil {
			return err
		}
		if i == 0 {
			firstEvent = ev
		} else if !sameWord(ev.ticket, firstEvent.ticket) {
			return normalizers.Errorf(name, ev.base+ev.ticket.Index,
				"ticket: payloads of different tickets in one case: %q (byte %d) and %q",
				firstEvent.ticket.Str, firstEvent.base+firstEvent.ticket.Index, ev.ticket.Str)
		}
		if !last.present || later(&ev, &last) {
			last = ev
		}
		if ev.kind == completed {
			if done.present && !sameWord(done.flow, ev.flow) {
				out.Warn(ev.base+ev.flow.Index, "flow_status: completed events of the ticket disagree; the latest is used")
			}
			if !done.present || later(&ev, &done) {
				done = ev
			}
		} else if s := &subs[ev.sub]; !s.present || later(&ev, s) {
			*s = ev
		}
	}

	out.CaseID(strings.TrimSpace(firstEvent.ticket.Str))
	out.Number(fEvents, float64(len(in)))
	out.Bool(fCompleted, done.present)

	rd := field.Reader{Sink: out, Base: last.base}
	flow := enum(rd, fFlowStatus, last.flow, "flow_status", flowValues)
	if done.present {
		switch flow {
		case "ACCEPTED":
			out.Bool(fAccepted, true)
		case "REJECTED":
			out.Bool(fAccepted, false)
		}
	}
	enum(rd, fDisposition, last.disp, "disposition", dispositionValues)
	if field.Present(last.remRaw) {
		if last.hasRem && last.rem >= 0 {
			out.Number(fRemainingAttempts, last.rem)
		} else {
			warn(rd, last.remRaw, "remaining_attempts: expected a count")
		}
	}
	enum(rd, fRiskCode, last.risk, "risk_code", riskValues)
	score(rd, fConfidenceScore, last.score, "confidence_score")

	for _, sd := range [...]struct {
		sub subEvent
		i   int
	}{{subLiveness, fLivenessDisposition}, {subIDProofing, fIDDisposition}} {
		s := &subs[sd.sub]
		if !s.present {
			continue
		}
		if s.seq == last.seq && s.disp.Type != gjson.String {
			continue // already warned about as the flow's disposition
		}
		enum(field.Reader{Sink: out, Base: s.base}, sd.i, s.disp, "disposition", dispositionValues)
	}
	for i := subLiveness; i < numSubs; i++ {
		if s := &subs[i]; s.present {
			readData(field.Reader{Sink: out, Base: s.base}, s.s, s.data)
		}
	}
	if done.present {
		readData(field.Reader{Sink: out, Base: done.base}, done.s, done.data)
	}
	return nil
}

// rawString views the payload as a string without copying it: Payload.Raw
// is read-only and points into the case's immutable document, so facts may
// keep substrings of it (see normalizers.Payload and Payload.Parse).
func rawString(p normalizers.Payload) string {
	return unsafe.String(unsafe.SliceData(p.Raw), len(p.Raw))
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

// object reports whether the value at s[i] is an object; another present
// type adds a warning.
func object(rd field.Reader, s string, i int, what string) bool {
	if walk.IsObject(s, i) {
		return true
	}
	rd.Object(walk.Val(s, i), what)
	return false
}

// readData reads the sub-process results of one event: data is the member
// of the payload s, as walk.Val returned it.
func readData(rd field.Reader, s string, data gjson.Result) {
	if !data.IsObject() {
		return
	}
	walk.Members(s, data.Index, func(key string, v int) int {
		switch key {
		case "facial_analysis":
			if object(rd, s, v, "data.facial_analysis") {
				return walk.Members(s, v, func(key string, w int) int {
					var r gjson.Result
					switch key {
					case "status":
						r = walk.Val(s, w)
						rd.Bool(fFacialPassed, r, "facial_analysis.status")
					case "confidence_score":
						r = walk.Val(s, w)
						score(rd, fFacialConfidence, r, "facial_analysis.confidence_score")
					case "age_range":
						r = walk.Val(s, w)
						ageRange(rd, r)
					default:
						return 0
					}
					return past(r)
				})
			}
		case "liveness_detection":
			if object(rd, s, v, "data.liveness_detection") {
				return walk.Members(s, v, func(key string, w int) int {
					switch key {
					case "status":
						r := walk.Val(s, w)
						rd.Bool(fLivenessPassed, r, "liveness_detection.status")
						return past(r)
					case "validation_messages":
						return messages(rd, s, w)
					}
					return 0
				})
			}
		case "document_detection":
			if object(rd, s, v, "data.document_detection") {
				return walk.Members(s, v, func(key string, w int) int {
					if key != "status" {
						return 0
					}
					r := walk.Val(s, w)
					rd.Bool(fDocumentDetected, r, "document_detection.status")
					return past(r)
				})
			}
		case "id_proofing":
			if object(rd, s, v, "data.id_proofing") {
				return walk.Members(s, v, func(key string, w int) int {
					switch key {
					case "status":
						r := walk.Val(s, w)
						rd.Bool(fIDPassed, r, "id_proofing.status")
						return past(r)
					case "validations":
						return validations(rd, s, w)
					}
					return 0
				})
			}
		case "photo_matching":
			if object(rd, s, v, "data.photo_matching") {
				return walk.Members(s, v, func(key string, w int) int {
					var r gjson.Result
					switch key {
					case "status":
						r = walk.Val(s, w)
						rd.Bool(fPhotoPassed, r, "photo_matching.status")
					case "similarity_score":
						r = walk.Val(s, w)
						score(rd, fPhotoSimilarity, r, "photo_matching.similarity_score")
					default:
						return 0
					}
					return past(r)
				})
			}
		}
		return 0
	})
}

// validations reads id_proofing.validations at s[i]: a check is VALID,
// unverified (NON_VALIDATED_OR_ABSENT) or failed (any other word).
func validations(rd field.Reader, s string, i int) int {
	if !object(rd, s, i, "id_proofing.validations") {
		return 0
	}
	var failed, unverified []string
	e := walk.Members(s, i, func(key string, w int) int {
		v := walk.Val(s, w)
		if !field.Present(v) {
			return past(v)
		}
		if v.Type != gjson.String {
			warn(rd, v, "id_proofing.validations."+key+": expected a string")
			return past(v)
		}
		t := strings.TrimSpace(v.Str)
		valid := strings.EqualFold(t, "VALID")
		switch {
		case t == "":
			return past(v)
		case valid:
		case strings.EqualFold(t, "NON_VALIDATED_OR_ABSENT"):
			unverified = append(unverified, key)
		default:
			failed = append(failed, key)
		}
		switch key {
		case "general_status":
			rd.Sink.String(fIDGeneralStatus, canonical(t, validationValues))
		case "document_expiry":
			if !strings.EqualFold(t, "NON_VALIDATED_OR_ABSENT") {
				rd.Sink.Bool(fIDExpiryValid, valid)
			}
		}
		return past(v)
	})
	rd.Sink.List(fIDFailedChecks, failed)
	rd.Sink.List(fIDUnverifiedChecks, unverified)
	return e
}

// messages reads liveness_detection.validation_messages at s[i]: an array
// of strings, or a single string.
func messages(rd field.Reader, s string, i int) int {
	if walk.IsArray(s, i) {
		l, e := walk.StringList(s, i)
		rd.Sink.List(fLivenessMessages, l)
		return e
	}
	switch v := walk.Val(s, i); {
	case !field.Present(v):
	case v.Type == gjson.String:
		rd.Sink.List(fLivenessMessages, []string{v.Str})
	default:
		warn(rd, v, "liveness_detection.validation_messages: expected an array of strings")
	}
	return 0
}

// ageRange reads facial_analysis.age_range: "22-30", "22 - 30", "60+" or "25".
func ageRange(rd field.Reader, v gjson.Result) {
	if !field.Present(v) {
		return
	}
	if v.Type == gjson.Number {
		if age(v.Num) {
			rd.Sink.Number(fFacialAgeMin, v.Num)
			rd.Sink.Number(fFacialAgeMax, v.Num)
			return
		}
	} else if v.Type == gjson.String {
		s := strings.TrimSpace(v.Str)
		lo, hi, open := s, s, false
		if i := strings.IndexByte(s, '-'); i > 0 {
			lo, hi = s[:i], s[i+1:]
		} else if strings.HasSuffix(s, "+") {
			lo, open = s[:len(s)-1], true
		}
		a, errA := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		b, errB := strconv.ParseFloat(strings.TrimSpace(hi), 64)
		switch {
		case open && errA == nil && age(a):
			rd.Sink.Number(fFacialAgeMin, a)
			return
		case !open && errA == nil && errB == nil && age(a) && age(b) && a <= b:
			rd.Sink.Number(fFacialAgeMin, a)
			rd.Sink.Number(fFacialAgeMax, b)
			return
		}
	}
	warn(rd, v, `facial_analysis.age_range: expected a range of years like "22-30"`)
}

func age(n float64) bool { return n >= 0 && n <= 150 }

// score stores a 0..100 score given as a number or a numeric string.
func score(rd field.Reader, i int, v gjson.Result, what string) {
	if !field.Present(v) {
		return
	}
	n, ok := field.Number(v)
	if !ok || n < 0 || n > 100 {
		warn(rd, v, what+": expected a score from 0 to 100")
		return
	}
	rd.Sink.Number(i, n)
}

// enum stores a word fact, upper-cased as documented when it is one of
// values (compared case-insensitively), and returns the stored word.
func enum(rd field.Reader, i int, v gjson.Result, what string, values []string) string {
	if !field.Present(v) {
		return ""
	}
	if v.Type != gjson.String {
		warn(rd, v, what+": expected a string")
		return ""
	}
	s := strings.TrimSpace(v.Str)
	if s == "" {
		return ""
	}
	s = canonical(s, values)
	rd.Sink.String(i, s)
	return s
}

// canonical returns the documented spelling of s, or s when undocumented.
func canonical(s string, values []string) string {
	for _, w := range values {
		if strings.EqualFold(s, w) {
			return w
		}
	}
	return s
}

// sameWord reports whether two word fields hold the same word.
func sameWord(a, b gjson.Result) bool {
	return strings.EqualFold(strings.TrimSpace(a.Str), strings.TrimSpace(b.Str))
}

func warn(rd field.Reader, v gjson.Result, msg string) {
	rd.Sink.Warn(rd.Base+v.Index, msg)
}
