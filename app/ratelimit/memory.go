package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Memory is an in-process Limiter keeping the times of recent events. It is
// safe for concurrent use; idle keys are swept so memory stays bounded by
// the keys active within their window.
type Memory struct {
	mu    sync.Mutex
	now   func() time.Time
	hits  map[string][]time.Time
	calls int
}

// NewMemory returns an empty Memory; now nil means time.Now.
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, hits: map[string][]time.Time{}}
}

// Allow implements Limiter.
func (m *Memory) Allow(_ context.Context, key string, limit int, window time.Duration) (Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.calls++
	if m.calls%1024 == 0 {
		m.sweep(now, window)
	}
	recent := prune(m.hits[key], now.Add(-window))
	if len(recent) >= limit {
		m.hits[key] = recent
		return Result{RetryAfter: recent[len(recent)-limit].Add(window).Sub(now)}, nil
	}
	recent = append(recent, now)
	m.hits[key] = recent
	return Result{Allowed: true, Remaining: limit - len(recent)}, nil
}

// prune drops the times at or before cutoff; times are in order.
func prune(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}

func (m *Memory) sweep(now time.Time, window time.Duration) {
	for k, times := range m.hits {
		if len(times) == 0 || !times[len(times)-1].After(now.Add(-window)) {
			delete(m.hits, k)
		}
	}
}
