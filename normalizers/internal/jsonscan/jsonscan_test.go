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

// Every proper prefix of a document is malformed, and is reported as such
// (never a panic, never valid): the scanner checks the end of the input
// wherever a value, a key, an escape or a number's next part may begin.
func TestPrefixesAreMalformed(t *testing.T) {
	for _, doc := range []string{
		`{"a": [1, -0.5e+3, 2E-1, 0, "x\"\\\/\b\f\n\r\t\u00e9y"], "b": {"c": true, "d": false, "e": null}, "f": {}, "g": []}`,
		`[{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":18,"k19":19,"k20":20,"k21":21,"k22":22,"k23":23,"k24":24,"k25":25,"k26":26,"k27":27,"k28":28,"k29":29,"k30":30,"k31":31,"k32":32,"k33":33}]`,
		"{\n        \"a\" :\t[ 1 ,\r\n 2 ] }",
		`-1`, `"\u0041"`, `true`, `1e5`,
	} {
		if err := Valid([]byte(doc), 64); err != nil {
			t.Fatalf("Valid(%q) = %v", doc, err)
		}
		for n := len(doc) - 1; n > 0; n-- {
			p := doc[:n]
			if json.Valid([]byte(p)) {
				continue // a number cut short can be a number
			}
			var spans []Span
			err := Scan([]byte(p), 64, 3, &spans)
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset > n {
				t.Errorf("Valid(%q) = %v, want an error inside it", p, err)
			}
		}
	}
}

// Valid agrees with encoding/json on strings with a quote, a backslash or
// a control character at every position of the 8-byte blocks that the fast
// path reads at once, and on the bytes around them.
func TestStringBytesAgreeWithEncodingJSON(t *testing.T) {
	specials := []byte{'"', '\\', 0x00, 0x01, 0x1f}
	plain := []byte{' ', '!', '#', '[', ']', 'a', 0x7f, 0xc3}
	for _, filler := range []string{"a", "A", "0", "~"} {
		for _, c := range append(specials, plain...) {
			for pos := 0; pos < 17; pos++ {
				b := []byte(`"` + strings.Repeat(filler, 17) + `"`)
				b[1+pos] = c
				if c == 0xc3 { // keep the UTF-8 valid: é
					b = append(b[:2+pos], append([]byte{0xa9}, b[2+pos:]...)...)
				}
				got, want := Valid(b, 64) == nil, json.Valid(b)
				if got != want {
					t.Errorf("Valid(%q) = %v, encoding/json says %v", b, got, want)
				}
			}
		}
	}
}

// The \u escape takes four hex digits of either case and nothing else.
func TestUnicodeEscapes(t *testing.T) {
	for _, hex := range []string{"0009", "aAfF", "09af", "FEDC", "000/", "000:", "000`", "000g", "000@", "000G", "00 0", "0"} {
		doc := []byte(`["\u` + hex + `"]`)
		if got, want := Valid(doc, 64) == nil, json.Valid(doc); got != want {
			t.Errorf("Valid(%s) = %v, encoding/json says %v", doc, got, want)
		}
	}
	// An escape that ends the input is not an escape error: the string is
	// unterminated.
	err := Valid([]byte(`"\u0041`), 64)
	if err == nil || err.Error() != "byte 0: unterminated string" {
		t.Errorf(`Valid("\u0041) = %v`, err)
	}
}

// The messages name the byte found: printable ASCII quoted, anything else
// in hex.
func TestMessages(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"a": "\x"}`, `byte 7: invalid escape \x`},
		{"{\"a\": \"\x1f\"}", "byte 7: control character byte 0x1f in string"},
		{"[~]", "byte 1: unexpected '~', expecting a value"},
		{"[\x7f]", "byte 1: unexpected byte 0x7f, expecting a value"},
		{"[\x19]", "byte 1: unexpected byte 0x19, expecting a value"},
		{"[!]", "byte 1: unexpected '!', expecting a value"},
		{`{"a": 1}}`, "byte 8: unexpected '}' after the end of the document"},
		{`{"a": 1]`, "byte 7: unexpected ']', expecting , or }"},
		{`[1}`, "byte 2: unexpected '}', expecting , or ]"},
		{`{"a"`, "byte 4: unexpected end of input, expecting :"},
		{`{"a",`, "byte 4: unexpected ',', expecting :"},
		{`{"a":`, "byte 5: unexpected end of input, expecting a value"},
		{`{"a":1,`, "byte 7: unexpected end of input, expecting an object key"},
		{`[1,`, "byte 3: unexpected end of input, expecting a value"},
		{`[1,]`, "byte 3: trailing comma before ']'"},
		{`"\`, "byte 1: unterminated escape"},
		{`fals`, "byte 0: invalid literal, expecting false"},
		{`nul`, "byte 0: invalid literal, expecting null"},
		{`-`, "byte 0: invalid number"},
		{`1.`, "byte 0: invalid number"},
		{`1e`, "byte 0: invalid number"},
		{`1e+`, "byte 0: invalid number"},
	} {
		if err := Valid([]byte(tt.in), 64); err == nil || err.Error() != tt.want {
			t.Errorf("Valid(%q) = %v, want %s", tt.in, err, tt.want)
		}
	}
}

// Empty containers at the deepest recorded level get their spans too, and
// the spans of the containers around and after them stay right.
func TestScanSpansOfEmptyContainers(t *testing.T) {
	for _, tt := range []struct {
		doc    string
		record int
		want   []string
	}{
		{`{"a": {}, "b": [], "c": {"d": 1}, "e": [[]]}`, 2, []string{`{"a": {}, "b": [], "c": {"d": 1}, "e": [[]]}`, `{}`, `[]`, `{"d": 1}`, `[[]]`}},
		{`[[{}], 1]`, 3, []string{`[[{}], 1]`, `[{}]`, `{}`}},
	} {
		var spans []Span
		if err := Scan([]byte(tt.doc), 64, tt.record, &spans); err != nil {
			t.Fatal(err)
		}
		if len(spans) != len(tt.want) {
			t.Fatalf("%s: spans %v, want %d", tt.doc, spans, len(tt.want))
		}
		for i, sp := range spans {
			if got := tt.doc[sp.Start:sp.End]; got != tt.want[i] {
				t.Errorf("%s: span %d = %q, want %q", tt.doc, i, got, tt.want[i])
			}
		}
	}
}

// The keys of an object of more than linearKeys keys are forgotten when it
// closes: a sibling object may have the same keys.
func TestBigObjectKeysEndWithTheObject(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i <= linearKeys; i++ {
		fmt.Fprintf(&b, `"k%d":%d,`, i, i)
	}
	big := strings.TrimSuffix(b.String(), ",") + "}"
	for _, doc := range []string{
		`[` + big + `, {"k0": 1}]`,
		`[` + big + `, {"x": 1, "k1": 2}]`,
		`{"a": ` + big + `, "b": {"k2": 1, "k3": 2}}`,
	} {
		if err := Valid([]byte(doc), 64); err != nil {
			t.Errorf("%.50s...: %v", doc, err)
		}
	}
}
