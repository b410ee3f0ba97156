package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Memory is an in-process Limiter keeping the times of recent events. It is
// safe for concurrent use; idle keys are swept so memory stays bounded by
// the keys active within their window. Keys may use different windows (a
// minute for one, a day for another): each is swept by its own.
type Memory struct {
	mu    sync.Mutex
	now   func() time.Time
	hits  map[string]*history
	calls int
}

// history is one key's recent events and the window they were counted in.
type history struct {
	times  []time.Time
	window time.Duration
}

// NewMemory returns an empty Memory; now nil means time.Now.
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, hits: map[string]*history{}}
}

// Allow implements Limiter.
func (m *Memory) Allow(_ context.Context, key string, limit int, window time.Duration) (Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.calls++
	if m.calls%1024 == 0 {
		m.sweep(now)
	}
	h := m.hits[key]
	if h == nil {
		h = &history{}
		m.hits[key] = h
	}
	h.window = window
	h.times = prune(h.times, now.Add(-window))
	if len(h.times) >= limit {
		return Result{RetryAfter: h.times[len(h.times)-limit].Add(window).Sub(now)}, nil
	}
	h.times = append(h.times, now)
	return Result{Allowed: true, Remaining: limit - len(h.times)}, nil
}

// prune drops the times at or before cutoff; times are in order.
func prune(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}

func (m *Memory) sweep(now time.Time) {
	for k, h := range m.hits {
		if len(h.times) == 0 || !h.times[len(h.times)-1].After(now.Add(-h.window)) {
			delete(m.hits, k)
		}
	}
}
