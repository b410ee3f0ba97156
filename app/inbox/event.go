package inbox

import "time"

// EventKind names what changed.
type EventKind string

const (
	EventMessageReceived     EventKind = "message.received"
	EventMessageQueued       EventKind = "message.queued"
	EventMessageStatus       EventKind = "message.status"
	EventConversationUpdated EventKind = "conversation.updated"
	EventConsentChanged      EventKind = "consent.changed"
	// EventConversationAssigned: the conversation's assignee changed.
	EventConversationAssigned EventKind = "conversation.assigned"
	// EventNoteAdded: an internal note was written. The log has one
	// subject column, so the event's MessageID holds the note's ID.
	EventNoteAdded EventKind = "note.added"
	// EventConversationLabeled: a label was put on or taken off.
	EventConversationLabeled EventKind = "conversation.labeled"
	// EventContactUpdated: the contact of the conversation was described
	// (name, notes, fields); every conversation with the number shows it.
	EventContactUpdated EventKind = "contact.updated"
	// EventLabelsChanged: an admin renamed, recoloured or deleted a label;
	// every page showing labels shows them again. It names no
	// conversation.
	EventLabelsChanged EventKind = "labels.changed"
	// EventSessionsEnded: the person UserID was removed, signed out, or
	// had their role changed; every instance ends their open live streams
	// at once (a browser still signed in reconnects with its current
	// rights). It goes on the bus only, never in the log: a replay must
	// not end the streams of a later sign-in.
	EventSessionsEnded EventKind = "user.sessions_ended"
)

// Event is one entry in the numbered log of changes. Events are small: they
// name what changed, and readers load the current state, so a replayed old
// event never shows stale data.
type Event struct {
	ID             int64
	Kind           EventKind
	ConversationID int64
	MessageID      int64
	// UserID names the person of an EventSessionsEnded; zero otherwise.
	UserID int64
	// SessionID, on an EventSessionsEnded, limits it to the streams of
	// that session (a sign-out); empty means all of the person's.
	SessionID string
	// Activity, on an event about to be logged, is the line its change
	// adds to the thread: commit records it and puts its ID in MessageID
	// (on a conversation.updated, .assigned, .labeled or consent.changed,
	// a MessageID names the Activity). Only MessageID is logged.
	Activity *Activity
	// MessageStatus, on a message.status about to be logged, is the status
	// the message moved to, for outgoing webhooks. It is not logged.
	MessageStatus Status
	CreatedAt     time.Time
}
