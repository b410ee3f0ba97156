package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

var _ inbox.APITokens = (*Store)(nil)

type apiTokenRow struct {
	bun.BaseModel `bun:"table:api_tokens,alias:t"`

	ID         int64      `bun:"id,pk,autoincrement"`
	UserID     int64      `bun:"user_id"`
	Name       string     `bun:"name"`
	Hash       string     `bun:"hash"`
	Prefix     string     `bun:"prefix"`
	Scopes     string     `bun:"scopes"`
	CreatedAt  time.Time  `bun:"created_at"`
	ExpiresAt  *time.Time `bun:"expires_at"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
	User       *userRow   `bun:"rel:belongs-to,join:user_id=id"`
}

func (r apiTokenRow) toDomain() inbox.APIToken {
	t := inbox.APIToken{
		ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, CreatedAt: r.CreatedAt.UTC(),
		ExpiresAt: utcPtr(r.ExpiresAt), LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt),
	}
	for _, s := range strings.Split(r.Scopes, " ") {
		if s != "" {
			t.Scopes = append(t.Scopes, inbox.Scope(s))
		}
	}
	return t
}

// InsertAPIToken implements inbox.APITokens.
func (s *Store) InsertAPIToken(ctx context.Context, t *inbox.APIToken, hash string) error {
	scopes := make([]string, len(t.Scopes))
	for i, sc := range t.Scopes {
		scopes[i] = string(sc)
	}
	row := &apiTokenRow{
		UserID: t.UserID, Name: t.Name, Hash: hash, Prefix: t.Prefix, Scopes: strings.Join(scopes, " "),
		CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
	}
	if _, err := s.db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: insert api token: %w", err)
	}
	t.ID = row.ID
	return nil
}

// FindAPITokenByHash implements inbox.APITokens with one query joining
// the owner, so each API request costs one round trip.
func (s *Store) FindAPITokenByHash(ctx context.Context, hash string) (inbox.APIToken, inbox.User, error) {
	var row apiTokenRow
	if err := s.db.NewSelect().Model(&row).Relation("User").Where("t.hash = ?", hash).Scan(ctx); err != nil {
		return inbox.APIToken{}, inbox.User{}, notFound(err, "api token")
	}
	if row.User == nil || row.User.ID == 0 {
		return inbox.APIToken{}, inbox.User{}, &inbox.Error{Code: inbox.ENOTFOUND, Message: "api token not found"}
	}
	return row.toDomain(), row.User.toDomain(), nil
}

// FindAPITokenByID implements inbox.APITokens.
func (s *Store) FindAPITokenByID(ctx context.Context, id int64) (inbox.APIToken, error) {
	var row apiTokenRow
	if err := s.db.NewSelect().Model(&row).Where("t.id = ?", id).Scan(ctx); err != nil {
		return inbox.APIToken{}, notFound(err, "api token")
	}
	return row.toDomain(), nil
}

// ListAPITokens implements inbox.APITokens.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]inbox.APIToken, error) {
	var rows []apiTokenRow
	sel := s.db.NewSelect().Model(&rows).OrderExpr("t.id DESC")
	if userID != 0 {
		sel = sel.Where("t.user_id = ?", userID)
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list api tokens: %w", err)
	}
	out := make([]inbox.APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// RevokeAPIToken implements inbox.APITokens.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := s.db.NewUpdate().Model((*apiTokenRow)(nil)).Set("revoked_at = ?", at).
		Where("id = ?", id).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: revoke api token: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// TouchAPIToken implements inbox.APITokens.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.db.NewUpdate().Model((*apiTokenRow)(nil)).Set("last_used_at = ?", at).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("store: touch api token: %w", err)
	}
	return nil
}

type idempotencyRow struct {
	bun.BaseModel `bun:"table:api_idempotency,alias:i"`

	TokenID     int64     `bun:"token_id,pk"`
	Key         string    `bun:"idem_key,pk"`
	RequestHash string    `bun:"request_hash"`
	Done        bool      `bun:"done"`
	Status      int       `bun:"status"`
	Body        []byte    `bun:"body"`
	CreatedAt   time.Time `bun:"created_at"`
}

func (r idempotencyRow) toDomain() inbox.IdempotentRequest {
	return inbox.IdempotentRequest{
		TokenID: r.TokenID, Key: r.Key, RequestHash: r.RequestHash, Done: r.Done,
		Status: r.Status, Body: r.Body, CreatedAt: r.CreatedAt.UTC(),
	}
}

// ClaimIdempotencyKey implements inbox.IdempotencyStore. The insert and
// its conflict are decided by the primary key, so of any number of
// concurrent claims exactly one wins, on either database.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, r inbox.IdempotentRequest, ttl time.Duration) (inbox.IdempotentRequest, bool, error) {
	// A key older than ttl is forgotten, so its token may use it anew.
	if _, err := s.db.NewDelete().Model((*idempotencyRow)(nil)).
		Where("token_id = ? AND idem_key = ? AND created_at < ?", r.TokenID, r.Key, r.CreatedAt.Add(-ttl)).Exec(ctx); err != nil {
		return inbox.IdempotentRequest{}, false, fmt.Errorf("store: expire idempotency key: %w", err)
	}
	row := &idempotencyRow{TokenID: r.TokenID, Key: r.Key, RequestHash: r.RequestHash, CreatedAt: r.CreatedAt}
	res, err := s.db.NewInsert().Model(row).On("CONFLICT (token_id, idem_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return inbox.IdempotentRequest{}, false, fmt.Errorf("store: claim idempotency key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return inbox.IdempotentRequest{}, false, fmt.Errorf("store: claim idempotency key: %w", err)
	} else if n == 1 {
		return r, true, nil
	}
	held, err := s.FindIdempotencyKey(ctx, r.TokenID, r.Key)
	return held, false, err
}

// FindIdempotencyKey implements inbox.IdempotencyStore.
func (s *Store) FindIdempotencyKey(ctx context.Context, tokenID int64, key string) (inbox.IdempotentRequest, error) {
	var row idempotencyRow
	if err := s.db.NewSelect().Model(&row).Where("token_id = ? AND idem_key = ?", tokenID, key).Scan(ctx); err != nil {
		return inbox.IdempotentRequest{}, notFound(err, "idempotency key")
	}
	return row.toDomain(), nil
}

// FinishIdempotencyKey implements inbox.IdempotencyStore.
func (s *Store) FinishIdempotencyKey(ctx context.Context, tokenID int64, key string, status int, body []byte) error {
	if _, err := s.db.NewUpdate().Model((*idempotencyRow)(nil)).
		Set("done = ?", true).Set("status = ?", status).Set("body = ?", body).
		Where("token_id = ? AND idem_key = ?", tokenID, key).Exec(ctx); err != nil {
		return fmt.Errorf("store: finish idempotency key: %w", err)
	}
	return nil
}

// DeleteIdempotencyKeysBefore removes the idempotency keys claimed before
// t (expired: a retry with one is a new request) and returns how many.
func (s *Store) DeleteIdempotencyKeysBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*idempotencyRow)(nil)).Where("created_at < ?", t).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: trim idempotency keys: %w", err)
	}
	return res.RowsAffected()
}

// ReleaseIdempotencyKey implements inbox.IdempotencyStore.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	if _, err := s.db.NewDelete().Model((*idempotencyRow)(nil)).Where("token_id = ? AND idem_key = ?", tokenID, key).Exec(ctx); err != nil {
		return fmt.Errorf("store: release idempotency key: %w", err)
	}
	return nil
}
