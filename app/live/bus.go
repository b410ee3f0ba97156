// Package live carries inbox events to live clients: a Bus announces each
// committed event to every subscription, across instances (Redis pub/sub)
// or within one process (Memory).
//
// The bus is not the record. Events are first appended to the database event
// log, which numbers them; the bus only says "something changed" quickly.
// Whenever a subscription may have missed an event (the connection dropped,
// or the subscriber fell behind) it sends a Notice with Resync set, and the
// subscriber catches up from the log.
package live

import (
	"context"
	"errors"

	"github.com/parleyhq/parley/app/inbox"
)

// ErrClosed is returned by a Bus, or for it, once Close has been called.
var ErrClosed = errors.New("live: bus closed")

// Bus announces events to every subscription. Delivery is best effort and
// at most once per subscription; a subscription that may have missed events
// is told so through its Notices (see Subscription). Events from one
// publisher arrive in the order they were published; the bus does not order
// events from different publishers by ID. Implementations are safe for
// concurrent use.
type Bus interface {
	// Publish sends e to every current subscription and does not retry. It
	// returns ErrClosed after Close, ctx's error when ctx ends first, and a
	// wrapped transport error when the bus cannot be reached.
	Publish(ctx context.Context, e inbox.Event) error
	// Subscribe starts a subscription. When it returns, every event
	// published afterwards is either delivered on the subscription's C or
	// covered by a Resync notice. ctx bounds only the call: the subscription
	// lasts until it or the bus is closed. It returns ErrClosed after Close,
	// ctx's error, or a wrapped transport error when the bus cannot be reached.
	Subscribe(ctx context.Context) (*Subscription, error)
	// Ping checks that the bus answers. It returns ErrClosed after Close, or
	// a wrapped transport error.
	Ping(ctx context.Context) error
	// Close ends every subscription, closing its channels, and releases
	// connections. It is idempotent; it returns an error only when releasing
	// the connection fails.
	Close() error
}
