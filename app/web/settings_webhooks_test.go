package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

func TestWebhooksSettingsScreen(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	admin := ts.signedIn(t)
	ana, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")

	if p := ana.get("/settings/webhooks"); p.status != http.StatusForbidden {
		t.Errorf("agent GET /settings/webhooks=%d, want 403", p.status)
	}
	if p := ana.htmxPost("/settings/webhooks", url.Values{"url": {"https://hooks.example.com/a"}, "events": {"message.received"}}); p.status != http.StatusForbidden {
		t.Errorf("agent add=%d, want 403", p.status)
	}

	// Bad input: a clear reason, the draft kept, nothing saved.
	p := admin.htmxPost("/settings/webhooks", url.Values{"url": {"ftp://hooks.example.com/a"}, "events": {"message.received"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "http:// or https://") || !strings.Contains(p.body, "ftp://hooks.example.com/a") {
		t.Fatalf("bad URL=%d, want 422 with the reason and the draft:\n%.400s", p.status, p.body)
	}
	p = admin.htmxPost("/settings/webhooks", url.Values{"url": {"https://hooks.example.com/a"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "at least one event") {
		t.Fatalf("no events=%d, want 422", p.status)
	}
	if eps, _ := ts.store.WebhookEndpoints(ctx); len(eps) != 0 {
		t.Fatalf("refused forms saved %d endpoints", len(eps))
	}

	// Added: the secret is shown once.
	p = admin.htmxPost("/settings/webhooks", url.Values{"url": {"https://hooks.example.com/a"}, "kind": {"standard"}, "events": {"message.received", "conversation.closed"}})
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") {
		t.Fatalf("add=%d:\n%.300s", p.status, p.body)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	secret := doc.Find(`[data-testid="webhook-secret-value"]`).Text()
	eps, _ := ts.store.WebhookEndpoints(ctx)
	if len(eps) != 1 || secret != eps[0].Secret || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret shown %q, endpoints %+v", secret, eps)
	}
	if again := admin.get("/settings/webhooks"); strings.Contains(again.body, secret) {
		t.Error("the secret is shown a second time")
	}
	ep := eps[0]

	// A text queues a delivery, shown in the log with "Send again" once
	// it has an outcome.
	if _, err := ts.svc.Receive(ctx, inboxtest.Inbound("wh-1", "+14155550100", "+14155550199", "hello")); err != nil {
		t.Fatal(err)
	}
	log := admin.get("/settings/webhooks/" + itoa(ep.ID))
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(log.body))
	if n := doc.Find(`[data-testid="webhook-delivery"][data-state="pending"]`).Length(); log.status != http.StatusOK || n != 1 {
		t.Fatalf("log=%d with %d pending deliveries, want 1", log.status, n)
	}

	// Pause shows the banner; resume ends it.
	p = admin.htmxPost("/settings/webhooks/"+itoa(ep.ID)+"/pause", url.Values{})
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="webhook-paused-banner"`) || !strings.Contains(p.body, "Paused by") {
		t.Fatalf("pause=%d, want the paused banner:\n%.400s", p.status, p.body)
	}
	p = admin.htmxPost("/settings/webhooks/"+itoa(ep.ID)+"/resume", url.Values{})
	if p.status != http.StatusOK || strings.Contains(p.body, `data-testid="webhook-paused-banner"`) {
		t.Fatalf("resume=%d, want no banner", p.status)
	}

	// Edit, rotate (a new secret, shown once), delete.
	p = admin.htmxPost("/settings/webhooks/"+itoa(ep.ID), url.Values{"url": {"https://hooks.example.com/b"}, "kind": {"slack"}, "events": {"message.received"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Slack incoming webhook") {
		t.Fatalf("edit=%d", p.status)
	}
	p = admin.htmxPost("/settings/webhooks/"+itoa(ep.ID)+"/rotate", url.Values{})
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if rotated := doc.Find(`[data-testid="webhook-secret-value"]`).Text(); p.status != http.StatusOK || rotated == "" || rotated == secret {
		t.Fatalf("rotate=%d showed %q, want a new secret", p.status, rotated)
	}
	p = admin.htmxPost("/settings/webhooks/"+itoa(ep.ID)+"/delete", url.Values{})
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="webhooks-empty"`) {
		t.Fatalf("delete=%d", p.status)
	}

	entries, _, err := ts.svc.AuditLog(ctx, inbox.User{Role: inbox.RoleAdmin}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if strings.HasPrefix(string(e.Action), "webhook") {
			actions = append(actions, string(e.Action))
		}
	}
	want := "webhook_deleted webhook_secret_rotated webhook_edited webhook_resumed webhook_paused webhook_created"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit log %q, want %q", got, want)
	}
}
