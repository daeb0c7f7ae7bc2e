package normalizers

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers/internal/jsonscan"
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
// after that.
func Catalog() *engine.Catalog {
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
// error, if any, names the provider and the byte offset of the problem.
func Normalize(doc []byte, f *engine.Facts, opts Options) error {
	f.Reset()
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
	if err := jsonscan.Valid(doc, maxDepth); err != nil {
		var se *jsonscan.SyntaxError
		if errors.As(err, &se) {
			return &Error{Provider: guessProvider(doc[:se.Offset]), Offset: se.Offset, Msg: "malformed JSON: " + se.Msg}
		}
		return err
	}
	// One copy of the document, immutable: every payload, and every fact
	// string read from it, points into this string.
	top := gjson.Parse(string(doc))
	if !top.IsObject() {
		return &Error{Offset: firstByte(doc), Msg: "a case is a JSON object (a provider payload or an envelope)"}
	}

	var results [8]EnvelopeResult
	env, err := readCase(top, results[:0])
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
// The top level is walked once: its keys decide which it is, and feed the
// shape detection of a bare payload.
func readCase(top gjson.Result, results []EnvelopeResult) (Envelope, error) {
	type member struct{ k, v gjson.Result }
	var buf [16]member
	members := buf[:0]
	envelope := false
	top.ForEach(func(k, v gjson.Result) bool {
		members = append(members, member{k, v})
		envelope = envelope || k.Str == "results"
		return true
	})
	if !envelope {
		shape := Shape{Keys: shapePool.Get().(map[string]string)}
		defer func() {
			clear(shape.Keys)
			shapePool.Put(shape.Keys)
		}()
		for _, m := range members {
			shape.Keys[m.k.Str] = m.v.Raw
		}
		r, err := detect(top, shape)
		if err != nil {
			return Envelope{}, err
		}
		return Envelope{Results: append(results, r)}, nil
	}

	var env Envelope
	var res gjson.Result
	for _, m := range members {
		switch m.k.Str {
		case "case_id":
			if m.v.Type != gjson.String {
				return env, &Error{Offset: m.v.Index, Msg: "case_id: expected a string"}
			}
			if len(m.v.Str) > 200 {
				return env, &Error{Offset: m.v.Index, Msg: "case_id: longer than 200 bytes"}
			}
			env.CaseID = m.v.Str
		case "as_of":
			if _, err := time.Parse(time.RFC3339, m.v.Str); m.v.Type != gjson.String || err != nil {
				return env, &Error{Offset: m.v.Index, Msg: "as_of: expected an RFC 3339 time such as 2025-06-17T12:00:00Z"}
			}
			env.AsOf = m.v.Str
		case "results":
			res = m.v
		default:
			return env, &Error{Offset: m.k.Index, Msg: fmt.Sprintf("unknown envelope field %q (want case_id, as_of, results)", m.k.Str)}
		}
	}
	if !res.IsArray() {
		return env, &Error{Offset: res.Index, Msg: "results: expected an array of results"}
	}
	i := 0
	var err error
	res.ForEach(func(_, v gjson.Result) bool {
		if i == maxResults {
			err = &Error{Offset: v.Index, Msg: fmt.Sprintf("results: more than %d results", maxResults)}
			return false
		}
		var r EnvelopeResult
		r, err = readResult(i, v)
		results = append(results, r)
		i++
		return err == nil
	})
	if err != nil {
		return env, err
	}
	if i == 0 {
		return env, &Error{Offset: res.Index, Msg: "results: needs at least 1 result"}
	}
	env.Results = results
	return env, nil
}

func readResult(i int, v gjson.Result) (EnvelopeResult, error) {
	at := func(off int, format string, args ...any) error {
		return &Error{Offset: off, Msg: fmt.Sprintf("results[%d]: ", i) + fmt.Sprintf(format, args...)}
	}
	if !v.IsObject() {
		return EnvelopeResult{}, at(v.Index, "expected an object with provider and payload")
	}
	var r EnvelopeResult
	var payload gjson.Result
	var err error
	v.ForEach(func(k, f gjson.Result) bool {
		switch k.Str {
		case "provider", "kind":
			if f.Type != gjson.String {
				err = at(f.Index, "%s: expected a string", k.Str)
			} else if k.Str == "provider" {
				r.Provider = f.Str
			} else {
				r.Kind = f.Str
			}
		case "payload":
			payload = f
		case "received_at", "id", "source":
			// Bookkeeping of the store that kept the result; not read.
		default:
			err = at(k.Index, "unknown field %q (want provider, kind, payload)", k.Str)
		}
		return err == nil
	})
	if err != nil {
		return r, err
	}
	if !payload.Exists() {
		return r, at(v.Index, "no payload")
	}
	if !payload.IsObject() {
		return r, at(payload.Index, "payload: expected a JSON object")
	}
	r.Payload, r.offset = bytesOf(payload.Raw), payload.Index
	if r.Provider == "" {
		d, derr := detect(payload, shapeOf(payload))
		if derr != nil {
			return r, at(payload.Index, "%s", strings.TrimPrefix(derr.Error(), fmt.Sprintf("byte %d: ", payload.Index)))
		}
		r.Provider = d.Provider
		return r, nil
	}
	if _, lerr := Lookup(r.Provider); lerr != nil {
		msg := fmt.Sprintf("unknown provider %q", r.Provider)
		if s := engine.SuggestString(r.Provider, Names()); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		} else {
			msg += " (known: " + strings.Join(Names(), ", ") + ")"
		}
		return r, at(v.Index, "%s", msg)
	}
	return r, nil
}

var shapePool = sync.Pool{New: func() any { return make(map[string]string, 16) }}

// shapeOf collects the top-level keys of a payload.
func shapeOf(obj gjson.Result) Shape {
	shape := Shape{Keys: make(map[string]string, 16)}
	obj.ForEach(func(k, v gjson.Result) bool {
		shape.Keys[k.Str] = v.Raw
		return true
	})
	return shape
}

// detect identifies the provider of a bare payload from its shape.
func detect(obj gjson.Result, shape Shape) (EnvelopeResult, error) {
	Catalog()
	var hits []string
	for _, p := range ordered {
		if p.Detect(shape) {
			hits = append(hits, p.Name())
		}
	}
	switch len(hits) {
	case 1:
		return EnvelopeResult{Provider: hits[0], Payload: bytesOf(obj.Raw), offset: obj.Index}, nil
	case 0:
		keys := make([]string, 0, len(shape.Keys))
		for k := range shape.Keys {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 8 {
			keys = append(keys[:8], "...")
		}
		return EnvelopeResult{}, &Error{Offset: obj.Index, Msg: "no provider has this payload shape (top-level keys: " + strings.Join(keys, ", ") + "); wrap it in an envelope and name its provider"}
	}
	return EnvelopeResult{}, &Error{Offset: obj.Index, Msg: "ambiguous payload shape: it looks like " + strings.Join(hits, " and ") + "; wrap it in an envelope and name its provider"}
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
