package inbox

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WebhookEventType names an event outgoing webhooks announce. They are the
// public names receivers subscribe to, not the live log's EventKinds.
type WebhookEventType string

// The event types an endpoint may subscribe to.
const (
	WebhookMessageReceived      WebhookEventType = "message.received"
	WebhookMessageSent          WebhookEventType = "message.sent"
	WebhookMessageStatus        WebhookEventType = "message.status"
	WebhookConversationOpened   WebhookEventType = "conversation.opened"
	WebhookConversationClosed   WebhookEventType = "conversation.closed"
	WebhookConversationAssigned WebhookEventType = "conversation.assigned"
	WebhookConversationLabelled WebhookEventType = "conversation.labelled"
	WebhookContactOptedOut      WebhookEventType = "contact.opted_out"
	WebhookContactOptedIn       WebhookEventType = "contact.opted_in"
)

// WebhookEventTypes are every type, in the order the settings screen lists
// them.
var WebhookEventTypes = []WebhookEventType{
	WebhookMessageReceived, WebhookMessageSent, WebhookMessageStatus,
	WebhookConversationOpened, WebhookConversationClosed, WebhookConversationAssigned, WebhookConversationLabelled,
	WebhookContactOptedOut, WebhookContactOptedIn,
}

// Resource is what t is about: "message", "conversation" or "contact",
// the part of its name before the dot.
func (t WebhookEventType) Resource() string {
	r, _, _ := strings.Cut(string(t), ".")
	return r
}

// WebhookKind is how an endpoint wants its requests.
type WebhookKind string

const (
	// WebhookStandard: the Standard Webhooks payload, signed.
	WebhookStandard WebhookKind = "standard"
	// WebhookSlack: a Slack incoming webhook; texts arrive as Slack
	// messages with a link to the thread.
	WebhookSlack WebhookKind = "slack"
)

// WebhookEndpoint is a URL admins subscribed to some event types.
type WebhookEndpoint struct {
	ID     int64
	URL    string
	Kind   WebhookKind
	Events []WebhookEventType
	// Secret is "whsec_" and the base64 of the signing key.
	Secret string
	// PreviousSecret still signs, beside Secret, until
	// PreviousSecretUntil: a rotation gives receivers a day to switch.
	PreviousSecret      string
	PreviousSecretUntil *time.Time
	// PausedAt is set while deliveries wait: an admin paused the endpoint,
	// or it failed for too long. Deliveries stay queued while paused.
	PausedAt    *time.Time
	PauseReason string
	// FailingSince is the first failure of the current run of failures;
	// nil after a success.
	FailingSince        *time.Time
	ConsecutiveFailures int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Subscribes reports whether the endpoint wants events of type t.
func (e WebhookEndpoint) Subscribes(t WebhookEventType) bool { return slices.Contains(e.Events, t) }

// SigningSecrets are the secrets that sign a request made at t: the
// current one, and the one it replaced during its day of grace.
func (e WebhookEndpoint) SigningSecrets(t time.Time) []string {
	if e.PreviousSecret != "" && e.PreviousSecretUntil != nil && t.Before(*e.PreviousSecretUntil) {
		return []string{e.Secret, e.PreviousSecret}
	}
	return []string{e.Secret}
}

// Paused reports whether deliveries to the endpoint wait.
func (e WebhookEndpoint) Paused() bool { return e.PausedAt != nil }

// Host is the endpoint's host, for lists and the audit log (the path of a
// Slack URL is its credential).
func (e WebhookEndpoint) Host() string {
	if u, err := url.Parse(e.URL); err == nil && u.Host != "" {
		return u.Host
	}
	return e.URL
}

// WebhookSubscription is what fanning events out needs of an endpoint,
// and whether it is paused after failing (the admins' notice reads it
// from the same cache).
type WebhookSubscription struct {
	EndpointID int64
	Events     []WebhookEventType
	// PausedByFailure: the endpoint is paused with a run of failed
	// attempts behind it (the dispatcher paused it, or an admin paused
	// it while it was failing). Resuming clears it.
	PausedByFailure bool
}

// WebhookDeliveryState is where one delivery stands.
type WebhookDeliveryState string

const (
	WebhookPending   WebhookDeliveryState = "pending"
	WebhookDelivered WebhookDeliveryState = "delivered"
	WebhookFailed    WebhookDeliveryState = "failed"
)

// WebhookDelivery is one event for one endpoint: queued in the transaction
// of the change, then tried until the endpoint accepts it or a day has
// passed.
type WebhookDelivery struct {
	ID         int64
	EndpointID int64
	// EventID is the change's ID in the event log; with the type it names
	// the delivery to receivers (WebhookID), so retries and "send again"
	// carry the same webhook-id and receivers can drop repeats.
	EventID        int64
	Type           WebhookEventType
	ConversationID int64
	MessageID      int64
	ActivityID     int64
	// MessageStatus is the message's status when the event happened.
	MessageStatus Status
	OccurredAt    time.Time
	// Payload is the body sent, frozen at the first attempt.
	Payload        []byte
	State          WebhookDeliveryState
	Attempts       int
	NextAttemptAt  time.Time
	FirstAttemptAt *time.Time
	LastAttemptAt  *time.Time
	// LastStatus is the HTTP status of the last attempt, 0 for no answer.
	LastStatus  int
	LastLatency time.Duration
	// LastResponse is the start of the last answer's body.
	LastResponse string
	// LastError says why the last attempt failed, in words for admins.
	LastError string
	CreatedAt time.Time
}

// WebhookID is the delivery's webhook-id header: the same for every try of
// one event.
func (d WebhookDelivery) WebhookID() string {
	return "msg_" + strconv.FormatInt(d.EventID, 10) + "_" + strings.ReplaceAll(string(d.Type), ".", "_")
}

// NewWebhookSecret returns a fresh signing secret: "whsec_" and the base64
// of 32 random bytes, as Standard Webhooks libraries expect.
func NewWebhookSecret() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	return "whsec_" + base64.StdEncoding.EncodeToString(key)
}
