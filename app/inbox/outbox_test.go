package inbox

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var now0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// fixedJitter returns an outbox whose jitter always picks the fraction f of
// its range.
func outboxWithJitter(f float64) *Outbox {
	o := NewOutbox(OutboxOptions{})
	o.jitter = func(n int64) int64 { return int64(float64(n-1) * f) }
	return o
}

func TestBackoffIsCappedExponentialWithEqualJitter(t *testing.T) {
	tests := []struct {
		attempt  int
		f        float64
		want     time.Duration
		wantHigh time.Duration
	}{
		{1, 1, 2 * time.Second, 0},
		{2, 1, 4 * time.Second, 0},
		{3, 1, 8 * time.Second, 0},
		{8, 1, 256 * time.Second, 0},
		{9, 1, RetryCap, 0},
		{40, 1, RetryCap, 0},
		{1, 0, minRetryDelay, 0},
		{3, 0, 4 * time.Second, 0},
		{9, 0, RetryCap / 2, 0},
		{9, 0.5, RetryCap * 3 / 4, 0},
	}
	for _, tt := range tests {
		got := outboxWithJitter(tt.f).backoff(tt.attempt)
		// jitter picks whole nanoseconds; allow one.
		if d := got - tt.want; d < -time.Nanosecond || d > time.Nanosecond {
			t.Errorf("backoff(%d) at jitter %v=%v, want %v", tt.attempt, tt.f, got, tt.want)
		}
	}
}

func TestBackoffStaysInRange(t *testing.T) {
	o := NewOutbox(OutboxOptions{})
	for attempt := 1; attempt <= 12; attempt++ {
		ceiling := min(RetryCap, RetryBase<<(attempt-1))
		for range 200 {
			if d := o.backoff(attempt); d < max(minRetryDelay, ceiling/2) || d > ceiling {
				t.Fatalf("backoff(%d)=%v, want within [%v, %v]", attempt, d, max(minRetryDelay, ceiling/2), ceiling)
			}
		}
	}
}

func TestAfterSend(t *testing.T) {
	sending := Message{ID: 1, Status: StatusSending, Via: ViaAPI}
	tests := []struct {
		name         string
		m            Message
		uuid         string
		err          error
		changed      bool
		status       Status
		code         string
		attempts     int
		msgHas       string
		wantNext     bool
		providerUUID string
	}{
		{"accepted", sending, "u-1", nil, true, StatusSent, "", 1, "", false, "u-1"},
		{"4xx", sending, "", &SendError{Status: 400, Message: "bad dst (HTTP 400)"}, true, StatusFailed, ErrorCodeRefused, 1, "bad dst", false, ""},
		{"5xx retried", sending, "", &SendError{Retryable: true, Status: 500, Message: "boom"}, true, StatusQueued, "", 1, "Try 1 failed: boom", true, ""},
		{"plain error retried, its text kept out of sight", sending, "", errors.New("dial failed"), true, StatusQueued, "", 1, "Try 1 failed: the send failed", true, ""},
		{"last try gives up", Message{ID: 1, Status: StatusSending, Attempts: 9}, "", &SendError{Retryable: true, Status: 429, Message: "slow"}, true, StatusFailed, ErrorCodeGaveUp, 10, "tried 10 times", false, ""},
		{"2xx without uuid", sending, "", &SendError{Status: 202, Message: "no uuid"}, true, StatusFailed, ErrorCodeUnconfirmed, 1, "may or may not", false, ""},
		{"nil error without uuid", sending, "", nil, true, StatusFailed, ErrorCodeUnconfirmed, 1, "may or may not", false, ""},
		{"report came first", Message{ID: 1, Status: StatusDelivered, ProviderUUID: "u-1"}, "u-1", nil, false, StatusDelivered, "", 0, "", false, "u-1"},
		{"report came first without uuid", Message{ID: 1, Status: StatusSent}, "u-2", nil, true, StatusSent, "", 0, "", false, "u-2"},
		{"unconfirmed then accepted", Message{ID: 1, Status: StatusFailed, ErrorCode: ErrorCodeUnconfirmed, Attempts: 1}, "u-3", nil, true, StatusSent, "", 1, "", false, "u-3"},
		{"unconfirmed then retryable", Message{ID: 1, Status: StatusFailed, ErrorCode: ErrorCodeUnconfirmed, Attempts: 1}, "", &SendError{Retryable: true, Message: "x"}, false, StatusFailed, ErrorCodeUnconfirmed, 1, "", false, ""},
		{"unconfirmed then refused", Message{ID: 1, Status: StatusFailed, ErrorCode: ErrorCodeUnconfirmed, Attempts: 1}, "", &SendError{Status: 400, Message: "bad"}, true, StatusFailed, ErrorCodeRefused, 1, "bad", false, ""},
	}
	o := NewOutbox(OutboxOptions{MaxAttempts: 10})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := o.afterSend(tt.m, tt.uuid, tt.err, now0)
			if changed != tt.changed || got.Status != tt.status || got.ErrorCode != tt.code || got.Attempts != tt.attempts {
				t.Fatalf("changed=%v status=%s code=%q attempts=%d, want %v %s %q %d",
					changed, got.Status, got.ErrorCode, got.Attempts, tt.changed, tt.status, tt.code, tt.attempts)
			}
			if !strings.Contains(got.ErrorMessage, tt.msgHas) || (tt.msgHas == "" && got.ErrorMessage != "") {
				t.Fatalf("error message=%q, want it to contain %q", got.ErrorMessage, tt.msgHas)
			}
			if (got.NextAttemptAt != nil) != tt.wantNext {
				t.Fatalf("next attempt=%v, want set=%v", got.NextAttemptAt, tt.wantNext)
			}
			if tt.wantNext && !got.NextAttemptAt.After(now0) {
				t.Fatalf("next attempt=%v, want after %v", got.NextAttemptAt, now0)
			}
			if got.ProviderUUID != tt.providerUUID {
				t.Fatalf("provider uuid=%q, want %q", got.ProviderUUID, tt.providerUUID)
			}
		})
	}
}

func TestRetryableStatus(t *testing.T) {
	tests := []struct {
		status int
		want   bool
	}{
		{0, true}, {400, false}, {401, false}, {403, false}, {404, false}, {408, true},
		{422, false}, {429, true}, {500, true}, {502, true}, {503, true},
	}
	for _, tt := range tests {
		if got := RetryableStatus(tt.status); got != tt.want {
			t.Errorf("RetryableStatus(%d)=%v, want %v", tt.status, got, tt.want)
		}
	}
}

func TestWithheldHonoursConsentAtSendTime(t *testing.T) {
	out := now0
	tests := []struct {
		conv Conversation
		code string
	}{
		{Conversation{Status: ConversationOpen}, ""},
		{Conversation{Status: ConversationClosed}, ""},
		{Conversation{Status: ConversationOpen, OptedOutAt: &out}, ErrorCodeOptedOut},
		{Conversation{Status: ConversationBlocked}, ErrorCodeBlocked},
	}
	for _, tt := range tests {
		if code, _ := withheld(tt.conv); code != tt.code {
			t.Errorf("withheld(%+v)=%q, want %q", tt.conv, code, tt.code)
		}
	}
}
