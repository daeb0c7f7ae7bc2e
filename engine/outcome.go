package engine

import "fmt"

// Outcome is a decision: approve, review or reject. Outcomes are ordered by
// severity, and the most severe one contributed by a case's rules wins.
type Outcome uint8

// The outcomes, least severe first. The zero Outcome is "none".
const (
	None Outcome = iota
	Approve
	Review
	Reject
)

var outcomeNames = [...]string{"none", "approve", "review", "reject"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// ParseOutcome reads "approve", "review" or "reject".
func ParseOutcome(s string) (Outcome, error) {
	for i, n := range outcomeNames[1:] {
		if s == n {
			return Outcome(i + 1), nil
		}
	}
	return None, fmt.Errorf("unknown outcome %q (want approve, review or reject)", s)
}

// MarshalText renders the outcome by name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads an outcome by name.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	*o = v
	return err
}
