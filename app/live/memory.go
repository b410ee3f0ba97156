package live

import (
	"context"
	"fmt"
	"sync"

	"github.com/parleyhq/parley/app/inbox"
)

var _ Bus = (*Memory)(nil)

// Memory is a Bus within one process: for a single instance and for tests.
// Publish never waits for a subscriber: each subscription buffers up to 1024
// events, and a subscriber that falls further behind loses the overflow and
// is sent a Notice with Resync, so it catches up from the event log. Memory
// is never disconnected, so every Notice it sends has Connected set.
type Memory struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
}

// NewMemory returns an empty in-process bus.
func NewMemory() *Memory {
	return &Memory{subs: make(map[*Subscription]struct{})}
}

// Publish hands e to every subscription without blocking. It returns
// ErrClosed after Close, or ctx's error when ctx has already ended.
func (m *Memory) Publish(ctx context.Context, e inbox.Event) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("live: publish event %d: %w", e.ID, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for s := range m.subs {
		s.deliver(e)
	}
	return nil
}

// Subscribe starts a subscription that receives every later Publish. It
// returns ErrClosed after Close, or ctx's error when ctx has already ended.
func (m *Memory) Subscribe(ctx context.Context) (*Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("live: subscribe: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	s := newSubscription()
	s.stop = func() {
		m.mu.Lock()
		delete(m.subs, s)
		m.mu.Unlock()
	}
	m.subs[s] = struct{}{}
	return s, nil
}

// Ping returns ErrClosed after Close, and nil otherwise.
func (m *Memory) Ping(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	return nil
}

// Close ends every subscription. It is idempotent and returns nil.
func (m *Memory) Close() error {
	m.mu.Lock()
	m.closed = true
	subs := m.subs
	m.subs = make(map[*Subscription]struct{})
	m.mu.Unlock()
	for s := range subs {
		s.Close()
	}
	return nil
}
