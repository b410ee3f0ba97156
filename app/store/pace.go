package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

// accountPace names the send_pace row that holds a pause of the whole
// account; no sending number (E.164, short code, letters and digits) can
// be "*".
const accountPace = "*"

type sendPaceRow struct {
	bun.BaseModel `bun:"table:send_pace"`

	Number      string     `bun:"number,pk"`
	NextSendAt  time.Time  `bun:"next_send_at"`
	PausedUntil *time.Time `bun:"paused_until"`
}

// LockSendPace implements inbox.OutboxTx; now is unused, the first time
// being the epoch. On PostgreSQL the row is held
// FOR UPDATE, so a second claim of the same number waits and then reads
// the time the first set; SQLite transactions write one at a time.
func (t txStore) LockSendPace(ctx context.Context, number inbox.Number, _ time.Time) (time.Time, error) {
	// A number new to pacing may have sent since long ago: its whole
	// burst is there to use.
	_, err := t.db.NewInsert().Model(&sendPaceRow{Number: string(number), NextSendAt: time.Unix(0, 0).UTC()}).
		On("CONFLICT (number) DO NOTHING").Exec(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: pace %s: %w", number, err)
	}
	var row sendPaceRow
	q := t.db.NewSelect().Model(&row).Where("number = ?", string(number))
	if t.postgres() {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return time.Time{}, fmt.Errorf("store: lock pace of %s: %w", number, err)
	}
	return row.NextSendAt.UTC(), nil
}

// SetSendPace implements inbox.OutboxTx.
func (t txStore) SetSendPace(ctx context.Context, number inbox.Number, next time.Time) error {
	_, err := t.db.NewUpdate().Model((*sendPaceRow)(nil)).Set("next_send_at = ?", next).
		Where("number = ?", string(number)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: set pace of %s: %w", number, err)
	}
	return nil
}

// PauseSending implements inbox.OutboxTx.
func (t txStore) PauseSending(ctx context.Context, until time.Time) error {
	row := &sendPaceRow{Number: accountPace, NextSendAt: until, PausedUntil: &until}
	_, err := t.db.NewInsert().Model(row).
		On("CONFLICT (number) DO UPDATE").
		Set("paused_until = EXCLUDED.paused_until").
		Where("?TableAlias.paused_until IS NULL OR ?TableAlias.paused_until < EXCLUDED.paused_until").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: pause sending: %w", err)
	}
	return nil
}

// UnconfirmedMessages implements inbox.OutboxTx.
func (t txStore) UnconfirmedMessages(ctx context.Context, limit int) ([]inbox.Message, error) {
	var rows []messageRow
	err := t.db.NewSelect().Model(&rows).
		Where("status = ?", string(inbox.StatusFailed)).
		Where("error_code = ?", inbox.ErrorCodeUnconfirmed).
		Where("reconcile <> ?", inbox.ReconcilePerson).
		Where("retried_as IS NULL").
		OrderExpr("updated_at, id").
		Limit(int64(limit)).
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: unconfirmed messages: %w", err)
	}
	return messagesToDomain(rows), nil
}

// NextSendSlot implements inbox.OutboxTx.
func (t txStore) NextSendSlot(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var next []sendPaceRow
	err := t.db.NewRaw(`SELECT p.number, p.next_send_at, p.paused_until FROM send_pace p
WHERE p.next_send_at > ? AND EXISTS (SELECT 1 FROM messages m
    WHERE m.from_number = p.number AND m.status = ? AND m.via = ? AND m.next_attempt_at <= ?)
ORDER BY p.next_send_at LIMIT 1`, now, string(inbox.StatusQueued), inbox.ViaAPI, now).Scan(ctx, &next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next send slot: %w", err)
	}
	var paused []sendPaceRow
	err = t.db.NewSelect().Model(&paused).
		Where("number = ? AND paused_until > ?", accountPace, now).
		Scan(ctx)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: send pause: %w", err)
	}
	if len(paused) == 1 {
		// Nothing is sent before the pause ends.
		return paused[0].PausedUntil.UTC(), true, nil
	}
	if len(next) == 1 {
		return next[0].NextSendAt.UTC(), true, nil
	}
	return time.Time{}, false, nil
}
