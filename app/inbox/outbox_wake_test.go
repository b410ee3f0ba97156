package inbox

import (
	"context"
	"testing"
)

func TestWakeOnQueued(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		wake   bool
	}{
		{"an agent's reply", []Event{{Kind: EventMessageQueued}, {Kind: EventConversationUpdated}}, true},
		{"an inbound text's automatic reply, sent as XML", []Event{{Kind: EventMessageReceived}, {Kind: EventMessageQueued}, {Kind: EventConversationUpdated}}, false},
		{"an inbound text", []Event{{Kind: EventMessageReceived}, {Kind: EventConversationUpdated}}, false},
		{"a status change", []Event{{Kind: EventMessageStatus}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := NewOutbox(OutboxOptions{})
			woken := o.wakeChan()
			o.WakeOnQueued(nil).Publish(context.Background(), tt.events...)
			select {
			case <-woken:
				if !tt.wake {
					t.Error("woke the outbox, want it left asleep")
				}
			default:
				if tt.wake {
					t.Error("left the outbox asleep, want it woken")
				}
			}
		})
	}
}
