package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/store"
)

// failAtCommit makes the COMMIT of every transaction that stores a result
// whose payload contains "fail" fail, after all its statements succeeded:
// in SQLite with a deferred foreign key that the trigger violates, in
// PostgreSQL with a deferred constraint trigger that raises.
var failAtCommit = map[string][]string{
	"sqlite": {
		`CREATE TABLE guard_parent (id INTEGER PRIMARY KEY)`,
		`CREATE TABLE guard (ref INTEGER REFERENCES guard_parent (id) DEFERRABLE INITIALLY DEFERRED)`,
		`CREATE TRIGGER fail_at_commit AFTER INSERT ON results WHEN CAST(NEW.payload AS TEXT) LIKE '%fail%'
			BEGIN INSERT INTO guard (ref) VALUES (-1); END`,
	},
	"postgres": {
		`CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF convert_from(NEW.payload, 'UTF8') LIKE '%fail%' THEN RAISE EXCEPTION 'refused at commit'; END IF;
				RETURN NULL;
			END $$`,
		`CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON results DEFERRABLE INITIALLY DEFERRED
			FOR EACH ROW EXECUTE FUNCTION fail_at_commit()`,
	},
}

// rawDB opens the database of a store address directly.
func rawDB(t *testing.T, addr string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", addr
	if path, ok := strings.CutPrefix(addr, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// TestCommitFails makes the database refuse the COMMIT itself: Add must
// report the failure to the caller whose work the database refused, store
// nothing of it, and go on working. On SQLite the writers queued together
// share one group commit: the others' work is stored all the same.
func TestCommitFails(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			addr := b.addr(t)
			st := open(t, addr)
			db := rawDB(t, addr)
			for _, q := range failAtCommit[b.name] {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Add(ctx, "old", []store.Result{res(`{"ok":0}`)}, decideCount(nil)); err != nil {
				t.Fatal(err)
			}
			before := stats(t, st)
			// Alone: a new case and a result to an existing one.
			for _, id := range []string{"new", "old"} {
				if out, err := st.Add(ctx, id, []store.Result{res(`{"fail":1}`)}, decideCount(nil)); err == nil {
					t.Fatalf("%s: a failed commit was acknowledged: %+v", id, out)
				}
			}
			if _, err := st.Case(ctx, "new"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("the case of a failed commit: %v", err)
			}
			if got := stats(t, st); got != before {
				t.Fatalf("a failed commit changed the store: %+v → %+v", before, got)
			}

			// Together: on SQLite an outside transaction holds the write
			// lock while the writers queue up, so that they share one
			// commit, which the refused writes make fail.
			var lock *sql.Conn
			if b.name == "sqlite" {
				var err error
				if lock, err = db.Conn(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
					t.Fatal(err)
				}
			}
			const writers = 12
			errs := make([]error, writers)
			var wg sync.WaitGroup
			for i := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := fmt.Sprintf(`{"ok":%d}`, i)
					if i%4 == 0 {
						p = fmt.Sprintf(`{"fail":%d}`, i)
					}
					_, errs[i] = st.Add(ctx, fmt.Sprint("g", i%3), []store.Result{res(p)}, decideCount(nil))
				}()
			}
			if lock != nil {
				time.Sleep(300 * time.Millisecond)
				if _, err := lock.ExecContext(ctx, "ROLLBACK"); err != nil {
					t.Fatal(err)
				}
				lock.Close()
			}
			wg.Wait()
			stored := map[string]bool{}
			for i := range 3 {
				c, err := st.Case(ctx, fmt.Sprint("g", i))
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range c.Results {
					stored[string(r.Payload)] = true
				}
				if len(c.Decisions) != len(c.Results) {
					t.Fatalf("case g%d: %d results, %d decisions", i, len(c.Results), len(c.Decisions))
				}
			}
			failed := 0
			for i, err := range errs {
				p := fmt.Sprintf(`{"ok":%d}`, i)
				if i%4 == 0 {
					p = fmt.Sprintf(`{"fail":%d}`, i)
					if err == nil {
						t.Errorf("writer %d: its failed commit was acknowledged", i)
					}
				} else if err != nil {
					t.Errorf("writer %d failed for the writes of others that the database refused: %v", i, err)
				}
				if err != nil {
					failed++
				}
				if (err == nil) != stored[p] {
					t.Errorf("writer %d: error %v, stored %v", i, err, stored[p])
				}
			}
			if failed != writers/4 {
				t.Errorf("%d of %d writers failed, want the %d refused", failed, writers, writers/4)
			}
			// The store goes on.
			if out, err := st.Add(ctx, "after", []store.Result{res(`{"ok":"after"}`)}, decideCount(nil)); err != nil || out.Added != 1 {
				t.Fatalf("after failed commits: %+v %v", out, err)
			}
			if _, err := st.Redecide(ctx, "old", decideCount(nil)); err != nil {
				t.Fatal(err)
			}
		})
	}
}
