package live

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/redis/go-redis/v9"
)

// startHub runs a hub over bus until the test ends and waits until it has
// subscribed, so events published afterwards reach its clients.
func startHub(t testing.TB, bus Bus, opts HubOptions) (*Hub, <-chan error) {
	t.Helper()
	h := NewHub(bus, nil, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done, exited := make(chan error, 1), make(chan struct{})
	go func() {
		defer close(exited)
		done <- h.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-exited
	})
	select {
	case <-h.subscribed:
	case <-time.After(wait):
		t.Fatalf("hub not subscribed within %v", wait)
	}
	return h, done
}

func mustRegister(t testing.TB, h *Hub, userID int64) *Client {
	t.Helper()
	c, err := h.Register(userID)
	if err != nil {
		t.Fatalf("Register(%d)=%v, want nil", userID, err)
	}
	return c
}

// received holds, per client, the events of batches a test has taken off
// C but not yet looked at.
var received sync.Map // *Client -> *[]inbox.Event

// next returns c's next event (from a batch already taken, or the next
// batch on C), or false after d or when the client ends.
func next(c *Client, d time.Duration) (inbox.Event, bool) {
	v, _ := received.LoadOrStore(c, new([]inbox.Event))
	queue := v.(*[]inbox.Event)
	if len(*queue) == 0 {
		select {
		case batch := <-c.C():
			*queue = append(*queue, batch...)
		case <-c.Done():
			return inbox.Event{}, false
		case <-time.After(d):
			return inbox.Event{}, false
		}
	}
	e := (*queue)[0]
	*queue = (*queue)[1:]
	return e, true
}

// recvClient returns the next event on c that is not a resync marker,
// failing after wait or when the client ends.
func recvClient(t testing.TB, c *Client) inbox.Event {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		e, ok := next(c, time.Until(deadline))
		switch {
		case !ok && c.Err() != nil:
			t.Fatalf("client ended (%v), want an event", c.Err())
		case !ok:
			t.Fatalf("no event within %v", wait)
		case e.Kind != KindResync:
			return e
		}
	}
}

// recvResync fails unless a resync marker reaches c within wait.
func recvResync(t testing.TB, c *Client) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		e, ok := next(c, time.Until(deadline))
		switch {
		case !ok && c.Err() != nil:
			t.Fatalf("client ended (%v), want a resync marker", c.Err())
		case !ok:
			t.Fatalf("no resync marker within %v", wait)
		case e.Kind == KindResync:
			return
		}
	}
}

func expectEnded(t testing.TB, c *Client, want error) {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(wait):
		t.Fatalf("client still registered after %v, want it ended with %v", wait, want)
	}
	if err := c.Err(); !errors.Is(err, want) {
		t.Fatalf("client Err()=%v, want %v", err, want)
	}
}

// Every client of one hub receives every event, in order, over one bus
// subscription.
func TestHub_FanOut(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		const clients, events = 200, 50
		h, _ := startHub(t, bus, HubOptions{MaxStreamsPerUser: clients})
		cs := make([]*Client, clients)
		for i := range cs {
			cs[i] = mustRegister(t, h, int64(i%3))
		}
		if got := h.Clients(); got != clients {
			t.Fatalf("Clients()=%d, want %d", got, clients)
		}
		for id := int64(1); id <= events; id++ {
			mustPublish(t, bus, testEvent(id))
		}
		for i, c := range cs {
			for id := int64(1); id <= events; id++ {
				if got := recvClient(t, c); !sameEvent(got, testEvent(id)) {
					t.Fatalf("client %d got %+v, want %+v", i, got, testEvent(id))
				}
			}
		}
	})
}

// A client that reads nothing is disconnected once its buffer is full;
// the others keep receiving everything.
func TestHub_SlowClientDisconnected(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		const buffer = 4
		h, _ := startHub(t, bus, HubOptions{ClientBuffer: buffer})
		slow := mustRegister(t, h, 1)
		fast := mustRegister(t, h, 2)
		for id := int64(1); id <= 3*buffer; id++ {
			mustPublish(t, bus, testEvent(id))
			if got := recvClient(t, fast); got.ID != id {
				t.Fatalf("fast client got event %d, want %d", got.ID, id)
			}
		}
		expectEnded(t, slow, ErrSlowClient)
		if got := h.Clients(); got != 1 {
			t.Fatalf("Clients()=%d, want 1 (the slow one removed)", got)
		}
		mustPublish(t, bus, testEvent(100))
		if got := recvClient(t, fast); got.ID != 100 {
			t.Fatalf("fast client got event %d after the slow one left, want 100", got.ID)
		}
	})
}

func TestHub_StreamLimitPerUser(t *testing.T) {
	h := NewHub(NewMemory(), nil, HubOptions{MaxStreamsPerUser: 2})
	t.Cleanup(h.Close)
	a := mustRegister(t, h, 7)
	mustRegister(t, h, 7)
	_, err := h.Register(7)
	if inbox.ErrorCode(err) != inbox.ERATELIMITED {
		t.Fatalf("third Register(7)=%v, want %s", err, inbox.ERATELIMITED)
	}
	mustRegister(t, h, 8) // another user is not affected
	h.Unregister(a)
	h.Unregister(a) // idempotent
	expectEnded(t, a, ErrUnregistered)
	mustRegister(t, h, 7)
	if got := h.Clients(); got != 3 {
		t.Fatalf("Clients()=%d, want 3", got)
	}
}

// Close ends every client at once, refuses new ones, and stops Run.
func TestHub_CloseEndsEveryClient(t *testing.T) {
	eachBus(t, func(t *testing.T, bus Bus) {
		h, done := startHub(t, bus, HubOptions{})
		cs := make([]*Client, 20)
		for i := range cs {
			cs[i] = mustRegister(t, h, int64(i))
		}
		h.Close()
		h.Close() // idempotent
		for _, c := range cs {
			expectEnded(t, c, ErrHubClosed)
		}
		if got := h.Clients(); got != 0 {
			t.Fatalf("Clients()=%d after Close, want 0", got)
		}
		if _, err := h.Register(1); inbox.ErrorCode(err) != inbox.EUNAVAILABLE {
			t.Fatalf("Register after Close=%v, want %s", err, inbox.EUNAVAILABLE)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run()=%v after Close, want nil", err)
			}
		case <-time.After(wait):
			t.Fatalf("Run still running %v after Close", wait)
		}
	})
}

// fakeBus hands out subscriptions the test controls.
type fakeBus struct {
	mu   sync.Mutex
	subs []*Subscription
	fail atomic.Int32 // Subscribe calls still to fail
	made chan *Subscription
}

func newFakeBus() *fakeBus { return &fakeBus{made: make(chan *Subscription, 10)} }

func (b *fakeBus) Publish(context.Context, inbox.Event) error { return nil }
func (b *fakeBus) Ping(context.Context) error                 { return nil }
func (b *fakeBus) Close() error                               { return nil }

func (b *fakeBus) Subscribe(context.Context) (*Subscription, error) {
	if b.fail.Add(-1) >= 0 {
		return nil, errors.New("fake: unreachable")
	}
	s := newSubscription()
	b.mu.Lock()
	b.subs = append(b.subs, s)
	b.mu.Unlock()
	b.made <- s
	return s, nil
}

func (b *fakeBus) next(t testing.TB) *Subscription {
	t.Helper()
	select {
	case s := <-b.made:
		return s
	case <-time.After(wait):
		t.Fatalf("no Subscribe within %v", wait)
	}
	return nil
}

// A Resync notice from the bus becomes a resync marker for every client,
// in order with the events around it.
func TestHub_ResyncNotice(t *testing.T) {
	bus := newFakeBus()
	h, _ := startHub(t, bus, HubOptions{})
	sub := bus.next(t)
	a, b := mustRegister(t, h, 1), mustRegister(t, h, 2)
	sub.deliver(testEvent(1))
	for _, c := range []*Client{a, b} {
		if got := recvClient(t, c); got.ID != 1 {
			t.Fatalf("event %d, want 1", got.ID)
		}
	}
	sub.signal(Notice{Connected: true, Resync: true})
	recvResync(t, a)
	recvResync(t, b)
}

// When subscribing fails, or the subscription ends under it, the hub
// subscribes again and tells its clients to resync.
func TestHub_Resubscribes(t *testing.T) {
	bus := newFakeBus()
	bus.fail.Store(2)
	h, _ := startHub(t, bus, HubOptions{})
	first := bus.next(t)
	c := mustRegister(t, h, 1)
	first.Close()
	second := bus.next(t)
	recvResync(t, c)
	second.deliver(testEvent(5))
	if got := recvClient(t, c); got.ID != 5 {
		t.Fatalf("event %d after resubscribing, want 5", got.ID)
	}
}

// When Redis drops the hub's subscription, every client is told to resync
// (and so reads the log), and later events reach them again.
func TestHub_RedisConnectionKilled(t *testing.T) {
	o := redisOptions(t)
	o.ClientName = "parley-hub-test-" + rand.Text()
	bus := mustRedisVia(t, o, RedisOptions{Channel: testChannel()})
	h, _ := startHub(t, bus, HubOptions{})
	c := mustRegister(t, h, 1)
	mustPublish(t, bus, testEvent(1))
	recvClient(t, c)

	admin := redis.NewClient(redisOptions(t))
	t.Cleanup(func() { _ = admin.Close() })
	id := pubsubClientID(t, admin, o.ClientName)
	if err := admin.Do(context.Background(), "CLIENT", "KILL", "TYPE", "pubsub", "ID", id).Err(); err != nil {
		t.Fatalf("CLIENT KILL=%v, want nil", err)
	}
	recvResync(t, c)
	deadline := time.After(2 * wait)
	for id := int64(100); ; id++ {
		mustPublish(t, bus, testEvent(id))
		if e, ok := next(c, 50*time.Millisecond); ok && e.Kind != KindResync && e.ID >= 100 {
			return
		}
		select {
		case <-deadline:
			t.Fatalf("no event after the kill within %v", 2*wait)
		default:
		}
	}
}

// The hub hands over together what the bus had ready at once, up to
// maxBatch events, and notices a closed channel.
func TestGather(t *testing.T) {
	tests := []struct {
		name      string
		ready     int
		close     bool
		wantBatch int
		wantOpen  bool
	}{
		{"nothing else ready", 0, false, 1, true},
		{"one change's events", 2, false, 3, true},
		{"more than a batch", maxBatch + 5, false, maxBatch, true},
		{"channel closed behind them", 2, true, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := make(chan inbox.Event, maxBatch+8)
			for i := range tt.ready {
				c <- testEvent(int64(i + 2))
			}
			if tt.close {
				close(c)
			}
			batch, open := gather(c, testEvent(1))
			if len(batch) != tt.wantBatch || open != tt.wantOpen {
				t.Fatalf("gather: %d events, open %v; want %d, %v", len(batch), open, tt.wantBatch, tt.wantOpen)
			}
			for i, e := range batch {
				if e.ID != int64(i+1) {
					t.Fatalf("batch[%d].ID=%d, want %d (in order)", i, e.ID, i+1)
				}
			}
		})
	}
}

// Clients are told when the bus stops delivering, a client that
// registers meanwhile is told first thing, and the resync when the bus is
// back says the updates flow again.
func TestHub_BusDown(t *testing.T) {
	h, _ := startHub(t, NewMemory(), HubOptions{})
	before := mustRegister(t, h, 1)
	h.mu.Lock()
	sub := h.sub
	h.mu.Unlock()

	sub.signal(Notice{Connected: false})
	if e, ok := next(before, wait); !ok || e.Kind != KindBusDown {
		t.Fatalf("after the bus went down the client got %+v (%v), want a bus-down marker", e, ok)
	}
	during := mustRegister(t, h, 2)
	if e, ok := next(during, wait); !ok || e.Kind != KindBusDown {
		t.Fatalf("a client registered while the bus is down got %+v (%v) first, want a bus-down marker", e, ok)
	}
	sub.signal(Notice{Connected: false}) // still down: nothing new to say
	sub.signal(Notice{Connected: true, Resync: true})
	for _, c := range []*Client{before, during} {
		if e, ok := next(c, wait); !ok || e.Kind != KindResync {
			t.Fatalf("once the bus is back the client got %+v (%v), want a resync marker", e, ok)
		}
	}
	after := mustRegister(t, h, 3)
	mustPublish(t, h.bus, testEvent(7))
	if e := recvClient(t, after); e.ID != 7 {
		t.Fatalf("a client registered after the bus came back got %+v first, want the event", e)
	}
}

// The hub tells OnReceived what its one subscription delivered.
func TestHub_OnReceived(t *testing.T) {
	var received atomic.Int64
	h, _ := startHub(t, NewMemory(), HubOptions{OnReceived: func(n int) { received.Add(int64(n)) }})
	c := mustRegister(t, h, 1)
	for id := int64(1); id <= 3; id++ {
		mustPublish(t, h.bus, testEvent(id))
	}
	for range 3 {
		recvClient(t, c)
	}
	if got := received.Load(); got != 3 {
		t.Fatalf("OnReceived counted %d events, want 3", got)
	}
}

// At the limit, a new stream takes the slot of the user's oldest once it
// is older than EvictAfter; younger streams keep theirs.
func TestHub_StreamLimitEvictsTheOldest(t *testing.T) {
	h := NewHub(NewMemory(), nil, HubOptions{MaxStreamsPerUser: 2, EvictAfter: time.Millisecond})
	t.Cleanup(h.Close)
	oldest := mustRegister(t, h, 7)
	second := mustRegister(t, h, 7)
	time.Sleep(10 * time.Millisecond) // both are older than EvictAfter
	third := mustRegister(t, h, 7)
	expectEnded(t, oldest, ErrEvicted)
	if second.Err() != nil || third.Err() != nil {
		t.Fatalf("second.Err()=%v, third.Err()=%v, want both registered", second.Err(), third.Err())
	}
	if got := h.Clients(); got != 2 {
		t.Fatalf("Clients()=%d, want 2", got)
	}
}
