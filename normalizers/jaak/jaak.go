// Package jaak normalizes JAAK KYC "official lists" checks
// (POST /api/v2/blacklist/investigate) into facts.
//
// JAAK checks one official list per request (INE, Interpol, OFAC,
// RENAPO/CURP, SAT 69-B, CDC) and answers each with
//
//	{eventId, responseId, processTime, organization, service,
//	 result (the record found, or null),
//	 state {foundInService, mustBeFound, message}}
//
// so a case carries one payload per list. A check PASSES WHEN
// state.foundInService == state.mustBeFound: mustBeFound is true for
// validation lists (INE, RENAPO: the person must exist) and false for risk
// lists (OFAC, Interpol, SAT 69-B: the person must not be listed). Found on
// OFAC fails; not found in RENAPO fails, as in the documentation's example
// (organization "curp", service "validaCurp", foundInService false,
// mustBeFound true).
//
// JAAK's flags are not trusted blindly:
//   - The nature of OFAC, Interpol and SAT 69-B (must not be found) and of
//     INE and RENAPO (must be found) is known. A mustBeFound that disagrees
//     with it is conflicting evidence: the list's passed fact is false and
//     conflicting, so that a person found on OFAC with mustBeFound true never
//     passes. CDC's nature is not documented: its mustBeFound is taken as
//     sent.
//   - state.message is "Investigation completed successfully" when the
//     search ran. A message that reports an error or a failure of the
//     service (error, fail, falla, unavailable, no disponible, timeout,
//     tiempo de espera, exception, could not, no se pudo, sin respuesta, …)
//     makes the check inconclusive whatever foundInService says: passed and
//     found are unreadable, the list is in jaak.lists_inconclusive. A
//     message of another type, or one that is neither a success nor a
//     failure, keeps the outcome but marks passed unreadable.
//   - foundInService, mustBeFound or message of the wrong type make passed
//     (and the flag's own fact) unreadable; a missing or null flag, or a
//     null state, leaves the outcome unknown (not reported).
//
// Which list a response is about is read from its own organization, then
// service, guessed case-insensitively: ofac; interpol; renapo or curp;
// 69b / 69-b or the word sat; cdc, rcc or fico; the word ine or
// "electoral". "ine" and "sat" must be whole words (split at punctuation,
// camelCase and digits: "validaIne", "SAT_69B") so that "online" or
// "satellite" do not match. The payload's own fields win over Payload.Hint,
// the case envelope's kind (the request's service names: ine, interpol,
// ofac, renapo, curp, sat, sat69b, cdc, rccFico, also dotted as renapo.curp,
// and the documentation's "interpool" typo): a hint that names another list
// is conflicting evidence on the list the payload is about, and no fact of
// the hinted list is written. The hint is used only when organization and
// service name no known list; organization and service naming two
// different lists is conflicting evidence too (organization is used).
//
// A response for a list that cannot be identified is still reported under
// its own name (its organization, or else its service, lower-cased with
// other characters than letters and digits turned into "_") in the
// jaak.lists_* facts; it has no per-list facts, and a failure of it is in
// jaak.lists_failed like any other. A response with neither organization,
// service nor a hint is an error; so are JAAK's other documented shapes,
// which carry no mustBeFound: the event detail of GET
// /api/v2/blacklist/event/:id ({"success", "data": {eventId, status,
// service, state {foundInService, confidence, riskLevel}}}) and the
// multi-list answer of the official-queries API ({"eventId", "status",
// "data": {"ofac": {"found", "matches"}, …}}); the error names them.
//
// The documented result bodies are read: RENAPO's record
// (result.validaCurp.content: curp, personalDataFirstName, personalDataLastName,
// personalDataSecondLastName, personalDataBirthDate, valid, error,
// codeError) into jaak.renapo.record_valid and jaak.renapo.registry_error,
// and as an identity (source "jaak.renapo") that the case.* cross-checks
// compare with the applicant's other sources; SAT 69-B's records
// (result."0".content.taxpayerStatus, …) into jaak.sat69b.status and
// jaak.sat69b.match_count; OFAC's and Interpol's match records (indexed the
// same way, also under result.coincidences) into jaak.<list>.match_count and
// jaak.ofac.match_score. Other result data (names, RFC, programs) is
// personal and not read. A foundInService false with match records is
// conflicting evidence on found.
//
// Several responses for one list are merged fact by fact (engine.Sink):
// identical re-deliveries are one; answers that disagree make the fact
// conflicting and keep the adverse side. A list's aggregate outcome is
// failed when any response failed, inconclusive when any was unreadable or
// conflicting or none was conclusive, else passed.
//
// eventId identifies one request, not the applicant, so it is not a case id.
package jaak

import (
	"slices"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/field"
	"github.com/veredicto/veredicto/normalizers/internal/walk"
)

const name = "jaak"

// Provider is the JAAK official-lists normalizer.
type Provider struct{}

var _ normalizers.Provider = Provider{}

func init() { normalizers.Register(Provider{}) }

// The known lists, in alphabetical order of their names.
const (
	lCDC = iota
	lINE
	lInterpol
	lOFAC
	lRENAPO
	lSAT69B
	numLists
	lUnknown = -1
)

var listNames = [numLists]string{"cdc", "ine", "interpol", "ofac", "renapo", "sat69b"}

// nature is what mustBeFound must be for each list: yes for validation
// lists, no for risk lists, unknown when not documented (CDC).
var nature = [numLists]tri{lCDC: unknown, lINE: yes, lInterpol: no, lOFAC: no, lRENAPO: yes, lSAT69B: no}

// Per-list facts: list l's fact f is at l*perList + f.
const (
	fPassed = iota
	fFound
	fMustBeFound
	perList
)

// Aggregate facts, after the per-list ones, then the facts read from
// result bodies.
const (
	fListsChecked = numLists*perList + iota
	fListsPassed
	fListsFailed
	fListsInconclusive
	fAllPassed
	fRenapoRecordValid
	fRenapoRegistryError
	fSATStatus
	fSATMatches
	fOFACMatches
	fOFACScore
	fInterpolMatches
	numFacts
)

// matchFacts is the match-count fact of the lists whose result holds match
// records, -1 for the others.
var matchFacts = [numLists]int{lCDC: -1, lINE: -1, lInterpol: fInterpolMatches, lOFAC: fOFACMatches, lRENAPO: -1, lSAT69B: fSATMatches}

// satStatuses are the SAT 69-B situations of a taxpayer; presumed and
// definitive ones are adverse, disproved ones and favourable rulings not.
var (
	satStatuses = []string{"Presunto", "Definitivo", "Desvirtuado", "Sentencia Favorable"}
	satAdverse  = []string{"Presunto", "Definitivo"}
	oneMatch    = 1.0
)

func spec(n string, k engine.Kind, p engine.Polarity, desc string) engine.FactSpec {
	return engine.FactSpec{Name: n, Kind: k, Provider: name, Polarity: p, Description: desc}
}

const (
	passedDesc = " check passed: state.foundInService equals state.mustBeFound. Unknown when no response for the list was received or either flag is missing or null; unreadable (unknown) when state.message reports a failure of the service, and unreadable when a flag or the message has the wrong type or the message is not documented; conflicting when responses disagree (false is kept), when mustBeFound contradicts the list's nature, or when the envelope's kind names another list."
	foundDesc  = ": whether the person was found in the list (state.foundInService). Unknown when not reported; unreadable when of the wrong type or when state.message reports a failure; conflicting when responses disagree"
	mustDesc   = ": whether the person must be found for the check to pass (state.mustBeFound), as sent (a value contradicting the list's nature is reported on passed). Unknown when not reported; unreadable when of the wrong type."
	countDesc  = " match records in result (result.\"0\", \"1\", … each with a content object, also under result.coincidences or as an array), counted per response: 1 or more is adverse. Unknown when result is null or absent; unreadable when result is not an object or array; conflicting when responses count differently (the higher is kept)."
)

var facts = func() [numFacts]engine.FactSpec {
	return [...]engine.FactSpec{
		lCDC*perList + fPassed:           spec("jaak.cdc.passed", engine.Bool, engine.AdverseFalse, "Círculo de Crédito (CDC, rccFico credit report)"+passedDesc),
		lCDC*perList + fFound:            spec("jaak.cdc.found", engine.Bool, engine.Informational, "Círculo de Crédito (CDC)"+foundDesc+". Informational: CDC's nature (must or must not be found) is not documented; passed carries the outcome."),
		lCDC*perList + fMustBeFound:      spec("jaak.cdc.must_be_found", engine.Bool, engine.Informational, "Círculo de Crédito (CDC)"+mustDesc),
		lINE*perList + fPassed:           spec("jaak.ine.passed", engine.Bool, engine.AdverseFalse, "INE (Instituto Nacional Electoral, voter-card registry)"+passedDesc),
		lINE*perList + fFound:            spec("jaak.ine.found", engine.Bool, engine.AdverseFalse, "INE voter-card registry"+foundDesc+" (false is kept): the credential must be found."),
		lINE*perList + fMustBeFound:      spec("jaak.ine.must_be_found", engine.Bool, engine.Informational, "INE voter-card registry"+mustDesc+" Normally true."),
		lInterpol*perList + fPassed:      spec("jaak.interpol.passed", engine.Bool, engine.AdverseFalse, "Interpol notices"+passedDesc),
		lInterpol*perList + fFound:       spec("jaak.interpol.found", engine.Bool, engine.AdverseTrue, "Interpol notices"+foundDesc+" (true is kept): the person must not be found."),
		lInterpol*perList + fMustBeFound: spec("jaak.interpol.must_be_found", engine.Bool, engine.Informational, "Interpol notices"+mustDesc+" Normally false."),
		lOFAC*perList + fPassed:          spec("jaak.ofac.passed", engine.Bool, engine.AdverseFalse, "OFAC sanctions list"+passedDesc+" Found on OFAC fails."),
		lOFAC*perList + fFound:           spec("jaak.ofac.found", engine.Bool, engine.AdverseTrue, "OFAC sanctions list"+foundDesc+" (true is kept): the person must not be found."),
		lOFAC*perList + fMustBeFound:     spec("jaak.ofac.must_be_found", engine.Bool, engine.Informational, "OFAC sanctions list"+mustDesc+" Normally false."),
		lRENAPO*perList + fPassed:        spec("jaak.renapo.passed", engine.Bool, engine.AdverseFalse, "RENAPO CURP registry (organization curp, service validaCurp)"+passedDesc+" Not found in RENAPO fails."),
		lRENAPO*perList + fFound:         spec("jaak.renapo.found", engine.Bool, engine.AdverseFalse, "RENAPO CURP registry"+foundDesc+" (false is kept): the CURP must be found."),
		lRENAPO*perList + fMustBeFound:   spec("jaak.renapo.must_be_found", engine.Bool, engine.Informational, "RENAPO CURP registry"+mustDesc+" Normally true."),
		lSAT69B*perList + fPassed:        spec("jaak.sat69b.passed", engine.Bool, engine.AdverseFalse, "SAT list 69-B (taxpayers simulating operations, EFOS)"+passedDesc),
		lSAT69B*perList + fFound:         spec("jaak.sat69b.found", engine.Bool, engine.AdverseTrue, "SAT list 69-B"+foundDesc+" (true is kept): the taxpayer must not be listed."),
		lSAT69B*perList + fMustBeFound:   spec("jaak.sat69b.must_be_found", engine.Bool, engine.Informational, "SAT list 69-B"+mustDesc+" Normally false."),
		fListsChecked: spec("jaak.lists_checked", engine.List, engine.Informational,
			"Names of the lists a response was received for, sorted: cdc, ine, interpol, ofac, renapo, sat69b, or the sanitized organization (else service) of an unidentified list. Unknown when no JAAK response was received."),
		fListsPassed: spec("jaak.lists_passed", engine.List, engine.Informational,
			"Names of the checked lists whose check passed (foundInService equals mustBeFound, consistent with the list's nature, nothing unreadable or conflicting), sorted. Unknown when no JAAK response was received."),
		fListsFailed: spec("jaak.lists_failed", engine.List, engine.AdverseNonEmpty,
			"Names of the checked lists, known or not, whose check failed in any response (foundInService differs from mustBeFound, or mustBeFound contradicts the list's nature), sorted. Unknown when no JAAK response was received."),
		fListsInconclusive: spec("jaak.lists_inconclusive", engine.List, engine.AdverseNonEmpty,
			"Names of the checked lists that did not fail and whose outcome is not clean: a flag missing, null or unreadable, a message reporting a failure or undocumented, or a conflict; sorted. Unknown when no JAAK response was received."),
		fAllPassed: spec("jaak.all_passed", engine.Bool, engine.AdverseFalse,
			"Whether every list received passed: false when any failed; unknown when none failed but some are inconclusive (unreadable when one of them is unreadable or conflicting), or when no JAAK response was received."),
		fRenapoRecordValid: spec("jaak.renapo.record_valid", engine.Bool, engine.AdverseFalse,
			"Whether RENAPO's record says the CURP is valid (result.validaCurp.content.valid, a boolean or \"True\"/\"False\"). Unknown when there is no record; unreadable when of another type; conflicting when responses disagree (false is kept)."),
		fRenapoRegistryError: spec("jaak.renapo.registry_error", engine.Bool, engine.AdverseTrue,
			"Whether RENAPO answered with an error (result.validaCurp.content.error \"True\", or a codeError other than \"0\"). Unknown when there is no record; unreadable when of another type; conflicting when error and codeError, or responses, disagree (true is kept)."),
		fSATStatus: engine.FactSpec{Name: "jaak.sat69b.status", Kind: engine.String, Provider: name, Polarity: engine.AdverseValues,
			Values: satStatuses, Adverse: satAdverse,
			Description: "The taxpayer's situation in SAT list 69-B, result.\"0\".content.taxpayerStatus: Presunto (presumed) and Definitivo (definitive) are adverse; Desvirtuado (disproved) and Sentencia Favorable (favourable ruling) are not. Unknown when no record; unreadable for another value or type; conflicting when records or responses differ (an adverse situation is kept)."},
		fSATMatches: engine.FactSpec{Name: "jaak.sat69b.match_count", Kind: engine.Number, Provider: name, Polarity: engine.HigherWorse, Limit: &oneMatch,
			Description: "SAT list 69-B:" + countDesc},
		fOFACMatches: engine.FactSpec{Name: "jaak.ofac.match_count", Kind: engine.Number, Provider: name, Polarity: engine.HigherWorse, Limit: &oneMatch,
			Description: "OFAC sanctions list:" + countDesc},
		fOFACScore: spec("jaak.ofac.match_score", engine.Number, engine.HigherWorse,
			"The highest similarity score of the OFAC match records (content.score), as reported; higher is worse. Unknown without a record with a score; unreadable when a score is not a number; conflicting when responses differ (the higher is kept)."),
		fInterpolMatches: engine.FactSpec{Name: "jaak.interpol.match_count", Kind: engine.Number, Provider: name, Polarity: engine.HigherWorse, Limit: &oneMatch,
			Description: "Interpol notices:" + countDesc},
	}
}()

// Name implements normalizers.Provider.
func (Provider) Name() string { return name }

// Facts implements normalizers.Provider.
func (Provider) Facts() []engine.FactSpec { return facts[:] }

// Detect reports a payload with organization or service and a state object
// holding foundInService or mustBeFound.
func (Provider) Detect(s normalizers.Shape) bool {
	if !s.Has("organization") && !s.Has("service") {
		return false
	}
	st := gjson.Parse(s.Keys["state"])
	if !st.IsObject() {
		return false
	}
	ok := false
	st.ForEach(func(k, _ gjson.Result) bool {
		ok = k.Str == "foundInService" || k.Str == "mustBeFound"
		return !ok
	})
	return ok
}

// tri is a boolean that may be unknown.
type tri uint8

const (
	unknown tri = iota
	no
	yes
)

// outcome of a list, ordered by how adverse it is.
type outcome uint8

const (
	pass outcome = iota
	inconclusive
	fail
)

// check is what the responses said about one list.
type check struct {
	seen           bool
	passed, failed bool // some response passed, failed
	tainted        bool // some response was unreadable or conflicting
	at             int  // offset of the first tainted response's state
}

func (c check) outcome() outcome {
	switch {
	case c.failed:
		return fail
	case c.passed && !c.tainted:
		return pass
	}
	return inconclusive
}

type namedCheck struct {
	name string
	check
}

// Normalize implements normalizers.Provider: one payload per list.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	var (
		known   [numLists]check
		others  []namedCheck
		nChecks int
		ids     [2]engine.Identity // RENAPO records already reported
		nIDs    int
	)
	for _, p := range in {
		r, err := read(p, out)
		if err != nil {
			return err
		}
		c := r.check(out)
		if r.list != lUnknown {
			if r.list == lRENAPO {
				id, ok := r.renapo(out)
				if ok && !slices.Contains(ids[:nIDs], id) {
					out.Identity(id)
					if nIDs < len(ids) {
						ids[nIDs] = id
						nIDs++
					}
				}
			} else {
				r.matches(out)
			}
			if r.tainted && !c.tainted {
				c.tainted, c.at = true, r.rd.Base+max(r.result, 0)
			}
			if !known[r.list].seen {
				nChecks++
			}
			known[r.list].add(c)
			continue
		}
		i := slices.IndexFunc(others, func(o namedCheck) bool { return o.name == r.other })
		if i < 0 {
			others = append(others, namedCheck{name: r.other})
			i = len(others) - 1
			nChecks++
		}
		others[i].add(c)
	}
	if nChecks == 0 {
		return nil
	}

	// Aggregates: one backing array, the names sorted, then partitioned by
	// outcome into its second half.
	buf := make([]string, 0, 2*nChecks)
	for l := range known {
		if known[l].seen {
			buf = append(buf, listNames[l])
		}
	}
	for _, o := range others {
		buf = append(buf, o.name)
	}
	slices.Sort(buf)
	checked := buf[:nChecks:nChecks]
	var parts [3][]string
	tainted := -1
	for _, want := range [...]outcome{fail, pass, inconclusive} {
		start := len(buf)
		for _, n := range checked {
			c := checkOf(n, &known, others)
			if c.outcome() == want {
				buf = append(buf, n)
				if want == inconclusive && c.tainted && tainted < 0 {
					tainted = c.at
				}
			}
		}
		parts[want] = buf[start:len(buf):len(buf)]
	}
	out.List(fListsChecked, checked)
	out.List(fListsFailed, parts[fail])
	out.List(fListsPassed, parts[pass])
	out.List(fListsInconclusive, parts[inconclusive])
	switch {
	case len(parts[fail]) > 0:
		out.Bool(fAllPassed, false)
	case len(parts[inconclusive]) == 0:
		out.Bool(fAllPassed, true)
	case tainted >= 0:
		out.Unreadable(fAllPassed, tainted, "state", "a list's outcome is unreadable or conflicting")
	}
	return nil
}

// add merges one response's check into a list's.
func (dst *check) add(c check) {
	if !dst.seen {
		*dst = c
		return
	}
	dst.passed = dst.passed || c.passed
	dst.failed = dst.failed || c.failed
	if c.tainted && !dst.tainted {
		dst.tainted, dst.at = true, c.at
	}
}

func checkOf(n string, known *[numLists]check, others []namedCheck) check {
	for l, ln := range listNames {
		if ln == n && known[l].seen {
			return known[l]
		}
	}
	for _, o := range others {
		if o.name == n {
			return o.check
		}
	}
	return check{}
}

// response is the top level of one payload, read once.
type response struct {
	s      string
	rd     field.Reader
	list   int
	other  string // the name of an unidentified list
	hint   int    // the list the envelope's kind names when it contradicts the payload, else lUnknown
	mixed  bool   // organization and service name different lists
	state  gjson.Result
	result int // index of result's value, -1 when absent
	// tainted: the result body was unreadable or contradicted the state.
	tainted bool
	score   float64 // the highest OFAC match score of this response
	scored  bool
}

// read reads one payload's top level and identifies its list.
func read(p normalizers.Payload, out engine.Sink) (response, error) {
	s := rawString(p)
	lead := walk.SkipWS(s, 0)
	if !walk.IsObject(s, lead) {
		return response{}, normalizers.Errorf(name, p.Offset, "payload: expected a JSON object")
	}
	r := response{s: s, rd: field.Reader{Sink: out, Base: p.Offset}, hint: lUnknown, result: -1}
	var org, svc gjson.Result
	var success, data bool
	walk.Members(s, lead, func(key string, v int) int {
		var res *gjson.Result
		switch key {
		case "organization":
			res = &org
		case "service":
			res = &svc
		case "state":
			res = &r.state
		case "result":
			r.result = v
			return 0
		case "success":
			success = true
			return 0
		case "data":
			data = walk.IsObject(s, v)
			return 0
		default:
			return 0
		}
		*res = walk.Val(s, v)
		return past(*res)
	})
	orgS, svcS := word(r.rd, org, "organization"), word(r.rd, svc, "service")
	if orgS == "" && svcS == "" && data {
		if success {
			return r, normalizers.Errorf(name, p.Offset, "a JAAK event detail (GET /api/v2/blacklist/event/:id) carries no mustBeFound: send the list's investigate response (organization, service, state)")
		}
		return r, normalizers.Errorf(name, p.Offset, "a JAAK multi-list answer ({eventId, status, data: {ofac: {found, matches}, …}}) carries no mustBeFound: send each list's investigate response (organization, service, state)")
	}

	fromOrg, fromSvc := identify(orgS), identify(svcS)
	r.list = fromOrg
	if r.list == lUnknown {
		r.list = fromSvc
	} else if fromSvc != lUnknown && fromSvc != fromOrg {
		r.mixed = true
	}
	if p.Hint != "" {
		h := identify(p.Hint)
		switch {
		case h == lUnknown:
			out.Warn(p.Offset, "hint: "+p.Hint+" is not a JAAK list; the list is identified from organization and service")
		case r.list == lUnknown:
			r.list = h
		case h != r.list:
			r.hint = h
		}
	}
	if r.list == lUnknown {
		if r.other = sanitize(orgS); r.other == "" {
			r.other = sanitize(svcS)
		}
		if r.other == "" {
			if orgS == "" && svcS == "" {
				return r, normalizers.Errorf(name, p.Offset, "organization, service: missing; cannot tell which list was checked")
			}
			r.other = "unknown"
		}
	}
	if field.Present(r.state) && !r.state.IsObject() {
		return r, normalizers.Errorf(name, p.Offset+r.state.Index, "state: expected an object")
	}
	return r, nil
}

// Message classes.
const (
	msgNone    = iota // absent or null
	msgSuccess        // the search ran
	msgFailure        // the service failed
	msgOther          // undocumented, or of the wrong type
)

// failureWords mark a state.message that reports an error or a failure of
// the service, in English or Spanish (JAAK's Language header), lower case.
var failureWords = [...]string{
	"error", "fail", "falla", "fallo", "fallid", "unavailable", "no disponible", "timeout", "timed out",
	"time out", "tiempo de espera", "exception", "excepci", "could not", "couldn't", "cannot", "unable",
	"no se pudo", "no fue posible", "not completed", "no completad", "incomplet", "unsuccessful",
	"sin respuesta", "no response", "invalid", "inválid", "rechaz", "denied", "unauthorized",
}

// successWords mark a message saying the search ran.
var successWords = [...]string{"completed successfully", "success", "exitos", "éxito", "completad", "completed"}

// documented is the message JAAK documents for a search that ran.
const documented = "Investigation completed successfully"

func classify(v gjson.Result) int {
	if !field.Present(v) {
		return msgNone
	}
	if v.Type != gjson.String {
		return msgOther
	}
	if strings.EqualFold(strings.TrimSpace(v.Str), documented) {
		return msgSuccess
	}
	for _, w := range failureWords {
		if containsFold(v.Str, w) {
			return msgFailure
		}
	}
	for _, w := range successWords {
		if containsFold(v.Str, w) {
			return msgSuccess
		}
	}
	return msgOther
}

// check reads the response's state and writes its list's per-list facts.
func (r *response) check(out engine.Sink) check {
	c := check{seen: true, at: r.rd.Base + r.state.Index}
	var found, must, msg gjson.Result
	if !field.Present(r.state) {
		out.Warn(c.at, "state: missing or null; the check is inconclusive")
	} else {
		walk.Members(r.s, r.state.Index, func(key string, v int) int {
			var res *gjson.Result
			switch key {
			case "foundInService":
				res = &found
			case "mustBeFound":
				res = &must
			case "message":
				res = &msg
			default:
				return 0
			}
			*res = walk.Val(r.s, v)
			return past(*res)
		})
	}
	l := r.list
	base := l * perList
	// unreadable marks a fact of a known list, or warns for an unknown one.
	unreadable := func(f int, v gjson.Result, what, msg string) {
		c.tainted = true
		if l == lUnknown {
			out.Warn(r.rd.Base+v.Index, what+": "+msg)
			return
		}
		out.Unreadable(base+f, r.rd.Base+v.Index, what, msg)
	}
	fl, mu := unknown, unknown
	kind := classify(msg)
	switch kind {
	case msgFailure:
		unreadable(fPassed, msg, "state.message", "reports a failure of the service: "+excerpt(msg.Raw))
		if l != lUnknown && field.Present(found) {
			out.Unreadable(base+fFound, r.rd.Base+found.Index, "state.foundInService", "not trusted: state.message reports a failure of the service")
		}
	case msgOther:
		if msg.Type != gjson.String {
			unreadable(fPassed, msg, "state.message", "expected a string")
		} else {
			unreadable(fPassed, msg, "state.message", "undocumented message "+excerpt(msg.Raw))
		}
	}
	flagBad := false
	if field.Present(found) {
		if b, ok := field.Bool(found); !ok {
			flagBad = true
			unreadable(fFound, found, "state.foundInService", "expected a boolean")
		} else if fl = triOf(b); kind != msgFailure && l != lUnknown {
			r.rd.Merge(base+fFound, engine.BoolValue(b), found, "state.foundInService")
		}
	}
	if field.Present(must) {
		if b, ok := field.Bool(must); !ok {
			flagBad = true
			unreadable(fMustBeFound, must, "state.mustBeFound", "expected a boolean")
		} else if mu = triOf(b); l != lUnknown {
			r.rd.Merge(base+fMustBeFound, engine.BoolValue(b), must, "state.mustBeFound")
		}
	}
	if l == lUnknown {
		if kind != msgFailure && fl != unknown && mu != unknown {
			c.passed, c.failed = fl == mu, fl != mu
		}
		return c
	}
	// Conflicts are recorded whatever the outcome.
	contrary := nature[l] != unknown && mu != unknown && mu != nature[l]
	if contrary {
		c.tainted = true
		out.Conflict(base+fPassed, r.rd.Base+must.Index, "state.mustBeFound", "mustBeFound "+must.Raw+" contradicts the nature of list "+listNames[l])
	}
	if r.mixed {
		c.tainted = true
		out.Conflict(base+fPassed, c.at, "organization", "organization and service name different lists")
	}
	if r.hint != lUnknown {
		c.tainted = true
		out.Conflict(base+fPassed, r.rd.Base, "kind", "the case's kind says "+listNames[r.hint]+" but the payload is a "+listNames[l]+" response")
	}
	switch {
	case flagBad:
		out.Unreadable(base+fPassed, c.at, "state", "foundInService or mustBeFound unreadable")
	case kind == msgFailure || fl == unknown || mu == unknown:
	default:
		// A mustBeFound contrary to the list's nature never passes.
		passed := fl == mu && !contrary
		c.passed, c.failed = passed, !passed
		r.rd.Merge(base+fPassed, engine.BoolValue(passed), r.state, "state")
	}
	if v := out.Get(base + fPassed); v.E != engine.Clean {
		c.tainted = true // this or another response was unreadable or disagreed
	}
	return c
}

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

// renapo reads RENAPO's record, result.validaCurp.content, into the record
// facts and returns the identity it names.
func (r *response) renapo(out engine.Sink) (engine.Identity, bool) {
	var id engine.Identity
	content := -1
	if r.result < 0 || walk.Val(r.s, r.result).Type == gjson.Null {
		return id, false
	}
	if !walk.IsObject(r.s, r.result) {
		r.tainted = true
		out.Unreadable(fRenapoRecordValid, r.rd.Base+r.result, "result", "expected an object")
		return id, false
	}
	walk.Members(r.s, r.result, func(key string, v int) int {
		if key != "validaCurp" || !walk.IsObject(r.s, v) {
			return 0
		}
		return walk.Members(r.s, v, func(key string, v int) int {
			if key == "content" && walk.IsObject(r.s, v) {
				content = v
			}
			return 0
		})
	})
	if content < 0 {
		return id, false
	}
	const at = "result.validaCurp.content."
	var first, last, second string
	walk.Members(r.s, content, func(key string, v int) int {
		val := walk.Val(r.s, v)
		switch key {
		case "valid":
			r.rd.Bool(fRenapoRecordValid, val, at+"valid")
		case "error":
			r.rd.Bool(fRenapoRegistryError, val, at+"error")
		case "codeError":
			if s, ok := field.String(val); ok {
				if s = strings.TrimSpace(s); s != "" {
					r.rd.Merge(fRenapoRegistryError, engine.BoolValue(s != "0"), val, at+"codeError")
				}
			} else if field.Present(val) {
				r.rd.Unreadable(fRenapoRegistryError, val, at+"codeError", "string")
			}
		case "curp":
			id.CURP = strings.ToUpper(r.str(val, at+"curp"))
		case "personalDataFirstName":
			first = r.str(val, at+key)
		case "personalDataLastName":
			last = r.str(val, at+key)
		case "personalDataSecondLastName":
			second = r.str(val, at+key)
		case "personalDataBirthDate":
			if d := r.str(val, at+key); d != "" {
				if t, ok := field.Date(d, field.DayFirst); ok && len(d) > 4 {
					id.DOB = t.Format("2006-01-02")
				} else {
					out.Warn(r.rd.Base+val.Index, at+key+": unreadable date")
				}
			}
		default:
			return 0
		}
		return past(val)
	})
	id.Name = fullName(first, last, second)
	if id.CURP == "" && id.DOB == "" && id.Name == "" {
		return id, false
	}
	id.Source = name + ".renapo"
	return id, true
}

// fullName joins name parts with single spaces (one allocation).
func fullName(parts ...string) string {
	var buf [96]byte
	b := buf[:0]
	space := false
	for _, p := range parts {
		space = len(b) > 0
		for i := 0; i < len(p); i++ {
			if c := p[i]; c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				space = len(b) > 0
				continue
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, p[i])
		}
	}
	return string(b)
}

// str reads a string of a record; another type is a warning.
func (r *response) str(v gjson.Result, what string) string {
	if !field.Present(v) {
		return ""
	}
	if v.Type != gjson.String {
		r.rd.Sink.Warn(r.rd.Base+v.Index, what+": expected a string")
		return ""
	}
	return strings.TrimSpace(v.Str)
}

// matches reads the match records of OFAC, Interpol and SAT 69-B.
func (r *response) matches(out engine.Sink) {
	fc := matchFacts[r.list]
	if fc < 0 || r.result < 0 {
		return
	}
	res := walk.Val(r.s, r.result)
	if res.Type == gjson.Null {
		return
	}
	if !walk.IsObject(r.s, r.result) && !walk.IsArray(r.s, r.result) {
		r.tainted = true
		out.Unreadable(fc, r.rd.Base+r.result, "result", "expected an object or array of match records")
		return
	}
	n, members := 0, 0
	r.records(r.result, 0, &n, &members)
	if n == 0 && members > 0 {
		r.tainted = true
		out.Unreadable(fc, r.rd.Base+r.result, "result", "no match records ({\"0\": {\"content\": …}}) in a non-empty result")
		return
	}
	r.rd.Merge(fc, engine.NumberValue(float64(n)), res, "result")
	if r.scored {
		r.rd.Merge(fOFACScore, engine.NumberValue(r.score), res, "result.content.score")
	}
	found := out.Get(r.list*perList + fFound)
	if n > 0 && found.Kind == engine.Bool && !found.B {
		r.tainted = true
		out.Conflict(r.list*perList+fFound, r.rd.Base+r.result, "result", "foundInService is false but result holds match records")
	}
}

// records counts the records ({content: {...}}) of the object or array at
// i, descending once into a coincidences wrapper, and reads their content.
func (r *response) records(i, depth int, n, members *int) {
	each := func(key string, v int) int {
		if key == "coincidences" && depth == 0 && (walk.IsObject(r.s, v) || walk.IsArray(r.s, v)) {
			r.records(v, depth+1, n, members)
			return 0
		}
		*members++
		if !walk.IsObject(r.s, v) {
			return 0
		}
		return walk.Members(r.s, v, func(key string, v int) int {
			if key == "content" && walk.IsObject(r.s, v) {
				*n++
				return r.content(v)
			}
			return 0
		})
	}
	if walk.IsArray(r.s, i) {
		walk.Elements(r.s, i, func(v int) int { return each("", v) })
		return
	}
	walk.Members(r.s, i, each)
}

// content reads one match record's content.
func (r *response) content(i int) int {
	return walk.Members(r.s, i, func(key string, v int) int {
		switch {
		case key == "taxpayerStatus" && r.list == lSAT69B:
			val := walk.Val(r.s, v)
			r.satStatus(val)
			return past(val)
		case key == "score" && r.list == lOFAC:
			val := walk.Val(r.s, v)
			if !field.Present(val) {
				return past(val)
			}
			if n, ok := field.Number(val); ok {
				if !r.scored || n > r.score {
					r.score, r.scored = n, true
				}
			} else {
				r.rd.Unreadable(fOFACScore, val, "result.content.score", "number")
			}
			return past(val)
		}
		return 0
	})
}

// satStatus reads a SAT 69-B taxpayerStatus, one of satStatuses in any
// letter case.
func (r *response) satStatus(v gjson.Result) {
	if !field.Present(v) {
		return
	}
	const what = "result.content.taxpayerStatus"
	if v.Type != gjson.String {
		r.rd.Unreadable(fSATStatus, v, what, "string")
		return
	}
	s := strings.TrimSpace(v.Str)
	for _, st := range satStatuses {
		if strings.EqualFold(s, st) {
			r.rd.Merge(fSATStatus, engine.StringValue(st), v, what)
			return
		}
	}
	r.rd.Sink.Unreadable(fSATStatus, r.rd.Base+v.Index, what, "undocumented situation "+excerpt(v.Raw))
}

// excerpt shortens a raw JSON value for a message.
func excerpt(raw string) string {
	if len(raw) > 40 {
		return raw[:40] + "…"
	}
	return raw
}

// containsFold reports whether s contains the lower-case phrase p, ignoring
// ASCII case, without allocating.
func containsFold(s, p string) bool {
	for i := 0; i+len(p) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(p)], p) {
			return true
		}
	}
	return false
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

// word reads organization or service: a string, else a warning and "".
func word(rd field.Reader, v gjson.Result, what string) string {
	if !field.Present(v) {
		return ""
	}
	if v.Type != gjson.String {
		rd.Sink.Warn(rd.Base+v.Index, what+": expected a string")
		return ""
	}
	return strings.TrimSpace(v.Str)
}

// Substrings (of the lower-cased letters and digits of a name) and whole
// words that identify a list, tried in this order.
var patterns = [...]struct {
	list  int
	subs  []string
	words []string
}{
	{lOFAC, []string{"ofac"}, nil},
	{lInterpol, []string{"interpol", "interpool"}, nil},
	{lRENAPO, []string{"renapo", "curp"}, nil},
	{lSAT69B, []string{"69b"}, []string{"sat"}},
	{lCDC, []string{"cdc", "rcc", "fico", "circulodecredito"}, nil},
	{lINE, []string{"electoral"}, []string{"ine"}},
}

// identify guesses the list a name (a hint, organization or service) is about.
func identify(s string) int {
	if s == "" {
		return lUnknown
	}
	var buf [64]byte
	compact := buf[:0]
	for i := 0; i < len(s) && len(compact) < len(buf); i++ {
		if b := lower(s[i]); isAlnum(b) {
			compact = append(compact, b)
		}
	}
	for _, p := range patterns {
		for _, sub := range p.subs {
			if containsString(compact, sub) {
				return p.list
			}
		}
		for _, w := range p.words {
			if hasWord(s, w) {
				return p.list
			}
		}
	}
	return lUnknown
}

func containsString(b []byte, sub string) bool {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == sub {
			return true
		}
	}
	return false
}

// hasWord reports whether s has w (lower case) as a whole word, words being
// split at other characters than letters and digits, at a case change
// ("validaIne", "SATLista") and between letters and digits ("sat69b").
func hasWord(s, w string) bool {
	for i := 0; i < len(s); {
		if !isAlnum(lower(s[i])) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && !boundary(s, j) {
			j++
		}
		if j-i == len(w) && strings.EqualFold(s[i:j], w) {
			return true
		}
		i = j
	}
	return false
}

// boundary reports whether a word ends before s[j] (0 < j < len(s)).
func boundary(s string, j int) bool {
	a, b := s[j-1], s[j]
	switch {
	case !isAlnum(lower(a)) || !isAlnum(lower(b)):
		return true
	case isLower(a) && isUpper(b):
		return true
	case isUpper(a) && isUpper(b) && j+1 < len(s) && isLower(s[j+1]):
		return true
	}
	return isDigit(a) != isDigit(b)
}

func isLower(b byte) bool { return b >= 'a' && b <= 'z' }
func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
func isAlnum(b byte) bool { return isDigit(b) || b >= 'a' && b <= 'z' }

// sanitize turns an unidentified organization or service into a list name:
// lower case, runs of other characters than letters and digits as one "_".
func sanitize(s string) string {
	var b strings.Builder
	pending := false
	for i := 0; i < len(s); i++ {
		c := lower(s[i])
		if !isAlnum(c) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte('_')
			pending = false
		}
		b.WriteByte(c)
	}
	return b.String()
}
