package policies_test

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

type result struct {
	name string
	raw  string
}

func gjsonResults(t *testing.T, doc []byte) []result {
	var out []result
	gjson.GetBytes(doc, "results").ForEach(func(_, v gjson.Result) bool {
		out = append(out, result{name: v.Get("provider").Str + "/" + v.Get("kind").Str, raw: v.Raw})
		return true
	})
	if len(out) < 9 {
		t.Fatalf("the full case has %d results", len(out))
	}
	return out
}

// envelopeWithout assembles an envelope of the results whose name is not
// dropped (a name ending in "/" drops every result of that provider).
func envelopeWithout(results []result, drop ...string) []byte {
	doc := []byte(`{"case_id":"x","results":[`)
	first := true
	for _, r := range results {
		if dropped(r.name, drop) {
			continue
		}
		if !first {
			doc = append(doc, ',')
		}
		first = false
		doc = append(doc, r.raw...)
	}
	return append(doc, "]}"...)
}

func dropped(name string, drop []string) bool {
	for _, d := range drop {
		if name == d || strings.HasSuffix(d, "/") && strings.HasPrefix(name, d) {
			return true
		}
	}
	return false
}
