package inbox

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// DeliveryReport is one delivery report (status callback) from the carrier.
type DeliveryReport struct {
	// MessageUUID is the carrier's id of the message.
	MessageUUID string
	// MessageID is our id, from the callback URL's ref: how a message sent
	// in the webhook's XML answer, whose UUID Parley was never told, is
	// found. 0 when absent.
	MessageID int64
	// Status is the carrier's word: queued, sent, delivered, undelivered,
	// failed, rejected, or read (WhatsApp only).
	Status      Status
	ErrorCode   string
	Sequence    int
	Units       int
	TotalAmount string
	TotalRate   string
	Raw         map[string]string
	// OccurredAt is when the report was made; zero means now.
	OccurredAt time.Time
	// Nonces are the one-time values of the signed request that carried
	// the report, claimed in the report's own transaction (as
	// Inbound.Nonces).
	Nonces []string
}

// CarrierOptOutCode is Plivo's ErrorCode for a recipient who opted out
// (texted STOP) at the carrier.
const CarrierOptOutCode = "200"

// reportedStatus maps a carrier status to the status it moves a message
// to. Parley's "sent" means "in Plivo's hands", so Plivo's "queued" (it
// accepted the message) is sent as well. "read" is known but moves
// nothing. ok is false for an unknown word.
func reportedStatus(s Status) (next Status, ok bool) {
	switch s {
	case "queued", StatusSent:
		return StatusSent, true
	case StatusDelivered, StatusUndelivered, StatusFailed, StatusRejected:
		return s, true
	case "read":
		return "", true
	}
	return "", false
}

// RecordDelivery records a delivery report on the message it names: by
// MessageUUID, else by MessageID, in which case the message learns its UUID.
// The report joins the message's timeline, and the status moves forward
// only (Status.CanBecome), so a late "sent" never overwrites "delivered"
// and outcomes stay, except that "delivered" settles a message reported
// undelivered or failed before (it then offers no Retry). A message Parley
// marked unconfirmed takes the carrier's word, which is better evidence;
// one Parley never handed to the carrier stays failed.
// Any report also proves Plivo holds a message, so one still queued for a
// retry becomes sent and is not sent again. ErrorCode 200 opts the contact
// out (consent source "carrier"). A report already recorded (same message,
// status and Sequence) changes nothing, so RecordDelivery is idempotent.
// Concurrent reports may share a transaction (see GroupCommitter).
// It returns the message as it now is.
//
// Errors: EINVALID for an unknown status or a report naming no message;
// ENOTFOUND when no outbound message matches; ECONFLICT when MessageID names
// a message that has another UUID, or with ErrNonceReused for a request
// played again; EUNAVAILABLE when the store fails. The nonces are claimed
// only when the report is recorded (or found recorded before).
func (o *Outbox) RecordDelivery(ctx context.Context, r DeliveryReport) (Message, error) {
	next, ok := reportedStatus(r.Status)
	switch {
	case !ok:
		return Message{}, FieldError("Status", "not a known delivery status")
	case r.MessageUUID == "" && r.MessageID == 0:
		return Message{}, FieldError("MessageUUID", "missing")
	}
	now := o.now()
	occurred := r.OccurredAt
	if occurred.IsZero() {
		occurred = now
	}
	var (
		m        Message
		events   []Event
		replayed bool
	)
	atomically := o.store.AtomicallyOutbox
	if o.group != nil {
		// The message is the first row a report locks.
		key := "message " + r.MessageUUID + " " + strconv.FormatInt(r.MessageID, 10)
		atomically = func(ctx context.Context, fn func(context.Context, OutboxTx) error) error {
			return o.group.AtomicallyShared(ctx, SharedUnit{Key: key}, fn)
		}
	}
	err := atomically(ctx, func(ctx context.Context, tx OutboxTx) error {
		// Set afresh: a shared transaction may run this more than once.
		events, replayed = nil, false
		if len(r.Nonces) > 0 {
			claimed, err := tx.ClaimNonces(ctx, r.Nonces, now)
			if err != nil {
				return err
			}
			if !claimed {
				replayed = true
				return nil
			}
		}
		var err error
		if m, err = findReported(ctx, tx, r); err != nil {
			return err
		}
		ev := MessageEvent{
			MessageID: m.ID, Status: r.Status, ErrorCode: r.ErrorCode, Sequence: r.Sequence,
			OccurredAt: occurred, Raw: r.Raw,
		}
		if inserted, err := tx.InsertMessageEvent(ctx, &ev); err != nil || !inserted {
			return err
		}
		if updated, changed := applyReport(m, r, next, now); changed {
			saved, err := saveOutbound(ctx, tx, updated, now)
			if err != nil {
				return err
			}
			m = updated
			events = append(events, saved...)
		}
		if r.ErrorCode == CarrierOptOutCode {
			optOut, err := carrierOptOut(ctx, tx, m.ConversationID, now)
			if err != nil {
				return err
			}
			events = append(events, optOut...)
		}
		return logEvents(ctx, tx, o.hooks, events)
	})
	if err != nil {
		return Message{}, unavailable(err)
	}
	if replayed {
		return Message{}, &Error{Code: ECONFLICT, Message: "this request was already received: its signature nonce was used before", Err: ErrNonceReused}
	}
	o.pub.Publish(ctx, events...)
	return m, nil
}

// findReported locks the outbound message a report names.
func findReported(ctx context.Context, tx OutboxTx, r DeliveryReport) (Message, error) {
	if r.MessageUUID != "" {
		m, err := tx.LockMessageByProviderUUID(ctx, r.MessageUUID)
		if err == nil || !errors.Is(err, ErrNotFound) || r.MessageID == 0 {
			return m, err
		}
	}
	m, err := tx.LockMessage(ctx, r.MessageID)
	if err != nil {
		return Message{}, err
	}
	if m.Direction != DirectionOutbound {
		return Message{}, Errorf(ENOTFOUND, "no outbound message %d", r.MessageID)
	}
	if m.ProviderUUID != "" && r.MessageUUID != "" && m.ProviderUUID != r.MessageUUID {
		return Message{}, Errorf(ECONFLICT, "message %d has another MessageUUID", r.MessageID)
	}
	return m, nil
}

// applyReport is m as report r (whose status maps to next) leaves it, and
// whether that differs from m.
func applyReport(m Message, r DeliveryReport, next Status, now time.Time) (Message, bool) {
	changed := false
	if m.ProviderUUID == "" && r.MessageUUID != "" {
		m.ProviderUUID, changed = r.MessageUUID, true
	}
	if next != "" && canMove(m, next) {
		m.Status, m.ErrorCode, m.ErrorMessage, m.NextAttemptAt = next, "", "", nil
		if next.Terminal() && next != StatusDelivered && r.ErrorCode != "000" {
			m.ErrorCode = r.ErrorCode
		}
		changed = true
	}
	if changed {
		m.UpdatedAt = now
	}
	return m, changed
}

// canMove is Status.CanBecome, except that a message Parley marked
// unconfirmed takes any status the carrier reports, and one Parley never
// handed to the carrier (refused by the API, withheld for an opt-out or a
// block) stays failed: a report naming it is mistaken.
func canMove(m Message, next Status) bool {
	if m.Status == StatusFailed {
		switch m.ErrorCode {
		case ErrorCodeUnconfirmed:
			return next.rank() >= StatusSent.rank()
		case ErrorCodeRefused, ErrorCodeOptedOut, ErrorCodeBlocked:
			return false
		}
	}
	return m.Status.CanBecome(next)
}

// carrierOptOut opts the contact of a conversation out, as the carrier
// reported, unless they already are.
func carrierOptOut(ctx context.Context, tx OutboxTx, conversationID int64, now time.Time) ([]Event, error) {
	conv, err := tx.LockConversation(ctx, conversationID)
	if err != nil || conv.OptedOut() {
		return nil, err
	}
	ce := ConsentEvent{
		ContactNumber: conv.ContactNumber, ChannelNumber: conv.ChannelNumber, Kind: ConsentOptOut,
		Keyword: "ErrorCode " + CarrierOptOutCode, Source: "carrier", OccurredAt: now,
	}
	if err := tx.RecordConsent(ctx, conv.ID, &ce); err != nil {
		return nil, err
	}
	return []Event{
		{Kind: EventConsentChanged, ConversationID: conv.ID, CreatedAt: now},
		{Kind: EventConversationUpdated, ConversationID: conv.ID, CreatedAt: now},
	}, nil
}
