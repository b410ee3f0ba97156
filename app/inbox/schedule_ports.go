package inbox

import (
	"context"
	"time"
)

// EventScheduleChanged: a scheduled message was added, edited, cancelled,
// released or refused. The log has one subject column, so the event's
// MessageID holds the scheduled message's ID.
const EventScheduleChanged EventKind = "message.scheduled"

// ScheduleReader reads scheduled messages.
type ScheduleReader interface {
	// ListScheduled returns a conversation's scheduled messages still
	// waiting, earliest due first.
	ListScheduled(ctx context.Context, conversationID int64) ([]ScheduledMessage, error)
	// FindScheduled returns one scheduled message. ENOTFOUND.
	FindScheduled(ctx context.Context, id int64) (ScheduledMessage, error)
}

// ScheduleTx is the part of a transaction that keeps scheduled messages.
type ScheduleTx interface {
	// InsertScheduled stores sm and sets its ID.
	InsertScheduled(ctx context.Context, sm *ScheduledMessage) error
	// LockScheduled reads a scheduled message and holds it until the
	// transaction ends. ENOTFOUND.
	LockScheduled(ctx context.Context, id int64) (ScheduledMessage, error)
	// SaveScheduled writes sm's Body, DueAt, TimeZone, State, Reason,
	// MessageID and UpdatedAt. ENOTFOUND.
	SaveScheduled(ctx context.Context, sm ScheduledMessage) error
	// ClaimDueScheduled returns and holds up to limit waiting messages due
	// at or before now, earliest first, skipping any another transaction
	// holds.
	ClaimDueScheduled(ctx context.Context, now time.Time, limit int) ([]ScheduledMessage, error)
}

// ScheduleClock tells the outbox when the next scheduled message is due.
type ScheduleClock interface {
	// NextScheduledAt returns the earliest DueAt of the waiting messages;
	// found is false when none waits.
	NextScheduledAt(ctx context.Context) (at time.Time, found bool, err error)
}
