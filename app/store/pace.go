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

// TakeSendSlot implements inbox.OutboxTx. The slot is taken by one
// conditional UPDATE: on PostgreSQL a second transaction updating the same
// row waits for the first to commit and then finds the condition false; on
// SQLite transactions write one at a time.
func (t txStore) TakeSendSlot(ctx context.Context, number inbox.Number, now, next time.Time) (bool, error) {
	_, err := t.db.NewInsert().Model(&sendPaceRow{Number: string(number), NextSendAt: now}).
		On("CONFLICT (number) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: pace %s: %w", number, err)
	}
	res, err := t.db.NewUpdate().Model((*sendPaceRow)(nil)).
		Set("next_send_at = ?", next).
		Where("number = ?", string(number)).
		Where("next_send_at <= ?", now).
		Where("NOT EXISTS (SELECT 1 FROM send_pace a WHERE a.number = ? AND a.paused_until > ?)", accountPace, now).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: take send slot of %s: %w", number, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
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
