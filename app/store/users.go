package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

var _ inbox.Users = (*Store)(nil)

type userRow struct {
	bun.BaseModel `bun:"table:users"`

	ID             int64      `bun:"id,pk,autoincrement"`
	Email          string     `bun:"email"`
	Name           string     `bun:"name"`
	AvatarURL      string     `bun:"avatar_url"`
	Role           string     `bun:"role"`
	Provider       string     `bun:"provider"`
	ProviderUserID string     `bun:"provider_user_id"`
	CreatedAt      time.Time  `bun:"created_at"`
	LastSeenAt     *time.Time `bun:"last_seen_at"`
	Available      bool       `bun:"available"`
}

func (r userRow) toDomain() inbox.User {
	u := inbox.User{
		ID: r.ID, Email: r.Email, Name: r.Name, AvatarURL: r.AvatarURL, Role: inbox.Role(r.Role), Available: r.Available,
		Provider: r.Provider, ProviderUserID: r.ProviderUserID, CreatedAt: r.CreatedAt.UTC(),
	}
	if r.LastSeenAt != nil {
		t := r.LastSeenAt.UTC()
		u.LastSeenAt = &t
	}
	return u
}

// FindUserByEmail implements inbox.Users.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (inbox.User, error) {
	var row userRow
	if err := s.db.NewSelect().Model(&row).Where("email = ?", email).Scan(ctx); err != nil {
		return inbox.User{}, notFound(err, "user")
	}
	return row.toDomain(), nil
}

// FindUserByID implements inbox.Users.
func (s *Store) FindUserByID(ctx context.Context, id int64) (inbox.User, error) {
	var row userRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return inbox.User{}, notFound(err, "user")
	}
	return row.toDomain(), nil
}

// SaveUser implements inbox.Users.
func (s *Store) SaveUser(ctx context.Context, u *inbox.User) error {
	row := &userRow{
		ID: u.ID, Email: u.Email, Name: u.Name, AvatarURL: u.AvatarURL, Role: string(u.Role),
		Provider: u.Provider, ProviderUserID: u.ProviderUserID, CreatedAt: u.CreatedAt, LastSeenAt: u.LastSeenAt,
		Available: u.Available,
	}
	if u.ID == 0 {
		if _, err := s.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store: insert user: %w", err)
		}
		u.ID = row.ID
		return nil
	}
	res, err := s.db.NewUpdate().Model(row).WherePK().ExcludeColumn("id", "created_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "user not found"}
	}
	return nil
}

// ListUsers implements inbox.Users.
func (s *Store) ListUsers(ctx context.Context) ([]inbox.User, error) {
	var rows []userRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("role = 'admin' DESC, email").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	out := make([]inbox.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// DeleteUser implements inbox.Users. Sessions go with the user (ON DELETE
// CASCADE); conversations and messages keep their history with the user
// reference cleared. The tombstone is written in the same transaction, so
// a removal never happens without it.
func (s *Store) DeleteUser(ctx context.Context, id int64, r inbox.Removal) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*userRow)(nil)).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: delete user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &inbox.Error{Code: inbox.ENOTFOUND, Message: "user not found"}
		}
		row := &removalRow{Email: r.Email, RemovedAt: r.RemovedAt, RemovedBy: r.RemovedBy}
		if _, err := tx.NewInsert().Model(row).
			On("CONFLICT (email) DO UPDATE").
			Set("removed_at = EXCLUDED.removed_at").
			Set("removed_by = EXCLUDED.removed_by").
			Exec(ctx); err != nil {
			return fmt.Errorf("store: record removal: %w", err)
		}
		return nil
	})
}

// RecordSignIn implements inbox.Users.
func (s *Store) RecordSignIn(ctx context.Context, u *inbox.User, promote bool) error {
	var role string
	err := s.db.NewUpdate().Model((*userRow)(nil)).
		Set("name = ?", u.Name).
		Set("avatar_url = ?", u.AvatarURL).
		Set("provider = ?", u.Provider).
		Set("provider_user_id = ?", u.ProviderUserID).
		Set("last_seen_at = ?", u.LastSeenAt).
		Set("role = CASE WHEN ? THEN 'admin' ELSE role END", promote).
		Where("id = ?", u.ID).
		Returning("role").
		Scan(ctx, &role)
	if err != nil {
		return notFound(err, "user")
	}
	u.Role = inbox.Role(role)
	return nil
}
