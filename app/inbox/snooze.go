package inbox

import (
	"context"
	"time"
)

// Snooze limits: shorter is not worth it, longer is forgetting.
const (
	MinSnooze = time.Minute
	MaxSnooze = 90 * 24 * time.Hour
)

// SnoozeConversation takes an open conversation out of the Open list for
// d. It comes back on its own when d is over, or at once when the contact
// texts; closing or reopening it ends the snooze too.
//
// Errors: EINVALID (field "until") for d outside MinSnooze..MaxSnooze;
// ECONFLICT when the conversation is not open; ENOTFOUND; EUNAVAILABLE.
func (s *Service) SnoozeConversation(ctx context.Context, actor User, id int64, d time.Duration) (Conversation, error) {
	if d < MinSnooze || d > MaxSnooze {
		return Conversation{}, FieldError("until", "snooze for a minute to 90 days")
	}
	now := s.now()
	until := now.Add(d)
	return s.setSnooze(ctx, id, &until, now)
}

// WakeConversation ends a conversation's snooze now. Waking one that is
// not snoozed changes nothing.
//
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) WakeConversation(ctx context.Context, actor User, id int64) (Conversation, error) {
	return s.setSnooze(ctx, id, nil, s.now())
}

func (s *Service) setSnooze(ctx context.Context, id int64, until *time.Time, now time.Time) (Conversation, error) {
	var (
		conv   Conversation
		events []Event
	)
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if conv, err = tx.LockConversation(ctx, id); err != nil {
			return err
		}
		if until != nil && conv.Status != ConversationOpen {
			return Errorf(ECONFLICT, "only open conversations can be snoozed")
		}
		if until == nil && !conv.Snoozed(now) {
			return nil
		}
		if err := tx.SetSnooze(ctx, id, until, now); err != nil {
			return err
		}
		conv.SnoozedUntil, conv.UpdatedAt = until, now
		events = []Event{{Kind: EventConversationUpdated, ConversationID: id, CreatedAt: now}}
		return tx.AppendEvents(ctx, events)
	})
	if err != nil {
		return Conversation{}, unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return conv, nil
}

// WakeDueSnoozes ends the snoozes that are over and announces each, so
// open inboxes show those conversations again without a reload. Each
// conversation wakes once even when several instances run it at the same
// time. It returns how many woke. Errors: EUNAVAILABLE.
func (s *Service) WakeDueSnoozes(ctx context.Context) (int, error) {
	now := s.now()
	var events []Event
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		ids, err := tx.EndDueSnoozes(ctx, now)
		if err != nil || len(ids) == 0 {
			return err
		}
		events = make([]Event, len(ids))
		for i, id := range ids {
			events[i] = Event{Kind: EventConversationUpdated, ConversationID: id, CreatedAt: now}
		}
		return tx.AppendEvents(ctx, events)
	})
	if err != nil {
		return 0, unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return len(events), nil
}
