package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/testenv"
)

// eachDB runs body against a fresh, migrated SQLite database always, and
// against PostgreSQL in a schema of its own when PARLEY_TEST_POSTGRES_URL is
// set. A set but unreachable URL fails the test: CI must never skip it.
func eachDB(t *testing.T, body func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		body(t, MustOpenSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		body(t, MustOpenPostgres(t, testenv.URL(t, testenv.Postgres)))
	})
}

// MustOpenSQLite opens and migrates a SQLite database in a temporary folder.
func MustOpenSQLite(tb testing.TB) *store.Store {
	tb.Helper()
	return mustOpen(tb, filepath.Join(tb.TempDir(), "parley.db"))
}

// MustOpenPostgres creates a schema of its own on the server at dsn, opens a
// store confined to it, migrates it, and drops the schema at cleanup.
func MustOpenPostgres(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	tb.Cleanup(func() { admin.Close() })
	schema := "t_" + randomHex(tb, 8)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("PARLEY_TEST_POSTGRES_URL is set but PostgreSQL refused: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("parse PARLEY_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return mustOpen(tb, u.String())
}

func mustOpen(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}
