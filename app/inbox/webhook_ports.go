package inbox

import (
	"context"
	"time"
)

// WebhookStore keeps outgoing webhook endpoints and their deliveries.
// Missing rows are ENOTFOUND. Every change that an admin makes carries the
// audit entry the store writes in the same transaction.
type WebhookStore interface {
	// WebhookSubscriptions is Tx.WebhookSubscriptions outside a
	// transaction.
	WebhookSubscriptions(ctx context.Context) ([]WebhookSubscription, error)
	// WebhookEndpoints returns every endpoint, oldest first.
	WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error)
	FindWebhookEndpoint(ctx context.Context, id int64) (WebhookEndpoint, error)
	// SaveWebhookEndpoint inserts e (setting its ID) or updates the row
	// with its ID: URL, kind, events, secret.
	SaveWebhookEndpoint(ctx context.Context, e *WebhookEndpoint, audit *AuditEntry) error
	// DeleteWebhookEndpoint removes the endpoint and its deliveries.
	DeleteWebhookEndpoint(ctx context.Context, id int64, audit *AuditEntry) error
	// PauseWebhookEndpoint pauses an endpoint that is not paused and
	// reports whether it did; audit is written only if it did.
	PauseWebhookEndpoint(ctx context.Context, id int64, at time.Time, reason string, audit *AuditEntry) (bool, error)
	// ResumeWebhookEndpoint clears the pause and the run of failures, and
	// makes the endpoint's pending deliveries due now with a fresh retry
	// window.
	ResumeWebhookEndpoint(ctx context.Context, id int64, at time.Time, audit *AuditEntry) error
	// WebhookDeliveries returns up to limit of an endpoint's deliveries,
	// newest first.
	WebhookDeliveries(ctx context.Context, endpointID int64, limit int) ([]WebhookDelivery, error)
	FindWebhookDelivery(ctx context.Context, id int64) (WebhookDelivery, error)
	// ResendWebhookDelivery queues a copy of a delivery (same event,
	// payload and webhook-id), due at once, and returns it.
	ResendWebhookDelivery(ctx context.Context, id int64, at time.Time, audit *AuditEntry) (WebhookDelivery, error)
	// ClaimWebhookDeliveries claims up to limit pending deliveries due at
	// now, of endpoints not paused, none of which has an earlier pending
	// delivery of the same endpoint and conversation, until leaseUntil.
	// Several instances may claim at once; each delivery goes to one.
	ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]WebhookDelivery, error)
	// RecordWebhookAttempt stores the outcome of one attempt of d (its
	// state, attempts, times, last answer and payload), releases its
	// claim, and counts the attempt in its endpoint's run of failures
	// (a success ends the run). It returns the endpoint as it now is.
	RecordWebhookAttempt(ctx context.Context, d WebhookDelivery, ok bool) (WebhookEndpoint, error)
}

// WebhookPoster makes one HTTP request to an endpoint.
type WebhookPoster interface {
	Post(ctx context.Context, r WebhookRequest) WebhookResponse
}

// WebhookRequest is one attempt of one delivery.
type WebhookRequest struct {
	Endpoint  WebhookEndpoint
	ID        string
	Timestamp time.Time
	Type      WebhookEventType
	// Payload is the Standard Webhooks body (see WebhookPayload); a Slack
	// endpoint's poster formats it as a Slack message.
	Payload []byte
}

// WebhookResponse is what an endpoint answered.
type WebhookResponse struct {
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	// Body is the start of the answer's body.
	Body    string
	Latency time.Duration
	// Err says why there was no answer (a timeout, a refused address),
	// in words safe for admins.
	Err error
}

// OK reports whether the endpoint accepted the delivery: any 2xx.
func (r WebhookResponse) OK() bool { return r.Err == nil && r.Status >= 200 && r.Status < 300 }
