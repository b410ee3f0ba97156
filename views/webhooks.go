package views

import (
	"fmt"
	"slices"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// WebhooksURL is the outgoing webhooks settings screen.
const WebhooksURL = "/settings/webhooks"

// WebhooksProps is the webhooks settings screen.
type WebhooksProps struct {
	Endpoints []inbox.WebhookEndpoint
	// Draft is the add form (ID 0) or the endpoint being edited, shown
	// again with its Error after a refused save.
	Draft WebhookDraft
	// Secret is shown once, after an endpoint was added or its secret
	// rotated: SecretFor names the endpoint.
	Secret    string
	SecretFor int64
}

// WebhookDraft is what an admin typed into an endpoint form.
type WebhookDraft struct {
	ID     int64
	URL    string
	Kind   inbox.WebhookKind
	Events []inbox.WebhookEventType
	Error  string
}

func (d WebhookDraft) has(t inbox.WebhookEventType) bool { return slices.Contains(d.Events, t) }

// DraftOf is an endpoint as its edit form starts.
func DraftOf(e inbox.WebhookEndpoint) WebhookDraft {
	return WebhookDraft{ID: e.ID, URL: e.URL, Kind: e.Kind, Events: e.Events}
}

// WebhookLogProps is one endpoint's delivery log.
type WebhookLogProps struct {
	Endpoint   inbox.WebhookEndpoint
	Deliveries []inbox.WebhookDelivery
}

// WebhookURL is an endpoint's log (GET) and where its edit is posted.
func WebhookURL(endpointID int64) string { return WebhooksURL + "/" + id(endpointID) }

// WebhookActionURL is where an endpoint's delete, pause, resume or
// rotate is posted.
func WebhookActionURL(endpointID int64, action string) string {
	return WebhookURL(endpointID) + "/" + action
}

// WebhookResendURL is where "Send again" of one delivery is posted.
func WebhookResendURL(endpointID, deliveryID int64) string {
	return WebhookURL(endpointID) + "/deliveries/" + id(deliveryID) + "/resend"
}

func webhookKindName(k inbox.WebhookKind) string {
	if k == inbox.WebhookSlack {
		return "Slack incoming webhook"
	}
	return "Standard Webhooks"
}

func webhookEventsText(e inbox.WebhookEndpoint) string {
	if len(e.Events) == len(inbox.WebhookEventTypes) {
		return "all events"
	}
	s := ""
	for i, t := range e.Events {
		if i > 0 {
			s += ", "
		}
		s += string(t)
	}
	return s
}

func latencyText(d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func deliveryStatusText(d inbox.WebhookDelivery) string {
	if d.LastStatus != 0 {
		return fmt.Sprintf("HTTP %d", d.LastStatus)
	}
	if d.Attempts == 0 {
		return "not tried yet"
	}
	return "no answer"
}

func deliveryStateClass(s inbox.WebhookDeliveryState) string {
	switch s {
	case inbox.WebhookDelivered:
		return "bg-green-50 text-green-700"
	case inbox.WebhookFailed:
		return "bg-red-50 text-red-700"
	}
	return "bg-amber-50 text-amber-700"
}
