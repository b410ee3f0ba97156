package inbox

import (
	"context"
	"time"
)

// Store keeps conversations, messages and the event log. Implementations
// return *Error with ENOTFOUND for missing rows; other failures are plain
// errors that callers treat as the store being unavailable.
type Store interface {
	// Atomically runs fn in one transaction, committing when fn returns nil
	// and rolling back otherwise. fn must use only the Tx it is given.
	Atomically(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// FindConversationByID returns ENOTFOUND when there is no such id.
	FindConversationByID(ctx context.Context, id int64) (Conversation, error)
	// FindMessageByID returns ENOTFOUND when there is no such id.
	FindMessageByID(ctx context.Context, id int64) (Message, error)
	// EventsAfter returns up to limit events with ID > after, oldest first.
	EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error)
	// LatestEventID returns the highest event ID in the log, 0 when empty.
	LatestEventID(ctx context.Context) (int64, error)
	// ListConversations returns one page of a normalised query.
	ListConversations(ctx context.Context, q ConversationQuery) (ConversationPage, error)
	// CountTabs counts what the list's tabs show for a normalised query
	// (see TabCounts); its Filter and After are ignored.
	CountTabs(ctx context.Context, q ConversationQuery) (TabCounts, error)
	// SearchExcerpts finds, in the conversations of ids, what a search
	// matched (see Service.SearchExcerpts).
	SearchExcerpts(ctx context.Context, search string, ids []int64) (map[int64]SearchExcerpt, error)
	// ListMessages returns up to limit messages of a conversation with ID
	// below before (0: the newest), oldest first.
	ListMessages(ctx context.Context, conversationID, before int64, limit int) (MessagePage, error)
	// ConsentHistory returns a contact's consent events on one number,
	// newest first.
	ConsentHistory(ctx context.Context, contact, channel Number) ([]ConsentEvent, error)
	// KeywordRules returns every rule ordered by Position.
	KeywordRules(ctx context.Context) ([]KeywordRule, error)
	// CountUnreadConversations counts open conversations with unread
	// messages that are not snoozed at now.
	CountUnreadConversations(ctx context.Context, now time.Time) (int, error)
	BusinessHoursReader
	ScheduleReader
	// Labels returns every label, by name.
	Labels(ctx context.Context) ([]Label, error)
	// FindContact returns ENOTFOUND for a number nobody has described.
	FindContact(ctx context.Context, number Number) (Contact, error)
	// ContactNames maps those of numbers with a contact name to it.
	ContactNames(ctx context.Context, numbers []Number) (map[Number]string, error)
	// AuditLog returns up to limit audit entries with ID below before (0:
	// from the newest), newest first.
	AuditLog(ctx context.Context, before int64, limit int) ([]AuditEntry, error)
	// AppendAudit records e and sets its ID.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// CannedReplies returns every canned reply, by name.
	CannedReplies(ctx context.Context) ([]CannedReply, error)
	// FindActivityByID returns ENOTFOUND when there is no such id.
	FindActivityByID(ctx context.Context, id int64) (Activity, error)
	// ListActivity returns a conversation's activity at or after from and
	// before to (a zero time leaves that end open), oldest first.
	ListActivity(ctx context.Context, conversationID int64, from, to time.Time) ([]Activity, error)
	// FindNoteByID returns ENOTFOUND when there is no such id.
	FindNoteByID(ctx context.Context, id int64) (Note, error)
	// ListNotes returns a conversation's notes written at or after from and
	// before to (a zero time leaves that end open), oldest first.
	ListNotes(ctx context.Context, conversationID int64, from, to time.Time) ([]Note, error)
	// Mentions returns up to limit of a user's mentions, newest first,
	// unread ones only when unread is set.
	Mentions(ctx context.Context, userID int64, unread bool, limit int) ([]Mention, error)
	// CountUnreadMentions counts a user's unread mentions.
	CountUnreadMentions(ctx context.Context, userID int64) (int, error)
	// MarkMentionsRead marks a user's mentions in one conversation read and
	// returns how many it marked.
	MarkMentionsRead(ctx context.Context, userID, conversationID int64, at time.Time) (int, error)
}

// Tx is the part of the store used inside one transaction.
type Tx interface {
	// UpsertInboundConversation creates the conversation between contact and
	// channel, or counts one more inbound message on it (message and unread
	// counts, last message, last activity) and reopens it if closed. media
	// is how many attachments the inbound message has. When a message with
	// providerUUID is already stored (in this transaction too), it changes
	// nothing and returns counted false, so a duplicate needs no rollback.
	UpsertInboundConversation(ctx context.Context, providerUUID string, contact, channel Number, preview string, media int, at time.Time) (conv Conversation, counted bool, err error)
	// ClaimNonces records all of a request's nonces as used at at, or
	// none of them, and reports whether it did: false when any was
	// claimed before (and not released). Of two claims of one nonce at
	// once, one wins.
	ClaimNonces(ctx context.Context, nonces []string, at time.Time) (bool, error)
	// TouchConversation counts one more outbound message on a conversation,
	// last as its latest.
	TouchConversation(ctx context.Context, id int64, last LastMessage, at time.Time) error
	// InsertMessage stores m and sets its ID. It returns false and stores
	// nothing when a message with the same ProviderUUID exists.
	InsertMessage(ctx context.Context, m *Message) (bool, error)
	// RecordConsent sets or clears the conversation's OptedOutAt and appends
	// the consent event, setting its ID.
	RecordConsent(ctx context.Context, conversationID int64, e *ConsentEvent) error
	// KeywordRules returns every rule ordered by Position.
	KeywordRules(ctx context.Context) ([]KeywordRule, error)
	// AppendEvents adds events to the log and sets their IDs in order.
	AppendEvents(ctx context.Context, events []Event) error
	// AppendEventsAtCommit is AppendEvents for events whose IDs nothing
	// in the transaction needs: a transaction shared by several units may
	// add all their events in one statement just before it commits,
	// setting the IDs in the same slices then.
	AppendEventsAtCommit(ctx context.Context, events []Event) error
	// WebhookSubscriptions returns every outgoing webhook endpoint's
	// subscriptions, paused ones too (their deliveries wait).
	WebhookSubscriptions(ctx context.Context) ([]WebhookSubscription, error)
	// EnqueueWebhookDeliveries queues deliveries.
	EnqueueWebhookDeliveries(ctx context.Context, ds []WebhookDelivery) error
	// LockConversation reads a conversation and holds it until the
	// transaction ends, so a send and a STOP cannot interleave. ENOTFOUND.
	LockConversation(ctx context.Context, id int64) (Conversation, error)
	// FindOrCreateConversation returns the conversation between contact and
	// channel, creating an open one if there is none.
	FindOrCreateConversation(ctx context.Context, contact, channel Number, at time.Time) (Conversation, error)
	// MarkRead clears the unread count.
	MarkRead(ctx context.Context, id int64, at time.Time) error
	// SetConversationStatus changes the workflow status.
	SetConversationStatus(ctx context.Context, id int64, status ConversationStatus, at time.Time) error
	// SetAssignee assigns the conversation to a user, or to nobody when
	// userID is 0.
	SetAssignee(ctx context.Context, id, userID int64, at time.Time) error
	// InsertNote stores n, and a mention for each of n.Mentions, and sets
	// n.ID.
	InsertNote(ctx context.Context, n *Note) error
	// SaveLabel inserts l (setting its ID) or updates the row with its ID
	// (ENOTFOUND).
	SaveLabel(ctx context.Context, l *Label) error
	// DeleteLabel removes a label and takes it off every conversation.
	// ENOTFOUND.
	DeleteLabel(ctx context.Context, id int64) error
	// SetConversationLabel puts a label on a conversation or takes it off,
	// and reports whether that changed anything.
	SetConversationLabel(ctx context.Context, conversationID, labelID int64, on bool) (bool, error)
	// SetSnooze snoozes a conversation until a time, or ends its snooze
	// (nil).
	SetSnooze(ctx context.Context, id int64, until *time.Time, at time.Time) error
	// EndDueSnoozes ends every snooze that is over at now and returns the
	// conversations it woke.
	EndDueSnoozes(ctx context.Context, now time.Time) ([]int64, error)
	// AppendAudit records e in the transaction and sets its ID.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// AppendActivity records a and sets its ID.
	AppendActivity(ctx context.Context, a *Activity) error
	// SaveCannedReply inserts r (setting its ID) or updates the row with
	// its ID (ENOTFOUND); a name in use is ECONFLICT.
	SaveCannedReply(ctx context.Context, r *CannedReply) error
	// DeleteCannedReply removes one. ENOTFOUND.
	DeleteCannedReply(ctx context.Context, id int64) error
	// TakeNextAvailable picks the available user given a conversation
	// longest ago (never first, then by ID), records at as their latest,
	// and returns their ID; 0 when nobody is available.
	TakeNextAvailable(ctx context.Context, at time.Time) (int64, error)
	// SaveContact creates or replaces the contact of c.Number and reports
	// whether that changed its name, notes or fields.
	SaveContact(ctx context.Context, c Contact) (bool, error)
	// SaveKeywordRule inserts r (setting its ID) or updates the row with its ID.
	SaveKeywordRule(ctx context.Context, r *KeywordRule) error
	// DeleteKeywordRule removes a rule. ENOTFOUND.
	DeleteKeywordRule(ctx context.Context, id int64) error
	BusinessHoursTx
	ScheduleTx
}

// Users keeps people and their sessions. Missing rows are ENOTFOUND.
type Users interface {
	FindUserByEmail(ctx context.Context, email string) (User, error)
	FindUserByID(ctx context.Context, id int64) (User, error)
	// SaveUser inserts u (setting its ID) or updates the row with its ID.
	SaveUser(ctx context.Context, u *User) error
	// RecordSignIn writes a returning user's profile and last sign-in,
	// leaving the role as stored unless promote makes them an admin; it
	// sets u.Role to the role stored.
	RecordSignIn(ctx context.Context, u *User, promote bool) error
	ListUsers(ctx context.Context) ([]User, error)
	// SetAvailable sets only the user's Available. ENOTFOUND.
	SetAvailable(ctx context.Context, id int64, available bool) error
	// DeleteUser removes the user and, with them, their sessions, and
	// records r (their tombstone) in the same transaction. ENOTFOUND.
	DeleteUser(ctx context.Context, id int64, r Removal) error
	// FindRemoval returns the tombstone of email. ENOTFOUND when the
	// address was never removed, or was invited again since.
	FindRemoval(ctx context.Context, email string) (Removal, error)
	// ClearRemoval deletes the tombstone of email, if any.
	ClearRemoval(ctx context.Context, email string) error
	CreateSession(ctx context.Context, s Session) error
	// FindSession returns the session and its user.
	FindSession(ctx context.Context, id string) (Session, User, error)
	// TouchSession records activity on the session and its user.
	TouchSession(ctx context.Context, id string, userID int64, at time.Time) error
	DeleteSession(ctx context.Context, id string) error
}

// Publisher announces committed events to live clients. Publishing is best
// effort: the event log is the record, and clients that miss a publication
// catch up from it, so Publish reports failures itself and returns nothing.
type Publisher interface {
	Publish(ctx context.Context, events ...Event)
}

// Clock tells the time; tests fix it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
