package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

// storedCaseMaxBytes bounds the envelope rebuilt from a stored case.
const storedCaseMaxBytes = 64 << 20

var (
	factsPool = sync.Pool{New: func() any { return engine.NewFacts(normalizers.Catalog()) }}
	bufPool   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	outPool   = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}
)

func getFacts() *engine.Facts  { return factsPool.Get().(*engine.Facts) }
func putFacts(f *engine.Facts) { factsPool.Put(f) }
func getBuf() *bytes.Buffer    { b := bufPool.Get().(*bytes.Buffer); b.Reset(); return b }
func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		bufPool.Put(b)
	}
}

// shiftError moves the byte offset of a normalizer error back by n, for a
// document that was wrapped in an envelope prefix of n bytes.
func shiftError(err error, n int) error {
	var ne *normalizers.Error
	if n == 0 || !errors.As(err, &ne) || ne.Offset < n {
		return err
	}
	c := *ne
	c.Offset -= n
	return &c
}

// made is what the latest decision made for the store reports, for the
// metrics once the store committed it: outcome, fired rules, time taken.
type made struct {
	outcome engine.Outcome
	fired   []string
	took    time.Duration
}

// decider returns the DecideFunc that rebuilds a case envelope from stored
// results, normalizes it and evaluates the current policy on it.
func (s *Server) decider(m *made) store.DecideFunc {
	return func(caseID string, rs []store.Result) (store.Decision, error) {
		start := time.Now()
		pol := s.pol.current()
		use, notes, all := decisionResults(rs, s.cfg.TrustAPI)
		f := getFacts()
		defer putFacts(f)
		if err := normalizeStored(f, caseID, use, start); err != nil {
			return store.Decision{}, err
		}
		f.Warnings = append(f.Warnings, notes...)
		d := pol.Evaluate(f)
		if all != nil {
			// The API results left out could only outrank a signed
			// result upwards: when deciding with them is more severe,
			// that decision stands. An unsigned "yes" never hides a
			// signed "no", and an unsigned "no" is not hidden either.
			g := getFacts()
			defer putFacts(g)
			if normalizeStored(g, caseID, all, start) == nil {
				if w := pol.Evaluate(g); w.Outcome > d.Outcome {
					w.Warnings = append(w.Warnings, engine.Warning{Offset: -1, Message: "results submitted through the API make the decision more severe than the webhook deliveries alone: they count"})
					d = w
				}
			}
		}
		body := d.AppendJSON(nil)
		*m = made{outcome: d.Outcome, fired: d.Fired(), took: time.Since(start)}
		return store.Decision{
			Outcome:   d.Outcome.String(),
			Policy:    store.PolicyRef{Name: d.Policy.Name, Version: d.Policy.Version, Hash: d.Policy.Hash},
			DecidedAt: d.EvaluatedAt,
			Body:      body,
		}, nil
	}
}

// normalizeStored reads stored results as one case into f. The offsets of
// its warnings and errors count in the payload of the result they are in,
// which they name by seq, not in the envelope rebuilt here, which no one
// else sees.
func normalizeStored(f *engine.Facts, caseID string, rs []store.Result, at time.Time) error {
	buf := getBuf()
	defer putBuf(buf)
	starts := writeEnvelope(buf, caseID, rs)
	err := normalizers.Normalize(buf.Bytes(), f, normalizers.Options{AsOf: at.UTC(), MaxBytes: storedCaseMaxBytes})
	for i := range f.Warnings {
		w := &f.Warnings[i]
		if j := payloadAt(starts, rs, w.Offset); j >= 0 {
			w.Result, w.Offset = rs[j].Seq, w.Offset-starts[j]
		}
	}
	for i := range f.Evidence {
		n := &f.Evidence[i]
		if j := payloadAt(starts, rs, n.Offset); j >= 0 {
			n.Result, n.Offset = rs[j].Seq, n.Offset-starts[j]
		}
	}
	if err != nil {
		var ne *normalizers.Error
		if errors.As(err, &ne) {
			if j := payloadAt(starts, rs, ne.Offset); j >= 0 {
				return unprocessable(codeUndecidable, "the case's results cannot be decided together: result %d (%s): byte %d: %s",
					rs[j].Seq, ne.Provider, ne.Offset-starts[j], ne.Msg)
			}
		}
		return unprocessable(codeUndecidable, "the case's results cannot be decided together: %v", err)
	}
	return nil
}

// payloadAt returns the index of the result whose payload holds offset
// (starts as writeEnvelope returned them), or -1.
func payloadAt(starts []int, rs []store.Result, offset int) int {
	j := sort.SearchInts(starts, offset+1) - 1
	if j < 0 || offset >= starts[j]+len(rs[j].Payload) {
		return -1
	}
	return j
}

// maxDecided bounds the stored results one decision reads, below the
// normalizers' limit of results in one envelope: a case with a longer
// history is still decided, over the latest results of each provider and
// list, and keeps accepting results.
const maxDecided = 200

// decisionResults chooses the stored results a decision reads, and says
// in warnings what it left out and why:
//
//   - provenance: when a provider has results it delivered by its signed
//     (or tokened) webhook, the results of that provider submitted through
//     the API are history, not evidence: an unsigned "approved" cannot
//     outrank a signed decline. trustAPI names the providers whose API
//     results count beside their webhooks.
//   - history: past maxDecided results, each provider and list keeps its
//     latest ones, webhook deliveries first, taken in turn.
//
// all is every result within the same bound when provenance left some
// out (nil otherwise), so that the caller can check that they would not
// make the decision more severe.
func decisionResults(rs []store.Result, trustAPI map[string]bool) (use []store.Result, notes []engine.Warning, all []store.Result) {
	signed := map[string]bool{}
	for _, r := range rs {
		if r.Source == "webhook" {
			signed[r.Provider] = true
		}
	}
	use = rs
	dropped := map[string]int{}
	if len(signed) > 0 {
		use = make([]store.Result, 0, len(rs))
		for _, r := range rs {
			if r.Source == "api" && signed[r.Provider] && !trustAPI[r.Provider] {
				dropped[r.Provider]++
				continue
			}
			use = append(use, r)
		}
	}
	for _, p := range sortedKeys(dropped) {
		notes = append(notes, engine.Warning{Provider: p, Offset: -1, Message: fmt.Sprintf(
			"%d result(s) submitted through the API not used: results this provider delivered by its webhook outrank them", dropped[p])})
	}
	if len(dropped) > 0 {
		all, _ = latest(rs)
	}
	use, capped := latest(use)
	if capped != nil {
		notes = append(notes, *capped)
	}
	return use, notes, all
}

// latest keeps at most maxDecided results: the latest of each provider and
// list in turn, webhook deliveries first, in their stored order; the
// warning says so when it left some out.
func latest(use []store.Result) ([]store.Result, *engine.Warning) {
	if len(use) <= maxDecided {
		return use, nil
	}
	// Latest first within each provider and list, webhook deliveries ahead.
	groups := map[string][]store.Result{}
	var order []string
	for i := len(use) - 1; i >= 0; i-- {
		k := use[i].Provider + "/" + use[i].Kind
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], use[i])
	}
	for _, k := range order {
		g := groups[k]
		sort.SliceStable(g, func(a, b int) bool { return g[a].Source == "webhook" && g[b].Source != "webhook" })
	}
	keep := make([]store.Result, 0, maxDecided)
	for depth := 0; len(keep) < maxDecided; depth++ {
		took := false
		for _, k := range order {
			if g := groups[k]; depth < len(g) && len(keep) < maxDecided {
				keep = append(keep, g[depth])
				took = true
			}
		}
		if !took {
			break
		}
	}
	sort.Slice(keep, func(a, b int) bool { return keep[a].Seq < keep[b].Seq })
	return keep, &engine.Warning{Offset: -1, Message: fmt.Sprintf(
		"the case has %d results: decided over the latest %d of each provider and list in turn (webhook deliveries first); the rest is history", len(use), maxDecided)}
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// writeEnvelope writes the case envelope of stored results and returns
// where each payload starts in it.
func writeEnvelope(buf *bytes.Buffer, caseID string, rs []store.Result) []int {
	starts := make([]int, len(rs))
	buf.WriteString(`{"case_id":`)
	writeJSONString(buf, caseID)
	buf.WriteString(`,"results":[`)
	for i, r := range rs {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(`{"provider":`)
		writeJSONString(buf, r.Provider)
		if r.Kind != "" {
			buf.WriteString(`,"kind":`)
			writeJSONString(buf, r.Kind)
		}
		buf.WriteString(`,"payload":`)
		starts[i] = buf.Len()
		buf.Write(r.Payload)
		buf.WriteByte('}')
	}
	buf.WriteString("]}")
	return starts
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // a string always encodes
	buf.Write(b)
}

// split reads a submitted document into the results to store and the case
// id it names (the envelope's case_id, else the provider's id), after
// checking that the normalizers read it. A document is an envelope, one
// result {"provider", "kind", "payload"}, or a bare provider payload whose
// provider is given (provider, kind) or told from its shape.
func split(doc []byte, provider, kind string) (results []store.Result, caseID string, err error) {
	return splitAt(doc, provider, kind, 0)
}

// splitAt is split for a document wrapped in an envelope prefix of shift
// bytes, which error offsets leave out.
func splitAt(doc []byte, provider, kind string, shift int) (results []store.Result, caseID string, err error) {
	top := gjson.ParseBytes(doc)
	envelope := top.IsObject() && top.Get("results").Exists()
	if envelope && (provider != "" || kind != "") {
		return nil, "", badQuery("provider and kind apply to a bare provider payload, not to an envelope")
	}
	if !gjson.ValidBytes(doc) {
		// Report malformed JSON at its place in what the client sent.
		shift = 0
		f := getFacts()
		defer putFacts(f)
		if err := normalizers.Normalize(doc, f, normalizers.Options{}); err != nil {
			return nil, "", unreadable(err)
		}
	}
	if top.IsObject() && !envelope {
		wrapper := top.Get("payload").Exists()
		if wrapper {
			top.ForEach(func(k, _ gjson.Result) bool {
				wrapper = k.Str == "provider" || k.Str == "kind" || k.Str == "payload"
				return wrapper
			})
		}
		if wrapper && (provider != "" || kind != "") {
			// The result names its provider and kind itself, or is told
			// by its shape: a query that would be ignored is refused.
			return nil, "", badQuery("provider and kind apply to a bare provider payload, not to a result {\"provider\", \"kind\", \"payload\"}")
		}
		var prefix, suffix string
		switch {
		case wrapper:
			prefix, suffix = `{"results":[`, "]}"
		case provider != "":
			var b bytes.Buffer
			b.WriteString(`{"results":[{"provider":`)
			writeJSONString(&b, provider)
			if kind != "" {
				b.WriteString(`,"kind":`)
				writeJSONString(&b, kind)
			}
			b.WriteString(`,"payload":`)
			prefix, suffix = b.String(), "}]}"
		}
		if prefix != "" {
			env := make([]byte, 0, len(prefix)+len(doc)+len(suffix))
			env = append(append(append(env, prefix...), doc...), suffix...)
			return splitAt(env, "", "", len(prefix))
		}
	}

	f := getFacts()
	defer putFacts(f)
	if err := normalizers.Normalize(doc, f, normalizers.Options{}); err != nil {
		return nil, "", unreadable(shiftError(err, shift))
	}
	caseID = f.CaseID
	if !envelope {
		if len(f.Providers) != 1 {
			return nil, "", unprocessable(codeUnreadable, "could not tell the provider of the payload; name it with ?provider=")
		}
		return []store.Result{store.NewResult(f.Providers[0], "", "", bytes.Clone(doc))}, caseID, nil
	}
	var splitErr error
	top.Get("results").ForEach(func(_, v gjson.Result) bool {
		p := v.Get("payload")
		r := store.NewResult(v.Get("provider").Str, v.Get("kind").Str, "", []byte(p.Raw))
		if r.Provider == "" {
			if err := normalizers.Normalize(r.Payload, f, normalizers.Options{}); err != nil || len(f.Providers) != 1 {
				ie := unprocessable(codeUnreadable, "byte %d: could not tell the provider of the payload; name it", p.Index-shift)
				ie.offset, ie.hasPos = p.Index-shift, true
				splitErr = ie
				return false
			}
			r = store.NewResult(f.Providers[0], r.Kind, "", r.Payload)
		}
		results = append(results, r)
		return true
	})
	return results, caseID, splitErr
}
