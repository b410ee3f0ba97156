package live

import (
	"context"
	"errors"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestBus_PublishReceive(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		sub := mustSubscribe(t, bus)
		kinds := []inbox.EventKind{inbox.EventMessageReceived, inbox.EventMessageQueued,
			inbox.EventMessageStatus, inbox.EventConversationUpdated, inbox.EventConsentChanged}
		var sent []inbox.Event
		for i, kind := range kinds {
			e := testEvent(int64(i + 1))
			e.Kind = kind
			mustPublish(t, bus, e)
			sent = append(sent, e)
		}
		for _, want := range sent {
			if got := recvEvent(t, sub); !sameEvent(got, want) {
				t.Fatalf("event=%+v, want %+v", got, want)
			}
		}
	})
}

func TestBus_TwoSubscribers(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		a, b := mustSubscribe(t, bus), mustSubscribe(t, bus)
		want := testEvent(7)
		mustPublish(t, bus, want)
		for name, sub := range map[string]*Subscription{"a": a, "b": b} {
			if got := recvEvent(t, sub); !sameEvent(got, want) {
				t.Errorf("%s: event=%+v, want %+v", name, got, want)
			}
		}
	})
}

func TestBus_CloseSubscription(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		gone, kept := mustSubscribe(t, bus), mustSubscribe(t, bus)
		gone.Close()
		gone.Close() // idempotent
		expectClosed(t, gone)

		want := testEvent(8)
		mustPublish(t, bus, want)
		if got := recvEvent(t, kept); !sameEvent(got, want) {
			t.Fatalf("kept: event=%+v, want %+v", got, want)
		}
		if e, ok := <-gone.C(); ok {
			t.Fatalf("closed subscription received %+v, want nothing", e)
		}
	})
}

func TestBus_Close(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		ctx := context.Background()
		if err := bus.Ping(ctx); err != nil {
			t.Fatalf("Ping()=%v, want nil", err)
		}
		sub := mustSubscribe(t, bus)
		if err := bus.Close(); err != nil {
			t.Fatalf("Close()=%v, want nil", err)
		}
		if err := bus.Close(); err != nil {
			t.Fatalf("second Close()=%v, want nil", err)
		}
		expectClosed(t, sub)
		sub.Close() // after the bus: no panic, no wait

		if err := bus.Publish(ctx, testEvent(1)); !errors.Is(err, ErrClosed) {
			t.Errorf("Publish after Close=%v, want %v", err, ErrClosed)
		}
		if _, err := bus.Subscribe(ctx); !errors.Is(err, ErrClosed) {
			t.Errorf("Subscribe after Close=%v, want %v", err, ErrClosed)
		}
		if err := bus.Ping(ctx); !errors.Is(err, ErrClosed) {
			t.Errorf("Ping after Close=%v, want %v", err, ErrClosed)
		}
	})
}

func TestBus_CancelledContext(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := bus.Publish(ctx, testEvent(1)); !errors.Is(err, context.Canceled) {
			t.Errorf("Publish(cancelled)=%v, want %v", err, context.Canceled)
		}
		if _, err := bus.Subscribe(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Subscribe(cancelled)=%v, want %v", err, context.Canceled)
		}
	})
}
