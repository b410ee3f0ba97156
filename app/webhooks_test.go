package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
)

// startMain is startParley that also returns the running Main.
func startMain(t *testing.T, env map[string]string) *Main {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	env["PORT"] = fmt.Sprint(port)
	env["PUBLIC_URL"] = fmt.Sprintf("http://127.0.0.1:%d", port)
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMain(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ln) }()
	t.Cleanup(func() {
		if err := m.Shutdown(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return m
}

// verifyingReceiver accepts only requests the official Standard Webhooks
// library verifies, and hands over their payloads.
func verifyingReceiver(t *testing.T, secret *string) (*httptest.Server, <-chan inbox.WebhookPayload, func() int) {
	got := make(chan inbox.WebhookPayload, 10)
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		wh, err := standardwebhooks.NewWebhook(*secret)
		if err == nil {
			err = wh.Verify(body, r.Header)
		}
		var p inbox.WebhookPayload
		if err == nil {
			err = json.Unmarshal(body, &p)
		}
		if err != nil {
			t.Errorf("receiver: %v", err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		got <- p
	}))
	t.Cleanup(srv.Close)
	return srv, got, func() int { mu.Lock(); defer mu.Unlock(); return hits }
}

// TestWebhooksFromARunningParley: a text posted to a running Parley's
// Plivo webhook reaches a receiver as a signed message.received, through
// the wiring main does (fan-out in the ingest transaction, the workers).
func TestWebhooksFromARunningParley(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db"), "PLIVO_AUTH_TOKEN": "sim-token-123"}
	m := startMain(t, env)
	ctx := context.Background()
	var secret string
	srv, got, _ := verifyingReceiver(t, &secret)
	admin := inbox.User{Email: "admin@example.com", Name: "Admin", Role: inbox.RoleAdmin, CreatedAt: time.Now()}
	if err := m.Store.SaveUser(ctx, &admin); err != nil {
		t.Fatal(err)
	}
	ep, err := m.Inbox.SaveWebhookEndpoint(ctx, admin, inbox.WebhookEndpoint{URL: srv.URL + "/parley", Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}})
	if err != nil {
		t.Fatalf("development allows a loopback receiver: %v", err)
	}
	secret = ep.Secret
	simulateText(t, env, "--text", "where is my order?")
	select {
	case p := <-got:
		if p.Type != inbox.WebhookMessageReceived || webhookText(t, p) != "where is my order?" ||
			!strings.HasPrefix(p.ThreadURL, env["PUBLIC_URL"]+"/conversations/") {
			t.Fatalf("received %+v, want the text with a link to its thread", p)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no webhook arrived within 15 s")
	}
}

// TestWebhooksSSRFInProduction: with WEBHOOKS_ALLOW_PRIVATE off, as in
// production, a loopback URL is refused when saved, and an endpoint
// whose address turned private after it was saved (a DNS answer that
// changed) is refused when Parley connects: the receiver is never called
// and the delivery log says why.
func TestWebhooksSSRFInProduction(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db"), "PLIVO_AUTH_TOKEN": "sim-token-123", "WEBHOOKS_ALLOW_PRIVATE": "false"}
	m := startMain(t, env)
	ctx := context.Background()
	secret := inbox.NewWebhookSecret()
	srv, _, hits := verifyingReceiver(t, &secret)
	admin := inbox.User{Email: "admin@example.com", Name: "Admin", Role: inbox.RoleAdmin, CreatedAt: time.Now()}
	if err := m.Store.SaveUser(ctx, &admin); err != nil {
		t.Fatal(err)
	}
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{srv.URL, byName} {
		_, err := m.Inbox.SaveWebhookEndpoint(ctx, admin, inbox.WebhookEndpoint{URL: u, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}})
		if inbox.ErrorCode(err) != inbox.EINVALID {
			t.Fatalf("save %s: %v, want refused", u, err)
		}
	}
	// As if the name had resolved to a public address when it was saved.
	ep := inbox.WebhookEndpoint{URL: byName, Kind: inbox.WebhookStandard, Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}, Secret: secret, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := m.Store.SaveWebhookEndpoint(ctx, &ep, &inbox.AuditEntry{Action: inbox.AuditWebhookCreated, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// The subscriptions cache rereads within a second.
	time.Sleep(1100 * time.Millisecond)
	simulateText(t, env, "--text", "hello there")
	deadline := time.Now().Add(15 * time.Second)
	for {
		ds, err := m.Store.WebhookDeliveries(ctx, ep.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 1 && ds[0].Attempts > 0 {
			if ds[0].State == inbox.WebhookDelivered || !strings.Contains(ds[0].LastError, "private") {
				t.Fatalf("delivery %+v, want refused as a private address", ds[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries %+v: no attempt within 15 s", ds)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := hits(); n != 0 {
		t.Fatalf("the private receiver was called %d times", n)
	}
}

// webhookText is the text of a message.* payload.
func webhookText(t testing.TB, p inbox.WebhookPayload) string {
	t.Helper()
	s, err := p.Subject()
	if err != nil || s.Message == nil {
		t.Fatalf("payload %+v: %v, want a message", p, err)
	}
	return s.Message.Text
}
