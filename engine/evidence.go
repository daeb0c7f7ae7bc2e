package engine

import (
	"slices"
	"strconv"
)

// Evidence is the state of a fact beside its value. The zero Evidence is a
// plain reading: a value when the Value is known, "not reported" when it is
// not. The other states mark evidence that a policy must never treat as
// absent: a decision that reads such a fact is at least a review.
type Evidence uint8

// The evidence states.
const (
	// Clean is a value read as documented, or nothing reported at all.
	Clean Evidence = iota
	// Unreadable: the provider sent something for the fact that could not
	// be read (wrong type, unknown enum value, unparsable date, a number out
	// of range). The Value stays unknown unless another element of the
	// same provider gave a readable one.
	Unreadable
	// Conflicting: sources of one provider, or elements of one payload,
	// disagree. The Value holds the adverse side when the fact has a
	// polarity (a failed check is never overwritten by a later pass), else
	// the first value received.
	Conflicting
)

var evidenceNames = [...]string{"clean", "unreadable", "conflicting"}

func (e Evidence) String() string {
	if int(e) < len(evidenceNames) {
		return evidenceNames[e]
	}
	return "evidence(" + strconv.Itoa(int(e)) + ")"
}

// MarshalText renders the state by name.
func (e Evidence) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Polarity says which values of a fact are adverse: evidence against the
// applicant. It is declared by the provider next to the fact, and read by
// the policy analysis (rules/check) and by the adverse-wins merge of
// conflicting values.
type Polarity uint8

// The polarities. The zero Polarity is informational: no value is adverse.
const (
	Informational   Polarity = iota
	AdverseFalse             // a bool whose false is adverse (a check that did not pass)
	AdverseTrue              // a bool whose true is adverse (deceased, a fraud flag, a match on a list)
	AdverseValues            // a string whose values listed in FactSpec.Adverse are adverse
	HigherWorse              // a number that is worse when higher (a risk score)
	LowerWorse               // a number that is worse when lower (a similarity, a confidence)
	AdverseNonEmpty          // a list whose every element is adverse (failed checks, risk labels)
)

var polarityNames = [...]string{"informational", "adverse-false", "adverse-true", "adverse-values", "higher-worse", "lower-worse", "adverse-non-empty"}

func (p Polarity) String() string {
	if int(p) < len(polarityNames) {
		return polarityNames[p]
	}
	return "polarity(" + strconv.Itoa(int(p)) + ")"
}

// MarshalText renders the polarity by name.
func (p Polarity) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Describe renders the adverse values of a spec for people, "" when
// informational.
func (s FactSpec) DescribePolarity() string {
	switch s.Polarity {
	case AdverseFalse:
		return "adverse: false"
	case AdverseTrue:
		return "adverse: true"
	case AdverseValues:
		out := "adverse: "
		for i, v := range s.Adverse {
			if i > 0 {
				out += ", "
			}
			out += v
		}
		return out
	case HigherWorse:
		if s.Limit != nil {
			return "adverse: ≥ " + NumberValue(*s.Limit).String()
		}
		return "worse when higher"
	case LowerWorse:
		if s.Limit != nil {
			return "adverse: ≤ " + NumberValue(*s.Limit).String()
		}
		return "worse when lower"
	case AdverseNonEmpty:
		return "adverse: non-empty"
	}
	return "informational"
}

// IsAdverse reports whether v is an adverse value of the fact. A number
// with a direction but no Limit is never adverse by itself: only its
// direction is known.
func (s FactSpec) IsAdverse(v Value) bool {
	if v.Kind == Unknown {
		return false
	}
	switch s.Polarity {
	case AdverseFalse:
		return v.Kind == Bool && !v.B
	case AdverseTrue:
		return v.Kind == Bool && v.B
	case AdverseValues:
		return v.Kind == String && slices.Contains(s.Adverse, v.S)
	case HigherWorse:
		return v.Kind == Number && s.Limit != nil && v.N >= *s.Limit
	case LowerWorse:
		return v.Kind == Number && s.Limit != nil && v.N <= *s.Limit
	case AdverseNonEmpty:
		return v.Kind == List && len(v.L) > 0
	}
	return false
}

// worse returns the more adverse of two known values of the fact, a when
// neither is (so that the first value received is kept).
func (s FactSpec) worse(a, b Value) Value {
	switch s.Polarity {
	case HigherWorse:
		if a.Kind == Number && b.Kind == Number && b.N > a.N {
			return b
		}
		return a
	case LowerWorse:
		if a.Kind == Number && b.Kind == Number && b.N < a.N {
			return b
		}
		return a
	case AdverseNonEmpty:
		if a.Kind == List && b.Kind == List {
			// Every adverse element of either side is kept.
			out := slices.Clone(a.L)
			for _, e := range b.L {
				if !slices.Contains(out, e) {
					out = append(out, e)
				}
			}
			return ListValue(out)
		}
	}
	if !s.IsAdverse(a) && s.IsAdverse(b) {
		return b
	}
	return a
}

// EvidenceNote explains one unreadable or conflicting fact: which field,
// where in the input, and which values disagreed. It never holds personal
// data beyond the fact's own values, which are not identities.
type EvidenceNote struct {
	Fact     string   `json:"fact"`
	State    Evidence `json:"state"`
	Provider string   `json:"provider"`
	Result   int64    `json:"result,omitempty"` // as in Warning: the stored result Offset counts in, 0 for the input document
	Offset   int      `json:"offset"`           // byte offset in the input document (or in result Result's payload), -1 when unknown
	Field    string   `json:"field,omitempty"`  // the provider's field, e.g. document.validUntil
	Message  string   `json:"message"`
	Values   []string `json:"values,omitempty"` // the values that disagreed
}
