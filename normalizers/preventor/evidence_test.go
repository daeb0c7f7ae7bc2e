package preventor

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

// edit returns fixture name with the first old replaced by new; the test
// fails when old is not in it, so that an edit can never silently miss.
func edit(tb testing.TB, name, old, new string) []byte {
	tb.Helper()
	raw := fixture(tb, name)
	if !bytes.Contains(raw, []byte(old)) {
		tb.Fatalf("%s has no %q", name, old)
	}
	return bytes.Replace(raw, []byte(old), []byte(new), 1)
}

// want is the expected state of one fact.
type want struct {
	fact  string
	value any             // nil: unknown
	state engine.Evidence // Clean, Unreadable or Conflicting
	at    string          // the note points at this text of a payload, or just after its "»" ("" for any offset)
}

func checkFacts(t *testing.T, f *engine.Facts, raws [][]byte, ws []want) {
	t.Helper()
	in := payloads(raws...)
	for _, w := range ws {
		v, ok := f.Lookup(w.fact)
		if !ok {
			t.Errorf("%s: not in the catalog", w.fact)
			continue
		}
		switch {
		case w.value == nil && v.Known():
			t.Errorf("%s = %v, want unknown", w.fact, v)
		case w.value != nil && !equalValue(v, w.value):
			t.Errorf("%s = %v, want %v", w.fact, v, w.value)
		}
		if v.E != w.state {
			t.Errorf("%s is %s, want %s", w.fact, v.E, w.state)
		}
		n := note(f, w.fact)
		if w.state == engine.Clean {
			if n != nil {
				t.Errorf("%s: unexpected evidence note %+v", w.fact, n)
			}
			continue
		}
		if n == nil {
			t.Errorf("%s: no evidence note", w.fact)
			continue
		}
		if w.at == "" {
			continue
		}
		text, mark, _ := strings.Cut(w.at, "»")
		if !strings.Contains(w.at, "»") {
			text, mark = "", w.at
		}
		found := false
		for _, p := range in {
			if i := bytes.Index(p.Raw, []byte(text+mark)); i >= 0 && n.Offset == p.Offset+i+len(text) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: note at byte %d (%s), want it at %q", w.fact, n.Offset, n.Message, w.at)
		}
	}
}

func equalValue(v engine.Value, w any) bool {
	if l, ok := w.([]string); ok && len(l) == 0 {
		return v.Kind == engine.List && len(v.L) == 0
	}
	return v.Known() && reflect.DeepEqual(valueOf(v), normalize(w))
}

func valueOf(v engine.Value) any {
	switch v.Kind {
	case engine.Bool:
		return v.B
	case engine.Number:
		return v.N
	case engine.String:
		return v.S
	case engine.List:
		return v.L
	}
	return nil
}

func normalize(w any) any {
	if i, ok := w.(int); ok {
		return float64(i)
	}
	return w
}

// TestUnreadable: every field read, edited to a value that cannot be read,
// leaves its facts unknown (or keeping what else was read) and unreadable
// at the field; values at exactly each limit are read.
func TestUnreadable(t *testing.T) {
	const (
		u = engine.Unreadable
		c = engine.Clean
	)
	tests := []struct {
		name, file, old, new string
		want                 []want
	}{
		{"flow_status unknown word", "completed", `"ACCEPTED"`, `"DONE"`, []want{
			{"preventor.flow_status", nil, u, `"DONE"`}, {"preventor.accepted", nil, u, `"DONE"`},
			{"preventor.completed", true, c, ""}, {"preventor.risk_code", "LOW", c, ""}}},
		{"flow_status a number", "completed", `"ACCEPTED"`, `1`, []want{
			{"preventor.flow_status", nil, u, `"flow_status": »1`}, {"preventor.accepted", nil, u, `"flow_status": »1`}}},
		{"flow_status empty", "completed", `"ACCEPTED"`, `""`, []want{
			{"preventor.flow_status", nil, u, `""`}, {"preventor.accepted", nil, u, `""`}}},
		{"flow_status null is not reported", "completed", `"ACCEPTED"`, `null`, []want{
			{"preventor.flow_status", nil, c, ""}, {"preventor.accepted", nil, c, ""}}},
		{"flow_status in another case", "completed", `"ACCEPTED"`, `" accepted "`, []want{
			{"preventor.flow_status", "ACCEPTED", c, ""}, {"preventor.accepted", true, c, ""}}},
		{"risk_code outside the documented set", "completed", `"LOW"`, `"CRITICAL"`, []want{
			{"preventor.risk_code", nil, u, `"CRITICAL"`}, {"preventor.accepted", true, c, ""}}},
		{"risk_code a number", "completed", `"LOW"`, `3`, []want{{"preventor.risk_code", nil, u, `"risk_code": »3`}}},
		{"confidence 0", "completed", `99.99`, `0`, []want{{"preventor.confidence_score", 0, c, ""}}},
		{"confidence 100", "completed", `99.99`, `100`, []want{{"preventor.confidence_score", 100, c, ""}}},
		{"confidence just below 0", "completed", `99.99`, `-0.01`, []want{{"preventor.confidence_score", nil, u, `-0.01`}}},
		{"confidence just above 100", "completed", `99.99`, `100.01`, []want{{"preventor.confidence_score", nil, u, `100.01`}}},
		{"confidence a word", "completed", `99.99`, `"high"`, []want{{"preventor.confidence_score", nil, u, `"high"`}}},
		{"confidence NaN", "completed", `99.99`, `"NaN"`, []want{{"preventor.confidence_score", nil, u, `"NaN"`}}},
		{"remaining_attempts 0", "completed", `"remaining_attempts": 3`, `"remaining_attempts": 0`, []want{{"preventor.remaining_attempts", 0, c, ""}}},
		{"remaining_attempts a numeric string", "completed", `"remaining_attempts": 3`, `"remaining_attempts": "2"`, []want{{"preventor.remaining_attempts", 2, c, ""}}},
		{"remaining_attempts negative", "completed", `"remaining_attempts": 3`, `"remaining_attempts": -1`, []want{{"preventor.remaining_attempts", nil, u, `"remaining_attempts": »-1`}}},
		{"remaining_attempts not whole", "completed", `"remaining_attempts": 3`, `"remaining_attempts": 2.5`, []want{{"preventor.remaining_attempts", nil, u, `2.5`}}},
		{"completed disposition unknown", "completed", `"PASSED"`, `"DONE"`, []want{
			{"preventor.disposition", nil, u, `"DONE"`}, {"preventor.accepted", true, u, `"DONE"`}}},
		{"completed disposition an object", "completed", `"PASSED"`, `{}`, []want{
			{"preventor.disposition", nil, u, `{}`}, {"preventor.accepted", true, u, `{}`}}},
		{"rejected with an unreadable disposition", "completed_rejected", `"FAILED"`, `"DONE"`, []want{
			{"preventor.disposition", nil, u, `"DONE"`}, {"preventor.accepted", false, c, ""}}},

		{"in_progress flow_status unknown", "liveness_passed", `"IN_PROGRESS"`, `"PAUSED"`, []want{
			{"preventor.flow_status", nil, u, `"PAUSED"`}}},
		{"in_progress disposition unknown", "liveness_passed", `"PASSED"`, `"OK"`, []want{
			{"preventor.disposition", nil, u, `"OK"`}, {"preventor.liveness.disposition", nil, u, `"OK"`},
			{"preventor.any_step_failed", nil, u, `"OK"`}, {"preventor.liveness.passed", true, c, ""}}},
		{"status a word", "liveness_passed", `"status": true,
      "validation_messages"`, `"status": "yes",
      "validation_messages"`, []want{{"preventor.liveness.passed", nil, u, `"yes"`}}},
		{"status 0 is false", "liveness_retry", `"status": false`, `"status": 0`, []want{{"preventor.liveness.passed", false, c, ""}}},
		{"facial confidence 100", "liveness_passed", `"100"`, `"100.0"`, []want{{"preventor.facial_analysis.confidence", 100, c, ""}}},
		{"facial confidence above 100", "liveness_passed", `"100"`, `"100.5"`, []want{{"preventor.facial_analysis.confidence", nil, u, `"100.5"`}}},
		{"facial confidence 0", "liveness_passed", `"100"`, `0`, []want{{"preventor.facial_analysis.confidence", 0, c, ""}}},
		{"facial confidence below 0", "liveness_passed", `"100"`, `-1`, []want{{"preventor.facial_analysis.confidence", nil, u, `"confidence_score": »-1`}}},
		{"age range at the limits", "liveness_passed", `"22-30"`, `"0-150"`, []want{
			{"preventor.facial_analysis.age_min", 0, c, ""}, {"preventor.facial_analysis.age_max", 150, c, ""}}},
		{"age range past the limit", "liveness_passed", `"22-30"`, `"0-151"`, []want{
			{"preventor.facial_analysis.age_min", nil, u, `"0-151"`}, {"preventor.facial_analysis.age_max", nil, u, `"0-151"`}}},
		{"age range equal bounds", "liveness_passed", `"22-30"`, `"30-30"`, []want{
			{"preventor.facial_analysis.age_min", 30, c, ""}, {"preventor.facial_analysis.age_max", 30, c, ""}}},
		{"age range open", "liveness_passed", `"22-30"`, `"60+"`, []want{
			{"preventor.facial_analysis.age_min", 60, c, ""}, {"preventor.facial_analysis.age_max", nil, c, ""}}},
		{"facial_analysis not an object", "liveness_passed", `{
      "status": true,
      "confidence_score": "100",
      "age_range": "22-30"
    }`, `[]`, []want{
			{"preventor.facial_analysis.passed", nil, u, `[]`}, {"preventor.facial_analysis.confidence", nil, u, `[]`},
			{"preventor.facial_analysis.age_min", nil, u, `[]`}, {"preventor.liveness.passed", true, c, ""}}},
		{"a message not a string", "liveness_passed", `"Liveness detected"`, `"Liveness detected", 7`, []want{
			{"preventor.liveness.messages", []string{"Liveness detected"}, u, `"Liveness detected", »7`}}},
		{"messages a number", "liveness_passed", `[
        "Liveness detected"
      ]`, `7`, []want{{"preventor.liveness.messages", nil, u, `"validation_messages": »7`}}},
		{"similarity 100", "id_proofing_passed", `"99.94"`, `100`, []want{{"preventor.photo_matching.similarity", 100, c, ""}}},
		{"similarity above 100", "id_proofing_passed", `"99.94"`, `100.001`, []want{{"preventor.photo_matching.similarity", nil, u, `100.001`}}},
		{"similarity 0", "id_proofing_passed", `"99.94"`, `"0"`, []want{{"preventor.photo_matching.similarity", 0, c, ""}}},
		{"similarity below 0", "id_proofing_passed", `"99.94"`, `"-0.5"`, []want{{"preventor.photo_matching.similarity", nil, u, `"-0.5"`}}},
		{"document expiry unknown word", "id_proofing_passed", `"document_expiry": "VALID"`, `"document_expiry": "EXPIRED"`, []want{
			{"preventor.id_proofing.document_expiry_valid", nil, u, `"EXPIRED"`},
			{"preventor.id_proofing.failed_checks", []string{}, u, `"EXPIRED"`},
			{"preventor.id_proofing.general_status", "VALID", c, ""}}},
		{"a validation empty", "id_proofing_passed", `"security": "VALID"`, `"security": ""`, []want{
			{"preventor.id_proofing.failed_checks", []string{}, u, `""`}}},
		{"a validation a bool", "id_proofing_passed", `"mrz": "VALID"`, `"mrz": true`, []want{
			{"preventor.id_proofing.failed_checks", []string{}, u, `"mrz": »true`},
			{"preventor.id_proofing.unverified_checks", []string{"rfid", "authenticity"}, c, ""}}},
		{"general status unknown", "id_proofing_passed", `"general_status": "VALID"`, `"general_status": "OK"`, []want{
			{"preventor.id_proofing.general_status", nil, u, `"OK"`}, {"preventor.id_proofing.failed_checks", []string{}, u, `"OK"`}}},
		{"document expiry INVALID is adverse, not unreadable", "id_proofing_passed", `"document_expiry": "VALID"`, `"document_expiry": "INVALID"`, []want{
			{"preventor.id_proofing.document_expiry_valid", false, c, ""},
			{"preventor.id_proofing.failed_checks", []string{"document_expiry"}, c, ""}}},
		{"document expiry not run", "id_proofing_passed", `"document_expiry": "VALID"`, `"document_expiry": "NON_VALIDATED_OR_ABSENT"`, []want{
			{"preventor.id_proofing.document_expiry_valid", nil, c, ""},
			{"preventor.id_proofing.unverified_checks", []string{"document_expiry", "rfid", "authenticity"}, c, ""}}},
		{"photo_matching a string", "id_proofing_passed", `{
      "status": true,
      "similarity_score": "99.94"
    }`, `"ok"`, []want{
			{"preventor.photo_matching.passed", nil, u, `"ok"`}, {"preventor.photo_matching.similarity", nil, u, `"ok"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := edit(t, tt.file, tt.old, tt.new)
			f, err := run(t, raw)
			if err != nil {
				t.Fatal(err)
			}
			checkFacts(t, f, [][]byte{raw}, tt.want)
		})
	}
}

// TestContradictions: fields of one event that contradict each other mark
// the facts they feed conflicting, keeping what was reported.
func TestContradictions(t *testing.T) {
	const (
		x = engine.Conflicting
		c = engine.Clean
	)
	tests := []struct {
		name, file, old, new string
		want                 []want
	}{
		{"ACCEPTED with disposition FAILED (fixture)", "completed_accepted_disposition_failed", "", "", []want{
			{"preventor.flow_status", "ACCEPTED", x, `"FAILED"`}, {"preventor.accepted", true, x, `"FAILED"`},
			{"preventor.disposition", "FAILED", x, `"FAILED"`}, {"preventor.risk_code", "LOW", c, ""}}},
		{"REJECTED with disposition PASSED is no contradiction", "completed_rejected", `"FAILED"`, `"PASSED"`, []want{
			{"preventor.accepted", false, c, ""}, {"preventor.disposition", "PASSED", c, ""}}},
		{"completed with disposition RETRY", "completed", `"PASSED"`, `"RETRY"`, []want{
			{"preventor.disposition", "RETRY", x, `"RETRY"`}, {"preventor.accepted", true, x, `"RETRY"`}}},
		{"completed with flow_status IN_PROGRESS", "completed", `"ACCEPTED"`, `"IN_PROGRESS"`, []want{
			{"preventor.flow_status", "IN_PROGRESS", x, `"IN_PROGRESS"`}, {"preventor.accepted", nil, x, `"IN_PROGRESS"`}}},
		{"in_progress with flow_status REJECTED", "liveness_passed", `"IN_PROGRESS"`, `"REJECTED"`, []want{
			{"preventor.flow_status", "REJECTED", x, `"REJECTED"`}, {"preventor.accepted", nil, c, ""}}},
		{"PASSED with liveness false", "liveness_passed", `"status": true,
      "validation_messages"`, `"status": false,
      "validation_messages"`, []want{
			{"preventor.liveness.passed", false, x, `"status": »false,
      "validation_messages"`}, {"preventor.liveness.disposition", "PASSED", x, `"PASSED"`},
			{"preventor.disposition", "PASSED", c, ""}, {"preventor.facial_analysis.passed", true, c, ""}}},
		{"PASSED with photo matching false", "id_proofing_passed", `"status": true,
      "similarity_score"`, `"status": false,
      "similarity_score"`, []want{
			{"preventor.photo_matching.passed", false, x, `"status": »false,
      "similarity_score"`}, {"preventor.id_proofing.disposition", "PASSED", x, `"PASSED"`}}},
		{"PASSED with general_status INVALID", "id_proofing_passed", `"general_status": "VALID"`, `"general_status": "INVALID"`, []want{
			{"preventor.id_proofing.general_status", "INVALID", x, `"INVALID"`},
			{"preventor.id_proofing.passed", true, x, `"status": »true,
      "validations"`},
			{"preventor.id_proofing.disposition", "PASSED", x, `"PASSED"`}}},
		{"RETRY with a failed sub-process is no contradiction", "liveness_retry", "", "", []want{
			{"preventor.liveness.passed", false, c, ""}, {"preventor.liveness.disposition", "RETRY", c, ""}}},
		{"status true beside general_status INVALID", "id_proofing_invalid", `"status": false,
      "validations"`, `"status": true,
      "validations"`, []want{
			{"preventor.id_proofing.passed", true, x, `"status": »true,
      "validations"`}, {"preventor.id_proofing.general_status", "INVALID", c, ""}}},
		{"document expiry INVALID in a PASSED event stays adverse (fixture)", "id_proofing_expired_passed", "", "", []want{
			{"preventor.id_proofing.document_expiry_valid", false, c, ""},
			{"preventor.id_proofing.failed_checks", []string{"document_expiry"}, c, ""},
			{"preventor.id_proofing.disposition", "PASSED", c, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := fixture(t, tt.file)
			if tt.old != "" {
				raw = edit(t, tt.file, tt.old, tt.new)
			}
			f, err := run(t, raw)
			if err != nil {
				t.Fatal(err)
			}
			checkFacts(t, f, [][]byte{raw}, tt.want)
		})
	}
}

// TestEventsOfOneTicket: several events merge without last-writer-wins,
// and the result does not depend on the order they arrived in.
func TestEventsOfOneTicket(t *testing.T) {
	const (
		x = engine.Conflicting
		c = engine.Clean
	)
	fx := func(name string) func(testing.TB) []byte {
		return func(tb testing.TB) []byte { return fixture(tb, name) }
	}
	ed := func(name, old, new string) func(testing.TB) []byte {
		return func(tb testing.TB) []byte { return edit(tb, name, old, new) }
	}
	tests := []struct {
		name   string
		events []func(testing.TB) []byte
		want   []want
	}{
		{"REJECTED and ACCEPTED completions never approve", []func(testing.TB) []byte{fx("completed_rejected"), fx("completed")}, []want{
			{"preventor.accepted", false, x, ""}, {"preventor.flow_status", "REJECTED", x, ""},
			{"preventor.disposition", "FAILED", x, ""}, {"preventor.risk_code", "HIGH", x, ""},
			{"preventor.confidence_score", 12.5, x, ""}}},
		{"an identical re-delivery counts once", []func(testing.TB) []byte{fx("completed"), fx("completed")}, []want{
			{"preventor.accepted", true, c, ""}, {"preventor.events", 2, c, ""}, {"preventor.confidence_score", 99.99, c, ""}}},
		{"LOW and MEDIUM risk keep MEDIUM", []func(testing.TB) []byte{fx("completed"), fx("completed_medium_risk")}, []want{
			{"preventor.risk_code", "MEDIUM", x, ""}, {"preventor.confidence_score", 86.4, x, ""},
			{"preventor.accepted", true, c, ""}}},
		{"a liveness FAILED before an ACCEPTED completion", []func(testing.TB) []byte{fx("liveness_failed_nulls"), fx("completed")}, []want{
			{"preventor.any_step_failed", true, c, ""}, {"preventor.liveness.disposition", "FAILED", c, ""},
			{"preventor.accepted", true, x, `"ACCEPTED"`}, {"preventor.disposition", "PASSED", c, ""}}},
		{"an ID-proofing FAILED before an ACCEPTED completion", []func(testing.TB) []byte{fx("id_proofing_invalid"), fx("completed")}, []want{
			{"preventor.any_step_failed", true, c, ""}, {"preventor.accepted", true, x, `"ACCEPTED"`},
			{"preventor.id_proofing.document_expiry_valid", false, c, ""}}},
		{"RETRY then PASSED then ACCEPTED is clean", []func(testing.TB) []byte{fx("liveness_retry"), fx("liveness_passed_after_retry"), fx("id_proofing_passed"), fx("completed")}, []want{
			{"preventor.accepted", true, c, ""}, {"preventor.any_step_failed", false, c, ""},
			{"preventor.liveness.disposition", "PASSED", c, ""}, {"preventor.liveness.retries", 1, c, ""},
			{"preventor.liveness.passed", true, c, ""}, {"preventor.facial_analysis.confidence", 98, c, ""},
			{"preventor.facial_analysis.age_min", 22, c, ""}, {"preventor.liveness.messages", []string{"Liveness detected"}, c, ""}}},
		{"a RETRY re-delivered counts once", []func(testing.TB) []byte{fx("liveness_retry"), fx("liveness_retry")}, []want{
			{"preventor.liveness.retries", 1, c, ""}, {"preventor.liveness.disposition", "RETRY", c, ""}}},
		{"two RETRY attempts: the one with fewer attempts left counts", []func(testing.TB) []byte{
			fx("liveness_retry"),
			ed("liveness_retry", `"remaining_attempts": 2`, `"remaining_attempts": 1`),
		}, []want{{"preventor.liveness.retries", 2, c, ""}, {"preventor.remaining_attempts", 1, c, ""}}},
		{"two RETRY attempts with different data: the later attempt's data", []func(testing.TB) []byte{
			ed("liveness_retry", `"87"`, `"50"`),
			ed("liveness_retry", `"remaining_attempts": 2`, `"remaining_attempts": 1`),
		}, []want{{"preventor.facial_analysis.confidence", 87, c, ""}, {"preventor.liveness.retries", 2, c, ""}}},
		{"a RETRY without a counter is merged", []func(testing.TB) []byte{
			ed("liveness_retry", `"87"`, `"50"`),
			ed("liveness_retry", `"remaining_attempts": 2`, `"remaining_attempts": null`),
		}, []want{{"preventor.facial_analysis.confidence", 50, x, ""}, {"preventor.liveness.retries", 2, c, ""}}},
		{"a step that both PASSED and FAILED", []func(testing.TB) []byte{fx("liveness_passed"), fx("liveness_failed_nulls")}, []want{
			{"preventor.liveness.disposition", "FAILED", x, ""}, {"preventor.liveness.passed", false, x, ""},
			{"preventor.disposition", "FAILED", x, ""}, {"preventor.any_step_failed", true, c, ""},
			{"preventor.liveness.messages", []string{"Liveness detected"}, x, ""}}},
		{"without a completion the worst step is the flow's disposition", []func(testing.TB) []byte{fx("liveness_passed"), fx("id_proofing_retry")}, []want{
			{"preventor.disposition", "RETRY", c, ""}, {"preventor.flow_status", "IN_PROGRESS", c, ""},
			{"preventor.completed", false, c, ""}, {"preventor.remaining_attempts", 2, c, ""},
			{"preventor.id_proofing.retries", 1, c, ""}, {"preventor.id_proofing.failed_checks", []string{"image_quality", "readability", "general_status", "minimum_required_fields_read"}, c, ""}}},
		{"an ID-proofing RETRY superseded by its pass", []func(testing.TB) []byte{fx("id_proofing_retry"), fx("id_proofing_passed")}, []want{
			{"preventor.id_proofing.failed_checks", []string{}, c, ""}, {"preventor.id_proofing.passed", true, c, ""},
			{"preventor.id_proofing.disposition", "PASSED", c, ""}, {"preventor.id_proofing.retries", 1, c, ""},
			{"preventor.disposition", "PASSED", c, ""}}},
		{"a completion supersedes in_progress flow facts", []func(testing.TB) []byte{fx("liveness_retry"), fx("completed")}, []want{
			{"preventor.flow_status", "ACCEPTED", c, ""}, {"preventor.remaining_attempts", 3, c, ""},
			{"preventor.disposition", "PASSED", c, ""}, {"preventor.liveness.disposition", "RETRY", c, ""}}},
		{"two ended attempts of a step add their failed checks", []func(testing.TB) []byte{
			fx("id_proofing_invalid"),
			ed("id_proofing_invalid", `"mrz": "VALID"`, `"mrz": "INVALID"`),
		}, []want{{"preventor.id_proofing.failed_checks", []string{"document_expiry", "security", "general_status", "mrz"}, x, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raws := make([][]byte, len(tt.events))
			for i, e := range tt.events {
				raws[i] = e(t)
			}
			var first *engine.Facts
			permute(len(raws), func(order []int) {
				in := make([][]byte, len(raws))
				for i, j := range order {
					in[i] = raws[j]
				}
				f, err := run(t, in...)
				if err != nil {
					t.Fatal(err)
				}
				if first == nil {
					first = f
					checkFacts(t, f, raws, tt.want)
					return
				}
				sameOutcome(t, order, first, f)
			})
		})
	}
}

// sameOutcome asserts that f, from the events in another order, has the
// same facts as first: every evidence state, every clean value, and for a
// conflicting fact the same adverse side (only an informational fact may
// keep another first value, and a list its elements in another order).
func sameOutcome(t *testing.T, order []int, first, f *engine.Facts) {
	t.Helper()
	cat := f.Catalog()
	for i := 0; i < cat.Len(); i++ {
		spec, a, b := cat.Spec(i), first.Get(i), f.Get(i)
		switch {
		case a.E != b.E:
			t.Errorf("order %v: %s is %s, was %s", order, spec.Name, b.E, a.E)
		case a.E == engine.Conflicting && spec.Polarity == engine.Informational:
		case a.Kind == engine.List && b.Kind == engine.List:
			if !sameSet(a.L, b.L) {
				t.Errorf("order %v: %s = %v, was %v", order, spec.Name, b, a)
			}
		case a.E == engine.Conflicting:
			if spec.IsAdverse(a) != spec.IsAdverse(b) || spec.Polarity == engine.LowerWorse && a.N != b.N {
				t.Errorf("order %v: %s = %v, was %v", order, spec.Name, b, a)
			}
		case a.Known() != b.Known() || a.Known() && a.String() != b.String():
			t.Errorf("order %v: %s = %v, was %v", order, spec.Name, b, a)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// permute calls fn with every order of 0..n-1.
func permute(n int, fn func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			fn(p)
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			rec(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	rec(0)
}

// TestOtherWebhooks: Preventor's other documented webhooks are detected and
// refused with an error that names them, classified as ErrNotRead.
func TestOtherWebhooks(t *testing.T) {
	for _, tt := range []struct{ file, msg, at string }{
		{"testdata/identity_verification_completed", `"verification.completed" is a webhook of Preventor's Identity Verification API`, `"verification.completed"`},
		{"testdata/onboarding_completed", `"onboarding.completed" is a webhook of Preventor's Identity Verification API`, `"onboarding.completed"`},
		{"testdata/invitation_completed", "an Invitations link webhook is not read", `"COMPLETED"`},
	} {
		raw := fixture(t, tt.file)
		if !(Provider{}).Detect(shape(t, string(raw))) {
			t.Errorf("%s: not detected", tt.file)
		}
		_, err := run(t, raw)
		var e *normalizers.Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("%s: err = %v, want %q", tt.file, err, tt.msg)
			continue
		}
		if want := 100 + bytes.Index(raw, []byte(tt.at)); e.Offset != want {
			t.Errorf("%s: offset %d, want %d", tt.file, e.Offset, want)
		}
		if strings.Contains(e.Msg, "Jon Doe") || strings.Contains(e.Msg, "CIFCODE") {
			t.Errorf("%s: the error repeats personal data: %s", tt.file, e.Msg)
		}
		if !errors.Is(err, normalizers.ErrNotRead) {
			t.Errorf("%s: not classified as ErrNotRead, so a webhook receiver would refuse it", tt.file)
		}
	}
	// A malformed IDV Tickets payload is not one of the other products.
	for _, file := range []string{"testdata/missing_ticket", "testdata/empty_ticket", "testdata/unknown_event", "testdata/not_object", "testdata/data_string"} {
		if _, err := run(t, fixture(t, file)); err == nil || errors.Is(err, normalizers.ErrNotRead) {
			t.Errorf("%s: err = %v, want an error that is not ErrNotRead", file, err)
		}
	}
}

// TestPolarity pins the polarity of every fact (the reasons are in the
// facts' descriptions): a change must be deliberate.
func TestPolarity(t *testing.T) {
	want := map[string]string{
		"preventor.flow_status":                       "adverse: IN_PROGRESS, REJECTED",
		"preventor.completed":                         "adverse: false",
		"preventor.accepted":                          "adverse: false",
		"preventor.disposition":                       "adverse: FAILED, RETRY",
		"preventor.remaining_attempts":                "informational",
		"preventor.risk_code":                         "adverse: MEDIUM, HIGH",
		"preventor.confidence_score":                  "worse when lower",
		"preventor.events":                            "informational",
		"preventor.any_step_failed":                   "adverse: true",
		"preventor.liveness.passed":                   "adverse: false",
		"preventor.liveness.disposition":              "adverse: FAILED, RETRY",
		"preventor.liveness.retries":                  "worse when higher",
		"preventor.liveness.messages":                 "informational",
		"preventor.facial_analysis.passed":            "adverse: false",
		"preventor.facial_analysis.confidence":        "worse when lower",
		"preventor.facial_analysis.age_min":           "informational",
		"preventor.facial_analysis.age_max":           "informational",
		"preventor.document.detected":                 "adverse: false",
		"preventor.id_proofing.passed":                "adverse: false",
		"preventor.id_proofing.disposition":           "adverse: FAILED, RETRY",
		"preventor.id_proofing.retries":               "worse when higher",
		"preventor.id_proofing.general_status":        "adverse: INVALID",
		"preventor.id_proofing.failed_checks":         "adverse: non-empty",
		"preventor.id_proofing.unverified_checks":     "informational",
		"preventor.id_proofing.document_expiry_valid": "adverse: false",
		"preventor.photo_matching.passed":             "adverse: false",
		"preventor.photo_matching.similarity":         "worse when lower",
	}
	fs := Provider{}.Facts()
	if len(fs) != len(want) {
		t.Errorf("%d facts, %d polarities pinned", len(fs), len(want))
	}
	for _, s := range fs {
		if got := s.DescribePolarity(); got != want[s.Name] {
			t.Errorf("%s: %s, want %s", s.Name, got, want[s.Name])
		}
		if !strings.Contains(s.Description, "nreadable") && s.Polarity != engine.Informational && s.Name != "preventor.completed" {
			t.Errorf("%s: the description does not say when it is unreadable", s.Name)
		}
	}
}
