package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// postgresConns bounds the connections of one server process.
const postgresConns = 16

var postgresDialect = dialect{
	name:         "postgres",
	placeholders: dollarPlaceholders,
	lockCase:     " FOR UPDATE",
	readTx:       &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	// One key for every veredicto schema change: concurrent starts queue.
	lockMigrations: `SELECT pg_advisory_xact_lock(7301946250)`,
	// Case ids sort bytewise (COLLATE "C"), as in SQLite, so that Cases
	// walks the primary key in the same order on both.
	migrations: []migration{{1, "cases, results and decisions", []string{
		`CREATE TABLE cases (
			case_id    TEXT COLLATE "C" PRIMARY KEY,
			created_at TIMESTAMPTZ NOT NULL,
			updated_at TIMESTAMPTZ NOT NULL,
			results    BIGINT NOT NULL,
			decisions  BIGINT NOT NULL)`,
		`CREATE TABLE results (
			id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			case_id     TEXT COLLATE "C" NOT NULL REFERENCES cases (case_id),
			seq         BIGINT NOT NULL,
			provider    TEXT NOT NULL,
			kind        TEXT NOT NULL,
			source      TEXT NOT NULL,
			dedupe_key  TEXT NOT NULL,
			payload     BYTEA NOT NULL,
			received_at TIMESTAMPTZ NOT NULL,
			UNIQUE (case_id, seq),
			UNIQUE (case_id, dedupe_key))`,
		`CREATE TABLE decisions (
			id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			case_id        TEXT COLLATE "C" NOT NULL REFERENCES cases (case_id),
			seq            BIGINT NOT NULL,
			outcome        TEXT NOT NULL,
			policy_name    TEXT NOT NULL,
			policy_version TEXT NOT NULL,
			policy_hash    TEXT NOT NULL,
			decided_at     TIMESTAMPTZ NOT NULL,
			cause          TEXT NOT NULL,
			results        BIGINT NOT NULL,
			body           BYTEA NOT NULL,
			UNIQUE (case_id, seq))`,
		`CREATE INDEX decisions_decided_at ON decisions (decided_at)`,
	}}},
}

func openPostgres(ctx context.Context, dsn string) (Store, error) {
	name := Redact(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", name, err)
	}
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		// pgx spreads the reason of a failed connection over lines.
		return nil, fmt.Errorf("store %s: %s", name, strings.Join(strings.Fields(err.Error()), " "))
	}
	s := newSQLStore(postgresDialect, db, db)
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store %s: %w", name, unwrapStore(err))
	}
	if err := s.prepare(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store %s: %w", name, err)
	}
	return s, nil
}
