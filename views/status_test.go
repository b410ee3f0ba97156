package views

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

// TestStatusWords pins the word, the tooltip and the warning colour of
// every status, so the one table keeps what the switches said.
func TestStatusWords(t *testing.T) {
	tests := []struct {
		status      inbox.Status
		label, help string
		problem     bool
	}{
		{inbox.StatusReceived, "Received", "Received from the contact", false},
		{inbox.StatusQueued, "Queued", "Waiting in the outbox to be sent", false},
		{inbox.StatusSending, "Sending", "Being handed to Plivo", false},
		{inbox.StatusSent, "Sent", "Accepted by the carrier; waiting for a delivery report", false},
		{inbox.StatusDelivered, "Delivered", "The carrier confirmed delivery to the phone", false},
		{inbox.StatusUndelivered, "Undelivered", "The carrier could not deliver it to the phone", true},
		{inbox.StatusFailed, "Failed", "Sending failed", true},
		{inbox.StatusRejected, "Rejected", "Plivo refused to send it", true},
		{"", "Unknown", "Status unknown", false},
		{"weird", "weird", "Status unknown", false},
	}
	for _, tt := range tests {
		if got := StatusLabel(tt.status); got != tt.label {
			t.Errorf("StatusLabel(%q)=%q, want %q", tt.status, got, tt.label)
		}
		if got := statusHelp(inbox.Message{Status: tt.status}); got != tt.help {
			t.Errorf("statusHelp(%q)=%q, want %q", tt.status, got, tt.help)
		}
		if got, want := statusHelp(inbox.Message{Status: tt.status, ErrorCode: "30"}), tt.help+" (error 30)"; got != want {
			t.Errorf("statusHelp(%q, error 30)=%q, want %q", tt.status, got, want)
		}
		if got := statusProblem(tt.status); got != tt.problem {
			t.Errorf("statusProblem(%q)=%v, want %v", tt.status, got, tt.problem)
		}
	}
}
