package inbox

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Outbox defaults and retry timing.
const (
	DefaultOutboxWorkers = 4
	DefaultPollInterval  = 5 * time.Second
	// DefaultMaxAttempts with the backoff's fixed half means a carrier
	// outage of up to 705 s (1+2+4+…+128+150×3) never makes a message give
	// up; about 17 minutes on average.
	DefaultMaxAttempts = 12
	// DefaultSendLease is how long a message may stay in sending before
	// Parley concludes the process sending it died. It is far above the
	// carrier's HTTP timeout (10 s), so a live send never outlasts it.
	DefaultSendLease = 2 * time.Minute
	// AnswerLostWait is the least pause after a try that got no answer
	// (a timeout, a dropped connection): long enough for the delivery
	// report of a message Plivo took to arrive and settle it, so the retry
	// that would text the contact twice never happens.
	AnswerLostWait = time.Minute
	// RetryBase and RetryCap bound the exponential backoff between tries.
	RetryBase = 2 * time.Second
	RetryCap  = 5 * time.Minute
	// minRetryDelay keeps a retry from coming due in the same instant, so
	// one SendDue pass tries each message at most once.
	minRetryDelay = time.Second
	staleBatch    = 100
	recordTries   = 4
)

// OutboxOptions are the ports and settings of an Outbox. Store and Sender
// are required; zero values pick the defaults above, a nil Clock the system
// clock, a nil Publisher publishes nothing and a nil Log logs to
// slog.Default.
type OutboxOptions struct {
	Store     OutboxStore
	Sender    Sender
	Publisher Publisher
	Clock     Clock
	Workers   int
	// Batch is how many due messages a worker claims and records in one
	// transaction; DefaultClaimBatch unless set.
	Batch        int
	PollInterval time.Duration
	MaxAttempts  int
	// Lease is DefaultSendLease unless set.
	Lease time.Duration
	Log   *slog.Logger
	// OnPanic, when set, is told of every panic a worker ("outbox") or
	// the stale-send sweep ("outbox_recover") recovered from, for metrics.
	OnPanic func(unit string)
	// Pace says how fast each sending number may send.
	Pace SendPace
	// Lookup, when set, lets the outbox ask the carrier about a send whose
	// answer was lost (Reconcile) instead of sending it again blindly.
	Lookup MessageLookup
	// ReconcileAfter is DefaultReconcileAfter unless set.
	ReconcileAfter time.Duration
	// WebhookFanout queues outgoing webhooks for what the outbox changes
	// (sends, delivery reports); nil queues none.
	WebhookFanout *WebhookFanout
	// Media signs the URLs of attachments kept in Parley's store.
	Media MediaLinker
	// GroupCommit, when set, records concurrent delivery reports several
	// to a transaction; nil gives each its own.
	GroupCommit GroupCommitter
}

// Outbox sends queued API messages through the Sender, retries what may
// succeed later, and records delivery reports. It is safe for concurrent
// use, and several Outboxes (in one process or many) may share a store: a
// message is claimed by one of them only.
type Outbox struct {
	store       OutboxStore
	sender      Sender
	pub         Publisher
	clock       Clock
	log         *slog.Logger
	workers     int
	batch       int
	poll        time.Duration
	maxAttempts int
	lease       time.Duration
	// jitter returns a random duration in [0, n).
	jitter  func(n int64) int64
	onPanic func(unit string)
	hooks   *WebhookFanout
	linker  MediaLinker
	group   GroupCommitter

	pace           SendPace
	lookup         MessageLookup
	reconcileAfter time.Duration

	mu        sync.Mutex
	wake      chan struct{}
	schedWake chan struct{}
}

// NewOutbox returns an Outbox over its ports; Run starts it.
func NewOutbox(o OutboxOptions) *Outbox {
	ob := &Outbox{
		store: o.Store, sender: o.Sender, pub: o.Publisher, clock: o.Clock, log: o.Log,
		workers: o.Workers, batch: o.Batch, poll: o.PollInterval, maxAttempts: o.MaxAttempts, lease: o.Lease,
		jitter: rand.Int64N, wake: make(chan struct{}), schedWake: make(chan struct{}), onPanic: o.OnPanic,
		pace: o.Pace, lookup: o.Lookup, reconcileAfter: o.ReconcileAfter, hooks: o.WebhookFanout, linker: o.Media,
		group: o.GroupCommit,
	}
	if ob.reconcileAfter <= 0 {
		ob.reconcileAfter = DefaultReconcileAfter
	}
	if ob.pub == nil {
		ob.pub = nopPublisher{}
	}
	if ob.clock == nil {
		ob.clock = SystemClock{}
	}
	if ob.log == nil {
		ob.log = slog.Default()
	}
	if ob.workers <= 0 {
		ob.workers = DefaultOutboxWorkers
	}
	if ob.batch <= 0 {
		ob.batch = DefaultClaimBatch
	}
	if ob.poll <= 0 {
		ob.poll = DefaultPollInterval
	}
	if ob.maxAttempts <= 0 {
		ob.maxAttempts = DefaultMaxAttempts
	}
	if ob.lease <= 0 {
		ob.lease = DefaultSendLease
	}
	return ob
}

// Run sends due messages with a pool of workers until ctx is done,
// releases scheduled messages as they come due (see ReleaseDue), and
// every half lease marks messages left in sending by a crash as unconfirmed
// (see RecoverStale). When ctx ends, each worker finishes the send it is
// making, records its outcome, and stops; Run returns nil once all have.
// A worker claims a batch of due messages at a time and sends them at
// once; on a stop it finishes the sends under way and puts the rest of its
// batch back in the queue, so a stop never leaves a message claimed but
// unsent. A send that panics is counted and its message taken as one whose
// answer was lost (it may have reached the carrier); a worker that panics
// elsewhere is started again after PanicRestartDelay, and a message it
// held stays in sending until RecoverStale marks it unconfirmed.
func (o *Outbox) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { supervise(ctx, o.log, "outbox_recover", o.onPanic, o.recoverLoop) })
	wg.Go(func() { supervise(ctx, o.log, "outbox_schedule", o.onPanic, o.scheduleLoop) })
	for range o.workers {
		wg.Go(func() { supervise(ctx, o.log, "outbox", o.onPanic, o.work) })
	}
	wg.Wait()
	return nil
}

// Wake nudges idle workers to look for due messages now rather than at
// their next poll. It never blocks.
func (o *Outbox) Wake() {
	o.mu.Lock()
	defer o.mu.Unlock()
	close(o.wake)
	o.wake = make(chan struct{})
}

// WakeOnQueued returns a Publisher that forwards every event to next and
// wakes the outbox when a message is queued. Give it to the Service, so an
// agent's reply leaves at once.
func (o *Outbox) WakeOnQueued(next Publisher) Publisher {
	if next == nil {
		next = nopPublisher{}
	}
	return wakingPublisher{next: next, o: o}
}

type wakingPublisher struct {
	next Publisher
	o    *Outbox
}

// Publish wakes the outbox for a queued message, except in the events of
// an inbound text (those holding message.received): the only message Receive
// queues is an automatic reply, which leaves in the webhook's XML answer and
// never through the outbox, and waking every worker for it on each HELP
// text costs the database a claim transaction per worker for nothing.
func (p wakingPublisher) Publish(ctx context.Context, events ...Event) {
	p.next.Publish(ctx, events...)
	queued := false
	for _, e := range events {
		switch e.Kind {
		case EventMessageReceived:
			return
		case EventMessageQueued:
			queued = true
		case EventScheduleChanged:
			p.o.WakeScheduler()
		}
	}
	if queued {
		p.o.Wake()
	}
}

func (o *Outbox) wakeChan() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.wake
}

func (o *Outbox) work(ctx context.Context) {
	for ctx.Err() == nil {
		wake := o.wakeChan()
		handled, slot, err := o.sendBatch(ctx)
		if err != nil && ctx.Err() == nil {
			o.log.Warn("outbox: claim failed", "err", err)
		}
		if handled > 0 && err == nil {
			continue
		}
		wait := o.poll
		if !slot.IsZero() {
			// A paced number's next slot comes before the next poll.
			wait = min(wait, max(slot.Sub(o.now()), time.Millisecond))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

func (o *Outbox) recoverLoop(ctx context.Context) {
	tick := time.NewTicker(max(o.lease/2, time.Second))
	defer tick.Stop()
	for {
		n, err := o.RecoverStale(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			o.log.Warn("outbox: recovering stale sends failed", "err", err)
		case n > 0:
			o.log.Warn("outbox: messages left in sending by a stop are marked unconfirmed", "count", n)
		}
		if n, err := o.Reconcile(ctx); err != nil && ctx.Err() == nil {
			o.log.Warn("outbox: reconciling unconfirmed sends failed", "err", err)
		} else if n > 0 {
			o.log.Info("outbox: unconfirmed sends settled by Plivo's message list", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// SendDue claims and sends, a batch after another, every message due now,
// and returns how many it handled. A message that fails with a retryable
// error comes due again later, so a pass tries each message once at most.
//
// Errors: EUNAVAILABLE when the store fails; the messages handled before
// stay handled.
func (o *Outbox) SendDue(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		handled, _, err := o.sendBatch(ctx)
		if err != nil {
			return n, unavailable(err)
		}
		n += handled
		if handled == 0 {
			break
		}
	}
	return n, nil
}

func statusEvent(m Message, now time.Time) Event {
	return Event{Kind: EventMessageStatus, ConversationID: m.ConversationID, MessageID: m.ID, MessageStatus: m.Status, CreatedAt: now}
}

// now is the clock's time in UTC at microsecond precision, as Service.now.
func (o *Outbox) now() time.Time {
	return o.clock.Now().UTC().Truncate(time.Microsecond)
}
