package replay

import (
	"context"
	"sync"
	"time"
)

// Memory is a Store in this process, for tests and tools without a
// database. Nothing is forgotten until the process ends, and nothing is
// shared with other processes: a server uses the database.
type Memory struct {
	mu       sync.Mutex
	nonces   map[string]time.Time
	versions map[int]time.Time
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{nonces: map[string]time.Time{}, versions: map[int]time.Time{}}
}

// ClaimNonces implements Store; it never fails.
func (m *Memory) ClaimNonces(_ context.Context, nonces []string, at time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range nonces {
		if _, ok := m.nonces[n]; ok {
			return false, nil
		}
	}
	for _, n := range nonces {
		m.nonces[n] = at
	}
	return true, nil
}

// MarkSignatureVersion implements Store; it never fails.
func (m *Memory) MarkSignatureVersion(_ context.Context, version int, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.versions[version]; !ok {
		m.versions[version] = at
	}
	return nil
}

// SignatureVersionSeen implements Store; it never fails.
func (m *Memory) SignatureVersionSeen(_ context.Context, version int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.versions[version]
	return ok, nil
}
