// Package batch decides stored cases in bulk: the engine behind
// `veredicto rescore` and `veredicto diff`.
//
// A Source yields records (one case document each, with its input name and
// line number): JSONL files, stdin and gzip through OpenFiles, or any
// iterator, such as a store's cases, through FromSeq. The pipeline streams
// them with bounded memory:
//
//	reader ──batches──▶ workers (one engine.Facts each) ──▶ reorder buffer ──▶ writer
//
// The reader packs consecutive records into batches taken from a fixed
// pool; each worker normalizes its batch's cases, evaluates the policy and
// encodes the decisions as JSON into the batch's own output buffer, so
// that encoding runs in parallel too; the writer writes batches in input
// order, holding early ones until their predecessors are written, and gives
// them back to the pool. As the pool is fixed, a slow output stops the
// reader, and memory stays flat however large the input.
//
// Every record yields exactly one output record, in order: the decision, or
// an error record that says why there is none (an empty, over-long,
// malformed or invalid line, an unreadable input). A bad record never stops
// the run; a panic inside a normalizer or the engine becomes an error record
// of its line.
//
// Rescore writes the decisions and returns a Summary (outcomes, errors by
// kind, how often each rule fired, throughput). Diff evaluates each case
// under two policies after reading it once and returns a DiffReport
// (transition matrix, per-rule counts under both, changed cases).
package batch
