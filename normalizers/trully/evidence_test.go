package trully_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/normtest"
	"github.com/veredicto/veredicto/normalizers/trully"
)

// edit replaces the first old after anchor in raw with repl; it returns the
// new payload and the offset of the replacement.
func edit(t *testing.T, raw []byte, anchor, old, repl string) (string, int) {
	t.Helper()
	s := string(raw)
	a := strings.Index(s, anchor)
	if a < 0 {
		t.Fatalf("no %q in the fixture", anchor)
	}
	k := strings.Index(s[a:], old)
	if k < 0 {
		t.Fatalf("no %q after %q", old, anchor)
	}
	k += a
	return s[:k] + repl + s[k+len(old):], k
}

// edited runs one edit of a fixture at a payload offset, as in an envelope.
func edited(t *testing.T, name, anchor, old, repl string) (*engine.Facts, int) {
	t.Helper()
	const base = 40
	raw, at := edit(t, fixture(t, name), anchor, old, repl)
	f, err := run(t, normalizers.Payload{Raw: []byte(raw), Offset: base})
	if err != nil {
		t.Fatal(err)
	}
	return f, base + at
}

// note returns the evidence note of a fact.
func note(f *engine.Facts, fact string) (engine.EvidenceNote, bool) {
	for _, n := range f.Evidence {
		if n.Fact == fact {
			return n, true
		}
	}
	return engine.EvidenceNote{}, false
}

// TestUnreadable edits one field of the approvable no_threat fixture at a
// time into something present but unreadable: every fact the field feeds
// must be unknown (or keep only what could be read) and unreadable, with
// the field's byte offset, never silently "not reported".
func TestUnreadable(t *testing.T) {
	for _, tc := range []struct {
		name, anchor, old, repl string
		facts                   []string
		keep                    map[string]any // a readable part that stays known
	}{
		{"label word", `"label"`, `"No Threat"`, `"Threat"`, []string{"trully.label", "trully.risk"}, nil},
		{"label empty", `"label"`, `"No Threat"`, `""`, []string{"trully.label", "trully.risk"}, nil},
		{"label number", `"label"`, `"No Threat"`, `3`, []string{"trully.label", "trully.risk"}, nil},
		{"reason element", `"reason"`, `[]`, `["ok", 1]`, []string{"trully.reasons"}, map[string]any{"trully.reasons": []string{"ok"}}},
		{"reason object", `"reason"`, `[]`, `{"a": 1}`, []string{"trully.reasons"}, nil},
		{"face_match word", `"face_match"`, `true`, `"yes"`, []string{"trully.face_match"}, nil},
		{"face_match 2", `"face_match"`, `true`, `2`, []string{"trully.face_match"}, nil},
		{"detected word", `"detected"`, `true`, `"maybe"`, []string{"trully.document.detected"}, nil},
		{"details string", `"details"`, `{`, `"x", "was": {`, []string{"trully.document.detected", "trully.document.forensics", "trully.document.forensics_valid"}, nil},
		{"forensics word", `"is_valid"`, `"valid"`, `"fraud"`, []string{"trully.document.forensics", "trully.document.forensics_valid"}, nil},
		{"forensics string", `"forensics"`, `{`, `"valid", "was": {`, []string{"trully.document.forensics", "trully.document.forensics_valid"}, nil},
		{"front number", `"front"`, `{`, `5, "was": {`, []string{"trully.document.invalid_fields", "trully.document.fields_valid",
			"trully.document.valid_thru_year", "trully.document.expired", "trully.document_face.match_fraud_flag", "trully.document_face.multiple_external_ids"}, nil},
		{"information array", `"information"`, `{`, `[], "was": {`, []string{"trully.document.invalid_fields", "trully.document.fields_valid",
			"trully.document.valid_thru_year", "trully.document.expired"}, nil},
		{"valid flag word", `"address"`, `"valid": true`, `"valid": "si"`, []string{"trully.document.invalid_fields", "trully.document.fields_valid"}, nil},
		{"field not an object", `"sex"`, `{`, `"H", "was": {`, []string{"trully.document.invalid_fields", "trully.document.fields_valid"}, nil},
		{"unreadable flag beside an invalid one", `"address"`, `"valid": true`, `"valid": null, "x": 1}, "extra": {"text": "a", "valid": 7}, "y": {"valid": false`,
			[]string{"trully.document.invalid_fields", "trully.document.fields_valid"},
			map[string]any{"trully.document.invalid_fields": []string{"y"}, "trully.document.fields_valid": false}},
		{"valid_thru not an object", `"valid_thru"`, `{`, `"2031", "was": {`, []string{"trully.document.valid_thru_year", "trully.document.expired", "trully.document.fields_valid"}, nil},
		{"valid_thru word", `"valid_thru"`, `"2031"`, `"VIGENTE"`, []string{"trully.document.valid_thru_year", "trully.document.expired"}, nil},
		{"valid_thru blank", `"valid_thru"`, `"2031"`, `" "`, []string{"trully.document.valid_thru_year", "trully.document.expired"}, nil},
		{"valid_thru bool", `"valid_thru"`, `"2031"`, `true`, []string{"trully.document.valid_thru_year", "trully.document.expired"}, nil},
		{"valid_thru 1989", `"valid_thru"`, `"2031"`, `"1989"`, []string{"trully.document.valid_thru_year", "trully.document.expired"}, nil},
		{"valid_thru 2101", `"valid_thru"`, `"2031"`, `"2101"`, []string{"trully.document.valid_thru_year", "trully.document.expired"}, nil},
		{"valid_thru no such day", `"valid_thru"`, `"2031"`, `"31/02/2031"`, []string{"trully.document.valid_thru_year", "trully.document.expired"}, nil},
		{"face_analysis string", `"face_analysis"`, `{`, `"none", "was": {`, []string{"trully.document_face.match", "trully.document_face.match_fraud_flag",
			"trully.document_face.seen_different_companies", "trully.document_face.days_since_first_seen"}, nil},
		{"match word", `"face_analysis"`, `"match": false`, `"match": "no"`, []string{"trully.document_face.match"}, nil},
		{"fraud flag 2", `"face_analysis"`, `"match_fraud_flag": false`, `"match_fraud_flag": 2`, []string{"trully.document_face.match_fraud_flag"}, nil},
		{"fraud flag word", `"selfie"`, `"match_fraud_flag": false`, `"match_fraud_flag": "N"`, []string{"trully.selfie.match_fraud_flag"}, nil},
		{"count negative", `"face_analysis"`, `"seen_different_companies": 0`, `"seen_different_companies": -1`, []string{"trully.document_face.seen_different_companies"}, nil},
		{"count fraction", `"selfie"`, `"seen_different_companies": 0`, `"seen_different_companies": 1.5`, []string{"trully.selfie.seen_different_companies"}, nil},
		{"count word", `"selfie"`, `"times_seen_last_month": 0`, `"times_seen_last_month": "two"`, []string{"trully.selfie.times_seen_last_month"}, nil},
		{"count negative string", `"selfie"`, `"times_seen_by_your_company": 0`, `"times_seen_by_your_company": "-3"`, []string{"trully.selfie.times_seen_by_your_company"}, nil},
		{"warnings string", `"face_analysis"`, `"warnings": {}`, `"warnings": "none"`, []string{"trully.document_face.multiple_external_ids"}, nil},
		{"external_id number", `"selfie"`, `"warnings": {}`, `"warnings": {"external_id": 5}`, []string{"trully.selfie.multiple_external_ids"}, nil},
		{"first_seen day first", `"face_analysis"`, `"06/17/2025, 09:02:11"`, `"17/06/2025, 09:02:11"`, []string{"trully.document_face.days_since_first_seen"}, nil},
		{"first_seen number", `"selfie"`, `"06/17/2025, 09:02:11"`, `20250617`, []string{"trully.selfie.days_since_first_seen"}, nil},
		{"first_seen bare year", `"selfie"`, `"06/17/2025, 09:02:11"`, `"2025"`, []string{"trully.selfie.days_since_first_seen"}, nil},
		// asOf is 2025-06-18 12:00 UTC: a day of skew is allowed, not more.
		{"first_seen a day and a second ahead", `"selfie"`, `"06/17/2025, 09:02:11"`, `"06/19/2025, 12:00:01"`, []string{"trully.selfie.days_since_first_seen"}, nil},
		{"first_seen_image word", `"first_seen_image"`, `true`, `"no"`, []string{"trully.selfie.first_seen_image"}, nil},
		{"age negative", `"age"`, `36`, `-1`, []string{"trully.curp.age"}, nil},
		{"age 131", `"age"`, `36`, `131`, []string{"trully.curp.age"}, nil},
		{"age fraction", `"age"`, `36`, `36.5`, []string{"trully.curp.age"}, nil},
		{"age word", `"age"`, `36`, `"old"`, []string{"trully.curp.age"}, nil},
		{"birth date after the evaluation time", `"date_of_birth"`, `"12/09/1988"`, `"19/06/2025"`, []string{"trully.curp.age"}, nil},
		{"birth date far ahead", `"date_of_birth"`, `"12/09/1988"`, `"12/09/2088"`, []string{"trully.curp.age"}, nil},
		{"government_valid word", `"government_valid"`, `true`, `"si"`, []string{"trully.curp.government_valid"}, nil},
		{"name_to_CURP_valid word", `"name_to_CURP_valid"`, `true`, `"yes"`, []string{"trully.curp.name_valid"}, nil},
		{"deceased word", `"deceased"`, `false`, `"N"`, []string{"trully.curp.deceased"}, nil},
		{"error number", `"deceased"`, `false`, `false, "error": ["x"]`, []string{"trully.curp.error", "trully.curp.found"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, at := edited(t, "no_threat", tc.anchor, tc.old, tc.repl)
			for _, fact := range tc.facts {
				v, ok := f.Lookup(fact)
				if !ok {
					t.Fatalf("%s: not in the catalog", fact)
				}
				if v.E != engine.Unreadable {
					t.Errorf("%s = %v, evidence %v; want unreadable", fact, v, v.E)
				}
				if w, ok := tc.keep[fact]; ok {
					if !normtest.Equal(v, w) {
						t.Errorf("%s = %v, want the readable part %v", fact, v, w)
					}
				} else if v.Known() {
					t.Errorf("%s = %v, want unknown", fact, v)
				}
				n, ok := note(f, fact)
				if !ok {
					t.Errorf("%s: no evidence note", fact)
					continue
				}
				if n.Provider != "trully" || n.Field == "" || n.Offset < at || n.Offset > at+len(tc.repl) {
					t.Errorf("%s: note %+v, want the field and an offset in [%d, %d]", fact, n, at, at+len(tc.repl))
				}
			}
			if len(f.Warnings) == 0 {
				t.Error("no warning")
			}
		})
	}
}

// TestAdverseReads edits one field of no_threat into an adverse value in
// a documented or accepted form: it must be read, cleanly, as that value.
func TestAdverseReads(t *testing.T) {
	for _, tc := range []struct {
		name, anchor, old, repl string
		want                    map[string]any
	}{
		{"fraud flag 1", `"face_analysis"`, `"match_fraud_flag": false`, `"match_fraud_flag": 1`, map[string]any{"trully.document_face.match_fraud_flag": true}},
		{"fraud flag \"1\"", `"selfie"`, `"match_fraud_flag": false`, `"match_fraud_flag": "1"`, map[string]any{"trully.selfie.match_fraud_flag": true}},
		{"face_match 0", `"face_match"`, `true`, `0`, map[string]any{"trully.face_match": false}},
		{"first_seen_image 0", `"first_seen_image"`, `true`, `0`, map[string]any{"trully.selfie.first_seen_image": false}},
		{"detected false", `"detected"`, `true`, `false`, map[string]any{"trully.document.detected": false}},
		{"forensics invalid", `"is_valid"`, `"valid"`, `"invalid"`, map[string]any{"trully.document.forensics": "invalid", "trully.document.forensics_valid": false}},
		{"forensics inconclusive", `"is_valid"`, `"valid"`, `"inconclusive"`, map[string]any{"trully.document.forensics": "inconclusive"}},
		{"address invalid", `"address"`, `"valid": true`, `"valid": false`, map[string]any{"trully.document.invalid_fields": []string{"address"}, "trully.document.fields_valid": false}},
		{"curp invalid", `"curp": {`, `"valid": true`, `"valid": 0`, map[string]any{"trully.document.invalid_fields": []string{"curp"}, "trully.document.fields_valid": false}},
		{"vigencia year past", `"valid_thru"`, `"2031"`, `"2024"`, map[string]any{"trully.document.expired": true, "trully.document.valid_thru_year": 2024.0}},
		{"vigencia date past", `"valid_thru"`, `"2031"`, `"31/12/2024"`, map[string]any{"trully.document.expired": true, "trully.document.valid_thru_year": 2024.0}},
		{"vigencia ISO past", `"valid_thru"`, `"2031"`, `"2025-06-17"`, map[string]any{"trully.document.expired": true, "trully.document.valid_thru_year": 2025.0}},
		{"vigencia Spanish past", `"valid_thru"`, `"2031"`, `"31 de mayo de 2025"`, map[string]any{"trully.document.expired": true}},
		{"vigencia month past", `"valid_thru"`, `"2031"`, `"05/2025"`, map[string]any{"trully.document.expired": true}},
		{"vigencia month current", `"valid_thru"`, `"2031"`, `"06/2025"`, map[string]any{"trully.document.expired": false}},
		{"vigencia two years", `"valid_thru"`, `"2031"`, `"2014 2024"`, map[string]any{"trully.document.expired": true, "trully.document.valid_thru_year": 2024.0}},
		{"counter string", `"selfie"`, `"seen_different_companies": 0`, `"seen_different_companies": "4"`, map[string]any{"trully.selfie.seen_different_companies": 4.0}},
		{"external ids", `"selfie"`, `"warnings": {}`, `"warnings": {"external_id": "seen with another external_id"}`, map[string]any{"trully.selfie.multiple_external_ids": true}},
		{"name_to_CURP_valid false", `"name_to_CURP_valid"`, `true`, `false`, map[string]any{"trully.curp.name_valid": false}},
		{"deceased 1", `"deceased"`, `false`, `1`, map[string]any{"trully.curp.deceased": true}},
		{"government_valid false", `"government_valid"`, `true`, `false`, map[string]any{"trully.curp.government_valid": false, "trully.curp.found": true}},
		{"label review", `"label"`, `"No Threat"`, `"review"`, map[string]any{"trully.label": "Review", "trully.risk": "review"}},
		// Up to a day of skew, a first sighting "after" the evaluation time is a new face.
		{"first_seen a day ahead", `"selfie"`, `"06/17/2025, 09:02:11"`, `"06/19/2025, 12:00:00"`, map[string]any{"trully.selfie.days_since_first_seen": 0.0}},
		{"first_seen ISO", `"selfie"`, `"06/17/2025, 09:02:11"`, `"2024-01-10T10:15:20Z"`, map[string]any{"trully.selfie.days_since_first_seen": 525.0}},
		{"born on the evaluation day", `"date_of_birth"`, `"12/09/1988"`, `"18/06/2025"`, map[string]any{"trully.curp.age": 36.0}},
		{"age 130", `"age"`, `36`, `130`, map[string]any{"trully.curp.age": 130.0}},
		{"age 0", `"age"`, `36`, `"0"`, map[string]any{"trully.curp.age": 0.0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := edited(t, "no_threat", tc.anchor, tc.old, tc.repl)
			normtest.Some(t, f, tc.want, nil)
			for fact := range tc.want {
				if v, _ := f.Lookup(fact); v.E != engine.Clean {
					t.Errorf("%s: evidence %v, want clean", fact, v.E)
				}
			}
			if len(f.Warnings) > 0 || len(f.Evidence) > 0 {
				t.Errorf("warnings %+v, evidence %+v", f.Warnings, f.Evidence)
			}
		})
	}
}

// A dated vigencia runs through the end of its day, Mexico City time.
func TestExpiryDateBoundary(t *testing.T) {
	raw := []byte(`{"document":{"front":{"information":{"valid_thru":{"text":"15/06/2025","valid":true}}}},"label":"Review"}`)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2025, 6, 16, 5, 59, 59, 0, time.UTC), false},
		{time.Date(2025, 6, 16, 6, 0, 0, 0, time.UTC), true},
	} {
		f := newFacts(t)
		f.AsOf = tc.at
		if err := normalize(f, raw); err != nil {
			t.Fatal(err)
		}
		normtest.Some(t, f, map[string]any{"trully.document.expired": tc.want, "trully.document.valid_thru_year": 2025.0}, nil)
	}
}

func normalize(f *engine.Facts, raw ...[]byte) error {
	in := make([]normalizers.Payload, len(raw))
	off := 0
	for i, r := range raw {
		in[i] = normalizers.Payload{Raw: r, Offset: off}
		off += len(r) + 1
	}
	return trully.Provider{}.Normalize(in, f.Sink("trully"))
}

// The label merge keeps the adverse side in either order, marks the fact
// conflicting and records both values; an identical re-delivery is one
// result.
func TestLabelMerge(t *testing.T) {
	threat, _ := edit(t, fixture(t, "no_threat"), `"label"`, `"No Threat"`, `"Potential Threat"`)
	review, _ := edit(t, fixture(t, "no_threat"), `"label"`, `"No Threat"`, `"Review"`)
	clean := string(fixture(t, "no_threat"))
	for _, tc := range []struct {
		name     string
		in       []string
		label    string
		evidence engine.Evidence
	}{
		{"threat then no threat", []string{threat, clean}, "Potential Threat", engine.Conflicting},
		{"no threat then threat", []string{clean, threat}, "Potential Threat", engine.Conflicting},
		{"no threat then review", []string{clean, review}, "Review", engine.Conflicting},
		{"re-delivery", []string{clean, clean}, "No Threat", engine.Clean},
		{"threat re-delivered", []string{threat, threat, threat}, "Potential Threat", engine.Clean},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFacts(t)
			raws := make([][]byte, len(tc.in))
			for i, s := range tc.in {
				raws[i] = []byte(s)
			}
			if err := normalize(f, raws...); err != nil {
				t.Fatal(err)
			}
			v, _ := f.Lookup("trully.label")
			if v.S != tc.label || v.E != tc.evidence {
				t.Errorf("label %v (%v), want %s (%v)", v, v.E, tc.label, tc.evidence)
			}
			if r, _ := f.Lookup("trully.risk"); r.E != tc.evidence {
				t.Errorf("risk evidence %v, want %v", r.E, tc.evidence)
			}
			if tc.evidence == engine.Clean {
				if len(f.Evidence) > 0 || len(f.Warnings) > 0 {
					t.Errorf("a re-delivery left evidence %+v, warnings %+v", f.Evidence, f.Warnings)
				}
			} else if n, _ := note(f, "trully.label"); !slices.Contains(n.Values, "No Threat") || !slices.Contains(n.Values, tc.label) {
				t.Errorf("note %+v, want both labels", n)
			}
			if len(f.Identities) != 2 {
				t.Errorf("%d identities, want 2 (identical identities are reported once)", len(f.Identities))
			}
		})
	}
}

// Every adverse signal of an earlier response survives a later clean one.
func TestAdverseSurvivesLaterPass(t *testing.T) {
	clean := fixture(t, "no_threat")
	for _, tc := range []struct {
		name, anchor, old, repl, fact string
		want                          any
	}{
		{"fraud flag", `"face_analysis"`, `"match_fraud_flag": false`, `"match_fraud_flag": true`, "trully.document_face.match_fraud_flag", true},
		{"face match", `"face_match"`, `true`, `false`, "trully.face_match", false},
		{"forensics", `"is_valid"`, `"valid"`, `"invalid"`, "trully.document.forensics_valid", false},
		{"forensics word", `"is_valid"`, `"valid"`, `"inconclusive"`, "trully.document.forensics", "inconclusive"},
		{"invalid field", `"address"`, `"valid": true`, `"valid": false`, "trully.document.invalid_fields", []string{"address"}},
		{"fields valid", `"address"`, `"valid": true`, `"valid": false`, "trully.document.fields_valid", false},
		{"expired", `"valid_thru"`, `"2031"`, `"2020"`, "trully.document.expired", true},
		{"vigencia year", `"valid_thru"`, `"2031"`, `"2020"`, "trully.document.valid_thru_year", 2020.0},
		{"companies", `"selfie"`, `"seen_different_companies": 0`, `"seen_different_companies": 6`, "trully.selfie.seen_different_companies", 6.0},
		{"external ids", `"selfie"`, `"warnings": {}`, `"warnings": {"external_id": "x"}`, "trully.selfie.multiple_external_ids", true},
		{"replayed selfie", `"first_seen_image"`, `true`, `false`, "trully.selfie.first_seen_image", false},
		{"government", `"government_valid"`, `true`, `false`, "trully.curp.government_valid", false},
		{"name", `"name_to_CURP_valid"`, `true`, `false`, "trully.curp.name_valid", false},
		{"deceased", `"deceased"`, `false`, `true`, "trully.curp.deceased", true},
		{"detected", `"detected"`, `true`, `false`, "trully.document.detected", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad, _ := edit(t, clean, tc.anchor, tc.old, tc.repl)
			for _, order := range [][][]byte{{[]byte(bad), clean}, {clean, []byte(bad)}} {
				f := newFacts(t)
				if err := normalize(f, order...); err != nil {
					t.Fatal(err)
				}
				v, _ := f.Lookup(tc.fact)
				if !normtest.Equal(v, tc.want) || v.E != engine.Conflicting {
					t.Errorf("%s = %v (%v), want %v, conflicting", tc.fact, v, v.E, tc.want)
				}
			}
		})
	}
}

// A CURP that RENAPO did not find cannot be government-valid: the payload
// contradicts itself.
func TestCurpNotFoundButValid(t *testing.T) {
	f, _ := edited(t, "no_threat", `"deceased"`, `false`, `false, "error": "CURP no encontrada"`)
	normtest.Some(t, f, map[string]any{"trully.curp.found": false, "trully.curp.government_valid": true}, nil)
	if v, _ := f.Lookup("trully.curp.government_valid"); v.E != engine.Conflicting {
		t.Errorf("government_valid evidence %v, want conflicting", v.E)
	}
	if v, _ := f.Lookup("trully.curp.found"); v.E != engine.Clean {
		t.Errorf("found evidence %v, want clean", v.E)
	}
}

// An SDK wrapper whose summary disagrees with the response inside it is
// conflicting evidence, the worse label kept.
func TestWrapperDisagrees(t *testing.T) {
	f, _ := edited(t, "sdk_android_result", `"shortResponse"`, `"No Threat"`, `"Review"`)
	v, _ := f.Lookup("trully.label")
	if v.S != "Review" || v.E != engine.Conflicting {
		t.Errorf("label %v (%v), want Review, conflicting", v, v.E)
	}
	f, _ = edited(t, "sdk_web_handle_data", `"ip"`, `"Review"`, `"No Threat"`)
	if v, _ := f.Lookup("trully.label"); v.S != "Review" || v.E != engine.Conflicting {
		t.Errorf("web wrapper label %v (%v), want Review, conflicting", v, v.E)
	}
	// A wrapper inside a wrapper is not read as a response.
	f, _ = edited(t, "sdk_android_result", `"decisionMaker"`, `{`, `{"raw_data": {"label": "No Threat", "curp": {"deceased": true}}, `)
	normtest.Some(t, f, map[string]any{"trully.curp.deceased": false}, nil)
	if v, _ := f.Lookup("trully.curp.deceased"); v.E != engine.Clean {
		t.Errorf("deceased evidence %v, want clean", v.E)
	}
}

// An inquiry date beyond the evaluation time plus a day is not a decision
// time.
func TestFutureInquiryDate(t *testing.T) {
	f, _ := edited(t, "missing_selfie", `"inquiry_date"`, `"06/17/2025, 15:45:12"`, `"06/19/2025, 12:00:01"`)
	if !f.EventTime.IsZero() {
		t.Errorf("event time %v, want none", f.EventTime)
	}
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].Message, "after the evaluation time") {
		t.Errorf("warnings %+v", f.Warnings)
	}
	f, _ = edited(t, "missing_selfie", `"inquiry_date"`, `"06/17/2025, 15:45:12"`, `"06/19/2025, 12:00:00"`)
	if want := time.Date(2025, 6, 19, 12, 0, 0, 0, time.UTC); !f.EventTime.Equal(want) {
		t.Errorf("event time %v, want %v", f.EventTime, want)
	}
}
