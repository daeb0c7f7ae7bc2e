package batch

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/veredicto/veredicto/engine"
)

// ruleTable indexes a policy's requirements, rules and scores by id, so
// that workers count what fired in plain slices.
type ruleTable struct {
	stats []RuleStat // the static part: id, kind, outcome, shadow
	index map[string]int
}

func newRuleTable(p *engine.Policy) *ruleTable {
	t := &ruleTable{index: map[string]int{}}
	add := func(s RuleStat) {
		t.index[s.ID] = len(t.stats)
		t.stats = append(t.stats, s)
	}
	for _, r := range p.Requirements {
		add(RuleStat{ID: r.ID, Kind: "requirement", Outcome: r.Outcome.String()})
	}
	for _, r := range p.Rules {
		add(RuleStat{ID: r.ID, Kind: "rule", Outcome: r.Outcome.String(), Shadow: r.Shadow})
	}
	for _, s := range p.Scores {
		add(RuleStat{ID: s.ID, Kind: "score", Shadow: s.Shadow})
	}
	return t
}

// counts are one worker's tallies; they are added up at the end of a run.
type counts struct {
	cases    int64
	outcomes [engine.Reject + 1]int64
	errors   [len(errorKinds)]int64
	sources  [nSources]int64
	fired    []int64 // by ruleTable index
	undec    []int64 // indeterminate, by ruleTable index
	review   []int64 // indeterminate and sent to review, by ruleTable index
}

func newCounts(t *ruleTable) *counts {
	return &counts{fired: make([]int64, len(t.stats)), undec: make([]int64, len(t.stats)), review: make([]int64, len(t.stats))}
}

// decision tallies a decision's outcome and contributions.
func (c *counts) decision(t *ruleTable, d *engine.Decision) {
	c.outcomes[d.Outcome]++
	c.reasons(t, d.Reasons, true)
	c.reasons(t, d.Shadow, false)
	for i := range d.Skipped {
		if j, ok := t.index[d.Skipped[i].Rule]; ok {
			c.undec[j]++
		}
	}
}

// reasons tallies contributions; decide says whether they are the
// decision's (not shadow results).
func (c *counts) reasons(t *ruleTable, rs []engine.Reason, decide bool) {
	for i := range rs {
		j, ok := t.index[rs[i].Rule]
		if !ok {
			continue
		}
		if rs[i].Kind == engine.KindIndeterminate {
			c.undec[j]++
			if decide {
				c.review[j]++
			}
		} else {
			c.fired[j]++
		}
	}
}

func (c *counts) add(o *counts) {
	c.cases += o.cases
	for i := range c.outcomes {
		c.outcomes[i] += o.outcomes[i]
	}
	for i := range c.errors {
		c.errors[i] += o.errors[i]
	}
	for i := range c.sources {
		c.sources[i] += o.sources[i]
	}
	for i := range c.fired {
		c.fired[i] += o.fired[i]
		c.undec[i] += o.undec[i]
		c.review[i] += o.review[i]
	}
}

// RuleStat is how often one requirement, rule or score contributed.
type RuleStat struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`              // requirement, rule or score
	Outcome string `json:"outcome,omitempty"` // what it contributes (a score's depends on its threshold)
	Shadow  bool   `json:"shadow,omitempty"`
	// Fired counts the cases it contributed to: a rule or score that fired
	// (a shadow one included), a requirement that was unmet.
	Fired int64 `json:"fired"`
	// Indeterminate counts the cases it could not decide for unknown facts,
	// whether that sent the case to review, was let pass (unknown: ignore)
	// or was only reported (shadow).
	Indeterminate int64 `json:"indeterminate"`
	// IndeterminateReview counts, of those, the cases it sent to review.
	IndeterminateReview int64 `json:"indeterminate_review"`
}

// Summary describes a rescore run.
type Summary struct {
	Policy   engine.PolicyRef `json:"policy"`
	AsOf     string           `json:"as_of"`
	Workers  int              `json:"workers"`
	Cases    int64            `json:"cases"`
	Decided  int64            `json:"decided"`
	Outcomes map[string]int64 `json:"outcomes"`
	// Errors counts the error records by kind (empty, too_long, malformed,
	// invalid, read, internal).
	Errors map[string]int64 `json:"errors"`
	// AsOfSources counts where the decided cases' evaluation time came
	// from: event, envelope, now or given.
	AsOfSources    map[string]int64 `json:"as_of_sources"`
	Rules          []RuleStat       `json:"rules"`
	Elapsed        float64          `json:"elapsed_seconds"`
	CasesPerSecond float64          `json:"cases_per_second"`
	// UnreadableInputs counts inputs that could not be read to the end.
	UnreadableInputs int `json:"unreadable_inputs,omitempty"`
	// Unreadable names them, with their read errors.
	Unreadable []Failure `json:"unreadable,omitempty"`
}

// failures lists the inputs of src that could not be read to the end.
func failures(src Source) []Failure {
	if f, ok := src.(interface{ Failures() []Failure }); ok {
		return f.Failures()
	}
	return nil
}

// writeFailures lists unreadable inputs, one per line.
func writeFailures(b *strings.Builder, fs []Failure) {
	for _, f := range fs {
		fmt.Fprintf(b, "  %s (read error record at its line %d): %s\n", f.Input, f.Line, f.Error)
	}
}

func summarize(t *ruleTable, c *counts, elapsed time.Duration) (s Summary) {
	s.Cases = c.cases
	s.Outcomes = map[string]int64{}
	for o := engine.Approve; o <= engine.Reject; o++ {
		s.Outcomes[o.String()] = c.outcomes[o]
		s.Decided += c.outcomes[o]
	}
	s.Errors = map[string]int64{}
	for i, k := range errorKinds {
		if c.errors[i] > 0 {
			s.Errors[k] = c.errors[i]
		}
	}
	s.AsOfSources = map[string]int64{}
	for i, n := range sourceNames {
		if c.sources[i] > 0 {
			s.AsOfSources[n] = c.sources[i]
		}
	}
	s.Rules = make([]RuleStat, len(t.stats))
	for i, r := range t.stats {
		r.Fired, r.Indeterminate, r.IndeterminateReview = c.fired[i], c.undec[i], c.review[i]
		s.Rules[i] = r
	}
	s.Elapsed = elapsed.Seconds()
	if elapsed > 0 {
		s.CasesPerSecond = float64(c.cases) / elapsed.Seconds()
	}
	return s
}

// ErrorCount is the number of error records.
func (s *Summary) ErrorCount() int64 {
	var n int64
	for _, v := range s.Errors {
		n += v
	}
	return n
}

// WriteText writes the summary for people.
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "rescored %s cases in %s (%s cases/s, %d workers) with %s %s, as of %s\n",
		group(s.Cases), s.elapsed(), group(int64(s.CasesPerSecond)), s.Workers, s.Policy.Name, s.Policy.Version, s.AsOf)
	b.WriteString("outcomes:")
	for _, o := range []string{"approve", "review", "reject"} {
		fmt.Fprintf(&b, "  %s %s (%s)", o, group(s.Outcomes[o]), pct(s.Outcomes[o], s.Cases))
	}
	fmt.Fprintf(&b, "  error %s (%s)\n", group(s.ErrorCount()), pct(s.ErrorCount(), s.Cases))
	if len(s.Errors) > 0 {
		b.WriteString("errors:")
		for _, k := range errorKinds {
			if n := s.Errors[k]; n > 0 {
				fmt.Fprintf(&b, "  %s %s", k, group(n))
			}
		}
		b.WriteByte('\n')
	}
	if len(s.AsOfSources) > 0 {
		b.WriteString("evaluated as of:")
		for _, k := range sourceNames {
			if n := s.AsOfSources[k]; n > 0 {
				fmt.Fprintf(&b, "  %s %s", sourceLabel(k), group(n))
			}
		}
		b.WriteByte('\n')
	}
	if s.UnreadableInputs > 0 {
		fmt.Fprintf(&b, "%d input(s) could not be read to the end:\n", s.UnreadableInputs)
		writeFailures(&b, s.Unreadable)
	}
	b.WriteString("rules (fired: contributed to the decision; requirements: unmet):\n")
	rows := [][]string{{"id", "kind", "outcome", "fired", "undecided"}}
	for _, r := range s.Rules {
		rows = append(rows, []string{r.ID, ruleKind(r), r.Outcome, group(r.Fired), group(r.Indeterminate)})
	}
	writeTable(&b, rows, 3, 4)
	_, err := io.WriteString(w, b.String())
	return err
}

func ruleKind(r RuleStat) string {
	if r.Shadow {
		return r.Kind + " (shadow)"
	}
	return r.Kind
}

func sourceLabel(k string) string {
	switch k {
	case "event":
		return "provider decision time"
	case "envelope":
		return "envelope as_of"
	case "now":
		return "run start"
	}
	return "--as-of"
}

func (s *Summary) elapsed() string {
	return time.Duration(s.Elapsed * float64(time.Second)).Round(time.Millisecond).String()
}

// group formats n with thousands separators.
func group(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func pct(n, of int64) string {
	if of == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

// writeTable writes rows as columns separated by two spaces, indented by
// two; the columns marked in right are right-aligned (numbers).
func writeTable(b *strings.Builder, rows [][]string, right ...int) {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		line := ""
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if slices.Contains(right, i) {
				line += "  " + pad + c
			} else {
				line += "  " + c + pad
			}
		}
		// An empty last cell leaves no trailing blanks.
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}
