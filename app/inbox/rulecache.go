package inbox

import (
	"context"
	"slices"
	"sync"
	"time"
)

// ruleCache keeps the keyword rules between inbound texts, which read them
// on every webhook while admins change them rarely. This instance's own
// edits empty it at once; another instance's edits show within the TTL,
// which is why the TTL is short (a second by default in the server): the
// price of a rule reaching every instance a moment late is one text
// answered by the old rule, and it saves a query per text.
type ruleCache struct {
	ttl time.Duration

	mu      sync.Mutex
	rules   []KeywordRule
	fetched time.Time // monotonic; zero when empty
	gen     uint64    // bumped by every invalidation
}

// get returns the cached rules, or reads them through read and caches
// them unless an invalidation happened during the read (the read may then
// predate the edit). With a zero TTL it always reads.
func (c *ruleCache) get(ctx context.Context, read func(context.Context) ([]KeywordRule, error)) ([]KeywordRule, error) {
	if c == nil || c.ttl <= 0 {
		return read(ctx)
	}
	c.mu.Lock()
	if !c.fetched.IsZero() && time.Since(c.fetched) < c.ttl {
		rules := c.rules
		c.mu.Unlock()
		return rules, nil
	}
	gen := c.gen
	c.mu.Unlock()
	rules, err := read(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.rules, c.fetched = slices.Clip(rules), time.Now()
	}
	c.mu.Unlock()
	return rules, nil
}

// invalidate empties the cache after an edit.
func (c *ruleCache) invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.gen++
	c.rules, c.fetched = nil, time.Time{}
	c.mu.Unlock()
}
