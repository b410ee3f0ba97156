package live

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/redis/go-redis/v9"
)

func newTestLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, nil)), buf
}

// A failing bus is logged at warn, once per event, with id and kind.
func TestPublisher_LogsFailures(t *testing.T) {
	closed := NewMemory()
	_ = closed.Close()
	tests := []struct {
		name    string
		bus     Bus
		wantErr string
	}{
		{name: "closed bus", bus: closed, wantErr: "live: bus closed"},
		{name: "unreachable redis", bus: newRedis(&redis.Options{Addr: "127.0.0.1:1"}, RedisOptions{}), wantErr: "live: publish event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Cleanup(func() { _ = tt.bus.Close() })
			log, buf := newTestLogger()
			pub := NewPublisher(tt.bus, log)
			events := []inbox.Event{testEvent(11), testEvent(12)}
			events[1].Kind = inbox.EventConversationUpdated
			withinWait(t, "Publish", func() { pub.Publish(context.Background(), events...) })

			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != len(events) {
				t.Fatalf("log lines=%d, want %d:\n%s", len(lines), len(events), buf)
			}
			for i, e := range events {
				for _, want := range []string{
					"level=WARN", "live: publish failed",
					fmt.Sprintf("event_id=%d", e.ID), "kind=" + string(e.Kind), tt.wantErr,
				} {
					if !strings.Contains(lines[i], want) {
						t.Errorf("log line %d=%q, want it to contain %q", i, lines[i], want)
					}
				}
			}
		})
	}
}

// A request that has finished (its context cancelled) still publishes, and
// success logs nothing.
func TestPublisher_DetachedFromCancellation(t *testing.T) {
	bus := NewMemory()
	t.Cleanup(func() { _ = bus.Close() })
	sub := mustSubscribe(t, bus)
	log, buf := newTestLogger()
	pub := NewPublisher(bus, log)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	want := testEvent(21)
	pub.Publish(ctx, want)
	if got := recvEvent(t, sub); !sameEvent(got, want) {
		t.Fatalf("event=%+v, want %+v", got, want)
	}
	if buf.String() != "" {
		t.Fatalf("log=%q, want empty", buf)
	}
}

func TestPublisher_NilLoggerDiscards(t *testing.T) {
	bus := NewMemory()
	_ = bus.Close()
	pub := NewPublisher(bus, nil)
	withinWait(t, "Publish", func() { pub.Publish(context.Background(), testEvent(1)) })
}
