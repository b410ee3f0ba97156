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
	// raised again in the caller. key names what fn will lock first (units
	// of one transaction run in the order of their keys, so that
	// transactions in flight at once take rows in the same order).
	AtomicallyShared(ctx context.Context, key string, fn func(ctx context.Context, tx OutboxTx) error) error
}
