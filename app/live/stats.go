package live

// Streams returns how many live streams the hub holds now, for metrics.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}
