package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// sendingRow is the Settings → Sending table row of number.
func sendingRow(t *testing.T, body, number string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-testid="sending-number" data-number="` + regexp.QuoteMeta(number) + `">.*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("no row for %s in %s", number, truncate(body))
	}
	return m
}

func TestSendingScreenShowsEachNumbersQueue(t *testing.T) {
	const longCode, tollFree = "+14155550199", "+18005550100"
	api := plivotest.NewAPI(t)
	clock := inboxtest.NewClock(time.Now().UTC().Truncate(time.Second))
	var ob *inbox.Outbox
	ts := newTestServerWith(t, testOptions{
		tokens: []string{token}, numbers: []inbox.Number{longCode, tollFree},
		outbox: func(s *store.Store) *inbox.Outbox {
			sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
			if err != nil {
				t.Fatal(err)
			}
			ob = inbox.NewOutbox(inbox.OutboxOptions{Store: s, Sender: sender, Clock: clock, Pace: inbox.DefaultSendPace(), Log: slog.New(slog.DiscardHandler)})
			return ob
		},
	})
	admin := ts.signedIn(t)
	ana, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	ctx := context.Background()
	writer := storetest.MustSaveUser(t, ts.store, "writer@team.example.com", inbox.RoleAgent)
	conv := storetest.MustReceive(t, ts.svc, inboxtest.Inbound("in-1", "+14155550100", longCode, "hi")).Conversation
	for _, text := range []string{"one", "two", "three"} {
		if _, err := ts.svc.SendReply(ctx, writer, conv.ID, text); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(90 * time.Second)
	if n, err := ob.SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("SendDue=%d, %v; want 1 (the number's pace holds the rest)", n, err)
	}

	if p := ana.get("/settings/sending"); p.status != http.StatusForbidden {
		t.Errorf("agent GET /settings/sending=%d, want 403", p.status)
	}
	p := admin.get("/settings/sending")
	if p.status != http.StatusOK || !strings.Contains(p.body, `href="/settings/sending"`) {
		t.Fatalf("GET /settings/sending=%d, want the page with its menu link", p.status)
	}
	row := sendingRow(t, p.body, longCode)
	for _, want := range []string{`data-testid="sending-queued">2<`, "1 per second", "long code", "in 1 s"} {
		if !strings.Contains(row, want) {
			t.Errorf("long code row lacks %q: %s", want, row)
		}
	}
	if !regexp.MustCompile(`data-testid="sending-oldest">\s*1 min`).MatchString(row) {
		t.Errorf("long code row's oldest waiting is not 1 min: %s", row)
	}
	row = sendingRow(t, p.body, tollFree)
	for _, want := range []string{`data-testid="sending-queued">0<`, "25 per second", "toll-free"} {
		if !strings.Contains(row, want) {
			t.Errorf("toll-free row lacks %q: %s", want, row)
		}
	}
	if strings.Contains(p.body, `data-testid="sending-paused"`) {
		t.Error("the page shows a pause nobody ordered")
	}

	// Plivo's 429 with Retry-After: the account waits, and the screen says
	// until when; htmx's poll gets the region alone.
	api.SetRetryAfter("120")
	api.Script(plivotest.RateLimited)
	clock.Advance(time.Second)
	if _, err := ob.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	p = admin.htmxGet("/settings/sending")
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") || !strings.Contains(p.body, `hx-trigger="every 5s"`) {
		t.Fatalf("htmx GET=%d, want the polling region alone: %s", p.status, truncate(p.body))
	}
	until := clock.Now().Add(120 * time.Second).UTC().Format("15:04:05 UTC")
	if !strings.Contains(p.body, `data-testid="sending-paused"`) || !strings.Contains(p.body, until) {
		t.Errorf("region lacks the pause until %s: %s", until, truncate(p.body))
	}
}
