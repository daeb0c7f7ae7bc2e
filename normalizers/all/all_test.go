package all_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// asOf is the evaluation time of every golden file, so that expiry and age
// facts do not change as the calendar moves.
var asOf = time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)

// TestGolden normalizes every fixture and compares its facts with
// testdata/golden/<provider>/<name>.json.
func TestGolden(t *testing.T) {
	paths := fixtures.Glob("*/*.json")
	if len(paths) < 50 {
		t.Fatalf("only %d fixtures", len(paths))
	}
	cat := normalizers.Catalog()
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			raw, err := fixtures.Read(p)
			if err != nil {
				t.Fatal(err)
			}
			f := engine.NewFacts(cat)
			if err := normalizers.Normalize(raw, f, normalizers.Options{AsOf: asOf}); err != nil {
				t.Fatalf("normalize: %v", err)
			}
			got, err := json.MarshalIndent(f, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(p, ".json")+".json")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./normalizers/all -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("facts differ from %s (run with -update after checking the change):\n%s", golden, got)
			}
		})
	}
}

// TestBadInput: every bad document gets one clear error naming the provider
// (when it can be told) and the byte offset; none panics.
func TestBadInput(t *testing.T) {
	seedTrully, _ := os.ReadFile("../trully/testdata/seed_trailing_comma.json")
	seedPreventor, _ := os.ReadFile("../preventor/testdata/seed_double_comma.json")
	if len(seedTrully) == 0 || len(seedPreventor) == 0 {
		t.Fatal("the seeds' broken examples are missing")
	}
	deep := strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)
	huge := `{"ticket":"t","event":"ticket.verification.completed","pad":"` + strings.Repeat("x", 9<<20) + `"}`
	tests := []struct {
		name, doc string
		want      string // substring of the error
	}{
		{"trully seed trailing comma", string(seedTrully), "trully: byte "},
		{"preventor seed double comma", string(seedPreventor), "preventor: byte "},
		{"empty", "", "empty document"},
		{"blank", " \n ", "empty document"},
		{"not an object", `[1,2]`, "a case is a JSON object"},
		{"string", `"veriff"`, "a case is a JSON object"},
		{"unknown shape", `{"foo": 1, "bar": 2}`, "no provider has this payload shape (top-level keys: bar, foo)"},
		{"100k-deep nesting", deep, "nesting deeper than"},
		{"very large", huge, "exceeds the limit"},
		{"truncated", `{"verification": {"id": "x"`, "unexpected end of input"},
		{"envelope with unknown provider", `{"results":[{"provider":"verif","payload":{}}]}`, `unknown provider "verif" (did you mean veriff?)`},
		{"envelope payload not an object", `{"results":[{"provider":"veriff","payload":"x"}]}`, "results[0]: payload: expected a JSON object"},
		{"envelope without results", `{"case_id":"a","results":[]}`, "results: needs at least 1 result"},
		{"envelope results not an array", `{"results":{}}`, "results: expected an array"},
		{"envelope unknown field", `{"results":[],"extra":1}`, `unknown envelope field "extra"`},
		{"envelope bad as_of", `{"as_of":"yesterday","results":[{"provider":"veriff_ine","payload":{"active":true,"documentState":"x"}}]}`, "as_of: expected an RFC 3339 time"},
		{"duplicate key in a Veriff decision", `{"status":"success","verification":{"id":"s","status":"declined","status":"approved"}}`, `veriff: byte 65: malformed JSON: duplicate key "status"`},
		{"duplicate key in an envelope payload", `{"results":[{"provider":"veriff_ine","payload":{"active":false,"active":true}}]}`, `duplicate key "active"`},
		{"envelope undetectable payload", `{"results":[{"payload":{"x":1}}]}`, "results[0]: no provider has this payload shape"},
	}
	cat := normalizers.Catalog()
	for _, tt := range tests {
		f := engine.NewFacts(cat)
		err := normalizers.Normalize([]byte(tt.doc), f, normalizers.Options{AsOf: asOf})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error spans lines: %q", tt.name, err)
		}
		var ne *normalizers.Error
		if tt.name != "very large" && !errors.As(err, &ne) {
			t.Errorf("%s: error %T carries no offset", tt.name, err)
		}
	}
}

// TestEnvelope: a full Mexican case, every provider named, facts from all of
// them and the cross-provider checks.
func TestEnvelope(t *testing.T) {
	raw, err := fixtures.Read("cases/mx_full_approved.json")
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(normalizers.Catalog())
	if err := normalizers.Normalize(raw, f, normalizers.Options{}); err != nil {
		t.Fatal(err)
	}
	if f.CaseID != "app-000123" {
		t.Errorf("case id %q", f.CaseID)
	}
	if !f.AsOf.Equal(time.Date(2025, 6, 17, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("as_of from the envelope: %v", f.AsOf)
	}
	want := map[string]string{
		"case.providers":              "[jaak, preventor, trully, veriff, veriff_ine]",
		"case.curp.check_digit_valid": "true",
		"case.curp.consistent":        "true",
		"jaak.ofac.passed":            "true",
		"jaak.renapo.passed":          "true",
		"veriff_ine.active":           "true",
	}
	for name, w := range want {
		v, ok := f.Lookup(name)
		if !ok || v.String() != w {
			t.Errorf("%s = %v, want %s", name, v, w)
		}
	}
}

// FuzzNormalize: no input may panic or hang the case reader.
func FuzzNormalize(f *testing.F) {
	for _, p := range fixtures.Glob("*/*.json") {
		raw, _ := fixtures.Read(p)
		f.Add(raw)
	}
	f.Add([]byte(`{"results":[{"provider":"jaak","kind":"ofac","payload":{"state":{}}}]}`))
	cat := normalizers.Catalog()
	facts := engine.NewFacts(cat)
	f.Fuzz(func(t *testing.T, doc []byte) {
		err := normalizers.Normalize(doc, facts, normalizers.Options{AsOf: asOf})
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("multi-line error %q", err)
		}
	})
}
