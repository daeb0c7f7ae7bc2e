package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
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
	if err := checkSQLiteDurable(ctx, w); err != nil {
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
