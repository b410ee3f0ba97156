package web

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
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
	// maxWrittenIDs bounds the IDs a stream remembers for de-duplication.
	maxWrittenIDs = 4096
	// coalesce is how long a stream holds a written event for others to
	// join it in one flush: one change publishes several events at once
	// (a text: message.received and conversation.updated), and each flush
	// costs a write to the socket per client.
	coalesce = 2 * time.Millisecond
)

// handleEvents is the live feed of a signed-in browser: Server-Sent Events,
// each an HTML fragment that htmx swaps in out of band. It first replays
// the event log after Last-Event-ID (the header a reconnecting EventSource
// sends, or ?last_event_id= on the first connect: the newest event the
// page had seen when it was rendered), then streams what the hub fans out.
// Without either, it starts from the newest event. The stream ends when
// the client leaves (a failed flush; heartbeats find that out), when it
// falls behind (the hub ends it; the browser reconnects and catches up),
// or at shutdown (Hub.Close).
//
// Errors, before the stream starts: ERATELIMITED (429) for too many
// streams of one user; EUNAVAILABLE (503) when the database fails.
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
	if !ok {
		var err error
		if after, err = s.deps.Inbox.LatestEventID(ctx); err != nil {
			return err
		}
	}
	token, _ := c.Locals(localSessionToken).(string)
	client, err := hub.Register(u.ID)
	if err != nil {
		return err
	}
	// PostgreSQL numbers events when they are written, not when they
	// commit, so an event just below the browser's newest may commit after
	// it. Replaying a short way back catches it; the page keeps one element
	// per message and row, so what it already has is harmless.
	floor := max(0, after-replayLookBack)
	st := &stream{
		srv: s, hub: hub, client: client, ctx: ctx, userID: u.ID, token: token,
		csrf: views.CSRF(ctx), conn: c.Context().Conn(),
		floor: floor, last: floor, written: make(map[int64]struct{}),
	}
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("X-Accel-Buffering", "no")
	c.Context().SetBodyStreamWriter(st.run)
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
// connect is lost. Without a hub it is Options.EventsURL (normally empty:
// the page stays offline).
func (s *server) eventsURL(ctx context.Context) string {
	base := s.opts.EventsURL
	if s.deps.Hub == nil {
		return base
	}
	if base == "" {
		base = views.EventsURL
	}
	id, err := s.deps.Inbox.LatestEventID(ctx)
	if err != nil {
		return base // the stream starts from the newest event instead
	}
	return base + "?last_event_id=" + strconv.FormatInt(id, 10)
}

// stream is one open /events response. Only its writer goroutine touches
// it.
type stream struct {
	srv    *server
	hub    *live.Hub
	client *live.Client
	ctx    context.Context // the user's views context, detached from the request
	userID int64
	// token is the session the stream was opened with; each heartbeat
	// checks it still holds, so a signed-out, removed or expired user stops
	// receiving within one heartbeat.
	token string
	csrf  string
	conn  net.Conn // for write deadlines; nil under app.Test

	deadlineMu sync.Mutex // orders setDeadline between run and endWrites

	floor   int64              // the browser had every event up to here
	last    int64              // the highest ID written
	written map[int64]struct{} // IDs above floor already written
	prev    inbox.Event        // the event written last
}

// run is the body stream writer: it returns when a write fails or the hub
// ends the client, and the response ends with it.
func (st *stream) run(w *bufio.Writer) {
	defer st.hub.Unregister(st.client)
	running := make(chan struct{})
	defer close(running)
	go st.endWrites(running)
	log := st.srv.log.With("user", st.userID)
	heartbeat := st.srv.opts.Heartbeat
	if heartbeat <= 0 {
		heartbeat = defaultHeartbeat
	}
	if _, err := w.WriteString("retry: " + strconv.Itoa(sseRetry) + "\n\n"); err != nil {
		return
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
	flushSoon := time.NewTimer(time.Hour)
	flushSoon.Stop()
	pending := false // written but not flushed; flushSoon is running
	for {
		var err error
		select {
		case e := <-st.client.C():
			if e.Kind == live.KindResync {
				err = st.replay(w)
			} else if err = st.send(w, e); err == nil && !pending {
				pending = true
				flushSoon.Reset(coalesce)
			}
		case <-flushSoon.C:
			pending = false
			err = st.flush(w)
		case <-ticker.C:
			if err = st.stillSignedIn(); err == nil {
				if err = writeSSEComment(w, "ping"); err == nil {
					err = st.flush(w)
				}
			}
		case <-st.client.Done():
			if err = st.client.Err(); errors.Is(err, live.ErrSlowClient) {
				log.Info("live stream fell behind; the browser will reconnect and catch up")
			}
			_ = st.flush(w)
			return
		}
		if err != nil {
			log.Debug("live stream ended", "err", err)
			return
		}
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

// replay writes every logged event after the last one written, a page at
// a time.
func (st *stream) replay(w *bufio.Writer) error {
	for from := st.last; ; {
		ctx, cancel := context.WithTimeout(st.ctx, streamQueryTimeout)
		events, err := st.srv.deps.Inbox.EventsAfter(ctx, from)
		cancel()
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := st.send(w, e); err != nil {
				return err
			}
			from = e.ID
		}
		if err := st.flush(w); err != nil {
			return err
		}
		if len(events) < inbox.EventPageSize {
			return nil
		}
	}
}

// send writes e unless it was written already. The frame's id is the
// highest written so far, so Last-Event-ID never moves back when events
// arrive out of order. A render failure ends the stream before the id
// moves past e, so the browser's reconnect replays it.
func (st *stream) send(w *bufio.Writer, e inbox.Event) error {
	if e.ID <= st.floor {
		return nil
	}
	if _, dup := st.written[e.ID]; dup {
		return nil
	}
	prev := st.prev
	st.prev = e
	if coveredBy(prev, e) {
		st.remember(e.ID)
		return writeSSE(w, st.last, "", "") // the message just sent carried the row
	}
	r, err := st.render(e)
	if err != nil {
		return err
	}
	st.remember(e.ID)
	switch {
	case r.html == "":
		return writeSSE(w, st.last, "", "") // nothing to show: only move Last-Event-ID
	case st.last == e.ID && !r.csrf:
		_, err := w.Write(r.frame) // the common case: the frame as framed once
		return err
	}
	return writeSSE(w, st.last, sseEvent, strings.ReplaceAll(r.html, csrfHole, st.csrf))
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
	st.written[id] = struct{}{}
	st.last = max(st.last, id)
	if len(st.written) > maxWrittenIDs {
		st.floor = st.last - maxWrittenIDs/2
		for id := range st.written {
			if id <= st.floor {
				delete(st.written, id)
			}
		}
	}
}

func (st *stream) flush(w *bufio.Writer) error {
	if err := st.setDeadline(); err != nil {
		return err
	}
	return w.Flush()
}

// setDeadline gives the connection's writes streamWriteTimeout, or only
// endGrace once the hub has ended the client.
func (st *stream) setDeadline() error {
	if st.conn == nil {
		return nil
	}
	st.deadlineMu.Lock()
	defer st.deadlineMu.Unlock()
	d := streamWriteTimeout
	select {
	case <-st.client.Done():
		d = endGrace
	default:
	}
	return st.conn.SetWriteDeadline(time.Now().Add(d))
}

// endWrites shortens the write deadline as soon as the hub ends the client,
// while run may be blocked in a write to a client that stopped reading
// (fasthttp copies the body to the connection on a goroutine of its own,
// through a pipe that holds only a few writes).
func (st *stream) endWrites(running <-chan struct{}) {
	select {
	case <-st.client.Done():
		_ = st.setDeadline()
	case <-running:
	}
}
