package live

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"
)

// panicUnits counts the units OnPanic is told of.
type panicUnits struct {
	mu sync.Mutex
	n  map[string]int
}

func (p *panicUnits) count(unit string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n == nil {
		p.n = map[string]int{}
	}
	p.n[unit]++
}

func (p *panicUnits) get(unit string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n[unit]
}

// A panic while the hub fans out (here in its OnReceived callback) ends
// that subscription, not the hub: it subscribes again, tells its clients
// to resync (the batch in hand may be lost), and later events reach them.
func TestHub_PanicResubscribes(t *testing.T) {
	bus := newFakeBus()
	var calls atomic.Int32
	panics := &panicUnits{}
	h, done := startHub(t, bus, HubOptions{
		OnReceived: func(int) {
			if calls.Add(1) == 1 {
				var m map[string]*int
				_ = *m["x"]
			}
		},
		OnPanic: panics.count,
	})
	first := bus.next(t)
	c := mustRegister(t, h, 1)
	first.deliver(testEvent(1))
	second := bus.next(t)
	recvResync(t, c)
	second.deliver(testEvent(2))
	if got := recvClient(t, c); got.ID != 2 {
		t.Fatalf("event %d after the panic, want 2", got.ID)
	}
	if got := panics.get("hub"); got != 1 {
		t.Fatalf("hub panics counted=%d, want 1", got)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned %v after the panic, want it running", err)
	default:
	}
}

// panicOnce is a log handler that panics on the first record whose
// message is msg, as a faulty handler might.
type panicOnce struct {
	slog.Handler
	msg  string
	done *atomic.Bool
}

func (p panicOnce) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == p.msg && p.done.CompareAndSwap(false, true) {
		panic("log handler failed")
	}
	return p.Handler.Handle(ctx, r)
}

func (p panicOnce) WithAttrs(as []slog.Attr) slog.Handler {
	return panicOnce{Handler: p.Handler.WithAttrs(as), msg: p.msg, done: p.done}
}

// A panic in the Redis subscriber's loop is logged and counted; the
// subscriber goes on, tells the subscription to resync (a message may be
// lost), and later events arrive.
func TestRedis_SubscriberSurvivesAPanic(t *testing.T) {
	log, buf := newTestLogger()
	panics := &panicUnits{}
	bus := mustRedis(t, RedisOptions{
		Logger:  slog.New(panicOnce{Handler: log.Handler(), msg: "live: skipped malformed message", done: new(atomic.Bool)}),
		OnPanic: panics.count,
	})
	sub := mustSubscribe(t, bus)
	raw := redis.NewClient(redisOptions(t))
	t.Cleanup(func() { _ = raw.Close() })
	if err := raw.Publish(context.Background(), bus.opts.Channel, "not json").Err(); err != nil {
		t.Fatal(err)
	}
	awaitNotice(t, sub, wait, func(n Notice) bool { return n.Resync })
	want := testEvent(7)
	mustPublish(t, bus, want)
	if got := recvEvent(t, sub); !sameEvent(got, want) {
		t.Fatalf("event=%+v after the panic, want %+v", got, want)
	}
	if got := panics.get("redis_subscriber"); got != 1 {
		t.Fatalf("subscriber panics counted=%d, want 1", got)
	}
	if !strings.Contains(buf.String(), "log handler failed") {
		t.Fatalf("log=%q, want the panic", buf)
	}
}
