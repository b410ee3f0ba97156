package inbox

import (
	"context"
	"fmt"
	"time"
)

// Sender hands one outbound message to the carrier.
type Sender interface {
	// Send asks the carrier to send m and returns the carrier's id for it.
	// Failures should be *SendError, so the outbox can tell a retry from a
	// permanent failure; any other error counts as a retryable one.
	Send(ctx context.Context, m OutboundSMS) (providerUUID string, err error)
}

// OutboundSMS is what a Sender needs to send one message.
type OutboundSMS struct {
	// MessageID is our id; the carrier echoes it in delivery reports.
	MessageID int64
	From, To  Number
	Text      string
	MediaURLs []string
}

// SendError is a failed send as the carrier answered it.
type SendError struct {
	// Retryable is true when the same request may succeed later: no answer,
	// a timeout, 429 or 5xx.
	Retryable bool
	// Status is the HTTP status the carrier answered, 0 for no answer.
	Status int
	// Message says what went wrong in words safe to show an agent, such as
	// the carrier's own error text.
	Message string
	// Err is the cause in the system's own words (a connection refused, a
	// resolver's address): for the log, never shown.
	Err error
	// RetryAfter is how long the carrier asked Parley to wait (a 429's
	// Retry-After); 0 when it did not say.
	RetryAfter time.Duration
	// NotSent is true when the request certainly never reached the carrier
	// (the connection was refused), so no answer was lost.
	NotSent bool
}

func (e *SendError) Error() string {
	msg := "send: " + e.Message
	if e.Status != 0 {
		msg = fmt.Sprintf("send: HTTP %d: %s", e.Status, e.Message)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// RetryableStatus reports whether a carrier's HTTP answer with this status
// may succeed when sent again: 0 (no answer), 408, 429 and 5xx. Any other
// 4xx says the request itself is wrong and will fail again.
func RetryableStatus(status int) bool {
	switch {
	case status == 0, status == 408, status == 429:
		return true
	case status >= 500:
		return true
	}
	return false
}

// OutboxStore keeps the outbox's state on messages. Business rules (which
// status follows which, backoff, what counts as retryable) stay in inbox;
// the store only reads, locks and writes.
type OutboxStore interface {
	// AtomicallyOutbox runs fn in one transaction, committing when fn
	// returns nil and rolling back otherwise.
	AtomicallyOutbox(ctx context.Context, fn func(ctx context.Context, tx OutboxTx) error) error
	ScheduleClock
}

// OutboxTx is the part of the store the outbox uses inside one transaction.
// Implementations return *Error with ENOTFOUND for missing rows.
type OutboxTx interface {
	Tx
	// ClaimDueMessages moves up to limit queued API messages whose
	// NextAttemptAt is at or before now to sending, sets their UpdatedAt to
	// now, and returns them in that state, earliest due first. A message
	// is claimed by one transaction only, however many claim at once.
	// Messages from a number whose next send time is after now, and every
	// message while the account is paused, are left alone. A claim sets
	// ClaimedAt to now.
	ClaimDueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// DueMessages returns up to limit of the messages ClaimDueMessages
	// would claim, earliest due first, and holds them until the
	// transaction ends, skipping any another transaction holds; it
	// changes nothing.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// ClaimMessages moves the messages with ids that are still queued to
	// sending, as ClaimDueMessages does, in one statement, and returns
	// them in the order of ids.
	ClaimMessages(ctx context.Context, ids []int64, now time.Time) ([]Message, error)
	// StaleSendingMessages returns and holds up to limit messages in
	// sending whose UpdatedAt is before before, oldest first, skipping any
	// another transaction holds.
	StaleSendingMessages(ctx context.Context, before time.Time, limit int) ([]Message, error)
	// ConversationsSending returns those of the conversations ids that
	// have a message in sending, in any order.
	ConversationsSending(ctx context.Context, ids []int64) ([]int64, error)
	// LockMessage reads a message and holds it until the transaction ends.
	// ENOTFOUND.
	LockMessage(ctx context.Context, id int64) (Message, error)
	// LockMessages is LockMessage of several messages, returned in id
	// order; a missing one is left out.
	LockMessages(ctx context.Context, ids []int64) ([]Message, error)
	// LockMessageByProviderUUID is LockMessage by the carrier's id.
	// ENOTFOUND.
	LockMessageByProviderUUID(ctx context.Context, uuid string) (Message, error)
	// SaveOutboundState writes m's delivery state (ProviderUUID, Status,
	// ErrorCode, ErrorMessage, Attempts, NextAttemptAt, RetriedAs and
	// UpdatedAt) to the row with m.ID. ENOTFOUND.
	SaveOutboundState(ctx context.Context, m Message) error
	// MarkReplyFailed marks the conversation as one whose reply messageID
	// failed, unless it is marked for a later reply or a later reply of it
	// was sent or delivered. It reports whether the mark changed.
	MarkReplyFailed(ctx context.Context, conversationID, messageID int64) (bool, error)
	// ClearReplyFailed removes the conversation's failed-reply mark if it
	// names messageID or an earlier reply. It reports whether it did.
	ClearReplyFailed(ctx context.Context, conversationID, messageID int64) (bool, error)
	// LockSendPace returns when number may next send (now for a number
	// that has not sent yet) and holds its pace until the transaction
	// ends, so claims of one number take their slots one at a time.
	LockSendPace(ctx context.Context, number Number, now time.Time) (time.Time, error)
	// SetSendPace sets when number may next send.
	SetSendPace(ctx context.Context, number Number, next time.Time) error
	// NextSendSlot returns the earliest time after now at which a number
	// whose pace holds back a due message may send, or the account's pause
	// ends; false when nothing waits for either.
	NextSendSlot(ctx context.Context, now time.Time) (time.Time, bool, error)
	// PauseSending stops every claim until until (Plivo's 429 limits the
	// account, not a number); a later pause already set is kept.
	PauseSending(ctx context.Context, until time.Time) error
	// UnconfirmedMessages returns up to limit outbound messages failed as
	// ErrorCodeUnconfirmed, not yet left for a person and not sent again
	// by an agent, least recently changed first.
	UnconfirmedMessages(ctx context.Context, limit int) ([]Message, error)
	// InsertMessageEvent appends e to its message's delivery timeline and
	// sets its ID. It returns false and stores nothing when the message
	// already has an event with the same Status and Sequence.
	InsertMessageEvent(ctx context.Context, e *MessageEvent) (bool, error)
}

// MessageEvent is one entry in a message's delivery timeline: a delivery
// report as the carrier sent it.
type MessageEvent struct {
	ID        int64
	MessageID int64
	// Status is the carrier's status word as reported, which may be one
	// Parley does not track (WhatsApp's "read").
	Status     Status
	ErrorCode  string
	Sequence   int
	OccurredAt time.Time
	Raw        map[string]string
}
