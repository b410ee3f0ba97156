package inbox

import (
	"context"
	"errors"
	"time"
)

// PreviewLength is how many characters of a message the list shows.
const PreviewLength = 140

// Receipt is what Receive did with one inbound text.
type Receipt struct {
	Message      Message
	Conversation Conversation
	// Reply is the automatic answer stored for the webhook's XML, or nil.
	Reply *Message
	// Duplicate is true when the MessageUUID was already stored; nothing
	// was changed and no reply is due.
	Duplicate bool
}

var errDuplicate = errors.New("inbox: duplicate delivery")

// ErrNonceReused is in the chain of Receive's error (ECONFLICT) for a
// request whose nonces were claimed before: the same signed request,
// played again.
var ErrNonceReused = errors.New("inbox: the request's signature nonce was used before")

// Receive stores an inbound text exactly once, applies the opt-out law and
// keyword rules, stores any automatic reply, and logs the events, all in one
// transaction (which concurrent texts may share, see GroupCommitter); then
// it publishes the events. A MessageUUID seen before returns Duplicate and
// changes nothing, so Receive is idempotent.
//
// Errors: EINVALID for a text without MessageUUID, From or To; ECONFLICT
// with ErrNonceReused for a request played again (nothing changed);
// EUNAVAILABLE when the store fails (nothing was committed; the carrier
// should retry).
func (s *Service) Receive(ctx context.Context, in Inbound) (Receipt, error) {
	switch {
	case in.ProviderUUID == "":
		return Receipt{}, FieldError("MessageUUID", "missing")
	case in.From == "":
		return Receipt{}, FieldError("From", "missing")
	case in.To == "":
		return Receipt{}, FieldError("To", "missing")
	}
	now := s.now()
	text := in.Text
	seg := Segment(text)
	// The text as stored; each run of the unit stores a copy in its
	// conversation.
	stored := Message{
		ProviderUUID: in.ProviderUUID, Direction: DirectionInbound,
		From: in.From, To: in.To, Body: text, Media: in.Media,
		Encoding: seg.Encoding, Segments: max(seg.Segments, in.Units),
		Status: StatusReceived, Raw: in.Raw, CreatedAt: now, UpdatedAt: now,
	}
	preview := Preview(text, PreviewLength)
	unit := SharedUnit{
		// The conversation is the first row the text locks.
		Key:     "conversation " + string(in.From) + " " + string(in.To),
		Inbound: &InboundText{Message: &stored, Preview: preview, Nonces: in.Nonces},
	}
	var (
		r        Receipt
		replayed bool
	)
	err := s.commitShared(ctx, unit, func(ctx context.Context, tx Tx) ([]Event, error) {
		// Set afresh: a shared transaction may run this more than once.
		r, replayed = Receipt{}, false
		if len(in.Nonces) > 0 {
			claimed, err := tx.ClaimNonces(ctx, in.Nonces, now)
			if err != nil {
				return nil, err
			}
			if !claimed {
				replayed = true
				return nil, nil
			}
		}
		conv, counted, err := tx.UpsertInboundConversation(ctx, in.ProviderUUID, in.From, in.To, preview, len(in.Media), now)
		if err != nil {
			return nil, err
		}
		if !counted {
			// Stored before, by an earlier delivery or an earlier text of
			// the same shared transaction: nothing changed.
			r.Duplicate = true
			return nil, nil
		}
		msg := stored
		msg.ConversationID = conv.ID
		inserted, err := tx.InsertMessage(ctx, &msg)
		if err != nil {
			return nil, err
		}
		if !inserted {
			// A concurrent transaction stored the same MessageUUID after
			// the upsert looked: undo the upsert.
			return nil, errDuplicate
		}
		events := []Event{{Kind: EventMessageReceived, ConversationID: conv.ID, MessageID: msg.ID, CreatedAt: now}}
		if err := s.assignNew(ctx, tx, &conv, now); err != nil {
			return nil, err
		}

		rules, err := s.rules.get(ctx, tx.KeywordRules)
		if err != nil {
			return nil, err
		}
		d := Decide(text, in.Intent, conv.OptedOut(), rules)
		if d.Consent != "" {
			ce := ConsentEvent{
				ContactNumber: in.From, ChannelNumber: in.To, Kind: d.Consent,
				Keyword: d.Keyword, Source: d.ConsentSource, OccurredAt: now,
			}
			if err := tx.RecordConsent(ctx, conv.ID, &ce); err != nil {
				return nil, err
			}
			conv.OptedOutAt = nil
			if d.Consent == ConsentOptOut {
				conv.OptedOutAt = &now
			}
			done := &Activity{Kind: ActivityOptedOut, Source: ce.Source, Detail: ce.Keyword}
			if d.Consent == ConsentOptIn {
				done.Kind = ActivityOptedIn
			}
			events = append(events, Event{Kind: EventConsentChanged, ConversationID: conv.ID, CreatedAt: now, Activity: done})
		}
		// Business hours answer what no keyword or opt-out word did, never
		// an opted-out contact.
		afterHours := false
		if d.Reply == "" && d.Consent == "" && !conv.OptedOut() {
			hours, err := s.hours.get(ctx, savedBusinessHours(tx))
			if err != nil {
				return nil, err
			}
			d.Reply, afterHours = hours.AutoReply(now, conv.MessageCount == 1, conv.AfterHoursRepliedAt)
		}
		// A blocked contact's texts are kept, but Parley does not answer them.
		if d.Reply != "" && conv.Status != ConversationBlocked {
			if afterHours {
				if err := tx.MarkAfterHoursReply(ctx, conv.ID, now); err != nil {
					return nil, err
				}
				conv.AfterHoursRepliedAt = &now
			}
			reply, err := s.storeAutoReply(ctx, tx, conv, in, d.Reply, now)
			if err != nil {
				return nil, err
			}
			conv.MessageCount++
			conv.LastMessagePreview, conv.LastMessageDirection, conv.LastMessageSentBy, conv.LastMessageMedia = Preview(reply.Body, PreviewLength), DirectionOutbound, 0, 0
			r.Reply = &reply
			events = append(events, Event{Kind: EventMessageQueued, ConversationID: conv.ID, MessageID: reply.ID, CreatedAt: now})
		}
		events = append(events, Event{Kind: EventConversationUpdated, ConversationID: conv.ID, CreatedAt: now})
		r.Message, r.Conversation = msg, conv
		return events, nil
	})
	if errors.Is(err, errDuplicate) {
		return Receipt{Duplicate: true}, nil
	}
	if err != nil {
		return Receipt{}, &Error{Code: EUNAVAILABLE, Message: "the message could not be stored; try again", Err: err}
	}
	if replayed {
		return Receipt{}, &Error{Code: ECONFLICT, Message: "this request was already received: its signature nonce was used before", Err: ErrNonceReused}
	}
	if r.Duplicate {
		return Receipt{Duplicate: true}, nil
	}
	return r, nil
}

// storeAutoReply stores Parley's answer to in. It leaves in the webhook's
// XML response, so it is queued with ViaXML and never claimed by the outbox.
func (s *Service) storeAutoReply(ctx context.Context, tx Tx, conv Conversation, in Inbound, body string, now time.Time) (Message, error) {
	seg := Segment(body)
	reply := Message{
		ConversationID: conv.ID, Direction: DirectionOutbound, From: in.To, To: in.From,
		Body: body, Encoding: seg.Encoding, Segments: seg.Segments,
		Status: StatusQueued, Via: ViaXML, CreatedAt: now, UpdatedAt: now,
	}
	if _, err := tx.InsertMessage(ctx, &reply); err != nil {
		return Message{}, err
	}
	if err := tx.TouchConversation(ctx, conv.ID, LastMessageOf(reply), now); err != nil {
		return Message{}, err
	}
	return reply, nil
}
