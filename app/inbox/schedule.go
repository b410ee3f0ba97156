package inbox

import (
	"context"
	"time"
)

// ScheduleState is where a scheduled message is in its life: it waits as
// scheduled until it is due, and then the outbox releases it (queues it as
// a message) or refuses it; an agent may cancel it before.
type ScheduleState string

const (
	ScheduleWaiting   ScheduleState = "scheduled"
	ScheduleReleased  ScheduleState = "released"
	ScheduleCancelled ScheduleState = "cancelled"
	ScheduleRefused   ScheduleState = "refused"
)

// Limits of a scheduled send: sooner is a plain send, later is forgetting.
const (
	MinScheduleLead  = time.Minute
	MaxScheduleAhead = 365 * 24 * time.Hour
)

// ScheduledMessage is a reply an agent wrote to go out at DueAt ("Send
// later").
type ScheduledMessage struct {
	ID             int64
	ConversationID int64
	Body           string
	// SentBy is the agent who scheduled it; 0 when they were removed.
	SentBy int64
	DueAt  time.Time
	// TimeZone is the IANA zone the agent chose the time in; the thread
	// shows the time in it.
	TimeZone string
	State    ScheduleState
	// Reason says in safe words why a refused message was not sent.
	Reason string
	// MessageID is the message it became when released or refused.
	MessageID int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Schedule is what an agent asks for: a text, a time and the zone they
// chose it in.
type Schedule struct {
	Text     string
	DueAt    time.Time
	TimeZone string
}

// ScheduleReply stores a reply to go out at sched.DueAt. It counts against
// the agent's send limits now, and the consent law applies both now and
// when it is due.
//
// Errors: EINVALID for a bad text (Field "text"), a time less than
// MinScheduleLead from now or more than MaxScheduleAhead away (Field
// "send_at") or an unknown zone (Field "tz"); ERATELIMITED; EOPTEDOUT;
// EBLOCKED; ENOTFOUND; EUNAVAILABLE. Nothing is stored on error.
func (s *Service) ScheduleReply(ctx context.Context, actor User, conversationID int64, sched Schedule) (ScheduledMessage, error) {
	if err := s.validateSchedule(sched); err != nil {
		return ScheduledMessage{}, err
	}
	if err := s.allowSend(ctx, actor); err != nil {
		return ScheduledMessage{}, err
	}
	var sm ScheduledMessage
	_, err := s.changeConversation(ctx, conversationID, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		if code, _ := withheld(*conv); code != "" {
			return nil, consentError(*conv)
		}
		sm = ScheduledMessage{
			ConversationID: conv.ID, Body: sched.Text, SentBy: actor.ID, DueAt: sched.DueAt.UTC().Truncate(time.Microsecond),
			TimeZone: sched.TimeZone, State: ScheduleWaiting, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.InsertScheduled(ctx, &sm); err != nil {
			return nil, err
		}
		return []Event{{Kind: EventScheduleChanged, MessageID: sm.ID}}, nil
	})
	if err != nil {
		return ScheduledMessage{}, err
	}
	return sm, nil
}

// EditScheduled changes the text and time of a message still waiting.
//
// Errors: as ScheduleReply for sched; ECONFLICT when it was already
// released, refused or cancelled; ENOTFOUND; EUNAVAILABLE.
func (s *Service) EditScheduled(ctx context.Context, actor User, id int64, sched Schedule) (ScheduledMessage, error) {
	if err := s.validateSchedule(sched); err != nil {
		return ScheduledMessage{}, err
	}
	return s.changeScheduled(ctx, id, func(sm *ScheduledMessage) {
		sm.Body, sm.DueAt, sm.TimeZone = sched.Text, sched.DueAt.UTC().Truncate(time.Microsecond), sched.TimeZone
	})
}

// CancelScheduled cancels a message still waiting; it is never sent.
//
// Errors: ECONFLICT when it was already released, refused or cancelled;
// ENOTFOUND; EUNAVAILABLE.
func (s *Service) CancelScheduled(ctx context.Context, actor User, id int64) (ScheduledMessage, error) {
	return s.changeScheduled(ctx, id, func(sm *ScheduledMessage) { sm.State = ScheduleCancelled })
}

// changeScheduled applies change to a waiting scheduled message, holding
// it locked: the outbox's release takes the same lock, so an edit or a
// cancel and the release cannot both win. It locks the scheduled row
// alone (not its conversation), in the order the release takes them.
func (s *Service) changeScheduled(ctx context.Context, id int64, change func(*ScheduledMessage)) (ScheduledMessage, error) {
	now := s.now()
	var sm ScheduledMessage
	err := s.commit(ctx, func(ctx context.Context, tx Tx) ([]Event, error) {
		var err error
		if sm, err = tx.LockScheduled(ctx, id); err != nil {
			return nil, err
		}
		if sm.State != ScheduleWaiting {
			return nil, Errorf(ECONFLICT, "this message is no longer scheduled: it was %s", stateWords(sm.State))
		}
		change(&sm)
		sm.UpdatedAt = now
		if err := tx.SaveScheduled(ctx, sm); err != nil {
			return nil, err
		}
		return []Event{{Kind: EventScheduleChanged, ConversationID: sm.ConversationID, MessageID: sm.ID, CreatedAt: now}}, nil
	})
	if err != nil {
		return ScheduledMessage{}, unavailable(err)
	}
	return sm, nil
}

// ListScheduled returns a conversation's messages still waiting, earliest
// due first. Errors: EUNAVAILABLE.
func (s *Service) ListScheduled(ctx context.Context, conversationID int64) ([]ScheduledMessage, error) {
	list, err := s.store.ListScheduled(ctx, conversationID)
	if err != nil {
		return nil, unavailable(err)
	}
	return list, nil
}

// FindScheduled returns one scheduled message in any state.
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) FindScheduled(ctx context.Context, id int64) (ScheduledMessage, error) {
	sm, err := s.store.FindScheduled(ctx, id)
	if err != nil {
		return ScheduledMessage{}, unavailable(err)
	}
	return sm, nil
}

func (s *Service) validateSchedule(sched Schedule) error {
	if _, err := ValidateText(sched.Text); err != nil {
		return err
	}
	if _, err := ScheduleZone(sched.TimeZone); err != nil {
		return err
	}
	return ValidateDue(sched.DueAt, s.now())
}

// ValidateDue checks that due is at least MinScheduleLead after now and at
// most MaxScheduleAhead. Errors: EINVALID (Field "send_at").
func ValidateDue(due, now time.Time) error {
	switch {
	case due.IsZero():
		return FieldError("send_at", "pick when to send it")
	case due.Before(now.Add(MinScheduleLead)):
		return FieldError("send_at", "pick a time at least a minute from now; that time has passed")
	case due.After(now.Add(MaxScheduleAhead)):
		return FieldError("send_at", "pick a time within a year from now")
	}
	return nil
}

func consentError(conv Conversation) error {
	if conv.OptedOut() {
		return Errorf(EOPTEDOUT, "%s has opted out; they must text START before you can message them", conv.ContactNumber.Display())
	}
	return Errorf(EBLOCKED, "this contact is blocked; unblock them to reply")
}

func stateWords(st ScheduleState) string {
	switch st {
	case ScheduleReleased:
		return "sent"
	case ScheduleRefused:
		return "refused"
	case ScheduleCancelled:
		return "cancelled"
	}
	return string(st)
}
