package ratelimit

import (
	"context"
	"time"
)

// Checker gives a Limiter the shape of the inbox's RateLimiter port
// (allowed, retryAfter, err) without this package importing the inbox.
type Checker struct {
	Limiter Limiter
}

// Allow counts one event under key, as Limiter.Allow does.
func (c Checker) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	r, err := c.Limiter.Allow(ctx, key, limit, window)
	if err != nil {
		return false, 0, err
	}
	return r.Allowed, r.RetryAfter, nil
}
