package inbox

import "context"

// EventPageSize is how many events EventsAfter returns at most.
const EventPageSize = 500

// LatestEventID returns the ID of the newest event in the log (0 when the
// log is empty): a page rendered now has seen everything up to it, so its
// live feed resumes from there. Errors: EUNAVAILABLE.
func (s *Service) LatestEventID(ctx context.Context) (int64, error) {
	id, err := s.store.LatestEventID(ctx)
	if err != nil {
		return 0, unavailable(err)
	}
	return id, nil
}

// EventsAfter returns up to EventPageSize events with ID above after,
// oldest first; fewer than EventPageSize means there are no more now. It
// is how a live feed catches up after a reconnect or a bus outage.
// Errors: EUNAVAILABLE.
func (s *Service) EventsAfter(ctx context.Context, after int64) ([]Event, error) {
	events, err := s.store.EventsAfter(ctx, after, EventPageSize)
	if err != nil {
		return nil, unavailable(err)
	}
	return events, nil
}

// FirstEventsAfter returns up to n (at most EventPageSize) events with ID
// above after, oldest first: what a live feed resuming from after would
// replay first. Errors: EUNAVAILABLE.
func (s *Service) FirstEventsAfter(ctx context.Context, after int64, n int) ([]Event, error) {
	events, err := s.store.EventsAfter(ctx, after, min(max(n, 1), EventPageSize))
	if err != nil {
		return nil, unavailable(err)
	}
	return events, nil
}
