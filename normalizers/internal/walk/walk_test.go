package walk

import (
	"encoding/json"
	"os"
	"path/filepath"
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
