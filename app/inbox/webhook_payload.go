package inbox

import (
	"encoding/json"
	"fmt"
	"time"
)

// WebhookPayload is the body of every Standard Webhooks delivery. Its
// data speaks the REST API's language: a message.* event's data is the
// API's message, a conversation.* event's the API's conversation plus
// what changed, a contact.* event's the API's contact plus what changed
// (docs/webhooks.md; the OpenAPI document's webhooks section).
type WebhookPayload struct {
	Type      WebhookEventType `json:"type"`
	Timestamp time.Time        `json:"timestamp"`
	// ThreadURL is the conversation's thread in Parley; left out when
	// Parley does not know its own address.
	ThreadURL string          `json:"thread_url,omitempty"`
	Data      json.RawMessage `json:"data"`
}

// WebhookConversationData is the data of a conversation.* event.
type WebhookConversationData struct {
	ConversationJSON
	Change WebhookChange `json:"change"`
}

// WebhookContactData is the data of a contact.* event.
type WebhookContactData struct {
	ContactJSON
	ConversationID int64         `json:"conversation_id"`
	Change         WebhookChange `json:"change"`
}

// WebhookChange is what changed: the conversation's activity line.
type WebhookChange struct {
	Kind string `json:"kind"`
	// ActorID is who did it; null for Parley or the contact.
	ActorID *int64 `json:"actor_id"`
	// SubjectID is the assignee of "assigned", the label of "labeled"
	// and "unlabeled"; null otherwise.
	SubjectID *int64 `json:"subject_id"`
	// Detail is the label's name, or the keyword of a consent change.
	Detail string    `json:"detail"`
	Source string    `json:"source"`
	At     time.Time `json:"at"`
}

func newWebhookChange(a *Activity) WebhookChange {
	if a == nil {
		return WebhookChange{}
	}
	return WebhookChange{Kind: string(a.Kind), ActorID: idPtr(a.ActorID), SubjectID: idPtr(a.SubjectID), Detail: a.Detail, Source: a.Source, At: a.At.UTC()}
}

// WebhookSubject is what an event is about, read from a payload of any
// type: enough to name the contact and the message in a notification.
type WebhookSubject struct {
	ContactNumber Number
	ChannelNumber Number
	// Message is set for message.* events.
	Message *MessageJSON
}

// Subject reads what p is about. Errors: EINVALID for data that is not
// the shape its type names.
func (p WebhookPayload) Subject() (WebhookSubject, error) {
	var s WebhookSubject
	switch p.Type.Resource() {
	case "message":
		var m MessageJSON
		if err := json.Unmarshal(p.Data, &m); err != nil {
			return s, Errorf(EINVALID, "webhook payload: %v", err)
		}
		s.Message = &m
		s.ContactNumber, s.ChannelNumber = Number(m.From), Number(m.To)
		if m.Direction == string(DirectionOutbound) {
			s.ContactNumber, s.ChannelNumber = Number(m.To), Number(m.From)
		}
	case "conversation":
		var c WebhookConversationData
		if err := json.Unmarshal(p.Data, &c); err != nil {
			return s, Errorf(EINVALID, "webhook payload: %v", err)
		}
		s.ContactNumber, s.ChannelNumber = Number(c.ContactNumber), Number(c.ChannelNumber)
	case "contact":
		var c WebhookContactData
		if err := json.Unmarshal(p.Data, &c); err != nil {
			return s, Errorf(EINVALID, "webhook payload: %v", err)
		}
		s.ContactNumber = Number(c.Number)
	default:
		return s, Errorf(EINVALID, "webhook payload: unknown type %q", p.Type)
	}
	return s, nil
}

// BuildWebhookPayload is the body of d: the message with the status it
// had when the event happened; or the conversation as it is now with the
// activity line; or the contact as it is now with the activity line. msg,
// act and contact may be nil; threadURL is the thread's address in Parley
// ("" leaves it out).
func BuildWebhookPayload(d WebhookDelivery, conv Conversation, msg *Message, act *Activity, contact *Contact, threadURL string) ([]byte, error) {
	p := WebhookPayload{Type: d.Type, Timestamp: d.OccurredAt.UTC(), ThreadURL: threadURL}
	var data any
	switch d.Type.Resource() {
	case "message":
		if msg != nil {
			m := *msg
			if d.MessageStatus != "" {
				m.Status = d.MessageStatus
			}
			data = NewMessageJSON(m)
		}
	case "conversation":
		c := NewConversationJSON(conv)
		c.ID = d.ConversationID
		data = WebhookConversationData{ConversationJSON: c, Change: newWebhookChange(act)}
	case "contact":
		c := Contact{Number: conv.ContactNumber}
		if contact != nil {
			c = *contact
		}
		data = WebhookContactData{ContactJSON: NewContactJSON(c), ConversationID: d.ConversationID, Change: newWebhookChange(act)}
	default:
		return nil, fmt.Errorf("inbox: webhook payload of unknown type %q", d.Type)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	p.Data = raw
	return json.Marshal(p)
}
