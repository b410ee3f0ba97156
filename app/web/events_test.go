package web_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
)

// liveWait is how long a test waits for something that should happen at
// once.
const liveWait = 5 * time.Second

// liveServer is a whole web app with a hub on a real listener (SSE cannot
// go through app.Test), with an HTTP client signed in as the local admin.
type liveServer struct {
	base   string
	app    *fiber.App
	store  *store.Store
	svc    *inbox.Service
	bus    *live.Memory
	hub    *live.Hub
	auth   *auth.Auth
	client *http.Client
}

type liveOptions struct {
	heartbeat    time.Duration
	writeTimeout time.Duration
	maxStreams   int
	clientBuffer int
	// evictAfter is live.HubOptions.EvictAfter.
	evictAfter time.Duration
	// replayMaxEvents is web.Options.ReplayMaxEvents.
	replayMaxEvents int
	// store, when set, wraps the store the service uses; log and onPanic
	// are web.Options'.
	store   func(*store.Store) inbox.Store
	log     *slog.Logger
	onPanic func(unit string)
}

func newLiveServer(t *testing.T, o liveOptions) *liveServer {
	t.Helper()
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "parley.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Options{PublicURL: base, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	bus := live.NewMemory()
	hub := live.NewHub(bus, nil, live.HubOptions{MaxStreamsPerUser: o.maxStreams, ClientBuffer: o.clientBuffer, EvictAfter: o.evictAfter})
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = hub.Run(runCtx)
	}()
	var st inbox.Store = s
	if o.store != nil {
		st = o.store(s)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	svc := inbox.NewService(inbox.Options{Store: st, Users: s, Publisher: live.NewPublisher(bus, nil)})
	app := web.NewServer(web.Deps{Inbox: svc, Hub: hub}, web.Options{
		PublicURL: base, PlivoAuthTokens: []string{token}, Development: true,
		Log: o.log, Auth: a, Heartbeat: o.heartbeat, WriteTimeout: o.writeTimeout, OnPanic: o.onPanic,
		ReplayMaxEvents: o.replayMaxEvents,
	})
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = app.Listener(ln)
	}()
	t.Cleanup(func() {
		hub.Close()
		if err := app.ShutdownWithTimeout(liveWait); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		stop()
		<-ran
		<-served
		_ = bus.Close()
	})
	ls := &liveServer{base: base, app: app, store: s, svc: svc, bus: bus, hub: hub, auth: a}
	ls.client = ls.signIn(t)
	return ls
}

var csrfInPage = `<meta name="csrf-token" content="`

// signIn returns a client with the local admin's session, signed in
// through the development sign-in form like a browser.
func (ls *liveServer) signIn(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body := ls.mustGet(t, c, "/login")
	_, rest, ok := strings.Cut(body, csrfInPage)
	if !ok {
		t.Fatalf("no CSRF token on /login")
	}
	tok, _, _ := strings.Cut(rest, `"`)
	resp, err := c.PostForm(ls.base+"/auth/dev", url.Values{"_csrf": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("dev sign-in ended at %s with %d, want the inbox", resp.Request.URL, resp.StatusCode)
	}
	return c
}

func (ls *liveServer) mustGet(t *testing.T, c *http.Client, path string) string {
	t.Helper()
	resp, err := c.Get(ls.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// text posts a signed inbound text from contact, as Plivo would.
func (ls *liveServer) text(t *testing.T, uuid, from, text string) {
	t.Helper()
	form := inboundForm(uuid, text)
	form.Set("From", from)
	req := plivotest.SignedRequest(token, ls.base+"/api/sms/webhook", http.MethodPost, form)
	req.RequestURI = ""
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook answered %d, want 200", resp.StatusCode)
	}
}

// sseFrame is one event, or a comment (a heartbeat), read off a stream.
type sseFrame struct {
	id      int64
	event   string
	data    string
	comment string
}

// sseStream reads a live stream's frames on a goroutine of its own.
type sseStream struct {
	resp   *http.Response
	frames chan sseFrame
	cancel context.CancelFunc
	ended  chan struct{} // closed when the body ends
}

// openStream connects to path with Last-Event-ID set when lastID is not
// empty, and checks the response is an event stream.
func (ls *liveServer) openStream(t *testing.T, c *http.Client, path, lastID string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ls.base+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := c.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		t.Fatalf("GET %s: %d %s, want 200", path, resp.StatusCode, b)
	}
	s := &sseStream{resp: resp, frames: make(chan sseFrame, 1024), cancel: cancel, ended: make(chan struct{})}
	t.Cleanup(s.close)
	go s.read()
	return s
}

func (s *sseStream) close() {
	s.cancel()
	s.resp.Body.Close()
}

func (s *sseStream) read() {
	defer close(s.ended)
	r := bufio.NewReader(s.resp.Body)
	var f sseFrame
	var data []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if data != nil || f.id != 0 {
				f.data = strings.Join(data, "\n")
				s.frames <- f
			}
			f, data = sseFrame{}, nil
		case strings.HasPrefix(line, ":"):
			s.frames <- sseFrame{comment: strings.TrimSpace(line[1:])}
		default:
			name, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch name {
			case "id":
				f.id, _ = strconv.ParseInt(value, 10, 64)
			case "event":
				f.event = value
			case "data":
				data = append(data, value)
			}
		}
	}
}

// next returns the next event frame, skipping heartbeats.
func (s *sseStream) next(t *testing.T) sseFrame {
	t.Helper()
	timeout := time.After(liveWait)
	for {
		select {
		case f := <-s.frames:
			if f.comment == "" {
				return f
			}
		case <-s.ended:
			t.Fatalf("stream ended, want an event")
		case <-timeout:
			t.Fatalf("no event within %v", liveWait)
		}
	}
}

// nextWith returns the first event frame whose data contains substr.
func (s *sseStream) nextWith(t *testing.T, substr string) sseFrame {
	t.Helper()
	deadline := time.Now().Add(liveWait)
	for time.Now().Before(deadline) {
		if f := s.next(t); strings.Contains(f.data, substr) {
			return f
		}
	}
	t.Fatalf("no event with %q within %v", substr, liveWait)
	return sseFrame{}
}

// expectQuiet fails if an event arrives before the next heartbeat.
func (s *sseStream) expectQuiet(t *testing.T) {
	t.Helper()
	for {
		select {
		case f := <-s.frames:
			if f.comment == "ping" {
				return
			}
			t.Fatalf("unexpected frame id=%d data=%.80q, want nothing until the heartbeat", f.id, f.data)
		case <-time.After(liveWait):
			t.Fatalf("no heartbeat within %v", liveWait)
		}
	}
}

func mustParseHTML(t *testing.T, data string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// A text that arrives while a stream is open reaches it as HTML: the
// message appended to its thread (if open) and its list row, out of band.
func TestEventsStreamsWebhookAsHTML(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ls.base+"/events", nil)
	resp, err := ls.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for h, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s=%q, want %q", h, got, want)
		}
	}
	r := bufio.NewReader(resp.Body)
	if first, _ := r.ReadString('\n'); first != "retry: 3000\n" {
		t.Fatalf("first line=%q, want the retry field", first)
	}
	resp.Body.Close()

	s := ls.openStream(t, ls.client, "/events", "")
	ls.text(t, "live-1", "14155550100", "Is my order\non its way? <b>x</b>")
	f := s.nextWith(t, "message-body")
	if f.event != "update" || f.id <= 0 {
		t.Fatalf("frame event=%q id=%d, want update with an id", f.event, f.id)
	}
	doc := mustParseHTML(t, f.data)
	conv, err := ls.svc.ListConversations(context.Background(), inbox.ConversationQuery{}.Normalise())
	if err != nil || len(conv.Conversations) != 1 {
		t.Fatalf("conversations=%v, %v, want 1", conv.Conversations, err)
	}
	cid := conv.Conversations[0].ID
	appendTo, _ := doc.Find("[hx-swap-oob^='beforeend:']").Attr("hx-swap-oob")
	if want := fmt.Sprintf("beforeend:#messages-%d", cid); appendTo != want {
		t.Errorf("message fragment hx-swap-oob=%q, want %q", appendTo, want)
	}
	if got := doc.Find(`[data-testid="message-body"]`).Text(); got != "Is my order\non its way? <b>x</b>" {
		t.Errorf("message body=%q, want the text with its line break, escaped", got)
	}
	if doc.Find("b").Length() != 0 {
		t.Errorf("a <b> in the text became markup")
	}
	row := doc.Find(fmt.Sprintf(`li#conversation-%d[hx-swap-oob="true"]`, cid))
	if row.Length() != 1 || row.AttrOr("data-unread", "") != "true" {
		t.Errorf("row fragment: %d found, data-unread=%q; want one unread row, out of band", row.Length(), row.AttrOr("data-unread", ""))
	}
	// The same frame carries the unread count for the title, so the
	// conversation.updated logged with the text only moves Last-Event-ID:
	// the frame announces its id, or an id-only frame follows.
	if got := doc.Find("#nav-unread").AttrOr("data-count", ""); got != "1" {
		t.Errorf("unread badge data-count=%q, want 1", got)
	}
	latest, _ := ls.svc.LatestEventID(context.Background())
	if f.id < latest {
		if next := s.next(t); next.data != "" || next.id != latest {
			t.Errorf("after the message: id=%d data=%.60q, want only id %d", next.id, next.data, latest)
		}
	} else if f.id != latest {
		t.Errorf("message frame id=%d, want at most the newest event %d", f.id, latest)
	}
}

// A browser that reconnects with Last-Event-ID gets exactly the events it
// missed, in order, and then live ones.
func TestEventsResumeAfterDrop(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: 300 * time.Millisecond})
	s := ls.openStream(t, ls.client, "/events", "")
	ls.text(t, "r-1", "14155550100", "first")
	first := s.nextWith(t, "first")
	seen := first.id // the frame announces conversation.updated's id too, or an id-only frame follows
	if latest, _ := ls.svc.LatestEventID(context.Background()); seen < latest {
		seen = s.next(t).id
	}
	if latest, _ := ls.svc.LatestEventID(context.Background()); seen != latest {
		t.Fatalf("Last-Event-ID after the first text=%d, want %d", seen, latest)
	}
	s.close()
	// The heartbeat finds out the client left, and its place is freed.
	for deadline := time.Now().Add(liveWait); ls.hub.Clients() > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("hub still has %d clients %v after the only one left", ls.hub.Clients(), liveWait)
		}
	}

	ls.text(t, "r-2", "14155550101", "second")
	ls.text(t, "r-3", "14155550102", "third")
	missed, err := ls.svc.EventsAfter(context.Background(), seen)
	if err != nil || len(missed) != 4 {
		t.Fatalf("log after %d: %d events, %v; want 4", seen, len(missed), err)
	}

	// The replay starts a little below Last-Event-ID (events numbered
	// before others may commit after them), so it may repeat what the
	// browser has; it must show every missed text, in order, move
	// Last-Event-ID up to the last missed event, and stop. (An event that
	// shows nothing new, like the conversation.updated after a text, gets
	// no frame of its own: the next frame's id covers it.)
	again := ls.openStream(t, ls.client, "/events", strconv.FormatInt(seen, 10))
	var texts []string
	var prev int64
	for last := missed[len(missed)-1].ID; prev < last; {
		f := again.next(t)
		if f.id < prev {
			t.Fatalf("replay went back from id %d to %d", prev, f.id)
		}
		prev = f.id
		for _, text := range []string{"first", "second", "third"} {
			if strings.Contains(f.data, ">"+text+"<") {
				texts = append(texts, text)
			}
		}
	}
	if got := strings.Join(texts, ","); !strings.HasSuffix(got, "second,third") || strings.Count(got, "second") != 1 {
		t.Fatalf("replay showed %q, want each missed text once, in order", got)
	}
	again.expectQuiet(t)
	ls.text(t, "r-4", "14155550103", "fourth")
	if f := again.next(t); !strings.Contains(f.data, "fourth") || f.id <= missed[3].ID {
		t.Fatalf("live after replay: id=%d data=%.60q, want the new text", f.id, f.data)
	}
}

// The page puts the newest event it has seen into its feed URL, so a text
// that lands between the render and the connect is not lost.
func TestEventsFirstConnectFromPage(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ls.text(t, "p-1", "14155550100", "before the page")
	doc := mustParseHTML(t, ls.mustGet(t, ls.client, "/"))
	feed := doc.Find("body").AttrOr("sse-connect", "")
	latest, _ := ls.svc.LatestEventID(context.Background())
	if want := fmt.Sprintf("/events?last_event_id=%d&as_of=", latest); !strings.HasPrefix(feed, want) {
		t.Fatalf("sse-connect=%q, want %q", feed, want)
	}
	if doc.Find("#live-sink[sse-swap=update]").Length() != 1 {
		t.Fatalf("no live sink listening for update events")
	}
	ls.text(t, "p-2", "14155550100", "between render and connect")
	s := ls.openStream(t, ls.client, feed, "")
	// Frames from a little before the page may come first (the replay looks
	// back; their rows, rendered now, may preview the new text); the new
	// message comes with an id above the page's.
	for {
		f := s.next(t)
		if strings.Contains(f.data, `data-testid="message-body">between render and connect<`) {
			if f.id <= latest {
				t.Fatalf("the new text came with id %d, want above %d", f.id, latest)
			}
			break
		}
	}
}

// A stream opened at the newest event also sends the few just below it: on
// PostgreSQL an event numbered earlier can commit later than the newest.
func TestEventsReplayLooksBack(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ls.text(t, "lb-1", "14155550100", "committed late")
	latest, _ := ls.svc.LatestEventID(context.Background())
	s := ls.openStream(t, ls.client, "/events", strconv.FormatInt(latest, 10))
	// The stream started at latest, and still shows the text logged below
	// it (its frame may announce the covered conversation.updated, latest).
	if f := s.nextWith(t, "committed late"); f.id > latest {
		t.Fatalf("looked-back frame id=%d, want at most %d", f.id, latest)
	}
}

// pageCSRF is the CSRF token of the client's pages.
func (ls *liveServer) pageCSRF(t *testing.T, c *http.Client) string {
	t.Helper()
	tok := mustParseHTML(t, ls.mustGet(t, c, "/")).Find(`meta[name="csrf-token"]`).AttrOr("content", "")
	if tok == "" {
		t.Fatal("no CSRF token on the inbox page")
	}
	return tok
}

// Delivery updates replace the bubble already on the page. A failed
// message's Retry form carries each browser's own CSRF token, though the
// event is rendered once for all of a user's streams.
func TestEventsMessageStatusReplacesBubble(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	other := ls.signIn(t) // the same user in a second browser
	s := ls.openStream(t, ls.client, "/events", "")
	s2 := ls.openStream(t, other, "/events", "")
	ls.text(t, "s-1", "14155550100", "HELLO")
	f := s.nextWith(t, `data-direction="outbound"`) // the automatic reply, queued
	s2.nextWith(t, `data-direction="outbound"`)
	id, ok := mustParseHTML(t, f.data).Find(`[data-direction="outbound"]`).Attr("id")
	if !ok {
		t.Fatalf("no outbound bubble in %q", f.data)
	}
	mid, _ := strconv.ParseInt(strings.TrimPrefix(id, "message-"), 10, 64)
	ctx := context.Background()
	if _, err := ls.store.DB().NewRaw("UPDATE messages SET status = 'failed' WHERE id = ?", mid).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	ev := []inbox.Event{{Kind: inbox.EventMessageStatus, MessageID: mid, CreatedAt: time.Now().UTC()}}
	err := ls.store.Atomically(ctx, func(ctx context.Context, tx inbox.Tx) error {
		return tx.AppendEvents(ctx, ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ls.bus.Publish(ctx, ev[0]); err != nil {
		t.Fatal(err)
	}
	for _, b := range []struct {
		stream *sseStream
		client *http.Client
	}{{s, ls.client}, {s2, other}} {
		f = b.stream.nextWith(t, `id="`+id+`"`)
		bubble := mustParseHTML(t, f.data).Find("#" + id)
		if f.id != ev[0].ID || bubble.AttrOr("hx-swap-oob", "") != "true" || bubble.AttrOr("data-status", "") != "failed" {
			t.Fatalf("status frame id=%d oob=%q status=%q, want %d, true, failed", f.id, bubble.AttrOr("hx-swap-oob", ""), bubble.AttrOr("data-status", ""), ev[0].ID)
		}
		got := bubble.Find(`[data-testid="retry-form"] input[name="_csrf"]`).AttrOr("value", "")
		if want := ls.pageCSRF(t, b.client); got != want {
			t.Errorf("retry form _csrf=%q, want this browser's token %q", got, want)
		}
	}
}

// Anonymous requests get no stream; one user's streams are limited.
func TestEventsRefusals(t *testing.T) {
	ls := newLiveServer(t, liveOptions{maxStreams: 2})
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := anon.Get(ls.base + "/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("anonymous /events: %d %s, want a redirect to sign in", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ls.openStream(t, ls.client, "/events", "")
	ls.openStream(t, ls.client, "/events", "")
	resp, err = ls.client.Get(ls.base + "/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third stream of one user: %d, want 429", resp.StatusCode)
	}
}

// Closing the hub ends every stream at once, so shutdown does not wait.
func TestEventsHubCloseEndsStreams(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	var streams []*sseStream
	for range 5 {
		streams = append(streams, ls.openStream(t, ls.client, "/events", ""))
	}
	for ls.hub.Clients() < len(streams) {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	ls.hub.Close()
	if err := ls.app.ShutdownWithTimeout(2 * time.Second); err != nil {
		t.Fatalf("shutdown with open streams: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("shutdown took %v with open streams, want under 1s", took)
	}
	for i, s := range streams {
		select {
		case <-s.ended:
		case <-time.After(liveWait):
			t.Fatalf("stream %d still open after the hub closed", i)
		}
	}
}

// A client that stopped reading cannot hold shutdown: once the hub ends
// its stream, its pending writes get only a short grace.
func TestEventsShutdownWithStuckClient(t *testing.T) {
	ls := newLiveServer(t, liveOptions{clientBuffer: 100000})
	ls.text(t, "stuck-1", "14155550100", "a text to repeat")
	events, err := ls.svc.EventsAfter(context.Background(), 0)
	if err != nil || len(events) == 0 || events[0].Kind != inbox.EventMessageReceived {
		t.Fatalf("log=%v, %v, want the text's message.received first", events, err)
	}
	received := events[0]

	// A client with a tiny receive window that never reads.
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return errors.Join(err, serr)
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(ls.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	u, _ := url.Parse(ls.base)
	var cookies []string
	for _, c := range ls.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	fmt.Fprintf(conn, "GET /events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\nCookie: %s\r\n\r\n", u.Host, strings.Join(cookies, "; "))
	for ls.hub.Clients() < 1 {
		time.Sleep(5 * time.Millisecond)
	}

	// Far more than the socket buffers hold (about 3 KB each): the
	// stream's writer ends up blocked in a write.
	for i := range 5000 {
		e := received
		e.ID = received.ID + 1000 + int64(i)
		if err := ls.bus.Publish(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Second)
	if n := ls.hub.Clients(); n != 1 {
		t.Fatalf("hub has %d clients, want the stuck one still registered", n)
	}
	start := time.Now()
	ls.hub.Close()
	if err := ls.app.ShutdownWithTimeout(3 * time.Second); err != nil {
		t.Fatalf("shutdown with a stuck client: %v after %v", err, time.Since(start))
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("shutdown with a stuck client took %v, want under 1s", took)
	}
}

// A stream lives past the server's WriteTimeout: each flush sets its
// own deadline.
func TestEventsStreamOutlivesWriteTimeout(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: 500 * time.Millisecond, writeTimeout: time.Second})
	s := ls.openStream(t, ls.client, "/events", "")
	deadline := time.Now().Add(4 * time.Second)
	pings := 0
	for time.Now().Before(deadline) {
		select {
		case f := <-s.frames:
			if f.comment == "ping" {
				pings++
			}
		case <-s.ended:
			t.Fatalf("stream ended after %d pings, before the write timeout was passed", pings)
		case <-time.After(liveWait):
			t.Fatalf("no heartbeat within %v", liveWait)
		}
	}
	ls.text(t, "w-1", "14155550100", "still here")
	if f := s.nextWith(t, "still here"); f.id <= 0 {
		t.Fatalf("event after four write timeouts has id %d", f.id)
	}
}

// A stream ends within a heartbeat once its session no longer holds: a
// signed-out or removed user stops receiving texts.
func TestEventsStreamEndsWhenTheSessionEnds(t *testing.T) {
	ls := newLiveServer(t, liveOptions{heartbeat: 200 * time.Millisecond})
	s := ls.openStream(t, ls.client, "/events", "")
	if _, err := ls.store.DB().NewDelete().TableExpr("sessions").Where("1 = 1").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.ended:
	case <-time.After(liveWait):
		t.Fatalf("stream still open %v after its session was deleted", liveWait)
	}
}
