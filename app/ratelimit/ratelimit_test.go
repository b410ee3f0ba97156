package ratelimit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parleyhq/parley/app/ratelimit"
	"github.com/parleyhq/parley/app/testenv"
)

// eachLimiter runs body over the in-process limiter always and the Redis
// one when PARLEY_TEST_REDIS_URL is set (failing, not skipping, when that
// Redis does not answer).
func eachLimiter(t *testing.T, body func(t *testing.T, l ratelimit.Limiter)) {
	t.Run("memory", func(t *testing.T) { body(t, ratelimit.NewMemory(nil)) })
	t.Run("redis", func(t *testing.T) {
		opts, err := redis.ParseURL(testenv.URL(t, testenv.Redis))
		if err != nil {
			t.Fatal(err)
		}
		c := redis.NewClient(opts)
		t.Cleanup(func() { c.Close() })
		if err := c.Ping(context.Background()).Err(); err != nil {
			t.Fatalf("PARLEY_TEST_REDIS_URL is set but Redis does not answer: %v", err)
		}
		var b [6]byte
		_, _ = rand.Read(b[:])
		body(t, ratelimit.NewRedis(c, "parley:test:"+hex.EncodeToString(b[:])+":"))
	})
}

func TestLimitHoldsPerKey(t *testing.T) {
	eachLimiter(t, func(t *testing.T, l ratelimit.Limiter) {
		ctx := context.Background()
		for i := range 3 {
			r, err := l.Allow(ctx, "a", 3, time.Minute)
			if err != nil || !r.Allowed || r.Remaining != 2-i {
				t.Fatalf("event %d: %+v, %v; want allowed with %d remaining", i, r, err, 2-i)
			}
		}
		r, err := l.Allow(ctx, "a", 3, time.Minute)
		if err != nil || r.Allowed || r.RetryAfter <= 0 || r.RetryAfter > time.Minute {
			t.Fatalf("fourth event: %+v, %v; want refused with 0 < RetryAfter <= 1m", r, err)
		}
		if r, _ := l.Allow(ctx, "b", 3, time.Minute); !r.Allowed {
			t.Fatal("another key was limited too")
		}
	})
}

func TestLimitIsAtomicUnderConcurrency(t *testing.T) {
	eachLimiter(t, func(t *testing.T, l ratelimit.Limiter) {
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			allowed int
		)
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := l.Allow(context.Background(), "busy", 10, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if r.Allowed {
					allowed++
				}
			}()
		}
		wg.Wait()
		if allowed != 10 {
			t.Fatalf("allowed=%d of 50 concurrent events, want exactly 10", allowed)
		}
	})
}

func TestMemoryWindowSlides(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := ratelimit.NewMemory(func() time.Time { return now })
	ctx := context.Background()
	l.Allow(ctx, "k", 2, time.Minute)
	now = now.Add(40 * time.Second)
	l.Allow(ctx, "k", 2, time.Minute)
	r, _ := l.Allow(ctx, "k", 2, time.Minute)
	if r.Allowed || r.RetryAfter != 20*time.Second {
		t.Fatalf("at 40s: %+v, want refused for 20s", r)
	}
	now = now.Add(21 * time.Second)
	if r, _ := l.Allow(ctx, "k", 2, time.Minute); !r.Allowed {
		t.Fatal("at 61s the first event left the window; want allowed")
	}
}

type failing struct{}

func (failing) Allow(context.Context, string, int, time.Duration) (ratelimit.Result, error) {
	return ratelimit.Result{}, errors.New("redis down")
}

func TestFallbackKeepsLimiting(t *testing.T) {
	var seen int
	f := ratelimit.Fallback{Primary: failing{}, Secondary: ratelimit.NewMemory(nil), OnError: func(error) { seen++ }}
	ctx := context.Background()
	f.Allow(ctx, "k", 1, time.Minute)
	r, err := f.Allow(ctx, "k", 1, time.Minute)
	if err != nil || r.Allowed || seen != 2 {
		t.Fatalf("fallback: %+v, %v, errors seen %d; want the in-process limit to hold", r, err, seen)
	}
}

func TestMemorySweepKeepsEachKeysOwnWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := ratelimit.NewMemory(func() time.Time { return now })
	ctx := context.Background()
	if r, _ := l.Allow(ctx, "day", 1, 24*time.Hour); !r.Allowed {
		t.Fatal("first event of the day refused")
	}
	now = now.Add(time.Hour)
	// Enough minute-window calls to trigger a sweep, an hour after the
	// day-window event: that event is still inside its own window.
	for i := range 1100 {
		l.Allow(ctx, "minute-"+strconv.Itoa(i), 5, time.Minute)
	}
	r, _ := l.Allow(ctx, "day", 1, 24*time.Hour)
	if r.Allowed || r.RetryAfter != 23*time.Hour {
		t.Fatalf("second event of the day after a sweep: %+v, want refused for 23h", r)
	}
}

func TestCheckerAdaptsResults(t *testing.T) {
	ctx := context.Background()
	c := ratelimit.Checker{Limiter: ratelimit.NewMemory(nil)}
	if ok, retry, err := c.Allow(ctx, "k", 1, time.Minute); !ok || retry != 0 || err != nil {
		t.Fatalf("first=%v, %v, %v; want allowed", ok, retry, err)
	}
	if ok, retry, err := c.Allow(ctx, "k", 1, time.Minute); ok || retry <= 0 || retry > time.Minute || err != nil {
		t.Fatalf("second=%v, %v, %v; want refused with 0 < retry <= 1m", ok, retry, err)
	}
	if ok, _, err := (ratelimit.Checker{Limiter: failing{}}).Allow(ctx, "k", 1, time.Minute); ok || err == nil {
		t.Fatalf("failing limiter=%v, %v; want its error", ok, err)
	}
}
