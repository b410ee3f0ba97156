// Package store keeps Parley's data in PostgreSQL or SQLite through bun.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/parleyhq/parley/app/inbox"
)

// Store implements inbox.Store over bun.
type Store struct {
	db      *bun.DB
	dialect string

	// On SQLite, the inbound-text statements, prepared at first use
	// (Open does not migrate, so the tables may not exist before).
	prepareMu sync.Mutex
	prepared  atomic.Pointer[sqliteStatements]
}

var _ inbox.Store = (*Store)(nil)

// Options tunes the connection pool; zero values pick defaults.
type Options struct {
	MaxOpenConns int
	// QueryHook, when set, sees every statement bun runs; tests use it to
	// count the statements behind each page.
	QueryHook bun.QueryHook
}

// Open connects to the database named by dsn: postgres:// or postgresql://
// URLs select PostgreSQL (pgx); sqlite://PATH or a plain file path selects
// SQLite, creating the file and its folder. It does not migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	dialect, driverDSN, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *bun.DB
	switch dialect {
	case "postgres":
		pgcfg, err := pgx.ParseConfig(driverDSN)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		// bun writes every value into the query text itself, so each
		// statement is new to the server: preparing it (pgx's default)
		// costs a second round trip and fills the statement cache with
		// queries never run again. The simple protocol sends it in one.
		if !strings.Contains(driverDSN, "default_query_exec_mode") {
			pgcfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
		}
		sqldb := stdlib.OpenDB(*pgcfg)
		n := opts.MaxOpenConns
		if n <= 0 {
			n = 20
		}
		sqldb.SetMaxOpenConns(n)
		sqldb.SetMaxIdleConns(n)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		db = bun.NewDB(sqldb, pgdialect.New())
	case "sqlite":
		sqldb, err := sql.Open("sqlite", driverDSN)
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		// SQLite allows one writer at a time; one connection turns
		// contention into an orderly queue instead of SQLITE_BUSY errors.
		sqldb.SetMaxOpenConns(1)
		sqldb.SetMaxIdleConns(1)
		sqldb.SetConnMaxLifetime(0)
		sqldb.SetConnMaxIdleTime(0)
		db = bun.NewDB(sqldb, sqlitedialect.New())
	}
	if opts.QueryHook != nil {
		db = db.WithQueryHook(opts.QueryHook)
	}
	s := &Store{db: db, dialect: dialect}
	if err := s.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// parseDSN returns the dialect and the driver's data source name.
func parseDSN(dsn string) (dialect, driverDSN string, err error) {
	switch {
	case dsn == "":
		return "", "", errors.New("store: empty database URL")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "postgres", dsn, nil
	case strings.Contains(dsn, "://") && !strings.HasPrefix(dsn, "sqlite://"):
		return "", "", fmt.Errorf("store: unsupported database URL scheme in %q (use postgres:// or sqlite://)", RedactDSN(dsn))
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	if path == "" {
		return "", "", errors.New("store: sqlite:// needs a file path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", "", fmt.Errorf("store: create database folder: %w", err)
		}
	}
	q := url.Values{}
	// wal_autocheckpoint: SQLite checkpoints inside the commit that fills
	// the WAL, on the one connection every write waits for. At 4,000 pages
	// (16 MB of WAL) instead of 1,000, a page written by many texts is
	// copied back once per checkpoint, and the fsyncs come a quarter as
	// often: about +15% webhooks/s (BENCHMARKS.md). temp_store(MEMORY):
	// the conversation upsert needs a statement journal, which SQLite
	// otherwise opens, writes and closes as a temporary file every time.
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "wal_autocheckpoint(4000)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "sqlite", "file:" + path + "?" + q.Encode(), nil
}

// RedactDSN hides the password of a database URL so it can be printed or
// logged; a plain file path comes back as it is.
func RedactDSN(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Dialect returns "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.dialect }

// DB returns the underlying bun handle, for tests and tools.
func (s *Store) DB() *bun.DB { return s.db }

// Close closes the prepared statements and the pool.
func (s *Store) Close() error {
	return errors.Join(s.prepared.Swap(nil).close(), s.db.Close())
}

// sqliteStatements returns the prepared statements on SQLite, preparing
// them at first use, and nil on PostgreSQL. It must run outside any
// transaction: SQLite's one connection is busy inside one. When preparing
// fails (tables not migrated yet), the caller takes bun's path this time.
func (s *Store) sqliteStatements(ctx context.Context) *sqliteStatements {
	if s.dialect != "sqlite" {
		return nil
	}
	if p := s.prepared.Load(); p != nil {
		return p
	}
	s.prepareMu.Lock()
	defer s.prepareMu.Unlock()
	if p := s.prepared.Load(); p != nil {
		return p
	}
	p, err := prepareSQLite(ctx, s.db)
	if err != nil {
		return nil
	}
	s.prepared.Store(p)
	return p
}

// newTx is the inbox.Tx of one bun transaction, with the prepared
// statements when there are some.
func (s *Store) newTx(tx bun.Tx, stmts *sqliteStatements) txStore {
	t := newTxStore(tx)
	if stmts != nil {
		t.prepared = &preparedTx{stmts: stmts, tx: tx.Tx, db: s.db}
	}
	return t
}

// Ping checks that the database answers within two seconds.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", s.dialect, err)
	}
	return nil
}

// Atomically runs fn in one transaction.
func (s *Store) Atomically(ctx context.Context, fn func(context.Context, inbox.Tx) error) error {
	stmts := s.sqliteStatements(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, s.newTx(tx, stmts))
	})
}

// txStore implements inbox.Tx over any bun handle.
type txStore struct {
	db bun.IDB
	// terms caches the search words of conversations read in this
	// transaction, so indexing a message needs no extra read.
	terms map[int64]string
	// prepared is set on SQLite: the inbound-text statements run prepared.
	prepared *preparedTx
	// shared is set in a transaction shared by several units: what was
	// written for all of them at once, and the events waiting for the
	// commit.
	shared *sharedWrites
}

func newTxStore(db bun.IDB) txStore { return txStore{db: db, terms: map[int64]string{}} }

var _ inbox.Tx = txStore{}

// notFound turns sql.ErrNoRows into ENOTFOUND.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: what + " not found", Err: err}
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
