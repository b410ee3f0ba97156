// Package replay remembers the nonces of signed webhooks for a window, so a
// captured request cannot be played to Parley again. Plivo's nonces are
// unique per request; a signature proves who sent a request, not that it
// is new.
package replay

import (
	"context"
	"time"
)

// Window is how long a nonce is remembered: past Plivo's last retry of a
// callback (60 + 120 + 240 s after the first try) with room to spare.
const Window = 10 * time.Minute

// Nonces remembers nonces for a while. Implementations are safe for
// concurrent use.
type Nonces interface {
	// Seen reports whether nonce was remembered within its window.
	Seen(ctx context.Context, nonce string) (bool, error)
	// Remember records nonce for window. It is idempotent.
	Remember(ctx context.Context, nonce string, window time.Duration) error
}

// Fallback asks Primary (Redis, shared by every instance) and, when it
// fails, Secondary (this process's memory). Remember always writes to
// Secondary too, so during an outage Secondary knows the nonces this
// instance accepted shortly before it.
//
// Why not refuse webhooks while Redis is down: Plivo would retry them a few
// times and then drop the texts, and losing texts is worse than a replay,
// which the MessageUUID check already makes harmless for a text stored
// before. Why not skip the check: a replay to the same instance is still
// caught.
type Fallback struct {
	Primary, Secondary Nonces
	// OnError is told about each primary failure; nil ignores them.
	OnError func(error)
}

// Seen implements Nonces.
func (f Fallback) Seen(ctx context.Context, nonce string) (bool, error) {
	seen, err := f.Primary.Seen(ctx, nonce)
	if err == nil {
		return seen, nil
	}
	f.failed(err)
	return f.Secondary.Seen(ctx, nonce)
}

// Remember implements Nonces.
func (f Fallback) Remember(ctx context.Context, nonce string, window time.Duration) error {
	if err := f.Secondary.Remember(ctx, nonce, window); err != nil {
		return err
	}
	if err := f.Primary.Remember(ctx, nonce, window); err != nil {
		f.failed(err)
	}
	return nil
}

func (f Fallback) failed(err error) {
	if f.OnError != nil {
		f.OnError(err)
	}
}
