package inbox

import "context"

// GroupCommitter runs the units of work of concurrent callers several to a
// transaction, with one commit for all of them (group commit): a webhook
// needs only its own outcome, and the commit, not the work, is what each
// transaction waits for.
type GroupCommitter interface {
	// AtomicallyShared runs fn in a transaction that may hold other
	// callers' units too, and returns once fn's writes are committed (nil)
	// or undone (fn's own error, or the commit's). A unit that fails or
	// panics fails alone: the others of its transaction run again in a new
	// one. fn may therefore run more than once, and must set its results
	// afresh each time; it must use only the tx it is given, and sees what
	// the units before it in the same transaction wrote. A panic in fn is
	// raised again in the caller. Units of one transaction run in the
	// order of their keys (see SharedUnit).
	AtomicallyShared(ctx context.Context, unit SharedUnit, fn func(ctx context.Context, tx OutboxTx) error) error
}

// SharedUnit says what a unit of work given to a GroupCommitter will do
// first, so that the committer can order units and write their common
// first steps for several of them at once.
type SharedUnit struct {
	// Key names what fn will lock first: transactions in flight at once
	// take rows in the order of their units' keys, and do not deadlock.
	Key string
	// Inbound, when set, is the text fn will store first, by ClaimNonces
	// (when it has nonces), UpsertInboundConversation and InsertMessage
	// with a copy of Inbound.Message given its conversation. A committer
	// may do that for several units with one statement for all their
	// nonces, one for all their conversations and one for all their
	// messages before running the units; their calls then find the work
	// done and get its results.
	Inbound *InboundText
}

// InboundText is an inbound text as a unit will store it.
type InboundText struct {
	// Message is the text to store, without its conversation or ID.
	Message *Message
	// Preview is the conversation's new last-message preview.
	Preview string
	// Nonces are claimed by ClaimNonces before the text is stored.
	Nonces []string
}
