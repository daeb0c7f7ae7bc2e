package field

import (
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
