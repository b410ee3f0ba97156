package inbox

import (
	"context"
	"time"
)

// A conversation carries a failed-reply mark (Conversation.FailedReplyID)
// from the moment one of its replies fails until that is dealt with: a
// later reply, or the same one sent again, reaches the carrier. Opening
// the thread does not clear it, so the Failed list stays a list of things
// still to do; closing the conversation takes it out of that list.

// Failed reports whether m is an outbound message that did not reach the
// contact and was not sent again: failed, undelivered or rejected.
func (m Message) Failed() bool {
	return m.Direction == DirectionOutbound && retriable(m.Status) && m.RetriedAs == 0
}

// saveOutbound writes m's delivery state and keeps its conversation's
// failed-reply mark true: set when m failed, cleared (for m and older
// replies) when m reached the carrier or was sent again. It returns the
// events to log: m's status, and the conversation's row when its mark
// changed.
func saveOutbound(ctx context.Context, tx OutboxTx, m Message, now time.Time) ([]Event, error) {
	if err := tx.SaveOutboundState(ctx, m); err != nil {
		return nil, err
	}
	events := []Event{statusEvent(m, now)}
	changed, err := false, error(nil)
	switch {
	case m.Direction != DirectionOutbound:
	case m.Failed():
		changed, err = tx.MarkReplyFailed(ctx, m.ConversationID, m.ID)
	case m.RetriedAs != 0, m.Status == StatusSent, m.Status == StatusDelivered:
		changed, err = tx.ClearReplyFailed(ctx, m.ConversationID, m.ID)
	}
	if err != nil {
		return nil, err
	}
	if changed {
		events = append(events, Event{Kind: EventConversationUpdated, ConversationID: m.ConversationID, CreatedAt: now})
	}
	return events, nil
}
