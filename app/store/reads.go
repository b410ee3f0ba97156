package store

import (
	"context"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/uptrace/bun"
)

// FindConversationByID implements inbox.Store.
func (s *Store) FindConversationByID(ctx context.Context, id int64) (inbox.Conversation, error) {
	var row conversationRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return inbox.Conversation{}, notFound(err, "conversation")
	}
	convs := []inbox.Conversation{row.toDomain()}
	if err := withLabels(ctx, s.db, convs); err != nil {
		return inbox.Conversation{}, err
	}
	return convs[0], nil
}

// FindMessageByID implements inbox.Store.
func (s *Store) FindMessageByID(ctx context.Context, id int64) (inbox.Message, error) {
	var row messageRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return inbox.Message{}, notFound(err, "message")
	}
	return row.toDomain(), nil
}

// FindMessageByProviderUUID returns ENOTFOUND when no message has that
// MessageUUID.
func (s *Store) FindMessageByProviderUUID(ctx context.Context, uuid string) (inbox.Message, error) {
	var row messageRow
	if err := s.db.NewSelect().Model(&row).Where("provider_uuid = ?", uuid).Scan(ctx); err != nil {
		return inbox.Message{}, notFound(err, "message")
	}
	return row.toDomain(), nil
}

// EventsAfter implements inbox.Store.
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]inbox.Event, error) {
	var rows []eventRow
	err := s.db.NewSelect().Model(&rows).Where("id > ?", after).Order("id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: events after %d: %w", after, err)
	}
	events := make([]inbox.Event, len(rows))
	for i, r := range rows {
		events[i] = r.toDomain()
	}
	return events, nil
}

// ConsentHistory returns the consent events of one contact and number,
// newest first.
func (s *Store) ConsentHistory(ctx context.Context, contact, channel inbox.Number) ([]inbox.ConsentEvent, error) {
	var rows []consentEventRow
	err := s.db.NewSelect().Model(&rows).
		Where("contact_number = ? AND channel_number = ?", string(contact), string(channel)).
		Order("id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: consent history: %w", err)
	}
	out := make([]inbox.ConsentEvent, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CountMessagesByProviderUUID counts messages with a MessageUUID; tests and
// the load tool use it to prove exactly-once storage.
func (s *Store) CountMessagesByProviderUUID(ctx context.Context, uuid string) (int, error) {
	n, err := s.db.NewSelect().Model((*messageRow)(nil)).Where("provider_uuid = ?", uuid).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: count messages: %w", err)
	}
	return int(n), nil
}

// CountUnreadConversations implements inbox.Store.
func (s *Store) CountUnreadConversations(ctx context.Context, now time.Time) (int, error) {
	n, err := unreadCount(s.db, now).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: count unread: %w", err)
	}
	return int(n), nil
}

// unreadCount selects the open, awake conversations with unread messages.
// Every page's title runs it, so its WHERE must stay the predicate of the
// conversations_unread_awake index (migration 0023): the index then answers
// the count alone, however many conversations there are.
func unreadCount(db bun.IDB, now time.Time) *bun.SelectQuery {
	return db.NewSelect().Model((*conversationRow)(nil)).
		Where("c.status = 'open' AND c.unread_count > 0 AND (c.snoozed_until IS NULL OR c.snoozed_until <= ?)", now)
}
