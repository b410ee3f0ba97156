package inbox

import "time"

// The public JSON shapes of a conversation, a message and a contact: what
// the REST API answers with and what webhook payloads carry, so the two
// cannot drift apart. Times are RFC 3339 in UTC; absent values are null
// rather than left out, so every field is always there. The OpenAPI
// document (app/web/openapi.json) describes them as Conversation, Message
// and Contact.

// ConversationJSON is a conversation as the API and webhooks show it.
type ConversationJSON struct {
	ID                 int64      `json:"id"`
	ContactNumber      string     `json:"contact_number"`
	ChannelNumber      string     `json:"channel_number"`
	Status             string     `json:"status"`
	OptedOutAt         *time.Time `json:"opted_out_at"`
	SnoozedUntil       *time.Time `json:"snoozed_until"`
	AssigneeID         *int64     `json:"assignee_id"`
	LabelIDs           []int64    `json:"label_ids"`
	UnreadCount        int        `json:"unread_count"`
	MessageCount       int        `json:"message_count"`
	LastMessageAt      time.Time  `json:"last_message_at"`
	LastMessagePreview string     `json:"last_message_preview"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// NewConversationJSON is c's public shape.
func NewConversationJSON(c Conversation) ConversationJSON {
	out := ConversationJSON{
		ID: c.ID, ContactNumber: string(c.ContactNumber), ChannelNumber: string(c.ChannelNumber),
		Status: string(c.Status), OptedOutAt: utcPtr(c.OptedOutAt), SnoozedUntil: utcPtr(c.SnoozedUntil),
		LabelIDs: c.LabelIDs, UnreadCount: c.UnreadCount, MessageCount: c.MessageCount,
		LastMessageAt: c.LastMessageAt.UTC(), LastMessagePreview: c.LastMessagePreview,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
	}
	out.AssigneeID = idPtr(c.AssigneeID)
	if out.LabelIDs == nil {
		out.LabelIDs = []int64{}
	}
	return out
}

// MediaJSON is an attachment as the API and webhooks show it.
type MediaJSON struct {
	// URL is where the file came from: the carrier's URL of an inbound
	// file, or the one given to the API; none for a file uploaded in
	// Parley's composer.
	URL         string `json:"url,omitempty"`
	ContentType string `json:"content_type"`
	// Name and Size are known for files Parley keeps (uploads, and
	// inbound files once copied).
	Name string `json:"name,omitempty"`
	Size int64  `json:"size,omitempty"`
	// Kept says whether Parley holds its own copy; KeepError is why the
	// last try to copy an inbound file failed, and KeepFailed that Parley
	// has stopped trying.
	Kept       bool   `json:"kept"`
	KeepError  string `json:"keep_error,omitempty"`
	KeepFailed bool   `json:"keep_failed,omitempty"`
}

// MessageJSON is a message as the API and webhooks show it.
type MessageJSON struct {
	ID             int64       `json:"id"`
	ConversationID int64       `json:"conversation_id"`
	Direction      string      `json:"direction"`
	From           string      `json:"from"`
	To             string      `json:"to"`
	Text           string      `json:"text"`
	Media          []MediaJSON `json:"media"`
	Encoding       string      `json:"encoding"`
	Segments       int         `json:"segments"`
	Status         string      `json:"status"`
	ErrorCode      string      `json:"error_code"`
	SentBy         *int64      `json:"sent_by"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

// NewMessageJSON is m's public shape.
func NewMessageJSON(m Message) MessageJSON {
	out := MessageJSON{
		ID: m.ID, ConversationID: m.ConversationID, Direction: string(m.Direction),
		From: string(m.From), To: string(m.To), Text: m.Body, Media: []MediaJSON{},
		Encoding: string(m.Encoding), Segments: m.Segments, Status: string(m.Status),
		ErrorCode: m.ErrorCode, SentBy: idPtr(m.SentBy), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
	for _, md := range m.Media {
		out.Media = append(out.Media, MediaJSON{
			URL: md.URL, ContentType: md.ContentType, Name: md.Name, Size: md.Size,
			Kept: md.Kept(), KeepError: md.CopyError, KeepFailed: md.CopyFailed,
		})
	}
	return out
}

// ContactFieldJSON is one of a contact's own fields.
type ContactFieldJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ContactJSON is a contact as the API and webhooks show it.
type ContactJSON struct {
	Number    string             `json:"number"`
	Name      string             `json:"name"`
	Notes     string             `json:"notes"`
	Fields    []ContactFieldJSON `json:"fields"`
	UpdatedAt *time.Time         `json:"updated_at"`
}

// NewContactJSON is c's public shape.
func NewContactJSON(c Contact) ContactJSON {
	out := ContactJSON{Number: string(c.Number), Name: c.Name, Notes: c.Notes, Fields: []ContactFieldJSON{}}
	for _, f := range c.Fields {
		out.Fields = append(out.Fields, ContactFieldJSON(f))
	}
	if !c.UpdatedAt.IsZero() {
		at := c.UpdatedAt.UTC()
		out.UpdatedAt = &at
	}
	return out
}

func idPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
