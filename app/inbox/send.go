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
// ERATELIMITED when actor is over SendLimits (with RetryAfter); EOPTEDOUT
// when the contact opted out; EBLOCKED when the conversation is blocked;
// ENOTFOUND; EUNAVAILABLE. Nothing is queued on error.
func (s *Service) SendReply(ctx context.Context, actor User, conversationID int64, text string) (Message, error) {
	seg, err := ValidateText(text)
	if err != nil {
		return Message{}, err
	}
	if err := s.allowSend(ctx, actor); err != nil {
		return Message{}, err
	}
	var msg Message
	_, err = s.changeConversation(ctx, conversationID, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		m, events, err := s.queue(ctx, tx, actor, *conv, text, nil, seg, now)
		msg = m
		return events, err
	})
	if err != nil {
		return Message{}, err
	}
	return msg, nil
}

// StartConversation queues a first message to any valid number, from the
// given number of ours (empty: the first configured). It is SendTo without
// attachments.
//
// Errors: as SendTo.
func (s *Service) StartConversation(ctx context.Context, actor User, to, from, text string) (Message, error) {
	return s.SendTo(ctx, actor, Outgoing{To: to, From: from, Text: text})
}

// Outgoing is a message to a number, as an agent or the JSON API writes it.
type Outgoing struct {
	// To is the destination as typed; it must be a valid E.164 number.
	To string
	// From is one of our numbers; empty means the first configured.
	From string
	Text string
	// MediaURLs, when given, make the message an MMS: at most MaxMedia
	// absolute https URLs, to and from US or Canadian numbers only.
	MediaURLs []string
}

// SendTo queues a message to a number, in the conversation with it on the
// sending number (created if there is none). With attachments the text may
// be blank, and the message goes as one MMS.
//
// Errors: EINVALID for a bad number (Field "to"), an unknown sending number
// or none configured (Field "from"), a bad text (Field "text"), bad
// attachments or attachments to a number outside the US and Canada (Field
// "media_urls"); ERATELIMITED when actor is over SendLimits (with
// RetryAfter); EOPTEDOUT; EBLOCKED; EUNAVAILABLE. Nothing is queued on
// error.
func (s *Service) SendTo(ctx context.Context, actor User, o Outgoing) (Message, error) {
	contact, err := ParseE164(o.To)
	if err != nil {
		return Message{}, FieldError("to", "%s", ErrorMessage(err))
	}
	channel, err := s.sendingNumber(o.From)
	if err != nil {
		return Message{}, err
	}
	media, err := ParseMediaURLs(o.MediaURLs)
	if err != nil {
		return Message{}, err
	}
	if len(media) > 0 {
		if err := checkMMSRoute(contact, channel); err != nil {
			return Message{}, err
		}
	}
	seg, err := validateContent(o.Text, media)
	if err != nil {
		return Message{}, err
	}
	if err := s.allowSend(ctx, actor); err != nil {
		return Message{}, err
	}
	now := s.now()
	var msg Message
	err = s.commit(ctx, func(ctx context.Context, tx Tx) ([]Event, error) {
		conv, err := tx.FindOrCreateConversation(ctx, contact, channel, now)
		if err != nil {
			return nil, err
		}
		if conv, err = tx.LockConversation(ctx, conv.ID); err != nil {
			return nil, err
		}
		var events []Event
		msg, events, err = s.queue(ctx, tx, actor, conv, o.Text, media, seg, now)
		return events, err
	})
	if err != nil {
		return Message{}, unavailable(err)
	}
	return msg, nil
}

func (s *Service) sendingNumber(from string) (Number, error) {
	numbers := s.channels().numbers
	if len(numbers) == 0 {
		return "", FieldError("from", "no sending number: set PLIVO_PHONE_NUMBER or connect one on Settings → Plivo")
	}
	if from == "" {
		return numbers[0], nil
	}
	n, err := ParseE164(from)
	if err != nil || !slices.Contains(numbers, n) {
		return "", FieldError("from", "%s is not one of our numbers", from)
	}
	return n, nil
}

// queue applies the consent law to an agent's message and stores it. It
// returns the events that announce the message for the caller to log.
func (s *Service) queue(ctx context.Context, tx Tx, actor User, conv Conversation, text string, media []Media, seg Segmentation, now time.Time) (Message, []Event, error) {
	if conv.OptedOut() {
		return Message{}, nil, Errorf(EOPTEDOUT, "%s has opted out; they must text START before you can message them", conv.ContactNumber.Display())
	}
	if conv.Status == ConversationBlocked {
		return Message{}, nil, Errorf(EBLOCKED, "this contact is blocked; unblock them to reply")
	}
	next := now
	msg := Message{
		ConversationID: conv.ID, Direction: DirectionOutbound, From: conv.ChannelNumber, To: conv.ContactNumber,
		Body: text, Media: media, Encoding: seg.Encoding, Segments: seg.Segments, Status: StatusQueued,
		SentBy: actor.ID, Via: ViaAPI, NextAttemptAt: &next, CreatedAt: now, UpdatedAt: now,
	}
	if _, err := tx.InsertMessage(ctx, &msg); err != nil {
		return Message{}, nil, err
	}
	if err := tx.TouchConversation(ctx, conv.ID, LastMessageOf(msg), now); err != nil {
		return Message{}, nil, err
	}
	events := []Event{
		{Kind: EventMessageQueued, ConversationID: conv.ID, MessageID: msg.ID, CreatedAt: now},
		{Kind: EventConversationUpdated, ConversationID: conv.ID, CreatedAt: now},
	}
	return msg, events, nil
}
