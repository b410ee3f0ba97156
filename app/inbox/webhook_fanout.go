package inbox

import (
	"context"
	"slices"
	"time"
)

// WebhookFanout queues outgoing webhook deliveries in the transaction of
// the change they announce, one row per (event, subscribed endpoint), so a
// change that commits is never left unannounced and one that rolls back is
// never announced. The Service and the Outbox share one.
//
// The endpoints' subscriptions are cached like the keyword rules: this
// instance's edits empty the cache at once, another instance's show within
// the TTL. With no endpoint configured, a text costs one cached slice
// check and no write.
type WebhookFanout struct {
	subs *settingsCache[[]WebhookSubscription]
}

// NewWebhookFanout returns a fan-out that rereads subscriptions after ttl
// (zero: for every change).
func NewWebhookFanout(ttl time.Duration) *WebhookFanout {
	return &WebhookFanout{subs: &settingsCache[[]WebhookSubscription]{ttl: ttl}}
}

// invalidate forgets the cached subscriptions after an edit.
func (f *WebhookFanout) invalidate() {
	if f != nil {
		f.subs.invalidate()
	}
}

// subscriptions returns every endpoint's subscriptions, cached.
func (f *WebhookFanout) subscriptions(ctx context.Context, tx Tx) ([]WebhookSubscription, error) {
	if f == nil {
		return nil, nil
	}
	return f.subs.get(ctx, tx.WebhookSubscriptions)
}

// queue writes, through tx, a delivery of each event to each endpoint
// of subs subscribed to its type. The events must have their log IDs.
func (f *WebhookFanout) queue(ctx context.Context, tx Tx, subs []WebhookSubscription, events []Event) error {
	if len(subs) == 0 || len(events) == 0 {
		return nil
	}
	var out []WebhookDelivery
	for _, e := range events {
		t, ok := WebhookTypeOf(e)
		if !ok {
			continue
		}
		for _, s := range subs {
			if !slices.Contains(s.Events, t) {
				continue
			}
			out = append(out, newDelivery(s.EndpointID, t, e))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return tx.EnqueueWebhookDeliveries(ctx, out)
}

func newDelivery(endpointID int64, t WebhookEventType, e Event) WebhookDelivery {
	d := WebhookDelivery{
		EndpointID: endpointID, EventID: e.ID, Type: t, ConversationID: e.ConversationID,
		OccurredAt: e.CreatedAt, State: WebhookPending, NextAttemptAt: e.CreatedAt, CreatedAt: e.CreatedAt,
	}
	switch e.Kind {
	case EventMessageReceived, EventMessageStatus:
		d.MessageID, d.MessageStatus = e.MessageID, e.MessageStatus
	default:
		// On the other kinds the log's MessageID names the activity line.
		d.ActivityID = e.MessageID
	}
	return d
}

// WebhookTypeOf maps a logged event to the outgoing webhook type that
// announces it, if any. A reply's move to sent is message.sent; its later
// final statuses are message.status. A conversation closed or reopened
// by someone is conversation.closed or .opened (an inbound text that
// reopens a closed conversation is announced as message.received only).
// A label put on or taken off is conversation.labelled, its activity
// saying which.
func WebhookTypeOf(e Event) (WebhookEventType, bool) {
	var kind ActivityKind
	if e.Activity != nil {
		kind = e.Activity.Kind
	}
	switch e.Kind {
	case EventMessageReceived:
		return WebhookMessageReceived, true
	case EventMessageStatus:
		switch {
		case e.MessageStatus == StatusSent:
			return WebhookMessageSent, true
		case e.MessageStatus.Terminal():
			return WebhookMessageStatus, true
		}
	case EventConversationUpdated:
		switch kind {
		case ActivityClosed:
			return WebhookConversationClosed, true
		case ActivityReopened:
			return WebhookConversationOpened, true
		}
	case EventConversationAssigned:
		return WebhookConversationAssigned, true
	case EventConversationLabeled:
		return WebhookConversationLabelled, true
	case EventConsentChanged:
		// The carrier's opt-out (error 900 on a delivery report) carries
		// no activity line; it is always an opt-out.
		if kind == ActivityOptedIn {
			return WebhookContactOptedIn, true
		}
		return WebhookContactOptedOut, true
	}
	return "", false
}

// logEvents appends events to the log and queues their webhooks, in tx.
func logEvents(ctx context.Context, tx Tx, hooks *WebhookFanout, events []Event) error {
	subs, err := hooks.subscriptions(ctx, tx)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		// No delivery needs the events' IDs before the commit.
		return tx.AppendEventsAtCommit(ctx, events)
	}
	if err := tx.AppendEvents(ctx, events); err != nil {
		return err
	}
	return hooks.queue(ctx, tx, subs, events)
}
