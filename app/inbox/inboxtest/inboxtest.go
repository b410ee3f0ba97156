// Package inboxtest holds test doubles for the inbox ports. Only tests
// import it.
package inboxtest

import (
	"context"
	"sync"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Publisher records every published event.
type Publisher struct {
	mu     sync.Mutex
	events []inbox.Event
}

// Publish records events.
func (p *Publisher) Publish(_ context.Context, events ...inbox.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, events...)
}

// Events returns a copy of what was published so far.
func (p *Publisher) Events() []inbox.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]inbox.Event(nil), p.events...)
}

// Inbound returns a valid inbound SMS from contact to channel with text.
func Inbound(uuid, contact, channel, text string) inbox.Inbound {
	return inbox.Inbound{
		ProviderUUID: uuid, From: inbox.Number(contact), To: inbox.Number(channel),
		Type: "sms", Text: text, Units: 1,
		Raw: map[string]string{"From": contact[1:], "To": channel[1:], "Text": text, "MessageUUID": uuid},
	}
}
