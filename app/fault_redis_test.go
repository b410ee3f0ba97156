package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/testenv"
)

// browserStream reads /events as an EventSource does: on any end it
// connects again with Last-Event-ID, so what it collects is what a
// browser's page would end up showing.
type browserStream struct {
	mu         sync.Mutex
	data       strings.Builder
	lastID     string
	reconnects int
	cancel     context.CancelFunc
}

func openBrowserStream(t *testing.T, c *http.Client, base string) *browserStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b := &browserStream{cancel: cancel}
	t.Cleanup(cancel)
	go func() {
		for ctx.Err() == nil {
			b.readOnce(ctx, c, base)
			b.mu.Lock()
			b.reconnects++
			b.mu.Unlock()
			select {
			case <-ctx.Done():
			case <-time.After(300 * time.Millisecond):
			}
		}
	}()
	return b
}

func (b *browserStream) readOnce(ctx context.Context, c *http.Client, base string) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	b.mu.Lock()
	if b.lastID != "" {
		req.Header.Set("Last-Event-ID", b.lastID)
	}
	b.mu.Unlock()
	resp, err := c.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		b.mu.Lock()
		if id, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "id: "); ok {
			b.lastID = id
		}
		b.data.WriteString(line)
		b.mu.Unlock()
	}
}

// has reports whether the stream has shown every text.
func (b *browserStream) missing(texts []string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	got := b.data.String()
	var out []string
	for _, s := range texts {
		if !strings.Contains(got, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestRedisOutage cuts Redis (through a TCP proxy) while texts arrive and
// agents send. Texts are still stored and answered, replies still go out,
// /readyz stays 200 saying "degraded", the send limit keeps counting in
// process (it fails open to per-instance limits, never closed), a live
// page is told its updates wait ("reconnecting"), and it catches up with
// every text once Redis is back.
func TestRedisOutage(t *testing.T) {
	requireFaults(t)
	rd := testenv.URL(t, testenv.Redis) // the outage is cut between Parley and Redis
	ru, _ := url.Parse(rd)
	proxy := startFaultProxy(t, ru.Host)
	ru.Host = proxy.Addr()
	api := plivotest.NewAPI(t)
	dsn := faultDatabase(t)
	p := newParleyProcess(t, buildParley(t), dsn, api, map[string]string{"LOG_LEVEL": "info", "REDIS_URL": ru.String(), "REDIS_CHANNEL": testRedisChannel(), "SEND_LIMIT_PER_MINUTE": "50", "SEND_LIMIT_PER_DAY": "1000"})
	p.start()
	a := signInAgent(t, p.base)
	stream := openBrowserStream(t, a.client, p.base)
	target := p.base + "/api/sms/webhook"
	client := &http.Client{Timeout: plivoTimeout}
	l := newLedger()
	var texts []string
	post := func(uuid string) int {
		text := "redis outage text " + uuid
		status, _, _ := postWebhook(client, target, target, faultToken, uuid, contact(2), text)
		l.webhook(uuid, status)
		texts = append(texts, text)
		return status
	}
	if post("redis-before") != http.StatusOK {
		t.Fatal("webhook before the outage not acknowledged")
	}
	awaitShown(t, stream, texts[:1])

	proxy.Cut(true)
	for i := range 10 {
		if status := post(fmt.Sprintf("redis-during-%d", i)); status != http.StatusOK {
			t.Errorf("webhook %d during the Redis outage: %d, want 200", i, status)
		}
	}
	sentDuring := 0
	for i := range 60 {
		text := fmt.Sprintf("redis outage reply %d", i)
		status, id, err := a.send(p.base, contact(3), text)
		l.sent(id, text, status)
		if err != nil {
			t.Fatal(err)
		}
		if status == http.StatusAccepted {
			sentDuring++
		}
	}
	if sentDuring != 50 {
		t.Errorf("sends accepted during the outage %d of 60, want the limit of 50: the limit counts in process while Redis is away", sentDuring)
	}
	status, ready := readyz(t, p.base)
	if status != http.StatusOK || ready.Status != "degraded" || !strings.HasPrefix(ready.Checks["bus"], "error") {
		t.Errorf("/readyz during the Redis outage: %d %+v, want 200 degraded naming the bus", status, ready)
	}
	// The page is told its live updates wait for the bus, and when they
	// flow again.
	awaitShown(t, stream, []string{`data-live-state="reconnecting"`})
	time.Sleep(2 * time.Second)
	proxy.Cut(false)
	awaitShown(t, stream, texts)
	awaitShown(t, stream, []string{`data-live-state="live"`})
	post("redis-after")
	awaitShown(t, stream, texts)
	states := awaitOutboxSettled(t, dsn, l, 60*time.Second)
	p.terminate(shutdownLimit + time.Second)

	accepted, _ := acceptedSends(api)
	sends, doubles := 0, 0
	for id, text := range l.queued {
		n := accepted[text]
		sends += n
		doubles += max(n-1, 0)
		if n != 1 {
			t.Errorf("reply %d (%s) accepted %d times, want once", id, states[id].Status, n)
		}
	}
	v, missing := storedOnce(t, dsn, l)
	if !v.OK() || missing != 0 {
		t.Errorf("stored exactly once %d of %d texts (for example not %v), missing events %d", v.Stored, v.Acked, v.Examples, missing)
	}
	stream.mu.Lock()
	reconnects := stream.reconnects
	stream.mu.Unlock()
	t.Logf("Redis outage: webhooks driven %d, acknowledged %d, stored once %d, all %d shown live after %d stream reconnects; replies queued %d (limit 50 of 60 held in process), sends %d, double sends %d; /readyz %d %s",
		len(l.driven), len(l.acked), v.Stored, len(texts), reconnects, len(l.queued), sends, doubles, status, ready.Status)
}

func awaitShown(t *testing.T, s *browserStream, texts []string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		missing := s.missing(texts)
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d texts never shown on the live page, first %q", len(missing), missing[0])
		}
		time.Sleep(100 * time.Millisecond)
	}
}
