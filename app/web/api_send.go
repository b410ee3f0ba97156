package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// apiSendRequest is the body of POST /api/sms/send.
type apiSendRequest struct {
	To        string   `json:"to"`
	Text      string   `json:"text"`
	MediaURLs []string `json:"media_urls"`
	From      string   `json:"from"`
}

// apiSendResponse is its 202 answer: the message as queued.
type apiSendResponse struct {
	ID             int64  `json:"id"`
	Status         string `json:"status"`
	Segments       int    `json:"segments"`
	Encoding       string `json:"encoding"`
	ConversationID int64  `json:"conversation_id"`
}

// handleAPISend queues a text (or, with media_urls, an MMS) to a number
// for the signed-in agent, who must send the page's CSRF token in
// X-CSRF-Token. It answers 202 once the message is stored; the outbox
// sends it. Errors are JSON (errors.go): 400 for bad input or bad JSON,
// 401, 403 when the contact opted out or is blocked, 429 with Retry-After
// over the agent's send limits.
func (s *server) handleAPISend(c *fiber.Ctx) error {
	var req apiSendRequest
	if err := decodeJSONBody(c, &req); err != nil {
		return err
	}
	u, _ := currentUser(c)
	m, err := s.deps.Inbox.SendTo(c.UserContext(), u, inbox.Outgoing{
		To: req.To, From: req.From, Text: req.Text, MediaURLs: req.MediaURLs,
	})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(apiSendResponse{
		ID: m.ID, Status: string(m.Status), Segments: m.Segments, Encoding: string(m.Encoding),
		ConversationID: m.ConversationID,
	})
}

// decodeJSONBody reads one JSON object into v, a pointer to a struct. Keys
// other than v's JSON fields are refused, so a misspelt "media_url" is an
// error rather than a text sent without its picture.
//
// Errors: EINVALID, with Field set when one field is at fault.
func decodeJSONBody(c *fiber.Ctx, v any) error {
	fields := jsonFields(v)
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return inbox.Errorf(inbox.EINVALID, "send a JSON body with Content-Type: application/json")
	}
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return inbox.Errorf(inbox.EINVALID, "the body is empty; send a JSON object")
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil || keys == nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) || keys == nil && err == nil {
			return inbox.Errorf(inbox.EINVALID, "the body must be a JSON object")
		}
		return inbox.Errorf(inbox.EINVALID, "the body is not valid JSON")
	}
	var unknown []string
	for k := range keys {
		if !slices.Contains(fields, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return inbox.FieldError(unknown[0], "is not a field this API takes (it takes %s)", strings.Join(fields, ", "))
	}
	if err := json.Unmarshal(body, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			field, _, _ := strings.Cut(typeErr.Field, ".")
			return inbox.FieldError(field, "has the wrong type (expected %s)", jsonKind(typeErr.Type.Kind()))
		}
		return inbox.Errorf(inbox.EINVALID, "the body is not valid JSON")
	}
	return nil
}

// jsonFields lists the keys encoding/json decodes into the struct v points
// to, in field order: a field's tag name, or its Go name when untagged;
// unexported fields and those tagged "-" are left out.
func jsonFields(v any) []string {
	t := reflect.TypeOf(v).Elem()
	var fields []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields = append(fields, name)
	}
	return fields
}

// jsonKind names, for people, the JSON type a Go kind decodes from.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	}
	return "a string"
}
