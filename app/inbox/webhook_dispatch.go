package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Webhook delivery defaults.
const (
	DefaultWebhookWorkers = 2
	DefaultWebhookPoll    = time.Second
	// DefaultWebhookLease outlasts a request's timeout (10 s) many times:
	// a claim older than it belongs to an instance that died mid-attempt,
	// and the delivery is tried again (at least once).
	DefaultWebhookLease = time.Minute
	// DefaultWebhookRetryFor is how long a delivery is retried from its
	// first attempt before it is marked failed.
	DefaultWebhookRetryFor = 24 * time.Hour
	// WebhookRetryBase and WebhookRetryCap bound the pause between tries.
	WebhookRetryBase = 10 * time.Second
	WebhookRetryCap  = time.Hour
	// DefaultWebhookPauseAfter and DefaultWebhookPauseFailures: an
	// endpoint that has failed every attempt for an hour, at least ten
	// in a row, is paused and the admins are told.
	DefaultWebhookPauseAfter    = time.Hour
	DefaultWebhookPauseFailures = 10
	// WebhookLogRetention is how long delivered and failed deliveries
	// stay in an endpoint's log.
	WebhookLogRetention = 30 * 24 * time.Hour
	// webhookErrorRunes bounds the words kept of a failure.
	webhookErrorRunes = 300
)

// WebhookDispatcherOptions are the ports and settings of a
// WebhookDispatcher. Store, Webhooks and Poster are required; zero values
// pick the defaults above.
type WebhookDispatcherOptions struct {
	Store    Store
	Webhooks WebhookStore
	Poster   WebhookPoster
	Clock    Clock
	Log      *slog.Logger
	Workers  int
	Poll     time.Duration
	Lease    time.Duration
	RetryFor time.Duration
	// RetryBase and RetryCap are WebhookRetryBase and WebhookRetryCap
	// unless set (tests shorten them).
	RetryBase, RetryCap time.Duration
	PauseAfter          time.Duration
	PauseFailures       int
	// ThreadURL is a conversation's address in Parley, for payloads.
	ThreadURL func(conversationID int64) string
}

// WebhookDispatcher delivers queued webhooks: in order per endpoint and
// conversation (a later event waits until the earlier one is delivered
// or finally failed), at least once, retrying with backoff and jitter for
// a day. Several dispatchers (in one process or many) may share a store.
type WebhookDispatcher struct {
	o      WebhookDispatcherOptions
	jitter func(n int64) int64
}

// NewWebhookDispatcher returns a dispatcher; Run starts it.
func NewWebhookDispatcher(o WebhookDispatcherOptions) *WebhookDispatcher {
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	o.Workers = cmpOr(o.Workers, DefaultWebhookWorkers)
	o.Poll = cmpOr(o.Poll, DefaultWebhookPoll)
	o.Lease = cmpOr(o.Lease, DefaultWebhookLease)
	o.RetryFor = cmpOr(o.RetryFor, DefaultWebhookRetryFor)
	o.RetryBase = cmpOr(o.RetryBase, WebhookRetryBase)
	o.RetryCap = cmpOr(o.RetryCap, WebhookRetryCap)
	o.PauseAfter = cmpOr(o.PauseAfter, DefaultWebhookPauseAfter)
	o.PauseFailures = cmpOr(o.PauseFailures, DefaultWebhookPauseFailures)
	return &WebhookDispatcher{o: o, jitter: rand.Int64N}
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Workers is how many Work loops the dispatcher is meant to run.
func (w *WebhookDispatcher) Workers() int { return w.o.Workers }

// Run delivers until ctx ends, with Workers Work loops.
func (w *WebhookDispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range w.o.Workers {
		wg.Go(func() { w.Work(ctx) })
	}
	wg.Wait()
}

// Work is one worker: it delivers what is due, one at a time, and looks
// again every Poll when nothing was, until ctx ends.
func (w *WebhookDispatcher) Work(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for ctx.Err() == nil {
			did, err := w.DeliverNext(ctx)
			if err != nil && ctx.Err() == nil {
				w.o.Log.Warn("webhooks: deliver", "err", err)
			}
			if !did || err != nil {
				break
			}
		}
		t.Reset(w.o.Poll)
	}
}

// DeliverDue delivers every delivery due now, one attempt each, and
// returns how many it attempted. Errors: EUNAVAILABLE.
func (w *WebhookDispatcher) DeliverDue(ctx context.Context) (int, error) {
	n := 0
	for {
		did, err := w.DeliverNext(ctx)
		if err != nil || !did {
			return n, err
		}
		n++
	}
}

// DeliverNext claims one due delivery and attempts it; it reports whether
// there was one. ctx ending (a shutdown) cuts the request short; its
// outcome is then not recorded, and the delivery is tried again when its
// claim runs out: at least once, and no failure counted against the
// endpoint for Parley's own stop.
func (w *WebhookDispatcher) DeliverNext(ctx context.Context) (bool, error) {
	now := w.now()
	claimed, err := w.o.Webhooks.ClaimWebhookDeliveries(ctx, now, now.Add(w.o.Lease), 1)
	if err != nil {
		return false, unavailable(err)
	}
	if len(claimed) == 0 {
		return false, nil
	}
	return true, w.attempt(ctx, claimed[0])
}

func (w *WebhookDispatcher) attempt(ctx context.Context, d WebhookDelivery) error {
	ep, err := w.o.Webhooks.FindWebhookEndpoint(ctx, d.EndpointID)
	if err != nil {
		return unavailable(err)
	}
	if len(d.Payload) == 0 {
		if d.Payload, err = w.payload(ctx, d); err != nil {
			return err
		}
	}
	now := w.now()
	res := w.o.Poster.Post(ctx, WebhookRequest{Endpoint: ep, ID: d.WebhookID(), Timestamp: now, Type: d.Type, Payload: d.Payload})
	if ctx.Err() != nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	ok := res.OK()
	w.settle(&d, res, now)
	ep, err = w.o.Webhooks.RecordWebhookAttempt(ctx, d, ok)
	if err != nil {
		return unavailable(err)
	}
	if !ok {
		w.o.Log.Info("webhooks: attempt failed", "endpoint_id", ep.ID, "delivery_id", d.ID, "status", res.Status, "attempts", d.Attempts, "state", d.State, "err", res.Err)
		return w.pauseIfFailing(ctx, ep, now)
	}
	return nil
}

// settle sets d as the attempt at now that got res left it: delivered;
// failed, past the retry window; or pending, due again after a backoff.
func (w *WebhookDispatcher) settle(d *WebhookDelivery, res WebhookResponse, now time.Time) {
	d.Attempts++
	if d.FirstAttemptAt == nil {
		d.FirstAttemptAt = &now
	}
	d.LastAttemptAt, d.LastStatus, d.LastLatency, d.LastResponse, d.LastError = &now, res.Status, res.Latency, res.Body, ""
	switch {
	case res.OK():
		d.State = WebhookDelivered
		return
	case res.Err != nil:
		d.LastError = truncateRunes(res.Err.Error(), webhookErrorRunes)
	default:
		d.LastError = fmt.Sprintf("the endpoint answered HTTP %d", res.Status)
	}
	next := now.Add(w.backoff(d.Attempts))
	if next.Sub(*d.FirstAttemptAt) > w.o.RetryFor {
		d.State = WebhookFailed
		d.LastError += "; gave up after " + w.o.RetryFor.String()
		return
	}
	d.State, d.NextAttemptAt = WebhookPending, next
}

// backoff is the pause after the attempt-th failure: exponential from
// RetryBase, capped at RetryCap, with equal jitter so endpoints that
// failed together are not retried together.
func (w *WebhookDispatcher) backoff(attempt int) time.Duration {
	ceiling := w.o.RetryCap
	if attempt >= 1 && attempt < 30 && w.o.RetryBase<<(attempt-1) < ceiling {
		ceiling = w.o.RetryBase << (attempt - 1)
	}
	half := int64(ceiling) / 2
	return time.Duration(half + w.jitter(int64(ceiling)-half+1))
}

// pauseIfFailing pauses ep when it has failed for PauseAfter, at least
// PauseFailures attempts in a row, and tells the admins in the audit log
// (the settings screen shows the pause).
func (w *WebhookDispatcher) pauseIfFailing(ctx context.Context, ep WebhookEndpoint, now time.Time) error {
	if ep.Paused() || ep.FailingSince == nil || ep.ConsecutiveFailures < w.o.PauseFailures || now.Sub(*ep.FailingSince) < w.o.PauseAfter {
		return nil
	}
	reason := fmt.Sprintf("Every delivery failed for %s (%d attempts in a row).", now.Sub(*ep.FailingSince).Round(time.Minute), ep.ConsecutiveFailures)
	audit := &AuditEntry{ActorEmail: "Parley", Action: AuditWebhookPaused, Subject: ep.Host(), Detail: reason, At: now}
	paused, err := w.o.Webhooks.PauseWebhookEndpoint(ctx, ep.ID, now, reason, audit)
	if err != nil {
		return unavailable(err)
	}
	if paused {
		w.o.Log.Warn("webhooks: endpoint paused after failing", "endpoint_id", ep.ID, "host", ep.Host(), "failures", ep.ConsecutiveFailures)
	}
	return nil
}

// payload builds d's body from the conversation (and for contact.*
// events the contact) as it is, and the message and activity line it
// names.
func (w *WebhookDispatcher) payload(ctx context.Context, d WebhookDelivery) ([]byte, error) {
	conv, err := w.o.Store.FindConversationByID(ctx, d.ConversationID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, unavailable(err)
	}
	var msg *Message
	if d.MessageID != 0 {
		m, err := w.o.Store.FindMessageByID(ctx, d.MessageID)
		switch {
		case err == nil:
			msg = &m
		case !errors.Is(err, ErrNotFound):
			return nil, unavailable(err)
		}
	}
	var act *Activity
	if d.ActivityID != 0 {
		a, err := w.o.Store.FindActivityByID(ctx, d.ActivityID)
		switch {
		case err == nil:
			act = &a
		case !errors.Is(err, ErrNotFound):
			return nil, unavailable(err)
		}
	}
	var contact *Contact
	if d.Type.Resource() == "contact" && conv.ContactNumber != "" {
		c, err := w.o.Store.FindContact(ctx, conv.ContactNumber)
		switch {
		case err == nil:
			contact = &c
		case !errors.Is(err, ErrNotFound):
			return nil, unavailable(err)
		}
	}
	thread := ""
	if w.o.ThreadURL != nil {
		thread = w.o.ThreadURL(d.ConversationID)
	}
	return BuildWebhookPayload(d, conv, msg, act, contact, thread)
}

func (w *WebhookDispatcher) now() time.Time { return w.o.Clock.Now().UTC().Truncate(time.Microsecond) }

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
