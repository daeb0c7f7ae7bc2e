package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
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

func openPostgres(ctx context.Context, dsn string, connectTimeout time.Duration) (Store, error) {
	name := Redact(dsn)
	// ParseConfig takes a password missing from dsn from PGPASSWORD or a
	// password file (PGPASSFILE, else ~/.pgpass).
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %s", name, oneLine(err.Error()))
	}
	db := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(checkPostgresDurable))
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	pctx := ctx
	if connectTimeout > 0 {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, connectTimeout)
		defer cancel()
	}
	if err := db.PingContext(pctx); err != nil {
		_ = db.Close()
		var nd errNotDurable
		if errors.As(err, &nd) {
			return nil, fmt.Errorf("store %s: %w", name, nd)
		}
		// pgx spreads the reason of a failed connection over lines.
		return nil, &connectError{fmt.Sprintf("store %s: %s", name, oneLine(err.Error())), err}
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

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// errNotDurable reports a database setting under which a commit that the
// store acknowledged could be lost in a crash.
type errNotDurable struct{ setting, value, want string }

func (e errNotDurable) Error() string {
	return fmt.Sprintf("%s is %s: an acknowledged write could be lost in a crash; want %s", e.setting, e.value, e.want)
}

// checkPostgresDurable refuses a connection whose commits do not wait for
// the server's disk. synchronous_commit local, remote_write, on and
// remote_apply all flush the commit to the local WAL first; off does not,
// and fsync off never flushes anything.
func checkPostgresDurable(ctx context.Context, c *pgx.Conn) error {
	var sc, fsync string
	if err := c.QueryRow(ctx, `SELECT current_setting('synchronous_commit'), current_setting('fsync')`).Scan(&sc, &fsync); err != nil {
		return err
	}
	if fsync != "on" {
		return errNotDurable{"fsync", fsync, "on"}
	}
	if sc == "off" {
		return errNotDurable{"synchronous_commit", sc, "on, local, remote_write or remote_apply"}
	}
	return nil
}
