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
	return s.setSnooze(ctx, actor, id, d)
}

// WakeConversation ends a conversation's snooze now. Waking one that is
// not snoozed changes nothing.
//
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) WakeConversation(ctx context.Context, actor User, id int64) (Conversation, error) {
	return s.setSnooze(ctx, actor, id, 0)
}

// setSnooze snoozes a conversation for d from now, or wakes it (d 0).
func (s *Service) setSnooze(ctx context.Context, actor User, id int64, d time.Duration) (Conversation, error) {
	return s.changeConversation(ctx, id, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		var until *time.Time
		if d > 0 {
			t := now.Add(d)
			until = &t
		}
		if until != nil && conv.Status != ConversationOpen {
			return nil, Errorf(ECONFLICT, "only open conversations can be snoozed")
		}
		if until == nil && !conv.Snoozed(now) {
			return nil, nil
		}
		if err := tx.SetSnooze(ctx, id, until, now); err != nil {
			return nil, err
		}
		conv.SnoozedUntil, conv.UpdatedAt = until, now
		done := Activity{ActorID: actor.ID, Kind: ActivityWoke}
		if until != nil {
			done.Kind, done.Until = ActivitySnoozed, until
		}
		return []Event{{Kind: EventConversationUpdated, Activity: &done}}, nil
	})
}

// WakeDueSnoozes ends the snoozes that are over and announces each, so
// open inboxes show those conversations again without a reload. Each
// conversation wakes once even when several instances run it at the same
// time. It returns how many woke. Errors: EUNAVAILABLE.
func (s *Service) WakeDueSnoozes(ctx context.Context) (int, error) {
	now := s.now()
	woke := 0
	err := s.commit(ctx, func(ctx context.Context, tx Tx) ([]Event, error) {
		ids, err := tx.EndDueSnoozes(ctx, now)
		if err != nil {
			return nil, err
		}
		events := make([]Event, len(ids))
		for i, id := range ids {
			events[i] = Event{Kind: EventConversationUpdated, ConversationID: id, CreatedAt: now, Activity: &Activity{Kind: ActivityWoke}}
		}
		woke = len(events)
		return events, nil
	})
	if err != nil {
		return 0, unavailable(err)
	}
	return woke, nil
}
