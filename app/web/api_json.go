package web

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// The JSON the API answers with. Times are RFC 3339 in UTC; absent
// values are null rather than left out, so every field is always there.

type apiConversation struct {
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

func toAPIConversation(c inbox.Conversation) apiConversation {
	out := apiConversation{
		ID: c.ID, ContactNumber: string(c.ContactNumber), ChannelNumber: string(c.ChannelNumber),
		Status: string(c.Status), OptedOutAt: c.OptedOutAt, SnoozedUntil: c.SnoozedUntil,
		LabelIDs: c.LabelIDs, UnreadCount: c.UnreadCount, MessageCount: c.MessageCount,
		LastMessageAt: c.LastMessageAt, LastMessagePreview: c.LastMessagePreview,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
	if c.AssigneeID != 0 {
		id := c.AssigneeID
		out.AssigneeID = &id
	}
	if out.LabelIDs == nil {
		out.LabelIDs = []int64{}
	}
	return out
}

type apiMedia struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
}

type apiMessage struct {
	ID             int64      `json:"id"`
	ConversationID int64      `json:"conversation_id"`
	Direction      string     `json:"direction"`
	From           string     `json:"from"`
	To             string     `json:"to"`
	Text           string     `json:"text"`
	Media          []apiMedia `json:"media"`
	Encoding       string     `json:"encoding"`
	Segments       int        `json:"segments"`
	Status         string     `json:"status"`
	ErrorCode      string     `json:"error_code"`
	SentBy         *int64     `json:"sent_by"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

func toAPIMessage(m inbox.Message) apiMessage {
	out := apiMessage{
		ID: m.ID, ConversationID: m.ConversationID, Direction: string(m.Direction),
		From: string(m.From), To: string(m.To), Text: m.Body, Media: []apiMedia{},
		Encoding: string(m.Encoding), Segments: m.Segments, Status: string(m.Status),
		ErrorCode: m.ErrorCode, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
	}
	for _, md := range m.Media {
		out.Media = append(out.Media, apiMedia{URL: md.URL, ContentType: md.ContentType})
	}
	if m.SentBy != 0 {
		id := m.SentBy
		out.SentBy = &id
	}
	return out
}

type apiContactField struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type apiContact struct {
	Number    string            `json:"number"`
	Name      string            `json:"name"`
	Notes     string            `json:"notes"`
	Fields    []apiContactField `json:"fields"`
	UpdatedAt *time.Time        `json:"updated_at"`
}

func toAPIContact(c inbox.Contact) apiContact {
	out := apiContact{Number: string(c.Number), Name: c.Name, Notes: c.Notes, Fields: []apiContactField{}}
	for _, f := range c.Fields {
		out.Fields = append(out.Fields, apiContactField{Key: f.Key, Value: f.Value})
	}
	if !c.UpdatedAt.IsZero() {
		at := c.UpdatedAt
		out.UpdatedAt = &at
	}
	return out
}

type apiLabel struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

type apiUser struct {
	ID        int64  `json:"id"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Available bool   `json:"available"`
}

// apiList is a page of a list: its items and the cursor of the next page,
// null on the last.
type apiList[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

func newAPIList[T any](items []T, next string) apiList[T] {
	l := apiList[T]{Data: items}
	if l.Data == nil {
		l.Data = []T{}
	}
	if next != "" {
		l.NextCursor = &next
	}
	return l
}

// apiError is the JSON of every error under /api/v1.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// apiJSON answers v as JSON. A GET's answer carries an ETag (a hash of
// the body), and one the client already holds (If-None-Match) is 304
// with no body.
func apiJSON(c *fiber.Ctx, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if c.Method() == fiber.MethodGet && status == fiber.StatusOK {
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		c.Set(fiber.HeaderETag, etag)
		if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
			return c.SendStatus(fiber.StatusNotModified)
		}
	}
	c.Type("json")
	return c.Status(status).Send(body)
}

// etagMatches reports whether an If-None-Match header names etag (or is
// "*"), comparing weakly as RFC 9110 asks for GET.
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// apiLimit reads the limit parameter: 1 to max, def when absent.
func apiLimit(c *fiber.Ctx, def, max int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, inbox.FieldError("limit", "must be a whole number from 1 to %d", max)
	}
	return n, nil
}

// apiID reads a numeric path parameter.
func apiID(c *fiber.Ctx, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, inbox.Errorf(inbox.ENOTFOUND, "no such %s", name)
	}
	return n, nil
}

// messageCursor is the opaque cursor of a thread's older messages.
func messageCursor(before int64) string {
	if before == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("m." + strconv.FormatInt(before, 36)))
}

func parseMessageCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	rest, ok := strings.CutPrefix(string(raw), "m.")
	n, err2 := strconv.ParseInt(rest, 36, 64)
	if err != nil || !ok || err2 != nil || n <= 0 {
		return 0, inbox.FieldError("cursor", "malformed cursor")
	}
	return n, nil
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
