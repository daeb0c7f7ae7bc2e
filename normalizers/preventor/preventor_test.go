package preventor

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/normtest"
)

var asOf = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const ticket = "762ebbda-0edb-4e48-86bc-11a280273601"

// fixture reads fixtures/preventor/<name>.json (or a testdata file when name
// starts with "testdata/").
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	p := filepath.Join("..", "..", "fixtures", "preventor", name+".json")
	if strings.HasPrefix(name, "testdata/") {
		p = name + ".json"
	}
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// payloads places raws one after another in an imaginary input document so
// that offsets differ between payloads.
func payloads(raws ...[]byte) []normalizers.Payload {
	in := make([]normalizers.Payload, len(raws))
	off := 100
	for i, r := range raws {
		in[i] = normalizers.Payload{Raw: r, Offset: off}
		off += len(r) + 10
	}
	return in
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

func run(tb testing.TB, raws ...[]byte) (*engine.Facts, error) {
	tb.Helper()
	f := newFacts(tb)
	err := Provider{}.Normalize(payloads(raws...), f.Sink(name))
	return f, err
}

func runFixtures(tb testing.TB, names ...string) (*engine.Facts, error) {
	tb.Helper()
	raws := make([][]byte, len(names))
	for i, n := range names {
		raws[i] = fixture(tb, n)
	}
	return run(tb, raws...)
}

var (
	livenessPassed = map[string]any{
		"preventor.liveness.passed":            true,
		"preventor.liveness.disposition":       "PASSED",
		"preventor.liveness.retries":           0,
		"preventor.liveness.messages":          []string{"Liveness detected"},
		"preventor.facial_analysis.passed":     true,
		"preventor.facial_analysis.confidence": 100,
		"preventor.facial_analysis.age_min":    22,
		"preventor.facial_analysis.age_max":    30,
		"preventor.any_step_failed":            false,
	}
	idProofingPassed = map[string]any{
		"preventor.document.detected":                 true,
		"preventor.id_proofing.passed":                true,
		"preventor.id_proofing.disposition":           "PASSED",
		"preventor.id_proofing.retries":               0,
		"preventor.id_proofing.general_status":        "VALID",
		"preventor.id_proofing.failed_checks":         []string{},
		"preventor.id_proofing.unverified_checks":     []string{"rfid", "authenticity"},
		"preventor.id_proofing.document_expiry_valid": true,
		"preventor.photo_matching.passed":             true,
		"preventor.photo_matching.similarity":         99.94,
		"preventor.any_step_failed":                   false,
	}
	completedAccepted = map[string]any{
		"preventor.flow_status":        "ACCEPTED",
		"preventor.completed":          true,
		"preventor.accepted":           true,
		"preventor.disposition":        "PASSED",
		"preventor.remaining_attempts": 3,
		"preventor.risk_code":          "LOW",
		"preventor.confidence_score":   99.99,
	}
	inProgress3 = map[string]any{
		"preventor.flow_status":        "IN_PROGRESS",
		"preventor.completed":          false,
		"preventor.disposition":        "PASSED",
		"preventor.remaining_attempts": 3,
	}
	subFacts = []string{
		"preventor.liveness.passed", "preventor.liveness.disposition", "preventor.liveness.messages",
		"preventor.facial_analysis.passed", "preventor.facial_analysis.confidence",
		"preventor.facial_analysis.age_min", "preventor.facial_analysis.age_max",
		"preventor.document.detected", "preventor.id_proofing.passed", "preventor.id_proofing.disposition",
		"preventor.id_proofing.general_status", "preventor.id_proofing.failed_checks",
		"preventor.id_proofing.unverified_checks", "preventor.id_proofing.document_expiry_valid",
		"preventor.photo_matching.passed", "preventor.photo_matching.similarity",
	}
)

func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func TestNormalize(t *testing.T) {
	full := merge(completedAccepted, livenessPassed, idProofingPassed, map[string]any{"preventor.events": 3})
	retried := merge(livenessPassed, map[string]any{
		"preventor.flow_status":                "IN_PROGRESS",
		"preventor.completed":                  false,
		"preventor.disposition":                "PASSED",
		"preventor.remaining_attempts":         2,
		"preventor.events":                     2,
		"preventor.facial_analysis.confidence": 98,
		"preventor.liveness.retries":           1,
	})
	tests := []struct {
		name     string
		files    []string
		want     map[string]any
		unknown  []string
		warnings int
	}{
		{
			name:  "liveness passed (seed)",
			files: []string{"liveness_passed"},
			want:  merge(inProgress3, livenessPassed, map[string]any{"preventor.events": 1}),
			unknown: []string{"preventor.accepted", "preventor.risk_code", "preventor.confidence_score",
				"preventor.document.detected", "preventor.id_proofing.passed", "preventor.id_proofing.disposition",
				"preventor.id_proofing.failed_checks", "preventor.photo_matching.similarity"},
		},
		{
			name:  "id proofing passed (seed)",
			files: []string{"id_proofing_passed"},
			want:  merge(inProgress3, idProofingPassed, map[string]any{"preventor.events": 1}),
			unknown: []string{"preventor.accepted", "preventor.risk_code", "preventor.liveness.passed",
				"preventor.liveness.disposition", "preventor.facial_analysis.age_min"},
		},
		{
			name:    "completed (seed, corrected)",
			files:   []string{"completed"},
			want:    merge(completedAccepted, map[string]any{"preventor.events": 1}),
			unknown: subFacts,
		},
		{
			name:  "whole flow in event order",
			files: []string{"liveness_passed", "id_proofing_passed", "completed"},
			want:  full,
		},
		{
			name:  "completed arriving before in_progress",
			files: []string{"completed", "liveness_passed", "id_proofing_passed"},
			want:  full,
		},
		{
			name:  "completed between in_progress",
			files: []string{"id_proofing_passed", "completed", "liveness_passed"},
			want:  full,
		},
		{
			name:  "liveness RETRY then PASSED",
			files: []string{"liveness_retry", "liveness_passed_after_retry"},
			want:  retried,
		},
		{
			name:  "liveness PASSED arriving before the RETRY it followed",
			files: []string{"liveness_passed_after_retry", "liveness_retry"},
			want:  retried,
		},
		{
			name:  "liveness RETRY only",
			files: []string{"liveness_retry"},
			want: map[string]any{
				"preventor.flow_status":                "IN_PROGRESS",
				"preventor.completed":                  false,
				"preventor.disposition":                "RETRY",
				"preventor.remaining_attempts":         2,
				"preventor.events":                     1,
				"preventor.liveness.passed":            false,
				"preventor.liveness.disposition":       "RETRY",
				"preventor.liveness.retries":           1,
				"preventor.any_step_failed":            false,
				"preventor.liveness.messages":          []string{"Liveness not detected", "Face too close to the camera"},
				"preventor.facial_analysis.passed":     true,
				"preventor.facial_analysis.confidence": 87,
				"preventor.facial_analysis.age_min":    25,
				"preventor.facial_analysis.age_max":    35,
			},
		},
		{
			name:  "liveness FAILED with nulls",
			files: []string{"liveness_failed_nulls"},
			want: map[string]any{
				"preventor.flow_status":          "IN_PROGRESS",
				"preventor.completed":            false,
				"preventor.disposition":          "FAILED",
				"preventor.remaining_attempts":   0,
				"preventor.events":               1,
				"preventor.liveness.passed":      false,
				"preventor.liveness.disposition": "FAILED",
				"preventor.liveness.retries":     0,
				"preventor.any_step_failed":      true,
				"preventor.liveness.messages":    []string{},
			},
			unknown: []string{"preventor.facial_analysis.passed", "preventor.facial_analysis.confidence",
				"preventor.facial_analysis.age_min", "preventor.facial_analysis.age_max"},
		},
		{
			name:  "id proofing with INVALID security and document expiry",
			files: []string{"id_proofing_invalid"},
			want: map[string]any{
				"preventor.flow_status":                       "IN_PROGRESS",
				"preventor.completed":                         false,
				"preventor.disposition":                       "FAILED",
				"preventor.remaining_attempts":                0,
				"preventor.events":                            1,
				"preventor.document.detected":                 true,
				"preventor.id_proofing.passed":                false,
				"preventor.id_proofing.disposition":           "FAILED",
				"preventor.id_proofing.retries":               0,
				"preventor.any_step_failed":                   true,
				"preventor.id_proofing.general_status":        "INVALID",
				"preventor.id_proofing.failed_checks":         []string{"document_expiry", "security", "general_status"},
				"preventor.id_proofing.unverified_checks":     []string{"rfid", "barcode", "authenticity"},
				"preventor.id_proofing.document_expiry_valid": false,
				"preventor.photo_matching.passed":             false,
				"preventor.photo_matching.similarity":         41.07,
			},
		},
		{
			name:  "similarity as a number",
			files: []string{"id_proofing_similarity_number"},
			want: merge(inProgress3, idProofingPassed, map[string]any{
				"preventor.events":                        1,
				"preventor.id_proofing.unverified_checks": []string{"barcode"},
				"preventor.photo_matching.similarity":     87.5,
			}),
		},
		{
			name:  "completed REJECTED, HIGH risk, confidence as a string",
			files: []string{"completed_rejected"},
			want: map[string]any{
				"preventor.flow_status":        "REJECTED",
				"preventor.completed":          true,
				"preventor.accepted":           false,
				"preventor.disposition":        "FAILED",
				"preventor.remaining_attempts": 0,
				"preventor.risk_code":          "HIGH",
				"preventor.confidence_score":   12.5,
				"preventor.events":             1,
			},
			unknown: subFacts,
		},
		{
			name:  "rejected flow: rejected arrives first",
			files: []string{"completed_rejected", "liveness_passed", "id_proofing_invalid"},
			want: merge(livenessPassed, map[string]any{
				"preventor.flow_status":                       "REJECTED",
				"preventor.completed":                         true,
				"preventor.accepted":                          false,
				"preventor.disposition":                       "FAILED",
				"preventor.remaining_attempts":                0,
				"preventor.risk_code":                         "HIGH",
				"preventor.confidence_score":                  12.5,
				"preventor.events":                            3,
				"preventor.document.detected":                 true,
				"preventor.id_proofing.passed":                false,
				"preventor.id_proofing.disposition":           "FAILED",
				"preventor.id_proofing.retries":               0,
				"preventor.any_step_failed":                   true,
				"preventor.id_proofing.general_status":        "INVALID",
				"preventor.id_proofing.failed_checks":         []string{"document_expiry", "security", "general_status"},
				"preventor.id_proofing.unverified_checks":     []string{"rfid", "barcode", "authenticity"},
				"preventor.id_proofing.document_expiry_valid": false,
				"preventor.photo_matching.passed":             false,
				"preventor.photo_matching.similarity":         41.07,
			}),
		},
		{
			name:  "completed delivered twice",
			files: []string{"completed", "completed"},
			want:  merge(completedAccepted, map[string]any{"preventor.events": 2}),
		},
		{
			// Deliberately changed: the last received used to win.
			name:  "completed events disagree: the adverse side is kept",
			files: []string{"completed", "completed_rejected"},
			want: map[string]any{
				"preventor.flow_status":        "REJECTED",
				"preventor.completed":          true,
				"preventor.accepted":           false,
				"preventor.disposition":        "FAILED",
				"preventor.remaining_attempts": 3, // informational: the first
				"preventor.risk_code":          "HIGH",
				"preventor.confidence_score":   12.5,
				"preventor.events":             2,
			},
		},
		{
			name:  "in_progress only: the worst step is the flow's state",
			files: []string{"id_proofing_invalid", "liveness_passed"},
			want: map[string]any{
				"preventor.liveness.retries":                  0,
				"preventor.flow_status":                       "IN_PROGRESS",
				"preventor.completed":                         false,
				"preventor.disposition":                       "FAILED",
				"preventor.remaining_attempts":                0,
				"preventor.events":                            2,
				"preventor.liveness.passed":                   true,
				"preventor.liveness.disposition":              "PASSED",
				"preventor.liveness.messages":                 []string{"Liveness detected"},
				"preventor.facial_analysis.passed":            true,
				"preventor.facial_analysis.confidence":        100,
				"preventor.facial_analysis.age_min":           22,
				"preventor.facial_analysis.age_max":           30,
				"preventor.document.detected":                 true,
				"preventor.id_proofing.passed":                false,
				"preventor.id_proofing.disposition":           "FAILED",
				"preventor.id_proofing.retries":               0,
				"preventor.any_step_failed":                   true,
				"preventor.id_proofing.general_status":        "INVALID",
				"preventor.id_proofing.failed_checks":         []string{"document_expiry", "security", "general_status"},
				"preventor.id_proofing.unverified_checks":     []string{"rfid", "barcode", "authenticity"},
				"preventor.id_proofing.document_expiry_valid": false,
				"preventor.photo_matching.passed":             false,
				"preventor.photo_matching.similarity":         41.07,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := runFixtures(t, tt.files...)
			if err != nil {
				t.Fatal(err)
			}
			normtest.Facts(t, f, tt.want, tt.unknown)
			if f.CaseID != ticket {
				t.Errorf("CaseID = %q, want %q", f.CaseID, ticket)
			}
			if len(f.Warnings) != tt.warnings {
				t.Errorf("warnings = %v, want %d", f.Warnings, tt.warnings)
			}
			if len(f.Identities) != 0 {
				t.Errorf("identities = %v, want none", f.Identities)
			}
		})
	}
}

func TestNormalizeNothing(t *testing.T) {
	f, err := run(t)
	if err != nil {
		t.Fatal(err)
	}
	if k := f.Known(); len(k) != 0 {
		t.Errorf("known facts without payloads: %v", k)
	}
}

func TestSeedDoubleCommaIsInvalid(t *testing.T) {
	raw := fixture(t, "testdata/seed_double_comma")
	if json.Valid(raw) {
		t.Fatal("the seed's completed example should be invalid JSON")
	}
	if !bytes.Contains(raw, []byte(`"ticket.verification.completed",,`)) {
		t.Fatal("testdata lost the seed's double comma")
	}
	fixed := fixture(t, "completed")
	if !json.Valid(fixed) {
		t.Fatal("the corrected fixture is not valid JSON")
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		msg   string // in the error
		at    string // the error's offset points at this text of the last file ("" for the payload start)
	}{
		{"not an object", []string{"testdata/not_object"}, "expected a JSON object", ""},
		{"data is a string", []string{"testdata/data_string"}, "data: expected an object", `"facial_analysis"`},
		{"missing ticket", []string{"testdata/missing_ticket"}, "ticket: missing", ""},
		{"empty ticket", []string{"testdata/empty_ticket"}, "ticket: empty", `""`},
		{"unknown event", []string{"testdata/unknown_event"}, `event: unknown event "ticket.verification.started"`, `"ticket.verification.started"`},
		{"different tickets", []string{"completed", "liveness_passed", "testdata/other_ticket"},
			`"762ebbda-0edb-4e48-86bc-11a280273601" (byte 114) and "0b7e2a51-9f3c-4d8e-a6b1-3c5d7e9f1a20"`,
			`"0b7e2a51`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raws := make([][]byte, len(tt.files))
			for i, n := range tt.files {
				raws[i] = fixture(t, n)
			}
			in := payloads(raws...)
			f := newFacts(t)
			err := Provider{}.Normalize(in, f.Sink(name))
			var e *normalizers.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want a *normalizers.Error", err)
			}
			if e.Provider != name || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("err = %v, want %q", err, tt.msg)
			}
			last := in[len(in)-1]
			want := last.Offset
			if tt.at != "" {
				want += bytes.Index(last.Raw, []byte(tt.at))
			}
			if e.Offset != want {
				t.Errorf("offset = %d, want %d", e.Offset, want)
			}
		})
	}
}

const liveTmpl = `{"ticket":"762ebbda-0edb-4e48-86bc-11a280273601","event":"ticket.verification.in_progress","sub_event":"verification.liveness","flow_status":"IN_PROGRESS","disposition":"PASSED","remaining_attempts":3,"data":{"facial_analysis":{"status":true,"confidence_score":"100","age_range":"22-30"},"liveness_detection":{"status":true,"validation_messages":["Liveness detected"]}}}`

const idTmpl = `{"ticket":"762ebbda-0edb-4e48-86bc-11a280273601","event":"ticket.verification.in_progress","sub_event":"verification.id_proofing","flow_status":"IN_PROGRESS","disposition":"PASSED","remaining_attempts":3,"data":{"document_detection":{"status":true},"id_proofing":{"status":true,"validations":{"document_expiry":"VALID","security":"VALID","rfid":"NON_VALIDATED_OR_ABSENT","general_status":"VALID"}},"photo_matching":{"status":true,"similarity_score":"99.94"}}}`

func TestWarnings(t *testing.T) {
	tests := []struct {
		name       string
		raw        string
		at         string // the warning points at this text
		msg        string
		unreadable []string       // facts marked unreadable, unknown unless in still
		still      map[string]any // facts still read
	}{
		{"status not a bool", strings.Replace(liveTmpl, `"status":true,"confidence`, `"status":"yes","confidence`, 1),
			`"yes"`, "facial_analysis.status: expected bool",
			[]string{"preventor.facial_analysis.passed"},
			map[string]any{"preventor.facial_analysis.confidence": 100, "preventor.liveness.passed": true}},
		{"confidence not a number", strings.Replace(liveTmpl, `"100"`, `"high"`, 1),
			`"high"`, "facial_analysis.confidence_score: expected a score",
			[]string{"preventor.facial_analysis.confidence"},
			map[string]any{"preventor.facial_analysis.passed": true}},
		{"age range unreadable", strings.Replace(liveTmpl, `"22-30"`, `"adult"`, 1),
			`"adult"`, "facial_analysis.age_range",
			[]string{"preventor.facial_analysis.age_min", "preventor.facial_analysis.age_max"},
			map[string]any{"preventor.facial_analysis.confidence": 100}},
		{"age range reversed", strings.Replace(liveTmpl, `"22-30"`, `"30-22"`, 1),
			`"30-22"`, "facial_analysis.age_range",
			[]string{"preventor.facial_analysis.age_min", "preventor.facial_analysis.age_max"}, nil},
		{"liveness_detection a string", strings.Replace(liveTmpl, `{"status":true,"validation_messages":["Liveness detected"]}`, `"ok"`, 1),
			`"ok"`, "data.liveness_detection: expected object",
			[]string{"preventor.liveness.passed", "preventor.liveness.messages"},
			map[string]any{"preventor.facial_analysis.passed": true}},
		{"messages an object", strings.Replace(liveTmpl, `["Liveness detected"]`, `{"0":"x"}`, 1),
			`{"0":"x"}`, "validation_messages: expected an array",
			[]string{"preventor.liveness.messages"},
			map[string]any{"preventor.liveness.passed": true}},
		{"remaining attempts not a number", strings.Replace(liveTmpl, `"remaining_attempts":3`, `"remaining_attempts":"many"`, 1),
			`"many"`, "remaining_attempts: expected a count",
			[]string{"preventor.remaining_attempts"},
			map[string]any{"preventor.disposition": "PASSED"}},
		{"disposition a number", strings.Replace(liveTmpl, `"disposition":"PASSED"`, `"disposition":1`, 1),
			`1,"remaining`, "disposition: expected one of PASSED, FAILED, RETRY, got number 1",
			[]string{"preventor.disposition", "preventor.liveness.disposition", "preventor.any_step_failed"},
			map[string]any{"preventor.remaining_attempts": 3}},
		{"similarity over 100", strings.Replace(idTmpl, `"99.94"`, `"150"`, 1),
			`"150"`, "photo_matching.similarity_score: expected a score from 0 to 100",
			[]string{"preventor.photo_matching.similarity"},
			map[string]any{"preventor.photo_matching.passed": true}},
		{"validation a number", strings.Replace(idTmpl, `"security":"VALID"`, `"security":0`, 1),
			`0,"rfid"`, "id_proofing.validations.security: expected one of VALID, NON_VALIDATED_OR_ABSENT, INVALID",
			[]string{"preventor.id_proofing.failed_checks"},
			map[string]any{"preventor.id_proofing.failed_checks": []string{}, "preventor.id_proofing.unverified_checks": []string{"rfid"}}},
		{"validations an array", strings.Replace(idTmpl, `{"document_expiry":"VALID","security":"VALID","rfid":"NON_VALIDATED_OR_ABSENT","general_status":"VALID"}`, `["VALID"]`, 1),
			`["VALID"]`, "id_proofing.validations: expected object",
			[]string{"preventor.id_proofing.general_status", "preventor.id_proofing.failed_checks", "preventor.id_proofing.unverified_checks", "preventor.id_proofing.document_expiry_valid"},
			map[string]any{"preventor.id_proofing.passed": true}},
		{"unknown sub_event", strings.Replace(liveTmpl, `"verification.liveness"`, `"verification.selfie"`, 1),
			`"verification.selfie"`, "sub_event: unknown",
			nil,
			map[string]any{"preventor.liveness.passed": true, "preventor.facial_analysis.age_max": 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.raw)
			if !json.Valid(raw) {
				t.Fatal("test input is not JSON")
			}
			f := newFacts(t)
			in := []normalizers.Payload{{Raw: raw, Offset: 500}}
			if err := (Provider{}).Normalize(in, f.Sink(name)); err != nil {
				t.Fatal(err)
			}
			// One warning per fact the field feeds, all at the field.
			want := 500 + bytes.Index(raw, []byte(tt.at))
			if len(f.Warnings) == 0 {
				t.Fatal("no warning")
			}
			for _, w := range f.Warnings {
				if w.Offset != want {
					t.Errorf("warning offset = %d, want %d (%q)", w.Offset, want, tt.at)
				}
				if w.Provider != name || !strings.Contains(w.Message, tt.msg) {
					t.Errorf("warning = %+v, want %q", w, tt.msg)
				}
			}
			for _, n := range tt.unreadable {
				v, _ := f.Lookup(n)
				if _, kept := tt.still[n]; v.Known() && !kept || v.E != engine.Unreadable {
					t.Errorf("%s = %v (%s), want unreadable", n, v, v.E)
				}
				if e := note(f, n); e == nil || e.Offset != want {
					t.Errorf("%s: evidence note %+v, want one at %d", n, e, want)
				}
			}
			// One field feeding several facts warns once; each fact has its note.
			if len(f.Warnings) != 1 {
				t.Errorf("warnings = %v, want one for the field of %v", f.Warnings, tt.unreadable)
			}
			for n, want := range tt.still {
				if v, _ := f.Lookup(n); !normtest.Equal(v, want) {
					t.Errorf("%s = %v, want %v", n, v, want)
				}
			}
		})
	}
}

func TestAgeRange(t *testing.T) {
	for _, tt := range []struct {
		in       string
		min, max float64 // -1: unknown
	}{
		{`"22-30"`, 22, 30}, {`"22 - 30"`, 22, 30}, {`"60+"`, 60, -1}, {`"25"`, 25, 25}, {`25`, 25, 25},
	} {
		raw := strings.Replace(liveTmpl, `"22-30"`, tt.in, 1)
		f, err := run(t, []byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		for n, w := range map[string]float64{"preventor.facial_analysis.age_min": tt.min, "preventor.facial_analysis.age_max": tt.max} {
			v, _ := f.Lookup(n)
			if w < 0 && v.Known() || w >= 0 && !normtest.Equal(v, w) {
				t.Errorf("age_range %s: %s = %v, want %v", tt.in, n, v, w)
			}
		}
		if len(f.Warnings) != 0 {
			t.Errorf("age_range %s: warnings %v", tt.in, f.Warnings)
		}
	}
}

func TestCaseInsensitiveWords(t *testing.T) {
	raw := `{"ticket":"762ebbda-0edb-4e48-86bc-11a280273601","event":"ticket.verification.completed","flow_status":"accepted","disposition":"passed","risk_code":"medium","confidence_score":"85"}`
	f, err := run(t, []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	normtest.Facts(t, f, map[string]any{
		"preventor.flow_status":      "ACCEPTED",
		"preventor.completed":        true,
		"preventor.accepted":         true,
		"preventor.disposition":      "PASSED",
		"preventor.risk_code":        "MEDIUM",
		"preventor.confidence_score": 85,
		"preventor.events":           1,
	}, []string{"preventor.remaining_attempts"})
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
	if _, err := engine.NewCatalog(fs); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{fFlowStatus, fDisposition, fRiskCode, fLivenessDisposition, fIDDisposition, fIDGeneralStatus} {
		if len(fs[i].Values) == 0 {
			t.Errorf("%s: enumerated fact without Values", fs[i].Name)
		}
	}
}

// note returns the evidence note of fact n, nil when it has none.
func note(f *engine.Facts, n string) *engine.EvidenceNote {
	for i := range f.Evidence {
		if f.Evidence[i].Fact == n {
			return &f.Evidence[i]
		}
	}
	return nil
}

// shape builds the Shape of a bare payload as the registry does.
func shape(tb testing.TB, raw string) normalizers.Shape {
	tb.Helper()
	s := normalizers.Shape{Keys: map[string]string{}}
	gjson.Parse(raw).ForEach(func(k, v gjson.Result) bool {
		s.Keys[k.Str] = v.Raw
		return true
	})
	return s
}

func TestDetect(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("..", "..", "fixtures", "preventor"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := strings.TrimSuffix(e.Name(), ".json")
		if !(Provider{}).Detect(shape(t, string(fixture(t, n)))) {
			t.Errorf("%s: not detected", n)
		}
	}
	for _, raw := range []string{
		`{"status":"success","verification":{"id":"f04bdb47","status":"approved"}}`,
		`{"status":"fail","code":"1102","message":"Mandatory parameters are missing from the request."}`,
		`{"active":true,"documentState":"VALID"}`,
		`{"label":"No Threat","request_id":"abc","face_match":{},"document":{},"selfie":{},"curp":{}}`,
		`{"eventId":"749f","organization":"curp","service":"validaCurp","result":null,"state":{"foundInService":false,"mustBeFound":true}}`,
		`{"ticket":"762e","status":"approved"}`,
		`{"ticket":"762e","event":"session.created"}`,
		`{"event":"ticket.verification.completed"}`,
	} {
		if (Provider{}).Detect(shape(t, raw)) {
			t.Errorf("detected %s", raw)
		}
	}
}

func allSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	for _, dir := range []string{filepath.Join("..", "..", "fixtures", "preventor"), "testdata"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, b)
		}
	}
	return out
}

func FuzzNormalize(f *testing.F) {
	for _, b := range allSeeds(f) {
		f.Add(b)
	}
	completed := fixture(f, "completed")
	cat, err := engine.NewCatalog(Provider{}.Facts())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			t.Skip()
		}
		facts := engine.NewFacts(cat)
		facts.AsOf = asOf
		start := time.Now()
		_ = Provider{}.Normalize([]normalizers.Payload{{Raw: raw}}, facts.Sink(name))
		facts.Reset()
		_ = Provider{}.Normalize([]normalizers.Payload{{Raw: completed}, {Raw: raw, Offset: len(completed)}}, facts.Sink(name))
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Normalize took %v", d)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, bc := range []struct {
		name  string
		files []string
	}{
		{"liveness_passed", []string{"liveness_passed"}},
		{"id_proofing_passed", []string{"id_proofing_passed"}},
		{"completed", []string{"completed"}},
		{"whole_flow", []string{"liveness_passed", "id_proofing_passed", "completed"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			raws := make([][]byte, len(bc.files))
			size := 0
			for i, n := range bc.files {
				raws[i] = fixture(b, n)
				size += len(raws[i])
			}
			in := payloads(raws...)
			f := newFacts(b)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				f.Reset()
				if err := (Provider{}).Normalize(in, f.Sink(name)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A failed step contradicts an acceptance only when there is one: a ticket
// still in progress, or rejected, with a failed step leaves accepted as it
// was, with no evidence against it.
func TestFailedStepWithoutAcceptance(t *testing.T) {
	for _, name := range []string{"liveness_failed_nulls", "completed_rejected"} {
		f, err := run(t, fixture(t, name))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := f.Lookup("preventor.accepted"); v.E != engine.Clean {
			t.Errorf("%s: accepted = %v (%v), want no evidence against it", name, v, v.E)
		}
		for _, e := range f.Evidence {
			if e.Fact == "preventor.accepted" {
				t.Errorf("%s: note %+v", name, e)
			}
		}
	}
}
