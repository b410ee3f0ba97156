package replay

import (
	"context"
	"sync"
	"time"
)

// sweepEvery is how many Remember calls pass between sweeps of expired
// nonces, so memory follows the traffic of one window.
const sweepEvery = 1024

// Memory remembers nonces in this process.
type Memory struct {
	now func() time.Time

	mu      sync.Mutex
	expires map[string]time.Time
	writes  int
}

// NewMemory returns an empty Memory; a nil now uses time.Now.
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, expires: make(map[string]time.Time)}
}

// Seen implements Nonces; it never fails.
func (m *Memory) Seen(_ context.Context, nonce string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	exp, ok := m.expires[nonce]
	return ok && m.now().Before(exp), nil
}

// Remember implements Nonces; it never fails.
func (m *Memory) Remember(_ context.Context, nonce string, window time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if m.writes++; m.writes%sweepEvery == 0 {
		for n, exp := range m.expires {
			if !now.Before(exp) {
				delete(m.expires, n)
			}
		}
	}
	m.expires[nonce] = now.Add(window)
	return nil
}

// Len is how many nonces are held, expired ones not yet swept included.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.expires)
}
