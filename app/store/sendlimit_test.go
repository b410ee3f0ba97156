package store_test

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/ratelimit"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
	"github.com/parleyhq/parley/app/testenv"
)

// eachLimiter runs body with a fresh database and limiter for each pair of
// backends: SQLite and PostgreSQL (see storetest.EachDB) by the in-process limiter
// always and the Redis one when PARLEY_TEST_REDIS_URL is set (failing, not
// skipping, when that Redis does not answer).
func eachLimiter(t *testing.T, body func(t *testing.T, s *store.Store, l inbox.RateLimiter)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) {
		storetest.EachDB(t, func(t *testing.T, s *store.Store) {
			body(t, s, ratelimit.Checker{Limiter: ratelimit.NewMemory(nil)})
		})
	})
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
		storetest.EachDB(t, func(t *testing.T, s *store.Store) {
			prefix := "parley:test:" + strings.ToLower(rand.Text()) + ":"
			body(t, s, ratelimit.Checker{Limiter: ratelimit.NewRedis(c, prefix)})
		})
	})
}

func TestSendLimitPerMinute(t *testing.T) {
	eachLimiter(t, func(t *testing.T, s *store.Store, l inbox.RateLimiter) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{limiter: l})
		for i := range inbox.DefaultSendsPerMinute {
			r.MustReply(t, "reply "+strconv.Itoa(i+1))
		}
		before := countAll(t, s)

		refusals := map[string]func() (inbox.Message, error){
			"SendReply": func() (inbox.Message, error) { return r.svc.SendReply(ctx, r.agent, r.convID, "one too many") },
			"SendTo": func() (inbox.Message, error) {
				return r.svc.SendTo(ctx, r.agent, inbox.Outgoing{To: "+14155550123", Text: "one too many"})
			},
			"RetryMessage": func() (inbox.Message, error) { return r.svc.RetryMessage(ctx, r.agent, 1) },
		}
		for name, send := range refusals {
			_, err := send()
			if inbox.ErrorCode(err) != inbox.ERATELIMITED {
				t.Fatalf("%s #61 err=%v, want rate_limited", name, err)
			}
			if retry := inbox.ErrorRetryAfter(err); retry <= 0 || retry > time.Minute {
				t.Errorf("%s RetryAfter=%v, want within (0, 1m]", name, retry)
			}
		}
		if n := countAll(t, s); n != before {
			t.Fatalf("messages=%d after refused sends, want %d (nothing stored)", n, before)
		}

		other := inbox.User{Email: "other@example.com", Role: inbox.RoleAgent}
		if err := s.SaveUser(ctx, &other); err != nil {
			t.Fatal(err)
		}
		if _, err := r.svc.SendReply(ctx, other, r.convID, "my own limit"); err != nil {
			t.Fatalf("another agent's send: %v, want the limit to be per agent", err)
		}
	})
}

func TestSendLimitPerDay(t *testing.T) {
	eachLimiter(t, func(t *testing.T, s *store.Store, l inbox.RateLimiter) {
		r := newRig(t, s, rigOptions{limiter: l, limits: inbox.SendLimits{PerMinute: 60, PerDay: 3}})
		for i := range 3 {
			r.MustReply(t, "reply "+strconv.Itoa(i+1))
		}
		before := countAll(t, s)
		_, err := r.svc.SendReply(context.Background(), r.agent, r.convID, "fourth")
		if inbox.ErrorCode(err) != inbox.ERATELIMITED {
			t.Fatalf("fourth send of the day err=%v, want rate_limited", err)
		}
		if retry := inbox.ErrorRetryAfter(err); retry < 23*time.Hour || retry > 24*time.Hour {
			t.Errorf("RetryAfter=%v, want about a day", retry)
		}
		if n := countAll(t, s); n != before {
			t.Fatalf("messages=%d, want %d (nothing stored)", n, before)
		}
	})
}

// brokenLimiter is a limiter whose backend is down; it counts how often it
// was asked.
type brokenLimiter struct{ asked atomic.Int64 }

func (b *brokenLimiter) Allow(context.Context, string, int, time.Duration) (bool, time.Duration, error) {
	b.asked.Add(1)
	return false, 0, errors.New("redis: connection refused")
}

// TestSendLimiterOutageDoesNotStopSending: when the limiter's backend is
// down, sends are let through (an outage of the counter must not silence
// the team) rather than refused, and the limiter was really consulted.
func TestSendLimiterOutageDoesNotStopSending(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		broken := &brokenLimiter{}
		r := newRig(t, s, rigOptions{limiter: broken, limits: inbox.SendLimits{PerMinute: 1, PerDay: 1}})
		before := countAll(t, s)
		for i := range 3 {
			m := r.MustReply(t, "still sending "+strconv.Itoa(i))
			if m.Status != inbox.StatusQueued {
				t.Errorf("reply %d status=%s, want queued", i, m.Status)
			}
		}
		if n := countAll(t, s); n != before+3 {
			t.Errorf("messages=%d, want %d (three replies stored past a limit of one)", n, before+3)
		}
		if got := broken.asked.Load(); got < 3 {
			t.Errorf("limiter asked %d times, want at least 3 (once per send)", got)
		}
	})
}
