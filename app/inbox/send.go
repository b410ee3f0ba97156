package inbox

import (
	"context"
	"slices"
	"time"
)

// SendReply queues an agent's reply in a conversation. The message is
// stored as queued (with its event) before anything else happens; the
// outbox sends it.
//
// Errors: EINVALID for a blank or over-long text (Field "text");
// EOPTEDOUT when the contact opted out; EBLOCKED when the conversation is
// blocked; ENOTFOUND; EUNAVAILABLE. Nothing is queued on error.
func (s *Service) SendReply(ctx context.Context, actor User, conversationID int64, text string) (Message, error) {
	seg, err := ValidateText(text)
	if err != nil {
		return Message{}, err
	}
	now := s.now()
	var (
		msg    Message
		events []Event
	)
	err = s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		conv, err := tx.LockConversation(ctx, conversationID)
		if err != nil {
			return err
		}
		msg, events, err = s.queue(ctx, tx, actor, conv, text, seg, now)
		return err
	})
	if err != nil {
		return Message{}, unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return msg, nil
}

// StartConversation queues a first message to any valid number, from the
// given number of ours (empty: the first configured).
//
// Errors: EINVALID for a bad number (Field "to"), an unknown sending number
// (Field "from") or a bad text (Field "text"); EOPTEDOUT; EBLOCKED;
// EUNAVAILABLE.
func (s *Service) StartConversation(ctx context.Context, actor User, to, from, text string) (Message, error) {
	contact, err := ParseE164(to)
	if err != nil {
		return Message{}, FieldError("to", "%s", ErrorMessage(err))
	}
	channel, err := s.sendingNumber(from)
	if err != nil {
		return Message{}, err
	}
	seg, err := ValidateText(text)
	if err != nil {
		return Message{}, err
	}
	now := s.now()
	var (
		msg    Message
		events []Event
	)
	err = s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		conv, err := tx.FindOrCreateConversation(ctx, contact, channel, now)
		if err != nil {
			return err
		}
		if conv, err = tx.LockConversation(ctx, conv.ID); err != nil {
			return err
		}
		msg, events, err = s.queue(ctx, tx, actor, conv, text, seg, now)
		return err
	})
	if err != nil {
		return Message{}, unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return msg, nil
}

// Numbers returns our sending numbers.
func (s *Service) Numbers() []Number { return slices.Clone(s.numbers) }

func (s *Service) sendingNumber(from string) (Number, error) {
	if len(s.numbers) == 0 {
		return "", FieldError("from", "no sending number is configured (set PLIVO_PHONE_NUMBER)")
	}
	if from == "" {
		return s.numbers[0], nil
	}
	n, err := ParseE164(from)
	if err != nil || !slices.Contains(s.numbers, n) {
		return "", FieldError("from", "%s is not one of our numbers", from)
	}
	return n, nil
}

// queue applies the consent law to an agent's message and stores it.
func (s *Service) queue(ctx context.Context, tx Tx, actor User, conv Conversation, text string, seg Segmentation, now time.Time) (Message, []Event, error) {
	if conv.OptedOut() {
		return Message{}, nil, Errorf(EOPTEDOUT, "%s has opted out; they must text START before you can message them", conv.ContactNumber.Display())
	}
	if conv.Status == ConversationBlocked {
		return Message{}, nil, Errorf(EBLOCKED, "this contact is blocked; unblock them to reply")
	}
	next := now
	msg := Message{
		ConversationID: conv.ID, Direction: DirectionOutbound, From: conv.ChannelNumber, To: conv.ContactNumber,
		Body: text, Encoding: seg.Encoding, Segments: seg.Segments, Status: StatusQueued,
		SentBy: actor.ID, Via: ViaAPI, NextAttemptAt: &next, CreatedAt: now, UpdatedAt: now,
	}
	if _, err := tx.InsertMessage(ctx, &msg); err != nil {
		return Message{}, nil, err
	}
	if err := tx.TouchConversation(ctx, conv.ID, Preview(text, PreviewLength), now); err != nil {
		return Message{}, nil, err
	}
	events := []Event{
		{Kind: EventMessageQueued, ConversationID: conv.ID, MessageID: msg.ID, CreatedAt: now},
		{Kind: EventConversationUpdated, ConversationID: conv.ID, CreatedAt: now},
	}
	if err := tx.AppendEvents(ctx, events); err != nil {
		return Message{}, nil, err
	}
	return msg, events, nil
}
