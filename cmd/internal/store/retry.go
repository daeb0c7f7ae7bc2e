package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// OpenOptions are the options of OpenWith.
type OpenOptions struct {
	// Wait is how long OpenWith keeps trying while the database cannot be
	// reached yet (connection refused, host name not resolvable yet, the
	// server starting up, a timeout). Zero makes one attempt, like Open.
	Wait time.Duration
	// Logf, when set, is called before each wait with the number of the
	// attempt that failed, its error (which shows no password) and the
	// time until the next attempt.
	Logf func(attempt int, err error, next time.Duration)
}

// The waits between attempts of OpenWith double from firstBackoff up to
// maxBackoff; each is shortened by a random part of up to its half, so that
// instances started together do not retry in step.
const (
	firstBackoff = 100 * time.Millisecond
	maxBackoff   = 3 * time.Second
	// minConnectTimeout bounds one connection attempt from below when the
	// time left to wait is shorter.
	minConnectTimeout = 2 * time.Second
	maxConnectTimeout = 15 * time.Second
)

// OpenWith is Open, waiting up to o.Wait for a database that cannot be
// reached yet, as when it starts together with this program. It retries
// only failures to connect that may pass: never an authentication failure,
// an invalid address, settings that lose data, or a failed migration. When
// it gives up, its error says how long it waited and how often it tried.
// It stops early when ctx ends.
func OpenWith(ctx context.Context, addr string, o OpenOptions) (Store, error) {
	if o.Wait <= 0 {
		return Open(ctx, addr)
	}
	start := time.Now()
	deadline := start.Add(o.Wait)
	backoff := firstBackoff
	stopped := func(err error, attempts int) error {
		return fmt.Errorf("%w (stopped after %d attempts in %s: %w)", err, attempts, time.Since(start).Round(time.Millisecond), ctx.Err())
	}
	for attempt := 1; ; attempt++ {
		st, err := open(ctx, addr, min(max(time.Until(deadline), minConnectTimeout), maxConnectTimeout))
		switch {
		case err == nil:
			return st, nil
		case ctx.Err() != nil:
			return nil, stopped(err, attempt)
		case !transient(err):
			return nil, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("%w (gave up after %d attempts in %s)", err, attempt, time.Since(start).Round(time.Millisecond))
		}
		next := min(backoff-rand.N(backoff/2), left)
		if o.Logf != nil {
			o.Logf(attempt, err, next)
		}
		t := time.NewTimer(next)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, stopped(err, attempt)
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// connectError is a failure to connect to the database, as opposed to a
// failure of the address, of its settings or of the migration; its
// message is on one line.
type connectError struct {
	msg string
	err error
}

func (e *connectError) Error() string { return e.msg }
func (e *connectError) Unwrap() error { return e.err }

// transient reports whether err is a failure to connect that may pass by
// itself: the server not listening or not resolvable yet, starting up,
// restarting, or slow to answer.
func transient(err error) bool {
	var ce *connectError
	if !errors.As(err, &ce) {
		return false
	}
	// The server answered: only "not now" passes (starting up, shutting
	// down, in recovery); a refused password or database does not.
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57P03"
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EHOSTUNREACH,
		syscall.ENETUNREACH, syscall.ETIMEDOUT, syscall.ENOENT, io.EOF, io.ErrUnexpectedEOF, context.DeadlineExceeded} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
