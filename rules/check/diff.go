package check

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/veredicto/veredicto/engine"
)

// change is a rule, requirement, score, derived fact or default that
// differs between two policies.
type change struct {
	kind, id string
	how      string // added, removed or what changed
	pos      engine.Position
	slots    []int // the facts it reads, in both policies
}

func (c change) label() string {
	if c.kind == "default" {
		return "the default outcome " + c.how
	}
	return c.kind + " " + c.id + " " + c.how
}

// Diff compares two policies compiled against cat without any stored
// case: for every rule, requirement, score and derived fact that was
// added, removed or changed, and for each pair of outcomes, it searches
// for a set of facts that the base policy decides one way and p the other
// with the change involved, and reports each class found as a finding of
// CodeOutcomeChange with its counterexample (Case.Base and Case.Outcome).
// opts.Source is p's source; base's is read from its File.
func Diff(base, p *engine.Policy, cat *engine.Catalog, opts *Options) (*Report, error) {
	if base == nil {
		return nil, errors.New("check: a base policy is required")
	}
	a, err := newAnalysis(p, cat, opts)
	if err != nil {
		return nil, err
	}
	bm, err := newModel(base, cat)
	if err != nil {
		return nil, fmt.Errorf("check: base: %v", err)
	}
	if base.File != "" && base.File != p.File {
		if src, err := os.ReadFile(base.File); err == nil {
			a.other = map[string][]string{base.File: strings.Split(string(src), "\n")}
		}
	}
	nm := a.m
	// One domain per fact, the union of what either policy compares it with.
	merged := make([][]engine.Value, cat.Len())
	var vars []int
	for _, m := range []*model{nm, bm} {
		for _, s := range m.reads {
			vars = appendNew(vars, s)
			for _, v := range m.domain[s] {
				if !slices.ContainsFunc(merged[s], func(w engine.Value) bool { return same(v, w) }) {
					merged[s] = append(merged[s], v)
				}
			}
		}
	}
	nm.domain, bm.domain = merged, merged
	for _, c := range changes(bm, nm) {
		a.diffChange(bm, c, vars)
	}
	a.sort()
	return a.report, nil
}

// changes lists what differs between the base model and the new one.
func changes(bm, nm *model) []change {
	var out []change
	type item struct {
		key   string
		pos   engine.Position
		slots []int
	}
	collect := func(m *model) map[string]item {
		items := map[string]item{}
		for i, r := range m.p.Rules {
			items["rule "+r.ID] = item{fmt.Sprintf("%s|%s|%v|%v", r.Source, r.Outcome, r.IgnoreUnknown, r.Shadow), r.Pos, m.ruleBases[i]}
		}
		for i, r := range m.p.Requirements {
			var names []string
			for _, f := range r.Facts {
				names = append(names, f.Name)
			}
			items["requirement "+r.ID] = item{fmt.Sprintf("%v|%s", names, r.Outcome), r.Pos, m.reqBases[i]}
		}
		for i, s := range m.p.Scores {
			key := fmt.Sprintf("%v|%v", s.IgnoreUnknown, s.Shadow)
			var slots []int
			for j, t := range s.Terms {
				key += fmt.Sprintf("|%s:%v", t.Source, t.Points)
				slots = appendNew(slots, m.termBases[i][j]...)
			}
			for _, th := range s.Thresholds {
				key += fmt.Sprintf("|%v:%s", th.Min, th.Outcome)
			}
			items["score "+s.ID] = item{key, s.Pos, slots}
		}
		for i, d := range m.p.Derived {
			items["derived fact "+d.Name] = item{d.Source, d.Pos, m.derivedBases[i]}
		}
		return items
	}
	old, cur := collect(bm), collect(nm)
	var names []string
	for k := range old {
		names = append(names, k)
	}
	for k := range cur {
		if _, ok := old[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		o, inOld := old[k]
		n, inNew := cur[k]
		kind, id, _ := strings.Cut(k, " ")
		if strings.HasPrefix(k, "derived fact ") {
			kind, id = "derived fact", strings.TrimPrefix(k, "derived fact ")
		}
		switch {
		case !inOld:
			out = append(out, change{kind, id, "added", n.pos, n.slots})
		case !inNew:
			out = append(out, change{kind, id, "removed", o.pos, o.slots})
		case o.key != n.key:
			out = append(out, change{kind, id, "changed", n.pos, appendNew(slices.Clone(n.slots), o.slots...)})
		}
	}
	if bm.p.Default != nm.p.Default {
		out = append(out, change{"default", "default", fmt.Sprintf("changed from %s to %s", bm.p.Default, nm.p.Default), engine.Position{}, nil})
	}
	return out
}

// contribution is what a rule, requirement or score did in a decision; an
// absent one did what one that never fires does.
func contribution(d *engine.Decision, kind, id string) string {
	switch kind {
	case "score":
		for _, s := range d.Scores {
			if s.ID == id {
				return s.Result + " " + s.Outcome.String()
			}
		}
		return engine.ResultNotFired + " none"
	case "rule", "requirement":
		for _, t := range d.Trace {
			if t.ID == id {
				return t.Result
			}
		}
		if kind == "requirement" {
			return engine.ResultSatisfied
		}
		return engine.ResultNotFired
	}
	return ""
}

// diffChange searches, for each pair of distinct outcomes, a case that
// the base decides as the first and the new policy as the second, with
// the change doing something different in the two.
func (a *analysis) diffChange(bm *model, c change, all []int) {
	nm := a.m
	var vars []int
	for _, s := range appendNew(slices.Clone(c.slots), all...) {
		if nm.domain[s] != nil {
			vars = append(vars, s) // a fact only shadow rules read decides nothing
		}
	}
	// A rule, requirement or score must act differently in the two
	// policies; a derived fact or the default has no result of its own.
	involved := c.kind == "rule" || c.kind == "requirement" || c.kind == "score"
	pos := c.pos
	if c.kind == "default" {
		pos = a.defaultPos()
	}
	for _, from := range []engine.Outcome{engine.Approve, engine.Review, engine.Reject} {
		for _, to := range []engine.Outcome{engine.Approve, engine.Review, engine.Reject} {
			if from == to {
				continue
			}
			holds := func(vals []engine.Value) bool {
				db := a.ev.decide(bm.p, vals, engine.WithTrace())
				dn := a.ev.decide(nm.p, vals, engine.WithTrace())
				return db.Outcome == from && dn.Outcome == to &&
					(!involved || contribution(&db, c.kind, c.id) != contribution(&dn, c.kind, c.id))
			}
			st := nm.newState()
			bst := bm.share(st)
			var ob, on outcomes
			s := &search{st: st, vars: vars,
				prune: func() bool {
					ob, on = bm.possible(bst), nm.possible(st)
					return !ob.has(from) || !on.has(to)
				},
				goal: func() bool { return holds(st.vals) },
			}
			switch a.run(s) {
			case found:
				vals := minimise(nm.cat, st.vals, nil, holds)
				cs := newCase(nm.cat, vals, to, fmt.Sprintf("%s: %s → %s", c.label(), from, to))
				cs.Base = from
				a.add(Finding{Code: CodeOutcomeChange, Severity: Info, Pos: pos, Rule: c.id, Case: cs,
					Message: fmt.Sprintf("%s: %s → %s when %s", c.label(), from, to, describeCase(cs))})
			case incomplete:
				a.add(Finding{Code: CodeIncomplete, Severity: Warning, Pos: pos, Rule: c.id,
					Message: fmt.Sprintf("analysis incomplete: bounded search did not find whether %s turns %s into %s", c.label(), from, to)})
			}
		}
	}
}

// describeCase lists a case's facts for a message; the rest are not
// reported.
func describeCase(c *Case) string {
	var parts []string
	for _, k := range sortedKeys(c.Set) {
		parts = append(parts, k+" is "+yamlValue(c.Set[k]))
	}
	for _, k := range c.Unreadable {
		parts = append(parts, k+" is unreadable")
	}
	for _, k := range sortedKeys(c.Conflicting) {
		parts = append(parts, k+" is conflicting ("+yamlValue(c.Conflicting[k])+")")
	}
	if len(parts) == 0 {
		return "no fact is reported"
	}
	return strings.Join(parts, ", ") + ", and nothing else is reported"
}

func sortedKeys(m map[string]engine.Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
