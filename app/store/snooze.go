package store

import (
	"context"
	"fmt"
	"time"
)

// SetSnooze implements inbox.Tx.
func (t txStore) SetSnooze(ctx context.Context, id int64, until *time.Time, at time.Time) error {
	_, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("snoozed_until = ?", until).Set("updated_at = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: set snooze: %w", err)
	}
	return nil
}

// EndDueSnoozes implements inbox.Tx. One UPDATE … RETURNING clears and
// reports the same rows, so two instances never wake one conversation
// twice.
func (t txStore) EndDueSnoozes(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := t.db.NewRaw("UPDATE conversations SET snoozed_until = NULL, updated_at = ? WHERE snoozed_until IS NOT NULL AND snoozed_until <= ? RETURNING id",
		now, now).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("store: end due snoozes: %w", err)
	}
	return ids, nil
}
