package field

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
)

func TestCoercions(t *testing.T) {
	doc := gjson.Parse(`{"n": 99.94, "s": " 99.94 ", "bad": "x", "t": true, "ts": "FALSE", "code": 1101, "null": null}`)
	if n, ok := Number(doc.Get("n")); !ok || n != 99.94 {
		t.Errorf("Number(number) = %v, %v", n, ok)
	}
	if n, ok := Number(doc.Get("s")); !ok || n != 99.94 {
		t.Errorf("Number(string) = %v, %v", n, ok)
	}
	if _, ok := Number(doc.Get("bad")); ok {
		t.Error("Number read a word")
	}
	for _, s := range []string{`"NaN"`, `"-Inf"`, `"1e999"`, `1e999`} {
		if n, ok := Number(gjson.Parse(s)); ok {
			t.Errorf("Number(%s) = %v: not a finite number", s, n)
		}
	}
	if b, ok := Bool(doc.Get("ts")); !ok || b {
		t.Errorf("Bool(\"FALSE\") = %v, %v", b, ok)
	}
	if s, ok := String(doc.Get("code")); !ok || s != "1101" {
		t.Errorf("String(number) = %q, %v", s, ok)
	}
	if Present(doc.Get("null")) || Present(doc.Get("missing")) || !Present(doc.Get("t")) {
		t.Error("Present")
	}
	if Result(" Sucess ") != "success" || Result("not_applicable") != "not_applicable" {
		t.Error("Result does not read the documented misspelling")
	}
}

func TestReaderWarnsAtTheField(t *testing.T) {
	cat, err := engine.NewCatalog([]engine.FactSpec{{Name: "p.x", Kind: engine.Number, Provider: "p", Description: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(cat)
	doc := gjson.Parse(`{"score": "high"}`)
	rd := Reader{Sink: f.Sink("p"), Base: 100}
	if rd.Number(0, doc.Get("score"), "score") {
		t.Fatal("a word was stored as a number")
	}
	if v := f.Get(0); v.Known() || v.E != engine.Unreadable {
		t.Errorf("fact is %v (%v), want unknown and unreadable", v, v.E)
	}
	if len(f.Warnings) != 1 || f.Warnings[0].Offset != 110 || f.Warnings[0].Message != `score: expected number, got string "high"` {
		t.Errorf("warnings = %+v", f.Warnings)
	}
	if len(f.Evidence) != 1 || f.Evidence[0].Fact != "p.x" || f.Evidence[0].Field != "score" || f.Evidence[0].Offset != 110 {
		t.Errorf("evidence = %+v", f.Evidence)
	}
}

func TestObjects(t *testing.T) {
	var n int
	Objects(gjson.Parse(`[{"a":1}, 2, {"b":2}]`), func(gjson.Result) { n++ })
	Objects(gjson.Parse(`{"a":1}`), func(gjson.Result) { n++ })
	Objects(gjson.Parse(`[]`), func(gjson.Result) { n++ })
	if n != 3 {
		t.Errorf("visited %d objects, want 3", n)
	}
}

func TestDates(t *testing.T) {
	if d, ok := Time("17/06/2025", DMY); !ok || d.Month() != time.June || d.Day() != 17 {
		t.Errorf("DMY: %v %v", d, ok)
	}
	if d, ok := Time("06/17/2025, 11:20:05", MDYTime); !ok || d.Month() != time.June || d.Hour() != 11 {
		t.Errorf("MDYTime: %v %v", d, ok)
	}
	dob := time.Date(2007, 6, 18, 0, 0, 0, 0, time.UTC)
	if a := Age(dob, time.Date(2025, 6, 17, 0, 0, 0, 0, time.UTC)); a != 17 {
		t.Errorf("age the day before the 18th birthday = %v", a)
	}
	if a := Age(dob, time.Date(2025, 6, 18, 0, 0, 0, 0, time.UTC)); a != 18 {
		t.Errorf("age on the 18th birthday = %v", a)
	}
	if d := Days(dob, dob.Add(36*time.Hour)); d != 1 {
		t.Errorf("Days = %v", d)
	}
}

// Each Reader method stores a readable value at the field's offset, leaves
// an absent or null field alone, and marks a present field of another type
// unreadable, saying what it got (with the value when it is short text).
func TestReaderMethods(t *testing.T) {
	cat, err := engine.NewCatalog([]engine.FactSpec{
		{Name: "p.b", Kind: engine.Bool, Provider: "p", Description: "b"},
		{Name: "p.n", Kind: engine.Number, Provider: "p", Description: "n"},
		{Name: "p.s", Kind: engine.String, Provider: "p", Description: "s"},
	})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 38) // with its quotes, 40 bytes of JSON
	doc := gjson.Parse(`{"t": true, "one": 1, "five": 5, "n": " 7.5 ", "code": 1101, "empty": "", "null": null,
		"obj": {"a": 1}, "arr": [1], "s40": "` + long + `", "s41": "` + long + `y"}`)
	const base = 1000
	type want struct {
		stored bool
		value  engine.Value
		msg    string // the warning, "" when none
	}
	for _, tt := range []struct {
		name  string
		read  func(Reader) bool
		fact  int
		field string
		want  want
	}{
		{"bool", func(r Reader) bool { return r.Bool(0, doc.Get("t"), "t") }, 0, "t", want{true, engine.BoolValue(true), ""}},
		{"bool from 1", func(r Reader) bool { return r.Bool(0, doc.Get("one"), "one") }, 0, "one", want{true, engine.BoolValue(true), ""}},
		{"bool from 5", func(r Reader) bool { return r.Bool(0, doc.Get("five"), "five") }, 0, "five", want{false, engine.Value{}, "five: expected bool, got number 5"}},
		{"bool from an object", func(r Reader) bool { return r.Bool(0, doc.Get("obj"), "obj") }, 0, "obj", want{false, engine.Value{}, "obj: expected bool, got object"}},
		{"bool absent", func(r Reader) bool { return r.Bool(0, doc.Get("nope"), "nope") }, 0, "", want{false, engine.Value{}, ""}},
		{"bool null", func(r Reader) bool { return r.Bool(0, doc.Get("null"), "null") }, 0, "", want{false, engine.Value{}, ""}},
		{"number from text", func(r Reader) bool { return r.Number(1, doc.Get("n"), "n") }, 1, "n", want{true, engine.NumberValue(7.5), ""}},
		{"number from a bool", func(r Reader) bool { return r.Number(1, doc.Get("t"), "t") }, 1, "t", want{false, engine.Value{}, "t: expected number, got bool"}},
		{"number from an array", func(r Reader) bool { return r.Number(1, doc.Get("arr"), "arr") }, 1, "arr", want{false, engine.Value{}, "arr: expected number, got array"}},
		{"number absent", func(r Reader) bool { return r.Number(1, doc.Get("nope"), "nope") }, 1, "", want{false, engine.Value{}, ""}},
		{"number from 40 bytes of text", func(r Reader) bool { return r.Number(1, doc.Get("s40"), "s40") }, 1, "s40",
			want{false, engine.Value{}, `s40: expected number, got string "` + long + `"`}},
		{"number from 41 bytes of text", func(r Reader) bool { return r.Number(1, doc.Get("s41"), "s41") }, 1, "s41",
			want{false, engine.Value{}, `s41: expected number, got string "` + long + `y…`}},
		{"string from a number", func(r Reader) bool { return r.String(2, doc.Get("code"), "code") }, 2, "code", want{true, engine.StringValue("1101"), ""}},
		{"string empty", func(r Reader) bool { return r.String(2, doc.Get("empty"), "empty") }, 2, "", want{false, engine.Value{}, ""}},
		{"string from a bool", func(r Reader) bool { return r.String(2, doc.Get("t"), "t") }, 2, "t", want{false, engine.Value{}, "t: expected string, got bool"}},
		{"string absent", func(r Reader) bool { return r.String(2, doc.Get("null"), "null") }, 2, "", want{false, engine.Value{}, ""}},
	} {
		f := engine.NewFacts(cat)
		rd := Reader{Sink: f.Sink("p"), Base: base}
		if got := tt.read(rd); got != tt.want.stored {
			t.Errorf("%s: stored = %v", tt.name, got)
		}
		v := f.Get(tt.fact)
		if !v.Equal(tt.want.value) || v.Known() != tt.want.value.Known() {
			t.Errorf("%s: fact = %v, want %v", tt.name, v, tt.want.value)
		}
		at := base + int(doc.Get(tt.field).Index)
		switch {
		case tt.want.msg == "":
			if len(f.Warnings) != 0 || v.E != engine.Clean {
				t.Errorf("%s: warnings %+v, evidence %v", tt.name, f.Warnings, v.E)
			}
		case len(f.Warnings) != 1 || f.Warnings[0].Message != tt.want.msg || f.Warnings[0].Offset != at:
			t.Errorf("%s: warnings %+v, want %q at %d", tt.name, f.Warnings, tt.want.msg, at)
		case v.E != engine.Unreadable:
			t.Errorf("%s: evidence %v, want unreadable", tt.name, v.E)
		}
		if tt.want.stored && (len(f.Evidence) != 0 || f.Warnings != nil) {
			t.Errorf("%s: a stored value has evidence %+v", tt.name, f.Evidence)
		}
	}
}

// Merge records where a value came from, so that a conflict names both.
func TestReaderMergeLocates(t *testing.T) {
	cat, _ := engine.NewCatalog([]engine.FactSpec{{Name: "p.b", Kind: engine.Bool, Provider: "p", Description: "b", Polarity: engine.AdverseFalse}})
	f := engine.NewFacts(cat)
	doc := gjson.Parse(`{"a": true, "b": false}`)
	rd := Reader{Sink: f.Sink("p"), Base: 50}
	rd.Merge(0, engine.BoolValue(true), doc.Get("a"), "a")
	rd.Merge(0, engine.BoolValue(false), doc.Get("b"), "b")
	if len(f.Evidence) != 1 || f.Evidence[0].Offset != 50+int(doc.Get("b").Index) || f.Evidence[0].Field != "b" {
		t.Errorf("evidence %+v, want the conflict at b, byte %d", f.Evidence, 50+doc.Get("b").Index)
	}
}

// Object says whether a field is an object; another type is a warning at
// the field, absence is not.
func TestReaderObject(t *testing.T) {
	cat, _ := engine.NewCatalog([]engine.FactSpec{{Name: "p.b", Kind: engine.Bool, Provider: "p", Description: "b"}})
	f := engine.NewFacts(cat)
	doc := gjson.Parse(`{"o": {}, "a": [], "s": "x"}`)
	rd := Reader{Sink: f.Sink("p"), Base: 7}
	if !rd.Object(doc.Get("o"), "o") || rd.Object(doc.Get("nope"), "nope") || len(f.Warnings) != 0 {
		t.Fatalf("Object of an object or nothing: warnings %+v", f.Warnings)
	}
	if rd.Object(doc.Get("a"), "a") || rd.Object(doc.Get("s"), "s") {
		t.Fatal("Object of an array or a string")
	}
	want := []engine.Warning{
		{Provider: "p", Offset: 7 + int(doc.Get("a").Index), Message: "a: expected object, got array"},
		{Provider: "p", Offset: 7 + int(doc.Get("s").Index), Message: `s: expected object, got string "x"`},
	}
	if !slices.Equal(f.Warnings, want) {
		t.Errorf("warnings %+v, want %+v", f.Warnings, want)
	}
}

func TestStrings(t *testing.T) {
	if got := Strings(gjson.Parse(`["a", 1, null, "b"]`)); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Strings = %q", got)
	}
	if got := Strings(gjson.Parse(`[]`)); got == nil || len(got) != 0 {
		t.Errorf("Strings of an empty array = %#v, want empty, not nil", got)
	}
	if got := Strings(gjson.Parse(`"a"`)); got != nil {
		t.Errorf("Strings of a string = %q", got)
	}
}
