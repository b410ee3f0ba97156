package web

import (
	"context"
	"errors"
	"net"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/sse"
	"github.com/parleyhq/parley/views"
)

const (
	// sseEvent is the event name the page's live sink listens for
	// (sse-swap="update" in views/layout.templ).
	sseEvent = "update"
	// sseRetry is how long a browser waits before reconnecting, in ms.
	sseRetry = 3000
	// defaultHeartbeat is Options.Heartbeat's default.
	defaultHeartbeat = 15 * time.Second
	// replayLookBack is how far below the browser's newest event a stream
	// replays from (see handleEvents).
	replayLookBack = 50
	// streamQueryTimeout bounds each database call a stream makes, so a
	// database that hangs cannot hold streams (or, on SQLite, everyone).
	streamQueryTimeout = 5 * time.Second
	// streamWriteTimeout bounds each flush of a live stream. It replaces
	// the server's WriteTimeout, which counts from the start of the
	// response and would cut every stream after 30 s.
	streamWriteTimeout = 10 * time.Second
	// endGrace bounds the writes of a stream the hub has ended (at
	// shutdown, or for falling behind), so a client that stopped reading
	// cannot hold the server's shutdown for streamWriteTimeout.
	endGrace = 500 * time.Millisecond
)

// handleEvents is the live feed of a signed-in browser: Server-Sent Events,
// each an HTML fragment that htmx swaps in out of band. It first replays
// the event log after Last-Event-ID (the header a reconnecting EventSource
// sends, or ?last_event_id= on the first connect: the newest event the
// page had seen when it was rendered), then streams what the hub fans out.
// Without either, it starts from the newest event and replays nothing; an
// id from too far back gets the refresh marker instead of a replay (see
// resumePoint). The stream ends when
// the client leaves (the connection closes: see watchPeer; or a flush
// fails), when it falls behind (the hub ends it; the browser reconnects
// and catches up), when a newer stream of the user takes its slot (see
// live.HubOptions.EvictAfter), or at shutdown (Hub.Close).
//
// Errors, before the stream starts: ERATELIMITED (429) for too many
// streams of one user, all of them recent; EUNAVAILABLE (503) when the
// database fails.
func (s *server) handleEvents(c *fiber.Ctx) error {
	hub := s.deps.Hub
	if hub == nil {
		return fiber.ErrNotFound
	}
	u, _ := currentUser(c)
	// Everything the writer needs is copied now: the writer runs on a
	// goroutine of its own, beside and after this handler, and Fiber
	// reuses c once the handler returns.
	ctx := views.WithUser(context.WithoutCancel(c.UserContext()), u)
	after, ok := lastEventID(c)
	latest, err := s.deps.Inbox.LatestEventID(ctx)
	if err != nil {
		return err
	}
	from, err := s.resumePoint(ctx, after, ok, latest, asOf(c))
	if err != nil {
		return err
	}
	token, _ := c.Locals(localSessionToken).(string)
	expires, ok := c.Locals(localSessionExpiry).(time.Time)
	if !ok {
		expires = time.Now().Add(inbox.SessionLifetime)
	}
	sessionID, _ := c.Locals(localSessionID).(string)
	client, err := hub.RegisterSession(u.ID, sessionID)
	if err != nil {
		return err
	}
	st := &stream{
		srv: s, hub: hub, client: client, ctx: ctx, userID: u.ID, token: token, expires: expires,
		requestID: c.Locals(requestIDHeader),
		csrf:      views.CSRF(ctx), resume: from, floor: from.floor, last: from.start,
		// The browser has its own id already: it sent it.
		told: max(from.start, from.after),
	}
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	// The stream takes the connection over once the middleware is done
	// (fasthttp then writes no response of its own), and writes the head
	// and the body itself, one write per flush: see sse.ChunkWriter.
	fctx := c.Context()
	chunked := fctx.Request.Header.IsHTTP11()
	// Writes go to the connection itself, not to the wrapper Hijack hands
	// over, so that a flush of several parts is one writev.
	raw := fctx.Conn()
	fctx.HijackSetNoResponse(true)
	fctx.Hijack(func(conn net.Conn) {
		h := &fctx.Response.Header
		h.SetConnectionClose()
		if chunked {
			h.SetContentLength(-1)
		} else {
			h.SetContentLength(-2) // the body ends when the connection closes
			h.Del(fiber.HeaderTransferEncoding)
		}
		st.conn = raw
		// A tab that goes away gives its slot back now, not at the next
		// heartbeat: unregistering also ends the stream.
		defer watchPeer(conn, raw, func() { hub.Unregister(client) })()
		st.run(sse.NewChunkWriter(raw, chunked, append([]byte(nil), h.Header()...)))
	})
	return nil
}

// lastEventID reads Last-Event-ID, or ?last_event_id= when the header is
// absent; false when neither holds an ID.
func lastEventID(c *fiber.Ctx) (int64, bool) {
	raw := c.Get("Last-Event-ID")
	if raw == "" {
		raw = c.Query("last_event_id")
	}
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id < 0 {
		return 0, false
	}
	return id, true
}

// eventsURL is the live feed's URL for a page rendered now: with the
// newest event ID, so nothing that happens between the render and the
// connect is lost, and the time it was read (as_of, Unix milliseconds),
// which bounds how far the stream looks back below that ID (see
// resumePoint). Without a hub it is Options.EventsURL (normally empty: the
// page stays offline).
func (s *server) eventsURL(ctx context.Context) string {
	base := s.opts.EventsURL
	if s.deps.Hub == nil {
		return base
	}
	if base == "" {
		base = views.EventsURL
	}
	at := time.Now()
	id, err := s.deps.Inbox.LatestEventID(ctx)
	if err != nil {
		return base // the stream starts from the newest event instead
	}
	return base + "?last_event_id=" + strconv.FormatInt(id, 10) + "&as_of=" + strconv.FormatInt(at.UnixMilli(), 10)
}

// stream is one open /events response. Only its writer goroutine touches
// it.
type stream struct {
	srv    *server
	hub    *live.Hub
	client *live.Client
	ctx    context.Context // the user's views context, detached from the request
	userID int64
	// requestID is the request's, for the log.
	requestID any
	// token is the session the stream was opened with. Removal, sign-out
	// and role changes end the stream through the hub at once; each
	// heartbeat also checks the session still holds, in case that message
	// was lost with the bus.
	token string
	// expires is when the session expires; the stream ends then.
	expires time.Time
	csrf    string
	conn    net.Conn

	deadlineMu sync.Mutex // orders setDeadline between run and the hub ending the client
	// connGone is set when run returns: fasthttp then closes the
	// connection and reuses its wrapper, so it must not be touched.
	connGone bool
	armed    time.Time // when the write deadline was last set to streamWriteTimeout

	resume  resume       // where the stream started, and why
	floor   int64        // the browser had every event up to here
	last    int64        // the highest ID handled
	told    int64        // the highest ID sent in an id: line
	written sse.IDWindow // IDs handled
	prev    inbox.Event  // the event handled last
	busDown bool         // the browser was told live updates wait for the bus
}

// liveState is a fragment that sets the page's live indicator (static/js
// app.js reads it and swaps in nothing): "reconnecting" while the bus is
// down, "live" once it is back.
func liveState(state string) string {
	return `<i hidden data-live-state="` + state + `"></i>`
}

// run writes the stream on its hijacked connection: it returns when a
// write fails or the hub ends the client, and the connection closes.
func (st *stream) run(w *sse.ChunkWriter) {
	defer st.recoverPanic()
	defer st.hub.Unregister(st.client)
	// A client that stopped reading can block a write for
	// streamWriteTimeout; once the hub ends it, shorten that to endGrace.
	stop := context.AfterFunc(st.client.Context(), func() { _ = st.setDeadline() })
	defer func() {
		stop()
		st.deadlineMu.Lock()
		st.connGone = true
		st.deadlineMu.Unlock()
	}()
	log := st.srv.log.With("user", st.userID)
	heartbeat := st.srv.opts.Heartbeat
	if heartbeat <= 0 {
		heartbeat = defaultHeartbeat
	}
	if _, err := w.WriteString("retry: " + strconv.Itoa(sseRetry) + "\n\n"); err != nil {
		return
	}
	if st.resume.refresh {
		if err := sse.Write(w, st.last, sseEvent, refreshHTML); err != nil {
			return
		}
	}
	if err := st.flush(w); err != nil {
		return
	}
	if err := st.replay(w); err != nil {
		log.Debug("live stream ended", "err", err)
		return
	}
	ticker := time.NewTicker(heartbeat)
	defer ticker.Stop()
	expiry := time.NewTimer(time.Until(st.expires))
	defer expiry.Stop()
	for {
		var err error
		select {
		case batch := <-st.client.C():
			// Take whatever else is ready too, and flush once for all.
			err = st.sendAll(w, batch)
			for err == nil && len(st.client.C()) > 0 {
				err = st.sendAll(w, <-st.client.C())
			}
			if err == nil && w.Buffered() > 0 {
				err = st.flush(w)
			}
		case <-ticker.C:
			if err = st.stillSignedIn(); err == nil {
				st.tellLast(w)
				if err = sse.WriteComment(w, "ping"); err == nil {
					err = st.flush(w)
				}
			}
		case <-expiry.C:
			log.Debug("live stream ended: the session expired")
			st.tellLast(w)
			_ = st.flush(w)
			_ = w.Close()
			return
		case <-st.client.Done():
			switch err = st.client.Err(); {
			case errors.Is(err, live.ErrSlowClient):
				log.Info("live stream fell behind; the browser will reconnect and catch up")
			case errors.Is(err, live.ErrEvicted):
				log.Debug("live stream gave its slot to a newer stream of the user's")
			}
			st.tellLast(w)
			_ = st.setDeadline()
			_ = w.Close()
			return
		}
		if err != nil {
			log.Debug("live stream ended", "err", err)
			return
		}
	}
}

// recoverPanic ends a stream that panicked, alone: it runs after run's
// other deferred calls (the client is unregistered, the connection let
// go), and the browser reconnects as after any drop.
func (st *stream) recoverPanic() {
	if r := recover(); r != nil {
		st.srv.panicked("stream", st.requestID, r, debug.Stack(), "user", st.userID)
	}
}

// stillSignedIn ends the stream when its session no longer opens; a
// database that does not answer keeps it going (the session was valid, and
// the stream catches up once the database is back).
func (st *stream) stillSignedIn() error {
	ctx, cancel := context.WithTimeout(st.ctx, streamQueryTimeout)
	defer cancel()
	_, _, err := st.srv.deps.Inbox.Authenticate(ctx, st.token)
	if err != nil && inbox.ErrorCode(err) != inbox.EUNAVAILABLE {
		return err
	}
	return nil
}

// sendAll writes events in order; a resync marker replays the log. An
// event followed by one it covers (see coveredBy) announces the follower's
// id in its own frame, so the browser's Last-Event-ID covers both with one
// frame.
func (st *stream) sendAll(w *sse.ChunkWriter, events []inbox.Event) error {
	for i, e := range events {
		var err error
		switch {
		case e.Kind == live.KindBusDown:
			st.busDown = true
			err = sse.Write(w, 0, sseEvent, liveState("reconnecting"))
		case e.Kind == live.KindResync:
			if err = st.replay(w); err == nil && st.busDown {
				st.busDown = false
				err = sse.Write(w, 0, sseEvent, liveState("live"))
			}
		case i+1 < len(events) && coveredBy(e, events[i+1]):
			err = st.send(w, e, events[i+1].ID)
		default:
			err = st.send(w, e, e.ID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// replay writes every logged event after the last one written, a page at
// a time.
func (st *stream) replay(w *sse.ChunkWriter) error {
	for from := st.last; ; {
		ctx, cancel := context.WithTimeout(st.ctx, streamQueryTimeout)
		events, err := st.srv.deps.Inbox.EventsAfter(ctx, from)
		cancel()
		if err != nil {
			return err
		}
		n := len(events)
		if n > 0 {
			from = events[n-1].ID
		}
		events = slices.DeleteFunc(events, func(e inbox.Event) bool {
			if st.resume.lookedBackTooFar(e) {
				st.remember(e.ID) // the browser has it
				return true
			}
			return false
		})
		if err := st.sendAll(w, events); err != nil {
			return err
		}
		st.tellLast(w)
		if err := st.flush(w); err != nil {
			return err
		}
		if n < inbox.EventPageSize {
			return nil
		}
	}
}

// send writes e, framed with the id announce (e's own, or a covered
// follower's), unless it was written already. The frame's id is never
// below the highest handled so far, so Last-Event-ID never moves back when
// events arrive out of order. An event with nothing to show writes no
// frame of its own: its ID goes out with the next frame, or tellLast. A
// render failure ends the stream before the id moves past e, so the
// browser's reconnect replays it.
func (st *stream) send(w *sse.ChunkWriter, e inbox.Event, announce int64) error {
	if e.ID <= st.floor || st.written.Has(e.ID) {
		return nil
	}
	prev := st.prev
	st.prev = e
	if coveredBy(prev, e) {
		st.remember(e.ID) // the message just handled carried the row
		return nil
	}
	r, err := st.render(e, announce)
	if err != nil {
		return err
	}
	st.remember(e.ID)
	if r.frame == nil && r.csrfHTML == "" {
		return nil
	}
	id := max(st.last, announce)
	st.told = max(st.told, id)
	switch {
	case r.csrfHTML != "":
		return sse.Write(w, id, sseEvent, strings.ReplaceAll(r.csrfHTML, csrfHole, st.csrf))
	case id == announce:
		w.WriteShared(r.frame) // the common case: framed once for all streams
		return nil
	}
	// A higher event came first: the same frame with the higher id.
	head, rest := sse.Reframe(r.frame, announce, id)
	_, err = w.WriteString(head)
	w.WriteShared(rest)
	return err
}

// tellLast writes an id-only frame when the browser's Last-Event-ID lags
// behind the events handled, while there is something to flush anyway
// (that costs no write of its own) or before a heartbeat or the end. A
// lagging ID only makes a reconnect replay a few events the page shows
// already.
func (st *stream) tellLast(w *sse.ChunkWriter) {
	if st.last > st.told {
		_ = sse.Write(w, st.last, "", "")
		st.told = st.last
	}
}

// coveredBy reports whether e says nothing the stream's previous event did
// not: a change that adds a message logs conversation.updated right after
// the message's event, whose fragments already hold the row and the unread
// badge. Skipping it halves the frames a text costs every client.
func coveredBy(prev, e inbox.Event) bool {
	return e.Kind == inbox.EventConversationUpdated && prev.ID == e.ID-1 &&
		prev.ConversationID == e.ConversationID &&
		(prev.Kind == inbox.EventMessageReceived || prev.Kind == inbox.EventMessageQueued)
}

func (st *stream) remember(id int64) {
	st.written.Add(id)
	st.last = max(st.last, id)
}

// flush writes what the stream gathered, in a fan-out slot (fanout.go).
func (st *stream) flush(w *sse.ChunkWriter) error {
	if w.Buffered() > 0 {
		st.tellLast(w)
	}
	var err error
	if st.takeSlot() {
		err = st.flushInSlot(w)
	} else if err = st.setDeadline(); err == nil {
		err = w.Flush()
	}
	if errors.Is(err, os.ErrDeadlineExceeded) && w.Pending() {
		// The client reads slower than its turn allows: the rest goes
		// out under the stream's own deadline, holding no slot.
		if err = st.setDeadline(); err == nil {
			err = w.FlushPending()
		}
	}
	return err
}

// setDeadline gives the connection's writes streamWriteTimeout (give or
// take a second), or only endGrace once the hub has ended the client.
func (st *stream) setDeadline() error {
	st.deadlineMu.Lock()
	defer st.deadlineMu.Unlock()
	if st.connGone {
		return nil
	}
	now := time.Now()
	select {
	case <-st.client.Done():
		st.armed = time.Time{}
		return st.conn.SetWriteDeadline(now.Add(endGrace))
	default:
	}
	// Re-arming the timer for every write of every stream costs more than
	// a deadline that is up to a second shorter.
	if now.Sub(st.armed) < time.Second {
		return nil
	}
	st.armed = now
	return st.conn.SetWriteDeadline(now.Add(streamWriteTimeout))
}
