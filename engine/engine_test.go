package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCatalog(t *testing.T) {
	c, err := NewCatalog(
		[]FactSpec{{Name: "veriff.status", Kind: String, Provider: "veriff", Description: "d"}, {Name: "veriff.code", Kind: Number, Provider: "veriff", Description: "d"}},
		[]FactSpec{{Name: "jaak.ofac.passed", Kind: Bool, Provider: "jaak", Description: "d"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	if i, ok := c.Lookup("jaak.ofac.passed"); !ok || i != 2 {
		t.Errorf("Lookup = %d, %v", i, ok)
	}
	if b, _ := c.Base("jaak"); b != 2 {
		t.Errorf("Base(jaak) = %d", b)
	}
	if s := c.Suggest("veriff.cod"); s != "veriff.code" {
		t.Errorf("Suggest = %q", s)
	}
	if s := c.Suggest("completely.different"); s != "" {
		t.Errorf("Suggest of a far name = %q", s)
	}
	if ns := c.Namespaces(); strings.Join(ns, ",") != "jaak,veriff" {
		t.Errorf("Namespaces = %v", ns)
	}
}

func TestCatalogRejectsBadSpecs(t *testing.T) {
	tests := []struct {
		specs []FactSpec
		want  string
	}{
		{[]FactSpec{{Name: "a.b", Kind: Bool, Provider: "a", Description: "d"}, {Name: "a.b", Kind: Bool, Provider: "a", Description: "d"}}, "declared twice"},
		{[]FactSpec{{Name: "A.b", Kind: Bool, Provider: "a", Description: "d"}}, "lower-case dotted"},
		{[]FactSpec{{Name: "a", Kind: Bool, Provider: "a", Description: "d"}}, "lower-case dotted"},
		{[]FactSpec{{Name: "a.b", Provider: "a", Description: "d"}}, "no type"},
		{[]FactSpec{{Name: "a.b", Kind: Bool, Provider: "a"}}, "no description"},
		{[]FactSpec{{Name: "a.b", Kind: Bool, Provider: "a", Description: "d"}, {Name: "a.c", Kind: Bool, Provider: "b", Description: "d"}}, "in the group of"},
	}
	for _, tt := range tests {
		if _, err := NewCatalog(tt.specs); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewCatalog(%v) = %v, want %q", tt.specs, err, tt.want)
		}
	}
}

func TestValueJSON(t *testing.T) {
	vals := map[string]Value{"u": {}, "b": BoolValue(false), "n": NumberValue(0.5), "s": StringValue("x"), "l": ListValue(nil)}
	got, err := json.Marshal(vals)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"b":false,"l":[],"n":0.5,"s":"x","u":null}`; string(got) != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
	if (Value{}).Tri() != TriUnknown || BoolValue(true).Tri() != TriTrue || StringValue("true").Tri() != TriUnknown {
		t.Error("Tri conversion")
	}
}

func TestOutcome(t *testing.T) {
	if Reject <= Review || Review <= Approve || Approve <= None {
		t.Error("outcomes are not ordered by severity")
	}
	var o Outcome
	if err := o.UnmarshalText([]byte("review")); err != nil || o != Review {
		t.Errorf("UnmarshalText = %v, %v", o, err)
	}
	if _, err := ParseOutcome("accept"); err == nil {
		t.Error("ParseOutcome accepted an unknown outcome")
	}
}

func TestErrorSnippet(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Error("empty list is an error")
	}
	l.Add(Position{File: "p.yaml", Line: 3, Column: 8}, CodeUnknownFact, "unknown fact x", "\twhen: x")
	l.Add(Position{File: "p.yaml", Line: 1, Column: 1}, CodeSyntax, "first", "")
	l.Sort()
	if l[0].Msg != "first" {
		t.Error("not sorted by position")
	}
	want := "p.yaml:3:8: unknown fact x\n | \twhen: x\n | \t      ^"
	if got := l[1].Snippet(); got != want {
		t.Errorf("snippet:\n%s\nwant:\n%s", got, want)
	}
	if got := l.Error(); got != "p.yaml:1:1: first (and 1 more errors)" {
		t.Errorf("Error() = %q", got)
	}
}

// TestSortDropsNonAdjacentDuplicates: the same problem reported twice at one
// place is listed once, even with another problem of that place between.
func TestSortDropsNonAdjacentDuplicates(t *testing.T) {
	var l ErrorList
	for _, m := range []string{"a", "b", "a", "b"} {
		l.Add(Position{File: "p.yaml", Line: 1, Column: 1}, CodeInvalid, m, "")
	}
	l.Add(Position{File: "p.yaml", Line: 1, Column: 2}, CodeInvalid, "a", "")
	l.Sort()
	if len(l) != 3 || l[0].Msg != "a" || l[1].Msg != "b" || l[2].Pos.Column != 2 {
		t.Errorf("Sort kept %v, want a, b at 1:1 and a at 1:2", l)
	}
}
