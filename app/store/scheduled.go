package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

var (
	_ inbox.ScheduleReader = (*Store)(nil)
	_ inbox.ScheduleTx     = txStore{}
	_ inbox.ScheduleClock  = (*Store)(nil)
)

type scheduledRow struct {
	bun.BaseModel `bun:"table:scheduled_messages"`

	ID             int64     `bun:"id,pk,autoincrement"`
	ConversationID int64     `bun:"conversation_id"`
	Body           string    `bun:"body"`
	SentBy         int64     `bun:"sent_by,nullzero"`
	DueAt          time.Time `bun:"due_at"`
	TimeZone       string    `bun:"time_zone"`
	State          string    `bun:"state"`
	Reason         string    `bun:"reason"`
	MessageID      int64     `bun:"message_id,nullzero"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

func (r scheduledRow) toDomain() inbox.ScheduledMessage {
	return inbox.ScheduledMessage{
		ID: r.ID, ConversationID: r.ConversationID, Body: r.Body, SentBy: r.SentBy, DueAt: r.DueAt.UTC(),
		TimeZone: r.TimeZone, State: inbox.ScheduleState(r.State), Reason: r.Reason, MessageID: r.MessageID,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

func scheduledToDomain(rows []scheduledRow) []inbox.ScheduledMessage {
	out := make([]inbox.ScheduledMessage, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out
}

// ListScheduled implements inbox.ScheduleReader.
func (s *Store) ListScheduled(ctx context.Context, conversationID int64) ([]inbox.ScheduledMessage, error) {
	var rows []scheduledRow
	err := s.db.NewSelect().Model(&rows).
		Where("conversation_id = ?", conversationID).
		Where("state = ?", string(inbox.ScheduleWaiting)).
		OrderExpr("due_at, id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: list scheduled messages: %w", err)
	}
	return scheduledToDomain(rows), nil
}

// FindScheduled implements inbox.ScheduleReader.
func (s *Store) FindScheduled(ctx context.Context, id int64) (inbox.ScheduledMessage, error) {
	var row scheduledRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return inbox.ScheduledMessage{}, notFound(err, "scheduled message")
	}
	return row.toDomain(), nil
}

// NextScheduledAt implements inbox.ScheduleClock: one step down the
// partial index of waiting messages.
func (s *Store) NextScheduledAt(ctx context.Context) (time.Time, bool, error) {
	var at storedTime
	err := s.db.NewSelect().Model((*scheduledRow)(nil)).Column("due_at").
		Where("state = ?", string(inbox.ScheduleWaiting)).
		Order("due_at").Limit(1).Scan(ctx, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next scheduled time: %w", err)
	}
	return at.UTC(), true, nil
}

// InsertScheduled implements inbox.ScheduleTx.
func (t txStore) InsertScheduled(ctx context.Context, sm *inbox.ScheduledMessage) error {
	row := &scheduledRow{
		ConversationID: sm.ConversationID, Body: sm.Body, SentBy: sm.SentBy, DueAt: sm.DueAt, TimeZone: sm.TimeZone,
		State: string(sm.State), Reason: sm.Reason, MessageID: sm.MessageID, CreatedAt: sm.CreatedAt, UpdatedAt: sm.UpdatedAt,
	}
	if _, err := t.db.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("store: insert scheduled message: %w", err)
	}
	sm.ID = row.ID
	return nil
}

// LockScheduled implements inbox.ScheduleTx. On SQLite the transaction
// already holds the database's one write lock.
func (t txStore) LockScheduled(ctx context.Context, id int64) (inbox.ScheduledMessage, error) {
	var row scheduledRow
	q := t.db.NewSelect().Model(&row).Where("id = ?", id)
	if t.postgres() {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return inbox.ScheduledMessage{}, notFound(err, "scheduled message")
	}
	return row.toDomain(), nil
}

// SaveScheduled implements inbox.ScheduleTx.
func (t txStore) SaveScheduled(ctx context.Context, sm inbox.ScheduledMessage) error {
	res, err := t.db.NewUpdate().Model((*scheduledRow)(nil)).
		Set("body = ?", sm.Body).
		Set("due_at = ?", sm.DueAt).
		Set("time_zone = ?", sm.TimeZone).
		Set("state = ?", string(sm.State)).
		Set("reason = ?", sm.Reason).
		Set("message_id = ?", nullID(sm.MessageID)).
		Set("updated_at = ?", sm.UpdatedAt).
		Where("id = ?", sm.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: save scheduled message %d: %w", sm.ID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "scheduled message not found"}
	}
	return nil
}

// ClaimDueScheduled implements inbox.ScheduleTx. PostgreSQL skips rows
// another transaction holds (FOR UPDATE SKIP LOCKED), so releasers never
// wait for each other and an edit or cancel holding a row keeps it; SQLite
// runs one writing transaction at a time, so the state the caller saves
// before committing is what keeps the next claimer off the row.
func (t txStore) ClaimDueScheduled(ctx context.Context, now time.Time, limit int) ([]inbox.ScheduledMessage, error) {
	var rows []scheduledRow
	q := t.db.NewSelect().Model(&rows).
		Where("state = ?", string(inbox.ScheduleWaiting)).
		Where("due_at <= ?", now).
		OrderExpr("due_at, id").
		Limit(int64(limit))
	if t.postgres() {
		q = q.For("UPDATE SKIP LOCKED")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: find due scheduled messages: %w", err)
	}
	return scheduledToDomain(rows), nil
}
