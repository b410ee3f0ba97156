package inbox

import "sync"

// RefusalTally counts refused webhooks by reason in memory, for the server
// to add to the database once a minute: a flood of forged webhooks then
// costs one write a minute per instance, not one each. A nil tally counts
// nothing. It is safe for concurrent use.
type RefusalTally struct {
	mu     sync.Mutex
	counts map[string]int64
}

// Add counts one refusal for reason.
func (t *RefusalTally) Add(reason string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]int64{}
	}
	t.counts[reason]++
}

// Drain returns the counts so far and starts afresh; nil when there are
// none.
func (t *RefusalTally) Drain() map[string]int64 {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.counts
	t.counts = nil
	return out
}

// Restore adds back counts a failed write could not keep, so they go with
// the next one.
func (t *RefusalTally) Restore(counts map[string]int64) {
	if t == nil || len(counts) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]int64{}
	}
	for k, v := range counts {
		t.counts[k] += v
	}
}
