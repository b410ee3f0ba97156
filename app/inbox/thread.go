package inbox

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
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
	if err := s.activityFor(ctx, id, &msgs, time.Time{}); err != nil {
		return Thread{}, err
	}
	consent, err := s.store.ConsentHistory(ctx, conv.ContactNumber, conv.ChannelNumber)
	if err != nil {
		return Thread{}, unavailable(err)
	}
	return Thread{Conversation: conv, Messages: msgs, Consent: consent}, nil
}

// MarkRead marks a conversation read, as opening it does: for a page
// that has the thread open and in view when a new text arrives. Unread
// state is the team's, not each agent's. A conversation already read is
// left as is, so MarkRead is idempotent.
//
// Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) MarkRead(ctx context.Context, id int64) error {
	conv, err := s.store.FindConversationByID(ctx, id)
	if err != nil {
		return unavailable(err)
	}
	if conv.UnreadCount == 0 {
		return nil
	}
	return s.markRead(ctx, id)
}

func (s *Service) markRead(ctx context.Context, id int64) error {
	_, err := s.changeConversation(ctx, id, func(ctx context.Context, tx Tx, _ *Conversation, now time.Time) ([]Event, error) {
		if err := tx.MarkRead(ctx, id, now); err != nil {
			return nil, err
		}
		return []Event{{Kind: EventConversationUpdated}}, nil
	})
	return err
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
		if err := s.activityFor(ctx, id, &page, newer.CreatedAt); err != nil {
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
	return s.changeConversation(ctx, id, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		if conv.Status == status {
			return nil, nil
		}
		if err := tx.SetConversationStatus(ctx, id, status, now); err != nil {
			return nil, err
		}
		if action, ok := blockAudit(conv.Status, status); ok {
			if err := tx.AppendAudit(ctx, s.auditEntry(actor, action, string(conv.ContactNumber), "on "+string(conv.ChannelNumber))); err != nil {
				return nil, err
			}
		}
		done := &Activity{ActorID: actor.ID, Kind: statusActivity(conv.Status, status)}
		conv.Status, conv.UpdatedAt = status, now
		return []Event{{Kind: EventConversationUpdated, Activity: done}}, nil
	})
}

// blockAudit is the audit action of a status change from one status to
// another, when it blocks or unblocks the contact: closing and reopening
// are everyday work, not something admins account for.
func blockAudit(from, to ConversationStatus) (AuditAction, bool) {
	switch {
	case to == ConversationBlocked:
		return AuditBlocked, true
	case from == ConversationBlocked:
		return AuditUnblocked, true
	}
	return "", false
}

// SetConsentByAgent opts a contact out by hand (for a request made by
// phone or email), recorded with the agent as its source; any signed-in
// user may. Opting back in overrides the contact's STOP and goes through
// OptInByHand: asked for here, it fails as OptInByHand does without a
// reason. Asking for the state the contact is already in changes nothing.
//
// Errors: ENOTFOUND; EFORBIDDEN and EINVALID (opting in); EUNAVAILABLE.
func (s *Service) SetConsentByAgent(ctx context.Context, actor User, id int64, optOut bool) (Conversation, error) {
	if !optOut {
		return s.OptInByHand(ctx, actor, id, "")
	}
	return s.setConsent(ctx, actor, id, ConsentEvent{Kind: ConsentOptOut, Source: "agent"}, AuditOptOutByAgent)
}

// maxConsentReasonRunes bounds the reason given for an opt-in by hand, so
// the audit entry (auditDetailMaxRunes, with the number) keeps it whole.
const maxConsentReasonRunes = 160

// OptInByHand opts an opted-out contact back in on an admin's word,
// overriding their STOP. Re-subscription should come from the contact
// texting START, so only an admin may do it, and only with a reason (how
// and when the contact asked), which the consent history (source
// "manual") and the audit log keep. A contact who is not opted out is left
// as is.
//
// Errors: EFORBIDDEN for anyone but an admin; EINVALID (field "reason")
// for an empty or overlong reason; ENOTFOUND; EUNAVAILABLE.
func (s *Service) OptInByHand(ctx context.Context, actor User, id int64, reason string) (Conversation, error) {
	if actor.Role != RoleAdmin {
		return Conversation{}, Errorf(EFORBIDDEN, "only an admin can opt a contact back in; a contact resubscribes by texting START")
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Conversation{}, FieldError("reason", "say how and when the contact asked to hear from you again")
	case utf8.RuneCountInString(reason) > maxConsentReasonRunes:
		return Conversation{}, FieldError("reason", "keep the reason under %d characters", maxConsentReasonRunes)
	}
	return s.setConsent(ctx, actor, id, ConsentEvent{Kind: ConsentOptIn, Source: "manual", Reason: reason}, AuditOptInByAgent)
}

// setConsent records change (its Kind, Source and Reason) on the
// conversation's contact, with an audit entry, unless the contact is in
// that state already.
func (s *Service) setConsent(ctx context.Context, actor User, id int64, change ConsentEvent, action AuditAction) (Conversation, error) {
	optOut := change.Kind == ConsentOptOut
	return s.changeConversation(ctx, id, func(ctx context.Context, tx Tx, conv *Conversation, now time.Time) ([]Event, error) {
		if conv.OptedOut() == optOut {
			return nil, nil
		}
		ce := change
		ce.ContactNumber, ce.ChannelNumber, ce.ActorID, ce.OccurredAt = conv.ContactNumber, conv.ChannelNumber, actor.ID, now
		if err := tx.RecordConsent(ctx, conv.ID, &ce); err != nil {
			return nil, err
		}
		detail := "to " + string(conv.ChannelNumber)
		if ce.Reason != "" {
			detail += ": " + ce.Reason
		}
		if err := tx.AppendAudit(ctx, s.auditEntry(actor, action, string(conv.ContactNumber), detail)); err != nil {
			return nil, err
		}
		conv.OptedOutAt = nil
		if optOut {
			conv.OptedOutAt = &now
		}
		done := Activity{ActorID: actor.ID, Kind: ActivityOptedIn, Source: ce.Source, Detail: ce.Reason}
		if optOut {
			done.Kind = ActivityOptedOut
		}
		return []Event{{Kind: EventConsentChanged, Activity: &done}, {Kind: EventConversationUpdated}}, nil
	})
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
