package jsonscan

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/fixtures"
)

func TestValid(t *testing.T) {
	tests := []struct {
		in     string
		offset int // -1: valid
		msg    string
	}{
		{`{}`, -1, ""},
		{` [1, -2.5e3, "a\u00e9\n", true, false, null, {"k": []}] `, -1, ""},
		{`"just a string"`, -1, ""},
		{``, 0, "empty document"},
		{`   `, 3, "empty document"},
		{`{"a": [1, 2,]}`, 12, "trailing comma"},
		{`{"a": 1,, "b": 2}`, 8, "double comma"},
		{`{"a" 1}`, 5, "expecting :"},
		{`{"a": 1} x`, 9, "after the end"},
		{`{"a": tru}`, 6, "expecting true"},
		{`{"a": 01}`, 7, "expecting , or }"},
		{`{"a": "x`, 6, "unterminated string"},
		{`[1, 2`, 5, "unexpected end of input"},
		{`{"a": "\x"}`, 7, "invalid escape"},
		{"{\"a\": \"\x01\"}", 7, "control character"},
		{`{1: 2}`, 1, "expecting an object key"},
		{`[.5]`, 1, "expecting a value"},
		{`[-]`, 1, "invalid number"},
	}
	for _, tt := range tests {
		err := Valid([]byte(tt.in), 64)
		if tt.offset < 0 {
			if err != nil {
				t.Errorf("Valid(%q) = %v, want nil", tt.in, err)
			}
			if !json.Valid([]byte(tt.in)) {
				t.Errorf("test bug: %q is not valid JSON", tt.in)
			}
			continue
		}
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Valid(%q) = %v, want a SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Valid(%q) = %v, want offset %d and %q", tt.in, err, tt.offset, tt.msg)
		}
	}
}

func TestDepth(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	err := Valid([]byte(deep), 128)
	if se, ok := err.(*SyntaxError); !ok || se.Offset != 128 {
		t.Fatalf("100k-deep array: %v, want depth error at byte 128", err)
	}
	ok := strings.Repeat("[", 128) + strings.Repeat("]", 128)
	if err := Valid([]byte(ok), 128); err != nil {
		t.Fatalf("depth 128 within limit: %v", err)
	}
}

func TestScanSpans(t *testing.T) {
	doc := `{"a": [1, {"b": {}}], "c": {"d": [[]]}, "e": "x"}`
	var spans []Span
	if err := Scan([]byte(doc), 64, 3, &spans); err != nil {
		t.Fatal(err)
	}
	want := []string{doc, `[1, {"b": {}}]`, `{"b": {}}`, `{"d": [[]]}`, `[[]]`}
	if len(spans) != len(want) {
		t.Fatalf("spans %v, want %d", spans, len(want))
	}
	for i, sp := range spans {
		if got := doc[sp.Start:sp.End]; got != want[i] {
			t.Errorf("span %d = %q, want %q", i, got, want[i])
		}
	}
}

// FuzzValid checks that Valid agrees with encoding/json and never panics.
func FuzzValid(f *testing.F) {
	for _, s := range []string{`{}`, `[1,2,]`, `{"a":{"b":[null,true,"\u0041"]}}`, `-0.1e+5`, `{"a":1,,}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var spans []Span
		got := Scan(data, 10000, 3, &spans) == nil
		if want := json.Valid(data); got != want {
			t.Fatalf("Valid(%q) = %v, encoding/json says %v", data, got, want)
		}
		if !got {
			return
		}
		for _, sp := range spans {
			if sp.End <= sp.Start || !json.Valid(data[sp.Start:sp.End]) {
				t.Fatalf("span %v of %q is not a value", sp, data)
			}
		}
	})
}

func BenchmarkValid(b *testing.B) {
	doc := []byte(`{"status":"success","verification":{"id":"12df6045","code":9001,"person":{"firstName":null,"lastName":"MORGAN"},"additionalVerifiedData":[{"estimatedAge":28,"estimatedGender":0.9}],"comments":[]}}`)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Valid(doc, 128); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidFixtures(b *testing.B) {
	for _, name := range []string{"veriff/mx_ine_db_verification.json", "cases/mx_full_approved.json"} {
		doc, err := fixtures.Read(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fixtures.Name(name), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if err := Valid(doc, 64); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestDuplicateKeys(t *testing.T) {
	many := func(n int, dup bool) string {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"k%d":%d`, i, i)
		}
		if dup {
			b.WriteString(`,"k7":0`)
		}
		b.WriteString("}")
		return b.String()
	}
	for _, c := range []struct {
		doc  string
		off  int // -1: valid
		name string
	}{
		{`{"status":"declined","status":"approved"}`, 21, "status"},
		{`{"a":{"x":1},"b":{"x":1}}`, -1, ""},
		{`[{"x":1},{"x":2}]`, -1, ""},
		{`{"x":{"y":1,"z":{"y":2}},"y":3}`, -1, ""},
		{`{"x":{"y":1,"y":2}}`, 12, "y"},
		{`{"a":1,"\u0061":2}`, 7, "a"},
		{`{"\u0061":1,"a":2}`, 12, "a"},
		{`{"ab":1,"ac":2,"abc":3}`, -1, ""},
		{`{"a":{},"a":[]}`, 8, "a"},
		{many(linearKeys, false), -1, ""},
		{many(linearKeys+1, false), -1, ""},
		{many(linearKeys, true), -2, "k7"},
		{many(linearKeys+1, true), -2, "k7"},
		{many(1000, true), -2, "k7"},
	} {
		err := Valid([]byte(c.doc), 64)
		if c.off == -1 {
			if err != nil {
				t.Errorf("%.40s: %v", c.doc, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, fmt.Sprintf("duplicate key %q", c.name)) {
			t.Errorf("%.40s: err = %v, want a duplicate key %q", c.doc, err, c.name)
			continue
		}
		want := c.off
		if want == -2 {
			want = strings.LastIndex(c.doc, `"k7"`)
		}
		if se.Offset != want {
			t.Errorf("%.40s: offset %d, want %d", c.doc, se.Offset, want)
		}
	}
}

func TestManyKeysAllocateOnlyForBigObjects(t *testing.T) {
	small := []byte(`{"a":{"b":1,"c":[{"d":1},{"d":2}]},"e":"f"}`)
	if n := testing.AllocsPerRun(100, func() { _ = Valid(small, 64) }); n != 0 {
		t.Errorf("%v allocations for a small document, want 0", n)
	}
}
