package gen

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// The Veriff decisions a scenario can have.
type veriffKind uint8

const (
	vApproved veriffKind = iota
	vDeclined
	vResubmission
	vExpired
	vAbandoned
	vReview
	vPending  // verification: null
	vAPIError // {"status":"fail","code":...,"message":...}
)

// Trully's label.
type trullyKind uint8

const (
	tNoThreat trullyKind = iota
	tReview
	tThreat
	tNull
)

// Preventor's flow.
type preventorKind uint8

const (
	pAccepted preventorKind = iota
	pRejected
	pInProgress // no completed event yet
)

// The JAAK lists, in envelope order.
const (
	lINE = iota
	lRENAPO
	lOFAC
	lInterpol
	lSAT69B
	lCDC
	nLists
)

var listKinds = [nLists]string{"ine", "renapo", "ofac", "interpol", "sat69b", "cdc"}

// scenario is one generated case: the applicant and what each provider
// reports about them.
type scenario struct {
	n      int // line number
	id     string
	p      person
	other  person // who Trully saw instead, when curpMismatch
	event  time.Time
	veriff veriffKind
	reason int // Veriff reason code, 0 for none

	docExpired, codeString, advArray, ineBioFail, riskLabels bool
	codeMismatch, registryNoMatch                            bool
	riskScore                                                float64 // < 0: not reported

	deceased, curpNotFound, curpMismatch bool

	trully                       trullyKind
	trullyWhy                    int
	noSelfie, stringCounters     bool
	forensicsBad, faceMismatch   bool
	fraudFlag, seenElsewhere     bool
	invalidFields, trullyExpired bool

	preventor      preventorKind
	preventorRetry bool

	found      [nLists]bool // the person was found on the list
	timeout    int          // a list whose check timed out, or -1
	withCDC    bool
	orgUpper   bool // organization names as JAAK sometimes spells them (OFAC, SAT)
	ineActive  bool
	ineString  bool // "active": "true"
	envReceipt bool // results carry the store's received_at and source
}

// flaw is a reason for a case not to be approved, and the providers that
// can show it (for bare payloads, a flaw is drawn among its provider's).
type flaw struct {
	weight    int
	providers string // initials: v veriff, i veriff_ine, t trully, p preventor, j jaak
	apply     func(s *scenario, r *rand.Rand)
}

// reviewFlaws make a case doubtful: a policy typically sends it to review.
var reviewFlaws = []flaw{
	{4, "v", func(s *scenario, _ *rand.Rand) { s.veriff = vReview }},
	{3, "v", func(s *scenario, r *rand.Rand) {
		s.veriff, s.reason = vResubmission, pick(r, []int{201, 204, 207, 603, 619, 620, 625})
	}},
	{1, "v", func(s *scenario, _ *rand.Rand) { s.veriff = vExpired }},
	{1, "v", func(s *scenario, _ *rand.Rand) { s.veriff = vAbandoned }},
	{2, "v", func(s *scenario, _ *rand.Rand) { s.veriff = vPending }},
	{1, "v", func(s *scenario, _ *rand.Rand) { s.veriff = vAPIError }},
	{2, "v", func(s *scenario, _ *rand.Rand) { s.docExpired = true }},
	{1, "v", func(s *scenario, _ *rand.Rand) { s.codeMismatch = true }},
	{2, "v", func(s *scenario, _ *rand.Rand) { s.registryNoMatch = true }},
	{1, "v", func(s *scenario, _ *rand.Rand) { s.riskScore, s.riskLabels = 0.6+0.39*float64(s.n%7)/7, true }},
	{4, "t", func(s *scenario, r *rand.Rand) {
		s.trully, s.trullyWhy = tReview, r.IntN(3)
		switch s.trullyWhy {
		case 0:
			s.trullyExpired = true
		case 1:
			s.invalidFields = true
		default:
			s.seenElsewhere = true
		}
	}},
	{1, "t", func(s *scenario, _ *rand.Rand) { s.trully = tNull }},
	{3, "j", func(s *scenario, _ *rand.Rand) { s.found[lSAT69B] = true }},
	{1, "j", func(s *scenario, r *rand.Rand) { s.timeout = pick(r, []int{lOFAC, lInterpol, lSAT69B, lRENAPO}) }},
	{3, "i", func(s *scenario, _ *rand.Rand) { s.ineActive = false }},
	{2, "p", func(s *scenario, _ *rand.Rand) { s.preventor = pInProgress }},
	{2, "vt", func(s *scenario, r *rand.Rand) {
		s.p.curp = s.p.curp[:17] + strconv.Itoa((int(s.p.curp[17]-'0')+1+r.IntN(9))%10)
	}},
}

// rejectFlaws make a case unacceptable: a policy typically rejects it.
var rejectFlaws = []flaw{
	{5, "v", func(s *scenario, r *rand.Rand) {
		s.veriff, s.reason = vDeclined, pick(r, []int{102, 103, 105, 106, 108, 126, 509, 533})
	}},
	{3, "j", func(s *scenario, _ *rand.Rand) { s.found[lOFAC] = true }},
	{1, "j", func(s *scenario, _ *rand.Rand) { s.found[lInterpol] = true }},
	{3, "jtv", func(s *scenario, _ *rand.Rand) { s.curpNotFound, s.found[lRENAPO] = true, false }},
	{1, "j", func(s *scenario, _ *rand.Rand) { s.found[lINE] = false }},
	{3, "t", func(s *scenario, r *rand.Rand) {
		s.trully, s.trullyWhy = tThreat, r.IntN(3)
		switch s.trullyWhy {
		case 0:
			s.fraudFlag, s.seenElsewhere = true, true
		case 1:
			s.forensicsBad = true
		default:
			s.faceMismatch = true
		}
	}},
	{3, "p", func(s *scenario, _ *rand.Rand) { s.preventor = pRejected }},
	{1, "vt", func(s *scenario, r *rand.Rand) {
		// 16 or 17 years old: someone trying to open an account early.
		s.p = newPerson(r, s.event, 16+r.IntN(2), false)
	}},
	{1, "vt", func(s *scenario, r *rand.Rand) {
		s.curpMismatch, s.other = true, newPerson(r, s.event, 18+r.IntN(50), false)
	}},
	{1, "v", func(s *scenario, _ *rand.Rand) { s.ineBioFail, s.faceMismatch = true, true }},
	{1, "vt", func(s *scenario, _ *rand.Rand) { s.deceased, s.trully = true, tThreat }},
}

// draw fills s with a new case for line n of kind (a provider name, "full"
// or "partial").
func (s *scenario) draw(r *rand.Rand, n int, kind string) {
	event := epoch.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
	*s = scenario{
		n:         n,
		id:        "app-" + strconv.Itoa(1000000+n),
		event:     event.Truncate(time.Second),
		riskScore: -1,
		timeout:   -1,
		ineActive: true,
	}
	s.found[lINE], s.found[lRENAPO], s.found[lCDC] = true, true, true
	// Ages 18 to 75, most between 22 and 50.
	age := 18 + r.IntN(15) + r.IntN(15) + r.IntN(28)
	s.p = newPerson(r, s.event, age, false)

	// Shapes that vary without changing what the case means.
	s.codeString = r.IntN(20) == 0
	s.advArray = r.IntN(2) == 0
	if r.IntN(3) == 0 {
		s.riskScore = float64(r.IntN(30)) / 100
	}
	s.stringCounters = r.IntN(8) == 0
	s.noSelfie = r.IntN(40) == 0
	s.preventorRetry = r.IntN(6) == 0
	s.withCDC = r.IntN(4) == 0
	s.orgUpper = r.IntN(3) == 0
	s.ineString = r.IntN(20) == 0
	s.envReceipt = r.IntN(3) == 0

	only := ""
	switch kind {
	case "full", "partial":
	default:
		only = kind[:1]
		if kind == "veriff_ine" {
			only = "i"
		}
	}
	switch x := r.IntN(100); {
	case x < 55:
	case x < 79:
		s.applyFlaw(r, reviewFlaws, only)
	default:
		s.applyFlaw(r, rejectFlaws, only)
	}
	if r.IntN(10) == 0 { // now and then a second problem
		if r.IntN(2) == 0 {
			s.applyFlaw(r, reviewFlaws, only)
		} else {
			s.applyFlaw(r, rejectFlaws, only)
		}
	}
}

// applyFlaw applies one flaw drawn by weight among those that the provider
// only (an initial; "" for any) can show.
func (s *scenario) applyFlaw(r *rand.Rand, flaws []flaw, only string) {
	total := 0
	for _, f := range flaws {
		if shows(f, only) {
			total += f.weight
		}
	}
	if total == 0 {
		return
	}
	x := r.IntN(total)
	for _, f := range flaws {
		if !shows(f, only) {
			continue
		}
		if x < f.weight {
			f.apply(s, r)
			return
		}
		x -= f.weight
	}
}

func shows(f flaw, only string) bool {
	if only == "" {
		return true
	}
	for i := 0; i < len(f.providers); i++ {
		if f.providers[i] == only[0] {
			return true
		}
	}
	return false
}

// payload appends one bare payload of provider.
func (s *scenario) payload(b []byte, r *rand.Rand, provider string) []byte {
	switch provider {
	case "veriff":
		return s.veriffPayload(b, r)
	case "trully":
		return s.trullyPayload(b, r)
	case "preventor":
		events := s.preventorEvents(r)
		return s.preventorPayload(b, r, events[r.IntN(len(events))])
	case "jaak":
		list := r.IntN(nLists)
		for _, l := range []int{lOFAC, lInterpol, lSAT69B, lRENAPO, lINE} {
			if s.found[l] != (l == lINE || l == lRENAPO) || s.timeout == l {
				list = l // the list that shows the flaw
			}
		}
		return s.jaakPayload(b, r, list)
	default:
		return s.ineRegistryPayload(b)
	}
}

// envelope appends a case envelope with results of every provider (Veriff
// INE, Trully, Preventor's events, the JAAK lists), or of some of them
// when partial.
func (s *scenario) envelope(b []byte, r *rand.Rand, partial bool) []byte {
	b = append(b, `{"case_id":"`...)
	b = append(b, s.id...)
	b = append(b, `","as_of":"`...)
	b = s.event.Add(time.Duration(5+r.IntN(600))*time.Minute).AppendFormat(b, time.RFC3339)
	b = append(b, `","results":[`...)
	keep := func() bool { return !partial || r.IntN(3) > 0 }
	first := true
	result := func(provider, kind string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"provider":"`...)
		b = append(b, provider...)
		if kind != "" {
			b = append(b, `","kind":"`...)
			b = append(b, kind...)
		}
		b = append(b, '"')
		if s.envReceipt {
			b = append(b, `,"source":"webhook","received_at":"`...)
			b = s.event.Add(time.Duration(r.IntN(300))*time.Second).AppendFormat(b, time.RFC3339)
			b = append(b, '"')
		}
		b = append(b, `,"payload":`...)
	}
	if !partial || r.IntN(4) > 0 {
		result("veriff", "")
		b = s.veriffPayload(b, r)
		b = append(b, '}')
	}
	if keep() {
		result("veriff_ine", "")
		b = s.ineRegistryPayload(b)
		b = append(b, '}')
	}
	if keep() {
		result("trully", "")
		b = s.trullyPayload(b, r)
		b = append(b, '}')
	}
	if keep() {
		for _, ev := range s.preventorEvents(r) {
			result("preventor", "")
			b = s.preventorPayload(b, r, ev)
			b = append(b, '}')
		}
	}
	for l := range nLists {
		if l == lCDC && !s.withCDC || !keep() {
			continue
		}
		result("jaak", listKinds[l])
		b = s.jaakPayload(b, r, l)
		b = append(b, '}')
	}
	if first { // a partial case that dropped everything keeps one result
		result("veriff_ine", "")
		b = s.ineRegistryPayload(b)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}
