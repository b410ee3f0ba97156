package web

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// The JSON the API answers with: conversations, messages and contacts
// take their shapes from inbox (ConversationJSON, MessageJSON,
// ContactJSON), which webhook payloads share; the rest are the API's own.

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
