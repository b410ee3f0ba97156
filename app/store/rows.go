package store

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
)

type conversationRow struct {
	bun.BaseModel `bun:"table:conversations,alias:c"`

	ID                  int64      `bun:"id,pk,autoincrement"`
	ContactNumber       string     `bun:"contact_number"`
	ChannelNumber       string     `bun:"channel_number"`
	Status              string     `bun:"status"`
	OptedOutAt          *time.Time `bun:"opted_out_at"`
	LastMessageAt       time.Time  `bun:"last_message_at"`
	LastMessagePreview  string     `bun:"last_message_preview"`
	LastMessageDir      string     `bun:"last_message_direction"`
	LastMessageSentBy   int64      `bun:"last_message_sent_by,nullzero"`
	LastMessageMedia    int        `bun:"last_message_media"`
	MessageCount        int        `bun:"message_count"`
	UnreadCount         int        `bun:"unread_count"`
	AssigneeID          int64      `bun:"assignee_id,nullzero"`
	AfterHoursRepliedAt *time.Time `bun:"after_hours_replied_at"`
	CreatedAt           time.Time  `bun:"created_at"`
	UpdatedAt           time.Time  `bun:"updated_at"`
	SearchTerms         string     `bun:"search_terms"`
	SnoozedUntil        *time.Time `bun:"snoozed_until"`
	FailedReplyID       int64      `bun:"failed_reply_id,nullzero"`
}

func (r conversationRow) toDomain() inbox.Conversation {
	c := inbox.Conversation{
		ID: r.ID, ContactNumber: inbox.Number(r.ContactNumber), ChannelNumber: inbox.Number(r.ChannelNumber),
		Status: inbox.ConversationStatus(r.Status), LastMessageAt: r.LastMessageAt.UTC(),
		LastMessagePreview: r.LastMessagePreview, LastMessageDirection: inbox.Direction(r.LastMessageDir),
		LastMessageSentBy: r.LastMessageSentBy, LastMessageMedia: r.LastMessageMedia, MessageCount: r.MessageCount, UnreadCount: r.UnreadCount,
		AssigneeID: r.AssigneeID, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		FailedReplyID: r.FailedReplyID,
	}
	c.OptedOutAt = utcPtr(r.OptedOutAt)
	c.AfterHoursRepliedAt = utcPtr(r.AfterHoursRepliedAt)
	c.SnoozedUntil = utcPtr(r.SnoozedUntil)
	return c
}

type messageRow struct {
	bun.BaseModel `bun:"table:messages"`

	ID             int64             `bun:"id,pk,autoincrement"`
	ConversationID int64             `bun:"conversation_id"`
	ProviderUUID   string            `bun:"provider_uuid,nullzero"`
	Direction      string            `bun:"direction"`
	FromNumber     string            `bun:"from_number"`
	ToNumber       string            `bun:"to_number"`
	Body           string            `bun:"body"`
	Media          []inbox.Media     `bun:"media,type:jsonb"`
	Encoding       string            `bun:"encoding"`
	Segments       int               `bun:"segments"`
	Status         string            `bun:"status"`
	ErrorCode      string            `bun:"error_code"`
	SentBy         int64             `bun:"sent_by,nullzero"`
	Via            string            `bun:"via"`
	Attempts       int               `bun:"attempts"`
	NextAttemptAt  *time.Time        `bun:"next_attempt_at"`
	Raw            map[string]string `bun:"raw,type:jsonb"`
	CreatedAt      time.Time         `bun:"created_at"`
	UpdatedAt      time.Time         `bun:"updated_at"`
	ErrorMessage   string            `bun:"error_message"`
	RetriedAs      int64             `bun:"retried_as,nullzero"`
	ClaimedAt      *time.Time        `bun:"claimed_at"`
	Reconcile      string            `bun:"reconcile"`
}

func newMessageRow(m *inbox.Message) *messageRow {
	media := m.Media
	if media == nil {
		media = []inbox.Media{}
	}
	return &messageRow{
		ID: m.ID, ConversationID: m.ConversationID, ProviderUUID: m.ProviderUUID,
		Direction: string(m.Direction), FromNumber: string(m.From), ToNumber: string(m.To),
		Body: m.Body, Media: media, Encoding: string(m.Encoding), Segments: m.Segments,
		Status: string(m.Status), ErrorCode: m.ErrorCode, SentBy: m.SentBy, Via: m.Via,
		NextAttemptAt: m.NextAttemptAt, Raw: m.Raw, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
	}
}

func (r messageRow) toDomain() inbox.Message {
	return inbox.Message{
		ID: r.ID, ConversationID: r.ConversationID, ProviderUUID: r.ProviderUUID,
		Direction: inbox.Direction(r.Direction), From: inbox.Number(r.FromNumber), To: inbox.Number(r.ToNumber),
		Body: r.Body, Media: r.Media, Encoding: inbox.Encoding(r.Encoding), Segments: r.Segments,
		Status: inbox.Status(r.Status), ErrorCode: r.ErrorCode, SentBy: r.SentBy, Via: r.Via,
		NextAttemptAt: utcPtr(r.NextAttemptAt), Raw: r.Raw, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		Attempts: r.Attempts, ErrorMessage: r.ErrorMessage, RetriedAs: r.RetriedAs,
		ClaimedAt: utcPtr(r.ClaimedAt), Reconcile: r.Reconcile,
	}
}

type consentEventRow struct {
	bun.BaseModel `bun:"table:consent_events"`

	ID            int64     `bun:"id,pk,autoincrement"`
	ContactNumber string    `bun:"contact_number"`
	ChannelNumber string    `bun:"channel_number"`
	Kind          string    `bun:"kind"`
	Keyword       string    `bun:"keyword"`
	Source        string    `bun:"source"`
	Reason        string    `bun:"reason"`
	ActorID       int64     `bun:"actor_id,nullzero"`
	OccurredAt    time.Time `bun:"occurred_at"`
}

func (r consentEventRow) toDomain() inbox.ConsentEvent {
	return inbox.ConsentEvent{
		ID: r.ID, ContactNumber: inbox.Number(r.ContactNumber), ChannelNumber: inbox.Number(r.ChannelNumber),
		Kind: inbox.ConsentKind(r.Kind), Keyword: r.Keyword, Source: r.Source, Reason: r.Reason,
		ActorID: r.ActorID, OccurredAt: r.OccurredAt.UTC(),
	}
}

type eventRow struct {
	bun.BaseModel `bun:"table:events"`

	ID             int64     `bun:"id,pk,autoincrement"`
	Kind           string    `bun:"kind"`
	ConversationID int64     `bun:"conversation_id"`
	MessageID      int64     `bun:"message_id"`
	CreatedAt      time.Time `bun:"created_at"`
}

func (r eventRow) toDomain() inbox.Event {
	return inbox.Event{
		ID: r.ID, Kind: inbox.EventKind(r.Kind), ConversationID: r.ConversationID,
		MessageID: r.MessageID, CreatedAt: r.CreatedAt.UTC(),
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// nullID is id for a nullable reference column: NULL when 0.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
