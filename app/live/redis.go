package live

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/redis/go-redis/v9"
)

var _ Bus = (*Redis)(nil)

// DefaultChannel is the Redis channel events travel on unless
// RedisOptions.Channel names another.
const DefaultChannel = "parley:events"

// RedisOptions tunes a Redis bus. The zero value is ready to use.
type RedisOptions struct {
	// Channel is the pub/sub channel; every instance of one deployment must
	// use the same. Default DefaultChannel.
	Channel string
	// Timeout bounds each Publish, Ping and Subscribe, and is the dial, read,
	// write and pool timeout of connections (unless the URL sets them).
	// Default 2s, so that a webhook never hangs on the bus.
	Timeout time.Duration
	// HealthCheck is how long a subscription waits in silence before it
	// pings Redis; a ping unanswered for as long again counts as a lost
	// connection. Default 15s.
	HealthCheck time.Duration
	// Logger receives connection changes and skipped malformed messages.
	// Default: discard.
	Logger *slog.Logger
	// OnPanic, when set, is told of every panic a subscriber's loop
	// recovered from ("redis_subscriber"), for metrics.
	OnPanic func(unit string)
}

func (o RedisOptions) withDefaults() RedisOptions {
	if o.Channel == "" {
		o.Channel = DefaultChannel
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.HealthCheck <= 0 {
		o.HealthCheck = 15 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Redis is a Bus over Redis pub/sub, shared by every instance that uses the
// same server and channel. Events travel as compact JSON:
// {"id":1,"kind":"message.received","conversation_id":2,"message_id":3,"created_at":"2026-01-02T03:04:05Z"};
// a message on the channel that is not such an object, or has no kind, is
// skipped and logged.
// A subscription survives Redis going away: it sends Notice{Connected:
// false}, retries with backoff, and sends Notice{Connected: true, Resync:
// true} once it is subscribed again.
type Redis struct {
	client *redis.Client
	opts   RedisOptions

	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
}

// NewRedis connects to the Redis server at url (redis:// or rediss://, as
// redis.ParseURL reads it) and checks it answers a PING within ctx and
// opts.Timeout, so that a wrong address or password fails at start. It
// returns a wrapped error when url is invalid or Redis does not answer.
func NewRedis(ctx context.Context, url string, opts RedisOptions) (*Redis, error) {
	ro, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("live: redis url: %w", err)
	}
	r := newRedis(ro, opts)
	if err := r.Ping(ctx); err != nil {
		_ = r.client.Close()
		return nil, err
	}
	return r, nil
}

// newRedis builds the bus without contacting Redis.
func newRedis(ro *redis.Options, opts RedisOptions) *Redis {
	opts = opts.withDefaults()
	for _, d := range []*time.Duration{&ro.DialTimeout, &ro.ReadTimeout, &ro.WriteTimeout, &ro.PoolTimeout} {
		if *d == 0 {
			*d = opts.Timeout
		}
	}
	// Fail fast when Redis is down: one dial per attempt (go-redis
	// defaults to five), and one retry, which is enough to replace a pooled
	// connection that went stale when Redis restarted.
	if ro.DialerRetries == 0 {
		ro.DialerRetries = 1
	}
	if ro.MaxRetries == 0 {
		ro.MaxRetries = 1
	}
	ro.ContextTimeoutEnabled = true
	return &Redis{
		client: redis.NewClient(ro),
		opts:   opts,
		subs:   make(map[*Subscription]struct{}),
	}
}

func (r *Redis) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

// Publish sends e on the channel as JSON. It returns ErrClosed after Close,
// or a wrapped error when Redis does not accept it within opts.Timeout (or
// before ctx ends). A nil error means Redis took the event, not that any
// subscriber received it.
func (r *Redis) Publish(ctx context.Context, e inbox.Event) error {
	if r.isClosed() {
		return ErrClosed
	}
	payload, err := encodeEvent(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	if err := r.client.Publish(ctx, r.opts.Channel, payload).Err(); err != nil {
		return fmt.Errorf("live: publish event %d: %w", e.ID, err)
	}
	return nil
}

// Subscribe subscribes to the channel and returns once Redis has confirmed
// it, so every later Publish reaches the subscription or is covered by a
// Resync notice. It returns ErrClosed
// after Close, or a wrapped error when Redis does not confirm within
// opts.Timeout (or before ctx ends).
func (r *Redis) Subscribe(ctx context.Context) (*Subscription, error) {
	if r.isClosed() {
		return nil, ErrClosed
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	ps := r.client.Subscribe(ctx, r.opts.Channel)
	if err := awaitSubscribed(ctx, ps, r.opts); err != nil {
		_ = ps.Close()
		return nil, err
	}

	s := newSubscription()
	rs := &redisSubscriber{
		client: r.client,
		opts:   r.opts,
		sub:    s,
		ps:     ps,
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	s.stop = func() {
		rs.stop()
		r.mu.Lock()
		delete(r.subs, s)
		r.mu.Unlock()
	}

	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		_ = ps.Close()
		return nil, ErrClosed
	}
	r.subs[s] = struct{}{}
	r.mu.Unlock()
	go rs.run()
	return s, nil
}

// awaitSubscribed reads the confirmation of SUBSCRIBE.
func awaitSubscribed(ctx context.Context, ps *redis.PubSub, opts RedisOptions) error {
	msg, err := ps.ReceiveTimeout(ctx, opts.Timeout)
	if err != nil {
		return fmt.Errorf("live: subscribe to %s: %w", opts.Channel, err)
	}
	if m, ok := msg.(*redis.Subscription); !ok || m.Kind != "subscribe" || m.Channel != opts.Channel {
		return fmt.Errorf("live: subscribe to %s: unexpected reply %v", opts.Channel, msg)
	}
	return nil
}

// Ping sends PING. It returns ErrClosed after Close, or a wrapped error when
// Redis does not answer within opts.Timeout (or before ctx ends).
func (r *Redis) Ping(ctx context.Context) error {
	if r.isClosed() {
		return ErrClosed
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	if err := r.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("live: redis ping: %w", err)
	}
	return nil
}

// Close ends every subscription and closes the client. It is idempotent; it
// returns the client's error from the first call.
func (r *Redis) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	subs := r.subs
	r.subs = make(map[*Subscription]struct{})
	r.mu.Unlock()
	for s := range subs {
		s.Close()
	}
	if err := r.client.Close(); err != nil {
		return fmt.Errorf("live: close redis: %w", err)
	}
	return nil
}
