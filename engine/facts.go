package engine

import (
	"encoding/json"
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
	Offset   int    `json:"offset"` // byte offset in the input document
	Message  string `json:"message"`
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
}

// Catalog returns the catalog the facts are laid out by.
func (f *Facts) Catalog() *Catalog { return f.cat }

// Get returns the value in slot i.
func (f *Facts) Get(i int) Value { return f.vals[i] }

// Set stores v in slot i. It is meant for cross-provider facts; providers
// write through a Sink.
func (f *Facts) Set(i int, v Value) { f.vals[i] = v }

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
	}
	providers := append([]string{}, f.Providers...)
	sort.Strings(providers)
	return json.Marshal(out{f.CaseID, f.AsOf, providers, f.Known(), f.Warnings})
}

// Sink writes one provider's facts, addressed by the provider's local index
// (the position of the fact in the group it registered).
type Sink struct {
	f        *Facts
	base     int
	provider string
}

func (s Sink) Bool(i int, b bool)      { s.f.vals[s.base+i] = BoolValue(b) }
func (s Sink) Number(i int, n float64) { s.f.vals[s.base+i] = NumberValue(n) }
func (s Sink) String(i int, v string)  { s.f.vals[s.base+i] = StringValue(v) }
func (s Sink) List(i int, l []string)  { s.f.vals[s.base+i] = ListValue(l) }
func (s Sink) Set(i int, v Value)      { s.f.vals[s.base+i] = v }
func (s Sink) Get(i int) Value         { return s.f.vals[s.base+i] }
func (s Sink) AsOf() time.Time         { return s.f.AsOf }
func (s Sink) Identity(id Identity)    { s.f.Identities = append(s.f.Identities, id) }
func (s Sink) Warn(offset int, m string) {
	s.f.Warnings = append(s.f.Warnings, Warning{s.provider, offset, m})
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
