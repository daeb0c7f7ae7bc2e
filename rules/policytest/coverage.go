package policytest

import (
	"fmt"

	"github.com/veredicto/veredicto/engine"
)

// Coverage counts, over the decisions of one policy, how often each of its
// parts contributed: each rule (shadow rules included) that fired, each
// requirement that was unmet, and each score threshold that was reached.
type Coverage struct {
	Policy *engine.Policy
	Items  []CoverageItem
	Tests  int // decisions added

	index  map[string]int // rule or requirement id → item
	scores map[string]int // score id → item of its first threshold
}

// CoverageItem is one part of a policy and how many decisions it
// contributed to.
type CoverageItem struct {
	Kind string // "rule", "shadow rule", "requirement", "score"
	ID   string // the rule, requirement or score id
	// Threshold is the index of a score's threshold in Policy.Scores[i].Thresholds, -1 otherwise.
	Threshold int
	Hits      int
}

// Label names the item for people: "rule sanctions-hit",
// "score fraud-signals >= 60 (reject)".
func (c *Coverage) Label(it CoverageItem) string {
	if it.Threshold < 0 {
		return it.Kind + " " + it.ID
	}
	for _, s := range c.Policy.Scores {
		if s.ID == it.ID {
			th := s.Thresholds[it.Threshold]
			return fmt.Sprintf("%s %s >= %s (%s)", it.Kind, it.ID, num(th.Min), th.Outcome)
		}
	}
	return it.Kind + " " + it.ID
}

// NewCoverage returns an empty coverage of p.
func NewCoverage(p *engine.Policy) *Coverage {
	c := &Coverage{Policy: p, index: map[string]int{}, scores: map[string]int{}}
	for _, r := range p.Requirements {
		c.index[r.ID] = len(c.Items)
		c.Items = append(c.Items, CoverageItem{Kind: idRequirement.String(), ID: r.ID, Threshold: -1})
	}
	for _, r := range p.Rules {
		k := idRule
		if r.Shadow {
			k = idShadowRule
		}
		c.index[r.ID] = len(c.Items)
		c.Items = append(c.Items, CoverageItem{Kind: k.String(), ID: r.ID, Threshold: -1})
	}
	for _, s := range p.Scores {
		k := idScore
		if s.Shadow {
			k = idShadowScore
		}
		c.scores[s.ID] = len(c.Items)
		for i := range s.Thresholds {
			c.Items = append(c.Items, CoverageItem{Kind: k.String(), ID: s.ID, Threshold: i})
		}
	}
	return c
}

// Add counts a decision of the policy, made with engine.WithTrace.
func (c *Coverage) Add(d *engine.Decision) {
	c.Tests++
	for _, t := range d.Trace {
		if t.Result != engine.ResultFired && t.Result != engine.ResultUnmet {
			continue
		}
		if i, ok := c.index[t.ID]; ok {
			c.Items[i].Hits++
		}
	}
	for _, r := range d.Scores {
		first, ok := c.scores[r.ID]
		if !ok || r.Result != engine.ResultFired {
			continue
		}
		for i := first; i < len(c.Items) && c.Items[i].ID == r.ID && c.Items[i].Threshold >= 0; i++ {
			if reached(c.Policy, r.ID, r.Points) == c.Items[i].Threshold {
				c.Items[i].Hits++
				break
			}
		}
	}
}

// reached returns the index of the threshold a score's points reach, or -1.
func reached(p *engine.Policy, id string, points float64) int {
	for i, th := range scoreThresholds(p, id) {
		if points >= th.Min {
			return i
		}
	}
	return -1
}

func scoreThresholds(p *engine.Policy, id string) []engine.Threshold {
	for _, s := range p.Scores {
		if s.ID == id {
			return s.Thresholds
		}
	}
	return nil
}

// Covered returns how many items contributed at least once.
func (c *Coverage) Covered() int {
	n := 0
	for _, it := range c.Items {
		if it.Hits > 0 {
			n++
		}
	}
	return n
}

// Percent is the share of covered items, 0 to 100.
func (c *Coverage) Percent() float64 {
	if len(c.Items) == 0 {
		return 100
	}
	return 100 * float64(c.Covered()) / float64(len(c.Items))
}

// Uncovered returns the items that never contributed.
func (c *Coverage) Uncovered() []CoverageItem {
	var out []CoverageItem
	for _, it := range c.Items {
		if it.Hits == 0 {
			out = append(out, it)
		}
	}
	return out
}
