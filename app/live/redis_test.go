package live

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Unreachable Redis fails every call quickly instead of hanging a webhook.
// These need no Redis: nothing listens on port 1.
func TestRedis_Unreachable(t *testing.T) {
	ctx := context.Background()
	withinWait(t, "NewRedis", func() {
		if _, err := NewRedis(ctx, "redis://127.0.0.1:1/0", RedisOptions{}); err == nil {
			t.Errorf("NewRedis(unreachable)=nil, want an error")
		}
	})
	bus := newRedis(&redis.Options{Addr: "127.0.0.1:1"}, RedisOptions{Channel: testChannel()})
	t.Cleanup(func() { _ = bus.Close() })
	withinWait(t, "Publish", func() {
		if err := bus.Publish(ctx, testEvent(1)); err == nil {
			t.Errorf("Publish(unreachable)=nil, want an error")
		}
	})
	withinWait(t, "Subscribe", func() {
		if _, err := bus.Subscribe(ctx); err == nil {
			t.Errorf("Subscribe(unreachable)=nil, want an error")
		}
	})
	withinWait(t, "Ping", func() {
		if err := bus.Ping(ctx); err == nil {
			t.Errorf("Ping(unreachable)=nil, want an error")
		}
	})
}

func TestNewRedis_BadURL(t *testing.T) {
	if _, err := NewRedis(context.Background(), "http://example.com", RedisOptions{}); err == nil {
		t.Fatalf("NewRedis(http url)=nil, want an error")
	}
}

// Malformed messages on the channel are skipped and logged; the
// subscription keeps going.
func TestRedis_MalformedSkipped(t *testing.T) {
	log, buf := newTestLogger()
	bus := mustRedis(t, RedisOptions{Logger: log})
	sub := mustSubscribe(t, bus)
	raw := redis.NewClient(redisOptions(t))
	t.Cleanup(func() { _ = raw.Close() })
	for _, payload := range []string{"not json", `{"id":1}`} {
		if err := raw.Publish(context.Background(), bus.opts.Channel, payload).Err(); err != nil {
			t.Fatalf("raw Publish(%q)=%v, want nil", payload, err)
		}
	}
	want := testEvent(3)
	mustPublish(t, bus, want)
	if got := recvEvent(t, sub); !sameEvent(got, want) {
		t.Fatalf("event=%+v, want %+v", got, want)
	}
	if got := strings.Count(buf.String(), "live: skipped malformed message"); got != 2 {
		t.Fatalf("skipped-message log lines=%d, want 2:\n%s", got, buf)
	}
	if !strings.Contains(buf.String(), "skipped=2") {
		t.Fatalf("log=%q, want it to count skipped=2", buf)
	}
}

// When Redis drops the subscriber's connection, the subscriber is told to
// resync before any later event reaches it, and later events do.
func TestRedis_ReconnectAfterClientKill(t *testing.T) {
	o := redisOptions(t)
	o.ClientName = "parley-test-" + rand.Text()
	bus := mustRedisVia(t, o, RedisOptions{Channel: testChannel()})
	sub := mustSubscribe(t, bus)
	mustPublish(t, bus, testEvent(1))
	recvEvent(t, sub)

	admin := redis.NewClient(redisOptions(t))
	t.Cleanup(func() { _ = admin.Close() })
	ctx := context.Background()
	id := pubsubClientID(t, admin, o.ClientName)
	killed, err := admin.Do(ctx, "CLIENT", "KILL", "TYPE", "pubsub", "ID", id).Int()
	if err != nil || killed != 1 {
		t.Fatalf("CLIENT KILL TYPE pubsub ID %s=%d, %v, want 1, nil", id, killed, err)
	}

	// Events published before the subscription is back are lost (the
	// resync covers them), so keep publishing until one arrives.
	ticker := time.NewTicker(50 * time.Millisecond)
	defer ticker.Stop()
	deadline := time.After(2 * wait)
	resynced := false
	next := int64(100)
	for {
		select {
		case n := <-sub.Notices():
			resynced = resynced || (n.Connected && n.Resync)
		case e := <-sub.C():
			if !resynced {
				t.Fatalf("event %d arrived before a resync notice, want the notice first", e.ID)
			}
			if e.ID < 100 {
				t.Fatalf("event ID=%d, want one published after the kill (>= 100)", e.ID)
			}
			return
		case <-ticker.C:
			mustPublish(t, bus, testEvent(next))
			next++
		case <-deadline:
			t.Fatalf("no event after the kill within %v (resynced=%v)", 2*wait, resynced)
		}
	}
}

// pubsubClientID finds the id of the pub/sub connection named name.
func pubsubClientID(t testing.TB, admin *redis.Client, name string) string {
	t.Helper()
	list, err := admin.Do(context.Background(), "CLIENT", "LIST", "TYPE", "pubsub").Text()
	if err != nil {
		t.Fatalf("CLIENT LIST=%v, want nil", err)
	}
	for line := range strings.SplitSeq(list, "\n") {
		fields := strings.Fields(line)
		if !containsString(fields, "name="+name) {
			continue
		}
		for _, f := range fields {
			if id, ok := strings.CutPrefix(f, "id="); ok {
				return id
			}
		}
	}
	t.Fatalf("no pubsub client named %s in:\n%s", name, list)
	return ""
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// While Redis is unreachable the subscriber says so, Publish fails, and
// retries back off; once it is back the subscriber resyncs and receives.
func TestRedis_Outage(t *testing.T) {
	o := redisOptions(t)
	p := startProxy(t, o.Addr)
	o.Addr = p.Addr()
	channel := testChannel()
	bus := mustRedisVia(t, o, RedisOptions{Channel: channel})
	direct := mustRedis(t, RedisOptions{Channel: channel})
	sub := mustSubscribe(t, bus)

	p.Refuse(true)
	if n := recvNotice(t, sub, wait); n != (Notice{}) {
		t.Fatalf("notice when Redis went away=%+v, want %+v", n, Notice{})
	}
	withinWait(t, "Publish during the outage", func() {
		if err := bus.Publish(context.Background(), testEvent(1)); err == nil {
			t.Errorf("Publish during the outage=nil, want an error")
		}
	})

	// A hot loop would dial thousands of times a second; backoff a handful.
	before := p.Accepts()
	time.Sleep(time.Second)
	dials := p.Accepts() - before
	t.Logf("dials during 1s of outage: %d", dials)
	if dials > 30 {
		t.Fatalf("dials during 1s of outage=%d, want at most 30", dials)
	}

	p.Refuse(false)
	n := awaitNotice(t, sub, 2*wait, func(n Notice) bool { return n.Connected })
	if want := (Notice{Connected: true, Resync: true}); n != want {
		t.Fatalf("notice when Redis came back=%+v, want %+v", n, want)
	}
	want := testEvent(2)
	mustPublish(t, direct, want)
	if got := recvEvent(t, sub); !sameEvent(got, want) {
		t.Fatalf("event after the outage=%+v, want %+v", got, want)
	}
}

// A connection that dies without a word is caught by the health check and
// replaced; the subscriber resyncs and receives again.
func TestRedis_SilentlyDeadConnection(t *testing.T) {
	o := redisOptions(t)
	p := startProxy(t, o.Addr)
	o.Addr = p.Addr()
	channel := testChannel()
	log, buf := newTestLogger()
	bus := mustRedisVia(t, o, RedisOptions{Channel: channel, HealthCheck: 200 * time.Millisecond, Logger: log})
	direct := mustRedis(t, RedisOptions{Channel: channel})
	sub := mustSubscribe(t, bus)

	p.Blackhole()
	awaitNotice(t, sub, 2*wait, func(n Notice) bool { return n.Connected && n.Resync })
	if !strings.Contains(buf.String(), "health-check ping unanswered") {
		t.Fatalf("log=%q, want the unanswered ping reported", buf)
	}
	want := testEvent(1)
	mustPublish(t, direct, want)
	if got := recvEvent(t, sub); !sameEvent(got, want) {
		t.Fatalf("event after reconnecting=%+v, want %+v", got, want)
	}
}
