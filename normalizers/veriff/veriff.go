// Package veriff normalizes Veriff's session decision: the body of
// GET /v1/sessions/{id}/decision and the decision webhook, which share one
// shape: {"status":"success","verification":{...},"technicalData":{...}}.
//
// How the payload is read:
//
//   - verification is the decision, or null while Veriff has not decided yet
//     (veriff.decision_available false, every decision fact unknown). A body
//     {"status":"fail","code":"1101","message":...} is an API error (401, 404,
//     500...), not a decision: it is a valid result that says "no decision"
//     (veriff.api_error, veriff.api_error_code), never a normalization error.
//   - The decision is verification.status; verification.code is the
//     cross-check (veriff.code_status, veriff.code_consistent). Veriff's own
//     tables disagree on 9121 (abandoned on the decision page, review in the
//     session status-code table) and 9104 (expired / abandoned): either
//     reading counts as consistent. Codes arrive as numbers or strings.
//   - reasonCode is classified by a code table in this package: its range
//     gives the group (1xx/5xx decline, 2xx/6xx resubmission) and the table a
//     category. The code wins over the text: Veriff's own example pairs 102
//     (document tampering) with the text "Document expired"; the text is kept
//     as reported in veriff.reason.
//   - additionalVerifiedData is documented as an object and shown as an array
//     of objects; both, and {} / [], are read, and every object's checks are
//     merged: INE and CURP registries (officialDatabaseVerification), INE
//     biometrics, proof of address (addressMatching beside or inside
//     proofOfAddress), Selfie2Selfie, US database validationResults (combined
//     per field over registries: a NO_MATCH or INVALID wins, conflicting
//     when another registry matched), the Colombian
//     registryValidation and the Brazilian biometric, CPF, Cadastro Único and
//     ProBet checks, age and gender estimation.
//   - Validation results are success / failure / not_applicable / skipped,
//     with the documented misspelling "sucess". Only success and failure set
//     a boolean; the rest leave it unknown. Checks named isNot…
//     (isNotOnPia, isNot…Beneficiary) are inverted: failure means the person
//     IS on the registry. The CURP risk-factor check is documented as
//     curpHasNoRiskFactors and shown as curpHasRiskFactors; both keys are the
//     same check, and success means no risk factors.
//   - Dates are read by field.Date: ISO dates and date-times (validUntil
//     "2020-01-01T00:00:00Z" is a date), day-first numeric dates, and the INE
//     validity's Spanish forms ("31 de diciembre de 2028", "31-DIC-2028", a
//     bare year). A date that is sent but cannot be read makes the facts
//     computed from it unreadable, never unknown.
//   - A session-creation response (verification.status "created", or a
//     verification with only url and sessionToken) and a session event
//     webhook ({"action":"started"|"submitted","feature",...}, no
//     verification) carry no decision: veriff.decision_available is false,
//     every decision fact unknown, and a warning says so (EventNoDecision for
//     events, the message serve gives). Beside a real decision they are
//     ignored.
//   - Values of the wrong type, undocumented enum words and numbers out of
//     range are unreadable facts (Sink.Unreadable), located by field and
//     byte offset. Elements of additionalVerifiedData that disagree are
//     merged by the Sink, the adverse side kept and the fact marked
//     conflicting; a nested array inside additionalVerifiedData is read but
//     every fact it sets is marked unreadable (it is no documented shape).
//   - person.pepSanctionMatch is a legacy field Veriff calls unreliable; it is
//     exposed as reported, with that warning in its description.
//   - Names, dates of birth, CURPs and document numbers are never facts: the
//     document's person goes to the identity registry as source "veriff",
//     the RENAPO record as "veriff.curp_registry" and the CPF record as
//     "veriff.cpf_registry". INE elector key, CIC and OCR are dropped.
//   - The payload is read in one pass by a small walker (walk.go): gjson's
//     ForEach scans a container to its end before handing it over, so a
//     six-level document would be rescanned at every level. Scalars are
//     still gjson.Results, read by the field package.
//   - Expiry, age and days-since facts are computed against the evaluation
//     time (Sink.AsOf) by calendar day; they stay unknown when it is unset.
//   - The case id is vendorData, else endUserId, else verification.id; the
//     event time is decisionTime.
//   - Several Veriff payloads in one case: the decision with the latest
//     decisionTime (else submissionTime, else acceptanceTime) wins entirely,
//     but only when every decision has such a time, it parses (an
//     unparsable decisionTime is not replaced by an older timestamp), no two
//     are equal and none lies after the evaluation time plus five minutes.
//     Otherwise every decision is read and each fact keeps its adverse side,
//     marked conflicting. Declines other than the deciding decision are
//     listed in veriff.prior_declines.
package veriff

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/field"
	"github.com/veredicto/veredicto/normalizers/internal/walk"
)

const provider = "veriff"

// EventNoDecision is the warning for a Veriff session event webhook
// (action started or submitted): it is the reason serve gives when it
// ignores one, so that the CLI and the server say the same.
const EventNoDecision = "a Veriff session event carries no decision"

// Provider is the Veriff decision normalizer.
type Provider struct{}

var _ normalizers.Provider = Provider{}

func init() {
	for i := range facts {
		facts[i].Provider = provider
	}
	normalizers.Register(Provider{})
}

// Name is the provider's name and fact namespace.
func (Provider) Name() string { return provider }

// Facts documents the provider's facts in local-index order.
func (Provider) Facts() []engine.FactSpec { return facts[:] }

// Detect reports a decision ({"verification": object or null}), a Veriff
// API error ({"status":"fail","code",...}) or a session event webhook
// ({"action", "feature", ...} without verification).
func (Provider) Detect(s normalizers.Shape) bool {
	if v, ok := s.Keys["verification"]; ok {
		v = trimSpace(v)
		return v == "null" || (len(v) > 0 && v[0] == '{')
	}
	if s.Has("action") && s.Has("feature") {
		return true
	}
	return trimSpace(s.Keys["status"]) == `"fail"` && s.Has("code")
}

func trimSpace(s string) string {
	for len(s) > 0 && s[0] <= ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] <= ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// Normalize writes the facts of the winning decision among in.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	switch len(in) {
	case 0:
		return nil
	case 1:
		// One pass: the decision is normalized while the top level is read.
		n := newNorm(in[0], out)
		d, err := n.scan(true)
		if err != nil {
			return err
		}
		n.finish(d)
		return nil
	}
	// Several decisions: the latest wins, but only by times that can be
	// trusted (parsed, and no later than the evaluation time plus a small
	// skew). When they cannot order the decisions, every decision is
	// written and the Sink keeps the adverse side of each fact, marked
	// conflicting: an unparsable or future time never beats a decline.
	var buf [4]doc
	docs := buf[:0]
	limit := out.AsOf().Add(maxClockSkew)
	ordered, decisions := true, 0
	for _, p := range in {
		n := norm{s: rawString(p), base: p.Offset}
		d, err := n.scan(false)
		if err != nil {
			return err
		}
		if d.decision(n.s) && !d.undecided {
			decisions++
			if d.untimed || d.when.IsZero() || d.when.After(limit) {
				ordered = false
			}
			for _, e := range docs {
				if e.isDecision && e.when.Equal(d.when) {
					ordered = false // two decisions at one instant: no order
				}
			}
			d.isDecision = true
		}
		docs = append(docs, d)
	}
	best := -1
	switch {
	case decisions == 0:
		// Only API errors and the like: the last one says where things stand.
		best = len(in) - 1
		n := newNorm(in[best], out)
		d, _ := n.scan(true)
		n.finish(d)
	case ordered || decisions == 1:
		for i, d := range docs {
			if d.isDecision && (best < 0 || d.when.After(docs[best].when)) {
				best = i
			}
		}
		n := newNorm(in[best], out)
		d, _ := n.scan(true)
		n.finish(d)
	default:
		out.Warn(in[0].Offset, fmt.Sprintf("%d Veriff decisions cannot be ordered by their times (missing, unparsable, equal or after the evaluation time): all are read and the adverse side of each fact is kept", decisions))
		for i, p := range in {
			if !docs[i].isDecision {
				continue
			}
			n := newNorm(p, out)
			d, _ := n.scan(true)
			n.finish(d)
		}
	}
	// Declines other than the deciding one stay visible: a newer approval
	// does not erase an older decline for fraud. With a single decision
	// there is nothing older: the fact stays unknown.
	if decisions < 2 {
		return nil
	}
	priors := []string{}
	for i, d := range docs {
		if i != best && d.declined {
			c := "declined"
			if d.reason >= 0 {
				c = reasonCategory(d.reason)
			}
			if !slices.Contains(priors, c) {
				priors = append(priors, c)
			}
		}
	}
	slices.Sort(priors)
	out.List(fPriorDeclines, priors)
	return nil
}

// maxClockSkew is how far after the evaluation time a provider's decision
// time may lie and still order decisions.
const maxClockSkew = 5 * time.Minute

// norm is the state of reading one payload.
type norm struct {
	s    string // the payload
	out  sink
	base int       // byte offset of the payload in the input
	asOf time.Time // evaluation day; zero when unset

	db     dbState
	dbSeen bool
	// undecided: the verification says the session is not decided yet
	// (created, started, submitted).
	undecided bool
}

func newNorm(p normalizers.Payload, out engine.Sink) norm {
	n := norm{s: rawString(p), out: sink{Sink: out}, base: p.Offset}
	if t := out.AsOf(); !t.IsZero() {
		n.asOf = day(t)
	}
	return n
}

// sink is the provider's Sink. While an undocumented nested array inside
// additionalVerifiedData is read (nested is 1 + its offset), every fact
// written is also marked unreadable: its values count, adverse side kept,
// but they are not trusted as a reading of a documented shape.
type sink struct {
	engine.Sink
	nested int
}

func (s *sink) Bool(i int, b bool)      { s.Sink.Bool(i, b); s.mark(i) }
func (s *sink) Number(i int, f float64) { s.Sink.Number(i, f); s.mark(i) }
func (s *sink) String(i int, v string)  { s.Sink.String(i, v); s.mark(i) }
func (s *sink) List(i int, l []string)  { s.Sink.List(i, l); s.mark(i) }

// Merge is Sink.Merge, marked as the other writes are.
func (s *sink) Merge(i int, v engine.Value, offset int, field string) {
	s.Sink.Merge(i, v, offset, field)
	s.mark(i)
}

// mergeAt merges v into fact i, read from sect.key+suffix at offset. The field's
// name is built only when the value conflicts with one already there, so a
// plain reading allocates nothing.
func (s *sink) mergeAt(i int, v engine.Value, offset int, sect, key, suffix string) {
	field := ""
	if cur := s.Sink.Get(i); cur.Known() && !cur.Equal(v) {
		field = key + suffix
		if sect != "" {
			field = sect + "." + field
		}
	}
	s.Merge(i, v, offset, field)
}

func (s *sink) mark(i int) {
	if s.nested > 0 {
		s.Sink.Unreadable(i, s.nested-1, secADV, nestedMsg)
	}
}

const nestedMsg = "a nested array is not a documented element: its values are read but not trusted"

// rawString views the payload as a string without copying it: Payload.Raw
// is read-only and points into the case's immutable document, so facts may
// keep substrings of it (see normalizers.Payload and Payload.Parse).
func rawString(p normalizers.Payload) string {
	return unsafe.String(unsafe.SliceData(p.Raw), len(p.Raw))
}

// doc is what the top level of a payload says.
type doc struct {
	verif int  // index of the verification value, -1 when absent
	fail  bool // status "fail"
	code  gjson.Result
	when  time.Time // the time that orders several decisions
	// untimed: a decisionTime was sent but could not be read, so no
	// older timestamp may stand in for it.
	untimed    bool
	declined   bool // verification.status is declined
	reason     int  // verification.reasonCode, -1 when absent
	isDecision bool // set by Normalize: the payload carries a verification
	// undecided: the verification is a session that has no decision yet
	// (created, started, submitted).
	undecided bool
	event     string // the action of a session event webhook, "" for others
}

func (d doc) decision(s string) bool { return walk.IsObject(s, d.verif) }

func (d doc) apiError(s string) bool { return !d.decision(s) && d.fail && d.code.Exists() }

// scan reads the top level and checks its structure. With write, the
// decision is normalized on the way; without, only its time is read.
func (n *norm) scan(write bool) (doc, error) {
	s := n.s
	d := doc{verif: -1, reason: -1}
	lead := walk.SkipWS(s, 0)
	if !walk.IsObject(s, lead) {
		return d, normalizers.Errorf(provider, n.base+lead, "a Veriff decision must be a JSON object, got %s", kindOf(walk.Val(s, lead)))
	}
	walk.Members(s, lead, func(key string, v int) int {
		switch key {
		case "verification":
			d.verif = v
			if walk.IsObject(s, v) {
				if write {
					return n.verification(v)
				}
				d.when, d.untimed, d.declined, d.reason, d.undecided = sortTime(s, v)
			}
		case "status":
			r := walk.Val(s, v)
			d.fail = r.Type == gjson.String && eqFold(r.Str, "fail")
		case "code":
			d.code = walk.Val(s, v)
		case "action":
			if r := walk.Val(s, v); r.Type == gjson.String && trimSpace(r.Str) != "" {
				d.event = trimSpace(r.Str)
			} else {
				d.event = "?"
			}
		}
		return 0
	})

	switch {
	case d.verif < 0 && d.event != "":
		// A session event webhook: no decision, nothing else to read.
	case d.verif >= 0 && !walk.IsObject(s, d.verif) && walk.Val(s, d.verif).Type != gjson.Null:
		return d, normalizers.Errorf(provider, n.base+d.verif, "verification must be an object or null, got %s", kindOf(walk.Val(s, d.verif)))
	case d.verif < 0 && !d.apiError(s):
		return d, normalizers.Errorf(provider, n.base+lead, `neither "verification" nor an API error {"status":"fail","code":...}`)
	}
	return d, nil
}

// sortTime is decisionTime, else submissionTime, else acceptanceTime of the
// verification object at s[i]; zero when none is readable. untimed is set
// when decisionTime was sent but cannot be read: the older timestamps do
// not stand in for it. It also reports whether the decision is a decline,
// its reason code (-1 when absent), and whether the verification is a
// session without a decision yet (see notDecided).
func sortTime(s string, i int) (t time.Time, untimed, declined bool, reason int, undecided bool) {
	var dec, sub, acc time.Time
	reason = -1
	var st sessionShape
	walk.Members(s, i, func(key string, v int) int {
		r := walk.Val(s, v)
		st.see(key, r)
		switch key {
		case "status":
			declined = r.Type == gjson.String && eqFold(trimSpace(r.Str), "declined")
			return 0
		case "reasonCode":
			if n, ok := field.Number(r); ok && n == float64(int(n)) {
				reason = int(n)
			}
			return 0
		case "decisionTime", "submissionTime", "acceptanceTime":
		default:
			return 0
		}
		if r.Type == gjson.Null {
			return 0
		}
		t, ok := time.Time{}, false
		if r.Type == gjson.String {
			t, ok = parseTime(r.Str)
		}
		switch key {
		case "decisionTime":
			dec, untimed = t, !ok
		case "submissionTime":
			sub = t
		default:
			acc = t
		}
		return 0
	})

	undecided = st.undecided()
	switch {
	case untimed:
		return time.Time{}, true, declined, reason, undecided
	case !dec.IsZero():
		return dec, false, declined, reason, undecided
	case !sub.IsZero():
		return sub, false, declined, reason, undecided
	}
	return acc, false, declined, reason, undecided
}

// sessionShape tells, from the keys of a verification object, a session
// that has no decision yet: a status created, started or submitted, or the
// older session-creation response that has a url or sessionToken and
// neither status nor code.
type sessionShape struct {
	status, code, url bool
	notDecided        bool
}

func (st *sessionShape) see(key string, r gjson.Result) {
	switch key {
	case "status":
		st.status = field.Present(r)
		st.notDecided = r.Type == gjson.String && notDecided(trimSpace(r.Str))
	case "code":
		st.code = field.Present(r)
	case "url", "sessionToken":
		st.url = st.url || field.Present(r)
	}
}

func (st sessionShape) undecided() bool {
	return st.notDecided || (st.url && !st.status && !st.code)
}

// finish writes the facts that say what kind of payload this was.
func (n *norm) finish(d doc) {
	out := n.out
	switch {
	case d.decision(n.s) && !n.undecided:
		out.Bool(fDecisionAvailable, true)
		out.Bool(fAPIError, false)
	case d.apiError(n.s):
		out.Bool(fDecisionAvailable, false)
		out.Bool(fAPIError, true)
		n.setString(fAPIErrorCode, d.code, "", "code")
	case d.verif < 0 && d.event != "":
		out.Bool(fDecisionAvailable, false)
		out.Bool(fAPIError, false)
		out.Warn(n.base, EventNoDecision+" (action "+quote(d.event)+"): decide the session's decision webhook instead")
	default: // verification: null, or a session without a decision yet
		out.Bool(fDecisionAvailable, false)
		out.Bool(fAPIError, false)
	}
}

const secVerification = "verification"

// verification normalizes the decision object at s[i] and returns its end.
func (n *norm) verification(i int) int {
	s := n.s
	var status, code, id, vendorData, endUserID, decisionTime, reasonCode gjson.Result
	var shape sessionShape
	e := walk.Members(s, i, func(key string, v int) int {
		if key == "status" || key == "code" || key == "url" || key == "sessionToken" {
			shape.see(key, walk.Val(s, v))
		}
		switch key {
		case "status":
			status = walk.Val(s, v)
		case "code":
			code = walk.Val(s, v)
		case "id":
			id = walk.Val(s, v)
		case "vendorData":
			vendorData = walk.Val(s, v)
		case "endUserId":
			endUserID = walk.Val(s, v)
		case "decisionTime":
			decisionTime = walk.Val(s, v)
		case "reason":
			n.setString(fReason, walk.Val(s, v), secVerification, "reason")
		case "reasonCode":
			reasonCode = walk.Val(s, v)
		case "person":
			if n.object(v, secVerification, "person") {
				return n.person(v)
			}
		case "document":
			if n.object(v, secVerification, "document") {
				return n.document(v)
			}
		case "additionalVerifiedData":
			switch {
			case walk.IsObject(s, v):
				return n.additional(v)
			case walk.IsArray(s, v):
				return n.additionalElements(v)
			}
			if r := walk.Val(s, v); field.Present(r) {
				n.warnType(r, secVerification, "additionalVerifiedData", "object or array")
			}
		case "riskScore":
			return n.riskScore(v)
		case "riskLabels":
			return n.riskLabels(v)
		case "biometricAuthentication":
			if n.object(v, secVerification, "biometricAuthentication") {
				return n.bioauth(v)
			}
		}
		return 0
	})

	if shape.undecided() && !shape.notDecided {
		// The older session-creation response: a url, no status.
		n.undecided = true
		n.out.Warn(n.base+i, "Veriff session created: no decision yet")
	}
	n.decision(status, code, reasonCode)
	if n.dbSeen {
		n.db.write(&n.out)
	}

	for _, r := range [...]gjson.Result{vendorData, endUserID, id} {
		if s, ok := field.String(r); ok && trimSpace(s) != "" {
			n.out.CaseID(s)
			break
		}
	}
	if decisionTime.Type == gjson.String {
		if t, ok := parseTime(decisionTime.Str); ok {
			n.out.EventTime(t)
		} else {
			n.warn(decisionTime, secVerification, "decisionTime", "unreadable time")
		}
	} else if field.Present(decisionTime) {
		n.warnType(decisionTime, secVerification, "decisionTime", "string")
	}
	return e
}

// notDecided reports whether a verification status says that the session
// has not been decided yet: created (the session-creation response),
// started or submitted (session events).
func notDecided(s string) bool {
	return eqFold(s, "created") || eqFold(s, "started") || eqFold(s, "submitted")
}

// decision writes status, code and reason facts.
func (n *norm) decision(status, code, reasonCode gjson.Result) {
	st := ""
	badStatus := func(msg string) {
		n.bad(fStatus, status, secVerification, "status", msg)
		n.bad(fCodeConsistent, status, secVerification, "status", msg)
	}
	if field.Present(status) {
		if status.Type != gjson.String {
			badStatus("expected a string, got " + kindOf(status))
		} else if s := trimSpace(status.Str); s != "" {
			switch c := canon(s, statusValues); {
			case c != "":
				st = c
				n.out.String(fStatus, c)
			case notDecided(s):
				// A session-creation response or an event: no decision yet.
				n.undecided = true
				n.warn(status, secVerification, "status", "Veriff session "+strings.ToLower(s)+": no decision yet")
			default:
				badStatus("undocumented status " + quote(s))
			}
		}
	}
	if n.undecided {
		return // no decision: the code of an event is no decision code
	}
	if c, ok := n.int(fCode, code, secVerification, "code", fCodeStatus, fCodeConsistent); ok {
		implied, alt, known := codeStatus(c)
		if known {
			n.out.String(fCodeStatus, implied)
		}
		if st != "" {
			n.out.Bool(fCodeConsistent, known && (st == implied || st == alt))
		}
	}
	if c, ok := n.int(fReasonCode, reasonCode, secVerification, "reasonCode", fReasonGroup, fReasonCategory); ok {
		n.out.String(fReasonGroup, reasonGroup(c))
		n.out.String(fReasonCategory, reasonCategory(c))
	}
}

// int stores a whole number (JSON number or numeric string) in fact i;
// when it cannot be read, i and the facts derived from it are unreadable.
func (n *norm) int(i int, r gjson.Result, sect, key string, derived ...int) (int, bool) {
	if !field.Present(r) {
		return 0, false
	}
	f, ok := field.Number(r)
	if !ok || f != float64(int(f)) {
		msg := "expected a whole number, got " + kindOf(r)
		if ok {
			msg = "expected a whole number, got " + r.Raw
		}
		n.bad(i, r, sect, key, msg)
		for _, j := range derived {
			n.bad(j, r, sect, key, msg)
		}
		return 0, false
	}
	n.out.mergeAt(i, engine.NumberValue(f), n.base+r.Index, sect, key, "")
	return int(f), true
}

const secPerson = "verification.person"

func (n *norm) person(i int) int {
	s := n.s
	var first, last, full, idNumber, dob string
	var dobR, yobR gjson.Result
	e := walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "firstName":
			first = n.str(walk.Val(s, v), secPerson, "firstName")
		case "lastName":
			last = n.str(walk.Val(s, v), secPerson, "lastName")
		case "fullName":
			full = n.str(walk.Val(s, v), secPerson, "fullName")
		case "idNumber":
			idNumber = n.str(walk.Val(s, v), secPerson, "idNumber")
		case "dateOfBirth":
			dobR = walk.Val(s, v)
		case "yearOfBirth":
			yobR = walk.Val(s, v)
		case "gender":
			n.setEnum(fPersonGender, walk.Val(s, v), secPerson, "gender", genderValues)
		case "nationality":
			n.setString(fPersonNationality, walk.Val(s, v), secPerson, "nationality")
		case "pepSanctionMatch":
			n.pepSanctionMatch(walk.Val(s, v))
		}
		return 0
	})

	if t, ok := n.date(dobR, secPerson, "dateOfBirth", fPersonAge); ok {
		dob = isoDate(dobR.Str, t)
		if !n.asOf.IsZero() {
			n.out.Number(fPersonAge, field.Age(t, n.asOf))
		}
	}
	if dob == "" && field.Present(yobR) {
		y, _ := field.String(yobR)
		y = trimSpace(y)
		if len(y) >= 4 {
			y = y[:4] // "2001" or, as the schema types it, a date
		}
		if year, ok := atoi(y); ok && len(y) == 4 {
			if !n.asOf.IsZero() {
				// The lowest age the year allows: as if born on 31 December.
				n.out.Number(fPersonAge, field.Age(time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC), n.asOf))
			}
		} else {
			n.bad(fPersonAge, yobR, secPerson, "yearOfBirth", "unreadable year")
		}
	}

	name := full
	if name == "" {
		name = joinName(first, last)
	}
	curp := ""
	if isCURP(idNumber) {
		curp = idNumber
	}
	if name != "" || dob != "" || curp != "" {
		n.out.Identity(engine.Identity{Source: provider, Name: name, DOB: dob, CURP: curp})
	}
	return e
}

const secDocument = "verification.document"

func (n *norm) document(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "type":
			n.setEnum(fDocType, walk.Val(s, v), secDocument, "type", docTypeValues)
		case "country":
			n.setString(fDocCountry, walk.Val(s, v), secDocument, "country")
		case "state":
			n.setString(fDocState, walk.Val(s, v), secDocument, "state")
		case "validUntil":
			r := walk.Val(s, v)
			// An expiry that cannot be read is not "no expiry".
			t, ok := n.date(r, secDocument, "validUntil", fDocValidUntil, fDocExpired, fDocDaysToExpiry)
			if !ok {
				break
			}
			n.out.String(fDocValidUntil, isoDate(r.Str, t))
			if !n.asOf.IsZero() {
				days := field.Days(n.asOf, t)
				n.out.Number(fDocDaysToExpiry, days)
				n.out.Bool(fDocExpired, days < 0)
			}
		case "validFrom":
			t, ok := n.date(walk.Val(s, v), secDocument, "validFrom", fDocNotYetValid)
			if ok && !n.asOf.IsZero() {
				n.out.Bool(fDocNotYetValid, n.asOf.Before(t))
			}
		case "nfcValidated":
			n.setBool(fDocNFCValidated, walk.Val(s, v), secDocument, "nfcValidated")
		case "portraitIsVisible":
			n.setBool(fDocPortraitVisible, walk.Val(s, v), secDocument, "portraitIsVisible")
		case "specimen":
			if n.object(v, secDocument, "specimen") {
				return n.specimen(v)
			}
		}
		return 0
	})
}

const secSpecimen = secDocument + ".specimen"

// specimen reads Document Insights: the facts of the document's template
// that are evidence (a security risk, a temporary document, weaker legal
// status). The descriptive flags (contactless chip, digital, military,
// asylum or refugee, ICAO, not a national id card, non-standard driving
// licence, NIST version, template issue dates) are not read: none of them
// is evidence against the holder by itself.
func (n *norm) specimen(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		switch key {
		case "hasSecurityRisk":
			n.setBool(fDocSecurityRisk, walk.Val(s, v), secSpecimen, "hasSecurityRisk")
		case "temporaryEmergencyDocument":
			n.setBool(fDocTemporaryEmergency, walk.Val(s, v), secSpecimen, "temporaryEmergencyDocument")
		case "legalStatus":
			n.setEnum(fDocLegalStatus, walk.Val(s, v), secSpecimen, "legalStatus", legalStatusValues)
		}
		return 0
	})
}

// date reads a date field with field.Date (numeric dates day first, the
// registries' order). A value that is sent but is no date makes every fact
// in facts unreadable; ok is false then, and when nothing was sent.
func (n *norm) date(r gjson.Result, sect, key string, facts ...int) (time.Time, bool) {
	if !field.Present(r) {
		return time.Time{}, false
	}
	var msg string
	switch {
	case r.Type != gjson.String:
		msg = "expected a date, got " + kindOf(r)
	case trimSpace(r.Str) == "":
		return time.Time{}, false
	default:
		if t, ok := parseDate(r.Str); ok {
			return t, true // the documented forms, without allocating
		}
		if t, ok := field.Date(r.Str, field.DayFirst); ok {
			return t, true
		}
		msg = "unreadable date " + quote(r.Str)
	}
	for _, f := range facts {
		n.bad(f, r, sect, key, msg)
	}
	return time.Time{}, false
}

// pepSanctionMatch reads the legacy person.pepSanctionMatch: a text that
// names a match, a text that names none, or a JSON bool.
func (n *norm) pepSanctionMatch(r gjson.Result) {
	switch r.Type {
	case gjson.Null:
	case gjson.True, gjson.False:
		n.out.Bool(fPersonPEP, r.Type == gjson.True)
	case gjson.String:
		switch w := trimSpace(r.Str); {
		case w == "":
		case eqFold(w, "no match") || eqFold(w, "no_match") || eqFold(w, "none") || eqFold(w, "clear") || eqFold(w, "false"):
			n.out.Bool(fPersonPEP, false)
		default:
			n.out.Bool(fPersonPEP, true)
		}
	default:
		n.bad(fPersonPEP, r, secPerson, "pepSanctionMatch", "expected a string, got "+kindOf(r))
	}
}

// isoDate returns s when it already is YYYY-MM-DD, else t formatted so.
func isoDate(s string, t time.Time) string {
	s = trimSpace(s)
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return s
	}
	return t.Format(field.ISODate)
}

func (n *norm) bioauth(i int) int {
	s := n.s
	return walk.Members(s, i, func(key string, v int) int {
		if key != "matchedSessionId" {
			return 0
		}
		m := walk.Val(s, v)
		switch {
		case m.Type == gjson.String && trimSpace(m.Str) != "":
			n.out.Bool(fBioauthMatched, true)
		case m.Type == gjson.Null || m.Type == gjson.String:
			n.out.Bool(fBioauthMatched, false)
		default:
			n.bad(fBioauthMatched, m, "verification.biometricAuthentication", "matchedSessionId", "expected a string, got "+kindOf(m))
		}
		return 0
	})
}

// riskScore reads verification.riskScore ({"score": 0.01}, or a bare number).
func (n *norm) riskScore(i int) int {
	s := n.s
	if !walk.IsObject(s, i) {
		n.score(walk.Val(s, i))
		return 0
	}
	return walk.Members(s, i, func(key string, v int) int {
		if key == "score" {
			n.score(walk.Val(s, v))
		}
		return 0
	})
}

func (n *norm) score(r gjson.Result) {
	if !field.Present(r) {
		return
	}
	f, ok := field.Number(r)
	if !ok {
		n.bad(fRiskScore, r, "verification.riskScore", "score", "expected a number, got "+kindOf(r))
		return
	}
	if f > 1 && f <= 100 {
		f /= 100 // the Veriff portal's 1-100 scale
	}
	if f < 0 || f > 1 {
		n.bad(fRiskScore, r, "verification.riskScore", "score", "out of range (0..1, or 1..100 on the portal's scale)")
		return
	}
	n.out.Number(fRiskScore, f)
}

const secRiskLabel = "verification.riskLabels[]"

// riskLabelFacts are the facts read from riskLabels: what cannot be read
// of the whole list makes all of them unreadable.
var riskLabelFacts = [...]int{fRiskLabels, fRiskLabelCategories, fRiskLinkedSessions, fRiskLabelGroups}

func (n *norm) riskLabels(i int) int {
	s := n.s
	if !walk.IsArray(s, i) {
		if r := walk.Val(s, i); field.Present(r) {
			for _, f := range riskLabelFacts {
				n.bad(f, r, secVerification, "riskLabels", "expected an array, got "+kindOf(r))
			}
		}
		return 0
	}
	labels, cats := []string{}, []string{}
	groups := make([]string, 0, 7) // at most every group once
	var buf [16]string
	ids := buf[:0]
	e := walk.Elements(s, i, func(l int) int {
		if !walk.IsObject(s, l) {
			r := walk.Val(s, l)
			for _, f := range riskLabelFacts {
				n.bad(f, r, secVerification, "riskLabels[]", "expected an object, got "+kindOf(r))
			}
			return 0
		}
		label, cat := "", ""
		e := walk.Members(s, l, func(key string, v int) int {
			switch key {
			case "label":
				r := walk.Val(s, v)
				if r.Type != gjson.String {
					if field.Present(r) {
						n.bad(fRiskLabels, r, secRiskLabel, "label", "expected a string, got "+kindOf(r))
						n.bad(fRiskLabelGroups, r, secRiskLabel, "label", "expected a string, got "+kindOf(r))
					}
					break
				}
				if label = trimSpace(r.Str); label != "" {
					labels = addDistinct(labels, label)
				}
			case "category":
				r := walk.Val(s, v)
				switch {
				case !field.Present(r):
				case r.Type != gjson.String:
					n.bad(fRiskLabelCategories, r, secRiskLabel, "category", "expected a string, got "+kindOf(r))
				default:
					if c := canon(r.Str, riskCategoryValues); c != "" {
						cat = c
						cats = addDistinct(cats, c)
					} else if trimSpace(r.Str) != "" {
						n.bad(fRiskLabelCategories, r, secRiskLabel, "category", "undocumented category "+quote(r.Str))
					}
				}
			case "sessionIds":
				r := walk.Val(s, v)
				if !walk.IsArray(s, v) {
					if field.Present(r) {
						n.bad(fRiskLinkedSessions, r, secRiskLabel, "sessionIds", "expected an array of session ids, got "+kindOf(r))
					}
					break
				}
				return walk.Elements(s, v, func(id int) int {
					switch r := walk.Val(s, id); {
					case r.Type == gjson.String && trimSpace(r.Str) != "":
						ids = addDistinct(ids, trimSpace(r.Str))
					case r.Type != gjson.String:
						n.bad(fRiskLinkedSessions, r, secRiskLabel, "sessionIds[]", "expected a session id, got "+kindOf(r))
					}
					return 0
				})
			}
			return 0
		})
		if label != "" || cat != "" {
			groups = riskGroups(groups, label, cat)
		}
		return e
	})

	slices.Sort(groups)
	n.out.List(fRiskLabels, labels)
	n.out.List(fRiskLabelCategories, cats)
	n.out.List(fRiskLabelGroups, groups)
	n.out.Number(fRiskLinkedSessions, float64(len(ids)))
	return e
}

func addDistinct(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

func joinName(parts ...string) string {
	size := 0
	for _, p := range parts {
		if p != "" {
			size += len(p) + 1
		}
	}
	if size == 0 {
		return ""
	}
	b := make([]byte, 0, size)
	for _, p := range parts {
		if p == "" {
			continue
		}
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, p...)
	}
	return string(b)
}

// ---- typed field helpers: warnings are located at the field and name it by
// section and key; the message is built only when there is one.

func kindOf(r gjson.Result) string {
	switch r.Type {
	case gjson.Null:
		return "null"
	case gjson.Number:
		return "number"
	case gjson.True, gjson.False:
		return "bool"
	case gjson.String:
		return "string"
	case gjson.JSON:
		if r.IsArray() {
			return "array"
		}
		return "object"
	}
	return "nothing"
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + s + `"`
}

func (n *norm) warn(r gjson.Result, sect, key, msg string) {
	what := key
	if sect != "" {
		what = sect + "." + key
	}
	n.out.Warn(n.base+r.Index, what+": "+msg)
}

// bad marks fact i unreadable: the field sect.key, at r, was sent but
// cannot be read (msg says why). The warning comes with it.
func (n *norm) bad(i int, r gjson.Result, sect, key, msg string) {
	what := key
	if sect != "" {
		what = sect + "." + key
	}
	n.out.Unreadable(i, n.base+r.Index, what, msg)
}

func (n *norm) warnType(r gjson.Result, sect, key, want string) {
	n.warn(r, sect, key, "expected "+want+", got "+kindOf(r))
}

// object reports whether the value at s[i] is an object; another present
// type is warned about.
func (n *norm) object(i int, sect, key string) bool {
	if walk.IsObject(n.s, i) {
		return true
	}
	if r := walk.Val(n.s, i); field.Present(r) {
		n.warnType(r, sect, key, "object")
	}
	return false
}

// str reads a trimmed string ("" when missing, null or of another type,
// which is warned about).
func (n *norm) str(r gjson.Result, sect, key string) string {
	if !field.Present(r) {
		return ""
	}
	s, ok := field.String(r)
	if !ok {
		n.warnType(r, sect, key, "string")
		return ""
	}
	return trimSpace(s)
}

func (n *norm) setString(i int, r gjson.Result, sect, key string) string {
	if _, ok := field.String(r); field.Present(r) && !ok {
		n.bad(i, r, sect, key, "expected a string, got "+kindOf(r))
		return ""
	}
	s := n.str(r, sect, key)
	if s != "" {
		n.out.mergeAt(i, engine.StringValue(s), n.base+r.Index, sect, key, "")
	}
	return s
}

// setEnum stores a documented value in its canonical spelling; an
// undocumented one makes the fact unreadable.
func (n *norm) setEnum(i int, r gjson.Result, sect, key string, values []string) string {
	if _, ok := field.String(r); field.Present(r) && !ok {
		n.bad(i, r, sect, key, "expected a string, got "+kindOf(r))
		return ""
	}
	s := n.str(r, sect, key)
	if s == "" {
		return ""
	}
	c := canon(s, values)
	if c == "" {
		n.bad(i, r, sect, key, "undocumented value "+quote(s))
		return ""
	}
	n.out.mergeAt(i, engine.StringValue(c), n.base+r.Index, sect, key, "")
	return c
}

func (n *norm) setBool(i int, r gjson.Result, sect, key string) {
	if !field.Present(r) {
		return
	}
	b, ok := field.Bool(r)
	if !ok {
		n.bad(i, r, sect, key, "expected a bool, got "+kindOf(r))
		return
	}
	n.out.mergeAt(i, engine.BoolValue(b), n.base+r.Index, sect, key, "")
}

func (n *norm) setNumber(i int, r gjson.Result, sect, key string, lo, hi float64) {
	if !field.Present(r) {
		return
	}
	f, ok := field.Number(r)
	if !ok {
		n.bad(i, r, sect, key, "expected a number, got "+kindOf(r))
		return
	}
	if f < lo || f > hi {
		n.bad(i, r, sect, key, "out of range")
		return
	}
	n.out.mergeAt(i, engine.NumberValue(f), n.base+r.Index, sect, key, "")
}

// result reads the validation object at s[i] ({"result": ...}, or a bare
// result word) and returns "success", "failure", another normalized word, or
// "" when none was reported; bad says why a sent result cannot be read
// ("" when it can), and r is where it is.
func (n *norm) result(i int) (w, bad string, r gjson.Result) {
	v := walk.Val(n.s, i)
	if walk.IsObject(n.s, i) {
		v = gjson.Result{}
		walk.Members(n.s, i, func(k string, x int) int {
			if k == "result" {
				v = walk.Val(n.s, x)
			}
			return 0
		})
	}
	if !field.Present(v) {
		return "", "", v
	}
	if v.Type != gjson.String {
		return "", "expected a string, got " + kindOf(v), v
	}
	w = field.Result(v.Str)
	switch w {
	case "success", "failure", "not_applicable", "skipped", "":
		return w, "", v
	}
	return w, "undocumented result " + quote(v.Str), v
}

// setResult stores a validation result as a bool: success is true, failure
// false (inverted when invert), anything else leaves the fact unknown.
func (n *norm) setResult(i int, at int, sect, key string, invert bool) string {
	w, bad, r := n.result(at)
	switch {
	case bad != "":
		n.bad(i, r, sect, key+".result", bad)
	case w == "success":
		n.out.mergeAt(i, engine.BoolValue(!invert), n.base+r.Index, sect, key, ".result")
	case w == "failure":
		n.out.mergeAt(i, engine.BoolValue(invert), n.base+r.Index, sect, key, ".result")
	}
	return w
}
