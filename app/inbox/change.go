package inbox

import (
	"context"
	"time"
)

// commit runs fn in one transaction and logs the events fn returns in it;
// once the transaction has committed, and only then, it publishes them, so
// live clients never hear of a change that rolled back. fn returning no
// events changes nothing in the log and announces nothing. Errors are fn's
// or the store's, as they are.
func (s *Service) commit(ctx context.Context, fn func(ctx context.Context, tx Tx) ([]Event, error)) error {
	return s.commitIn(ctx, s.store.Atomically, fn)
}

// commitShared is commit in a transaction that concurrent callers may
// share (see GroupCommitter), when the Service has a GroupCommitter. fn
// may then run more than once; unit says what it does first.
func (s *Service) commitShared(ctx context.Context, unit SharedUnit, fn func(ctx context.Context, tx Tx) ([]Event, error)) error {
	if s.group == nil {
		return s.commit(ctx, fn)
	}
	shared := func(ctx context.Context, work func(context.Context, Tx) error) error {
		return s.group.AtomicallyShared(ctx, unit, func(ctx context.Context, tx OutboxTx) error { return work(ctx, tx) })
	}
	return s.commitIn(ctx, shared, fn)
}

// commitIn is commit over the transaction atomically runs.
func (s *Service) commitIn(ctx context.Context, atomically func(context.Context, func(context.Context, Tx) error) error,
	fn func(ctx context.Context, tx Tx) ([]Event, error)) error {
	var events []Event
	err := atomically(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if events, err = fn(ctx, tx); err != nil || len(events) == 0 {
			return err
		}
		if err := recordActivities(ctx, tx, events); err != nil {
			return err
		}
		return logEvents(ctx, tx, s.hooks, events)
	})
	if err != nil {
		return err
	}
	s.pub.Publish(ctx, events...)
	return nil
}

// conversationChange is one use case's rule for a conversation held
// locked: it writes through tx at now, updates conv to match what it
// wrote, and returns the events that announce the change, or none when
// there is nothing to change.
type conversationChange func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error)

// changeConversation is how every use case changes one conversation: it
// takes the time, locks the conversation in a transaction (so that a change
// and a STOP cannot interleave), applies change, logs the events change
// returns, each stamped with the conversation and the time, and publishes
// them after the commit. It returns the conversation as change left it.
//
// Errors: ENOTFOUND; change's own; EUNAVAILABLE.
func (s *Service) changeConversation(ctx context.Context, id int64, change conversationChange) (Conversation, error) {
	now := s.now()
	var conv Conversation
	err := s.commit(ctx, func(ctx context.Context, tx Tx) ([]Event, error) {
		var err error
		if conv, err = tx.LockConversation(ctx, id); err != nil {
			return nil, err
		}
		events, err := change(ctx, tx, &conv, now)
		for i := range events {
			events[i].ConversationID, events[i].CreatedAt = id, now
		}
		return events, err
	})
	if err != nil {
		return Conversation{}, unavailable(err)
	}
	return conv, nil
}
