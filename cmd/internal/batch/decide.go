package batch

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

// AsOfMode says which time a stored case is evaluated as of.
type AsOfMode uint8

// The as-of modes.
const (
	// AsOfOriginal evaluates a case as of its provider's own decision time
	// (engine.Facts.EventTime), falling back to the envelope's as_of, then to
	// the time the run started.
	AsOfOriginal AsOfMode = iota
	// AsOfNow evaluates every case as of the time the run started.
	AsOfNow
	// AsOfFixed evaluates every case as of AsOf.At.
	AsOfFixed
)

// AsOf is the evaluation time of a run.
type AsOf struct {
	Mode AsOfMode
	At   time.Time // the time of AsOfFixed
}

// ParseAsOf reads "original", "now", an RFC 3339 time or a date
// (YYYY-MM-DD, midnight UTC).
func ParseAsOf(s string) (AsOf, error) {
	switch s {
	case "", "original":
		return AsOf{Mode: AsOfOriginal}, nil
	case "now":
		return AsOf{Mode: AsOfNow}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return AsOf{Mode: AsOfFixed, At: t.UTC()}, nil
		}
	}
	return AsOf{}, fmt.Errorf("--as-of %q: want original, now, an RFC 3339 time (2025-06-17T12:00:00Z) or a date (2025-06-17)", s)
}

func (a AsOf) String() string {
	switch a.Mode {
	case AsOfNow:
		return "now"
	case AsOfFixed:
		return a.At.Format(time.RFC3339Nano)
	}
	return "original"
}

// Where the evaluation time of a record came from (its "as_of_source").
const (
	sourceEvent    = iota // the providers' own decision time
	sourceEnvelope        // the envelope's as_of
	sourceNow             // the start of the run
	sourceGiven           // --as-of DATE
	nSources
)

var sourceNames = [nSources]string{"event", "envelope", "now", "given"}

// The error kinds, indexed for counting without a map.
var errorKinds = [...]string{KindEmpty, KindTooLong, KindMalformed, KindInvalid, KindRead, KindInternal}

func kindIndex(kind string) int {
	for i, k := range errorKinds {
		if k == kind {
			return i
		}
	}
	return len(errorKinds) - 1
}

// caseError is why a record has no decision.
type caseError struct {
	kind     string
	provider string
	offset   int
	hasOff   bool
	msg      string
}

// decider turns one record into facts, evaluated as of the run's mode.
// Each worker owns one, with its own engine.Facts.
type decider struct {
	facts *engine.Facts
	asOf  AsOf
	start time.Time // the start of the run: "now"
}

func newDecider(asOf AsOf, start time.Time) *decider {
	return &decider{facts: engine.NewFacts(normalizers.Catalog()), asOf: asOf, start: start}
}

// normalize reads doc into d.facts and returns where its evaluation time
// came from, or why it could not be read.
func (d *decider) normalize(doc []byte, readErr error) (source int, ce *caseError) {
	if readErr != nil {
		var le *LineError
		if errors.As(readErr, &le) {
			return 0, &caseError{kind: le.Kind, msg: le.Msg}
		}
		return 0, &caseError{kind: KindRead, msg: readErr.Error()}
	}
	if blank(doc) {
		return 0, &caseError{kind: KindEmpty, msg: "empty line: no case"}
	}
	var at time.Time
	switch d.asOf.Mode {
	case AsOfNow:
		at, source = d.start, sourceNow
	case AsOfFixed:
		at, source = d.asOf.At, sourceGiven
	default:
		// Until the providers' decision time is known: the envelope's as_of
		// (Normalize reads it when at is zero), else the start of the run.
		source = sourceEnvelope
		if !envelopeAsOf(doc) {
			at, source = d.start, sourceNow
		}
	}
	if err := normalizers.Normalize(doc, d.facts, normalizers.Options{AsOf: at}); err != nil {
		return 0, classify(err)
	}
	if d.asOf.Mode != AsOfOriginal {
		return source, nil
	}
	// Time-relative facts (expiry, age) were computed as of that time; the
	// providers' decision time is only known now, so a case that has one is
	// read again as of it.
	if ev := d.facts.EventTime; !ev.IsZero() {
		if !ev.Equal(d.facts.AsOf) {
			if err := normalizers.Normalize(doc, d.facts, normalizers.Options{AsOf: ev}); err != nil {
				return 0, classify(err)
			}
		}
		return sourceEvent, nil
	}
	return source, nil
}

// envelopeAsOf reports whether doc is an envelope with an as_of, which
// normalizers.Normalize used as the evaluation time.
func envelopeAsOf(doc []byte) bool {
	if at := gjson.GetBytes(doc, "as_of"); at.Type != gjson.String || at.Str == "" {
		return false
	}
	return gjson.GetBytes(doc, "results").Exists()
}

func blank(doc []byte) bool {
	for _, c := range doc {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// classify turns a normalizer error into an error record.
func classify(err error) *caseError {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	var ne *normalizers.Error
	if errors.As(err, &ne) {
		kind := KindInvalid
		if strings.HasPrefix(ne.Msg, "malformed JSON") {
			kind = KindMalformed
		}
		return &caseError{kind: kind, provider: ne.Provider, offset: ne.Offset, hasOff: true, msg: msg}
	}
	if strings.Contains(msg, "exceeds the limit") {
		return &caseError{kind: KindTooLong, msg: msg}
	}
	return &caseError{kind: KindMalformed, msg: msg}
}

// caseIDOf finds a case id in a document that could not be read as a case,
// so that its error record can still name the case.
func caseIDOf(doc []byte) string {
	if len(doc) == 0 || doc[0] != '{' {
		return ""
	}
	r := gjson.GetBytes(doc, "case_id")
	if r.Type != gjson.String {
		return ""
	}
	return r.Str
}
