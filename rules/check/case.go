package check

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/veredicto/veredicto/engine"
)

// Case is a counterexample: a set of facts and the outcome the policy
// decides for them, in the shape of a test of a *.test.yaml suite that
// starts from an empty fact set (facts alone, no case or fixture).
type Case struct {
	Name string
	// Set gives facts a clean value; Unreadable makes facts reported but
	// unreadable; Conflicting gives facts a value marked conflicting.
	Set         map[string]engine.Value
	Unreadable  []string
	Conflicting map[string]engine.Value
	// Outcome is what the policy decides; for Diff, what the new policy
	// decides, and Base what the base policy decides.
	Outcome engine.Outcome
	Base    engine.Outcome
}

// caseOf turns an assignment into a Case.
func (a *analysis) caseOf(vals []engine.Value, outcome engine.Outcome, name string) *Case {
	return newCase(a.m.cat, vals, outcome, name)
}

func newCase(cat *engine.Catalog, vals []engine.Value, outcome engine.Outcome, name string) *Case {
	c := &Case{Name: "check: " + name, Set: map[string]engine.Value{}, Conflicting: map[string]engine.Value{}, Outcome: outcome}
	for slot, v := range vals {
		name := cat.Spec(slot).Name
		switch {
		case v.E == engine.Unreadable:
			c.Unreadable = append(c.Unreadable, name)
		case v.E == engine.Conflicting:
			v.E = engine.Clean
			c.Conflicting[name] = v
		case v.Known():
			c.Set[name] = v
		}
	}
	sort.Strings(c.Unreadable)
	return c
}

// Values returns the case's facts as an assignment over cat: a value per
// slot, with its evidence state.
func (c *Case) Values(cat *engine.Catalog) ([]engine.Value, error) {
	vals := make([]engine.Value, cat.Len())
	put := func(name string, v engine.Value) error {
		slot, ok := cat.Lookup(name)
		if !ok {
			return fmt.Errorf("check: unknown fact %s", name)
		}
		vals[slot] = v
		return nil
	}
	for n, v := range c.Set {
		if err := put(n, v); err != nil {
			return nil, err
		}
	}
	for n, v := range c.Conflicting {
		v.E = engine.Conflicting
		if err := put(n, v); err != nil {
			return nil, err
		}
	}
	for _, n := range c.Unreadable {
		if err := put(n, engine.Value{E: engine.Unreadable}); err != nil {
			return nil, err
		}
	}
	return vals, nil
}

// Facts builds the case's facts over cat, unreadable and conflicting facts
// marked with an evidence note as a normalizer marks them, ready for
// Policy.Evaluate.
func (c *Case) Facts(cat *engine.Catalog) (*engine.Facts, error) {
	vals, err := c.Values(cat)
	if err != nil {
		return nil, err
	}
	f := engine.NewFacts(cat)
	fillFacts(f, vals)
	return f, nil
}

// YAML renders the case as one entry of a suite's tests: list, indented by
// indent spaces. Unreadable and conflicting facts use the suite runner's
// keys (rules/policytest):
//
//	tests:
//	  - name: "check: approves although jaak.ofac.passed is false"
//	    facts:
//	      set: {jaak.ofac.passed: false, veriff.status: approved}
//	      unreadable: [veriff.code]
//	      conflicting: {trully.risk: high}
//	    expect:
//	      outcome: approve
func (c *Case) YAML(indent int) string {
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	fmt.Fprintf(&b, "%s- name: %s\n", pad, strconv.Quote(c.Name))
	fmt.Fprintf(&b, "%s  facts:\n", pad)
	if len(c.Set) == 0 && len(c.Unreadable) == 0 && len(c.Conflicting) == 0 {
		fmt.Fprintf(&b, "%s    set: {}\n", pad)
	}
	if len(c.Set) > 0 {
		fmt.Fprintf(&b, "%s    set: %s\n", pad, flowMap(c.Set))
	}
	if len(c.Unreadable) > 0 {
		fmt.Fprintf(&b, "%s    unreadable: [%s]\n", pad, strings.Join(c.Unreadable, ", "))
	}
	if len(c.Conflicting) > 0 {
		fmt.Fprintf(&b, "%s    conflicting: %s\n", pad, flowMap(c.Conflicting))
	}
	fmt.Fprintf(&b, "%s  expect:\n%s    outcome: %s\n", pad, pad, c.Outcome)
	return b.String()
}

func flowMap(m map[string]engine.Value) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + yamlValue(m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// yamlValue renders a value as a YAML flow scalar or sequence.
func yamlValue(v engine.Value) string {
	switch v.Kind {
	case engine.Bool, engine.Number:
		return v.String()
	case engine.String:
		return yamlString(v.S)
	case engine.List:
		parts := make([]string, len(v.L))
		for i, s := range v.L {
			parts[i] = yamlString(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if v.E == engine.Unreadable {
		return "unreadable"
	}
	return "not reported"
}

// yamlString quotes a string unless YAML reads it plainly as that string.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":{}[],&*#?|<>=!%@`'\"\\\n\t") || strings.TrimSpace(s) != s ||
		strings.HasPrefix(s, "-") {
		return strconv.Quote(s)
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~":
		return strconv.Quote(s)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.Quote(s)
	}
	return s
}

// The JSON forms of findings and cases.
type jsonFinding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"`
	Rule     string   `json:"rule,omitempty"`
	Fact     string   `json:"fact,omitempty"`
	Reason   string   `json:"reason,omitempty"`
	Case     *Case    `json:"counterexample,omitempty"`
}

// MarshalJSON renders the finding with its position as file, line and
// column.
func (f Finding) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonFinding{f.Code, f.Severity, f.Pos.File, f.Pos.Line, f.Pos.Column, f.Message, f.Rule, f.Fact, f.Reason, f.Case})
}

type jsonCase struct {
	Name        string                  `json:"name"`
	Set         map[string]engine.Value `json:"set,omitempty"`
	Unreadable  []string                `json:"unreadable,omitempty"`
	Conflicting map[string]engine.Value `json:"conflicting,omitempty"`
	Outcome     engine.Outcome          `json:"outcome"`
	Base        engine.Outcome          `json:"base_outcome,omitempty"`
	Test        string                  `json:"test"`
}

// MarshalJSON renders the case with its facts and the suite test text.
func (c *Case) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonCase{c.Name, c.Set, c.Unreadable, c.Conflicting, c.Outcome, c.Base, c.YAML(0)})
}
