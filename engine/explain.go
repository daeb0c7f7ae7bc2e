package engine

import (
	"fmt"
	"io"
	"strings"
)

// Explain writes the decision for people: the outcome, then each reason with
// the facts it used, shadow results, scores and the evidence that was missing.
func (d *Decision) Explain(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", strings.ToUpper(d.Outcome.String()))
	if d.CaseID != "" {
		fmt.Fprintf(&b, "  case %s", d.CaseID)
	}
	fmt.Fprintf(&b, "\npolicy %s %s (sha256 %.12s), evaluated at %s\n", d.Policy.Name, d.Policy.Version, d.Policy.Hash, d.EvaluatedAt.Format("2006-01-02T15:04:05Z07:00"))
	fmt.Fprintf(&b, "providers: %s\n", strings.Join(d.Providers, ", "))
	if d.DefaultApplied {
		fmt.Fprintf(&b, "\nNo rule decided the case: the policy's default outcome (%s) applies.\n", d.Outcome)
	}
	if len(d.Reasons) > 0 {
		b.WriteString("\nWhy:\n")
		for _, r := range d.Reasons {
			explainReason(&b, r)
		}
	}
	if len(d.Shadow) > 0 {
		b.WriteString("\nShadow rules (reported, not deciding):\n")
		for _, r := range d.Shadow {
			explainReason(&b, r)
		}
	}
	if len(d.Scores) > 0 {
		b.WriteString("\nScores:\n")
		for _, s := range d.Scores {
			fmt.Fprintf(&b, "  %-24s %s points", s.ID, NumberValue(s.Points))
			if s.UnknownPoints > 0 {
				fmt.Fprintf(&b, " (+%s unknown)", NumberValue(s.UnknownPoints))
			}
			if s.Outcome != None {
				fmt.Fprintf(&b, " → %s", s.Outcome)
			}
			b.WriteByte('\n')
		}
	}
	if len(d.Missing) > 0 {
		b.WriteString("\nEvidence the rules needed but did not have:\n")
		for _, m := range d.Missing {
			fmt.Fprintf(&b, "  - %s\n", m)
		}
	}
	if len(d.Skipped) > 0 {
		b.WriteString("\nNot checked (facts unknown; the policy lets these pass):\n")
		for _, r := range d.Skipped {
			fmt.Fprintf(&b, "  - %s: %s unknown\n", r.Rule, strings.Join(r.Missing, ", "))
		}
	}
	if len(d.Warnings) > 0 {
		b.WriteString("\nFields that could not be read (left unknown):\n")
		for _, w := range d.Warnings {
			fmt.Fprintf(&b, "  - %s, byte %d: %s\n", w.Provider, w.Offset, w.Message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func explainReason(b *strings.Builder, r Reason) {
	fmt.Fprintf(b, "  [%s] %s (%s): %s\n", r.Outcome, r.Rule, r.Kind, r.Message)
	for _, f := range r.Facts {
		fmt.Fprintf(b, "      %s = %s\n", f.Name, f.Value)
	}
}
