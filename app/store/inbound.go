package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// upsertConversation counts an inbound message on the conversation, creating
// it on first contact. Works on both dialects: both speak ON CONFLICT, the
// excluded pseudo-table and RETURNING. When the message's UUID is stored
// already (a duplicate delivery), the update's WHERE skips the row and
// nothing is returned, so a duplicate changes nothing and needs no
// rollback, which a transaction shared by several texts cannot afford. A
// message is stored only with its conversation, so a duplicate always
// meets the conflict.
const upsertConversation = upsertConversationInto + upsertConversationValues + upsertConversationOnConflict + `
WHERE NOT EXISTS (SELECT 1 FROM messages WHERE provider_uuid = ?)
RETURNING *`

// The parts of upsertConversation, which a shared transaction's upsert of
// several conversations reuses (sharedwrites.go).
const (
	upsertConversationInto = `
INSERT INTO conversations AS c (contact_number, channel_number, status, last_message_at,
    last_message_preview, last_message_direction, last_message_media, message_count, unread_count, created_at, updated_at)
VALUES `
	// One conversation's values: contact, channel, at, preview, media, at, at.
	upsertConversationValues     = `(?, ?, 'open', ?, ?, 'inbound', ?, 1, 1, ?, ?)`
	upsertConversationOnConflict = `
ON CONFLICT (contact_number, channel_number) DO UPDATE SET
    status = CASE WHEN c.status = 'closed' THEN 'open' ELSE c.status END,
    snoozed_until = NULL,
    last_message_at = excluded.last_message_at,
    last_message_preview = excluded.last_message_preview,
    last_message_direction = 'inbound',
    last_message_sent_by = NULL,
    last_message_media = excluded.last_message_media,
    message_count = c.message_count + 1,
    unread_count = c.unread_count + 1,
    updated_at = excluded.updated_at`
)

// UpsertInboundConversation implements inbox.Tx.
func (t txStore) UpsertInboundConversation(ctx context.Context, providerUUID string, contact, channel inbox.Number, preview string, media int, at time.Time) (inbox.Conversation, bool, error) {
	if conv, ok := t.shared.upserted(providerUUID); ok {
		return conv, true, nil
	}
	var row conversationRow
	var err error
	if t.prepared != nil {
		row, err = t.prepared.upsertConversation(ctx, providerUUID, string(contact), string(channel), preview, media, at)
	} else {
		err = t.db.NewRaw(upsertConversation, string(contact), string(channel), at, preview, media, at, at, providerUUID).Scan(ctx, &row)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return inbox.Conversation{}, false, nil
	}
	if err != nil {
		return inbox.Conversation{}, false, fmt.Errorf("store: upsert conversation: %w", err)
	}
	t.terms[row.ID] = row.SearchTerms
	return row.toDomain(), true, nil
}

// TouchConversation implements inbox.Tx.
func (t txStore) TouchConversation(ctx context.Context, id int64, last inbox.LastMessage, at time.Time) error {
	_, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("message_count = message_count + 1").
		Set("last_message_preview = ?", last.Preview).
		Set("last_message_direction = ?", string(last.Direction)).
		Set("last_message_sent_by = ?", nullID(last.SentBy)).
		Set("last_message_media = ?", last.Media).
		Set("last_message_at = ?", at).
		Set("updated_at = ?", at).
		Where("id = ?", id).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: touch conversation: %w", err)
	}
	return nil
}

// InsertMessage implements inbox.Tx. The message's new search words go to
// its conversation in the same statement on PostgreSQL (a data-modifying
// CTE), saving a round trip per text; SQLite, in process, runs a second
// statement. A duplicate MessageUUID inserts nothing, but the CTE still
// runs: Receive then rolls the text back (the upsert already skips a
// duplicate stored before; this is one stored concurrently).
func (t txStore) InsertMessage(ctx context.Context, m *inbox.Message) (bool, error) {
	if inserted, ok := t.shared.inserted(m); ok {
		return inserted, nil
	}
	inserted, err := t.insertMessage(ctx, m)
	if err != nil || !inserted {
		return inserted, err
	}
	return true, t.queueMediaCopies(ctx, m)
}

func (t txStore) insertMessage(ctx context.Context, m *inbox.Message) (bool, error) {
	terms, changed, err := t.newTerms(ctx, m)
	if err != nil {
		return false, err
	}
	row := newMessageRow(m)
	if t.prepared != nil {
		return t.insertMessagePrepared(ctx, m, row, terms, changed)
	}
	q := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id")
	if row.ProviderUUID != "" {
		q = q.On("CONFLICT (provider_uuid) DO NOTHING")
	}
	separate := changed && !t.postgres()
	if changed && !separate {
		q = q.With("new_terms", t.setTerms(m.ConversationID, terms))
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: insert message: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	m.ID = row.ID
	if changed {
		t.terms[m.ConversationID] = terms
	}
	if separate {
		if _, err := t.setTerms(m.ConversationID, terms).Exec(ctx); err != nil {
			return false, fmt.Errorf("store: update search terms: %w", err)
		}
	}
	return true, nil
}

// insertMessagePrepared is InsertMessage on SQLite's prepared statements.
func (t txStore) insertMessagePrepared(ctx context.Context, m *inbox.Message, row *messageRow, terms string, changed bool) (bool, error) {
	inserted, err := t.prepared.insertMessage(ctx, row)
	if err != nil {
		return false, fmt.Errorf("store: insert message: %w", err)
	}
	if !inserted {
		return false, nil
	}
	m.ID = row.ID
	if changed {
		t.terms[m.ConversationID] = terms
		if err := t.prepared.setTerms(ctx, m.ConversationID, terms); err != nil {
			return false, fmt.Errorf("store: update search terms: %w", err)
		}
	}
	return true, nil
}

// RecordConsent implements inbox.Tx.
func (t txStore) RecordConsent(ctx context.Context, conversationID int64, e *inbox.ConsentEvent) error {
	var optedOut *time.Time
	if e.Kind == inbox.ConsentOptOut {
		optedOut = &e.OccurredAt
	}
	_, err := t.db.NewUpdate().Model((*conversationRow)(nil)).
		Set("opted_out_at = ?", optedOut).
		Set("updated_at = ?", e.OccurredAt).
		Where("id = ?", conversationID).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: record consent: %w", err)
	}
	row := &consentEventRow{
		ContactNumber: string(e.ContactNumber), ChannelNumber: string(e.ChannelNumber),
		Kind: string(e.Kind), Keyword: e.Keyword, Source: e.Source, Reason: e.Reason, ActorID: e.ActorID,
		OccurredAt: e.OccurredAt,
	}
	if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: insert consent event: %w", err)
	}
	e.ID = row.ID
	return nil
}

// AppendEventsAtCommit implements inbox.Tx: in a shared transaction the
// events wait for the one insert before its commit.
func (t txStore) AppendEventsAtCommit(ctx context.Context, events []inbox.Event) error {
	if t.shared.deferEvents(events) {
		return nil
	}
	return t.AppendEvents(ctx, events)
}

// AppendEvents implements inbox.Tx.
func (t txStore) AppendEvents(ctx context.Context, events []inbox.Event) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]eventRow, len(events))
	for i, e := range events {
		rows[i] = eventRow{Kind: string(e.Kind), ConversationID: e.ConversationID, MessageID: e.MessageID, CreatedAt: e.CreatedAt}
	}
	if t.prepared != nil {
		for i := range rows {
			if err := t.prepared.insertEvent(ctx, &rows[i]); err != nil {
				return fmt.Errorf("store: append events: %w", err)
			}
			events[i].ID = rows[i].ID
		}
		return nil
	}
	if _, err := t.db.NewInsert().Model(&rows).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: append events: %w", err)
	}
	for i := range events {
		events[i].ID = rows[i].ID
	}
	return nil
}
