package web

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestFailureReason(t *testing.T) {
	out := func(status inbox.Status, code, msg string) inbox.Message {
		return inbox.Message{Direction: inbox.DirectionOutbound, Status: status, ErrorCode: code, ErrorMessage: msg}
	}
	tests := []struct {
		name string
		m    inbox.Message
		want string
	}{
		{"documented code", out(inbox.StatusUndelivered, "80", ""), "The recipient's phone is temporarily unavailable (for example switched off). Sending again later may work."},
		{"unknown code keeps its number", out(inbox.StatusUndelivered, "4242", ""), "The carrier could not deliver the message (error 4242)."},
		{"unknown code on a failed send", out(inbox.StatusFailed, "77x", ""), "Plivo could not send the message (error 77x)."},
		{"no code", out(inbox.StatusRejected, "", ""), "The carrier refused the message."},
		{"code not safe to repeat", out(inbox.StatusUndelivered, "<b>", ""), "The carrier could not deliver the message."},
		{"Parley's own words", out(inbox.StatusFailed, inbox.ErrorCodeRefused, "Plivo refused the message: invalid dst"), "Plivo refused the message: invalid dst"},
		{"delivered", out(inbox.StatusDelivered, "", ""), ""},
		{"sent", out(inbox.StatusSent, "", ""), ""},
		{"inbound", inbox.Message{Direction: inbox.DirectionInbound, Status: inbox.StatusFailed, ErrorCode: "80"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := failureReason(tt.m); got != tt.want {
				t.Errorf("failureReason=%q, want %q", got, tt.want)
			}
		})
	}
}
