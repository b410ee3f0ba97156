package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	ID         string    `bun:"id,pk"`
	UserID     int64     `bun:"user_id"`
	CreatedAt  time.Time `bun:"created_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	User       *userRow  `bun:"rel:belongs-to,join:user_id=id"`
}

// CreateSession implements inbox.Users.
func (s *Store) CreateSession(ctx context.Context, sess inbox.Session) error {
	row := &sessionRow{ID: sess.ID, UserID: sess.UserID, CreatedAt: sess.CreatedAt, ExpiresAt: sess.ExpiresAt, LastSeenAt: sess.LastSeenAt}
	if _, err := s.db.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// FindSession implements inbox.Users with one query joining the user, so
// every authenticated request costs one round trip.
func (s *Store) FindSession(ctx context.Context, id string) (inbox.Session, inbox.User, error) {
	var row sessionRow
	err := s.db.NewSelect().Model(&row).Relation("User").Where("s.id = ?", id).Scan(ctx)
	if err != nil {
		return inbox.Session{}, inbox.User{}, notFound(err, "session")
	}
	if row.User == nil {
		return inbox.Session{}, inbox.User{}, &inbox.Error{Code: inbox.ENOTFOUND, Message: "session not found"}
	}
	sess := inbox.Session{
		ID: row.ID, UserID: row.UserID, CreatedAt: row.CreatedAt.UTC(),
		ExpiresAt: row.ExpiresAt.UTC(), LastSeenAt: row.LastSeenAt.UTC(),
	}
	return sess, row.User.toDomain(), nil
}

// TouchSession implements inbox.Users.
func (s *Store) TouchSession(ctx context.Context, id string, userID int64, at time.Time) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*sessionRow)(nil)).Set("last_seen_at = ?", at).Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("store: touch session: %w", err)
		}
		if _, err := tx.NewUpdate().Model((*userRow)(nil)).Set("last_seen_at = ?", at).Where("id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("store: touch user: %w", err)
		}
		return nil
	})
}

// DeleteSession implements inbox.Users.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}
