package inbox

import "context"

// RetryMessage sends the text and attachments of a failed outbound message
// again, as a new queued message from actor; the failed one is never sent
// again itself, so its history stays true. The failed message records the new one in
// RetriedAs, which makes a second retry of it a conflict rather than a
// second text to the contact. Failed means failed, undelivered or rejected.
// The consent law and the send limits apply as in SendReply; a refused
// retry still counts against the limits. The store must implement
// OutboxStore as well as Store.
//
// Errors: EINVALID unless the message is a failed outbound one; ECONFLICT
// when it was already sent again; ERATELIMITED when actor is over
// SendLimits (with RetryAfter); EOPTEDOUT; EBLOCKED; ENOTFOUND;
// EUNAVAILABLE; EINTERNAL when the store cannot do it. Nothing is queued on
// error.
func (s *Service) RetryMessage(ctx context.Context, actor User, messageID int64) (Message, error) {
	ob, ok := s.store.(OutboxStore)
	if !ok {
		return Message{}, Errorf(EINTERNAL, "this store cannot send messages again")
	}
	if err := s.allowSend(ctx, actor); err != nil {
		return Message{}, err
	}
	now := s.now()
	var (
		msg    Message
		events []Event
	)
	err := ob.AtomicallyOutbox(ctx, func(ctx context.Context, tx OutboxTx) error {
		// Message first, then conversation: the order every outbox
		// transaction takes its locks in.
		old, err := tx.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		if old.Direction != DirectionOutbound || !retriable(old.Status) {
			return Errorf(EINVALID, "only a message that failed can be sent again")
		}
		if old.RetriedAs != 0 {
			return Errorf(ECONFLICT, "this message was already sent again")
		}
		seg, err := validateContent(old.Body, old.Media)
		if err != nil {
			return err
		}
		conv, err := tx.LockConversation(ctx, old.ConversationID)
		if err != nil {
			return err
		}
		if msg, events, err = s.queue(ctx, tx, actor, conv, old.Body, old.Media, seg, now); err != nil {
			return err
		}
		old.RetriedAs, old.UpdatedAt = msg.ID, now
		saved, err := saveOutbound(ctx, tx, old, now)
		if err != nil {
			return err
		}
		events = append(events, saved...)
		return logEvents(ctx, tx, s.hooks, events)
	})
	if err != nil {
		return Message{}, unavailable(err)
	}
	s.pub.Publish(ctx, events...)
	return msg, nil
}

func retriable(s Status) bool {
	return s == StatusFailed || s == StatusUndelivered || s == StatusRejected
}
