package inbox

import (
	"context"
	"testing"
)

// A schedule change re-arms the outbox's timer and leaves its workers
// asleep: nothing is queued yet.
func TestWakeOnScheduleChange(t *testing.T) {
	o := NewOutbox(OutboxOptions{})
	workers, scheduler := o.wakeChan(), o.schedWakeChan()
	o.WakeOnQueued(nil).Publish(context.Background(), Event{Kind: EventScheduleChanged})
	select {
	case <-scheduler:
	default:
		t.Error("left the scheduler asleep, want it woken")
	}
	select {
	case <-workers:
		t.Error("woke the workers, want them left asleep")
	default:
	}
}
