package inbox

import (
	"context"
	"time"
)

// ThreadPageSize is how many messages a thread shows at a time.
const ThreadPageSize = 50

// Thread is one conversation as an agent opens it.
type Thread struct {
	Conversation Conversation
	Messages     MessagePage
	Consent      []ConsentEvent
}

// ListConversations returns a page of the conversation list.
//
// Errors: EUNAVAILABLE when the store fails.
func (s *Service) ListConversations(ctx context.Context, q ConversationQuery) (ConversationPage, error) {
	q.Now = s.now()
	page, err := s.store.ListConversations(ctx, q.Normalise())
	if err != nil {
		return ConversationPage{}, unavailable(err)
	}
	return page, nil
}

// OpenThread returns a conversation with its newest messages and consent
// history, and marks it read.
//
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) OpenThread(ctx context.Context, id int64) (Thread, error) {
	conv, err := s.store.FindConversationByID(ctx, id)
	if err != nil {
		return Thread{}, unavailable(err)
	}
	if conv.UnreadCount > 0 {
		if err := s.markRead(ctx, conv.ID); err != nil {
			return Thread{}, err
		}
		conv.UnreadCount = 0
	}
	msgs, err := s.store.ListMessages(ctx, id, 0, ThreadPageSize)
	if err != nil {
		return Thread{}, unavailable(err)
	}
	if err := s.notesFor(ctx, id, &msgs, time.Time{}); err != nil {
		return Thread{}, err
	}
	consent, err := s.store.ConsentHistory(ctx, conv.ContactNumber, conv.ChannelNumber)
	if err != nil {
		return Thread{}, unavailable(err)
	}
	return Thread{Conversation: conv, Messages: msgs, Consent: consent}, nil
}

func (s *Service) markRead(ctx context.Context, id int64) error {
	now := s.now()
	events := []Event{{Kind: EventConversationUpdated, ConversationID: id, CreatedAt: now}}
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		if err := tx.MarkRead(ctx, id, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, events)
	})
	if err != nil {
		return unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return nil
}

// OlderMessages returns the page of a thread before message ID before.
//
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) OlderMessages(ctx context.Context, id, before int64) (MessagePage, error) {
	if _, err := s.store.FindConversationByID(ctx, id); err != nil {
		return MessagePage{}, unavailable(err)
	}
	page, err := s.store.ListMessages(ctx, id, before, ThreadPageSize)
	if err != nil {
		return MessagePage{}, unavailable(err)
	}
	// The page's notes end where the next newer page's begin: at the
	// message it was asked to go before.
	if newer, err := s.store.FindMessageByID(ctx, before); err == nil && newer.ConversationID == id {
		if err := s.notesFor(ctx, id, &page, newer.CreatedAt); err != nil {
			return MessagePage{}, err
		}
	}
	return page, nil
}

// FindMessage returns one message. Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) FindMessage(ctx context.Context, id int64) (Message, error) {
	m, err := s.store.FindMessageByID(ctx, id)
	if err != nil {
		return Message{}, unavailable(err)
	}
	return m, nil
}

// FindConversation returns one conversation. Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) FindConversation(ctx context.Context, id int64) (Conversation, error) {
	c, err := s.store.FindConversationByID(ctx, id)
	if err != nil {
		return Conversation{}, unavailable(err)
	}
	return c, nil
}

// SetConversationStatus closes, reopens, blocks or unblocks a conversation.
// Setting the status it already has changes nothing.
//
// Errors: EINVALID for an unknown status; ENOTFOUND; EUNAVAILABLE.
func (s *Service) SetConversationStatus(ctx context.Context, actor User, id int64, status ConversationStatus) (Conversation, error) {
	switch status {
	case ConversationOpen, ConversationClosed, ConversationBlocked:
	default:
		return Conversation{}, FieldError("status", "unknown status %q", status)
	}
	now := s.now()
	var (
		conv   Conversation
		events []Event
	)
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if conv, err = tx.LockConversation(ctx, id); err != nil {
			return err
		}
		if conv.Status == status {
			return nil
		}
		if err := tx.SetConversationStatus(ctx, id, status, now); err != nil {
			return err
		}
		conv.Status, conv.UpdatedAt = status, now
		events = []Event{{Kind: EventConversationUpdated, ConversationID: id, CreatedAt: now}}
		return tx.AppendEvents(ctx, events)
	})
	if err != nil {
		return Conversation{}, unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return conv, nil
}

// SetConsentByAgent opts a contact out or back in by hand (for a request
// made by phone or email), recorded with the agent as its source. Asking for
// the state the contact is already in changes nothing.
//
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) SetConsentByAgent(ctx context.Context, actor User, id int64, optOut bool) (Conversation, error) {
	now := s.now()
	var (
		conv   Conversation
		events []Event
	)
	err := s.store.Atomically(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if conv, err = tx.LockConversation(ctx, id); err != nil {
			return err
		}
		if conv.OptedOut() == optOut {
			return nil
		}
		kind := ConsentOptIn
		if optOut {
			kind = ConsentOptOut
		}
		ce := ConsentEvent{
			ContactNumber: conv.ContactNumber, ChannelNumber: conv.ChannelNumber, Kind: kind,
			Source: "agent", ActorID: actor.ID, OccurredAt: now,
		}
		if err := tx.RecordConsent(ctx, conv.ID, &ce); err != nil {
			return err
		}
		action := AuditOptInByAgent
		if optOut {
			action = AuditOptOutByAgent
		}
		if err := tx.AppendAudit(ctx, s.auditEntry(actor, action, string(conv.ContactNumber), "to "+string(conv.ChannelNumber))); err != nil {
			return err
		}
		conv.OptedOutAt = nil
		if optOut {
			conv.OptedOutAt = &now
		}
		events = []Event{
			{Kind: EventConsentChanged, ConversationID: id, CreatedAt: now},
			{Kind: EventConversationUpdated, ConversationID: id, CreatedAt: now},
		}
		return tx.AppendEvents(ctx, events)
	})
	if err != nil {
		return Conversation{}, unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return conv, nil
}

// UnreadConversations counts open conversations with unread messages,
// snoozed ones left out (they asked to wait), for the page title. Errors: EUNAVAILABLE.
func (s *Service) UnreadConversations(ctx context.Context) (int, error) {
	n, err := s.store.CountUnreadConversations(ctx, s.now())
	if err != nil {
		return 0, unavailable(err)
	}
	return n, nil
}
