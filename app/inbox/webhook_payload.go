package inbox

import (
	"encoding/json"
	"time"
)

// WebhookPayload is the body of every Standard Webhooks delivery. Field
// names and shapes are documented in docs/webhooks.md.
type WebhookPayload struct {
	Type      WebhookEventType `json:"type"`
	Timestamp time.Time        `json:"timestamp"`
	Data      WebhookData      `json:"data"`
}

// WebhookData is what an event is about: always the conversation; the
// message for message.* events; the activity line (who did what) for
// conversation.* and contact.* events.
type WebhookData struct {
	Conversation WebhookConversation `json:"conversation"`
	Message      *WebhookMessage     `json:"message,omitempty"`
	Activity     *WebhookActivity    `json:"activity,omitempty"`
}

// WebhookConversation is a conversation in a payload.
type WebhookConversation struct {
	ID            int64  `json:"id"`
	ContactNumber string `json:"contact_number"`
	ChannelNumber string `json:"channel_number"`
	Status        string `json:"status"`
	OptedOut      bool   `json:"opted_out"`
	AssigneeID    int64  `json:"assignee_id,omitempty"`
	// URL is the thread in Parley.
	URL string `json:"url,omitempty"`
}

// WebhookMessage is a message in a payload.
type WebhookMessage struct {
	ID        int64     `json:"id"`
	Direction string    `json:"direction"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Body      string    `json:"body"`
	Media     []Media   `json:"media,omitempty"`
	Segments  int       `json:"segments"`
	Status    string    `json:"status"`
	ErrorCode string    `json:"error_code,omitempty"`
	SentBy    int64     `json:"sent_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// WebhookActivity is an activity line in a payload.
type WebhookActivity struct {
	Kind string `json:"kind"`
	// ActorID is who did it; 0 (omitted) for Parley or the contact.
	ActorID int64 `json:"actor_id,omitempty"`
	// SubjectID is the assignee of "assigned", the label of "labeled"
	// and "unlabeled".
	SubjectID int64 `json:"subject_id,omitempty"`
	// Detail is the label's name, or the keyword of a consent change.
	Detail string    `json:"detail,omitempty"`
	Source string    `json:"source,omitempty"`
	At     time.Time `json:"at"`
}

// BuildWebhookPayload is the body of d: the conversation as it is now,
// the message with the status it had when the event happened, the
// activity line. msg and act may be nil; threadURL is the thread's
// address in Parley ("" leaves it out).
func BuildWebhookPayload(d WebhookDelivery, conv Conversation, msg *Message, act *Activity, threadURL string) ([]byte, error) {
	p := WebhookPayload{Type: d.Type, Timestamp: d.OccurredAt.UTC(), Data: WebhookData{
		Conversation: WebhookConversation{
			ID: d.ConversationID, ContactNumber: string(conv.ContactNumber), ChannelNumber: string(conv.ChannelNumber),
			Status: string(conv.Status), OptedOut: conv.OptedOut(), AssigneeID: conv.AssigneeID, URL: threadURL,
		},
	}}
	if msg != nil {
		status := msg.Status
		if d.MessageStatus != "" {
			status = d.MessageStatus
		}
		p.Data.Message = &WebhookMessage{
			ID: msg.ID, Direction: string(msg.Direction), From: string(msg.From), To: string(msg.To), Body: msg.Body,
			Media: msg.Media, Segments: msg.Segments, Status: string(status), ErrorCode: msg.ErrorCode, SentBy: msg.SentBy,
			CreatedAt: msg.CreatedAt.UTC(),
		}
	}
	if act != nil {
		p.Data.Activity = &WebhookActivity{
			Kind: string(act.Kind), ActorID: act.ActorID, SubjectID: act.SubjectID, Detail: act.Detail, Source: act.Source, At: act.At.UTC(),
		}
	}
	return json.Marshal(p)
}
