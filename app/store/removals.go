package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type removalRow struct {
	bun.BaseModel `bun:"table:removed_users"`

	Email     string    `bun:"email,pk"`
	RemovedAt time.Time `bun:"removed_at"`
	RemovedBy string    `bun:"removed_by"`
}

// FindRemoval implements inbox.Users.
func (s *Store) FindRemoval(ctx context.Context, email string) (inbox.Removal, error) {
	var row removalRow
	if err := s.db.NewSelect().Model(&row).Where("email = ?", email).Scan(ctx); err != nil {
		return inbox.Removal{}, notFound(err, "removal")
	}
	return inbox.Removal{Email: row.Email, RemovedAt: row.RemovedAt.UTC(), RemovedBy: row.RemovedBy}, nil
}

// ClearRemoval implements inbox.Users.
func (s *Store) ClearRemoval(ctx context.Context, email string) error {
	if _, err := s.db.NewDelete().Model((*removalRow)(nil)).Where("email = ?", email).Exec(ctx); err != nil {
		return fmt.Errorf("store: clear removal: %w", err)
	}
	return nil
}
