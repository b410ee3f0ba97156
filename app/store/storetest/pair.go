package storetest

import (
	"net/url"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/testenv"
)

// EachDBPair is EachDB with two stores over one database, as two
// instances of Parley have: two connections to one SQLite file, and two
// pools on one PostgreSQL schema.
func EachDBPair(t *testing.T, body func(t *testing.T, a, b *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "parley.db")
		body(t, mustOpen(t, path), mustOpen(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		a := MustOpenPostgres(t, testenv.URL(t, testenv.Postgres))
		var schema string
		if err := a.DB().QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(testenv.URL(t, testenv.Postgres))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		body(t, a, mustOpen(t, u.String()))
	})
}
