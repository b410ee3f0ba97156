// Package storetest opens real databases for tests: a fresh, migrated
// SQLite file always, and PostgreSQL in a schema of its own when
// PARLEY_TEST_POSTGRES_URL is set; and it saves the few values most
// store-backed tests start from. It is imported only by tests: those of
// app/store, which test the store's queries, and those of app/usecases,
// which drive inbox.Service over the store.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/testenv"
)

// The numbers and the time most store-backed tests start from.
const (
	Contact = "+14155550100"
	Channel = "+14155550199"
)

// T0 is the clock's start in store-backed tests.
var T0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// EachDB runs body against a fresh, migrated SQLite database always, and
// against PostgreSQL in a schema of its own when PARLEY_TEST_POSTGRES_URL is
// set. A set but unreachable URL fails the test: CI must never skip it.
func EachDB(t *testing.T, body func(t *testing.T, s *store.Store)) {
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

// NewService is a Service over s whose clock stands at T0 and whose
// publisher records what it is given.
func NewService(s *store.Store) (*inbox.Service, *inboxtest.Publisher) {
	pub := &inboxtest.Publisher{}
	return inbox.NewService(inbox.Options{Store: s, Users: s, Tokens: s, Publisher: pub, Clock: inboxtest.NewClock(T0)}), pub
}

// MustSaveUser stores a user with the given email and role.
func MustSaveUser(tb testing.TB, s *store.Store, email string, role inbox.Role) inbox.User {
	tb.Helper()
	u := inbox.User{Email: email, Name: email, Role: role, CreatedAt: T0}
	if err := s.SaveUser(context.Background(), &u); err != nil {
		tb.Fatalf("save user %s: %v", email, err)
	}
	return u
}

// MustReceive takes in as Plivo's webhook would hand it over.
func MustReceive(tb testing.TB, svc *inbox.Service, in inbox.Inbound) inbox.Receipt {
	tb.Helper()
	r, err := svc.Receive(context.Background(), in)
	if err != nil {
		tb.Fatalf("Receive(%q): %v", in.Text, err)
	}
	return r
}

// SeedConversations receives one text from each of len(texts) contacts to
// Channel, a minute apart, so the newest is the last.
func SeedConversations(tb testing.TB, svc *inbox.Service, clock *inboxtest.Clock, texts ...string) []inbox.Conversation {
	tb.Helper()
	var out []inbox.Conversation
	for i, text := range texts {
		contact := fmt.Sprintf("+1415555%04d", 1000+i)
		r := MustReceive(tb, svc, inboxtest.Inbound(fmt.Sprintf("seed-%d", i), contact, Channel, text))
		out = append(out, r.Conversation)
		clock.Advance(time.Minute)
	}
	return out
}
