package inbox

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Parley's own values of Message.ErrorCode. Plivo's codes are numbers
// ("30", "200"), so the two never clash.
const (
	// ErrorCodeUnconfirmed: Parley cannot tell whether Plivo took the
	// message, so it is neither retried nor reported as sent.
	ErrorCodeUnconfirmed = "unconfirmed"
	// ErrorCodeRefused: Plivo's API refused the request (a 4xx other than
	// 429); sending it again would fail again.
	ErrorCodeRefused = "refused"
	// ErrorCodeGaveUp: every try failed with a retryable error.
	ErrorCodeGaveUp = "gave_up"
	// ErrorCodeOptedOut and ErrorCodeBlocked: the contact opted out, or was
	// blocked, after the message was queued, so it was not sent.
	ErrorCodeOptedOut = "opted_out"
	ErrorCodeBlocked  = "blocked"
)

// UnconfirmedMessage is the ErrorMessage of a message found in sending after
// a crash. Parley does not ask Plivo's Message List API whether the message
// went out (no reconciliation call is made): a lost answer cannot be told
// from a lost request, and sending it blindly again could text the contact
// twice. An agent decides, and may send it again with RetryMessage.
const UnconfirmedMessage = "Parley stopped while sending this message, so it may or may not have been delivered. Check with the contact before sending it again."

const acceptedUnnamedMessage = "Plivo accepted the request but did not name the message, so it may or may not have been delivered. Check with the contact before sending it again."

const lostAnswerMessage = "Plivo did not answer, so Parley is asking Plivo whether it took this message before sending it again."

// retryAfter is how long a send's answer asked Parley to wait; 0 when it
// did not.
func retryAfter(err error) time.Duration {
	var se *SendError
	if errors.As(err, &se) && se.Status == 429 {
		return se.RetryAfter
	}
	return 0
}

// withheld says why a message must not go out to conv, if it must not.
func withheld(conv Conversation) (code, why string) {
	switch {
	case conv.OptedOut():
		return ErrorCodeOptedOut, "Not sent: the contact opted out before this message went out."
	case conv.Status == ConversationBlocked:
		return ErrorCodeBlocked, "Not sent: the contact was blocked before this message went out."
	}
	return "", ""
}

// afterSend is the message as one send's outcome leaves it, and whether
// that differs from m. It is the outbox's rulebook:
//
//   - a UUID means sent;
//   - a 2xx without a UUID is unconfirmed: Plivo may have taken it;
//   - a non-retryable error fails the message with Plivo's words;
//   - a retryable one queues it again after a backoff, until MaxAttempts;
//     after no answer at all, not before AnswerLostWait.
//
// When m is no longer in sending, a delivery report got there first (it
// names the message by ref) and knows better; only a missing UUID is
// filled in, and a message queued again meanwhile becomes sent. A message marked unconfirmed meanwhile takes a definite
// outcome (sent, or refused), never a retry.
func (o *Outbox) afterSend(m Message, uuid string, sendErr error, now time.Time) (Message, bool) {
	unconfirmed := m.Status == StatusFailed && m.ErrorCode == ErrorCodeUnconfirmed
	if m.Status != StatusSending && !unconfirmed {
		if sendErr == nil && uuid != "" && m.Status == StatusQueued {
			// The answer came after a lookup found nothing and queued the
			// message again: Plivo has it, so it is not sent a second time.
			m.ProviderUUID, m.Status, m.ErrorCode, m.ErrorMessage = uuid, StatusSent, "", ""
			m.NextAttemptAt, m.UpdatedAt = nil, now
			return m, true
		}
		if sendErr == nil && uuid != "" && m.ProviderUUID == "" {
			m.ProviderUUID, m.UpdatedAt = uuid, now
			return m, true
		}
		return m, false
	}
	var se *SendError
	switch {
	case sendErr == nil && uuid != "":
	case sendErr == nil:
		se = &SendError{Status: 200, Message: "no message UUID in the answer"}
	case !errors.As(sendErr, &se):
		se = &SendError{Retryable: true, Message: "the send failed", Err: sendErr}
	}
	if unconfirmed && se != nil && (se.Retryable || se.Status/100 == 2) {
		return m, false
	}
	if !unconfirmed && (se == nil || se.RetryAfter <= 0) {
		// A 429 that says how long to wait is the carrier's pace, not a
		// failed try: it never brings the message nearer giving up.
		m.Attempts++
	}
	m.UpdatedAt, m.NextAttemptAt = now, nil
	switch {
	case se == nil:
		m.ProviderUUID, m.Status, m.ErrorCode, m.ErrorMessage = uuid, StatusSent, "", ""
	case se.Status/100 == 2:
		m.Status, m.ErrorCode, m.ErrorMessage = StatusFailed, ErrorCodeUnconfirmed, acceptedUnnamedMessage
	case !se.Retryable:
		m.Status, m.ErrorCode = StatusFailed, ErrorCodeRefused
		m.ErrorMessage = "Plivo refused the message: " + se.Message
	case se.Status == 0 && !se.NotSent && o.lookup != nil:
		// No answer: Plivo may have taken the message. Reconcile asks
		// Plivo before anything is sent again.
		m.Status, m.ErrorCode, m.ErrorMessage = StatusFailed, ErrorCodeUnconfirmed, lostAnswerMessage
	case se.RetryAfter > 0:
		next := now.Add(se.RetryAfter)
		m.Status, m.ErrorCode, m.NextAttemptAt = StatusQueued, "", &next
		m.ErrorMessage = fmt.Sprintf("Plivo asked Parley to wait %s: %s. Parley will try again then.", se.RetryAfter, se.Message)
	case m.Attempts >= o.maxAttempts:
		m.Status, m.ErrorCode = StatusFailed, ErrorCodeGaveUp
		m.ErrorMessage = fmt.Sprintf("Parley tried %d times and gave up. The last try failed: %s", m.Attempts, se.Message)
	default:
		wait := o.backoff(m.Attempts)
		if se.Status == 0 {
			// No answer at all: Plivo may have taken the message and only
			// its answer was lost. Its delivery report names the message
			// (ref) and cancels this retry, so give it time to come.
			wait = max(wait, AnswerLostWait)
		}
		next := now.Add(wait)
		m.Status, m.ErrorCode, m.NextAttemptAt = StatusQueued, "", &next
		m.ErrorMessage = fmt.Sprintf("Try %d failed: %s. Parley will try again.", m.Attempts, se.Message)
	}
	return m, true
}

// backoff is the pause after the attempt-th failed try: exponential (base
// RetryBase, capped at RetryCap) with equal jitter, between half the
// ceiling and the ceiling, so instances that failed together do not retry
// together; never under minRetryDelay. The fixed half is what guarantees
// how long an outage the outbox rides out before it gives up (see
// DefaultMaxAttempts); full jitter could spend every try in seconds.
func (o *Outbox) backoff(attempt int) time.Duration {
	ceiling := RetryCap
	if attempt >= 1 && attempt < 20 {
		ceiling = min(RetryCap, RetryBase<<(attempt-1))
	}
	half := int64(ceiling) / 2
	return max(time.Duration(half+o.jitter(int64(ceiling)-half+1)), minRetryDelay)
}

// RecoverStale marks every message left in sending for longer than the
// lease as failed with ErrorCodeUnconfirmed and UnconfirmedMessage: the
// process sending it stopped before it recorded Plivo's answer. Such a
// message is never sent again by itself (UnconfirmedMessage says
// why). It returns how many it marked, and is idempotent.
//
// Errors: EUNAVAILABLE when the store fails.
func (o *Outbox) RecoverStale(ctx context.Context) (int, error) {
	total := 0
	for {
		now := o.now()
		var (
			events []Event
			marked int
		)
		err := o.store.AtomicallyOutbox(ctx, func(ctx context.Context, tx OutboxTx) error {
			events = nil
			msgs, err := tx.StaleSendingMessages(ctx, now.Add(-o.lease), staleBatch)
			if err != nil {
				return err
			}
			marked = len(msgs)
			for _, m := range msgs {
				m.Status, m.ErrorCode, m.ErrorMessage = StatusFailed, ErrorCodeUnconfirmed, UnconfirmedMessage
				m.NextAttemptAt, m.UpdatedAt = nil, now
				saved, err := saveOutbound(ctx, tx, m, now)
				if err != nil {
					return err
				}
				events = append(events, saved...)
			}
			return logEvents(ctx, tx, o.hooks, events)
		})
		if err != nil {
			return total, unavailable(err)
		}
		o.pub.Publish(ctx, events...)
		total += marked
		if marked < staleBatch {
			return total, nil
		}
	}
}
