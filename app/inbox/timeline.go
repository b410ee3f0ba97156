package inbox

import "context"

// TimelineStore reads delivery timelines. The store must implement it as
// well as Store for MessageTimeline.
type TimelineStore interface {
	// MessageEvents returns a message's delivery reports in the order the
	// carrier made them; none is not an error.
	MessageEvents(ctx context.Context, messageID int64) ([]MessageEvent, error)
}

// Timeline is one message with the delivery reports the carrier sent about
// it.
type Timeline struct {
	Message Message
	Events  []MessageEvent
}

// MessageTimeline returns a message and its delivery reports, for an agent
// asking what became of it. It changes nothing.
//
// Errors: ENOTFOUND; EUNAVAILABLE; EINTERNAL when the store cannot read
// timelines.
func (s *Service) MessageTimeline(ctx context.Context, messageID int64) (Timeline, error) {
	ts, ok := s.store.(TimelineStore)
	if !ok {
		return Timeline{}, Errorf(EINTERNAL, "this store keeps no delivery timelines")
	}
	m, err := s.store.FindMessageByID(ctx, messageID)
	if err != nil {
		return Timeline{}, unavailable(err)
	}
	events, err := ts.MessageEvents(ctx, messageID)
	if err != nil {
		return Timeline{}, unavailable(err)
	}
	return Timeline{Message: m, Events: events}, nil
}
