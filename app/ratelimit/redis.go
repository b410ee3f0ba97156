package ratelimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// slidingWindow runs atomically in Redis: drop events older than the
// window, count the rest, and add this one if there is room. It returns
// {allowed, remaining, retry_after_ms}.
var slidingWindow = redis.NewScript(`
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return {0, 0, math.max(0, tonumber(oldest[2]) + window - now)}
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return {1, limit - count - 1, 0}
`)

// Redis is a Limiter shared by every instance using the same server.
type Redis struct {
	client *redis.Client
	prefix string
	now    func() time.Time
}

// NewRedis returns a Limiter over client; keys are stored under prefix.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix, now: time.Now}
}

// Allow implements Limiter. Errors are Redis's (unreachable, timeout).
func (r *Redis) Allow(ctx context.Context, key string, limit int, window time.Duration) (Result, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	now := r.now().UnixMilli()
	res, err := slidingWindow.Run(ctx, r.client, []string{r.prefix + key},
		now, window.Milliseconds(), limit, fmt.Sprintf("%d-%s", now, hex.EncodeToString(b[:]))).Int64Slice()
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: redis: %w", err)
	}
	return Result{Allowed: res[0] == 1, Remaining: int(res[1]), RetryAfter: time.Duration(res[2]) * time.Millisecond}, nil
}
