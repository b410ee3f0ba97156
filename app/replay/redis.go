package replay

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis remembers nonces in Redis, shared by every instance, each as a key
// that expires with its window (SET NX EX).
type Redis struct {
	client *redis.Client
	prefix string
}

// NewRedis returns Nonces over client, with keys under prefix.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

// Seen implements Nonces. Errors are Redis's (unreachable, timeout).
func (r *Redis) Seen(ctx context.Context, nonce string) (bool, error) {
	n, err := r.client.Exists(ctx, r.prefix+nonce).Result()
	if err != nil {
		return false, fmt.Errorf("replay: redis: %w", err)
	}
	return n > 0, nil
}

// Remember implements Nonces. A nonce already there keeps its first
// expiry. Errors are Redis's.
func (r *Redis) Remember(ctx context.Context, nonce string, window time.Duration) error {
	if err := r.client.SetNX(ctx, r.prefix+nonce, 1, window).Err(); err != nil {
		return fmt.Errorf("replay: redis: %w", err)
	}
	return nil
}
