package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// Defaults of Options.ReplayMaxEvents and Options.ReplayMaxAge.
const (
	DefaultReplayMaxEvents = 1000
	DefaultReplayMaxAge    = time.Hour
)

// replayLookBackAge bounds the look-back below a browser's newest event
// (see resumePoint) by time: an event numbered earlier can commit later
// only while its transaction is open, a few seconds at most, and 30 s
// leaves room for a stall and for clocks that differ between instances.
const replayLookBackAge = 30 * time.Second

// resume is where a live stream starts.
type resume struct {
	// start is where the replay of the log starts: it sends the events
	// above it.
	start int64
	// floor is below start by the look-back: an event above it that
	// commits late still reaches the stream from the hub.
	floor int64
	// after is the browser's own newest event; below it, only events
	// logged since lookBackSince are replayed.
	after         int64
	lookBackSince time.Time
	// refresh: the browser asked for more than the replay cap allows; it
	// gets the refresh marker instead of a replay.
	refresh bool
}

// resumePoint decides where a stream that asked to resume after after
// (ok false: it named no event) starts, given the newest event latest and
// the time by which the browser had every committed event (asOf: its
// page's render; zero when unknown).
//
// Without an id it starts at latest and replays nothing. With an id
// further back than Options.ReplayMaxEvents events, or whose first missed
// event is older than Options.ReplayMaxAge, it starts at latest with a
// refresh: re-rendering days of events per connection cost seconds of
// server work and megabytes per stream. Otherwise it replays what the
// browser missed, and a little below its id: PostgreSQL numbers events
// when they are written, not when they commit, so an event just below the
// browser's newest may commit after it. Such an event was logged at most
// replayLookBackAge before the browser learnt of the newer one, which was
// after both the newer one's logging and asOf: events below the browser's
// id logged before that are not replayed, so a page load in a quiet inbox
// replays nothing. What the look-back repeats is harmless: the page keeps
// one element per message and row.
//
// Errors: EUNAVAILABLE.
func (s *server) resumePoint(ctx context.Context, after int64, ok bool, latest int64, asOf time.Time) (resume, error) {
	fresh := resume{start: latest, floor: max(0, latest-replayLookBack), after: latest}
	if !ok {
		return fresh, nil
	}
	fresh.refresh = true
	if latest-after > int64(s.opts.ReplayMaxEvents) {
		return fresh, nil
	}
	// The browser's newest event and the first it missed.
	events, err := s.deps.Inbox.FirstEventsAfter(ctx, max(0, after-1), 2)
	if err != nil {
		return resume{}, err
	}
	floor := max(0, after-replayLookBack)
	r := resume{start: floor, floor: floor, after: after}
	known := asOf
	for _, e := range events {
		switch {
		case e.ID == after && e.CreatedAt.After(known):
			known = e.CreatedAt
		case e.ID > after && e.CreatedAt.Before(time.Now().Add(-s.opts.ReplayMaxAge)):
			return fresh, nil
		}
	}
	if !known.IsZero() {
		r.lookBackSince = known.Add(-replayLookBackAge)
	}
	return r, nil
}

// asOf reads ?as_of= (Unix milliseconds; see eventsURL), zero when absent
// or malformed. A time in the future counts as now: it can only narrow the
// look-back of the browser that sent it.
func asOf(c *fiber.Ctx) time.Time {
	ms, err := strconv.ParseInt(c.Query("as_of"), 10, 64)
	if err != nil || ms <= 0 {
		return time.Time{}
	}
	t, now := time.UnixMilli(ms), time.Now()
	if t.After(now) {
		return now
	}
	return t
}

// lookedBackTooFar reports whether e lies below the browser's newest event
// and was logged before the look-back's time bound: the browser has it.
func (r resume) lookedBackTooFar(e inbox.Event) bool {
	return e.ID <= r.after && e.CreatedAt.Before(r.lookBackSince)
}

// refreshHTML is the refresh marker (views.LiveRefresh): the page fetches
// its list and open thread's header again.
var refreshHTML = func() string {
	var b strings.Builder
	_ = views.LiveRefresh().Render(context.Background(), &b)
	return b.String()
}()
