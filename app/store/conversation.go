package store

import (
	"context"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// LockConversation implements inbox.Tx. PostgreSQL locks the row; SQLite's
// immediate transactions already hold the database's write lock.
func (t txStore) LockConversation(ctx context.Context, id int64) (inbox.Conversation, error) {
	var row conversationRow
	q := t.db.NewSelect().Model(&row).Where("c.id = ?", id)
	if t.db.Dialect().Name().String() == "pg" {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return inbox.Conversation{}, notFound(err, "conversation")
	}
	t.terms[row.ID] = row.SearchTerms
	return row.toDomain(), nil
}

// FindOrCreateConversation implements inbox.Tx.
func (t txStore) FindOrCreateConversation(ctx context.Context, contact, channel inbox.Number, at time.Time) (inbox.Conversation, error) {
	row := &conversationRow{
		ContactNumber: string(contact), ChannelNumber: string(channel), Status: string(inbox.ConversationOpen),
		LastMessageAt: at, CreatedAt: at, UpdatedAt: at,
	}
	_, err := t.db.NewInsert().Model(row).ExcludeColumn("id", "opted_out_at", "assignee_id").
		On("CONFLICT (contact_number, channel_number) DO NOTHING").Exec(ctx)
	if err != nil {
		return inbox.Conversation{}, fmt.Errorf("store: create conversation: %w", err)
	}
	var found conversationRow
	err = t.db.NewSelect().Model(&found).
		Where("c.contact_number = ? AND c.channel_number = ?", string(contact), string(channel)).Scan(ctx)
	if err != nil {
		return inbox.Conversation{}, fmt.Errorf("store: find conversation: %w", err)
	}
	return found.toDomain(), nil
}

// MarkRead implements inbox.Tx.
func (t txStore) MarkRead(ctx context.Context, id int64, at time.Time) error {
	_, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("unread_count = 0").Set("updated_at = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: mark read: %w", err)
	}
	return nil
}

// SetConversationStatus implements inbox.Tx. A new status ends any
// snooze.
func (t txStore) SetConversationStatus(ctx context.Context, id int64, status inbox.ConversationStatus, at time.Time) error {
	_, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("status = ?", string(status)).Set("snoozed_until = NULL").Set("updated_at = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: set status: %w", err)
	}
	return nil
}

// SetAssignee implements inbox.Tx.
func (t txStore) SetAssignee(ctx context.Context, id, userID int64, at time.Time) error {
	q := t.db.NewUpdate().Model((*conversationRow)(nil)).Set("updated_at = ?", at).Where("id = ?", id)
	if userID == 0 {
		q = q.Set("assignee_id = NULL")
	} else {
		q = q.Set("assignee_id = ?", userID)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("store: set assignee: %w", err)
	}
	return nil
}
