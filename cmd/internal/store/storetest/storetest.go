// Package storetest gives tests a fresh store address of each backend: a
// SQLite file in the test's temporary directory, and a schema of its own in
// the PostgreSQL database named by $VEREDICTO_TEST_POSTGRES, dropped when
// the test ends. Without that variable PostgreSQL tests are skipped with a
// message that says how to run them.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvPostgres names the variable that holds the DSN of a PostgreSQL
// database that tests may create schemas in.
const EnvPostgres = "VEREDICTO_TEST_POSTGRES"

// SkipMessage is why PostgreSQL tests skip when EnvPostgres is not set.
const SkipMessage = "PostgreSQL tests skipped: " + EnvPostgres + " is not set; run `source .ci/postgres.sh` " +
	"(installs and starts a throwaway PostgreSQL and exports it) or set it to a DSN such as " +
	"postgres://veredicto@127.0.0.1:55432/veredicto_test?sslmode=disable"

// SQLite returns the address of a new SQLite file for t.
func SQLite(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "cases.db")
}

// SkipWithoutPostgres skips t, once for all its subtests, when no
// PostgreSQL is configured.
func SkipWithoutPostgres(t testing.TB) {
	t.Helper()
	if os.Getenv(EnvPostgres) == "" {
		t.Skip(SkipMessage)
	}
}

// Postgres returns the address of a new, empty schema for t, or skips t
// when no PostgreSQL is configured. The schema is dropped at cleanup.
func Postgres(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		t.Skip(SkipMessage)
	}
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", EnvPostgres)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	defer db.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "vt_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("%s: cannot create a test schema: %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("dropping test schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
