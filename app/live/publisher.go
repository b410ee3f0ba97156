package live

import (
	"context"
	"log/slog"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// publishTimeout bounds one Publisher.Publish call, all events together.
const publishTimeout = 2 * time.Second

var _ inbox.Publisher = (*publisher)(nil)

type publisher struct {
	bus     Bus
	log     *slog.Logger
	timeout time.Duration
}

// NewPublisher adapts bus to inbox.Publisher. Its Publish sends the events
// in order, detached from the cancellation of the caller's context (a
// finished HTTP request does not cancel it) but bounded by 2 seconds in all,
// so the caller waits at most that long (provided the bus honours its
// context, as Memory and Redis do). Failures are logged at warn with the
// event's id and kind, and otherwise ignored: subscribers catch up from the
// event log. A nil log discards.
func NewPublisher(bus Bus, log *slog.Logger) inbox.Publisher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &publisher{bus: bus, log: log, timeout: publishTimeout}
}

// Publish implements inbox.Publisher.
func (p *publisher) Publish(ctx context.Context, events ...inbox.Event) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.timeout)
	defer cancel()
	for _, e := range events {
		if err := p.bus.Publish(ctx, e); err != nil {
			p.log.LogAttrs(ctx, slog.LevelWarn, "live: publish failed",
				slog.Int64("event_id", e.ID),
				slog.String("kind", string(e.Kind)),
				slog.Any("err", err))
		}
	}
}
