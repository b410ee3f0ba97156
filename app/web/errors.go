package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// statusOf maps a domain error code to its HTTP status. This table is the
// only place that knows both.
var statusOf = map[string]int{
	inbox.EINVALID:      fiber.StatusBadRequest,
	inbox.EUNAUTHORIZED: fiber.StatusUnauthorized,
	inbox.EFORBIDDEN:    fiber.StatusForbidden,
	inbox.EOPTEDOUT:     fiber.StatusForbidden,
	inbox.EBLOCKED:      fiber.StatusForbidden,
	inbox.ENOTFOUND:     fiber.StatusNotFound,
	inbox.ECONFLICT:     fiber.StatusConflict,
	inbox.ETOOLARGE:     fiber.StatusRequestEntityTooLarge,
	inbox.ERATELIMITED:  fiber.StatusTooManyRequests,
	inbox.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
	inbox.EINTERNAL:     fiber.StatusInternalServerError,
}

// errorBody is the JSON shape of every /api error.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
}

// handleError is Fiber's ErrorHandler: it turns any error a handler returns
// into a response. Internal details are logged, never shown. A 429 carrying
// a wait (inbox.Error.RetryAfter) says it in Retry-After, in whole seconds
// rounded up.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	status, body := s.describe(err)
	if status >= 500 && !errors.As(err, new(recoveredPanic)) {
		s.log.Error("request failed", "id", c.Locals(requestIDHeader), "path", c.Path(), "status", status, "err", err, "cause", errors.Unwrap(err))
	}
	c.Status(status)
	if d := inbox.ErrorRetryAfter(err); status == fiber.StatusTooManyRequests && d > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
	}
	switch {
	case strings.HasPrefix(c.Path(), APIPrefix+"/"):
		return c.JSON(apiError{Error: apiErrorBody{Code: body.Code, Message: strings.TrimPrefix(body.Error, body.Field+": "), Field: body.Field}})
	case strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/readyz"):
		return c.JSON(body)
	case c.Get("HX-Request") == "true":
		// htmx shows errors as a toast, whatever the request's own target.
		c.Set("HX-Retarget", "#toasts")
		c.Set("HX-Reswap", "beforeend")
		return s.render(c, status, views.Toast(views.ToastError, body.Error))
	case strings.Contains(c.Get(fiber.HeaderAccept), "text/html"):
		return s.render(c, status, views.ErrorPage(status, body.Error))
	}
	c.Type("txt")
	return c.SendString(body.Error + "\n")
}

// unprocessable answers a form's field error with 422 rather than the 400
// of EINVALID, for forms whose errors are shown beside the field.
type unprocessable struct{ err error }

func (u unprocessable) Error() string { return u.err.Error() }
func (u unprocessable) Unwrap() error { return u.err }

func (s *server) describe(err error) (int, errorBody) {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fe.Code, errorBody{Error: fe.Message, Code: codeOfStatus(fe.Code)}
	}
	code := inbox.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = fiber.StatusInternalServerError
	}
	if errors.As(err, new(unprocessable)) {
		status = fiber.StatusUnprocessableEntity
	}
	msg := inbox.ErrorMessage(err)
	if f := inbox.ErrorField(err); f != "" {
		msg = f + ": " + msg
	}
	return status, errorBody{Error: msg, Code: code, Field: inbox.ErrorField(err)}
}

func codeOfStatus(status int) string {
	for code, st := range statusOf {
		if st == status && code != inbox.EOPTEDOUT && code != inbox.EBLOCKED {
			return code
		}
	}
	if status == fiber.StatusMethodNotAllowed {
		return "method_not_allowed"
	}
	return "error"
}
