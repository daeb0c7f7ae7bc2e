package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// TestRedactHidesPasswords checks that no form of address that carries a
// password shows it, and that addresses without one are left alone.
func TestRedactHidesPasswords(t *testing.T) {
	const pw = "S3cr3t"
	for in, want := range map[string]string{
		"postgres://u:" + pw + "@h:5432/db?sslmode=disable":      "postgres://u:xxxxx@h:5432/db?sslmode=disable",
		"postgresql://u:" + pw + "@h/db":                         "postgresql://u:xxxxx@h/db",
		"postgres://u@h/db?password=" + pw + "&sslmode=disable":  "postgres://u@h/db?password=xxxxx&sslmode=disable",
		"postgres://u@h/db?sslmode=disable&PASSWORD=" + pw:       "postgres://u@h/db?sslmode=disable&PASSWORD=xxxxx",
		"postgres://u@h/db?pass%77ord=" + pw:                     "postgres://u@h/db?pass%77ord=xxxxx",
		"postgres://u@h/db?sslpassword=" + pw:                    "postgres://u@h/db?sslpassword=xxxxx",
		"postgres://h:5432/db?password=" + pw + "@x":             "postgres://h:5432/db?password=xxxxx",
		"postgres://u:" + pw + "@" + pw + "@h/db":                "postgres://u:xxxxx@h/db",
		"postgres://u:" + pw + "/x?y#z@h/db?password=" + pw:      "postgres://u:xxxxx@h/db?password=xxxxx",
		"postgres://u:" + pw + ":more@h/db":                      "postgres://u:xxxxx@h/db",
		"host=h user=u password=" + pw + " dbname=d":             "host=h user=u password=xxxxx dbname=d",
		"host=h password = '" + pw + " \\' x' dbname=d":          "host=h password = xxxxx dbname=d",
		"host=h sslpassword=" + pw:                               "host=h sslpassword=xxxxx",
		"postgres://u@h:5432/db?application_name=a@b&sslmode=no": "postgres://u@h:5432/db?application_name=a@b&sslmode=no",
		"postgres://u@h/db":                                      "postgres://u@h/db",
		"postgres:///db?password=" + pw + "@x":                   "postgres:///db?password=xxxxx",
		"postgres://u@?password=" + pw:                           "postgres://u@?password=xxxxx",
		"postgres://@h:5432/db?application_name=a@b":             "postgres://@h:5432/db?application_name=a@b",
		"postgres://h/db?sslmode=disable&flag":                   "postgres://h/db?sslmode=disable&flag",
		"sqlite:/tmp/x.db":                                       "sqlite:/tmp/x.db",
		"sqlite:/tmp/a:b@c.db":                                   "sqlite:/tmp/a:b@c.db",
	} {
		got := store.Redact(in)
		if got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, pw) {
			t.Errorf("Redact(%q) shows the password", in)
		}
	}
}

// TestOpenHidesPasswords checks the errors of Open for addresses with a
// password that cannot be used.
func TestOpenHidesPasswords(t *testing.T) {
	const pw = "S3cr3t"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, addr := range []string{
		"host=h user=u password=" + pw,
		"mysql://u:" + pw + "@h/db",
		"postgres://u:" + pw + "@127.0.0.1:notaport/db",
		"postgres://u@127.0.0.1:1/db?password=" + pw + "&sslmode=disable",
		"postgres://u:" + pw + "@127.0.0.1:1/db?sslmode=disable&connect_timeout=x",
	} {
		_, err := store.Open(ctx, addr)
		if err == nil {
			t.Fatalf("Open(%q) succeeded", store.Redact(addr))
		}
		if strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Open(%q): %q shows the password or is not one line", store.Redact(addr), err)
		}
	}
}

// TestPostgresPasswordFromEnvironment connects to a server that asks for
// a password with an address that has none: PGPASSWORD or the file named
// by PGPASSFILE supply it. A wrong or missing password fails, and the
// message never shows the password tried.
func TestPostgresPasswordFromEnvironment(t *testing.T) {
	ctx := context.Background()
	c := ownCluster(t)
	addr := c.dsn(c.database(t), "")
	none := filepath.Join(t.TempDir(), "no-pgpass")
	t.Setenv("PGPASSFILE", none) // not the user's ~/.pgpass
	t.Setenv("PGPASSWORD", c.password)
	st := open(t, addr)
	if _, err := st.Add(ctx, "c", []store.Result{res(`{}`)}, decideCount(nil)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	passfile := filepath.Join(t.TempDir(), "pgpass")
	if err := os.WriteFile(passfile, []byte(fmt.Sprintf("# host:port:db:user:password\n127.0.0.1:%d:*:veredicto:%s\n", c.port, c.password)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSWORD", "")
	t.Setenv("PGPASSFILE", passfile)
	st = open(t, addr)
	if got := stats(t, st); got.Results != 1 {
		t.Fatalf("stats %+v", got)
	}
	st.Close()

	for _, wrong := range []struct{ env, file, inAddr string }{
		{env: "Wr0ng-from-env"},
		{file: "Wr0ng-from-file"},
		{inAddr: "Wr0ng-in-address"},
		{}, // none at all
	} {
		t.Setenv("PGPASSWORD", wrong.env)
		t.Setenv("PGPASSFILE", none)
		if wrong.file != "" {
			if err := os.WriteFile(passfile, []byte(fmt.Sprintf("*:*:*:*:%s\n", wrong.file)), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("PGPASSFILE", passfile)
		}
		a := addr
		if wrong.inAddr != "" {
			a = c.dsn("postgres", wrong.inAddr)
		}
		start := time.Now()
		_, err := store.OpenWith(ctx, a, store.OpenOptions{Wait: 10 * time.Second, Logf: func(int, error, time.Duration) {
			t.Errorf("%+v: retried an authentication failure", wrong)
		}})
		if err == nil {
			t.Fatalf("%+v: opened", wrong)
		}
		msg := err.Error()
		for _, secret := range []string{c.password, wrong.env, wrong.file, wrong.inAddr} {
			if secret != "" && strings.Contains(msg, secret) {
				t.Errorf("%+v: the error shows a password: %s", wrong, msg)
			}
		}
		if !strings.Contains(msg, "password") || strings.Contains(msg, "\n") {
			t.Errorf("%+v: %q does not say on one line that the password failed", wrong, msg)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%+v: failed after %v, not at once", wrong, d)
		}
	}
}

// proxy forwards TCP connections to target, listening on addr only after
// delay; it is stopped at cleanup.
func proxy(t *testing.T, addr, target string, delay time.Duration) {
	t.Helper()
	done := make(chan struct{})
	var wg sync.WaitGroup
	var l net.Listener
	var mu sync.Mutex
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-time.After(delay):
		case <-done:
			return
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("proxy: %v", err)
			return
		}
		mu.Lock()
		l = ln
		mu.Unlock()
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	t.Cleanup(func() {
		close(done)
		mu.Lock()
		if l != nil {
			l.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestOpenWithWaitsForTheDatabase starts the store before its database
// listens: OpenWith retries with growing waits until the database is
// there.
func TestOpenWithWaitsForTheDatabase(t *testing.T) {
	target := storetest.Postgres(t)
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	pgAddr := u.Host
	u.Host = addr
	proxy(t, addr, pgAddr, time.Second)
	var waits []time.Duration
	var attempts []int
	start := time.Now()
	st, err := store.OpenWith(context.Background(), u.String(), store.OpenOptions{Wait: 20 * time.Second,
		Logf: func(attempt int, err error, next time.Duration) {
			attempts = append(attempts, attempt)
			waits = append(waits, next)
			if !errors.Is(err, syscall.ECONNREFUSED) && !strings.Contains(err.Error(), "refused") {
				t.Errorf("attempt %d: %v", attempt, err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	elapsed := time.Since(start)
	if elapsed < 900*time.Millisecond || elapsed > 10*time.Second {
		t.Errorf("opened after %v, want about 1 s", elapsed)
	}
	if len(attempts) < 3 {
		t.Fatalf("attempts %v", attempts)
	}
	for i, w := range waits {
		if attempts[i] != i+1 {
			t.Errorf("attempts %v", attempts)
		}
		// Waits double from 100 ms, each less a random part of up to its half.
		limit := min(100*time.Millisecond<<i, 3*time.Second)
		if w > limit || w < limit/2 {
			t.Errorf("wait %d: %v, want %v to %v", i+1, w, limit/2, limit)
		}
	}
	if _, err := st.Add(context.Background(), "c", []store.Result{res(`{}`)}, decideCount(nil)); err != nil {
		t.Fatal(err)
	}
}

// TestOpenWithGivesUp waits for a database that never comes: OpenWith
// gives up when the wait is over and says how long it tried, and stops at
// once when its context ends.
func TestOpenWithGivesUp(t *testing.T) {
	addr := "postgres://u@" + freeAddr(t) + "/db?sslmode=disable"
	n := 0
	start := time.Now()
	_, err := store.OpenWith(context.Background(), addr, store.OpenOptions{Wait: 700 * time.Millisecond,
		Logf: func(int, error, time.Duration) { n++ }})
	elapsed := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("gave up after %d attempts in ", n+1)) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("after %d waits: %v", n, err)
	}
	if n < 2 || elapsed < 700*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("%d waits in %v for a wait of 700ms", n, elapsed)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = store.OpenWith(ctx, addr, store.OpenOptions{Wait: time.Minute})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second || !strings.Contains(err.Error(), "stopped after") {
		t.Fatalf("after its context ended: %v in %v", err, time.Since(start))
	}

	// Open, and OpenWith without a wait, try once.
	for _, o := range []func() error{
		func() error { _, err := store.Open(context.Background(), addr); return err },
		func() error { _, err := store.OpenWith(context.Background(), addr, store.OpenOptions{}); return err },
	} {
		start = time.Now()
		if err := o(); err == nil || strings.Contains(err.Error(), "attempts") || time.Since(start) > time.Second {
			t.Errorf("one attempt: %v in %v", err, time.Since(start))
		}
	}

	// What waiting cannot mend fails at once.
	dir := t.TempDir()
	for _, bad := range []string{
		"postgres://u@127.0.0.1:notaport/db",
		"sqlite:" + dir + "/no/such/dir/x.db",
		"cases.db",
	} {
		start = time.Now()
		_, err := store.OpenWith(context.Background(), bad, store.OpenOptions{Wait: 10 * time.Second,
			Logf: func(int, error, time.Duration) { t.Errorf("%s: retried", bad) }})
		if err == nil || time.Since(start) > time.Second {
			t.Errorf("%s: %v after %v", bad, err, time.Since(start))
		}
	}
}

// TestTransient checks which failures to connect OpenWith waits out.
func TestTransient(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{store.ConnectError(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), true},
		{store.ConnectError(fmt.Errorf("x: %w", syscall.ECONNRESET)), true},
		{store.ConnectError(fmt.Errorf("x: %w", syscall.EHOSTUNREACH)), true},
		{store.ConnectError(fmt.Errorf("x: %w", syscall.ENETUNREACH)), true},
		{store.ConnectError(fmt.Errorf("x: %w", syscall.ETIMEDOUT)), true},
		{store.ConnectError(fmt.Errorf("dial unix /run/postgresql/.s.PGSQL.5432: %w", syscall.ENOENT)), true},
		{store.ConnectError(&net.DNSError{Err: "no such host", Name: "db", IsNotFound: true}), true},
		{store.ConnectError(fmt.Errorf("x: %w", io.ErrUnexpectedEOF)), true},
		{store.ConnectError(context.DeadlineExceeded), true},
		{store.ConnectError(timeoutError{}), true},
		{store.ConnectError(&pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}), true},
		{store.ConnectError(errors.Join(fmt.Errorf("a: %w", syscall.ECONNREFUSED), &pgconn.PgError{Code: "28P01"})), false},
		{store.ConnectError(&pgconn.PgError{Code: "28P01", Message: "password authentication failed"}), false},
		{store.ConnectError(&pgconn.PgError{Code: "3D000", Message: "database does not exist"}), false},
		{store.ConnectError(errors.New("tls: bad certificate")), false},
		{store.ConnectError(context.Canceled), false},
		{fmt.Errorf("x: %w", syscall.ECONNREFUSED), false}, // not while connecting: in a migration, say
		{nil, false},
	} {
		if got := store.Transient(c.err); got != c.want {
			t.Errorf("transient(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// TestSQLiteOpenWaitsForAWriter opens a new file while another connection
// writes it in its rollback journal, as a second service started at the
// same time does: SQLite refuses the switch to WAL with SQLITE_BUSY at once
// (a read transaction upgraded to a write never calls the busy handler), so
// Open must wait for the writer itself, and give up at the caller's
// deadline.
func TestSQLiteOpenWaitsForAWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cases.db")
	db := rawDB(t, "sqlite:"+path)
	if _, err := db.ExecContext(ctx, `CREATE TABLE other (x)`); err != nil {
		t.Fatal(err)
	}
	hold := func() *sql.Tx {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO other VALUES (1)`); err != nil {
			t.Fatal(err)
		}
		return tx
	}

	tx := hold()
	defer tx.Rollback()
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := store.Open(short, "sqlite:"+path); err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") {
		t.Fatalf("Open while a writer holds the file past the caller's deadline: %v, want SQLITE_BUSY", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 2*time.Second {
		t.Errorf("Open gave up after %v with a deadline of 300ms", d)
	}

	time.AfterFunc(200*time.Millisecond, func() { _ = tx.Rollback() })
	start = time.Now()
	st, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatalf("Open while a writer holds the file for 200ms: %v", err)
	}
	defer st.Close()
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("Open took %v while the writer held the file for 200ms", d)
	}
}
