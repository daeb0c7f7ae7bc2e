package engine

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Env is the state of evaluating one case under one policy: the case's facts
// and the values of the policy's derived facts.
type Env struct {
	Facts   *Facts
	Derived []Value
	// Elem is the list element that # stands for inside a predicate.
	Elem Value
}

// Expr is a compiled expression. It never fails: a value it cannot compute
// (because a fact it needs is unknown) is the unknown Value.
type Expr func(*Env) Value

// Cond is a compiled condition, evaluated in three-valued logic.
type Cond func(*Env) Tri

// Ref names a fact or a derived fact that an expression reads.
type Ref struct {
	Name    string
	Fact    int // catalog slot, or -1
	Derived int // index into Policy.Derived, or -1
}

// Value returns the referenced value in env.
func (r Ref) Value(env *Env) Value {
	if r.Fact >= 0 {
		return env.Facts.vals[r.Fact]
	}
	return env.Derived[r.Derived]
}

// Template is a reason message with {fact.name} placeholders: Text has one
// more element than Refs, and Text[i] precedes Refs[i].
type Template struct {
	Text []string
	Refs []Ref
}

// Render fills the placeholders with the facts' values ("unknown" when unknown).
func (t Template) Render(env *Env) string {
	if len(t.Refs) == 0 {
		if len(t.Text) == 0 {
			return ""
		}
		return t.Text[0]
	}
	var b strings.Builder
	for i, s := range t.Text {
		b.WriteString(s)
		if i < len(t.Refs) {
			b.WriteString(t.Refs[i].Value(env).String())
		}
	}
	return b.String()
}

// Derived is a named fact that a policy computes from other facts.
type Derived struct {
	Name        string
	Description string
	Kind        Kind
	Expr        Expr
	Refs        []Ref
	Source      string   // the expression as written
	Pos         Position // where the expression starts
}

// Requirement is evidence that must be present: when any of its facts is
// unknown, the requirement contributes its outcome (review by default).
type Requirement struct {
	ID          string
	Description string
	Facts       []Ref
	Outcome     Outcome
	Message     Template
	Pos         Position // the requirement's id
}

// Rule contributes its outcome when its condition is true.
type Rule struct {
	ID          string
	Description string
	When        Cond
	Outcome     Outcome
	Message     Template
	Refs        []Ref
	// IgnoreUnknown: when the condition is unknown, do nothing. By default an
	// unknown condition of a review or reject rule makes the case a review.
	IgnoreUnknown bool
	// Shadow rules are evaluated and reported but never change the outcome.
	Shadow bool
	Source string   // the condition as written
	Pos    Position // where the condition starts
}

// Score adds up points and maps the total to an outcome by thresholds.
type Score struct {
	ID            string
	Description   string
	Terms         []Term
	Thresholds    []Threshold // sorted by Min, highest first
	IgnoreUnknown bool
	Shadow        bool
	Pos           Position // the score's id
}

// Term adds Points to its score when its condition is true.
type Term struct {
	Description string
	When        Cond
	Points      float64
	Refs        []Ref
	Source      string   // the condition as written
	Pos         Position // where the condition starts
}

// Threshold gives Outcome when a score reaches Min.
type Threshold struct {
	Min     float64
	Outcome Outcome
	Message Template
}

// Policy is a compiled policy. Build one with package rules; a Policy is
// immutable and safe for concurrent use by any number of goroutines.
type Policy struct {
	Name         string
	Version      string
	Description  string
	Hash         string // sha256 of the policy source, hex
	File         string
	Default      Outcome
	Catalog      *Catalog
	Derived      []Derived // in dependency order
	Requirements []Requirement
	Rules        []Rule
	Scores       []Score
	// Accepted lists the facts the policy deliberately does not act on,
	// each with the reason its authors gave: an auditor reads them, and
	// the analysis reports them as accepted risks rather than errors.
	Accepted []Acceptance

	once     sync.Once
	prepared *prepared
}

// Acceptance is one entry of a policy's informational list.
type Acceptance struct {
	Facts  []string // catalog facts, patterns expanded
	Reason string
	Pos    Position
}

// AcceptedReason returns the reason the policy gives for not acting on the
// fact, and whether it gives one.
func (p *Policy) AcceptedReason(fact string) (string, bool) {
	for _, a := range p.Accepted {
		if slices.Contains(a.Facts, fact) {
			return a.Reason, true
		}
	}
	return "", false
}

// EvalOption configures one evaluation (as opposed to the policy itself).
type EvalOption func(*evalConfig)

type evalConfig struct {
	trace bool
}

// WithTrace records the result of every rule and requirement in Decision.Trace.
func WithTrace() EvalOption { return func(c *evalConfig) { c.trace = true } }

var envPool = sync.Pool{New: func() any { return new(Env) }}

// Evaluate decides a case. Facts must be laid out by the policy's catalog.
func (p *Policy) Evaluate(f *Facts, opts ...EvalOption) Decision {
	var cfg evalConfig
	for _, o := range opts {
		o(&cfg)
	}
	env := envPool.Get().(*Env)
	env.Facts = f
	env.Derived = slices.Grow(env.Derived[:0], len(p.Derived))[:len(p.Derived)]
	for i := range p.Derived {
		env.Derived[i] = p.Derived[i].Expr(env)
	}

	d := Decision{
		Reasons:     make([]Reason, 0, 4),
		CaseID:      f.CaseID,
		Policy:      PolicyRef{Name: p.Name, Version: p.Version, Hash: p.Hash},
		EvaluatedAt: f.AsOf,
		Providers:   f.Providers,
		Warnings:    f.Warnings,
	}
	worst := None
	var missing []string
	pre := p.prepare()
	c := collector{env: env, size: pre.names}
	collect := func(bases []base) []string {
		start := c.begin()
		c.add(bases)
		return c.end(start)
	}
	record := func(id, result string) {
		if cfg.trace {
			d.Trace = append(d.Trace, TraceEntry{ID: id, Result: result})
		}
	}

	for i := range p.Requirements {
		r := &p.Requirements[i]
		miss := collect(pre.requirements[i])
		if len(miss) == 0 {
			record(r.ID, ResultSatisfied)
			continue
		}
		record(r.ID, ResultUnmet)
		d.Reasons = append(d.Reasons, Reason{Rule: r.ID, Kind: KindRequirement, Outcome: r.Outcome,
			Message: r.Message.Render(env), Missing: miss})
		worst = max(worst, r.Outcome)
		missing = appendMissing(missing, miss, pre)
	}
	required := len(missing) // missing[:required] is what unmet requirements name

	for i := range p.Rules {
		r := &p.Rules[i]
		switch r.When(env) {
		case TriTrue:
			record(r.ID, ResultFired)
			reason := Reason{Rule: r.ID, Kind: KindRule, Outcome: r.Outcome,
				Message: r.Message.Render(env), Facts: values(env, r.Refs)}
			if r.Shadow {
				d.Shadow = append(d.Shadow, reason)
				continue
			}
			d.Reasons = append(d.Reasons, reason)
			worst = max(worst, r.Outcome)
		case TriFalse:
			record(r.ID, ResultNotFired)
		default:
			record(r.ID, ResultIndeterminate)
			miss := collect(pre.rules[i])
			switch {
			case r.Shadow:
				d.Shadow = append(d.Shadow, Reason{Rule: r.ID, Kind: KindIndeterminate, Outcome: r.Outcome,
					Message: undecided(miss), Facts: values(env, r.Refs), Missing: miss})
			case r.IgnoreUnknown || r.Outcome <= Approve:
				if d.Skipped == nil {
					d.Skipped = make([]Skip, 0, pre.skips)
				}
				d.Skipped = append(d.Skipped, Skip{Rule: r.ID, Outcome: r.Outcome, Missing: miss})
			default:
				worst = max(worst, Review)
				if covered(missing[:required], miss) {
					// An unmet requirement already names this evidence and
					// already asks for review: the reason would only repeat it.
					continue
				}
				missing = appendMissing(missing, miss, pre)
				d.Reasons = append(d.Reasons, Reason{Rule: r.ID, Kind: KindIndeterminate, Outcome: Review,
					Message: undecided(miss), Facts: values(env, r.Refs), Missing: miss})
			}
		}
	}

	if len(p.Scores) > 0 {
		d.Scores = make([]ScoreResult, 0, len(p.Scores))
	}
	for i := range p.Scores {
		s := &p.Scores[i]
		res, reason, skip := p.score(env, s, pre.terms[i], &c)
		d.Scores = append(d.Scores, res)
		record(s.ID, res.Result)
		if skip != nil {
			if d.Skipped == nil {
				d.Skipped = make([]Skip, 0, pre.skips)
			}
			d.Skipped = append(d.Skipped, *skip)
		}
		if reason == nil {
			continue
		}
		if s.Shadow {
			d.Shadow = append(d.Shadow, *reason)
			continue
		}
		missing = appendMissing(missing, reason.Missing, pre)
		d.Reasons = append(d.Reasons, *reason)
		worst = max(worst, reason.Outcome)
	}

	if len(f.Evidence) > 0 {
		d.Evidence = f.Evidence
		worst = max(worst, p.suspect(&d, env, pre))
	}

	if worst == None {
		worst = p.Default
		d.DefaultApplied = true
	}
	d.Outcome = worst
	if len(missing) > 0 {
		sort.Strings(missing)
		d.Missing = slices.Compact(missing)
	}
	slices.SortStableFunc(d.Reasons, func(a, b Reason) int { return int(b.Outcome) - int(a.Outcome) })

	env.Facts = nil
	envPool.Put(env)
	return d
}

// suspect adds a review reason for every unreadable or conflicting fact
// that a deciding rule, requirement or score reads: such evidence never
// approves and is never skipped as "not reported".
func (p *Policy) suspect(d *Decision, env *Env, pre *prepared) Outcome {
	worst := None
	for _, n := range d.Evidence {
		slot, ok := p.Catalog.Lookup(n.Fact)
		if !ok {
			continue
		}
		id, reads := pre.reads[slot]
		if !reads {
			continue
		}
		msg := n.Fact + " is " + n.State.String()
		if n.Field != "" {
			msg += " (" + n.Provider + " " + n.Field
		} else {
			msg += " (" + n.Provider
		}
		if n.Offset >= 0 {
			msg += " at byte " + NumberValue(float64(n.Offset)).String()
		}
		msg += "): " + n.Message
		if len(n.Values) > 0 {
			msg += " [" + strings.Join(n.Values, " vs ") + "]"
		}
		d.Reasons = append(d.Reasons, Reason{Rule: id, Kind: KindEvidence, Outcome: Review, Message: msg,
			Facts: []FactValue{{Name: n.Fact, Value: env.Facts.vals[slot]}}})
		worst = Review
	}
	return worst
}

// appendMissing appends miss to missing, which the first call makes with
// room for every name the decision can collect.
func appendMissing(missing, miss []string, pre *prepared) []string {
	if missing == nil {
		missing = make([]string, 0, pre.names)
	}
	return append(missing, miss...)
}

func undecided(miss []string) string {
	return "not decided: " + strings.Join(miss, ", ") + " unknown"
}

// collector gathers the names of missing facts for one decision: every
// list is a capped subslice of one buffer.
type collector struct {
	env   *Env
	size  int // the most names one decision can list (prepared.names)
	names []string
}

func (c *collector) begin() int { return len(c.names) }

// add appends the unknown facts among bases that are not listed yet. A
// fact reached through a derived fact counts only when that derived fact
// is unknown: a known derived fact needed nothing more.
func (c *collector) add(bases []base) {
	start := len(c.names)
	for _, b := range bases {
		if b.via >= 0 && c.env.Derived[b.via].Kind != Unknown || c.env.Facts.vals[b.slot].Kind != Unknown {
			continue
		}
		if cap(c.names) == 0 {
			// One buffer of the largest size a decision can need, taken
			// at the first unknown fact: growing it by doubling cost more
			// than half of a case's allocated bytes.
			c.names = make([]string, 0, c.size)
		}
		if !slices.Contains(c.names[start:], b.name) {
			c.names = append(c.names, b.name)
		}
	}
}

func (c *collector) end(start int) []string {
	return c.names[start:len(c.names):len(c.names)]
}

// base is a catalog fact that an expression needs, directly (via < 0) or
// through the derived fact via.
type base struct {
	name      string
	slot, via int
}

// prepared holds, for every requirement, rule and score term, the catalog
// facts behind its references, derived facts expanded once at the first
// evaluation instead of at every undecided rule.
type prepared struct {
	requirements, rules [][]base
	terms               [][][]base // per score, per term
	// reads maps every catalog slot that a deciding (not shadow)
	// requirement, rule or score reads to the id of the first one.
	reads map[int]string
	// names is the number of bases of every requirement, rule and score
	// term, shadow ones too: no decision collects more missing names.
	names int
	// skips bounds a decision's skipped entries: the rules that can be
	// skipped and the scores.
	skips int
}

func (p *Policy) prepare() *prepared {
	p.once.Do(func() {
		pre := &prepared{reads: map[int]string{}}
		memo := map[int][]Ref{}
		read := func(id string, bases []base) {
			for _, b := range bases {
				if _, ok := pre.reads[b.slot]; !ok {
					pre.reads[b.slot] = id
				}
			}
		}
		for _, r := range p.Requirements {
			pre.requirements = append(pre.requirements, p.bases(r.Facts, memo))
			read(r.ID, pre.requirements[len(pre.requirements)-1])
		}
		for _, r := range p.Rules {
			if !r.Shadow && (r.IgnoreUnknown || r.Outcome <= Approve) {
				pre.skips++
			}
			pre.rules = append(pre.rules, p.bases(r.Refs, memo))
			if !r.Shadow {
				read(r.ID, pre.rules[len(pre.rules)-1])
			}
		}
		for _, s := range p.Scores {
			var terms [][]base
			for _, t := range s.Terms {
				terms = append(terms, p.bases(t.Refs, memo))
				if !s.Shadow {
					read(s.ID, terms[len(terms)-1])
				}
			}
			pre.terms = append(pre.terms, terms)
		}
		pre.skips += len(p.Scores)
		for _, bs := range slices.Concat(pre.requirements, pre.rules, slices.Concat(pre.terms...)) {
			pre.names += len(bs)
		}
		p.prepared = pre
	})
	return p.prepared
}

// bases expands refs into catalog facts, each once; a fact the expression
// reads directly wins over the same fact reached through a derived one.
// The catalog facts behind each derived fact are computed once (memo), so
// a diamond of derived facts costs its size, not its number of paths.
func (p *Policy) bases(refs []Ref, memo map[int][]Ref) []base {
	var out []base
	seen := map[int]int{}
	add := func(b base) {
		if i, ok := seen[b.slot]; ok {
			if b.via < 0 {
				out[i].via = -1
			}
			return
		}
		seen[b.slot] = len(out)
		out = append(out, b)
	}
	for _, r := range refs {
		if r.Fact >= 0 {
			add(base{r.Name, r.Fact, -1})
			continue
		}
		for _, f := range p.derivedFacts(r.Derived, memo) {
			add(base{f.Name, f.Fact, r.Derived})
		}
	}
	return out
}

// derivedFacts returns the catalog facts that derived fact d reads,
// directly or through other derived facts, each once. Derived facts are in
// dependency order, so the recursion is bounded by their number.
func (p *Policy) derivedFacts(d int, memo map[int][]Ref) []Ref {
	if fs, ok := memo[d]; ok {
		return fs
	}
	var out []Ref
	seen := map[int]bool{}
	for _, r := range p.Derived[d].Refs {
		fs := []Ref{r}
		if r.Fact < 0 {
			fs = p.derivedFacts(r.Derived, memo)
		}
		for _, f := range fs {
			if !seen[f.Fact] {
				seen[f.Fact] = true
				out = append(out, f)
			}
		}
	}
	memo[d] = out
	return out
}

// covered reports whether every name in sub is in set.
func covered(set, sub []string) bool {
	for _, s := range sub {
		if !slices.Contains(set, s) {
			return false
		}
	}
	return true
}

func values(env *Env, refs []Ref) []FactValue {
	if len(refs) == 0 {
		return nil
	}
	out := make([]FactValue, len(refs))
	for i, r := range refs {
		out[i] = FactValue{Name: r.Name, Value: r.Value(env)}
	}
	return out
}

// score totals a score. The outcome of the highest threshold reached counts;
// when terms are unknown and their points could have reached a more severe
// threshold, the score is indeterminate and asks for review.
//
// With IgnoreUnknown the unknown terms count nothing and the score is also
// reported as skipped when they could have changed its outcome.
func (p *Policy) score(env *Env, s *Score, bases [][]base, c *collector) (res ScoreResult, reason *Reason, skip *Skip) {
	res = ScoreResult{ID: s.ID, Result: ResultNotFired}
	var refs []Ref
	for i := range s.Terms {
		t := &s.Terms[i]
		switch t.When(env) {
		case TriTrue:
			res.Points += t.Points
			refs = append(refs, t.Refs...)
		case TriUnknown:
			if t.Points > 0 {
				res.UnknownPoints += t.Points
			}
		}
	}
	var reached *Threshold
	for i := range s.Thresholds {
		if res.Points >= s.Thresholds[i].Min {
			reached = &s.Thresholds[i]
			break
		}
	}
	var could *Threshold
	if res.UnknownPoints > 0 {
		for i := range s.Thresholds {
			th := &s.Thresholds[i]
			if res.Points+res.UnknownPoints >= th.Min && (reached == nil || th.Outcome > reached.Outcome) {
				could = th
				break
			}
		}
	}
	if could != nil && could.Outcome > Approve {
		start := c.begin()
		for i := range s.Terms {
			if t := &s.Terms[i]; t.When(env) == TriUnknown {
				c.add(bases[i])
			}
		}
		miss := c.end(start)
		if s.IgnoreUnknown {
			// The unknown terms count nothing: the known points decide.
			skip = &Skip{Rule: s.ID, Outcome: could.Outcome, Missing: miss}
		} else {
			res.Result = ResultIndeterminate
			out := Review
			if reached != nil {
				out = max(out, reached.Outcome)
			}
			res.Outcome = out
			return res, &Reason{Rule: s.ID, Kind: KindIndeterminate, Outcome: out, Facts: values(env, refs), Missing: miss,
				Message: "score " + NumberValue(res.Points).String() + " could reach " + NumberValue(could.Min).String() +
					" (" + could.Outcome.String() + "): " + strings.Join(miss, ", ") + " unknown"}, nil
		}
	}
	if reached == nil {
		return res, nil, skip
	}
	res.Result, res.Outcome = ResultFired, reached.Outcome
	return res, &Reason{Rule: s.ID, Kind: KindScore, Outcome: reached.Outcome, Message: reached.Message.Render(env), Facts: values(env, refs)}, skip
}

// Decision is the explained result of evaluating one case.
type Decision struct {
	CaseID         string    `json:"case_id,omitempty"`
	Outcome        Outcome   `json:"outcome"`
	Policy         PolicyRef `json:"policy"`
	EvaluatedAt    time.Time `json:"evaluated_at"`
	DefaultApplied bool      `json:"default_applied,omitempty"`
	Reasons        []Reason  `json:"reasons"`
	Shadow         []Reason  `json:"shadow,omitempty"`
	// Missing lists the facts whose absence shaped the outcome: unmet
	// requirements and undecided rules that sent the case to review.
	Missing []string `json:"missing,omitempty"`
	// Skipped lists the rules and scores that could not be decided for
	// unknown facts and that the policy lets pass (unknown: ignore).
	Skipped   []Skip        `json:"skipped,omitempty"`
	Scores    []ScoreResult `json:"scores,omitempty"`
	Providers []string      `json:"providers"`
	Warnings  []Warning     `json:"warnings,omitempty"`
	// Evidence explains the case's unreadable and conflicting facts.
	Evidence []EvidenceNote `json:"evidence,omitempty"`
	Trace    []TraceEntry   `json:"trace,omitempty"`
}

// PolicyRef identifies the policy that made a decision.
type PolicyRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

// The kinds of reason.
const (
	KindRule          = "rule"          // a rule fired
	KindRequirement   = "requirement"   // required evidence is missing
	KindScore         = "score"         // a score reached a threshold
	KindIndeterminate = "indeterminate" // a rule or score could not be decided for unknown facts
	KindEvidence      = "evidence"      // a fact the rule reads is unreadable or conflicting
)

// The results recorded in a trace.
const (
	ResultFired         = "fired"
	ResultNotFired      = "not_fired"
	ResultIndeterminate = "indeterminate"
	ResultSatisfied     = "satisfied"
	ResultUnmet         = "unmet"
)

// Reason explains one contribution to a decision.
type Reason struct {
	Rule    string      `json:"rule"`
	Kind    string      `json:"kind"`
	Outcome Outcome     `json:"outcome"`
	Message string      `json:"message"`
	Facts   []FactValue `json:"facts,omitempty"`
	Missing []string    `json:"missing,omitempty"`
}

// Skip is a rule or score that could not be decided for unknown facts and
// that the policy lets pass.
type Skip struct {
	Rule    string   `json:"rule"`
	Outcome Outcome  `json:"outcome"` // the outcome it would have given
	Missing []string `json:"missing"`
}

// FactValue is a fact and the value it had (null when unknown).
type FactValue struct {
	Name  string `json:"name"`
	Value Value  `json:"value"`
}

// ScoreResult is the total of one score.
type ScoreResult struct {
	ID            string  `json:"id"`
	Points        float64 `json:"points"`
	UnknownPoints float64 `json:"unknown_points,omitempty"`
	Result        string  `json:"result"`
	Outcome       Outcome `json:"outcome,omitempty"`
}

// TraceEntry is the result of one rule, requirement or score.
type TraceEntry struct {
	ID     string `json:"id"`
	Result string `json:"result"`
}

// Fired returns the ids of the rules and scores that contributed an outcome,
// shadow ones included.
func (d *Decision) Fired() []string {
	var ids []string
	for _, r := range d.Reasons {
		if r.Kind == KindRule || r.Kind == KindScore {
			ids = append(ids, r.Rule)
		}
	}
	for _, r := range d.Shadow {
		if r.Kind == KindRule || r.Kind == KindScore {
			ids = append(ids, r.Rule)
		}
	}
	return ids
}
