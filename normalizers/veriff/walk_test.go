package veriff

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
			got := val(s, r.Index)
			if got.Type != r.Type || got.Str != r.Str || got.Num != r.Num || got.Raw != r.Raw {
				t.Fatalf("val at %d = %+v, gjson %+v", r.Index, got, r)
			}
			if e := end(s, r.Index); e != r.Index+len(r.Raw) {
				t.Fatalf("end of scalar at %d = %d, want %d", r.Index, e, r.Index+len(r.Raw))
			}
			return
		}
		if e := end(s, r.Index); e != r.Index+len(r.Raw) {
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
			e = members(s, r.Index, func(k string, v int) int {
				if n >= len(keys) || k != keys[n] || v != idx[n] {
					t.Fatalf("member %d of %d: %q at %d, gjson %q", n, r.Index, k, v, keys)
				}
				n++
				return 0
			})
		} else {
			e = elements(s, r.Index, func(v int) int {
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
	top.Index = skipWS(s, 0)
	if top.Type == gjson.JSON {
		top.Raw = s[top.Index:end(s, top.Index)]
		if !gjson.Valid(s) {
			return
		}
		top = gjson.Parse(s[:top.Index+len(top.Raw)])
		top.Index = skipWS(s, 0)
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
				val(s, i)
				switch {
				case isObject(s, i):
					return members(s, i, func(_ string, v int) int { return walk(v, depth+1) })
				case isArray(s, i):
					return elements(s, i, func(v int) int { return walk(v, depth+1) })
				}
				return end(s, i)
			}
			walk(skipWS(s, 0), 0)
			return
		}
		walkMatches(t, s)
	})
}

func TestDates(t *testing.T) {
	for in, want := range map[string]string{
		"31 de diciembre de 2028": "2028-12-31",
		"1 de Enero de 2030":      "2030-01-01",
		"15 SEPT 2027":            "2027-09-15",
		"30 de setiembre de 2026": "2026-09-30",
		"2029":                    "2029-12-31",
		"2028-06-30":              "2028-06-30",
		"30/06/2028":              "2028-06-30",
		"31 de febrero de 2028":   "",
		"mañana":                  "",
		"de de de":                "",
		"":                        "",
	} {
		got := ""
		if t2, ok := parseSpanishDate(in); ok {
			got = t2.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("parseSpanishDate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, ok := range map[string]bool{
		"2024-01-01T00:07:45Z":        true,
		"2024-01-08":                  true,
		"2024-01-01T00:05:30.000000Z": true,
		"2024-01-01T00:05:30.123":     true,
		"2024-01-01T00:05:30+0100":    true,
		"yesterday":                   false,
	} {
		if _, got := parseTime(in); got != ok {
			t.Errorf("parseTime(%q) ok = %v", in, got)
		}
	}
	for in, ok := range map[string]bool{
		"VISH560427MSRLNL06": true,
		"MERR700812HDFNZB09": true,
		"vish560427msrlnl06": false,
		"VISH560427MSRLNL0":  false,
		"123456789":          false,
		"VISH560427ZSRLNL06": false,
	} {
		if isCURP(in) != ok {
			t.Errorf("isCURP(%q) != %v", in, ok)
		}
	}
}

func TestCodeTables(t *testing.T) {
	for code, want := range map[int][2]string{
		102: {"decline", "document_tampering"}, 103: {"decline", "face_mismatch"},
		105: {"decline", "suspicious_behaviour"}, 106: {"decline", "known_fraud"},
		108: {"decline", "duplicate"}, 109: {"decline", "duplicate"}, 110: {"decline", "duplicate"},
		112: {"decline", "restricted_location"}, 120: {"decline", "face_mismatch"},
		126: {"decline", "pep"}, 530: {"decline", "underage"}, 536: {"decline", "underage"},
		539: {"decline", "resubmission_limit"}, 199: {"decline", "other"},
		201: {"resubmission", "missing_media"}, 202: {"resubmission", "image_quality"},
		203: {"resubmission", "image_quality"}, 204: {"resubmission", "image_quality"},
		205: {"resubmission", "document_damaged"}, 206: {"resubmission", "document_not_supported"},
		207: {"resubmission", "document_expired"}, 620: {"resubmission", "document_expired"},
		700: {"other", "other"}, 0: {"other", "other"},
	} {
		if g, c := reasonGroup(code), reasonCategory(code); g != want[0] || c != want[1] {
			t.Errorf("%d: %s/%s, want %s/%s", code, g, c, want[0], want[1])
		}
	}
	for c := 0; c < 1000; c++ {
		cat := reasonCategory(c)
		if canon(cat, categoryValues) != cat {
			t.Errorf("%d: category %q not among the documented values", c, cat)
		}
	}
}
