package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
)

// lockedBuffer is a log sink that handlers on several goroutines may
// write to at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// panicCounter counts the units OnPanic is told of.
type panicCounter struct {
	mu    sync.Mutex
	units map[string]int
}

func (p *panicCounter) count(unit string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.units == nil {
		p.units = map[string]int{}
	}
	p.units[unit]++
}

func (p *panicCounter) get(unit string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.units[unit]
}

// panicky is a handler with a nil dereference, as a bug would have.
func panicky(c *fiber.Ctx) error {
	var m map[string]*struct{ n int }
	return c.SendString(c.Path() + string(rune(m["x"].n)))
}

// TestPanicInHandlerIsOneError registers a panicking route (in this test
// only): each kind of request gets a 500 in its own form, the log holds
// the stack with the request id, the panic is counted, and the next
// request is served.
func TestPanicInHandlerIsOneError(t *testing.T) {
	logs := &lockedBuffer{}
	panics := &panicCounter{}
	ts := newTestServerWith(t, testOptions{
		tokens: []string{token}, log: slog.New(slog.NewTextHandler(logs, nil)), onPanic: panics.count,
	})
	ts.app.Get("/test/panic", panicky)
	ts.app.Get("/api/test/panic", panicky)

	tests := []struct {
		name, path string
		header     map[string]string
		want       func(t *testing.T, resp *http.Response, body string)
	}{
		{"page", "/test/panic", map[string]string{"Accept": "text/html"}, func(t *testing.T, resp *http.Response, body string) {
			if !strings.Contains(body, "<html") || !strings.Contains(body, "internal error") {
				t.Errorf("body=%.200q, want the error page", body)
			}
		}},
		{"api", "/api/test/panic", nil, func(t *testing.T, resp *http.Response, body string) {
			var got struct{ Error, Code string }
			if err := json.Unmarshal([]byte(body), &got); err != nil || got.Code != "internal" {
				t.Errorf("body=%q (%v), want JSON with code internal", body, err)
			}
		}},
		{"htmx", "/test/panic", map[string]string{"HX-Request": "true"}, func(t *testing.T, resp *http.Response, body string) {
			if resp.Header.Get("HX-Retarget") != "#toasts" || strings.Contains(body, "<html") {
				t.Errorf("HX-Retarget=%q body=%.200q, want a toast", resp.Header.Get("HX-Retarget"), body)
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			id := "panic-" + tt.name
			req.Header.Set("X-Request-ID", id)
			ts.setHost(req)
			resp, err := ts.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			if resp.StatusCode != http.StatusInternalServerError {
				t.Fatalf("status=%d, want 500", resp.StatusCode)
			}
			if strings.Contains(b.String(), "nil pointer") || strings.Contains(b.String(), "goroutine") {
				t.Errorf("body=%.200q shows the panic", b.String())
			}
			tt.want(t, resp, b.String())
			if got := resp.Header.Get("X-Request-ID"); got != id {
				t.Errorf("X-Request-ID=%q, want %q", got, id)
			}
			if got := panics.get("request"); got != i+1 {
				t.Errorf("panics counted=%d, want %d", got, i+1)
			}
			var line string
			for l := range strings.SplitSeq(logs.String(), "\n") {
				if strings.Contains(l, "id="+id) && strings.Contains(l, "level=ERROR") {
					line = l
				}
			}
			if !strings.Contains(line, "nil pointer dereference") || !strings.Contains(line, "web_test.panicky") {
				t.Errorf("log line for %s=%q, want the panic and its stack", id, line)
			}
		})
	}
	if status, body := ts.MustDo(t, httptest.NewRequest(http.MethodGet, "/healthz", nil)); status != http.StatusOK {
		t.Fatalf("GET /healthz after the panics=%d %s, want 200", status, body)
	}
}

// panickyEvents is a store whose event log read panics for one cursor, as
// a bug in rendering one stream's replay would.
type panickyEvents struct {
	*store.Store
	at int64
}

func (p panickyEvents) EventsAfter(ctx context.Context, after int64, limit int) ([]inbox.Event, error) {
	if after == p.at {
		var e *inbox.Event
		return []inbox.Event{*e}, nil
	}
	return p.Store.EventsAfter(ctx, after, limit)
}

// TestPanickingStreamEndsAlone opens two live streams, one of which panics
// in its replay: that one ends (logged with its request id, counted), the
// other still receives the next text, and new requests are served.
func TestPanickingStreamEndsAlone(t *testing.T) {
	logs := &lockedBuffer{}
	panics := &panicCounter{}
	ls := newLiveServer(t, liveOptions{
		store:   func(s *store.Store) inbox.Store { return panickyEvents{Store: s, at: 1000 - 50} },
		log:     slog.New(slog.NewTextHandler(logs, nil)),
		onPanic: panics.count,
	})
	healthy := ls.openStream(t, ls.client, "/events", "0")
	doomed := ls.openStream(t, ls.client, "/events", "1000")
	select {
	case <-doomed.ended:
	case <-time.After(liveWait):
		t.Fatalf("the panicking stream is still open after %v", liveWait)
	}
	ls.text(t, "alone-1", "14155550123", "still live")
	healthy.nextWith(t, "still live")
	if body := ls.mustGet(t, ls.client, "/healthz"); !strings.Contains(body, "ok") {
		t.Errorf("GET /healthz=%q after the panic, want ok", body)
	}
	if got := panics.get("stream"); got != 1 {
		t.Errorf("stream panics counted=%d, want 1", got)
	}
	id := doomed.resp.Header.Get("X-Request-ID")
	if log := logs.String(); id == "" || !strings.Contains(log, "id="+id) || !strings.Contains(log, "panickyEvents.EventsAfter") {
		t.Errorf("log=%q, want the stream's panic with request id %q and its stack", log, id)
	}
}
