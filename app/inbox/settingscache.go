package inbox

import (
	"context"
	"sync"
	"time"
)

// settingsCache keeps settings that inbound texts read on every webhook
// while admins change them rarely: the keyword rules, the business hours.
// This instance's own edits empty it at once; another instance's edits show
// within the TTL, which is why the TTL is short (a second by default in the
// server): the price of an edit reaching every instance a moment late is
// one text answered the old way, and it saves a query per text. Values are
// shared: callers must not modify them.
type settingsCache[T any] struct {
	ttl time.Duration

	mu      sync.Mutex
	value   T
	fetched time.Time // monotonic; zero when empty
	gen     uint64    // bumped by every invalidation
}

// get returns the cached value, or reads it through read and caches it
// unless an invalidation happened during the read (the read may then
// predate the edit). With a zero TTL it always reads.
func (c *settingsCache[T]) get(ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	if c == nil || c.ttl <= 0 {
		return read(ctx)
	}
	c.mu.Lock()
	if !c.fetched.IsZero() && time.Since(c.fetched) < c.ttl {
		v := c.value
		c.mu.Unlock()
		return v, nil
	}
	gen := c.gen
	c.mu.Unlock()
	v, err := read(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.value, c.fetched = v, time.Now()
	}
	c.mu.Unlock()
	return v, nil
}

// invalidate empties the cache after an edit.
func (c *settingsCache[T]) invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.gen++
	var zero T
	c.value, c.fetched = zero, time.Time{}
	c.mu.Unlock()
}
