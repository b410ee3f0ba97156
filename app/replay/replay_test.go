package replay_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parleyhq/parley/app/replay"
	"github.com/parleyhq/parley/app/testenv"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// eachNonces runs body over the in-process store and, when
// PARLEY_TEST_REDIS_URL is set, Redis.
func eachNonces(t *testing.T, body func(t *testing.T, n replay.Nonces)) {
	t.Run("memory", func(t *testing.T) { body(t, replay.NewMemory(nil)) })
	if u := os.Getenv("PARLEY_TEST_REDIS_URL"); u != "" {
		t.Run("redis", func(t *testing.T) {
			body(t, replay.NewRedis(mustRedis(t, u), fmt.Sprintf("parley:test:nonce:%d:", time.Now().UnixNano())))
		})
	}
}

func mustRedis(tb testing.TB, u string) *redis.Client {
	tb.Helper()
	opts, err := redis.ParseURL(u)
	if err != nil {
		tb.Fatal(err)
	}
	c := redis.NewClient(opts)
	tb.Cleanup(func() { c.Close() })
	return c
}

func TestNoncesRememberedOnce(t *testing.T) {
	eachNonces(t, func(t *testing.T, n replay.Nonces) {
		ctx := context.Background()
		if seen, err := n.Seen(ctx, "a"); err != nil || seen {
			t.Fatalf("Seen(new)=%v, %v, want false", seen, err)
		}
		for range 2 { // idempotent
			if err := n.Remember(ctx, "a", replay.Window); err != nil {
				t.Fatal(err)
			}
		}
		if seen, err := n.Seen(ctx, "a"); err != nil || !seen {
			t.Fatalf("Seen(remembered)=%v, %v, want true", seen, err)
		}
		if seen, _ := n.Seen(ctx, "b"); seen {
			t.Fatal("Seen(other)=true, want false")
		}
	})
}

func TestRedisNoncesExpire(t *testing.T) {
	u := testenv.URL(t, testenv.Redis)
	c := mustRedis(t, u)
	prefix := fmt.Sprintf("parley:test:nonce:%d:", time.Now().UnixNano())
	n := replay.NewRedis(c, prefix)
	ctx := context.Background()
	if err := n.Remember(ctx, "x", 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	// The key carries the window as its TTL, so Redis forgets it by itself.
	ttl := c.TTL(ctx, prefix+"x").Val()
	if ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Fatalf("TTL=%v, want the 10-minute window", ttl)
	}
}

func TestMemoryNoncesExpireAndAreSwept(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m := replay.NewMemory(c.Now)
	ctx := context.Background()
	_ = m.Remember(ctx, "old", replay.Window)
	c.Add(replay.Window - time.Second)
	if seen, _ := m.Seen(ctx, "old"); !seen {
		t.Fatal("nonce forgotten inside its window")
	}
	c.Add(time.Second)
	if seen, _ := m.Seen(ctx, "old"); seen {
		t.Fatal("nonce still seen at the end of its window")
	}
	for i := range 2048 {
		_ = m.Remember(ctx, fmt.Sprint(i), time.Minute)
	}
	if n := m.Len(); n > 2048 {
		t.Fatalf("Len=%d after the window passed, want the expired nonce swept", n)
	}
}

// downRedis is a client of a port nothing listens on.
func downRedis(t *testing.T) *redis.Client {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

func TestFallbackUsesMemoryWhileRedisIsDown(t *testing.T) {
	var failures int
	f := replay.Fallback{
		Primary:   replay.NewRedis(downRedis(t), "parley:nonce:"),
		Secondary: replay.NewMemory(nil),
		OnError:   func(error) { failures++ },
	}
	ctx := context.Background()
	if err := f.Remember(ctx, "n1", replay.Window); err != nil {
		t.Fatalf("Remember with Redis down: %v, want it kept in memory", err)
	}
	seen, err := f.Seen(ctx, "n1")
	if err != nil || !seen {
		t.Fatalf("Seen=%v, %v with Redis down, want true from memory", seen, err)
	}
	if seen, _ := f.Seen(ctx, "n2"); seen {
		t.Fatal("Seen(unknown)=true, want false")
	}
	if failures != 3 {
		t.Fatalf("OnError called %d times, want 3 (one per Redis call)", failures)
	}
}

func TestFallbackPrefersRedis(t *testing.T) {
	u := testenv.URL(t, testenv.Redis)
	prefix := fmt.Sprintf("parley:test:nonce:%d:", time.Now().UnixNano())
	shared := replay.NewRedis(mustRedis(t, u), prefix)
	a := replay.Fallback{Primary: shared, Secondary: replay.NewMemory(nil)}
	b := replay.Fallback{Primary: shared, Secondary: replay.NewMemory(nil)}
	ctx := context.Background()
	if err := a.Remember(ctx, "n", replay.Window); err != nil {
		t.Fatal(err)
	}
	// Another instance, with its own memory, sees it through Redis.
	if seen, err := b.Seen(ctx, "n"); err != nil || !seen {
		t.Fatalf("other instance Seen=%v, %v, want true", seen, err)
	}
}
