package walk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/fixtures"
)

// walkMatches checks the single-pass walker against gjson on one document:
// the same keys, values at the same offsets, containers ending where gjson
// says, and scalars read the same.
func walkMatches(t *testing.T, s string) {
	t.Helper()
	var check func(r gjson.Result)
	check = func(r gjson.Result) {
		if r.Type != gjson.JSON {
			got := Val(s, r.Index)
			if got.Type != r.Type || got.Str != r.Str || got.Num != r.Num || got.Raw != r.Raw {
				t.Fatalf("val at %d = %+v, gjson %+v", r.Index, got, r)
			}
			if e := End(s, r.Index); e != r.Index+len(r.Raw) {
				t.Fatalf("end of scalar at %d = %d, want %d", r.Index, e, r.Index+len(r.Raw))
			}
			return
		}
		if e := End(s, r.Index); e != r.Index+len(r.Raw) {
			t.Fatalf("end of container at %d = %d, want %d", r.Index, e, r.Index+len(r.Raw))
		}
		var keys []string
		var idx []int
		r.ForEach(func(k, v gjson.Result) bool {
			keys = append(keys, k.Str)
			idx = append(idx, v.Index)
			check(v)
			return true
		})
		n := 0
		var e int
		if r.IsObject() {
			e = Members(s, r.Index, func(k string, v int) int {
				if n >= len(keys) || k != keys[n] || v != idx[n] {
					t.Fatalf("member %d of %d: %q at %d, gjson %q", n, r.Index, k, v, keys)
				}
				n++
				return 0
			})
		} else {
			e = Elements(s, r.Index, func(v int) int {
				if n >= len(idx) || v != idx[n] {
					t.Fatalf("element %d of %d at %d, gjson %v", n, r.Index, v, idx)
				}
				n++
				return 0
			})
		}
		if n != len(keys) || e != r.Index+len(r.Raw) {
			t.Fatalf("container at %d: %d members ending at %d, gjson %d ending at %d", r.Index, n, e, len(keys), r.Index+len(r.Raw))
		}
	}
	top := gjson.Parse(s)
	top.Index = SkipWS(s, 0)
	if top.Type == gjson.JSON {
		top.Raw = s[top.Index:End(s, top.Index)]
		if !gjson.Valid(s) {
			return
		}
		top = gjson.Parse(s[:top.Index+len(top.Raw)])
		top.Index = SkipWS(s, 0)
	}
	check(top)
}

func TestWalkerMatchesGJSON(t *testing.T) {
	for _, p := range fixtures.Glob("*/*.json") { // every provider's, for variety
		raw, _ := fixtures.Read(p)
		walkMatches(t, string(raw))
	}
	tds, _ := filepath.Glob("testdata/*.json")
	for _, p := range tds {
		raw, _ := os.ReadFile(p)
		walkMatches(t, string(raw))
	}
	for _, s := range []string{
		`{"a\"b":"x\\\"}{[","c":[1,-2.5e3,true,false,null,{"d":"\u00e9"}],"e":{}}`,
		` [ {} , [] , "" , "\\" ] `,
		`{"k":"v\\\\"}`,
	} {
		walkMatches(t, s)
	}
}

func FuzzWalk(f *testing.F) {
	f.Add(`{"a":[1,{"b":"c\"}"}],"d":null}`)
	for _, p := range fixtures.Glob("veriff/*.json") {
		raw, _ := fixtures.Read(p)
		f.Add(string(raw))
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			// Broken input is not expected, but must not hang or panic.
			var walk func(i, depth int) int
			walk = func(i, depth int) int {
				if depth > 64 {
					return 0
				}
				Val(s, i)
				switch {
				case IsObject(s, i):
					return Members(s, i, func(_ string, v int) int { return walk(v, depth+1) })
				case IsArray(s, i):
					return Elements(s, i, func(v int) int { return walk(v, depth+1) })
				}
				return End(s, i)
			}
			walk(SkipWS(s, 0), 0)
			return
		}
		walkMatches(t, s)
	})
}

// walkAll descends into every value, as the normalizers do, and checks
// that no handler is given an index outside s.
func walkAll(t *testing.T, s string) {
	t.Helper()
	var walk func(i, depth int) int
	walk = func(i, depth int) int {
		if i < 0 || i >= len(s) {
			t.Fatalf("%q: a handler was given index %d", s, i)
		}
		if depth > 64 {
			return 0
		}
		Val(s, i)
		switch {
		case IsObject(s, i):
			return Members(s, i, func(_ string, v int) int { return walk(v, depth+1) })
		case IsArray(s, i):
			return Elements(s, i, func(v int) int { return walk(v, depth+1) })
		}
		return End(s, i)
	}
	if i := SkipWS(s, 0); i < len(s) {
		walk(i, 0)
	}
}

// Cut short anywhere, a document is walked without a panic, without a
// hang, and without handing a handler an index past its end.
func TestPrefixesWalkSafely(t *testing.T) {
	for _, doc := range []string{
		`{"a\"b": "x\\\"}{[", "c": [1, -2.5e3, true, false, null, {"d": "\u00e9"}], "e": {}, "\u0066": [[]]}`,
		"{\n        \"k\" :\t[ 1 ,\r\n 2 ] , \"s\": \"\\\\\" }",
		`123`, `"abc"`,
	} {
		for n := 0; n <= len(doc); n++ {
			walkAll(t, doc[:n])
		}
	}
}

func TestValEdges(t *testing.T) {
	for _, tt := range []struct {
		s    string
		i    int
		typ  gjson.Type
		str  string
		want string // Raw
	}{
		{`"ab"`, 0, gjson.String, "ab", `"ab"`},
		{`""`, 0, gjson.String, "", `""`},
		{`"a\"b"`, 0, gjson.String, `a"b`, `"a\"b"`},
		{`[1, null]`, 4, gjson.Null, "", "null"},
		{`{"a": 1}`, 0, gjson.JSON, "", "{"},
		{`7`, 0, gjson.Number, "", "7"},
		{`7`, 1, gjson.Null, "", ""}, // past the end: nothing
		{`7`, -1, gjson.Null, "", ""},
		{`"`, 0, gjson.String, "", ""}, // a lone quote, cut short
	} {
		got := Val(tt.s, tt.i)
		if got.Type != tt.typ || got.Str != tt.str || (tt.want != "" && got.Raw != tt.want) {
			t.Errorf("Val(%q, %d) = %+v", tt.s, tt.i, got)
		}
		if tt.want != "" && got.Index != tt.i {
			t.Errorf("Val(%q, %d).Index = %d", tt.s, tt.i, got.Index)
		}
	}
}

func TestEndAndSkipEdges(t *testing.T) {
	for _, tt := range []struct {
		s       string
		i, want int
	}{
		{`123`, 0, 3},
		{`[1 , 2 ]`, 1, 2},
		{`[1 , 2 ]`, 5, 6},
		{`{"a": 1}`, 8, 8},
		{`"a\\"`, 0, 5},
		{`"a\\\"b"`, 0, 8},
		{`[1, "a`, 0, 6}, // cut short: the end of the input
		{`{"a": [1 `, 0, 9},
	} {
		if got := End(tt.s, tt.i); got != tt.want {
			t.Errorf("End(%q, %d) = %d, want %d", tt.s, tt.i, got, tt.want)
		}
	}
	if got := SkipWS("1 \t\n\r", 1); got != 5 {
		t.Errorf("SkipWS to the end = %d", got)
	}
	walkMatches(t, `[1 , 2 , {"a" : 3 , "b" : [ 4 ] } ]`)
}

// A key that starts with an escape is unescaped like any other.
func TestMembersEscapedKey(t *testing.T) {
	var keys []string
	Members(`{"\u0061b": 1, "c\\d": 2}`, 0, func(k string, v int) int { keys = append(keys, k); return 0 })
	if len(keys) != 2 || keys[0] != "ab" || keys[1] != `c\d` {
		t.Errorf("keys %q", keys)
	}
}

// A handler that returns the index it was given has not walked the value:
// the value is skipped, once.
func TestHandlerWithoutProgress(t *testing.T) {
	s := `{"a": "x", "b": [1, "y"], "c": {"d": 2}}`
	var keys []string
	if e := Members(s, 0, func(k string, v int) int { keys = append(keys, k); return v }); e != len(s) || len(keys) != 3 {
		t.Errorf("Members: %q ending at %d", keys, e)
	}
	s = `["x", [1], {"a": 2}, 3]`
	n := 0
	if e := Elements(s, 0, func(v int) int { n++; return v }); e != len(s) || n != 4 {
		t.Errorf("Elements: %d elements ending at %d", n, e)
	}
}

func TestObjects(t *testing.T) {
	s := `{"o": {"a": 1}, "l": [{"a": 2}, 3, {"a": 4}], "n": 5, "s": ["x", 1, "y\"z", null]}`
	idx := map[string]int{}
	Members(s, 0, func(k string, v int) int { idx[k] = v; return 0 })
	var seen []string
	visit := func(v int) int { seen = append(seen, s[v:End(s, v)]); return End(s, v) }
	if e := Objects(s, idx["o"], visit); e != End(s, idx["o"]) {
		t.Errorf("Objects of an object ends at %d", e)
	}
	if e := Objects(s, idx["l"], visit); e != End(s, idx["l"]) {
		t.Errorf("Objects of an array ends at %d", e)
	}
	if e := Objects(s, idx["n"], visit); e != 0 {
		t.Errorf("Objects of a number = %d, want 0", e)
	}
	if want := []string{`{"a": 1}`, `{"a": 2}`, `{"a": 4}`}; !slices.Equal(seen, want) {
		t.Errorf("Objects visited %q, want %q", seen, want)
	}
	if IsObject(s, -1) || IsObject(s, len(s)) || IsArray(s, len(s)) || IsArray(s, -1) || !IsObject(s, 0) || !IsArray(s, idx["l"]) || IsArray(s, 0) || IsObject(s, idx["l"]) {
		t.Error("IsObject or IsArray")
	}
	if !IsArray(`[1]`, 0) || IsObject(`[1]`, 0) || !IsObject(`{}`, 0) {
		t.Error("IsObject or IsArray at the start of the input")
	}
}
