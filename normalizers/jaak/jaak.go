// Package jaak normalizes JAAK KYC "official lists" checks
// (POST /api/v2/blacklist/investigate) into facts.
//
// JAAK checks one official list per request (INE, Interpol, OFAC,
// RENAPO/CURP, SAT 69-B, CDC) and answers each with
//
//	{eventId, responseId, processTime, organization, service,
//	 result (the person found, or null),
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
// Which list a response is about is read from, in order:
//   - Payload.Hint, the case envelope's kind for the result, when it names a
//     list (the request's service names: ine, interpol, ofac, renapo, curp,
//     sat, sat69b, cdc, rccFico, also dotted as renapo.curp, and the
//     documentation's "interpool" typo);
//   - organization, then service, guessed case-insensitively: ofac;
//     interpol; renapo or curp; 69b / 69-b or the word sat; cdc, rcc or fico;
//     the word ine or "electoral". "ine" and "sat" must be whole words
//     (split at punctuation, camelCase and digits: "validaIne", "SAT_69B")
//     so that "online" or "satellite" do not match.
//
// A response for a list that cannot be identified is still reported under its
// own name (its organization, or else its service, lower-cased with other
// characters than letters and digits turned into "_") in the jaak.lists_*
// facts; it has no per-list facts. A response with neither organization,
// service nor a hint is an error.
//
// Unknown is not false: when foundInService or mustBeFound is missing, null or
// not a boolean (a warning), or when state is null, the list's outcome is
// unknown: its passed fact stays unknown and it is listed in
// jaak.lists_inconclusive, in neither lists_passed nor lists_failed, and
// jaak.all_passed is unknown unless another list failed. Two responses for
// the same list that disagree are resolved conservatively: a failing one wins
// over a passing one, which wins over an inconclusive one; a warning says so.
//
// eventId identifies one request, not the applicant, so it is not a case id.
// The person data in result (names, CURP, RFC, an OFAC entry) is personal and
// is not read: a hit on a risk list is a candidate match, not the applicant's
// identity, so no Identity is reported either.
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

// Per-list facts: list l's fact f is at l*perList + f.
const (
	fPassed = iota
	fFound
	fMustBeFound
	perList
)

// Aggregate facts, after the per-list ones.
const (
	fListsChecked = numLists*perList + iota
	fListsPassed
	fListsFailed
	fListsInconclusive
	fAllPassed
	numFacts
)

func spec(n string, k engine.Kind, desc string) engine.FactSpec {
	return engine.FactSpec{Name: n, Kind: k, Provider: name, Description: desc}
}

const (
	passedDesc = " check passed: state.foundInService equals state.mustBeFound. Unknown when no response for the list was received or either field is missing, null or not a boolean."
	foundDesc  = ": whether the person was found in the list (state.foundInService). Unknown when not reported."
	mustDesc   = ": whether the person must be found for the check to pass (state.mustBeFound)"
)

var facts = [...]engine.FactSpec{
	lCDC*perList + fPassed:           spec("jaak.cdc.passed", engine.Bool, "Círculo de Crédito (CDC, rccFico credit report)"+passedDesc),
	lCDC*perList + fFound:            spec("jaak.cdc.found", engine.Bool, "Círculo de Crédito (CDC)"+foundDesc),
	lCDC*perList + fMustBeFound:      spec("jaak.cdc.must_be_found", engine.Bool, "Círculo de Crédito (CDC)"+mustDesc+". Unknown when not reported."),
	lINE*perList + fPassed:           spec("jaak.ine.passed", engine.Bool, "INE (Instituto Nacional Electoral, voter-card registry)"+passedDesc),
	lINE*perList + fFound:            spec("jaak.ine.found", engine.Bool, "INE voter-card registry"+foundDesc),
	lINE*perList + fMustBeFound:      spec("jaak.ine.must_be_found", engine.Bool, "INE voter-card registry"+mustDesc+", normally true. Unknown when not reported."),
	lInterpol*perList + fPassed:      spec("jaak.interpol.passed", engine.Bool, "Interpol notices"+passedDesc),
	lInterpol*perList + fFound:       spec("jaak.interpol.found", engine.Bool, "Interpol notices"+foundDesc),
	lInterpol*perList + fMustBeFound: spec("jaak.interpol.must_be_found", engine.Bool, "Interpol notices"+mustDesc+", normally false. Unknown when not reported."),
	lOFAC*perList + fPassed:          spec("jaak.ofac.passed", engine.Bool, "OFAC sanctions list"+passedDesc+" Found on OFAC fails."),
	lOFAC*perList + fFound:           spec("jaak.ofac.found", engine.Bool, "OFAC sanctions list"+foundDesc),
	lOFAC*perList + fMustBeFound:     spec("jaak.ofac.must_be_found", engine.Bool, "OFAC sanctions list"+mustDesc+", normally false. Unknown when not reported."),
	lRENAPO*perList + fPassed:        spec("jaak.renapo.passed", engine.Bool, "RENAPO CURP registry (organization curp, service validaCurp)"+passedDesc+" Not found in RENAPO fails."),
	lRENAPO*perList + fFound:         spec("jaak.renapo.found", engine.Bool, "RENAPO CURP registry"+foundDesc),
	lRENAPO*perList + fMustBeFound:   spec("jaak.renapo.must_be_found", engine.Bool, "RENAPO CURP registry"+mustDesc+", normally true. Unknown when not reported."),
	lSAT69B*perList + fPassed:        spec("jaak.sat69b.passed", engine.Bool, "SAT list 69-B (taxpayers simulating operations, EFOS)"+passedDesc),
	lSAT69B*perList + fFound:         spec("jaak.sat69b.found", engine.Bool, "SAT list 69-B"+foundDesc),
	lSAT69B*perList + fMustBeFound:   spec("jaak.sat69b.must_be_found", engine.Bool, "SAT list 69-B"+mustDesc+", normally false. Unknown when not reported."),
	fListsChecked: spec("jaak.lists_checked", engine.List,
		"Names of the lists a response was received for, sorted: cdc, ine, interpol, ofac, renapo, sat69b, or the sanitized organization (else service) of an unidentified list. Unknown when no JAAK response was received."),
	fListsPassed: spec("jaak.lists_passed", engine.List,
		"Names of the checked lists whose check passed (foundInService equals mustBeFound), sorted. Unknown when no JAAK response was received."),
	fListsFailed: spec("jaak.lists_failed", engine.List,
		"Names of the checked lists whose check failed (foundInService differs from mustBeFound), sorted. Unknown when no JAAK response was received."),
	fListsInconclusive: spec("jaak.lists_inconclusive", engine.List,
		"Names of the checked lists whose outcome is unknown (foundInService or mustBeFound missing, null or unreadable), sorted. Unknown when no JAAK response was received."),
	fAllPassed: spec("jaak.all_passed", engine.Bool,
		"Whether every list received passed: false when any failed; unknown when none failed but some are inconclusive, or when no JAAK response was received."),
}

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

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

// outcome of a check, ordered by how conservative it is.
type outcome uint8

const (
	inconclusive outcome = iota
	pass
	fail
)

// check is what the responses said about one list.
type check struct {
	seen        bool
	found, must tri
}

func (c check) outcome() outcome {
	switch {
	case c.found == unknown || c.must == unknown:
		return inconclusive
	case c.found == c.must:
		return pass
	}
	return fail
}

// merge records a response for a list already seen: the more conservative
// outcome wins; a disagreement is a warning.
func merge(dst *check, c check, list string, at int, out engine.Sink) {
	if !dst.seen {
		*dst = c
		return
	}
	if dst.found != c.found || dst.must != c.must {
		out.Warn(at, "state: two responses for list "+list+" disagree; the failing one (else the conclusive one) is used")
	}
	if c.outcome() > dst.outcome() {
		*dst = c
	}
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
	)
	for _, p := range in {
		s := rawString(p)
		lead := walk.SkipWS(s, 0)
		if !walk.IsObject(s, lead) {
			return normalizers.Errorf(name, p.Offset, "payload: expected a JSON object")
		}
		var org, svc, state gjson.Result
		walk.Members(s, lead, func(key string, v int) int {
			var r *gjson.Result
			switch key {
			case "organization":
				r = &org
			case "service":
				r = &svc
			case "state":
				r = &state // read below: its warnings follow organization's and service's
			default:
				return 0
			}
			*r = walk.Val(s, v)
			return past(*r)
		})
		rd := field.Reader{Sink: out, Base: p.Offset}
		orgS, svcS := word(rd, org, "organization"), word(rd, svc, "service")

		// Which list.
		list := lUnknown
		if p.Hint != "" {
			if list = identify(p.Hint); list == lUnknown {
				out.Warn(p.Offset, "hint: "+p.Hint+" is not a JAAK list; the list is identified from organization and service")
			}
		}
		fromFields := identify(orgS)
		if fromFields == lUnknown {
			fromFields = identify(svcS)
		}
		switch {
		case list == lUnknown:
			list = fromFields
		case fromFields != lUnknown && fromFields != list:
			out.Warn(p.Offset, "hint: the case says list "+listNames[list]+" but organization/service say "+listNames[fromFields]+"; the hint is used")
		}
		var other string
		if list == lUnknown {
			if other = sanitize(orgS); other == "" {
				other = sanitize(svcS)
			}
			if other == "" {
				if orgS == "" && svcS == "" {
					return normalizers.Errorf(name, p.Offset, "organization, service: missing; cannot tell which list was checked")
				}
				other = "unknown"
			}
		}

		// What it said.
		var c check
		c.seen = true
		switch {
		case !field.Present(state):
			out.Warn(p.Offset+state.Index, "state: missing or null; the check is inconclusive")
		case !state.IsObject():
			return normalizers.Errorf(name, p.Offset+state.Index, "state: expected an object")
		default:
			walk.Members(s, state.Index, func(key string, v int) int {
				switch key {
				case "foundInService":
					r := walk.Val(s, v)
					c.found = flag(rd, r, "state.foundInService")
					return past(r)
				case "mustBeFound":
					r := walk.Val(s, v)
					c.must = flag(rd, r, "state.mustBeFound")
					return past(r)
				}
				return 0
			})
		}
		at := p.Offset + state.Index
		if list != lUnknown {
			if !known[list].seen {
				nChecks++
			}
			merge(&known[list], c, listNames[list], at, out)
			continue
		}
		i := slices.IndexFunc(others, func(o namedCheck) bool { return o.name == other })
		if i < 0 {
			others = append(others, namedCheck{name: other})
			i = len(others) - 1
			nChecks++
		}
		merge(&others[i].check, c, other, at, out)
	}
	if nChecks == 0 {
		return nil
	}

	// Per-list facts.
	for l := range known {
		c := known[l]
		if !c.seen {
			continue
		}
		if c.found != unknown {
			out.Bool(l*perList+fFound, c.found == yes)
		}
		if c.must != unknown {
			out.Bool(l*perList+fMustBeFound, c.must == yes)
		}
		if o := c.outcome(); o != inconclusive {
			out.Bool(l*perList+fPassed, o == pass)
		}
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
	parts := [3][]string{}
	for _, want := range [...]outcome{fail, pass, inconclusive} {
		start := len(buf)
		for _, n := range checked {
			if outcomeOf(n, &known, others) == want {
				buf = append(buf, n)
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

func outcomeOf(n string, known *[numLists]check, others []namedCheck) outcome {
	for l, ln := range listNames {
		if ln == n && known[l].seen {
			return known[l].outcome()
		}
	}
	for _, o := range others {
		if o.name == n {
			return o.outcome()
		}
	}
	return inconclusive
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

// flag reads a state boolean; anything else than a boolean (or "true" /
// "false") is unknown, with a warning when present.
func flag(rd field.Reader, v gjson.Result, what string) tri {
	if !field.Present(v) {
		return unknown
	}
	b, ok := field.Bool(v)
	if !ok {
		rd.Sink.Warn(rd.Base+v.Index, what+": expected a boolean")
		return unknown
	}
	return triOf(b)
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
