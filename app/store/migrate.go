package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun/migrate"

	"github.com/parleyhq/parley/migrations"
)

// migrationLockKey is the PostgreSQL advisory lock that keeps two instances
// from migrating at once ("parley" in ASCII).
const migrationLockKey = 0x7061726c6579

// Migrate applies every pending migration of the store's dialect and
// returns the names applied. On PostgreSQL it holds an advisory lock, so
// instances starting together migrate one after the other; SQLite's own
// write lock does the same for its single file.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	fsys, err := migrations.FS(s.dialect)
	if err != nil {
		return nil, err
	}
	migs := migrate.NewMigrations()
	if err := migs.Discover(fsys); err != nil {
		return nil, fmt.Errorf("store: discover migrations: %w", err)
	}
	if s.dialect == "postgres" {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
		}()
	}
	m := migrate.NewMigrator(s.db, migs, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("store: init migrations: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var names []string
	for _, mg := range group.Migrations {
		names = append(names, mg.Name)
	}
	if justAppliedSearchPeople(names) {
		if err := s.backfillSearchWords(ctx); err != nil {
			return names, err
		}
	}
	return names, nil
}
