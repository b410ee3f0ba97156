package store

// Queued is how many units wait for the next shared transaction.
func (g *GroupCommit) Queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// Tries is how many shared transactions were begun, retries included.
func (g *GroupCommit) Tries() int64 { return g.tries.Load() }

// WrittenAhead is how many texts were stored ahead of their units, several
// to a statement (sharedwrites.go), in committed transactions or not.
func (g *GroupCommit) WrittenAhead() int64 { return g.ahead.Load() }
