package policies_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
)

// TestAdverseEvidenceNeverApproves is the second promise, tested as a
// careful reviewer would: it starts from every fixture the standard policy
// approves and changes one provider answer at a time, through real payload
// edits (every leaf of every payload set to each adverse word of the
// catalog, to other types, to null, to out-of-range numbers and dates), in
// place and as a second, disagreeing result of the same provider. Whenever
// the edit leaves a fact adverse (by its catalog polarity), unreadable or
// conflicting, and the policy does not list that fact as informational,
// the case must not be approved.
func TestAdverseEvidenceNeverApproves(t *testing.T) {
	p := load(t)
	cat := normalizers.Catalog()
	words := adverseWords(cat)
	var bases []string
	for _, name := range fixtures.Glob("*/*.json") {
		if decideRaw(t, p, mustRead(t, name)).Outcome == engine.Approve {
			bases = append(bases, name)
		}
	}
	if len(bases) == 0 {
		t.Fatal("no fixture is approved: nothing to start from")
	}
	checked, failures := 0, map[string]string{}
	for _, name := range bases {
		doc := asEnvelope(t, mustRead(t, name))
		// The round trip through encoding/json must not change the decision.
		if d := decideRaw(t, p, doc.bytes(t)); d.Outcome != engine.Approve {
			t.Fatalf("%s: re-encoded, the case is %s", name, d.Outcome)
		}
		for ri := range doc.Results {
			for _, leaf := range leaves(doc.Results[ri]["payload"], "") {
				for _, v := range mutations(leaf.value, words) {
					for _, second := range []bool{false, true} {
						m := doc.with(ri, leaf.path, v, second)
						raw := m.bytes(t)
						f := engine.NewFacts(cat)
						if normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}) != nil {
							continue // refused input decides nothing
						}
						checked++
						bad := suspectFacts(p, f)
						if len(bad) == 0 {
							continue
						}
						if d := p.Evaluate(f); d.Outcome == engine.Approve {
							how := "set to"
							if second {
								how = "repeated as a second result with"
							}
							key := name + " " + bad[0]
							if _, seen := failures[key]; !seen {
								failures[key] = fmt.Sprintf("%s: %s %s %s %s approves although %s", name, doc.label(ri), leaf.path, how, short(v), strings.Join(bad, ", "))
							}
						}
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d edited cases were decided: the edits do not reach the normalizers", checked)
	}
	if len(failures) > 0 {
		keys := make([]string, 0, len(failures))
		for k := range failures {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Error(failures[k])
		}
	}
	t.Logf("%d edited cases from %d approved fixtures", checked, len(bases))
}

// suspectFacts lists the facts that are adverse, or unreadable or
// conflicting while they can be evidence (their polarity is not
// informational), and that the policy does not declare informational. An
// informational fact that is unreadable blocks approval only when a rule
// reads it; the engine's own tests hold that.
func suspectFacts(p *engine.Policy, f *engine.Facts) []string {
	var out []string
	cat := f.Catalog()
	for i := 0; i < cat.Len(); i++ {
		spec, v := cat.Spec(i), f.Get(i)
		if !spec.IsAdverse(v) && (v.E == engine.Clean || spec.Polarity == engine.Informational) {
			continue
		}
		if _, ok := p.AcceptedReason(spec.Name); ok {
			continue
		}
		state := v.String()
		if v.E != engine.Clean {
			state = v.E.String()
		}
		out = append(out, spec.Name+"="+state)
	}
	return out
}

// adverseWords are every adverse string value the catalog declares, plus
// words that no provider documents.
func adverseWords(cat *engine.Catalog) []string {
	words := []string{"UNEXPECTED", "", "unknown"}
	for _, s := range cat.Specs() {
		for _, a := range s.Adverse {
			if !slices.Contains(words, a) {
				words = append(words, a)
			}
		}
	}
	return words
}

// mutations are the edits of one leaf value.
func mutations(v any, words []string) []any {
	out := []any{nil, map[string]any{}, []any{}}
	switch x := v.(type) {
	case bool:
		out = append(out, !x, "maybe", 2.0)
	case float64:
		out = append(out, 0.0, -1.0, 1.0, 50.0, 101.0, 1e9, x+1, x-1, "many", true)
	case string:
		out = append(out, 1.0, true, "2020-01-01", "2020-01-01T00:00:00Z", "15/03/2099", "31 de diciembre de 2019", "31/02/2030")
		for _, w := range words {
			if w != x {
				out = append(out, w)
			}
		}
	}
	return out
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 30 {
		return string(b[:30]) + "…"
	}
	return string(b)
}

type leaf struct {
	path  string
	value any
}

// leaves lists every scalar of a JSON value (and every empty container)
// with its path, objects' keys sorted.
func leaves(v any, at string) []leaf {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			return []leaf{{at, x}}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []leaf
		for _, k := range keys {
			out = append(out, leaves(x[k], join(at, k))...)
		}
		return out
	case []any:
		if len(x) == 0 {
			return []leaf{{at, x}}
		}
		var out []leaf
		for i, e := range x {
			out = append(out, leaves(e, fmt.Sprintf("%s[%d]", at, i))...)
		}
		return out
	}
	return []leaf{{at, v}}
}

func join(at, k string) string {
	if at == "" {
		return k
	}
	return at + "." + k
}

// envelope is a case decoded for editing.
type envelope struct {
	CaseID  string           `json:"case_id,omitempty"`
	AsOf    string           `json:"as_of,omitempty"`
	Results []map[string]any `json:"results"`
}

// asEnvelope decodes a case, wrapping a bare payload as a one-result
// envelope whose provider is the fixture's folder.
func asEnvelope(t *testing.T, raw []byte) envelope {
	t.Helper()
	var probe map[string]any
	if err := json.Unmarshal(raw, &probe); err != nil {
		t.Fatal(err)
	}
	var e envelope
	if _, ok := probe["results"]; ok {
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	f := engine.NewFacts(normalizers.Catalog())
	if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	e.Results = []map[string]any{{"provider": f.Providers[0], "payload": probe}}
	return e
}

func (e envelope) bytes(t *testing.T) []byte {
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e envelope) label(ri int) string {
	r := e.Results[ri]
	if k, ok := r["kind"].(string); ok {
		return fmt.Sprint(r["provider"]) + "/" + k
	}
	return fmt.Sprint(r["provider"])
}

// with returns a copy of e whose result ri has v at path; with second, the
// edited result is appended and the original kept.
func (e envelope) with(ri int, at string, v any, second bool) envelope {
	out := e
	out.Results = slices.Clone(e.Results)
	r := deepCopy(e.Results[ri]).(map[string]any)
	r["payload"] = set(r["payload"], at, v)
	if second {
		out.Results = append(out.Results, r)
	} else {
		out.Results[ri] = r
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// set replaces the value at a path made by leaves.
func set(root any, at string, v any) any {
	if at == "" {
		return v
	}
	head, rest := at, ""
	if i := strings.IndexAny(at[1:], ".["); i >= 0 {
		head, rest = at[:i+1], strings.TrimPrefix(at[i+1:], ".")
	}
	if strings.HasPrefix(head, "[") {
		var i int
		fmt.Sscanf(head, "[%d]", &i)
		l := root.([]any)
		l[i] = set(l[i], rest, v)
		return l
	}
	m := root.(map[string]any)
	m[head] = set(m[head], rest, v)
	return m
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := fixtures.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func decideRaw(t *testing.T, p *engine.Policy, raw []byte) engine.Decision {
	t.Helper()
	f := engine.NewFacts(normalizers.Catalog())
	if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
		return engine.Decision{Outcome: engine.Review}
	}
	return p.Evaluate(f)
}
