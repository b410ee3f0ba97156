package inbox

import "time"

// ConversationStatus is the workflow state of a conversation. Opting out is
// not a status: it is the contact's legal choice, kept in OptedOutAt.
type ConversationStatus string

const (
	ConversationOpen    ConversationStatus = "open"
	ConversationClosed  ConversationStatus = "closed"
	ConversationBlocked ConversationStatus = "blocked"
)

// Conversation is every message between one contact and one of our numbers.
type Conversation struct {
	ID                 int64
	ContactNumber      Number
	ChannelNumber      Number
	Status             ConversationStatus
	OptedOutAt         *time.Time
	LastMessageAt      time.Time
	LastMessagePreview string
	// LastMessageDirection, LastMessageSentBy and LastMessageMedia say who
	// wrote the latest message (SentBy 0 on an outbound one: Parley's
	// automatic reply) and how many attachments it has, so the list can
	// say who spoke without reading the message.
	LastMessageDirection Direction
	LastMessageSentBy    int64
	LastMessageMedia     int
	MessageCount         int
	UnreadCount          int
	AssigneeID           int64
	// AfterHoursRepliedAt is when the conversation last got the
	// after-hours reply (see BusinessHours.AutoReply).
	AfterHoursRepliedAt *time.Time
	// SnoozedUntil, while in the future on an open conversation, keeps it
	// out of the Open list (see Snoozed).
	SnoozedUntil *time.Time
	// FailedReplyID is the conversation's reply that failed and is not
	// yet dealt with (see saveOutbound); 0 when none.
	FailedReplyID int64
	// LabelIDs are the labels on the conversation, oldest label first.
	LabelIDs  []int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Snoozed reports whether c is open but snoozed at now.
func (c Conversation) Snoozed(now time.Time) bool {
	return c.Status == ConversationOpen && c.SnoozedUntil != nil && c.SnoozedUntil.After(now)
}

// OptedOut reports whether the contact has opted out of this number.
func (c Conversation) OptedOut() bool { return c.OptedOutAt != nil }

// ConsentEvent records one change of a contact's consent.
type ConsentEvent struct {
	ID            int64
	ContactNumber Number
	ChannelNumber Number
	Kind          ConsentKind
	// Keyword is the text or intent that caused the change, if any.
	Keyword string
	// Source is "keyword", "intent", "agent" (an opt-out by hand),
	// "manual" (an admin's opt-in by hand) or "carrier".
	Source string
	// Reason is why an admin opted the contact back in by hand.
	Reason     string
	ActorID    int64
	OccurredAt time.Time
}

// ConsentKind is the direction of a consent change.
type ConsentKind string

const (
	ConsentOptOut ConsentKind = "opt_out"
	ConsentOptIn  ConsentKind = "opt_in"
)
