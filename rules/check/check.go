package check

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/veredicto/veredicto/engine"
)

// The codes of the findings. They are stable: tools and tests match on
// them.
const (
	CodeApproveOnAdverse     = "approve-on-adverse"    // the policy approves while a fact is adverse (error)
	CodeAcceptedRisk         = "accepted-risk"         // an adverse fact the policy lists as informational (info)
	CodeUnusedFact           = "unused-fact"           // a derived fact nothing reads, a fact only shadow rules read (info)
	CodeUnreachableRule      = "unreachable-rule"      // a rule that can never fire, or only while a requirement is unmet (warning)
	CodeShadowedRule         = "shadowed-rule"         // a rule a stricter one always overrides (warning)
	CodeUnreachableThreshold = "unreachable-threshold" // a score threshold no combination of terms reaches (warning)
	CodeIncomplete           = "incomplete"            // the bounded search ran out before an answer (warning)
	CodeOutcomeChange        = "outcome-change"        // Diff: a class of cases whose outcome changes (info)
)

// Severity ranks findings: only errors make a policy fail the check.
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// DefaultBudget is the number of search nodes (partial assignments tried,
// and complete ones evaluated by the engine) that one analysis may spend
// in all its searches together. Once it is spent, every further search
// still gets MinSearchNodes, and a search that runs out reports
// CodeIncomplete instead of an answer.
const (
	DefaultBudget  = 2_000_000
	MinSearchNodes = 10_000
)

// maxShadowCombinations bounds the assignments enumerated to prove that
// one rule always fires with another.
const maxShadowCombinations = 4096

// Options configure an analysis. The zero Options are the defaults.
type Options struct {
	// Budget bounds the search nodes of the analysis (DefaultBudget when 0).
	Budget int
	// Source is the policy's source text, for the lines findings show;
	// when nil it is read from the policy's File, if it can be.
	Source []byte
}

// Finding is one result of the analysis, at a position of the policy.
type Finding struct {
	Code     string
	Severity Severity
	Pos      engine.Position
	Message  string
	Rule     string // the id of the rule, requirement or score concerned, if any
	Fact     string // the fact concerned, if any
	Reason   string // for CodeAcceptedRisk: the reason the policy gives
	// Case is the counterexample: the smallest set of facts found that
	// produces the finding, ready to paste into a suite (Case.YAML).
	Case *Case
	// Source is the policy's line at Pos, "" when unknown.
	Source string
}

// Snippet renders the finding like a compiler error: file:line:column,
// severity, message, the source line and a caret under the column.
func (f Finding) Snippet() string {
	e := engine.Error{Pos: f.Pos, Code: f.Code, Msg: string(f.Severity) + ": " + f.Message + " [" + f.Code + "]", Source: f.Source}
	return e.Snippet()
}

// Assumption says which values the analysis gave a fact whose real domain
// is infinite: a number or a free string.
type Assumption struct {
	Fact   string   `json:"fact"`
	Values []string `json:"values"`
}

// Report is the result of analysing one policy (or two, for Diff).
type Report struct {
	Policy   string    `json:"policy"`
	File     string    `json:"file"`
	Findings []Finding `json:"findings"`
	// Assumptions lists the values given to numbers and free strings.
	Assumptions []Assumption `json:"assumptions,omitempty"`
	// Accepted is the policy's informational list: every accepted risk.
	Accepted []engine.Acceptance `json:"accepted,omitempty"`
	// Nodes is the number of search nodes spent; Searches the searches run.
	Nodes    int `json:"nodes"`
	Searches int `json:"searches"`
}

// Errors counts the findings of severity Error.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

// analysis is the state of one run.
type analysis struct {
	m      *model
	ev     *evaluator
	left   int
	report *Report
	lines  []string
	// other holds the lines of other files findings point into (the base
	// policy of a Diff).
	other map[string][]string
}

func newAnalysis(p *engine.Policy, cat *engine.Catalog, opts *Options) (*analysis, error) {
	if p == nil || cat == nil {
		return nil, errors.New("check: a policy and its catalog are required")
	}
	if p.Catalog != nil && p.Catalog != cat {
		return nil, errors.New("check: the policy was compiled against another catalog")
	}
	if opts == nil {
		opts = &Options{}
	}
	m, err := newModel(p, cat)
	if err != nil {
		return nil, fmt.Errorf("check: %v", err)
	}
	a := &analysis{m: m, ev: newEvaluator(cat), left: opts.Budget, report: &Report{Policy: p.Name, File: p.File, Accepted: p.Accepted}}
	if a.left <= 0 {
		a.left = DefaultBudget
	}
	src := opts.Source
	if src == nil && p.File != "" {
		src, _ = os.ReadFile(p.File)
	}
	a.lines = strings.Split(string(src), "\n")
	return a, nil
}

// run runs a search with its share of the budget.
func (a *analysis) run(s *search) result {
	s.b = &budget{left: max(a.left, MinSearchNodes)}
	r := s.run()
	a.left = max(a.left-s.b.used, 0)
	a.report.Nodes += s.b.used
	a.report.Searches++
	return r
}

func (a *analysis) add(f Finding) {
	if f.Pos.File == "" {
		f.Pos.File = a.m.p.File
	}
	lines := a.lines
	if l, ok := a.other[f.Pos.File]; ok {
		lines = l
	}
	if f.Pos.Line >= 1 && f.Pos.Line <= len(lines) {
		f.Source = strings.TrimRight(lines[f.Pos.Line-1], "\r")
	}
	a.report.Findings = append(a.report.Findings, f)
}

// Policy analyses a compiled policy over the catalog it was compiled
// against: it searches, for every adverse value of every fact, for a case
// the policy approves (an error unless the policy lists the fact as
// informational), and reports rules that can never fire, rules a stricter
// rule always overrides, unreachable score thresholds and unused facts.
// An error is returned only when the policy cannot be analysed at all.
func Policy(p *engine.Policy, cat *engine.Catalog, opts *Options) (*Report, error) {
	a, err := newAnalysis(p, cat, opts)
	if err != nil {
		return nil, err
	}
	a.assumptions()
	a.adverse()
	a.rules()
	a.thresholds()
	a.unused()
	a.sort()
	return a.report, nil
}

func (a *analysis) sort() {
	sort.SliceStable(a.report.Findings, func(i, j int) bool {
		x, y := a.report.Findings[i], a.report.Findings[j]
		if x.Pos.File != y.Pos.File {
			return x.Pos.File < y.Pos.File
		}
		if x.Pos.Line != y.Pos.Line {
			return x.Pos.Line < y.Pos.Line
		}
		if x.Pos.Column != y.Pos.Column {
			return x.Pos.Column < y.Pos.Column
		}
		if x.Code != y.Code {
			return x.Code < y.Code
		}
		return x.Message < y.Message
	})
}

// assumptions records the values given to number and free-string facts.
func (a *analysis) assumptions() {
	m := a.m
	slots := append(slices.Clone(m.reads), m.shadowOnly...)
	slices.SortFunc(slots, func(x, y int) int { return strings.Compare(m.cat.Spec(x).Name, m.cat.Spec(y).Name) })
	for _, s := range slots {
		spec := m.cat.Spec(s)
		if spec.Kind == engine.Bool || spec.Kind == engine.String && len(spec.Values) > 0 {
			continue
		}
		if m.domain[s] == nil {
			m.domain[s] = m.domainOf(s)
		}
		var vals []string
		for _, v := range m.domain[s] {
			if v.Known() && v.E == engine.Clean {
				vals = append(vals, yamlValue(v))
			}
		}
		a.report.Assumptions = append(a.report.Assumptions, Assumption{Fact: spec.Name, Values: vals})
	}
}

// approval searches for an assignment the policy approves, with slot
// fixed to v when slot >= 0.
func (a *analysis) approval(slot int, v engine.Value) (result, []engine.Value) {
	m := a.m
	st := m.newState()
	var vars []int
	for _, s := range m.reads {
		if s != slot {
			vars = append(vars, s)
		}
	}
	if slot >= 0 {
		st.assigned[slot], st.vals[slot] = true, v
	}
	var last outcomes
	s := &search{st: st, vars: vars,
		prune: func() bool { last = m.possible(st); return !last.has(engine.Approve) },
		sure:  func() bool { return last == 1<<engine.Approve },
		goal:  func() bool { return a.ev.decide(m.p, st.vals).Outcome == engine.Approve },
	}
	r := a.run(s)
	if r != found {
		return r, nil
	}
	var fixed []int
	if slot >= 0 {
		fixed = []int{slot}
	}
	vals := minimise(m.cat, st.vals, fixed, func(vals []engine.Value) bool {
		return a.ev.decide(m.p, vals).Outcome == engine.Approve
	})
	return found, vals
}

// approver returns the position and id of what approved an assignment.
func (a *analysis) approver(vals []engine.Value) (engine.Position, string) {
	d := a.ev.decide(a.m.p, vals)
	for _, r := range d.Reasons {
		if r.Kind == engine.KindRule && r.Outcome == engine.Approve {
			for _, rule := range a.m.p.Rules {
				if rule.ID == r.Rule {
					return rule.Pos, rule.ID
				}
			}
		}
		if r.Kind == engine.KindScore && r.Outcome == engine.Approve {
			for _, s := range a.m.p.Scores {
				if s.ID == r.Rule {
					return s.Pos, s.ID
				}
			}
		}
	}
	return a.defaultPos(), "default"
}

// defaultPos is the position of the policy's default outcome.
func (a *analysis) defaultPos() engine.Position {
	for i, l := range a.lines {
		if rest, ok := strings.CutPrefix(l, "default:"); ok {
			col := len("default:") + len(rest) - len(strings.TrimLeft(rest, " ")) + 1
			return engine.Position{File: a.m.p.File, Line: i + 1, Column: col}
		}
	}
	return engine.Position{File: a.m.p.File, Line: 1, Column: 1}
}

// reader returns the position and id of the first rule, score or
// requirement that reads slot.
func (a *analysis) reader(slot int) (engine.Position, string) {
	m := a.m
	for i, r := range m.p.Rules {
		if slices.Contains(m.ruleBases[i], slot) {
			return r.Pos, r.ID
		}
	}
	for i, s := range m.p.Scores {
		for j, t := range s.Terms {
			if slices.Contains(m.termBases[i][j], slot) {
				return t.Pos, s.ID
			}
		}
	}
	for i, r := range m.p.Requirements {
		if slices.Contains(m.reqBases[i], slot) {
			return r.Pos, r.ID
		}
	}
	return engine.Position{File: m.p.File, Line: 1, Column: 1}, ""
}

// adverse looks for approvals on every adverse value of every fact.
func (a *analysis) adverse() {
	m := a.m
	slots := slices.Clone(m.reads)
	slices.SortFunc(slots, func(x, y int) int { return strings.Compare(m.cat.Spec(x).Name, m.cat.Spec(y).Name) })
	for _, slot := range slots {
		spec := m.cat.Spec(slot)
		var approving []engine.Value
		var first []engine.Value
		var lost []engine.Value
		for _, v := range m.adverseValues(slot) {
			r, vals := a.approval(slot, v)
			switch r {
			case found:
				approving = append(approving, v)
				if first == nil {
					first = vals
				}
			case incomplete:
				lost = append(lost, v)
			}
		}
		reason, accepted := m.p.AcceptedReason(spec.Name)
		if accepted {
			a.accepted(slot, reason, approving, first)
			continue
		}
		if len(approving) > 0 {
			pos, id := a.approver(first)
			msg := fmt.Sprintf("approves although %s is %s (%s)", spec.Name, describeValues(approving), approvedBy(id))
			a.add(Finding{Code: CodeApproveOnAdverse, Severity: Error, Pos: pos, Rule: id, Fact: spec.Name, Message: msg,
				Case: a.caseOf(first, engine.Approve, "approves although "+spec.Name+" is "+yamlValue(first[slot]))})
		}
		if len(lost) > 0 {
			pos, id := a.reader(slot)
			a.add(Finding{Code: CodeIncomplete, Severity: Warning, Pos: pos, Rule: id, Fact: spec.Name,
				Message: fmt.Sprintf("analysis incomplete: bounded search found no approval while %s is %s, but did not finish (raise the budget)", spec.Name, describeValues(lost))})
		}
	}
	// The adverse facts that nothing deciding reads: the policy approves
	// whatever they say, whenever it approves at all.
	var generic []engine.Value
	genericDone := false
	for slot := range m.cat.Len() {
		spec := m.cat.Spec(slot)
		v, adverse := unreadAdverse(spec)
		if m.isRead[slot] || !adverse {
			continue
		}
		reason, accepted := m.p.AcceptedReason(spec.Name)
		if !genericDone {
			genericDone = true
			r, vals := a.approval(-1, engine.Value{})
			switch r {
			case found:
				generic = vals
			case incomplete:
				a.add(Finding{Code: CodeIncomplete, Severity: Warning, Pos: a.defaultPos(),
					Message: "analysis incomplete: bounded search found no case the policy approves, but did not finish (raise the budget)"})
			}
		}
		var vals []engine.Value
		if generic != nil {
			vals = slices.Clone(generic)
			vals[slot] = v
			if a.ev.decide(m.p, vals).Outcome != engine.Approve {
				vals = nil // cannot happen: nothing deciding reads the fact
			}
		}
		if accepted {
			var approving []engine.Value
			if vals != nil {
				approving = []engine.Value{v}
			}
			a.accepted(slot, reason, approving, vals)
			continue
		}
		if vals == nil {
			continue
		}
		pos, id := a.approver(vals)
		what := "no rule reads it"
		if slices.Contains(m.shadowOnly, slot) {
			what = "only shadow rules read it"
		}
		msg := fmt.Sprintf("approves although %s is %s (%s): %s; act on it, or list it under informational: with the reason it is an accepted risk",
			spec.Name, anyValue(spec, v), approvedBy(id), what)
		a.add(Finding{Code: CodeApproveOnAdverse, Severity: Error, Pos: pos, Rule: id, Fact: spec.Name, Message: msg,
			Case: a.caseOf(vals, engine.Approve, "approves although "+spec.Name+" is "+yamlValue(v))})
	}
}

// accepted reports an adverse fact the policy lists as informational.
func (a *analysis) accepted(slot int, reason string, approving, vals []engine.Value) {
	spec := a.m.cat.Spec(slot)
	pos := engine.Position{File: a.m.p.File, Line: 1, Column: 1}
	for _, acc := range a.m.p.Accepted {
		if slices.Contains(acc.Facts, spec.Name) {
			pos = acc.Pos
			break
		}
	}
	msg := fmt.Sprintf("%s (%s) is an accepted risk: %s", spec.Name, spec.DescribePolarity(), reason)
	f := Finding{Code: CodeAcceptedRisk, Severity: Info, Pos: pos, Fact: spec.Name, Reason: reason}
	if len(approving) > 0 {
		msg += fmt.Sprintf(" (the policy approves while it is %s)", describeValues(approving))
		f.Case = a.caseOf(vals, engine.Approve, "accepted: approves although "+spec.Name+" is "+yamlValue(vals[slot]))
	}
	f.Message = msg
	a.add(f)
}

func approvedBy(id string) string {
	if id == "default" {
		return "by the default outcome"
	}
	return "rule " + id
}

func anyValue(spec engine.FactSpec, v engine.Value) string {
	if (spec.Polarity == engine.HigherWorse || spec.Polarity == engine.LowerWorse) && spec.Limit == nil {
		return "at any value, " + spec.DescribePolarity()
	}
	return yamlValue(v)
}

func describeValues(vs []engine.Value) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = yamlValue(v)
	}
	return strings.Join(parts, " or ")
}

// condition evaluates a compiled condition on an assignment.
func (a *analysis) condition(c engine.Cond, vals []engine.Value) engine.Tri {
	fillFacts(a.ev.f, vals)
	env := &engine.Env{Facts: a.ev.f, Derived: make([]engine.Value, len(a.m.p.Derived))}
	for i, d := range a.m.p.Derived {
		env.Derived[i] = d.Expr(env)
	}
	return c(env)
}

// rules reports rules that can never fire, fire only while a requirement
// is unmet, or are shadowed by a stricter rule.
func (a *analysis) rules() {
	m := a.m
	reachable := make([]bool, len(m.p.Rules))
	for i, rule := range m.p.Rules {
		for _, s := range m.ruleBases[i] {
			if m.domain[s] == nil {
				m.domain[s] = m.domainOf(s)
			}
		}
		st := m.newState()
		var last tris
		s := &search{st: st, vars: m.ruleBases[i],
			prune: func() bool { last = st.eval(m.rules[i]).tri(); return !last.has(engine.TriTrue) },
			sure:  func() bool { return last == 1<<engine.TriTrue },
			goal:  func() bool { return a.condition(rule.When, st.vals) == engine.TriTrue },
		}
		// Derived facts are evaluated before the condition.
		prune := s.prune
		s.prune = func() bool { a.derive(st); return prune() }
		switch a.run(s) {
		case found:
			reachable[i] = true
		case notFound:
			a.add(Finding{Code: CodeUnreachableRule, Severity: Warning, Pos: rule.Pos, Rule: rule.ID,
				Message: fmt.Sprintf("rule %s can never fire: no values of its facts make its condition true", rule.ID)})
		case incomplete:
			a.add(Finding{Code: CodeIncomplete, Severity: Warning, Pos: rule.Pos, Rule: rule.ID,
				Message: fmt.Sprintf("analysis incomplete: bounded search did not find whether rule %s can fire", rule.ID)})
		}
	}
	for i, rule := range m.p.Rules {
		if reachable[i] && !rule.Shadow {
			a.requirementBlocks(i)
		}
	}
	for i, rule := range m.p.Rules {
		if !reachable[i] || rule.Shadow {
			continue
		}
		for j, by := range m.p.Rules {
			if j == i || by.Shadow || by.Outcome <= rule.Outcome || !subset(m.ruleBases[j], m.ruleBases[i]) {
				continue
			}
			if a.alwaysWith(i, j) {
				a.add(Finding{Code: CodeShadowedRule, Severity: Warning, Pos: rule.Pos, Rule: rule.ID,
					Message: fmt.Sprintf("rule %s (%s) never decides: whenever it fires, the stricter rule %s (%s, line %d) fires too",
						rule.ID, rule.Outcome, by.ID, by.Outcome, by.Pos.Line)})
				break
			}
		}
	}
}

func (a *analysis) derive(st *state) {
	for i, d := range a.m.derived {
		st.derived[i] = st.eval(d)
	}
}

func subset(sub, set []int) bool {
	for _, s := range sub {
		if !slices.Contains(set, s) {
			return false
		}
	}
	return true
}

// requirementBlocks reports a rule that can fire only while a requirement
// is unmet: its own outcome then never adds to the requirement's review.
func (a *analysis) requirementBlocks(i int) {
	m := a.m
	rule := m.p.Rules[i]
	var related []int
	for j, b := range m.reqBases {
		for _, s := range b {
			if slices.Contains(m.ruleBases[i], s) {
				related = append(related, j)
				break
			}
		}
	}
	if len(related) == 0 {
		return
	}
	// The facts of a deciding rule and of the requirements are all deciding
	// facts, whose domains newModel gave them.
	fires := func(reqs []int) result {
		vars := slices.Clone(m.ruleBases[i])
		for _, j := range reqs {
			vars = appendNew(vars, m.reqBases[j]...)
		}
		st := m.newState()
		s := &search{st: st, vars: vars,
			prune: func() bool {
				a.derive(st)
				if !st.eval(m.rules[i]).tri().has(engine.TriTrue) {
					return true
				}
				for _, j := range reqs {
					if _, must := m.unmet(st, m.p.Requirements[j], j); must {
						return true
					}
				}
				return false
			},
			goal: func() bool {
				d := a.ev.decide(m.p, st.vals, engine.WithTrace())
				for _, t := range d.Trace {
					if t.ID == rule.ID && t.Result != engine.ResultFired {
						return false
					}
					for _, j := range reqs {
						if t.ID == m.p.Requirements[j].ID && t.Result != engine.ResultSatisfied {
							return false
						}
					}
				}
				return true
			},
		}
		return a.run(s)
	}
	if fires(related) != notFound {
		return
	}
	var blocking []string
	for _, j := range related {
		if fires([]int{j}) == notFound {
			blocking = append(blocking, m.p.Requirements[j].ID)
		}
	}
	what := "requirement " + strings.Join(blocking, ", ") + " is"
	if len(blocking) == 0 {
		// Each alone may be met while the rule fires, but not all at once.
		var ids []string
		for _, j := range related {
			ids = append(ids, m.p.Requirements[j].ID)
		}
		what = "one of the requirements " + strings.Join(ids, ", ") + " is"
	}
	a.add(Finding{Code: CodeUnreachableRule, Severity: Warning, Pos: rule.Pos, Rule: rule.ID,
		Message: fmt.Sprintf("rule %s can fire only while %s unmet: a fact it needs is then unknown, and the requirement decides already",
			rule.ID, what)})
}

// alwaysWith reports whether rule j fires under every assignment of rule
// i's facts under which rule i fires, enumerating them when there are few.
func (a *analysis) alwaysWith(i, j int) bool {
	m := a.m
	slots := m.ruleBases[i]
	n := 1
	for _, s := range slots {
		n *= len(m.domain[s])
		if n > maxShadowCombinations {
			return false
		}
	}
	vals := make([]engine.Value, m.cat.Len())
	fired := false
	var rec func(k int) bool
	rec = func(k int) bool {
		if k == len(slots) {
			if a.condition(m.p.Rules[i].When, vals) != engine.TriTrue {
				return true
			}
			fired = true
			return a.condition(m.p.Rules[j].When, vals) == engine.TriTrue
		}
		for _, v := range m.domain[slots[k]] {
			vals[slots[k]] = v
			if !rec(k + 1) {
				return false
			}
		}
		vals[slots[k]] = engine.Value{}
		return true
	}
	return rec(0) && fired
}

// thresholds reports score thresholds that no combination of terms reaches.
func (a *analysis) thresholds() {
	m := a.m
	for i, sc := range m.p.Scores {
		var vars []int
		for _, b := range m.termBases[i] {
			vars = appendNew(vars, b...)
		}
		for _, s := range vars {
			if m.domain[s] == nil {
				m.domain[s] = m.domainOf(s)
			}
		}
		for _, th := range sc.Thresholds {
			st := m.newState()
			points := func() (lo, hi float64) {
				a.derive(st)
				lo, hi, _ = m.scorePoints(st, i)
				return lo, hi
			}
			_, most := points()
			s := &search{st: st, vars: vars,
				prune: func() bool { _, hi := points(); return hi < th.Min },
				goal: func() bool {
					total := 0.0
					for _, t := range sc.Terms {
						if a.condition(t.When, st.vals) == engine.TriTrue {
							total += t.Points
						}
					}
					return total >= th.Min
				},
			}
			switch a.run(s) {
			case notFound:
				a.add(Finding{Code: CodeUnreachableThreshold, Severity: Warning, Pos: sc.Pos, Rule: sc.ID,
					Message: fmt.Sprintf("score %s never reaches its %s threshold %s: its terms add up to at most %s",
						sc.ID, th.Outcome, engine.NumberValue(th.Min), engine.NumberValue(most))})
			case incomplete:
				a.add(Finding{Code: CodeIncomplete, Severity: Warning, Pos: sc.Pos, Rule: sc.ID,
					Message: fmt.Sprintf("analysis incomplete: bounded search did not find whether score %s reaches %s", sc.ID, engine.NumberValue(th.Min))})
			}
		}
	}
}

// unused reports derived facts that nothing reads, and facts that only
// shadow rules read.
func (a *analysis) unused() {
	p := a.m.p
	used := make([]bool, len(p.Derived))
	mark := func(refs []engine.Ref) {
		for _, r := range refs {
			if r.Fact < 0 {
				used[r.Derived] = true
			}
		}
	}
	for _, d := range p.Derived {
		mark(d.Refs)
	}
	for _, r := range p.Requirements {
		mark(r.Facts)
		mark(r.Message.Refs)
	}
	for _, r := range p.Rules {
		mark(r.Refs)
		mark(r.Message.Refs)
	}
	for _, s := range p.Scores {
		for _, t := range s.Terms {
			mark(t.Refs)
		}
		for _, th := range s.Thresholds {
			mark(th.Message.Refs)
		}
	}
	for i, d := range p.Derived {
		if !used[i] {
			a.add(Finding{Code: CodeUnusedFact, Severity: Info, Pos: d.Pos, Fact: d.Name,
				Message: fmt.Sprintf("derived fact %s is used by no rule, score, requirement or reason", d.Name)})
		}
	}
	for _, s := range a.m.shadowOnly {
		pos, id := a.reader(s)
		a.add(Finding{Code: CodeUnusedFact, Severity: Info, Pos: pos, Rule: id, Fact: a.m.cat.Spec(s).Name,
			Message: fmt.Sprintf("%s is read only by shadow rules: it never decides", a.m.cat.Spec(s).Name)})
	}
}
