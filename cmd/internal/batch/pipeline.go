package batch

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
)

// A batch is a group of consecutive records that travels through the
// pipeline as one unit: the reader fills it, one worker processes it, the
// writer writes it in sequence and gives it back for reuse. Batches are the
// pipeline's only large buffers and their number is fixed, so memory is
// bounded by batches × batch size whatever the input size.
type batch struct {
	seq  uint64
	in   []byte // the documents, back to back
	recs []item
	out  []byte // output lines, one per record, in record order
	aux  []byte // secondary output (the changed cases of a diff)
}

// item is one record of a batch; its document is in[start:end].
type item struct {
	input      string
	line       int
	start, end int
	err        error
}

func (b *batch) doc(it *item) []byte { return b.in[it.start:it.end] }

// Batch bounds. A batch closes at batchLines records or batchBytes of
// documents, whichever comes first; a batch whose buffers grew past
// keepBytes (a huge line) releases them once written.
const (
	batchLines = 128
	batchBytes = 512 << 10
	keepBytes  = 4 << 20
)

// worker processes batches; each pipeline goroutine has its own, so a
// worker keeps per-goroutine state (engine.Facts, scratch buffers, counts)
// without locks.
type worker interface {
	process(b *batch)
}

// pipeline reads records from src, has workers process them in parallel
// and writes their outputs in input order.
type pipeline struct {
	src     Source
	workers []worker
	out     io.Writer // per-record output; may be nil
	aux     io.Writer // secondary output; may be nil
	// written, when set, is called after each batch is written with the
	// number of records it held.
	written func(records int)
}

// run executes the pipeline. It returns the first error of the source, of
// a writer, or ctx's error when ctx ends first; the records up to that
// point are written.
func (p *pipeline) run(ctx context.Context) error {
	n := len(p.workers)
	inFlight := 3*n + 2
	free := make(chan *batch, inFlight)
	for range inFlight {
		free <- &batch{}
	}
	work := make(chan *batch, inFlight)
	done := make(chan *batch, inFlight)

	var stop atomic.Bool // set by the writer when it can no longer write
	var readErr error
	go func() {
		defer close(work)
		var seq uint64
		for {
			var b *batch
			select {
			case b = <-free:
			case <-ctx.Done():
				readErr = ctx.Err()
				return
			}
			if stop.Load() {
				return
			}
			b.seq = seq
			seq++
			eof, err := fill(b, p.src)
			if len(b.recs) > 0 {
				work <- b
			}
			if err != nil {
				readErr = err
				return
			}
			if eof {
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for _, w := range p.workers {
		wg.Go(func() {
			for b := range work {
				w.process(b)
				done <- b
			}
		})
	}
	go func() {
		wg.Wait()
		close(done)
	}()

	// Write in sequence: a batch that finishes early waits in pending until
	// its predecessors are written. At most inFlight batches exist, so
	// pending never holds more than that.
	pending := make(map[uint64]*batch, inFlight)
	var next uint64
	var writeErr error
	for b := range done {
		pending[b.seq] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if writeErr == nil {
				writeErr = p.write(b)
				if writeErr != nil {
					stop.Store(true)
				}
			}
			if p.written != nil {
				p.written(len(b.recs))
			}
			b.reset()
			free <- b
		}
	}
	if writeErr != nil {
		return writeErr
	}
	return readErr
}

func (p *pipeline) write(b *batch) error {
	if p.out != nil && len(b.out) > 0 {
		if _, err := p.out.Write(b.out); err != nil {
			return err
		}
	}
	if p.aux != nil && len(b.aux) > 0 {
		if _, err := p.aux.Write(b.aux); err != nil {
			return err
		}
	}
	return nil
}

// fill reads records into b until it is full or the source ends.
func fill(b *batch, src Source) (eof bool, err error) {
	for len(b.recs) < batchLines && len(b.in) < batchBytes {
		rec, err := src.Next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, err
		}
		start := len(b.in)
		b.in = append(b.in, rec.Doc...)
		b.recs = append(b.recs, item{input: rec.Input, line: rec.Line, start: start, end: len(b.in), err: rec.Err})
	}
	return false, nil
}

func (b *batch) reset() {
	b.in, b.out, b.aux = shrink(b.in), shrink(b.out), shrink(b.aux)
	clear(b.recs) // drop references to errors and input names
	b.recs = b.recs[:0]
}

func shrink(buf []byte) []byte {
	if cap(buf) > keepBytes {
		return nil
	}
	return buf[:0]
}
