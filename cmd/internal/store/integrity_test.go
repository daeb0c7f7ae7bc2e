package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// TestStoreIntegrity checks what the store does around its own data: a
// case whose counts disagree with its rows is refused rather than written
// to, a closed store answers nothing, and concurrent starts migrate once.
func TestStoreIntegrity(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			t.Run("counts disagree with rows", func(t *testing.T) {
				addr := b.addr(t)
				st := open(t, addr)
				if _, err := st.Add(ctx, "c", []store.Result{res(`{"a":1}`)}, decideCount(nil)); err != nil {
					t.Fatal(err)
				}
				if _, err := rawDB(t, addr).ExecContext(ctx, `UPDATE cases SET results = 5 WHERE case_id = 'c'`); err != nil {
					t.Fatal(err)
				}
				before := stats(t, st)
				if _, err := st.Add(ctx, "c", []store.Result{res(`{"b":1}`)}, decideCount(nil)); err == nil || !strings.Contains(err.Error(), `case "c" counts 5 results but holds 1`) {
					t.Fatalf("Add: %v", err)
				}
				if _, err := st.Redecide(ctx, "c", decideCount(nil)); err == nil || !strings.Contains(err.Error(), "counts 5 results but holds 1") {
					t.Fatalf("Redecide: %v", err)
				}
				if got := stats(t, st); got != before {
					t.Fatalf("stats %+v → %+v", before, got)
				}
			})
			t.Run("closed", func(t *testing.T) {
				st, err := store.Open(ctx, b.addr(t))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.Add(ctx, "c", []store.Result{res(`{}`)}, decideCount(nil)); err != nil {
					t.Fatal(err)
				}
				if err := st.Close(); err != nil {
					t.Fatal(err)
				}
				if _, err := st.Case(ctx, "c"); err == nil {
					t.Error("Case on a closed store")
				}
				if _, err := st.Stats(ctx); err == nil {
					t.Error("Stats on a closed store")
				}
				if err := st.Ping(ctx); err == nil {
					t.Error("Ping on a closed store")
				}
				for _, err := range st.Cases(ctx) {
					if err == nil {
						t.Error("Cases on a closed store")
					}
				}
			})
			t.Run("concurrent starts", func(t *testing.T) {
				addr := b.addr(t)
				var wg sync.WaitGroup
				errs := make(chan error, 6)
				for range 6 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						st, err := store.Open(ctx, addr)
						if err == nil {
							err = st.Close()
						}
						errs <- err
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					if err != nil {
						t.Error(err)
					}
				}
				var n int
				if err := rawDB(t, addr).QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != 1 {
					t.Fatalf("%d migrations recorded, %v", n, err)
				}
			})
		})
	}
}

// TestRedecideRetry changes a case while Redecide is deciding it: it must
// decide again over the results now stored; when nothing changes it
// decides once.
func TestRedecideRetry(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t, b.addr(t))
			if _, err := st.Add(ctx, "c", []store.Result{res(`{"a":1}`)}, decideCount(nil)); err != nil {
				t.Fatal(err)
			}
			calls := 0
			counting := func(id string, rs []store.Result) (store.Decision, error) {
				calls++
				return decideCount(nil)(id, rs)
			}
			if d, err := st.Redecide(ctx, "c", counting); err != nil || calls != 1 || d.Seq != 2 || d.Results != 1 {
				t.Fatalf("uncontended: %d calls, %+v %v", calls, d, err)
			}
			calls = 0
			var saw []int
			d, err := st.Redecide(ctx, "c", func(id string, rs []store.Result) (store.Decision, error) {
				calls++
				saw = append(saw, len(rs))
				if calls == 1 {
					if _, err := st.Add(ctx, id, []store.Result{res(`{"b":1}`)}, decideCount(nil)); err != nil {
						t.Fatal(err)
					}
				}
				return decideCount(nil)(id, rs)
			})
			if err != nil || calls != 2 || fmt.Sprint(saw) != "[1 2]" || d.Seq != 4 || d.Results != 2 || d.Trigger != "redecide" {
				t.Fatalf("contended: %d calls over %v results, %+v %v", calls, saw, d, err)
			}
			c, err := st.Case(ctx, "c")
			if err != nil || len(c.Decisions) != 4 || c.Current().Results != 2 {
				t.Fatalf("history: %+v %v", c, err)
			}
		})
	}
}

// TestSQLiteGroupCommit queues writers behind an outside transaction that
// holds the write lock: once it ends, they are committed together, so the
// WAL grows by about one transaction's pages, not by one transaction's
// pages per writer.
func TestSQLiteGroupCommit(t *testing.T) {
	ctx := context.Background()
	addr := storetest.SQLite(t)
	st := open(t, addr)
	if _, err := st.Add(ctx, "warm", []store.Result{res(`{}`)}, decideCount(nil)); err != nil {
		t.Fatal(err)
	}
	wal := strings.TrimPrefix(addr, "sqlite:") + "-wal"
	size := func() int64 {
		fi, err := os.Stat(wal)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	lock, err := rawDB(t, addr).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	const writers = 24
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := st.Add(ctx, fmt.Sprint("g", i), []store.Result{res(fmt.Sprintf(`{"i":%d}`, i))}, decideCount(nil))
			errs <- err
		}()
	}
	time.Sleep(300 * time.Millisecond)
	before := size()
	if _, err := lock.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := stats(t, st); got.Results != writers+1 {
		t.Fatalf("stats %+v", got)
	}
	// A frame is a 4096-byte page and a 24-byte header. One writer's
	// transaction alone changes about 8 pages; the first writer may commit
	// alone, the others together.
	frames := (size() - before) / (4096 + 24)
	t.Logf("%d writers wrote %d WAL frames", writers, frames)
	if frames > 3*8 {
		t.Errorf("%d writers wrote %d WAL frames: they did not share a commit", writers, frames)
	}
}
