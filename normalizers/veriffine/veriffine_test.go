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
	"github.com/veredicto/veredicto/normalizers/internal/normtest"
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

// check asserts known facts and facts that must stay unknown.
func check(t *testing.T, f *engine.Facts, want map[string]any, unknown ...string) {
	t.Helper()
	normtest.Some(t, f, want, unknown)
}

func TestFactsFilled(t *testing.T) {
	specs := veriffine.Provider{}.Facts()
	if len(specs) != 3 {
		t.Errorf("%d facts, want 3", len(specs))
	}
	for i, s := range specs {
		if s.Name == "" || s.Description == "" || s.Kind == engine.Unknown {
			t.Errorf("fact slot %d is not filled: %+v", i, s)
		}
		if s.Provider != "veriff_ine" || !strings.HasPrefix(s.Name, "veriff_ine.") {
			t.Errorf("fact %s: provider %q", s.Name, s.Provider)
		}
	}
	if _, err := engine.NewCatalog(specs); err != nil {
		t.Fatal(err)
	}
}

func TestFixtures(t *testing.T) {
	cases := map[string]struct {
		want    map[string]any
		unknown []string
	}{
		// The seed's two samples.
		"inactive": {map[string]any{"veriff_ine.active": false, "veriff_ine.document_state": noData, "veriff_ine.data_found": false}, nil},
		"active":   {map[string]any{"veriff_ine.active": true, "veriff_ine.document_state": "....", "veriff_ine.data_found": true}, nil},
		// Variants.
		"active_string":          {map[string]any{"veriff_ine.active": true, "veriff_ine.data_found": true}, nil},
		"missing_document_state": {map[string]any{"veriff_ine.active": false}, []string{"veriff_ine.document_state", "veriff_ine.data_found"}},
	}
	paths := fixtures.Glob("veriff_ine/*.json")
	if len(paths) < len(cases) {
		t.Fatalf("%d fixtures, %d cases", len(paths), len(cases))
	}
	for _, p := range paths {
		name := fixtures.Name(p)
		t.Run(name, func(t *testing.T) {
			tc, ok := cases[name]
			if !ok {
				t.Fatalf("fixture %s has no test case", p)
			}
			raw, err := fixtures.Read(p)
			if err != nil {
				t.Fatal(err)
			}
			f, err := run(t, normalizers.Payload{Raw: raw})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Warnings) > 0 {
				t.Errorf("warnings: %+v", f.Warnings)
			}
			check(t, f, tc.want, tc.unknown...)
			if f.CaseID != "" || len(f.Identities) > 0 || !f.EventTime.IsZero() {
				t.Errorf("case id %q, identities %v, event time %v: the payload has none", f.CaseID, f.Identities, f.EventTime)
			}
		})
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
		{`{"active":false,"documentState":"La credencial no es vigente"}`, nil},
		{`{"active":false,"documentState":"...."}`, nil},
		{`{"active":null,"documentState":null}`, nil},
		{`{"documentState":"...."}`, nil},
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

func TestWarnings(t *testing.T) {
	const base = 40
	for _, tc := range []struct {
		name, raw, at, msg string
		unknown            []string
	}{
		{"active number", "", `1,`, "active", []string{"veriff_ine.active", "veriff_ine.data_found"}},
		{"active object", `{"active":{"value":true},"documentState":"...."}`, `{"value"`, "active", []string{"veriff_ine.active", "veriff_ine.data_found"}},
		{"active yes", `{"active":"yes","documentState":"...."}`, `"yes"`, "active", []string{"veriff_ine.active", "veriff_ine.data_found"}},
		{"documentState object", `{"active":false,"documentState":{"text":"x"}}`, `{"text"`, "documentState", []string{"veriff_ine.document_state", "veriff_ine.data_found"}},
		{"contradiction", `{"active":true,"documentState":"` + noData + `"}`, `"No se`, "no data", []string{"veriff_ine.data_found"}},
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
			check(t, f, nil, tc.unknown...)
		})
	}
}

func TestErrors(t *testing.T) {
	array, err := os.ReadFile("testdata/array.json")
	if err != nil {
		t.Fatal(err)
	}
	const base = 9
	for _, tc := range []struct{ name, raw, msg string }{
		{"array", string(array), "JSON object"},
		{"string", `"` + noData + `"`, "JSON object"},
		{"api error", `{"status":"fail","code":1102,"message":"Mandatory parameters are missing from the request."}`, "documentState"},
		{"empty", `{}`, "documentState"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, normalizers.Payload{Raw: []byte(tc.raw), Offset: base})
			var e *normalizers.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v, want a *normalizers.Error", err)
			}
			if e.Provider != "veriff_ine" || e.Offset != base || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error %v, want one at %d about %s", e, base, tc.msg)
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

// Polling and the webhook can both deliver an answer: the last one wins
// whole, so a field only the earlier one had does not survive.
func TestLastWins(t *testing.T) {
	f, err := run(t,
		normalizers.Payload{Raw: []byte(`{"active":true,"documentState":"...."}`)},
		normalizers.Payload{Raw: []byte(`{"active":false}`), Offset: 50},
	)
	if err != nil {
		t.Fatal(err)
	}
	check(t, f, map[string]any{"veriff_ine.active": false}, "veriff_ine.document_state", "veriff_ine.data_found")
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
	} {
		if (veriffine.Provider{}).Detect(shape(raw)) {
			t.Errorf("detected %s", raw)
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
