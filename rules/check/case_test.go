package check

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

// newCase sorts each slot into its key by its evidence state: a clean
// known value is set, an unreadable one listed, a conflicting one kept with
// its value (clean in the case, marked again by Values), and a fact not
// reported left out.
func TestNewCaseAndValues(t *testing.T) {
	cat := TestCatalog
	slot := func(name string) int {
		s, ok := cat.Lookup(name)
		if !ok {
			t.Fatalf("no fact %s", name)
		}
		return s
	}
	vals := make([]engine.Value, cat.Len())
	vals[slot("t.primary")] = engine.BoolValue(true)
	vals[slot("t.secondary")] = engine.Value{E: engine.Unreadable}
	vals[slot("t.flag")] = engine.Value{E: engine.Unreadable}
	conflict := engine.StringValue("declined")
	conflict.E = engine.Conflicting
	vals[slot("t.status")] = conflict
	c := newCase(cat, vals, engine.Approve, "x")
	if c.Name != "check: x" || c.Outcome != engine.Approve {
		t.Errorf("case %q %s", c.Name, c.Outcome)
	}
	if len(c.Set) != 1 || !c.Set["t.primary"].True() {
		t.Errorf("set %+v", c.Set)
	}
	if !slices.Equal(c.Unreadable, []string{"t.flag", "t.secondary"}) {
		t.Errorf("unreadable %q, want them sorted", c.Unreadable)
	}
	if got := c.Conflicting["t.status"]; len(c.Conflicting) != 1 || got.S != "declined" || got.E != engine.Clean {
		t.Errorf("conflicting %+v", c.Conflicting)
	}
	back, err := c.Values(cat)
	if err != nil {
		t.Fatal(err)
	}
	for i := range vals {
		if !same(back[i], vals[i]) {
			t.Errorf("%s: %+v back as %+v", cat.Spec(i).Name, vals[i], back[i])
		}
	}
	f, err := c.Facts(cat)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Get(slot("t.status")); got.E != engine.Conflicting || got.S != "declined" {
		t.Errorf("facts: t.status %+v", got)
	}
	if got := f.Get(slot("t.secondary")); got.E != engine.Unreadable || got.Known() {
		t.Errorf("facts: t.secondary %+v", got)
	}
}

// A fact the catalog does not have is an error in each of the case's keys.
func TestValuesUnknownFact(t *testing.T) {
	for _, c := range []*Case{
		{Set: map[string]engine.Value{"t.nope": engine.BoolValue(true)}},
		{Conflicting: map[string]engine.Value{"t.nope": engine.BoolValue(true)}},
		{Unreadable: []string{"t.nope"}},
	} {
		if _, err := c.Values(TestCatalog); err == nil || err.Error() != "check: unknown fact t.nope" {
			t.Errorf("%+v: error %v", c, err)
		}
		if _, err := c.Facts(TestCatalog); err == nil {
			t.Errorf("%+v: Facts without an error", c)
		}
	}
}

// YAML writes only the keys a case has, and set: {} for a case with no
// fact at all (an empty test has no facts key and would not load).
func TestCaseYAML(t *testing.T) {
	one := map[string]engine.Value{"t.primary": engine.BoolValue(true)}
	for _, tc := range []struct {
		c    Case
		want string
	}{
		{Case{Name: "check: empty", Outcome: engine.Reject},
			"- name: \"check: empty\"\n  facts:\n    set: {}\n  expect:\n    outcome: reject\n"},
		{Case{Name: "n", Set: one, Outcome: engine.Approve},
			"- name: \"n\"\n  facts:\n    set: {t.primary: true}\n  expect:\n    outcome: approve\n"},
		{Case{Name: "n", Unreadable: []string{"t.a", "t.b"}, Outcome: engine.Review},
			"- name: \"n\"\n  facts:\n    unreadable: [t.a, t.b]\n  expect:\n    outcome: review\n"},
		{Case{Name: "n", Conflicting: one, Outcome: engine.Review},
			"- name: \"n\"\n  facts:\n    conflicting: {t.primary: true}\n  expect:\n    outcome: review\n"},
		{Case{Name: "n", Set: map[string]engine.Value{"t.b": engine.NumberValue(2), "t.a": engine.ListValue([]string{"x", "y z"})},
			Unreadable: []string{"t.c"}, Conflicting: one, Outcome: engine.Approve},
			"- name: \"n\"\n  facts:\n    set: {t.a: [x, y z], t.b: 2}\n    unreadable: [t.c]\n    conflicting: {t.primary: true}\n  expect:\n    outcome: approve\n"},
	} {
		if got := tc.c.YAML(0); got != tc.want {
			t.Errorf("YAML:\n%s\nwant:\n%s", got, tc.want)
		}
	}
	c := Case{Name: "n", Set: one, Outcome: engine.Approve}
	want := "    - name: \"n\"\n      facts:\n        set: {t.primary: true}\n      expect:\n        outcome: approve\n"
	if got := c.YAML(4); got != want {
		t.Errorf("YAML(4):\n%s\nwant:\n%s", got, want)
	}
}

func TestYAMLValue(t *testing.T) {
	for _, tc := range []struct {
		v    engine.Value
		want string
	}{
		{engine.BoolValue(false), "false"},
		{engine.NumberValue(-0.5), "-0.5"},
		{engine.StringValue("approved"), "approved"},
		{engine.ListValue(nil), "[]"},
		{engine.ListValue([]string{"a", "yes"}), `[a, "yes"]`},
		{engine.Value{E: engine.Unreadable}, "unreadable"},
		{engine.Value{}, "not reported"},
	} {
		if got := yamlValue(tc.v); got != tc.want {
			t.Errorf("yamlValue(%+v) = %s, want %s", tc.v, got, tc.want)
		}
	}
}

// yamlString quotes exactly the strings that YAML would not read back as
// themselves.
func TestYAMLString(t *testing.T) {
	plain := []string{"approved", "other2", "a b", "x-y", "True1", "ok"}
	quoted := []string{"", "a: b", "{x}", "[x]", "a,b", "#c", "x!", "50%", "it's", `say "x"`, `a\b`, "a\nb", "\tx",
		" x", "x ", "-x", "true", "False", "YES", "no", "On", "off", "y", "N", "null", "~", "12", "-3.5", "1e3"}
	for _, s := range plain {
		if got := yamlString(s); got != s {
			t.Errorf("yamlString(%q) = %s, want it plain", s, got)
		}
	}
	for _, s := range quoted {
		want, _ := json.Marshal(s)
		if got := yamlString(s); got != string(want) {
			t.Errorf("yamlString(%q) = %s, want %s", s, got, want)
		}
	}
}

// The JSON of a finding has its position as file, line and column, and its
// counterexample with the text of the suite test.
func TestFindingJSON(t *testing.T) {
	f := Finding{Code: CodeApproveOnAdverse, Severity: Error, Pos: engine.Position{File: "p.yaml", Line: 3, Column: 9},
		Message: "m", Rule: "r", Fact: "t.flag",
		Case: &Case{Name: "check: c", Set: map[string]engine.Value{"t.flag": engine.BoolValue(true)}, Outcome: engine.Approve, Base: engine.Review}}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"code":"approve-on-adverse","severity":"error","file":"p.yaml","line":3,"column":9,"message":"m","rule":"r","fact":"t.flag",` +
		`"counterexample":{"name":"check: c","set":{"t.flag":true},"outcome":"approve","base_outcome":"review","test":` +
		`"- name: \"check: c\"\n  facts:\n    set: {t.flag: true}\n  expect:\n    outcome: approve\n"}}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", b, want)
	}
	b, err = json.Marshal(Finding{Code: CodeUnusedFact, Severity: Info, Reason: "why"})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"reason":"why"`) || strings.Contains(s, "counterexample") || strings.Contains(s, `"rule"`) {
		t.Errorf("JSON without a case: %s", s)
	}
}
