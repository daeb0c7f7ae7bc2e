package veriffine_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/normalizers/internal/normtest"
	"github.com/veredicto/veredicto/normalizers/veriff"
	"github.com/veredicto/veredicto/normalizers/veriffine"
)

const noData = "No se obtuvieron datos de la consulta con los parámetros seleccionados"

func newFacts(t testing.TB) *engine.Facts {
	t.Helper()
	cat, err := engine.NewCatalog(veriffine.Provider{}.Facts())
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(cat)
	f.AsOf = time.Date(2025, 6, 18, 12, 0, 0, 0, time.UTC)
	return f
}

func run(t testing.TB, in ...normalizers.Payload) (*engine.Facts, error) {
	t.Helper()
	f := newFacts(t)
	err := veriffine.Provider{}.Normalize(in, f.Sink("veriff_ine"))
	return f, err
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fixtures.Read("veriff_ine/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// check asserts known facts and facts that must stay unknown.
func check(t *testing.T, f *engine.Facts, want map[string]any, unknown ...string) {
	t.Helper()
	normtest.Some(t, f, want, unknown)
}

// state returns the evidence state of a fact.
func state(t *testing.T, f *engine.Facts, name string) engine.Evidence {
	t.Helper()
	v, ok := f.Lookup(name)
	if !ok {
		t.Fatalf("%s: not in the catalog", name)
	}
	return v.E
}

// note returns the evidence note of a fact, or nil.
func note(f *engine.Facts, name string) *engine.EvidenceNote {
	for i := range f.Evidence {
		if f.Evidence[i].Fact == name {
			return &f.Evidence[i]
		}
	}
	return nil
}

func TestFactsFilled(t *testing.T) {
	specs := veriffine.Provider{}.Facts()
	if len(specs) != 7 {
		t.Errorf("%d facts, want 7", len(specs))
	}
	polarity := map[string]engine.Polarity{
		"veriff_ine.active":           engine.AdverseFalse,
		"veriff_ine.document_state":   engine.Informational,
		"veriff_ine.data_found":       engine.AdverseFalse,
		"veriff_ine.status":           engine.Informational,
		"veriff_ine.curp.found":       engine.AdverseFalse,
		"veriff_ine.curp.status":      engine.AdverseValues,
		"veriff_ine.curp.description": engine.Informational,
	}
	for i, s := range specs {
		if s.Name == "" || s.Description == "" || s.Kind == engine.Unknown {
			t.Errorf("fact slot %d is not filled: %+v", i, s)
		}
		if s.Provider != "veriff_ine" || !strings.HasPrefix(s.Name, "veriff_ine.") {
			t.Errorf("fact %s: provider %q", s.Name, s.Provider)
		}
		if p, ok := polarity[s.Name]; !ok || p != s.Polarity {
			t.Errorf("fact %s: polarity %s, want %s", s.Name, s.Polarity, p)
		}
	}
	if _, err := engine.NewCatalog(specs); err != nil {
		t.Fatal(err)
	}
}

func TestFixtures(t *testing.T) {
	const caseID = "1234567812345678"
	cases := map[string]struct {
		want    map[string]any
		unknown []string
		caseID  string
		curp    string
	}{
		// The seed's two samples.
		"inactive": {want: map[string]any{"veriff_ine.active": false, "veriff_ine.document_state": noData, "veriff_ine.data_found": false}},
		"active":   {want: map[string]any{"veriff_ine.active": true, "veriff_ine.document_state": "....", "veriff_ine.data_found": true}},
		// Variants.
		"active_string":          {want: map[string]any{"veriff_ine.active": true, "veriff_ine.data_found": true}},
		"missing_document_state": {want: map[string]any{"veriff_ine.active": false}, unknown: []string{"veriff_ine.document_state", "veriff_ine.data_found"}},
		// Veriff's INE registry webhook sample, and its inactive variant.
		"webhook_ine_registry": {want: map[string]any{"veriff_ine.active": true, "veriff_ine.document_state": "El documento es válido.",
			"veriff_ine.data_found": true, "veriff_ine.status": "La credencial es válida"}, unknown: []string{"veriff_ine.curp.found"}, caseID: caseID},
		"webhook_ine_registry_inactive": {want: map[string]any{"veriff_ine.active": false, "veriff_ine.document_state": noData,
			"veriff_ine.data_found": false, "veriff_ine.status": "La credencial no es válida"}, caseID: caseID},
		// Veriff's CURP registry webhook sample, and a deceased holder.
		"webhook_curp_registry": {want: map[string]any{"veriff_ine.curp.found": true, "veriff_ine.curp.status": "RCN",
			"veriff_ine.curp.description": "Registro de cambio no afectando a curp"},
			unknown: []string{"veriff_ine.active", "veriff_ine.data_found"}, caseID: caseID, curp: "VISH760905HSRLNN06"},
		"webhook_curp_registry_deceased": {want: map[string]any{"veriff_ine.curp.found": true, "veriff_ine.curp.status": "BD"},
			caseID: caseID, curp: "VISH760905HSRLNN06"},
	}
	paths := fixtures.Glob("veriff_ine/*.json")
	if len(paths) != len(cases) {
		t.Fatalf("%d fixtures, %d cases", len(paths), len(cases))
	}
	for _, p := range paths {
		name := fixtures.Name(p)
		t.Run(name, func(t *testing.T) {
			tc, ok := cases[name]
			if !ok {
				t.Fatalf("fixture %s has no test case", p)
			}
			f, err := run(t, normalizers.Payload{Raw: fixture(t, name)})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Warnings) > 0 || len(f.Evidence) > 0 {
				t.Errorf("warnings %+v, evidence %+v", f.Warnings, f.Evidence)
			}
			check(t, f, tc.want, tc.unknown...)
			if f.CaseID != tc.caseID || !f.EventTime.IsZero() {
				t.Errorf("case id %q, event time %v: want %q and none", f.CaseID, f.EventTime, tc.caseID)
			}
			switch {
			case tc.curp == "" && len(f.Identities) > 0:
				t.Errorf("identities %v: the payload has none", f.Identities)
			case tc.curp != "" && (len(f.Identities) != 1 || f.Identities[0] != engine.Identity{Source: "veriff_ine.curp_registry", CURP: tc.curp}):
				t.Errorf("identities %+v, want the CURP %s", f.Identities, tc.curp)
			}
		})
	}
}

// The case id comes from vendorData, else endUserId, else the session id.
func TestCaseID(t *testing.T) {
	for _, tc := range []struct{ drop, want string }{
		{"", "1234567812345678"},
		{`"vendorData": "1234567812345678",`, "a1b2c35d-e8f7-6d5e-3cd2-a1b2c35db3d4"},
	} {
		for _, name := range []string{"webhook_ine_registry", "webhook_curp_registry"} {
			raw := strings.Replace(string(fixture(t, name)), tc.drop, "", 1)
			f, err := run(t, normalizers.Payload{Raw: []byte(raw)})
			if err != nil {
				t.Fatal(err)
			}
			if f.CaseID != tc.want {
				t.Errorf("%s without %q: case id %q, want %q", name, tc.drop, f.CaseID, tc.want)
			}
		}
	}
	raw := strings.NewReplacer(`"vendorData": "1234567812345678",`, "", `"endUserId": "a1b2c35d-e8f7-6d5e-3cd2-a1b2c35db3d4",`, "").Replace(string(fixture(t, "webhook_curp_registry")))
	if f, _ := run(t, normalizers.Payload{Raw: []byte(raw)}); f.CaseID != "f04bdb47-d3be-4b28-b028-a652feb060b5" {
		t.Errorf("session id: case id %q", f.CaseID)
	}
}

func TestDataFound(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want any // bool, or nil for unknown
	}{
		{`{"active":false,"documentState":"` + noData + `"}`, false},
		{`{"active":null,"documentState":"NO SE OBTUVIERON DATOS de la consulta"}`, false},
		{`{"active":true,"documentState":"Vigente"}`, true},
		{`{"active":true}`, true},
		{`{"active":1}`, true},
		{`{"active":false,"documentState":"La credencial no es vigente"}`, nil},
		{`{"active":false,"documentState":"...."}`, nil},
		{`{"active":null,"documentState":null}`, nil},
		{`{"documentState":"...."}`, nil},
		{`{"active":false,"documentState":"Consulta: Sin Datos"}`, false}, // the phrase ends the text
		{`{"active":false,"documentState":"sin dato"}`, nil},
	} {
		f, err := run(t, normalizers.Payload{Raw: []byte(tc.raw)})
		if err != nil {
			t.Fatalf("%s: %v", tc.raw, err)
		}
		if tc.want == nil {
			check(t, f, nil, "veriff_ine.data_found")
		} else {
			check(t, f, map[string]any{"veriff_ine.data_found": tc.want})
		}
	}
}

// active is read as a JSON boolean, the strings "true"/"false" and 0/1, in
// the bare answer and in the webhook alike; anything else is unreadable.
func TestActiveForms(t *testing.T) {
	hook := string(fixture(t, "webhook_ine_registry"))
	for _, tc := range []struct {
		value string
		want  any // bool, or nil for unreadable
	}{
		{`true`, true}, {`false`, false}, {`"true"`, true}, {`"false"`, false}, {`" TRUE "`, true},
		{`1`, true}, {`0`, false}, {`"1"`, true}, {`"0"`, false},
		{`2`, nil}, {`-1`, nil}, {`0.5`, nil}, {`"yes"`, nil}, {`"si"`, nil}, {`""`, nil}, {`{"value":true}`, nil}, {`[true]`, nil},
	} {
		for _, shape := range []string{"bare", "webhook"} {
			raw := `{"active":` + tc.value + `,"documentState":"...."}`
			if shape == "webhook" {
				raw = strings.Replace(hook, `"active": true`, `"active": `+tc.value, 1)
			}
			f, err := run(t, normalizers.Payload{Raw: []byte(raw), Offset: 7})
			if err != nil {
				t.Fatalf("%s %s: %v", shape, tc.value, err)
			}
			v, _ := f.Lookup("veriff_ine.active")
			if tc.want == nil {
				n := note(f, "veriff_ine.active")
				if v.Known() || v.E != engine.Unreadable || n == nil || n.Offset != 7+at(raw, `"active":`, tc.value) {
					t.Errorf("%s active %s: %v (%s), note %+v: want unknown and unreadable at the value", shape, tc.value, v, v.E, n)
				}
				continue
			}
			if !normtest.Equal(v, tc.want) || v.E != engine.Clean {
				t.Errorf("%s active %s: %v (%s), want %v", shape, tc.value, v, v.E, tc.want)
			}
		}
	}
}

// at is the index of the first value after the key.
func at(raw, key, value string) int {
	k := strings.Index(raw, key)
	return k + strings.Index(raw[k:], value)
}

func TestWarnings(t *testing.T) {
	const base = 40
	for _, tc := range []struct {
		name, raw, at, msg string
		fact               string // the fact marked unreadable or conflicting
		ev                 engine.Evidence
		unknown            []string
	}{
		{"active number", "", `2,`, "active", "veriff_ine.active", engine.Unreadable, []string{"veriff_ine.active", "veriff_ine.data_found"}},
		{"active object", `{"active":{"value":true},"documentState":"...."}`, `{"value"`, "active", "veriff_ine.active", engine.Unreadable, []string{"veriff_ine.active", "veriff_ine.data_found"}},
		{"active yes", `{"active":"yes","documentState":"...."}`, `"yes"`, "active", "veriff_ine.active", engine.Unreadable, []string{"veriff_ine.active", "veriff_ine.data_found"}},
		{"documentState object", `{"active":false,"documentState":{"text":"x"}}`, `{"text"`, "documentState", "veriff_ine.document_state", engine.Unreadable, []string{"veriff_ine.document_state", "veriff_ine.data_found"}},
		{"contradiction", `{"active":true,"documentState":"` + noData + `"}`, `"No se`, "no data", "veriff_ine.data_found", engine.Conflicting, []string{"veriff_ine.data_found"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.raw
			if raw == "" {
				b, err := os.ReadFile("testdata/active_number.json")
				if err != nil {
					t.Fatal(err)
				}
				raw = string(b)
			}
			f, err := run(t, normalizers.Payload{Raw: []byte(raw), Offset: base})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Warnings) != 1 {
				t.Fatalf("warnings %+v, want one", f.Warnings)
			}
			w := f.Warnings[0]
			if w.Provider != "veriff_ine" || !strings.Contains(w.Message, tc.msg) {
				t.Errorf("warning %q, want one about %s", w.Message, tc.msg)
			}
			if at := w.Offset - base; at < 0 || !strings.HasPrefix(raw[at:], tc.at) {
				t.Errorf("warning at %d, want it at %q", w.Offset, tc.at)
			}
			if e := state(t, f, tc.fact); e != tc.ev {
				t.Errorf("%s is %s, want %s", tc.fact, e, tc.ev)
			}
			if n := note(f, tc.fact); n == nil || n.Offset != w.Offset {
				t.Errorf("evidence note %+v, want one at %d", n, w.Offset)
			}
			check(t, f, nil, tc.unknown...)
		})
	}
}

// Every field of the webhooks gets the same treatment: wrong type or
// undocumented word → the fact unreadable at the value's offset.
func TestWebhookFields(t *testing.T) {
	const base = 11
	for _, tc := range []struct {
		fixture, from, to string
		fact              string
		ev                engine.Evidence
		want              map[string]any
		unknown           []string
	}{
		// data.code other than 2xx: the answer is not a result.
		{"webhook_ine_registry", `"code": 200`, `"code": 500`, "veriff_ine.active", engine.Unreadable, nil, []string{"veriff_ine.active", "veriff_ine.data_found", "veriff_ine.document_state"}},
		{"webhook_ine_registry", `"code": 200`, `"code": 199`, "veriff_ine.active", engine.Unreadable, nil, []string{"veriff_ine.active"}},
		{"webhook_ine_registry", `"code": 200`, `"code": 300`, "veriff_ine.active", engine.Unreadable, nil, []string{"veriff_ine.active"}},
		{"webhook_ine_registry", `"code": 200`, `"code": 299`, "veriff_ine.active", engine.Clean, map[string]any{"veriff_ine.active": true}, nil},
		{"webhook_ine_registry", `"code": 200`, `"code": "200"`, "veriff_ine.active", engine.Clean, map[string]any{"veriff_ine.active": true}, nil},
		{"webhook_ine_registry", `"code": 200`, `"code": "ok"`, "veriff_ine.active", engine.Unreadable, nil, []string{"veriff_ine.active"}},
		{"webhook_ine_registry", `"status": "La credencial es válida"`, `"status": {}`, "veriff_ine.status", engine.Unreadable, map[string]any{"veriff_ine.active": true}, []string{"veriff_ine.status"}},
		{"webhook_ine_registry", `"documentState": "El documento es válido."`, `"documentState": ["x"]`, "veriff_ine.document_state", engine.Unreadable, map[string]any{"veriff_ine.active": true}, []string{"veriff_ine.document_state"}},
		{"webhook_ine_registry", `"details": {`, `"details": "x", "old": {`, "veriff_ine.active", engine.Unreadable, nil, []string{"veriff_ine.active"}},
		{"webhook_curp_registry", `"code": 200`, `"code": 404`, "veriff_ine.curp.found", engine.Unreadable, nil, []string{"veriff_ine.curp.found", "veriff_ine.curp.status"}},
		{"webhook_curp_registry", `"status": "found"`, `"status": "not_found"`, "veriff_ine.curp.found", engine.Clean, map[string]any{"veriff_ine.curp.found": false}, nil},
		{"webhook_curp_registry", `"status": "found"`, `"status": "Not Found"`, "veriff_ine.curp.found", engine.Clean, map[string]any{"veriff_ine.curp.found": false}, nil},
		{"webhook_curp_registry", `"status": "found"`, `"status": "pending"`, "veriff_ine.curp.found", engine.Unreadable, nil, []string{"veriff_ine.curp.found"}},
		{"webhook_curp_registry", `"status": "found"`, `"status": true`, "veriff_ine.curp.found", engine.Unreadable, nil, []string{"veriff_ine.curp.found"}},
		{"webhook_curp_registry", `"statusCurp": "RCN"`, `"statusCurp": "bd"`, "veriff_ine.curp.status", engine.Clean, map[string]any{"veriff_ine.curp.status": "BD"}, nil},
		{"webhook_curp_registry", `"statusCurp": "RCN"`, `"statusCurp": "XYZ"`, "veriff_ine.curp.status", engine.Unreadable, map[string]any{"veriff_ine.curp.found": true}, []string{"veriff_ine.curp.status"}},
		{"webhook_curp_registry", `"statusCurp": "RCN"`, `"statusCurp": 3`, "veriff_ine.curp.status", engine.Unreadable, nil, []string{"veriff_ine.curp.status"}},
		{"webhook_curp_registry", `"description": "Registro de cambio no afectando a curp"`, `"description": {}`, "veriff_ine.curp.description", engine.Unreadable, map[string]any{"veriff_ine.curp.status": "RCN"}, []string{"veriff_ine.curp.description"}},
	} {
		t.Run(tc.fixture+" "+tc.to, func(t *testing.T) {
			orig := string(fixture(t, tc.fixture))
			if !strings.Contains(orig, tc.from) {
				t.Fatalf("%s has no %s", tc.fixture, tc.from)
			}
			raw := strings.Replace(orig, tc.from, tc.to, 1)
			f, err := run(t, normalizers.Payload{Raw: []byte(raw), Offset: base})
			if err != nil {
				t.Fatal(err)
			}
			if e := state(t, f, tc.fact); e != tc.ev {
				t.Errorf("%s is %s, want %s (evidence %+v)", tc.fact, e, tc.ev, f.Evidence)
			}
			if tc.ev != engine.Clean {
				value := tc.to[strings.Index(tc.to, ": ")+2:]
				if n := note(f, tc.fact); n == nil || n.Offset != base+strings.Index(raw, tc.to)+len(tc.to)-len(value) {
					t.Errorf("note %+v, want it at %q", n, value)
				}
			}
			check(t, f, tc.want, tc.unknown...)
		})
	}
}

func TestErrors(t *testing.T) {
	array, err := os.ReadFile("testdata/array.json")
	if err != nil {
		t.Fatal(err)
	}
	const base = 9
	for _, tc := range []struct {
		name, raw, msg string
		at             string // where the error points, "" for the payload
	}{
		{"array", string(array), "JSON object", ""},
		{"string", `"` + noData + `"`, "JSON object", ""},
		{"api error", `{"status":"fail","code":1102,"message":"Mandatory parameters are missing from the request."}`, "documentState", ""},
		{"empty", `{}`, "documentState", ""},
		{"other event", `{"eventType":"user-status.created","data":{}}`, "not an INE registry webhook", `"user-status`},
		{"other type", `{"type":"watchlist_screening","data":{}}`, "not a CURP registry webhook", `"watchlist`},
		{"no data", `{"eventType":"ine_registry","sessionId":"s"}`, "data", ""},
		{"data not object", `{"type":"curp_registry","data":[1]}`, "data", `[1]`},
		{"array after space", "\n  [1]", "JSON object", "[1]"},
		{"empty after space", "\t{}", "documentState", "{}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, normalizers.Payload{Raw: []byte(tc.raw), Offset: base})
			var e *normalizers.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want a *normalizers.Error", err)
			}
			want := base
			if tc.at != "" {
				want += strings.Index(tc.raw, tc.at)
			}
			if e.Provider != "veriff_ine" || e.Offset != want || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error %v, want one at %d about %s", e, want, tc.msg)
			}
		})
	}
	t.Run("earlier answer not an object", func(t *testing.T) {
		_, err := run(t, normalizers.Payload{Raw: array, Offset: 3}, normalizers.Payload{Raw: []byte(`{"active":true,"documentState":"...."}`), Offset: 200})
		var e *normalizers.Error
		if !errors.As(err, &e) || e.Offset != 3 {
			t.Fatalf("error %v, want one at offset 3", err)
		}
	})
}

// Polling and the webhook can both deliver an answer: answers are merged.
// An identical re-delivery is one answer; two that disagree make the fact
// conflicting and keep the adverse side, in either order.
func TestMerge(t *testing.T) {
	yes, no := fixture(t, "webhook_ine_registry"), fixture(t, "webhook_ine_registry_inactive")
	for _, tc := range []struct {
		name     string
		in       [][]byte
		active   bool
		ev       engine.Evidence
		curpStat string
	}{
		{"re-delivery", [][]byte{yes, yes}, true, engine.Clean, ""},
		{"false then true", [][]byte{no, yes}, false, engine.Conflicting, ""},
		{"true then false", [][]byte{yes, no}, false, engine.Conflicting, ""},
		{"bare true, webhook false", [][]byte{fixture(t, "active"), no}, false, engine.Conflicting, ""},
		{"bare false, bare true", [][]byte{fixture(t, "inactive"), fixture(t, "active")}, false, engine.Conflicting, ""},
		{"INE and CURP webhooks", [][]byte{yes, fixture(t, "webhook_curp_registry")}, true, engine.Clean, "RCN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in []normalizers.Payload
			off := 0
			for _, raw := range tc.in {
				in = append(in, normalizers.Payload{Raw: raw, Offset: off})
				off += len(raw) + 1
			}
			f, err := run(t, in...)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := f.Lookup("veriff_ine.active")
			if !normtest.Equal(v, tc.active) || v.E != tc.ev {
				t.Errorf("active = %v (%s), want %v (%s)", v, v.E, tc.active, tc.ev)
			}
			if tc.ev == engine.Conflicting {
				if n := note(f, "veriff_ine.active"); n == nil || len(n.Values) != 2 {
					t.Errorf("note %+v, want both values", n)
				}
				// data_found disagrees too; false is kept.
				if d, _ := f.Lookup("veriff_ine.data_found"); !normtest.Equal(d, false) || d.E != engine.Conflicting {
					t.Errorf("data_found = %v (%s), want false, conflicting", d, d.E)
				}
			}
			if tc.curpStat != "" {
				check(t, f, map[string]any{"veriff_ine.curp.status": tc.curpStat})
			}
		})
	}
	// A deregistered CURP is kept over an active one.
	dead := fixture(t, "webhook_curp_registry_deceased")
	f, err := run(t, normalizers.Payload{Raw: dead}, normalizers.Payload{Raw: fixture(t, "webhook_curp_registry"), Offset: len(dead) + 1})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Lookup("veriff_ine.curp.status"); v.S != "BD" || v.E != engine.Conflicting {
		t.Errorf("curp.status = %v (%s), want BD, conflicting", v, v.E)
	}
}

func TestCURPStatusPolarity(t *testing.T) {
	var spec engine.FactSpec
	for _, s := range (veriffine.Provider{}).Facts() {
		if s.Name == "veriff_ine.curp.status" {
			spec = s
		}
	}
	for _, c := range []string{"AN", "AH", "CRA", "RCN", "RCC"} {
		if spec.IsAdverse(engine.StringValue(c)) {
			t.Errorf("%s is adverse", c)
		}
	}
	for _, c := range []string{"BD", "BAP", "BSU", "BDA", "BCC", "BCN", "BDM", "BDP", "BJD"} {
		if !spec.IsAdverse(engine.StringValue(c)) {
			t.Errorf("%s is not adverse", c)
		}
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
	for _, p := range fixtures.Glob("veriff_ine/*.json") {
		raw, err := fixtures.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		if !(veriffine.Provider{}).Detect(shape(string(raw))) {
			t.Errorf("%s not detected", p)
		}
		// Veriff's decision provider must not claim the registry shapes.
		if (veriff.Provider{}).Detect(shape(string(raw))) {
			t.Errorf("%s also detected by veriff", p)
		}
	}
	for _, p := range fixtures.Glob("veriff/*.json") {
		raw, _ := fixtures.Read(p)
		if (veriffine.Provider{}).Detect(shape(string(raw))) {
			t.Errorf("Veriff decision %s detected as veriff_ine", p)
		}
	}
	for _, raw := range []string{
		`{"status":"success","verification":{"id":"f04bdb47","status":"approved"}}`,
		`{"status":"success","verification":{},"active":true,"documentState":"...."}`,
		`{"status":"fail","code":1102,"message":"Mandatory parameters are missing from the request."}`,
		`{"label":"Review","face_match":true,"request_id":"r1"}`,
		`{"ticket":{},"event":"ticket.verification.completed"}`,
		`{"eventId":"e1","organization":"o","service":"INE","state":{"foundInService":true,"mustBeFound":true}}`,
		`{"active":true,"id":"f04bdb47"}`,
		`{"documentState":"...."}`,
		`{"eventType":"ine_registry","sessionId":"s"}`,
		`{"eventType":"user-status.created","data":{}}`,
		`{"type":"curp_registry"}`,
		`{"type":"curp_registry2","data":{}}`,
		`{"id":"f04bdb47","attemptId":"e30122d1","feature":"selfid","code":7002,"action":"submitted","vendorData":"1"}`,
	} {
		if (veriffine.Provider{}).Detect(shape(raw)) {
			t.Errorf("detected %s", raw)
		}
	}
}

// The webhooks are read bare (detected among every provider) and in an
// envelope as veriff_ine.
func TestBareAndEnvelope(t *testing.T) {
	for _, name := range []string{"webhook_ine_registry", "webhook_curp_registry"} {
		raw := fixture(t, name)
		cat := normalizers.Catalog()
		for _, doc := range [][]byte{raw, []byte(`{"case_id":"c1","results":[{"provider":"veriff_ine","payload":` + string(raw) + `}]}`)} {
			f := engine.NewFacts(cat)
			if err := normalizers.Normalize(doc, f, normalizers.Options{AsOf: time.Date(2025, 6, 18, 12, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(f.Providers) != 1 || f.Providers[0] != "veriff_ine" {
				t.Errorf("%s: providers %v", name, f.Providers)
			}
			fact := "veriff_ine.active"
			if strings.Contains(name, "curp") {
				fact = "veriff_ine.curp.found"
			}
			if v, _ := f.Lookup(fact); !v.True() {
				t.Errorf("%s: %s = %v", name, fact, v)
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, p := range fixtures.Glob("veriff_ine/*.json") {
		b, _ := fixtures.Read(p)
		f.Add(b)
	}
	for _, name := range []string{"testdata/array.json", "testdata/active_number.json"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	normtest.Fuzz(f, veriffine.Provider{}, time.Date(2025, 6, 18, 12, 0, 0, 0, time.UTC))
}

func BenchmarkNormalize(b *testing.B) {
	for _, p := range fixtures.Glob("veriff_ine/*.json") {
		raw, _ := fixtures.Read(p)
		b.Run(fixtures.Name(p), func(b *testing.B) {
			f := newFacts(b)
			in := []normalizers.Payload{{Raw: raw}}
			b.ReportAllocs()
			for b.Loop() {
				f.Reset()
				if err := (veriffine.Provider{}).Normalize(in, f.Sink("veriff_ine")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A webhook's code outside 2xx is reported as the registry's own answer,
// with the code as sent; a long type is cut to 40 bytes in the error.
func TestWebhookMessages(t *testing.T) {
	raw := strings.Replace(string(fixture(t, "webhook_ine_registry")), `"code": 200`, `"code": 500`, 1)
	f, err := run(t, normalizers.Payload{Raw: []byte(raw), Offset: 4})
	if err != nil {
		t.Fatal(err)
	}
	n := note(f, "veriff_ine.active")
	if n == nil || n.Message != "the registry answered code 500, not a result" || n.Offset != 4+strings.Index(raw, "500") {
		t.Errorf("note %+v", n)
	}
	for _, tc := range []struct{ typ, want string }{
		{strings.Repeat("x", 38), `"` + strings.Repeat("x", 38) + `"`},
		{strings.Repeat("x", 39), `"` + strings.Repeat("x", 39) + "…"},
	} {
		_, err := run(t, normalizers.Payload{Raw: []byte(`{"type":"` + tc.typ + `","data":{}}`)})
		if err == nil || !strings.Contains(err.Error(), "type "+tc.want+": not a CURP registry webhook") {
			t.Errorf("type of %d bytes: %v", len(tc.typ), err)
		}
	}
}
