package live

import (
	"sync"

	"github.com/parleyhq/parley/app/inbox"
)

// bufferSize is how many undelivered events a subscription holds before it
// drops events and asks its subscriber to resync.
const bufferSize = 1024

// Notice tells a subscriber about the state of its subscription.
type Notice struct {
	// Connected reports whether events are flowing now. While it is false
	// the bus is unreachable, events published meanwhile are missed, and a
	// Notice with Connected and Resync both true follows once it is back.
	Connected bool
	// Resync reports that events may have been missed: the subscriber should
	// load the log after the last event it has seen (inbox.Store.EventsAfter).
	Resync bool
}

// Subscription receives the events of one Bus. A Parley instance holds one
// and fans it out to its own clients.
//
// Events arrive on C. Notices arrive on Notices; the channel holds at most
// one notice, and notices the subscriber has not read yet are merged (the
// latest Connected, and Resync if any of them had it), so none is lost and
// the bus never waits for the subscriber. While a notice with Resync is
// waiting to be read, the subscription drops new events instead of
// delivering them: they are in the log, which the subscriber reads after
// taking the notice. So an event that arrives on C after a gap never arrives
// before the Resync notice that covers the gap, and the highest ID seen
// before the notice is where to resume (given events published in ID
// order: see Bus). Events may arrive twice (on C and in the replay); they
// only name what changed, so handling one twice is harmless.
//
// When the subscriber falls 1024 events behind, later events are dropped
// and a Notice{Connected: true, Resync: true} is sent.
//
// Both channels are closed when the subscription or its bus is closed.
type Subscription struct {
	events  chan inbox.Event
	notices chan Notice
	stop    func() // detaches from the bus; set by the bus, called once

	closeOnce sync.Once
	mu        sync.Mutex
	closed    bool
	last      Notice // the notice in notices, while len(notices) > 0
}

func newSubscription() *Subscription {
	return &Subscription{
		events:  make(chan inbox.Event, bufferSize),
		notices: make(chan Notice, 1),
	}
}

// C returns the channel of events, closed when the subscription ends.
func (s *Subscription) C() <-chan inbox.Event { return s.events }

// Notices returns the channel of notices, closed when the subscription
// ends. It holds at most one notice: see Subscription.
func (s *Subscription) Notices() <-chan Notice { return s.notices }

// Close ends the subscription and closes its channels. It is idempotent and
// safe to call concurrently with everything else.
func (s *Subscription) Close() {
	s.closeOnce.Do(func() {
		if s.stop != nil {
			s.stop()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.closed = true
		close(s.events)
		close(s.notices)
	})
}

// deliver hands e to the subscriber without blocking. It drops e while a
// Resync notice is unread, and turns an overflow into one.
func (s *Subscription) deliver(e inbox.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || (len(s.notices) > 0 && s.last.Resync) {
		return
	}
	select {
	case s.events <- e:
	default:
		s.signalLocked(Notice{Connected: true, Resync: true})
	}
}

// signal sends n, merged with any notice the subscriber has not read yet.
func (s *Subscription) signal(n Notice) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.signalLocked(n)
	}
}

func (s *Subscription) signalLocked(n Notice) {
	select {
	case old := <-s.notices:
		n.Resync = n.Resync || old.Resync
	default:
	}
	s.last = n
	s.notices <- n // cannot block: emptied above, and senders hold s.mu
}
