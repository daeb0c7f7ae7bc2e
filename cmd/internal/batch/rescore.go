package batch

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// Options configure a rescore or diff run.
type Options struct {
	// Workers is the number of goroutines deciding cases; <= 0 means
	// runtime.NumCPU().
	Workers int
	// AsOf is the evaluation time of the cases.
	AsOf AsOf
	// NameInputs adds the input's name to every record, for runs over
	// several inputs.
	NameInputs bool
	// Progress, when not nil, gets a progress bar with rate and ETA (a
	// terminal; leave it nil otherwise).
	Progress io.Writer
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.NumCPU()
}

// Rescore decides every record of src under p and writes one JSON line per
// record to out, in input order: the decision, or an error record saying
// why the record has none. A bad record never stops the run. The summary
// is returned even when the run ends early with an error (ctx ended, out
// failed, src failed).
func Rescore(ctx context.Context, src Source, p *engine.Policy, out io.Writer, opts Options) (Summary, error) {
	start := time.Now()
	table := newRuleTable(p)
	n := opts.workers()
	ws := make([]*rescorer, n)
	pl := &pipeline{src: src, out: out, workers: make([]worker, n)}
	for i := range ws {
		ws[i] = &rescorer{policy: p, table: table, d: newDecider(opts.AsOf, start), c: newCounts(table), names: opts.NameInputs}
		pl.workers[i] = ws[i]
	}
	var done atomic.Int64
	pl.written = func(n int) { done.Add(int64(n)) }
	stopBar := startProgress(opts.Progress, src, &done, "rescore")
	err := pl.run(ctx)
	stopBar()

	total := newCounts(table)
	for _, w := range ws {
		total.add(w.c)
	}
	s := summarize(table, total, time.Since(start))
	s.Policy = engine.PolicyRef{Name: p.Name, Version: p.Version, Hash: p.Hash}
	s.AsOf = opts.AsOf.String()
	s.Workers = n
	s.Unreadable = failures(src)
	s.UnreadableInputs = len(s.Unreadable)
	return s, err
}

// rescorer is a rescore worker.
type rescorer struct {
	policy *engine.Policy
	table  *ruleTable
	d      *decider
	c      *counts
	names  bool
}

func (w *rescorer) process(b *batch) {
	for i := range b.recs {
		w.one(b, &b.recs[i])
	}
}

// one appends the output line of one record. A panic inside a normalizer
// or the engine becomes an error record for that line.
func (w *rescorer) one(b *batch, it *item) {
	start := len(b.out)
	defer func() {
		if r := recover(); r != nil {
			b.out = b.out[:start]
			b.out = appendHead(b.out, it, w.names)
			b.out = appendError(b.out, b.doc(it), &caseError{kind: KindInternal, msg: fmt.Sprintf("internal error: %v", r)})
			w.c.errors[kindIndex(KindInternal)]++
		}
	}()
	w.c.cases++
	b.out = appendHead(b.out, it, w.names)
	doc := b.doc(it)
	source, ce := w.d.normalize(doc, it.err)
	if ce != nil {
		w.c.errors[kindIndex(ce.kind)]++
		b.out = appendError(b.out, doc, ce)
		return
	}
	d := w.policy.Evaluate(w.d.facts)
	if d.CaseID != "" {
		b.out = append(b.out, `,"case_id":`...)
		b.out = engine.AppendJSONString(b.out, d.CaseID)
	}
	b.out = append(b.out, `,"as_of_source":"`...)
	b.out = append(b.out, sourceNames[source]...)
	b.out = append(b.out, `","decision":`...)
	b.out = d.AppendJSON(b.out)
	b.out = append(b.out, "}\n"...)
	w.c.decision(w.table, &d)
	w.c.sources[source]++
}

// appendHead opens a record: {"input":...,"line":N
func appendHead(b []byte, it *item, names bool) []byte {
	b = append(b, '{')
	if names {
		b = append(b, `"input":`...)
		b = engine.AppendJSONString(b, it.input)
		b = append(b, ',')
	}
	b = append(b, `"line":`...)
	return strconv.AppendInt(b, int64(it.line), 10)
}

// appendError closes a record with its error.
func appendError(b []byte, doc []byte, ce *caseError) []byte {
	if id := caseIDOf(doc); id != "" {
		b = append(b, `,"case_id":`...)
		b = engine.AppendJSONString(b, id)
	}
	b = append(b, `,"error":{"kind":"`...)
	b = append(b, ce.kind...)
	b = append(b, '"')
	if ce.provider != "" {
		b = append(b, `,"provider":`...)
		b = engine.AppendJSONString(b, ce.provider)
	}
	if ce.hasOff {
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, int64(ce.offset), 10)
	}
	b = append(b, `,"message":`...)
	b = engine.AppendJSONString(b, ce.msg)
	return append(b, "}}\n"...)
}
