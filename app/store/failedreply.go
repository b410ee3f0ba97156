package store

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/app/inbox"
)

// MarkReplyFailed implements inbox.OutboxTx. A failure reported late for
// an older reply leaves the mark of a later one, and marks nothing once a
// later reply reached the carrier: the list shows how the last reply fared.
func (t txStore) MarkReplyFailed(ctx context.Context, conversationID, messageID int64) (bool, error) {
	later := t.db.NewSelect().Model((*messageRow)(nil)).ColumnExpr("1").
		Where("conversation_id = ? AND direction = ? AND id > ?", conversationID, inbox.DirectionOutbound, messageID).
		Where("status IN (?, ?)", inbox.StatusSent, inbox.StatusDelivered)
	res, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("failed_reply_id = ?", messageID).
		Where("id = ?", conversationID).
		Where("(failed_reply_id IS NULL OR failed_reply_id < ?)", messageID).
		Where("NOT EXISTS (?)", later).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: mark reply %d failed: %w", messageID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ClearReplyFailed implements inbox.OutboxTx.
func (t txStore) ClearReplyFailed(ctx context.Context, conversationID, messageID int64) (bool, error) {
	res, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("failed_reply_id = NULL").
		Where("id = ? AND failed_reply_id <= ?", conversationID, messageID).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: clear failed reply of %d: %w", conversationID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
