package engine

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func evidenceFacts(t *testing.T) (*Facts, Sink) {
	f := NewFacts(testCatalog(t))
	return f, f.Sink("p")
}

// TestMergeKeepsTheAdverseSide: two different values of one fact keep the
// adverse one whatever the order, and mark the fact conflicting.
func TestMergeKeepsTheAdverseSide(t *testing.T) {
	tests := []struct {
		name       string
		slot       int
		a, b, want Value
	}{
		{"adverse false", slotOK, BoolValue(true), BoolValue(false), BoolValue(false)},
		{"adverse true", slotFlag, BoolValue(false), BoolValue(true), BoolValue(true)},
		{"adverse value", slotStatus, StringValue("approved"), StringValue("declined"), StringValue("declined")},
		{"two values neither adverse", slotStatus, StringValue("approved"), StringValue("pending"), StringValue("approved")},
		{"higher worse", slotRisk, NumberValue(3), NumberValue(5), NumberValue(5)},
		{"higher worse past the limit", slotRisk, NumberValue(69), NumberValue(71), NumberValue(71)},
		{"lower worse", slotMatch, NumberValue(0.9), NumberValue(0.2), NumberValue(0.2)},
		{"lower worse above the limit", slotMatch, NumberValue(0.9), NumberValue(0.8), NumberValue(0.8)},
		{"informational keeps the first", slotDoc, StringValue("ine"), StringValue("passport"), StringValue("ine")},
		{"a list against none", slotLabels, ListValue([]string{}), ListValue([]string{"pep"}), ListValue([]string{"pep"})},
	}
	for _, tt := range tests {
		for _, order := range [][2]Value{{tt.a, tt.b}, {tt.b, tt.a}} {
			want := tt.want
			if tt.slot == slotDoc || tt.name == "two values neither adverse" {
				want = order[0] // no adverse side: the first value stays
			}
			f, s := evidenceFacts(t)
			s.Merge(tt.slot, order[0], 10, "first")
			s.Merge(tt.slot, order[1], 20, "second")
			got := f.Get(tt.slot)
			if !got.Equal(want) || got.E != Conflicting {
				t.Errorf("%s: merge %v then %v = %v (%s), want %v conflicting", tt.name, order[0], order[1], got, got.E, want)
			}
			if len(f.Evidence) != 1 {
				t.Fatalf("%s: evidence = %+v", tt.name, f.Evidence)
			}
			n := f.Evidence[0]
			wantNote := EvidenceNote{Fact: testNames[tt.slot], State: Conflicting, Provider: "p", Offset: 20, Field: "second",
				Message: "sources disagree", Values: []string{order[0].String(), order[1].String()}}
			if !noteEqual(n, wantNote) {
				t.Errorf("%s: note = %+v, want %+v", tt.name, n, wantNote)
			}
			if len(f.Warnings) != 0 {
				t.Errorf("%s: a conflict is not a warning: %+v", tt.name, f.Warnings)
			}
		}
	}
}

func noteEqual(a, b EvidenceNote) bool {
	return a.Fact == b.Fact && a.State == b.State && a.Provider == b.Provider && a.Offset == b.Offset &&
		a.Field == b.Field && a.Message == b.Message && slices.Equal(a.Values, b.Values)
}

func TestMergeUnionsAdverseLists(t *testing.T) {
	f, s := evidenceFacts(t)
	first := []string{"pep", "sanctions"}
	s.List(slotLabels, first)
	s.List(slotLabels, []string{"sanctions", "media"})
	got := f.Get(slotLabels)
	if !slices.Equal(got.L, []string{"pep", "sanctions", "media"}) || got.E != Conflicting {
		t.Errorf("union = %v (%s)", got.L, got.E)
	}
	if !slices.Equal(first, []string{"pep", "sanctions"}) {
		t.Errorf("the merge changed the caller's list: %v", first)
	}
	if n := f.Evidence[0]; n.Offset != -1 || n.Field != "" || !slices.Equal(n.Values, []string{"[pep, sanctions]", "[sanctions, media]"}) {
		t.Errorf("note = %+v", n)
	}
}

// The same value again (a re-delivery) is no conflict, for every kind.
func TestMergeSameValue(t *testing.T) {
	for _, v := range []struct {
		slot int
		v    Value
	}{{slotOK, BoolValue(true)}, {slotOK, BoolValue(false)}, {slotRisk, NumberValue(70)}, {slotStatus, StringValue("declined")},
		{slotLabels, ListValue([]string{"a", "b"})}, {slotLabels, ListValue(nil)}} {
		f, s := evidenceFacts(t)
		s.Merge(v.slot, v.v, 1, "x")
		s.Merge(v.slot, v.v, 2, "y")
		if got := f.Get(v.slot); !got.Equal(v.v) || got.E != Clean || len(f.Evidence) != 0 {
			t.Errorf("%v twice = %v (%s), evidence %+v", v.v, got, got.E, f.Evidence)
		}
	}
	// Values of different kinds are different values.
	f, s := evidenceFacts(t)
	s.Merge(slotDoc, StringValue("true"), 1, "x")
	s.Merge(slotDoc, BoolValue(true), 2, "y")
	if got := f.Get(slotDoc); got.Kind != String || got.E != Conflicting {
		t.Errorf("string then bool = %v (%s)", got, got.E)
	}
}

func TestMergeUnknownChangesNothing(t *testing.T) {
	f, s := evidenceFacts(t)
	s.Merge(slotOK, Value{}, 1, "x")
	if f.Get(slotOK).Reported() || len(f.Evidence) != 0 {
		t.Errorf("an unknown value was recorded: %+v", f.Get(slotOK))
	}
	s.Bool(slotOK, false)
	s.Merge(slotOK, Value{}, 1, "x")
	if got := f.Get(slotOK); !got.False() || got.E != Clean {
		t.Errorf("an unknown value overwrote false: %+v", got)
	}
}

// A third value joins the one note of the fact.
func TestMergeThreeValues(t *testing.T) {
	f, s := evidenceFacts(t)
	s.Number(slotRisk, 10)
	s.Number(slotRisk, 80)
	s.Number(slotRisk, 40)
	if got := f.Get(slotRisk); got.N != 80 || got.E != Conflicting {
		t.Errorf("risk = %v (%s)", got, got.E)
	}
	if len(f.Evidence) != 1 || !slices.Equal(f.Evidence[0].Values, []string{"10", "80", "40"}) {
		t.Errorf("evidence = %+v", f.Evidence)
	}
}

func TestSinkSetters(t *testing.T) {
	f, s := evidenceFacts(t)
	s.Bool(slotOK, true)
	s.Number(slotRisk, 7)
	s.String(slotDoc, "ine")
	s.List(slotLabels, []string{"a"})
	if !f.Get(slotOK).True() || f.Get(slotRisk).N != 7 || f.Get(slotDoc).S != "ine" || !slices.Equal(f.Get(slotLabels).L, []string{"a"}) {
		t.Errorf("facts = %v", f.Known())
	}
	if s.Get(slotRisk).N != 7 {
		t.Error("Sink.Get")
	}
	q := f.Sink("q")
	q.Bool(0, true)
	if v, ok := f.Lookup("q.seen"); !ok || !v.True() || f.Get(7).Kind != Bool {
		t.Errorf("a second provider's sink writes slot %v", f.Known())
	}
	if _, ok := f.Lookup("q.none"); ok {
		t.Error("Lookup of an unknown fact")
	}
	if !slices.Equal(f.Providers, []string{"p", "q"}) {
		t.Errorf("providers = %q", f.Providers)
	}
	f.Sink("p")
	if len(f.Providers) != 2 {
		t.Errorf("a provider is listed twice: %q", f.Providers)
	}
}

func TestReplace(t *testing.T) {
	f, s := evidenceFacts(t)
	s.Bool(slotOK, false)
	s.Replace(slotOK, BoolValue(true))
	if got := f.Get(slotOK); !got.True() || got.E != Clean || len(f.Evidence) != 0 {
		t.Errorf("Replace = %v (%s), evidence %+v", got, got.E, f.Evidence)
	}
	s.Set(slotOK, BoolValue(false))
	if got := f.Get(slotOK); !got.False() || got.E != Clean {
		t.Errorf("Set = %v (%s)", got, got.E)
	}
	// Replacing keeps an unreadable mark: the other element still sent
	// something that could not be read.
	s.Unreadable(slotOK, 3, "ok", "not a bool")
	s.Replace(slotOK, BoolValue(true))
	if got := f.Get(slotOK); !got.True() || got.E != Unreadable {
		t.Errorf("Replace after Unreadable = %v (%s)", got, got.E)
	}
}

func TestUnreadable(t *testing.T) {
	// Nothing readable: the fact stays unknown but reported.
	f, s := evidenceFacts(t)
	s.Unreadable(slotRisk, 42, "risk.score", "not a number")
	got := f.Get(slotRisk)
	if got.Known() || !got.Reported() || !got.Suspect() || got.E != Unreadable || got.String() != "unreadable" {
		t.Errorf("unreadable = %+v (%s)", got, got)
	}
	if want := (Warning{Provider: "p", Offset: 42, Message: "risk.score: not a number"}); len(f.Warnings) != 1 || f.Warnings[0] != want {
		t.Errorf("warnings = %+v, want %+v", f.Warnings, want)
	}
	want := EvidenceNote{Fact: "p.risk", State: Unreadable, Provider: "p", Offset: 42, Field: "risk.score", Message: "not a number"}
	if len(f.Evidence) != 1 || !noteEqual(f.Evidence[0], want) {
		t.Errorf("evidence = %+v, want %+v", f.Evidence, want)
	}
	// A readable value from another element is kept, and so is the state.
	s.Number(slotRisk, 20)
	if got := f.Get(slotRisk); got.N != 20 || got.E != Unreadable || len(f.Evidence) != 1 {
		t.Errorf("a value after Unreadable = %+v, evidence %+v", got, f.Evidence)
	}
	s.Number(slotRisk, 20)
	if got := f.Get(slotRisk); got.E != Unreadable || len(f.Evidence) != 1 {
		t.Errorf("the same value again = %+v, evidence %+v", got, f.Evidence)
	}

	// A value first, then an unreadable element: the value stays.
	f, s = evidenceFacts(t)
	s.Bool(slotOK, false)
	s.Unreadable(slotOK, -1, "", "unknown code")
	if got := f.Get(slotOK); !got.False() || got.E != Unreadable || got.String() != "false" {
		t.Errorf("Unreadable after a value = %+v", got)
	}
	if f.Warnings[0].Message != "unknown code" || f.Warnings[0].Offset != -1 {
		t.Errorf("warning without a field = %+v", f.Warnings[0])
	}
	// Two unreadable elements: one note, two warnings.
	s.Unreadable(slotOK, 9, "b", "again")
	if len(f.Evidence) != 1 || f.Evidence[0].Message != "unknown code" || len(f.Warnings) != 2 {
		t.Errorf("evidence %+v, warnings %+v", f.Evidence, f.Warnings)
	}
}

func TestMarkUpgradesUnreadable(t *testing.T) {
	f, s := evidenceFacts(t)
	s.Unreadable(slotOK, 5, "a", "not a bool")
	s.Merge(slotOK, BoolValue(true), 6, "b")
	s.Merge(slotOK, BoolValue(false), 7, "c")
	got := f.Get(slotOK)
	if !got.False() || got.E != Conflicting {
		t.Errorf("value = %+v", got)
	}
	if len(f.Evidence) != 1 {
		t.Fatalf("evidence = %+v", f.Evidence)
	}
	n := f.Evidence[0]
	if n.State != Conflicting || n.Offset != 5 || n.Field != "a" || n.Message != "not a bool" || !slices.Equal(n.Values, []string{"true", "false"}) {
		t.Errorf("note = %+v", n)
	}
	// A later unreadable element does not downgrade the conflict.
	s.Unreadable(slotOK, 8, "d", "bad")
	if got := f.Get(slotOK); got.E != Conflicting || f.Evidence[0].State != Conflicting || len(f.Evidence) != 1 {
		t.Errorf("after Unreadable: %+v, %+v", got, f.Evidence)
	}
}

func TestConflict(t *testing.T) {
	f, s := evidenceFacts(t)
	s.String(slotStatus, "approved")
	s.Conflict(slotStatus, 11, "status", "status and code disagree")
	got := f.Get(slotStatus)
	if got.S != "approved" || got.E != Conflicting {
		t.Errorf("Conflict = %+v", got)
	}
	want := EvidenceNote{Fact: "p.status", State: Conflicting, Provider: "p", Offset: 11, Field: "status", Message: "status and code disagree"}
	if len(f.Evidence) != 1 || !noteEqual(f.Evidence[0], want) || len(f.Warnings) != 0 {
		t.Errorf("evidence = %+v, warnings %+v", f.Evidence, f.Warnings)
	}
	// An unreadable fact that its own payload contradicts is conflicting.
	s.Unreadable(slotDoc, 1, "doc", "bad")
	s.Conflict(slotDoc, 2, "doc2", "contradiction")
	if got := f.Get(slotDoc); got.E != Conflicting || len(f.Evidence) != 2 || f.Evidence[1].State != Conflicting {
		t.Errorf("unreadable then conflict: %+v, %+v", got, f.Evidence)
	}
	// Notes of different facts are kept apart.
	s.Conflict(slotFlag, 3, "", "x")
	if len(f.Evidence) != 3 || f.Evidence[0].Values != nil || f.Evidence[2].Fact != "p.flag" {
		t.Errorf("evidence = %+v", f.Evidence)
	}
}

func TestResetClearsEvidence(t *testing.T) {
	f, s := evidenceFacts(t)
	f.CaseID = "c"
	s.CaseID("other")
	s.Identity(Identity{Source: "p"})
	s.Bool(slotOK, true)
	s.Bool(slotOK, false)
	s.Unreadable(slotRisk, 1, "r", "bad")
	f.Reset()
	if len(f.Evidence) != 0 || len(f.Warnings) != 0 || len(f.Providers) != 0 || len(f.Identities) != 0 || f.CaseID != "" {
		t.Errorf("after Reset: %+v", f)
	}
	if v := f.Get(slotOK); v.Reported() {
		t.Errorf("p.ok after Reset = %+v", v)
	}
	if v := f.Get(slotRisk); v.Reported() {
		t.Errorf("p.risk after Reset = %+v", v)
	}
	// The fact set is usable again: a new value is clean.
	s = f.Sink("p")
	s.Bool(slotOK, true)
	if v := f.Get(slotOK); !v.True() || v.E != Clean || len(f.Evidence) != 0 {
		t.Errorf("after Reset and a new value: %+v, %+v", v, f.Evidence)
	}
}

func TestCaseIDAndEventTime(t *testing.T) {
	f, s := evidenceFacts(t)
	s.CaseID("a")
	s.CaseID("b")
	if f.CaseID != "a" {
		t.Errorf("CaseID = %q, want the first", f.CaseID)
	}
	t1 := f.AsOf.AddDate(2000, 0, 0)
	s.EventTime(t1)
	s.EventTime(t1.AddDate(0, 0, -1))
	s.EventTime(t1)
	if !f.EventTime.Equal(t1) {
		t.Errorf("EventTime = %v, want the latest", f.EventTime)
	}
	s.EventTime(t1.AddDate(0, 0, 1))
	if !f.EventTime.Equal(t1.AddDate(0, 0, 1)) {
		t.Errorf("EventTime = %v, want the latest", f.EventTime)
	}
	if !s.AsOf().Equal(f.AsOf) {
		t.Error("Sink.AsOf")
	}
}

func TestFactsJSONCarriesEvidence(t *testing.T) {
	f, s := evidenceFacts(t)
	f.CaseID = "c"
	f.Sink("q")
	s.Bool(slotOK, true)
	s.Unreadable(slotRisk, 4, "risk", "bad")
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"case_id":"c","as_of":"0001-01-01T00:00:00Z","providers":["p","q"],"facts":{"p.ok":true},` +
		`"warnings":[{"provider":"p","offset":4,"message":"risk: bad"}],` +
		`"evidence":[{"fact":"p.risk","state":"unreadable","provider":"p","offset":4,"field":"risk","message":"bad"}]}`
	if string(b) != want {
		t.Errorf("JSON:\n got %s\nwant %s", b, want)
	}
}

func TestIsAdverse(t *testing.T) {
	c := testCatalog(t)
	spec := func(slot int) FactSpec { return c.Spec(slot) }
	tests := []struct {
		slot int
		v    Value
		want bool
	}{
		{slotOK, BoolValue(false), true},
		{slotOK, BoolValue(true), false},
		{slotOK, Value{}, false},
		{slotOK, StringValue("false"), false},
		{slotFlag, BoolValue(true), true},
		{slotFlag, BoolValue(false), false},
		{slotFlag, NumberValue(1), false},
		{slotRisk, NumberValue(70), true},  // exactly the limit
		{slotRisk, NumberValue(71), true},  // one past it
		{slotRisk, NumberValue(69), false}, // one short of it
		{slotRisk, StringValue("90"), false},
		{slotMatch, NumberValue(0.5), true},  // exactly the limit
		{slotMatch, NumberValue(0.4), true},  // one past it
		{slotMatch, NumberValue(0.6), false}, // one short of it
		{slotMatch, BoolValue(false), false},
		{slotStatus, StringValue("declined"), true},
		{slotStatus, StringValue("approved"), false},
		{slotStatus, ListValue([]string{"declined"}), false},
		{slotLabels, ListValue([]string{"pep"}), true},
		{slotLabels, ListValue([]string{}), false},
		{slotLabels, ListValue(nil), false},
		{slotLabels, StringValue("pep"), false},
		{slotDoc, StringValue("declined"), false},
	}
	for _, tt := range tests {
		if got := spec(tt.slot).IsAdverse(tt.v); got != tt.want {
			t.Errorf("%s.IsAdverse(%v) = %v, want %v", testNames[tt.slot], tt.v, got, tt.want)
		}
	}
	// A direction without a limit is never adverse by itself.
	for _, p := range []Polarity{HigherWorse, LowerWorse} {
		s := FactSpec{Name: "p.n", Kind: Number, Polarity: p}
		for _, n := range []float64{-1e9, 0, 1e9} {
			if s.IsAdverse(NumberValue(n)) {
				t.Errorf("%s without a limit: %v is adverse", p, n)
			}
		}
	}
}

// worse of two numbers of a fact with a direction and no limit follows the
// direction alone.
func TestMergeNumbersWithoutLimit(t *testing.T) {
	for _, tt := range []struct {
		p          Polarity
		a, b, want float64
	}{{HigherWorse, 1, 2, 2}, {HigherWorse, 2, 1, 2}, {LowerWorse, 1, 2, 1}, {LowerWorse, 2, 1, 1}} {
		c, err := NewCatalog([]FactSpec{{Name: "x.n", Kind: Number, Provider: "x", Description: "d", Polarity: tt.p}})
		if err != nil {
			t.Fatal(err)
		}
		f := NewFacts(c)
		s := f.Sink("x")
		s.Number(0, tt.a)
		s.Number(0, tt.b)
		if got := f.Get(0).N; got != tt.want {
			t.Errorf("%s: %v then %v = %v, want %v", tt.p, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCatalogPolarityProblems(t *testing.T) {
	one := 1.0
	tests := []struct {
		spec FactSpec
		want string
	}{
		{FactSpec{Kind: String, Adverse: []string{"x"}}, "adverse values on an informational fact"},
		{FactSpec{Kind: Number, Limit: &one}, "adverse values on an informational fact"},
		{FactSpec{Kind: Bool, Polarity: Polarity(42)}, "unknown polarity polarity(42)"},
		{FactSpec{Kind: String, Polarity: AdverseFalse}, "polarity adverse-false needs a bool fact"},
		{FactSpec{Kind: Number, Polarity: AdverseTrue}, "polarity adverse-true needs a bool fact"},
		{FactSpec{Kind: Bool, Polarity: AdverseValues, Adverse: []string{"x"}}, "polarity adverse-values needs a string fact"},
		{FactSpec{Kind: String, Polarity: HigherWorse}, "polarity higher-worse needs a number fact"},
		{FactSpec{Kind: List, Polarity: LowerWorse}, "polarity lower-worse needs a number fact"},
		{FactSpec{Kind: String, Polarity: AdverseNonEmpty}, "polarity adverse-non-empty needs a list fact"},
		{FactSpec{Kind: String, Polarity: AdverseValues}, "polarity adverse-values lists no adverse value"},
		{FactSpec{Kind: Bool, Polarity: AdverseTrue, Adverse: []string{"true"}}, "adverse values given for polarity adverse-true"},
		{FactSpec{Kind: Bool, Polarity: AdverseFalse, Limit: &one}, "a limit on a fact that is not a number"},
		{FactSpec{Kind: String, Polarity: AdverseValues, Values: []string{"a", "b"}, Adverse: []string{"b", "c"}}, `adverse value "c" is not one of its values`},
	}
	for _, tt := range tests {
		s := tt.spec
		s.Name, s.Provider, s.Description = "x.f", "x", "d"
		_, err := NewCatalog([]FactSpec{s})
		if want := "fact catalog: fact x.f: " + tt.want; err == nil || err.Error() != want {
			t.Errorf("NewCatalog(%+v) = %v, want %q", tt.spec, err, want)
		}
	}
	// What fits is accepted.
	for _, s := range []FactSpec{
		{Kind: String, Polarity: AdverseValues, Values: []string{"a", "b"}, Adverse: []string{"b"}},
		{Kind: String, Polarity: AdverseValues, Adverse: []string{"anything"}},
		{Kind: Number, Polarity: HigherWorse, Limit: &one},
		{Kind: Number, Polarity: LowerWorse},
		{Kind: List, Polarity: AdverseNonEmpty},
		{Kind: Bool, Polarity: AdverseTrue},
		{Kind: Bool, Polarity: AdverseFalse},
		{Kind: String, Values: []string{"a"}},
	} {
		s.Name, s.Provider, s.Description = "x.f", "x", "d"
		if _, err := NewCatalog([]FactSpec{s}); err != nil {
			t.Errorf("NewCatalog(%+v) = %v", s, err)
		}
	}
	// Every problem is reported, not only the first.
	_, err := NewCatalog([]FactSpec{
		{Name: "x.a", Kind: String, Provider: "x", Description: "d", Polarity: AdverseTrue},
		{Name: "x.b", Kind: Bool, Provider: "x", Description: "d", Polarity: HigherWorse},
	})
	if err == nil || !strings.Contains(err.Error(), "fact x.a: ") || !strings.Contains(err.Error(), "; fact x.b: ") {
		t.Errorf("two problems: %v", err)
	}
}

func TestDescribePolarity(t *testing.T) {
	c := testCatalog(t)
	want := []string{"adverse: false", "adverse: true", "adverse: ≥ 70", "adverse: ≤ 0.5", "adverse: declined", "adverse: non-empty", "informational"}
	for i, w := range want {
		if got := c.Spec(i).DescribePolarity(); got != w {
			t.Errorf("%s: %q, want %q", testNames[i], got, w)
		}
	}
	for _, tt := range []struct {
		s    FactSpec
		want string
	}{
		{FactSpec{Polarity: HigherWorse}, "worse when higher"},
		{FactSpec{Polarity: LowerWorse}, "worse when lower"},
		{FactSpec{Polarity: AdverseValues, Adverse: []string{"a", "b"}}, "adverse: a, b"},
	} {
		if got := tt.s.DescribePolarity(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestEvidenceAndPolarityNames(t *testing.T) {
	for _, tt := range []struct {
		m    interface{ MarshalText() ([]byte, error) }
		want string
	}{
		{Clean, "clean"}, {Unreadable, "unreadable"}, {Conflicting, "conflicting"}, {Evidence(3), "evidence(3)"},
		{Informational, "informational"}, {AdverseNonEmpty, "adverse-non-empty"}, {Polarity(7), "polarity(7)"},
		{Unknown, "unknown"}, {List, "list"}, {Kind(5), "kind(5)"},
		{None, "none"}, {Reject, "reject"}, {Outcome(4), "outcome(4)"},
	} {
		if b, err := tt.m.MarshalText(); err != nil || string(b) != tt.want {
			t.Errorf("MarshalText = %s, %v, want %s", b, err, tt.want)
		}
	}
}

// suspectPolicy decides on p.ok (a review rule "ok" when false) and on
// p.flag (a reject rule "flag" when true); p.status is read only by a
// shadow rule; p.doc by no rule.
func suspectPolicy(t *testing.T) *Policy {
	p := policy(t, Approve)
	sh := rule("shadow", Reject, isTrue(ref(slotStatus)), ref(slotStatus))
	sh.Shadow = true
	p.Rules = []Rule{
		rule("ok", Review, isFalse(ref(slotOK)), ref(slotOK)),
		rule("flag", Reject, isTrue(ref(slotFlag)), ref(slotFlag)),
		sh,
	}
	return p
}

func TestSuspectEvidenceNeverApproves(t *testing.T) {
	type write func(s Sink)
	clean := func(s Sink) { s.Bool(slotOK, true); s.Bool(slotFlag, false) }
	tests := []struct {
		name    string
		policy  func(*Policy)
		writes  []write
		outcome Outcome
		reasons []string
		message string // of the evidence reason
	}{
		{"clean", nil, []write{clean}, Approve, nil, ""},
		{"unreadable fact of a review rule", nil,
			[]write{func(s Sink) { s.Bool(slotFlag, false); s.Unreadable(slotOK, 120, "checks.ok", "not a bool") }},
			Review, []string{"ok:indeterminate:review", "ok:evidence:review"},
			"p.ok is unreadable (p checks.ok at byte 120): not a bool"},
		{"unreadable fact beside a readable value", nil,
			[]write{clean, func(s Sink) { s.Unreadable(slotOK, 0, "checks[1].ok", "not a bool") }},
			Review, []string{"ok:evidence:review"},
			"p.ok is unreadable (p checks[1].ok at byte 0): not a bool"},
		{"conflicting fact, unknown ignored", func(p *Policy) { p.Rules[0].IgnoreUnknown = true },
			[]write{clean, func(s Sink) { s.Merge(slotOK, BoolValue(false), 33, "checks[2].ok") }},
			Review, []string{"ok:rule:review", "ok:evidence:review"},
			"p.ok is conflicting (p checks[2].ok at byte 33): sources disagree [true vs false]"},
		{"unreadable fact, unknown ignored", func(p *Policy) { p.Rules[0].IgnoreUnknown = true },
			[]write{func(s Sink) { s.Bool(slotFlag, false); s.Unreadable(slotOK, -1, "", "unknown code") }},
			Review, []string{"ok:evidence:review"},
			"p.ok is unreadable (p): unknown code"},
		{"approve rule that fires", func(p *Policy) {
			p.Default = Review
			p.Rules = []Rule{rule("good", Approve, isTrue(ref(slotOK)), ref(slotOK))}
		}, []write{clean, func(s Sink) { s.Conflict(slotOK, 6, "doc.code", "valid but code 9") }},
			Review, []string{"good:evidence:review", "good:rule:approve"},
			"p.ok is conflicting (p doc.code at byte 6): valid but code 9"},
		{"a reject rule still wins", nil,
			[]write{clean, func(s Sink) { s.Merge(slotFlag, BoolValue(true), 9, "flags[1]") }},
			Reject, []string{"flag:rule:reject", "flag:evidence:review"},
			"p.flag is conflicting (p flags[1] at byte 9): sources disagree [false vs true]"},
		{"read only by a shadow rule", nil,
			[]write{clean, func(s Sink) { s.Unreadable(slotStatus, 2, "status", "unknown status") }},
			Approve, nil, ""},
		{"read by no rule", nil,
			[]write{clean, func(s Sink) { s.String(slotDoc, "ine"); s.String(slotDoc, "passport") }},
			Approve, nil, ""},
		{"through a derived fact", func(p *Policy) {
			p.Derived = []Derived{{Name: "bad", Kind: Bool, Refs: []Ref{ref(slotRisk)},
				Expr: func(env *Env) Value { return atLeast(ref(slotRisk), 70)(env).Value() }}}
			p.Rules = append(p.Rules, rule("bad", Review, isTrue(dref("bad", 0)), dref("bad", 0)))
		}, []write{clean, func(s Sink) { s.Number(slotRisk, 10); s.Unreadable(slotRisk, 77, "risk", "out of range") }},
			Review, []string{"bad:evidence:review"},
			"p.risk is unreadable (p risk at byte 77): out of range"},
		{"read by a requirement", func(p *Policy) {
			p.Requirements = []Requirement{{ID: "need", Facts: []Ref{ref(slotLabels)}, Outcome: Review}}
		}, []write{clean, func(s Sink) { s.List(slotLabels, nil); s.Conflict(slotLabels, 1, "labels", "count and list disagree") }},
			Review, []string{"need:evidence:review"},
			"p.labels is conflicting (p labels at byte 1): count and list disagree"},
		{"read by a score", func(p *Policy) {
			p.Scores = []Score{{ID: "sc", Thresholds: []Threshold{{Min: 5, Outcome: Review}},
				Terms: []Term{{When: atLeast(ref(slotMatch), 0), Points: 1, Refs: []Ref{ref(slotMatch)}}}}}
		}, []write{clean, func(s Sink) { s.Number(slotMatch, 0.9); s.Unreadable(slotMatch, 3, "match", "bad") }},
			Review, []string{"sc:evidence:review"},
			"p.match is unreadable (p match at byte 3): bad"},
		{"read only by a shadow score", func(p *Policy) {
			p.Scores = []Score{{ID: "sc", Shadow: true, Thresholds: []Threshold{{Min: 5, Outcome: Review}},
				Terms: []Term{{When: atLeast(ref(slotMatch), 0), Points: 1, Refs: []Ref{ref(slotMatch)}}}}}
		}, []write{clean, func(s Sink) { s.Number(slotMatch, 0.9); s.Unreadable(slotMatch, 3, "match", "bad") }},
			Approve, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := suspectPolicy(t)
			if tt.policy != nil {
				tt.policy(p)
			}
			f := NewFacts(p.Catalog)
			s := f.Sink("p")
			for _, w := range tt.writes {
				w(s)
			}
			d := p.Evaluate(f)
			if d.Outcome != tt.outcome {
				t.Errorf("outcome = %s, want %s", d.Outcome, tt.outcome)
			}
			if d.DefaultApplied != (tt.outcome == p.Default && tt.reasons == nil) {
				t.Errorf("DefaultApplied = %v", d.DefaultApplied)
			}
			if got := reasonIDs(d.Reasons); !slices.Equal(got, tt.reasons) {
				t.Errorf("reasons = %q, want %q", got, tt.reasons)
			}
			if len(d.Evidence) != len(f.Evidence) || (tt.name == "clean") != (d.Evidence == nil) {
				t.Errorf("decision evidence = %+v, facts evidence %+v", d.Evidence, f.Evidence)
			}
			for _, r := range d.Reasons {
				if r.Kind != KindEvidence {
					continue
				}
				if r.Message != tt.message {
					t.Errorf("message = %q, want %q", r.Message, tt.message)
				}
				n := f.Evidence[0]
				slot, _ := p.Catalog.Lookup(n.Fact)
				if len(r.Facts) != 1 || r.Facts[0].Name != n.Fact || !r.Facts[0].Value.Equal(f.Get(slot)) {
					t.Errorf("facts = %+v", r.Facts)
				}
			}
		})
	}
}

// Evidence about a fact the policy's catalog does not have is carried but
// decides nothing.
func TestSuspectUnknownFact(t *testing.T) {
	p := suspectPolicy(t)
	f := NewFacts(p.Catalog)
	s := f.Sink("p")
	s.Bool(slotOK, true)
	s.Bool(slotFlag, false)
	f.Evidence = append(f.Evidence, EvidenceNote{Fact: "z.gone", State: Conflicting, Provider: "z", Offset: -1})
	d := p.Evaluate(f)
	if d.Outcome != Approve || len(d.Reasons) != 0 || len(d.Evidence) != 1 {
		t.Errorf("decision = %+v", d)
	}
}

// Every suspect fact a deciding rule reads has its reason, named by the
// first rule that reads it.
func TestSuspectEveryFact(t *testing.T) {
	p := suspectPolicy(t)
	p.Rules = append(p.Rules, rule("both", Review, and(isFalse(ref(slotOK)), isTrue(ref(slotFlag))), ref(slotOK), ref(slotFlag)))
	f := NewFacts(p.Catalog)
	s := f.Sink("p")
	s.Bool(slotOK, true)
	s.Bool(slotOK, false)
	s.Bool(slotFlag, false)
	s.Unreadable(slotFlag, 1, "flag", "bad")
	d := p.Evaluate(f)
	if got := reasonIDs(d.Reasons); !slices.Equal(got, []string{"ok:rule:review", "ok:evidence:review", "flag:evidence:review"}) {
		t.Errorf("reasons = %q", got)
	}
}

// A value written without a location conflicts at offset -1, for every
// kind.
func TestSettersConflictWithoutOffset(t *testing.T) {
	f, s := evidenceFacts(t)
	s.Bool(slotOK, true)
	s.Bool(slotOK, false)
	s.Number(slotRisk, 1)
	s.Number(slotRisk, 2)
	s.String(slotDoc, "a")
	s.String(slotDoc, "b")
	if len(f.Evidence) != 3 {
		t.Fatalf("evidence = %+v", f.Evidence)
	}
	for _, n := range f.Evidence {
		if n.Offset != -1 || n.Field != "" || n.State != Conflicting {
			t.Errorf("note = %+v", n)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"ab", "ab", 5, 0},
		{"ab", "ac", 5, 1},
		{"kitten", "sitting", 9, 3},
		{"z", "abcd", 3, 3},         // longer by the limit: the limit
		{"a", "bcdefg", 3, 3},       // longer past the limit
		{"abcdefg", "b", 3, 3},      // shorter past the limit
		{"abcdef", "uvwxyz", 2, 2},  // the limit is reached in the second row
		{"abcdef", "uvwxyz", 10, 6}, // below the limit: the distance
		{"", "abc", 4, 3},
		{"abc", "", 4, 3},
	} {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestSuggestString(t *testing.T) {
	values := []string{"approved", "declined", "pending"}
	for _, tt := range []struct{ s, want string }{
		{"Declined", "declined"}, {"aproved", "approved"}, {"pendng", "pending"}, {"x", ""}, {"resubmission", ""},
	} {
		if got := SuggestString(tt.s, values); got != tt.want {
			t.Errorf("SuggestString(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
	c := testCatalog(t)
	if got := c.Suggest("p.stauts"); got != "p.status" {
		t.Errorf("Suggest = %q", got)
	}
	if got := c.Suggest("p.derivd", "p.derived"); got != "p.derived" {
		t.Errorf("Suggest with extra names = %q", got)
	}
	if got := len(c.Specs()); got != 8 || c.Specs()[7].Name != "q.seen" {
		t.Errorf("Specs = %d", got)
	}
}
