package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// nonceRow is one signature nonce of a webhook, claimed for its work.
type nonceRow struct {
	bun.BaseModel `bun:"table:webhook_nonces"`
	Nonce         string    `bun:"nonce,pk"`
	ClaimedAt     time.Time `bun:"claimed_at"`
}

// ClaimNonces records every one of nonces as used at at, all or none, and
// reports whether it did: false when any of them was claimed before (and
// not released), in which case nothing is recorded. The primary key makes
// the claim atomic across connections and instances: of two claims of one
// nonce at once, exactly one returns true. It is not idempotent: a second
// claim of the same nonces returns false.
//
// It is one statement, not a transaction: a claim that found some of its
// nonces taken deletes the ones it inserted. A claim of those at the same
// moment is refused, which is right: it is a copy of the same replay.
func (s *Store) ClaimNonces(ctx context.Context, nonces []string, at time.Time) (bool, error) {
	return claimNonces(ctx, s.db, nonces, at)
}

// ClaimNonces implements inbox.Tx: Store.ClaimNonces in the transaction
// of the work the request asks for, so that the claim and the work commit
// together, or neither does. In a shared transaction the claim was made
// for all its units at once (sharedwrites.go).
func (t txStore) ClaimNonces(ctx context.Context, nonces []string, at time.Time) (bool, error) {
	if claimed, ok := t.shared.claimed(nonces); ok {
		return claimed, nil
	}
	return claimNonces(ctx, t.db, nonces, at)
}

func claimNonces(ctx context.Context, db bun.IDB, nonces []string, at time.Time) (bool, error) {
	nonces = slices.Compact(slices.Sorted(slices.Values(nonces)))
	if len(nonces) == 0 {
		return true, nil
	}
	rows := make([]nonceRow, len(nonces))
	for i, n := range nonces {
		rows[i] = nonceRow{Nonce: n, ClaimedAt: at.UTC()}
	}
	inserted, err := insertNonces(ctx, db, rows)
	if err != nil {
		return false, err
	}
	if len(inserted) == len(nonces) {
		return true, nil
	}
	if err := releaseNonces(ctx, db, inserted); err != nil {
		return false, err
	}
	return false, nil
}

// insertNonces inserts rows and returns the nonces it stored: those not
// claimed before.
func insertNonces(ctx context.Context, db bun.IDB, rows []nonceRow) ([]string, error) {
	var inserted []string
	err := db.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Returning("nonce").Scan(ctx, &inserted)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: claim nonces: %w", err)
	}
	return inserted, nil
}

// releaseNonces forgets nonces: those a claim took before it found
// another taken (all or none). It is idempotent.
func releaseNonces(ctx context.Context, db bun.IDB, nonces []string) error {
	if len(nonces) == 0 {
		return nil
	}
	if _, err := db.NewDelete().Table("webhook_nonces").Where("nonce IN (?)", bun.List(nonces)).Exec(ctx); err != nil {
		return fmt.Errorf("store: release nonces: %w", err)
	}
	return nil
}

// DeleteNoncesBefore forgets the nonces claimed before t, in batches, and
// returns how many it removed. It is idempotent.
func (s *Store) DeleteNoncesBefore(ctx context.Context, t time.Time) (int64, error) {
	var total int64
	for {
		old := s.db.NewSelect().Table("webhook_nonces").Column("nonce").
			Where("claimed_at < ?", t.UTC()).Limit(trimBatch)
		res, err := s.db.NewDelete().Table("webhook_nonces").Where("nonce IN (?)", old).Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("store: delete nonces before %s: %w", t.Format(time.RFC3339), err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("store: delete nonces: %w", err)
		}
		total += n
		if n < trimBatch {
			return total, nil
		}
	}
}

// MarkSignatureVersion records that the account has sent a valid webhook
// signed with version, first at at. It is idempotent: the first time
// stays.
func (s *Store) MarkSignatureVersion(ctx context.Context, version int, at time.Time) error {
	_, err := s.db.NewRaw("INSERT INTO signature_versions (version, first_seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
		version, at.UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: mark signature version: %w", err)
	}
	return nil
}

// SignatureVersionSeen reports whether MarkSignatureVersion recorded
// version.
func (s *Store) SignatureVersionSeen(ctx context.Context, version int) (bool, error) {
	n, err := s.db.NewSelect().Table("signature_versions").Where("version = ?", version).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("store: signature version seen: %w", err)
	}
	return n > 0, nil
}
