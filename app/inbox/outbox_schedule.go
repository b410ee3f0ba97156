package inbox

import (
	"context"
	"time"
)

// scheduleRecheckPolls is how many poll intervals the outbox waits at most
// before it reads the next due time again (30 s by default). Its own
// schedules and edits re-arm the timer at once; this only catches those
// made on another instance that stopped before they came due.
const scheduleRecheckPolls = 6

// ReleaseDue releases every scheduled message due now, one transaction
// each, and returns how many it handled. A message whose contact opted out
// or was blocked meanwhile becomes a failed message saying so and is never
// sent; any other becomes a queued message for the workers. Each is
// released once however many outboxes run this at the same time.
//
// Errors: EUNAVAILABLE when the store fails; those released before stay
// released.
func (o *Outbox) ReleaseDue(ctx context.Context) (int, error) {
	n := 0
	for {
		handled, err := o.releaseNext(ctx)
		if err != nil {
			return n, unavailable(err)
		}
		if !handled {
			return n, nil
		}
		n++
	}
}

func (o *Outbox) releaseNext(ctx context.Context) (bool, error) {
	now := o.now()
	var (
		events  []Event
		handled bool
		queued  bool
	)
	err := o.store.AtomicallyOutbox(ctx, func(ctx context.Context, tx OutboxTx) error {
		events, handled, queued = nil, false, false
		due, err := tx.ClaimDueScheduled(ctx, now, 1)
		if err != nil || len(due) == 0 {
			return err
		}
		handled = true
		sm := due[0]
		conv, err := tx.LockConversation(ctx, sm.ConversationID)
		if err != nil {
			return err
		}
		m, err := insertScheduled(ctx, tx, conv, sm, now)
		if err != nil {
			return err
		}
		events = []Event{
			{Kind: EventMessageQueued, ConversationID: conv.ID, MessageID: m.ID, CreatedAt: now},
			{Kind: EventConversationUpdated, ConversationID: conv.ID, CreatedAt: now},
		}
		sm.State, sm.MessageID, sm.UpdatedAt = ScheduleReleased, m.ID, now
		// The consent law holds at the moment the message is due, not only
		// when the agent wrote it.
		if code, why := withheld(conv); code != "" {
			m.Status, m.ErrorCode, m.ErrorMessage, m.NextAttemptAt, m.UpdatedAt = StatusFailed, code, why, nil, now
			saved, err := saveOutbound(ctx, tx, m, now)
			if err != nil {
				return err
			}
			events = append(events, saved...)
			sm.State, sm.Reason = ScheduleRefused, why
		} else {
			queued = true
		}
		if err := tx.SaveScheduled(ctx, sm); err != nil {
			return err
		}
		events = append(events, Event{Kind: EventScheduleChanged, ConversationID: conv.ID, MessageID: sm.ID, CreatedAt: now})
		return tx.AppendEvents(ctx, events)
	})
	if err != nil {
		return false, err
	}
	o.pub.Publish(ctx, events...)
	if queued {
		o.Wake()
	}
	return handled, nil
}

// insertScheduled stores sm as a queued message of conv, written by its
// agent at now: it takes its place in the thread when it goes out.
func insertScheduled(ctx context.Context, tx OutboxTx, conv Conversation, sm ScheduledMessage, now time.Time) (Message, error) {
	seg := Segment(sm.Body)
	next := now
	m := Message{
		ConversationID: conv.ID, Direction: DirectionOutbound, From: conv.ChannelNumber, To: conv.ContactNumber,
		Body: sm.Body, Encoding: seg.Encoding, Segments: seg.Segments, Status: StatusQueued,
		SentBy: sm.SentBy, Via: ViaAPI, NextAttemptAt: &next, CreatedAt: now, UpdatedAt: now,
	}
	if _, err := tx.InsertMessage(ctx, &m); err != nil {
		return Message{}, err
	}
	if err := tx.TouchConversation(ctx, conv.ID, LastMessageOf(m), now); err != nil {
		return Message{}, err
	}
	return m, nil
}

// WakeScheduler makes the outbox read the next due time again now: a
// schedule was added, moved or cancelled. It never blocks.
func (o *Outbox) WakeScheduler() {
	o.mu.Lock()
	defer o.mu.Unlock()
	close(o.schedWake)
	o.schedWake = make(chan struct{})
}

func (o *Outbox) schedWakeChan() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.schedWake
}

// scheduleLoop releases scheduled messages as they come due. It sleeps on
// a timer set to the earliest due time, which a schedule change on this
// instance re-arms at once (WakeScheduler); at most scheduleRecheckPolls
// poll intervals pass before it reads that time again, for changes made
// elsewhere.
func (o *Outbox) scheduleLoop(ctx context.Context) {
	for ctx.Err() == nil {
		wake := o.schedWakeChan()
		timer := time.NewTimer(o.nextRelease(ctx))
		select {
		case <-ctx.Done():
		case <-wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// nextRelease releases what is due and returns how long to sleep before
// the next look.
func (o *Outbox) nextRelease(ctx context.Context) time.Duration {
	recheck := o.poll * scheduleRecheckPolls
	if _, err := o.ReleaseDue(ctx); err != nil {
		if ctx.Err() == nil {
			o.log.Warn("outbox: releasing scheduled messages failed", "err", err)
		}
		return o.poll
	}
	at, found, err := o.store.NextScheduledAt(ctx)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			o.log.Warn("outbox: reading the next scheduled time failed", "err", err)
		}
		return o.poll
	case !found:
		return recheck
	}
	// A message still due after a release pass is held by an edit or a
	// cancel that is about to commit; look again shortly.
	return min(max(at.Sub(o.now()), minRetryDelay), recheck)
}
