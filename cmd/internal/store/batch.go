package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// maxBatch bounds the writes that share one transaction.
const maxBatch = 256

var errClosed = errors.New("store: closed")

// batcher is the group commit of a single-writer database. Writes queue up
// while a transaction commits; the next transaction takes all of them, each
// inside a savepoint so that one that fails is undone alone, and commits
// them with one sync to disk. Every writer is answered after the commit
// that holds its work, so an acknowledgement still means durably stored;
// when that COMMIT fails, each writer's work is tried again alone.
type batcher struct {
	db    *sql.DB
	prep  prepared
	jobs  chan *job
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	batch []*job
}

type job struct {
	ctx  context.Context
	fn   txFunc
	err  error
	done chan error
}

func newBatcher(db *sql.DB, prep prepared) *batcher {
	b := &batcher{db: db, prep: prep, jobs: make(chan *job), quit: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// do runs fn in the next transaction and waits for its commit.
func (b *batcher) do(ctx context.Context, fn txFunc) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.jobs <- j:
	case <-b.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once taken, a job is answered: its transaction may already commit.
	return <-j.done
}

func (b *batcher) close() {
	b.once.Do(func() { close(b.quit) })
	<-b.done
}

func (b *batcher) run() {
	defer close(b.done)
	for {
		select {
		case <-b.quit:
			return
		case j := <-b.jobs:
			b.batch = append(b.batch[:0], j)
		}
	more:
		for len(b.batch) < maxBatch {
			select {
			case j := <-b.jobs:
				b.batch = append(b.batch, j)
			default:
				break more
			}
		}
		b.commit(b.batch)
		clear(b.batch)
	}
}

// commit runs a batch in one transaction. A job runs without its caller's
// context: cancelling a statement could abort the shared transaction.
func (b *batcher) commit(batch []*job) {
	ctx := context.Background()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		for _, j := range batch {
			j.done <- err
		}
		return
	}
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.err = err
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT job"); err != nil {
			j.err = err
			continue
		}
		j.err = run(ctx, ptx{tx, b.prep}, j.fn)
		if j.err != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO job"); err != nil {
				// The transaction is unusable: fail everything in it.
				_ = tx.Rollback()
				for _, k := range batch {
					k.done <- errors.Join(k.err, err)
				}
				return
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE job"); err != nil && j.err == nil {
			j.err = err
		}
	}
	if err = tx.Commit(); err != nil && len(batch) > 1 {
		// The COMMIT of the whole group failed, and nothing of it is
		// stored: run each job again in a transaction of its own, so that
		// a write the database refuses only at COMMIT (a deferred
		// constraint) fails alone, and the others are stored. When the
		// disk itself fails, each fails again.
		for _, j := range batch {
			if j.err != nil {
				j.done <- j.err
				continue
			}
			b.commit([]*job{j})
		}
		return
	}
	for _, j := range batch {
		if j.err == nil {
			j.err = err
		}
		j.done <- j.err
	}
}

// run calls fn, turning a panic into an error so that the writer goes on.
func run(ctx context.Context, tx ptx, fn txFunc) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in a store transaction: %v", r)
		}
	}()
	return fn(ctx, tx)
}
