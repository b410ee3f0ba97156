package usecases_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
)

// webhookStatements counts the SQL statements that touch the webhook
// tables.
type webhookStatements struct {
	mu sync.Mutex
	n  int
}

func (w *webhookStatements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (w *webhookStatements) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	if strings.Contains(ev.Query, "webhook_") {
		w.mu.Lock()
		w.n++
		w.mu.Unlock()
	}
}

func (w *webhookStatements) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// TestWebhookFanoutCostPerText: with no endpoint, a text runs no webhook
// statement (one cached read of the subscriptions per TTL); with one
// subscribed endpoint, one insert per text.
func TestWebhookFanoutCostPerText(t *testing.T) {
	ctx := context.Background()
	hook := &webhookStatements{}
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "parley.db"), store.Options{QueryHook: hook})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := inbox.NewService(inbox.Options{Store: s, Users: s, Webhooks: s, WebhookFanout: inbox.NewWebhookFanout(time.Hour)})
	receive := func(prefix string, n int) {
		for i := range n {
			if _, err := svc.Receive(ctx, inboxtest.Inbound(fmt.Sprintf("%s-%d", prefix, i), fmt.Sprintf("+1415555%04d", i), channel, "hello")); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := hook.count()
	receive("none", 50)
	if got := hook.count() - before; got != 1 {
		t.Errorf("50 texts without an endpoint ran %d webhook statements, want 1 (the first read of the subscriptions)", got)
	}
	admin := inbox.User{Email: "admin@example.com", Role: inbox.RoleAdmin, CreatedAt: t0}
	if err := s.SaveUser(ctx, &admin); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveWebhookEndpoint(ctx, admin, inbox.WebhookEndpoint{URL: "https://hooks.example.com/x", Events: []inbox.WebhookEventType{inbox.WebhookMessageReceived}}); err != nil {
		t.Fatal(err)
	}
	before = hook.count()
	receive("one", 50)
	if got := hook.count() - before; got != 51 {
		t.Errorf("50 texts with one subscribed endpoint ran %d webhook statements, want 51 (one read after the edit, one insert a text)", got)
	}
}
