package jaak

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/normtest"
)

var asOf = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

var fixtureDir = filepath.Join("..", "..", "fixtures", "jaak")

// fixture reads fixtures/jaak/<name>.json, or testdata/<x>.json for
// "testdata/<x>".
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	p := filepath.Join(fixtureDir, name+".json")
	if strings.HasPrefix(name, "testdata/") {
		p = name + ".json"
	}
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func newFacts(tb testing.TB) *engine.Facts {
	tb.Helper()
	cat, err := engine.NewCatalog(Provider{}.Facts())
	if err != nil {
		tb.Fatal(err)
	}
	f := engine.NewFacts(cat)
	f.AsOf = asOf
	return f
}

// in is one payload of a test case: a fixture name (or raw JSON when it
// starts with "{") and an optional hint.
type in struct {
	src, hint string
}

func payloads(tb testing.TB, ins ...in) []normalizers.Payload {
	tb.Helper()
	out := make([]normalizers.Payload, len(ins))
	off := 100
	for i, x := range ins {
		var raw []byte
		if strings.HasPrefix(x.src, "{") {
			raw = []byte(x.src)
		} else {
			raw = fixture(tb, x.src)
		}
		out[i] = normalizers.Payload{Raw: raw, Offset: off, Hint: x.hint}
		off += len(raw) + 10
	}
	return out
}

func files(names ...string) []in {
	out := make([]in, len(names))
	for i, n := range names {
		out[i] = in{src: n}
	}
	return out
}

// list returns the per-list facts of a check.
func list(l string, found, must any) map[string]any {
	m := map[string]any{}
	if found != nil {
		m["jaak."+l+".found"] = found
	}
	if must != nil {
		m["jaak."+l+".must_be_found"] = must
	}
	if found != nil && must != nil {
		m["jaak."+l+".passed"] = found == must
	}
	return m
}

func agg(checked, failed, passed, inconclusive []string, all any) map[string]any {
	m := map[string]any{
		"jaak.lists_checked":      checked,
		"jaak.lists_failed":       failed,
		"jaak.lists_passed":       passed,
		"jaak.lists_inconclusive": inconclusive,
	}
	if all != nil {
		m["jaak.all_passed"] = all
	}
	return m
}

func mergeMaps(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var none = []string{}

// evOf returns a fact's evidence state.
func evOf(t testing.TB, f *engine.Facts, n string) engine.Evidence {
	t.Helper()
	v, ok := f.Lookup(n)
	if !ok {
		t.Fatalf("%s: not in the catalog", n)
	}
	return v.E
}

func noteOf(f *engine.Facts, n string) *engine.EvidenceNote {
	for i := range f.Evidence {
		if f.Evidence[i].Fact == n {
			return &f.Evidence[i]
		}
	}
	return nil
}

var (
	renapoRecord = map[string]any{"jaak.renapo.record_valid": true, "jaak.renapo.registry_error": false}
	ofacMatch    = map[string]any{"jaak.ofac.match_count": 1, "jaak.ofac.match_score": 96.4}
	satMatch     = map[string]any{"jaak.sat69b.status": "Definitivo", "jaak.sat69b.match_count": 1}
	renapoID     = engine.Identity{Source: "jaak.renapo", CURP: "PEGJ850315HJCRRN07", DOB: "1985-03-15", Name: "JUAN PEREZ GARCIA"}
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name       string
		in         []in
		want       map[string]any
		unknown    []string
		evidence   map[string]engine.Evidence // facts that are not clean
		warnings   int
		identities []engine.Identity
	}{
		{
			name: "RENAPO not found (seed): fails",
			in:   files("renapo_not_found"),
			want: mergeMaps(list("renapo", false, true), agg([]string{"renapo"}, []string{"renapo"}, none, none, false)),
			unknown: []string{"jaak.ofac.passed", "jaak.ine.passed", "jaak.interpol.passed", "jaak.sat69b.passed",
				"jaak.cdc.passed", "jaak.ofac.found", "jaak.renapo.record_valid"},
		},
		{
			name:       "RENAPO found: the record and its identity",
			in:         files("renapo_found"),
			want:       mergeMaps(list("renapo", true, true), renapoRecord, agg([]string{"renapo"}, none, []string{"renapo"}, none, true)),
			identities: []engine.Identity{renapoID},
		},
		{
			name:       "RENAPO found twice: one identity",
			in:         files("renapo_found", "renapo_found"),
			want:       mergeMaps(list("renapo", true, true), renapoRecord, agg([]string{"renapo"}, none, []string{"renapo"}, none, true)),
			identities: []engine.Identity{renapoID},
		},
		{
			name: "INE found",
			in:   files("ine_found"),
			want: mergeMaps(list("ine", true, true), agg([]string{"ine"}, none, []string{"ine"}, none, true)),
		},
		{
			name: "INE not found (documentation's sample): fails",
			in:   files("ine_not_found"),
			want: mergeMaps(list("ine", false, true), agg([]string{"ine"}, []string{"ine"}, none, none, false)),
		},
		{
			name: "OFAC not found: passes",
			in:   files("ofac_not_found"),
			want: mergeMaps(list("ofac", false, false), agg([]string{"ofac"}, none, []string{"ofac"}, none, true)),
		},
		{
			name: "OFAC found: fails, with its match",
			in:   files("ofac_found"),
			want: mergeMaps(list("ofac", true, false), ofacMatch, agg([]string{"ofac"}, []string{"ofac"}, none, none, false)),
		},
		{
			name: "Interpol not found",
			in:   files("interpol_not_found"),
			want: mergeMaps(list("interpol", false, false), agg([]string{"interpol"}, none, []string{"interpol"}, none, true)),
		},
		{
			name: "SAT 69-B not found",
			in:   files("sat69b_not_found"),
			want: mergeMaps(list("sat69b", false, false), agg([]string{"sat69b"}, none, []string{"sat69b"}, none, true)),
		},
		{
			name: "SAT 69-B found (documentation's sample): fails, Definitivo",
			in:   files("sat69b_found"),
			want: mergeMaps(list("sat69b", true, false), satMatch, agg([]string{"sat69b"}, []string{"sat69b"}, none, none, false)),
		},
		{
			name: "SAT 69-B two records: the adverse situation is kept, conflicting",
			in:   files("sat69b_found_two_records"),
			want: mergeMaps(list("sat69b", true, false), map[string]any{"jaak.sat69b.status": "Presunto", "jaak.sat69b.match_count": 2},
				agg([]string{"sat69b"}, []string{"sat69b"}, none, none, false)),
			evidence: map[string]engine.Evidence{"jaak.sat69b.status": engine.Conflicting},
		},
		{
			name: "CDC found",
			in:   files("cdc_found"),
			want: mergeMaps(list("cdc", true, true), agg([]string{"cdc"}, none, []string{"cdc"}, none, true)),
		},
		{
			name: "unknown list: reported by name, no per-list facts",
			in:   files("unknown_list"),
			want: agg([]string{"foo"}, none, []string{"foo"}, none, true),
		},
		{
			name:    "service failed (timeout, no mustBeFound): inconclusive and unreadable",
			in:      files("state_missing_must_be_found"),
			want:    agg([]string{"ofac"}, none, none, []string{"ofac"}, nil),
			unknown: []string{"jaak.ofac.passed", "jaak.ofac.found", "jaak.ofac.must_be_found", "jaak.all_passed"},
			evidence: map[string]engine.Evidence{"jaak.ofac.passed": engine.Unreadable, "jaak.ofac.found": engine.Unreadable,
				"jaak.all_passed": engine.Unreadable},
			warnings: 3,
		},
		{
			name:    "state without mustBeFound: inconclusive, not reported",
			in:      []in{{src: `{"organization":"ofac","state":{"message":"Investigation completed successfully","foundInService":false}}`}},
			want:    mergeMaps(list("ofac", false, nil), agg([]string{"ofac"}, none, none, []string{"ofac"}, nil)),
			unknown: []string{"jaak.ofac.passed", "jaak.ofac.must_be_found", "jaak.all_passed"},
		},
		{
			name: "every list, all passing",
			in:   files("renapo_found", "ine_found", "ofac_not_found", "interpol_not_found", "sat69b_not_found", "cdc_found"),
			want: mergeMaps(list("renapo", true, true), renapoRecord, list("ine", true, true), list("ofac", false, false),
				list("interpol", false, false), list("sat69b", false, false), list("cdc", true, true),
				agg([]string{"cdc", "ine", "interpol", "ofac", "renapo", "sat69b"}, none,
					[]string{"cdc", "ine", "interpol", "ofac", "renapo", "sat69b"}, none, true)),
			identities: []engine.Identity{renapoID},
		},
		{
			name: "failed, passed, inconclusive and unknown lists",
			in:   files("unknown_list", "state_missing_must_be_found", "renapo_not_found", "ine_found"),
			want: mergeMaps(list("renapo", false, true), list("ine", true, true),
				agg([]string{"foo", "ine", "ofac", "renapo"}, []string{"renapo"}, []string{"foo", "ine"}, []string{"ofac"}, false)),
			evidence: map[string]engine.Evidence{"jaak.ofac.passed": engine.Unreadable, "jaak.ofac.found": engine.Unreadable},
			warnings: 2,
		},
		{
			name:    "passed and inconclusive: all_passed unknown and unreadable",
			in:      files("renapo_found", "state_missing_must_be_found"),
			want:    mergeMaps(list("renapo", true, true), renapoRecord, agg([]string{"ofac", "renapo"}, none, []string{"renapo"}, []string{"ofac"}, nil)),
			unknown: []string{"jaak.all_passed"},
			evidence: map[string]engine.Evidence{"jaak.ofac.passed": engine.Unreadable, "jaak.ofac.found": engine.Unreadable,
				"jaak.all_passed": engine.Unreadable},
			warnings:   3,
			identities: []engine.Identity{renapoID},
		},
		{
			name:     "same list twice, disagreeing: conflicting, the failing one kept",
			in:       files("ofac_not_found", "ofac_found"),
			want:     mergeMaps(list("ofac", true, false), ofacMatch, agg([]string{"ofac"}, []string{"ofac"}, none, none, false)),
			evidence: map[string]engine.Evidence{"jaak.ofac.passed": engine.Conflicting, "jaak.ofac.found": engine.Conflicting},
		},
		{
			name:     "same list twice, failing one first",
			in:       files("ofac_found", "ofac_not_found"),
			want:     mergeMaps(list("ofac", true, false), ofacMatch, agg([]string{"ofac"}, []string{"ofac"}, none, none, false)),
			evidence: map[string]engine.Evidence{"jaak.ofac.passed": engine.Conflicting, "jaak.ofac.found": engine.Conflicting},
		},
		{
			name: "same list twice, failed service then passing: passed but unreadable, inconclusive",
			in:   files("state_missing_must_be_found", "ofac_not_found"),
			want: mergeMaps(list("ofac", false, false), agg([]string{"ofac"}, none, none, []string{"ofac"}, nil)),
			evidence: map[string]engine.Evidence{"jaak.ofac.passed": engine.Unreadable, "jaak.ofac.found": engine.Unreadable,
				"jaak.all_passed": engine.Unreadable},
			warnings: 3,
		},
		{
			name: "same list twice, agreeing",
			in:   files("renapo_not_found", "renapo_not_found"),
			want: mergeMaps(list("renapo", false, true), agg([]string{"renapo"}, []string{"renapo"}, none, none, false)),
		},
		{
			name: "hint names an unidentifiable list",
			in:   []in{{"unknown_list", "ofac"}},
			want: mergeMaps(list("ofac", false, false), agg([]string{"ofac"}, none, []string{"ofac"}, none, true)),
		},
		{
			name: "hints with the request's service names; the payload's own list wins",
			in: []in{{"unknown_list", "rccFico"}, {"ofac_not_found", "interpol"}, {"sat69b_found", "sat"},
				{"renapo_not_found", "curp"}, {"ine_found", "INE"}},
			want: mergeMaps(list("cdc", false, false), list("ofac", false, false), list("sat69b", true, false), satMatch,
				list("renapo", false, true), list("ine", true, true),
				agg([]string{"cdc", "ine", "ofac", "renapo", "sat69b"}, []string{"renapo", "sat69b"},
					[]string{"cdc", "ine"}, []string{"ofac"}, false)),
			unknown:  []string{"jaak.interpol.passed", "jaak.interpol.found"},
			evidence: map[string]engine.Evidence{"jaak.ofac.passed": engine.Conflicting}, // hinted as interpol
		},
		{
			name:     "hint disagrees with organization: the payload wins, conflicting",
			in:       []in{{"renapo_not_found", "ine"}},
			want:     mergeMaps(list("renapo", false, true), agg([]string{"renapo"}, []string{"renapo"}, none, none, false)),
			unknown:  []string{"jaak.ine.passed", "jaak.ine.found", "jaak.ine.must_be_found"},
			evidence: map[string]engine.Evidence{"jaak.renapo.passed": engine.Conflicting},
		},
		{
			name:     "hint OFAC on a passing RENAPO payload: no OFAC fact, RENAPO conflicting and inconclusive",
			in:       []in{{"renapo_found", "ofac"}},
			want:     mergeMaps(list("renapo", true, true), renapoRecord, agg([]string{"renapo"}, none, none, []string{"renapo"}, nil)),
			unknown:  []string{"jaak.ofac.passed", "jaak.ofac.found", "jaak.all_passed"},
			evidence: map[string]engine.Evidence{"jaak.renapo.passed": engine.Conflicting, "jaak.all_passed": engine.Unreadable},
			warnings: 1, identities: []engine.Identity{renapoID},
		},
		{
			name:     "unknown hint: identified from organization",
			in:       []in{{"renapo_not_found", "foo"}},
			want:     mergeMaps(list("renapo", false, true), agg([]string{"renapo"}, []string{"renapo"}, none, none, false)),
			warnings: 1,
		},
		{
			name: "unknown lists sanitized and sorted; a failed one is adverse",
			in: []in{{src: "unknown_list"}, {src: `{"organization":"Bar Baz!","service":"x","result":null,"state":{"foundInService":true,"mustBeFound":false}}`},
				{src: `{"service":"PEP-Search","state":{"foundInService":false,"mustBeFound":false}}`}},
			want: agg([]string{"bar_baz", "foo", "pep_search"}, []string{"bar_baz"}, []string{"foo", "pep_search"}, none, false),
		},
		{
			name:     "unknown list whose service failed: inconclusive",
			in:       []in{{src: `{"organization":"pep","state":{"message":"Internal error","foundInService":false,"mustBeFound":false}}`}},
			want:     agg([]string{"pep"}, none, none, []string{"pep"}, nil),
			evidence: map[string]engine.Evidence{"jaak.all_passed": engine.Unreadable},
			warnings: 2,
		},
		{
			name:     "state null: inconclusive",
			in:       []in{{src: `{"organization":"interpol","service":"redNotices","result":null,"state":null}`}},
			want:     agg([]string{"interpol"}, none, none, []string{"interpol"}, nil),
			warnings: 1,
		},
		{
			name: "booleans as strings and 0/1",
			in:   []in{{src: `{"organization":"ofac","state":{"foundInService":"false","mustBeFound":0}}`}},
			want: mergeMaps(list("ofac", false, false), agg([]string{"ofac"}, none, []string{"ofac"}, none, true)),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFacts(t)
			if err := (Provider{}).Normalize(payloads(t, tt.in...), f.Sink(name)); err != nil {
				t.Fatal(err)
			}
			normtest.Facts(t, f, tt.want, tt.unknown)
			if len(f.Warnings) != tt.warnings {
				t.Errorf("warnings = %v, want %d", f.Warnings, tt.warnings)
			}
			for _, n := range f.Evidence {
				if tt.evidence[n.Fact] != n.State {
					t.Errorf("%s is %s (%s), want %s", n.Fact, n.State, n.Message, tt.evidence[n.Fact])
				}
			}
			for n, e := range tt.evidence {
				if got := evOf(t, f, n); got != e {
					t.Errorf("%s is %s, want %s", n, got, e)
				}
			}
			if f.CaseID != "" || !slices.Equal(f.Identities, tt.identities) {
				t.Errorf("case id %q, identities %v: want none and %v", f.CaseID, f.Identities, tt.identities)
			}
		})
	}
}

// TestEdits starts from a fixture, changes one field, and checks the fact
// it feeds: its value (nil: unknown), its evidence, and where the evidence
// points (the changed text, or "" for no note).
func TestEdits(t *testing.T) {
	type fact struct {
		name string
		want any
		ev   engine.Evidence
	}
	tests := []struct {
		fixture, from, to string
		facts             []fact
		at                string // where the first fact's note points, "" when clean
		failed, inconc    []string
	}{
		// mustBeFound against the list's nature: never a pass.
		{"ofac_found", `"mustBeFound": false`, `"mustBeFound": true`,
			[]fact{{"jaak.ofac.passed", false, engine.Conflicting}, {"jaak.ofac.must_be_found", true, engine.Clean}}, "true", []string{"ofac"}, none},
		{"ofac_not_found", `"mustBeFound": false`, `"mustBeFound": true`,
			[]fact{{"jaak.ofac.passed", false, engine.Conflicting}}, "true", []string{"ofac"}, none},
		{"interpol_not_found", `"mustBeFound": false`, `"mustBeFound": true`,
			[]fact{{"jaak.interpol.passed", false, engine.Conflicting}}, "true", []string{"interpol"}, none},
		{"sat69b_found", `"mustBeFound": false`, `"mustBeFound": true`,
			[]fact{{"jaak.sat69b.passed", false, engine.Conflicting}}, "true", []string{"sat69b"}, none},
		{"renapo_not_found", `"mustBeFound": true`, `"mustBeFound": false`,
			[]fact{{"jaak.renapo.passed", false, engine.Conflicting}}, "false", []string{"renapo"}, none},
		{"renapo_found", `"mustBeFound": true`, `"mustBeFound": false`,
			[]fact{{"jaak.renapo.passed", false, engine.Conflicting}}, "false", []string{"renapo"}, none},
		{"ine_found", `"mustBeFound": true`, `"mustBeFound": false`,
			[]fact{{"jaak.ine.passed", false, engine.Conflicting}}, "false", []string{"ine"}, none},
		// CDC's nature is not documented: taken as sent.
		{"cdc_found", `"mustBeFound": true`, `"mustBeFound": false`,
			[]fact{{"jaak.cdc.passed", false, engine.Clean}}, "", []string{"cdc"}, none},
		// A message reporting a failure: inconclusive whatever foundInService says.
		{"ofac_not_found", `"Investigation completed successfully"`, `"Service error"`,
			[]fact{{"jaak.ofac.passed", nil, engine.Unreadable}, {"jaak.ofac.found", nil, engine.Unreadable}, {"jaak.ofac.must_be_found", false, engine.Clean}}, `"Service error"`, none, []string{"ofac"}},
		{"ofac_found", `"Investigation completed successfully"`, `"Investigation failed"`,
			[]fact{{"jaak.ofac.passed", nil, engine.Unreadable}}, `"Investigation failed"`, none, []string{"ofac"}},
		{"renapo_found", `"Investigation completed successfully"`, `"Error al consultar RENAPO"`,
			[]fact{{"jaak.renapo.passed", nil, engine.Unreadable}, {"jaak.renapo.found", nil, engine.Unreadable}}, `"Error`, none, []string{"renapo"}},
		{"interpol_not_found", `"Investigation completed successfully"`, `"Tiempo de espera agotado"`,
			[]fact{{"jaak.interpol.passed", nil, engine.Unreadable}}, `"Tiempo`, none, []string{"interpol"}},
		{"sat69b_not_found", `"Investigation completed successfully"`, `"Servicio no disponible"`,
			[]fact{{"jaak.sat69b.passed", nil, engine.Unreadable}}, `"Servicio`, none, []string{"sat69b"}},
		{"ine_found", `"Investigation completed successfully"`, `"Investigation unsuccessful"`,
			[]fact{{"jaak.ine.passed", nil, engine.Unreadable}}, `"Investigation`, none, []string{"ine"}},
		// A success message in Spanish is a success.
		{"ofac_not_found", `"Investigation completed successfully"`, `"Investigación completada exitosamente"`,
			[]fact{{"jaak.ofac.passed", true, engine.Clean}}, "", none, none},
		// An undocumented message, or one of the wrong type: the outcome is kept but unreadable.
		{"ofac_not_found", `"Investigation completed successfully"`, `"Lista consultada"`,
			[]fact{{"jaak.ofac.passed", true, engine.Unreadable}}, `"Lista`, none, []string{"ofac"}},
		{"ofac_found", `"Investigation completed successfully"`, `7`,
			[]fact{{"jaak.ofac.passed", false, engine.Unreadable}}, `7`, []string{"ofac"}, none},
		{"ofac_not_found", `"message": "Investigation completed successfully",`, ``,
			[]fact{{"jaak.ofac.passed", true, engine.Clean}}, "", none, none},
		// Flags of the wrong type.
		{"ofac_not_found", `"foundInService": false`, `"foundInService": "maybe"`,
			[]fact{{"jaak.ofac.found", nil, engine.Unreadable}, {"jaak.ofac.passed", nil, engine.Unreadable}}, `"maybe"`, none, []string{"ofac"}},
		{"ofac_not_found", `"mustBeFound": false`, `"mustBeFound": 2`,
			[]fact{{"jaak.ofac.must_be_found", nil, engine.Unreadable}, {"jaak.ofac.passed", nil, engine.Unreadable}}, `2`, none, []string{"ofac"}},
		{"ofac_not_found", `"foundInService": false`, `"foundInService": 1`,
			[]fact{{"jaak.ofac.found", true, engine.Clean}, {"jaak.ofac.passed", false, engine.Clean}}, "", []string{"ofac"}, none},
		// Organization and service naming two lists.
		{"ofac_not_found", `"service": "sdnList"`, `"service": "validaCurp"`,
			[]fact{{"jaak.ofac.passed", true, engine.Conflicting}, {"jaak.renapo.passed", nil, engine.Clean}}, "", none, []string{"ofac"}},
		// SAT 69-B situations.
		{"sat69b_found", `"Definitivo"`, `"Desvirtuado"`, []fact{{"jaak.sat69b.status", "Desvirtuado", engine.Clean}}, "", []string{"sat69b"}, none},
		{"sat69b_found", `"Definitivo"`, `"sentencia favorable"`, []fact{{"jaak.sat69b.status", "Sentencia Favorable", engine.Clean}}, "", []string{"sat69b"}, none},
		{"sat69b_found", `"Definitivo"`, `" PRESUNTO "`, []fact{{"jaak.sat69b.status", "Presunto", engine.Clean}}, "", []string{"sat69b"}, none},
		{"sat69b_found", `"Definitivo"`, `"Cancelado"`, []fact{{"jaak.sat69b.status", nil, engine.Unreadable}, {"jaak.sat69b.match_count", 1, engine.Clean}}, `"Cancelado"`, []string{"sat69b"}, none},
		{"sat69b_found", `"Definitivo"`, `5`, []fact{{"jaak.sat69b.status", nil, engine.Unreadable}}, `5`, []string{"sat69b"}, none},
		// Match records.
		{"ofac_not_found", `"result": null`, `"result": {"0": {"content": {"score": "x"}}}`,
			[]fact{{"jaak.ofac.found", false, engine.Conflicting}, {"jaak.ofac.match_count", 1, engine.Clean}, {"jaak.ofac.match_score", nil, engine.Unreadable}}, `{"0"`, none, []string{"ofac"}},
		{"ofac_not_found", `"result": null`, `"result": {}`, []fact{{"jaak.ofac.match_count", 0, engine.Clean}, {"jaak.ofac.passed", true, engine.Clean}}, "", none, none},
		{"ofac_found", `"content": {`, `"data": {`, []fact{{"jaak.ofac.match_count", nil, engine.Unreadable}, {"jaak.ofac.passed", false, engine.Clean}}, "", []string{"ofac"}, none},
		{"interpol_not_found", `"result": null`, `"result": "none"`, []fact{{"jaak.interpol.match_count", nil, engine.Unreadable}}, `"none"`, none, []string{"interpol"}},
		{"ofac_found", `"result": {`, `"result": {"coincidences": {"1": {"content": {"score": 50}}},`,
			[]fact{{"jaak.ofac.match_count", 2, engine.Clean}, {"jaak.ofac.match_score", 96.4, engine.Clean}}, "", []string{"ofac"}, none},
		{"interpol_not_found", `"result": null`, `"result": [{"content": {}}, {"content": {}}, 3]`,
			[]fact{{"jaak.interpol.match_count", 2, engine.Clean}, {"jaak.interpol.found", false, engine.Conflicting}}, "", none, []string{"interpol"}},
		// RENAPO's record.
		{"renapo_found", `"valid": true`, `"valid": false`, []fact{{"jaak.renapo.record_valid", false, engine.Clean}}, "", none, none},
		{"renapo_found", `"valid": true`, `"valid": "maybe"`, []fact{{"jaak.renapo.record_valid", nil, engine.Unreadable}}, `"maybe"`, none, none},
		{"renapo_found", `"error": "False"`, `"error": "True"`, []fact{{"jaak.renapo.registry_error", true, engine.Conflicting}}, "", none, none},
		{"renapo_found", `"codeError": "0"`, `"codeError": "06"`, []fact{{"jaak.renapo.registry_error", true, engine.Conflicting}}, "", none, none},
		{"renapo_found", `"codeError": "0",`, ``, []fact{{"jaak.renapo.registry_error", false, engine.Clean}}, "", none, none},
		{"renapo_not_found", `"result": null`, `"result": 7`, []fact{{"jaak.renapo.record_valid", nil, engine.Unreadable}}, `7`, []string{"renapo"}, none},
	}
	for _, tt := range tests {
		t.Run(tt.fixture+" "+tt.to, func(t *testing.T) {
			orig := string(fixture(t, tt.fixture))
			if !strings.Contains(orig, tt.from) {
				t.Fatalf("%s has no %s", tt.fixture, tt.from)
			}
			raw := strings.Replace(orig, tt.from, tt.to, 1)
			const base = 50
			f := newFacts(t)
			if err := (Provider{}).Normalize([]normalizers.Payload{{Raw: []byte(raw), Offset: base}}, f.Sink(name)); err != nil {
				t.Fatal(err)
			}
			for _, x := range tt.facts {
				v, _ := f.Lookup(x.name)
				if x.want == nil && v.Known() || x.want != nil && !normtest.Equal(v, x.want) || v.E != x.ev {
					t.Errorf("%s = %v (%s), want %v (%s); evidence %+v", x.name, v, v.E, x.want, x.ev, f.Evidence)
				}
			}
			n := noteOf(f, tt.facts[0].name)
			if tt.at != "" {
				at := strings.Index(tt.to, tt.at)
				if at < 0 {
					t.Fatalf("%q not in %q", tt.at, tt.to)
				}
				if want := base + strings.Index(orig, tt.from) + at; n == nil || n.Offset != want {
					t.Errorf("note %+v, want it at %d (%q)", n, want, tt.at)
				}
			}
			normtest.Some(t, f, map[string]any{"jaak.lists_failed": tt.failed, "jaak.lists_inconclusive": tt.inconc}, nil)
			if all, _ := f.Lookup("jaak.all_passed"); all.True() && (len(tt.failed) > 0 || len(tt.inconc) > 0) {
				t.Errorf("all_passed true with failed %v, inconclusive %v", tt.failed, tt.inconc)
			}
		})
	}
}

// The RENAPO record's birth date is read day first, in any documented form.
func TestRenapoIdentity(t *testing.T) {
	for _, tc := range []struct {
		from, to, dob string
		warn          bool
	}{
		{"", "", "1985-03-15", false},
		{`"15/03/1985"`, `"1985-03-15"`, "1985-03-15", false},
		{`"15/03/1985"`, `"15 de marzo de 1985"`, "1985-03-15", false},
		{`"15/03/1985"`, `"03/15/1985"`, "", true},
		{`"15/03/1985"`, `"31/02/1985"`, "", true},
		{`"15/03/1985"`, `"1985"`, "", true},
		{`"15/03/1985"`, `19850315`, "", true},
	} {
		raw := strings.Replace(string(fixture(t, "renapo_found")), tc.from, tc.to, 1)
		f := newFacts(t)
		if err := (Provider{}).Normalize([]normalizers.Payload{{Raw: []byte(raw)}}, f.Sink(name)); err != nil {
			t.Fatal(err)
		}
		if len(f.Identities) != 1 || f.Identities[0].DOB != tc.dob || f.Identities[0].CURP != renapoID.CURP {
			t.Errorf("%s: identities %+v, want DOB %q", tc.to, f.Identities, tc.dob)
		}
		if (len(f.Warnings) > 0) != tc.warn {
			t.Errorf("%s: warnings %v", tc.to, f.Warnings)
		}
	}
}

func TestNormalizeNothing(t *testing.T) {
	f := newFacts(t)
	if err := (Provider{}).Normalize(nil, f.Sink(name)); err != nil {
		t.Fatal(err)
	}
	if k := f.Known(); len(k) != 0 {
		t.Errorf("known facts without payloads: %v", k)
	}
}

func TestIdentify(t *testing.T) {
	for s, want := range map[string]int{
		"curp": lRENAPO, "validaCurp": lRENAPO, "RENAPO": lRENAPO, "renapo.curp": lRENAPO,
		"ofac": lOFAC, "OFAC-SDN": lOFAC, "sdnList": lUnknown,
		"interpol": lInterpol, "Interpol": lInterpol, "interpool": lInterpol,
		"ine": lINE, "INE": lINE, "validaIne": lINE, "ineValidation": lINE, "INE_lista": lINE,
		"Instituto Nacional Electoral": lINE, "online": lUnknown, "engine": lUnknown, "pipeline": lUnknown,
		"sat": lSAT69B, "SAT": lSAT69B, "sat69b": lSAT69B, "sat.sat69b": lSAT69B, "SAT_69B": lSAT69B,
		"lista69-B": lSAT69B, "SATLista": lSAT69B, "69-b": lSAT69B, "satellite": lUnknown, "sat_": lSAT69B,
		"cdc": lCDC, "rccFico": lCDC, "cdc.rccFico": lCDC, "RCC": lCDC, "circulo de credito": lCDC,
		"foo": lUnknown, "": lUnknown, "   ": lUnknown,
		// Word boundaries at the edges of the letter and digit ranges.
		"zINE": lINE, "ineAbc": lINE, "ineZed": lINE, "ine0": lINE, "9ine": lINE, "zine": lUnknown,
	} {
		if got := identify(s); got != want {
			t.Errorf("identify(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	for s, want := range map[string]string{
		"foo": "foo", "Bar Baz!": "bar_baz", "  PEP--Search  ": "pep_search", "***": "", "x.y_z": "x_y_z",
		"AZaz09": "azaz09", "@[`{/:": "", "Z@9": "z_9",
	} {
		if got := sanitize(s); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tt := range []struct {
		file, msg, at string
	}{
		{"testdata/not_object", "payload: expected a JSON object", ""},
		{"testdata/state_string", "state: expected an object", `"foundInService"`},
		{"testdata/no_list_name", "organization, service: missing", ""},
		{"testdata/event_detail", "event detail", ""},
		{"testdata/multi_list", "multi-list answer", ""},
	} {
		t.Run(tt.file, func(t *testing.T) {
			ps := payloads(t, in{src: "ofac_not_found"}, in{src: tt.file})
			f := newFacts(t)
			err := Provider{}.Normalize(ps, f.Sink(name))
			var e *normalizers.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want a *normalizers.Error", err)
			}
			if e.Provider != name || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("err = %v, want %q", err, tt.msg)
			}
			want := ps[1].Offset
			if tt.at != "" {
				want += bytes.Index(ps[1].Raw, []byte(tt.at))
			}
			if e.Offset != want {
				t.Errorf("offset = %d, want %d", e.Offset, want)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	ps := payloads(t, in{src: "renapo_found"}, in{src: "testdata/wrong_types"})
	f := newFacts(t)
	if err := (Provider{}).Normalize(ps, f.Sink(name)); err != nil {
		t.Fatal(err)
	}
	raw, base := ps[1].Raw, ps[1].Offset
	state := base + bytes.Index(raw, []byte(`{"message"`))
	want := []engine.Warning{
		{Provider: name, Offset: base + bytes.Index(raw, []byte(`"ok"`)), Message: `state.message: undocumented message "ok"`},
		{Provider: name, Offset: base + bytes.Index(raw, []byte(`"no"`)), Message: "state.foundInService: expected a boolean"},
		{Provider: name, Offset: base + bytes.Index(raw, []byte(`2}}`)), Message: "state.mustBeFound: expected a boolean"},
		{Provider: name, Offset: state, Message: "state: foundInService or mustBeFound unreadable"},
		{Provider: name, Offset: state, Message: "state: a list's outcome is unreadable or conflicting"},
	}
	if !slices.Equal(f.Warnings, want) {
		t.Errorf("warnings = %v, want %v", f.Warnings, want)
	}
	normtest.Facts(t, f, mergeMaps(list("renapo", true, true), renapoRecord, agg([]string{"ofac", "renapo"}, none, []string{"renapo"}, []string{"ofac"}, nil)),
		[]string{"jaak.ofac.found", "jaak.ofac.must_be_found", "jaak.ofac.passed", "jaak.all_passed"})
	for _, n := range []string{"jaak.ofac.found", "jaak.ofac.must_be_found", "jaak.ofac.passed", "jaak.all_passed"} {
		if e := evOf(t, f, n); e != engine.Unreadable {
			t.Errorf("%s is %s, want unreadable", n, e)
		}
	}

	// organization of the wrong type: a warning, and the list is read from service.
	raw = []byte(`{"organization":7,"service":"validaCurp","state":{"foundInService":true,"mustBeFound":true}}`)
	f = newFacts(t)
	if err := (Provider{}).Normalize([]normalizers.Payload{{Raw: raw, Offset: 40}}, f.Sink(name)); err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 1 || f.Warnings[0].Offset != 40+bytes.Index(raw, []byte("7")) ||
		!strings.Contains(f.Warnings[0].Message, "organization: expected a string") {
		t.Errorf("warnings = %v", f.Warnings)
	}
	if v, _ := f.Lookup("jaak.renapo.passed"); !v.True() {
		t.Errorf("jaak.renapo.passed = %v, want true", v)
	}
}

func TestFactsFilled(t *testing.T) {
	fs := Provider{}.Facts()
	if len(fs) != numFacts {
		t.Fatalf("%d facts, want %d", len(fs), numFacts)
	}
	for i, s := range fs {
		if s.Name == "" || s.Description == "" || s.Kind == engine.Unknown {
			t.Errorf("fact %d is not filled: %+v", i, s)
		}
		if !strings.HasPrefix(s.Name, name+".") || s.Provider != name {
			t.Errorf("fact %s outside namespace %s", s.Name, name)
		}
	}
	// The per-list layout: list l's facts are named after listNames[l].
	for l, ln := range listNames {
		for f, suffix := range []string{"passed", "found", "must_be_found"} {
			if got, want := fs[l*perList+f].Name, "jaak."+ln+"."+suffix; got != want {
				t.Errorf("slot %d = %s, want %s", l*perList+f, got, want)
			}
		}
	}
	if !slices.IsSorted(listNames[:]) {
		t.Error("listNames must be sorted")
	}
	// Every fact's polarity, declared per fact: found is adverse when true
	// on the must-not-be-found lists and when false on the must-be-found ones.
	polarity := map[string]engine.Polarity{
		"jaak.lists_checked": engine.Informational, "jaak.lists_passed": engine.Informational,
		"jaak.lists_failed": engine.AdverseNonEmpty, "jaak.lists_inconclusive": engine.AdverseNonEmpty,
		"jaak.all_passed": engine.AdverseFalse, "jaak.renapo.record_valid": engine.AdverseFalse,
		"jaak.renapo.registry_error": engine.AdverseTrue, "jaak.sat69b.status": engine.AdverseValues,
		"jaak.sat69b.match_count": engine.HigherWorse, "jaak.ofac.match_count": engine.HigherWorse,
		"jaak.ofac.match_score": engine.HigherWorse, "jaak.interpol.match_count": engine.HigherWorse,
		"jaak.ofac.found": engine.AdverseTrue, "jaak.interpol.found": engine.AdverseTrue, "jaak.sat69b.found": engine.AdverseTrue,
		"jaak.ine.found": engine.AdverseFalse, "jaak.renapo.found": engine.AdverseFalse, "jaak.cdc.found": engine.Informational,
	}
	for l, ln := range listNames {
		polarity["jaak."+ln+".passed"] = engine.AdverseFalse
		polarity["jaak."+ln+".must_be_found"] = engine.Informational
		if nature[l] == unknown && polarity["jaak."+ln+".found"] != engine.Informational ||
			nature[l] == yes && polarity["jaak."+ln+".found"] != engine.AdverseFalse ||
			nature[l] == no && polarity["jaak."+ln+".found"] != engine.AdverseTrue {
			t.Errorf("list %s: nature and found's polarity disagree", ln)
		}
	}
	for _, s := range fs {
		p, ok := polarity[s.Name]
		if !ok || p != s.Polarity {
			t.Errorf("%s: polarity %s, want %s", s.Name, s.Polarity, p)
		}
	}
	var sat engine.FactSpec
	for _, s := range fs {
		if s.Name == "jaak.sat69b.status" {
			sat = s
		}
	}
	for v, adverse := range map[string]bool{"Presunto": true, "Definitivo": true, "Desvirtuado": false, "Sentencia Favorable": false} {
		if sat.IsAdverse(engine.StringValue(v)) != adverse {
			t.Errorf("sat69b.status %s: adverse %v", v, !adverse)
		}
	}
	for _, s := range fs {
		if s.Limit != nil && (!s.IsAdverse(engine.NumberValue(1)) || s.IsAdverse(engine.NumberValue(0))) {
			t.Errorf("%s: 1 match must be adverse, 0 not", s.Name)
		}
	}
	if _, err := engine.NewCatalog(fs); err != nil {
		t.Fatal(err)
	}
}

func shape(raw string) normalizers.Shape {
	s := normalizers.Shape{Keys: map[string]string{}}
	gjson.Parse(raw).ForEach(func(k, v gjson.Result) bool {
		s.Keys[k.Str] = v.Raw
		return true
	})
	return s
}

func TestDetect(t *testing.T) {
	entries, err := os.ReadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := strings.TrimSuffix(e.Name(), ".json")
		if !(Provider{}).Detect(shape(string(fixture(t, n)))) {
			t.Errorf("%s: not detected", n)
		}
	}
	for _, raw := range []string{
		`{"status":"success","verification":{"id":"f04bdb47","status":"approved"}}`,
		`{"status":"fail","code":"1102","message":"Mandatory parameters are missing from the request."}`,
		`{"active":true,"documentState":"VALID"}`,
		`{"label":"No Threat","request_id":"abc","face_match":{},"document":{},"selfie":{},"curp":{"state":"x"}}`,
		`{"ticket":"762e","event":"ticket.verification.completed","flow_status":"ACCEPTED"}`,
		`{"organization":"curp","state":{"message":"x"}}`,
		`{"organization":"curp","state":"foundInService"}`,
		`{"state":{"foundInService":false,"mustBeFound":true}}`,
	} {
		if (Provider{}).Detect(shape(raw)) {
			t.Errorf("detected %s", raw)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, dir := range []string{fixtureDir, "testdata"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b, "")
		}
	}
	f.Add(fixture(f, "unknown_list"), "renapo.curp")
	other := fixture(f, "ofac_found")
	cat, err := engine.NewCatalog(Provider{}.Facts())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte, hint string) {
		if !json.Valid(raw) {
			t.Skip()
		}
		facts := engine.NewFacts(cat)
		start := time.Now()
		_ = Provider{}.Normalize([]normalizers.Payload{{Raw: raw, Hint: hint}}, facts.Sink(name))
		facts.Reset()
		_ = Provider{}.Normalize([]normalizers.Payload{{Raw: other}, {Raw: raw, Offset: len(other), Hint: hint}}, facts.Sink(name))
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Normalize took %v", d)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   []in
	}{
		{"renapo_not_found", files("renapo_not_found")},
		{"ofac_found", files("ofac_found")},
		{"unknown_list", files("unknown_list")},
		{"six_lists", files("renapo_found", "ine_found", "ofac_not_found", "interpol_not_found", "sat69b_not_found", "cdc_found")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ps := payloads(b, bc.in...)
			size := 0
			for _, p := range ps {
				size += len(p.Raw)
			}
			f := newFacts(b)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				f.Reset()
				if err := (Provider{}).Normalize(ps, f.Sink(name)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
