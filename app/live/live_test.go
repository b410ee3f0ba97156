package live

import (
	"bytes"
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/testenv"
	"github.com/redis/go-redis/v9"
)

// wait is how long a test waits for something that should happen at once.
const wait = 5 * time.Second

// eachBus runs fn over the in-process bus, and over Redis when
// PARLEY_TEST_REDIS_URL is set.
func eachBus(t *testing.T, fn func(t *testing.T, bus Bus)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) {
		bus := NewMemory()
		t.Cleanup(func() { _ = bus.Close() })
		fn(t, bus)
	})
	t.Run("redis", func(t *testing.T) {
		fn(t, mustRedis(t, RedisOptions{}))
	})
}

// redisURL returns PARLEY_TEST_REDIS_URL, or skips the test without it.
func redisURL(t testing.TB) string {
	t.Helper()
	return testenv.URL(t, testenv.Redis)
}

// redisOptions parses PARLEY_TEST_REDIS_URL, or skips the test without it.
func redisOptions(t testing.TB) *redis.Options {
	t.Helper()
	o, err := redis.ParseURL(redisURL(t))
	if err != nil {
		t.Fatalf("PARLEY_TEST_REDIS_URL: %v", err)
	}
	return o
}

// mustRedis opens a Redis bus on a channel of its own, failing the test
// when Redis does not answer.
func mustRedis(t testing.TB, opts RedisOptions) *Redis {
	t.Helper()
	url := redisURL(t)
	if opts.Channel == "" {
		opts.Channel = testChannel()
	}
	bus, err := NewRedis(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("PARLEY_TEST_REDIS_URL is set but Redis does not answer: %v", err)
	}
	t.Cleanup(func() { _ = bus.Close() })
	return bus
}

// mustRedisVia opens a Redis bus from o (which tests may point at a proxy
// or give a client name), failing the test when Redis does not answer.
func mustRedisVia(t testing.TB, o *redis.Options, opts RedisOptions) *Redis {
	t.Helper()
	bus := newRedis(o, opts)
	t.Cleanup(func() { _ = bus.Close() })
	if err := bus.Ping(context.Background()); err != nil {
		t.Fatalf("Ping(%s)=%v, want nil", o.Addr, err)
	}
	return bus
}

func testChannel() string { return "parley:test:" + rand.Text() }

func mustSubscribe(t testing.TB, bus Bus) *Subscription {
	t.Helper()
	sub, err := bus.Subscribe(context.Background())
	if err != nil {
		t.Fatalf("Subscribe()=%v, want nil", err)
	}
	t.Cleanup(sub.Close)
	return sub
}

func mustPublish(t testing.TB, bus Bus, e inbox.Event) {
	t.Helper()
	if err := bus.Publish(context.Background(), e); err != nil {
		t.Fatalf("Publish(%d)=%v, want nil", e.ID, err)
	}
}

// recvEvent returns the next event on sub, failing after wait.
func recvEvent(t testing.TB, sub *Subscription) inbox.Event {
	t.Helper()
	select {
	case e, ok := <-sub.C():
		if !ok {
			t.Fatalf("C() closed, want an event")
		}
		return e
	case <-time.After(wait):
		t.Fatalf("no event within %v", wait)
	}
	return inbox.Event{}
}

// recvNotice returns the next notice on sub, failing after timeout.
func recvNotice(t testing.TB, sub *Subscription, timeout time.Duration) Notice {
	t.Helper()
	select {
	case n, ok := <-sub.Notices():
		if !ok {
			t.Fatalf("Notices() closed, want a notice")
		}
		return n
	case <-time.After(timeout):
		t.Fatalf("no notice within %v", timeout)
	}
	return Notice{}
}

// awaitNotice reads notices until one satisfies ok, failing after timeout.
func awaitNotice(t testing.TB, sub *Subscription, timeout time.Duration, ok func(Notice) bool) Notice {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := recvNotice(t, sub, time.Until(deadline))
		if ok(n) {
			return n
		}
	}
}

// expectClosed fails unless both channels of sub are closed, discarding
// anything still buffered.
func expectClosed(t testing.TB, sub *Subscription) {
	t.Helper()
	timeout := time.After(wait)
	for c := sub.C(); c != nil; {
		select {
		case _, ok := <-c:
			if !ok {
				c = nil
			}
		case <-timeout:
			t.Fatalf("C() still open after %v, want closed", wait)
		}
	}
	for c := sub.Notices(); c != nil; {
		select {
		case _, ok := <-c:
			if !ok {
				c = nil
			}
		case <-timeout:
			t.Fatalf("Notices() still open after %v, want closed", wait)
		}
	}
}

// testEvent returns an event with every field set.
func testEvent(id int64) inbox.Event {
	return inbox.Event{
		ID:             id,
		Kind:           inbox.EventMessageReceived,
		ConversationID: 1000 + id,
		MessageID:      2000 + id,
		CreatedAt:      time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.UTC).Add(time.Duration(id) * time.Second),
	}
}

func sameEvent(a, b inbox.Event) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.ConversationID == b.ConversationID &&
		a.MessageID == b.MessageID && a.UserID == b.UserID && a.SessionID == b.SessionID &&
		a.CreatedAt.Equal(b.CreatedAt)
}

// withinWait runs fn and fails if it has not returned after wait.
func withinWait(t testing.TB, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatalf("%s still running after %v, want it to return", what, wait)
	}
}

// syncBuffer is a bytes.Buffer that log handlers on other goroutines may
// write to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
