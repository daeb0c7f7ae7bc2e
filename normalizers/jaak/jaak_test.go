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

func TestNormalize(t *testing.T) {
	tests := []struct {
		name     string
		in       []in
		want     map[string]any
		unknown  []string
		warnings int
	}{
		{
			name: "RENAPO not found (seed): fails",
			in:   files("renapo_not_found"),
			want: mergeMaps(list("renapo", false, true), agg([]string{"renapo"}, []string{"renapo"}, none, none, false)),
			unknown: []string{"jaak.ofac.passed", "jaak.ine.passed", "jaak.interpol.passed", "jaak.sat69b.passed",
				"jaak.cdc.passed", "jaak.ofac.found"},
		},
		{
			name: "RENAPO found",
			in:   files("renapo_found"),
			want: mergeMaps(list("renapo", true, true), agg([]string{"renapo"}, none, []string{"renapo"}, none, true)),
		},
		{
			name: "INE found",
			in:   files("ine_found"),
			want: mergeMaps(list("ine", true, true), agg([]string{"ine"}, none, []string{"ine"}, none, true)),
		},
		{
			name: "OFAC not found: passes",
			in:   files("ofac_not_found"),
			want: mergeMaps(list("ofac", false, false), agg([]string{"ofac"}, none, []string{"ofac"}, none, true)),
		},
		{
			name: "OFAC found: fails",
			in:   files("ofac_found"),
			want: mergeMaps(list("ofac", true, false), agg([]string{"ofac"}, []string{"ofac"}, none, none, false)),
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
			name: "SAT 69-B found: fails",
			in:   files("sat69b_found"),
			want: mergeMaps(list("sat69b", true, false), agg([]string{"sat69b"}, []string{"sat69b"}, none, none, false)),
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
			name:    "state without mustBeFound: inconclusive",
			in:      files("state_missing_must_be_found"),
			want:    mergeMaps(list("ofac", false, nil), agg([]string{"ofac"}, none, none, []string{"ofac"}, nil)),
			unknown: []string{"jaak.ofac.passed", "jaak.ofac.must_be_found", "jaak.all_passed"},
		},
		{
			name: "every list, all passing",
			in:   files("renapo_found", "ine_found", "ofac_not_found", "interpol_not_found", "sat69b_not_found", "cdc_found"),
			want: mergeMaps(list("renapo", true, true), list("ine", true, true), list("ofac", false, false),
				list("interpol", false, false), list("sat69b", false, false), list("cdc", true, true),
				agg([]string{"cdc", "ine", "interpol", "ofac", "renapo", "sat69b"}, none,
					[]string{"cdc", "ine", "interpol", "ofac", "renapo", "sat69b"}, none, true)),
		},
		{
			name: "failed, passed, inconclusive and unknown lists",
			in:   files("unknown_list", "state_missing_must_be_found", "renapo_not_found", "ine_found"),
			want: mergeMaps(list("renapo", false, true), list("ine", true, true), list("ofac", false, nil),
				agg([]string{"foo", "ine", "ofac", "renapo"}, []string{"renapo"}, []string{"foo", "ine"}, []string{"ofac"}, false)),
		},
		{
			name: "passed and inconclusive: all_passed unknown",
			in:   files("renapo_found", "state_missing_must_be_found"),
			want: mergeMaps(list("renapo", true, true), list("ofac", false, nil),
				agg([]string{"ofac", "renapo"}, none, []string{"renapo"}, []string{"ofac"}, nil)),
			unknown: []string{"jaak.all_passed"},
		},
		{
			name:     "same list twice, disagreeing: the failing one wins",
			in:       files("ofac_not_found", "ofac_found"),
			want:     mergeMaps(list("ofac", true, false), agg([]string{"ofac"}, []string{"ofac"}, none, none, false)),
			warnings: 1,
		},
		{
			name:     "same list twice, failing one first",
			in:       files("ofac_found", "ofac_not_found"),
			want:     mergeMaps(list("ofac", true, false), agg([]string{"ofac"}, []string{"ofac"}, none, none, false)),
			warnings: 1,
		},
		{
			name:     "same list twice, inconclusive then passing: the conclusive one wins",
			in:       files("state_missing_must_be_found", "ofac_not_found"),
			want:     mergeMaps(list("ofac", false, false), agg([]string{"ofac"}, none, []string{"ofac"}, none, true)),
			warnings: 1,
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
			name: "hints with the request's service names",
			in: []in{{"unknown_list", "rccFico"}, {"ofac_not_found", "interpol"}, {"sat69b_found", "sat"},
				{"renapo_not_found", "curp"}, {"ine_found", "INE"}},
			want: mergeMaps(list("cdc", false, false), list("interpol", false, false), list("sat69b", true, false),
				list("renapo", false, true), list("ine", true, true),
				agg([]string{"cdc", "ine", "interpol", "renapo", "sat69b"}, []string{"renapo", "sat69b"},
					[]string{"cdc", "ine", "interpol"}, none, false)),
			warnings: 1, // ofac_not_found hinted as interpol
		},
		{
			name:     "hint disagrees with organization: the hint wins",
			in:       []in{{"renapo_not_found", "ine"}},
			want:     mergeMaps(list("ine", false, true), agg([]string{"ine"}, []string{"ine"}, none, none, false)),
			warnings: 1,
		},
		{
			name:     "unknown hint: identified from organization",
			in:       []in{{"renapo_not_found", "foo"}},
			want:     mergeMaps(list("renapo", false, true), agg([]string{"renapo"}, []string{"renapo"}, none, none, false)),
			warnings: 1,
		},
		{
			name: "unknown lists sanitized and sorted",
			in: []in{{src: "unknown_list"}, {src: `{"organization":"Bar Baz!","service":"x","result":null,"state":{"foundInService":true,"mustBeFound":false}}`},
				{src: `{"service":"PEP-Search","state":{"foundInService":false,"mustBeFound":false}}`}},
			want: agg([]string{"bar_baz", "foo", "pep_search"}, []string{"bar_baz"}, []string{"foo", "pep_search"}, none, false),
		},
		{
			name:     "state null: inconclusive",
			in:       []in{{src: `{"organization":"interpol","service":"redNotices","result":null,"state":null}`}},
			want:     agg([]string{"interpol"}, none, none, []string{"interpol"}, nil),
			warnings: 1,
		},
		{
			name: "booleans as strings",
			in:   []in{{src: `{"organization":"ofac","state":{"foundInService":"false","mustBeFound":"false"}}`}},
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
			if f.CaseID != "" || len(f.Identities) != 0 {
				t.Errorf("case id %q, identities %v: want none", f.CaseID, f.Identities)
			}
		})
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
	} {
		if got := identify(s); got != want {
			t.Errorf("identify(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	for s, want := range map[string]string{
		"foo": "foo", "Bar Baz!": "bar_baz", "  PEP--Search  ": "pep_search", "***": "", "x.y_z": "x_y_z",
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
	want := []engine.Warning{
		{Provider: name, Offset: base + bytes.Index(raw, []byte(`"no"`)), Message: "state.foundInService: expected a boolean"},
		{Provider: name, Offset: base + bytes.Index(raw, []byte(`0}}`)), Message: "state.mustBeFound: expected a boolean"},
	}
	if !slices.Equal(f.Warnings, want) {
		t.Errorf("warnings = %v, want %v", f.Warnings, want)
	}
	normtest.Facts(t, f, mergeMaps(list("renapo", true, true), agg([]string{"ofac", "renapo"}, none, []string{"renapo"}, []string{"ofac"}, nil)),
		[]string{"jaak.ofac.found", "jaak.ofac.must_be_found", "jaak.ofac.passed", "jaak.all_passed"})

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
