package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

var (
	_ inbox.OutboxStore   = (*Store)(nil)
	_ inbox.OutboxTx      = txStore{}
	_ inbox.TimelineStore = (*Store)(nil)
)

type messageEventRow struct {
	bun.BaseModel `bun:"table:message_events"`

	ID         int64             `bun:"id,pk,autoincrement"`
	MessageID  int64             `bun:"message_id"`
	Status     string            `bun:"status"`
	ErrorCode  string            `bun:"error_code"`
	Sequence   int               `bun:"sequence"`
	OccurredAt time.Time         `bun:"occurred_at"`
	Raw        map[string]string `bun:"raw,type:jsonb"`
}

func (r messageEventRow) toDomain() inbox.MessageEvent {
	return inbox.MessageEvent{
		ID: r.ID, MessageID: r.MessageID, Status: inbox.Status(r.Status), ErrorCode: r.ErrorCode,
		Sequence: r.Sequence, OccurredAt: r.OccurredAt.UTC(), Raw: r.Raw,
	}
}

func messagesToDomain(rows []messageRow) []inbox.Message {
	out := make([]inbox.Message, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out
}

// AtomicallyOutbox implements inbox.OutboxStore.
func (s *Store) AtomicallyOutbox(ctx context.Context, fn func(context.Context, inbox.OutboxTx) error) error {
	stmts := s.sqliteStatements(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, s.newTx(tx, stmts))
	})
}

func (t txStore) postgres() bool { return t.db.Dialect().Name().String() == "pg" }

// ClaimDueMessages implements inbox.OutboxTx: DueMessages, then
// ClaimMessages of all of them.
func (t txStore) ClaimDueMessages(ctx context.Context, now time.Time, limit int) ([]inbox.Message, error) {
	due, err := t.DueMessages(ctx, now, limit)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	ids := make([]int64, len(due))
	for i, m := range due {
		ids[i] = m.ID
	}
	return t.ClaimMessages(ctx, ids, now)
}

// DueMessages implements inbox.OutboxTx. PostgreSQL picks the due rows
// with FOR UPDATE SKIP LOCKED, so concurrent claimers take different rows
// without waiting for each other. SQLite has one writer at a time (the
// store's immediate transactions on one connection); there the claim's
// status guard is what keeps a row from being claimed twice.
func (t txStore) DueMessages(ctx context.Context, now time.Time, limit int) ([]inbox.Message, error) {
	var rows []messageRow
	q := t.db.NewSelect().Model(&rows).
		Where("status = ?", string(inbox.StatusQueued)).
		Where("via = ?", inbox.ViaAPI).
		Where("next_attempt_at <= ?", now).
		Where("from_number NOT IN (SELECT p.number FROM send_pace p WHERE p.next_send_at > ?)", now).
		Where("NOT EXISTS (SELECT 1 FROM send_pace a WHERE a.number = ? AND a.paused_until > ?)", accountPace, now).
		OrderExpr("next_attempt_at, id").
		Limit(int64(limit))
	if t.postgres() {
		q = q.For("UPDATE SKIP LOCKED")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: find due messages: %w", err)
	}
	return messagesToDomain(rows), nil
}

// ClaimMessages implements inbox.OutboxTx: one statement for the whole
// batch, its status guard leaving alone any row no longer queued.
func (t txStore) ClaimMessages(ctx context.Context, ids []int64, now time.Time) ([]inbox.Message, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []messageRow
	err := t.db.NewRaw(`UPDATE messages SET status = ?, updated_at = ?, claimed_at = ? WHERE id IN (?) AND status = ? RETURNING *`,
		string(inbox.StatusSending), now, now, bun.List(ids), string(inbox.StatusQueued)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("store: claim %d messages: %w", len(ids), err)
	}
	// RETURNING promises no order; the caller's is the queue's.
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	slices.SortFunc(rows, func(a, b messageRow) int { return at[a.ID] - at[b.ID] })
	return messagesToDomain(rows), nil
}

// ConversationsSending implements inbox.OutboxTx. The messages in sending
// are few (a batch per outbox worker) and indexed by messages_sending, so
// all of them are read and matched here: asked with conversation_id IN
// (…) as well, SQLite's planner takes the thread index instead and reads
// every message of those conversations.
func (t txStore) ConversationsSending(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var sending []int64
	err := t.db.NewSelect().Model((*messageRow)(nil)).Column("conversation_id").
		Where("status = ?", string(inbox.StatusSending)).
		Scan(ctx, &sending)
	if err != nil {
		return nil, fmt.Errorf("store: conversations sending: %w", err)
	}
	var busy []int64
	for _, id := range sending {
		if slices.Contains(ids, id) && !slices.Contains(busy, id) {
			busy = append(busy, id)
		}
	}
	return busy, nil
}

// StaleSendingMessages implements inbox.OutboxTx.
func (t txStore) StaleSendingMessages(ctx context.Context, before time.Time, limit int) ([]inbox.Message, error) {
	var rows []messageRow
	q := t.db.NewSelect().Model(&rows).
		Where("status = ?", string(inbox.StatusSending)).
		Where("updated_at < ?", before).
		OrderExpr("updated_at, id").
		Limit(int64(limit))
	if t.postgres() {
		q = q.For("UPDATE SKIP LOCKED")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: find stale sends: %w", err)
	}
	return messagesToDomain(rows), nil
}

// LockMessage implements inbox.OutboxTx.
func (t txStore) LockMessage(ctx context.Context, id int64) (inbox.Message, error) {
	return t.lockMessageWhere(ctx, "id = ?", id)
}

// LockMessages implements inbox.OutboxTx. PostgreSQL locks the rows in id
// order, the order every batch takes them in, so two batches never wait
// on each other in a circle.
func (t txStore) LockMessages(ctx context.Context, ids []int64) ([]inbox.Message, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []messageRow
	q := t.db.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)).Order("id")
	if t.postgres() {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: lock %d messages: %w", len(ids), err)
	}
	return messagesToDomain(rows), nil
}

// LockMessageByProviderUUID implements inbox.OutboxTx.
func (t txStore) LockMessageByProviderUUID(ctx context.Context, uuid string) (inbox.Message, error) {
	if t.prepared != nil {
		// No FOR UPDATE on SQLite: the transaction already holds the lock.
		row, err := t.prepared.messageByUUID(ctx, uuid)
		if err != nil {
			return inbox.Message{}, notFound(err, "message")
		}
		return row.toDomain(), nil
	}
	return t.lockMessageWhere(ctx, "provider_uuid = ?", uuid)
}

func (t txStore) lockMessageWhere(ctx context.Context, where string, arg any) (inbox.Message, error) {
	var row messageRow
	q := t.db.NewSelect().Model(&row).Where(where, arg)
	if t.postgres() {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return inbox.Message{}, notFound(err, "message")
	}
	return row.toDomain(), nil
}

// outboundStateColumns are the columns SaveOutboundState writes, in the
// order of outboundState's values.
var outboundStateColumns = []string{"provider_uuid", "status", "error_code", "error_message",
	"attempts", "next_attempt_at", "retried_as", "updated_at", "reconcile"}

// outboundState is m's values for outboundStateColumns: a missing
// MessageUUID or retry is NULL.
func outboundState(m inbox.Message) []any {
	var uuid *string
	if m.ProviderUUID != "" {
		uuid = &m.ProviderUUID
	}
	var retriedAs *int64
	if m.RetriedAs != 0 {
		retriedAs = &m.RetriedAs
	}
	return []any{uuid, string(m.Status), m.ErrorCode, m.ErrorMessage, m.Attempts, m.NextAttemptAt, retriedAs, m.UpdatedAt, m.Reconcile}
}

// saveOutboundStateSQL is SaveOutboundState's statement with parameters:
// outboundStateColumns, then the message's ID.
func saveOutboundStateSQL() string {
	sets := make([]string, len(outboundStateColumns))
	for i, col := range outboundStateColumns {
		sets[i] = col + " = ?"
	}
	return "UPDATE messages SET " + strings.Join(sets, ", ") + " WHERE id = ?"
}

// SaveOutboundState implements inbox.OutboxTx.
func (t txStore) SaveOutboundState(ctx context.Context, m inbox.Message) error {
	values := outboundState(m)
	var n int64
	var err error
	if t.prepared != nil {
		n, err = t.prepared.saveOutboundState(ctx, append(values, m.ID))
	} else {
		q := t.db.NewUpdate().Model((*messageRow)(nil))
		for i, col := range outboundStateColumns {
			q = q.Set(col+" = ?", values[i])
		}
		var res sql.Result
		if res, err = q.Where("id = ?", m.ID).Exec(ctx); err == nil {
			n, err = res.RowsAffected()
		}
	}
	if err != nil {
		return fmt.Errorf("store: save message %d: %w", m.ID, err)
	}
	if n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "message not found"}
	}
	return nil
}

// InsertMessageEvent implements inbox.OutboxTx.
func (t txStore) InsertMessageEvent(ctx context.Context, e *inbox.MessageEvent) (bool, error) {
	row := &messageEventRow{
		MessageID: e.MessageID, Status: string(e.Status), ErrorCode: e.ErrorCode, Sequence: e.Sequence,
		OccurredAt: e.OccurredAt, Raw: e.Raw,
	}
	if t.prepared != nil {
		inserted, err := t.prepared.insertMessageEvent(ctx, row)
		if err != nil {
			return false, fmt.Errorf("store: insert message event: %w", err)
		}
		if inserted {
			e.ID = row.ID
		}
		return inserted, nil
	}
	res, err := t.db.NewInsert().Model(row).ExcludeColumn("id").
		On("CONFLICT (message_id, status, sequence) DO NOTHING").
		Returning("id").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: insert message event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	e.ID = row.ID
	return true, nil
}

// MessageEvents implements inbox.TimelineStore: a message's delivery
// timeline in the order the carrier made it (by Sequence, then arrival).
func (s *Store) MessageEvents(ctx context.Context, messageID int64) ([]inbox.MessageEvent, error) {
	var rows []messageEventRow
	err := s.db.NewSelect().Model(&rows).Where("message_id = ?", messageID).Order("sequence", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: message events: %w", err)
	}
	out := make([]inbox.MessageEvent, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// FindOutboundMessage is FindMessageByID with the outbox's fields
// (Attempts, ErrorMessage, RetriedAs) filled in. ENOTFOUND.
func (s *Store) FindOutboundMessage(ctx context.Context, id int64) (inbox.Message, error) {
	var row messageRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return inbox.Message{}, notFound(err, "message")
	}
	return row.toDomain(), nil
}
