package normalizers_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

const (
	ineActive = `{"active": true, "documentState": "ok"}` // a veriff_ine payload
	ofacClear = `{"organization": "OFAC", "service": "sdnSearch", "result": {}, "state": {"message": "done", "foundInService": false, "mustBeFound": false}}`
)

func normalize(t *testing.T, doc string, opts normalizers.Options) (*engine.Facts, error) {
	t.Helper()
	f := engine.NewFacts(normalizers.Catalog())
	return f, normalizers.Normalize([]byte(doc), f, opts)
}

func fact(t *testing.T, f *engine.Facts, name string) engine.Value {
	t.Helper()
	v, ok := f.Lookup(name)
	if !ok {
		t.Fatalf("%s: not in the catalog", name)
	}
	return v
}

// An envelope's results go to their providers, named or told by shape, with
// the kind as the provider's hint; the case id and time come from it.
func TestNormalizeEnvelope(t *testing.T) {
	doc := `{"case_id": "app-7", "as_of": "2025-06-17T12:00:00Z", "results": [
		{"provider": "veriff_ine", "payload": ` + ineActive + `, "received_at": "x", "id": 3, "source": "webhook"},
		{"kind": "ofac", "payload": ` + ofacClear + `}]}`
	f, err := normalize(t, doc, normalizers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.CaseID != "app-7" {
		t.Errorf("CaseID = %q", f.CaseID)
	}
	if want := time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC); !f.AsOf.Equal(want) {
		t.Errorf("AsOf = %v, want the envelope's %v", f.AsOf, want)
	}
	if got := fmt.Sprint(f.Providers); got != "[jaak veriff_ine]" {
		t.Errorf("Providers = %s", got)
	}
	if v := fact(t, f, "veriff_ine.active"); !v.True() {
		t.Errorf("veriff_ine.active = %v", v)
	}
	if v := fact(t, f, "jaak.ofac.passed"); !v.True() {
		t.Errorf("jaak.ofac.passed = %v: the kind hint did not reach JAAK", v)
	}
	if v := fact(t, f, "case.providers"); fmt.Sprint(v.L) != "[jaak veriff_ine]" {
		t.Errorf("case.providers = %v: the cross-provider facts were not computed", v)
	}

	// The caller's time wins over the envelope's.
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if f, err = normalize(t, doc, normalizers.Options{AsOf: at}); err != nil || !f.AsOf.Equal(at) {
		t.Errorf("AsOf = %v (%v), want the option's %v", f.AsOf, err, at)
	}
	// Neither: now.
	before := time.Now()
	f, err = normalize(t, `{"results": [{"provider": "veriff_ine", "payload": `+ineActive+`}]}`, normalizers.Options{})
	if err != nil || f.AsOf.Before(before) || f.AsOf.After(time.Now()) || f.CaseID != "" {
		t.Errorf("AsOf = %v, CaseID = %q (%v): want now and no id", f.AsOf, f.CaseID, err)
	}
	// A bare payload is a case of one result.
	f, err = normalize(t, " \n\t\r"+ineActive, normalizers.Options{AsOf: at})
	if err != nil || !fact(t, f, "veriff_ine.active").True() || fmt.Sprint(f.Providers) != "[veriff_ine]" {
		t.Errorf("bare payload: %v, providers %v", err, f.Providers)
	}
}

// Normalize resets the facts it is given, so that one Facts serves case
// after case.
func TestNormalizeResets(t *testing.T) {
	f := engine.NewFacts(normalizers.Catalog())
	opts := normalizers.Options{AsOf: time.Date(2025, 6, 17, 0, 0, 0, 0, time.UTC)}
	if err := normalizers.Normalize([]byte(`{"case_id": "a", "results": [{"kind": "ofac", "payload": `+ofacClear+`}]}`), f, opts); err != nil {
		t.Fatal(err)
	}
	if err := normalizers.Normalize([]byte(ineActive), f, opts); err != nil {
		t.Fatal(err)
	}
	if v := fact(t, f, "jaak.ofac.passed"); v.Known() || f.CaseID != "" || len(f.Providers) != 1 {
		t.Errorf("the previous case leaked: jaak.ofac.passed = %v, case %q, providers %v", v, f.CaseID, f.Providers)
	}
}

func envelope(results ...string) string {
	return `{"results": [` + strings.Join(results, ",") + `]}`
}

// Every problem of a case is one line: the provider when known, the byte
// offset, and what is wrong.
func TestNormalizeErrors(t *testing.T) {
	ine := `{"provider": "veriff_ine", "payload": ` + ineActive + `}`
	tests := []struct {
		name, doc, want string
		opts            normalizers.Options
	}{
		{"not an object", `[1]`, "byte 0: a case is a JSON object (a provider payload or an envelope)", normalizers.Options{}},
		{"not an object, after space", "  \n\"x\"", "byte 3: a case is a JSON object (a provider payload or an envelope)", normalizers.Options{}},
		{"results not an array", `{"results": {}}`, "byte 12: results: expected an array of results", normalizers.Options{}},
		{"no result", `{"results": []}`, "byte 12: results: needs at least 1 result", normalizers.Options{}},
		{"case_id not a string", `{"case_id": 7, "results": [` + ine + `]}`, "byte 12: case_id: expected a string", normalizers.Options{}},
		{"case_id too long", `{"case_id": "` + strings.Repeat("a", 201) + `", "results": [` + ine + `]}`, "byte 12: case_id: longer than 200 bytes", normalizers.Options{}},
		{"as_of not RFC 3339", `{"as_of": "2025-06-17", "results": [` + ine + `]}`, "byte 10: as_of: expected an RFC 3339 time such as 2025-06-17T12:00:00Z", normalizers.Options{}},
		{"as_of not a string", `{"as_of": 20250617, "results": [` + ine + `]}`, "byte 10: as_of: expected an RFC 3339 time such as 2025-06-17T12:00:00Z", normalizers.Options{}},
		{"unknown envelope field", `{"caseid": "a", "results": [` + ine + `]}`, `byte 11: unknown envelope field "caseid" (want case_id, as_of, results)`, normalizers.Options{}},
		{"result not an object", envelope(`[]`), "byte 13: results[0]: expected an object with provider and payload", normalizers.Options{}},
		{"provider not a string", envelope(`{"provider": 1, "payload": {}}`), "byte 26: results[0]: provider: expected a string", normalizers.Options{}},
		{"kind not a string", envelope(`{"kind": null, "payload": {}}`), "byte 22: results[0]: kind: expected a string", normalizers.Options{}},
		{"unknown result field", envelope(ine, `{"provider": "jaak", "paylod": {}}`), `byte 123: results[1]: unknown field "paylod" (want provider, kind, payload)`, normalizers.Options{}},
		{"no payload", envelope(ine, `{"provider": "jaak"}`), "byte 92: results[1]: no payload", normalizers.Options{}},
		{"payload not an object", envelope(`{"provider": "jaak", "payload": "x"}`), "byte 45: results[0]: payload: expected a JSON object", normalizers.Options{}},
		{"unknown provider, a typo", envelope(`{"provider": "VeriffINE", "payload": {}}`), `byte 13: results[0]: unknown provider "VeriffINE" (did you mean veriff_ine?)`, normalizers.Options{}},
		{"unknown provider", envelope(`{"provider": "onfido-xyz", "payload": {}}`), `byte 13: results[0]: unknown provider "onfido-xyz" (known: acme, jaak, preventor, trully, veriff, veriff_ine)`, normalizers.Options{}},
		{"unknown shape in an envelope", envelope(`{"payload": {"b": 1, "a": 2}}`), "byte 25: results[0]: no provider has this payload shape (top-level keys: a, b); wrap it in an envelope and name its provider", normalizers.Options{}},
		{"unknown bare shape, many keys", `{"k9": 0, "k1": 0, "k2": 0, "k3": 0, "k4": 0, "k5": 0, "k6": 0, "k7": 0, "k8": 0}`,
			"byte 0: no provider has this payload shape (top-level keys: k1, k2, k3, k4, k5, k6, k7, k8, ...); wrap it in an envelope and name its provider", normalizers.Options{}},
		{"over the size limit", ineActive, "document of 39 bytes exceeds the limit of 38 bytes", normalizers.Options{MaxBytes: 38}},
		{"over the depth limit", `{"a": [[1]]}`, "byte 7: malformed JSON: nesting deeper than 2 levels", normalizers.Options{MaxDepth: 2}},
		{"malformed envelope", `{"results": [` + ine + `,]}`, "case: byte 92: malformed JSON: trailing comma before ']'", normalizers.Options{}},
		{"malformed Veriff", `{"verification": {"id": }}`, "veriff: byte 24: malformed JSON: unexpected '}', expecting a value", normalizers.Options{}},
		{"malformed Veriff attempt", `{"attemptId": x}`, "veriff: byte 14: malformed JSON: unexpected 'x', expecting a value", normalizers.Options{}},
		{"malformed INE", `{"documentState": tru}`, "veriff_ine: byte 18: malformed JSON: invalid literal, expecting true", normalizers.Options{}},
		{"malformed Preventor", `{"ticket": ,}`, "preventor: byte 11: malformed JSON: unexpected ',', expecting a value", normalizers.Options{}},
		{"malformed JAAK", `{"foundInService": [}`, "jaak: byte 20: malformed JSON: unexpected '}', expecting a value", normalizers.Options{}},
		{"malformed JAAK organization", `{"organization": "OFAC",}`, "jaak: byte 24: malformed JSON: trailing comma before '}'", normalizers.Options{}},
		{"malformed Trully", `{"face_match": {,}}`, "trully: byte 16: malformed JSON: unexpected ',', expecting an object key", normalizers.Options{}},
		{"malformed Trully request", `{"request_id": "a" "b"}`, `trully: byte 19: malformed JSON: unexpected '"', expecting , or }`, normalizers.Options{}},
		{"malformed Trully unico", `{"unico": }`, "trully: byte 10: malformed JSON: unexpected '}', expecting a value", normalizers.Options{}},
		{"malformed Trully face analysis", `{"face_analysis": }`, "trully: byte 18: malformed JSON: unexpected '}', expecting a value", normalizers.Options{}},
		{"malformed, no provider to guess", `{"x": }`, "byte 6: malformed JSON: unexpected '}', expecting a value", normalizers.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := normalize(t, tt.doc, tt.opts)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n %q, want\n %q", err, tt.want)
			}
		})
	}
}

// The limits of an envelope's fields and of the keys an error lists are
// inclusive.
func TestNormalizeFieldLimits(t *testing.T) {
	id := strings.Repeat("a", 200)
	f, err := normalize(t, `{"case_id": "`+id+`", "results": [{"provider": "veriff_ine", "payload": `+ineActive+`}]}`, normalizers.Options{})
	if err != nil || f.CaseID != id {
		t.Errorf("a case_id of 200 bytes: %v", err)
	}
	_, err = normalize(t, `{"k1": 0, "k2": 0, "k3": 0, "k4": 0, "k5": 0, "k6": 0, "k7": 0, "k8": 0}`, normalizers.Options{})
	if want := "byte 0: no provider has this payload shape (top-level keys: k1, k2, k3, k4, k5, k6, k7, k8); wrap it in an envelope and name its provider"; err == nil || err.Error() != want {
		t.Errorf("8 keys: %v", err)
	}
}

// Where an error is at a byte, it is a *normalizers.Error that says so.
func TestNormalizeErrorLocates(t *testing.T) {
	_, err := normalize(t, `{"verification": {"id": }}`, normalizers.Options{})
	var e *normalizers.Error
	if !errors.As(err, &e) || e.Provider != "veriff" || e.Offset != 24 || !strings.HasPrefix(e.Msg, "malformed JSON") {
		t.Errorf("%#v", err)
	}
}

// The limits are inclusive: a document of exactly MaxBytes, or nested
// exactly MaxDepth deep, is read; zero means the defaults.
func TestNormalizeLimitsInclusive(t *testing.T) {
	if _, err := normalize(t, ineActive, normalizers.Options{MaxBytes: len(ineActive)}); err != nil {
		t.Errorf("a document of exactly MaxBytes: %v", err)
	}
	if _, err := normalize(t, `{"active": true, "documentState": "ok", "x": [[1]]}`, normalizers.Options{MaxDepth: 3}); err != nil {
		t.Errorf("a document of exactly MaxDepth: %v", err)
	}
	pad := func(n int) string { // a bare INE payload of n bytes
		return ineActive[:len(ineActive)-1] + strings.Repeat(" ", n-len(ineActive)) + "}"
	}
	if _, err := normalize(t, pad(normalizers.DefaultMaxBytes), normalizers.Options{}); err != nil {
		t.Errorf("a document of DefaultMaxBytes: %v", err)
	}
	if _, err := normalize(t, pad(normalizers.DefaultMaxBytes+1), normalizers.Options{MaxBytes: -1}); err == nil || !strings.Contains(err.Error(), "limit of 8388608 bytes") {
		t.Errorf("a document over DefaultMaxBytes: %v", err)
	}
	deep := func(n int) string { // nested n deep in all
		return `{"active": true, "documentState": "ok", "x": ` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + "}"
	}
	if _, err := normalize(t, deep(normalizers.DefaultMaxDepth), normalizers.Options{}); err != nil {
		t.Errorf("nested DefaultMaxDepth deep: %v", err)
	}
	if _, err := normalize(t, deep(normalizers.DefaultMaxDepth+1), normalizers.Options{MaxDepth: -1}); err == nil || !strings.Contains(err.Error(), "nesting deeper than 64") {
		t.Errorf("nested deeper than DefaultMaxDepth: %v", err)
	}
}

// An envelope holds at most 256 results.
func TestNormalizeResultsLimit(t *testing.T) {
	results := make([]string, 257)
	for i := range results {
		results[i] = `{"provider": "veriff_ine", "payload": ` + ineActive + `}`
	}
	if _, err := normalize(t, envelope(results[:256]...), normalizers.Options{}); err != nil {
		t.Errorf("256 results: %v", err)
	}
	_, err := normalize(t, envelope(results...), normalizers.Options{})
	if err == nil || !strings.HasSuffix(err.Error(), ": results: more than 256 results") {
		t.Errorf("257 results: %v", err)
	}
	var e *normalizers.Error
	if errors.As(err, &e) && e.Offset != 13+256*(len(results[0])+1) {
		t.Errorf("257 results: at byte %d, want the 257th result's", e.Offset)
	}
}

func TestErrorString(t *testing.T) {
	for _, tt := range []struct {
		err  *normalizers.Error
		want string
	}{
		{&normalizers.Error{Offset: 3, Msg: "bad"}, "byte 3: bad"},
		{&normalizers.Error{Provider: "jaak", Offset: 0, Msg: "bad"}, "jaak: byte 0: bad"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
	if err := normalizers.Errorf("trully", 9, "field %s: %d", "x", 2); err.Error() != "trully: byte 9: field x: 2" || errors.Is(err, normalizers.ErrNotRead) {
		t.Errorf("Errorf: %q", err)
	}
	err := normalizers.NotReadf("preventor", 4, "event: %q is not read", "x")
	var e *normalizers.Error
	if err.Error() != `preventor: byte 4: event: "x" is not read` || !errors.Is(err, normalizers.ErrNotRead) ||
		!errors.As(err, &e) || e.Offset != 4 || e.Provider != "preventor" {
		t.Errorf("NotReadf: %q", err)
	}
	// Through Normalize, as a webhook receiver sees it.
	inv := []byte(`{"id": 1, "ticket": "t1", "invitation_state": "COMPLETED", "transaction_status": "ACCEPTED"}`)
	if err := normalizers.Normalize(inv, engine.NewFacts(normalizers.Catalog()), normalizers.Options{}); !errors.Is(err, normalizers.ErrNotRead) {
		t.Errorf("Normalize of an Invitations webhook: %v, want ErrNotRead", err)
	}
}

func TestLookup(t *testing.T) {
	if p, err := normalizers.Lookup("jaak"); err != nil || p.Name() != "jaak" {
		t.Errorf("Lookup(jaak) = %v, %v", p, err)
	}
	if _, err := normalizers.Lookup("onfido"); err == nil || err.Error() != `unknown provider "onfido" (known: acme, jaak, preventor, trully, veriff, veriff_ine)` {
		t.Errorf("Lookup(onfido) = %v", err)
	}
}
