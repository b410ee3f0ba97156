package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/webhooks"
)

// An endpoint the dispatcher pauses after failing puts a notice on every
// full page of every admin, linking to Settings → Webhooks; agents never
// see it, a paused endpoint that was not failing does not raise it, and
// resuming takes it away.
func TestWebhookPausedNoticeShowsToAdmins(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ts := newTestServerWith(t, testOptions{dsn: dsn, numbers: []inbox.Number{apiChannel}})
		ctx := context.Background()
		admin := ts.signedIn(t)
		agent, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
		boss := mustUser(t, ts, "boss@example.com", inbox.RoleAdmin)
		down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "down", http.StatusInternalServerError)
		}))
		t.Cleanup(down.Close)
		ep, err := ts.svc.SaveWebhookEndpoint(ctx, boss, inbox.WebhookEndpoint{URL: down.URL, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}})
		if err != nil {
			t.Fatal(err)
		}
		notice := func(b *browser, path string, htmx bool) int {
			t.Helper()
			r := httptest.NewRequest(http.MethodGet, path, nil)
			if htmx {
				r.Header.Set("HX-Request", "true")
			}
			p := b.do(r)
			if p.status != http.StatusOK {
				t.Fatalf("GET %s=%d", path, p.status)
			}
			doc := mustParseHTML(t, p.body)
			n := doc.Find(`[data-testid="webhook-paused-notice"]`)
			if n.Length() == 1 {
				if href, _ := n.Find("a").Attr("href"); href != "/settings/webhooks" {
					t.Errorf("notice links to %q, want the webhooks screen", href)
				}
			}
			return n.Length()
		}

		// Paused by hand while healthy: no notice.
		if err := ts.svc.PauseWebhookEndpoint(ctx, boss, ep.ID); err != nil {
			t.Fatal(err)
		}
		if n := notice(admin, "/", false); n != 0 {
			t.Fatalf("notice after a pause by hand=%d, want 0", n)
		}
		if err := ts.svc.ResumeWebhookEndpoint(ctx, boss, ep.ID); err != nil {
			t.Fatal(err)
		}

		clock := inboxtest.NewClock(time.Now())
		disp := inbox.NewWebhookDispatcher(inbox.WebhookDispatcherOptions{
			Store: ts.store, Webhooks: ts.store, Clock: clock, Log: slog.New(slog.DiscardHandler),
			Poster:    webhooks.NewClient(webhooks.Options{AllowPrivate: true, Timeout: 2 * time.Second}),
			RetryBase: time.Second, RetryCap: 2 * time.Second, PauseAfter: 20 * time.Second, PauseFailures: 3,
		})
		if _, err := ts.svc.Receive(ctx, inboxtest.Inbound("in-1", apiContact, apiChannel, "anyone there?")); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 30; i++ {
			clock.Advance(5 * time.Second)
			if _, err := disp.DeliverDue(ctx); err != nil {
				t.Fatal(err)
			}
			if n := notice(admin, "/", false); n != 0 {
				break
			}
		}
		if got, err := ts.store.FindWebhookEndpoint(ctx, ep.ID); err != nil || !got.Paused() {
			t.Fatalf("endpoint=%+v, %v, want paused by the dispatcher", got, err)
		}
		for _, path := range []string{"/", "/reports", "/settings/webhooks"} {
			if n := notice(admin, path, false); n != 1 {
				t.Errorf("admin GET %s: %d notices, want 1", path, n)
			}
		}
		if n := notice(agent, "/", false); n != 0 {
			t.Errorf("agent sees %d notices, want 0", n)
		}
		if n := notice(admin, "/conversations?filter=open", true); n != 0 {
			t.Errorf("an htmx fragment carries %d notices, want 0 (the page has it)", n)
		}

		if err := ts.svc.ResumeWebhookEndpoint(ctx, boss, ep.ID); err != nil {
			t.Fatal(err)
		}
		if n := notice(admin, "/", false); n != 0 {
			t.Errorf("notice after resuming=%d, want 0", n)
		}
	})
}
