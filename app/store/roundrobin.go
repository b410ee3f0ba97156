package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// SetAvailable implements inbox.Users.
func (s *Store) SetAvailable(ctx context.Context, id int64, available bool) error {
	res, err := s.db.NewUpdate().Model((*userRow)(nil)).Set("available = ?", available).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: set available: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "user not found"}
	}
	return nil
}

// TakeNextAvailable implements inbox.Tx: one UPDATE … RETURNING picks and
// stamps the next person.
func (t txStore) TakeNextAvailable(ctx context.Context, at time.Time) (int64, error) {
	var id int64
	err := t.db.NewRaw(`UPDATE users SET last_assigned_at = ? WHERE id = (
    SELECT id FROM users WHERE available ORDER BY last_assigned_at IS NOT NULL, last_assigned_at, id LIMIT 1
) RETURNING id`, at).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: take next available: %w", err)
	}
	return id, nil
}
