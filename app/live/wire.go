package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// wireEvent is an event as it travels over Redis: compact JSON, with
// snake_case names. Unknown fields are ignored so that instances of
// different versions can share a channel during a rolling deploy.
type wireEvent struct {
	ID             int64     `json:"id"`
	Kind           string    `json:"kind"`
	ConversationID int64     `json:"conversation_id"`
	MessageID      int64     `json:"message_id"`
	UserID         int64     `json:"user_id,omitempty"`
	SessionID      string    `json:"session_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

func encodeEvent(e inbox.Event) ([]byte, error) {
	b, err := json.Marshal(wireEvent{
		ID:             e.ID,
		Kind:           string(e.Kind),
		ConversationID: e.ConversationID,
		MessageID:      e.MessageID,
		UserID:         e.UserID,
		SessionID:      e.SessionID,
		CreatedAt:      e.CreatedAt,
	})
	if err != nil {
		return nil, fmt.Errorf("live: encode event %d: %w", e.ID, err)
	}
	return b, nil
}

func decodeEvent(payload string) (inbox.Event, error) {
	var w wireEvent
	if err := json.Unmarshal([]byte(payload), &w); err != nil {
		return inbox.Event{}, fmt.Errorf("live: decode event: %w", err)
	}
	if w.Kind == "" {
		return inbox.Event{}, errors.New("live: decode event: no kind")
	}
	return inbox.Event{
		ID:             w.ID,
		Kind:           inbox.EventKind(w.Kind),
		ConversationID: w.ConversationID,
		MessageID:      w.MessageID,
		UserID:         w.UserID,
		SessionID:      w.SessionID,
		CreatedAt:      w.CreatedAt,
	}, nil
}
