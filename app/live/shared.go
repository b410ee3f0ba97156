package live

import (
	"fmt"
	"sync"
	"time"
)

// How long, and for how many keys, Shared keeps results: long enough
// for every stream of an instance to take an event's result (they all ask
// within milliseconds of each other), and no longer, since each holds a
// rendered fragment.
const (
	sharedTTL  = 2 * time.Second
	sharedKeys = 1024
)

type memo struct {
	mu      sync.Mutex
	entries map[any]*memoEntry
	order   []*memoEntry // oldest first, for eviction
}

type memoEntry struct {
	key   any
	ready chan struct{}
	at    time.Time
	val   any
	err   error
}

// Shared returns fn's result for key, calling fn once for every caller
// that asks for the same key within a few seconds: the streams of one
// instance use it to load and render each event once per user instead of
// once per stream. Callers asking while fn runs wait for its result. A
// failure is not kept: the next caller calls fn again. key must be
// comparable.
func (h *Hub) Shared(key any, fn func() (any, error)) (any, error) {
	m := &h.memo
	m.mu.Lock()
	e, ok := m.entries[key]
	if ok && time.Since(e.at) > sharedTTL {
		select {
		case <-e.ready:
			ok = false // stale: compute afresh
		default: // still being computed: share it
		}
	}
	if ok {
		m.mu.Unlock()
		<-e.ready
		return e.val, e.err
	}
	e = &memoEntry{key: key, ready: make(chan struct{}), at: time.Now()}
	m.entries[key] = e
	m.order = append(m.order, e)
	for len(m.order) > sharedKeys || (len(m.order) > 0 && time.Since(m.order[0].at) > sharedTTL) {
		old := m.order[0]
		m.order = m.order[1:]
		if m.entries[old.key] == old {
			delete(m.entries, old.key)
		}
	}
	m.mu.Unlock()

	func() {
		defer func() {
			if r := recover(); r != nil {
				e.err = fmt.Errorf("live: shared %v: panic: %v", key, r)
			}
			close(e.ready)
		}()
		e.val, e.err = fn()
	}()
	if e.err != nil {
		m.mu.Lock()
		if m.entries[key] == e {
			delete(m.entries, key)
		}
		m.mu.Unlock()
	}
	return e.val, e.err
}
