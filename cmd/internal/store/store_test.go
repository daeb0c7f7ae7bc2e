package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
)

// backends runs the shared suite against every backend.
var backends = []struct {
	name string
	addr func(testing.TB) string
}{
	{"sqlite", storetest.SQLite},
	{"postgres", storetest.Postgres},
}

func TestStore(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				storetest.SkipWithoutPostgres(t)
			}
			suite(t, b.addr)
		})
	}
}

// TestStoreLocked runs the suite with every decision made inside the write
// transaction, the path Add falls back to under contention.
func TestStoreLocked(t *testing.T) {
	defer store.SetOptimisticTries(0)()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				storetest.SkipWithoutPostgres(t)
			}
			suite(t, b.addr)
		})
	}
}

func open(t testing.TB, addr string) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// decideCount is a DecideFunc whose body lists the payloads it saw, so that
// tests can check what the store handed to it.
func decideCount(seen *[][]string) store.DecideFunc {
	return func(caseID string, rs []store.Result) (store.Decision, error) {
		var ps []string
		for i, r := range rs {
			if r.Seq != int64(i+1) {
				return store.Decision{}, fmt.Errorf("result %d has seq %d", i, r.Seq)
			}
			ps = append(ps, string(r.Payload))
		}
		if seen != nil {
			*seen = append(*seen, ps)
		}
		body, _ := json.Marshal(map[string]any{"case_id": caseID, "payloads": ps})
		outcome := "approve"
		if len(rs) > 1 {
			outcome = "review"
		}
		return store.Decision{Outcome: outcome, Policy: store.PolicyRef{Name: "test", Version: "1", Hash: "abc"}, Body: body}, nil
	}
}

func stats(t testing.TB, st store.Store) store.Stats {
	t.Helper()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func res(payload string) store.Result {
	return store.NewResult("veriff", "", "api", []byte(payload))
}

func suite(t *testing.T, addr func(testing.TB) string) {
	ctx := context.Background()

	t.Run("migrations", func(t *testing.T) {
		a := addr(t)
		st := open(t, a)
		v, err := store.SchemaVersion(ctx, st)
		if err != nil || v != 1 {
			t.Fatalf("schema version %d, %v; want 1", v, err)
		}
		if err := st.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		st.Close()
		st = open(t, a) // a second start applies nothing and keeps the data
		if v, _ := store.SchemaVersion(ctx, st); v != 1 {
			t.Fatalf("schema version after reopen %d", v)
		}
		st.Close()
		setSchemaVersion(t, a, 99)
		_, err = store.Open(ctx, a)
		if err == nil || !strings.Contains(err.Error(), "version 99, newer than") || strings.Count(err.Error(), "store ") != 1 {
			t.Fatalf("opening a newer schema: %v", err)
		}
	})

	t.Run("add accumulate dedupe", func(t *testing.T) {
		st := open(t, addr(t))
		var seen [][]string
		out, err := st.Add(ctx, "case-1", []store.Result{res(`{"a":1}`)}, decideCount(&seen))
		if err != nil {
			t.Fatal(err)
		}
		if out.Added != 1 || out.Duplicates != 0 || !out.New || out.Decision.Seq != 1 || out.Decision.Results != 1 ||
			out.Decision.Trigger != "result" || out.Decision.Outcome != "approve" {
			t.Fatalf("first add: %+v %+v", out, out.Decision)
		}
		// The same delivery again changes nothing and reports the current decision.
		out, err = st.Add(ctx, "case-1", []store.Result{res(`{"a":1}`)}, decideCount(&seen))
		if err != nil {
			t.Fatal(err)
		}
		if out.Added != 0 || out.Duplicates != 1 || out.New || out.Decision == nil || out.Decision.Seq != 1 {
			t.Fatalf("repeated add: %+v", out)
		}
		if got := stats(t, st); got != (store.Stats{Cases: 1, Results: 1, Decisions: 1}) {
			t.Fatalf("stats after duplicate: %+v", got)
		}
		// A new result re-decides over both, in arrival order.
		out, err = st.Add(ctx, "case-1", []store.Result{res(`{"b":2}`)}, decideCount(&seen))
		if err != nil {
			t.Fatal(err)
		}
		if out.Added != 1 || out.Decision.Seq != 2 || out.Decision.Results != 2 || out.Decision.Outcome != "review" {
			t.Fatalf("second result: %+v %+v", out, out.Decision)
		}
		if len(seen) != 2 || strings.Join(seen[1], " ") != `{"a":1} {"b":2}` {
			t.Fatalf("decide saw %q", seen)
		}
		// Same payload, another provider or kind: not a duplicate.
		r := store.NewResult("jaak", "ofac", "api", []byte(`{"a":1}`))
		if out, err = st.Add(ctx, "case-1", []store.Result{r}, decideCount(nil)); err != nil || out.Added != 1 {
			t.Fatalf("other provider: %+v %v", out, err)
		}
		// Duplicates inside one batch: one stored, one recognised.
		out, err = st.Add(ctx, "case-2", []store.Result{res(`{"c":3}`), res(`{"c":3}`), res(`{"d":4}`)}, decideCount(nil))
		if err != nil || out.Added != 2 || out.Duplicates != 1 || out.Decision.Seq != 1 || out.Decision.Results != 2 {
			t.Fatalf("batch: %+v %v", out, err)
		}
		// The same payload in another case is that case's own result.
		if out, err = st.Add(ctx, "case-3", []store.Result{res(`{"a":1}`)}, decideCount(nil)); err != nil || out.Added != 1 {
			t.Fatalf("other case: %+v %v", out, err)
		}
		if got := stats(t, st); got != (store.Stats{Cases: 3, Results: 6, Decisions: 5}) {
			t.Fatalf("stats: %+v", got)
		}
	})

	t.Run("dedupe key", func(t *testing.T) {
		// Results that differ only in provider, kind or payload bytes are
		// different results; the same three again are a duplicate, whatever
		// their source.
		st := open(t, addr(t))
		p := []byte(`{"name":"X","list":"ofac"}`)
		distinct := []store.Result{
			store.NewResult("jaak", "ofac", "api", p),
			store.NewResult("jaak", "pep", "api", p),
			store.NewResult("jaak", "", "api", p),
			store.NewResult("veriff", "ofac", "api", p),
			store.NewResult("jaak", "ofac", "api", []byte(`{"name":"X", "list":"ofac"}`)),
			store.NewResult("jaak", "ofac", "api", []byte(`{"name":"x","list":"ofac"}`)),
			// Fields changed after NewResult, or no key at all: Add keys
			// results by what it stores.
			changed(store.NewResult("jaak", "ofac", "api", p), func(r *store.Result) { r.Kind = "sanctions" }),
			changed(store.NewResult("jaak", "ofac", "api", p), func(r *store.Result) { r.Provider = "preventor" }),
			changed(store.NewResult("jaak", "ofac", "api", p), func(r *store.Result) { r.Payload = []byte(`{}`) }),
			{Provider: "jaak", Kind: "adverse", Source: "api", Payload: p},
		}
		out, err := st.Add(ctx, "d", distinct[:3], decideCount(nil))
		if err != nil || out.Added != 3 || out.Duplicates != 0 {
			t.Fatalf("first three: %+v %v", out, err)
		}
		out, err = st.Add(ctx, "d", distinct, decideCount(nil))
		if err != nil || out.Added != len(distinct)-3 || out.Duplicates != 3 {
			t.Fatalf("all: %+v %v, want %d added and 3 duplicates", out, err, len(distinct)-3)
		}
		again := make([]store.Result, len(distinct))
		for i, r := range distinct {
			again[i] = store.NewResult(r.Provider, r.Kind, "webhook", r.Payload)
		}
		out, err = st.Add(ctx, "d", again, decideCount(nil))
		if err != nil || out.Added != 0 || out.Duplicates != len(distinct) || out.New || out.Decision.Seq != 2 {
			t.Fatalf("again: %+v %v", out, err)
		}
		c, err := st.Case(ctx, "d")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Results) != len(distinct) {
			t.Fatalf("%d results stored, want %d", len(c.Results), len(distinct))
		}
		keys := map[string]bool{}
		for _, r := range c.Results {
			if r.DedupeKey != store.DedupeKey(r.Provider, r.Kind, r.Payload) || keys[r.DedupeKey] {
				t.Fatalf("result %d: key %s of %s/%s %s", r.Seq, r.DedupeKey, r.Provider, r.Kind, r.Payload)
			}
			keys[r.DedupeKey] = true
		}
		// A NUL byte would let one result take another's key:
		// ("jaak", "ofac\x00", "x") and ("jaak", "ofac", "\x00x").
		for _, r := range []store.Result{store.NewResult("jaak", "ofac\x00", "api", []byte(`x`)), store.NewResult("ja\x00ak", "", "api", []byte(`x`)),
			store.NewResult("\x00", "", "api", []byte(`x`)), store.NewResult("jaak", "\x00ofac", "api", []byte(`x`))} {
			if out, err := st.Add(ctx, "d", []store.Result{res(`{"fine":1}`), r}, decideCount(nil)); err == nil || !strings.Contains(err.Error(), "result 2") {
				t.Fatalf("a NUL in provider or kind: %+v %v", out, err)
			}
		}
		if got := stats(t, st); got.Results != int64(len(distinct)) {
			t.Fatalf("stats: %+v", got)
		}
	})

	t.Run("case history", func(t *testing.T) {
		st := open(t, addr(t))
		payload := []byte("{\"name\": \"Sofía\",\n \"x\": [1, 2.50]}")
		r := store.NewResult("preventor", "", "webhook", payload)
		if _, err := st.Add(ctx, "app/ü 1", []store.Result{r}, decideCount(nil)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Add(ctx, "app/ü 1", []store.Result{store.NewResult("jaak", "ofac", "api", []byte(`{}`))}, decideCount(nil)); err != nil {
			t.Fatal(err)
		}
		d, err := st.Redecide(ctx, "app/ü 1", decideCount(nil))
		if err != nil || d.Seq != 3 || d.Trigger != "redecide" || d.Results != 2 {
			t.Fatalf("redecide: %+v %v", d, err)
		}
		c, err := st.Case(ctx, "app/ü 1")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Results) != 2 || !bytes.Equal(c.Results[0].Payload, payload) || c.Results[0].Source != "webhook" ||
			c.Results[1].Kind != "ofac" || c.Results[0].DedupeKey != r.DedupeKey || c.Results[1].Seq != 2 {
			t.Fatalf("results: %+v", c.Results)
		}
		if time.Since(c.Results[0].ReceivedAt) > time.Minute || c.CreatedAt.After(c.UpdatedAt) {
			t.Fatalf("times: %v %v %v", c.Results[0].ReceivedAt, c.CreatedAt, c.UpdatedAt)
		}
		if len(c.Decisions) != 3 {
			t.Fatalf("history: %+v", c.Decisions)
		}
		for i, d := range c.Decisions {
			if d.Seq != int64(i+1) || d.Policy != (store.PolicyRef{Name: "test", Version: "1", Hash: "abc"}) || !json.Valid(d.Body) {
				t.Fatalf("decision %d: %+v", i, d)
			}
		}
		if cur := c.Current(); cur.Seq != 3 || cur.Trigger != "redecide" || cur.Outcome != "review" {
			t.Fatalf("current: %+v", cur)
		}
		if _, err := st.Case(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown case: %v", err)
		}
		if _, err := st.Redecide(ctx, "nope", decideCount(nil)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("redecide unknown case: %v", err)
		}
	})

	t.Run("decide error stores nothing", func(t *testing.T) {
		st := open(t, addr(t))
		if _, err := st.Add(ctx, "c", []store.Result{res(`{"a":1}`)}, decideCount(nil)); err != nil {
			t.Fatal(err)
		}
		before := stats(t, st)
		boom := errors.New("conflicting results")
		fail := func(string, []store.Result) (store.Decision, error) { return store.Decision{}, boom }
		if _, err := st.Add(ctx, "c", []store.Result{res(`{"b":1}`)}, fail); err != boom {
			t.Fatalf("want the decide error itself, got %v", err)
		}
		if _, err := st.Add(ctx, "new", []store.Result{res(`{"b":1}`)}, fail); err != boom {
			t.Fatalf("new case: %v", err)
		}
		if _, err := st.Redecide(ctx, "c", fail); err != boom {
			t.Fatalf("redecide: %v", err)
		}
		if after := stats(t, st); after != before {
			t.Fatalf("a failed decision changed the store: %+v → %+v", before, after)
		}
	})

	t.Run("case ids", func(t *testing.T) {
		st := open(t, addr(t))
		for _, id := range []string{"", strings.Repeat("x", store.MaxCaseIDLen+1), "a\nb", "\xff"} {
			if _, err := st.Add(ctx, id, []store.Result{res(`{}`)}, decideCount(nil)); err == nil {
				t.Errorf("case id %q accepted", id)
			}
		}
		if _, err := st.Add(ctx, strings.Repeat("x", store.MaxCaseIDLen), []store.Result{res(`{}`)}, decideCount(nil)); err != nil {
			t.Error(err)
		}
		if got := stats(t, st); got.Cases != 1 {
			t.Fatalf("stats: %+v", got)
		}
	})

	t.Run("concurrent", func(t *testing.T) {
		st := open(t, addr(t))
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					id := fmt.Sprintf("shared-%d", i%3)
					if i%2 == 1 {
						id = fmt.Sprintf("own-%d", w)
					}
					// Every worker also re-sends worker 0's payloads: duplicates race with originals.
					for _, p := range []string{fmt.Sprintf(`{"w":%d,"i":%d}`, w, i), fmt.Sprintf(`{"w":0,"i":%d}`, i)} {
						if _, err := st.Add(ctx, id, []store.Result{res(p)}, decideCount(nil)); err != nil {
							errs <- err
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		s := stats(t, st)
		if s.Results != s.Decisions {
			t.Fatalf("results %d but decisions %d: a decision was lost or doubled", s.Results, s.Decisions)
		}
		var n int64
		for rec, err := range st.Cases(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			c, err := st.Case(ctx, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range c.Decisions {
				if d.Seq != int64(i+1) || d.Results != i+1 {
					t.Fatalf("case %s decision %d: seq %d over %d results", rec.ID, i, d.Seq, d.Results)
				}
			}
			n += int64(len(c.Results))
		}
		if n != s.Results {
			t.Fatalf("cases hold %d results, stats say %d", n, s.Results)
		}
	})

	t.Run("concurrent failures", func(t *testing.T) {
		// Writers whose decision fails, mixed with writers that succeed,
		// possibly in the same group commit: only the failures are undone.
		st := open(t, addr(t))
		boom := errors.New("boom")
		var wg sync.WaitGroup
		var ok, failed sync.Map
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 20 {
					id := fmt.Sprintf("c%d", i%5)
					p := fmt.Sprintf(`{"w":%d,"i":%d}`, w, i)
					decide := decideCount(nil)
					if (w+i)%3 == 0 {
						decide = func(string, []store.Result) (store.Decision, error) { return store.Decision{}, boom }
					}
					_, err := st.Add(ctx, id, []store.Result{res(p)}, decide)
					switch {
					case err == nil:
						ok.Store(p, id)
					case errors.Is(err, boom):
						failed.Store(p, id)
					default:
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		stored := map[string]bool{}
		for rec, err := range st.Cases(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			c, err := st.Case(ctx, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range c.Results {
				stored[string(r.Payload)] = true
				if r.Seq != int64(i+1) || c.Decisions[i].Seq != int64(i+1) || c.Decisions[i].Results != i+1 {
					t.Fatalf("case %s: result %d seq %d, decision %+v", rec.ID, i, r.Seq, c.Decisions[i])
				}
			}
			if len(c.Decisions) != len(c.Results) {
				t.Fatalf("case %s: %d results, %d decisions", rec.ID, len(c.Results), len(c.Decisions))
			}
		}
		n := 0
		ok.Range(func(k, _ any) bool {
			n++
			if !stored[k.(string)] {
				t.Errorf("acknowledged %s is not stored", k)
			}
			return true
		})
		failed.Range(func(k, _ any) bool {
			if stored[k.(string)] {
				t.Errorf("failed %s is stored", k)
			}
			return true
		})
		if n == 0 || len(stored) != n {
			t.Fatalf("%d acknowledged, %d stored", n, len(stored))
		}
	})

	t.Run("closed", func(t *testing.T) {
		st, err := store.Open(ctx, addr(t))
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		if _, err := st.Add(ctx, "c", []store.Result{res(`{}`)}, decideCount(nil)); err == nil {
			t.Fatal("Add on a closed store succeeded")
		}
	})

	t.Run("cases as envelopes", func(t *testing.T) {
		st := open(t, addr(t))
		// Real provider payloads, read back through the real normalizers.
		ver := fixture(t, "veriff/mx_ine_db_verification.json")
		prev := fixture(t, "preventor/completed.json")
		jaak := fixture(t, "jaak/ofac_not_found.json")
		add := func(id string, rs ...store.Result) {
			if _, err := st.Add(ctx, id, rs, decideCount(nil)); err != nil {
				t.Fatal(err)
			}
		}
		add("b-case", store.NewResult("veriff", "", "webhook", ver))
		add("a-case", store.NewResult("preventor", "", "webhook", prev))
		add("b-case", store.NewResult("jaak", "ofac", "api", jaak))
		add("B-case", store.NewResult("preventor", "", "api", prev))
		if _, err := st.Redecide(ctx, "a-case", decideCount(nil)); err != nil {
			t.Fatal(err)
		}
		var ids []string
		f := engine.NewFacts(normalizers.Catalog())
		for rec, err := range st.Cases(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, rec.ID)
			if err := normalizers.Normalize(rec.Envelope, f, normalizers.Options{}); err != nil {
				t.Fatalf("%s: %v\n%s", rec.ID, err, rec.Envelope)
			}
			if f.CaseID != rec.ID {
				t.Fatalf("envelope case id %q, record %q", f.CaseID, rec.ID)
			}
			var cur struct {
				CaseID   string   `json:"case_id"`
				Payloads []string `json:"payloads"`
			}
			if err := json.Unmarshal(rec.Decision, &cur); err != nil || cur.CaseID != rec.ID {
				t.Fatalf("%s: current decision %s: %v", rec.ID, rec.Decision, err)
			}
			switch rec.ID {
			case "b-case":
				if strings.Join(f.Providers, ",") != "jaak,veriff" || len(cur.Payloads) != 2 {
					t.Fatalf("b-case: providers %v, decision %s", f.Providers, rec.Decision)
				}
				if !bytes.Contains(rec.Envelope, []byte(`"kind":"ofac"`)) || !bytes.Contains(rec.Envelope, ver) {
					t.Fatalf("b-case envelope lost kind or payload bytes: %.200s", rec.Envelope)
				}
			case "a-case", "B-case":
				if strings.Join(f.Providers, ",") != "preventor" {
					t.Fatalf("%s: providers %v", rec.ID, f.Providers)
				}
			}
		}
		if strings.Join(ids, " ") != "B-case a-case b-case" {
			t.Fatalf("order %v, want bytewise", ids)
		}
		// Stopping early is allowed.
		for range st.Cases(ctx) {
			break
		}
		var docs []string
		for doc, err := range store.Envelopes(ctx, st) {
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, gjsonCaseID(doc))
		}
		if strings.Join(docs, " ") != "B-case a-case b-case" {
			t.Fatalf("Envelopes: %v", docs)
		}
		// An empty store yields nothing.
		empty := open(t, addr(t))
		for rec, err := range empty.Cases(ctx) {
			t.Fatalf("empty store yielded %+v %v", rec, err)
		}
	})
}

func changed(r store.Result, f func(*store.Result)) store.Result {
	f(&r)
	return r
}

func gjsonCaseID(doc []byte) string {
	var e struct {
		CaseID string `json:"case_id"`
	}
	_ = json.Unmarshal(doc, &e)
	return e.CaseID
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fixtures.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// setSchemaVersion records a migration this code does not know, as a newer
// program would have.
func setSchemaVersion(t *testing.T, addr string, v int) {
	t.Helper()
	driver, dsn := "pgx", addr
	if path, ok := strings.CutPrefix(addr, "sqlite:"); ok {
		driver, dsn = "sqlite", path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'future', 'now')"
	if _, err := db.Exec(fmt.Sprintf(q, v)); err != nil {
		t.Fatal(err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for addr, want := range map[string]string{
		"cases.db":                        "want sqlite:PATH or postgres://",
		"mysql://u:secret@h/db":           "u:xxxxx@h",
		"sqlite:":                         "needs a file path",
		"sqlite:" + dir + "/no/such/x.db": "does not exist",
		"sqlite:" + dir + "/a?b.db":       "not supported",
	} {
		_, err := store.Open(ctx, addr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open(%q) = %v, want %q", addr, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) leaks the password: %v", addr, err)
		}
	}
	// A file that is not a database.
	bad := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(bad, bytes.Repeat([]byte("not a database "), 500), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, "sqlite:"+bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("junk file: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:pw@h:5432/db?sslmode=disable": "postgres://u:xxxxx@h:5432/db?sslmode=disable",
		"postgres://u@h/db":                         "postgres://u@h/db",
		"sqlite:/tmp/x.db":                          "sqlite:/tmp/x.db",
		"postgres://u:p@ss@h/db":                    "postgres://u:xxxxx@h/db",
	} {
		if got := store.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSQLiteSurvivesReopen checks that what Add acknowledged is in the file
// for the next process.
func TestSQLiteSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	addr := storetest.SQLite(t)
	st, err := store.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := st.Add(ctx, fmt.Sprint("c", i%4), []store.Result{res(fmt.Sprintf(`{"i":%d}`, i))}, decideCount(nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = open(t, addr)
	if got := stats(t, st); got != (store.Stats{Cases: 4, Results: 20, Decisions: 20}) {
		t.Fatalf("after reopen: %+v", got)
	}
	path := strings.TrimPrefix(addr, "sqlite:")
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v: the store holds personal data", p, fi.Mode().Perm())
		}
	}
}

// TestStoreRetry changes a case while Add is deciding it: Add must notice,
// decide again over every result, and write a decision over exactly the
// results stored with it.
func TestStoreRetry(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				storetest.SkipWithoutPostgres(t)
			}
			ctx := context.Background()
			st := open(t, b.addr(t))
			calls := 0
			var sawLast []string
			decide := func(id string, rs []store.Result) (store.Decision, error) {
				calls++
				if calls == 1 {
					// Another writer adds a result meanwhile.
					if _, err := st.Add(ctx, id, []store.Result{res(`{"other":1}`)}, decideCount(nil)); err != nil {
						t.Fatal(err)
					}
				}
				sawLast = nil
				for _, r := range rs {
					sawLast = append(sawLast, string(r.Payload))
				}
				return decideCount(nil)(id, rs)
			}
			out, err := st.Add(ctx, "c", []store.Result{res(`{"mine":1}`)}, decide)
			if err != nil {
				t.Fatal(err)
			}
			if calls != 2 || strings.Join(sawLast, " ") != `{"other":1} {"mine":1}` {
				t.Fatalf("%d calls, last saw %v", calls, sawLast)
			}
			if out.Decision.Seq != 2 || out.Decision.Results != 2 || out.Added != 1 {
				t.Fatalf("outcome %+v %+v", out, out.Decision)
			}
			c, err := st.Case(ctx, "c")
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Results) != 2 || string(c.Results[1].Payload) != `{"mine":1}` || c.Results[1].Seq != 2 || len(c.Decisions) != 2 {
				t.Fatalf("case %+v", c)
			}
		})
	}
}
