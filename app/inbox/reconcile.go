package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// How the lookup of an unconfirmed message went (Message.Reconcile).
const (
	// ReconcilePending: not looked up yet, or looked up too early to tell.
	ReconcilePending = ""
	// ReconcileResent: Plivo had no record of it, so it was sent again
	// once; it is never sent again by the lookup a second time.
	ReconcileResent = "resent"
	// ReconcilePerson: the lookup could not settle it; the evidence is in
	// ErrorMessage and an agent decides.
	ReconcilePerson = "person"
)

// Reconciliation timing.
const (
	// DefaultReconcileAfter is how long after a claim Parley takes Plivo's
	// message list to be complete: a message Plivo took is listed by
	// then, so one still missing was never taken. Plivo creates the record
	// when it accepts the request (the 202 carries its UUID) and publishes
	// no delay for the list; ten minutes is far above any replication lag
	// while far inside the 24 hours the list searches without a time
	// filter and the 3 hours after which Plivo fails a queued message.
	DefaultReconcileAfter = 10 * time.Minute
	// ReconcileSkew widens the search window before the claim, for a
	// clock on this machine behind Plivo's.
	ReconcileSkew = time.Minute
	// reconcileBatch bounds the lookups of one pass: Plivo's message list
	// answers 20 requests a minute, and a pass runs every half lease.
	reconcileBatch = 5
)

// CarrierMessage is one message as the carrier's message API shows it.
type CarrierMessage struct {
	UUID      string
	From, To  Number
	Direction Direction
	// State is the carrier's word: queued, sent, delivered, undelivered,
	// failed.
	State string
	Time  time.Time
}

// SentQuery asks the carrier for the outbound messages From sent To
// between Since and Until.
type SentQuery struct {
	From, To     Number
	Since, Until time.Time
}

// MessageLookup reads the carrier's record of messages (Plivo's Message
// API: get and list).
type MessageLookup interface {
	// MessageByUUID returns the carrier's message with uuid. ENOTFOUND when
	// it has none.
	MessageByUUID(ctx context.Context, uuid string) (CarrierMessage, error)
	// SentMessages returns every outbound message matching q, all pages.
	SentMessages(ctx context.Context, q SentQuery) ([]CarrierMessage, error)
}

// lookupResult is what the carrier said about one unconfirmed message.
type lookupResult struct {
	candidates []CarrierMessage
	since      time.Time
	err        error
}

// Reconcile asks the carrier about unconfirmed messages (a send whose
// answer was lost) and settles what it can, before anything is sent again:
//
//   - exactly one matching message Plivo lists that no other message of
//     ours is → sent, with its UUID (later delivery reports attach to it);
//   - none, once DefaultReconcileAfter has passed since the claim → sent
//     again, once: the message is queued by a conditional change of its
//     state, so of two reconcilers only one requeues it;
//   - two or more, or a lookup still failing after that time, or none
//     after it was already sent again once → left for a person, with the
//     evidence in its ErrorMessage.
//
// A message whose state changed while it was looked up (a delivery report,
// the original answer arriving late, an agent sending it again, another
// reconciler) is left as it now is. It returns how many it settled and
// does nothing without a MessageLookup.
//
// Errors: EUNAVAILABLE when the store fails.
func (o *Outbox) Reconcile(ctx context.Context) (int, error) {
	if o.lookup == nil {
		return 0, nil
	}
	var msgs []Message
	err := o.store.AtomicallyOutbox(ctx, func(ctx context.Context, tx OutboxTx) error {
		var err error
		msgs, err = tx.UnconfirmedMessages(ctx, reconcileBatch)
		return err
	})
	if err != nil {
		return 0, unavailable(err)
	}
	settled := 0
	for _, m := range msgs {
		res := o.ask(ctx, m)
		ok, err := o.settle(ctx, m, res)
		if err != nil {
			return settled, unavailable(err)
		}
		if ok {
			settled++
		}
	}
	return settled, nil
}

// ask looks m up at the carrier: by UUID when Parley has one, else by
// numbers over the window from its claim until now. Plivo's list does not
// return the text, so numbers, direction and time are what can match.
func (o *Outbox) ask(ctx context.Context, m Message) lookupResult {
	since := claimedAt(m).Add(-ReconcileSkew)
	if m.ProviderUUID != "" {
		cm, err := o.lookup.MessageByUUID(ctx, m.ProviderUUID)
		if err == nil {
			return lookupResult{candidates: []CarrierMessage{cm}, since: since}
		}
		if ErrorCode(err) != ENOTFOUND {
			return lookupResult{since: since, err: err}
		}
	}
	found, err := o.lookup.SentMessages(ctx, SentQuery{From: m.From, To: m.To, Since: since, Until: o.now()})
	if err != nil {
		return lookupResult{since: since, err: err}
	}
	var matching []CarrierMessage
	for _, c := range found {
		if c.From == m.From && c.To == m.To && c.Direction == DirectionOutbound && !c.Time.Before(since) {
			matching = append(matching, c)
		}
	}
	return lookupResult{candidates: matching, since: since}
}

// claimedAt is when m was last claimed; a message unconfirmed before
// claims were recorded counts from a lease before its last change.
func claimedAt(m Message) time.Time {
	if m.ClaimedAt != nil {
		return *m.ClaimedAt
	}
	return m.UpdatedAt.Add(-DefaultSendLease)
}

// settle applies one lookup to m in a transaction, if m is still the
// unconfirmed send that was looked up.
func (o *Outbox) settle(ctx context.Context, m Message, res lookupResult) (bool, error) {
	now := o.now()
	var (
		events  []Event
		resent  bool
		settled bool
	)
	err := o.store.AtomicallyOutbox(ctx, func(ctx context.Context, tx OutboxTx) error {
		events, resent, settled = nil, false, false
		cur, err := tx.LockMessage(ctx, m.ID)
		if err != nil {
			return err
		}
		if !sameUnconfirmedSend(cur, m) {
			return nil
		}
		candidates, err := unknownCandidates(ctx, tx, cur.ID, res.candidates)
		if err != nil {
			return err
		}
		next, ok := o.verdict(cur, res, candidates, now)
		if !ok {
			return nil
		}
		settled, resent = true, next.Status == StatusQueued
		if events, err = saveOutbound(ctx, tx, next, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, events)
	})
	if err != nil {
		return false, err
	}
	o.pub.Publish(ctx, events...)
	if resent {
		o.Wake()
	}
	return settled, nil
}

// sameUnconfirmedSend reports whether cur is still the unconfirmed send m
// was when it was looked up.
func sameUnconfirmedSend(cur, m Message) bool {
	return cur.Status == StatusFailed && cur.ErrorCode == ErrorCodeUnconfirmed &&
		cur.Reconcile != ReconcilePerson && cur.RetriedAs == 0 &&
		cur.Reconcile == m.Reconcile && claimedAt(cur).Equal(claimedAt(m))
}

// unknownCandidates drops the carrier's messages another message of ours
// already carries: those are not this one.
func unknownCandidates(ctx context.Context, tx OutboxTx, id int64, cs []CarrierMessage) ([]CarrierMessage, error) {
	var out []CarrierMessage
	for _, c := range cs {
		other, err := tx.LockMessageByProviderUUID(ctx, c.UUID)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			out = append(out, c)
		case err != nil:
			return nil, err
		case other.ID == id:
			out = append(out, c)
		}
	}
	return out, nil
}

// verdict is m as one lookup leaves it, and whether it changed.
func (o *Outbox) verdict(m Message, res lookupResult, candidates []CarrierMessage, now time.Time) (Message, bool) {
	complete := !now.Before(claimedAt(m).Add(o.reconcileAfter))
	m.UpdatedAt = now
	switch {
	case res.err == nil && len(candidates) == 1:
		m.ProviderUUID, m.Status, m.ErrorCode, m.ErrorMessage = candidates[0].UUID, StatusSent, "", ""
		return m, true
	case res.err == nil && len(candidates) > 1:
		m.Reconcile = ReconcilePerson
		m.ErrorMessage = ambiguousEvidence(m, res.since, candidates)
		return m, true
	case !complete:
		return m, false
	case res.err != nil:
		m.Reconcile = ReconcilePerson
		m.ErrorMessage = "Parley could not ask Plivo whether this message went out (" + lookupFailure(res.err) +
			"), so it may or may not have been delivered. Check with the contact before sending it again."
		return m, true
	case m.Reconcile == ReconcileResent:
		m.Reconcile = ReconcilePerson
		m.ErrorMessage = "Plivo has no record of this message, which Parley already sent again once after a lost answer; it will not send it a third time. Check with the contact before sending it again."
		return m, true
	}
	next := now
	m.Status, m.ErrorCode, m.Reconcile, m.NextAttemptAt = StatusQueued, "", ReconcileResent, &next
	m.ErrorMessage = fmt.Sprintf("Plivo has no record of this message since %s, so Parley is sending it again.", res.since.Format("15:04:05 UTC"))
	return m, true
}

func ambiguousEvidence(m Message, since time.Time, cs []CarrierMessage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Plivo lists %d messages from %s to %s since %s and Parley cannot tell which one is this: ",
		len(cs), m.From.Display(), m.To.Display(), since.Format("2006-01-02 15:04:05 UTC"))
	for i, c := range cs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (%s at %s)", c.UUID, c.State, c.Time.UTC().Format("15:04:05"))
	}
	b.WriteString(". Check with the contact before sending it again.")
	return b.String()
}

// lookupFailure is a lookup error in words safe to show.
func lookupFailure(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "the lookup failed"
}
