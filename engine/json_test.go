package engine

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

// sampleDecisions use every field of a decision, with the values JSON
// encoders write differently: escapes, number formats, nil and empty.
func sampleDecisions() []Decision {
	tricky := "a\"b\\c\n\r\t\b\f\x01\x1f<&>\u2028\u2029é\xff\x80\xc3 end"
	vals := []Value{{}, BoolValue(true), BoolValue(false), NumberValue(0), NumberValue(-3.25), NumberValue(1e21),
		NumberValue(1e-7), NumberValue(123456789.125), StringValue(tricky), ListValue(nil), ListValue([]string{}), ListValue([]string{"x", tricky})}
	var facts []FactValue
	for _, v := range vals {
		facts = append(facts, FactValue{Name: "f.v", Value: v})
	}
	full := Decision{
		CaseID: tricky, Outcome: Reject, Policy: PolicyRef{Name: "p", Version: "1<2", Hash: "ab"},
		EvaluatedAt: time.Date(2025, 6, 17, 12, 0, 0, 123456789, time.FixedZone("x", -6*3600)), DefaultApplied: true,
		Reasons: []Reason{{Rule: "r", Kind: KindRule, Outcome: Review, Message: tricky, Facts: facts, Missing: []string{"m"}},
			{Rule: "r2", Kind: KindScore, Outcome: Outcome(9), Facts: []FactValue{}, Missing: []string{}}},
		Shadow:    []Reason{{Rule: "s"}},
		Missing:   []string{"a", ""},
		Skipped:   []Skip{{Rule: "k", Outcome: Approve}, {Rule: "k2", Missing: []string{}}, {Missing: []string{"z"}}},
		Scores:    []ScoreResult{{ID: "s", Points: 2.5, UnknownPoints: 1e-9, Result: "fired", Outcome: Reject}, {ID: "t"}},
		Providers: []string{},
		Warnings:  []Warning{{Provider: "veriff", Offset: -1, Message: tricky}, {Provider: "jaak", Result: 1 << 40, Offset: 7}},
		Evidence: []EvidenceNote{{Fact: "f.v", State: Conflicting, Provider: "veriff", Offset: 1 << 40, Field: tricky, Message: tricky, Values: []string{tricky, ""}},
			{Fact: "f.w", State: Unreadable, Provider: "p", Offset: -1, Values: []string{}}, {State: Evidence(9)},
			{Fact: "f.x", State: Unreadable, Provider: "p", Result: 3, Offset: 0}},
		Trace: []TraceEntry{{ID: "t", Result: ResultFired}, {ID: tricky, Result: ResultIndeterminate}},
	}
	return []Decision{full, {}, {Reasons: []Reason{}, Providers: []string{"veriff"}, EvaluatedAt: time.Unix(0, 0).UTC()}}
}

// TestAppendJSONMatchesEncodingJSON: the hand-written encoder writes what
// encoding/json writes for the same decision (through a type without the
// MarshalJSON method).
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	type plain Decision
	for i, d := range sampleDecisions() {
		want, err := json.Marshal(plain(d))
		if err != nil {
			t.Fatal(err)
		}
		if got := d.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("decision %d:\n got %s\nwant %s", i, got, want)
		}
		via, _ := json.Marshal(d)
		if string(via) != string(want) {
			t.Errorf("decision %d: json.Marshal does not use AppendJSON", i)
		}
	}
}

func TestValueJSONMatchesEncodingJSON(t *testing.T) {
	for _, v := range []Value{{}, BoolValue(true), NumberValue(1e21), NumberValue(-0.000001), StringValue("<é\x00>"), ListValue(nil), ListValue([]string{"a"})} {
		want, _ := json.Marshal(v.Interface())
		got, _ := v.MarshalJSON()
		if string(got) != string(want) {
			t.Errorf("%v: got %s, want %s", v, got, want)
		}
	}
	if got, _ := NumberValue(math.NaN()).MarshalJSON(); string(got) != "null" {
		t.Errorf("NaN encodes as %s", got)
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	d := sampleDecisions()[0]
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = d.AppendJSON(buf[:0])
	}
}
