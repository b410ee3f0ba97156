package inbox

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// errSendPanicked is the cause logged for a send that panicked.
var errSendPanicked = errors.New("outbox: the sender panicked")

// sendResult is one claimed message after its batch's sends.
type sendResult struct {
	m    Message
	uuid string
	err  error
	// tried is false for a message never handed to the carrier: a 429
	// paused the account, the outbox was told to stop, or the batch's
	// time ran out before its turn. It certainly did not go out, so it
	// goes back to the queue as it was.
	tried bool
	// lost is true when the send panicked before it could be told
	// apart from a lost answer (see sendOne).
	lost bool
}

// sendBatch claims a batch of due messages, sends them, and records their
// answers. It returns how many messages it handled (sent, tried or
// withheld; not those put back) and, when it handled none, when a paced
// number's next slot comes.
func (o *Outbox) sendBatch(ctx context.Context) (int, time.Time, error) {
	claimed, withheldN, slot, err := o.claimBatch(ctx)
	if err != nil || len(claimed) == 0 {
		return withheldN, slot, err
	}
	results := o.sendAll(ctx, claimed)
	o.recordAll(ctx, results)
	handled := withheldN
	for _, r := range results {
		if r.tried || r.lost {
			handled++
		}
	}
	return handled, time.Time{}, nil
}

// sendAll hands the claimed messages to the carrier: each conversation's
// one after another, in queue order, so a contact gets them in the order
// they were written; different conversations at once. Nothing is started
// after a 429 (the account is paused), after ctx ends (a stop finishes the
// sends under way and starts no more), or past half the lease, so a batch
// never outlives its claim. A send that has begun is not cut short by ctx.
func (o *Outbox) sendAll(ctx context.Context, msgs []Message) []sendResult {
	results := make([]sendResult, len(msgs))
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.lease/2)
	defer cancel()
	var paused atomic.Bool
	var wg sync.WaitGroup
	for _, chain := range byConversation(msgs) {
		wg.Go(func() {
			for _, i := range chain {
				results[i].m = msgs[i]
				if paused.Load() || ctx.Err() != nil || sendCtx.Err() != nil {
					continue
				}
				results[i] = o.sendOne(sendCtx, msgs[i])
				if retryAfter(results[i].err) > 0 {
					paused.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return results
}

// byConversation groups the indexes of msgs by conversation, each group in
// the order of msgs.
func byConversation(msgs []Message) [][]int {
	at := map[int64]int{}
	var chains [][]int
	for i, m := range msgs {
		c, ok := at[m.ConversationID]
		if !ok {
			c = len(chains)
			at[m.ConversationID] = c
			chains = append(chains, nil)
		}
		chains[c] = append(chains[c], i)
	}
	return chains
}

// sendOne hands m to the carrier. A panic in the sender (a bug) is
// recovered and counted here, so it costs its own message and not its
// batch's. The request may have reached the carrier before the panic, so
// it counts as a send whose answer was lost: looked up by Reconcile (or,
// without a lookup, tried again no sooner than AnswerLostWait), never
// resent at once. Left in sending instead, it would hold up its
// conversation's next messages (see inTurn) for the whole lease.
func (o *Outbox) sendOne(ctx context.Context, m Message) sendResult {
	r := sendResult{m: m, lost: true}
	panicked(o.log, "outbox", o.onPanic, func() {
		out := OutboundSMS{MessageID: m.ID, From: m.From, To: m.To, Text: m.Body}
		for _, media := range m.Media {
			out.MediaURLs = append(out.MediaURLs, o.mediaURL(media))
		}
		r.uuid, r.err = o.sender.Send(ctx, out)
		r.tried, r.lost = true, false
	})
	if r.lost {
		r.uuid, r.err = "", &SendError{Retryable: true, Message: "Parley failed while sending it", Err: errSendPanicked}
		r.tried, r.lost = true, false
	}
	if r.err != nil {
		// The thread shows the failure in safe words; the cause is here.
		o.log.Warn("outbox: send failed", "message_id", m.ID, "err", r.err)
	}
	return r
}

// recordAll stores the batch's answers in one transaction. Should that
// fail, each is recorded alone, with a few tries, so one message that
// cannot be recorded does not take the others' answers with it. The
// recording is bounded by a quarter of the lease and not cut short by ctx;
// a message whose answer could not be recorded stays in sending and is
// marked unconfirmed once the lease is over.
func (o *Outbox) recordAll(ctx context.Context, results []sendResult) {
	todo := make([]sendResult, 0, len(results))
	for _, r := range results {
		if !r.lost {
			todo = append(todo, r)
		}
	}
	if len(todo) == 0 {
		return
	}
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.lease/4)
	defer cancel()
	if len(todo) > 1 {
		err := o.record(recCtx, todo)
		if err == nil {
			return
		}
		o.log.Warn("outbox: recording a batch of answers failed; recording them one by one", "count", len(todo), "err", err)
	}
	for _, r := range todo {
		o.recordOne(recCtx, r)
	}
}

// recordOne stores one send's outcome, trying a few times.
func (o *Outbox) recordOne(ctx context.Context, r sendResult) {
	pause := 500 * time.Millisecond
	for try := 1; ; try++ {
		err := o.record(ctx, []sendResult{r})
		if err == nil {
			return
		}
		if try == recordTries || ctx.Err() != nil {
			o.log.Error("outbox: could not record a send; it will be marked unconfirmed",
				"message_id", r.m.ID, "provider_uuid", r.uuid, "err", err)
			return
		}
		time.Sleep(pause)
		pause *= 2
	}
}

// record stores the outcome of sends in one transaction: each message is
// locked, and moved on by afterSend, or put back in the queue when it was
// never tried; a 429's Retry-After pauses the account.
func (o *Outbox) record(ctx context.Context, results []sendResult) error {
	now := o.now()
	// Conversations are touched (their failed-reply mark) in id order, so
	// two batches never wait on each other in a circle.
	results = slices.Clone(results)
	slices.SortFunc(results, func(a, b sendResult) int {
		return cmp.Or(cmp.Compare(a.m.ConversationID, b.m.ConversationID), cmp.Compare(a.m.ID, b.m.ID))
	})
	ids := make([]int64, len(results))
	for i, r := range results {
		ids[i] = r.m.ID
	}
	var events []Event
	err := o.store.AtomicallyOutbox(ctx, func(ctx context.Context, tx OutboxTx) error {
		events = nil
		locked, err := tx.LockMessages(ctx, ids)
		if err != nil {
			return err
		}
		byID := make(map[int64]Message, len(locked))
		for _, m := range locked {
			byID[m.ID] = m
		}
		// A 429's Retry-After pauses the account (Plivo's limit is per
		// account, not per number).
		var pause time.Time
		for _, r := range results {
			if wait := retryAfter(r.err); wait > 0 && now.Add(wait).After(pause) {
				pause = now.Add(wait)
			}
		}
		for _, r := range results {
			m, ok := byID[r.m.ID]
			if !ok {
				// Deleted meanwhile (the conversation was removed):
				// nothing is left to record.
				continue
			}
			next, changed := m, false
			if r.tried {
				next, changed = o.afterSend(m, r.uuid, r.err, now)
			} else if m.Status == StatusSending {
				next.Status, next.UpdatedAt, changed = StatusQueued, now, true
				if !pause.IsZero() && (next.NextAttemptAt == nil || next.NextAttemptAt.Before(pause)) {
					// Due with the message told to wait, not before
					// it: the queue's order (due time, then id) keeps
					// the conversation's.
					next.NextAttemptAt = &pause
				}
			}
			if !changed {
				continue
			}
			saved, err := saveOutbound(ctx, tx, next, now)
			if err != nil {
				return err
			}
			events = append(events, saved...)
		}
		if !pause.IsZero() {
			if err := tx.PauseSending(ctx, pause); err != nil {
				return err
			}
		}
		return logEvents(ctx, tx, o.hooks, events)
	})
	if err != nil {
		return err
	}
	o.pub.Publish(ctx, events...)
	return nil
}
