package web

import (
	"fmt"
	"sync"
	"time"
)

// How long, and for how many keys, a renderMemo keeps results: long
// enough for every stream of an instance to take an event's rendering
// (they all ask within milliseconds of each other), and no longer, since
// each holds a rendered fragment.
const (
	renderMemoTTL  = 2 * time.Second
	renderMemoKeys = 1024
)

// renderMemo renders each event once per user on this instance instead of
// once per stream. The zero value is ready to use; it is safe for
// concurrent use.
type renderMemo struct {
	mu      sync.Mutex
	entries map[renderKey]*renderMemoEntry
	order   []*renderMemoEntry // oldest first, for eviction
}

type renderMemoEntry struct {
	key   renderKey
	ready chan struct{}
	at    time.Time
	val   rendered
	err   error
}

// do returns fn's result for key, calling fn once for every caller that
// asks for the same key within a few seconds. Callers asking while fn runs
// wait for its result. A failure is not kept: the next caller calls fn
// again. A panic in fn is every waiting caller's error.
func (m *renderMemo) do(key renderKey, fn func() (rendered, error)) (rendered, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = make(map[renderKey]*renderMemoEntry)
	}
	e, ok := m.entries[key]
	if ok && time.Since(e.at) > renderMemoTTL {
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
	e = &renderMemoEntry{key: key, ready: make(chan struct{}), at: time.Now()}
	m.entries[key] = e
	m.order = append(m.order, e)
	for len(m.order) > renderMemoKeys || (len(m.order) > 0 && time.Since(m.order[0].at) > renderMemoTTL) {
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
				e.err = fmt.Errorf("web: render %v: panic: %v", key, r)
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
