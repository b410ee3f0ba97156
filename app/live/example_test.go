package live_test

import (
	"context"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
)

// This is how an instance consumes its one subscription: fan events out,
// and on a Resync notice replay the log after the last event seen. While
// Connected is false nothing arrives over the bus, so the consumer may poll
// the log meanwhile. Events can arrive twice (live and in a replay); they
// only name what changed, so handling one twice is harmless.
func ExampleSubscription() {
	ctx := context.Background()
	bus := live.NewMemory() // or live.NewRedis(ctx, url, live.RedisOptions{})
	defer bus.Close()
	var store inbox.Store          // the event log
	fanOut := func(inbox.Event) {} // to every SSE client of this instance

	sub, err := bus.Subscribe(ctx)
	if err != nil {
		return
	}
	var last int64 // highest event ID handled; start from the log's latest
	events, notices := sub.C(), sub.Notices()
	for events != nil {
		select {
		case e, ok := <-events:
			if !ok {
				events = nil // closed: the subscription or the bus ended
				continue
			}
			last = max(last, e.ID)
			fanOut(e)
		case n, ok := <-notices:
			if !ok {
				notices = nil
				continue
			}
			if n.Resync && store != nil {
				missed, err := store.EventsAfter(ctx, last, 500) // page until fewer than 500
				if err != nil {
					continue // try again on the next notice, or poll
				}
				for _, e := range missed {
					last = max(last, e.ID)
					fanOut(e)
				}
			}
		}
	}
}
