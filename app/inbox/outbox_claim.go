package inbox

import (
	"context"
	"slices"
	"time"
)

// DefaultClaimBatch is how many due messages a worker claims in one
// transaction. Each claim and each recording of answers is one commit for
// the whole batch instead of one per message, which is what bounded the
// outbox on both databases; the batch's sends go to the carrier at once
// (one after another within a conversation), so a batch costs about the
// time of its slowest send.
const DefaultClaimBatch = 16

// claimBatch claims up to o.batch due messages in one transaction: a
// conversation with a batch out already waits for it (see inTurn), each
// paced number takes its slots in queue order (a message whose number has
// none left stays queued, unclaimed), the consent law is checked for every
// conversation, and what may go out moves to sending. It returns the
// claimed messages in queue order; withheld, how many it failed instead
// because the contact opted out or was blocked; and, when it handled
// none, when a paced number's next slot comes.
func (o *Outbox) claimBatch(ctx context.Context) (claimed []Message, withheldN int, slot time.Time, err error) {
	// The claim is not cut short by ctx either: a stop that cancels it
	// while it commits could leave messages claimed in the database while
	// this worker believes the claim failed, and then nobody would send
	// them.
	claimCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.lease/4)
	defer cancel()
	var events []Event
	err = o.store.AtomicallyOutbox(claimCtx, func(ctx context.Context, tx OutboxTx) error {
		claimed, withheldN, slot, events = nil, 0, time.Time{}, nil
		// Read the time once the transaction holds its locks (SQLite's
		// writer lock may take a while): a pace slot judged by a stale
		// time looks taken when it is free.
		now := o.now()
		due, err := tx.DueMessages(ctx, now, o.batch)
		if err != nil {
			return err
		}
		convs, err := lockConversations(ctx, tx, due)
		if err != nil {
			return err
		}
		if due, err = inTurn(ctx, tx, due); err != nil {
			return err
		}
		if due, err = o.takeSlots(ctx, tx, due, now); err != nil {
			return err
		}
		if len(due) == 0 {
			next, ok, err := tx.NextSendSlot(ctx, now)
			if ok {
				slot = next
			}
			return err
		}
		send := make([]int64, 0, len(due))
		for _, m := range due {
			// The consent law holds at the moment of sending, not only
			// when the agent wrote: a STOP may have arrived while this
			// waited.
			code, why := withheld(convs[m.ConversationID])
			if code == "" {
				send = append(send, m.ID)
				continue
			}
			m.Status, m.ErrorCode, m.ErrorMessage, m.NextAttemptAt, m.UpdatedAt = StatusFailed, code, why, nil, now
			saved, err := saveOutbound(ctx, tx, m, now)
			if err != nil {
				return err
			}
			events = append(events, saved...)
			withheldN++
		}
		if claimed, err = tx.ClaimMessages(ctx, send, now); err != nil {
			return err
		}
		for _, m := range claimed {
			events = append(events, statusEvent(m, now))
		}
		return logEvents(ctx, tx, o.hooks, events)
	})
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	o.pub.Publish(ctx, events...)
	return claimed, withheldN, slot, nil
}

// takeSlots keeps of due, in queue order, the messages whose sending
// number may send now, and takes a slot of its pace for each: a burst's
// worth go together, and the rest of a number's messages stay queued until
// its next slot. Pace rows are locked in number order, so two batches
// never wait on each other in a circle.
func (o *Outbox) takeSlots(ctx context.Context, tx OutboxTx, due []Message, now time.Time) ([]Message, error) {
	type pace struct {
		interval time.Duration
		burst    int
		next     time.Time
		taken    bool
	}
	paces := map[Number]*pace{}
	var numbers []Number
	for _, m := range due {
		if _, seen := paces[m.From]; seen {
			continue
		}
		p := &pace{interval: o.pace.Interval(m.From)}
		paces[m.From] = p
		if p.interval > 0 {
			p.burst = o.pace.Burst(m.From)
			numbers = append(numbers, m.From)
		}
	}
	slices.Sort(numbers)
	for _, n := range numbers {
		next, err := tx.LockSendPace(ctx, n, now)
		if err != nil {
			return nil, err
		}
		paces[n].next = next
	}
	kept := due[:0]
	for _, m := range due {
		p := paces[m.From]
		if p.interval > 0 {
			if p.next.After(now) {
				continue
			}
			p.next, p.taken = paceAfter(p.next, now, p.interval, p.burst), true
		}
		kept = append(kept, m)
	}
	for _, n := range numbers {
		if p := paces[n]; p.taken {
			if err := tx.SetSendPace(ctx, n, p.next); err != nil {
				return nil, err
			}
		}
	}
	return kept, nil
}

// lockConversations locks the conversations of msgs in id order (so two
// batches never wait on each other in a circle) and returns them by id.
func lockConversations(ctx context.Context, tx OutboxTx, msgs []Message) (map[int64]Conversation, error) {
	ids := make([]int64, 0, len(msgs))
	for _, m := range msgs {
		ids = append(ids, m.ConversationID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	convs := make(map[int64]Conversation, len(ids))
	for _, id := range ids {
		conv, err := tx.LockConversation(ctx, id)
		if err != nil {
			return nil, err
		}
		convs[id] = conv
	}
	return convs, nil
}

// inTurn leaves out of due the messages of conversations that have a
// message in sending: another batch is sending to that contact, and its
// messages were written first. Each conversation thus has one batch out at
// a time, and a batch sends a conversation's messages one after another,
// so a contact gets them in the order they were queued. The conversations
// are locked before this is asked: a batch claimed meanwhile has
// committed (PostgreSQL reads it in this statement), or waits for this
// one.
func inTurn(ctx context.Context, tx OutboxTx, due []Message) ([]Message, error) {
	ids := make([]int64, 0, len(due))
	for _, m := range due {
		ids = append(ids, m.ConversationID)
	}
	busy, err := tx.ConversationsSending(ctx, ids)
	if err != nil || len(busy) == 0 {
		return due, err
	}
	kept := due[:0]
	for _, m := range due {
		if !slices.Contains(busy, m.ConversationID) {
			kept = append(kept, m)
		}
	}
	return kept, nil
}
