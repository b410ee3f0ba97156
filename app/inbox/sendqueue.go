package inbox

import (
	"context"
	"slices"
	"time"
)

// NumberQueue is one sending number's outbox queue as the store counts it.
type NumberQueue struct {
	Number Number
	// Queued counts the messages waiting to be sent from Number, due now or
	// later (a retry).
	Queued int
	// OldestQueuedAt is when the longest-waiting of them was written;
	// nil when none waits.
	OldestQueuedAt *time.Time
	// NextSendAt is when the number's pace next lets it send; nil when it
	// has not sent since pacing began.
	NextSendAt *time.Time
}

// SendQueueStore reads the outbox's queues.
type SendQueueStore interface {
	// SendQueues returns every number that has queued messages or a pace
	// row, and the end of the account's pause (nil when none was set).
	SendQueues(ctx context.Context) ([]NumberQueue, *time.Time, error)
}

// SendingNumber is one sending number on the Settings → Sending screen.
type SendingNumber struct {
	NumberQueue
	Kind NumberKind
	// Rate is messages per second; 0 when the number is not paced.
	Rate float64
}

// SendingOverview is the outbox per sending number, and the account's
// pause after a 429.
type SendingOverview struct {
	Now     time.Time
	Numbers []SendingNumber
	// PausedUntil is when sending may resume after Plivo's 429; nil when
	// sending is not paused.
	PausedUntil *time.Time
}

// SendingQueues shows the outbox's queue per sending number (numbers
// given first, then any other with queued messages), with each number's
// pace and the account's pause. It changes nothing.
//
// Errors: EFORBIDDEN unless actor is an admin; EINTERNAL when the store
// cannot count queues; EUNAVAILABLE.
func (o *Outbox) SendingQueues(ctx context.Context, actor User, numbers []Number) (SendingOverview, error) {
	if !actor.IsAdmin() {
		return SendingOverview{}, Errorf(EFORBIDDEN, "only admins can see the sending queues")
	}
	qs, ok := o.store.(SendQueueStore)
	if !ok {
		return SendingOverview{}, Errorf(EINTERNAL, "this store cannot count the sending queues")
	}
	queues, paused, err := qs.SendQueues(ctx)
	if err != nil {
		return SendingOverview{}, unavailable(err)
	}
	now := o.now()
	out := SendingOverview{Now: now}
	if paused != nil && paused.After(now) {
		out.PausedUntil = paused
	}
	byNumber := map[Number]NumberQueue{}
	for _, q := range queues {
		byNumber[q.Number] = q
	}
	all := slices.Clone(numbers)
	for _, q := range queues {
		if !slices.Contains(all, q.Number) {
			all = append(all, q.Number)
		}
	}
	for _, n := range all {
		q := byNumber[n]
		q.Number = n
		if q.NextSendAt != nil && !q.NextSendAt.After(now) {
			q.NextSendAt = nil
		}
		out.Numbers = append(out.Numbers, SendingNumber{NumberQueue: q, Kind: KindOf(n), Rate: o.pace.Rate(n)})
	}
	return out, nil
}
