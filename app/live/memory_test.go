package live

import (
	"context"
	"testing"
)

// A subscriber that reads nothing must not hold up Publish; it loses the
// overflow, is told to resync, and gets later events once it has read the
// notice.
func TestMemory_SlowSubscriber(t *testing.T) {
	bus := NewMemory()
	t.Cleanup(func() { _ = bus.Close() })
	slow := mustSubscribe(t, bus)
	const overflow = 10
	withinWait(t, "publishing past the buffer", func() {
		for id := int64(1); id <= bufferSize+overflow; id++ {
			if err := bus.Publish(context.Background(), testEvent(id)); err != nil {
				t.Errorf("Publish(%d)=%v, want nil", id, err)
			}
		}
	})

	n := recvNotice(t, slow, wait)
	if want := (Notice{Connected: true, Resync: true}); n != want {
		t.Fatalf("notice=%+v, want %+v", n, want)
	}
	for id := int64(1); id <= bufferSize; id++ {
		if got := recvEvent(t, slow); got.ID != id {
			t.Fatalf("event ID=%d, want %d", got.ID, id)
		}
	}
	after := testEvent(bufferSize + overflow + 1)
	mustPublish(t, bus, after)
	if got := recvEvent(t, slow); !sameEvent(got, after) {
		t.Fatalf("event after resync=%+v, want %+v", got, after)
	}
}

// While a Resync notice is unread, events are dropped rather than
// delivered, so none arrives before the notice that covers the gap.
func TestMemory_NoEventsBeforeUnreadResync(t *testing.T) {
	bus := NewMemory()
	t.Cleanup(func() { _ = bus.Close() })
	sub := mustSubscribe(t, bus)
	for id := int64(1); id <= bufferSize+1; id++ {
		mustPublish(t, bus, testEvent(id))
	}
	for id := int64(1); id <= bufferSize; id++ { // room again, notice unread
		recvEvent(t, sub)
	}
	mustPublish(t, bus, testEvent(bufferSize+2))
	select {
	case e := <-sub.C():
		t.Fatalf("event %d arrived before the resync notice was read, want none", e.ID)
	default:
	}
	if n := recvNotice(t, sub, wait); !n.Resync {
		t.Fatalf("Resync=%v, want true", n.Resync)
	}
}

// A fast subscriber keeps every event while a slow one overflows.
func TestMemory_SlowDoesNotAffectFast(t *testing.T) {
	bus := NewMemory()
	t.Cleanup(func() { _ = bus.Close() })
	_ = mustSubscribe(t, bus) // never read
	fast := mustSubscribe(t, bus)
	for id := int64(1); id <= 2*bufferSize; id++ {
		mustPublish(t, bus, testEvent(id))
		if got := recvEvent(t, fast); got.ID != id {
			t.Fatalf("fast: event ID=%d, want %d", got.ID, id)
		}
	}
	select {
	case n := <-fast.Notices():
		t.Fatalf("fast: notice=%+v, want none", n)
	default:
	}
}
