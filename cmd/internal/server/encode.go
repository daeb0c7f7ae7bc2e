package server

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/veredicto/veredicto/engine"
)

// appendDecision appends d as JSON, byte for byte what encoding/json
// writes, without reflection: on the POST /v1/decisions path encoding/json
// took a third of the handler's time for a one-provider case. ok is false
// for what only encoding/json can report (a NaN score, a year past 9999).
//
// It follows the fields of engine.Decision and the types it holds; if they
// change, fastEncoding is false (checked once, at start: the same field
// names and tags, and the same bytes as encoding/json for a decision that
// uses every field) and encodeDecision uses encoding/json.
func appendDecision(b []byte, d *engine.Decision) (_ []byte, ok bool) {
	e := encoder{b: b, ok: true}
	e.raw(`{`)
	if d.CaseID != "" {
		e.raw(`"case_id":`)
		e.str(d.CaseID)
		e.raw(`,`)
	}
	e.raw(`"outcome":`)
	e.str(d.Outcome.String())
	e.raw(`,"policy":{"name":`)
	e.str(d.Policy.Name)
	e.raw(`,"version":`)
	e.str(d.Policy.Version)
	e.raw(`,"hash":`)
	e.str(d.Policy.Hash)
	e.raw(`},"evaluated_at":`)
	e.time(d.EvaluatedAt)
	if d.DefaultApplied {
		e.raw(`,"default_applied":true`)
	}
	e.raw(`,"reasons":`)
	e.reasons(d.Reasons)
	if len(d.Shadow) > 0 {
		e.raw(`,"shadow":`)
		e.reasons(d.Shadow)
	}
	if len(d.Missing) > 0 {
		e.raw(`,"missing":`)
		e.strs(d.Missing)
	}
	if len(d.Skipped) > 0 {
		e.raw(`,"skipped":[`)
		for i, s := range d.Skipped {
			e.comma(i)
			e.raw(`{"rule":`)
			e.str(s.Rule)
			e.raw(`,"outcome":`)
			e.str(s.Outcome.String())
			e.raw(`,"missing":`)
			e.strs(s.Missing)
			e.raw(`}`)
		}
		e.raw(`]`)
	}
	if len(d.Scores) > 0 {
		e.raw(`,"scores":[`)
		for i, s := range d.Scores {
			e.comma(i)
			e.raw(`{"id":`)
			e.str(s.ID)
			e.raw(`,"points":`)
			e.num(s.Points)
			if s.UnknownPoints != 0 {
				e.raw(`,"unknown_points":`)
				e.num(s.UnknownPoints)
			}
			e.raw(`,"result":`)
			e.str(s.Result)
			if s.Outcome != engine.None {
				e.raw(`,"outcome":`)
				e.str(s.Outcome.String())
			}
			e.raw(`}`)
		}
		e.raw(`]`)
	}
	e.raw(`,"providers":`)
	e.strs(d.Providers)
	if len(d.Warnings) > 0 {
		e.raw(`,"warnings":[`)
		for i, w := range d.Warnings {
			e.comma(i)
			e.raw(`{"provider":`)
			e.str(w.Provider)
			e.raw(`,"offset":`)
			e.b = strconv.AppendInt(e.b, int64(w.Offset), 10)
			e.raw(`,"message":`)
			e.str(w.Message)
			e.raw(`}`)
		}
		e.raw(`]`)
	}
	if len(d.Trace) > 0 {
		e.raw(`,"trace":[`)
		for i, t := range d.Trace {
			e.comma(i)
			e.raw(`{"id":`)
			e.str(t.ID)
			e.raw(`,"result":`)
			e.str(t.Result)
			e.raw(`}`)
		}
		e.raw(`]`)
	}
	e.raw(`}`)
	return e.b, e.ok
}

type encoder struct {
	b  []byte
	ok bool
}

func (e *encoder) raw(s string) { e.b = append(e.b, s...) }

func (e *encoder) comma(i int) {
	if i > 0 {
		e.b = append(e.b, ',')
	}
}

func (e *encoder) reasons(rs []engine.Reason) {
	if rs == nil {
		e.raw(`null`)
		return
	}
	e.raw(`[`)
	for i, r := range rs {
		e.comma(i)
		e.raw(`{"rule":`)
		e.str(r.Rule)
		e.raw(`,"kind":`)
		e.str(r.Kind)
		e.raw(`,"outcome":`)
		e.str(r.Outcome.String())
		e.raw(`,"message":`)
		e.str(r.Message)
		if len(r.Facts) > 0 {
			e.raw(`,"facts":[`)
			for j, f := range r.Facts {
				e.comma(j)
				e.raw(`{"name":`)
				e.str(f.Name)
				e.raw(`,"value":`)
				e.value(f.Value)
				e.raw(`}`)
			}
			e.raw(`]`)
		}
		if len(r.Missing) > 0 {
			e.raw(`,"missing":`)
			e.strs(r.Missing)
		}
		e.raw(`}`)
	}
	e.raw(`]`)
}

// value writes a fact value as Value.MarshalJSON does.
func (e *encoder) value(v engine.Value) {
	switch v.Kind {
	case engine.Bool:
		e.b = strconv.AppendBool(e.b, v.B)
	case engine.Number:
		e.num(v.N)
	case engine.String:
		e.str(v.S)
	case engine.List:
		if v.L == nil {
			e.raw(`[]`)
			return
		}
		e.strs(v.L)
	default:
		e.raw(`null`)
	}
}

func (e *encoder) strs(ss []string) {
	if ss == nil {
		e.raw(`null`)
		return
	}
	e.raw(`[`)
	for i, s := range ss {
		e.comma(i)
		e.str(s)
	}
	e.raw(`]`)
}

// num writes a float64 as encoding/json does (ES6 number formatting).
func (e *encoder) num(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.ok = false
		return
	}
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if n := len(e.b); format == 'e' && n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
		e.b[n-2] = e.b[n-1]
		e.b = e.b[:n-1]
	}
}

func (e *encoder) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		e.ok = false
		return
	}
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

const hexDigits = "0123456789abcdef"

// str writes a string as encoding/json does, HTML escaping included.
func (e *encoder) str(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	e.b = append(append(b, s[start:]...), '"')
}

// marshalDecision appends d as JSON, as json.Marshal writes it.
func marshalDecision(b []byte, d *engine.Decision) ([]byte, error) {
	if fastEncoding {
		if out, ok := appendDecision(b, d); ok {
			return out, nil
		}
	}
	j, err := json.Marshal(d)
	if err != nil {
		return b, err
	}
	return append(b, j...), nil
}

// fastEncoding reports whether appendDecision matches engine.Decision.
var fastEncoding = checkFastEncoding()

// decisionShape is the JSON shape of engine.Decision and what it holds,
// as appendDecision writes it: type, then its fields and tags.
var decisionShape = []string{
	"Decision CaseID:case_id,omitempty Outcome:outcome Policy:policy EvaluatedAt:evaluated_at DefaultApplied:default_applied,omitempty Reasons:reasons Shadow:shadow,omitempty Missing:missing,omitempty Skipped:skipped,omitempty Scores:scores,omitempty Providers:providers Warnings:warnings,omitempty Trace:trace,omitempty",
	"PolicyRef Name:name Version:version Hash:hash",
	"Reason Rule:rule Kind:kind Outcome:outcome Message:message Facts:facts,omitempty Missing:missing,omitempty",
	"Skip Rule:rule Outcome:outcome Missing:missing",
	"FactValue Name:name Value:value",
	"ScoreResult ID:id Points:points UnknownPoints:unknown_points,omitempty Result:result Outcome:outcome,omitempty",
	"Warning Provider:provider Offset:offset Message:message",
	"TraceEntry ID:id Result:result",
	"Value Kind: B: N: S: L:",
}

// shapeOf describes the fields of a struct type like decisionShape.
func shapeOf(t reflect.Type) string {
	parts := []string{t.Name()}
	for i := range t.NumField() {
		f := t.Field(i)
		parts = append(parts, f.Name+":"+f.Tag.Get("json"))
	}
	return strings.Join(parts, " ")
}

func checkFastEncoding() bool {
	for i, t := range []reflect.Type{
		reflect.TypeFor[engine.Decision](), reflect.TypeFor[engine.PolicyRef](), reflect.TypeFor[engine.Reason](),
		reflect.TypeFor[engine.Skip](), reflect.TypeFor[engine.FactValue](), reflect.TypeFor[engine.ScoreResult](),
		reflect.TypeFor[engine.Warning](), reflect.TypeFor[engine.TraceEntry](), reflect.TypeFor[engine.Value](),
	} {
		if shapeOf(t) != decisionShape[i] {
			return false
		}
	}
	for _, d := range sampleDecisions() {
		want, err := json.Marshal(&d)
		got, ok := appendDecision(nil, &d)
		if err != nil || !ok || string(got) != string(want) {
			return false
		}
	}
	return true
}

// sampleDecisions use every field of a decision, with the values that
// JSON encoders write differently: escapes, number formats, nil and empty.
func sampleDecisions() []engine.Decision {
	tricky := "a\"b\\c\n\r\t\b\f\x01\x1f<&>\u2028\u2029é\xff\xc3 end"
	vals := []engine.Value{{}, engine.BoolValue(true), engine.BoolValue(false), engine.NumberValue(0),
		engine.NumberValue(-3.25), engine.NumberValue(1e21), engine.NumberValue(1e-7), engine.NumberValue(123456789.125),
		engine.StringValue(tricky), engine.ListValue(nil), engine.ListValue([]string{}), engine.ListValue([]string{"x", tricky})}
	var facts []engine.FactValue
	for _, v := range vals {
		facts = append(facts, engine.FactValue{Name: "f.v", Value: v})
	}
	full := engine.Decision{
		CaseID: tricky, Outcome: engine.Reject, Policy: engine.PolicyRef{Name: "p", Version: "1<2", Hash: "ab"},
		EvaluatedAt: time.Date(2025, 6, 17, 12, 0, 0, 123456789, time.FixedZone("x", -6*3600)), DefaultApplied: true,
		Reasons: []engine.Reason{{Rule: "r", Kind: engine.KindRule, Outcome: engine.Review, Message: tricky, Facts: facts, Missing: []string{"m"}},
			{Rule: "r2", Kind: engine.KindScore, Outcome: engine.Outcome(9), Facts: []engine.FactValue{}, Missing: []string{}}},
		Shadow:    []engine.Reason{{Rule: "s"}},
		Missing:   []string{"a", ""},
		Skipped:   []engine.Skip{{Rule: "k", Outcome: engine.Approve}, {Rule: "k2", Missing: []string{}}, {Missing: []string{"z"}}},
		Scores:    []engine.ScoreResult{{ID: "s", Points: 2.5, UnknownPoints: 1e-9, Result: "fired", Outcome: engine.Reject}, {ID: "t"}},
		Providers: []string{},
		Warnings:  []engine.Warning{{Provider: "veriff", Offset: -1, Message: tricky}},
		Trace:     []engine.TraceEntry{{ID: "t", Result: engine.ResultFired}},
	}
	return []engine.Decision{full, {}, {Reasons: []engine.Reason{}, Providers: []string{"veriff"}, EvaluatedAt: time.Unix(0, 0).UTC()}}
}
