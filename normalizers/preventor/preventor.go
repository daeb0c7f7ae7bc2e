// Package preventor normalizes Preventor "IDV Tickets" webhooks into facts.
//
// Preventor runs an identity-verification flow (a "ticket") made of
// sub-processes and notifies its progress with two webhook events:
//
//   - ticket.verification.in_progress, sent after a group of sub-processes ran
//     (sub_event verification.liveness: facial analysis and liveness detection;
//     sub_event verification.id_proofing: document detection, ID proofing and
//     photo matching), with flow_status IN_PROGRESS, the disposition of that
//     step (PASSED; RETRY: unacceptable, with attempts left; FAILED:
//     unacceptable, no retries left), remaining_attempts and the sub-process
//     results under data;
//   - ticket.verification.completed, sent once at the end, with flow_status
//     ACCEPTED or REJECTED, disposition PASSED or FAILED, remaining_attempts,
//     risk_code and confidence_score, and no sub-process results.
//
// # Several events, no time
//
// All events of one ticket form one result. Normalize receives them in
// arrival order, which is not the order they happened in, and the payloads
// carry no timestamp, so no event is "the latest": arrival order never
// decides anything, and the result is the same in any order.
//
//   - The flow facts (flow_status, accepted, disposition, remaining_attempts,
//     risk_code, confidence_score) come from the completed events when any
//     was received: a completed event ends the flow. Two completed events
//     that disagree (REJECTED, then ACCEPTED) are merged: the fact is
//     conflicting and keeps the adverse side. Without a completed event
//     flow_status is IN_PROGRESS, disposition the worst step (FAILED, then
//     RETRY, then PASSED) and remaining_attempts the fewest reported.
//   - Each step's outcome follows Preventor's documented sequence: a step
//     is retried after RETRY and ends in PASSED or FAILED, so an attempt
//     that ended supersedes the RETRY attempts of its step, whatever order
//     they arrived in. RETRY then PASSED is legitimate: the step reads
//     PASSED and its retries are counted (preventor.liveness.retries), so a
//     policy can tell it from a failure. FAILED is final: a step that both
//     FAILED and PASSED is conflicting (FAILED kept), and a FAILED step stays
//     a fact (preventor.any_step_failed) that makes an ACCEPTED completion
//     conflicting.
//   - The sub-process facts come from the attempts that ended (merged
//     adverse-wins when several did); for a step with no ended attempt, from
//     the RETRY attempt with the fewest remaining_attempts (Preventor's own
//     attempt counter; attempts without a readable counter are merged).
//   - Identical re-deliveries change nothing: merging a value again is a
//     no-op and retries are told apart by remaining_attempts.
//     preventor.events still counts payloads.
//
// # Evidence
//
// Every field read follows the same rules. A present value that cannot be
// read (another JSON type, an empty or undocumented word, a risk_code outside
// LOW/MEDIUM/HIGH, a number outside 0..100, an age range that is not one, a
// remaining_attempts that is not a whole count) leaves its facts unknown and
// marks them unreadable with the field and byte offset. Null is "not
// reported". Fields of one event that contradict each other mark the facts
// they feed conflicting: flow_status ACCEPTED with disposition FAILED, a
// completed event with flow_status IN_PROGRESS or disposition RETRY, an
// in_progress event with flow_status ACCEPTED or REJECTED, a sub-process
// status false (or general_status INVALID) in an event whose disposition is
// PASSED or whose flow is ACCEPTED, id_proofing.status true beside
// general_status INVALID. The payloads carry no dates.
//
// Quirks handled: scores arrive as strings ("100", "99.94") in some places
// and as numbers (99.99) in others; both are read everywhere. age_range is a
// string "22-30" (also "22 - 30", "60+" or a single age). The ID-proofing
// validations are VALID, INVALID (a failed check) or NON_VALIDATED_OR_ABSENT
// (not run, e.g. no RFID chip: not a failure; listed as unverified). Words
// are compared case-insensitively and stored as documented. The
// documentation's completed example has a double comma (invalid JSON);
// payloads are validated by the caller, so it never reaches here.
//
// # Other Preventor webhooks
//
// Preventor documents two other webhook products; both are detected and
// refused with an error that names them, because they carry no sub-process
// results and their words mean something else:
//
//   - the Identity Verification webhooks (event verification.completed,
//     status VERIFIED or FAILED; event onboarding.completed, status
//     SUCCESSFUL or AWAITING; with created/processed times in milliseconds);
//   - the Invitations link webhook (id, invitation_state, cifcod, full_name,
//     ticket, transaction_status, attempts), which repeats the ticket's
//     outcome and carries personal data.
//
// The ticket id becomes the case id. Payloads of different tickets in one
// case are an error, not conflicting evidence: they are two verifications,
// possibly of two people, and no result can be formed from them (serve
// refuses such a payload before storing it, so the case stays decidable). A
// payload without a ticket or with an unknown event name is an error too.
// The IDV Tickets webhook carries no personal data, so no Identity is
// reported.
package preventor

import (
	"math"
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

// Name implements normalizers.Provider.
func (Provider) Name() string { return name }

// Facts implements normalizers.Provider.
func (Provider) Facts() []engine.FactSpec { return facts[:] }

// Detect reports a payload with a ticket and an event named
// ticket.verification.*, and the other Preventor webhooks (see the package
// comment) so that Normalize can name them.
func (Provider) Detect(s normalizers.Shape) bool {
	if !s.Has("ticket") {
		return false
	}
	e := s.Keys["event"]
	return strings.HasPrefix(e, `"ticket.verification.`) ||
		e == `"verification.completed"` || e == `"onboarding.completed"` ||
		s.Has("invitation_state") && s.Has("transaction_status")
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
)

// disp is a disposition as read; the order is the severity.
type disp uint8

const (
	dNone   disp = iota // not reported
	dPassed             // PASSED
	dRetry              // RETRY
	dFailed             // FAILED
	dBad                // present but unreadable
)

var dispWords = [...]string{dPassed: "PASSED", dRetry: "RETRY", dFailed: "FAILED"}

// event is the top level of one payload, read once.
type event struct {
	s      string // the payload
	base   int    // byte offset of the payload in the input
	kind   eventKind
	sub    subEvent
	disp   disp
	remOK  bool    // remaining_attempts is a whole count
	rem    float64 // remaining_attempts when remOK
	ticket gjson.Result
	flow   gjson.Result
	dispR  gjson.Result
	remR   gjson.Result
	risk   gjson.Result
	score  gjson.Result
	data   gjson.Result // as walk.Val returned it: read it with readData
}

// parse reads the top level of one payload.
func parse(p normalizers.Payload, out engine.Sink) (event, error) {
	s := rawString(p)
	ev := event{s: s, base: p.Offset}
	lead := walk.SkipWS(s, 0)
	if !walk.IsObject(s, lead) {
		return ev, normalizers.Errorf(name, p.Offset, "payload: expected a JSON object")
	}
	var evName, sub, invitation gjson.Result
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
			r = &ev.dispR
		case "remaining_attempts":
			r = &ev.remR
		case "risk_code":
			r = &ev.risk
		case "confidence_score":
			r = &ev.score
		case "invitation_state":
			r = &invitation
		case "data":
			// Read once the attempts that count are known.
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
	case !field.Present(evName) && field.Present(invitation):
		return ev, normalizers.NotReadf(name, p.Offset+invitation.Index,
			"invitation_state: an Invitations link webhook is not read (it repeats the ticket's outcome without its checks); send the ticket's IDV Tickets webhooks (ticket.verification.*)")
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
	case strings.EqualFold(e, "verification.completed"), strings.EqualFold(e, "onboarding.completed"):
		return ev, normalizers.NotReadf(name, p.Offset+evName.Index,
			"event: %q is a webhook of Preventor's Identity Verification API, not an IDV Tickets event, and is not read; subscribe to the IDV Tickets webhooks (ticket.verification.*)", e)
	default:
		return ev, normalizers.Errorf(name, p.Offset+evName.Index, "event: unknown event %q", evName.Str)
	}
	if field.Present(ev.data) && !ev.data.IsObject() {
		return ev, normalizers.Errorf(name, p.Offset+ev.data.Index, "data: expected an object")
	}
	if ev.kind == inProgress {
		switch s, _ := field.String(sub); {
		case strings.EqualFold(strings.TrimSpace(s), "verification.liveness"):
			ev.sub = subLiveness
		case strings.EqualFold(strings.TrimSpace(s), "verification.id_proofing"):
			ev.sub = subIDProofing
		case !field.Present(sub):
			ev.sub = subOther
			out.Warn(p.Offset, "sub_event: missing in an in_progress event; its data is read as an unknown step")
		default:
			ev.sub = subOther
			out.Warn(p.Offset+sub.Index, "sub_event: unknown sub-event; its data is read as an unknown step")
		}
	}
	ev.rem, ev.remOK = count(ev.remR)
	ev.disp = dispOf(ev.dispR)
	return ev, nil
}

// dispOf reads a disposition word.
func dispOf(v gjson.Result) disp {
	if !field.Present(v) {
		return dNone
	}
	if v.Type == gjson.String {
		switch w := strings.TrimSpace(v.Str); {
		case strings.EqualFold(w, "PASSED"):
			return dPassed
		case strings.EqualFold(w, "RETRY"):
			return dRetry
		case strings.EqualFold(w, "FAILED"):
			return dFailed
		}
	}
	return dBad
}

// count reads a whole count >= 0 (a number or a numeric string).
func count(v gjson.Result) (float64, bool) {
	n, ok := field.Number(v)
	return n, ok && n >= 0 && n == math.Trunc(n)
}

// ticketRead is the state of one Normalize call. The events are passed
// beside it, so that their array stays on the stack.
type ticketRead struct {
	out  engine.Sink
	done bool // a completed event was received
	// acceptedAt is the byte offset of an ACCEPTED flow_status, -1 when none.
	acceptedAt int
	// adverse is what an ACCEPTED completion contradicts: why, or "".
	adverse string
}

// Normalize implements normalizers.Provider. All payloads must be events of
// one ticket.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	if len(in) == 0 {
		return nil
	}
	var buf [6]event
	evs := buf[:0]
	t := ticketRead{out: out, acceptedAt: -1}
	for _, p := range in {
		ev, err := parse(p, out)
		if err != nil {
			return err
		}
		if len(evs) > 0 && !sameWord(ev.ticket, evs[0].ticket) {
			first := &evs[0]
			return normalizers.Errorf(name, ev.base+ev.ticket.Index,
				"ticket: payloads of different tickets in one case: %q (byte %d) and %q",
				first.ticket.Str, first.base+first.ticket.Index, ev.ticket.Str)
		}
		t.done = t.done || ev.kind == completed
		evs = append(evs, ev)
	}
	out.CaseID(strings.TrimSpace(evs[0].ticket.Str))
	out.Number(fEvents, float64(len(in)))
	out.Bool(fCompleted, t.done)

	t.flowFacts(evs)
	worst, conflict := t.steps(evs)
	if !t.done && worst != dNone {
		out.String(fDisposition, dispWords[worst])
		if conflict {
			out.Conflict(fDisposition, -1, "disposition", "a step of the ticket both passed and failed")
		}
	}
	if t.acceptedAt >= 0 && t.adverse != "" {
		out.Conflict(fAccepted, t.acceptedAt, "flow_status", "ACCEPTED, although "+t.adverse)
	}
	return nil
}

// flowFacts reads the top level of every event into the flow facts.
func (t *ticketRead) flowFacts(evs []event) {
	minRem, haveRem := 0.0, false
	for i := range evs {
		ev := &evs[i]
		rd := field.Reader{Sink: t.out, Base: ev.base}
		if field.Present(ev.remR) && !ev.remOK {
			rd.Unreadable(fRemainingAttempts, ev.remR, "remaining_attempts", "a count")
		}
		if ev.kind == completed {
			t.completedTop(rd, ev)
			continue
		}
		if flow, ok := word(rd, ev.flow, "flow_status", flowValues, fFlowStatus); ok {
			if flow != "IN_PROGRESS" {
				rd.Merge(fFlowStatus, engine.StringValue(flow), ev.flow, "flow_status")
				rd.Sink.Conflict(fFlowStatus, ev.base+ev.flow.Index, "flow_status", flow+" in an in_progress event")
			} else if !t.done {
				rd.Merge(fFlowStatus, engine.StringValue(flow), ev.flow, "flow_status")
			}
		}
		if !t.done && ev.remOK && (!haveRem || ev.rem < minRem) {
			minRem, haveRem = ev.rem, true
		}
		if ev.disp == dBad && !t.done {
			rd.Unreadable(fDisposition, ev.dispR, "disposition", "one of PASSED, FAILED, RETRY")
		}
	}
	if haveRem {
		t.out.Number(fRemainingAttempts, minRem)
	}
}

// completedTop reads the top level of a completed event.
func (t *ticketRead) completedTop(rd field.Reader, ev *event) {
	flow, ok := word(rd, ev.flow, "flow_status", flowValues, fFlowStatus, fAccepted)
	if ok {
		rd.Merge(fFlowStatus, engine.StringValue(flow), ev.flow, "flow_status")
		switch flow {
		case "ACCEPTED":
			rd.Merge(fAccepted, engine.BoolValue(true), ev.flow, "flow_status")
			t.acceptedAt = ev.base + ev.flow.Index
		case "REJECTED":
			rd.Merge(fAccepted, engine.BoolValue(false), ev.flow, "flow_status")
		default:
			const msg = "IN_PROGRESS in a completed event"
			rd.Sink.Conflict(fFlowStatus, ev.base+ev.flow.Index, "flow_status", msg)
			rd.Sink.Conflict(fAccepted, ev.base+ev.flow.Index, "flow_status", msg)
		}
	}
	// An acceptance is only as good as the disposition beside it.
	accepted := ok && flow == "ACCEPTED"
	switch ev.disp {
	case dNone:
	case dBad:
		const want = "one of PASSED, FAILED"
		rd.Unreadable(fDisposition, ev.dispR, "disposition", want)
		if accepted {
			rd.Unreadable(fAccepted, ev.dispR, "disposition", want)
		}
	default:
		rd.Merge(fDisposition, engine.StringValue(dispWords[ev.disp]), ev.dispR, "disposition")
		if ev.disp == dRetry {
			const msg = "RETRY in a completed event, which has no retries left"
			rd.Sink.Conflict(fDisposition, ev.base+ev.dispR.Index, "disposition", msg)
			if accepted {
				rd.Sink.Conflict(fAccepted, ev.base+ev.dispR.Index, "disposition", msg)
			}
		}
		if ev.disp == dFailed && accepted {
			const msg = "flow_status ACCEPTED with disposition FAILED"
			for _, f := range [...]int{fFlowStatus, fAccepted, fDisposition} {
				rd.Sink.Conflict(f, ev.base+ev.dispR.Index, "disposition", msg)
			}
		}
	}
	if ev.remOK {
		rd.Merge(fRemainingAttempts, engine.NumberValue(ev.rem), ev.remR, "remaining_attempts")
	}
	if risk, ok := word(rd, ev.risk, "risk_code", riskValues, fRiskCode); ok {
		rd.Merge(fRiskCode, engine.StringValue(risk), ev.risk, "risk_code")
	}
	score(rd, fConfidenceScore, ev.score, "confidence_score")
	if readData(rd, ev.s, ev.data, accepted) {
		t.adverse = "a sub-process of the completed event failed"
	}
}

// step is one kind of in_progress event and the facts it feeds.
type step struct {
	sub         subEvent
	disp, tries int // fact indexes, -1 for none
	label       string
}

var stepKinds = [...]step{
	{subLiveness, fLivenessDisposition, fLivenessRetries, "liveness"},
	{subIDProofing, fIDDisposition, fIDRetries, "ID-proofing"},
	{subOther, -1, -1, "unknown"},
}

// steps reads each step's outcome, retries and sub-process results, and
// returns the worst step outcome and whether a step is conflicting.
func (t *ticketRead) steps(evs []event) (worst disp, conflict bool) {
	anyStep, anyFailed, anyBad := false, false, false
	for _, k := range stepKinds {
		var passed, failed, retry, events bool
		minRetry := math.Inf(1) // the fewest remaining_attempts of a RETRY
		retries := 0
		for i := range evs {
			ev := &evs[i]
			if ev.kind != inProgress || ev.sub != k.sub {
				continue
			}
			events = true
			rd := field.Reader{Sink: t.out, Base: ev.base}
			switch ev.disp {
			case dBad:
				anyBad = true
				if k.disp >= 0 {
					rd.Unreadable(k.disp, ev.dispR, "disposition", "one of PASSED, FAILED, RETRY")
				}
				rd.Unreadable(fAnyStepFailed, ev.dispR, "disposition", "one of PASSED, FAILED, RETRY")
			case dPassed, dFailed:
				passed = passed || ev.disp == dPassed
				failed = failed || ev.disp == dFailed
				if k.disp >= 0 {
					rd.Merge(k.disp, engine.StringValue(dispWords[ev.disp]), ev.dispR, "disposition")
				}
			case dRetry:
				if ev.remOK && ev.rem < minRetry {
					minRetry = ev.rem
				}
				retry = true
				if k.tries >= 0 && field.Present(ev.remR) && !ev.remOK {
					rd.Unreadable(k.tries, ev.remR, "remaining_attempts", "a count")
				}
				if !ev.remOK || !seenRetry(evs[:i], ev) {
					retries++
				}
			}
		}
		if !events {
			continue
		}
		anyStep = true
		anyFailed = anyFailed || failed
		ended := passed || failed
		if k.disp >= 0 && retry && !ended {
			t.out.String(k.disp, "RETRY")
		}
		if k.tries >= 0 {
			t.out.Number(k.tries, float64(retries))
		}
		switch {
		case failed:
			worst = dFailed
			conflict = conflict || passed
		case retry && !ended:
			worst = max(worst, dRetry)
		case passed:
			worst = max(worst, dPassed)
		}
		t.stepData(evs, k, ended, minRetry)
	}
	if anyStep && (anyFailed || !anyBad) {
		// An unreadable disposition may hide a failure: not false.
		t.out.Bool(fAnyStepFailed, anyFailed)
	}
	if anyFailed {
		t.adverse = "a step of the ticket FAILED"
	}
	return worst, conflict
}

// seenRetry reports whether one of the earlier events is the same RETRY
// attempt of the same step as ev (a re-delivery: the same
// remaining_attempts).
func seenRetry(earlier []event, ev *event) bool {
	for j := range earlier {
		e := &earlier[j]
		if e.kind == inProgress && e.sub == ev.sub && e.disp == dRetry && e.remOK && e.rem == ev.rem {
			return true
		}
	}
	return false
}

// stepData reads the sub-process results of the attempts of step k that
// count: those that ended when any did, else the latest RETRY attempt by
// remaining_attempts (and every attempt that cannot be ordered).
func (t *ticketRead) stepData(evs []event, k step, ended bool, minRetry float64) {
	for i := range evs {
		ev := &evs[i]
		if ev.kind != inProgress || ev.sub != k.sub {
			continue
		}
		isEnd := ev.disp == dPassed || ev.disp == dFailed
		switch {
		case ended && !isEnd:
			continue
		case ev.disp == dRetry && ev.remOK && ev.rem > minRetry:
			continue // superseded by a later attempt
		}
		rd := field.Reader{Sink: t.out, Base: ev.base}
		bad := readData(rd, ev.s, ev.data, ev.disp == dPassed)
		if bad && isEnd {
			t.adverse = "a sub-process of the " + k.label + " step failed"
		}
		if bad && ev.disp == dPassed && k.disp >= 0 {
			t.out.Conflict(k.disp, ev.base+ev.dispR.Index, "disposition", "PASSED, although a sub-process of the same event failed")
		}
	}
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

// dataRead reads the sub-process results of one event.
type dataRead struct {
	rd field.Reader
	s  string
	// claimsOK: the event says every sub-process passed (disposition
	// PASSED, or flow ACCEPTED), so a failed one contradicts it.
	claimsOK bool
	bad      bool // a sub-process reported a failure
}

// object reports whether the value at s[i] is an object; another present
// type marks facts unreadable.
func (d *dataRead) object(i int, what string, fs ...int) bool {
	if walk.IsObject(d.s, i) {
		return true
	}
	if v := walk.Val(d.s, i); field.Present(v) {
		for _, f := range fs {
			d.rd.Unreadable(f, v, what, "object")
		}
	}
	return false
}

// status reads a sub-process status into fact i.
func (d *dataRead) status(i int, v gjson.Result, what string) {
	if !d.rd.Bool(i, v, what) {
		return
	}
	if b, _ := field.Bool(v); !b {
		d.failed(i, v, what)
	}
}

// failed records a failed sub-process read from v into fact i.
func (d *dataRead) failed(i int, v gjson.Result, what string) {
	d.bad = true
	if d.claimsOK {
		d.rd.Sink.Conflict(i, d.rd.Base+v.Index, what, "failed in an event that reports every sub-process passed")
	}
}

// readData reads the sub-process results of one event: data is the member
// of the payload s, as walk.Val returned it. It reports whether a
// sub-process failed.
func readData(rd field.Reader, s string, data gjson.Result, claimsOK bool) bool {
	if !data.IsObject() {
		return false
	}
	d := dataRead{rd: rd, s: s, claimsOK: claimsOK}
	walk.Members(s, data.Index, func(key string, v int) int {
		switch key {
		case "facial_analysis":
			if d.object(v, "data.facial_analysis", fFacialPassed, fFacialConfidence, fFacialAgeMin, fFacialAgeMax) {
				return walk.Members(s, v, func(key string, w int) int {
					var r gjson.Result
					switch key {
					case "status":
						r = walk.Val(s, w)
						d.status(fFacialPassed, r, "facial_analysis.status")
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
			if d.object(v, "data.liveness_detection", fLivenessPassed, fLivenessMessages) {
				return walk.Members(s, v, func(key string, w int) int {
					switch key {
					case "status":
						r := walk.Val(s, w)
						d.status(fLivenessPassed, r, "liveness_detection.status")
						return past(r)
					case "validation_messages":
						return messages(rd, s, w)
					}
					return 0
				})
			}
		case "document_detection":
			if d.object(v, "data.document_detection", fDocumentDetected) {
				return walk.Members(s, v, func(key string, w int) int {
					if key != "status" {
						return 0
					}
					r := walk.Val(s, w)
					d.status(fDocumentDetected, r, "document_detection.status")
					return past(r)
				})
			}
		case "id_proofing":
			if d.object(v, "data.id_proofing", fIDPassed, fIDGeneralStatus, fIDFailedChecks, fIDUnverifiedChecks, fIDExpiryValid) {
				return d.idProofing(v)
			}
		case "photo_matching":
			if d.object(v, "data.photo_matching", fPhotoPassed, fPhotoSimilarity) {
				return walk.Members(s, v, func(key string, w int) int {
					var r gjson.Result
					switch key {
					case "status":
						r = walk.Val(s, w)
						d.status(fPhotoPassed, r, "photo_matching.status")
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
	return d.bad
}

// idProofing reads data.id_proofing at s[i]: a status true beside a
// general_status INVALID contradicts itself.
func (d *dataRead) idProofing(i int) int {
	var st gjson.Result
	invalid := false
	e := walk.Members(d.s, i, func(key string, w int) int {
		switch key {
		case "status":
			st = walk.Val(d.s, w)
			d.status(fIDPassed, st, "id_proofing.status")
			return past(st)
		case "validations":
			var end int
			invalid, end = d.validations(w)
			return end
		}
		return 0
	})
	if b, ok := field.Bool(st); ok && b && invalid {
		d.rd.Sink.Conflict(fIDPassed, d.rd.Base+st.Index, "id_proofing.status", "true beside validations.general_status INVALID")
	}
	return e
}

// validations reads id_proofing.validations at s[i]: each check is VALID,
// INVALID (failed) or NON_VALIDATED_OR_ABSENT (not run). It reports whether
// general_status is INVALID.
func (d *dataRead) validations(i int) (bool, int) {
	rd, s := d.rd, d.s
	if !d.object(i, "id_proofing.validations", fIDGeneralStatus, fIDFailedChecks, fIDUnverifiedChecks, fIDExpiryValid) {
		return false, 0
	}
	var failed, unverified []string
	generalInvalid := false
	e := walk.Members(s, i, func(key string, w int) int {
		v := walk.Val(s, w)
		const what = "id_proofing.validations"
		t, ok := canonical(v, validationValues)
		if !ok {
			if field.Present(v) {
				d.badValidation(key, v)
			}
			return past(v)
		}
		switch t {
		case "INVALID":
			failed = append(failed, key)
		case "NON_VALIDATED_OR_ABSENT":
			unverified = append(unverified, key)
		}
		switch key {
		case "general_status":
			rd.Merge(fIDGeneralStatus, engine.StringValue(t), v, what+".general_status")
			if t == "INVALID" {
				generalInvalid = true
				d.failed(fIDGeneralStatus, v, what+".general_status")
			}
		case "document_expiry":
			if t != "NON_VALIDATED_OR_ABSENT" {
				rd.Merge(fIDExpiryValid, engine.BoolValue(t == "VALID"), v, what+".document_expiry")
			}
		}
		return past(v)
	})
	rd.Sink.List(fIDFailedChecks, failed)
	rd.Sink.List(fIDUnverifiedChecks, unverified)
	return generalInvalid, e
}

// badValidation marks the facts of an unreadable validation v (of check
// key) unreadable: failed_checks, and the check's own fact.
func (d *dataRead) badValidation(key string, v gjson.Result) {
	what := "id_proofing.validations." + key
	want := "one of " + strings.Join(validationValues, ", ")
	d.rd.Unreadable(fIDFailedChecks, v, what, want)
	switch key {
	case "general_status":
		d.rd.Unreadable(fIDGeneralStatus, v, what, want)
	case "document_expiry":
		d.rd.Unreadable(fIDExpiryValid, v, what, want)
	}
}

// messages reads liveness_detection.validation_messages at s[i]: an array
// of strings, or a single string.
func messages(rd field.Reader, s string, i int) int {
	if walk.IsArray(s, i) {
		out := []string{}
		e := walk.Elements(s, i, func(v int) int {
			r := walk.Val(s, v)
			if r.Type == gjson.String {
				out = append(out, r.Str)
			} else {
				rd.Unreadable(fLivenessMessages, r, "liveness_detection.validation_messages", "an array of strings")
			}
			return past(r)
		})
		rd.Sink.List(fLivenessMessages, out)
		return e
	}
	switch v := walk.Val(s, i); {
	case !field.Present(v):
	case v.Type == gjson.String:
		rd.Sink.List(fLivenessMessages, []string{v.Str})
	default:
		rd.Unreadable(fLivenessMessages, v, "liveness_detection.validation_messages", "an array of strings")
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
			rd.Merge(fFacialAgeMin, engine.NumberValue(v.Num), v, "facial_analysis.age_range")
			rd.Merge(fFacialAgeMax, engine.NumberValue(v.Num), v, "facial_analysis.age_range")
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
			rd.Merge(fFacialAgeMin, engine.NumberValue(a), v, "facial_analysis.age_range")
			return
		case !open && errA == nil && errB == nil && age(a) && age(b) && a <= b:
			rd.Merge(fFacialAgeMin, engine.NumberValue(a), v, "facial_analysis.age_range")
			rd.Merge(fFacialAgeMax, engine.NumberValue(b), v, "facial_analysis.age_range")
			return
		}
	}
	const want = `a range of years like "22-30"`
	rd.Unreadable(fFacialAgeMin, v, "facial_analysis.age_range", want)
	rd.Unreadable(fFacialAgeMax, v, "facial_analysis.age_range", want)
}

func age(n float64) bool { return n >= 0 && n <= 150 }

// score stores a 0..100 score given as a number or a numeric string.
func score(rd field.Reader, i int, v gjson.Result, what string) {
	if !field.Present(v) {
		return
	}
	n, ok := field.Number(v)
	if !ok || n < 0 || n > 100 {
		rd.Unreadable(i, v, what, "a score from 0 to 100")
		return
	}
	rd.Merge(i, engine.NumberValue(n), v, what)
}

// word reads an enumerated word at v, returning its documented spelling
// (compared case-insensitively, surrounding space ignored). ok is false when
// v is not reported (missing or null), or when it is present but not one of
// values: then the facts are marked unreadable.
func word(rd field.Reader, v gjson.Result, what string, values []string, fs ...int) (string, bool) {
	if !field.Present(v) {
		return "", false
	}
	if w, ok := canonical(v, values); ok {
		return w, true
	}
	for _, f := range fs {
		rd.Unreadable(f, v, what, "one of "+strings.Join(values, ", "))
	}
	return "", false
}

// canonical returns the documented spelling of the word v when it is one of
// values.
func canonical(v gjson.Result, values []string) (string, bool) {
	if v.Type == gjson.String {
		s := strings.TrimSpace(v.Str)
		for _, w := range values {
			if strings.EqualFold(s, w) {
				return w, true
			}
		}
	}
	return "", false
}

// sameWord reports whether two word fields hold the same word.
func sameWord(a, b gjson.Result) bool {
	return strings.EqualFold(strings.TrimSpace(a.Str), strings.TrimSpace(b.Str))
}
