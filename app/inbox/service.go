package inbox

import (
	"context"
	"time"
)

// Service holds the use cases. It is safe for concurrent use.
type Service struct {
	store Store
	pub   Publisher
	clock Clock
}

// NewService returns a Service over its ports. A nil Clock means the
// system clock; a nil Publisher publishes nothing.
func NewService(store Store, pub Publisher, clock Clock) *Service {
	if clock == nil {
		clock = SystemClock{}
	}
	if pub == nil {
		pub = nopPublisher{}
	}
	return &Service{store: store, pub: pub, clock: clock}
}

// now is the clock's time in UTC, at the microsecond precision both
// databases keep, so stored values read back equal.
func (s *Service) now() time.Time {
	return s.clock.Now().UTC().Truncate(time.Microsecond)
}

type nopPublisher struct{}

func (nopPublisher) Publish(_ context.Context, _ ...Event) {}
