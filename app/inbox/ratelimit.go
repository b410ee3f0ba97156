package inbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// RateLimiter counts events per key in a sliding window. Allow counts one
// event and reports whether it fits in limit per window; when it does not,
// it is not counted and retryAfter says when one would. An error means the
// limiter could not decide (its backend is down).
type RateLimiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (allowed bool, retryAfter time.Duration, err error)
}

// Default per-agent send limits.
const (
	DefaultSendsPerMinute = 60
	DefaultSendsPerDay    = 1000
)

// SendLimits bound how many messages one agent may queue: a burst limit
// per minute and a volume limit per day. Zero fields take the defaults.
type SendLimits struct {
	PerMinute int
	PerDay    int
}

func (l SendLimits) withDefaults() SendLimits {
	if l.PerMinute <= 0 {
		l.PerMinute = DefaultSendsPerMinute
	}
	if l.PerDay <= 0 {
		l.PerDay = DefaultSendsPerDay
	}
	return l
}

// allowSend counts one send by actor against both windows, the minute
// first, so a send refused by the burst limit costs nothing from the day.
// It runs before the send's transaction, after its input is validated: an
// attempt refused later (opted out, blocked) has still counted.
//
// A limiter that fails lets the send through. Sending is the inbox's core
// job and the limit guards against runaway scripts, not abuse from
// outside, so an outage of the limiter's backend must not stop agents; the
// limiter main wires in (ratelimit.Fallback) already counts in process
// while Redis is unreachable, so this is a last resort.
//
// Errors: ERATELIMITED with RetryAfter set.
func (s *Service) allowSend(ctx context.Context, actor User) error {
	if s.limiter == nil {
		return nil
	}
	windows := []struct {
		name   string
		limit  int
		window time.Duration
	}{
		{"minute", s.limits.PerMinute, time.Minute},
		{"day", s.limits.PerDay, 24 * time.Hour},
	}
	for _, w := range windows {
		key := "send:" + w.name + ":" + strconv.FormatInt(actor.ID, 10)
		ok, retry, err := s.limiter.Allow(ctx, key, w.limit, w.window)
		if err != nil || ok {
			continue
		}
		retry = max(retry, time.Second)
		return &Error{
			Code: ERATELIMITED, RetryAfter: retry,
			Message: fmt.Sprintf("you have sent %d messages in the last %s, the most allowed; try again in %s",
				w.limit, w.name, waitWords(retry)),
		}
	}
	return nil
}

// waitWords says how long to wait, rounded up: "12 seconds", "3 minutes",
// "5 hours".
func waitWords(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	ceil := func(d, u time.Duration) int64 { return int64((d + u - 1) / u) }
	switch {
	case d <= 90*time.Second:
		return unit(ceil(d, time.Second), "second")
	case d <= 90*time.Minute:
		return unit(ceil(d, time.Minute), "minute")
	}
	return unit(ceil(d, time.Hour), "hour")
}

// ErrorRetryAfter returns how long the caller should wait before trying
// again, from the first *Error in err's chain; zero when it does not say.
func ErrorRetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}
