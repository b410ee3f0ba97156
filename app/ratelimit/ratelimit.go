// Package ratelimit counts events per key in a sliding window, in process or
// in Redis (shared by every instance).
package ratelimit

import (
	"context"
	"time"
)

// Result is one decision.
type Result struct {
	Allowed bool
	// Remaining is how many more events the window allows after this one.
	Remaining int
	// RetryAfter is how long until the next event would be allowed; zero
	// when Allowed.
	RetryAfter time.Duration
}

// Limiter allows at most limit events per key in any window-long span of
// time (a sliding window, not fixed buckets, so no burst of 2×limit across a
// bucket edge). A refused event is not counted.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (Result, error)
}

// Fallback uses Primary and, when it fails (Redis unreachable), Secondary.
// With an in-process Secondary the limit still holds per instance during an
// outage: limits loosen by the number of instances but never disappear, and
// sign-in and sending keep working.
type Fallback struct {
	Primary, Secondary Limiter
	// OnError is told about each primary failure; nil ignores them.
	OnError func(error)
}

// Allow implements Limiter.
func (f Fallback) Allow(ctx context.Context, key string, limit int, window time.Duration) (Result, error) {
	r, err := f.Primary.Allow(ctx, key, limit, window)
	if err == nil {
		return r, nil
	}
	if f.OnError != nil {
		f.OnError(err)
	}
	return f.Secondary.Allow(ctx, key, limit, window)
}
