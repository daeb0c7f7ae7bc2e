package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dialect is what differs between the SQL backends.
type dialect struct {
	name string
	// placeholders rewrites the ? placeholders of a query, once, when the
	// store is opened.
	placeholders func(string) string
	// lockCase is appended to the SELECT of a case row that a transaction
	// is about to change.
	lockCase string
	// readTx is the isolation of the read transactions that must see one
	// snapshot.
	readTx *sql.TxOptions
	// migrations create and evolve the schema, in version order.
	migrations []migration
	// lockMigrations, when not empty, runs first in the migration
	// transaction so that concurrent starts migrate one at a time.
	lockMigrations string
}

// sqlStore is a Store over database/sql. w is the connection pool that
// writes (a single connection for SQLite), r the one that reads (the same
// pool for PostgreSQL).
type sqlStore struct {
	d      dialect
	w, r   *sql.DB
	q      queries
	wp, rp prepared // the queries prepared on w and on r
	batch  *batcher // group commit of the single SQLite writer; nil for PostgreSQL
}

// prepared maps a query to its statement prepared on a pool, so that the
// database parses each query once per connection, not once per use.
type prepared map[string]*sql.Stmt

// prepare prepares the queries of the write and the read paths.
func (s *sqlStore) prepare(ctx context.Context) error {
	q := s.q
	s.wp, s.rp = prepared{}, prepared{}
	for pool, queries := range map[*prepared][]string{
		&s.wp: {q.insertCase, q.lockCase, q.insertResult, q.results, q.insertDecision, q.updateCase, q.decision},
		&s.rp: {q.counts, q.results, q.decision, q.caseRow, q.decisions, q.casePage, q.resultsAfter, q.decisionsAfter},
	} {
		db := s.w
		if pool == &s.rp {
			db = s.r
		}
		for _, query := range queries {
			st, err := db.PrepareContext(ctx, query)
			if err != nil {
				return err
			}
			(*pool)[query] = st
		}
	}
	return nil
}

// ptx is a transaction that runs the queries of its pool as prepared
// statements.
type ptx struct {
	*sql.Tx
	p prepared
}

func (t ptx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st, ok := t.p[query]; ok {
		return t.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t ptx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st, ok := t.p[query]; ok {
		return t.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t ptx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := t.p[query]; ok {
		return t.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

type queries struct {
	insertCase, lockCase, counts, insertResult, results, insertDecision, updateCase,
	decision, caseRow, decisions, allResults, allCurrent, casePage, resultsAfter, decisionsAfter string
}

func newSQLStore(d dialect, w, r *sql.DB) *sqlStore {
	p := d.placeholders
	return &sqlStore{d: d, w: w, r: r, q: queries{
		insertCase: p(`INSERT INTO cases (case_id, created_at, updated_at, results, decisions) VALUES (?, ?, ?, 0, 0)
			ON CONFLICT (case_id) DO NOTHING`),
		lockCase: p(`SELECT results, decisions FROM cases WHERE case_id = ?` + d.lockCase),
		counts:   p(`SELECT results, decisions FROM cases WHERE case_id = ?`),
		insertResult: p(`INSERT INTO results (case_id, seq, provider, kind, source, dedupe_key, payload, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, dedupe_key) DO NOTHING`),
		results: p(`SELECT seq, provider, kind, source, dedupe_key, payload, received_at FROM results
			WHERE case_id = ? ORDER BY seq`),
		insertDecision: p(`INSERT INTO decisions (case_id, seq, outcome, policy_name, policy_version, policy_hash,
			decided_at, cause, results, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		updateCase: p(`UPDATE cases SET results = ?, decisions = ?, updated_at = ? WHERE case_id = ?`),
		decision: p(`SELECT seq, outcome, policy_name, policy_version, policy_hash, decided_at, cause, results, body
			FROM decisions WHERE case_id = ? AND seq = ?`),
		caseRow: p(`SELECT created_at, updated_at FROM cases WHERE case_id = ?`),
		decisions: p(`SELECT seq, outcome, policy_name, policy_version, policy_hash, decided_at, cause, results, body
			FROM decisions WHERE case_id = ? ORDER BY seq`),
		allResults: p(`SELECT case_id, provider, kind, source, payload, received_at FROM results ORDER BY case_id, seq`),
		allCurrent: p(`SELECT c.case_id, d.body FROM cases c JOIN decisions d ON d.case_id = c.case_id AND d.seq = c.decisions
			ORDER BY c.case_id`),
		casePage: p(`SELECT created_at, updated_at, results, decisions FROM cases WHERE case_id = ?`),
		resultsAfter: p(`SELECT seq, provider, kind, source, dedupe_key, payload, received_at FROM results
			WHERE case_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
		decisionsAfter: p(`SELECT seq, outcome, policy_name, policy_version, policy_hash, decided_at, cause, results, body
			FROM decisions WHERE case_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
	}}
}

// dollarPlaceholders numbers the ? placeholders of a query as $1, $2, ...
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func (s *sqlStore) Kind() string { return s.d.name }

func (s *sqlStore) Close() error {
	if s.batch != nil {
		s.batch.close()
	}
	// For PostgreSQL r is w, and closing it again does nothing.
	return errors.Join(s.w.Close(), s.r.Close())
}

func (s *sqlStore) Ping(ctx context.Context) error {
	for _, db := range []*sql.DB{s.w, s.r} {
		if err := db.PingContext(ctx); err != nil {
			return fmt.Errorf("store %s: %w", s.d.name, err)
		}
	}
	return nil
}

// errDecide marks an error of the caller's DecideFunc, to return it unwrapped.
type errDecide struct{ err error }

func (e errDecide) Error() string { return e.err.Error() }

// txFunc is the work of one write transaction.
type txFunc func(context.Context, ptx) error

// inTx runs fn in a write transaction and returns once it committed, or
// failed and changed nothing. With a batcher (SQLite), fn shares a
// transaction with other writers' work, isolated by a savepoint.
func (s *sqlStore) inTx(ctx context.Context, fn txFunc) error {
	var err error
	if s.batch != nil {
		err = s.batch.do(ctx, fn)
	} else {
		err = s.tx(ctx, fn)
	}
	var de errDecide
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return de.err
	case errors.Is(err, ErrNotFound), errors.Is(err, errClosed), errors.Is(err, errChanged):
		return err
	}
	return s.wrap(err)
}

// tx runs fn in a transaction of its own.
func (s *sqlStore) tx(ctx context.Context, fn txFunc) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(ctx, ptx{tx, s.wp}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *sqlStore) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store %s: %w", s.d.name, err)
}

// optimisticTries is how often Add and Redecide decide a case outside the
// write transaction before they fall back to deciding inside it.
var optimisticTries = 4

// errChanged reports that a case changed between reading and writing it.
var errChanged = errors.New("the case changed meanwhile")

// Add reads the case, decides it with the new results outside any write
// transaction (so that decisions of different cases run in parallel), and
// then writes results and decision in a transaction that first checks that
// the case still has the results it was decided on. When another writer
// got there first it starts over; after a few tries it decides inside the
// transaction, with the case locked.
func (s *sqlStore) Add(ctx context.Context, caseID string, results []Result, decide DecideFunc) (AddOutcome, error) {
	if err := CheckCaseID(caseID); err != nil {
		return AddOutcome{}, err
	}
	if len(results) == 0 {
		return AddOutcome{}, errors.New("store: no results to add")
	}
	// The dedupe key is always computed here, from the fields that are
	// stored: a key the caller set and a field changed after NewResult
	// would make two different results one. A NUL byte in the provider or
	// kind could make the key of one result that of another.
	results = slices.Clone(results)
	for i, r := range results {
		if strings.IndexByte(r.Provider, 0) >= 0 || strings.IndexByte(r.Kind, 0) >= 0 {
			return AddOutcome{}, fmt.Errorf("store: result %d: a NUL byte in its provider or kind", i+1)
		}
		results[i].DedupeKey = DedupeKey(r.Provider, r.Kind, r.Payload)
	}
	for range optimisticTries {
		out, err := s.addOptimistic(ctx, caseID, results, decide)
		if !errors.Is(err, errChanged) {
			return out, err
		}
	}
	return s.addLocked(ctx, caseID, results, decide)
}

// snapshot reads a case's results and the length of its history; found is
// false for a case the store does not hold.
func (s *sqlStore) snapshot(ctx context.Context, caseID string) (stored []Result, ndec int64, found bool, err error) {
	rtx, err := s.r.BeginTx(ctx, s.d.readTx)
	if err != nil {
		return nil, 0, false, err
	}
	defer func() { _ = rtx.Rollback() }()
	tx := ptx{rtx, s.rp}
	var nres int64
	err = tx.QueryRowContext(ctx, s.q.counts, caseID).Scan(&nres, &ndec)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, err
	}
	stored, err = s.loadResults(ctx, tx, caseID)
	if err == nil && int64(len(stored)) != nres {
		err = fmt.Errorf("case %q counts %d results but holds %d", caseID, nres, len(stored))
	}
	return stored, ndec, true, err
}

func (s *sqlStore) addOptimistic(ctx context.Context, caseID string, results []Result, decide DecideFunc) (AddOutcome, error) {
	stored, ndec, _, err := s.snapshot(ctx, caseID)
	if err != nil {
		return AddOutcome{}, s.wrap(err)
	}
	seen := make(map[string]bool, len(stored)+len(results))
	for _, r := range stored {
		seen[r.DedupeKey] = true
	}
	now := time.Now().UTC()
	var out AddOutcome
	var fresh []Result
	for _, r := range results {
		if seen[r.DedupeKey] {
			out.Duplicates++
			continue
		}
		seen[r.DedupeKey] = true
		r.Seq, r.ReceivedAt = int64(len(stored)+len(fresh)+1), now
		fresh = append(fresh, r)
	}
	if len(fresh) == 0 {
		if ndec > 0 {
			d, err := scanDecision(s.rp[s.q.decision].QueryRowContext(ctx, caseID, ndec))
			if err != nil {
				return AddOutcome{}, s.wrap(err)
			}
			out.Decision = &d
		}
		return out, nil
	}
	all := append(stored[:len(stored):len(stored)], fresh...)
	d, err := decided(caseID, all, ndec+1, "result", decide, now)
	if err != nil {
		return AddOutcome{}, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx ptx) error {
		if _, err := tx.ExecContext(ctx, s.q.insertCase, caseID, now, now); err != nil {
			return err
		}
		var nres, ndec2 int64
		if err := tx.QueryRowContext(ctx, s.q.lockCase, caseID).Scan(&nres, &ndec2); err != nil {
			return err
		}
		if nres != int64(len(stored)) || ndec2 != ndec {
			return errChanged
		}
		for _, r := range fresh {
			res, err := tx.ExecContext(ctx, s.q.insertResult, caseID, r.Seq, r.Provider, r.Kind, r.Source, r.DedupeKey, r.Payload, now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return cmp.Or(err, errChanged)
			}
		}
		return s.appendDecision(ctx, tx, caseID, int64(len(all)), d, now)
	})
	if err != nil {
		return AddOutcome{}, err
	}
	out.Added, out.Decision, out.New = len(fresh), &d, true
	return out, nil
}

// decided calls decide and completes its decision.
func decided(caseID string, rs []Result, seq int64, cause string, decide DecideFunc, now time.Time) (Decision, error) {
	d, err := decide(caseID, rs)
	if err != nil {
		return Decision{}, err
	}
	d.Seq, d.Trigger, d.Results = seq, cause, len(rs)
	if d.DecidedAt.IsZero() {
		d.DecidedAt = now
	}
	d.DecidedAt = d.DecidedAt.UTC()
	return d, nil
}

// appendDecision writes decision d, made over nres results, and counts it.
func (s *sqlStore) appendDecision(ctx context.Context, tx ptx, caseID string, nres int64, d Decision, now time.Time) error {
	if _, err := tx.ExecContext(ctx, s.q.insertDecision, caseID, d.Seq, d.Outcome, d.Policy.Name, d.Policy.Version,
		d.Policy.Hash, d.DecidedAt, d.Trigger, d.Results, []byte(d.Body)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.q.updateCase, nres, d.Seq, now, caseID)
	return err
}

// addLocked is Add with the case locked while it is decided.
func (s *sqlStore) addLocked(ctx context.Context, caseID string, results []Result, decide DecideFunc) (AddOutcome, error) {
	var out AddOutcome
	err := s.inTx(ctx, func(ctx context.Context, tx ptx) error {
		out = AddOutcome{}
		now := time.Now().UTC()
		if _, err := tx.ExecContext(ctx, s.q.insertCase, caseID, now, now); err != nil {
			return err
		}
		var nres, ndec int64
		if err := tx.QueryRowContext(ctx, s.q.lockCase, caseID).Scan(&nres, &ndec); err != nil {
			return err
		}
		for _, r := range results {
			res, err := tx.ExecContext(ctx, s.q.insertResult, caseID, nres+1, r.Provider, r.Kind, r.Source, r.DedupeKey, r.Payload, now)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 0 {
				out.Duplicates++
				continue
			}
			nres++
			out.Added++
		}
		if out.Added == 0 {
			if ndec > 0 {
				d, err := scanDecision(tx.QueryRowContext(ctx, s.q.decision, caseID, ndec))
				if err != nil {
					return err
				}
				out.Decision = &d
			}
			return nil
		}
		d, err := s.decideLocked(ctx, tx, caseID, ndec+1, "result", decide, now)
		if err != nil {
			return err
		}
		out.Decision, out.New = &d, true
		return nil
	})
	if err != nil {
		return AddOutcome{}, err
	}
	return out, nil
}

// Redecide decides the case outside the write transaction like Add, and
// falls back to deciding it locked.
func (s *sqlStore) Redecide(ctx context.Context, caseID string, decide DecideFunc) (Decision, error) {
	for range optimisticTries {
		stored, ndec, found, err := s.snapshot(ctx, caseID)
		switch {
		case err != nil:
			return Decision{}, s.wrap(err)
		case !found:
			return Decision{}, ErrNotFound
		}
		now := time.Now().UTC()
		d, err := decided(caseID, stored, ndec+1, "redecide", decide, now)
		if err != nil {
			return Decision{}, err
		}
		err = s.inTx(ctx, func(ctx context.Context, tx ptx) error {
			var nres, ndec2 int64
			if err := tx.QueryRowContext(ctx, s.q.lockCase, caseID).Scan(&nres, &ndec2); err != nil {
				return err
			}
			if nres != int64(len(stored)) || ndec2 != ndec {
				return errChanged
			}
			return s.appendDecision(ctx, tx, caseID, nres, d, now)
		})
		if !errors.Is(err, errChanged) {
			return d, err
		}
	}
	var d Decision
	err := s.inTx(ctx, func(ctx context.Context, tx ptx) error {
		var nres, ndec int64
		err := tx.QueryRowContext(ctx, s.q.lockCase, caseID).Scan(&nres, &ndec)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		d, err = s.decideLocked(ctx, tx, caseID, ndec+1, "redecide", decide, time.Now().UTC())
		return err
	})
	return d, err
}

// decideLocked reads the case's results inside the transaction, decides
// and appends the decision.
func (s *sqlStore) decideLocked(ctx context.Context, tx ptx, caseID string, seq int64, cause string, decide DecideFunc, now time.Time) (Decision, error) {
	stored, err := s.loadResults(ctx, tx, caseID)
	if err != nil {
		return Decision{}, err
	}
	d, err := decided(caseID, stored, seq, cause, decide, now)
	if err != nil {
		return Decision{}, errDecide{err}
	}
	return d, s.appendDecision(ctx, tx, caseID, int64(len(stored)), d, now)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *sqlStore) loadResults(ctx context.Context, q querier, caseID string) ([]Result, error) {
	rows, err := q.QueryContext(ctx, s.q.results, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Result
	for rows.Next() {
		var r Result
		if err := rows.Scan(&r.Seq, &r.Provider, &r.Kind, &r.Source, &r.DedupeKey, &r.Payload, &r.ReceivedAt); err != nil {
			return nil, err
		}
		r.ReceivedAt = r.ReceivedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanDecision(row scanner) (Decision, error) {
	var d Decision
	var body []byte
	err := row.Scan(&d.Seq, &d.Outcome, &d.Policy.Name, &d.Policy.Version, &d.Policy.Hash, &d.DecidedAt, &d.Trigger, &d.Results, &body)
	d.DecidedAt = d.DecidedAt.UTC()
	d.Body = body
	return d, err
}

func (s *sqlStore) Case(ctx context.Context, caseID string) (*Case, error) {
	rtx, err := s.r.BeginTx(ctx, s.d.readTx)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer func() { _ = rtx.Rollback() }()
	tx := ptx{rtx, s.rp}
	c := &Case{ID: caseID}
	err = tx.QueryRowContext(ctx, s.q.caseRow, caseID).Scan(&c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if c.Results, err = s.loadResults(ctx, tx, caseID); err != nil {
		return nil, s.wrap(err)
	}
	rows, err := tx.QueryContext(ctx, s.q.decisions, caseID)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		c.Decisions = append(c.Decisions, d)
	}
	return c, s.wrap(rows.Err())
}

func (s *sqlStore) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	for _, c := range []struct {
		table string
		n     *int64
	}{{"cases", &st.Cases}, {"results", &st.Results}, {"decisions", &st.Decisions}} {
		if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+c.table).Scan(c.n); err != nil {
			return st, s.wrap(err)
		}
	}
	return st, nil
}

// Cases streams two queries ordered by case id, the results and the
// current decisions, and merges them case by case.
func (s *sqlStore) Cases(ctx context.Context) iter.Seq2[CaseRecord, error] {
	return func(yield func(CaseRecord, error) bool) {
		fail := func(err error) { yield(CaseRecord{}, s.wrap(err)) }
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		res, err := s.r.QueryContext(ctx, s.q.allResults)
		if err != nil {
			fail(err)
			return
		}
		defer res.Close()
		cur, err := s.r.QueryContext(ctx, s.q.allCurrent)
		if err != nil {
			fail(err)
			return
		}
		defer cur.Close()

		var (
			rec                 CaseRecord
			buf                 bytes.Buffer
			curID               string
			curBody             []byte
			curOK, curDone      bool
			id, prov, kind, src string
			payload             []byte
			at                  time.Time
		)
		// current returns the stored decision of case id, advancing the
		// decisions cursor past smaller ids.
		current := func(id string) ([]byte, error) {
			for !curDone && (!curOK || curID < id) {
				if !cur.Next() {
					curDone = true
					return nil, cur.Err()
				}
				if err := cur.Scan(&curID, &curBody); err != nil {
					return nil, err
				}
				curOK = true
			}
			if curOK && curID == id {
				return bytes.Clone(curBody), nil
			}
			return nil, nil
		}
		flush := func() bool {
			if rec.ID == "" {
				return true
			}
			buf.WriteString("]}")
			rec.Envelope = bytes.Clone(buf.Bytes())
			d, err := current(rec.ID)
			if err != nil {
				fail(err)
				return false
			}
			rec.Decision = d
			return yield(rec, nil)
		}
		for res.Next() {
			if err := res.Scan(&id, &prov, &kind, &src, &payload, &at); err != nil {
				fail(err)
				return
			}
			if id != rec.ID {
				if !flush() {
					return
				}
				rec = CaseRecord{ID: id}
				buf.Reset()
				buf.WriteString(`{"case_id":`)
				writeJSONString(&buf, id)
				buf.WriteString(`,"results":[`)
			} else {
				buf.WriteByte(',')
			}
			buf.WriteString(`{"provider":`)
			writeJSONString(&buf, prov)
			if kind != "" {
				buf.WriteString(`,"kind":`)
				writeJSONString(&buf, kind)
			}
			buf.WriteString(`,"source":`)
			writeJSONString(&buf, src)
			buf.WriteString(`,"received_at":"`)
			buf.WriteString(at.UTC().Format(time.RFC3339Nano))
			buf.WriteString(`","payload":`)
			buf.Write(payload)
			buf.WriteByte('}')
		}
		if err := res.Err(); err != nil {
			fail(err)
			return
		}
		flush()
	}
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	buf.Write(b)
}

// migration is one version of the schema.
type migration struct {
	version    int
	name       string
	statements []string
}

// migrate applies the migrations that the database lacks, each in its own
// transaction, and refuses a database whose schema is newer than this code.
func (s *sqlStore) migrate(ctx context.Context) error {
	for _, m := range s.d.migrations {
		err := s.inTx(ctx, func(ctx context.Context, tx ptx) error {
			if s.d.lockMigrations != "" {
				if _, err := tx.ExecContext(ctx, s.d.lockMigrations); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
				return err
			}
			var latest int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&latest); err != nil {
				return err
			}
			if last := s.d.migrations[len(s.d.migrations)-1].version; latest > last {
				return fmt.Errorf("the database schema is version %d, newer than the %d this program knows: use a newer veredicto", latest, last)
			}
			if latest >= m.version {
				return nil
			}
			for _, stmt := range m.statements {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
				}
			}
			_, err := tx.ExecContext(ctx, s.d.placeholders(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				m.version, m.name, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns the latest applied migration of a store opened by
// Open (0 for another Store).
func SchemaVersion(ctx context.Context, st Store) (int, error) {
	s, ok := st.(*sqlStore)
	if !ok {
		return 0, nil
	}
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, s.wrap(err)
}
