package live

import (
	"slices"

	"github.com/parleyhq/parley/app/inbox"
)

// endSessions ends the clients of every user an inbox.EventSessionsEnded
// in batch names, on this instance (every instance's hub does the same
// with the same event), and returns the rest of batch for the clients:
// the marker is an order to the hub, not news for browsers.
func (h *Hub) endSessions(batch []inbox.Event) []inbox.Event {
	isEnd := func(e inbox.Event) bool { return e.Kind == inbox.EventSessionsEnded }
	if !slices.ContainsFunc(batch, isEnd) {
		return batch
	}
	rest := make([]inbox.Event, 0, len(batch))
	for _, e := range batch {
		if isEnd(e) {
			h.endUser(e.UserID, e.SessionID)
		} else {
			rest = append(rest, e)
		}
	}
	return rest
}

// endUser ends with ErrSessionsEnded every client of userID, or only
// those of sessionID when it is not empty.
func (h *Hub) endUser(userID int64, sessionID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if c.userID == userID && (sessionID == "" || c.sessionID == sessionID) {
			h.endLocked(c, ErrSessionsEnded)
		}
	}
}
