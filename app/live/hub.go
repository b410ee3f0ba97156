package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// KindResync is the Kind of the marker a Hub sends its clients when they
// may have missed events (the bus dropped some, or the hub was not
// subscribed for a while): the client reads the event log after the last
// event it handled. The marker's other fields are zero.
const KindResync inbox.EventKind = "live.resync"

// KindBusDown is the Kind of the marker a Hub sends its clients when its
// bus stops delivering (Redis unreachable): live updates wait until the
// bus is back, when a KindResync marker follows. A client registering
// while the bus is down gets one first. The marker's other fields are
// zero.
const KindBusDown inbox.EventKind = "live.bus_down"

// Why a client stream ended, from Client.Err.
var (
	// ErrSlowClient: the client fell ClientBuffer events behind. Its
	// browser reconnects with Last-Event-ID and catches up from the log.
	ErrSlowClient = errors.New("live: client fell behind")
	// ErrHubClosed: the hub was closed (shutdown).
	ErrHubClosed = errors.New("live: hub closed")
	// ErrUnregistered: Unregister was called.
	ErrUnregistered = errors.New("live: client unregistered")
	// ErrSessionsEnded: the client's user was removed, signed out or had
	// their role changed (inbox.EventSessionsEnded). A browser still
	// signed in reconnects with its current rights; anyone else is refused.
	ErrSessionsEnded = errors.New("live: the user's sessions ended")
	// ErrEvicted: the user opened another stream with every slot taken,
	// and this one, the oldest, gave up its slot (see
	// HubOptions.EvictAfter). A tab still open reconnects.
	ErrEvicted = errors.New("live: a newer stream of the user took the slot")
)

// DefaultMaxStreamsPerUser is HubOptions.MaxStreamsPerUser unless set:
// enough for a few tabs and reconnects the server has not noticed yet.
const DefaultMaxStreamsPerUser = 8

// HubOptions tunes a Hub. Zero values pick the defaults.
type HubOptions struct {
	// ClientBuffer is how many batches of events a client may fall behind
	// before the hub disconnects it. Default 256.
	ClientBuffer int
	// MaxStreamsPerUser bounds the streams one user holds open on this
	// instance at once (tabs, reconnects not yet noticed). Default
	// DefaultMaxStreamsPerUser.
	MaxStreamsPerUser int
	// EvictAfter is how long a stream holds its slot for certain: a user
	// at MaxStreamsPerUser who opens another stream takes the slot of
	// their oldest stream if it is at least this old, and is refused
	// only when every one is younger. Default 1 minute.
	EvictAfter time.Duration
	// OnReceived, when set, is told how many events each batch from the
	// bus held (for metrics).
	OnReceived func(events int)
	// OnPanic, when set, is told of every panic the hub recovered from
	// ("hub"), for metrics.
	OnPanic func(unit string)
}

func (o HubOptions) withDefaults() HubOptions {
	if o.ClientBuffer <= 0 {
		o.ClientBuffer = 256
	}
	if o.MaxStreamsPerUser <= 0 {
		o.MaxStreamsPerUser = DefaultMaxStreamsPerUser
	}
	if o.EvictAfter <= 0 {
		o.EvictAfter = time.Minute
	}
	return o
}

// Hub holds this instance's one bus subscription and fans its events out to
// the instance's SSE clients. Fan-out never waits for a client: each has a
// bounded buffer, and a client that falls behind is disconnected (its
// browser reconnects and catches up from the event log), so one slow
// client never delays the others. Run consumes the subscription; Close ends
// every client at once, so that an HTTP server's graceful shutdown is not
// held up by open streams. A Hub is safe for concurrent use.
type Hub struct {
	bus  Bus
	log  *slog.Logger
	opts HubOptions

	mu         sync.Mutex
	clients    map[*Client]struct{}
	perUser    map[int64]int
	sub        *Subscription // the current subscription, for Close
	closed     bool
	busDown    bool          // told to clients: the bus is not delivering
	done       chan struct{} // closed by Close
	subscribed chan struct{} // closed once the first Subscribe succeeds
}

// maxBatch bounds how many events the hub hands its clients at once.
const maxBatch = 64

// Client is one stream's place in a Hub.
type Client struct {
	userID    int64
	sessionID string    // may be empty: then only events naming no session end it
	since     time.Time // when it registered, for eviction
	events    chan []inbox.Event
	ctx       context.Context // cancelled, with the reason as its cause, when the hub ends the client
	end       context.CancelCauseFunc
}

// C delivers the hub's events, and KindResync markers, in order, in
// batches: the events the bus had ready at once (those of one change, as a
// rule), so that a stream wakes and writes once for them. A batch is shared
// by every client and must not be modified. C is never closed: select on
// Done as well.
func (c *Client) C() <-chan []inbox.Event { return c.events }

// Done is closed when the hub has ended the client: it fell behind, the hub
// closed, or it was unregistered. Err then says which.
func (c *Client) Done() <-chan struct{} { return c.ctx.Done() }

// Context is cancelled when Done is closed, for context.AfterFunc.
func (c *Client) Context() context.Context { return c.ctx }

// Err returns why the client ended (ErrSlowClient, ErrHubClosed,
// ErrUnregistered, ErrSessionsEnded or ErrEvicted), or nil while it is
// still registered.
func (c *Client) Err() error {
	if c.ctx.Err() == nil {
		return nil
	}
	return context.Cause(c.ctx)
}

// NewHub returns a hub over bus; Run starts it. A nil log discards.
func NewHub(bus Bus, log *slog.Logger, opts HubOptions) *Hub {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Hub{
		bus:        bus,
		log:        log,
		opts:       opts.withDefaults(),
		clients:    make(map[*Client]struct{}),
		perUser:    make(map[int64]int),
		done:       make(chan struct{}),
		subscribed: make(chan struct{}),
	}
}

// Run subscribes to the bus and fans events out until ctx ends or Close is
// called; then it closes the hub and returns nil. When subscribing fails,
// or the subscription ends under it, Run tries again with backoff, and
// after every successful Subscribe (and on every Resync notice) it sends
// each client a KindResync marker, since events may have been missed
// meanwhile. It returns ErrClosed when the bus has been closed.
func (h *Hub) Run(ctx context.Context) error {
	defer h.Close()
	var wait backoff
	for {
		sub, err := h.bus.Subscribe(ctx)
		if err != nil {
			if errors.Is(err, ErrClosed) {
				return fmt.Errorf("live: hub: %w", err)
			}
			if h.stopped(ctx) {
				return nil
			}
			d := wait.next()
			h.log.Warn("live: hub cannot subscribe; retrying", slog.Any("err", err), slog.Duration("backoff", d))
			h.setBusDown(true)
			if !h.sleep(ctx, d) {
				return nil
			}
			continue
		}
		wait.reset()
		if !h.adopt(sub) {
			return nil
		}
		h.setBusDown(false)
		h.broadcast(resyncBatch)
		// A panic while fanning out costs this subscription, not the
		// hub: the next one starts with a resync, which covers a batch
		// lost in the panic.
		panicked := recovered(h.log, "hub", h.opts.OnPanic, func() { h.consume(ctx, sub) })
		sub.Close()
		if h.stopped(ctx) || panicked && !h.sleep(ctx, panicRestartDelay) {
			return nil
		}
	}
}

// adopt records sub as the current subscription; false (and sub closed)
// when the hub is already closed.
func (h *Hub) adopt(sub *Subscription) bool {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		sub.Close()
		return false
	}
	first := h.sub == nil
	h.sub = sub
	h.mu.Unlock()
	if first {
		close(h.subscribed)
	}
	return true
}

// resyncBatch is the batch of one KindResync marker.
var resyncBatch = []inbox.Event{{Kind: KindResync}}

func (h *Hub) consume(ctx context.Context, sub *Subscription) {
	for {
		select {
		case e, ok := <-sub.C():
			if !ok {
				return
			}
			batch, open := gather(sub.C(), e)
			if h.opts.OnReceived != nil {
				h.opts.OnReceived(len(batch))
			}
			if batch = h.endSessions(batch); len(batch) > 0 {
				h.broadcast(batch)
			}
			if !open {
				return
			}
		case n, ok := <-sub.Notices():
			if !ok {
				return
			}
			h.setBusDown(!n.Connected)
			if n.Resync {
				h.broadcast(resyncBatch)
			}
		case <-ctx.Done():
			return
		case <-h.done:
			return
		}
	}
}

func (h *Hub) stopped(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	case <-h.done:
		return true
	default:
		return false
	}
}

func (h *Hub) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-h.done:
		return false
	}
}

// busDownBatch is the batch of one KindBusDown marker.
var busDownBatch = []inbox.Event{{Kind: KindBusDown}}

// setBusDown records whether the bus delivers, telling every client when
// it stops (when it is back, the KindResync that follows says so).
func (h *Hub) setBusDown(down bool) {
	h.mu.Lock()
	changed := h.busDown != down
	h.busDown = down
	h.mu.Unlock()
	if changed && down {
		h.broadcast(busDownBatch)
	}
}

// gather returns first and the events that are ready on c behind it (up to
// maxBatch in all): one change publishes several events at once, and
// handing them to clients together costs each client one wake-up and one
// write instead of one per event. open is false when c was found closed.
func gather(c <-chan inbox.Event, first inbox.Event) (batch []inbox.Event, open bool) {
	batch = append(make([]inbox.Event, 0, 4), first)
	for len(batch) < maxBatch {
		select {
		case e, ok := <-c:
			if !ok {
				return batch, false
			}
			batch = append(batch, e)
		default:
			return batch, true
		}
	}
	return batch, true
}

// broadcast hands batch to every client without waiting; a client whose
// buffer is full is disconnected.
func (h *Hub) broadcast(batch []inbox.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.events <- batch:
		default:
			h.endLocked(c, ErrSlowClient)
		}
	}
}

// Register adds a client for a stream of user's. When the user already
// holds MaxStreamsPerUser streams on this instance, the oldest of them
// ends with ErrEvicted to make room, if it is at least EvictAfter old.
//
// Errors: ERATELIMITED when the user holds MaxStreamsPerUser streams,
// all younger than EvictAfter; EUNAVAILABLE after Close.
func (h *Hub) Register(userID int64) (*Client, error) {
	return h.RegisterSession(userID, "")
}

// RegisterSession is Register for a stream opened with the session
// sessionID, so a sign-out that names it ends the stream.
//
// Errors: as Register.
func (h *Hub) RegisterSession(userID int64, sessionID string) (*Client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "live updates are shutting down; try again", Err: ErrHubClosed}
	}
	now := time.Now()
	if h.perUser[userID] >= h.opts.MaxStreamsPerUser && !h.evictOldestLocked(userID, now) {
		return nil, inbox.Errorf(inbox.ERATELIMITED, "too many live tabs open (at most %d); close some and reload", h.opts.MaxStreamsPerUser)
	}
	c := &Client{userID: userID, sessionID: sessionID, since: now, events: make(chan []inbox.Event, h.opts.ClientBuffer)}
	c.ctx, c.end = context.WithCancelCause(context.Background())
	if h.busDown {
		c.events <- busDownBatch
	}
	h.clients[c] = struct{}{}
	h.perUser[userID]++
	return c, nil
}

// evictOldestLocked ends userID's oldest client with ErrEvicted, if it
// registered at least EvictAfter before now, and reports whether it did.
// The age floor keeps tabs that outnumber the slots from taking turns on
// every reconnect: each holds its slot for EvictAfter at least.
func (h *Hub) evictOldestLocked(userID int64, now time.Time) bool {
	var oldest *Client
	for c := range h.clients {
		if c.userID == userID && (oldest == nil || c.since.Before(oldest.since)) {
			oldest = c
		}
	}
	if oldest == nil || now.Sub(oldest.since) < h.opts.EvictAfter {
		return false
	}
	h.endLocked(oldest, ErrEvicted)
	return true
}

// Unregister removes c and closes its Done. It is idempotent.
func (h *Hub) Unregister(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.endLocked(c, ErrUnregistered)
}

func (h *Hub) endLocked(c *Client, why error) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	if h.perUser[c.userID]--; h.perUser[c.userID] <= 0 {
		delete(h.perUser, c.userID)
	}
	c.end(why)
}

// Clients counts the registered clients.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Close ends every client at once (their Done closes with ErrHubClosed),
// refuses new ones, and ends the subscription, so Run returns. It is
// idempotent.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	close(h.done)
	for c := range h.clients {
		h.endLocked(c, ErrHubClosed)
	}
	sub := h.sub
	h.mu.Unlock()
	if sub != nil {
		sub.Close()
	}
}
