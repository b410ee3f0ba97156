package inbox

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. The web layer maps each to an HTTP status; nothing else
// interprets them.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EOPTEDOUT     = "opted_out"
	EBLOCKED      = "blocked"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ERATELIMITED  = "rate_limited"
	ETOOLARGE     = "too_large"
	EUNAVAILABLE  = "unavailable"
	EINTERNAL     = "internal"
)

// Error is a domain error. Message is safe to show to the person who caused
// it; Field names the input at fault, when there is one.
type Error struct {
	Code    string
	Field   string
	Message string
	// RetryAfter, for ERATELIMITED, is how long until trying again may
	// succeed; zero when unknown.
	RetryAfter time.Duration
	// Err is the underlying cause, for logs only; it is never shown.
	Err error
}

// Sentinels for errors.Is; they match any *Error with the same code.
var (
	ErrInvalid     = &Error{Code: EINVALID, Message: "invalid input"}
	ErrNotFound    = &Error{Code: ENOTFOUND, Message: "not found"}
	ErrConflict    = &Error{Code: ECONFLICT, Message: "conflict"}
	ErrOptedOut    = &Error{Code: EOPTEDOUT, Message: "the contact has opted out"}
	ErrBlocked     = &Error{Code: EBLOCKED, Message: "the contact is blocked"}
	ErrForbidden   = &Error{Code: EFORBIDDEN, Message: "not allowed"}
	ErrRateLimited = &Error{Code: ERATELIMITED, Message: "too many requests"}
	ErrUnavailable = &Error{Code: EUNAVAILABLE, Message: "temporarily unavailable"}
)

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("inbox: %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("inbox: %s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the showable message of err, or a generic one for
// errors that are not *Error (their text may hold internals).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ENOTINVITED is the code for a person who proved who they are but may not
// enter; the web layer shows the "not invited" page for it.
const ENOTINVITED = "not_invited"

// ErrNotInvited matches sign-ins refused for lack of an invitation.
var ErrNotInvited = &Error{Code: ENOTINVITED, Message: "this address is not invited"}
