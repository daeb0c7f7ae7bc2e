package normalizers

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers/internal/jsonscan"
	"github.com/veredicto/veredicto/normalizers/internal/walk"
)

// Limits on one case document.
const (
	DefaultMaxBytes = 8 << 20
	DefaultMaxDepth = 64
	maxResults      = 256 // results in one envelope
)

// Options control how a case is read.
type Options struct {
	// AsOf is the evaluation time. When zero, the envelope's "as_of" is used,
	// else the current time.
	AsOf time.Time
	// MaxBytes and MaxDepth bound the document; zero means the defaults.
	MaxBytes int
	MaxDepth int
}

var (
	catalogOnce sync.Once
	catalogErr  error
	ordered     []Provider
)

// Catalog returns the fact catalog of every registered provider plus the
// cross-provider "case" facts. It is built once; providers cannot register
// after that. It panics with ErrNoProviders when no provider is registered,
// as a policy compiled against that catalog could read none of their facts.
func Catalog() *engine.Catalog {
	if err := anyRegistered(); err != nil {
		panic(err)
	}
	catalogOnce.Do(func() {
		mu.Lock()
		defer mu.Unlock()
		names := make([]string, 0, len(providers))
		for n := range providers {
			names = append(names, n)
		}
		sort.Strings(names)
		groups := [][]engine.FactSpec{caseFacts[:]}
		for _, n := range names {
			ordered = append(ordered, providers[n])
			groups = append(groups, providers[n].Facts())
		}
		catalog, catalogErr = engine.NewCatalog(groups...)
	})
	if catalogErr != nil {
		panic(catalogErr) // the providers' fact declarations are code: a bad one is a bug
	}
	return catalog
}

// Envelope is a case with several provider results:
//
//	{"case_id": "app-123", "as_of": "2025-06-17T12:00:00Z",
//	 "results": [{"provider": "veriff", "payload": {...}},
//	             {"provider": "jaak", "kind": "ofac", "payload": {...}}]}
//
// provider may be omitted when the payload's shape identifies it; kind is a
// hint for providers whose payload does not say what it is (a JAAK list).
//
// case_id is at most 200 bytes; as_of is RFC 3339; there are 1 to 256 results.
type Envelope struct {
	CaseID  string
	AsOf    string
	Results []EnvelopeResult
}

// EnvelopeResult is one result of an Envelope.
type EnvelopeResult struct {
	Provider string
	Kind     string
	Payload  []byte
	offset   int
}

// Normalize reads one case document into f, which it resets first. The
// error, if any, names the provider and the byte offset of the problem; it
// is ErrNoProviders when no provider is registered.
func Normalize(doc []byte, f *engine.Facts, opts Options) error {
	f.Reset()
	if err := anyRegistered(); err != nil {
		return err
	}
	maxBytes, maxDepth := opts.MaxBytes, opts.MaxDepth
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	if len(doc) > maxBytes {
		return fmt.Errorf("document of %d bytes exceeds the limit of %d bytes", len(doc), maxBytes)
	}
	// The check records where the containers of the envelope's first four
	// levels end (the case, its fields, each result, each payload), so that
	// reading the envelope never scans a payload again.
	spans := make([]jsonscan.Span, 0, 32)
	if err := jsonscan.Scan(doc, maxDepth, 4, &spans); err != nil {
		var se *jsonscan.SyntaxError
		if errors.As(err, &se) {
			return &Error{Provider: guessProvider(doc[:se.Offset]), Offset: se.Offset, Msg: "malformed JSON: " + se.Msg}
		}
		return err
	}
	// One copy of the document, immutable: every payload, and every fact
	// string read from it, points into this string.
	s := string(doc)
	start := firstByte(doc)
	if !walk.IsObject(s, start) {
		return &Error{Offset: start, Msg: "a case is a JSON object (a provider payload or an envelope)"}
	}

	var results [8]EnvelopeResult
	env, err := readCase(s, start, ends(spans), results[:0])
	if err != nil {
		return err
	}
	f.AsOf = opts.AsOf
	if f.AsOf.IsZero() && env.AsOf != "" {
		f.AsOf, _ = time.Parse(time.RFC3339, env.AsOf)
	}
	if f.AsOf.IsZero() {
		f.AsOf = time.Now().UTC()
	}
	f.CaseID = env.CaseID

	cat := Catalog()
	var group [8]Payload
	for _, p := range ordered {
		in := group[:0]
		for _, r := range env.Results {
			if r.Provider == p.Name() {
				in = append(in, Payload{Raw: r.Payload, Offset: r.offset, Hint: r.Kind})
			}
		}
		if len(in) == 0 {
			continue
		}
		if err := p.Normalize(in, f.Sink(p.Name())); err != nil {
			return err
		}
	}
	crossCheck(cat, f)
	return nil
}

// readCase reads an envelope, or wraps a bare payload as a one-result case.
// The document is walked once: the top level's keys tell an envelope from a
// bare payload and feed the detection of the bare payload's provider, and
// each payload is skipped once, to be read by its provider.
func readCase(s string, start int, end ends, results []EnvelopeResult) (Envelope, error) {
	type member struct {
		key    string
		v, end int
	}
	var buf [16]member
	members := buf[:0]
	envelope := false
	stop := walk.Members(s, start, func(key string, v int) int {
		e := end.of(s, v)
		members = append(members, member{key, v, e})
		envelope = envelope || key == "results"
		return e
	})
	if !envelope {
		shape := Shape{Keys: shapePool.Get().(map[string]string)}
		defer func() {
			clear(shape.Keys)
			shapePool.Put(shape.Keys)
		}()
		for _, m := range members {
			shape.Keys[m.key] = s[m.v:m.end]
		}
		r, err := detect(s[start:stop], start, shape)
		if err != nil {
			return Envelope{}, err
		}
		return Envelope{Results: append(results, r)}, nil
	}

	var env Envelope
	res := -1
	for _, m := range members {
		v := walk.Val(s, m.v)
		switch m.key {
		case "case_id":
			if v.Type != gjson.String {
				return env, &Error{Offset: m.v, Msg: "case_id: expected a string"}
			}
			if len(v.Str) > 200 {
				return env, &Error{Offset: m.v, Msg: "case_id: longer than 200 bytes"}
			}
			env.CaseID = v.Str
		case "as_of":
			if _, err := time.Parse(time.RFC3339, v.Str); v.Type != gjson.String || err != nil {
				return env, &Error{Offset: m.v, Msg: "as_of: expected an RFC 3339 time such as 2025-06-17T12:00:00Z"}
			}
			env.AsOf = v.Str
		case "results":
			res = m.v
		default:
			return env, &Error{Offset: m.v, Msg: fmt.Sprintf("unknown envelope field %q (want case_id, as_of, results)", m.key)}
		}
	}
	if !walk.IsArray(s, res) {
		return env, &Error{Offset: res, Msg: "results: expected an array of results"}
	}
	var err error
	walk.Elements(s, res, func(v int) int {
		if err != nil {
			return 0
		}
		if len(results) == maxResults {
			err = &Error{Offset: v, Msg: fmt.Sprintf("results: more than %d results", maxResults)}
			return 0
		}
		var r EnvelopeResult
		var e int
		r, e, err = readResult(len(results), s, v, end)
		results = append(results, r)
		return e
	})
	if err != nil {
		return env, err
	}
	if len(results) == 0 {
		return env, &Error{Offset: res, Msg: "results: needs at least 1 result"}
	}
	env.Results = results
	return env, nil
}

// readResult reads the i-th result of an envelope, at s[v], and returns it
// with the index just past it.
func readResult(i int, s string, v int, ends ends) (EnvelopeResult, int, error) {
	at := func(off int, format string, args ...any) error {
		return &Error{Offset: off, Msg: fmt.Sprintf("results[%d]: ", i) + fmt.Sprintf(format, args...)}
	}
	if !walk.IsObject(s, v) {
		return EnvelopeResult{}, 0, at(v, "expected an object with provider and payload")
	}
	var r EnvelopeResult
	payload, payloadEnd := -1, -1
	var err error
	end := walk.Members(s, v, func(key string, f int) int {
		if err != nil {
			return 0
		}
		switch key {
		case "provider", "kind":
			val := walk.Val(s, f)
			if val.Type != gjson.String {
				err = at(f, "%s: expected a string", key)
			} else if key == "provider" {
				r.Provider = val.Str
			} else {
				r.Kind = val.Str
			}
		case "payload":
			payload, payloadEnd = f, ends.of(s, f)
			return payloadEnd
		case "received_at", "id", "source":
			// Bookkeeping of the store that kept the result; not read.
		default:
			err = at(f, "unknown field %q (want provider, kind, payload)", key)
		}
		return 0
	})
	if err != nil {
		return r, end, err
	}
	if payload < 0 {
		return r, end, at(v, "no payload")
	}
	if !walk.IsObject(s, payload) {
		return r, end, at(payload, "payload: expected a JSON object")
	}
	r.Payload, r.offset = bytesOf(s[payload:payloadEnd]), payload
	if r.Provider == "" {
		d, derr := detect(s[payload:payloadEnd], payload, shapeOf(s, payload))
		if derr != nil {
			return r, end, at(payload, "%s", strings.TrimPrefix(derr.Error(), fmt.Sprintf("byte %d: ", payload)))
		}
		r.Provider = d.Provider
		return r, end, nil
	}
	if _, lerr := Lookup(r.Provider); lerr != nil {
		msg := fmt.Sprintf("unknown provider %q", r.Provider)
		if sug := engine.SuggestString(r.Provider, Names()); sug != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", sug)
		} else {
			msg += " (known: " + strings.Join(Names(), ", ") + ")"
		}
		return r, end, at(v, "%s", msg)
	}
	return r, end, nil
}

var shapePool = sync.Pool{New: func() any { return make(map[string]string, 16) }}

// ends are the spans of containers recorded while checking the document.
type ends []jsonscan.Span

// of returns the index just past the value at s[v]: from the recorded
// spans when the value is one of them, else by walking it.
func (e ends) of(s string, v int) int {
	if i, ok := slices.BinarySearchFunc(e, v, func(sp jsonscan.Span, v int) int { return sp.Start - v }); ok {
		return e[i].End
	}
	return walk.End(s, v)
}

// shapeOf collects the top-level keys of the object at s[i].
func shapeOf(s string, i int) Shape {
	shape := Shape{Keys: make(map[string]string, 16)}
	walk.Members(s, i, func(key string, v int) int {
		e := walk.End(s, v)
		shape.Keys[key] = s[v:e]
		return e
	})
	return shape
}

// detect identifies the provider of the payload obj, at offset off, from its
// shape.
func detect(obj string, off int, shape Shape) (EnvelopeResult, error) {
	Catalog()
	var hits []string
	for _, p := range ordered {
		if p.Detect(shape) {
			hits = append(hits, p.Name())
		}
	}
	switch len(hits) {
	case 1:
		return EnvelopeResult{Provider: hits[0], Payload: bytesOf(obj), offset: off}, nil
	case 0:
		keys := make([]string, 0, len(shape.Keys))
		for k := range shape.Keys {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 8 {
			keys = append(keys[:8], "...")
		}
		return EnvelopeResult{}, &Error{Offset: off, Msg: "no provider has this payload shape (top-level keys: " + strings.Join(keys, ", ") + "); wrap it in an envelope and name its provider"}
	}
	return EnvelopeResult{}, &Error{Offset: off, Msg: "ambiguous payload shape: it looks like " + strings.Join(hits, " and ") + "; wrap it in an envelope and name its provider"}
}

// guessProvider names the provider a malformed document most likely came
// from, by the keys seen before the error, so that the error names it.
func guessProvider(prefix []byte) string {
	s := string(prefix)
	switch {
	case strings.Contains(s, `"results"`):
		return "case"
	case strings.Contains(s, `"verification"`) || strings.Contains(s, `"attemptId"`):
		return "veriff"
	case strings.Contains(s, `"documentState"`):
		return "veriff_ine"
	case strings.Contains(s, `"ticket"`):
		return "preventor"
	case strings.Contains(s, `"foundInService"`) || strings.Contains(s, `"organization"`):
		return "jaak"
	case strings.Contains(s, `"face_match"`) || strings.Contains(s, `"request_id"`) || strings.Contains(s, `"unico"`) || strings.Contains(s, `"face_analysis"`):
		return "trully"
	}
	return ""
}

// bytesOf views an immutable string as bytes without copying; the bytes
// must never be written.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func firstByte(doc []byte) int {
	for i, c := range doc {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return 0
}
