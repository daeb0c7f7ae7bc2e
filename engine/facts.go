package engine

import (
	"encoding/json"
	"slices"
	"sort"
	"time"
)

// Identity is what one provider said about who the applicant is. It feeds the
// cross-provider consistency facts and is never exposed as a fact itself, so
// personal data does not leak into policies, explanations or logs.
type Identity struct {
	Source string // e.g. "veriff", "trully.curp"
	CURP   string // upper case, as reported
	DOB    string // YYYY-MM-DD
	Name   string // full name as reported
}

// Warning is a problem with one field of a provider payload that did not stop
// normalization: the field's fact is left unknown.
type Warning struct {
	Provider string `json:"provider"`
	// Result, when not 0, is the seq of the stored result whose payload
	// Offset counts in (a service that decides a case from the results it
	// stored sets it); when 0, Offset counts in the input document.
	Result  int64  `json:"result,omitempty"`
	Offset  int    `json:"offset"` // byte offset in the input document, or in result Result's payload; -1 for none
	Message string `json:"message"`
}

// Facts is the typed fact set of one case. Normalizers write it through a
// Sink; a Policy reads it. A Facts can be reused for another case after Reset.
type Facts struct {
	cat  *Catalog
	vals []Value

	// AsOf is the evaluation time: time-relative facts (expiry, age) were
	// computed against it, and the decision records it.
	AsOf time.Time
	// CaseID identifies the case, from the envelope or a provider's own id.
	CaseID string
	// Providers lists the providers that contributed, in order of first use.
	Providers []string
	// EventTime is the latest decision time that a provider reported.
	EventTime  time.Time
	Identities []Identity
	Warnings   []Warning
	// Evidence explains every unreadable or conflicting fact, in the order
	// found; a fact appears once.
	Evidence []EvidenceNote
}

// NewFacts returns an empty fact set over c.
func NewFacts(c *Catalog) *Facts {
	return &Facts{cat: c, vals: make([]Value, c.Len())}
}

// Reset makes every fact unknown again and clears the case metadata, keeping
// the allocated storage.
func (f *Facts) Reset() {
	clear(f.vals)
	f.AsOf, f.CaseID, f.EventTime = time.Time{}, "", time.Time{}
	f.Providers = f.Providers[:0]
	f.Identities = f.Identities[:0]
	f.Warnings = f.Warnings[:0]
	f.Evidence = f.Evidence[:0]
}

// Catalog returns the catalog the facts are laid out by.
func (f *Facts) Catalog() *Catalog { return f.cat }

// Get returns the value in slot i.
func (f *Facts) Get(i int) Value { return f.vals[i] }

// Set stores v in slot i, replacing what was there. It is meant for
// cross-provider facts; providers write through a Sink.
func (f *Facts) Set(i int, v Value) { f.vals[i] = v }

// Mark records that the fact in slot i is unreadable or conflicting, with
// its note; the fact keeps its value. A fact already marked keeps its first
// note, except that conflicting evidence is added to an unreadable one's
// values.
func (f *Facts) Mark(i int, n EvidenceNote) {
	v := &f.vals[i]
	n.Fact = f.cat.specs[i].Name
	if v.E != Clean {
		for j := range f.Evidence {
			if e := &f.Evidence[j]; e.Fact == n.Fact {
				if n.State == Conflicting {
					e.State = Conflicting
					for _, x := range n.Values {
						if !slices.Contains(e.Values, x) {
							e.Values = append(e.Values, x)
						}
					}
				}
				v.E = e.State
				return
			}
		}
	}
	v.E = n.State
	f.Evidence = append(f.Evidence, n)
}

// Lookup returns a fact by name; ok is false when the catalog has no such fact.
func (f *Facts) Lookup(name string) (v Value, ok bool) {
	i, ok := f.cat.Lookup(name)
	if !ok {
		return Value{}, false
	}
	return f.vals[i], true
}

// Sink returns the writer for one provider's facts.
func (f *Facts) Sink(provider string) Sink {
	base, _ := f.cat.Base(provider)
	f.addProvider(provider)
	return Sink{f: f, base: base, provider: provider}
}

func (f *Facts) addProvider(p string) {
	for _, q := range f.Providers {
		if q == p {
			return
		}
	}
	f.Providers = append(f.Providers, p)
}

// Known returns the known facts by name.
func (f *Facts) Known() map[string]Value {
	m := make(map[string]Value)
	for i, v := range f.vals {
		if v.Known() {
			m[f.cat.specs[i].Name] = v
		}
	}
	return m
}

// MarshalJSON renders the case metadata and its known facts, sorted by name.
func (f *Facts) MarshalJSON() ([]byte, error) {
	type out struct {
		CaseID    string           `json:"case_id,omitempty"`
		AsOf      time.Time        `json:"as_of"`
		Providers []string         `json:"providers"`
		Facts     map[string]Value `json:"facts"`
		Warnings  []Warning        `json:"warnings,omitempty"`
		Evidence  []EvidenceNote   `json:"evidence,omitempty"`
	}
	providers := append([]string{}, f.Providers...)
	sort.Strings(providers)
	return json.Marshal(out{f.CaseID, f.AsOf, providers, f.Known(), f.Warnings, f.Evidence})
}

// Sink writes one provider's facts, addressed by the provider's local index
// (the position of the fact in the group it registered).
type Sink struct {
	f        *Facts
	base     int
	provider string
}

// Bool, Number, String and List merge a value into fact i (see Merge).
func (s Sink) Bool(i int, b bool)      { s.Merge(i, BoolValue(b), -1, "") }
func (s Sink) Number(i int, n float64) { s.Merge(i, NumberValue(n), -1, "") }
func (s Sink) String(i int, v string)  { s.Merge(i, StringValue(v), -1, "") }
func (s Sink) List(i int, l []string)  { s.Merge(i, ListValue(l), -1, "") }

// Replace stores v in fact i, replacing any earlier value: for a value the
// provider deliberately supersedes (the latest decision by a trusted time,
// a fact computed once from several fields).
func (s Sink) Replace(i int, v Value) { s.f.vals[s.base+i].Kind = Unknown; s.Merge(i, v, -1, "") }

// Set is Replace.
func (s Sink) Set(i int, v Value) { s.Replace(i, v) }

func (s Sink) Get(i int) Value { return s.f.vals[s.base+i] }
func (s Sink) AsOf() time.Time { return s.f.AsOf }

// Merge writes v into fact i, read from field at offset (-1 when unknown).
// The first value is stored; the same value again (a re-delivery, a
// repeated element) changes nothing; a different value makes the fact
// conflicting, keeps the adverse side of the two (by the fact's polarity)
// and records both in the evidence note. A failed check is never
// overwritten by a later pass.
func (s Sink) Merge(i int, v Value, offset int, field string) {
	slot := s.base + i
	cur := &s.f.vals[slot]
	if v.Kind == Unknown {
		return
	}
	if cur.Kind == Unknown {
		e := cur.E
		*cur = v
		cur.E = e
		return
	}
	if cur.Equal(v) {
		return
	}
	spec := &s.f.cat.specs[slot]
	old := *cur
	w := spec.worse(old, v)
	w.E = old.E
	*cur = w
	s.f.Mark(slot, EvidenceNote{State: Conflicting, Provider: s.provider, Offset: offset, Field: field,
		Message: "sources disagree", Values: []string{old.String(), v.String()}})
}

// Unreadable marks fact i as reported but unreadable: the provider sent
// something at offset (field) that could not be read, and msg says what.
// The fact keeps any readable value another element gave, and a policy
// that reads it decides at least a review.
func (s Sink) Unreadable(i, offset int, field, msg string) {
	w := msg
	if field != "" {
		w = field + ": " + msg
	}
	// One field that feeds several facts warns once.
	if n := len(s.f.Warnings); n == 0 || s.f.Warnings[n-1] != (Warning{Provider: s.provider, Offset: offset, Message: w}) {
		s.Warn(offset, w)
	}
	s.f.Mark(s.base+i, EvidenceNote{State: Unreadable, Provider: s.provider, Offset: offset, Field: field, Message: msg})
}

// Conflict marks fact i as conflicting without a second value: a provider's
// own fields contradict each other (a status and its code, a flag and the
// data behind it).
func (s Sink) Conflict(i, offset int, field, msg string) {
	s.f.Mark(s.base+i, EvidenceNote{State: Conflicting, Provider: s.provider, Offset: offset, Field: field, Message: msg})
}

func (s Sink) Identity(id Identity) { s.f.Identities = append(s.f.Identities, id) }
func (s Sink) Warn(offset int, m string) {
	s.f.Warnings = append(s.f.Warnings, Warning{Provider: s.provider, Offset: offset, Message: m})
}

// CaseID offers an id for the case; the first one offered wins.
func (s Sink) CaseID(id string) {
	if s.f.CaseID == "" {
		s.f.CaseID = id
	}
}

// EventTime records a provider's own decision time; the latest one is kept.
func (s Sink) EventTime(t time.Time) {
	if t.After(s.f.EventTime) {
		s.f.EventTime = t
	}
}
