package inbox_test

import (
	"errors"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestStatusMovesForwardOnly(t *testing.T) {
	tests := []struct {
		from, to inbox.Status
		ok       bool
	}{
		{inbox.StatusQueued, inbox.StatusSending, true},
		{inbox.StatusQueued, inbox.StatusSent, true},
		{inbox.StatusSending, inbox.StatusSent, true},
		{inbox.StatusSent, inbox.StatusDelivered, true},
		{inbox.StatusSent, inbox.StatusUndelivered, true},
		{inbox.StatusQueued, inbox.StatusFailed, true},
		{inbox.StatusDelivered, inbox.StatusSent, false},
		{inbox.StatusDelivered, inbox.StatusUndelivered, false},
		{inbox.StatusDelivered, inbox.StatusFailed, false},
		{inbox.StatusDelivered, inbox.StatusRejected, false},
		// Delivered is the carrier's last word: it settles a message
		// reported undelivered or failed before, whichever came first.
		{inbox.StatusUndelivered, inbox.StatusDelivered, true},
		{inbox.StatusFailed, inbox.StatusDelivered, true},
		{inbox.StatusRejected, inbox.StatusDelivered, true},
		{inbox.StatusUndelivered, inbox.StatusFailed, false},
		{inbox.StatusFailed, inbox.StatusUndelivered, false},
		{inbox.StatusReceived, inbox.StatusDelivered, false},
		{inbox.StatusSent, inbox.StatusSent, false},
		{inbox.StatusSent, inbox.Status("bogus"), false},
	}
	for _, tt := range tests {
		if got := tt.from.CanBecome(tt.to); got != tt.ok {
			t.Errorf("%s.CanBecome(%s)=%v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
}

func TestErrorsMatchByCode(t *testing.T) {
	err := inbox.FieldError("to", "bad number")
	if !errors.Is(err, inbox.ErrInvalid) || errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("errors.Is by code failed for %v", err)
	}
	if inbox.ErrorCode(errors.New("boom")) != inbox.EINTERNAL || inbox.ErrorMessage(errors.New("secret")) != "internal error" {
		t.Fatal("plain errors must map to internal and hide their text")
	}
}

func TestPreview(t *testing.T) {
	if got := inbox.Preview("line one\nline two", 40); got != "line one line two" {
		t.Errorf("Preview=%q", got)
	}
	if got := inbox.Preview("abcdef", 4); got != "abc…" {
		t.Errorf("Preview cut=%q, want abc…", got)
	}
}
