package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// The SQLite file is opened twice: one connection writes, in IMMEDIATE
// transactions so that a writer never has to upgrade its lock; a small pool
// reads, which in WAL mode never waits for the writer. synchronous=FULL
// makes every commit reach the disk before Add returns.
const (
	sqliteWrite = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)&_txlock=immediate&_time_format=sqlite"
	sqliteRead    = "?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_time_format=sqlite"
	sqliteReaders = 4
)

// sqliteWriteOptions are the options of the write connection; tests
// change them to see the store refuse settings that lose data.
var sqliteWriteOptions = sqliteWrite

var sqliteDialect = dialect{
	name:         "sqlite",
	placeholders: func(q string) string { return q },
	migrations: []migration{{1, "cases, results and decisions", []string{
		`CREATE TABLE cases (
			case_id    TEXT PRIMARY KEY,
			created_at TIMESTAMP NOT NULL,
			updated_at TIMESTAMP NOT NULL,
			results    INTEGER NOT NULL,
			decisions  INTEGER NOT NULL)`,
		`CREATE TABLE results (
			id          INTEGER PRIMARY KEY,
			case_id     TEXT NOT NULL REFERENCES cases (case_id),
			seq         INTEGER NOT NULL,
			provider    TEXT NOT NULL,
			kind        TEXT NOT NULL,
			source      TEXT NOT NULL,
			dedupe_key  TEXT NOT NULL,
			payload     BLOB NOT NULL,
			received_at TIMESTAMP NOT NULL,
			UNIQUE (case_id, seq),
			UNIQUE (case_id, dedupe_key))`,
		`CREATE TABLE decisions (
			id             INTEGER PRIMARY KEY,
			case_id        TEXT NOT NULL REFERENCES cases (case_id),
			seq            INTEGER NOT NULL,
			outcome        TEXT NOT NULL,
			policy_name    TEXT NOT NULL,
			policy_version TEXT NOT NULL,
			policy_hash    TEXT NOT NULL,
			decided_at     TIMESTAMP NOT NULL,
			cause          TEXT NOT NULL,
			results        INTEGER NOT NULL,
			body           BLOB NOT NULL,
			UNIQUE (case_id, seq))`,
		`CREATE INDEX decisions_decided_at ON decisions (decided_at)`,
	}}},
}

func openSQLite(ctx context.Context, path string) (Store, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store sqlite:%s: a path with ? or # is not supported", path)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("store sqlite:%s: directory %s does not exist", path, filepath.Dir(path))
	}
	// The file holds personal data: only its owner may read it. SQLite
	// gives its -wal and -shm files the mode of the database file.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store sqlite:%s: %w", path, err)
	}
	_ = f.Close()
	w, err := sql.Open("sqlite", "file:"+path+sqliteWriteOptions)
	if err != nil {
		return nil, fmt.Errorf("store sqlite:%s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := firstSQLiteConn(ctx, w); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store sqlite:%s: %w", path, err)
	}
	s := newSQLStore(sqliteDialect, w, nil)
	if err := s.migrate(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store sqlite:%s: %w", path, unwrapStore(err))
	}
	r, err := sql.Open("sqlite", "file:"+path+sqliteRead)
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store sqlite:%s: %w", path, err)
	}
	r.SetMaxOpenConns(sqliteReaders)
	r.SetMaxIdleConns(sqliteReaders)
	s.r = r
	if err := s.prepare(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("store sqlite:%s: %w", path, err)
	}
	s.batch = newBatcher(w, s.wp)
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteSetupWait bounds how long Open waits for the first connection while
// other processes open the same new file: SQLite answers PRAGMA
// journal_mode=WAL with SQLITE_BUSY at once, without the busy handler,
// while another connection holds the file, so busy_timeout does not cover it.
const sqliteSetupWait = 10 * time.Second

// firstSQLiteConn makes the write connection, retrying while it is busy
// (for at most sqliteSetupWait), and checks its durability settings.
func firstSQLiteConn(ctx context.Context, w *sql.DB) error {
	start := time.Now()
	pause := time.Millisecond
	for {
		err := checkSQLiteDurable(ctx, w)
		var e *sqlite.Error
		if err == nil || !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_BUSY {
			return err
		}
		if time.Since(start)+pause > sqliteSetupWait || !sleep(ctx, pause) {
			return fmt.Errorf("another connection kept the file locked for %v: %w", time.Since(start).Round(time.Millisecond), err)
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// sleep waits for d and reports whether ctx let it.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// checkSQLiteDurable reads back the settings of the write connection and
// refuses those under which a commit that Add acknowledged could be lost:
// a journal other than the WAL (which the group commit and the readers
// rely on), or synchronous below FULL, with which a WAL commit is not
// synced to disk before it returns.
func checkSQLiteDurable(ctx context.Context, w *sql.DB) error {
	var mode string
	var sync int
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if err := w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return errNotDurable{"journal_mode", mode, "wal"}
	}
	if sync < 2 {
		return errNotDurable{"synchronous", fmt.Sprintf("%d (%s)", sync, []string{"OFF", "NORMAL"}[sync]), "2 (FULL) or 3 (EXTRA)"}
	}
	return nil
}

// unwrapStore drops the "store NAME: " prefix that inTx adds, for messages
// that name the store address themselves.
func unwrapStore(err error) error {
	if u := errors.Unwrap(err); u != nil && strings.HasPrefix(err.Error(), "store ") {
		return u
	}
	return err
}
